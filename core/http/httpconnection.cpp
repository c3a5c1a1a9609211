// One client connection: reads requests with the limits enforced, runs admission, and writes
// the answers in arrival order once the log has them.
#include "core/http/httpconnection.h"

#include "core/base/logging.h"
#include "core/endpoint/answer.h"
#include "core/endpoint/route.h"
#include "core/receiver/configcache.h"
#include "core/receiver/receiver.h"
#include "core/receiver/receiverworker.h"

#include <QElapsedTimer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <sys/socket.h>

namespace Hooktrail {

namespace {

constexpr qint64 ReadChunk = 64 * 1024;
constexpr int LingerMs = 2000;
// Answers written but not yet taken by the client. Past this, nothing more is read from it: a
// client that pipelines without reading makes the receiver wait, not buffer without end.
constexpr qint64 MaxUnsentBytes = 64 * 1024;

bool expectsBody(const ParsedRequest &request)
{
    if (!request.header("transfer-encoding").isEmpty())
        return true;
    const QByteArray length = request.header("content-length");
    return !length.isEmpty() && length != "0";
}

} // namespace

HttpConnection::HttpConnection(
    quint64 id, QTcpSocket *socket, ReceiverContext *context, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_socket(socket)
    , m_tls(qobject_cast<QSslSocket *>(socket))
    , m_context(context)
    , m_parser({ context->options.maxHeaderBytes, context->options.maxBodyBytes })
{
    m_socket->setParent(this);
    m_peer = m_socket->peerAddress();
    m_peerUnmapped = unmapped(m_peer);
    m_peerText = m_peerUnmapped.toString();
    m_lastActivityMs = m_context->clock.elapsed();
    m_writeProgressMs = m_lastActivityMs;
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::finish);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcReceiver) << "connection" << m_id << "error:" << m_socket->errorString();
        finish();
    });
    // TLS (ARCHITECTURE §5.8): the handshake counts against the header timeout, so a client
    // that opens TCP and never says hello is dropped like one that never ends its headers.
    if (m_tls) {
        m_handshakeStartMs = m_lastActivityMs;
        connect(m_tls, &QSslSocket::encrypted, this, [this] { m_handshakeStartMs = -1; });
        connect(m_tls, &QSslSocket::encryptedBytesWritten, this, &HttpConnection::onBytesWritten);
    }
}

HttpConnection::~HttpConnection() = default;

qint64 HttpConnection::unsentBytes() const
{
    // On TLS, what is encrypted but still waits for the kernel too: a half-close before it
    // leaves would cut the answer.
    return m_socket->bytesToWrite() + (m_tls ? m_tls->encryptedBytesToWrite() : 0);
}

void HttpConnection::begin()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Bounds what Qt reads ahead while this connection waits for its answers to leave.
    m_socket->setReadBufferSize(256 * 1024);
    // Answers are a few hundred bytes: a kernel send buffer left to grow (to megabytes) only
    // holds more answers for a client that does not read them.
    m_socket->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, int(MaxUnsentBytes));
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void HttpConnection::refuseOverloaded()
{
    m_context->stats->overloaded.fetchAndAddRelaxed(1);
    m_socket->write(
        Endpoint::answer(503, "overloaded", 0, false, {}, m_context->options.retryAfterSeconds));
    m_stopReading = true;
    closeGracefully();
}

void HttpConnection::onBytesWritten()
{
    m_writeProgressMs = m_context->clock.elapsed();
    if (m_lingering && unsentBytes() == 0) {
        halfClose();
    } else if (m_readPaused && unsentBytes() < MaxUnsentBytes / 2) {
        // Queued: this may run inside a write that process() itself started.
        m_readPaused = false;
        QMetaObject::invokeMethod(this, &HttpConnection::process, Qt::QueuedConnection);
    }
}

void HttpConnection::onReadyRead()
{
    m_lastActivityMs = m_context->clock.elapsed();
    if (m_lingering || m_stopReading) {
        m_socket->skip(m_socket->bytesAvailable()); // nothing more is read on this connection
        return;
    }
    process();
}

