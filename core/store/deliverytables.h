// Destinations and the delivery outbox (ARCHITECTURE §5.5): the destinations of each webhook,
// the delivery jobs written in the log's own transaction, their attempts, and the claims that
// let several deliverers share them.
#pragma once

#include "core/base/result.h"
#include "core/model/destination.h"
#include "core/model/requestfilter.h"

#include <QHash>
#include <memory>
#include <optional>

class QSqlQuery;

namespace Hooktrail {

class Store;

// What a deliverer claimed: one attempt to make, with everything needed to make it.
struct DeliveryJob
{
    qint64 deliveryId = 0;
    int attempt = 0; // the number of the attempt to make (1 for the first)
    qint64 createdMicros = 0; // when the delivery was written (or scheduled again): its age
    LoggedRequest request; // with its body
    Destination destination;
};

// How a finished attempt leaves its delivery.
struct DeliveryOutcome
{
    DeliveryState state = DeliveryState::Delivered; // Delivered, Retrying or Failed
    qint64 nextAttemptMicros = 0; // Retrying: when
    QString error; // Failed: why it gave up, when not the attempt's own error
};

// The circuit breaker's settings, given by the deliverer.
struct BreakerPolicy
{
    int failuresToOpen = 10;
    qint64 probeIntervalMicros = 30LL * 1000000;
};

class DeliveryTables final
{
    Q_DISABLE_COPY_MOVE(DeliveryTables)
public:
    explicit DeliveryTables(Store &store);
    ~DeliveryTables();

    // Destinations, in the order they were added. Every change moves the configuration
    // generation (receivers follow which webhooks forward).
    Result<QList<Destination>> destinations(const QString &webhookId = {});
    Result<std::optional<Destination>> destination(const QString &id);
    // Validates (every problem in the message, one per line), sets the id and the timestamps;
    // the webhook must exist. An empty name becomes the URL's host.
    Result<Destination> addDestination(Destination destination);
    // Its settings; its health is the deliverers'.
    Status updateDestination(const Destination &destination);
    // Pause (false) or resume (true). Resuming also closes an open circuit breaker.
    Status setDestinationEnabled(const QString &id, bool enabled);
    // With its deliveries and their attempts.
    Status removeDestination(const QString &id);
    // Every destination of the webhook, with their deliveries, inside the caller's transaction
    // (the webhook is being deleted).
    Status removeDestinationsOf(const QString &webhookId);

    // The outbox. Inside the log's transaction: one pending delivery per destination of the
    // request's webhook for every accepted request with an id in [firstId, lastId]. Returns how
    // many were written.
    Result<qint64> enqueueAccepted(qint64 firstId, qint64 lastId);

    // Each accepted request's delivery to each destination of its webhook (only destinationId
    // when given) is made pending again, due now; one is created where there was none. Returns
    // the deliveries scheduled.
    Result<qint64> redeliver(const QList<qint64> &requestIds, const QString &destinationId = {});
    // The same for every request the filter matches (its limit ignored), a chunk at a time.
    Result<qint64> redeliver(const RequestFilter &filter, const QString &destinationId = {});

    // The deliverers'. Destinations with deliveries due at `nowMicros`: enabled, and with the
    // circuit breaker closed or its probe due.
    Result<QStringList> destinationsDue(qint64 nowMicros);
    // Up to `max` due deliveries of the destination, leased to `owner` for the destination's
    // timeout and leaseMicros more (FOR UPDATE SKIP LOCKED on PostgreSQL: each to one claimer).
    // With the breaker open only one is claimed, the probe, and the next probe is moved on.
    Result<QList<DeliveryJob>> claim(const QString &destinationId, const QString &owner, int max,
        qint64 nowMicros, qint64 leaseMicros, const BreakerPolicy &breaker);
    // The attempt, its delivery's new state and the destination's health (the breaker opening
    // after failuresToOpen failures in a row), in one transaction for many.
    struct Finished
    {
        DeliveryJob job;
        DeliveryAttempt attempt;
        DeliveryOutcome outcome;
    };
    Status record(const QList<Finished> &finished, const BreakerPolicy &breaker);
    // Deliveries whose request is older than their destination's maximum age are failed.
    Result<qint64> expire(qint64 nowMicros);
    // Leases held by owners that are gone (a receiver killed on this machine) end now.
    Status releaseLeases(const QStringList &owners);
    Result<QStringList> leaseOwners();
    // When the next delivery not due yet at nowMicros will be (0: none), or the next probe of
    // an open circuit breaker, for the deliverer's timer.
    Result<qint64> nextDueMicros(qint64 nowMicros);

    // Reading: newest first.
    Result<QList<Delivery>> deliveries(const DeliveryFilter &filter);
    // A request's deliveries with every attempt (the detail pane's Deliveries tab).
    Result<QList<Delivery>> forRequest(qint64 requestId);
    // Each named request's deliveries together (the highest of their states, as the log's rows
    // carry it); requests without a delivery are left out.
    Result<QHash<qint64, DeliveryState>> states(const QList<qint64> &requestIds);
    // Deliveries not ended yet (pending or retrying), of one destination or all.
    Result<qint64> unfinishedCount(const QString &destinationId = {});

    // Drops the prepared statements (before the connection closes, or after one failed).
    void forgetStatements();

private:
    Result<QList<DeliveryAttempt>> attemptsOf(qint64 deliveryId);
    Status touchConfig();

    Store &m_store;
    std::unique_ptr<QSqlQuery> m_enqueue;
};

} // namespace Hooktrail
