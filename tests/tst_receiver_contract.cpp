// End-to-end tests of the receiver's answers: every outcome of the endpoint contract, ordinary
// clients, keys kept out of the log, malformed requests, admission rules, a failing store and
// configuration changes. Real HTTP over loopback, a real SQLite log.
#include "core/history/curlcommand.h"
#include "core/history/requestexport.h"
#include "core/model/apikey.h"
#include "core/receiver/configcache.h"
#include "core/receiver/receiver.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"
#include "receivertest.h"
#include "testsupport.h"

#include <QBuffer>
#include <QDirIterator>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_ReceiverContract : public ReceiverTest
{
    Q_OBJECT

private slots:
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
    void headerRuleOnEveryField_data();
    void headerRuleOnEveryField();
    void forwardedForWithPort_data();
    void forwardedForWithPort();
    void storageFailure_data();
    void storageFailure();
    void configChangeTakesEffect_data();
    void configChangeTakesEffect();
    void anyContentTypeAcceptsAndLogsAsSent_data();
    void anyContentTypeAcceptsAndLogsAsSent();
};

// Every outcome of the endpoint contract, once, through a raw socket.
void tst_ReceiverContract::contractOutcome_data()
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

void tst_ReceiverContract::contractOutcome()
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
    // Where the body breaks, in the log's words, never the sender's.
    if (reason == u"invalid_json")
        QCOMPARE(row.reasonDetail,
            u"line 1, column 6: expected a value (object, array, string, number, true, false or "
            "null), found the end of the body"_s);
    if (reason == u"invalid_xml")
        QCOMPARE(row.reasonDetail,
            u"line 1, column 7: an end tag does not match the element it closes"_s);
    // The connection is still usable after any rejection of a well-formed request.
    QVERIFY(client.send(acceptedRequest()));
    checkAnswer(client.readAnswer(), 200, u"accepted"_s);
}

// An ordinary HTTP client gets the same contract.
void tst_ReceiverContract::ordinaryClient_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");

    QTest::addRow("POST accepted") << "POST"_ba << 200 << u"accepted"_s;
    QTest::addRow("DELETE not allowed") << "DELETE"_ba << 405 << u"method_not_allowed"_s;
}

void tst_ReceiverContract::ordinaryClient()
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

void tst_ReceiverContract::secretsRedacted_data()
{
    QTest::addColumn<bool>("validKey");
    QTest::addColumn<int>("status");

    QTest::addRow("accepted") << true << 200;
    QTest::addRow("rejected key") << false << 401;
}

void tst_ReceiverContract::secretsRedacted()
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
void tst_ReceiverContract::keysScrubbedWherever_data()
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

void tst_ReceiverContract::keysScrubbedWherever()
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
void tst_ReceiverContract::malformedRequest_data()
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

void tst_ReceiverContract::malformedRequest()
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

// A header rule holds only when every field of that name holds: a sender that adds the expected
// value beside its own is refused, whichever comes first.
void tst_ReceiverContract::headerRuleOnEveryField_data()
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

void tst_ReceiverContract::headerRuleOnEveryField()
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
void tst_ReceiverContract::forwardedForWithPort_data()
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

void tst_ReceiverContract::forwardedForWithPort()
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

// While the log cannot be written nothing is acknowledged; afterwards it works by itself.
void tst_ReceiverContract::storageFailure_data()
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

void tst_ReceiverContract::storageFailure()
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
void tst_ReceiverContract::configChangeTakesEffect_data()
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

void tst_ReceiverContract::configChangeTakesEffect()
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

// A webhook that accepts any content type: a body the contract refuses with 415 (or 400) is
// accepted once the option is on, and logged byte for byte, past the prefix a refused body
// keeps; the same webhook refused it before.
void tst_ReceiverContract::anyContentTypeAcceptsAndLogsAsSent_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("statusWithout");
    QTest::addColumn<QString>("reasonWithout");

    QByteArray binary;
    for (int i = 0; i < 256 * 300; ++i) // every byte value, over RejectedBodyKeptBytes in all
        binary.append(char(i % 256));
    QTest::addRow("text/plain") << "Content-Type: text/plain; charset=utf-8\r\n"_ba
                                << "plain text, \xc3\xa9t\xc3\xa9\n"_ba << 415
                                << u"unsupported_media_type"_s;
    QTest::addRow("application/octet-stream") << "Content-Type: application/octet-stream\r\n"_ba
                                              << binary << 415 << u"unsupported_media_type"_s;
    QTest::addRow("no Content-Type") << ""_ba
                                     << "raw"_ba << 415 << u"unsupported_media_type"_s;
    QTest::addRow("declared JSON that does not parse") << "Content-Type: application/json\r\n"_ba
                                                       << "{\"a\":"_ba << 400 << u"invalid_json"_s;
}

void tst_ReceiverContract::anyContentTypeAcceptsAndLogsAsSent()
{
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, statusWithout);
    QFETCH(QString, reasonWithout);

    Webhook hook = m_hooks.value(u"other"_s);
    QVERIFY(!hook.acceptAnyContentType);
    const QByteArray request = httpRequest("POST", target(u"other"_s, keyQuery()), headers, body);
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(request));
    checkAnswer(client.readAnswer(), statusWithout, reasonWithout);
    if (QTest::currentTestFailed())
        return;

    hook.acceptAnyContentType = true;
    const Status changed = m_store->config().updateWebhook(hook);
    QVERIFY2(changed.ok(), qPrintable(changed.error()));
    m_engine->config()->refresh();

    QVERIFY(client.send(request));
    LoggedRequest row;
    checkAnswer(client.readAnswer(), 200, u"accepted"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(row.body, body);
    QCOMPARE(row.bodySize, body.size());
    QVERIFY(!row.bodyTruncated);
    QCOMPARE(row.webhookId, hook.id);
    QCOMPARE(row.apiKeyId, m_key.key.id);
}

QTEST_GUILESS_MAIN(tst_ReceiverContract)
#include "tst_receiver_contract.moc"
