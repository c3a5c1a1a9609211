// Tests for admission (ARCHITECTURE §5.2 checks 1-10 and their order): the API key, header rules,
// the content type, an accepted request, and which check decides when several fail.
#include "admissiontest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_AdmissionRequest final : public AdmissionTest
{
    Q_OBJECT

private slots:
    // Checks in contract order.
    void apiKey_data();
    void apiKey();
    void headerRules_data();
    void headerRules();
    void contentType_data();
    void contentType();
    void anyContentTypeSkipsTheContentChecks_data();
    void anyContentTypeSkipsTheContentChecks();
    void accepted();
    void order_data();
    void order();
};

void tst_AdmissionRequest::apiKey_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<qint64>("keyId");

    const QByteArray encodedKey
        = QUrl::toPercentEncoding(QString::fromLatin1(kValidKey), {}, "-_"_ba);
    QTest::addRow("neither query nor header")
        << QByteArray() << HeaderList() << 401 << "missing_api_key"_ba << qint64(0);
    QTest::addRow("other parameters only")
        << "a=1&b=2"_ba << HeaderList() << 401 << "missing_api_key"_ba << qint64(0);
    QTest::addRow("empty query value")
        << "api-key="_ba << HeaderList() << 401 << "missing_api_key"_ba << qint64(0);
    QTest::addRow("empty header value") << QByteArray() << HeaderList { { "X-Api-Key"_ba, ""_ba } }
                                        << 401 << "missing_api_key"_ba << qint64(0);
    QTest::addRow("valid in query")
        << "api-key="_ba + kValidKey << HeaderList() << 200 << "accepted"_ba << kValidKeyId;
    QTest::addRow("valid among other parameters")
        << "a=1&api-key="_ba + kValidKey + "&b=2" << HeaderList() << 200 << "accepted"_ba
        << kValidKeyId;
    QTest::addRow("valid, percent-encoded")
        << "api-key="_ba + encodedKey << HeaderList() << 200 << "accepted"_ba << kValidKeyId;
    QTest::addRow("valid, parameter name percent-encoded")
        << "api%2Dkey="_ba + kValidKey << HeaderList() << 200 << "accepted"_ba << kValidKeyId;
    QTest::addRow("valid in X-Api-Key header")
        << QByteArray() << HeaderList { { "X-Api-Key"_ba, kValidKey } } << 200 << "accepted"_ba
        << kValidKeyId;
    QTest::addRow("valid in lowercase header")
        << QByteArray() << HeaderList { { "x-api-key"_ba, kValidKey } } << 200 << "accepted"_ba
        << kValidKeyId;
    QTest::addRow("invalid in query")
        << "api-key=htk_nope"_ba << HeaderList() << 401 << "invalid_api_key"_ba << qint64(0);
    QTest::addRow("invalid in header")
        << QByteArray() << HeaderList { { "X-Api-Key"_ba, "htk_nope"_ba } } << 401
        << "invalid_api_key"_ba << qint64(0);
    QTest::addRow("valid key with a character more")
        << "api-key="_ba + kValidKey + 'x' << HeaderList() << 401 << "invalid_api_key"_ba
        << qint64(0);
    QTest::addRow("valid key with a character less")
        << "api-key="_ba + kValidKey.chopped(1) << HeaderList() << 401 << "invalid_api_key"_ba
        << qint64(0);
    QTest::addRow("valid key in other case") << "api-key="_ba + kValidKey.toUpper() << HeaderList()
                                             << 401 << "invalid_api_key"_ba << qint64(0);
    QTest::addRow("stored hash is not a key")
        << "api-key="_ba + ApiKeys::hash(kValidKey).toHex() << HeaderList() << 401
        << "invalid_api_key"_ba << qint64(0);
    // The history still shows which (revoked) key was presented.
    QTest::addRow("revoked in query") << "api-key="_ba + kRevokedKey << HeaderList() << 401
                                      << "invalid_api_key"_ba << kRevokedKeyId;
    QTest::addRow("revoked in header")
        << QByteArray() << HeaderList { { "X-Api-Key"_ba, kRevokedKey } } << 401
        << "invalid_api_key"_ba << kRevokedKeyId;
}

void tst_AdmissionRequest::apiKey()
{
    QFETCH(QByteArray, query);
    QFETCH(HeaderList, headers);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    QFETCH(qint64, keyId);

    const AdmissionResult result
        = admitWith(makeWebhook(kOpenId), makeRequest("POST"_ba, openTarget(query), headers));
    QCOMPARE(result.reason, reason);
    QCOMPARE(result.status, status);
    QCOMPARE(result.apiKeyId, keyId);
}

