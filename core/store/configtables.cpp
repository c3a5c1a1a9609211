// The configuration tables: webhooks and API keys, and the generation receivers follow.
#include "core/store/configtables.h"

#include "core/store/store.h"
#include "core/store/storesql.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace Hooktrail {

namespace {

QString joinList(const QStringList &list)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QStringList splitList(const QString &json)
{
    QStringList out;
    for (const QJsonValue &value : QJsonDocument::fromJson(json.toUtf8()).array())
        out.append(value.toString());
    return out;
}

QString encodeRules(const QList<HeaderRule> &rules)
{
    QJsonArray array;
    for (const HeaderRule &rule : rules)
        array.append(QJsonArray { rule.name, rule.value });
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QString toText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject objectOf(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

// The columns of a webhook's authentication and answer (ARCHITECTURE §5.6): its mode, its
// scheme without secrets, the secrets in a column of their own, its custom response or NULL.
QVariant verificationText(const Webhook &webhook)
{
    if (!needsSignature(webhook.authentication))
        return QVariant(QMetaType::fromType<QString>());
    return toText(webhook.verification.toJson());
}

QVariant secretsText(const Webhook &webhook)
{
    if (!needsSignature(webhook.authentication))
        return QVariant(QMetaType::fromType<QString>());
    return joinList(webhook.verification.secrets);
}

QVariant responseText(const Webhook &webhook)
{
    if (!webhook.response)
        return QVariant(QMetaType::fromType<QString>());
    return toText(webhook.response->toJson());
}

QList<HeaderRule> decodeRules(const QString &json)
{
    QList<HeaderRule> rules;
    for (const QJsonValue &pair : QJsonDocument::fromJson(json.toUtf8()).array())
        rules.append({ pair[0].toString(), pair[1].toString() });
    return rules;
}

Webhook webhookFrom(const QSqlQuery &query)
{
    Webhook webhook;
    webhook.id = query.value(0).toString();
    webhook.name = query.value(1).toString();
    webhook.description = query.value(2).toString();
    webhook.methods = splitList(query.value(3).toString());
    webhook.headerRules = decodeRules(query.value(4).toString());
    webhook.ipWhitelist = splitList(query.value(5).toString());
    webhook.enabled = query.value(6).toBool();
    webhook.created = fromMicros(query.value(7));
    webhook.updated = fromMicros(query.value(8));
    webhook.acceptAnyContentType = query.value(9).toBool();
    authModeFromName(query.value(10).toString(), &webhook.authentication);
    if (needsSignature(webhook.authentication)) {
        webhook.verification = verificationFromJson(objectOf(query.value(11)), nullptr);
        webhook.verification.secrets = splitList(query.value(12).toString());
    }
    if (!query.value(13).isNull())
        webhook.response = responseFromJson(objectOf(query.value(13)), nullptr);
    return webhook;
}

const QString WebhookColumns = QStringLiteral(
    "id, name, description, methods, header_rules, ip_whitelist, enabled, created_at, updated_at, "
    "accept_any_content_type, authentication, verification, secrets, response");

} // namespace

Status ConfigTables::bumpGeneration()
{
    if (m_store.dialect().kind() == SqlDialect::Kind::Sqlite)
        return m_store.exec(QStringLiteral(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'config_generation'"));
    Status status
        = m_store.exec(QStringLiteral("UPDATE meta SET value = (CAST(value AS BIGINT) + 1)::text "
                                      "WHERE key = 'config_generation'"));
    // Sent when the transaction commits: every receiver listening reloads at once.
    if (status)
        status = m_store.exec(QStringLiteral("NOTIFY %1").arg(ConfigChannel));
    return status;
}

Result<qint64> ConfigTables::generation()
{
    QSqlQuery query(m_store.database());
    if (!query.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'config_generation'")))
        return Result<qint64>::failure(m_store.error(query));
    return query.next() ? query.value(0).toLongLong() : 0;
}

Result<QList<Webhook>> ConfigTables::webhooks()
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT %1 FROM webhooks ORDER BY seq, id").arg(WebhookColumns)))
        return Result<QList<Webhook>>::failure(m_store.error(query));
    QList<Webhook> out;
    while (query.next())
        out.append(webhookFrom(query));
    return out;
}

Result<std::optional<Webhook>> ConfigTables::webhook(const QString &id)
{
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT %1 FROM webhooks WHERE id = ?").arg(WebhookColumns));
    query.addBindValue(id);
    if (!query.exec())
        return Result<std::optional<Webhook>>::failure(m_store.error(query));
    if (!query.next())
        return std::optional<Webhook>();
    return std::optional<Webhook>(webhookFrom(query));
}

Result<bool> ConfigTables::nameTaken(const QString &name, const QString &exceptId)
{
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT 1 FROM webhooks WHERE name_folded = ? AND id <> ?"));
    query.addBindValue(name.trimmed().toCaseFolded());
    // A null QString binds as SQL NULL, and "id <> NULL" is never true.
    query.addBindValue(exceptId.isNull() ? QStringLiteral("") : exceptId);
    if (!query.exec())
        return Result<bool>::failure(m_store.error(query));
    return query.next();
}

// Inside a write transaction: the name checked first (after a failed statement PostgreSQL
// answers nothing more in the transaction; the unique index still decides between two
// writers at once), then the row as given, id and timestamps included.
Status ConfigTables::insertWebhook(const Webhook &webhook)
{
    if (const Result<bool> taken = nameTaken(webhook.name); !taken)
        return Status::failure(taken.error());
    else if (*taken)
        return Status::failure(QCoreApplication::translate(
            "Hooktrail::ConfigTables", "a webhook named '%1' already exists")
                                   .arg(webhook.name));
    QSqlQuery query(m_store.database());
    // Inside the write transaction, so no other writer takes the same place in the list.
    query.prepare(QStringLiteral(
        "INSERT INTO webhooks (%1, name_folded, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM webhooks))")
                      .arg(WebhookColumns));
    query.addBindValue(webhook.id);
    query.addBindValue(webhook.name);
    query.addBindValue(webhook.description.isNull() ? QStringLiteral("") : webhook.description);
    query.addBindValue(joinList(webhook.methods));
    query.addBindValue(encodeRules(webhook.headerRules));
    query.addBindValue(joinList(webhook.ipWhitelist));
    query.addBindValue(webhook.enabled ? 1 : 0);
    query.addBindValue(toMicros(webhook.created));
    query.addBindValue(toMicros(webhook.updated));
    query.addBindValue(webhook.acceptAnyContentType ? 1 : 0);
    query.addBindValue(authModeName(webhook.authentication));
    query.addBindValue(verificationText(webhook));
    query.addBindValue(secretsText(webhook));
    query.addBindValue(responseText(webhook));
    query.addBindValue(webhook.name.toCaseFolded());
    if (!query.exec())
        return Status::failure(m_store.error(query));
    return bumpGeneration();
}

Result<Webhook> ConfigTables::addWebhook(Webhook webhook, Id id)
{
    if (id == Id::New)
        webhook.id = Webhook::newId();
    else if (!isUuidV4(webhook.id))
        return Result<Webhook>::failure(
            QCoreApplication::translate("Hooktrail::ConfigTables", "'%1' is not a webhook id")
                .arg(webhook.id));
    webhook.name = webhook.name.trimmed();
    webhook.created = webhook.updated = QDateTime::currentDateTimeUtc();
    // Immediate: the write lock first, so the name check cannot leave SQLite a snapshot too old
    // to write from (a busy error at once, with no wait, when the log writer just committed).
    // The id is text, not drawn from a sequence, so one kept here moves nothing a later
    // webhook's new id depends on, on either database.
    const Status status = m_store.immediateTransaction([&]() -> Status {
        if (id == Id::Keep) {
            if (const Result<bool> used = idTaken(webhook.id); !used)
                return Status::failure(used.error());
            else if (*used)
                return Status::failure(QCoreApplication::translate(
                    "Hooktrail::ConfigTables", "a webhook with id %1 already exists")
                                           .arg(webhook.id));
        }
        return insertWebhook(webhook);
    });
    if (!status)
        return Result<Webhook>::failure(status.error());
    return webhook;
}

Status ConfigTables::updateWebhook(const Webhook &webhook)
{
    return m_store.immediateTransaction([&]() -> Status { // (see addWebhook)
        if (const Result<bool> taken = nameTaken(webhook.name, webhook.id); !taken)
            return Status::failure(taken.error());
        else if (*taken)
            return Status::failure(QCoreApplication::translate(
                "Hooktrail::ConfigTables", "a webhook named '%1' already exists")
                                       .arg(webhook.name.trimmed()));
        QSqlQuery query(m_store.database());
        query.prepare(QStringLiteral(
            "UPDATE webhooks SET name = ?, name_folded = ?, description = ?, methods = ?, "
            "header_rules = ?, ip_whitelist = ?, enabled = ?, accept_any_content_type = ?, "
            "authentication = ?, verification = ?, secrets = ?, response = ?, "
            "updated_at = ? WHERE id = ?"));
        query.addBindValue(webhook.name.trimmed());
        query.addBindValue(webhook.name.trimmed().toCaseFolded());
        query.addBindValue(webhook.description.isNull() ? QStringLiteral("") : webhook.description);
        query.addBindValue(joinList(webhook.methods));
        query.addBindValue(encodeRules(webhook.headerRules));
        query.addBindValue(joinList(webhook.ipWhitelist));
        query.addBindValue(webhook.enabled ? 1 : 0);
        query.addBindValue(webhook.acceptAnyContentType ? 1 : 0);
        query.addBindValue(authModeName(webhook.authentication));
        query.addBindValue(verificationText(webhook));
        query.addBindValue(secretsText(webhook));
        query.addBindValue(responseText(webhook));
        query.addBindValue(toMicros(QDateTime::currentDateTimeUtc()));
        query.addBindValue(webhook.id);
        if (!query.exec())
            return Status::failure(m_store.error(query));
        if (query.numRowsAffected() != 1)
            return Status::failure(
                QCoreApplication::translate("Hooktrail::ConfigTables", "no webhook with id %1")
                    .arg(webhook.id));
        return bumpGeneration();
    });
}

Status ConfigTables::setWebhookEnabled(const QString &id, bool enabled)
{
    return m_store.transaction([&]() -> Status {
        QSqlQuery query(m_store.database());
        query.prepare(
            QStringLiteral("UPDATE webhooks SET enabled = ?, updated_at = ? WHERE id = ?"));
        query.addBindValue(enabled ? 1 : 0);
        query.addBindValue(toMicros(QDateTime::currentDateTimeUtc()));
        query.addBindValue(id);
        if (!query.exec())
            return Status::failure(m_store.error(query));
        if (query.numRowsAffected() != 1)
            return Status::failure(
                QCoreApplication::translate("Hooktrail::ConfigTables", "no webhook with id %1")
                    .arg(id));
        if (Status status = m_store.deliveries().removeDestinationsOf(id); !status)
            return status;
        return bumpGeneration();
    });
}

Status ConfigTables::removeWebhook(const QString &id, bool deleteRequests)
{
    const Status removed = m_store.transaction([&]() -> Status {
        QSqlQuery query(m_store.database());
        query.prepare(QStringLiteral("DELETE FROM webhooks WHERE id = ?"));
        query.addBindValue(id);
        if (!query.exec())
            return Status::failure(m_store.error(query));
        if (query.numRowsAffected() != 1)
            return Status::failure(
                QCoreApplication::translate("Hooktrail::ConfigTables", "no webhook with id %1")
                    .arg(id));
        return bumpGeneration();
    });
    if (!removed || !deleteRequests)
        return removed;
    // Its requests go in chunks, as any deletion does, so the log writer never waits long for
    // the lock. None can arrive meanwhile: without the webhook, a request names none.
    RequestFilter filter;
    filter.webhookId = id;
    const Result<qint64> requests = m_store.retention().deleteRequests(filter);
    return requests ? Status() : Status::failure(requests.error());
}

Result<NewApiKey> ConfigTables::addKey(const QString &name)
{
    NewApiKey created;
    created.secret = ApiKeys::generate();
    created.key.name = name.trimmed();
    created.key.prefix = ApiKeys::prefixOf(created.secret);
    created.key.hash = ApiKeys::hash(created.secret.toLatin1());
    created.key.created = QDateTime::currentDateTimeUtc();
    if (created.key.name.isEmpty() || created.key.name.size() > 100)
        return Result<NewApiKey>::failure(QCoreApplication::translate(
            "Hooktrail::ConfigTables", "a key needs a name of 1 to 100 characters"));
    const Status status = m_store.transaction([&]() -> Status {
        QSqlQuery query(m_store.database());
        query.prepare(QStringLiteral("INSERT INTO api_keys (name, prefix, hash, created_at) VALUES "
                                     "(?, ?, ?, ?) RETURNING id"));
        query.addBindValue(created.key.name);
        query.addBindValue(created.key.prefix);
        query.addBindValue(created.key.hash);
        query.addBindValue(toMicros(created.key.created));
        if (!query.exec() || !query.next())
            return Status::failure(m_store.error(query));
        created.key.id = query.value(0).toLongLong();
        query.finish();
        return bumpGeneration();
    });
    if (!status)
        return Result<NewApiKey>::failure(status.error());
    return created;
}

Result<QList<ApiKey>> ConfigTables::keys()
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, name, prefix, hash, created_at, last_used_at, "
                                   "revoked FROM api_keys ORDER BY id")))
        return Result<QList<ApiKey>>::failure(m_store.error(query));
    QList<ApiKey> out;
    while (query.next()) {
        ApiKey key;
        key.id = query.value(0).toLongLong();
        key.name = query.value(1).toString();
        key.prefix = query.value(2).toString();
        key.hash = query.value(3).toByteArray();
        key.created = fromMicros(query.value(4));
        key.lastUsed = fromMicros(query.value(5));
        key.revoked = query.value(6).toBool();
        out.append(key);
    }
    return out;
}

