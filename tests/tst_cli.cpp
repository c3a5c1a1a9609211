// Tests for the command line, driving the real hooktrail and hooktrail-server executables as
// child processes.
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

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

// serve re-reads webhooks and keys every 200 ms; the rest is margin for a busy machine.
constexpr int kFollowTimeoutMs = 1500;

// Every field of a log entry, as DESIGN §3 names them.
const QStringList kLogFields
    = u"id receivedAt webhookId method path query httpVersion headers body bodyEncoding "
      u"bodyTruncated "
      u"bodySize contentType clientAddress forwardedFor status reason reasonDetail handlingMicros instance"_s
          .split(u' ');

// A command line written as one string, for arguments without spaces.
QStringList words(QStringView line)
{
    return line.toString().split(u' ', Qt::SkipEmptyParts);
}

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

QStringList nonEmptyLines(const QByteArray &bytes)
{
    return text(bytes).split(u'\n', Qt::SkipEmptyParts);
}

bool succeeded(const ProcessOutcome &outcome)
{
    return outcome.exited && outcome.exitCode == CommandLine::Success;
}

// Why a run went wrong, for QVERIFY2 messages.
QByteArray describe(const ProcessOutcome &outcome)
{
    return "exited=" + QByteArray::number(outcome.exited)
        + " code=" + QByteArray::number(outcome.exitCode) + "\nstdout: " + outcome.out
        + "\nstderr: " + outcome.err;
}

// True when any file in the folder holds `needle` anywhere in its bytes.
bool folderContains(const QString &folder, const QByteArray &needle)
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
QString postOutcome(quint16 port, const QString &webhookId, const QString &key)
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
bool seedLog(const QString &dataDir, QList<LoggedRequest> &rows)
{
    Result<std::unique_ptr<Store>> store
        = Store::openSqlite(QDir(dataDir).filePath(u"hooktrail.db"_s));
    return store && (*store)->log().append(rows).ok();
}

LoggedRequest hostileRow()
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
ProcessOutcome runOnTerminal(const QStringList &arguments, const QProcessEnvironment &environment)
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

unsigned modeOf(const QString &path)
{
    struct stat status;
    return ::stat(QFile::encodeName(path).constData(), &status) == 0 ? status.st_mode & 07777 : 0;
}

QStringList replaced(QStringList list, const QString &placeholder, const QString &value)
{
    for (QString &word : list)
        word.replace(placeholder, value);
    return list;
}

} // namespace

class CliTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void usageErrors_data();
    void usageErrors();
    void versionAndHelp_data();
    void versionAndHelp();
    void globalOptionAnywhere_data();
    void globalOptionAnywhere();
    void dataDirFromEnvironment();
    void unusableDataDir_data();
    void unusableDataDir();
    void speaksEnglishUnderAFrenchLocale();

    void webhookAddPrintsJson();
    void webhookValidationListsEveryProblem_data();
    void webhookValidationListsEveryProblem();
    void webhookDuplicateName();
    void webhookUnknownId_data();
    void webhookUnknownId();
    void webhookLifecycle();

    void keyShownOnceNeverStored();
    void keyRevoke();

    void serveBusyPort();
    void logJsonLines();
    void logFilters_data();
    void logFilters();
    void logTable();
    void logTableAfterRemoval();
    void exportFormats_data();
    void exportFormats();
    void serveFollowsCliChanges_data();
    void serveFollowsCliChanges();

    void curlPrintsWhatTheConsoleCopies();
    void curlUnknownRequest();
    void outputNeverDrivesTheTerminal();
    void filesArePrivate();

    void serverLinksNoGui();
    void serverServesARequest();
    void serverHasNoConsole_data();
    void serverHasNoConsole();

private:
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

void CliTest::initTestCase()
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

void CliTest::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown command") << words(u"frobnicate") << u"unknown command 'frobnicate'"_s;
    QTest::newRow("unknown option")
        << words(u"webhook list --verbose") << u"unknown option --verbose"_s;
    QTest::newRow("webhook add without --name")
        << words(u"webhook add --description d") << u"webhook add needs --name"_s;
    QTest::newRow("key add without --name") << words(u"key add") << u"key add needs --name"_s;
    QTest::newRow("option without value")
        << words(u"webhook add --name") << u"--name needs a value"_s;
    QTest::newRow("option given twice")
        << words(u"key add --name a --name b") << u"--name given more than once"_s;
    QTest::newRow("unexpected argument")
        << words(u"webhook list extra") << u"unexpected argument 'extra'"_s;
    QTest::newRow("webhook without action") << words(u"webhook") << u"webhook needs a command"_s;
    QTest::newRow("unknown webhook action")
        << words(u"webhook rename") << u"unknown webhook command 'rename'"_s;
    QTest::newRow("show without id")
        << words(u"webhook show") << u"webhook show needs the webhook's ID"_s;
    QTest::newRow("revoke without prefix")
        << words(u"key revoke") << u"key revoke needs the key's PREFIX"_s;
    QTest::newRow("--limit abc") << words(u"log --limit abc")
                                 << u"--limit takes a positive whole number"_s;
    QTest::newRow("--limit 0") << words(u"log --limit 0")
                               << u"--limit takes a positive whole number"_s;
    QTest::newRow("--outcome maybe")
        << words(u"log --outcome maybe") << u"--outcome takes accepted or rejected"_s;
    QTest::newRow("--format xml") << words(u"log --format xml")
                                  << u"--format takes table or jsonl"_s;
    QTest::newRow("--since nonsense")
        << words(u"log --since yesterday") << u"--since takes a date (2026-11-29)"_s;
    QTest::newRow("--until bad unit") << words(u"log --until 5x") << u"--until takes a date"_s;
    QTest::newRow("--since impossible date")
        << words(u"log --since 2026-02-30") << u"--since takes a date"_s;
    QTest::newRow("--since an age before 1970")
        << words(u"log --since 999999999w") << u"--since takes a date"_s;
    QTest::newRow("--since after --until")
        << words(u"log --since 2026-11-30 --until 2026-11-29T23:00:00Z")
        << u"--since must be earlier than --until"_s;
    QTest::newRow("--status 42") << words(u"log --status 42") << u"--status takes an HTTP status"_s;
    QTest::newRow("--status abc") << words(u"log --status abc")
                                  << u"--status takes an HTTP status"_s;
    QTest::newRow("--reason with capitals")
        << words(u"log --reason Invalid-Key") << u"--reason takes a reason code"_s;
    QTest::newRow("--method with digits")
        << words(u"log --method P0ST") << u"--method takes an HTTP method"_s;
    QTest::newRow("--search empty") << words(u"log --search=") << u"--search needs some text"_s;
    QTest::newRow("export without --format")
        << words(u"export") << u"export needs --format har, jsonl or csv"_s;
    QTest::newRow("export --format xml")
        << words(u"export --format xml") << u"export needs --format har, jsonl or csv"_s;
    QTest::newRow("export -o without file")
        << words(u"export --format har -o") << u"--output needs a value"_s;
    QTest::newRow("export bad filter")
        << words(u"export --format csv --status 1000") << u"--status takes an HTTP status"_s;
    QTest::newRow("export extra argument")
        << words(u"export --format csv out.csv") << u"unexpected argument 'out.csv'"_s;
    QTest::newRow("export unknown option")
        << words(u"export --format csv --limit 3") << u"unknown option --limit"_s;
    QTest::newRow("curl without id")
        << words(u"curl") << u"curl needs the request's ID, a positive whole number"_s;
    QTest::newRow("curl id not a number")
        << words(u"curl abc") << u"curl needs the request's ID, a positive whole number"_s;
    QTest::newRow("curl id zero") << words(u"curl 0")
                                  << u"curl needs the request's ID, a positive whole number"_s;
    QTest::newRow("curl two ids") << words(u"curl 1 2") << u"unexpected argument '2'"_s;
    QTest::newRow("curl unknown option") << words(u"curl 1 --key k") << u"unknown option --key"_s;
    QTest::newRow("--listen nonsense")
        << words(u"serve --listen nonsense") << u"--listen takes ADDR:PORT"_s;
    QTest::newRow("--listen port out of range")
        << words(u"serve --listen 127.0.0.1:70000") << u"--listen takes ADDR:PORT"_s;
    QTest::newRow("--data-dir without value")
        << words(u"webhook list --data-dir") << u"--data-dir needs a folder"_s;
    QTest::newRow("--data-dir= empty")
        << words(u"--data-dir= webhook list") << u"--data-dir needs a folder"_s;
}

