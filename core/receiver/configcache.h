// The receivers' view of webhooks and keys: a snapshot rebuilt when the store's config
// generation moves, whether the change came from this process or another.
#pragma once

#include "core/base/result.h"
#include "core/receiver/admission.h"

#include <QObject>
#include <QThread>
#include <functional>
#include <memory>
#include <mutex>

class QTimer;

namespace Hooktrail {

class Store;

class ConfigCache final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigCache)
public:
    using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;
    // pollMs: how often another process's changes are looked for.
    explicit ConfigCache(StoreFactory factory, int pollMs = 200);
    ~ConfigCache() override;

    // Loads the first snapshot on the calling thread, then follows changes on a thread of its own.
    Status start();
    void stop();

    // Thread-safe, cheap.
    std::shared_ptr<const ConfigSnapshot> current() const;

    // Re-reads now and returns once the new snapshot is in place (after a change made here).
    void refresh();

signals:
    void changed();

private:
    void poll();
    void listen();
    static constexpr int ListeningPollMs = 2000;
    Status load(bool force);

    StoreFactory m_factory;
    int m_pollMs;
    QThread m_thread;
    std::unique_ptr<Store> m_store; // used on m_thread only, after start()
    QTimer *m_timer = nullptr;
    mutable std::mutex m_mutex;
    std::shared_ptr<const ConfigSnapshot> m_snapshot;
    QAtomicInteger<qint64> m_generation = -1;
};

} // namespace Hooktrail