Status ConfigTables::revokeKey(const QString &prefix)
{
    // Immediate (see addWebhook): it reads, then writes; a deferred transaction whose snapshot
    // another writer passed meanwhile (the log writer's threads open their stores at start)
    // fails at its first write without waiting.
    return m_store.immediateTransaction([&]() -> Status {
        const Result<QList<qint64>> found
            = m_store.idsWithPrefix(QStringLiteral("api_keys"), ApiKeys::KeyMark, prefix);
        if (!found)
            return Status::failure(found.error());
        const QList<qint64> &ids = *found;
        if (ids.isEmpty())
            return Status::failure(
                QCoreApplication::translate("Hooktrail::ConfigTables", "no key with prefix %1")
                    .arg(prefix));
        if (ids.size() > 1)
            return Status::failure(
                QCoreApplication::translate("Hooktrail::ConfigTables", "%1 keys have prefix %2")
                    .arg(ids.size())
                    .arg(prefix));
        QSqlQuery query(m_store.database());
        query.prepare(QStringLiteral("UPDATE api_keys SET revoked = 1 WHERE id = ?"));
        query.addBindValue(ids.first());
        if (!query.exec())
            return Status::failure(m_store.error(query));
        return bumpGeneration();
    });
}

// Checked before inserting: after a failed statement PostgreSQL answers nothing more in the
// transaction (see insertWebhook).
Result<bool> ConfigTables::idTaken(const QString &id)
{
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT 1 FROM webhooks WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return Result<bool>::failure(m_store.error(query));
    return query.next();
}

