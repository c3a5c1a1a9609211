// One client connection: reads requests with the limits enforced, runs admission, and writes
// the answers in arrival order once the log has them.
#pragma once

#include "core/http/httprequestparser.h"
#include "core/model/loggedrequest.h"
#include "core/receiver/admission.h"

#include <QHostAddress>
#include <QObject>
#include <deque>
#include <optional>

class QSslSocket;
class QTcpSocket;

namespace Hooktrail {

struct ReceiverContext;

class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)
public:
    HttpConnection(quint64 id, QTcpSocket *socket, ReceiverContext *context, QObject *parent);
    ~HttpConnection() override;

    void begin();
    void refuseOverloaded();
    // At the connection cap: how readily this connection gives its slot to a newcomer. Idle
    // ones (nothing asked, nothing owed) go first, the longest idle first; then requests
    // arriving slower than the minimum body rate, the slowest first. Never one whose answers
    // are owed or one arriving at a good rate.
    struct SheddingRank
    {
        int tier = 0; // 0: keep; 1: slow; 2: idle
        qint64 key = 0; // within a tier, higher goes first
    };
    SheddingRank sheddingRank(qint64 nowMs) const;
    void shed(qint64 nowMs);
    void complete(quint64 token, qint64 requestId);
    // A delayed answer's time has come.
    void release(quint64 token);
    void flush();
    void checkTimeouts(qint64 nowMs);
    void abort();

    // What the log keeps of a parsed request, secrets redacted: everything but when it came,
    // from where, through which receiver and how it was judged.
    static LoggedRequest logEntryOf(const ParsedRequest &request);

signals:
    void finished();

private:
    struct Pending
    {
        quint64 token = 0;
        bool ready = false;
        bool closeAfter = false;
        bool headOnly = false;
        int status = 0;
        QByteArray reason;
        QByteArray allow;
        QByteArray bytes; // the whole answer once ready
        // The webhook's answer for an accepted request (ARCHITECTURE §5.6), and the moment,
        // monotonic, before which it may not leave (its delay, counted from the request's end).
        std::optional<CustomResponse> response;
        qint64 receivedAtMicros = 0;
        qint64 notBeforeMs = 0;
    };

    void onReadyRead();
    void onBytesWritten();
    void process();
    void judgeHead();
    void handleRequest(ParsedRequest request);
    void handleFailure(int status, const char *reason, const QString &detail);
    void submit(LoggedRequest entry, Pending pending);
    LoggedRequest logEntry(const ParsedRequest &request) const;
    void closeGracefully();
    void halfClose();
    void finish();
    qint64 unsentBytes() const;
    bool requestInProgress() const { return m_requestStartMs >= 0 && m_parser.inProgress(); }
    bool bodyBehindSchedule(qint64 nowMs) const;

    quint64 m_id;
    QTcpSocket *m_socket;
    QSslSocket *m_tls; // the same socket when the connection is TLS, else null
    ReceiverContext *m_context;
    HttpRequestParser m_parser;
    QByteArray m_buffer;
    std::deque<Pending> m_pending;
    quint64 m_nextToken = 1;
    QHostAddress m_peer;
    QHostAddress m_peerUnmapped; // IPv4-mapped peers as plain IPv4
    QString m_peerText;
    qint64 m_lastActivityMs = 0;
    qint64 m_handshakeStartMs = -1; // monotonic; TLS only, until the handshake is done
    qint64 m_requestStartMs = -1; // monotonic, first byte of the request being read
    qint64 m_requestStartMicros = 0; // wall clock of the same moment, for the log
    qint64 m_bodyStartMs = -1; // monotonic, end of the headers of the request being read
    // Checks 1-8 of the request being read, once its headers are in, and the time they took.
    std::optional<AdmissionResult> m_head;
    qint64 m_headMicros = 0;
    // Monotonic, the last time the client took answer bytes (or none were waiting).
    qint64 m_writeProgressMs = 0;
    bool m_stopReading = false; // an answer that closes the connection is queued
    bool m_readPaused = false; // answers pile up unread: nothing more is read until they leave
    bool m_lingering = false; // answered and half-closed; draining what the client still sends
    qint64 m_closeDeadlineMs = -1; // closing: aborted if the close has not completed by then
    bool m_parserWantsData = true;
    bool m_finished = false;
};

} // namespace Hooktrail