void CliTest::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);

    // A usage error is caught before anything is opened: the data folder is not even created.
    const QString dataDir = newDataDir();
    QProcessEnvironment environment = m_environment;
    environment.insert(u"HOOKTRAIL_DATA_DIR"_s, dataDir);
    // Short timeout: a `serve` that wrongly accepted its arguments would otherwise run on.
    const ProcessOutcome outcome = runHooktrail(arguments, environment, 10000);

    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Usage));
    QVERIFY2(text(outcome.err).startsWith(u"hooktrail: "_s + message), describe(outcome));
    QVERIFY2(text(outcome.err).contains(CommandLine::usage()), describe(outcome));
    QVERIFY2(outcome.out.isEmpty(), describe(outcome));
    QVERIFY(!QFileInfo::exists(dataDir));
}

void CliTest::versionAndHelp_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");

    const QString version = u"hooktrail %1\n"_s.arg(QStringLiteral(HOOKTRAIL_VERSION));
    QTest::newRow("--version") << words(u"--version") << version;
    QTest::newRow("--version after a command") << words(u"key list --version") << version;
    QTest::newRow("--help") << words(u"--help") << CommandLine::usage();
    QTest::newRow("-h") << words(u"-h") << CommandLine::usage();
    QTest::newRow("--help after a command") << words(u"webhook add --help") << CommandLine::usage();
}

void CliTest::versionAndHelp()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);

    const ProcessOutcome outcome = hooktrail(arguments);
    QVERIFY2(succeeded(outcome), describe(outcome));
    QCOMPARE(text(outcome.out), expected);
    QCOMPARE(text(outcome.err), QString());
}

void CliTest::globalOptionAnywhere_data()
{
    QTest::addColumn<QStringList>("arguments"); // {DIR} stands for the data folder

    QTest::newRow("last") << words(u"key add --name ci --data-dir {DIR}");
    QTest::newRow("first") << words(u"--data-dir {DIR} key add --name ci");
    QTest::newRow("between command and action") << words(u"key --data-dir {DIR} add --name ci");
    QTest::newRow("between action and its option") << words(u"key add --data-dir {DIR} --name ci");
    QTest::newRow("inline form") << words(u"key add --name ci --data-dir={DIR}");
}

void CliTest::globalOptionAnywhere()
{
    QFETCH(QStringList, arguments);

    const QString dataDir = newDataDir();
    const ProcessOutcome added = hooktrail(replaced(arguments, u"{DIR}"_s, dataDir));
    QVERIFY2(succeeded(added), describe(added));
    QVERIFY(text(added.out).startsWith(u"htk_"_s));
    QVERIFY(QFileInfo::exists(QDir(dataDir).filePath(u"hooktrail.db"_s)));

    const ProcessOutcome listed = hooktrailIn(dataDir, words(u"key list"));
    QVERIFY2(succeeded(listed), describe(listed));
    const QStringList lines = nonEmptyLines(listed.out);
    QCOMPARE(lines.size(), 2); // header and the one key
    QVERIFY2(lines.at(1).endsWith(u" ci"_s), qPrintable(lines.at(1)));
}

void CliTest::dataDirFromEnvironment()
{
    const QString fromEnvironment = newDataDir();
    const QString fromOption = newDataDir();
    QProcessEnvironment environment = m_environment;
    environment.insert(u"HOOKTRAIL_DATA_DIR"_s, fromEnvironment);

    const ProcessOutcome viaEnvironment
        = runHooktrail(words(u"webhook add --name env-hook"), environment);
    QVERIFY2(succeeded(viaEnvironment), describe(viaEnvironment));
    // --data-dir wins over the environment.
    const ProcessOutcome viaOption = runHooktrail(
        words(u"webhook add --name flag-hook --data-dir") << fromOption, environment);
    QVERIFY2(succeeded(viaOption), describe(viaOption));

    const QString inEnvironmentDir = text(hooktrailIn(fromEnvironment, words(u"webhook list")).out);
    const QString inOptionDir = text(hooktrailIn(fromOption, words(u"webhook list")).out);
    QVERIFY2(inEnvironmentDir.contains(u"env-hook"_s), qPrintable(inEnvironmentDir));
    QVERIFY2(!inEnvironmentDir.contains(u"flag-hook"_s), qPrintable(inEnvironmentDir));
    QVERIFY2(inOptionDir.contains(u"flag-hook"_s), qPrintable(inOptionDir));
    QVERIFY2(!inOptionDir.contains(u"env-hook"_s), qPrintable(inOptionDir));
}

void CliTest::unusableDataDir_data()
{
    QTest::addColumn<QString>("relativePath"); // below the test's root, where "file" is a file
    QTest::addColumn<QStringList>("arguments");

    const QStringList commands[] = {
        words(u"webhook list"),
        words(u"webhook add --name x"),
        words(u"key add --name x"),
        words(u"log --format jsonl"),
        words(u"serve --listen 127.0.0.1:0"),
    };
    for (const QString &path : { u"file"_s, u"file/below"_s }) {
        for (const QStringList &command : commands) {
            QTest::addRow("%s in %s", qPrintable(command.mid(0, 2).join(u' ')), qPrintable(path))
                << path << command;
        }
    }
}

void CliTest::unusableDataDir()
{
    QFETCH(QString, relativePath);
    QFETCH(QStringList, arguments);

    // Tests run as root, which writes through missing permissions but not through a file.
    QFile regularFile(m_root.filePath(u"file"_s));
    QVERIFY(regularFile.open(QIODevice::WriteOnly));
    regularFile.close();
    const QString dataDir = m_root.filePath(relativePath);

    const ProcessOutcome outcome
        = runHooktrail(arguments << u"--data-dir"_s << dataDir, m_environment, 10000);
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Failure));
    QVERIFY2(text(outcome.err).contains(u"data folder %1 is unusable"_s.arg(dataDir)),
        describe(outcome));
    QVERIFY2(!text(outcome.err).contains(u"Usage:"_s), describe(outcome));
    QVERIFY(QFileInfo(regularFile.fileName()).isFile());
}