void HttpConnection::process()
{
    while (!m_stopReading && !m_finished) {
        if (m_pending.size() >= size_t(m_context->options.maxPipelined))
            break; // resumes when answers leave
        if (unsentBytes() >= MaxUnsentBytes) {
            m_readPaused = true; // resumes when the client takes its answers
            break;
        }
        if (m_buffer.isEmpty() && m_parserWantsData) {
            if (m_socket->bytesAvailable() <= 0)
                break;
            m_buffer = m_socket->read(ReadChunk);
        }
        if (m_requestStartMs < 0) {
            m_requestStartMs = m_context->clock.elapsed();
            m_requestStartMicros = currentMicros();
        }
        const HttpRequestParser::Status status = m_parser.parse(m_buffer);
        // After the headers the parser may finish a body-less request without more bytes.
        m_parserWantsData = status == HttpRequestParser::Status::NeedMore;
        if (status == HttpRequestParser::Status::HeadersComplete) {
            judgeHead();
        } else if (status == HttpRequestParser::Status::Complete) {
            ParsedRequest request = m_parser.takeRequest();
            m_parser.reset();
            handleRequest(std::move(request));
            m_requestStartMs = -1;
        } else if (status == HttpRequestParser::Status::Error) {
            handleFailure(m_parser.errorStatus(), m_parser.errorReason(),
                QString::fromUtf8(m_parser.errorDetail()));
        } else if (!m_parser.inProgress()) {
            m_requestStartMs = -1; // only blank lines so far
        }
    }
    flush();
}

void HttpConnection::judgeHead()
{
    QElapsedTimer timer;
    timer.start();
    m_bodyStartMs = m_context->clock.elapsed();
    const ParsedRequest &request = m_parser.request();
    AdmissionOptions options;
    options.trustedProxies = m_context->options.trustedProxies;
    m_head = admitHead(request, m_peer, *m_context->config->current(), options);
    // A body that cannot change the answer is counted, not kept: only the prefix the log shows.
    const bool bodyMatters = m_head->accepted() && !refusesAnyBody(request, *m_head);
    if (!bodyMatters)
        m_parser.keepBodyPrefix(RejectedBodyKeptBytes);
    else if (request.expectContinue && request.versionMinor >= 1 && expectsBody(request)) {
        Pending interim;
        interim.ready = true;
        interim.bytes = QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n");
        m_pending.push_back(std::move(interim));
    }
    m_headMicros = timer.nsecsElapsed() / 1000;
}

LoggedRequest HttpConnection::logEntryOf(const ParsedRequest &request)
{
    LoggedRequest entry;
    entry.method = request.method;
    entry.path = request.path.isEmpty() ? request.target : request.path;
    entry.query = Redaction::redactQuery(request.query);
    entry.httpVersion = request.method.isEmpty() ? QByteArray() : request.httpVersion();
    entry.headers = Redaction::redactHeaders(request.headers);
    entry.body = request.body;
    entry.bodySize = request.bodySize;
    entry.bodyTruncated = request.bodyTruncated;
    entry.contentType = request.header("content-type");
    return entry;
}

LoggedRequest HttpConnection::logEntry(const ParsedRequest &request) const
{
    LoggedRequest entry = logEntryOf(request);
    entry.receivedAtMicros = m_requestStartMicros ? m_requestStartMicros : currentMicros();
    entry.clientAddress = m_peerText;
    entry.instance = m_context->options.instance;
    return entry;
}

void HttpConnection::handleRequest(ParsedRequest request)
{
    QElapsedTimer timer;
    timer.start();
    m_context->stats->requests.fetchAndAddRelaxed(1);
    AdmissionResult result;
    if (m_head) {
        result = m_head->accepted() ? admitBody(request, std::move(*m_head)) : std::move(*m_head);
    } else { // the parser reports every request's headers first; this is only a safety net
        AdmissionOptions options;
        options.trustedProxies = m_context->options.trustedProxies;
        result = admit(request, m_peer, *m_context->config->current(), options);
    }
    m_head.reset();

    LoggedRequest entry = logEntry(request);
    entry.webhookId = result.webhookId;
    entry.status = result.status;
    entry.reason = result.reason;
    entry.reasonDetail = result.detail;
    // Taken from X-Forwarded-For through a trusted proxy.
    if (result.clientAddress != m_peerUnmapped)
        entry.clientAddress = result.clientAddress.toString();
    entry.forwardedFor = result.forwardedFor;
    entry.apiKeyId = result.apiKeyId;
    entry.handlingMicros = m_headMicros + timer.nsecsElapsed() / 1000;

    Pending pending;
    pending.closeAfter = !request.keepAlive;
    pending.headOnly = request.method == "HEAD";
    pending.status = result.status;
    pending.reason = result.reason;
    pending.allow = result.allow;
    if (result.accepted() && result.response) {
        pending.response = std::move(result.response);
        pending.receivedAtMicros = entry.receivedAtMicros;
        pending.notBeforeMs = m_context->clock.elapsed() + pending.response->delayMs;
        // A final answer of 1xx is what the user asked to see; nothing may follow it.
        if (pending.response->status < 200)
            pending.closeAfter = true;
    }
    if (pending.closeAfter)
        m_stopReading = true;
    submit(std::move(entry), std::move(pending));
}

