// The local API (ARCHITECTURE §5.7) over real loopback against `hooktrail serve --api-listen`:
// every endpoint and its errors, tokens, paging while requests keep arriving, wait within 50 ms
// of the commit, Server-Sent Events read by a real client, the OpenAPI document checked by an
// npm validator against what the server answers, the metrics read by a Prometheus text-format
// parser and matched with the log, and `log --follow` as a child process. The Node clients are
// in tests/api (installed by scripts/install-deps.sh test).
#include "clitest.h"
#include "core/store/commitwatcher.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QUrlQuery>
#include <algorithm>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;

namespace {

const QString ToolsDir = QStringLiteral(QT_TESTCASE_SOURCEDIR "/api");

// serve with the API on a port of its own, and both ports.
class ApiServe
{
public:
    bool start(const QString &dataDir, const QStringList &more = {})
    {
        if (!m_serve.start(
                dataDir, 15000, QStringList { u"--api-listen"_s, u"127.0.0.1:0"_s } + more))
            return false;
        static const QRegularExpression announced(uR"(API on http://127\.0\.0\.1:(\d+)/)"_s);
        const QDeadlineTimer deadline(10000);
        QByteArray output = m_serve.output();
        while (!deadline.hasExpired()) {
            if (const QRegularExpressionMatch match = announced.match(QString::fromUtf8(output));
                match.hasMatch()) {
                m_apiPort = match.captured(1).toUShort();
                return true;
            }
            m_serve.process().waitForReadyRead(100);
            output += m_serve.process().readAllStandardOutput();
        }
        return false;
    }
    quint16 port() const { return m_serve.port(); }
    quint16 apiPort() const { return m_apiPort; }
    QString api(const QString &path) const
    {
        return u"http://127.0.0.1:%1%2"_s.arg(m_apiPort).arg(path);
    }
    int stop() { return m_serve.stop(); }
    QString error() const { return m_serve.error(); }

private:
    ServeProcess m_serve;
    quint16 m_apiPort = 0;
};

QList<QPair<QByteArray, QByteArray>> bearer(const QString &token)
{
    return { { "Authorization", "Bearer " + token.toLatin1() } };
}

// Runs one of the Node clients in tests/api; its first line of output, parsed.
struct NodeRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

NodeRun runNode(const QString &script, const QStringList &arguments, const QByteArray &input = {})
{
    NodeRun run;
    QProcess node;
    node.start(u"node"_s, QStringList { ToolsDir + u'/' + script } + arguments);
    if (!node.waitForStarted(10000))
        return run;
    node.write(input);
    node.closeWriteChannel();
    if (node.waitForFinished(60000) && node.exitStatus() == QProcess::NormalExit)
        run.exitCode = node.exitCode();
    run.out = node.readAllStandardOutput();
    run.err = node.readAllStandardError();
    return run;
}

} // namespace

class tst_Api : public CliTest
{
    Q_OBJECT

private slots:
    void initTestCase();
    void endpointsAnswer();
    void webhooksNeverShowSecrets();
    void errorsNameTheProblem();
    void tokensOpenOnlyTheApi();
    void pagingHasNoGapsWhileRequestsArrive();
    void waitAnswersWithinFiftyMillisecondsOfTheCommit();
    void eventsReachARealClient();
    void openApiDescribesEveryAnsweredPath();
    void metricsParseAndMatchTheLog();
    void guardBoundsWhatAClientSends();
    void logFollowSeesNewRequests();
    void postgresWakesAcrossProcesses();
    void cleanupTestCase();

private:
    // POSTs to the webhook with the key; the requestId.
    qint64 post(const QString &body = u"{\"order\":1}"_s, const QString &webhook = {});
    ProcessOutcome hooktrailHere(const QString &line)
    {
        return hooktrailIn(m_dataDir, words(line));
    }

    QString m_dataDir;
    QString m_webhook;
    QString m_other; // a second webhook
    QString m_key;
    QString m_token;
    QString m_readOnly;
    ApiServe m_serve;
};

