// Destinations and the delivery outbox (ARCHITECTURE §5.5).
#include "core/store/deliverytables.h"

#include "core/store/store.h"
#include "core/store/storesql.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace Hooktrail {

namespace {

constexpr int IdsPerStatement = 500;

QString tr(const char *text)
{
    return QCoreApplication::translate("Hooktrail::DeliveryTables", text);
}

QString encodePairs(const QList<QPair<QString, QString>> &pairs)
{
    QJsonArray array;
    for (const auto &[name, value] : pairs)
        array.append(QJsonArray { name, value });
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<QPair<QString, QString>> decodePairs(const QString &json)
{
    QList<QPair<QString, QString>> pairs;
    for (const QJsonValue &pair : QJsonDocument::fromJson(json.toUtf8()).array())
        pairs.append({ pair[0].toString(), pair[1].toString() });
    return pairs;
}

QDateTime fromMicros(qint64 micros)
{
    return micros ? QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC) : QDateTime();
}

const QString DestinationColumns = QStringLiteral(
    "id, webhook_id, name, url, enabled, headers, timeout_ms, max_attempts, max_age_seconds, "
    "forward_path, created_at, updated_at, failures_in_row, breaker_open, last_success_at, "
    "last_failure_at, last_error");

Destination destinationFrom(const QSqlQuery &query)
{
    Destination d;
    d.id = query.value(0).toString();
    d.webhookId = query.value(1).toString();
    d.name = query.value(2).toString();
    d.url = query.value(3).toString();
    d.enabled = query.value(4).toBool();
    d.headers = decodePairs(query.value(5).toString());
    d.timeoutMs = query.value(6).toInt();
    d.maxAttempts = query.value(7).toInt();
    d.maxAgeSeconds = query.value(8).toLongLong();
    d.forwardPath = query.value(9).toBool();
    d.created = fromMicros(query.value(10).toLongLong());
    d.updated = fromMicros(query.value(11).toLongLong());
    d.failuresInRow = query.value(12).toInt();
    d.breakerOpen = query.value(13).toBool();
    d.lastSuccessMicros = query.value(14).toLongLong();
    d.lastFailureMicros = query.value(15).toLongLong();
    d.lastError = query.value(16).toString();
    return d;
}

const QString DeliveryColumns = QStringLiteral(
    "x.id, x.request_id, x.destination_id, t.name, t.webhook_id, x.state, x.attempts, "
    "x.created_at, x.next_attempt_at, x.last_status, x.last_error, x.finished_at");

Delivery deliveryFrom(const QSqlQuery &query)
{
    Delivery d;
    d.id = query.value(0).toLongLong();
    d.requestId = query.value(1).toLongLong();
    d.destinationId = query.value(2).toString();
    d.destinationName = query.value(3).toString();
    d.webhookId = query.value(4).toString();
    d.state = DeliveryState(query.value(5).toInt());
    d.attempts = query.value(6).toInt();
    d.createdMicros = query.value(7).toLongLong();
    d.nextAttemptMicros = query.value(8).toLongLong();
    d.lastStatus = query.value(9).toInt();
    d.lastError = query.value(10).toString();
    d.finishedMicros = query.value(11).toLongLong();
    return d;
}

QString placeholders(qsizetype count)
{
    return QStringList(count, QStringLiteral("?")).join(QStringLiteral(", "));
}

QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant nullableMicros(qint64 micros)
{
    return micros ? QVariant(micros) : QVariant(QMetaType::fromType<qint64>());
}

} // namespace

DeliveryTables::DeliveryTables(Store &store) : m_store(store) { }

DeliveryTables::~DeliveryTables() = default;

Status DeliveryTables::touchConfig()
{
    return m_store.config().bumpGeneration();
}