// The command line is for scripts and logs: it installs no translator, so even the core's
// messages, which the console shows in French, stay English whatever the user's locale.
void CliTest::speaksEnglishUnderAFrenchLocale()
{
    QFile regularFile(m_root.filePath(u"file"_s));
    QVERIFY(regularFile.open(QIODevice::WriteOnly));
    regularFile.close();
    const QString dataDir = m_root.filePath(u"file/below"_s);
    QProcessEnvironment environment = m_environment;
    for (const QString &name : { u"LANG"_s, u"LC_ALL"_s, u"LC_MESSAGES"_s })
        environment.insert(name, u"fr_FR.UTF-8"_s);
    environment.insert(u"LANGUAGE"_s, u"fr"_s);

    const ProcessOutcome outcome
        = runHooktrail(words(u"webhook list --data-dir") << dataDir, environment, 10000);
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Failure));
    QVERIFY2(text(outcome.err).contains(u"cannot create the data folder %1"_s.arg(dataDir)),
        describe(outcome));
    QVERIFY2(!text(outcome.err).contains(u"impossible"_s), describe(outcome));
}

void CliTest::webhookAddPrintsJson()
{
    const QString dataDir = newDataDir();
    const ProcessOutcome outcome = hooktrailIn(dataDir,
        words(u"webhook add --name Orders --method post --method PUT --header X-Source=shop "
              u"--ip 10.0.0.0/8 --ip 2001:db8::/32 --description")
            << u"Shop orders"_s);
    QVERIFY2(succeeded(outcome), describe(outcome));
    QVERIFY2(outcome.err.isEmpty(), describe(outcome));

    QJsonParseError parseError;
    const QJsonObject webhook = QJsonDocument::fromJson(outcome.out, &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, describe(outcome));
    const QString id = webhook.value(u"id"_s).toString();
    static const QRegularExpression lowercaseUuidV4(
        u"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);
    QVERIFY2(lowercaseUuidV4.match(id).hasMatch(), qPrintable(id));
    QVERIFY(isUuidV4(id));
    // The endpoint as copied without a key: the key is never part of what is printed.
    QCOMPARE(
        webhook.value(u"endpoint"_s).toString(), u"http://127.0.0.1:8484/v1/data/webhook/"_s + id);
    QCOMPARE(webhook.value(u"name"_s).toString(), u"Orders"_s);
    QCOMPARE(webhook.value(u"description"_s).toString(), u"Shop orders"_s);
    QCOMPARE(webhook.value(u"methodsWhitelist"_s).toArray(), (QJsonArray { u"POST"_s, u"PUT"_s }));
    QCOMPARE(webhook.value(u"headersWhitelist"_s).toObject(),
        (QJsonObject { { u"X-Source"_s, u"shop"_s } }));
    QCOMPARE(webhook.value(u"ipAddressWhitelist"_s).toArray(),
        (QJsonArray { u"10.0.0.0/8"_s, u"2001:db8::/32"_s }));
    QCOMPARE(webhook.value(u"enabled"_s).toBool(false), true);
    QVERIFY(QDateTime::fromString(webhook.value(u"created"_s).toString(), Qt::ISODate).isValid());

    // Defaults: POST only, no header or IP rules.
    const ProcessOutcome plain = hooktrailIn(dataDir, words(u"webhook add --name Plain"));
    QVERIFY2(succeeded(plain), describe(plain));
    const QJsonObject plainWebhook = QJsonDocument::fromJson(plain.out).object();
    QCOMPARE(plainWebhook.value(u"methodsWhitelist"_s).toArray(), QJsonArray { u"POST"_s });
    QVERIFY(plainWebhook.value(u"headersWhitelist"_s).toObject().isEmpty());
    QVERIFY(plainWebhook.value(u"ipAddressWhitelist"_s).toArray().isEmpty());
    QVERIFY(plainWebhook.value(u"id"_s).toString() != id);
}

void CliTest::webhookValidationListsEveryProblem_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("fields"); // one per expected problem line, in order

    QTest::newRow("three bad fields") << (words(u"--method FOO --ip nonsense --name") << QString())
                                      << words(u"name methodsWhitelist ipAddressWhitelist");
    QTest::newRow("header without value and bad range")
        << words(u"--name ok --header NoEquals --ip 10.0.0.0/33")
        << words(u"headersWhitelist ipAddressWhitelist");
    QTest::newRow("every field at once")
        << (words(u"--method GET --method GET --header Bad(Name)=x --ip 300.1.1.1 --ip ::1/129")
               << u"--name"_s << QString(101, u'n') << u"--description"_s << QString(2001, u'd'))
        << words(u"name description methodsWhitelist headersWhitelist ipAddressWhitelist "
                 u"ipAddressWhitelist");
}

void CliTest::webhookValidationListsEveryProblem()
{
    QFETCH(QStringList, options);
    QFETCH(QStringList, fields);

    const QString dataDir = newDataDir();
    const ProcessOutcome outcome = hooktrailIn(dataDir, words(u"webhook add") + options);
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Usage));
    QVERIFY2(outcome.out.isEmpty(), describe(outcome));

    QStringList lines = nonEmptyLines(outcome.err);
    QVERIFY2(!lines.isEmpty() && lines.takeFirst() == u"hooktrail: the webhook is not valid:"_s,
        describe(outcome));
    QStringList problemFields;
    for (const QString &line : std::as_const(lines)) {
        QVERIFY2(line.startsWith(u"  "_s), qPrintable(line));
        problemFields.append(line.trimmed().section(u':', 0, 0));
    }
    QCOMPARE(problemFields, fields);

    // Nothing half-valid was stored.
    QCOMPARE(nonEmptyLines(hooktrailIn(dataDir, words(u"webhook list")).out).size(), 1);
}

void CliTest::webhookDuplicateName()
{
    const QString dataDir = newDataDir();
    const ProcessOutcome first = hooktrailIn(dataDir, words(u"webhook add --name Orders"));
    QVERIFY2(succeeded(first), describe(first));

    // Names are unique case-insensitively.
    const ProcessOutcome second = hooktrailIn(dataDir, words(u"webhook add --name ORDERS"));
    QVERIFY2(second.exited, describe(second));
    QCOMPARE(second.exitCode, int(CommandLine::Usage));
    QVERIFY2(text(second.err).contains(u"  name: A webhook named 'ORDERS' already exists."_s),
        describe(second));

    QCOMPARE(nonEmptyLines(hooktrailIn(dataDir, words(u"webhook list")).out).size(), 2);
}

void CliTest::webhookUnknownId_data()
{
    QTest::addColumn<QString>("action");
    for (const char *action : { "show", "enable", "disable", "remove" })
        QTest::newRow(action) << QString::fromLatin1(action);
}

