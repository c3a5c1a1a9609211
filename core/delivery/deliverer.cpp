// Delivers accepted requests to their webhook's destinations (ARCHITECTURE §5.5).
#include "core/delivery/deliverer.h"

#include "core/base/logging.h"
#include "core/delivery/forwarding.h"
#include "core/http/httpclient.h"
#include "core/store/store.h"

#include <QHash>
#include <QHostInfo>
#include <QPointer>
#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace Hooktrail {

namespace {

constexpr auto ExpireInterval = std::chrono::seconds(30);
constexpr auto RecordRetry = std::chrono::seconds(1);
constexpr int DeliveryNice = 10;

qint64 micros(std::chrono::milliseconds ms)
{
    return qint64(ms.count()) * 1000;
}

// "host/pid/start": a claim's owner. A receiver on this machine whose process is gone no longer
// holds its claims.
bool ownerIsGone(const QString &owner, const QString &self)
{
    const QStringList parts = owner.split(u'/');
    const QStringList mine = self.split(u'/');
    if (parts.size() != 3 || mine.size() != 3 || parts[0] != mine[0] || owner == self)
        return false;
    bool ok = false;
    const qint64 pid = parts[1].toLongLong(&ok);
    if (!ok || pid <= 0)
        return false;
    if (pid == QCoreApplication::applicationPid())
        return true; // this process, an earlier start of the deliverer
    return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

class DeliveryWorker final : public QObject
{
    Q_OBJECT
public:
    DeliveryWorker(Deliverer::StoreFactory factory, DeliveryOptions options,
        std::shared_ptr<DeliveryCounters> counters)
        : m_factory(std::move(factory))
        , m_options(std::move(options))
        , m_counters(std::move(counters))
    {
        m_breaker.failuresToOpen = m_options.breakerFailures;
        m_breaker.probeIntervalMicros = micros(m_options.probeInterval);
    }

    void begin()
    {
        // Ingest first: with the cores busy, the scheduler gives this thread about a tenth of
        // the time of a receiver's (nice 10); idle, it runs at full speed. Linux sets a nice
        // value per thread.
        if (::setpriority(PRIO_PROCESS, id_t(::syscall(SYS_gettid)), DeliveryNice) != 0)
            qCDebug(lcDelivery) << "cannot lower the delivery thread's priority:"
                                << std::strerror(errno);
        m_round = new QTimer(this);
        m_round->setSingleShot(true);
        connect(m_round, &QTimer::timeout, this, &DeliveryWorker::round);
        m_flush = new QTimer(this);
        m_flush->setSingleShot(true);
        connect(m_flush, &QTimer::timeout, this, &DeliveryWorker::flush);
        scheduleRound(0);
    }

    void wake() { scheduleRound(roundPause()); }

    void end()
    {
        m_stopping = true;
        m_round->stop();
        for (HttpClient *client : std::as_const(m_clients)) {
            client->disconnect(this);
            client->abort();
            client->deleteLater();
        }
        m_clients.clear();
        flush();
        if (m_store) {
            if (Status released = m_store->deliveries().releaseLeases({ m_options.owner });
                !released)
                qCWarning(lcDelivery) << "cannot hand back the claims:" << released.error();
        }
        m_store.reset();
    }

signals:
    void attemptsRecorded(const QList<qint64> &requestIds);
    void destinationHealthChanged(const QString &destinationId);

private:
    bool ensureStore()
    {
        if (m_store)
            return true;
        Result<std::unique_ptr<Store>> opened = m_factory();
        if (!opened) {
            qCWarning(lcDelivery) << "cannot open the outbox:" << opened.error();
            return false;
        }
        m_store = std::move(opened).value();
        // What this connection writes (claims, attempts) may be lost by a power cut, never by
        // a crash of the process: a lost "delivered" only delivers again, at least once holds.
        m_store->setRelaxedDurability();
        releaseGoneOwners();
        return true;
    }

    void releaseGoneOwners()
    {
        const Result<QStringList> owners = m_store->deliveries().leaseOwners();
        if (!owners)
            return;
        QStringList gone;
        for (const QString &owner : *owners) {
            if (ownerIsGone(owner, m_options.owner))
                gone.append(owner);
        }
        if (!gone.isEmpty()) {
            qCInfo(lcDelivery) << "taking over the deliveries of" << gone.size()
                               << "stopped receiver(s)";
            m_store->deliveries().releaseLeases(gone);
        }
    }

    bool ingestBusy() const { return m_options.ingestBusy && m_options.ingestBusy(); }
    int roundPause() const { return ingestBusy() ? int(m_options.busyPause.count()) : 0; }

    void scheduleRound(int ms)
    {
        if (m_stopping)
            return;
        if (!m_round->isActive() || m_round->remainingTime() > ms)
            m_round->start(ms);
    }

    void reset(const QString &why)
    {
        qCWarning(lcDelivery) << why;
        m_store.reset(); // reopen next time: the fault may be with this connection
        scheduleRound(int(m_options.pollInterval.count()));
    }

    void round()
    {
        if (m_stopping || !ensureStore())
            return scheduleRound(int(m_options.pollInterval.count()));
        const qint64 now = currentMicros();
        const auto steady = std::chrono::steady_clock::now();
        if (steady >= m_nextExpire) {
            m_nextExpire = steady + ExpireInterval;
            if (const Result<qint64> expired = m_store->deliveries().expire(now); !expired)
                return reset(
                    QStringLiteral("cannot expire old deliveries: %1").arg(expired.error()));
            releaseGoneOwners();
        }
        const Result<QStringList> due = m_store->deliveries().destinationsDue(now);
        if (!due)
            return reset(QStringLiteral("cannot read the outbox: %1").arg(due.error()));
        const int concurrency = ingestBusy() ? 1 : m_options.concurrencyPerDestination;
        for (const QString &destinationId : *due) {
            const int free = concurrency - m_inFlight.value(destinationId);
            if (free <= 0)
                continue;
            Result<QList<DeliveryJob>> jobs = m_store->deliveries().claim(
                destinationId, m_options.owner, free, now, micros(m_options.leaseSlack), m_breaker);
            if (!jobs)
                return reset(QStringLiteral("cannot claim deliveries: %1").arg(jobs.error()));
            for (DeliveryJob &job : jobs.value())
                send(std::move(job));
        }
        // The next retry not yet due, if sooner than the poll. Work due already but not taken
        // (every slot of its destination busy, or claimed elsewhere) waits for a slot to free
        // (flush() looks again) or for the poll: never a loop that spins on it.
        const Result<qint64> next = m_store->deliveries().nextDueMicros(currentMicros());
        int wait = int(m_options.pollInterval.count());
        if (next && *next > 0)
            wait = int(std::clamp<qint64>((*next - currentMicros()) / 1000 + 1, 1, wait));
        scheduleRound(wait);
    }

    void send(DeliveryJob job)
    {
        ++m_inFlight[job.destination.id];
        const qint64 started = currentMicros();
        const auto startedSteady = std::chrono::steady_clock::now();
        QString problem;
        OutgoingRequest request;
        if (job.request.status == 0) {
            problem = tr("the request was removed from the log");
        } else {
            request = Forwarding::deliveryRequest(job, m_options.owner);
            problem = HttpClient::problem(request);
        }
        if (!problem.isEmpty()) {
            finish(job, started, startedSteady, Result<HttpResponse>::failure(problem), true);
            return;
        }
        auto *client = new HttpClient(this);
        client->setTimeout(job.destination.timeoutMs);
        client->setMaxBodyBytes(DeliveryAttempt::KeptAnswerBytes);
        // The stall timeout restarts with every byte; the destination's timeout is the whole
        // exchange's.
        auto *deadline = new QTimer(client);
        deadline->setSingleShot(true);
        connect(deadline, &QTimer::timeout, client, &HttpClient::abort);
        deadline->start(job.destination.timeoutMs);
        m_clients.insert(client);
        connect(client, &HttpClient::finished, this,
            [this, client, deadline, job, started, startedSteady](
                const Result<HttpResponse> &response) {
                const bool timedOut = !deadline->isActive() && !response;
                m_clients.remove(client);
                client->deleteLater();
                if (m_stopping)
                    return;
                finish(job, started, startedSteady,
                    timedOut ? Result<HttpResponse>::failure(
                        tr("no complete answer within %1 s")
                            .arg(job.destination.timeoutMs / 1000.0))
                             : response,
                    false);
            });
        client->send(request);
    }

    void finish(const DeliveryJob &job, qint64 started,
        std::chrono::steady_clock::time_point startedSteady, const Result<HttpResponse> &response,
        bool cannotSend)
    {
        --m_inFlight[job.destination.id];
        DeliveryAttempt attempt;
        attempt.number = job.attempt;
        attempt.startedMicros = started;
        attempt.durationMicros = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - startedSteady)
                                     .count();
        attempt.owner = m_options.owner;
        qint64 retryAfter = -1;
        if (response) {
            attempt.status = response->status;
            attempt.responseHeaders = response->headers;
            attempt.responseBody = response->body.left(DeliveryAttempt::KeptAnswerBytes);
            attempt.responseCut = response->bodyCut;
            retryAfter = Deliverer::retryAfterMs(response->header("Retry-After"), started);
        } else {
            attempt.error = response.error();
        }
        DeliveryOutcome outcome;
        const Forwarding::Verdict verdict
            = cannotSend ? Forwarding::Verdict::Fail : Forwarding::verdict(attempt.status);
        const qint64 now = currentMicros();
        if (verdict == Forwarding::Verdict::Delivered) {
            outcome.state = DeliveryState::Delivered;
        } else if (verdict == Forwarding::Verdict::Fail) {
            outcome.state = DeliveryState::Failed;
            if (attempt.status == 508)
                outcome.error = tr("the destination refused a forwarding loop (HTTP 508)");
        } else if (job.attempt >= job.destination.maxAttempts) {
            outcome.state = DeliveryState::Failed;
            outcome.error = tr("gave up after %n attempt(s)", nullptr, job.attempt);
        } else {
            const qint64 next
                = now + micros(Deliverer::backoff(m_options, job.attempt + 1, retryAfter));
            if (next > job.createdMicros + job.destination.maxAgeSeconds * 1000000) {
                outcome.state = DeliveryState::Failed;
                outcome.error = tr("gave up: the next attempt would pass the maximum age");
            } else {
                outcome.state = DeliveryState::Retrying;
                outcome.nextAttemptMicros = next;
            }
        }
        const bool success = outcome.state == DeliveryState::Delivered;
        if (m_lastSuccess.value(job.destination.id, !success) != success
            || (!success && job.destination.failuresInRow + 1 >= m_options.breakerFailures)) {
            m_healthChanged.insert(job.destination.id);
        }
        m_lastSuccess.insert(job.destination.id, success);
        m_finished.append({ job, attempt, outcome });
        if (!m_flush->isActive())
            m_flush->start(0);
    }

    void flush()
    {
        if (m_finished.isEmpty())
            return;
        if (!ensureStore()) {
            m_flush->start(int(std::chrono::milliseconds(RecordRetry).count()));
            return;
        }
        if (const Status recorded = m_store->deliveries().record(m_finished, m_breaker);
            !recorded) {
            qCWarning(lcDelivery) << "cannot record delivery attempts:" << recorded.error();
            m_store.reset();
            if (!m_stopping)
                m_flush->start(int(std::chrono::milliseconds(RecordRetry).count()));
            return;
        }
        QList<qint64> requests;
        requests.reserve(m_finished.size());
        for (const DeliveryTables::Finished &item : std::as_const(m_finished)) {
            requests.append(item.job.request.id);
            (item.outcome.state == DeliveryState::Delivered       ? m_counters->delivered
                    : item.outcome.state == DeliveryState::Failed ? m_counters->failed
                                                                  : m_counters->retrying)
                .fetchAndAddRelaxed(1);
        }
        m_finished.clear();
        emit attemptsRecorded(requests);
        for (const QString &destination : std::as_const(m_healthChanged))
            emit destinationHealthChanged(destination);
        m_healthChanged.clear();
        scheduleRound(roundPause()); // slots were freed
    }

    Deliverer::StoreFactory m_factory;
    DeliveryOptions m_options;
    std::shared_ptr<DeliveryCounters> m_counters;
    BreakerPolicy m_breaker;
    std::unique_ptr<Store> m_store;
    QTimer *m_round = nullptr;
    QTimer *m_flush = nullptr;
    bool m_stopping = false;
    std::chrono::steady_clock::time_point m_nextExpire;
    QHash<QString, int> m_inFlight;
    QSet<HttpClient *> m_clients; // children of this worker
    QList<DeliveryTables::Finished> m_finished;
    QHash<QString, bool> m_lastSuccess;
    QSet<QString> m_healthChanged;
};

Deliverer::Deliverer(StoreFactory factory, DeliveryOptions options, QObject *parent)
    : QObject(parent), m_factory(std::move(factory)), m_options(std::move(options))
{
    if (m_options.owner.isEmpty())
        m_options.owner = processOwner();
    m_owner = m_options.owner;
    m_thread.setObjectName(QStringLiteral("hooktrail-delivery"));
}

Deliverer::~Deliverer()
{
    stop();
}

QString Deliverer::processOwner()
{
    static const QString owner = QStringLiteral("%1/%2/%3")
                                     .arg(QHostInfo::localHostName().remove(u'/'))
                                     .arg(QCoreApplication::applicationPid())
                                     .arg(currentMicros());
    return owner;
}

void Deliverer::start()
{
    if (m_thread.isRunning())
        return;
    m_worker = new DeliveryWorker(m_factory, m_options, m_counters);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &DeliveryWorker::attemptsRecorded, this, &Deliverer::attemptsRecorded);
    connect(m_worker, &DeliveryWorker::destinationHealthChanged, this,
        &Deliverer::destinationHealthChanged);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &DeliveryWorker::begin, Qt::QueuedConnection);
}

