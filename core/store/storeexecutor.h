// Runs store work on a thread of its own and hands results back to the caller's thread, so
// the console's GUI thread never waits on the database.
#pragma once

#include "core/base/result.h"

#include <QObject>
#include <QPointer>
#include <QThread>
#include <functional>
#include <memory>
#include <type_traits>

namespace Hooktrail {

class Store;

template<typename T> struct IsStoreOutcome : std::false_type
{
};
template<typename T> struct IsStoreOutcome<Result<T>> : std::true_type
{
};
template<> struct IsStoreOutcome<Status> : std::true_type
{
};

class StoreExecutor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreExecutor)
public:
    using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;
    explicit StoreExecutor(StoreFactory factory, QObject *parent = nullptr);
    ~StoreExecutor() override; // finishes the queued work first

    // Called on the store thread after every write, e.g. to make the receiver reload its config.
    void setAfterWrite(std::function<void()> hook) { m_afterWrite = std::move(hook); }

    // Runs work(Store &) on the store thread, then done(result) on context's thread, unless
    // context is gone. Work returns a Result<T> or a Status; when the database cannot be opened
    // work is not called and done receives a failure that says why, worded for the user.
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

signals:
    void written(); // on the executor's owner thread, after a write's done() was queued
    // Rows were committed to the log, by this process or another (PostgreSQL tells; SQLite
    // does not, and its readers poll).
    void logCommitted();

private:
    template<typename Work, typename Done>
    void post(QObject *context, Work work, Done done, bool isWrite)
    {
        using Outcome = std::invoke_result_t<Work &, Store &>;
        static_assert(IsStoreOutcome<Outcome>::value, "store work returns a Result<T> or a Status");
        QPointer<QObject> guard(context);
        QMetaObject::invokeMethod(
            m_worker,
            [this, guard, isWrite, work = std::move(work), done = std::move(done)]() mutable {
                Store *store = storeOnThread();
                Outcome result = store ? work(*store) : Outcome::failure(m_openError);
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
    QString m_openError; // used on m_thread only: why m_store is null
};

} // namespace Hooktrail