Result<QList<Destination>> DeliveryTables::destinations(const QString &webhookId)
{
    using List = QList<Destination>;
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    const bool ok = webhookId.isEmpty()
        ? query.exec(
            QStringLiteral("SELECT %1 FROM destinations ORDER BY seq").arg(DestinationColumns))
        : execWith(query,
            QStringLiteral("SELECT %1 FROM destinations WHERE webhook_id = ? ORDER BY seq")
                .arg(DestinationColumns),
            { webhookId });
    if (!ok)
        return Result<List>::failure(m_store.error(query));
    List out;
    while (query.next())
        out.append(destinationFrom(query));
    return out;
}

Result<std::optional<Destination>> DeliveryTables::destination(const QString &id)
{
    using Found = std::optional<Destination>;
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!execWith(query,
            QStringLiteral("SELECT %1 FROM destinations WHERE id = ?").arg(DestinationColumns),
            { id }))
        return Result<Found>::failure(m_store.error(query));
    if (!query.next())
        return Found();
    return Found(destinationFrom(query));
}

namespace {
QString problemsText(const QList<FieldProblem> &problems)
{
    QStringList lines;
    for (const FieldProblem &problem : problems)
        lines.append(problem.field + QStringLiteral(": ") + problem.message);
    return lines.join(u'\n');
}
} // namespace

Result<Destination> DeliveryTables::addDestination(Destination destination)
{
    destination.name = destination.name.trimmed();
    destination.url = destination.url.trimmed();
    if (destination.name.isEmpty())
        destination.name = QUrl(destination.url).host();
    if (const QList<FieldProblem> problems = validateDestination(destination); !problems.isEmpty())
        return Result<Destination>::failure(problemsText(problems));
    destination.id = Webhook::newId();
    destination.created = destination.updated = QDateTime::currentDateTimeUtc();
    destination.failuresInRow = 0;
    destination.breakerOpen = false;
    destination.lastSuccessMicros = destination.lastFailureMicros = 0;
    destination.lastError.clear();
    const Status status = m_store.transaction([&]() -> Status {
        QSqlQuery query(m_store.database());
        if (!execWith(query, QStringLiteral("SELECT COUNT(*) FROM webhooks WHERE id = ?"),
                { destination.webhookId })
            || !query.next())
            return Status::failure(m_store.error(query));
        if (query.value(0).toInt() != 1)
            return Status::failure(
                tr("no webhook with id %1").arg(destination.webhookId.left(100)));
        query.finish();
        const qint64 now = destination.created.toMSecsSinceEpoch() * 1000;
        if (!execWith(query,
                QStringLiteral(
                    "INSERT INTO destinations (id, webhook_id, seq, name, url, enabled, headers, "
                    "timeout_ms, max_attempts, max_age_seconds, forward_path, created_at, "
                    "updated_at) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM "
                    "destinations), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                { destination.id, destination.webhookId, destination.name, destination.url,
                    destination.enabled ? 1 : 0, encodePairs(destination.headers),
                    destination.timeoutMs, destination.maxAttempts, destination.maxAgeSeconds,
                    destination.forwardPath ? 1 : 0, now, now }))
            return Status::failure(m_store.error(query));
        return touchConfig();
    });
    if (!status)
        return Result<Destination>::failure(status.error());
    return destination;
}

Status DeliveryTables::updateDestination(const Destination &destination)
{
    Destination checked = destination;
    checked.name = checked.name.trimmed();
    checked.url = checked.url.trimmed();
    if (const QList<FieldProblem> problems = validateDestination(checked); !problems.isEmpty())
        return Status::failure(problemsText(problems));
    return m_store.transaction([&]() -> Status {
        QSqlQuery query(m_store.database());
        if (!execWith(query,
                QStringLiteral("UPDATE destinations SET name = ?, url = ?, enabled = ?, "
                               "headers = ?, timeout_ms = ?, max_attempts = ?, "
                               "max_age_seconds = ?, forward_path = ?, updated_at = ? "
                               "WHERE id = ?"),
                { checked.name, checked.url, checked.enabled ? 1 : 0, encodePairs(checked.headers),
                    checked.timeoutMs, checked.maxAttempts, checked.maxAgeSeconds,
                    checked.forwardPath ? 1 : 0, currentMicros(), checked.id }))
            return Status::failure(m_store.error(query));
        if (query.numRowsAffected() != 1)
            return Status::failure(tr("no destination with id %1").arg(checked.id.left(100)));
        return touchConfig();
    });
}

