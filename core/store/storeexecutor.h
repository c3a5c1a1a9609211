// Runs store work on a thread of its own and hands results back to the caller's thread, so
// the console's GUI thread never waits on the database.
#pragma once

#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <functional>
#include <memory>

namespace Hooktrail {

class Store;

class StoreExecutor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreExecutor)
public:
    using StoreFactory = std::function<std::unique_ptr<Store>(QString *error)>;
    explicit StoreExecutor(StoreFactory factory, QObject *parent = nullptr);
    ~StoreExecutor() override; // finishes the queued work first

    // Called on the store thread after every write, e.g. to make the receiver reload its config.
    void setAfterWrite(std::function<void()> hook) { m_afterWrite = std::move(hook); }

    // Runs work(store) on the store thread (store is null when the database cannot be opened;
    // the reason is in lastError()), then done(result) on context's thread, unless context is gone.
    template<typename Work, typename Done> void read(QObject *context, Work work, Done done)
    {
        post(context, std::move(work), std::move(done), false);
    }
    // The same, for work that changes webhooks, keys or the log: emits written() afterwards.
    template<typename Work, typename Done> void write(QObject *context, Work work, Done done)
    {
        post(context, std::move(work), std::move(done), true);
    }

    // Blocks until everything queued so far has run (tests, shutdown).
    void waitForIdle();
    QString lastError() const;

signals:
    void written(); // on the executor's owner thread, after a write's done() was queued
    // Rows were committed to the log, by this process or another (PostgreSQL tells; SQLite
    // does not, and its readers poll).
    void logCommitted();

private:
    template<typename Work, typename Done>
    void post(QObject *context, Work work, Done done, bool isWrite)
    {
        QPointer<QObject> guard(context);
        QMetaObject::invokeMethod(
            m_worker,
            [this, guard, isWrite, work = std::move(work), done = std::move(done)]() mutable {
                auto result = work(storeOnThread());
                if (isWrite && m_afterWrite)
                    m_afterWrite();
                if (guard)
                    QMetaObject::invokeMethod(
                        guard,
                        [done = std::move(done), result = std::move(result)]() mutable {
                            done(std::move(result));
                        },
                        Qt::QueuedConnection);
                if (isWrite)
                    QMetaObject::invokeMethod(this, &StoreExecutor::written, Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }
    Store *storeOnThread();

    StoreFactory m_factory;
    std::function<void()> m_afterWrite;
    QThread m_thread;
    QObject *m_worker; // lives on m_thread; owns nothing but gives it an event loop target
    std::unique_ptr<Store> m_store; // used on m_thread only
    mutable QMutex m_errorMutex;
    QString m_lastError;
};

} // namespace Hooktrail
