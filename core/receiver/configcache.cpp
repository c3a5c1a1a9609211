// The receivers' view of webhooks and keys: a snapshot rebuilt when the store's config
// generation moves, whether the change came from this process or another.
#include "core/receiver/configcache.h"

#include "core/base/logging.h"
#include "core/store/store.h"

#include <QTimer>

namespace Hooktrail {

ConfigCache::ConfigCache(StoreFactory factory, int pollMs)
    : m_factory(std::move(factory))
    , m_pollMs(pollMs)
    , m_snapshot(std::make_shared<ConfigSnapshot>())
{
    m_thread.setObjectName(QStringLiteral("hooktrail-config"));
}

ConfigCache::~ConfigCache()
{
    stop();
}

Status ConfigCache::start()
{
    {
        // The first load happens here so the receiver never starts with an empty view.
        Result<std::unique_ptr<Store>> opened = m_factory();
        if (!opened)
            return Status::failure(opened.error());
        m_store = std::move(opened).value();
        if (Status loaded = load(true); !loaded)
            return loaded;
        m_store.reset();
    }
    moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(this, [this] {
        if (Result<std::unique_ptr<Store>> opened = m_factory())
            m_store = std::move(opened).value();
        else
            qCWarning(lcConfig) << "cannot follow configuration changes:" << opened.error();
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &ConfigCache::poll);
        m_timer->start(m_pollMs);
        listen();
    });
    return {};
}

void ConfigCache::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            delete m_timer;
            m_timer = nullptr;
            m_store.reset();
            moveToThread(m_thread.thread());
            m_thread.quit();
        },
        Qt::BlockingQueuedConnection);
    m_thread.wait();
}

std::shared_ptr<const ConfigSnapshot> ConfigCache::current() const
{
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

void ConfigCache::refresh()
{
    if (!m_thread.isRunning() || QThread::currentThread() == &m_thread) {
        if (!m_thread.isRunning()) {
            // Not following yet: read with a short-lived connection of the caller's thread.
            std::unique_ptr<Store> saved = std::move(m_store);
            if (Result<std::unique_ptr<Store>> opened = m_factory()) {
                m_store = std::move(opened).value();
                load(true);
            }
            m_store = std::move(saved);
        } else {
            load(true);
        }
        return;
    }
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (const Status loaded = load(true); !loaded)
                qCWarning(lcConfig) << "cannot reload the configuration:" << loaded.error();
        },
        Qt::BlockingQueuedConnection);
}

void ConfigCache::listen()
{
    // Told by the database (PostgreSQL's NOTIFY), polling is only the net under it, for a
    // notification lost with a dropped connection.
    if (m_store && m_store->followConfigChanges(this, [this] { poll(); }))
        m_timer->setInterval(std::max(m_pollMs, ListeningPollMs));
    else if (m_timer)
        m_timer->setInterval(m_pollMs);
}

void ConfigCache::poll()
{
    if (const Status loaded = load(false); !loaded)
        qCWarning(lcConfig) << "cannot reload the configuration:" << loaded.error();
}

Status ConfigCache::load(bool force)
{
    if (!m_store) {
        Result<std::unique_ptr<Store>> opened = m_factory();
        if (!opened)
            return Status::failure(opened.error());
        m_store = std::move(opened).value();
        if (m_timer && QThread::currentThread() == &m_thread)
            listen(); // a new connection listens again
    }
    const Result<qint64> generation = m_store->config().generation();
    if (!generation) {
        m_store.reset();
        return Status::failure(generation.error());
    }
    if (!force && *generation == m_generation.loadAcquire())
        return {};
    const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
    const Result<QList<ApiKey>> keys = m_store->config().keys();
    if (!webhooks || !keys) {
        m_store.reset();
        return Status::failure(webhooks ? keys.error() : webhooks.error());
    }
    const Result<QList<Destination>> destinations = m_store->deliveries().destinations();
    if (!destinations) {
        m_store.reset();
        return Status::failure(destinations.error());
    }
    QSet<QString> forwarding;
    for (const Destination &destination : *destinations)
        forwarding.insert(destination.webhookId);
    auto snapshot = ConfigSnapshot::build(*webhooks, *keys, *generation, forwarding);
    {
        std::lock_guard lock(m_mutex);
        m_snapshot = std::move(snapshot);
    }
    const bool moved = m_generation.fetchAndStoreRelease(*generation) != *generation;
    if (moved || force) {
        qCDebug(lcConfig) << "configuration generation" << *generation << ":" << webhooks->size()
                          << "webhooks," << keys->size() << "keys";
        emit changed();
    }
    return {};
}

} // namespace Hooktrail
