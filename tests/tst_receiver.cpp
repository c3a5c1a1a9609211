// End-to-end tests of the receiver: real HTTP over loopback, a real SQLite log, every outcome.
#include "core/history/curlcommand.h"
#include "core/history/requestexport.h"
#include "core/model/apikey.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"
#include "testsupport.h"

#include <QBuffer>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

constexpr int kRetryAfter = 5;
constexpr qint64 kSmallBodyLimit = 64 * 1024;

// AddressSanitizer's quarantine keeps freed blocks resident, so under it RSS says nothing
// about what the receiver holds.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRssIsMeaningful = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kRssIsMeaningful = false;
#else
constexpr bool kRssIsMeaningful = true;
#endif
#else
constexpr bool kRssIsMeaningful = true;
#endif

// Timeouts short enough to observe, used only by the tests that restart the receiver with them.
constexpr int kHeaderTimeoutMs = 300;
constexpr int kIdleTimeoutMs = 600;

} // namespace

class tst_Receiver : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void contractOutcome_data();
    void contractOutcome();
    void ordinaryClient_data();
    void ordinaryClient();
    void secretsRedacted_data();
    void secretsRedacted();
    void keysScrubbedWherever_data();
    void keysScrubbedWherever();
    void malformedRequest_data();
    void malformedRequest();
    void bodyOverLimitByLength();
    void bodyOverLimitByCounting();
    void refusedBodyKeepsPrefix_data();
    void refusedBodyKeepsPrefix();
    void refusedWithoutContinue();
    void headerRuleOnEveryField_data();
    void headerRuleOnEveryField();
    void forwardedForWithPort_data();
    void forwardedForWithPort();
    void largeUploadKeepsMemoryBounded_data();
    void largeUploadKeepsMemoryBounded();
    void headersTooLarge_data();
    void headersTooLarge();
    void connectionPersistence_data();
    void connectionPersistence();
    void expectContinue();
    void pipelinedRequests();
    void pipelineBeyondReadAhead();
    void overloadedConnections();
    void restartReleasesConnections();
    void slowHeadersTimeOut();
    void idleKeepAliveClosed();
    void storageFailure_data();
    void storageFailure();
    void configChangeTakesEffect_data();
    void configChangeTakesEffect();
    void concurrentConnections();

private:
    ReceiverOptions baseOptions() const;
    void restartReceiver(const ReceiverOptions &options);
    quint16 port() const { return m_engine->receiver()->port(); }
    QByteArray target(const QString &hook, QByteArrayView query = {}) const;
    QByteArray keyQuery() const { return "api-key=" + m_key.secret.toLatin1(); }
    QByteArray acceptedRequest(const QString &hook = u"open"_s) const;
    std::optional<LoggedRequest> loggedRow(qint64 id) const;
    QList<LoggedRequest> allRows() const;
    // Checks the status line, the JSON body and that the row with the answer's requestId
    // holds the same outcome. Callers return when QTest::currentTestFailed().
    void checkAnswer(const std::optional<HttpAnswer> &answer, int status, const QString &reason,
        LoggedRequest *row = nullptr) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Store> m_store; // the test's own connection, on the test thread
    QHash<QString, Webhook> m_hooks;
    NewApiKey m_key;
};

void tst_Receiver::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_Receiver::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString path = m_dir->filePath(u"hooktrail.db"_s);
    m_engine = std::make_unique<Engine>(Engine::sqliteFactory(path));
    const Status opened = m_engine->open();
    QVERIFY2(opened.ok(), qPrintable(opened.error()));

    auto store = Store::openSqlite(path);
    QVERIFY2(store.ok(), qPrintable(store.error()));
    m_store = std::move(store).value();

    const auto add = [this](const QString &name, const std::function<void(Webhook &)> &shape) {
        Webhook webhook;
        webhook.name = name;
        shape(webhook);
        auto added = m_store->config().addWebhook(webhook);
        QVERIFY2(added.ok(), qPrintable(added.error()));
        m_hooks.insert(name, *added);
    };
    m_hooks.clear();
    add(u"open"_s, [](Webhook &w) { w.methods = QStringList { u"POST"_s, u"PUT"_s }; });
    add(u"other"_s, [](Webhook &) {});
    add(u"disabled"_s, [](Webhook &w) { w.enabled = false; });
    add(u"ip"_s, [](Webhook &w) { w.ipWhitelist = QStringList { u"203.0.113.0/24"_s }; });
    add(u"rules"_s, [](Webhook &w) { w.headerRules = { { u"X-Source"_s, u"crm"_s } }; });
    auto key = m_store->config().addKey(u"test key"_s);
    QVERIFY2(key.ok(), qPrintable(key.error()));
    m_key = *key;
    m_engine->config()->refresh();

    const Status started = m_engine->startReceiver(baseOptions());
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(port() != 0);
}

void tst_Receiver::cleanup()
{
    m_engine.reset();
    m_store.reset();
    m_dir.reset();
}

ReceiverOptions tst_Receiver::baseOptions() const
{
    ReceiverOptions options;
    options.address = QHostAddress(QHostAddress::LocalHost);
    options.port = 0;
    options.threads = 2;
    options.retryAfterSeconds = kRetryAfter;
    options.instance = u"test-receiver"_s;
    return options;
}

void tst_Receiver::restartReceiver(const ReceiverOptions &options)
{
    const Status started = m_engine->startReceiver(options);
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(port() != 0);
}

QByteArray tst_Receiver::target(const QString &hook, QByteArrayView query) const
{
    QByteArray out;
    if (hook == u"route")
        out = "/v1/data/hooks/"_ba + m_hooks.value(u"open"_s).id.toLatin1();
    else if (hook == u"unknown")
        out = "/v1/data/webhook/"_ba + Webhook::newId().toLatin1();
    else
        out = "/v1/data/webhook/"_ba + m_hooks.value(hook).id.toLatin1();
    if (!query.isEmpty())
        out += '?' + query.toByteArray();
    return out;
}

QByteArray tst_Receiver::acceptedRequest(const QString &hook) const
{
    return httpRequest("POST", target(hook, keyQuery()), "Content-Type: application/json\r\n",
        R"({"event":"signup","n":1})");
}

std::optional<LoggedRequest> tst_Receiver::loggedRow(qint64 id) const
{
    RequestFilter filter;
    filter.beforeId = id + 1;
    filter.limit = 1;
    const auto rows = m_store->queries().requests(filter);
    if (!rows.ok() || rows->isEmpty() || rows->first().id != id)
        return std::nullopt;
    return rows->first();
}

QList<LoggedRequest> tst_Receiver::allRows() const
{
    RequestFilter filter;
    filter.limit = 100000;
    const auto rows = m_store->queries().requests(filter);
    return rows.ok() ? *rows : QList<LoggedRequest>();
}

void tst_Receiver::checkAnswer(const std::optional<HttpAnswer> &answer, int status,
    const QString &reason, LoggedRequest *row) const
{
    QVERIFY2(answer.has_value(), "no answer");
    QVERIFY2(answer->statusLine.startsWith("HTTP/1.1 " + QByteArray::number(status) + ' '),
        answer->statusLine.constData());
    QCOMPARE(answer->header("content-type"), "application/json"_ba);
    QCOMPARE(answer->header("content-length").toLongLong(), answer->body.size());
    const QJsonObject json = answer->json();
    QCOMPARE(json.keys(), (QStringList { u"reason"_s, u"requestId"_s, u"status"_s }));
    QCOMPARE(json.value(u"status"_s).toString(),
        status >= 200 && status < 300 ? u"accepted"_s : u"rejected"_s);
    QCOMPARE(json.value(u"reason"_s).toString(), reason);
    const qint64 id = answer->requestId();
    QVERIFY2(id > 0, answer->body.constData());
    const std::optional<LoggedRequest> logged = loggedRow(id);
    QVERIFY2(logged.has_value(), "the answer's requestId is not in the log");
    QCOMPARE(logged->status, status);
    QCOMPARE(logged->reason, reason.toLatin1());
    if (row)
        *row = *logged;
}

