// Tests for the endpoint's wire rules (ARCHITECTURE §5.2): the route, the query, where the key is
// and how it matches, the answers; and that admission and the log's redaction read a key's name by
// one rule.
#include "core/endpoint/answer.h"
#include "core/endpoint/keyrule.h"
#include "core/endpoint/query.h"
#include "core/endpoint/route.h"
#include "core/http/httpconnection.h"
#include "core/http/httprequestparser.h"
#include "core/model/loggedrequest.h"
#include "core/receiver/admission.h"

#include <QTest>

using namespace Hooktrail;
using namespace Qt::StringLiterals;

namespace {

const QString kOpenId = u"0b5c9a52-8f4e-4d1a-9c3b-7e6f5d4c3b2a"_s;
// Not the shape of a generated key (Redaction::scrubKeys would mask that wherever it is): only
// the name rule stands between this one and the log.
const QByteArray kSecret = "s3cret-value_for.tests"_ba;
constexpr qint64 kKeyId = 4;

ApiKey storedKey(qint64 id, const QByteArray &secret, bool revoked = false)
{
    ApiKey key;
    key.id = id;
    key.name = u"key %1"_s.arg(id);
    key.prefix = ApiKeys::prefixOf(QString::fromLatin1(secret));
    key.hash = ApiKeys::hash(secret);
    key.revoked = revoked;
    return key;
}

// What the receiver's parser makes of a POST to the open webhook with this query and headers.
ParsedRequest parse(const QByteArray &query, const QByteArray &headers)
{
    QByteArray bytes = "POST /v1/data/webhook/"_ba + kOpenId.toLatin1()
        + (query.isEmpty() ? QByteArray() : '?' + query) + " HTTP/1.1\r\nHost: h\r\n" + headers
        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    HttpRequestParser parser;
    HttpRequestParser::Status status = HttpRequestParser::Status::NeedMore;
    do
        status = parser.parse(bytes);
    while (status == HttpRequestParser::Status::HeadersComplete);
    if (status != HttpRequestParser::Status::Complete)
        qFatal("test request did not parse: %s", parser.errorDetail().constData());
    return parser.takeRequest();
}

} // namespace

class tst_Endpoint : public QObject
{
    Q_OBJECT

private slots:
    void route();
    void webhookIdFromPath_data();
    void webhookIdFromPath();
    void queryValue_data();
    void queryValue();
    void queryFieldsKeepEveryByte_data();
    void queryFieldsKeepEveryByte();
    void replaceValues();
    void presentedKey_data();
    void presentedKey();
    void keyQuery();
    void matchKey();
    void admissionAndRedactionAgree_data();
    void admissionAndRedactionAgree();
    void answer();
    void answerBody();
    void reasonPhrases();
};

void tst_Endpoint::route()
{
    QCOMPARE(Endpoint::routeOf(kOpenId), u"/v1/data/webhook/"_s + kOpenId);
    QCOMPARE(Endpoint::webhookIdFromPath(Endpoint::routeOf(kOpenId).toLatin1()), kOpenId);
}

void tst_Endpoint::webhookIdFromPath_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("id");

    QTest::addRow("valid") << "/v1/data/webhook/"_ba + kOpenId.toLatin1() << kOpenId;
    QTest::addRow("empty") << QByteArray() << QString();
    QTest::addRow("prefix only") << "/v1/data/webhook/"_ba << QString();
    QTest::addRow("uppercase") << "/v1/data/webhook/"_ba + kOpenId.toUpper().toLatin1()
                               << QString();
    QTest::addRow("trailing slash")
        << "/v1/data/webhook/"_ba + kOpenId.toLatin1() + '/' << QString();
    QTest::addRow("short") << "/v1/data/webhook/"_ba + kOpenId.chopped(1).toLatin1() << QString();
    QTest::addRow("double slash") << "/v1/data/webhook//"_ba + kOpenId.toLatin1() << QString();
    QTest::addRow("prefix twice") << "/v1/data/webhook/v1/data/webhook/"_ba + kOpenId.toLatin1()
                                  << QString();
    QTest::addRow("no hyphens") << "/v1/data/webhook/0b5c9a528f4e4d1a9c3b7e6f5d4c3b2a"_ba
                                << QString();
    QTest::addRow("wrong variant")
        << "/v1/data/webhook/0b5c9a52-8f4e-4d1a-cc3b-7e6f5d4c3b2a"_ba << QString();
    QTest::addRow("non-hex digit")
        << "/v1/data/webhook/0b5c9a52-8f4e-4d1a-9c3b-7e6f5d4c3b2g"_ba << QString();
}

