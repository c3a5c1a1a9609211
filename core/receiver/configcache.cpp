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

bool ConfigCache::start(QString *error)
{
    {
        // The first load happens here so the receiver never starts with an empty view.
        std::unique_ptr<Store> store = m_factory(error);
        if (!store)
            return false;
        std::swap(m_store, store);
        if (!load(true, error))
            return false;
        m_store.reset();
    }
    moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(this, [this] {
        QString openError;
        m_store = m_factory(&openError);
        if (!m_store)
            qCWarning(lcConfig) << "cannot follow configuration changes:" << openError;
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &ConfigCache::poll);
        m_timer->start(m_pollMs);
        listen();
    });
    return true;
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
        QString error;
        if (!m_thread.isRunning()) {
            // Not following yet: read with a short-lived connection of the caller's thread.
            std::unique_ptr<Store> saved = std::move(m_store);
            m_store = m_factory(&error);
            if (m_store)
                load(true, &error);
            m_store = std::move(saved);
        } else {
            load(true, &error);
        }
        return;
    }
    QMetaObject::invokeMethod(
        this,
        [this] {
            QString error;
            if (!load(true, &error))
                qCWarning(lcConfig) << "cannot reload the configuration:" << error;
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
    QString error;
    if (!load(false, &error))
        qCWarning(lcConfig) << "cannot reload the configuration:" << error;
}

bool ConfigCache::load(bool force, QString *error)
{
    if (!m_store) {
        m_store = m_factory(error);
        if (!m_store)
            return false;
        if (m_timer && QThread::currentThread() == &m_thread)
            listen(); // a new connection listens again
    }
    const Result<qint64> generation = m_store->config().generation();
    if (!generation) {
        *error = generation.error();
        m_store.reset();
        return false;
    }
    if (!force && *generation == m_generation.loadAcquire())
        return true;
    const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
    const Result<QList<ApiKey>> keys = m_store->config().keys();
    if (!webhooks || !keys) {
        *error = webhooks ? keys.error() : webhooks.error();
        m_store.reset();
        return false;
    }
    auto snapshot = ConfigSnapshot::build(*webhooks, *keys, *generation);
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
    return true;
}

} // namespace Hooktrail