// Every outcome of the endpoint contract, once, through a raw socket.
void tst_Receiver::contractOutcome_data()
{
    QTest::addColumn<QString>("hook");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("key"); // query, header, wrong, none
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QByteArray>("answerHeader"); // "Name: value" the answer must carry
    QTest::addColumn<bool>("keyRecorded");
    QTest::addColumn<bool>("webhookRecorded");

    const QByteArray json = "Content-Type: application/json\r\n";
    const QByteArray doc = R"({"id":42})";
    QTest::addRow("accepted json, key in query")
        << u"open"_s << "POST"_ba << u"query"_s << json << doc << 200 << u"accepted"_s << ""_ba
        << true << true;
    QTest::addRow("accepted xml, key in header")
        << u"open"_s << "PUT"_ba << u"header"_s << "Content-Type: application/xml\r\n"_ba
        << "<a><b>1</b></a>"_ba << 200 << u"accepted"_s << ""_ba << true << true;
    QTest::addRow("accepted empty body") << u"other"_s << "POST"_ba << u"query"_s << ""_ba
                                         << ""_ba << 200 << u"accepted"_s << ""_ba << true << true;
    QTest::addRow("unknown_route") << u"route"_s << "POST"_ba << u"query"_s << json << doc << 404
                                   << u"unknown_route"_s << ""_ba << false << false;
    QTest::addRow("unknown_webhook") << u"unknown"_s << "POST"_ba << u"query"_s << json << doc
                                     << 404 << u"unknown_webhook"_s << ""_ba << false << false;
    QTest::addRow("webhook_disabled")
        << u"disabled"_s << "POST"_ba << u"query"_s << json << doc << 503 << u"webhook_disabled"_s
        << "Retry-After: " + QByteArray::number(kRetryAfter) << false << true;
    QTest::addRow("ip_not_allowed") << u"ip"_s << "POST"_ba << u"query"_s << json << doc << 403
                                    << u"ip_not_allowed"_s << ""_ba << false << true;
    QTest::addRow("method_not_allowed")
        << u"open"_s << "GET"_ba << u"query"_s << ""_ba
        << ""_ba << 405 << u"method_not_allowed"_s << "Allow: POST, PUT"_ba << false << true;
    QTest::addRow("missing_api_key") << u"open"_s << "POST"_ba << u"none"_s << json << doc << 401
                                     << u"missing_api_key"_s << ""_ba << false << true;
    QTest::addRow("invalid_api_key") << u"open"_s << "POST"_ba << u"wrong"_s << json << doc << 401
                                     << u"invalid_api_key"_s << ""_ba << false << true;
    QTest::addRow("header_mismatch")
        << u"rules"_s << "POST"_ba << u"query"_s << json + "X-Source: erp\r\n"
        << doc << 403 << u"header_mismatch"_s << ""_ba << true << true;
    QTest::addRow("unsupported_media_type")
        << u"open"_s << "POST"_ba << u"query"_s << "Content-Type: text/plain\r\n"_ba
        << "hi"_ba << 415 << u"unsupported_media_type"_s << ""_ba << true << true;
    QTest::addRow("invalid_json") << u"open"_s << "POST"_ba << u"query"_s << json << "{\"a\":"_ba
                                  << 400 << u"invalid_json"_s << ""_ba << true << true;
    QTest::addRow("invalid_xml") << u"open"_s << "POST"_ba << u"query"_s
                                 << "Content-Type: text/xml\r\n"_ba
                                 << "<a><b></a>"_ba << 400 << u"invalid_xml"_s << ""_ba << true
                                 << true;
}

void tst_Receiver::contractOutcome()
{
    QFETCH(QString, hook);
    QFETCH(QByteArray, method);
    QFETCH(QString, key);
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(QByteArray, answerHeader);
    QFETCH(bool, keyRecorded);
    QFETCH(bool, webhookRecorded);

    QByteArray query;
    if (key == u"query")
        query = keyQuery();
    else if (key == u"wrong")
        query = "api-key=htk_not_a_stored_key";
    else if (key == u"header")
        headers += "X-Api-Key: " + m_key.secret.toLatin1() + "\r\n";
    const QByteArray path = target(hook);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(httpRequest(method, target(hook, query), headers, body)));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    LoggedRequest row;
    checkAnswer(answer, status, reason, &row);
    if (QTest::currentTestFailed())
        return;

    if (!answerHeader.isEmpty()) {
        const qsizetype colon = answerHeader.indexOf(':');
        QCOMPARE(answer->header(answerHeader.left(colon)), answerHeader.mid(colon + 2));
    }
    QCOMPARE(answer->header("connection"), "keep-alive"_ba);
    // A rejection never tells the sender what the rule expected.
    QVERIFY(!answer->body.contains("crm"));
    QVERIFY(!answer->body.contains(m_key.secret.toLatin1()));

    QCOMPARE(row.method, method);
    if (hook != u"unknown")
        QCOMPARE(row.path, path);
    QCOMPARE(row.httpVersion, "HTTP/1.1"_ba);
    QCOMPARE(row.body, body);
    QCOMPARE(row.bodySize, body.size());
    QVERIFY(!row.bodyTruncated);
    QCOMPARE(row.clientAddress, u"127.0.0.1"_s);
    QCOMPARE(row.instance, u"test-receiver"_s);
    QCOMPARE(row.webhookId, webhookRecorded ? m_hooks.value(hook).id : QString());
    QCOMPARE(row.apiKeyId, keyRecorded ? m_key.key.id : 0);
    if (reason == u"header_mismatch")
        QVERIFY2(row.reasonDetail.contains(u"X-Source"_s), qPrintable(row.reasonDetail));
    // The connection is still usable after any rejection of a well-formed request.
    QVERIFY(client.send(acceptedRequest()));
    checkAnswer(client.readAnswer(), 200, u"accepted"_s);
}

// An ordinary HTTP client gets the same contract.
void tst_Receiver::ordinaryClient_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");

    QTest::addRow("POST accepted") << "POST"_ba << 200 << u"accepted"_s;
    QTest::addRow("DELETE not allowed") << "DELETE"_ba << 405 << u"method_not_allowed"_s;
}

void tst_Receiver::ordinaryClient()
{
    QFETCH(QByteArray, verb);
    QFETCH(int, status);
    QFETCH(QString, reason);

    QNetworkAccessManager manager;
    const QUrl url(
        u"http://127.0.0.1:%1%2"_s.arg(port()).arg(QString::fromLatin1(target(u"open"_s))));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setRawHeader("X-Api-Key", m_key.secret.toLatin1());
    const QByteArray body = verb == "POST" ? R"({"event":"order.created"})"_ba : QByteArray();
    std::unique_ptr<QNetworkReply> reply(manager.sendCustomRequest(request, verb, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));

    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(json.value(u"reason"_s).toString(), reason);
    const std::optional<LoggedRequest> row = loggedRow(json.value(u"requestId"_s).toInteger());
    QVERIFY(row.has_value());
    QCOMPARE(row->status, status);
    QCOMPARE(row->method, verb);
    QCOMPARE(row->body, body);
    QCOMPARE(row->webhookId, m_hooks.value(u"open"_s).id);
    if (status == 405)
        QCOMPARE(reply->rawHeader("Allow"), "POST, PUT"_ba);
}

