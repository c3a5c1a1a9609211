// Delivers accepted requests to their webhook's destinations (ARCHITECTURE §5.5): claims due
// deliveries from the outbox, sends each as it was received, records every attempt, retries
// with backoff, and opens a destination's circuit breaker after failures in a row. Runs on a
// thread of its own with its own store connection: it never holds up ingest.
#pragma once

#include "core/base/result.h"
#include "core/model/destination.h"

#include <QAtomicInteger>
#include <QObject>
#include <QThread>
#include <chrono>
#include <functional>
#include <memory>

namespace Hooktrail {

class Store;

struct DeliveryOptions
{
    QString owner; // who holds a claim: empty for this process's own name (host, pid, start)
    int concurrencyPerDestination = 8;
    // Backoff with full jitter: before attempt n (2 for the first retry), a random time in
    // [0, min(cap, base * 2^(n-2))], at least `minimumDelay`; or what the destination's
    // Retry-After asks (up to the cap).
    std::chrono::milliseconds backoffBase = std::chrono::seconds(1);
    std::chrono::milliseconds backoffCap = std::chrono::hours(1);
    std::chrono::milliseconds minimumDelay = std::chrono::milliseconds(100);
    int breakerFailures = 10; // failures in a row that pause a destination by itself
    std::chrono::milliseconds probeInterval = std::chrono::seconds(30);
    // A claim outlives the attempt's timeout by this much before another deliverer may take it.
    std::chrono::milliseconds leaseSlack = std::chrono::seconds(5);
    // How often the outbox is looked at without being told (other processes' work, redeliver
    // from the command line).
    std::chrono::milliseconds pollInterval = std::chrono::seconds(1);
    // Ingest first: while this says the receiver is taking requests faster than it commits them
    // one by one (LogWriter::isBusy), each destination has one delivery in flight at a time and
    // a pause of busyPause between them; thread-safe. None: always at full speed.
    std::function<bool()> ingestBusy;
    std::chrono::milliseconds busyPause = std::chrono::milliseconds(20);
};

class DeliveryWorker;

// Attempts recorded since the deliverer was made, by what they ended in (the metrics).
struct DeliveryCounters
{
    QAtomicInteger<qint64> delivered = 0;
    QAtomicInteger<qint64> retrying = 0; // failed, another attempt planned
    QAtomicInteger<qint64> failed = 0; // failed for good
};

class Deliverer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Deliverer)
public:
    using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;
    explicit Deliverer(
        StoreFactory factory, DeliveryOptions options = {}, QObject *parent = nullptr);
    ~Deliverer() override;

    void start();
    // Records the attempts that ended, gives up those on their way (unrecorded: their
    // deliveries are made again, at least once is kept) and hands back this owner's claims;
    // what is pending stays in the outbox for the next start.
    void stop();
    bool isRunning() const { return m_thread.isRunning(); }
    // Thread-safe: look at the outbox now (new deliveries were written).
    void wake();

    QString owner() const { return m_owner; }
    // Thread-safe.
    const DeliveryCounters &counters() const { return *m_counters; }
    // This process's owner name: host, pid and start time.
    static QString processOwner();

    // The delay before attempt `nextAttempt` (2 for the first retry) by the options above;
    // retryAfterMs < 0 when the destination asked for none.
    static std::chrono::milliseconds backoff(
        const DeliveryOptions &options, int nextAttempt, qint64 retryAfterMs);
    // A Retry-After value (seconds, or an HTTP date) in milliseconds from nowMicros; -1 when
    // absent or unreadable.
    static qint64 retryAfterMs(QByteArrayView value, qint64 nowMicros);

signals:
    // After each batch of attempts is recorded (queued to the receiver's thread): the console
    // refreshes what it shows of deliveries.
    void attemptsRecorded(const QList<qint64> &requestIds);
    void destinationHealthChanged(const QString &destinationId);

private:
    StoreFactory m_factory;
    DeliveryOptions m_options;
    QString m_owner;
    QThread m_thread;
    DeliveryWorker *m_worker = nullptr; // lives on m_thread
    std::shared_ptr<DeliveryCounters> m_counters = std::make_shared<DeliveryCounters>();
};

} // namespace Hooktrail