void HttpConnection::handleFailure(int status, const char *reason, const QString &detail)
{
    const ParsedRequest &request = m_parser.request();
    LoggedRequest entry = logEntry(request);
    if (m_head) {
        entry.webhookId = m_head->webhookId;
    } else {
        const QString webhookId = Endpoint::webhookIdFromPath(request.path);
        if (!webhookId.isEmpty() && m_context->config->current()->webhooks.contains(webhookId))
            entry.webhookId = webhookId;
    }
    m_head.reset();
    entry.status = status;
    entry.reason = reason;
    entry.reasonDetail = detail;

    Pending pending;
    pending.closeAfter = true;
    pending.status = status;
    pending.reason = reason;
    m_stopReading = true;
    m_buffer.clear();
    submit(std::move(entry), std::move(pending));
}

void HttpConnection::submit(LoggedRequest entry, Pending pending)
{
    if (!entry.accepted() && entry.body.size() > RejectedBodyKeptBytes) {
        // A copy of the prefix, so the whole body is freed with the request, not after the commit.
        entry.body = entry.body.first(RejectedBodyKeptBytes);
        entry.bodyTruncated = true;
    }
    Redaction::scrubKeys(entry); // wherever a key came, under any name; after the cut (see there)
    pending.token = m_nextToken++;
    if (!m_context->writer->submit(std::move(entry), m_context->inbox, m_id, pending.token)) {
        // The writer is behind: say so now, so the sender retries, rather than queue without end.
        m_context->stats->overloaded.fetchAndAddRelaxed(1);
        pending.status = 503;
        pending.reason = "overloaded";
        pending.allow.clear();
        pending.ready = true;
        pending.bytes = Endpoint::answer(503, pending.reason, 0, !pending.closeAfter, {},
            m_context->options.retryAfterSeconds, pending.headOnly);
    }
    m_pending.push_back(std::move(pending));
}

void HttpConnection::complete(quint64 token, qint64 requestId)
{
    for (Pending &pending : m_pending) {
        if (pending.token != token)
            continue;
        if (requestId <= 0) {
            // Never 2xx for a row that is not in the log.
            pending.status = 503;
            pending.reason = "storage_unavailable";
            pending.allow.clear();
        }
        if (pending.response && requestId > 0) {
            pending.bytes = Endpoint::customAnswer(*pending.response, requestId,
                pending.receivedAtMicros, !pending.closeAfter, pending.headOnly);
            // The delay holds the answer, not a thread: a timer releases it, and the answers
            // behind it on this connection wait their turn, as HTTP/1.1 orders them.
            const qint64 wait = pending.notBeforeMs - m_context->clock.elapsed();
            if (wait > 0) {
                QTimer::singleShot(
                    std::chrono::milliseconds(wait), this, [this, token]() { release(token); });
                return;
            }
            pending.ready = true;
            return;
        }
        const bool retry = pending.status == 503;
        pending.bytes
            = Endpoint::answer(pending.status, pending.reason, requestId, !pending.closeAfter,
                pending.allow, retry ? m_context->options.retryAfterSeconds : 0, pending.headOnly);
        pending.ready = true;
        return;
    }
}

void HttpConnection::release(quint64 token)
{
    for (Pending &pending : m_pending) {
        if (pending.token == token) {
            pending.ready = true;
            flush();
            return;
        }
    }
}

void HttpConnection::flush()
{
    if (m_finished)
        return;
    const bool wasFull = m_pending.size() >= size_t(m_context->options.maxPipelined);
    bool wrote = false;
    if (unsentBytes() == 0)
        m_writeProgressMs = m_context->clock.elapsed(); // the client owes us no reading so far
    while (!m_pending.empty() && m_pending.front().ready) {
        Pending &front = m_pending.front();
        m_socket->write(front.bytes);
        wrote = true;
        const bool close = front.closeAfter;
        m_pending.pop_front();
        if (close) {
            m_pending.clear();
            closeGracefully();
            return;
        }
    }
    if (wrote) {
        // Write now rather than on the next event-loop pass: saves arming the write notifier
        // (and its system calls) for the common case of an answer that fits the socket buffer.
        m_socket->flush();
        m_lastActivityMs = m_context->clock.elapsed();
    }
    if (wasFull && m_pending.size() < size_t(m_context->options.maxPipelined))
        QMetaObject::invokeMethod(this, &HttpConnection::process, Qt::QueuedConnection);
}