void tst_Receiver::secretsRedacted_data()
{
    QTest::addColumn<bool>("validKey");
    QTest::addColumn<int>("status");

    QTest::addRow("accepted") << true << 200;
    QTest::addRow("rejected key") << false << 401;
}

void tst_Receiver::secretsRedacted()
{
    QFETCH(bool, validKey);
    QFETCH(int, status);

    const QByteArray secret = validKey ? m_key.secret.toLatin1() : "htk_guessed_secret"_ba;
    const QByteArray headers = "Content-Type: application/json\r\nX-Api-Key: " + secret
        + "\r\nAuthorization: Bearer s3cr3t-token\r\nCookie: session=c00kie\r\nX-Trace: "
          "visible\r\n";
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(
        httpRequest("POST", target(u"open"_s, "source=crm&api-key=" + secret), headers, "{}")));
    LoggedRequest row;
    checkAnswer(client.readAnswer(), status, validKey ? u"accepted"_s : u"invalid_api_key"_s, &row);
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(row.query, "source=crm&api-key=***"_ba);
    const HeaderList expected { { "Host", "127.0.0.1" }, { "Content-Type", "application/json" },
        { "X-Api-Key", "***" }, { "Authorization", "***" }, { "Cookie", "***" },
        { "X-Trace", "visible" }, { "Content-Length", "2" } };
    QCOMPARE(row.headers, expected);
    QCOMPARE(row.apiKeyId, validKey ? m_key.key.id : 0);
    const QByteArray everything = QJsonDocument(row.toJson()).toJson();
    for (const QByteArray &needle : { secret, "s3cr3t-token"_ba, "c00kie"_ba })
        QVERIFY2(!everything.contains(needle), needle.constData());
}

// A key sent where no name says it is one: found by its shape, stored as ***, so neither the
// row nor any export nor the database files hold it. {KEY} is the valid key, {ID} the webhook.
void tst_Receiver::keysScrubbedWherever_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("stored"); // a piece of the row's JSON, key scrubbed

    const QByteArray json = "Content-Type: application/json\r\n";
    const QByteArray keyed = "/v1/data/webhook/{ID}?api-key={KEY}";
    QTest::addRow("Referer") << httpRequest(
        "POST", keyed, json + "Referer: https://app.example/setup?key={KEY}&step=2\r\n", "{}")
                             << 200 << "https://app.example/setup?key=***&step=2"_ba;
    QTest::addRow("form body") << httpRequest("POST", keyed,
        "Content-Type: application/x-www-form-urlencoded\r\n", "a=1&token={KEY}&b={KEY}")
                               << 200 << "a=1&token=***&b=***"_ba;
    QTest::addRow("JSON body") << httpRequest(
        "POST", keyed, json, R"({"auth":{"apiKey":"{KEY}"},"k":"{KEY}"})")
                               << 200 << R"({\"auth\":{\"apiKey\":\"***\"},\"k\":\"***\"})"_ba;
    QTest::addRow("path") << httpRequest("POST", "/v1/data/webhook/{ID}/{KEY}", json, "{}") << 404
                          << "/v1/data/webhook/{ID}/***"_ba;
    QTest::addRow("X-Auth-Token") << httpRequest(
        "POST", "/v1/data/webhook/{ID}", json + "X-Auth-Token: {KEY}\r\n", "{}")
                                  << 401 << R"(["X-Auth-Token","***"])"_ba;
    QTest::addRow("X-Forwarded-For")
        << httpRequest("POST", keyed, json + "X-Forwarded-For: {KEY}, 10.0.0.1\r\n", "{}") << 200
        << "***, 10.0.0.1"_ba;
    QTest::addRow("method") << httpRequest("{KEY}", "/v1/data/webhook/{ID}", json, "{}") << 405
                            << R"("method":"***")"_ba;
    QTest::addRow("header name") << httpRequest("POST", keyed, json + "{KEY}: x\r\n", "{}") << 200
                                 << R"(["***","x"])"_ba;
    QTest::addRow("another query name")
        << httpRequest("POST", "/v1/data/webhook/{ID}?token={KEY}&api-key={KEY}", json, "{}") << 200
        << "token=***&api-key=***"_ba;
    QTest::addRow("content type") << httpRequest(
        "POST", keyed, "Content-Type: application/json; key={KEY}\r\n", "{}")
                                  << 200 << "application/json; key=***"_ba;
    QTest::addRow("malformed request")
        << "POST /v1/data/webhook/{ID}?token={KEY} HTTP/1.1\r\nHost: h\r\nX-Bad: a\x01\r\n\r\n"_ba
        << 400 << "token=***"_ba;
    QTest::addRow("key run into other text")
        << httpRequest("POST", keyed, "Content-Type: text/plain\r\n", "x{KEY}{KEY}y{KEY}") << 415
        << "x******y***"_ba;
}

void tst_Receiver::keysScrubbedWherever()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, stored);
    const QByteArray key = m_key.secret.toLatin1();
    QCOMPARE(key.size(), Redaction::KeyLength);
    const QByteArray id = m_hooks.value(u"open"_s).id.toLatin1();
    request.replace("{KEY}", key).replace("{ID}", id);
    stored.replace("{ID}", id);
    // Content-Length as the request now is, the key in it.
    if (const qsizetype end = request.indexOf("\r\n\r\n"); request.contains("Content-Length: ")) {
        const qsizetype start = request.indexOf("Content-Length: ") + 16;
        const qsizetype stop = request.indexOf("\r\n", start);
        request.replace(start, stop - start, QByteArray::number(request.size() - end - 4));
    }

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(request));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer.has_value());
    QVERIFY2(answer->statusLine.startsWith("HTTP/1.1 " + QByteArray::number(status) + ' '),
        answer->statusLine.constData());
    const std::optional<LoggedRequest> row = loggedRow(answer->requestId());
    QVERIFY(row.has_value());

    // The secret part: the visible prefix is kept with the key, by design, but not here.
    const QByteArray secret = key.mid(ApiKeys::prefixOf(m_key.secret).size());
    const QByteArray json = QJsonDocument(row->toJson()).toJson(QJsonDocument::Compact);
    QVERIFY2(json.contains(stored), json.constData());
    QByteArray everything = json;
    for (const RequestExport::Format format :
        { RequestExport::Format::Har, RequestExport::Format::Jsonl, RequestExport::Format::Csv }) {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        const Status exported = RequestExport::write(*m_store, format, {}, {}, buffer);
        QVERIFY2(exported.ok(), qPrintable(exported.error()));
        everything += buffer.data();
    }
    everything += CurlCommand::fromRequest(*row, u"http://127.0.0.1:1"_s).toUtf8();
    QVERIFY2(!everything.contains(secret), everything.constData());
    // Nor anywhere in the database files (the WAL included).
    m_engine->close();
    m_store.reset();
    QDirIterator files(m_dir->path(), QDir::Files | QDir::Hidden);
    while (files.hasNext()) {
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains(secret), qPrintable(file.fileName()));
    }
}