Status DeliveryTables::setDestinationEnabled(const QString &id, bool enabled)
{
    return m_store.transaction([&]() -> Status {
        QSqlQuery query(m_store.database());
        const QString resume = enabled
            ? QStringLiteral(", breaker_open = 0, failures_in_row = 0, probe_at = NULL")
            : QString();
        if (!execWith(query,
                QStringLiteral("UPDATE destinations SET enabled = ?, updated_at = ?%1 WHERE id = ?")
                    .arg(resume),
                { enabled ? 1 : 0, currentMicros(), id }))
            return Status::failure(m_store.error(query));
        if (query.numRowsAffected() != 1)
            return Status::failure(tr("no destination with id %1").arg(id.left(100)));
        return touchConfig();
    });
}

namespace {
// Deletes the deliveries (and their attempts) of the destinations `where` selects.
Status deleteDeliveriesOf(QSqlQuery &query, const QString &where, const QVariant &value)
{
    if (!execWith(query,
            QStringLiteral("DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM "
                           "deliveries WHERE destination_id IN (SELECT id FROM destinations "
                           "WHERE %1))")
                .arg(where),
            { value }))
        return Status::failure(query.lastError().text());
    if (!execWith(query,
            QStringLiteral("DELETE FROM deliveries WHERE destination_id IN (SELECT id FROM "
                           "destinations WHERE %1)")
                .arg(where),
            { value }))
        return Status::failure(query.lastError().text());
    return {};
}
} // namespace

Status DeliveryTables::removeDestination(const QString &id)
{
    return m_store.transaction([&]() -> Status {
        QSqlQuery query(m_store.database());
        if (Status status = deleteDeliveriesOf(query, QStringLiteral("id = ?"), id); !status)
            return status;
        if (!execWith(query, QStringLiteral("DELETE FROM destinations WHERE id = ?"), { id }))
            return Status::failure(m_store.error(query));
        if (query.numRowsAffected() != 1)
            return Status::failure(tr("no destination with id %1").arg(id.left(100)));
        return touchConfig();
    });
}

Status DeliveryTables::removeDestinationsOf(const QString &webhookId)
{
    QSqlQuery query(m_store.database());
    if (Status status = deleteDeliveriesOf(query, QStringLiteral("webhook_id = ?"), webhookId);
        !status)
        return status;
    if (!execWith(
            query, QStringLiteral("DELETE FROM destinations WHERE webhook_id = ?"), { webhookId }))
        return Status::failure(m_store.error(query));
    return {};
}

Result<qint64> DeliveryTables::enqueueAccepted(qint64 firstId, qint64 lastId)
{
    if (!m_enqueue) {
        m_enqueue = std::make_unique<QSqlQuery>(m_store.database());
        // Driven by the destinations, a handful of rows: with none, this costs one look at an
        // empty index per committed batch.
        if (!m_enqueue->prepare(QStringLiteral(
                "INSERT INTO deliveries (request_id, destination_id, state, created_at, "
                "next_attempt_at) SELECT r.id, t.id, 2, r.received_at, r.received_at "
                "FROM destinations t JOIN requests r ON r.webhook_id = t.webhook_id "
                "AND r.id BETWEEN ? AND ? WHERE r.status BETWEEN 200 AND 299"))) {
            const QString message = m_store.error(*m_enqueue);
            m_enqueue.reset();
            return Result<qint64>::failure(message);
        }
    }
    m_enqueue->bindValue(0, firstId);
    m_enqueue->bindValue(1, lastId);
    if (!m_enqueue->exec()) {
        const QString message = m_store.error(*m_enqueue);
        m_enqueue.reset();
        return Result<qint64>::failure(
            QStringLiteral("cannot write the deliveries: %1").arg(message));
    }
    const qint64 written = m_enqueue->numRowsAffected();
    m_enqueue->finish();
    return written;
}