void tst_Api::initTestCase()
{
    CliTest::initTestCase();
    QVERIFY2(QFile::exists(ToolsDir + u"/node_modules"_s),
        "the API test clients are not installed: run scripts/install-deps.sh test");
    m_dataDir = newDataDir();
    const CliProvision provision = provisionViaCli(m_dataDir, u"orders"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    m_webhook = provision.webhookId;
    m_key = provision.key;
    const ProcessOutcome other = hooktrailHere(u"webhook add --name refunds"_s);
    QVERIFY2(succeeded(other), describe(other));
    m_other = QJsonDocument::fromJson(other.out).object().value(u"id"_s).toString();
    const ProcessOutcome token = hooktrailHere(u"token add --name ci"_s);
    QVERIFY2(succeeded(token), describe(token));
    m_token = text(token.out).trimmed();
    QVERIFY(m_token.startsWith(u"htt_"_s));
    QVERIFY(text(token.err).contains(u"shown once"_s));
    const ProcessOutcome readOnly = hooktrailHere(u"token add --name dashboards --read-only"_s);
    QVERIFY2(succeeded(readOnly), describe(readOnly));
    m_readOnly = text(readOnly.out).trimmed();
    QVERIFY2(m_serve.start(m_dataDir), qPrintable(m_serve.error()));
}

void tst_Api::cleanupTestCase()
{
    QCOMPARE(m_serve.stop(), int(CommandLine::Success));
}

qint64 tst_Api::post(const QString &body, const QString &webhook)
{
    RawHttpClient client(m_serve.port());
    if (!client.connectToServer())
        return 0;
    const QByteArray target = "/v1/data/webhook/"
        + (webhook.isEmpty() ? m_webhook : webhook).toLatin1() + "?api-key=" + m_key.toLatin1();
    client.send(httpRequest("POST", target, "Content-Type: application/json\r\n", body.toUtf8()));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    return answer && answer->status == 200 ? answer->requestId() : 0;
}

void tst_Api::endpointsAnswer()
{
    const qint64 id = post(u"{\"order\":\"first\"}"_s);
    QVERIFY(id > 0);

    const HttpAnswer webhooks
        = sendRequest(m_serve.api(u"/api/v1/webhooks"_s), "GET", bearer(m_token));
    QCOMPARE(webhooks.status, 200);
    const QJsonArray list = webhooks.json().value(u"webhooks"_s).toArray();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).toObject().value(u"id"_s).toString(), m_webhook);
    QVERIFY(list.at(0).toObject().value(u"endpoint"_s).toString().endsWith(m_webhook));
    QCOMPARE(webhooks.header("cache-control"), QByteArray("no-store"));

    const HttpAnswer page
        = sendRequest(m_serve.api(u"/api/v1/requests?webhook=%1&limit=5"_s.arg(m_webhook)), "GET",
            bearer(m_token));
    QCOMPARE(page.status, 200);
    const QJsonArray rows = page.json().value(u"requests"_s).toArray();
    QVERIFY(!rows.isEmpty());
    QCOMPARE(rows.at(0).toObject().value(u"id"_s).toInteger(), id);
    QVERIFY(!rows.at(0).toObject().contains(u"body"_s)); // summaries leave the body out
    QCOMPARE(rows.at(0).toObject().value(u"bodySize"_s).toInt(), 17);

    const HttpAnswer one
        = sendRequest(m_serve.api(u"/api/v1/requests/%1"_s.arg(id)), "GET", bearer(m_token));
    QCOMPARE(one.status, 200);
    QStringList fields = one.json().keys();
    QStringList expected = kLogFields;
    std::sort(fields.begin(), fields.end());
    std::sort(expected.begin(), expected.end());
    QCOMPARE(fields, expected); // the JSON Lines names, every one
    QCOMPARE(one.json().value(u"body"_s).toString(), u"{\"order\":\"first\"}"_s);
    QCOMPARE(one.json().value(u"query"_s).toString(), u"api-key=***"_s); // redacted as logged

    const HttpAnswer body
        = sendRequest(m_serve.api(u"/api/v1/requests/%1/body"_s.arg(id)), "GET", bearer(m_token));
    QCOMPARE(body.status, 200);
    QCOMPARE(body.body, QByteArray("{\"order\":\"first\"}"));
    QCOMPARE(body.header("content-type"), QByteArray("application/json"));
    QCOMPARE(body.header("x-hooktrail-body-truncated"), QByteArray("false"));
    QCOMPARE(body.header("content-disposition"), QByteArray("attachment"));

    // Replay to the receiver itself: the logged key is masked, so it is not sent on, and the
    // receiver's own answer comes back.
    const QByteArray order = QJsonDocument(
        QJsonObject { { u"url"_s,
            u"http://127.0.0.1:%1/v1/data/webhook/%2"_s.arg(m_serve.port()).arg(m_webhook) } })
                                 .toJson();
    const HttpAnswer replay
        = sendRequest(m_serve.api(u"/api/v1/requests/%1/replay"_s.arg(id)), "POST",
            bearer(m_token)
                + QList<QPair<QByteArray, QByteArray>> { { "Content-Type", "application/json" } },
            order);
    QCOMPARE(replay.status, 200);
    QCOMPARE(replay.json().value(u"status"_s).toInt(), 401);
    QVERIFY(replay.json().value(u"body"_s).toString().contains(u"missing_api_key"_s));
    QVERIFY(replay.json().value(u"durationMicros"_s).toInteger() > 0);
}

