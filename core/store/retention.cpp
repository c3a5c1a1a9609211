// Deleting from the request log: by ids, by filter, and by age and count (retention).
#include "core/store/retention.h"

#include "core/store/store.h"
#include "core/store/storesql.h"

#include <QSqlQuery>

namespace Hooktrail {

namespace {

// Rows per transaction when deleting: forgetting their search entries costs about as much as
// indexing them, so this bounds how long a commit of the log may wait (tens of ms).
constexpr int DeleteChunk = 500;
constexpr int IdsPerStatement = 500; // placeholders in one "id IN (...)"

// Retention keeps a request whose deliveries have not ended until they do.
const QString NotAwaitingDelivery
    = QStringLiteral("NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.request_id = requests.id "
                     "AND d.state IN (2, 3))");

} // namespace

// Deletes the rows and what the search table holds of them, in one transaction.
Result<qint64> Retention::deleteIds(const QList<qint64> &ids)
{
    qint64 removed = 0;
    const bool sqlite = m_store.dialect().kind() == SqlDialect::Kind::Sqlite;
    const Status status = m_store.immediateTransaction([&]() -> Status {
        qint64 indexedUpTo = 0;
        QSqlQuery query(m_store.database());
        if (sqlite) {
            if (!query.exec(QStringLiteral(
                    "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_id'")))
                return Status::failure(m_store.error(query));
            indexedUpTo = query.next() ? query.value(0).toLongLong() : 0;
            query.finish();
        }
        // A fixed number of placeholders keeps one statement text (and one plan) for every chunk;
        // the last chunk repeats its last id to fill it.
        QString placeholders = QStringLiteral("?");
        for (int i = 1; i < IdsPerStatement; ++i)
            placeholders += QStringLiteral(", ?");
        QSqlQuery forget(m_store.database());
        if (sqlite)
            forget.prepare(
                QStringLiteral("INSERT INTO requests_fts (requests_fts, rowid, headers, body) "
                               "SELECT 'delete', id, %1 FROM requests WHERE id <= ? AND id IN (%2)")
                    .arg(SearchColumns, placeholders));
        QSqlQuery remove(m_store.database());
        remove.prepare(QStringLiteral("DELETE FROM requests WHERE id IN (%1)").arg(placeholders));
        // A request's deliveries and their attempts go with it (ARCHITECTURE §5.5).
        QSqlQuery forgetAttempts(m_store.database());
        forgetAttempts.prepare(
            QStringLiteral("DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM "
                           "deliveries WHERE request_id IN (%1))")
                .arg(placeholders));
        QSqlQuery forgetDeliveries(m_store.database());
        forgetDeliveries.prepare(
            QStringLiteral("DELETE FROM deliveries WHERE request_id IN (%1)").arg(placeholders));
        for (qsizetype from = 0; from < ids.size(); from += IdsPerStatement) {
            const auto bindChunk = [&](QSqlQuery &statement, int first) {
                for (int i = 0; i < IdsPerStatement; ++i)
                    statement.bindValue(first + i, ids.at(std::min(from + i, ids.size() - 1)));
            };
            if (sqlite && indexedUpTo > 0) {
                forget.bindValue(0, indexedUpTo);
                bindChunk(forget, 1);
                if (!forget.exec())
                    return Status::failure(
                        QStringLiteral("cannot remove rows from the search index: %1")
                            .arg(m_store.error(forget)));
            }
            bindChunk(forgetAttempts, 0);
            bindChunk(forgetDeliveries, 0);
            if (!forgetAttempts.exec())
                return Status::failure(m_store.error(forgetAttempts));
            if (!forgetDeliveries.exec())
                return Status::failure(m_store.error(forgetDeliveries));
            bindChunk(remove, 0);
            if (!remove.exec())
                return Status::failure(m_store.error(remove));
            removed += remove.numRowsAffected();
        }
        return {};
    });
    if (!status)
        return Result<qint64>::failure(status.error());
    return removed;
}

// Deletes the rows whose ids the query selects; the query bounds how many.
Result<qint64> Retention::deleteSelected(const QString &selectIds, const QVariantList &binds)
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!execWith(query, selectIds, binds))
        return Result<qint64>::failure(m_store.error(query));
    QList<qint64> ids;
    while (query.next())
        ids.append(query.value(0).toLongLong());
    query.finish();
    return ids.isEmpty() ? Result<qint64>(qint64(0)) : deleteIds(ids);
}

