// Sends one HTTP/1.1 request exactly as given and reads its response (see the header).
#include "core/http/httpclient.h"

#include "core/model/webhook.h"

#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace Hooktrail {

namespace {

bool isHttps(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
}

// Methods whose requests carry a body by definition: an empty one is said, as Content-Length 0.
bool carriesBody(QByteArrayView method)
{
    return method == "POST" || method == "PUT" || method == "PATCH";
}

} // namespace

HttpClient::HttpClient(QObject *parent) : QObject(parent), m_stallTimer(new QTimer(this))
{
    m_stallTimer->setSingleShot(true);
    connect(m_stallTimer, &QTimer::timeout, this, &HttpClient::stalled);
}

HttpClient::~HttpClient()
{
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
        delete m_socket;
    }
}

bool HttpClient::isClientManaged(QByteArrayView name)
{
    for (const char *managed : { "host", "content-length", "connection", "keep-alive",
             "transfer-encoding", "te", "upgrade", "expect", "proxy-connection" }) {
        if (name.compare(managed, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString HttpClient::problem(const OutgoingRequest &request)
{
    const QUrl &url = request.url;
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) != 0 && !isHttps(url)))
        return tr("Enter an http:// or https:// URL.");
    if (request.method.isEmpty() || !isHttpToken(QString::fromLatin1(request.method)))
        return tr("“%1” is not a valid method.").arg(QString::fromLatin1(request.method));
    for (const auto &[name, value] : request.headers) {
        if (!isHttpToken(QString::fromLatin1(name)))
            return tr("“%1” is not a valid header name.").arg(QString::fromLatin1(name));
        // A line break in a value would start another header, or another request.
        if (value.contains('\r') || value.contains('\n') || value.contains('\0'))
            return tr("The value of %1 holds a line break, which HTTP does not allow.")
                .arg(QString::fromLatin1(name));
    }
    return {};
}

QByteArray HttpClient::wireBytes(const OutgoingRequest &request)
{
    const QUrl &url = request.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // an IPv6 address
    if (url.port() >= 0)
        host += ':' + QByteArray::number(url.port());

    QByteArray bytes = request.method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    for (const auto &[name, value] : request.headers) {
        if (!isClientManaged(name))
            bytes += name + ": " + value + "\r\n";
    }
    if (!request.body.isEmpty() || carriesBody(request.method))
        bytes += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    bytes += "Connection: close\r\n\r\n";
    return bytes + request.body;
}

bool HttpClient::send(const OutgoingRequest &request)
{
    if (m_socket)
        return false;
    if (const QString wrong = problem(request); !wrong.isEmpty()) {
        // Reported like any other failure, after send() returns, so callers have one path.
        QTimer::singleShot(
            0, this, [this, wrong] { emit finished(Result<HttpResponse>::failure(wrong)); });
        return true;
    }
    m_pending = wireBytes(request);
    m_reader = std::make_unique<HttpResponseReader>(m_maxBodyBytes, request.method == "HEAD");
    const bool https = isHttps(request.url);
    const quint16 port = quint16(request.url.port(https ? 443 : 80));
    const QString host = request.url.host();
    if (https && !QSslSocket::supportsSsl()) {
        QTimer::singleShot(0, this, [this] {
            emit finished(Result<HttpResponse>::failure(
                tr("This system has no TLS library, so https:// URLs cannot be reached.")));
        });
        return true;
    }
    QTcpSocket *socket = https ? new QSslSocket(this) : new QTcpSocket(this);
    m_socket = socket;
    const auto write = [this] {
        m_stallTimer->start(m_timeoutMs);
        m_socket->write(m_pending);
        m_pending.clear();
    };
    connect(socket, &QTcpSocket::readyRead, this, &HttpClient::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, [this] { m_stallTimer->start(m_timeoutMs); });
    connect(socket, &QTcpSocket::disconnected, this, &HttpClient::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, &HttpClient::onError);
    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        if (!request.extraAuthorities.isEmpty()) {
            QSslConfiguration configuration = ssl->sslConfiguration();
            configuration.addCaCertificates(request.extraAuthorities);
            ssl->setSslConfiguration(configuration);
        }
        connect(ssl, &QSslSocket::encrypted, this, write);
        ssl->connectToHostEncrypted(host, port);
    } else {
        connect(socket, &QTcpSocket::connected, this, write);
        socket->connectToHost(host, port);
    }
    m_stallTimer->start(m_timeoutMs);
    return true;
}

void HttpClient::abort()
{
    if (m_socket)
        end(Result<HttpResponse>::failure(tr("Cancelled.")));
}

void HttpClient::onReadyRead()
{
    if (!m_socket)
        return;
    m_stallTimer->start(m_timeoutMs);
    const HttpResponseReader::Status status = m_reader->feed(m_socket->readAll());
    if (status == HttpResponseReader::Status::Complete)
        end(m_reader->response());
    else if (status == HttpResponseReader::Status::Failed)
        end(Result<HttpResponse>::failure(m_reader->error()));
}

void HttpClient::onDisconnected()
{
    if (!m_socket)
        return;
    if (m_socket->bytesAvailable() > 0) {
        onReadyRead();
        if (!m_socket)
            return;
    }
    if (m_reader->finish() == HttpResponseReader::Status::Complete)
        end(m_reader->response());
    else
        end(Result<HttpResponse>::failure(m_reader->error()));
}

void HttpClient::onError()
{
    if (!m_socket)
        return;
    // The server closing is how some responses end: the reader decides.
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError) {
        onDisconnected();
        return;
    }
    end(Result<HttpResponse>::failure(m_socket->errorString()));
}

void HttpClient::stalled()
{
    if (!m_socket)
        return;
    const int seconds = std::max(1, m_timeoutMs / 1000);
    end(Result<HttpResponse>::failure(tr("Nothing came for %n second(s).", nullptr, seconds)));
}

void HttpClient::end(const Result<HttpResponse> &response)
{
    m_stallTimer->stop();
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    m_reader.reset();
    m_pending.clear();
    if (socket) {
        disconnect(socket, nullptr, this, nullptr);
        socket->abort();
        socket->deleteLater();
    }
    emit finished(response);
}

} // namespace Hooktrail
