// The fixture the command line's tests derive from: the real hooktrail and hooktrail-server
// executables run as child processes over data folders of their own, and one log filled once
// through a running serve for the tests that read it.
#pragma once

#include "app/cli/commandline.h"
#include "core/base/settings.h"
#include "core/history/curlcommand.h"
#include "core/model/apikey.h"
#include "core/model/webhook.h"
#include "core/store/store.h"
#include "sqltestsupport.h"
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <limits>
#include <pty.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace Hooktrail::TestSupport {

using namespace Qt::StringLiterals;

// serve re-reads webhooks and keys every 200 ms; the rest is margin for a busy machine.
inline constexpr int kFollowTimeoutMs = 1500;

// Every field of a log entry, as ARCHITECTURE §5.3 names them.
inline const QStringList kLogFields
    = u"id receivedAt webhookId method path query httpVersion headers body bodyEncoding "
      u"bodyTruncated "
      u"bodySize contentType clientAddress forwardedFor status reason reasonDetail handlingMicros instance"_s
          .split(u' ');

// A command line written as one string, for arguments without spaces.
inline QStringList words(QStringView line)
{
    return line.toString().split(u' ', Qt::SkipEmptyParts);
}

inline QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

inline QStringList nonEmptyLines(const QByteArray &bytes)
{
    return text(bytes).split(u'\n', Qt::SkipEmptyParts);
}

inline bool succeeded(const ProcessOutcome &outcome)
{
    return outcome.exited && outcome.exitCode == CommandLine::Success;
}

// Why a run went wrong, for QVERIFY2 messages.
inline QByteArray describe(const ProcessOutcome &outcome)
{
    return "exited=" + QByteArray::number(outcome.exited)
        + " code=" + QByteArray::number(outcome.exitCode) + "\nstdout: " + outcome.out
        + "\nstderr: " + outcome.err;
}

// True when any file in the folder holds `needle` anywhere in its bytes.
inline bool folderContains(const QString &folder, const QByteArray &needle)
{
    QDirIterator files(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            return true;
    }
    return false;
}

// "STATUS reason" of one POST to a webhook with the key in the query, on a fresh connection.
inline QString postOutcome(quint16 port, const QString &webhookId, const QString &key)
{
    RawHttpClient client(port);
    if (!client.connectToServer())
        return u"no connection"_s;
    const QByteArray target
        = "/v1/data/webhook/" + webhookId.toLatin1() + "?api-key=" + key.toLatin1();
    client.send(
        httpRequest("POST", target, "Content-Type: application/json\r\n", R"({"ping":true})"));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    if (!answer)
        return u"no answer"_s;
    return QString::number(answer->status) + u' ' + answer->reason();
}

// A data folder whose log holds exactly `rows` (ids set), written straight to its database.
inline bool seedLog(const QString &dataDir, QList<LoggedRequest> &rows)
{
    Result<std::unique_ptr<Store>> store
        = Store::openSqlite(QDir(dataDir).filePath(u"hooktrail.db"_s));
    return store && (*store)->log().append(rows).ok();
}

inline LoggedRequest hostileRow()
{
    LoggedRequest row;
    row.receivedAtMicros = 1'767'225'600'000'000;
    row.method = "POST";
    row.path = "/v1/data/webhook/aaaaaaaa-0000-4000-8000-000000000001";
    row.query = "api-key=***&note='$(id)'";
    row.httpVersion = "HTTP/1.1";
    row.headers = { { "Host", "127.0.0.1" }, { "Content-Type", "text/plain" },
        { "X-C1",
            "\xc2\x9b"
            "2J \xe2\x80\xae" },
        { "X-Quote", "it's `id`" } };
    row.body = "@/etc/passwd\x1b[2J\x1b]0;owned\x07\r\n\x03$(id)";
    row.bodySize = row.body.size();
    row.contentType = "text/plain";
    row.clientAddress = u"127.0.0.1"_s;
    row.status = 415;
    row.reason = "unsupported_media_type";
    row.instance = u"test"_s;
    return row;
}

// Runs the executable with its standard output on a terminal (a pseudo-terminal in raw mode,
// so that what arrives is exactly what it wrote); the output is small enough for its buffer.
inline ProcessOutcome runOnTerminal(
    const QStringList &arguments, const QProcessEnvironment &environment)
{
    ProcessOutcome outcome;
    int master = -1;
    int slave = -1;
    if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0)
        return outcome;
    termios mode;
    ::tcgetattr(slave, &mode);
    ::cfmakeraw(&mode);
    ::tcsetattr(slave, TCSANOW, &mode);
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setChildProcessModifier([slave] { ::dup2(slave, STDOUT_FILENO); });
    process.start(hooktrailBinary(), arguments);
    outcome.exited = process.waitForStarted() && process.waitForFinished(30000)
        && process.exitStatus() == QProcess::NormalExit;
    outcome.exitCode = process.exitCode();
    outcome.err = process.readAllStandardError();
    ::close(slave);
    char buffer[4096];
    for (ssize_t got; (got = ::read(master, buffer, sizeof buffer)) > 0;)
        outcome.out.append(buffer, got);
    ::close(master);
    return outcome;
}