void tst_Api::webhooksNeverShowSecrets()
{
    const QString secret = u"api-secret-%1"_s.arg(QRandomGenerator::global()->generate());
    QTemporaryDir dir;
    QFile file(dir.filePath(u"secret"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(secret.toUtf8());
    file.close();
    const ProcessOutcome added = hooktrailIn(m_dataDir,
        { u"webhook"_s, u"add"_s, u"--name"_s, u"signed"_s, u"--verify"_s, u"github"_s,
            u"--secret-file"_s, file.fileName() });
    QVERIFY2(succeeded(added), describe(added));
    const HttpAnswer webhooks
        = sendRequest(m_serve.api(u"/api/v1/webhooks"_s), "GET", bearer(m_token));
    QCOMPARE(webhooks.status, 200);
    QVERIFY(webhooks.body.contains("\"github\""));
    QVERIFY(!webhooks.body.contains(secret.toUtf8()));
}

void tst_Api::errorsNameTheProblem()
{
    const auto get = [this](const QString &path) {
        return sendRequest(m_serve.api(path), "GET", bearer(m_token));
    };
    struct Case
    {
        QString path;
        int status;
        QString parameter;
    };
    const Case cases[] = {
        { u"/api/v1/requests?status=42"_s, 400, u"status"_s },
        { u"/api/v1/requests?outcome=maybe"_s, 400, u"outcome"_s },
        { u"/api/v1/requests?since=yesterday"_s, 400, u"since"_s },
        { u"/api/v1/requests?limit=0"_s, 400, u"limit"_s },
        { u"/api/v1/requests?limit=1001"_s, 400, u"limit"_s },
        { u"/api/v1/requests?before=abc"_s, 400, u"before"_s },
        { u"/api/v1/requests?webook=x"_s, 400, u"webook"_s }, // a misspelt filter
        { u"/api/v1/requests/wait?timeout=5h"_s, 400, u"timeout"_s },
        { u"/api/v1/requests/wait?after=-3"_s, 400, u"after"_s },
        { u"/api/v1/requests/abc"_s, 400, u"id"_s },
        { u"/api/v1/requests/999999"_s, 404, {} },
        { u"/api/v1/requests/999999/body"_s, 404, {} },
    };
    for (const Case &test : cases) {
        const HttpAnswer answer = get(test.path);
        QVERIFY2(answer.status == test.status,
            qPrintable(u"%1: %2 %3"_s.arg(test.path).arg(answer.status).arg(text(answer.body))));
        QCOMPARE(answer.header("content-type"), QByteArray("application/json"));
        QCOMPARE(answer.json().value(u"parameter"_s).toString(), test.parameter);
        QVERIFY(!answer.json().value(u"message"_s).toString().isEmpty());
    }
    const HttpAnswer notJson = sendRequest(
        m_serve.api(u"/api/v1/requests/1/replay"_s), "POST", bearer(m_token), "url=http://x");
    QCOMPARE(notJson.status, 415);
    const HttpAnswer badUrl = sendRequest(m_serve.api(u"/api/v1/requests/1/replay"_s), "POST",
        bearer(m_token), R"({"url":"ftp://example.com/"})");
    QCOMPARE(badUrl.status, 400);
    QCOMPARE(badUrl.json().value(u"parameter"_s).toString(), u"url"_s);
    const HttpAnswer unreachable = sendRequest(m_serve.api(u"/api/v1/requests/1/replay"_s), "POST",
        bearer(m_token), R"({"url":"http://127.0.0.1:1/"})");
    QCOMPARE(unreachable.status, 502);
    QCOMPARE(unreachable.json().value(u"error"_s).toString(), u"replay_failed"_s);
}

void tst_Api::tokensOpenOnlyTheApi()
{
    const QString url = m_serve.api(u"/api/v1/webhooks"_s);
    QCOMPARE(sendRequest(url, "GET").status, 401);
    const HttpAnswer wrong = sendRequest(url, "GET", bearer(u"htt_not-a-token"_s));
    QCOMPARE(wrong.status, 401);
    QCOMPARE(wrong.header("www-authenticate"), QByteArray("Bearer realm=\"hooktrail\""));
    QCOMPARE(sendRequest(url, "GET", bearer(m_key)).status, 401); // an ingest key: no
    QCOMPARE(sendRequest(url, "GET", bearer(m_readOnly)).status, 200);
    const HttpAnswer write = sendRequest(m_serve.api(u"/api/v1/requests/1/replay"_s), "POST",
        bearer(m_readOnly), R"({"url":"http://127.0.0.1:1/"})");
    QCOMPARE(write.status, 403);
    QCOMPARE(write.json().value(u"error"_s).toString(), u"forbidden"_s);
    // The metrics need a token too unless Settings say otherwise.
    QCOMPARE(sendRequest(m_serve.api(u"/metrics"_s), "GET").status, 401);

    // A token never opens ingest.
    RawHttpClient client(m_serve.port());
    QVERIFY(client.connectToServer());
    client.send(httpRequest("POST",
        "/v1/data/webhook/" + m_webhook.toLatin1() + "?api-key=" + m_token.toLatin1(),
        "Content-Type: application/json\r\n", "{}"));
    const std::optional<HttpAnswer> ingest = client.readAnswer();
    QVERIFY(ingest);
    QCOMPARE(ingest->status, 401);

    // Revoked: refused from the next call on, without a restart.
    const ProcessOutcome added = hooktrailHere(u"token add --name temporary"_s);
    QVERIFY2(succeeded(added), describe(added));
    const QString temporary = text(added.out).trimmed();
    QCOMPARE(sendRequest(url, "GET", bearer(temporary)).status, 200);
    const ProcessOutcome listed = hooktrailHere(u"token list"_s);
    QVERIFY(text(listed.out).contains(temporary.left(12)));
    QVERIFY(!text(listed.out).contains(temporary)); // listed by prefix, never whole
    const ProcessOutcome revoked = hooktrailHere(u"token revoke "_s + temporary.left(12));
    QVERIFY2(succeeded(revoked), describe(revoked));
    QCOMPARE(sendRequest(url, "GET", bearer(temporary)).status, 401);
    // Stored hashed: the token's text is nowhere in the data folder.
    QVERIFY(!folderContains(m_dataDir, temporary.toLatin1()));
}

void tst_Api::pagingHasNoGapsWhileRequestsArrive()
{
    QList<qint64> before;
    for (int i = 0; i < 60; ++i) {
        const qint64 id = post(u"{\"page\":%1}"_s.arg(i), m_other);
        QVERIFY(id > 0);
        before.append(id);
    }
    QList<qint64> seen;
    QString next;
    int pages = 0;
    do {
        QString path = u"/api/v1/requests?webhook=%1&limit=7"_s.arg(m_other);
        if (!next.isEmpty())
            path += u"&before="_s + next;
        const HttpAnswer page = sendRequest(m_serve.api(path), "GET", bearer(m_token));
        QCOMPARE(page.status, 200);
        for (const QJsonValue &row : page.json().value(u"requests"_s).toArray())
            seen.append(row.toObject().value(u"id"_s).toInteger());
        next = page.json().value(u"next"_s).toString();
        // New requests between pages land above the first page, never inside the walk.
        QVERIFY(post(u"{\"during\":%1}"_s.arg(pages), m_other) > 0);
        ++pages;
    } while (!next.isEmpty() && pages < 100);
    QVERIFY(pages >= 9);
    std::reverse(seen.begin(), seen.end());
    QCOMPARE(seen, before); // every one, once, in order
}

void tst_Api::waitAnswersWithinFiftyMillisecondsOfTheCommit()
{
    // Already committed: answered at once, the first match above `after`.
    const qint64 first = post();
    const HttpAnswer past = sendRequest(
        m_serve.api(u"/api/v1/requests/wait?after=%1&webhook=%2"_s.arg(first - 1).arg(m_webhook)),
        "GET", bearer(m_token));
    QCOMPARE(past.status, 200);
    QCOMPARE(past.json().value(u"id"_s).toInteger(), first);

    // Nothing comes: 204 at the timeout.
    QElapsedTimer clock;
    clock.start();
    const HttpAnswer none
        = sendRequest(m_serve.api(u"/api/v1/requests/wait?timeout=300ms&webhook=%1"_s.arg(m_other)),
            "GET", bearer(m_token));
    QCOMPARE(none.status, 204);
    QVERIFY(clock.elapsed() >= 290);

    QList<qint64> lags;
    for (int round = 0; round < 5; ++round) {
        RawHttpClient waiting(m_serve.apiPort());
        QVERIFY(waiting.connectToServer());
        waiting.send(httpRequest("GET",
            "/api/v1/requests/wait?timeout=20s&search=round" + QByteArray::number(round)
                + "x&webhook=" + m_webhook.toLatin1(),
            "Authorization: Bearer " + m_token.toLatin1() + "\r\n"));
        // Still waiting: nothing comes before the request does.
        QVERIFY(!waiting.readAnswer(150));
        const qint64 id = post(u"{\"note\":\"round%1x\"}"_s.arg(round));
        QVERIFY(id > 0);
        // The receiver answered after the commit, so this measures from later than the commit.
        clock.restart();
        const std::optional<HttpAnswer> answer = waiting.readAnswer(5000);
        lags.append(clock.elapsed());
        QVERIFY(answer);
        QCOMPARE(answer->status, 200);
        QCOMPARE(answer->json().value(u"id"_s).toInteger(), id);
    }
    std::sort(lags.begin(), lags.end());
    qInfo("wait answered %lld ms (median) after the sender's answer; all: %s", lags.at(2),
        qPrintable(QStringList([&] {
            QStringList s;
            for (qint64 l : lags)
                s << QString::number(l);
            return s;
        }())
                       .join(u' ')));
    QVERIFY2(lags.at(2) <= 50, qPrintable(u"median %1 ms"_s.arg(lags.at(2))));
}

void tst_Api::eventsReachARealClient()
{
    QProcess client;
    client.start(u"node"_s,
        { ToolsDir + u"/sse-client.mjs"_s,
            m_serve.api(u"/api/v1/events?webhook=%1"_s.arg(m_webhook)), m_token, u"3"_s,
            u"20000"_s });
    QVERIFY(client.waitForStarted());
    QByteArray output;
    while (!output.contains("\"open\"") && client.waitForReadyRead(10000))
        output += client.readAllStandardOutput();
    QVERIFY2(output.contains("\"open\":true"), output.constData());
    QList<qint64> sent;
    sent.append(post(u"{\"event\":1}"_s));
    QVERIFY(post(u"{\"elsewhere\":1}"_s, m_other) > 0); // another webhook: not in this stream
    sent.append(post(u"{\"event\":2}"_s));
    sent.append(post(u"{\"event\":3}"_s));
    QVERIFY(client.waitForFinished(20000));
    output += client.readAllStandardOutput();
    QCOMPARE(client.exitCode(), 0);
    QList<qint64> received;
    for (const QString &line : nonEmptyLines(output)) {
        const QJsonObject event = QJsonDocument::fromJson(line.toUtf8()).object();
        if (event.contains(u"open"_s))
            continue;
        QCOMPARE(event.value(u"event"_s).toString(), u"request"_s);
        const QJsonObject data = event.value(u"data"_s).toObject();
        QCOMPARE(event.value(u"id"_s).toString().toLongLong(), data.value(u"id"_s).toInteger());
        QCOMPARE(data.value(u"webhookId"_s).toString(), m_webhook);
        received.append(data.value(u"id"_s).toInteger());
    }
    QCOMPARE(received, sent);

    // Resumed with Last-Event-ID (the client's reconnect): only what came after it.
    RawHttpClient resumed(m_serve.apiPort());
    QVERIFY(resumed.connectToServer());
    resumed.send(httpRequest("GET", "/api/v1/events?webhook=" + m_webhook.toLatin1(),
        "Authorization: Bearer " + m_token.toLatin1()
            + "\r\nLast-Event-ID: " + QByteArray::number(sent.at(1)) + "\r\n"));
    const QByteArray last = "id: " + QByteArray::number(sent.at(2));
    QDeadlineTimer deadline(5000);
    while (!resumed.buffer().contains(last) && !deadline.hasExpired())
        resumed.pump(100);
    const QByteArray stream = resumed.buffer();
    QVERIFY2(stream.contains(last), stream.constData());
    QVERIFY(stream.startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(stream.contains("Content-Type: text/event-stream\r\n"));
    QVERIFY(!stream.contains("id: " + QByteArray::number(sent.at(1)) + '\n'));
}

void tst_Api::openApiDescribesEveryAnsweredPath()
{
    const HttpAnswer document
        = sendRequest(m_serve.api(u"/api/v1/openapi.json"_s), "GET", bearer(m_token));
    QCOMPARE(document.status, 200);
    QTemporaryDir dir;
    QFile file(dir.filePath(u"openapi.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(document.body);
    file.close();
    const NodeRun validated = runNode(u"validate-openapi.mjs"_s, { file.fileName() });
    QVERIFY2(validated.exitCode == 0, validated.out + validated.err);
    const QJsonObject result = QJsonDocument::fromJson(validated.out).object();
    QVERIFY(result.value(u"valid"_s).toBool());
    QSet<QString> documented;
    for (const QJsonValue &operation : result.value(u"operations"_s).toArray())
        documented.insert(
            operation[u"method"_s].toString().toUpper() + u' ' + operation[u"path"_s].toString());

    // Every call the server answers, as this test makes it: each is documented, and each
    // documented one is answered (not 404) by the server.
    const qint64 id = post();
    const QList<QPair<QString, QString>> answered {
        { u"GET /api/v1/webhooks"_s, u"/api/v1/webhooks"_s },
        { u"GET /api/v1/requests"_s, u"/api/v1/requests"_s },
        { u"GET /api/v1/requests/wait"_s, u"/api/v1/requests/wait?after=0"_s },
        { u"GET /api/v1/requests/{id}"_s, u"/api/v1/requests/%1"_s.arg(id) },
        { u"GET /api/v1/requests/{id}/body"_s, u"/api/v1/requests/%1/body"_s.arg(id) },
        { u"POST /api/v1/requests/{id}/replay"_s, u"/api/v1/requests/%1/replay"_s.arg(id) },
        { u"GET /api/v1/openapi.json"_s, u"/api/v1/openapi.json"_s },
        { u"GET /metrics"_s, u"/metrics"_s },
    };
    QSet<QString> probed;
    for (const auto &[operation, path] : answered) {
        QVERIFY2(documented.contains(operation), qPrintable(operation));
        probed.insert(operation);
        const QByteArray method = operation.section(u' ', 0, 0).toLatin1();
        const HttpAnswer answer = sendRequest(m_serve.api(path), method, bearer(m_token),
            method == "POST" ? QByteArray(R"({"url":"http://127.0.0.1:1/"})") : QByteArray());
        QVERIFY2(answer.status != 404 && answer.status != 0, qPrintable(operation));
    }
    probed.insert(u"GET /api/v1/events"_s); // eventsReachARealClient
    QCOMPARE(documented, probed);
}

void tst_Api::metricsParseAndMatchTheLog()
{
    // A few of each outcome on both webhooks, then the counters against the log itself.
    for (int i = 0; i < 3; ++i)
        QVERIFY(post(u"{}"_s, m_other) > 0);
    RawHttpClient client(m_serve.port());
    QVERIFY(client.connectToServer());
    client.send(httpRequest("POST", "/v1/data/webhook/" + m_webhook.toLatin1(),
        "Content-Type: application/json\r\n", "{}"));
    QVERIFY(client.readAnswer());
    // A row answered is committed; the scrape reads the writer's counts.
    const HttpAnswer scraped = sendRequest(m_serve.api(u"/metrics"_s), "GET", bearer(m_token));
    QCOMPARE(scraped.status, 200);
    QVERIFY(scraped.header("content-type").startsWith("text/plain; version=0.0.4"));
    const NodeRun parsed = runNode(u"parse-metrics.mjs"_s, {}, scraped.body);
    QVERIFY2(parsed.exitCode == 0, parsed.err.constData());
    QHash<QString, double> byKey;
    QSet<QString> families;
    for (const QJsonValue &family : QJsonDocument::fromJson(parsed.out).array()) {
        const QString name = family[u"name"_s].toString();
        families.insert(name);
        if (name != u"hooktrail_requests_total"_s && name != u"hooktrail_requests_rejected_total"_s)
            continue;
        for (const QJsonValue &metric : family[u"metrics"_s].toArray()) {
            const QJsonObject labels = metric[u"labels"_s].toObject();
            const QString key = name == u"hooktrail_requests_total"_s
                ? labels.value(u"webhook"_s).toString() + u'/'
                    + labels.value(u"outcome"_s).toString()
                : u"reason/"_s + labels.value(u"reason"_s).toString();
            byKey[key] += metric[u"value"_s].toString().toDouble();
        }
    }
    for (const char *name :
        { "hooktrail_answer_latency_seconds", "hooktrail_commit_latency_seconds",
            "hooktrail_writer_queue_depth", "hooktrail_open_connections",
            "hooktrail_database_size_bytes", "hooktrail_search_index_backlog",
            "hooktrail_deliveries_unfinished", "hooktrail_delivery_attempts_total" })
        QVERIFY2(families.contains(QString::fromLatin1(name)), name);

    // The log, read through the command line: every row was committed by this serve.
    const ProcessOutcome log = hooktrailHere(u"log --format jsonl --limit 100000"_s);
    QVERIFY2(succeeded(log), describe(log));
    QHash<QString, double> fromLog;
    for (const QString &line : nonEmptyLines(log.out)) {
        const QJsonObject row = QJsonDocument::fromJson(line.toUtf8()).object();
        const int status = row.value(u"status"_s).toInt();
        const bool accepted = status >= 200 && status <= 299;
        fromLog[row.value(u"webhookId"_s).toString() + (accepted ? u"/accepted"_s : u"/rejected"_s)]
            += 1;
        if (!accepted)
            fromLog[u"reason/"_s + row.value(u"reason"_s).toString()] += 1;
    }
    QCOMPARE(byKey, fromLog);
    QVERIFY(fromLog.value(m_webhook + u"/rejected"_s) >= 1);
}

void tst_Api::guardBoundsWhatAClientSends()
{
    // A body over 64 KiB is refused by its Content-Length, before Qt would buffer it.
    RawHttpClient big(m_serve.apiPort());
    QVERIFY(big.connectToServer());
    big.send("POST /api/v1/requests/1/replay HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + m_token.toLatin1() + "\r\nContent-Length: 1000000000\r\n\r\n");
    const std::optional<HttpAnswer> tooLarge = big.readAnswer();
    QVERIFY(tooLarge);
    QCOMPARE(tooLarge->status, 413);
    QVERIFY(big.waitForClosed(5000));

    // A head that never ends is cut at 16 KiB.
    RawHttpClient endless(m_serve.apiPort());
    QVERIFY(endless.connectToServer());
    endless.send("GET /api/v1/webhooks HTTP/1.1\r\nX-Filler: " + QByteArray(20000, 'a'));
    const std::optional<HttpAnswer> tooLong = endless.readAnswer();
    QVERIFY(tooLong);
    QCOMPARE(tooLong->status, 431);

    // Chunked bodies are refused (their size is not known up front).
    RawHttpClient chunked(m_serve.apiPort());
    QVERIFY(chunked.connectToServer());
    chunked.send("POST /api/v1/requests/1/replay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                 "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    const std::optional<HttpAnswer> lengthRequired = chunked.readAnswer();
    QVERIFY(lengthRequired);
    QCOMPARE(lengthRequired->status, 411);

    // Long polls and streams are bounded: past 32, 503; a client that goes frees its place.
    std::vector<std::unique_ptr<RawHttpClient>> waiting;
    for (int i = 0; i < 32; ++i) {
        auto client = std::make_unique<RawHttpClient>(m_serve.apiPort());
        QVERIFY(client->connectToServer());
        client->send(httpRequest("GET",
            "/api/v1/requests/wait?timeout=30s&webhook=" + m_other.toLatin1() + "&search=never",
            "Authorization: Bearer " + m_token.toLatin1() + "\r\n"));
        waiting.push_back(std::move(client));
    }
    QVERIFY(!waiting.back()->readAnswer(300)); // all parked
    const HttpAnswer full
        = sendRequest(m_serve.api(u"/api/v1/requests/wait?timeout=1s"_s), "GET", bearer(m_token));
    QCOMPARE(full.status, 503);
    QCOMPARE(full.json().value(u"error"_s).toString(), u"too_many_streams"_s);
    waiting.clear(); // the clients go
    QDeadlineTimer deadline(5000);
    int status = 0;
    while (!deadline.hasExpired()) {
        status = sendRequest(
            m_serve.api(u"/api/v1/requests/wait?timeout=10ms"_s), "GET", bearer(m_token))
                     .status;
        if (status == 204)
            break;
        QTest::qWait(50);
    }
    QCOMPARE(status, 204);
}

void tst_Api::logFollowSeesNewRequests()
{
    const qint64 old = post(u"{\"before\":\"follow\"}"_s);
    QVERIFY(old > 0);
    QProcess follow;
    follow.setProcessEnvironment(m_environment);
    follow.start(hooktrailBinary(),
        { u"log"_s, u"--follow"_s, u"--format"_s, u"jsonl"_s, u"--limit"_s, u"1"_s, u"--webhook"_s,
            m_webhook, u"--data-dir"_s, m_dataDir });
    QVERIFY(follow.waitForStarted());
    // The listing first (the newest match), then it follows.
    QByteArray output;
    while (!output.contains('\n') && follow.waitForReadyRead(10000))
        output += follow.readAllStandardOutput();
    QCOMPARE(QJsonDocument::fromJson(output.trimmed()).object().value(u"id"_s).toInteger(), old);
    const qint64 a = post(u"{\"follow\":1}"_s);
    QVERIFY(post(u"{}"_s, m_other) > 0); // filtered out
    const qint64 b = post(u"{\"follow\":2}"_s);
    QDeadlineTimer deadline(10000);
    while (nonEmptyLines(output).size() < 3 && !deadline.hasExpired()) {
        follow.waitForReadyRead(200);
        output += follow.readAllStandardOutput();
    }
    const QStringList lines = nonEmptyLines(output);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(QJsonDocument::fromJson(lines.at(1).toUtf8()).object().value(u"id"_s).toInteger(), a);
    QCOMPARE(QJsonDocument::fromJson(lines.at(2).toUtf8()).object().value(u"id"_s).toInteger(), b);
    follow.terminate();
    QVERIFY(follow.waitForFinished(10000));
    QCOMPARE(follow.exitStatus(), QProcess::NormalExit);
    QCOMPARE(follow.exitCode(), 0);
}

// On a shared PostgreSQL database the rows come from another receiver: its commits reach the
// API's wait and `log --follow` through LISTEN/NOTIFY.
void tst_Api::postgresWakesAcrossProcesses()
{
    const QString url = postgresTestUrl(u"api"_s);
    if (url.isEmpty())
        QSKIP("no PostgreSQL server: HOOKTRAIL_TEST_POSTGRES is not set (./dev test starts "
              "one with scripts/pg-test-cluster.sh)");
    QVERIFY(resetPostgres(url));
    const QString dataDir = newDataDir();
    const auto run = [&](const QString &line) {
        return hooktrailIn(dataDir, words(line) + QStringList { u"--database"_s, url });
    };
    const ProcessOutcome webhook = run(u"webhook add --name shared"_s);
    QVERIFY2(succeeded(webhook), describe(webhook));
    const QString webhookId
        = QJsonDocument::fromJson(webhook.out).object().value(u"id"_s).toString();
    const ProcessOutcome key = run(u"key add --name shared"_s);
    QVERIFY2(succeeded(key), describe(key));
    const ProcessOutcome token = run(u"token add --name shared"_s);
    QVERIFY2(succeeded(token), describe(token));

    ApiServe api; // reads
    QVERIFY2(api.start(dataDir, { u"--database"_s, url }), qPrintable(api.error()));
    ServeProcess receiver; // writes
    QVERIFY2(receiver.start(newDataDir(), 15000, { u"--database"_s, url }),
        qPrintable(receiver.error()));

    QProcess follow;
    follow.setProcessEnvironment(m_environment);
    follow.start(hooktrailBinary(),
        { u"log"_s, u"--follow"_s, u"--format"_s, u"jsonl"_s, u"--data-dir"_s, dataDir,
            u"--database"_s, url });
    QVERIFY(follow.waitForStarted());

    RawHttpClient waiting(api.apiPort());
    QVERIFY(waiting.connectToServer());
    waiting.send(httpRequest("GET", "/api/v1/requests/wait?timeout=20s",
        "Authorization: Bearer " + text(token.out).trimmed().toLatin1() + "\r\n"));
    QVERIFY(!waiting.readAnswer(300));
    QTest::qWait(300); // log --follow is listening by now
    RawHttpClient sender(receiver.port());
    QVERIFY(sender.connectToServer());
    sender.send(httpRequest("POST",
        "/v1/data/webhook/" + webhookId.toLatin1()
            + "?api-key=" + text(key.out).trimmed().toLatin1(),
        "Content-Type: application/json\r\n", "{\"shared\":true}"));
    const std::optional<HttpAnswer> sent = sender.readAnswer();
    QVERIFY(sent);
    QCOMPARE(sent->status, 200);
    // Woken by the notification, well before the API's slow safety-net look.
    QElapsedTimer clock;
    clock.start();
    const std::optional<HttpAnswer> woken = waiting.readAnswer(5000);
    QVERIFY(woken);
    QVERIFY2(clock.elapsed() < CommitWatcher::SafetyNetMs / 2,
        qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(woken->json().value(u"id"_s).toInteger(), sent->requestId());

    QByteArray output;
    QDeadlineTimer deadline(10000);
    while (!output.contains('\n') && !deadline.hasExpired()) {
        follow.waitForReadyRead(200);
        output += follow.readAllStandardOutput();
    }
    QCOMPARE(QJsonDocument::fromJson(output.trimmed()).object().value(u"id"_s).toInteger(),
        sent->requestId());
    follow.terminate();
    QVERIFY(follow.waitForFinished(10000));
    QCOMPARE(receiver.stop(), int(CommandLine::Success));
    QCOMPARE(api.stop(), int(CommandLine::Success));
}

QTEST_GUILESS_MAIN(tst_Api)
#include "tst_api.moc"