// Bytes no parser accepts: answered 400, logged, and the connection closed.
void tst_Receiver::malformedRequest_data()
{
    QTest::addColumn<QByteArray>("bytes");

    QTest::addRow("garbage request line") << "HELLO THERE\r\n\r\n"_ba;
    QTest::addRow("NUL in a header")
        << QByteArrayLiteral("POST /v1/data/webhook/x HTTP/1.1\r\nHost: h\r\nX-Bad: a\0b\r\n\r\n");
    QTest::addRow("header without colon") << "POST / HTTP/1.1\r\nHost h\r\n\r\n"_ba;
    QTest::addRow("bad chunk size")
        << "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"_ba;
    // Bare LF line ends (the request-smuggling class of CVE-2025-22871), and Host as RFC 9112
    // §3.2 requires it.
    QTest::addRow("bare LF after the request line")
        << "POST /v1/data/webhook/x HTTP/1.1\nHost: h\r\nContent-Length: 2\r\n\r\n{}"_ba;
    QTest::addRow("bare LF line ends throughout")
        << "POST /v1/data/webhook/x HTTP/1.1\nHost: h\nContent-Length: 2\n\n{}"_ba;
    QTest::addRow("bare LF ending the headers")
        << "POST /v1/data/webhook/x HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\n{}"_ba;
    QTest::addRow("bare LF after a chunk size")
        << "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\n{}\r\n0\r\n\r\n"_ba;
    QTest::addRow("bare LF after chunk data")
        << "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\n0\r\n\r\n"_ba;
    QTest::addRow("HTTP/1.1 without Host")
        << "POST /v1/data/webhook/x HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"_ba;
    QTest::addRow("two Host headers")
        << "POST /v1/data/webhook/x HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 2\r\n\r\n{}"_ba;
}

void tst_Receiver::malformedRequest()
{
    QFETCH(QByteArray, bytes);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(bytes));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    LoggedRequest row;
    checkAnswer(answer, 400, u"bad_request"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(answer->header("connection"), "close"_ba);
    QVERIFY(client.waitForClosed(5000));
    QVERIFY(!row.reasonDetail.isEmpty());
    QCOMPARE(allRows().size(), 1);
}