void DeliveryTables::forgetStatements()
{
    m_enqueue.reset();
}

Result<qint64> DeliveryTables::redeliver(
    const QList<qint64> &requestIds, const QString &destinationId)
{
    qint64 scheduled = 0;
    const qint64 now = currentMicros();
    for (qsizetype from = 0; from < requestIds.size(); from += IdsPerStatement) {
        const QList<qint64> chunk = requestIds.mid(from, IdsPerStatement);
        QVariantList ids;
        for (const qint64 id : chunk)
            ids.append(id);
        const QString only = destinationId.isEmpty() ? QString() : QStringLiteral(" AND t.id = ?");
        const Status status = m_store.immediateTransaction([&]() -> Status {
            QSqlQuery query(m_store.database());
            // Ended or waiting deliveries start over; one on its way (leased) is left to end.
            QVariantList binds { now, now };
            binds += ids;
            if (!destinationId.isEmpty())
                binds.append(destinationId);
            binds.append(now);
            if (!execWith(query,
                    QStringLiteral(
                        "UPDATE deliveries SET state = 2, next_attempt_at = ?, created_at = ?, "
                        "finished_at = NULL, lease_owner = NULL, lease_until = NULL "
                        "WHERE request_id IN (%1)%2 AND (lease_until IS NULL OR lease_until < ?)")
                        .arg(placeholders(chunk.size()),
                            destinationId.isEmpty() ? QString()
                                                    : QStringLiteral(" AND destination_id = ?")),
                    binds))
                return Status::failure(m_store.error(query));
            scheduled += query.numRowsAffected();
            binds = { now, now };
            binds += ids;
            if (!destinationId.isEmpty())
                binds.append(destinationId);
            if (!execWith(query,
                    QStringLiteral(
                        "INSERT INTO deliveries (request_id, destination_id, state, created_at, "
                        "next_attempt_at) SELECT r.id, t.id, 2, ?, ? FROM requests r "
                        "JOIN destinations t ON t.webhook_id = r.webhook_id "
                        "WHERE r.id IN (%1)%2 AND r.status BETWEEN 200 AND 299 AND NOT EXISTS "
                        "(SELECT 1 FROM deliveries x WHERE x.request_id = r.id "
                        "AND x.destination_id = t.id)")
                        .arg(placeholders(chunk.size()), only),
                    binds))
                return Status::failure(m_store.error(query));
            scheduled += query.numRowsAffected();
            return {};
        });
        if (!status)
            return Result<qint64>::failure(status.error());
    }
    return scheduled;
}

Result<qint64> DeliveryTables::redeliver(const RequestFilter &filter, const QString &destinationId)
{
    RequestFilter rest = filter;
    rest.outcome = RequestFilter::Outcome::Accepted; // only accepted requests are delivered
    qint64 scheduled = 0;
    for (;;) {
        const Result<QList<qint64>> ids = m_store.queries().pageIds(rest, IdsPerStatement);
        if (!ids)
            return Result<qint64>::failure(ids.error());
        if (ids->isEmpty())
            return scheduled;
        const Result<qint64> chunk = redeliver(*ids, destinationId);
        if (!chunk)
            return chunk;
        scheduled += *chunk;
        rest.beforeId = ids->constLast();
    }
}

namespace {
// A delivery may be taken at `now`: not ended, due, and not leased to a deliverer still on it.
const QString DueAt = QStringLiteral(
    "state IN (2, 3) AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)");
} // namespace