void tst_AdmissionRequest::headerRules_data()
{
    QTest::addColumn<HeaderList>("rules");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<QString>("namedHeader"); // the header the detail must name on mismatch

    const HeaderList source { { "X-Source"_ba, "Crm-S3cret"_ba } };
    QTest::addRow("no rules") << HeaderList() << HeaderList() << "accepted"_ba << QString();
    QTest::addRow("exact match") << source << HeaderList { { "X-Source"_ba, "Crm-S3cret"_ba } }
                                 << "accepted"_ba << QString();
    QTest::addRow("name lowercase in request")
        << source << HeaderList { { "x-source"_ba, "Crm-S3cret"_ba } } << "accepted"_ba
        << QString();
    QTest::addRow("name uppercase in request")
        << source << HeaderList { { "X-SOURCE"_ba, "Crm-S3cret"_ba } } << "accepted"_ba
        << QString();
    QTest::addRow("value in other case")
        << source << HeaderList { { "X-Source"_ba, "crm-s3cret"_ba } } << "header_mismatch"_ba
        << u"X-Source"_s;
    QTest::addRow("value with a suffix")
        << source << HeaderList { { "X-Source"_ba, "Crm-S3cretX"_ba } } << "header_mismatch"_ba
        << u"X-Source"_s;
    QTest::addRow("header missing") << source << HeaderList { { "X-Other"_ba, "Crm-S3cret"_ba } }
                                    << "header_mismatch"_ba << u"X-Source"_s;
    QTest::addRow("wildcard, header present")
        << HeaderList { { "X-Signature"_ba, "*"_ba } }
        << HeaderList { { "x-signature"_ba, "anything"_ba } } << "accepted"_ba << QString();
    QTest::addRow("wildcard, header present and empty")
        << HeaderList { { "X-Signature"_ba, "*"_ba } } << HeaderList { { "X-Signature"_ba, ""_ba } }
        << "accepted"_ba << QString();
    QTest::addRow("wildcard, header missing")
        << HeaderList { { "X-Signature"_ba, "*"_ba } } << HeaderList() << "header_mismatch"_ba
        << u"X-Signature"_s;
    const HeaderList two { { "X-Source"_ba, "Crm-S3cret"_ba }, { "X-Tenant"_ba, "Acme-7"_ba } };
    QTest::addRow("two rules, both hold")
        << two << HeaderList { { "X-Tenant"_ba, "Acme-7"_ba }, { "X-Source"_ba, "Crm-S3cret"_ba } }
        << "accepted"_ba << QString();
    QTest::addRow("two rules, first fails")
        << two << HeaderList { { "X-Tenant"_ba, "Acme-7"_ba }, { "X-Source"_ba, "nope"_ba } }
        << "header_mismatch"_ba << u"X-Source"_s;
    QTest::addRow("two rules, second fails")
        << two << HeaderList { { "X-Tenant"_ba, "Acme-8"_ba }, { "X-Source"_ba, "Crm-S3cret"_ba } }
        << "header_mismatch"_ba << u"X-Tenant"_s;
    QTest::addRow("two rules, second missing")
        << two << HeaderList { { "X-Source"_ba, "Crm-S3cret"_ba } } << "header_mismatch"_ba
        << u"X-Tenant"_s;
    // Every field of the name must hold: a reader further on may take any one of them.
    QTest::addRow("repeated, wrong one first")
        << source << HeaderList { { "X-Source"_ba, "evil"_ba }, { "X-Source"_ba, "Crm-S3cret"_ba } }
        << "header_mismatch"_ba << u"X-Source"_s;
    QTest::addRow("repeated, wrong one last")
        << source << HeaderList { { "x-source"_ba, "Crm-S3cret"_ba }, { "X-SOURCE"_ba, "evil"_ba } }
        << "header_mismatch"_ba << u"X-Source"_s;
    QTest::addRow("repeated, empty one among them")
        << source << HeaderList { { "X-Source"_ba, "Crm-S3cret"_ba }, { "X-Source"_ba, ""_ba } }
        << "header_mismatch"_ba << u"X-Source"_s;
    QTest::addRow("repeated, all hold")
        << source
        << HeaderList { { "X-Source"_ba, "Crm-S3cret"_ba }, { "x-source"_ba, "Crm-S3cret"_ba } }
        << "accepted"_ba << QString();
    QTest::addRow("wildcard, repeated")
        << HeaderList { { "X-Signature"_ba, "*"_ba } }
        << HeaderList { { "X-Signature"_ba, "a"_ba }, { "X-Signature"_ba, "b"_ba } }
        << "accepted"_ba << QString();
}