void CliTest::webhookUnknownId()
{
    QFETCH(QString, action);

    const QString dataDir = newDataDir();
    const CliProvision provision = provisionViaCli(dataDir, u"Existing"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    const QString unknownId = Webhook::newId();

    const ProcessOutcome outcome = hooktrailIn(dataDir, { u"webhook"_s, action, unknownId });
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Failure));
    QVERIFY2(text(outcome.err).contains(u"no webhook with ID "_s + unknownId), describe(outcome));
    QVERIFY2(outcome.out.isEmpty(), describe(outcome));

    // The existing webhook is untouched.
    const QStringList lines = nonEmptyLines(hooktrailIn(dataDir, words(u"webhook list")).out);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(1).startsWith(provision.webhookId + u"  enabled"_s), qPrintable(lines.at(1)));
}

void CliTest::webhookLifecycle()
{
    const QString dataDir = newDataDir();
    const ProcessOutcome added = hooktrailIn(dataDir, words(u"webhook add --name Life"));
    QVERIFY2(succeeded(added), describe(added));
    const QString id = QJsonDocument::fromJson(added.out).object().value(u"id"_s).toString();

    const auto listRow = [&]() {
        const QStringList lines = nonEmptyLines(hooktrailIn(dataDir, words(u"webhook list")).out);
        return lines.size() == 2 ? lines.at(1).simplified() : QString();
    };
    const auto shownEnabled = [&]() {
        const ProcessOutcome shown = hooktrailIn(dataDir, { u"webhook"_s, u"show"_s, id });
        const QJsonObject object = QJsonDocument::fromJson(shown.out).object();
        return object.value(u"id"_s).toString() == id && object.value(u"enabled"_s).toBool();
    };
    QCOMPARE(listRow(), id + u" enabled POST Life"_s);
    QVERIFY(shownEnabled());

    ProcessOutcome changed = hooktrailIn(dataDir, { u"webhook"_s, u"disable"_s, id });
    QVERIFY2(succeeded(changed), describe(changed));
    QCOMPARE(listRow(), id + u" disabled POST Life"_s);
    QVERIFY(!shownEnabled());

    // IDs are taken in any case; they are stored lowercase.
    changed = hooktrailIn(dataDir, { u"webhook"_s, u"enable"_s, id.toUpper() });
    QVERIFY2(succeeded(changed), describe(changed));
    QCOMPARE(listRow(), id + u" enabled POST Life"_s);
    QVERIFY(shownEnabled());

    changed = hooktrailIn(dataDir, { u"webhook"_s, u"remove"_s, id });
    QVERIFY2(succeeded(changed), describe(changed));
    QCOMPARE(listRow(), QString());
    const ProcessOutcome shown = hooktrailIn(dataDir, { u"webhook"_s, u"show"_s, id });
    QCOMPARE(shown.exitCode, int(CommandLine::Failure));
}

void CliTest::keyShownOnceNeverStored()
{
    const QString dataDir = newDataDir();
    const ProcessOutcome added = hooktrailIn(dataDir, words(u"key add --name ci"));
    QVERIFY2(succeeded(added), describe(added));

    // stdout holds the key and nothing else, so `KEY=$(hooktrail key add ...)` works.
    static const QRegularExpression keyLine(u"^htk_[A-Za-z0-9_-]{43}\n$"_s);
    QVERIFY2(keyLine.match(text(added.out)).hasMatch(), describe(added));
    const QString secret = text(added.out).trimmed();
    const QString prefix = ApiKeys::prefixOf(secret);
    QVERIFY2(!text(added.err).contains(secret), describe(added));
    QVERIFY2(text(added.err).contains(prefix), describe(added));

    const ProcessOutcome listed = hooktrailIn(dataDir, words(u"key list"));
    QVERIFY2(succeeded(listed), describe(listed));
    const QStringList lines = nonEmptyLines(listed.out);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(1).startsWith(prefix + u"  active"_s), qPrintable(lines.at(1)));
    QVERIFY(!text(listed.out).contains(secret));

    // Neither the key nor any part of it past the visible prefix is in any file of the folder.
    QVERIFY(QFileInfo::exists(QDir(dataDir).filePath(u"hooktrail.db"_s)));
    QVERIFY(!folderContains(dataDir, secret.toLatin1()));
    QVERIFY(!folderContains(dataDir, secret.mid(prefix.size()).toLatin1()));
    QVERIFY(folderContains(dataDir, prefix.toLatin1())); // the scan does see what is stored
}

void CliTest::keyRevoke()
{
    const QString dataDir = newDataDir();
    const CliProvision provision = provisionViaCli(dataDir, u"revocable"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    const QString prefix = ApiKeys::prefixOf(provision.key);

    const ProcessOutcome unknown = hooktrailIn(dataDir, words(u"key revoke htk_unknown"));
    QVERIFY2(unknown.exited, describe(unknown));
    QCOMPARE(unknown.exitCode, int(CommandLine::Failure));
    QVERIFY2(unknown.out.isEmpty(), describe(unknown));

    const ProcessOutcome revoked = hooktrailIn(dataDir, words(u"key revoke") << prefix);
    QVERIFY2(succeeded(revoked), describe(revoked));
    const QStringList lines = nonEmptyLines(hooktrailIn(dataDir, words(u"key list")).out);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(1).startsWith(prefix + u"  revoked"_s), qPrintable(lines.at(1)));
}

void CliTest::serveBusyPort()
{
    ServeProcess first;
    QVERIFY2(first.start(newDataDir()), qPrintable(first.error()));
    const QString address = u"127.0.0.1:%1"_s.arg(first.port());

    const ProcessOutcome second
        = runHooktrail(words(u"serve --listen") << address << u"--data-dir"_s << newDataDir(),
            m_environment, 10000);
    QVERIFY2(second.exited, describe(second));
    QCOMPARE(second.exitCode, int(CommandLine::Failure));
    QVERIFY2(text(second.err).contains(address), describe(second));
    QVERIFY2(!text(second.out).contains(u"receiving on"_s), describe(second));

    // The first one was not disturbed, and stops cleanly on SIGTERM.
    QCOMPARE(first.process().state(), QProcess::Running);
    QCOMPARE(first.stop(), int(CommandLine::Success));
    QVERIFY(first.output().contains("Hooktrail receiver stopped"));
}

// Sends one request of each kind the log tests look at, through a real `serve`.
void CliTest::ensureLog()
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

