// The command line's destination, deliveries and redeliver commands, driving the real hooktrail
// executable, with a real `serve` delivering to a destination in the test.
#include "clitest.h"
#include "core/delivery/forwarding.h"
#include "destinationserver.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_CliDestinations final : public CliTest
{
    Q_OBJECT

private slots:
    void lifecycle();
    void badArgumentsExitWithUsage_data();
    void badArgumentsExitWithUsage();
    void validationAndUnknownIds();
    void deliversAndRedelivers();

private:
    QString addWebhook(const QString &dataDir);
};

QString tst_CliDestinations::addWebhook(const QString &dataDir)
{
    const ProcessOutcome webhook = hooktrailIn(dataDir, words(u"webhook add --name orders"));
    return QJsonDocument::fromJson(webhook.out).object().value(u"id"_s).toString();
}

void tst_CliDestinations::lifecycle()
{
    const QString dataDir = newDataDir();
    const QString webhook = addWebhook(dataDir);
    QVERIFY(!webhook.isEmpty());
    ProcessOutcome added = hooktrailIn(dataDir,
        words(
            u"destination add --webhook %1 --url http://127.0.0.1:3000/hooks --name app "
            u"--header X-Token=abc --timeout 2500ms --max-attempts 3 --max-age 2h --no-path"_s.arg(
                webhook)));
    QVERIFY2(succeeded(added), describe(added));
    const QJsonObject json = QJsonDocument::fromJson(added.out).object();
    const QString id = json.value(u"id"_s).toString();
    QVERIFY(isUuidV4(id));
    QCOMPARE(json.value(u"webhookId"_s).toString(), webhook);
    QCOMPARE(json.value(u"timeoutMs"_s).toInt(), 2500);
    QCOMPARE(json.value(u"maxAttempts"_s).toInt(), 3);
    QCOMPARE(json.value(u"maxAgeSeconds"_s).toInt(), 7200);
    QCOMPARE(json.value(u"forwardPath"_s).toBool(), false);
    QCOMPARE(json.value(u"headers"_s).toArray().first().toObject().value(u"value"_s).toString(),
        u"abc"_s);

    const ProcessOutcome shown = hooktrailIn(dataDir, { u"destination"_s, u"show"_s, id });
    QVERIFY2(succeeded(shown), describe(shown));
    QCOMPARE(QJsonDocument::fromJson(shown.out).object().value(u"name"_s).toString(), u"app"_s);

    ProcessOutcome listed = hooktrailIn(dataDir, words(u"destination list"));
    QVERIFY2(succeeded(listed), describe(listed));
    QVERIFY(text(listed.out).contains(id));
    QVERIFY(text(listed.out).contains(u"active"_s));

    QVERIFY(succeeded(hooktrailIn(dataDir, { u"destination"_s, u"pause"_s, id })));
    listed = hooktrailIn(dataDir, words(u"destination list --format jsonl"));
    QCOMPARE(QJsonDocument::fromJson(nonEmptyLines(listed.out).first().toUtf8())
                 .object()
                 .value(u"enabled"_s)
                 .toBool(),
        false);
    QVERIFY(text(hooktrailIn(dataDir, words(u"destination list")).out).contains(u"paused"_s));
    QVERIFY(succeeded(hooktrailIn(dataDir, { u"destination"_s, u"resume"_s, id })));
    QVERIFY(text(hooktrailIn(dataDir, words(u"destination list")).out).contains(u"active"_s));

    const ProcessOutcome edited = hooktrailIn(
        dataDir, { u"destination"_s, u"edit"_s, id, u"--url"_s, u"https://example.com/in"_s });
    QVERIFY2(succeeded(edited), describe(edited));
    QCOMPARE(QJsonDocument::fromJson(edited.out).object().value(u"url"_s).toString(),
        u"https://example.com/in"_s);
    QCOMPARE(QJsonDocument::fromJson(edited.out).object().value(u"maxAttempts"_s).toInt(), 3);

    QVERIFY(succeeded(hooktrailIn(dataDir, { u"destination"_s, u"remove"_s, id })));
    const ProcessOutcome gone = hooktrailIn(dataDir, { u"destination"_s, u"show"_s, id });
    QCOMPARE(gone.exitCode, 1);
    QVERIFY(text(gone.err).contains(u"no destination with id"_s));
}

void tst_CliDestinations::badArgumentsExitWithUsage_data()
{
    QTest::addColumn<QString>("line");
    QTest::addRow("no action") << u"destination"_s;
    QTest::addRow("unknown action") << u"destination frob"_s;
    QTest::addRow("add without url") << u"destination add --webhook W"_s;
    QTest::addRow("add without webhook") << u"destination add --url http://x/"_s;
    QTest::addRow("bad timeout") << u"destination add --webhook W --url http://x/ --timeout soon"_s;
    QTest::addRow("bad header")
        << u"destination add --webhook W --url http://x/ --header novalue"_s;
    QTest::addRow("show without id") << u"destination show"_s;
    QTest::addRow("bad state") << u"deliveries --state lost"_s;
    QTest::addRow("bad limit") << u"deliveries --limit 0"_s;
    QTest::addRow("bad format") << u"deliveries --format xml"_s;
    QTest::addRow("bad request id") << u"redeliver --request abc"_s;
    QTest::addRow("unknown option") << u"redeliver --bogus 1"_s;
}

