// Helpers shared by the test executables: a raw-socket HTTP client, an ordinary one, process
// memory figures, the hooktrail executable as a child process, and the console's running parts.
#pragma once

#include "configcache.h"
#include "engine.h"
#include "receiver.h"
#include "settings.h"
#include "store.h"
#include "storeexecutor.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPair>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>
#include <optional>

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

// What one run of the executable left behind.
struct ProcessOutcome
{
    bool exited = false; // it ended by itself in time: neither crashed nor killed for lingering
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs `hooktrail arguments...` to completion, killing it if it outlives timeoutMs.
inline ProcessOutcome runHooktrail(const QStringList &arguments,
    const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
    int timeoutMs = 30000)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(hooktrailBinary(), arguments);
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

// `hooktrail serve --listen 127.0.0.1:0` on a data folder, and the port it announced.
class ServeProcess final
{
    Q_DISABLE_COPY_MOVE(ServeProcess)
public:
    ServeProcess() = default;
    ~ServeProcess() { kill(); }

    // Starts the receiver and waits for its "receiving on 127.0.0.1:PORT" line; on failure,
    // error() says why.
    bool start(const QString &dataDir, int timeoutMs = 15000)
    {
        m_process.start(hooktrailBinary(),
            { QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                QStringLiteral("--data-dir"), dataDir });
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
            if (const Status status = m_engine->startReceiver(m_settings->receiverOptions()); !status)
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
    QString endpoint(const QString &webhookId) const { return m_settings->endpoint(webhookId, port()); }
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

} // namespace Hooktrail::TestSupport
