// The running parts of Hooktrail without a window: the config cache, the log writer and the
// receiver, started and stopped together. `hooktrail serve` and the console both use it.
#pragma once

#include "core/base/result.h"
#include "core/delivery/deliverer.h"
#include "core/receiver/receiveroptions.h"

#include <QDateTime>
#include <QObject>
#include <chrono>
#include <functional>
#include <memory>

namespace Hooktrail {

class ConfigCache;
class LogWriter;
class Receiver;
class Store;

class Engine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)
public:
    using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;
    static StoreFactory sqliteFactory(const QString &databasePath);
    // A SQLite file or a postgresql:// URL (Store::open).
    static StoreFactory factoryFor(const QString &location);

    explicit Engine(StoreFactory factory, QObject *parent = nullptr);
    ~Engine() override;

    // Opens the store (creating the schema), then starts following config and writing the log.
    Status open();
    // (Re)starts the receiver; the log and config keep running if it cannot listen.
    Status startReceiver(ReceiverOptions options);
    void stopReceiver();
    void close();

    // Retention (ARCHITECTURE §5.3) runs on the log writer's housekeeping thread: at once, then
    // every `interval`. Days and count 0 keep everything. Remembered across open()/close().
    void setRetention(
        int days, qint64 count, std::chrono::milliseconds interval = std::chrono::minutes(10));
    // Below this much free space on the SQLite file's disk the log takes no rows and requests
    // are answered 503 storage_unavailable (LogWriter::setKeepFree); 0: no floor. Remembered
    // across open()/close().
    void setKeepFree(qint64 bytes);
    // How the deliverer retries and how many it sends at once; before open().
    void setDeliveryOptions(DeliveryOptions options) { m_deliveryOptions = std::move(options); }
    QDateTime lastRetentionRun() const { return m_lastRetentionRun; } // invalid until it ran
    qint64 lastRetentionRemoved() const { return m_lastRetentionRemoved; }

    ConfigCache *config() const { return m_config.get(); }
    LogWriter *writer() const { return m_writer.get(); }
    Receiver *receiver() const { return m_receiver.get(); }
    // Delivers accepted requests to destinations while the engine is open (ARCHITECTURE §5.5).
    Deliverer *deliverer() const { return m_deliverer.get(); }
    const StoreFactory &storeFactory() const { return m_factory; }

signals:
    void retentionRan(const QDateTime &at, qint64 removed);

private:
    void applyRetentionSettings();

    StoreFactory m_factory;
    int m_retentionDays = 0;
    qint64 m_retentionCount = 0;
    std::chrono::milliseconds m_retentionInterval = std::chrono::minutes(10);
    qint64 m_keepFreeBytes = 0;
    DeliveryOptions m_deliveryOptions;
    QDateTime m_lastRetentionRun;
    qint64 m_lastRetentionRemoved = 0;
    std::unique_ptr<ConfigCache> m_config;
    std::unique_ptr<LogWriter> m_writer;
    std::unique_ptr<Receiver> m_receiver;
    std::unique_ptr<Deliverer> m_deliverer;
};

} // namespace Hooktrail
