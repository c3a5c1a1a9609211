// The running parts of Hooktrail without a window: the config cache, the log writer and the
// receiver, started and stopped together. `hooktrail serve` and the console both use it.
#include "core/receiver/engine.h"

#include "core/delivery/deliverer.h"
#include "core/receiver/configcache.h"
#include "core/receiver/receiver.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"

namespace Hooktrail {

Engine::StoreFactory Engine::sqliteFactory(const QString &databasePath)
{
    return factoryFor(databasePath);
}

Engine::StoreFactory Engine::factoryFor(const QString &location)
{
    return [location] { return Store::open(location); };
}

Engine::Engine(StoreFactory factory, QObject *parent)
    : QObject(parent), m_factory(std::move(factory))
{ }

Engine::~Engine()
{
    close();
}

Status Engine::open()
{
    if (const Result<std::unique_ptr<Store>> opened = m_factory(); !opened)
        return Status::failure(opened.error());
    m_config = std::make_unique<ConfigCache>(m_factory);
    if (const Status started = m_config->start(); !started) {
        m_config.reset();
        return started;
    }
    m_writer = std::make_unique<LogWriter>(m_factory);
    // Queued: the writer emits on its housekeeping thread; the figures live on this one.
    connect(
        m_writer.get(), &LogWriter::retentionRan, this,
        [this](const QDateTime &at, qint64 removed) {
            m_lastRetentionRun = at;
            m_lastRetentionRemoved = removed;
            emit retentionRan(at, removed);
        },
        Qt::QueuedConnection);
    applyRetentionSettings();
    m_writer->setKeepFree(m_keepFreeBytes);
    m_writer->start();
    m_receiver = std::make_unique<Receiver>(m_writer.get(), m_config.get());
    // Deliveries written with a commit are looked at at once; the deliverer also polls, for
    // other processes' receivers and redeliveries.
    DeliveryOptions delivery = m_deliveryOptions;
    if (!delivery.ingestBusy) // ingest first: see DeliveryOptions::ingestBusy
        delivery.ingestBusy = [writer = m_writer.get()] { return writer->isBusy(); };
    m_deliverer = std::make_unique<Deliverer>(m_factory, delivery);
    connect(m_writer.get(), &LogWriter::deliveriesQueued, m_deliverer.get(), &Deliverer::wake,
        Qt::DirectConnection);
    m_deliverer->start();
    return {};
}

Status Engine::startReceiver(ReceiverOptions options)
{
    if (!m_receiver)
        return Status::failure(QStringLiteral("the engine is not open"));
    return m_receiver->start(options); // an empty instance becomes host:port
}

void Engine::setRetention(int days, qint64 count, std::chrono::milliseconds interval)
{
    if (days == m_retentionDays && count == m_retentionCount && interval == m_retentionInterval)
        return; // unchanged: keep the schedule rather than run again now
    m_retentionDays = days;
    m_retentionCount = count;
    m_retentionInterval = interval;
    applyRetentionSettings();
}

void Engine::setKeepFree(qint64 bytes)
{
    m_keepFreeBytes = bytes;
    if (m_writer)
        m_writer->setKeepFree(bytes);
}

void Engine::applyRetentionSettings()
{
    if (m_writer)
        m_writer->setRetention(m_retentionDays, m_retentionCount, m_retentionInterval);
}

void Engine::stopReceiver()
{
    if (m_receiver)
        m_receiver->stop();
}

void Engine::close()
{
    // Order matters: stop taking requests, then write what is queued, then stop following config.
    if (m_receiver)
        m_receiver->stop();
    if (m_writer) {
        m_writer->stop();
        m_writer->wait();
    }
    m_receiver.reset();
    // After the writer: the deliveries of the last rows are in the outbox for the next start.
    // The writer object outlives the deliverer, which asks it whether ingest is busy.
    if (m_deliverer)
        m_deliverer->stop();
    m_deliverer.reset();
    m_writer.reset();
    if (m_config)
        m_config->stop();
    m_config.reset();
}

} // namespace Hooktrail