void CliTest::logJsonLines()
{
    ensureLog();
    if (QTest::currentTestFailed())
        return;

    const ProcessOutcome outcome
        = hooktrailIn(m_log.dataDir, words(u"log --format jsonl --limit 100"));
    QVERIFY2(succeeded(outcome), describe(outcome));
    QVERIFY(outcome.out.endsWith('\n'));
    const QList<QByteArray> lines = outcome.out.trimmed().split('\n');
    QCOMPARE(lines.size(), m_log.ids.size());

    QStringList expectedFields = kLogFields;
    expectedFields.sort();
    static const QRegularExpression utcMicros(
        u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$"_s);
    QHash<QString, QJsonObject> byLabel;
    qint64 previousId = std::numeric_limits<qint64>::max();
    for (const QByteArray &line : lines) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
        QVERIFY2(
            parseError.error == QJsonParseError::NoError && document.isObject(), line.constData());
        const QJsonObject entry = document.object();
        QCOMPARE(entry.keys(), expectedFields); // keys() is sorted
        const qint64 id = entry.value(u"id"_s).toInteger();
        QVERIFY2(id < previousId, "newest first");
        previousId = id;
        const QString label = m_log.ids.key(id);
        QVERIFY2(!label.isEmpty(), line.constData());
        byLabel.insert(label, entry);

        QVERIFY2(
            utcMicros.match(entry.value(u"receivedAt"_s).toString()).hasMatch(), line.constData());
        QCOMPARE(entry.value(u"httpVersion"_s).toString(), u"HTTP/1.1"_s);
        QCOMPARE(entry.value(u"clientAddress"_s).toString(), u"127.0.0.1"_s);
        QVERIFY(entry.value(u"forwardedFor"_s).isNull());
        QVERIFY(entry.value(u"handlingMicros"_s).toInteger(-1) >= 0);
        QVERIFY(!entry.value(u"instance"_s).toString().isEmpty());
        QCOMPARE(entry.value(u"bodyTruncated"_s).toBool(true), false);
    }

    const QJsonObject accepted = byLabel.value(u"accepted"_s);
    QCOMPARE(accepted.value(u"status"_s).toInt(), 200);
    QCOMPARE(accepted.value(u"reason"_s).toString(), u"accepted"_s);
    QCOMPARE(accepted.value(u"webhookId"_s).toString(), m_log.webhookA);
    QCOMPARE(accepted.value(u"method"_s).toString(), u"POST"_s);
    QCOMPARE(accepted.value(u"path"_s).toString(), u"/v1/data/webhook/"_s + m_log.webhookA);
    QCOMPARE(accepted.value(u"query"_s).toString(), u"api-key=***"_s);
    QCOMPARE(accepted.value(u"body"_s).toString(), uR"({"order":1})"_s);
    QCOMPARE(accepted.value(u"bodyEncoding"_s).toString(), u"utf8"_s);
    QCOMPARE(accepted.value(u"bodySize"_s).toInteger(), 11);
    QCOMPARE(accepted.value(u"contentType"_s).toString(), u"application/json"_s);
    QVERIFY(accepted.value(u"reasonDetail"_s).isNull());
    const QJsonArray firstHeader = accepted.value(u"headers"_s).toArray().first().toArray();
    QCOMPARE(firstHeader, (QJsonArray { u"Host"_s, u"127.0.0.1"_s })); // in arrival order

    const QJsonObject binary = byLabel.value(u"binary"_s);
    QCOMPARE(binary.value(u"status"_s).toInt(), 415);
    QCOMPARE(binary.value(u"query"_s).toString(), u"api-key=***&source=test"_s);
    QCOMPARE(binary.value(u"bodyEncoding"_s).toString(), u"base64"_s);
    QCOMPARE(
        QByteArray::fromBase64(binary.value(u"body"_s).toString().toLatin1()), m_log.binaryBody);
    QCOMPARE(binary.value(u"bodySize"_s).toInteger(), m_log.binaryBody.size());

    const QJsonObject headerKey = byLabel.value(u"headerKey"_s);
    QCOMPARE(headerKey.value(u"webhookId"_s).toString(), m_log.webhookB);
    QCOMPARE(headerKey.value(u"method"_s).toString(), u"PUT"_s);
    QCOMPARE(headerKey.value(u"query"_s).toString(), QString());
    QVERIFY(
        headerKey.value(u"headers"_s).toArray().contains(QJsonArray { u"X-Api-Key"_s, u"***"_s }));

    const QJsonObject unknownRoute = byLabel.value(u"unknownRoute"_s);
    QVERIFY(unknownRoute.value(u"webhookId"_s).isNull());
    QCOMPARE(unknownRoute.value(u"query"_s).toString(), u"api-key=***"_s);
    QCOMPARE(unknownRoute.value(u"bodySize"_s).toInteger(), 0);
    QVERIFY(unknownRoute.value(u"contentType"_s).isNull());

    // Secrets never reach the log: not in the export, not in the database files.
    QVERIFY(!outcome.out.contains(m_log.key.toLatin1()));
    QVERIFY(!folderContains(m_log.dataDir, m_log.key.toLatin1()));
}

void CliTest::logFilters_data()
{
    // {A} and {B} stand for the two webhooks' ids, {B_UPPER} for B's in capitals.
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("expected"); // request labels, newest first

    QTest::newRow("webhook A") << words(u"--webhook {A}") << words(u"noKey binary accepted");
    QTest::newRow("webhook B, id in capitals")
        << words(u"--webhook {B_UPPER}") << words(u"acceptedB headerKey");
    QTest::newRow("accepted") << words(u"--outcome accepted") << words(u"acceptedB accepted");
    QTest::newRow("rejected") << words(u"--outcome rejected")
                              << words(u"unknownRoute noKey headerKey binary");
    QTest::newRow("limit 2") << words(u"--limit 2") << words(u"acceptedB unknownRoute");
    QTest::newRow("webhook A, rejected, limit 1")
        << words(u"--webhook {A} --outcome rejected --limit 1") << words(u"noKey");
    QTest::newRow("webhook B, rejected, inline form")
        << words(u"--webhook={B} --outcome=rejected") << words(u"headerKey");
    QTest::newRow("no match") << words(u"--webhook 00000000-0000-4000-8000-000000000000")
                              << QStringList();
    QTest::newRow("status") << words(u"--status 405") << words(u"headerKey");
    QTest::newRow("reason") << words(u"--reason missing_api_key") << words(u"noKey");
    QTest::newRow("method") << words(u"--method GET") << words(u"unknownRoute");
    QTest::newRow("method in lower case") << words(u"--method put") << words(u"headerKey");
    QTest::newRow("search in a body") << words(u"--search order") << words(u"accepted");
    QTest::newRow("search in a header")
        << words(u"--search application/octet-stream") << words(u"binary");
    QTest::newRow("search, two words: both must be there")
        << QStringList { u"--search"_s, u"json 1,2"_s } << words(u"acceptedB");
    QTest::newRow("since an hour ago")
        << words(u"--since 1h") << words(u"acceptedB unknownRoute noKey headerKey binary accepted");
    QTest::newRow("until an hour ago") << words(u"--until 1h") << QStringList();
    QTest::newRow("since a date") << words(
        u"--since 2000-01-01") << words(u"acceptedB unknownRoute noKey headerKey binary accepted");
    QTest::newRow("until a UTC date-time")
        << words(u"--until 2000-01-01T00:00:00Z") << QStringList();
    QTest::newRow("since a date-time with offset")
        << words(u"--since 2000-01-01T10:00:00+02:00 --outcome accepted")
        << words(u"acceptedB accepted");
    QTest::newRow("webhook, method, status")
        << words(u"--webhook {A} --method POST --status 401") << words(u"noKey");
    QTest::newRow("search, outcome, webhook")
        << words(u"--search json --outcome accepted --webhook {B}") << words(u"acceptedB");
    QTest::newRow("reason and an hour ago, inline")
        << words(u"--reason=unknown_route --since=60m") << words(u"unknownRoute");
}

