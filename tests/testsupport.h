// Helpers shared by the test executables: a raw-socket HTTP client, an ordinary one, process
// memory figures, the hooktrail executable as a child process, and the console's running parts.
#pragma once

#include "core/base/settings.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPair>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include <sys/mount.h>
#include <sys/resource.h>

namespace Hooktrail::TestSupport {

// One HTTP answer as it came over the wire.
struct HttpAnswer
{
    QByteArray statusLine; // without CRLF
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // The first value of a header, name compared case-insensitively; null when absent.
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const { return !header(name).isNull(); }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    // The endpoint contract's requestId; 0 when it is null or missing.
    qint64 requestId() const { return json().value(QStringLiteral("requestId")).toInteger(); }
    QString reason() const { return json().value(QStringLiteral("reason")).toString(); }
};

// Parses one answer from the front of `buffer` and removes it; nullopt until it is whole.
inline std::optional<HttpAnswer> takeAnswer(QByteArray &buffer)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    HttpAnswer answer;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    answer.statusLine = lines.first().trimmed();
    const QList<QByteArray> parts = answer.statusLine.split(' ');
    answer.status = parts.size() > 1 ? parts.at(1).toInt() : 0;
    qint64 length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        answer.headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
    }
    if (answer.status >= 200 && answer.status != 204 && answer.status != 304)
        length = answer.header("content-length").toLongLong();
    if (buffer.size() < end + 4 + length)
        return std::nullopt;
    answer.body = buffer.mid(end + 4, length);
    buffer.remove(0, end + 4 + length);
    return answer;
}

// A request as bytes: a Host header, the given header lines (each ending in CRLF), and a
// Content-Length when there is a body.
inline QByteArray httpRequest(QByteArrayView method, QByteArrayView target,
    QByteArrayView headerLines = {}, QByteArrayView body = {}, QByteArrayView version = "HTTP/1.1")
{
    QByteArray out = method.toByteArray() + ' ' + target.toByteArray() + ' ' + version.toByteArray()
        + "\r\nHost: 127.0.0.1\r\n" + headerLines.toByteArray();
    if (!body.isEmpty())
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body.toByteArray();
}

// A client that writes exactly the bytes it is given, for requests no ordinary client would
// send. Blocking calls: use it on a thread that has nothing else to do meanwhile.
class RawHttpClient final
{
public:
    explicit RawHttpClient(quint16 port, QHostAddress host = QHostAddress(QHostAddress::LocalHost))
        : m_host(std::move(host)), m_port(port), m_socket(std::make_unique<QTcpSocket>())
    { }

    bool connectToServer(int timeoutMs = 5000)
    {
        m_socket->connectToHost(m_host, m_port);
        return m_socket->waitForConnected(timeoutMs);
    }

    // Returns once the bytes are handed to the kernel (or the connection broke).
    bool send(QByteArrayView bytes, int timeoutMs = 5000)
    {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            return false;
        if (m_socket->write(bytes.data(), bytes.size()) != bytes.size())
            return false;
        const QDeadlineTimer deadline(timeoutMs);
        while (m_socket->bytesToWrite() > 0 && !deadline.hasExpired()) {
            if (!m_socket->waitForBytesWritten(int(deadline.remainingTime())))
                break;
        }
        return m_socket->bytesToWrite() == 0;
    }

    // Reads what arrives within timeoutMs into buffer(); false when nothing came.
    bool pump(int timeoutMs)
    {
        const qsizetype before = m_buffer.size();
        drain();
        if (m_buffer.size() == before && m_socket->state() == QAbstractSocket::ConnectedState) {
            m_socket->waitForReadyRead(timeoutMs);
            drain();
        }
        return m_buffer.size() > before;
    }

    // The next answer (an interim 100 Continue included), or nullopt on timeout or close.
    std::optional<HttpAnswer> readAnswer(int timeoutMs = 5000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            if (auto answer = takeAnswer(m_buffer))
                return answer;
            if (deadline.hasExpired() || isClosed())
                return std::nullopt;
            pump(int(deadline.remainingTime()));
        }
    }

    // True once the server has closed the connection; data before the close stays in buffer().
    bool waitForClosed(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!isClosed() && !deadline.hasExpired())
            pump(int(std::max<qint64>(1, deadline.remainingTime())));
        drain();
        return isClosed();
    }

    bool isClosed() const { return m_socket->state() == QAbstractSocket::UnconnectedState; }
    QByteArray &buffer() { return m_buffer; }
    QTcpSocket &socket() { return *m_socket; }