void HttpConnection::closeGracefully()
{
    // Half-close after the answer and drain what the client is still sending: closing with
    // unread data would reset the connection and could destroy the answer before it is read.
    m_lingering = true;
    m_closeDeadlineMs = m_context->clock.elapsed() + LingerMs;
    m_socket->skip(m_socket->bytesAvailable());
    if (unsentBytes() == 0)
        halfClose();
    else
        m_socket->flush();
}

bool HttpConnection::bodyBehindSchedule(qint64 nowMs) const
{
    const ReceiverOptions &options = m_context->options;
    if (options.minBodyBytesPerSecond <= 0 || m_bodyStartMs < 0)
        return false;
    const qint64 late = nowMs - m_bodyStartMs - options.bodyGraceMs;
    return late > 0 && m_parser.request().bodySize < late * options.minBodyBytesPerSecond / 1000;
}

void HttpConnection::checkTimeouts(qint64 nowMs)
{
    if (m_finished)
        return;
    const ReceiverOptions &options = m_context->options;
    if (m_closeDeadlineMs >= 0) {
        // A client that takes neither the answer nor the close does not keep the slot.
        if (nowMs > m_closeDeadlineMs)
            abort();
        return;
    }
    if (m_handshakeStartMs >= 0 && nowMs - m_handshakeStartMs > options.headerTimeoutMs) {
        m_context->stats->tlsHandshakesTimedOut.fetchAndAddRelaxed(1);
        qCDebug(lcReceiver) << "connection" << m_id << "did not finish its TLS handshake in"
                            << options.headerTimeoutMs << "ms; dropped";
        abort();
        return;
    }
    if (unsentBytes() > 0 && nowMs - m_writeProgressMs > options.idleTimeoutMs) {
        qCDebug(lcReceiver) << "connection" << m_id << "does not read its answers; aborted";
        abort();
        return;
    }
    if (m_stopReading || !m_pending.empty())
        return; // waiting on the log, not on the client
    if (requestInProgress()) {
        if (!m_parser.headersDone() && nowMs - m_requestStartMs > options.headerTimeoutMs) {
            handleFailure(408, "request_timeout",
                QStringLiteral("headers not complete after %1 ms").arg(options.headerTimeoutMs));
            flush();
        } else if (m_parser.headersDone() && nowMs - m_lastActivityMs > options.idleTimeoutMs) {
            handleFailure(408, "request_timeout",
                QStringLiteral("body stalled for %1 ms").arg(options.idleTimeoutMs));
            flush();
        } else if (m_parser.headersDone() && bodyBehindSchedule(nowMs)) {
            handleFailure(408, "request_timeout",
                QStringLiteral("body too slow: %1 bytes in %2 ms, under %3 bytes/s")
                    .arg(m_parser.request().bodySize)
                    .arg(nowMs - m_bodyStartMs)
                    .arg(options.minBodyBytesPerSecond));
            flush();
        }
        return;
    }
    if (nowMs - m_lastActivityMs > options.idleTimeoutMs) {
        m_stopReading = true;
        m_closeDeadlineMs = nowMs + LingerMs;
        m_socket->disconnectFromHost();
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            finish();
    }
}

HttpConnection::SheddingRank HttpConnection::sheddingRank(qint64 nowMs) const
{
    if (m_finished || m_stopReading || m_lingering || m_closeDeadlineMs >= 0 || !m_pending.empty()
        || unsentBytes() > 0)
        return {};
    if (!requestInProgress())
        return { 2, nowMs - m_lastActivityMs };
    const int minimum = m_context->options.minBodyBytesPerSecond;
    const qint64 elapsed = std::max<qint64>(1, nowMs - m_requestStartMs);
    const qint64 rate = m_parser.requestBytes() * 1000 / elapsed;
    if (minimum <= 0 || rate >= minimum)
        return {};
    return { 1, -rate };
}

void HttpConnection::shed(qint64 nowMs)
{
    m_context->stats->shed.fetchAndAddRelaxed(1);
    if (requestInProgress()) {
        // Logged like any request that timed out; the slot is wanted now, so no answer waits.
        handleFailure(408, "request_timeout",
            QStringLiteral("closed at the connection cap: %1 bytes in %2 ms")
                .arg(m_parser.requestBytes())
                .arg(nowMs - m_requestStartMs));
    }
    abort();
}

void HttpConnection::halfClose()
{
    // TLS has no half-close: close_notify, then the close once it has left.
    if (m_tls)
        m_tls->disconnectFromHost();
    else
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void HttpConnection::abort()
{
    m_socket->abort();
    finish();
}

void HttpConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    emit finished();
}

} // namespace Hooktrail