void CliTest::logFilters()
{
    QFETCH(QStringList, options);
    QFETCH(QStringList, expected);
    ensureLog();
    if (QTest::currentTestFailed())
        return;

    options = replaced(options, u"{A}"_s, m_log.webhookA);
    options = replaced(options, u"{B}"_s, m_log.webhookB);
    options = replaced(options, u"{B_UPPER}"_s, m_log.webhookB.toUpper());
    const ProcessOutcome outcome
        = hooktrailIn(m_log.dataDir, words(u"log --format jsonl") + options);
    QVERIFY2(succeeded(outcome), describe(outcome));

    QStringList labels;
    for (const QString &line : nonEmptyLines(outcome.out)) {
        const qint64 id
            = QJsonDocument::fromJson(line.toUtf8()).object().value(u"id"_s).toInteger();
        labels.append(m_log.ids.key(id, u"unexpected id %1"_s.arg(id)));
    }
    QCOMPARE(labels, expected);
}

void CliTest::logTable()
{
    ensureLog();
    if (QTest::currentTestFailed())
        return;

    const ProcessOutcome outcome = hooktrailIn(m_log.dataDir, words(u"log --limit 3"));
    QVERIFY2(succeeded(outcome), describe(outcome));
    const QStringList lines = nonEmptyLines(outcome.out);
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines.at(0).simplified(), u"ID RECEIVED (UTC) STATUS REASON METHOD CLIENT WEBHOOK"_s);
    // The webhook by its name; --format jsonl has its id.
    const QStringList newest = lines.at(1).simplified().split(u' ');
    QCOMPARE(newest.value(0).toLongLong(), m_log.ids.value(u"acceptedB"_s));
    QCOMPARE(newest.mid(2), words(u"200 accepted POST 127.0.0.1 hook-b"));
    QVERIFY2(!lines.at(1).contains(m_log.webhookB), qPrintable(lines.at(1)));
    const QStringList unknownRoute = lines.at(2).simplified().split(u' ');
    QCOMPARE(unknownRoute.value(2), u"404"_s);
    QCOMPARE(unknownRoute.value(6), u"-"_s);
    const QStringList noKey = lines.at(3).simplified().split(u' ');
    QCOMPARE(noKey.value(0).toLongLong(), m_log.ids.value(u"noKey"_s));
    QCOMPARE(noKey.value(6), u"hook-a"_s);
}

// A removed webhook's requests stay in the log; with no name left, the table shows its id.
void CliTest::logTableAfterRemoval()
{
    const QString dataDir = newDataDir();
    const CliProvision provision = provisionViaCli(dataDir, u"short-lived"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    ServeProcess serve;
    QVERIFY2(serve.start(dataDir), qPrintable(serve.error()));
    QCOMPARE(postOutcome(serve.port(), provision.webhookId, provision.key), u"200 accepted"_s);
    QCOMPARE(serve.stop(), int(CommandLine::Success));

    ProcessOutcome listed = hooktrailIn(dataDir, words(u"log"));
    QVERIFY2(succeeded(listed), describe(listed));
    QCOMPARE(
        nonEmptyLines(listed.out).value(1).simplified().split(u' ').value(6), u"short-lived"_s);
    const ProcessOutcome removed
        = hooktrailIn(dataDir, words(u"webhook remove") << provision.webhookId);
    QVERIFY2(succeeded(removed), describe(removed));
    listed = hooktrailIn(dataDir, words(u"log"));
    QVERIFY2(succeeded(listed), describe(listed));
    QCOMPARE(
        nonEmptyLines(listed.out).value(1).simplified().split(u' ').value(6), provision.webhookId);
}

// hooktrail-server links no graphical library: a server without them can run it.
void CliTest::serverLinksNoGui()
{
    const auto libraries = [](const QString &binary) {
        QProcess ldd;
        ldd.start(u"ldd"_s, { binary });
        if (!ldd.waitForFinished(30000) || ldd.exitCode() != 0)
            return u"ldd failed: "_s + QString::fromUtf8(ldd.readAllStandardError());
        return QString::fromUtf8(ldd.readAllStandardOutput());
    };
    const QString server = libraries(hooktrailServerBinary());
    QVERIFY2(server.contains(u"libQt6Core"_s), qPrintable(server));
    QVERIFY2(server.contains(u"libQt6Network"_s), qPrintable(server));
    QVERIFY2(!server.contains(u"libQt6Gui"_s), qPrintable(server));
    QVERIFY2(!server.contains(u"libQt6Widgets"_s), qPrintable(server));
    // The check can tell: hooktrail itself, with the console, links both.
    const QString console = libraries(hooktrailBinary());
    QVERIFY2(console.contains(u"libQt6Gui"_s), qPrintable(console));
    QVERIFY2(console.contains(u"libQt6Widgets"_s), qPrintable(console));
}

// hooktrail-server alone, end to end: a webhook and a key made with it, one request sent over
// loopback to its receiver, and that request in its log.
void CliTest::serverServesARequest()
{
    const QString dataDir = newDataDir();
    const auto server = [&](const QStringList &arguments) {
        return runHooktrail(arguments + QStringList { u"--data-dir"_s, dataDir }, m_environment,
            30000, hooktrailServerBinary());
    };
    const ProcessOutcome webhook = server(words(u"webhook add --name served"));
    QVERIFY2(succeeded(webhook), describe(webhook));
    const QString webhookId
        = QJsonDocument::fromJson(webhook.out).object().value(u"id"_s).toString();
    const ProcessOutcome key = server(words(u"key add --name served"));
    QVERIFY2(succeeded(key), describe(key));

    ServeProcess serve(hooktrailServerBinary());
    QVERIFY2(serve.start(dataDir), qPrintable(serve.error()));
    RawHttpClient client(serve.port());
    QVERIFY(client.connectToServer());
    client.send(httpRequest("POST",
        "/v1/data/webhook/" + webhookId.toLatin1() + "?api-key=" + key.out.trimmed(),
        "Content-Type: application/json\r\n", R"({"served":true})"));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QCOMPARE(serve.stop(), int(CommandLine::Success));
    QVERIFY(serve.output().contains("Hooktrail receiver stopped"));

    const ProcessOutcome log = server(words(u"log --format jsonl"));
    QVERIFY2(succeeded(log), describe(log));
    const QStringList lines = nonEmptyLines(log.out);
    QCOMPARE(lines.size(), 1);
    const QJsonObject entry = QJsonDocument::fromJson(lines.first().toUtf8()).object();
    QCOMPARE(entry.value(u"id"_s).toInteger(), answer->requestId());
    QCOMPARE(entry.value(u"webhookId"_s).toString(), webhookId);
    QCOMPARE(entry.value(u"body"_s).toString(), uR"({"served":true})"_s);
}

void CliTest::serverHasNoConsole_data()
{
    QTest::addColumn<QStringList>("arguments"); // {DIR} stands for a data folder
    QTest::newRow("no command") << QStringList();
    QTest::newRow("console") << words(u"console");
    QTest::newRow("console, with a data folder") << words(u"console --data-dir {DIR}");
    QTest::newRow("a data folder only") << words(u"--data-dir {DIR}");
}

void CliTest::serverHasNoConsole()
{
    QFETCH(QStringList, arguments);
    const QString dataDir = newDataDir();
    const ProcessOutcome outcome = runHooktrail(
        replaced(arguments, u"{DIR}"_s, dataDir), m_environment, 30000, hooktrailServerBinary());
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Usage));
    QCOMPARE(outcome.out, QByteArray());
    const QString err = text(outcome.err);
    QVERIFY2(
        err.startsWith(u"hooktrail-server: the console is in 'hooktrail'"_s), describe(outcome));
    QVERIFY2(err.contains(CommandLine::usage(CommandLine::Program::Server)), describe(outcome));
    // The usage it shows is its own: every command, under its name, and no console.
    QVERIFY2(err.contains(u"  hooktrail-server serve [--listen ADDR:PORT]"_s), describe(outcome));
    QVERIFY2(err.contains(u"  hooktrail-server migrate "_s), describe(outcome));
    QVERIFY2(!err.contains(u"the console\n"_s), describe(outcome));
    QVERIFY2(!QFileInfo::exists(dataDir), "it opens no data folder");
}