private:
    void drain()
    {
        if (m_socket->bytesAvailable() > 0)
            m_buffer += m_socket->readAll();
    }

    QHostAddress m_host;
    quint16 m_port;
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
};

// A field of /proc/self/status in KiB (VmRSS, VmHWM, ...); -1 when unavailable.
inline qint64 procStatusKb(QByteArrayView field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field) && line.size() > field.size() && line.at(field.size()) == ':')
            return line.mid(field.size() + 1).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Resets VmHWM to the current RSS, so a later VmHWM shows the peak of what ran in between.
inline bool resetPeakRss()
{
    QFile file(QStringLiteral("/proc/self/clear_refs"));
    return file.open(QIODevice::WriteOnly) && file.write("5") == 1;
}

// The hooktrail executable under test: CTest sets HOOKTRAIL_BINARY; by hand, export it as
// <build>/app/hooktrail.
inline QString hooktrailBinary()
{
    return qEnvironmentVariable("HOOKTRAIL_BINARY");
}

// hooktrail-server, the same way: HOOKTRAIL_SERVER_BINARY.
inline QString hooktrailServerBinary()
{
    return qEnvironmentVariable("HOOKTRAIL_SERVER_BINARY");
}

// What one run of the executable left behind.
struct ProcessOutcome
{
    bool exited = false; // it ended by itself in time: neither crashed nor killed for lingering
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs `hooktrail arguments...` (or another binary) to completion, killing it if it outlives
// timeoutMs.
inline ProcessOutcome runHooktrail(const QStringList &arguments,
    const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
    int timeoutMs = 30000, const QString &binary = hooktrailBinary())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(binary, arguments);
    ProcessOutcome outcome;
    outcome.exited = process.waitForStarted(timeoutMs) && process.waitForFinished(timeoutMs)
        && process.exitStatus() == QProcess::NormalExit;
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
    }
    outcome.exitCode = process.exitCode();
    outcome.out = process.readAllStandardOutput();
    outcome.err = process.readAllStandardError();
    return outcome;
}

// A POST webhook and an API key in a data folder, made through the CLI as a user would.
struct CliProvision
{
    QString webhookId;
    QString key;
    QString error; // empty on success
};

inline CliProvision provisionViaCli(const QString &dataDir, const QString &webhookName)
{
    CliProvision provision;
    const ProcessOutcome webhook = runHooktrail({ QStringLiteral("webhook"), QStringLiteral("add"),
        QStringLiteral("--name"), webhookName, QStringLiteral("--data-dir"), dataDir });
    provision.webhookId
        = QJsonDocument::fromJson(webhook.out).object().value(QStringLiteral("id")).toString();
    const ProcessOutcome key = runHooktrail({ QStringLiteral("key"), QStringLiteral("add"),
        QStringLiteral("--name"), webhookName, QStringLiteral("--data-dir"), dataDir });
    provision.key = QString::fromUtf8(key.out).trimmed();
    if (!webhook.exited || webhook.exitCode != 0 || provision.webhookId.isEmpty())
        provision.error = QStringLiteral("webhook add failed: ") + QString::fromUtf8(webhook.err);
    else if (!key.exited || key.exitCode != 0 || provision.key.isEmpty())
        provision.error = QStringLiteral("key add failed: ") + QString::fromUtf8(key.err);
    return provision;
}

// Keeps several keep-alive connections busy, one request in flight on each, and keeps the
// requestId of every 2xx answer that arrived whole: those are the acknowledged requests.
class LoadGenerator final
{
    Q_DISABLE_COPY_MOVE(LoadGenerator)
public:
    LoadGenerator(quint16 port, QByteArray target, int connections) : m_target(std::move(target))
    {
        for (int i = 0; i < connections; ++i) {
            auto connection = std::make_unique<Connection>();
            Connection *c = connection.get();
            QObject::connect(&c->socket, &QTcpSocket::connected, [this, c] { sendNext(*c); });
            QObject::connect(&c->socket, &QTcpSocket::readyRead, [this, c] { read(*c); });
            QObject::connect(&c->socket, &QTcpSocket::disconnected, [this, c] { read(*c); });
            c->socket.connectToHost(QHostAddress::LocalHost, port);
            m_connections.push_back(std::move(connection));
        }
    }

    ~LoadGenerator()
    {
        // A socket torn down while connected signals once more; nobody is listening by then.
        for (const auto &connection : m_connections)
            connection->socket.disconnect();
    }

