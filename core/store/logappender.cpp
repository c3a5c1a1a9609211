// Appending to the request log: the batch insert (SQLite's through its C API) and key use.
#include "core/store/logappender.h"

#include "core/store/searchtext.h"
#include "core/store/store.h"
#include "core/store/storesql.h"

#include <QSqlDriver>
#include <QSqlQuery>
#include <sqlite3.h>

namespace Hooktrail {

// The log's hot path on SQLite goes to the C API: binding UTF-8 directly, with no QVariant or
// UTF-16 round trip, roughly halves the writer thread's cost per row.
struct LogAppender::SqliteInsert
{
    sqlite3 *db = nullptr;
    sqlite3_stmt *statement = nullptr;
    ~SqliteInsert() { sqlite3_finalize(statement); }
};

namespace {

// The PostgreSQL advisory lock that orders writers of the request log ("HTRL").
constexpr qint64 LogWriterLock = 0x4854524c;

// Text columns take UTF-8; bytes that are not UTF-8 are read as Latin-1 so none is lost.
QByteArray utf8Text(const QByteArray &bytes)
{
    return isUtf8(bytes) ? bytes : QString::fromLatin1(bytes).toUtf8();
}

// Binds without a copy: the caller keeps `utf8` alive until the statement is stepped.
void bindText(
    sqlite3_stmt *statement, int index, const QByteArray &utf8, bool nullWhenEmpty = false)
{
    if (nullWhenEmpty && utf8.isEmpty())
        sqlite3_bind_null(statement, index);
    else
        sqlite3_bind_text(statement, index, utf8.constData() ? utf8.constData() : "",
            int(utf8.size()), SQLITE_STATIC);
}

// A short value shown and filtered as text: UTF-8 stays text; other bytes are kept exactly, as a
// blob.
void bindExact(sqlite3_stmt *statement, int index, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        sqlite3_bind_null(statement, index);
    else if (isUtf8(bytes))
        sqlite3_bind_text(statement, index, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
    else
        sqlite3_bind_blob(statement, index, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
}

} // namespace

LogAppender::LogAppender(Store &store) : m_store(store) { }

LogAppender::~LogAppender() = default;

void LogAppender::forgetStatements()
{
    m_sqliteInsert.reset();
    m_insertRequest.reset();
    m_touchKey.reset();
}

Status LogAppender::append(
    QList<LoggedRequest> &batch, const std::function<Status()> &alsoInTransaction)
{
    QHash<qint64, qint64> keyUse;
    const Status status = m_store.transaction([&]() -> Status {
        if (m_store.dialect().kind() == SqlDialect::Kind::Postgres) {
            // Receivers on other machines write too: one batch at a time, so ids are taken in
            // commit order and a reader that saw id N has seen every row below it (live views
            // follow by "id > the newest seen"). SQLite's single writer gives this for free.
            if (Status locked = m_store.exec(
                    QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(LogWriterLock));
                !locked)
                return locked;
            // Delivered with the commit: consoles following the history look for new rows.
            if (Status notified = m_store.exec(QStringLiteral("NOTIFY %1").arg(LogChannel));
                !notified)
                return notified;
        }
        Status inserted = m_store.dialect().kind() == SqlDialect::Kind::Sqlite
            ? appendSqlite(batch, keyUse)
            : appendPortable(batch, keyUse);
        if (!inserted)
            return inserted;
        if (!m_touchKey) {
            m_touchKey = std::make_unique<QSqlQuery>(m_store.database());
            m_touchKey->prepare(QStringLiteral("UPDATE api_keys SET last_used_at = ? WHERE id = ? "
                                               "AND (last_used_at IS NULL OR last_used_at < ?)"));
        }
        for (auto it = keyUse.cbegin(); it != keyUse.cend(); ++it) {
            m_touchKey->bindValue(0, it.value());
            m_touchKey->bindValue(1, it.key());
            m_touchKey->bindValue(2, it.value());
            if (!m_touchKey->exec())
                return Status::failure(
                    QStringLiteral("cannot record key use: %1").arg(m_store.error(*m_touchKey)));
        }
        return alsoInTransaction ? alsoInTransaction() : Status();
    });
    if (!status) {
        for (LoggedRequest &entry : batch)
            entry.id = 0;
        // A failed statement can leave a prepared query unusable (e.g. after the file vanished).
        forgetStatements();
    }
    return status;
}

Result<qint64> LogAppender::importedUpTo(const QString &source)
{
    QSqlQuery query(m_store.database());
    query.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    query.addBindValue(QStringLiteral("imported:") + source);
    if (!query.exec())
        return Result<qint64>::failure(m_store.error(query));
    return query.next() ? query.value(0).toLongLong() : 0;
}

Status LogAppender::importRequests(QList<LoggedRequest> &batch, const QString &source, qint64 upTo)
{
    return append(batch, [&]() -> Status {
        QSqlQuery query(m_store.database());
        query.prepare(QStringLiteral("DELETE FROM meta WHERE key = ?"));
        query.addBindValue(QStringLiteral("imported:") + source);
        if (!query.exec())
            return Status::failure(m_store.error(query));
        query.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES (?, ?)"));
        query.addBindValue(QStringLiteral("imported:") + source);
        query.addBindValue(QString::number(upTo));
        if (!query.exec())
            return Status::failure(m_store.error(query));
        return {};
    });
}

Status LogAppender::appendSqlite(QList<LoggedRequest> &batch, QHash<qint64, qint64> &keyUse)
{
    if (!m_sqliteInsert) {
        const QVariant handle = m_store.database().driver()->handle();
        if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
            return Status::failure(QStringLiteral("the SQLite driver gives no handle"));
        auto insert = std::make_unique<SqliteInsert>();
        insert->db = *static_cast<sqlite3 *const *>(handle.constData());
        const char *sql = "INSERT INTO requests (received_at, webhook_id, method, path, query, "
                          "http_version, headers, "
                          "body, body_truncated, body_size, content_type, client_address, "
                          "forwarded_for, status, "
                          "reason, reason_detail, handling_micros, instance, api_key_id) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        if (sqlite3_prepare_v2(insert->db, sql, -1, &insert->statement, nullptr) != SQLITE_OK)
            return Status::failure(QStringLiteral("cannot prepare the log insert: %1")
                                       .arg(QString::fromUtf8(sqlite3_errmsg(insert->db))));
        m_sqliteInsert = std::move(insert);
    }
    sqlite3_stmt *statement = m_sqliteInsert->statement;
    for (LoggedRequest &entry : batch) {
        // The converted values live until the row is stepped, so SQLite may use them in place.
        const QByteArray webhookId = entry.webhookId.toUtf8();
        const QByteArray method = utf8Text(entry.method);
        const QByteArray path = utf8Text(entry.path);
        const QByteArray query = utf8Text(entry.query);
        const QByteArray headers = encodeHeaders(entry.headers);
        const QByteArray clientAddress = entry.clientAddress.toUtf8();
        const QByteArray forwardedFor = entry.forwardedFor.toUtf8();
        const QByteArray reasonDetail = entry.reasonDetail.toUtf8();
        const QByteArray instance = entry.instance.toUtf8();
        sqlite3_reset(statement);
        sqlite3_bind_int64(statement, 1, entry.receivedAtMicros);
        bindText(statement, 2, webhookId, true);
        bindText(statement, 3, method);
        bindText(statement, 4, path);
        bindText(statement, 5, query);
        bindText(statement, 6, entry.httpVersion);
        bindText(statement, 7, headers);
        sqlite3_bind_blob64(statement, 8, entry.body.isEmpty() ? "" : entry.body.constData(),
            sqlite3_uint64(entry.body.size()), SQLITE_STATIC);
        sqlite3_bind_int(statement, 9, entry.bodyTruncated ? 1 : 0);
        sqlite3_bind_int64(statement, 10, entry.bodySize);
        bindExact(statement, 11, entry.contentType);
        bindText(statement, 12, clientAddress);
        bindText(statement, 13, forwardedFor, true);
        sqlite3_bind_int(statement, 14, entry.status);
        bindText(statement, 15, entry.reason);
        bindText(statement, 16, reasonDetail, true);
        sqlite3_bind_int64(statement, 17, entry.handlingMicros);
        bindText(statement, 18, instance);
        if (entry.apiKeyId)
            sqlite3_bind_int64(statement, 19, entry.apiKeyId);
        else
            sqlite3_bind_null(statement, 19);
        if (sqlite3_step(statement) != SQLITE_DONE) {
            const QString message = QString::fromUtf8(sqlite3_errmsg(m_sqliteInsert->db));
            sqlite3_reset(statement);
            return Status::failure(QStringLiteral("cannot write the request log: %1").arg(message));
        }
        entry.id = sqlite3_last_insert_rowid(m_sqliteInsert->db);
        if (entry.apiKeyId)
            keyUse[entry.apiKeyId] = std::max(keyUse.value(entry.apiKeyId), entry.receivedAtMicros);
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return {};
}

namespace {

// What PostgreSQL's search reads of a row: the text SQLite's FTS5 indexes (SearchColumns).
QString searchText(const LoggedRequest &entry)
{
    return searchableText(QString::fromUtf8(encodeHeaders(entry.headers)) + u' '
        + receivedText(entry.body.left(SearchedBodyBytes)));
}

} // namespace

Status LogAppender::appendPortable(QList<LoggedRequest> &batch, QHash<qint64, qint64> &keyUse)
{
    // Many rows per statement: against a server each statement is a round trip, and a batch
    // of a busy receiver holds dozens of rows.
    constexpr qsizetype RowsPerStatement = 100; // 2,000 parameters, far below the limit
    const auto nullable = [](const QString &text) {
        return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
    };
    for (qsizetype first = 0; first < batch.size(); first += RowsPerStatement) {
        const qsizetype rows = std::min(RowsPerStatement, batch.size() - first);
        if (!m_insertRequest || m_insertRows != rows) {
            QStringList values(rows,
                QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
            m_insertRequest = std::make_unique<QSqlQuery>(m_store.database());
            m_insertRows = rows;
            if (!m_insertRequest->prepare(QStringLiteral(
                    "INSERT INTO requests (received_at, webhook_id, method, path, query, "
                    "http_version, headers, body, body_truncated, body_size, content_type, "
                    "client_address, forwarded_for, status, reason, reason_detail, "
                    "handling_micros, instance, api_key_id, search_text) VALUES %1 RETURNING id")
                                              .arg(values.join(QStringLiteral(", "))))) {
                const QString message = m_store.error(*m_insertRequest);
                m_insertRequest.reset();
                return Status::failure(message);
            }
        }
        QSqlQuery &insert = *m_insertRequest;
        int at = 0;
        for (qsizetype i = first; i < first + rows; ++i) {
            const LoggedRequest &entry = batch.at(i);
            insert.bindValue(at++, entry.receivedAtMicros);
            insert.bindValue(at++, nullable(entry.webhookId));
            insert.bindValue(at++, toText(entry.method));
            insert.bindValue(at++, toText(entry.path));
            insert.bindValue(at++, toText(entry.query));
            insert.bindValue(at++, QString::fromLatin1(entry.httpVersion));
            insert.bindValue(at++, QString::fromUtf8(encodeHeaders(entry.headers)));
            insert.bindValue(at++, entry.body.isNull() ? QByteArray("") : entry.body);
            insert.bindValue(at++, entry.bodyTruncated ? 1 : 0);
            insert.bindValue(at++, entry.bodySize);
            // The exact bytes (BYTEA): a Content-Type may carry bytes that are not UTF-8.
            insert.bindValue(at++,
                entry.contentType.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>())
                                            : QVariant(entry.contentType));
            insert.bindValue(at++, entry.clientAddress);
            insert.bindValue(at++, nullable(entry.forwardedFor));
            insert.bindValue(at++, entry.status);
            insert.bindValue(at++, QString::fromLatin1(entry.reason));
            insert.bindValue(at++, nullable(entry.reasonDetail));
            insert.bindValue(at++, entry.handlingMicros);
            insert.bindValue(at++, entry.instance);
            insert.bindValue(at++,
                entry.apiKeyId ? QVariant(entry.apiKeyId)
                               : QVariant(QMetaType::fromType<qint64>()));
            insert.bindValue(at++, searchText(entry));
        }
        if (!insert.exec())
            return Status::failure(
                QStringLiteral("cannot write the request log: %1").arg(m_store.error(insert)));
        // Ids of one statement are drawn in the order of its rows; sorted, they pair up.
        QList<qint64> ids;
        ids.reserve(rows);
        while (insert.next())
            ids.append(insert.value(0).toLongLong());
        insert.finish();
        if (ids.size() != rows)
            return Status::failure(
                QStringLiteral("cannot write the request log: %1 ids for %2 rows")
                    .arg(ids.size())
                    .arg(rows));
        std::sort(ids.begin(), ids.end());
        for (qsizetype i = 0; i < rows; ++i) {
            LoggedRequest &entry = batch[first + i];
            entry.id = ids.at(i);
            if (entry.apiKeyId)
                keyUse[entry.apiKeyId]
                    = std::max(keyUse.value(entry.apiKeyId), entry.receivedAtMicros);
        }
    }
    return {};
}

} // namespace Hooktrail
