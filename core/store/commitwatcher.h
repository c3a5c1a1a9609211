// Tells when rows may have been committed to the request log by any process: PostgreSQL says
// so (LISTEN/NOTIFY); for a SQLite file, a change to the file or its write-ahead log is the
// sign (inotify through QFileSystemWatcher), with a slow look as a safety net for changes the
// watcher cannot see (a file replaced, a watch limit reached). For `log --follow` and the
// local API's waits and streams (ARCHITECTURE §5.7).
#pragma once

#include <QObject>

class QFileSystemWatcher;
class QTimer;

namespace Hooktrail {

class Store;

class CommitWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommitWatcher)
public:
    // Follows the database `store` is connected to; store is used on this thread only, and
    // must outlive the watcher.
    explicit CommitWatcher(Store &store, QObject *parent = nullptr);

    static constexpr int SafetyNetMs = 5000;

signals:
    // Perhaps new rows: look (several changes close together come as one).
    void changed();

private:
    void watchFiles();

    QString m_file; // SQLite only
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_coalesce;
};

} // namespace Hooktrail