void CliTest::exportFormats_data()
{
    QTest::addColumn<QStringList>("options"); // {A} stands for webhook A's id
    QTest::addColumn<bool>("toFile");
    QTest::addColumn<QStringList>("expected"); // request labels, newest first

    QTest::newRow("jsonl to stdout, one webhook")
        << words(u"--format jsonl --webhook {A}") << false << words(u"noKey binary accepted");
    QTest::newRow("har to a file, everything")
        << words(u"--format har") << true
        << words(u"acceptedB unknownRoute noKey headerKey binary accepted");
    QTest::newRow("csv to stdout, rejected since a day ago")
        << words(u"--format csv --outcome rejected --since 1d") << false
        << words(u"unknownRoute noKey headerKey binary");
    QTest::newRow("csv to a file, a search")
        << words(u"--format=csv --search order") << true << words(u"accepted");
    QTest::newRow("har, nothing matches")
        << words(u"--format har --status 599") << false << QStringList();
}

void CliTest::exportFormats()
{
    QFETCH(QStringList, options);
    QFETCH(bool, toFile);
    QFETCH(QStringList, expected);
    ensureLog();
    if (QTest::currentTestFailed())
        return;

    options = replaced(options, u"{A}"_s, m_log.webhookA);
    const QString file = m_root.filePath(
        u"export-%1"_s.arg(QString::fromUtf8(QTest::currentDataTag())).replace(u' ', u'-'));
    if (toFile)
        options << u"-o"_s << file;
    const ProcessOutcome outcome
        = hooktrailIn(m_log.dataDir, QStringList { u"export"_s } + options);
    QVERIFY2(succeeded(outcome), describe(outcome));
    QByteArray exported = outcome.out;
    if (toFile) {
        QVERIFY2(outcome.out.isEmpty(), describe(outcome));
        QVERIFY2(text(outcome.err).contains(u"exported %1 request"_s.arg(expected.size())),
            describe(outcome));
        QFile written(file);
        QVERIFY(written.open(QIODevice::ReadOnly));
        exported = written.readAll();
    }

    QList<qint64> ids;
    const QString format = options.join(u' ');
    if (format.contains(u"har"_s)) {
        const QJsonObject log
            = QJsonDocument::fromJson(exported).object().value(u"log"_s).toObject();
        QCOMPARE(log.value(u"version"_s).toString(), u"1.2"_s);
        for (const QJsonValue &entry : log.value(u"entries"_s).toArray())
            ids.append(entry[u"_requestId"_s].toInteger());
    } else if (format.contains(u"jsonl"_s)) {
        for (const QString &line : nonEmptyLines(exported)) {
            const QJsonObject entry = QJsonDocument::fromJson(line.toUtf8()).object();
            QCOMPARE(entry.size(), kLogFields.size());
            ids.append(entry.value(u"id"_s).toInteger());
        }
    } else {
        const QStringList lines = text(exported).split(u"\r\n"_s, Qt::SkipEmptyParts);
        QVERIFY(!lines.isEmpty());
        QVERIFY(lines.first().startsWith(
            u"id,receivedAt,webhookId,method,path,query,status,reason,"_s));
        for (const QString &line : lines.mid(1))
            ids.append(line.section(u',', 0, 0).toLongLong());
    }
    QStringList labels;
    for (const qint64 id : ids)
        labels.append(m_log.ids.key(id, u"unexpected id %1"_s.arg(id)));
    QCOMPARE(labels, expected);
    // Exports carry no secret.
    QVERIFY(!exported.contains(m_log.key.toLatin1()));
}

void CliTest::serveFollowsCliChanges_data()
{
    QTest::addColumn<QStringList>("change"); // {ID} and {PREFIX} stand for the webhook and key
    QTest::addColumn<QString>("outcome");

    QTest::newRow("webhook disabled")
        << words(u"webhook disable {ID}") << u"503 webhook_disabled"_s;
    QTest::newRow("webhook removed") << words(u"webhook remove {ID}") << u"404 unknown_webhook"_s;
    QTest::newRow("key revoked") << words(u"key revoke {PREFIX}") << u"401 invalid_api_key"_s;
}

// The console and `serve` share one data folder: a change made by another process reaches
// the running receiver without a restart.
void CliTest::serveFollowsCliChanges()
{
    QFETCH(QStringList, change);
    QFETCH(QString, outcome);

    const QString dataDir = newDataDir();
    const CliProvision provision = provisionViaCli(dataDir, u"followed"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    ServeProcess serve;
    QVERIFY2(serve.start(dataDir), qPrintable(serve.error()));
    QCOMPARE(postOutcome(serve.port(), provision.webhookId, provision.key), u"200 accepted"_s);

    change = replaced(change, u"{ID}"_s, provision.webhookId);
    change = replaced(change, u"{PREFIX}"_s, ApiKeys::prefixOf(provision.key));
    const ProcessOutcome changed = hooktrailIn(dataDir, change);
    QVERIFY2(succeeded(changed), describe(changed));

    QTRY_COMPARE_WITH_TIMEOUT(
        postOutcome(serve.port(), provision.webhookId, provision.key), outcome, kFollowTimeoutMs);
    QCOMPARE(serve.stop(), int(CommandLine::Success));
}

void CliTest::curlPrintsWhatTheConsoleCopies()
{
    ensureLog();
    if (QTest::currentTestFailed())
        return;
    // The rows serve logged, and one no sender could get through HTTP but a log may hold.
    const QString dataDir = newDataDir();
    QList<LoggedRequest> rows { hostileRow() };
    QVERIFY(seedLog(dataDir, rows));
    const Settings settings(dataDir);

    QList<QPair<QString, qint64>> cases { { dataDir, rows.first().id } };
    for (const qint64 id : m_log.ids)
        cases.append({ m_log.dataDir, id });
    for (const auto &[folder, id] : cases) {
        const ProcessOutcome outcome = hooktrailIn(folder, { u"curl"_s, QString::number(id) });
        QVERIFY2(succeeded(outcome), describe(outcome));
        Result<std::unique_ptr<Store>> store
            = Store::openSqlite(QDir(folder).filePath(u"hooktrail.db"_s));
        VERIFY_OK(store);
        const Result<std::optional<LoggedRequest>> row = (*store)->queries().request(id);
        VERIFY_OK(row);
        QVERIFY(row->has_value());
        // The console copies CurlCommand::fromRequest with the base URL of the settings.
        QCOMPARE(
            text(outcome.out), CurlCommand::fromRequest(**row, Settings(folder).baseUrl()) + u'\n');
        QVERIFY(outcome.err.isEmpty());
        QVERIFY(!outcome.out.contains(m_log.key.toLatin1()));
        QVERIFY(std::all_of(outcome.out.begin(), outcome.out.end(),
            [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7f); }));
    }
    const ProcessOutcome hostile
        = hooktrailIn(dataDir, { u"curl"_s, QString::number(rows.first().id) });
    QVERIFY2(hostile.out.contains("--data-raw $'@/etc/passwd\\x1b[2J"), describe(hostile));
    QVERIFY2(hostile.out.startsWith("curl -X POST 'http://127.0.0.1:8484/v1/data/webhook/"),
        describe(hostile));
}

