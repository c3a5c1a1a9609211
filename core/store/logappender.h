// Appending to the request log: the batch insert (SQLite's through its C API) and key use.
#pragma once

#include "core/base/result.h"
#include "core/model/loggedrequest.h"

#include <QHash>
#include <functional>
#include <memory>

class QSqlQuery;

namespace Hooktrail {

class Store;

class LogAppender final
{
    Q_DISABLE_COPY_MOVE(LogAppender)
public:
    explicit LogAppender(Store &store);
    ~LogAppender();

    // Appends the batch in one transaction, setting each entry's id; records key use.
    // alsoInTransaction, when given, runs in the same transaction after the rows went in.
    Status append(
        QList<LoggedRequest> &batch, const std::function<Status()> &alsoInTransaction = {});

    // Copying another store's log in (hooktrail migrate): requests go in with progress under
    // `source` (the last source id copied), in the same transaction, so a copy interrupted or
    // run again resumes after it and duplicates nothing.
    Result<qint64> importedUpTo(const QString &source);
    Status importRequests(QList<LoggedRequest> &batch, const QString &source, qint64 upTo);

    // Drops the prepared statements (before the connection closes, or after one failed).
    void forgetStatements();

private:
    struct SqliteInsert;
    Status appendSqlite(QList<LoggedRequest> &batch, QHash<qint64, qint64> &keyUse);
    Status appendPortable(QList<LoggedRequest> &batch, QHash<qint64, qint64> &keyUse);

    Store &m_store;
    std::unique_ptr<SqliteInsert> m_sqliteInsert;
    std::unique_ptr<QSqlQuery> m_insertRequest;
    qsizetype m_insertRows = 0; // rows m_insertRequest inserts
    std::unique_ptr<QSqlQuery> m_touchKey;
};

} // namespace Hooktrail
