// The full-text search index, filled behind the log rather than by it (SQLite's FTS5).
#include "core/store/searchindex.h"

#include "core/store/store.h"
#include "core/store/storesql.h"

#include <QSqlQuery>

namespace Hooktrail {

Result<qint64> SearchIndex::indexPending(int maxRows)
{
    if (m_store.dialect().kind() != SqlDialect::Kind::Sqlite || maxRows <= 0)
        return qint64(0);
    // A cheap look first: this runs every half second and usually finds nothing to do.
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
            "SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_id'), "
            "(SELECT MAX(id) FROM requests)"))
        || !query.next())
        return Result<qint64>::failure(m_store.error(query));
    if (query.value(1).isNull() || query.value(1).toLongLong() <= query.value(0).toLongLong())
        return qint64(0);
    query.finish();
    qint64 indexed = 0;
    // The index can always be rebuilt from the log, and in WAL a commit that misses the disk
    // rolls back whole (entries and the indexed id together): it needs no fsync of its own.
    m_store.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
    const Status status = m_store.immediateTransaction([&]() -> Status {
        QSqlQuery step(m_store.database());
        step.setForwardOnly(true);
        if (!step.exec(QStringLiteral(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_id'")))
            return Status::failure(m_store.error(step));
        const qint64 from = step.next() ? step.value(0).toLongLong() : 0;
        step.finish();
        // Ids grow with each commit and this transaction holds the write lock, so every row
        // at or below `upTo` is here now and no later row can get an id at or below it.
        step.prepare(QStringLiteral(
            "SELECT MAX(id) FROM (SELECT id FROM requests WHERE id > ? ORDER BY id LIMIT ?)"));
        step.addBindValue(from);
        step.addBindValue(maxRows);
        if (!step.exec() || !step.next())
            return Status::failure(m_store.error(step));
        if (step.value(0).isNull())
            return {};
        const qint64 upTo = step.value(0).toLongLong();
        step.finish();
        step.prepare(QStringLiteral(
            "INSERT INTO requests_fts (rowid, headers, body) SELECT id, %1 FROM requests "
            "WHERE id > ? AND id <= ?")
                         .arg(SearchColumns));
        step.addBindValue(from);
        step.addBindValue(upTo);
        if (!step.exec())
            return Status::failure(
                QStringLiteral("cannot index the log for search: %1").arg(m_store.error(step)));
        indexed = step.numRowsAffected();
        step.prepare(QStringLiteral("UPDATE meta SET value = ? WHERE key = 'search_indexed_id'"));
        step.addBindValue(QString::number(upTo));
        if (!step.exec())
            return Status::failure(m_store.error(step));
        return {};
    });
    m_store.exec(QStringLiteral("PRAGMA synchronous = FULL"));
    if (!status)
        return Result<qint64>::failure(status.error());
    return indexed;
}

Result<qint64> SearchIndex::indexedUpTo()
{
    if (m_store.dialect().kind() != SqlDialect::Kind::Sqlite)
        return m_store.queries().newestRequestId();
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_id'")))
        return Result<qint64>::failure(m_store.error(query));
    return query.next() ? query.value(0).toLongLong() : 0;
}

} // namespace Hooktrail
