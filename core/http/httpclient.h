// Sends one HTTP/1.1 request exactly as given and reads its response: the header fields in the
// order and spelling given, nothing added but Host, Content-Length and Connection, the body as
// bytes. QNetworkAccessManager cannot do this (it adds Accept-Encoding, Accept-Language and
// User-Agent when a request lacks them), and a replay must send what was received. https goes
// through QSslSocket with the system's certificate checks; nothing waits on the calling thread.
#pragma once

#include "core/base/result.h"
#include "core/http/httpresponsereader.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QUrl>

#include <QSslCertificate>
#include <memory>

class QTimer;

namespace Hooktrail {

struct OutgoingRequest
{
    QUrl url; // http or https
    QByteArray method;
    HeaderList
        headers; // sent as they are, in this order; Host, Content-Length, Connection left out
    QByteArray body;
    // Trusted besides the system's authorities: the console's own receiver's certificate when
    // it sends to itself over TLS (a self-signed one, ARCHITECTURE §5.8).
    QList<QSslCertificate> extraAuthorities;
};

class HttpClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpClient)
public:
    static constexpr qint64 DefaultMaxBodyBytes = 16 * 1024 * 1024;

    explicit HttpClient(QObject *parent = nullptr);
    ~HttpClient() override;

    // How long the exchange may stall (connecting, writing or reading) before it is given up.
    void setTimeout(int ms) { m_timeoutMs = ms; }
    // A response body beyond this is cut (HttpResponse::bodyCut) and the connection closed.
    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }

    // What is wrong with the request before anything is sent (the URL, the method, a header
    // name or value); empty when it can be sent.
    static QString problem(const OutgoingRequest &request);
    // The bytes send() writes: the request line, Host, the headers as given, Content-Length
    // when there is a body or the method carries one, Connection: close, then the body.
    static QByteArray wireBytes(const OutgoingRequest &request);
    // Headers a request must not carry as given, because the client sets them from the URL and
    // body or they are about this one connection.
    static bool isClientManaged(QByteArrayView name);

    // Starts the exchange unless one is on its way (false then); finished() follows, always.
    bool send(const OutgoingRequest &request);
    bool isBusy() const { return m_socket != nullptr; }
    // Gives up the exchange on its way; finished() reports it as cancelled.
    void abort();

signals:
    void finished(const Hooktrail::Result<Hooktrail::HttpResponse> &response);

private:
    void onReadyRead();
    void onDisconnected();
    void onError();
    void end(const Result<HttpResponse> &response);
    void stalled();

    int m_timeoutMs = 30000;
    qint64 m_maxBodyBytes = DefaultMaxBodyBytes;
    QPointer<QTcpSocket> m_socket;
    std::unique_ptr<HttpResponseReader> m_reader;
    QByteArray m_pending; // the request, written once connected
    QTimer *m_stallTimer;
};

} // namespace Hooktrail