void tst_AdmissionRequest::headerRules()
{
    QFETCH(HeaderList, rules);
    QFETCH(HeaderList, headers);
    QFETCH(QByteArray, reason);
    QFETCH(QString, namedHeader);

    const AdmissionResult result = admitWith(makeWebhook(kOpenId, { u"POST"_s }, {}, rules),
        makeRequest("POST"_ba, openTarget(), headers));
    QCOMPARE(result.reason, reason);
    if (reason == "accepted") {
        QCOMPARE(result.status, 200);
        return;
    }
    QCOMPARE(result.status, 403);
    QVERIFY2(result.detail.contains(namedHeader, Qt::CaseInsensitive), qPrintable(result.detail));
    // The expected values are the webhook's shared secrets: never echoed, not even to the log.
    for (const auto &[name, expected] : rules) {
        if (expected != "*")
            QVERIFY2(!result.detail.contains(QString::fromUtf8(expected), Qt::CaseInsensitive),
                qPrintable(result.detail));
    }
}

void tst_AdmissionRequest::contentType_data()
{
    QTest::addColumn<QByteArray>("contentType"); // null: no Content-Type header
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");

    const QByteArray json = R"({"order":42,"items":[1,2]})"_ba;
    const QByteArray xml = R"(<?xml version="1.0"?><order id="42"><item/></order>)"_ba;
    QTest::addRow("empty body, no content type")
        << QByteArray() << QByteArray() << 200 << "accepted"_ba;
    QTest::addRow("empty body, text/plain")
        << "text/plain"_ba << QByteArray() << 200 << "accepted"_ba;
    QTest::addRow("empty body, application/json")
        << "application/json"_ba << QByteArray() << 200 << "accepted"_ba;
    QTest::addRow("body without content type")
        << QByteArray() << json << 415 << "unsupported_media_type"_ba;
    QTest::addRow("body with empty content type")
        << ""_ba << json << 415 << "unsupported_media_type"_ba;
    QTest::addRow("text/plain") << "text/plain"_ba << json << 415 << "unsupported_media_type"_ba;
    QTest::addRow("multipart/form-data")
        << "multipart/form-data; boundary=x"_ba << json << 415 << "unsupported_media_type"_ba;
    QTest::addRow("application/octet-stream")
        << "application/octet-stream"_ba << json << 415 << "unsupported_media_type"_ba;
    QTest::addRow("application/jsonp")
        << "application/jsonp"_ba << json << 415 << "unsupported_media_type"_ba;
    QTest::addRow("application/json") << "application/json"_ba << json << 200 << "accepted"_ba;
    QTest::addRow("application/json; charset")
        << "application/json; charset=utf-8"_ba << json << 200 << "accepted"_ba;
    QTest::addRow("Application/JSON") << "Application/JSON"_ba << json << 200 << "accepted"_ba;
    QTest::addRow("application/vnd.api+json")
        << "application/vnd.api+json"_ba << json << 200 << "accepted"_ba;
    QTest::addRow("application/merge-patch+json")
        << "application/merge-patch+json"_ba << json << 200 << "accepted"_ba;
    QTest::addRow("application/xml") << "application/xml"_ba << xml << 200 << "accepted"_ba;
    QTest::addRow("text/xml; charset")
        << "text/xml; charset=\"utf-8\""_ba << xml << 200 << "accepted"_ba;
    QTest::addRow("application/atom+xml")
        << "application/atom+xml"_ba
        << R"(<feed xmlns="http://www.w3.org/2005/Atom"/>)"_ba << 200 << "accepted"_ba;
    QTest::addRow("form") << "application/x-www-form-urlencoded"_ba
                          << "a=1&b=two+words"_ba << 200 << "accepted"_ba;
    QTest::addRow("form; charset") << "application/x-www-form-urlencoded; charset=UTF-8"_ba
                                   << "a=1"_ba << 200 << "accepted"_ba;
    QTest::addRow("truncated JSON") << "application/json"_ba
                                    << R"({"order":42)"_ba << 400 << "invalid_json"_ba;
    QTest::addRow("JSON trailing comma") << "application/json"_ba
                                         << "[1,2,]"_ba << 400 << "invalid_json"_ba;
    QTest::addRow("+json with XML body")
        << "application/vnd.api+json"_ba << xml << 400 << "invalid_json"_ba;
    QTest::addRow("JSON with bad UTF-8") << "application/json"_ba
                                         << "{\"a\":\"\xff\"}"_ba << 400 << "invalid_json"_ba;
    QTest::addRow("unclosed XML") << "application/xml"_ba
                                  << "<order><item/>"_ba << 400 << "invalid_xml"_ba;
    QTest::addRow("text/xml with plain text") << "text/xml"_ba
                                              << "just text"_ba << 400 << "invalid_xml"_ba;
    QTest::addRow("+xml with JSON body")
        << "application/atom+xml"_ba << json << 400 << "invalid_xml"_ba;
    QTest::addRow("mismatched XML tags") << "application/xml"_ba
                                         << "<a><b></a></b>"_ba << 400 << "invalid_xml"_ba;
}