Result<QStringList> DeliveryTables::destinationsDue(qint64 nowMicros)
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!execWith(query,
            QStringLiteral("SELECT t.id FROM destinations t WHERE t.enabled = 1 "
                           "AND (t.breaker_open = 0 OR t.probe_at <= ?) AND EXISTS (SELECT 1 "
                           "FROM deliveries WHERE destination_id = t.id AND %1) ORDER BY t.seq")
                .arg(DueAt),
            { nowMicros, nowMicros, nowMicros }))
        return Result<QStringList>::failure(m_store.error(query));
    QStringList ids;
    while (query.next())
        ids.append(query.value(0).toString());
    return ids;
}

Result<QList<DeliveryJob>> DeliveryTables::claim(const QString &destinationId, const QString &owner,
    int max, qint64 nowMicros, qint64 leaseMicros, const BreakerPolicy &breaker)
{
    using Jobs = QList<DeliveryJob>;
    Jobs jobs;
    const bool postgres = m_store.dialect().kind() == SqlDialect::Kind::Postgres;
    const Status status = m_store.immediateTransaction([&]() -> Status {
        const Result<std::optional<Destination>> found = destination(destinationId);
        if (!found)
            return Status::failure(found.error());
        if (!*found || !(*found)->enabled)
            return {};
        const Destination &target = **found;
        QSqlQuery query(m_store.database());
        int take = max;
        if (target.breakerOpen) {
            // Open: one probe, and the next not before the interval.
            if (!execWith(query,
                    QStringLiteral("UPDATE destinations SET probe_at = ? WHERE id = ? AND "
                                   "breaker_open = 1 AND probe_at <= ?"),
                    { nowMicros + breaker.probeIntervalMicros, destinationId, nowMicros }))
                return Status::failure(m_store.error(query));
            if (query.numRowsAffected() != 1)
                return {};
            take = 1;
        }
        if (!execWith(query,
                QStringLiteral("SELECT id, request_id, attempts, created_at FROM deliveries WHERE "
                               "destination_id = ? AND %1 ORDER BY next_attempt_at, id LIMIT ?%2")
                    .arg(DueAt, postgres ? QStringLiteral(" FOR UPDATE SKIP LOCKED") : QString()),
                { destinationId, nowMicros, nowMicros, take }))
            return Status::failure(m_store.error(query));
        QVariantList ids;
        while (query.next()) {
            DeliveryJob job;
            job.deliveryId = query.value(0).toLongLong();
            job.request.id = query.value(1).toLongLong();
            job.attempt = query.value(2).toInt() + 1;
            job.createdMicros = query.value(3).toLongLong();
            job.destination = target;
            jobs.append(job);
            ids.append(job.deliveryId);
        }
        query.finish();
        if (ids.isEmpty())
            return {};
        QVariantList binds { owner, nowMicros + qint64(target.timeoutMs) * 1000 + leaseMicros };
        binds += ids;
        if (!execWith(query,
                QStringLiteral("UPDATE deliveries SET lease_owner = ?, lease_until = ? WHERE id "
                               "IN (%1)")
                    .arg(placeholders(ids.size())),
                binds))
            return Status::failure(m_store.error(query));
        return {};
    });
    if (!status)
        return Result<Jobs>::failure(status.error());
    // The requests, read after the claim: a request removed meanwhile fails its delivery.
    for (DeliveryJob &job : jobs) {
        const Result<std::optional<LoggedRequest>> request
            = m_store.queries().request(job.request.id);
        if (!request)
            return Result<Jobs>::failure(request.error());
        if (*request)
            job.request = **request;
        else
            job.request.status = 0; // gone: the deliverer fails it without sending
    }
    return jobs;
}