Result<bool> ConfigTables::importWebhook(const Webhook &webhook)
{
    bool added = false;
    const Status status = m_store.immediateTransaction([&]() -> Status {
        if (const Result<bool> used = idTaken(webhook.id); !used)
            return Status::failure(used.error());
        else if (*used)
            return {};
        added = true;
        return insertWebhook(webhook);
    });
    if (!status)
        return Result<bool>::failure(status.error());
    return added;
}

Result<qint64> ConfigTables::importKey(const ApiKey &key)
{
    qint64 id = 0;
    const Status status = m_store.immediateTransaction([&]() -> Status {
        QSqlQuery query(m_store.database());
        query.prepare(QStringLiteral("SELECT id FROM api_keys WHERE hash = ?"));
        query.addBindValue(key.hash);
        if (!query.exec())
            return Status::failure(m_store.error(query));
        if (query.next()) {
            id = query.value(0).toLongLong();
            return {};
        }
        query.finish();
        query.prepare(QStringLiteral(
            "INSERT INTO api_keys (name, prefix, hash, created_at, last_used_at, revoked) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
        query.addBindValue(key.name);
        query.addBindValue(key.prefix);
        query.addBindValue(key.hash);
        query.addBindValue(toMicros(key.created));
        query.addBindValue(key.lastUsed.isValid() ? QVariant(toMicros(key.lastUsed))
                                                  : QVariant(QMetaType::fromType<qint64>()));
        query.addBindValue(key.revoked ? 1 : 0);
        if (!query.exec() || !query.next())
            return Status::failure(m_store.error(query));
        id = query.value(0).toLongLong();
        query.finish();
        return bumpGeneration();
    });
    if (!status)
        return Result<qint64>::failure(status.error());
    return id;
}

} // namespace Hooktrail
