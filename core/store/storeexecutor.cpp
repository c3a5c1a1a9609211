// Runs store work on a thread of its own and hands results back to the caller's thread, so
// the console's GUI thread never waits on the database.
#include "core/store/storeexecutor.h"

#include "core/base/logging.h"
#include "core/store/store.h"

#include <QMutexLocker>

namespace Hooktrail {

StoreExecutor::StoreExecutor(StoreFactory factory, QObject *parent)
    : QObject(parent), m_factory(std::move(factory)), m_worker(new QObject)
{
    m_thread.setObjectName(QStringLiteral("hooktrail-store"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

StoreExecutor::~StoreExecutor()
{
    // Blocking, so every piece of work queued before it has run.
    QMetaObject::invokeMethod(
        m_worker, [this] { m_store.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

Store *StoreExecutor::storeOnThread()
{
    if (!m_store) {
        QString error;
        m_store = m_factory(&error);
        QMutexLocker lock(&m_errorMutex);
        m_lastError = error;
        if (!m_store)
            qCWarning(lcStore) << "cannot open the database:" << error;
        else
            m_store->followLogCommits(m_worker, [this] {
                QMetaObject::invokeMethod(this, &StoreExecutor::logCommitted, Qt::QueuedConnection);
            });
    }
    return m_store.get();
}

void StoreExecutor::waitForIdle()
{
    if (QThread::currentThread() == &m_thread)
        return;
    QMetaObject::invokeMethod(
        m_worker, [] {}, Qt::BlockingQueuedConnection);
}

QString StoreExecutor::lastError() const
{
    QMutexLocker lock(&m_errorMutex);
    return m_lastError;
}

} // namespace Hooktrail