Status DeliveryTables::record(const QList<Finished> &finished, const BreakerPolicy &breaker)
{
    if (finished.isEmpty())
        return {};
    return m_store.immediateTransaction([&]() -> Status {
        QSqlQuery attempt(m_store.database());
        attempt.prepare(QStringLiteral(
            "INSERT INTO delivery_attempts (delivery_id, number, started_at, duration_micros, "
            "status, error, response_headers, response_body, response_cut, owner) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        QSqlQuery delivery(m_store.database());
        delivery.prepare(QStringLiteral(
            "UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ?, "
            "lease_owner = NULL, lease_until = NULL, last_status = ?, last_error = ?, "
            "finished_at = ? WHERE id = ? AND lease_owner = ?"));
        QSqlQuery success(m_store.database());
        success.prepare(QStringLiteral(
            "UPDATE destinations SET failures_in_row = 0, breaker_open = 0, probe_at = NULL, "
            "last_success_at = ? WHERE id = ?"));
        QSqlQuery failure(m_store.database());
        failure.prepare(QStringLiteral(
            "UPDATE destinations SET failures_in_row = failures_in_row + 1, last_failure_at = ?, "
            "last_error = ? WHERE id = ?"));
        QSqlQuery open(m_store.database());
        open.prepare(
            QStringLiteral("UPDATE destinations SET breaker_open = 1, probe_at = ? WHERE id = ? "
                           "AND breaker_open = 0 AND failures_in_row >= ?"));
        for (const Finished &item : finished) {
            const DeliveryAttempt &a = item.attempt;
            attempt.bindValue(0, item.job.deliveryId);
            attempt.bindValue(1, a.number);
            attempt.bindValue(2, a.startedMicros);
            attempt.bindValue(3, a.durationMicros);
            attempt.bindValue(4, a.status);
            attempt.bindValue(5, nullableText(a.error));
            attempt.bindValue(6, QString::fromUtf8(encodeHeaders(a.responseHeaders)));
            attempt.bindValue(7, a.responseBody.isNull() ? QByteArray("") : a.responseBody);
            attempt.bindValue(8, a.responseCut ? 1 : 0);
            attempt.bindValue(9, a.owner);
            if (!attempt.exec())
                return Status::failure(m_store.error(attempt));
            const bool ended = item.outcome.state != DeliveryState::Retrying;
            const QString error = !item.outcome.error.isEmpty() ? item.outcome.error : a.error;
            delivery.bindValue(0, int(item.outcome.state));
            delivery.bindValue(1, a.number);
            delivery.bindValue(2,
                ended ? QVariant(QMetaType::fromType<qint64>())
                      : QVariant(item.outcome.nextAttemptMicros));
            delivery.bindValue(3, a.status);
            delivery.bindValue(4, nullableText(error));
            delivery.bindValue(5,
                ended ? nullableMicros(a.startedMicros + a.durationMicros)
                      : QVariant(QMetaType::fromType<qint64>()));
            delivery.bindValue(6, item.job.deliveryId);
            delivery.bindValue(7, a.owner);
            if (!delivery.exec())
                return Status::failure(m_store.error(delivery));
            if (item.outcome.state == DeliveryState::Delivered) {
                success.bindValue(0, a.startedMicros + a.durationMicros);
                success.bindValue(1, item.job.destination.id);
                if (!success.exec())
                    return Status::failure(m_store.error(success));
            } else {
                failure.bindValue(0, a.startedMicros + a.durationMicros);
                failure.bindValue(
                    1, a.error.isEmpty() ? QStringLiteral("HTTP %1").arg(a.status) : a.error);
                failure.bindValue(2, item.job.destination.id);
                if (!failure.exec())
                    return Status::failure(m_store.error(failure));
                open.bindValue(0, a.startedMicros + a.durationMicros + breaker.probeIntervalMicros);
                open.bindValue(1, item.job.destination.id);
                open.bindValue(2, breaker.failuresToOpen);
                if (!open.exec())
                    return Status::failure(m_store.error(open));
            }
        }
        return {};
    });
}

Result<qint64> DeliveryTables::expire(qint64 nowMicros)
{
    qint64 expired = 0;
    const Status status = m_store.immediateTransaction([&]() -> Status {
        QSqlQuery query(m_store.database());
        if (!execWith(query,
                QStringLiteral(
                    "UPDATE deliveries SET state = 4, next_attempt_at = NULL, finished_at = ?, "
                    "last_error = ? WHERE state IN (2, 3) AND (lease_until IS NULL OR "
                    "lease_until < ?) AND created_at < ? - 1000000 * (SELECT max_age_seconds "
                    "FROM destinations t WHERE t.id = deliveries.destination_id)"),
                { nowMicros, tr("gave up: older than the destination's maximum age"), nowMicros,
                    nowMicros }))
            return Status::failure(m_store.error(query));
        expired = query.numRowsAffected();
        return {};
    });
    if (!status)
        return Result<qint64>::failure(status.error());
    return expired;
}

Status DeliveryTables::releaseLeases(const QStringList &owners)
{
    if (owners.isEmpty())
        return {};
    QVariantList binds;
    for (const QString &owner : owners)
        binds.append(owner);
    return m_store.immediateTransaction([&]() -> Status {
        QSqlQuery query(m_store.database());
        if (!execWith(query,
                QStringLiteral("UPDATE deliveries SET lease_owner = NULL, lease_until = NULL "
                               "WHERE lease_owner IN (%1)")
                    .arg(placeholders(owners.size())),
                binds))
            return Status::failure(m_store.error(query));
        return {};
    });
}

Result<QStringList> DeliveryTables::leaseOwners()
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
            "SELECT DISTINCT lease_owner FROM deliveries WHERE lease_owner IS NOT NULL")))
        return Result<QStringList>::failure(m_store.error(query));
    QStringList owners;
    while (query.next())
        owners.append(query.value(0).toString());
    return owners;
}

