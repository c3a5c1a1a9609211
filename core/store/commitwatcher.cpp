// Tells when rows may have been committed to the request log (ARCHITECTURE §5.7).
#include "core/store/commitwatcher.h"

#include "core/store/store.h"

#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

namespace Hooktrail {

CommitWatcher::CommitWatcher(Store &store, QObject *parent)
    : QObject(parent), m_file(store.databaseFile()), m_coalesce(new QTimer(this))
{
    m_coalesce->setSingleShot(true);
    m_coalesce->setInterval(0);
    connect(m_coalesce, &QTimer::timeout, this, &CommitWatcher::changed);
    const auto look = [this] {
        if (!m_coalesce->isActive())
            m_coalesce->start();
    };
    if (store.followLogCommits(this, look))
        return;
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this, look] {
        watchFiles(); // a file removed and made again (the WAL) loses its watch
        look();
    });
    // The directory tells when the write-ahead log appears.
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this, look] {
        watchFiles();
        look();
    });
    watchFiles();
    auto *safetyNet = new QTimer(this);
    connect(safetyNet, &QTimer::timeout, this, look);
    safetyNet->start(SafetyNetMs);
}

void CommitWatcher::watchFiles()
{
    QStringList wanted { QFileInfo(m_file).absolutePath() };
    for (const QString &file : { m_file, m_file + QStringLiteral("-wal") }) {
        if (QFileInfo::exists(file))
            wanted.append(file);
    }
    const QStringList watched = m_watcher->files() + m_watcher->directories();
    for (const QString &path : wanted) {
        if (!watched.contains(path))
            m_watcher->addPath(path);
    }
}

} // namespace Hooktrail