    const QList<qint64> &acknowledged() const { return m_acknowledged; }
    int otherAnswers() const { return m_otherAnswers; }
    int inFlight() const
    {
        int count = 0;
        for (const auto &connection : m_connections)
            count += connection->waiting ? 1 : 0;
        return count;
    }
    bool allClosed() const
    {
        return std::all_of(m_connections.begin(), m_connections.end(), [](const auto &connection) {
            return connection->socket.state() == QAbstractSocket::UnconnectedState;
        });
    }

private:
    struct Connection
    {
        QTcpSocket socket;
        QByteArray buffer;
        bool waiting = false;
    };

    void sendNext(Connection &connection)
    {
        if (connection.socket.state() != QAbstractSocket::ConnectedState)
            return;
        const QByteArray body = R"({"event":"load","seq":)" + QByteArray::number(++m_sent) + '}';
        connection.socket.write(
            httpRequest("POST", m_target, "Content-Type: application/json\r\n", body));
        connection.waiting = true;
    }

    void read(Connection &connection)
    {
        connection.buffer += connection.socket.readAll();
        while (std::optional<HttpAnswer> answer = takeAnswer(connection.buffer)) {
            connection.waiting = false;
            if (answer->status >= 200 && answer->status < 300)
                m_acknowledged.append(answer->requestId());
            else
                ++m_otherAnswers;
            sendNext(connection);
        }
    }

    QByteArray m_target;
    std::vector<std::unique_ptr<Connection>> m_connections;
    QList<qint64> m_acknowledged;
    int m_otherAnswers = 0;
    qint64 m_sent = 0;
};

// `hooktrail serve --listen 127.0.0.1:0` (or hooktrail-server's) on a data folder, and the port
// it announced.
class ServeProcess final
{
    Q_DISABLE_COPY_MOVE(ServeProcess)
public:
    explicit ServeProcess(QString binary = hooktrailBinary()) : m_binary(std::move(binary)) { }
    ~ServeProcess() { kill(); }

    // Starts the receiver and waits for its "receiving on 127.0.0.1:PORT" line; on failure,
    // error() says why.
    bool start(const QString &dataDir, int timeoutMs = 15000, const QStringList &more = {})
    {
        m_process.start(m_binary,
            QStringList { QStringLiteral("serve"), QStringLiteral("--listen"),
                QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dataDir }
                + more);
        if (!m_process.waitForStarted(timeoutMs)) {
            m_error = m_process.errorString();
            return false;
        }
        static const QRegularExpression announced(
            QStringLiteral(R"(receiving on 127\.0\.0\.1:(\d+))"));
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            m_output += m_process.readAllStandardOutput();
            if (const QRegularExpressionMatch match = announced.match(QString::fromUtf8(m_output));
                match.hasMatch()) {
                m_port = match.captured(1).toUShort();
                return m_port != 0;
            }
            if (m_process.state() == QProcess::NotRunning)
                break;
            m_process.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        }
        m_error = QStringLiteral("serve did not announce its port; stdout: %1 stderr: %2")
                      .arg(QString::fromUtf8(m_output),
                          QString::fromUtf8(m_process.readAllStandardError()));
        kill();
        return false;
    }

    // SIGTERM, the clean way out; returns the exit code, or -1 when it did not end normally.
    int stop(int timeoutMs = 15000)
    {
        m_process.terminate();
        if (!m_process.waitForFinished(timeoutMs)) {
            kill();
            return -1;
        }
        m_output += m_process.readAllStandardOutput();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }

    // SIGKILL: no chance to flush or say goodbye.
    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(15000);
    }

    quint16 port() const { return m_port; }
    QString error() const { return m_error; }
    QByteArray output() const { return m_output; } // stdout so far
    QProcess &process() { return m_process; }

private:
    QString m_binary;
    QProcess m_process;
    quint16 m_port = 0;
    QByteArray m_output;
    QString m_error;
};

// Sends a request as an ordinary client does (QNetworkAccessManager) and returns the answer,
// running the event loop meanwhile so a receiver or GUI on this thread keeps working; status 0
// and the error in body when no answer came.
inline HttpAnswer sendRequest(const QString &url, const QByteArray &method,
    const QList<QPair<QByteArray, QByteArray>> &headers = {}, const QByteArray &body = {},
    int timeoutMs = 10000)
{
    QNetworkAccessManager network;
    QNetworkRequest request { QUrl(url) };
    request.setTransferTimeout(timeoutMs);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = body.isEmpty() ? network.sendCustomRequest(request, method)
                                          : network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        answer.headers.append({ name, value });
    answer.body = answer.status != 0 ? reply->readAll() : reply->errorString().toUtf8();
    delete reply;
    return answer;
}