Result<qint64> DeliveryTables::nextDueMicros(qint64 nowMicros)
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!execWith(query,
            // Per destination, one seek each in deliveries_due: driven by the deliveries, the
            // same minimum read the whole backlog on every round of the deliverer.
            QStringLiteral("SELECT MIN((SELECT MIN(x.next_attempt_at) FROM deliveries x WHERE "
                           "x.destination_id = t.id AND x.state IN (2, 3) AND "
                           "x.next_attempt_at > ?)) FROM destinations t WHERE t.enabled = 1 AND "
                           "t.breaker_open = 0"),
            { nowMicros })
        || !query.next())
        return Result<qint64>::failure(m_store.error(query));
    const qint64 next = query.value(0).toLongLong();
    query.finish();
    if (!execWith(query,
            QStringLiteral("SELECT MIN(probe_at) FROM destinations WHERE enabled = 1 AND "
                           "breaker_open = 1 AND probe_at > ?"),
            { nowMicros })
        || !query.next())
        return Result<qint64>::failure(m_store.error(query));
    const qint64 probe = query.value(0).toLongLong();
    if (next && probe)
        return std::min(next, probe);
    return std::max(next, probe);
}

Result<QList<Delivery>> DeliveryTables::deliveries(const DeliveryFilter &filter)
{
    using List = QList<Delivery>;
    QStringList where;
    QVariantList binds;
    if (!filter.webhookId.isEmpty()) {
        where.append(QStringLiteral("t.webhook_id = ?"));
        binds.append(filter.webhookId);
    }
    if (!filter.destinationId.isEmpty()) {
        where.append(QStringLiteral("x.destination_id = ?"));
        binds.append(filter.destinationId);
    }
    if (filter.requestId) {
        where.append(QStringLiteral("x.request_id = ?"));
        binds.append(filter.requestId);
    }
    if (filter.state) {
        where.append(QStringLiteral("x.state = ?"));
        binds.append(int(*filter.state));
    }
    if (filter.beforeId) {
        where.append(QStringLiteral("x.id < ?"));
        binds.append(filter.beforeId);
    }
    binds.append(std::max(1, filter.limit));
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!execWith(query,
            QStringLiteral("SELECT %1 FROM deliveries x JOIN destinations t ON t.id = "
                           "x.destination_id%2 ORDER BY x.id DESC LIMIT ?")
                .arg(DeliveryColumns,
                    where.isEmpty()
                        ? QString()
                        : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "))),
            binds))
        return Result<List>::failure(m_store.error(query));
    List out;
    while (query.next())
        out.append(deliveryFrom(query));
    query.finish();
    if (filter.withAttempts) {
        for (Delivery &delivery : out) {
            Result<QList<DeliveryAttempt>> attempts = attemptsOf(delivery.id);
            if (!attempts)
                return Result<List>::failure(attempts.error());
            delivery.attemptList = std::move(attempts).value();
        }
    }
    return out;
}