Result<qint64> Retention::deleteRequests(const QList<qint64> &ids)
{
    qint64 removed = 0;
    for (qsizetype from = 0; from < ids.size(); from += DeleteChunk) {
        const Result<qint64> chunk = deleteIds(ids.mid(from, DeleteChunk));
        if (!chunk)
            return chunk;
        removed += *chunk;
    }
    return removed;
}

Result<qint64> Retention::deleteRequests(const RequestFilter &filter)
{
    qint64 removed = 0;
    RequestFilter rest = filter;
    for (;;) {
        // Newest first, a chunk at a time; the next pass goes on below the last id of this one
        // rather than reading again past the rows this one left (those that do not match).
        const Result<QList<qint64>> ids = m_store.queries().pageIds(rest, DeleteChunk);
        if (!ids)
            return Result<qint64>::failure(ids.error());
        if (ids->isEmpty())
            return removed;
        const Result<qint64> chunk = deleteIds(*ids);
        if (!chunk)
            return chunk;
        removed += *chunk;
        rest.beforeId = ids->constLast();
    }
}

namespace {
// Requests received before this time are past a retention of `days` days.
qint64 ageCutoff(int days)
{
    return currentMicros() - qint64(days) * 24 * 3600 * 1000000;
}
} // namespace

Result<qint64> Retention::countRemovable(int days, qint64 keepCount)
{
    if (days <= 0 && keepCount <= 0)
        return qint64(0);
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    // The same rule as apply(): the age limit first, then the count limit on what is left.
    if (!execWith(query,
            QStringLiteral("SELECT COUNT(*), COUNT(CASE WHEN received_at < ? THEN 1 END) "
                           "FROM requests"),
            { days > 0 ? ageCutoff(days) : qint64(0) }) // no request is that old
        || !query.next())
        return Result<qint64>::failure(m_store.error(query));
    const qint64 total = query.value(0).toLongLong();
    const qint64 byAge = query.value(1).toLongLong();
    const qint64 byCount = keepCount > 0 ? std::max<qint64>(0, total - byAge - keepCount) : 0;
    return byAge + byCount;
}

Result<RetentionResult> Retention::apply(int days, qint64 keepCount)
{
    RetentionResult result;
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (days > 0) {
        const qint64 cutoff = ageCutoff(days);
        for (;;) {
            const Result<qint64> removed = deleteSelected(
                QStringLiteral("SELECT id FROM requests WHERE received_at < ? AND %1 "
                               "ORDER BY received_at LIMIT ?")
                    .arg(NotAwaitingDelivery),
                { cutoff, DeleteChunk });
            if (!removed)
                return Result<RetentionResult>::failure(removed.error());
            result.removedByAge += *removed;
            if (*removed < DeleteChunk)
                break;
        }
    }
    if (keepCount > 0) {
        if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM requests")) || !query.next())
            return Result<RetentionResult>::failure(m_store.error(query));
        qint64 excess = query.value(0).toLongLong() - keepCount;
        query.finish();
        // The oldest rows go first; rows arriving meanwhile are newer and stay.
        while (excess > 0) {
            const Result<qint64> removed
                = deleteSelected(QStringLiteral("SELECT id FROM requests WHERE %1 ORDER BY id "
                                                "LIMIT ?")
                                     .arg(NotAwaitingDelivery),
                    { std::min<qint64>(excess, DeleteChunk) });
            if (!removed)
                return Result<RetentionResult>::failure(removed.error());
            if (*removed == 0)
                break;
            result.removedByCount += *removed;
            excess -= *removed;
        }
    }
    return result;
}

} // namespace Hooktrail
