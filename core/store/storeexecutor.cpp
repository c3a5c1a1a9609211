// Runs store work on a thread of its own and hands results back to the caller's thread, so
// the console's GUI thread never waits on the database.
#include "core/store/storeexecutor.h"

#include "core/base/logging.h"
#include "core/store/store.h"

#include <QCoreApplication>

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
        Result<std::unique_ptr<Store>> opened = m_factory();
        if (!opened) {
            qCWarning(lcStore) << "cannot open the database:" << opened.error();
            m_openError = QCoreApplication::translate(
                "Hooktrail::StoreExecutor", "The database cannot be opened: %1")
                              .arg(opened.error());
            return nullptr;
        }
        m_store = std::move(opened).value();
        m_openError.clear();
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

} // namespace Hooktrail