void tst_Endpoint::webhookIdFromPath()
{
    QFETCH(QByteArray, path);
    QFETCH(QString, id);
    QCOMPARE(Endpoint::webhookIdFromPath(path), id);
}

void tst_Endpoint::queryValue_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");

    QTest::addRow("empty query") << QByteArray() << "api-key"_ba << QByteArray();
    QTest::addRow("only parameter") << "api-key=abc"_ba
                                    << "api-key"_ba
                                    << "abc"_ba;
    QTest::addRow("middle parameter") << "a=1&api-key=abc&b=2"_ba
                                      << "api-key"_ba
                                      << "abc"_ba;
    QTest::addRow("last parameter") << "a=1&api-key=abc"_ba
                                    << "api-key"_ba
                                    << "abc"_ba;
    QTest::addRow("first of two") << "api-key=first&api-key=second"_ba
                                  << "api-key"_ba
                                  << "first"_ba;
    QTest::addRow("absent") << "a=1&b=2"_ba
                            << "api-key"_ba << QByteArray();
    QTest::addRow("longer name does not match") << "api-keys=abc"_ba
                                                << "api-key"_ba << QByteArray();
    QTest::addRow("suffix name does not match") << "xapi-key=abc"_ba
                                                << "api-key"_ba << QByteArray();
    QTest::addRow("name only") << "api-key"_ba
                               << "api-key"_ba << QByteArray();
    QTest::addRow("empty value") << "api-key=&a=1"_ba
                                 << "api-key"_ba << QByteArray();
    QTest::addRow("percent-encoded value") << "api-key=a%2Bb%3Dc%26d"_ba
                                           << "api-key"_ba
                                           << "a+b=c&d"_ba;
    QTest::addRow("plus is a space") << "q=two+words"_ba
                                     << "q"_ba
                                     << "two words"_ba;
    QTest::addRow("percent-encoded name") << "api%2Dkey=abc"_ba
                                          << "api-key"_ba
                                          << "abc"_ba;
    QTest::addRow("value holding '='") << "api-key=a=b"_ba
                                       << "api-key"_ba
                                       << "a=b"_ba;
    QTest::addRow("empty parts") << "&&api-key=abc&"_ba
                                 << "api-key"_ba
                                 << "abc"_ba;
    QTest::addRow("name is case-sensitive") << "API-KEY=abc"_ba
                                            << "api-key"_ba << QByteArray();
}

void tst_Endpoint::queryValue()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QCOMPARE(Endpoint::queryValue(query, name), value);
}

void tst_Endpoint::queryFieldsKeepEveryByte_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArrayList>("names");
    QTest::addColumn<QByteArrayList>("values");

    QTest::addRow("empty") << QByteArray() << QByteArrayList { ""_ba } << QByteArrayList { ""_ba };
    QTest::addRow("two") << "a=1&b=2"_ba << QByteArrayList { "a"_ba, "b"_ba }
                         << QByteArrayList { "1"_ba, "2"_ba };
    QTest::addRow("empty parts kept") << "&a=1&"_ba << QByteArrayList { ""_ba, "a"_ba, ""_ba }
                                      << QByteArrayList { ""_ba, "1"_ba, ""_ba };
    QTest::addRow("plus then percent")
        << "a+b=c+d%2B"_ba << QByteArrayList { "a b"_ba } << QByteArrayList { "c d+"_ba };
    QTest::addRow("encoded separators")
        << "k%3D=v%26w"_ba << QByteArrayList { "k="_ba } << QByteArrayList { "v&w"_ba };
    QTest::addRow("name only") << "flag"_ba << QByteArrayList { "flag"_ba }
                               << QByteArrayList { ""_ba };
    QTest::addRow("bytes over 0x7f")
        << "n=caf%C3%A9"_ba << QByteArrayList { "n"_ba } << QByteArrayList { "caf\xc3\xa9"_ba };
}

