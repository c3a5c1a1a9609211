// Tests for hooktrail-server, the receiver without the console, run as a child process.
#include "clitest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_CliServer final : public CliTest
{
    Q_OBJECT

private slots:
    void serverLinksNoGui();
    void serverServesARequest();
    void serverHasNoConsole_data();
    void serverHasNoConsole();
};

// hooktrail-server links no graphical library: a server without them can run it.
void tst_CliServer::serverLinksNoGui()
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
void tst_CliServer::serverServesARequest()
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

void tst_CliServer::serverHasNoConsole_data()
{
    QTest::addColumn<QStringList>("arguments"); // {DIR} stands for a data folder
    QTest::newRow("no command") << QStringList();
    QTest::newRow("console") << words(u"console");
    QTest::newRow("console, with a data folder") << words(u"console --data-dir {DIR}");
    QTest::newRow("a data folder only") << words(u"--data-dir {DIR}");
}

void tst_CliServer::serverHasNoConsole()
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

QTEST_GUILESS_MAIN(tst_CliServer)
#include "tst_cli_server.moc"
