// One connection-handling thread of the receiver: owns its connections, hands finished
// requests to the log writer and sends answers when their rows are committed.
#include "core/receiver/receiverworker.h"

#include "core/base/logging.h"
#include "core/http/httpconnection.h"
#include "core/receiver/receiver.h"
#include "core/tls/tlscontext.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace Hooktrail {

void CompletionInbox::deliver(QList<LogCompletion> completions)
{
    std::lock_guard lock(m_mutex);
    if (m_items.isEmpty())
        m_items = std::move(completions);
    else
        m_items.append(completions);
    if (m_owner && !m_wakePending) {
        m_wakePending = true;
        QMetaObject::invokeMethod(m_owner, "drainCompletions", Qt::QueuedConnection);
    }
}

QList<LogCompletion> CompletionInbox::take()
{
    std::lock_guard lock(m_mutex);
    m_wakePending = false;
    return std::exchange(m_items, {});
}

void CompletionInbox::detach()
{
    std::lock_guard lock(m_mutex);
    m_owner = nullptr;
}

ReceiverWorker::ReceiverWorker(const ReceiverOptions &options, LogWriter *writer,
    ConfigCache *config, std::shared_ptr<ReceiverStats> stats,
    std::shared_ptr<const TlsContext> tls)
{
    m_context.tls = std::move(tls);
    m_context.options = options;
    m_context.writer = writer;
    m_context.config = config;
    m_context.stats = std::move(stats);
    m_context.inbox = std::make_shared<CompletionInbox>(this);
    m_context.clock.start();
}

ReceiverWorker::~ReceiverWorker()
{
    m_context.inbox->detach();
}

void ReceiverWorker::start()
{
    // Timeouts are checked by one timer per thread rather than one per connection, so a
    // thousand idle connections cost one wake-up, not a thousand.
    const ReceiverOptions &options = m_context.options;
    const int shortest = std::min({ options.idleTimeoutMs, options.headerTimeoutMs,
        options.minBodyBytesPerSecond > 0 ? options.bodyGraceMs : options.idleTimeoutMs });
    m_sweepTimer = new QTimer(this);
    connect(m_sweepTimer, &QTimer::timeout, this, &ReceiverWorker::sweep);
    m_sweepTimer->start(std::clamp(shortest / 5, 20, 1000));
}

void ReceiverWorker::shutdown()
{
    delete m_sweepTimer;
    m_sweepTimer = nullptr;
    const auto connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->abort();
    // forget() will not run for these (its queued call dies with this thread), and the stats
    // outlive this worker: a restarted receiver would count them against its limit forever.
    m_context.stats->connections.fetchAndSubRelaxed(int(m_connections.size()));
    qDeleteAll(m_connections);
    m_connections.clear();
    m_context.inbox->detach();
}

void ReceiverWorker::adopt(qintptr descriptor, bool tls)
{
    QSslSocket *secure = tls && m_context.tls ? new QSslSocket : nullptr;
    QTcpSocket *socket = secure ? secure : new QTcpSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcReceiver) << "cannot adopt a connection:" << socket->errorString();
        delete socket;
        return;
    }
    if (secure) {
        // The certificate of this moment: a renewed one is taken by the next connection.
        secure->setSslConfiguration(m_context.tls->configuration());
        secure->startServerEncryption();
    }
    const quint64 id = m_nextId++;
    auto *connection = new HttpConnection(id, socket, &m_context, this);
    connect(
        connection, &HttpConnection::finished, this, [this, id] { forget(id); },
        Qt::QueuedConnection);
    m_connections.insert(id, connection);
    if (m_context.stats->connections.fetchAndAddRelaxed(1) < m_context.options.maxConnections) {
        connection->begin();
        return;
    }
    // At the cap, a newcomer takes the slot of an idle or slow connection of this thread rather
    // than be refused: otherwise senders that trickle (or merely hold connections open) would
    // lock every valid sender out.
    // Equal ranks (idle times are in milliseconds) go to the oldest connection, the lowest id,
    // never to the hash's order.
    const qint64 now = m_context.clock.elapsed();
    HttpConnection *victim = nullptr;
    quint64 victimId = 0;
    HttpConnection::SheddingRank best;
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it) {
        HttpConnection *candidate = it.value();
        if (candidate == connection)
            continue;
        const HttpConnection::SheddingRank rank = candidate->sheddingRank(now);
        const bool better = rank.tier > best.tier
            || (rank.tier == best.tier && rank.tier > 0
                && (rank.key > best.key || (rank.key == best.key && it.key() < victimId)));
        if (better) {
            best = rank;
            victim = candidate;
            victimId = it.key();
        }
    }
    if (victim) {
        victim->shed(now);
        connection->begin();
    } else {
        connection->refuseOverloaded();
    }
}

void ReceiverWorker::forget(quint64 id)
{
    if (HttpConnection *connection = m_connections.take(id)) {
        m_context.stats->connections.fetchAndSubRelaxed(1);
        connection->deleteLater();
    }
}

void ReceiverWorker::drainCompletions()
{
    const QList<LogCompletion> completions = m_context.inbox->take();
    QSet<HttpConnection *> touched;
    for (const LogCompletion &completion : completions) {
        // A connection that closed meanwhile is gone; its rows are in the log all the same.
        if (HttpConnection *connection = m_connections.value(completion.connection)) {
            connection->complete(completion.token, completion.id);
            touched.insert(connection);
        }
    }
    for (HttpConnection *connection : std::as_const(touched))
        connection->flush();
}

void ReceiverWorker::sweep()
{
    const qint64 now = m_context.clock.elapsed();
    const auto connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->checkTimeouts(now);
}

} // namespace Hooktrail