// Empty when the answer is one the endpoint contract (ARCHITECTURE §5.2) allows: a status line of a
// known status, the JSON body {"status","reason","requestId"} with matching length and type,
// Retry-After on a 503, Allow on a 405; otherwise what is wrong with it.
inline QString contractViolation(const HttpAnswer &answer)
{
    static const QSet<int> statuses { 200, 400, 401, 403, 404, 405, 408, 413, 415, 431, 501, 503,
        505 };
    static const QRegularExpression statusLine(QStringLiteral(R"(^HTTP/1\.1 (\d{3}) [A-Za-z ]+$)"));
    const QString line = QString::fromLatin1(answer.statusLine);
    if (answer.status == 100)
        return line == QStringLiteral("HTTP/1.1 100 Continue") && answer.headers.isEmpty()
            ? QString()
            : QStringLiteral("malformed interim answer: ") + line;
    if (!statusLine.match(line).hasMatch())
        return QStringLiteral("malformed status line: ") + line;
    if (!statuses.contains(answer.status))
        return QStringLiteral("status outside the contract: ") + line;
    if (answer.header("content-type") != "application/json")
        return QStringLiteral("Content-Type is not application/json");
    if (answer.header("content-length").toLongLong() != answer.body.size())
        return QStringLiteral("Content-Length does not match the body");
    const QByteArray connection = answer.header("connection");
    if (connection != "keep-alive" && connection != "close")
        return QStringLiteral("Connection is neither keep-alive nor close");
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(answer.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return QStringLiteral("body is not a JSON object: ") + QString::fromUtf8(answer.body);
    const QJsonObject json = document.object();
    QStringList keys = json.keys();
    std::sort(keys.begin(), keys.end());
    if (keys
        != QStringList {
            QStringLiteral("reason"), QStringLiteral("requestId"), QStringLiteral("status") })
        return QStringLiteral("unexpected JSON keys: ") + keys.join(u',');
    const bool accepted = answer.status >= 200 && answer.status < 300;
    if (json.value(QStringLiteral("status")).toString()
        != (accepted ? QStringLiteral("accepted") : QStringLiteral("rejected")))
        return QStringLiteral("JSON status does not match the HTTP status");
    if (json.value(QStringLiteral("reason")).toString().isEmpty())
        return QStringLiteral("no reason code");
    const QJsonValue id = json.value(QStringLiteral("requestId"));
    if (!id.isNull() && !(id.isDouble() && id.toInteger() > 0))
        return QStringLiteral("requestId is neither null nor a positive integer");
    if (answer.status == 503 && answer.header("retry-after").toInt() <= 0)
        return QStringLiteral("503 without Retry-After");
    if (answer.status == 405 && answer.header("allow").isEmpty())
        return QStringLiteral("405 without Allow");
    return {};
}

// Every logged request by id, paged by key as the console does.
inline Result<QHash<qint64, LoggedRequest>> loggedRequests(Store &store)
{
    QHash<qint64, LoggedRequest> logged;
    RequestFilter filter;
    filter.limit = 1000;
    for (;;) {
        const Result<QList<LoggedRequest>> page = store.queries().requests(filter);
        if (!page)
            return Result<QHash<qint64, LoggedRequest>>::failure(page.error());
        for (const LoggedRequest &entry : *page)
            logged.insert(entry.id, entry);
        if (page->size() < filter.limit)
            return logged;
        filter.beforeId = page->last().id;
    }
}

// The p-th percentile (0-100) of samples, nearest rank; 0 when there are none.
inline double percentile(QList<double> samples, double p)
{
    if (samples.isEmpty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const qsizetype rank = qsizetype(std::ceil(p / 100.0 * double(samples.size())));
    return samples.at(std::clamp<qsizetype>(rank - 1, 0, samples.size() - 1));
}

// Hundreds of sockets in one process: lifts the soft descriptor limit to the hard one.
// Returns the soft limit now in force.
inline rlim_t raiseOpenFileLimit()
{
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

// A small tmpfs of its own, for a disk that fills or turns read-only on demand. Needs root
// (or CAP_SYS_ADMIN); when the mount is refused, error() says why and the caller skips.
// Unmounted when it goes out of scope, whatever the test did meanwhile.
class TmpfsMount final
{
    Q_DISABLE_COPY_MOVE(TmpfsMount)
public:
    explicit TmpfsMount(qint64 sizeBytes)
    {
        if (!m_dir.isValid()) {
            m_error = QStringLiteral("no temporary folder: ") + m_dir.errorString();
            return;
        }
        const QByteArray options = "size=" + QByteArray::number(sizeBytes) + ",mode=0700";
        if (::mount("tmpfs", QFile::encodeName(m_dir.path()).constData(), "tmpfs", 0,
                options.constData())
            != 0) {
            m_error = QStringLiteral("cannot mount a tmpfs (needs root): ")
                + QString::fromLocal8Bit(std::strerror(errno));
            return;
        }
        m_mounted = true;
    }
    ~TmpfsMount() { unmount(); }

    // Resizes the mounted filesystem, e.g. to give a full disk room again.
    bool resize(qint64 sizeBytes)
    {
        const QByteArray options = "size=" + QByteArray::number(sizeBytes);
        return m_mounted
            && ::mount("tmpfs", QFile::encodeName(m_dir.path()).constData(), "tmpfs", MS_REMOUNT,
                   options.constData())
            == 0;
    }

    void unmount()
    {
        if (!m_mounted)
            return;
        const QByteArray path = QFile::encodeName(m_dir.path());
        // Lazily when something still holds a file there: it goes once the last one closes.
        if (::umount2(path.constData(), 0) != 0)
            ::umount2(path.constData(), MNT_DETACH);
        m_mounted = false;
    }

    bool isMounted() const { return m_mounted; }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    QString error() const { return m_error; }

private:
    QTemporaryDir m_dir;
    bool m_mounted = false;
    QString m_error;
};

// What the console runs on, in a temporary data folder: settings, the engine with its receiver
// on a free loopback port, a store executor the receiver follows (as runConsole wires it), and
// a direct store connection for arranging and checking.
class ConsoleFixture final
{
    Q_DISABLE_COPY_MOVE(ConsoleFixture)
public:
    ConsoleFixture() = default;
    ~ConsoleFixture()
    {
        if (m_executor)
            m_executor->waitForIdle();
    }

    // On failure, error() says why. Without the receiver, the caller starts it (as MainWindow
    // does).
    enum class ReceiverStart { Now, Later };
    bool start(ReceiverStart receiver = ReceiverStart::Now)
    {
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary folder: ") + m_dir.errorString());
        m_settings = std::make_unique<Settings>(m_dir.path());
        m_settings->setListen(QHostAddress(QHostAddress::LocalHost), 0);
        m_engine = std::make_unique<Engine>(Engine::sqliteFactory(m_settings->databasePath()));
        if (const Status status = m_engine->open(); !status)
            return fail(QStringLiteral("engine: ") + status.error());
        if (receiver == ReceiverStart::Now) {
            if (const Status status = m_engine->startReceiver(m_settings->receiverOptions());
                !status)
                return fail(QStringLiteral("receiver: ") + status.error());
        }
        m_executor = std::make_unique<StoreExecutor>(m_engine->storeFactory());
        Engine *engine = m_engine.get();
        m_executor->setAfterWrite([engine] { engine->config()->refresh(); });
        auto store = Store::openSqlite(m_settings->databasePath());
        if (!store)
            return fail(QStringLiteral("store: ") + store.error());
        m_store = std::move(store).value();
        return true;
    }

    // After changing the database through store(): the receiver sees it from now on.
    void receiverFollows() { m_engine->config()->refresh(); }

    QString error() const { return m_error; }
    QString dataDir() const { return m_dir.path(); }
    quint16 port() const { return m_engine->receiver()->port(); }
    QString endpoint(const QString &webhookId) const
    {
        return m_settings->endpoint(webhookId, port());
    }
    Settings *settings() const { return m_settings.get(); }
    Engine *engine() const { return m_engine.get(); }
    StoreExecutor *executor() const { return m_executor.get(); }
    Store *store() const { return m_store.get(); }

private:
    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }

    QTemporaryDir m_dir;
    QString m_error;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<StoreExecutor> m_executor;
    std::unique_ptr<Store> m_store;
};

// The ids and the names of webhooks, in order, for comparing lists.
inline QStringList idsOf(const QList<Webhook> &webhooks)
{
    QStringList ids;
    for (const Webhook &webhook : webhooks)
        ids.append(webhook.id);
    return ids;
}

inline QStringList namesOf(const QList<Webhook> &webhooks)
{
    QStringList names;
    for (const Webhook &webhook : webhooks)
        names.append(webhook.name);
    return names;
}

} // namespace Hooktrail::TestSupport