void tst_AdmissionRequest::contentType()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);

    HeaderList headers;
    if (!contentType.isNull())
        headers.append({ "Content-Type"_ba, contentType });
    const AdmissionResult result
        = admitWith(makeWebhook(kOpenId), makeRequest("POST"_ba, openTarget(), headers, body));
    QCOMPARE(result.reason, reason);
    QCOMPARE(result.status, status);
}

void tst_AdmissionRequest::anyContentTypeSkipsTheContentChecks_data()
{
    contentType_data();
}

// With the webhook's option on, every body of the table above is accepted, a declared JSON or
// XML body that does not parse included, and its body is kept to be logged; checks 1-8 still
// decide.
void tst_AdmissionRequest::anyContentTypeSkipsTheContentChecks()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);

    HeaderList headers;
    if (!contentType.isNull())
        headers.append({ "Content-Type"_ba, contentType });
    Webhook webhook = makeWebhook(kOpenId);
    webhook.acceptAnyContentType = true;
    const AdmissionResult result
        = admitWith(webhook, makeRequest("POST"_ba, openTarget(), headers, body));
    QCOMPARE(result.reason, "accepted"_ba);
    QCOMPARE(result.status, 200);
    QVERIFY(result.anyContentType);

    const auto config = ConfigSnapshot::build({ webhook }, testKeys(), 1);
    const AdmissionResult head = admitHead(makeRequest("POST"_ba, openTarget(), headers),
        QHostAddress(u"127.0.0.1"_s), *config, AdmissionOptions());
    QVERIFY(head.accepted());
    QVERIFY(!refusesAnyBody(makeRequest("POST"_ba, openTarget(), headers), head));

    const AdmissionResult withoutKey
        = admitWith(webhook, makeRequest("POST"_ba, openTarget(QByteArray()), headers, body));
    QCOMPARE(withoutKey.reason, "missing_api_key"_ba);
}

void tst_AdmissionRequest::accepted()
{
    const Webhook strict = makeWebhook(
        kOpenId, { u"POST"_s, u"PUT"_s }, { u"10.0.0.0/8"_s }, { { "X-Source"_ba, "crm"_ba } });
    const AdmissionResult result = admitWith(strict,
        makeRequest("PUT"_ba, openTarget(),
            { { "Content-Type"_ba, "application/json"_ba }, { "X-Source"_ba, "crm"_ba } },
            R"({"ok":true})"_ba),
        u"10.20.30.40"_s);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.reason, "accepted"_ba);
    QVERIFY(result.accepted());
    QCOMPARE(result.webhookId, kOpenId);
    QCOMPARE(result.apiKeyId, kValidKeyId);
    QCOMPARE(result.clientAddress, QHostAddress(u"10.20.30.40"_s));
    QVERIFY(result.detail.isEmpty());
    QVERIFY(result.allow.isEmpty());
    QVERIFY(result.forwardedFor.isEmpty());
}

