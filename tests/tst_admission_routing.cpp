// Tests for admission (ARCHITECTURE §5.2 checks 1-10 and their order): the route, unknown and
// disabled webhooks, the allowed IP addresses behind trusted proxies, and the method.
#include "admissiontest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_AdmissionRouting final : public AdmissionTest
{
    Q_OBJECT

private slots:
    // Checks in contract order.
    void route_data();
    void route();
    void unknownWebhook();
    void disabled();
    void ipWhitelist_data();
    void ipWhitelist();
    void trustedProxies_data();
    void trustedProxies();
    void method_data();
    void method();
};

void tst_AdmissionRouting::route_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");

    const QByteArray id = kOpenId.toLatin1();
    const QByteArray key = "?api-key="_ba + kValidKey;
    QTest::addRow("valid") << "/v1/data/webhook/"_ba + id + key << 200 << "accepted"_ba;
    QTest::addRow("root") << "/"_ba << 404 << "unknown_route"_ba;
    QTest::addRow("wrong prefix") << "/v2/data/webhook/"_ba + id + key << 404 << "unknown_route"_ba;
    QTest::addRow("plural webhooks")
        << "/v1/data/webhooks/"_ba + id + key << 404 << "unknown_route"_ba;
    QTest::addRow("no leading slash")
        << "v1/data/webhook/"_ba + id + key << 404 << "unknown_route"_ba;
    QTest::addRow("prefix only") << "/v1/data/webhook/"_ba + key << 404 << "unknown_route"_ba;
    QTest::addRow("prefix without slash")
        << "/v1/data/webhook"_ba + key << 404 << "unknown_route"_ba;
    QTest::addRow("non-UUID id") << "/v1/data/webhook/orders"_ba + key << 404 << "unknown_route"_ba;
    QTest::addRow("uppercase UUID")
        << "/v1/data/webhook/"_ba + id.toUpper() + key << 404 << "unknown_route"_ba;
    QTest::addRow("braced UUID") << "/v1/data/webhook/{"_ba + id + '}' + key << 404
                                 << "unknown_route"_ba;
    QTest::addRow("trailing slash")
        << "/v1/data/webhook/"_ba + id + '/' + key << 404 << "unknown_route"_ba;
    QTest::addRow("extra segment")
        << "/v1/data/webhook/"_ba + id + "/x" + key << 404 << "unknown_route"_ba;
    QTest::addRow("percent-encoded hyphen")
        << "/v1/data/webhook/0b5c9a52%2D8f4e-4d1a-9c3b-7e6f5d4c3b2a"_ba + key << 404
        << "unknown_route"_ba;
    QTest::addRow("UUID version 1") << "/v1/data/webhook/0b5c9a52-8f4e-1d1a-9c3b-7e6f5d4c3b2a"_ba
            + key << 404 << "unknown_route"_ba;
}

void tst_AdmissionRouting::route()
{
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);

    const AdmissionResult result = admitWith(makeWebhook(kOpenId), makeRequest("POST"_ba, target));
    QCOMPARE(result.reason, reason);
    QCOMPARE(result.status, status);
    if (status == 404)
        QVERIFY(result.webhookId.isEmpty());
}

void tst_AdmissionRouting::unknownWebhook()
{
    const AdmissionResult result = admitWith(makeWebhook(kOpenId),
        makeRequest(
            "POST"_ba, "/v1/data/webhook/"_ba + kUnknownId.toLatin1() + "?api-key=" + kValidKey));
    QCOMPARE(result.reason, "unknown_webhook"_ba);
    QCOMPARE(result.status, 404);
    // The log shows a null webhook for ids that name nothing.
    QVERIFY(result.webhookId.isEmpty());
    QVERIFY(!result.accepted());
}

void tst_AdmissionRouting::disabled()
{
    const AdmissionResult result = admitWith(makeWebhook(kOpenId),
        makeRequest("POST"_ba,
            "/v1/data/webhook/"_ba + kDisabledId.toLatin1() + "?api-key=" + kValidKey,
            { { "Content-Type"_ba, "application/json"_ba } }, "{}"_ba));
    QCOMPARE(result.reason, "webhook_disabled"_ba);
    QCOMPARE(result.status, 503);
    QCOMPARE(result.webhookId, kDisabledId);
}