inline unsigned modeOf(const QString &path)
{
    struct stat status;
    return ::stat(QFile::encodeName(path).constData(), &status) == 0 ? status.st_mode & 07777 : 0;
}

inline QStringList replaced(QStringList list, const QString &placeholder, const QString &value)
{
    for (QString &word : list)
        word.replace(placeholder, value);
    return list;
}

class CliTest : public QObject
{
    Q_OBJECT

protected slots: // QTest calls it by name; a test of its own may call it first
    void initTestCase();

protected:
    QString newDataDir() { return m_root.filePath(u"data-%1"_s.arg(++m_dataDirs)); }
    ProcessOutcome hooktrail(const QStringList &arguments, int timeoutMs = 30000)
    {
        return runHooktrail(arguments, m_environment, timeoutMs);
    }
    ProcessOutcome hooktrailIn(const QString &dataDir, QStringList arguments)
    {
        return hooktrail(arguments << u"--data-dir"_s << dataDir);
    }
    void ensureLog();

    QTemporaryDir m_root;
    int m_dataDirs = 0;
    QProcessEnvironment m_environment;

    // One log, filled once through a running serve, read by the log tests.
    struct LogFixture
    {
        bool ready = false;
        QString dataDir;
        QString webhookA;
        QString webhookB;
        QString key;
        QByteArray binaryBody;
        QHash<QString, qint64> ids; // by request label
    } m_log;
};

inline void CliTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(QFileInfo(hooktrailBinary()).isExecutable(),
        "set HOOKTRAIL_BINARY to the hooktrail executable (CTest does)");
    QVERIFY2(QFileInfo(hooktrailServerBinary()).isExecutable(),
        "set HOOKTRAIL_SERVER_BINARY to the hooktrail-server executable (CTest does)");
    QVERIFY(m_root.isValid());
    // A child started without --data-dir must never reach the user's real data folder.
    m_environment = QProcessEnvironment::systemEnvironment();
    m_environment.insert(u"HOOKTRAIL_DATA_DIR"_s, m_root.filePath(u"default"_s));
}

// Sends one request of each kind the log tests look at, through a real `serve`.
inline void CliTest::ensureLog()
{
    if (m_log.ready)
        return;
    m_log = {};
    m_log.dataDir = newDataDir();
    const CliProvision provision = provisionViaCli(m_log.dataDir, u"hook-a"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    m_log.webhookA = provision.webhookId;
    m_log.key = provision.key;
    const ProcessOutcome other = hooktrailIn(m_log.dataDir, words(u"webhook add --name hook-b"));
    QVERIFY2(succeeded(other), describe(other));
    m_log.webhookB = QJsonDocument::fromJson(other.out).object().value(u"id"_s).toString();
    m_log.binaryBody = QByteArray::fromHex("0001feff80c328fffe") + "tail";

    ServeProcess serve;
    QVERIFY2(serve.start(m_log.dataDir), qPrintable(serve.error()));

    const QByteArray pathA = "/v1/data/webhook/" + m_log.webhookA.toLatin1();
    const QByteArray pathB = "/v1/data/webhook/" + m_log.webhookB.toLatin1();
    const QByteArray key = m_log.key.toLatin1();
    const QByteArray json = "Content-Type: application/json\r\n";
    struct Sent
    {
        QString label;
        QByteArray request;
        QString outcome;
    };
    const Sent requests[] = {
        { u"accepted"_s, httpRequest("POST", pathA + "?api-key=" + key, json, R"({"order":1})"),
            u"200 accepted"_s },
        { u"binary"_s,
            httpRequest("POST", pathA + "?api-key=" + key + "&source=test",
                "Content-Type: application/octet-stream\r\n", m_log.binaryBody),
            u"415 unsupported_media_type"_s },
        { u"headerKey"_s, httpRequest("PUT", pathB, "X-Api-Key: " + key + "\r\n" + json, "{}"),
            u"405 method_not_allowed"_s },
        { u"noKey"_s, httpRequest("POST", pathA, json, "{}"), u"401 missing_api_key"_s },
        { u"unknownRoute"_s, httpRequest("GET", "/nowhere?api-key=" + key),
            u"404 unknown_route"_s },
        { u"acceptedB"_s, httpRequest("POST", pathB, "X-Api-Key: " + key + "\r\n" + json, "[1,2]"),
            u"200 accepted"_s },
    };
    // One keep-alive connection, so the ids follow the order of this list.
    RawHttpClient client(serve.port());
    QVERIFY(client.connectToServer());
    for (const Sent &sent : requests) {
        QVERIFY(client.send(sent.request));
        const std::optional<HttpAnswer> answer = client.readAnswer();
        QVERIFY2(answer, qPrintable(sent.label));
        QCOMPARE(QString::number(answer->status) + u' ' + answer->reason(), sent.outcome);
        QVERIFY(answer->requestId() > 0);
        m_log.ids.insert(sent.label, answer->requestId());
    }
    // SIGTERM: the receiver writes what is queued, then ends.
    QCOMPARE(serve.stop(), int(CommandLine::Success));
    m_log.ready = true;
}

} // namespace Hooktrail::TestSupport