void tst_Endpoint::queryFieldsKeepEveryByte()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArrayList, names);
    QFETCH(QByteArrayList, values);

    const QList<Endpoint::QueryField> fields = Endpoint::queryFields(query);
    QByteArrayList gotNames;
    QByteArrayList gotValues;
    QByteArrayList raw;
    for (const Endpoint::QueryField &field : fields) {
        gotNames.append(field.name());
        gotValues.append(field.value());
        raw.append(field.raw.toByteArray());
        QCOMPARE(field.raw.toByteArray(),
            field.hasValue ? field.rawName.toByteArray() + '=' + field.rawValue.toByteArray()
                           : field.rawName.toByteArray());
    }
    QCOMPARE(gotNames, names);
    QCOMPARE(gotValues, values);
    QCOMPARE(raw.join('&'), query);
}

void tst_Endpoint::replaceValues()
{
    const auto named = [](const char *name) {
        return [name](const Endpoint::QueryField &field) { return field.name() == name; };
    };
    QCOMPARE(
        Endpoint::replaceValues("a=1&b=2&a&&c=%41"_ba, named("a"), "X"), "a=X&b=2&a=X&&c=%41"_ba);
    QCOMPARE(Endpoint::replaceValues("a=1"_ba, named("z"), "X"), "a=1"_ba);
    QCOMPARE(Endpoint::replaceValues(QByteArray(), named(""), "X"), "=X"_ba);
}

void tst_Endpoint::presentedKey_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QByteArray>("key");

    QTest::addRow("none") << "a=1"_ba << HeaderList() << QByteArray();
    QTest::addRow("query") << "api-key=k1"_ba << HeaderList() << "k1"_ba;
    QTest::addRow("query, capitals") << "API-KEY=k1"_ba << HeaderList() << "k1"_ba;
    QTest::addRow("query, encoded name") << "api%2dKey=k1"_ba << HeaderList() << "k1"_ba;
    QTest::addRow("query, encoded value") << "api-key=k%2B1+2"_ba << HeaderList() << "k+1 2"_ba;
    QTest::addRow("first of two spellings")
        << "Api-Key=k1&api-key=k2"_ba << HeaderList() << "k1"_ba;
    QTest::addRow("first empty: the header")
        << "api-key=&api-key=k2"_ba << HeaderList { { "X-Api-Key"_ba, "h1"_ba } } << "h1"_ba;
    QTest::addRow("query before header")
        << "api-key=k1"_ba << HeaderList { { "X-Api-Key"_ba, "h1"_ba } } << "k1"_ba;
    QTest::addRow("header, any case")
        << QByteArray() << HeaderList { { "x-API-key"_ba, "h1"_ba } } << "h1"_ba;
    QTest::addRow("first header even empty")
        << QByteArray() << HeaderList { { "X-Api-Key"_ba, ""_ba }, { "X-Api-Key"_ba, "h2"_ba } }
        << QByteArray();
    QTest::addRow("underscores are another name")
        << "api_key=k1"_ba << HeaderList { { "X_Api_Key"_ba, "h1"_ba } } << QByteArray();
    QTest::addRow("encoded twice is another name")
        << "api%252Dkey=k1"_ba << HeaderList() << QByteArray();
}

void tst_Endpoint::presentedKey()
{
    QFETCH(QByteArray, query);
    QFETCH(HeaderList, headers);
    QFETCH(QByteArray, key);
    QCOMPARE(Endpoint::presentedKey(query, headers), key);
}

void tst_Endpoint::keyQuery()
{
    QCOMPARE(Endpoint::keyQuery(u"htk_a-b_c"_s), u"api-key=htk_a-b_c"_s);
    QCOMPARE(Endpoint::keyQuery(u"a&b=c d+é"_s), u"api-key=a%26b%3Dc%20d%2B%C3%A9"_s);
    // What the copied URL carries is what admission reads back.
    QCOMPARE(Endpoint::presentedKey(Endpoint::keyQuery(u"a&b=c d+é"_s).toLatin1(), {}),
        u"a&b=c d+é"_s.toUtf8());
}

void tst_Endpoint::matchKey()
{
    const QList<ApiKey> keys { storedKey(1, "one"), storedKey(2, "two", true),
        storedKey(3, "three") };
    Endpoint::KeyMatch match = Endpoint::matchKey("three", keys);
    QCOMPARE(match.id, 3);
    QVERIFY(match.valid());
    match = Endpoint::matchKey("two", keys);
    QCOMPARE(match.id, 2);
    QVERIFY(match.revoked);
    QVERIFY(!match.valid());
    match = Endpoint::matchKey("four", keys);
    QCOMPARE(match.id, 0);
    QVERIFY(!match.valid());
    QCOMPARE(Endpoint::matchKey("", keys).id, 0);
    QCOMPARE(Endpoint::matchKey("one", {}).id, 0);
    // Two stored keys with one hash (an import of the same key, say): the usable one counts,
    // whichever order they come in.
    QCOMPARE(Endpoint::matchKey("dup", { storedKey(5, "dup", true), storedKey(6, "dup") }).id, 6);
    QCOMPARE(Endpoint::matchKey("dup", { storedKey(6, "dup"), storedKey(5, "dup", true) }).id, 6);
}