void tst_AdmissionRouting::ipWhitelist_data()
{
    QTest::addColumn<QStringList>("whitelist");
    QTest::addColumn<QString>("peer");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<QString>("client"); // the address the result reports

    QTest::addRow("empty whitelist allows any")
        << QStringList() << u"198.51.100.9"_s << true << u"198.51.100.9"_s;
    QTest::addRow("IPv4 exact match")
        << QStringList { u"203.0.113.7"_s } << u"203.0.113.7"_s << true << u"203.0.113.7"_s;
    QTest::addRow("IPv4 exact neighbour")
        << QStringList { u"203.0.113.7"_s } << u"203.0.113.8"_s << false << u"203.0.113.8"_s;
    QTest::addRow("/8 first address")
        << QStringList { u"10.0.0.0/8"_s } << u"10.0.0.0"_s << true << u"10.0.0.0"_s;
    QTest::addRow("/8 last address")
        << QStringList { u"10.0.0.0/8"_s } << u"10.255.255.255"_s << true << u"10.255.255.255"_s;
    QTest::addRow("/8 just below")
        << QStringList { u"10.0.0.0/8"_s } << u"9.255.255.255"_s << false << u"9.255.255.255"_s;
    QTest::addRow("/8 just above")
        << QStringList { u"10.0.0.0/8"_s } << u"11.0.0.0"_s << false << u"11.0.0.0"_s;
    QTest::addRow("/24 first address")
        << QStringList { u"192.168.1.0/24"_s } << u"192.168.1.0"_s << true << u"192.168.1.0"_s;
    QTest::addRow("/24 last address")
        << QStringList { u"192.168.1.0/24"_s } << u"192.168.1.255"_s << true << u"192.168.1.255"_s;
    QTest::addRow("/24 just below")
        << QStringList { u"192.168.1.0/24"_s } << u"192.168.0.255"_s << false << u"192.168.0.255"_s;
    QTest::addRow("/24 just above")
        << QStringList { u"192.168.1.0/24"_s } << u"192.168.2.0"_s << false << u"192.168.2.0"_s;
    QTest::addRow("/0 lowest") << QStringList { u"0.0.0.0/0"_s } << u"0.0.0.1"_s << true
                               << u"0.0.0.1"_s;
    QTest::addRow("/0 highest") << QStringList { u"0.0.0.0/0"_s } << u"255.255.255.255"_s << true
                                << u"255.255.255.255"_s;
    QTest::addRow("/0 IPv4 does not cover IPv6")
        << QStringList { u"0.0.0.0/0"_s } << u"2001:db8::1"_s << false << u"2001:db8::1"_s;
    QTest::addRow("/32 match") << QStringList { u"198.51.100.1/32"_s } << u"198.51.100.1"_s << true
                               << u"198.51.100.1"_s;
    QTest::addRow("/32 neighbour")
        << QStringList { u"198.51.100.1/32"_s } << u"198.51.100.0"_s << false << u"198.51.100.0"_s;
    QTest::addRow("second entry matches") << QStringList { u"203.0.113.7"_s, u"10.0.0.0/8"_s }
                                          << u"10.9.8.7"_s << true << u"10.9.8.7"_s;
    QTest::addRow("IPv6 /32 first")
        << QStringList { u"2001:db8::/32"_s } << u"2001:db8::"_s << true << u"2001:db8::"_s;
    QTest::addRow("IPv6 /32 last")
        << QStringList { u"2001:db8::/32"_s } << u"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"_s << true
        << u"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"_s;
    QTest::addRow("IPv6 /32 just below")
        << QStringList { u"2001:db8::/32"_s } << u"2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"_s
        << false << u"2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"_s;
    QTest::addRow("IPv6 /32 just above")
        << QStringList { u"2001:db8::/32"_s } << u"2001:db9::"_s << false << u"2001:db9::"_s;
    QTest::addRow("IPv6 exact loopback")
        << QStringList { u"::1"_s } << u"::1"_s << true << u"::1"_s;
    QTest::addRow("IPv6 exact neighbour")
        << QStringList { u"::1"_s } << u"::2"_s << false << u"::2"_s;
    QTest::addRow("IPv6 /0 covers IPv6")
        << QStringList { u"::/0"_s } << u"2001:db8::1"_s << true << u"2001:db8::1"_s;
    QTest::addRow("mapped peer in IPv4 CIDR")
        << QStringList { u"10.0.0.0/8"_s } << u"::ffff:10.1.2.3"_s << true << u"10.1.2.3"_s;
    QTest::addRow("mapped peer outside IPv4 CIDR")
        << QStringList { u"10.0.0.0/8"_s } << u"::ffff:11.1.2.3"_s << false << u"11.1.2.3"_s;
    QTest::addRow("mapped peer IPv4 exact")
        << QStringList { u"127.0.0.1"_s } << u"::ffff:127.0.0.1"_s << true << u"127.0.0.1"_s;
    QTest::addRow("IPv6 peer vs IPv4 entry")
        << QStringList { u"10.0.0.0/8"_s } << u"2001:db8::a00:1"_s << false << u"2001:db8::a00:1"_s;
    QTest::addRow("IPv4 peer vs IPv6 entry")
        << QStringList { u"2001:db8::/32"_s } << u"10.0.0.1"_s << false << u"10.0.0.1"_s;
    // Validation keeps bad entries out, but a bad entry that got in anyway must fail closed.
    QTest::addRow("only unreadable entries refuse everyone")
        << QStringList { u"10.0.0.0/33"_s } << u"10.1.2.3"_s << false << u"10.1.2.3"_s;
    QTest::addRow("unreadable entry beside a good one")
        << QStringList { u"bogus"_s, u"10.0.0.0/8"_s } << u"10.1.2.3"_s << true << u"10.1.2.3"_s;
    QTest::addRow("scoped link-local peer")
        << QStringList { u"fe80::/10"_s } << u"fe80::1%1"_s << true << u"fe80::1"_s;
}