void tst_AdmissionRequest::order_data()
{
    // Each row fails two or more checks; the earliest in ARCHITECTURE §5.2 must decide.
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("peer");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");

    const QString goodPeer = u"10.1.2.3"_s;
    const QString badPeer = u"198.51.100.1"_s;
    const QByteArray goodKey = "api-key="_ba + kValidKey;
    const QByteArray openPath = "/v1/data/webhook/"_ba + kOpenId.toLatin1();
    const QByteArray disabledPath = "/v1/data/webhook/"_ba + kDisabledId.toLatin1();
    const QByteArray unknownPath = "/v1/data/webhook/"_ba + kUnknownId.toLatin1();
    const HeaderList goodHeaders { { "X-Source"_ba, "crm"_ba },
        { "Content-Type"_ba, "application/json"_ba } };
    const HeaderList badHeaders { { "X-Source"_ba, "erp"_ba },
        { "Content-Type"_ba, "text/plain"_ba } };
    const QByteArray badBody = "{"_ba;

    QTest::addRow("route before everything")
        << "GET"_ba
        << "/v1/hooks/x"_ba << badPeer << badHeaders << badBody << 404 << "unknown_route"_ba;
    QTest::addRow("unknown webhook before everything")
        << "GET"_ba << unknownPath << badPeer << badHeaders << badBody << 404
        << "unknown_webhook"_ba;
    QTest::addRow("disabled before IP and method")
        << "GET"_ba << disabledPath << badPeer << badHeaders << badBody << 503
        << "webhook_disabled"_ba;
    QTest::addRow("IP before method")
        << "GET"_ba << openPath << badPeer << badHeaders << badBody << 403 << "ip_not_allowed"_ba;
    QTest::addRow("method before missing key") << "GET"_ba << openPath << goodPeer << badHeaders
                                               << badBody << 405 << "method_not_allowed"_ba;
    QTest::addRow("method before invalid key")
        << "DELETE"_ba << openPath + "?api-key=wrong" << goodPeer << badHeaders << badBody << 405
        << "method_not_allowed"_ba;
    QTest::addRow("missing key before header rules")
        << "POST"_ba << openPath << goodPeer << badHeaders << badBody << 401
        << "missing_api_key"_ba;
    QTest::addRow("invalid key before header rules")
        << "POST"_ba << openPath + "?api-key=wrong" << goodPeer << badHeaders << badBody << 401
        << "invalid_api_key"_ba;
    QTest::addRow("revoked key before header rules")
        << "POST"_ba << openPath + "?api-key=" + kRevokedKey << goodPeer << badHeaders << badBody
        << 401 << "invalid_api_key"_ba;
    QTest::addRow("header rules before content type")
        << "POST"_ba << openPath + '?' + goodKey << goodPeer << badHeaders << badBody << 403
        << "header_mismatch"_ba;
    QTest::addRow("content type before body")
        << "POST"_ba << openPath + '?' + goodKey << goodPeer
        << HeaderList { { "X-Source"_ba, "crm"_ba }, { "Content-Type"_ba, "text/plain"_ba } }
        << badBody << 415 << "unsupported_media_type"_ba;
    QTest::addRow("body checked last") << "POST"_ba << openPath + '?' + goodKey << goodPeer
                                       << goodHeaders << badBody << 400 << "invalid_json"_ba;
    QTest::addRow("all checks pass") << "POST"_ba << openPath + '?' + goodKey << goodPeer
                                     << goodHeaders << "{}"_ba << 200 << "accepted"_ba;
}

void tst_AdmissionRequest::order()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QString, peer);
    QFETCH(HeaderList, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);

    // The disabled webhook admitWith adds is open to all; make it as strict as the open one so
    // the "disabled" row fails every later check too.
    const Webhook strict
        = makeWebhook(kOpenId, { u"POST"_s }, { u"10.0.0.0/8"_s }, { { "X-Source"_ba, "crm"_ba } });
    Webhook strictDisabled = strict;
    strictDisabled.id = kDisabledId;
    strictDisabled.enabled = false;
    const auto config = ConfigSnapshot::build({ strict, strictDisabled }, testKeys(), 1);
    const AdmissionResult result = admit(makeRequest(method, target, headers, body),
        QHostAddress(peer), *config, AdmissionOptions());
    QCOMPARE(result.reason, reason);
    QCOMPARE(result.status, status);
    // A body refused as malformed says where it breaks.
    if (reason == "invalid_json" || reason == "invalid_xml")
        QVERIFY2(result.detail.startsWith(u"line 1, column "_s), qPrintable(result.detail));

    // The receiver runs checks 1-8 when the headers end, before any body byte is in, and 9-10
    // once the body is: the same outcome, and checks 1-8 never depend on the body.
    const AdmissionResult head = admitHead(
        makeRequest(method, target, headers), QHostAddress(peer), *config, AdmissionOptions());
    const bool bodyCheck
        = reason == "unsupported_media_type" || reason == "invalid_json" || reason == "accepted";
    QCOMPARE(head.accepted(), bodyCheck);
    if (!bodyCheck) {
        QCOMPARE(head.reason, reason);
        return;
    }
    const AdmissionResult whole = admitBody(makeRequest(method, target, headers, body), head);
    QCOMPARE(whole.reason, reason);
    QCOMPARE(whole.status, status);
    QCOMPARE(whole.webhookId, result.webhookId);
    QCOMPARE(whole.apiKeyId, result.apiKeyId);
    // A type check 9 refuses needs no body to decide; the receiver keeps only its prefix.
    QCOMPARE(refusesAnyBody(makeRequest(method, target, headers), head),
        reason == "unsupported_media_type");
}

QTEST_GUILESS_MAIN(tst_AdmissionRequest)
#include "tst_admission_request.moc"