void tst_Endpoint::admissionAndRedactionAgree_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<int>("status"); // what admission answers
    QTest::addColumn<bool>("masked"); // the secret is nowhere in the log entry

    const QByteArray s = kSecret;
    const QByteArray h = "X-Api-Key: "_ba + s + "\r\n";
    // Every spelling of the parameter's name that admission takes, the log masks.
    QTest::addRow("api-key") << "api-key="_ba + s << QByteArray() << 200 << true;
    QTest::addRow("API-KEY") << "API-KEY="_ba + s << QByteArray() << 200 << true;
    QTest::addRow("Api-Key") << "Api-Key="_ba + s << QByteArray() << 200 << true;
    QTest::addRow("api%%2Dkey") << "api%2Dkey="_ba + s << QByteArray() << 200 << true;
    QTest::addRow("api%%2dkey") << "api%2dkey="_ba + s << QByteArray() << 200 << true;
    QTest::addRow("%%61pi-key") << "%61pi-key="_ba + s << QByteArray() << 200 << true;
    QTest::addRow("API%%2DKEY") << "API%2DKEY="_ba + s << QByteArray() << 200 << true;
    QTest::addRow("among others") << "a=1&api-key="_ba + s + "&b=2" << QByteArray() << 200 << true;
    QTest::addRow("value percent-encoded")
        << "api-key=s3cret%2Dvalue%5Ffor.tests"_ba << QByteArray() << 200 << true;
    QTest::addRow("api-key twice")
        << "api-key="_ba + s + "&api-key=" + s << QByteArray() << 200 << true;
    QTest::addRow("two spellings, first taken")
        << "API-KEY="_ba + s + "&api-key=wrong" << QByteArray() << 200 << true;
    // Repeated: the first is the one presented; every one is masked all the same.
    QTest::addRow("api-key twice, first wrong")
        << "api-key=wrong&api-key="_ba + s << QByteArray() << 401 << true;
    QTest::addRow("api-key twice, first empty")
        << "api-key=&api-key="_ba + s << QByteArray() << 401 << true;
    QTest::addRow("api-key twice, other spelling first wrong")
        << "Api-Key=wrong&api-key="_ba + s << QByteArray() << 401 << true;
    // The header, in any case of its name.
    QTest::addRow("X-Api-Key") << QByteArray() << h << 200 << true;
    QTest::addRow("x-api-key") << QByteArray() << "x-api-key: "_ba + s + "\r\n" << 200 << true;
    QTest::addRow("X-API-KEY") << QByteArray() << "X-API-KEY: "_ba + s + "\r\n" << 200 << true;
    QTest::addRow("header twice, first empty")
        << QByteArray() << "X-Api-Key:\r\n"_ba + h << 401 << true;
    // Header and query: the query's key first, an empty one leaving it to the header.
    QTest::addRow("key in header, wrong in query") << "api-key=wrong"_ba << h << 401 << true;
    QTest::addRow("key in query, wrong in header")
        << "api-key="_ba + s << "X-Api-Key: wrong\r\n"_ba << 200 << true;
    QTest::addRow("empty in query, key in header") << "api-key="_ba << h << 200 << true;
    QTest::addRow("name only in query, key in header") << "api-key"_ba << h << 200 << true;
    // Not the key's name, for either: neither taken nor masked by name. (A generated key, htk_
    // and its shape, is masked wherever it is; tst_admission_helpers scrubKeys.)
    QTest::addRow("api_key") << "api_key="_ba + s << QByteArray() << 401 << false;
    QTest::addRow("apikey") << "apikey="_ba + s << QByteArray() << 401 << false;
    QTest::addRow("api-keys") << "api-keys="_ba + s << QByteArray() << 401 << false;
    QTest::addRow("api+key") << "api+key="_ba + s << QByteArray() << 401 << false;
    QTest::addRow("api%%252Dkey") << "api%252Dkey="_ba + s << QByteArray() << 401 << false;
    QTest::addRow("X_Api_Key header") << QByteArray() << "X_Api_Key: "_ba + s + "\r\n"
                                      << 401 << false;
    QTest::addRow("X-Api-Key-Id header") << QByteArray() << "X-Api-Key-Id: "_ba + s + "\r\n"
                                         << 401 << false;
}