void Deliverer::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(m_worker, &DeliveryWorker::end, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

void Deliverer::wake()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &DeliveryWorker::wake, Qt::QueuedConnection);
}

std::chrono::milliseconds Deliverer::backoff(
    const DeliveryOptions &options, int nextAttempt, qint64 retryAfterMs)
{
    using std::chrono::milliseconds;
    const qint64 cap = options.backoffCap.count();
    if (retryAfterMs >= 0)
        return milliseconds(std::clamp<qint64>(retryAfterMs, options.minimumDelay.count(), cap));
    // Full jitter: a random point below the exponential ceiling spreads the retries of many
    // deliveries that failed together.
    const int doublings = std::clamp(nextAttempt - 2, 0, 40);
    const double ceiling = std::min<double>(
        double(cap), double(options.backoffBase.count()) * double(1LL << std::min(doublings, 40)));
    const qint64 drawn = qint64(QRandomGenerator::global()->bounded(std::max(1.0, ceiling)));
    return milliseconds(std::max<qint64>(drawn, options.minimumDelay.count()));
}

qint64 Deliverer::retryAfterMs(QByteArrayView value, qint64 nowMicros)
{
    const QByteArray text = value.trimmed().toByteArray();
    if (text.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = text.toLongLong(&ok);
    if (ok)
        return seconds >= 0 ? std::min<qint64>(seconds, 365LL * 24 * 3600) * 1000 : -1;
    // An HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"): RFC 2822 with
    // the zone spelled as an offset.
    QString date = QString::fromLatin1(text);
    if (date.endsWith(QLatin1String(" GMT")))
        date = date.chopped(4) + QStringLiteral(" +0000");
    const QDateTime at = QDateTime::fromString(date, Qt::RFC2822Date);
    if (!at.isValid())
        return -1;
    return std::max<qint64>(0, at.toMSecsSinceEpoch() - nowMicros / 1000);
}

} // namespace Hooktrail

#include "deliverer.moc"