void tst_AdmissionRouting::ipWhitelist()
{
    QFETCH(QStringList, whitelist);
    QFETCH(QString, peer);
    QFETCH(bool, allowed);
    QFETCH(QString, client);

    QVERIFY(!QHostAddress(peer).isNull());
    const AdmissionResult result = admitWith(
        makeWebhook(kOpenId, { u"POST"_s }, whitelist), makeRequest("POST"_ba, openTarget()), peer);
    QCOMPARE(result.clientAddress, QHostAddress(client));
    if (allowed) {
        QCOMPARE(result.reason, "accepted"_ba);
        QCOMPARE(result.status, 200);
    } else {
        QCOMPARE(result.reason, "ip_not_allowed"_ba);
        QCOMPARE(result.status, 403);
        QCOMPARE(result.webhookId, kOpenId);
        // The history must say which address was refused.
        QVERIFY2(result.detail.contains(client), qPrintable(result.detail));
    }
}

void tst_AdmissionRouting::trustedProxies_data()
{
    QTest::addColumn<QStringList>("trusted");
    QTest::addColumn<QString>("peer");
    QTest::addColumn<QByteArrayList>("xff"); // one entry per X-Forwarded-For header line
    QTest::addColumn<QStringList>("whitelist");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("forwardedFor");
    QTest::addColumn<QByteArray>("reason");

    const QStringList tenNet { u"10.0.0.0/8"_s };
    QTest::addRow("no trusted proxies: XFF ignored")
        << QStringList() << u"127.0.0.1"_s << QByteArrayList { "10.1.2.3"_ba } << tenNet
        << u"127.0.0.1"_s << u"10.1.2.3"_s << "ip_not_allowed"_ba;
    QTest::addRow("peer not trusted: XFF ignored")
        << QStringList { u"192.168.0.0/16"_s } << u"127.0.0.1"_s << QByteArrayList { "10.1.2.3"_ba }
        << tenNet << u"127.0.0.1"_s << u"10.1.2.3"_s << "ip_not_allowed"_ba;
    QTest::addRow("peer trusted: client from XFF")
        << QStringList { u"127.0.0.1"_s } << u"127.0.0.1"_s << QByteArrayList { "10.1.2.3"_ba }
        << tenNet << u"10.1.2.3"_s << u"10.1.2.3"_s << "accepted"_ba;
    QTest::addRow("trusted peer, XFF client outside whitelist")
        << QStringList { u"127.0.0.1"_s } << u"127.0.0.1"_s << QByteArrayList { "203.0.113.5"_ba }
        << tenNet << u"203.0.113.5"_s << u"203.0.113.5"_s << "ip_not_allowed"_ba;
    QTest::addRow("trusted mapped peer") << QStringList { u"127.0.0.1"_s } << u"::ffff:127.0.0.1"_s
                                         << QByteArrayList { "10.1.2.3"_ba } << tenNet
                                         << u"10.1.2.3"_s << u"10.1.2.3"_s << "accepted"_ba;
    QTest::addRow("trusted peer without XFF")
        << QStringList { u"127.0.0.1"_s } << u"127.0.0.1"_s << QByteArrayList() << tenNet
        << u"127.0.0.1"_s << QString() << "ip_not_allowed"_ba;
    QTest::addRow("chain through two trusted hops")
        << QStringList { u"127.0.0.1"_s, u"192.168.0.0/16"_s } << u"127.0.0.1"_s
        << QByteArrayList { "10.1.2.3, 192.168.5.5"_ba } << tenNet << u"10.1.2.3"_s
        << u"10.1.2.3, 192.168.5.5"_s << "accepted"_ba;
    QTest::addRow("chain: spoofed leftmost entry is not the client")
        << QStringList { u"127.0.0.1"_s, u"192.168.0.0/16"_s } << u"127.0.0.1"_s
        << QByteArrayList { "10.6.6.6, 203.0.113.5, 192.168.5.5"_ba } << tenNet << u"203.0.113.5"_s
        << u"10.6.6.6, 203.0.113.5, 192.168.5.5"_s << "ip_not_allowed"_ba;
    QTest::addRow("chain: untrusted hop right of whitelisted one")
        << QStringList { u"127.0.0.1"_s } << u"127.0.0.1"_s
        << QByteArrayList { "10.1.2.3, 203.0.113.5"_ba } << tenNet << u"203.0.113.5"_s
        << u"10.1.2.3, 203.0.113.5"_s << "ip_not_allowed"_ba;
    QTest::addRow("chain split over two header lines")
        << QStringList { u"127.0.0.1"_s, u"192.168.0.0/16"_s } << u"127.0.0.1"_s
        << QByteArrayList { "10.1.2.3"_ba, "192.168.5.5"_ba } << tenNet << u"10.1.2.3"_s
        << u"10.1.2.3, 192.168.5.5"_s << "accepted"_ba;
    QTest::addRow("every hop trusted: leftmost is the client")
        << QStringList { u"127.0.0.1"_s, u"10.0.0.0/8"_s } << u"127.0.0.1"_s
        << QByteArrayList { "10.1.1.1, 10.2.2.2"_ba } << tenNet << u"10.1.1.1"_s
        << u"10.1.1.1, 10.2.2.2"_s << "accepted"_ba;
    QTest::addRow("IPv6 client in XFF")
        << QStringList { u"::1"_s } << u"::1"_s << QByteArrayList { "2001:db8::5"_ba }
        << QStringList { u"2001:db8::/32"_s } << u"2001:db8::5"_s << u"2001:db8::5"_s
        << "accepted"_ba;
    QTest::addRow("IPv4 with a port")
        << QStringList { u"127.0.0.1"_s } << u"127.0.0.1"_s << QByteArrayList { "10.1.2.3:4711"_ba }
        << tenNet << u"10.1.2.3"_s << u"10.1.2.3:4711"_s << "accepted"_ba;
    QTest::addRow("bracketed IPv6 with a port")
        << QStringList { u"::1"_s } << u"::1"_s << QByteArrayList { "[2001:db8::5]:443"_ba }
        << QStringList { u"2001:db8::/32"_s } << u"2001:db8::5"_s << u"[2001:db8::5]:443"_s
        << "accepted"_ba;
    QTest::addRow("bracketed IPv6 without a port")
        << QStringList { u"::1"_s } << u"::1"_s << QByteArrayList { "[2001:db8::5]"_ba }
        << QStringList { u"2001:db8::/32"_s } << u"2001:db8::5"_s << u"[2001:db8::5]"_s
        << "accepted"_ba;
    // The whitelist covers the proxy: a hop taken for the proxy itself would pass.
    const QStringList proxyListed { u"127.0.0.1"_s };
    QTest::addRow("IP:port outside a whitelist that lists the proxy")
        << QStringList { u"127.0.0.1"_s } << u"127.0.0.1"_s
        << QByteArrayList { "203.0.113.7:4711"_ba } << proxyListed << u"203.0.113.7"_s
        << u"203.0.113.7:4711"_s << "ip_not_allowed"_ba;
    QTest::addRow("[IPv6]:port outside a whitelist that lists the proxy")
        << QStringList { u"127.0.0.1"_s } << u"127.0.0.1"_s
        << QByteArrayList { "[2001:db8::1]:443"_ba } << proxyListed << u"2001:db8::1"_s
        << u"[2001:db8::1]:443"_s << "ip_not_allowed"_ba;
    for (const QByteArray &hop :
        { "unknown"_ba, "10.1.2.3:"_ba, "10.1.2.3:123456"_ba, "10.1.2.3:44x"_ba, "[2001:db8::1"_ba,
            "[2001:db8::1]443"_ba, "[10.1.2.3]:80"_ba, "2001:db8::1:443:"_ba, "10.1.2.3,"_ba }) {
        QTest::addRow("unparseable hop '%s' is refused", hop.constData())
            << QStringList { u"127.0.0.1"_s } << u"127.0.0.1"_s << QByteArrayList { hop }
            << proxyListed << u"127.0.0.1"_s << QString::fromLatin1(hop) << "bad_request"_ba;
    }
    QTest::addRow("unparseable hop behind the client is not looked at")
        << QStringList { u"127.0.0.1"_s } << u"127.0.0.1"_s
        << QByteArrayList { "unknown, 10.1.2.3:80"_ba } << tenNet << u"10.1.2.3"_s
        << u"unknown, 10.1.2.3:80"_s << "accepted"_ba;
    QTest::addRow("unparseable XFF from an untrusted peer is ignored")
        << QStringList { u"192.168.0.0/16"_s } << u"127.0.0.1"_s << QByteArrayList { "unknown"_ba }
        << proxyListed << u"127.0.0.1"_s << u"unknown"_s << "accepted"_ba;
}

