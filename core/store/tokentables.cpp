// The local API's tokens (ARCHITECTURE §5.7).
#include "core/store/tokentables.h"

#include "core/store/store.h"
#include "core/store/storesql.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace Hooktrail {

namespace {
constexpr qint64 LastUsedResolutionMicros = qint64(60) * 1000000;
}

Result<NewApiToken> TokenTables::addToken(const QString &name, bool readOnly)
{
    NewApiToken created;
    created.secret = ApiKeys::generate(ApiKeys::TokenMark);
    created.token.name = name.trimmed();
    created.token.prefix = ApiKeys::prefixOf(created.secret);
    created.token.hash = ApiKeys::hash(created.secret.toLatin1());
    created.token.readOnly = readOnly;
    created.token.created = QDateTime::currentDateTimeUtc();
    if (created.token.name.isEmpty() || created.token.name.size() > 100)
        return Result<NewApiToken>::failure(QCoreApplication::translate(
            "Hooktrail::TokenTables", "a token needs a name of 1 to 100 characters"));
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("INSERT INTO api_tokens (name, prefix, hash, read_only, "
                                 "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id"));
    query.addBindValue(created.token.name);
    query.addBindValue(created.token.prefix);
    query.addBindValue(created.token.hash);
    query.addBindValue(readOnly ? 1 : 0);
    query.addBindValue(toMicros(created.token.created));
    if (!query.exec() || !query.next())
        return Result<NewApiToken>::failure(m_store.error(query));
    created.token.id = query.value(0).toLongLong();
    return created;
}

namespace {
ApiToken tokenFrom(const QSqlQuery &query)
{
    ApiToken token;
    token.id = query.value(0).toLongLong();
    token.name = query.value(1).toString();
    token.prefix = query.value(2).toString();
    token.hash = query.value(3).toByteArray();
    token.readOnly = query.value(4).toBool();
    token.created = fromMicros(query.value(5));
    token.lastUsed = fromMicros(query.value(6));
    token.revoked = query.value(7).toBool();
    return token;
}
const QString TokenColumns = QStringLiteral(
    "SELECT id, name, prefix, hash, read_only, created_at, last_used_at, revoked FROM api_tokens ");
} // namespace

Result<QList<ApiToken>> TokenTables::tokens()
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!query.exec(TokenColumns + QStringLiteral("ORDER BY id")))
        return Result<QList<ApiToken>>::failure(m_store.error(query));
    QList<ApiToken> out;
    while (query.next())
        out.append(tokenFrom(query));
    return out;
}

Status TokenTables::revokeToken(const QString &prefix)
{
    return m_store.immediateTransaction([&]() -> Status {
        const Result<QList<qint64>> found
            = m_store.idsWithPrefix(QStringLiteral("api_tokens"), ApiKeys::TokenMark, prefix);
        if (!found)
            return Status::failure(found.error());
        const QList<qint64> &ids = *found;
        if (ids.isEmpty())
            return Status::failure(
                QCoreApplication::translate("Hooktrail::TokenTables", "no token with prefix %1")
                    .arg(prefix));
        if (ids.size() > 1)
            return Status::failure(
                QCoreApplication::translate("Hooktrail::TokenTables", "%1 tokens have prefix %2")
                    .arg(ids.size())
                    .arg(prefix));
        QSqlQuery query(m_store.database());
        query.prepare(QStringLiteral("UPDATE api_tokens SET revoked = 1 WHERE id = ?"));
        query.addBindValue(ids.first());
        if (!query.exec())
            return Status::failure(m_store.error(query));
        return Status();
    });
}

Result<std::optional<ApiToken>> TokenTables::authenticate(QByteArrayView secret)
{
    using Found = Result<std::optional<ApiToken>>;
    // Looked up by hash: the hash of a guess says nothing of the hashes stored.
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(TokenColumns + QStringLiteral("WHERE hash = ?"));
    query.addBindValue(ApiKeys::hash(secret));
    if (!query.exec())
        return Found::failure(m_store.error(query));
    if (!query.next())
        return Found(std::nullopt);
    ApiToken token = tokenFrom(query);
    query.finish();
    const qint64 now = currentMicros();
    if (!token.revoked
        && (token.lastUsed.isNull() || toMicros(token.lastUsed) < now - LastUsedResolutionMicros)) {
        QSqlQuery touch(m_store.database());
        touch.prepare(QStringLiteral("UPDATE api_tokens SET last_used_at = ? WHERE id = ?"));
        touch.addBindValue(now);
        touch.addBindValue(token.id);
        if (touch.exec()) // a busy database only costs the note of its last use
            token.lastUsed = fromMicros(QVariant(now));
    }
    return Found(std::move(token));
}

} // namespace Hooktrail