// Content-Length over the limit: refused as soon as the headers are in, without the body.
void tst_Receiver::bodyOverLimitByLength()
{
    ReceiverOptions options = baseOptions();
    options.maxBodyBytes = kSmallBodyLimit;
    restartReceiver(options);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    constexpr qint64 declared = 1024 * 1024;
    QVERIFY(client.send("POST " + target(u"open"_s, keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
          "Content-Length: "
        + QByteArray::number(declared) + "\r\n\r\n"));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    LoggedRequest row;
    checkAnswer(answer, 413, u"payload_too_large"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(answer->header("connection"), "close"_ba);
    QVERIFY(client.waitForClosed(5000));
    QVERIFY(row.bodyTruncated);
    QCOMPARE(row.bodySize, declared);
    QVERIFY(row.body.isEmpty());
    QCOMPARE(row.webhookId, m_hooks.value(u"open"_s).id);
}

// A chunked body has no declared size: the limit is enforced by counting.
void tst_Receiver::bodyOverLimitByCounting()
{
    ReceiverOptions options = baseOptions();
    options.maxBodyBytes = kSmallBodyLimit;
    restartReceiver(options);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send("POST " + target(u"open"_s, keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
          "Transfer-Encoding: chunked\r\n\r\n"));
    const QByteArray chunk = "4000\r\n" + QByteArray(0x4000, 'x') + "\r\n";
    constexpr qint64 total = 4 * 1024 * 1024;
    qint64 sent = 0;
    while (sent < total && !client.isClosed() && !client.buffer().contains("\r\n\r\n")) {
        if (!client.send(chunk))
            break;
        sent += 0x4000;
        client.pump(5);
    }
    QVERIFY2(sent < total, "the whole body went out before the receiver refused it");
    const std::optional<HttpAnswer> answer = client.readAnswer();
    LoggedRequest row;
    checkAnswer(answer, 413, u"payload_too_large"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(answer->header("connection"), "close"_ba);
    QVERIFY(client.waitForClosed(5000));
    QVERIFY(row.bodyTruncated);
    QVERIFY(row.bodySize > kSmallBodyLimit);
    QVERIFY(row.body.size() <= kSmallBodyLimit);
}

// A refused request's body is not the log's to keep: its first 64 KiB, its full size and a
// truncation flag, whether it was refused at its headers (route, key, ...) or at its body.
void tst_Receiver::refusedBodyKeepsPrefix_data()
{
    QTest::addColumn<QString>("hook");
    QTest::addColumn<bool>("withKey");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");

    QTest::addRow("unknown route")
        << u"route"_s << true << "application/json"_ba << 404 << u"unknown_route"_s;
    QTest::addRow("unknown webhook")
        << u"unknown"_s << true << "application/json"_ba << 404 << u"unknown_webhook"_s;
    QTest::addRow("missing key") << u"open"_s << false << "application/json"_ba << 401
                                 << u"missing_api_key"_s;
    QTest::addRow("unsupported type")
        << u"open"_s << true << "text/plain"_ba << 415 << u"unsupported_media_type"_s;
    QTest::addRow("invalid JSON") << u"open"_s << true << "application/json"_ba << 400
                                  << u"invalid_json"_s;
    QTest::addRow("accepted: kept whole")
        << u"open"_s << true << "application/json"_ba << 200 << u"accepted"_s;
}

void tst_Receiver::refusedBodyKeepsPrefix()
{
    QFETCH(QString, hook);
    QFETCH(bool, withKey);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, reason);

    // 1 MiB: a JSON string, broken for the invalid row at its very end.
    QByteArray body = R"({"pad":")" + QByteArray(1024 * 1024 - 10, 'p') + R"("})";
    if (reason == u"invalid_json")
        body.chop(1);
    for (const bool chunked : { false, true }) {
        const QByteArray head = "POST " + target(hook, withKey ? keyQuery() : QByteArray())
            + " HTTP/1.1\r\nHost: h\r\nContent-Type: " + contentType + "\r\n";
        QByteArray bytes;
        if (chunked) {
            bytes = head + "Transfer-Encoding: chunked\r\n\r\n";
            for (qsizetype at = 0; at < body.size(); at += 50000) {
                const QByteArray piece = body.mid(at, 50000);
                bytes += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
            }
            bytes += "0\r\n\r\n";
        } else {
            bytes = head + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        }
        RawHttpClient client(port());
        QVERIFY(client.connectToServer());
        QVERIFY(client.send(bytes, 20000));
        LoggedRequest row;
        checkAnswer(client.readAnswer(10000), status, reason, &row);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(row.bodySize, qint64(body.size()));
        if (status == 200) {
            QCOMPARE(row.body, body);
            QVERIFY(!row.bodyTruncated);
            continue;
        }
        QCOMPARE(row.body, body.left(RejectedBodyKeptBytes));
        QVERIFY(row.bodyTruncated);
        // The export says so as well.
        const QJsonObject json = row.toJson();
        QCOMPARE(json.value(u"bodyTruncated"_s).toBool(), true);
        QCOMPARE(json.value(u"bodySize"_s).toInteger(), qint64(body.size()));
        // The connection is still good for the next request.
        QVERIFY(client.send(acceptedRequest()));
        checkAnswer(client.readAnswer(), 200, u"accepted"_s);
    }
}

// A request refused at its headers is not invited to send its body.
void tst_Receiver::refusedWithoutContinue()
{
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    const QByteArray body = R"({"event":"x"})";
    QVERIFY(client.send("POST " + target(u"route"_s, keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
          "Content-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n"));
    // No interim answer comes (a client may then send the body or give up); once it does send
    // the body, the refusal is the first answer.
    client.pump(300);
    QVERIFY2(client.buffer().isEmpty(), client.buffer().constData());
    QVERIFY(client.send(body));
    LoggedRequest row;
    checkAnswer(client.readAnswer(), 404, u"unknown_route"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(row.body, body);
}

// A header rule holds only when every field of that name holds: a sender that adds the expected
// value beside its own is refused, whichever comes first.
void tst_Receiver::headerRuleOnEveryField_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addRow("wrong first") << "X-Source: evil\r\nX-Source: crm\r\n"_ba << 403
                                 << u"header_mismatch"_s;
    QTest::addRow("wrong last") << "X-Source: crm\r\nx-source: evil\r\n"_ba << 403
                                << u"header_mismatch"_s;
    QTest::addRow("listed in one field")
        << "X-Source: crm, evil\r\n"_ba << 403 << u"header_mismatch"_s;
    QTest::addRow("both right") << "X-Source: crm\r\nX-SOURCE: crm\r\n"_ba << 200 << u"accepted"_s;
}

void tst_Receiver::headerRuleOnEveryField()
{
    QFETCH(QByteArray, headers);
    QFETCH(int, status);
    QFETCH(QString, reason);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(httpRequest("POST", target(u"rules"_s, keyQuery()),
        "Content-Type: application/json\r\n" + headers, "{}")));
    LoggedRequest row;
    checkAnswer(client.readAnswer(), status, reason, &row);
    if (QTest::currentTestFailed())
        return;
    if (status == 403)
        QCOMPARE(row.reasonDetail, u"header X-Source has an unexpected value"_s);
}

// X-Forwarded-For from a trusted proxy, with the forms balancers write: an address with a port
// is that address, never the proxy's own; a hop that is no address at all is refused.
void tst_Receiver::forwardedForWithPort_data()
{
    QTest::addColumn<QByteArray>("forwardedFor");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("client");

    QTest::addRow("IPv4:port outside")
        << "198.51.100.7:4711"_ba << 403 << u"ip_not_allowed"_s << u"198.51.100.7"_s;
    QTest::addRow("[IPv6]:port outside")
        << "[2001:db8::1]:443"_ba << 403 << u"ip_not_allowed"_s << u"2001:db8::1"_s;
    QTest::addRow("IPv4:port inside")
        << "203.0.113.9:80"_ba << 200 << u"accepted"_s << u"203.0.113.9"_s;
    QTest::addRow("not an address") << "unknown"_ba << 400 << u"bad_request"_s << u"127.0.0.1"_s;
    QTest::addRow("port without an address")
        << ":4711"_ba << 400 << u"bad_request"_s << u"127.0.0.1"_s;
}

void tst_Receiver::forwardedForWithPort()
{
    QFETCH(QByteArray, forwardedFor);
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(QString, client);

    // The whitelist holds the proxy itself: taking the proxy for the client would let anyone in.
    Webhook proxied;
    proxied.name = u"proxied"_s;
    proxied.ipWhitelist = QStringList { u"127.0.0.1"_s, u"203.0.113.0/24"_s };
    auto added = m_store->config().addWebhook(proxied);
    QVERIFY2(added.ok(), qPrintable(added.error()));
    m_hooks.insert(u"proxied"_s, *added);
    ReceiverOptions options = baseOptions();
    options.trustedProxies = { *IpRange::parse(u"127.0.0.1"_s) };
    m_engine->config()->refresh();
    restartReceiver(options);

    RawHttpClient socket(port());
    QVERIFY(socket.connectToServer());
    QVERIFY(socket.send(httpRequest("POST", target(u"proxied"_s, keyQuery()),
        "Content-Type: application/json\r\nX-Forwarded-For: " + forwardedFor + "\r\n", "{}")));
    LoggedRequest row;
    checkAnswer(socket.readAnswer(), status, reason, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(row.clientAddress, client);
    QCOMPARE(row.forwardedFor, QString::fromLatin1(forwardedFor));
    QCOMPARE(row.webhookId, added->id);
}

// A huge upload costs the process about the body limit, not the upload's size.
void tst_Receiver::largeUploadKeepsMemoryBounded_data()
{
    QTest::addColumn<bool>("chunked");

    QTest::addRow("Content-Length") << false;
    QTest::addRow("chunked") << true;
}

void tst_Receiver::largeUploadKeepsMemoryBounded()
{
    QFETCH(bool, chunked);

    ReceiverOptions options = baseOptions();
    options.maxBodyBytes = 10 * 1024 * 1024;
    restartReceiver(options);
    // Far more than a client can send before any answer, however loaded the machine: the
    // refusal must come long before the end of what was declared.
    constexpr qint64 total = 100LL * 1000 * 1000 * 1000;
    constexpr qint64 allowedGrowthKb = 64 * 1024;

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    const QByteArray framing = chunked ? "Transfer-Encoding: chunked\r\n"_ba
                                       : "Content-Length: " + QByteArray::number(total) + "\r\n";
    QVERIFY(client.send("POST " + target(u"open"_s, keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n" + framing + "\r\n"));

    const bool peakReset = resetPeakRss();
    const qint64 before = procStatusKb("VmRSS");
    QVERIFY(before > 0);
    qint64 peak = before;
    constexpr qint64 piece = 256 * 1024;
    const QByteArray payload(piece, 'x');
    const QByteArray chunk
        = chunked ? QByteArray::number(piece, 16) + "\r\n" + payload + "\r\n" : payload;
    qint64 sent = 0;
    QTcpSocket &socket = client.socket();
    const QDeadlineTimer deadline(30000);
    // Stream while reading: stop once the answer arrives or the connection closes.
    while (sent < total && !deadline.hasExpired()) {
        client.pump(0);
        if (client.isClosed() || client.buffer().contains("\r\n\r\n"))
            break;
        if (socket.bytesToWrite() < 2 * piece) {
            socket.write(chunk);
            sent += piece;
        }
        socket.waitForBytesWritten(20);
        peak = std::max(peak, procStatusKb("VmRSS"));
    }
    const std::optional<HttpAnswer> answer = client.readAnswer(10000);
    if (peakReset)
        peak = std::max(peak, procStatusKb("VmHWM"));
    qDebug("sent %lld MB; RSS before %lld KiB, peak %lld KiB (HWM reset: %d)", sent / 1000000,
        before, peak, peakReset);

    LoggedRequest row;
    checkAnswer(answer, 413, u"payload_too_large"_s, &row);
    if (QTest::currentTestFailed())
        return;
    // With a declared length the refusal comes before the body; counting needs the limit's
    // worth first, and then the answer waits for that row's commit while the client races on.
    if (!chunked)
        QVERIFY(sent < total);
    QVERIFY(row.bodyTruncated);
    QVERIFY(row.body.size() <= options.maxBodyBytes);
    QVERIFY(client.waitForClosed(5000));
    if (!kRssIsMeaningful)
        QSKIP("memory growth is not measurable under AddressSanitizer");
    QVERIFY2(
        peak - before < allowedGrowthKb, qPrintable(u"memory grew by %1 KiB"_s.arg(peak - before)));
}

void tst_Receiver::headersTooLarge_data()
{
    QTest::addColumn<int>("lines");
    QTest::addColumn<int>("lineBytes");
    QTest::addRow("80 KB in 80 lines") << 80 << 1000;
    QTest::addRow("1 MB in 1,000 lines") << 1000 << 1000;
    QTest::addRow("1 MB in one line") << 1 << 1000 * 1000;
}

void tst_Receiver::headersTooLarge()
{
    QFETCH(int, lines);
    QFETCH(int, lineBytes);
    QByteArray headers;
    for (int i = 0; i < lines; ++i)
        headers += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(lineBytes, 'f') + "\r\n";
    QVERIFY(headers.size() > 64 * 1024);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    const bool peakReset = resetPeakRss();
    const qint64 before = procStatusKb("VmRSS");
    // Sent 8 KiB at a time with a short wait for an answer after each: the receiver must answer
    // once it has read 64 KiB of headers, not after reading them all.
    const QByteArray request = httpRequest("POST", target(u"open"_s, keyQuery()), headers, "{}");
    constexpr qsizetype piece = 8 * 1024;
    qsizetype sent = 0;
    while (sent < request.size() && !client.isClosed() && !client.buffer().contains("\r\n\r\n")) {
        if (!client.send(
                QByteArrayView(request).sliced(sent, std::min(piece, request.size() - sent))))
            break;
        sent += std::min(piece, request.size() - sent);
        client.pump(5);
    }
    const std::optional<HttpAnswer> answer = client.readAnswer();
    checkAnswer(answer, 431, u"headers_too_large"_s);
    if (QTest::currentTestFailed())
        return;
    if (request.size() > 512 * 1024) {
        QVERIFY2(sent <= 512 * 1024,
            qPrintable(u"answered only after %1 of %2 bytes"_s.arg(sent).arg(request.size())));
    }
    QCOMPARE(answer->header("connection"), "close"_ba);
    QVERIFY(client.waitForClosed(5000));
    // The headers were refused as they came, not buffered whole: what the process grew by is
    // the test's own copy of them and the socket buffers, a few MiB at most.
    const qint64 peak = peakReset ? procStatusKb("VmHWM") : procStatusKb("VmRSS");
    qInfo("%lld KB of headers: answered after %lld KB sent; RSS before %lld KiB, peak %lld KiB",
        qint64(headers.size()) / 1000, qint64(sent) / 1000, before, peak);
    QVERIFY2(peak - before < 16 * 1024, qPrintable(u"grew by %1 KiB"_s.arg(peak - before)));
}

void tst_Receiver::connectionPersistence_data()
{
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<QByteArray>("connection"); // the request's Connection header, if any
    QTest::addColumn<bool>("keptOpen");

    QTest::addRow("HTTP/1.1 default") << "HTTP/1.1"_ba
                                      << ""_ba << true;
    QTest::addRow("HTTP/1.1 close") << "HTTP/1.1"_ba
                                    << "close"_ba << false;
    QTest::addRow("HTTP/1.0 default") << "HTTP/1.0"_ba
                                      << ""_ba << false;
    QTest::addRow("HTTP/1.0 keep-alive") << "HTTP/1.0"_ba
                                         << "keep-alive"_ba << true;
}

void tst_Receiver::connectionPersistence()
{
    QFETCH(QByteArray, version);
    QFETCH(QByteArray, connection);
    QFETCH(bool, keptOpen);

    QByteArray headers = "Content-Type: application/json\r\n";
    if (!connection.isEmpty())
        headers += "Connection: " + connection + "\r\n";
    const QByteArray request
        = httpRequest("POST", target(u"open"_s, keyQuery()), headers, R"({"a":1})", version);
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(request));
    const std::optional<HttpAnswer> first = client.readAnswer();
    LoggedRequest row;
    checkAnswer(first, 200, u"accepted"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(row.httpVersion, version);
    QCOMPARE(first->header("connection"), keptOpen ? "keep-alive"_ba : "close"_ba);
    if (!keptOpen) {
        QVERIFY(client.waitForClosed(5000));
        return;
    }
    QVERIFY(client.send(request));
    const std::optional<HttpAnswer> second = client.readAnswer();
    checkAnswer(second, 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(second->requestId() > first->requestId());
}

// The sender learns it may send the body before sending it.
void tst_Receiver::expectContinue()
{
    const QByteArray body = R"({"big":"payload"})";
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send("POST " + target(u"open"_s, keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
          "Expect: 100-continue\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n"));
    const std::optional<HttpAnswer> interim = client.readAnswer();
    QVERIFY(interim.has_value());
    QCOMPARE(interim->statusLine, "HTTP/1.1 100 Continue"_ba);
    QVERIFY(interim->body.isEmpty());
    QVERIFY(client.buffer().isEmpty());
    QCOMPARE(allRows().size(), 0);

    QVERIFY(client.send(body));
    LoggedRequest row;
    checkAnswer(client.readAnswer(), 200, u"accepted"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(row.body, body);
}

// Requests written together are answered in order, each after its own row.
void tst_Receiver::pipelinedRequests()
{
    const QByteArray json = "Content-Type: application/json\r\n";
    const QByteArray bytes = acceptedRequest(u"open"_s)
        + httpRequest("POST", target(u"other"_s), json, "{}")
        + httpRequest("POST", target(u"rules"_s, keyQuery()), json + "X-Source: crm\r\n", "[1]");
    const QList<QPair<QString, QString>> expected { { u"open"_s, u"accepted"_s },
        { u"other"_s, u"missing_api_key"_s }, { u"rules"_s, u"accepted"_s } };

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(bytes));
    qint64 previous = 0;
    for (const auto &[hook, reason] : expected) {
        LoggedRequest row;
        checkAnswer(client.readAnswer(), reason == u"accepted" ? 200 : 401, reason, &row);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(row.id > previous);
        QCOMPARE(row.webhookId, m_hooks.value(hook).id);
        previous = row.id;
    }
    QCOMPARE(allRows().size(), 3);
}

// More pipelined requests than the receiver reads ahead: it pauses reading, never drops any.
void tst_Receiver::pipelineBeyondReadAhead()
{
    ReceiverOptions options = baseOptions();
    options.maxPipelined = 4;
    restartReceiver(options);

    constexpr int count = 40;
    QByteArray bytes;
    for (int i = 0; i < count; ++i)
        bytes += i % 3 == 2 ? httpRequest("POST", target(u"open"_s), {}, {}) : acceptedRequest();
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(bytes));
    qint64 previous = 0;
    for (int i = 0; i < count; ++i) {
        const bool accepted = i % 3 != 2;
        LoggedRequest row;
        checkAnswer(client.readAnswer(), accepted ? 200 : 401,
            accepted ? u"accepted"_s : u"missing_api_key"_s, &row);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(row.id > previous);
        previous = row.id;
    }
    QCOMPARE(allRows().size(), count);
}

// At the connection limit a newcomer takes the slot of an idle connection; when no slot can be
// freed (every connection waits for its answer) the newcomer is told to come back later.
void tst_Receiver::overloadedConnections()
{
    ReceiverOptions options = baseOptions();
    options.maxConnections = 2;
    options.threads
        = 1; // slots are freed among the connections of the thread that took the newcomer
    restartReceiver(options);

    std::vector<std::unique_ptr<RawHttpClient>> held;
    for (int i = 0; i < options.maxConnections; ++i) {
        held.push_back(std::make_unique<RawHttpClient>(port()));
        QVERIFY(held.back()->connectToServer());
        // An answer proves the receiver has taken the connection, not just the kernel.
        QVERIFY(held.back()->send(acceptedRequest()));
        checkAnswer(held.back()->readAnswer(), 200, u"accepted"_s);
        if (QTest::currentTestFailed())
            return;
    }

    // Both held connections are idle: the longest idle one is closed for the newcomer.
    auto newcomer = std::make_unique<RawHttpClient>(port());
    QVERIFY(newcomer->connectToServer());
    QVERIFY(newcomer->send(acceptedRequest()));
    checkAnswer(newcomer->readAnswer(), 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(held.front()->waitForClosed(5000));
    QVERIFY2(held.front()->buffer().isEmpty(), held.front()->buffer().constData());
    QCOMPARE(m_engine->receiver()->stats().shed.loadRelaxed(), 1);
    held.front() = std::move(newcomer);

    // Now both connections wait for the log (another connection holds its write lock): neither
    // can give up its slot.
    QSqlDatabase lockDb = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"overloaded-lock"_s);
    lockDb.setDatabaseName(m_dir->filePath(u"hooktrail.db"_s));
    QVERIFY(lockDb.open());
    const auto dropLock = qScopeGuard([&] {
        lockDb.close();
        lockDb = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"overloaded-lock"_s);
    });
    QSqlQuery lock(lockDb);
    QVERIFY(lock.exec(u"BEGIN EXCLUSIVE"_s));
    const qint64 requestsBefore = m_engine->receiver()->stats().requests.loadRelaxed();
    for (auto &client : held)
        QVERIFY(client->send(acceptedRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_engine->receiver()->stats().requests.loadRelaxed(), requestsBefore + 2, 5000);

    RawHttpClient refused(port());
    QVERIFY(refused.connectToServer());
    refused.send(acceptedRequest());
    const std::optional<HttpAnswer> answer = refused.readAnswer();
    QVERIFY(lock.exec(u"ROLLBACK"_s));
    QVERIFY(answer.has_value());
    QVERIFY2(answer->statusLine.startsWith("HTTP/1.1 503 "), answer->statusLine.constData());
    QCOMPARE(answer->header("retry-after"), QByteArray::number(kRetryAfter));
    QCOMPARE(answer->header("connection"), "close"_ba);
    QCOMPARE(answer->reason(), u"overloaded"_s);
    QVERIFY(answer->json().value(u"requestId"_s).isNull());
    QVERIFY(refused.waitForClosed(5000));
    for (auto &client : held) {
        checkAnswer(client->readAnswer(15000), 200, u"accepted"_s);
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(allRows().size(), 5); // a refusal for lack of room is not a request
    QCOMPARE(m_engine->receiver()->stats().shed.loadRelaxed(), 1);
}

// Connections cut by a restart no longer count against the limit of the restarted receiver.
void tst_Receiver::restartReleasesConnections()
{
    ReceiverOptions options = baseOptions();
    options.maxConnections = 1;
    restartReceiver(options);

    RawHttpClient before(port());
    QVERIFY(before.connectToServer());
    QVERIFY(before.send(acceptedRequest()));
    checkAnswer(before.readAnswer(), 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;

    restartReceiver(options);
    QVERIFY(before.waitForClosed(5000));
    QCOMPARE(m_engine->receiver()->stats().connections.loadRelaxed(), 0);
    RawHttpClient after(port());
    QVERIFY(after.connectToServer());
    QVERIFY(after.send(acceptedRequest()));
    checkAnswer(after.readAnswer(), 200, u"accepted"_s);
}

// A client that trickles its headers is cut off without holding up anyone else.
void tst_Receiver::slowHeadersTimeOut()
{
    ReceiverOptions options = baseOptions();
    options.headerTimeoutMs = kHeaderTimeoutMs;
    options.idleTimeoutMs = kIdleTimeoutMs;
    restartReceiver(options);

    const QByteArray request = acceptedRequest();
    RawHttpClient slow(port());
    QVERIFY(slow.connectToServer());
    QElapsedTimer clock;
    clock.start();
    QVERIFY(slow.send(request.left(20)));
    qint64 promptMs = -1;
    // One byte per 100 ms: the headers would need seconds, far beyond the timeout.
    for (qsizetype next = 20; next < request.size() && clock.elapsed() < 5000; ++next) {
        if (slow.pump(100) || slow.isClosed())
            break;
        if (promptMs < 0) {
            QElapsedTimer promptClock;
            promptClock.start();
            RawHttpClient other(port());
            QVERIFY(other.connectToServer());
            QVERIFY(other.send(request));
            checkAnswer(other.readAnswer(), 200, u"accepted"_s);
            if (QTest::currentTestFailed())
                return;
            promptMs = promptClock.elapsed();
        }
        slow.send(request.mid(next, 1));
    }
    const std::optional<HttpAnswer> answer = slow.readAnswer(1000);
    const qint64 elapsed = clock.elapsed();
    checkAnswer(answer, 408, u"request_timeout"_s);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(slow.waitForClosed(3000));
    QVERIFY2(promptMs >= 0 && promptMs < 1000, qPrintable(QString::number(promptMs)));
    QVERIFY2(elapsed >= kHeaderTimeoutMs - 50, qPrintable(QString::number(elapsed)));
    QVERIFY2(elapsed < kHeaderTimeoutMs + 2000, qPrintable(QString::number(elapsed)));
}

void tst_Receiver::idleKeepAliveClosed()
{
    ReceiverOptions options = baseOptions();
    options.headerTimeoutMs = kHeaderTimeoutMs;
    options.idleTimeoutMs = kIdleTimeoutMs;
    restartReceiver(options);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(acceptedRequest()));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    checkAnswer(answer, 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(answer->header("connection"), "keep-alive"_ba);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(client.waitForClosed(kIdleTimeoutMs + 3000));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= kIdleTimeoutMs - 100, qPrintable(QString::number(elapsed)));
    QVERIFY(client.buffer().isEmpty());
    QCOMPARE(allRows().size(), 1); // an idle close is not a request
}

// While the log cannot be written nothing is acknowledged; afterwards it works by itself.
void tst_Receiver::storageFailure_data()
{
    QTest::addColumn<QStringList>("fault");
    QTest::addColumn<QStringList>("repair");
    QTest::addColumn<bool>("slow"); // the writer waits out SQLite's busy timeout

    QTest::addRow("insert aborted")
        << QStringList { u"CREATE TRIGGER fail_insert BEFORE INSERT ON requests "
                         "BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END"_s }
        << QStringList { u"DROP TRIGGER fail_insert"_s } << false;
    QTest::addRow("table missing")
        << QStringList { u"ALTER TABLE requests RENAME TO requests_away"_s }
        << QStringList { u"ALTER TABLE requests_away RENAME TO requests"_s } << false;
    QTest::addRow("locked by another writer")
        << QStringList { u"BEGIN EXCLUSIVE"_s } << QStringList { u"ROLLBACK"_s } << true;
}

void tst_Receiver::storageFailure()
{
    QFETCH(QStringList, fault);
    QFETCH(QStringList, repair);
    QFETCH(bool, slow);

    const QString connectionName = u"fault"_s;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
        db.setDatabaseName(m_dir->filePath(u"hooktrail.db"_s));
        QVERIFY(db.open());
    }
    const auto dropConnection = qScopeGuard([&] { QSqlDatabase::removeDatabase(connectionName); });
    const auto run = [&](const QStringList &statements) {
        QSqlQuery query(QSqlDatabase::database(connectionName));
        for (const QString &sql : statements)
            QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));
    };

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(acceptedRequest()));
    checkAnswer(client.readAnswer(), 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;

    run(fault);
    if (QTest::currentTestFailed())
        return;
    QList<QByteArray> probes { acceptedRequest() };
    if (!slow) // a rejection's row cannot be written either
        probes.append(
            httpRequest("POST", target(u"open"_s), "Content-Type: application/json\r\n", "{}"));
    for (const QByteArray &probe : probes) {
        QVERIFY(client.send(probe));
        const std::optional<HttpAnswer> answer = client.readAnswer(slow ? 30000 : 5000);
        QVERIFY(answer.has_value());
        QVERIFY2(answer->status == 503, answer->statusLine.constData());
        QVERIFY(answer->statusLine.startsWith("HTTP/1.1 503 "));
        QCOMPARE(answer->header("retry-after"), QByteArray::number(kRetryAfter));
        const QJsonObject json = answer->json();
        QCOMPARE(json.value(u"status"_s).toString(), u"rejected"_s);
        QCOMPARE(json.value(u"reason"_s).toString(), u"storage_unavailable"_s);
        QVERIFY(json.contains(u"requestId"_s));
        QVERIFY(json.value(u"requestId"_s).isNull());
    }
    QVERIFY(m_engine->writer()->failedCount() >= probes.size());
    run(repair);
    if (QTest::currentTestFailed())
        return;

    // The same connection and a new one both work again, without any restart.
    QVERIFY(client.send(acceptedRequest()));
    checkAnswer(client.readAnswer(), 200, u"accepted"_s);
    RawHttpClient fresh(port());
    QVERIFY(fresh.connectToServer());
    QVERIFY(fresh.send(acceptedRequest(u"other"_s)));
    checkAnswer(fresh.readAnswer(), 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(allRows().size(), 3);
}

// A change saved through the store and refreshed applies to the very next request.
void tst_Receiver::configChangeTakesEffect_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");

    QTest::addRow("key revoked") << u"revoke"_s << 401 << u"invalid_api_key"_s;
    QTest::addRow("webhook disabled") << u"disable"_s << 503 << u"webhook_disabled"_s;
    QTest::addRow("webhook removed") << u"remove"_s << 404 << u"unknown_webhook"_s;
    QTest::addRow("header rule added") << u"rule"_s << 403 << u"header_mismatch"_s;
    QTest::addRow("method removed") << u"method"_s << 405 << u"method_not_allowed"_s;
    QTest::addRow("ip rule added") << u"ip"_s << 403 << u"ip_not_allowed"_s;
    QTest::addRow("ip rule widened") << u"ip-lifted"_s << 200 << u"accepted"_s;
    QTest::addRow("header rule lifted") << u"rule-lifted"_s << 200 << u"accepted"_s;
}

void tst_Receiver::configChangeTakesEffect()
{
    QFETCH(QString, change);
    QFETCH(int, status);
    QFETCH(QString, reason);

    // The lifted rules start from the webhooks that have them, refused until the change.
    const QString hookName = change == u"ip-lifted" ? u"ip"_s
        : change == u"rule-lifted"                  ? u"rules"_s
                                                    : u"open"_s;
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(acceptedRequest(hookName)));
    if (hookName == u"ip")
        checkAnswer(client.readAnswer(), 403, u"ip_not_allowed"_s);
    else if (hookName == u"rules")
        checkAnswer(client.readAnswer(), 403, u"header_mismatch"_s);
    else
        checkAnswer(client.readAnswer(), 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;

    Webhook hook = m_hooks.value(hookName);
    Status changed;
    if (change == u"revoke") {
        changed = m_store->config().revokeKey(m_key.key.prefix);
    } else if (change == u"disable") {
        changed = m_store->config().setWebhookEnabled(hook.id, false);
    } else if (change == u"remove") {
        changed = m_store->config().removeWebhook(hook.id);
    } else if (change == u"rule") {
        hook.headerRules = { { u"X-Signature"_s, u"*"_s } };
        changed = m_store->config().updateWebhook(hook);
    } else if (change == u"ip") {
        hook.ipWhitelist = QStringList { u"203.0.113.0/24"_s };
        changed = m_store->config().updateWebhook(hook);
    } else if (change == u"ip-lifted") {
        hook.ipWhitelist.append(u"127.0.0.0/8"_s);
        changed = m_store->config().updateWebhook(hook);
    } else if (change == u"rule-lifted") {
        hook.headerRules.clear();
        changed = m_store->config().updateWebhook(hook);
    } else {
        hook.methods = QStringList { u"PUT"_s };
        changed = m_store->config().updateWebhook(hook);
    }
    QVERIFY2(changed.ok(), qPrintable(changed.error()));
    m_engine->config()->refresh();

    QVERIFY(client.send(acceptedRequest(hookName)));
    LoggedRequest row;
    checkAnswer(client.readAnswer(), status, reason, &row);
    if (QTest::currentTestFailed())
        return;
    if (change == u"revoke")
        QCOMPARE(row.apiKeyId, m_key.key.id); // the history still shows which key was tried
}

// Many senders at once: every request answered, every answer's id in the log, none extra.
void tst_Receiver::concurrentConnections()
{
    constexpr int connections = 8;
    constexpr int perConnection = 50;
    struct Outcome
    {
        QList<int> statuses;
        QList<qint64> ids;
        QByteArray error;
    };
    std::vector<Outcome> outcomes(connections);
    const QByteArray requests[] = { acceptedRequest(u"open"_s), acceptedRequest(u"other"_s) };
    const quint16 receiverPort = port();

    std::vector<std::unique_ptr<QThread>> threads;
    for (int c = 0; c < connections; ++c) {
        threads.emplace_back(QThread::create([&, c] {
            Outcome &outcome = outcomes[size_t(c)];
            RawHttpClient client(receiverPort);
            if (!client.connectToServer()) {
                outcome.error = "cannot connect";
                return;
            }
            for (int i = 0; i < perConnection; ++i) {
                if (!client.send(requests[(c + i) % 2])) {
                    outcome.error = "send failed at request " + QByteArray::number(i);
                    return;
                }
                const std::optional<HttpAnswer> answer = client.readAnswer(20000);
                if (!answer) {
                    outcome.error = "no answer to request " + QByteArray::number(i);
                    return;
                }
                outcome.statuses.append(answer->status);
                outcome.ids.append(answer->requestId());
            }
        }));
    }
    for (auto &thread : threads)
        thread->start();
    for (auto &thread : threads)
        QVERIFY(thread->wait(QDeadlineTimer(60000)));

    QSet<qint64> answered;
    for (const Outcome &outcome : outcomes) {
        QVERIFY2(outcome.error.isEmpty(), outcome.error.constData());
        QCOMPARE(outcome.statuses, QList<int>(perConnection, 200));
        for (qsizetype i = 1; i < outcome.ids.size(); ++i)
            QVERIFY(outcome.ids.at(i) > outcome.ids.at(i - 1));
        for (qint64 id : outcome.ids)
            answered.insert(id);
    }
    QCOMPARE(answered.size(), connections * perConnection);
    QSet<qint64> logged;
    for (const LoggedRequest &row : allRows()) {
        QCOMPARE(row.status, 200);
        logged.insert(row.id);
    }
    QCOMPARE(logged, answered);
}

QTEST_GUILESS_MAIN(tst_Receiver)
#include "tst_receiver.moc"