Result<QList<Delivery>> DeliveryTables::forRequest(qint64 requestId)
{
    DeliveryFilter filter;
    filter.requestId = requestId;
    filter.limit = 1000;
    filter.withAttempts = true;
    Result<QList<Delivery>> found = deliveries(filter);
    if (found)
        std::reverse(found.value().begin(), found.value().end()); // in the order written
    return found;
}

Result<QList<DeliveryAttempt>> DeliveryTables::attemptsOf(qint64 deliveryId)
{
    using List = QList<DeliveryAttempt>;
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!execWith(query,
            QStringLiteral("SELECT number, started_at, duration_micros, status, error, "
                           "response_headers, response_body, response_cut, owner FROM "
                           "delivery_attempts WHERE delivery_id = ? ORDER BY id"),
            { deliveryId }))
        return Result<List>::failure(m_store.error(query));
    List out;
    while (query.next()) {
        DeliveryAttempt a;
        a.number = query.value(0).toInt();
        a.startedMicros = query.value(1).toLongLong();
        a.durationMicros = query.value(2).toLongLong();
        a.status = query.value(3).toInt();
        a.error = query.value(4).toString();
        a.responseHeaders = decodeHeaders(query.value(5).toString().toUtf8());
        a.responseBody = query.value(6).toByteArray();
        a.responseCut = query.value(7).toBool();
        a.owner = query.value(8).toString();
        out.append(a);
    }
    return out;
}

Result<QHash<qint64, DeliveryState>> DeliveryTables::states(const QList<qint64> &requestIds)
{
    using States = QHash<qint64, DeliveryState>;
    States out;
    for (qsizetype from = 0; from < requestIds.size(); from += IdsPerStatement) {
        const QList<qint64> chunk = requestIds.mid(from, IdsPerStatement);
        QVariantList binds;
        for (const qint64 id : chunk)
            binds << id;
        QSqlQuery query(m_store.database());
        query.setForwardOnly(true);
        if (!execWith(query,
                QStringLiteral("SELECT request_id, MAX(state) FROM deliveries WHERE request_id "
                               "IN (%1) GROUP BY request_id")
                    .arg(placeholders(chunk.size())),
                binds))
            return Result<States>::failure(m_store.error(query));
        while (query.next())
            out.insert(query.value(0).toLongLong(), DeliveryState(query.value(1).toInt()));
    }
    return out;
}

Result<qint64> DeliveryTables::unfinishedCount(const QString &destinationId)
{
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    const bool ok = destinationId.isEmpty()
        ? query.exec(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE state IN (2, 3)"))
        : execWith(query,
            QStringLiteral(
                "SELECT COUNT(*) FROM deliveries WHERE destination_id = ? AND state IN (2, 3)"),
            { destinationId });
    if (!ok || !query.next())
        return Result<qint64>::failure(m_store.error(query));
    return query.value(0).toLongLong();
}

} // namespace Hooktrail