void tst_AdmissionRouting::trustedProxies()
{
    QFETCH(QStringList, trusted);
    QFETCH(QString, peer);
    QFETCH(QByteArrayList, xff);
    QFETCH(QStringList, whitelist);
    QFETCH(QString, client);
    QFETCH(QString, forwardedFor);
    QFETCH(QByteArray, reason);

    HeaderList headers;
    for (const QByteArray &value : xff)
        headers.append({ "X-Forwarded-For"_ba, value });
    const AdmissionResult result = admitWith(makeWebhook(kOpenId, { u"POST"_s }, whitelist),
        makeRequest("POST"_ba, openTarget(), headers), peer, trusted);
    QCOMPARE(result.clientAddress, QHostAddress(client));
    QCOMPARE(result.forwardedFor, forwardedFor);
    QCOMPARE(result.reason, reason);
    if (reason == "bad_request")
        QCOMPARE(result.status, 400);
}

void tst_AdmissionRouting::method_data()
{
    QTest::addColumn<QStringList>("allowed");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow");

    const QStringList all { u"POST"_s, u"PUT"_s, u"PATCH"_s, u"GET"_s, u"DELETE"_s };
    QTest::addRow("POST allowed by default")
        << QStringList { u"POST"_s } << "POST"_ba << 200 << QByteArray();
    QTest::addRow("GET refused by default")
        << QStringList { u"POST"_s } << "GET"_ba << 405 << "POST"_ba;
    QTest::addRow("PUT refused, two allowed")
        << QStringList { u"POST"_s, u"PATCH"_s } << "PUT"_ba << 405 << "POST, PATCH"_ba;
    QTest::addRow("method is case-sensitive")
        << QStringList { u"POST"_s } << "post"_ba << 405 << "POST"_ba;
    QTest::addRow("HEAD never allowed")
        << all << "HEAD"_ba << 405 << "POST, PUT, PATCH, GET, DELETE"_ba;
    QTest::addRow("OPTIONS never allowed")
        << all << "OPTIONS"_ba << 405 << "POST, PUT, PATCH, GET, DELETE"_ba;
    for (const QString &method : all)
        QTest::addRow("%s allowed when listed", qPrintable(method))
            << all << method.toLatin1() << 200 << QByteArray();
    QTest::addRow("DELETE only") << QStringList { u"DELETE"_s } << "DELETE"_ba << 200
                                 << QByteArray();
    QTest::addRow("DELETE only refuses POST")
        << QStringList { u"DELETE"_s } << "POST"_ba << 405 << "DELETE"_ba;
}

void tst_AdmissionRouting::method()
{
    QFETCH(QStringList, allowed);
    QFETCH(QByteArray, method);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);

    const AdmissionResult result
        = admitWith(makeWebhook(kOpenId, allowed), makeRequest(method, openTarget()));
    QCOMPARE(result.status, status);
    QCOMPARE(result.reason, status == 200 ? "accepted"_ba : "method_not_allowed"_ba);
    QCOMPARE(result.allow, allow);
}

QTEST_GUILESS_MAIN(tst_AdmissionRouting)
#include "tst_admission_routing.moc"