void CliTest::curlUnknownRequest()
{
    const QString dataDir = newDataDir();
    QList<LoggedRequest> rows { hostileRow() };
    QVERIFY(seedLog(dataDir, rows));
    const ProcessOutcome outcome
        = hooktrailIn(dataDir, { u"curl"_s, QString::number(rows.first().id + 1) });
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Failure));
    QVERIFY2(text(outcome.err)
                 .startsWith(u"hooktrail: no request with ID %1"_s.arg(rows.first().id + 1)),
        describe(outcome));
    QVERIFY(outcome.out.isEmpty());
}

// What a sender wrote reaches a terminal with its control characters escaped: the table and
// JSON Lines always (the JSON means the same), an export when standard output is a terminal.
void CliTest::outputNeverDrivesTheTerminal()
{
    const QString dataDir = newDataDir();
    LoggedRequest imported = hostileRow();
    imported.method = "GET\x1b[2J\xc2\x9b"
                      "1m"; // no HTTP method is so, an old log may be
    QList<LoggedRequest> rows { hostileRow(), imported };
    QVERIFY(seedLog(dataDir, rows));
    const auto controls = [](const QByteArray &bytes) {
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            const auto c = static_cast<unsigned char>(bytes[i]);
            if (c == 0x1b || c == 0x07 || c == 0x03 || c == 0x7f
                || (c == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n'))
                || (c == 0xc2 && i + 1 < bytes.size()
                    && static_cast<unsigned char>(bytes[i + 1]) < 0xa0
                    && static_cast<unsigned char>(bytes[i + 1]) >= 0x80))
                return true;
        }
        return false;
    };

    const ProcessOutcome table = hooktrailIn(dataDir, words(u"log"));
    QVERIFY2(succeeded(table), describe(table));
    QVERIFY2(!controls(table.out), table.out.toHex().constData());
    QVERIFY2(table.out.contains("GET\\u001b[2J\\u009b1m"), table.out.constData());

    const ProcessOutcome jsonl = hooktrailIn(dataDir, words(u"log --format jsonl"));
    QVERIFY2(succeeded(jsonl), describe(jsonl));
    QVERIFY2(!controls(jsonl.out), jsonl.out.toHex().constData());
    const QList<QByteArray> lines = jsonl.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject newest = QJsonDocument::fromJson(lines.first()).object();
    QCOMPARE(newest.value(u"method"_s).toString(), QString::fromUtf8(imported.method));
    QCOMPARE(newest.value(u"headers"_s).toArray().at(2).toArray().at(1).toString(),
        QString::fromUtf8(imported.headers.at(2).second));

    for (const QString &format : { u"csv"_s, u"jsonl"_s, u"har"_s }) {
        const QStringList arguments { u"export"_s, u"--format"_s, format, u"--data-dir"_s,
            dataDir };
        const ProcessOutcome shown = runOnTerminal(arguments, m_environment);
        QVERIFY2(shown.exited && shown.exitCode == 0, describe(shown));
        QVERIFY2(shown.out.contains(format == u"csv"_s ? "@/etc/passwd\\u001b[2J" : "\\u001b[2J"),
            shown.out.constData());
        QVERIFY2(!controls(shown.out), shown.out.toHex().constData());
        // Into a pipe or a file, the export is the data exactly.
        const ProcessOutcome piped = hooktrail(arguments);
        QVERIFY2(succeeded(piped), describe(piped));
        if (format == u"csv"_s)
            QVERIFY(piped.out.contains(rows.first().body));
    }
}

void CliTest::filesArePrivate()
{
    // A new data folder is the user's alone, and so is the log in it.
    const QString dataDir = newDataDir();
    const ProcessOutcome added = hooktrailIn(dataDir, words(u"webhook add --name private"));
    QVERIFY2(succeeded(added), describe(added));
    QCOMPARE(modeOf(dataDir), 0700u);
    const QString database = QDir(dataDir).filePath(u"hooktrail.db"_s);
    QCOMPARE(modeOf(database), 0600u);
    for (const QString &suffix : { u"-wal"_s, u"-shm"_s }) {
        if (QFileInfo::exists(database + suffix))
            QCOMPARE(modeOf(database + suffix), 0600u);
    }
    QVERIFY2(!text(added.err).contains(u"private"_s), describe(added));

    // An export holds bodies: 0600, even over a file that was open to others.
    const QString exported = m_root.filePath(u"private-export.har"_s);
    for (int run = 0; run < 2; ++run) {
        const ProcessOutcome written
            = hooktrailIn(dataDir, { u"export"_s, u"--format"_s, u"har"_s, u"-o"_s, exported });
        QVERIFY2(succeeded(written), describe(written));
        QCOMPARE(modeOf(exported), 0600u);
        QVERIFY(::chmod(QFile::encodeName(exported).constData(), 0644) == 0);
    }

    // A folder made open before (by an older Hooktrail or by hand) is closed, and said once.
    QVERIFY(::chmod(QFile::encodeName(dataDir).constData(), 0755) == 0);
    QVERIFY(::chmod(QFile::encodeName(database).constData(), 0644) == 0);
    const ProcessOutcome first = hooktrailIn(dataDir, words(u"webhook list"));
    QVERIFY2(succeeded(first), describe(first));
    QVERIFY2(text(first.err).contains(u"made the data folder %1 private (it was 0755)"_s.arg(
                 QDir(dataDir).absolutePath())),
        describe(first));
    QCOMPARE(modeOf(dataDir), 0700u);
    QCOMPARE(modeOf(database), 0600u);
    const ProcessOutcome second = hooktrailIn(dataDir, words(u"webhook list"));
    QVERIFY2(succeeded(second), describe(second));
    QVERIFY2(!text(second.err).contains(u"private"_s), describe(second));
}

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
