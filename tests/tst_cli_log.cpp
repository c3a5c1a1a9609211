// Tests for serve, log and export on the command line, driving the real hooktrail executable
// as child processes: a log filled through a running serve, read back every way.
#include "clitest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_CliLog final : public CliTest
{
    Q_OBJECT

private slots:
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
};

void tst_CliLog::serveBusyPort()
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

void tst_CliLog::logJsonLines()
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

void tst_CliLog::logFilters_data()
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

void tst_CliLog::logFilters()
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

void tst_CliLog::logTable()
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
void tst_CliLog::logTableAfterRemoval()
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

void tst_CliLog::exportFormats_data()
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

void tst_CliLog::exportFormats()
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

void tst_CliLog::serveFollowsCliChanges_data()
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
void tst_CliLog::serveFollowsCliChanges()
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

QTEST_GUILESS_MAIN(tst_CliLog)
#include "tst_cli_log.moc"