void tst_Endpoint::admissionAndRedactionAgree()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, headers);
    QFETCH(int, status);
    QFETCH(bool, masked);

    Webhook webhook;
    webhook.id = kOpenId;
    webhook.name = u"open"_s;
    webhook.methods = { u"POST"_s };
    const auto config = ConfigSnapshot::build({ webhook }, { storedKey(kKeyId, kSecret) }, 1);
    const ParsedRequest request = parse(query, headers);
    const AdmissionResult result = admit(request, QHostAddress::LocalHost, *config, {});

    // What the log stores of it, as the receiver builds it.
    LoggedRequest entry = HttpConnection::logEntryOf(request);
    Redaction::scrubKeys(entry);
    QByteArrayList logged { entry.query, Endpoint::decodeQueryComponent(entry.query) };
    for (const auto &[name, value] : entry.headers)
        logged << name << value;
    const bool leaked = std::any_of(logged.begin(), logged.end(),
        [](const QByteArray &text) { return text.contains(kSecret); });

    QCOMPARE(result.status, status);
    QCOMPARE(!leaked, masked);
    // The rule itself: a key admission took is a key the log does not hold.
    if (result.apiKeyId != 0)
        QVERIFY2(!leaked, entry.query.constData());
    QCOMPARE(result.apiKeyId, status == 200 ? kKeyId : qint64(0));
}

void tst_Endpoint::answer()
{
    QCOMPARE(Endpoint::answer(200, "accepted", 12, true),
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 56\r\n"
        "Connection: keep-alive\r\nCache-Control: no-store\r\n\r\n"
        R"({"status":"accepted","reason":"accepted","requestId":12})"_ba);
    const QByteArray refused = Endpoint::answer(405, "method_not_allowed", 3, false, "POST, PUT");
    QVERIFY(refused.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
    QVERIFY(refused.contains("\r\nConnection: close\r\n"));
    QVERIFY(refused.contains("\r\nAllow: POST, PUT\r\n"));
    QVERIFY(!refused.contains("Retry-After"));
    QVERIFY(refused.endsWith(Endpoint::answerBody(405, "method_not_allowed", 3)));
    const QByteArray busy = Endpoint::answer(503, "overloaded", 0, false, {}, 7, true);
    QVERIFY(busy.contains("\r\nRetry-After: 7\r\n"));
    QVERIFY(busy.endsWith("\r\n\r\n")); // HEAD: headers only, the length of the body it would have
    QVERIFY(busy.contains("Content-Length: "
        + QByteArray::number(Endpoint::answerBody(503, "overloaded", 0).size())));
}

void tst_Endpoint::answerBody()
{
    QCOMPARE(Endpoint::answerBody(200, "accepted", 1),
        R"({"status":"accepted","reason":"accepted","requestId":1})"_ba);
    QCOMPARE(Endpoint::answerBody(401, "invalid_api_key", 42),
        R"({"status":"rejected","reason":"invalid_api_key","requestId":42})"_ba);
    QCOMPARE(Endpoint::answerBody(503, "overloaded", 0),
        R"({"status":"rejected","reason":"overloaded","requestId":null})"_ba);
    for (const char *reason : Endpoint::LoggedReasons)
        QVERIFY(!Endpoint::answerBody(400, reason, 1).contains(R"(\)"));
}

void tst_Endpoint::reasonPhrases()
{
    const QList<QPair<int, QByteArray>> phrases { { 100, "Continue" }, { 200, "OK" },
        { 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
        { 405, "Method Not Allowed" }, { 408, "Request Timeout" }, { 413, "Content Too Large" },
        { 415, "Unsupported Media Type" }, { 431, "Request Header Fields Too Large" },
        { 501, "Not Implemented" }, { 503, "Service Unavailable" },
        { 505, "HTTP Version Not Supported" }, { 299, "Unknown" } };
    for (const auto &[status, phrase] : phrases)
        QCOMPARE(QByteArray(Endpoint::reasonPhrase(status)), phrase);
}

QTEST_GUILESS_MAIN(tst_Endpoint)
#include "tst_endpoint.moc"