void tst_CliDestinations::badArgumentsExitWithUsage()
{
    QFETCH(QString, line);
    const ProcessOutcome outcome = hooktrailIn(newDataDir(), words(line));
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY2(text(outcome.err).contains(u"Usage:"_s), describe(outcome));
}

void tst_CliDestinations::validationAndUnknownIds()
{
    const QString dataDir = newDataDir();
    const QString webhook = addWebhook(dataDir);
    ProcessOutcome bad = hooktrailIn(dataDir,
        words(u"destination add --webhook %1 --url ftp://files/x --max-attempts 0"_s.arg(webhook)));
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(text(bad.err).contains(u"url:"_s), describe(bad));
    QVERIFY2(text(bad.err).contains(u"maxAttempts:"_s), describe(bad));
    bad = hooktrailIn(
        dataDir, words(u"destination add --webhook %1 --url http://x/"_s.arg(Webhook::newId())));
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(text(bad.err).contains(u"no webhook with id"_s), describe(bad));
    for (const QString &action : { u"show"_s, u"pause"_s, u"resume"_s, u"remove"_s }) {
        const ProcessOutcome unknown
            = hooktrailIn(dataDir, { u"destination"_s, action, Webhook::newId() });
        QCOMPARE(unknown.exitCode, 1);
    }
    QCOMPARE(hooktrailIn(dataDir, words(u"redeliver --request 99")).exitCode, 1);
    QCOMPARE(
        hooktrailIn(dataDir, { u"redeliver"_s, u"--destination"_s, Webhook::newId() }).exitCode, 1);
}

void tst_CliDestinations::deliversAndRedelivers()
{
    DestinationServer destination;
    QVERIFY(destination.listen());
    const QString dataDir = newDataDir();
    const CliProvision provision = provisionViaCli(dataDir, u"orders"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    const ProcessOutcome added = hooktrailIn(dataDir,
        { u"destination"_s, u"add"_s, u"--webhook"_s, provision.webhookId, u"--url"_s,
            destination.url() });
    QVERIFY2(succeeded(added), describe(added));
    const QString destinationId
        = QJsonDocument::fromJson(added.out).object().value(u"id"_s).toString();

    ServeProcess serve;
    QVERIFY2(serve.start(dataDir), qPrintable(serve.error()));
    RawHttpClient client(serve.port());
    QVERIFY(client.connectToServer());
    const QByteArray body = R"({"order": 17, "total": "12.50"})";
    QVERIFY(client.send(httpRequest("POST",
        "/v1/data/webhook/" + provision.webhookId.toLatin1()
            + "?api-key=" + provision.key.toLatin1(),
        "Content-Type: application/json\r\n", body)));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer && answer->statusLine.contains("200"));
    const qint64 requestId = answer->requestId();
    QTRY_COMPARE_WITH_TIMEOUT(destination.received.size(), 1, 15000);
    QCOMPARE(destination.received.first().body, body);
    QCOMPARE(destination.received.first().header(Forwarding::RequestIdHeader),
        QByteArray::number(requestId));

    const auto deliveries = [&] {
        const ProcessOutcome listed = hooktrailIn(
            dataDir, words(u"deliveries --format jsonl --request %1"_s.arg(requestId)));
        const QStringList lines = nonEmptyLines(listed.out);
        return lines.isEmpty() ? QJsonObject()
                               : QJsonDocument::fromJson(lines.first().toUtf8()).object();
    };
    QTRY_COMPARE_WITH_TIMEOUT(deliveries().value(u"state"_s).toString(), u"delivered"_s, 15000);
    const QJsonObject delivered = deliveries();
    QCOMPARE(delivered.value(u"requestId"_s).toInteger(), requestId);
    QCOMPARE(delivered.value(u"destinationId"_s).toString(), destinationId);
    const QJsonArray attempts = delivered.value(u"attempts"_s).toArray();
    QCOMPARE(attempts.size(), 1);
    QCOMPARE(attempts.first().toObject().value(u"status"_s).toInt(), 200);
    QVERIFY(attempts.first().toObject().contains(u"at"_s));
    QVERIFY(attempts.first().toObject().value(u"durationMicros"_s).toInteger() > 0);
    QVERIFY(delivered.value(u"nextAttemptAt"_s).isNull());
    const ProcessOutcome table = hooktrailIn(dataDir, words(u"deliveries --state delivered"));
    QVERIFY(text(table.out).contains(u"delivered"_s));

    const ProcessOutcome again
        = hooktrailIn(dataDir, words(u"redeliver --request %1"_s.arg(requestId)));
    QVERIFY2(succeeded(again), describe(again));
    QVERIFY2(text(again.out).startsWith(u"1 delivery scheduled"_s), describe(again));
    QTRY_COMPARE_WITH_TIMEOUT(destination.received.size(), 2, 15000);
    QCOMPARE(destination.received.last().header(Forwarding::AttemptHeader), "2"_ba);
    // By filter: every accepted request of the webhook.
    const ProcessOutcome byFilter
        = hooktrailIn(dataDir, { u"redeliver"_s, u"--webhook"_s, provision.webhookId });
    QVERIFY2(succeeded(byFilter), describe(byFilter));
    QTRY_COMPARE_WITH_TIMEOUT(destination.received.size(), 3, 15000);
    QCOMPARE(serve.stop(), 0);
}

QTEST_GUILESS_MAIN(tst_CliDestinations)
#include "tst_cli_destinations.moc"
