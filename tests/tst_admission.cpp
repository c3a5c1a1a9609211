// Tests for admission (DESIGN §2 checks 1-10 and their order) and the helpers it relies on.
#include "core/model/apikey.h"
#include "core/model/loggedrequest.h"
#include "core/receiver/admission.h"
#include "core/receiver/contentcheck.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QSet>
#include <QStandardPaths>
#include <QTest>
#include <QUrl>

using namespace Hooktrail;
using namespace Qt::StringLiterals;

namespace {

// Ids are fixed so a failing row names the same webhook every run.
const QString kOpenId = u"0b5c9a52-8f4e-4d1a-9c3b-7e6f5d4c3b2a"_s;
const QString kDisabledId = u"6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"_s;
const QString kUnknownId = u"f47ac10b-58cc-4372-a567-0e02b2c3d479"_s;

// '-' and '_' are in the keys so the percent-encoding rows encode something.
const QByteArray kValidKey = "htk_valid-KEY_0123456789abcdefghijklmnopqrstuvw"_ba;
const QByteArray kRevokedKey = "htk_revoked-KEY_0123456789abcdefghijklmnopqrstu"_ba;
constexpr qint64 kValidKeyId = 7;
constexpr qint64 kRevokedKeyId = 9;

QList<ApiKey> testKeys()
{
    ApiKey valid;
    valid.id = kValidKeyId;
    valid.name = u"ci"_s;
    valid.prefix = ApiKeys::prefixOf(QString::fromLatin1(kValidKey));
    valid.hash = ApiKeys::hash(kValidKey);
    ApiKey revoked;
    revoked.id = kRevokedKeyId;
    revoked.name = u"old"_s;
    revoked.prefix = ApiKeys::prefixOf(QString::fromLatin1(kRevokedKey));
    revoked.hash = ApiKeys::hash(kRevokedKey);
    revoked.revoked = true;
    return { valid, revoked };
}

Webhook makeWebhook(const QString &id, const QStringList &methods = { u"POST"_s },
    const QStringList &ips = {}, const HeaderList &rules = {}, bool enabled = true)
{
    Webhook webhook;
    webhook.id = id;
    webhook.name = u"hook "_s + id.left(8);
    webhook.methods = methods;
    webhook.ipWhitelist = ips;
    for (const auto &[name, value] : rules)
        webhook.headerRules.append({ QString::fromLatin1(name), QString::fromUtf8(value) });
    webhook.enabled = enabled;
    return webhook;
}

ParsedRequest makeRequest(const QByteArray &method, const QByteArray &target,
    const HeaderList &headers = {}, const QByteArray &body = {})
{
    ParsedRequest request;
    request.method = method;
    request.target = target;
    const qsizetype question = target.indexOf('?');
    request.path = question < 0 ? target : target.left(question);
    request.query = question < 0 ? QByteArray() : target.mid(question + 1);
    request.headers = headers;
    request.body = body;
    request.bodySize = body.size();
    return request;
}

QByteArray openTarget(const QByteArray &query = "api-key="_ba + kValidKey)
{
    const QByteArray path = "/v1/data/webhook/"_ba + kOpenId.toLatin1();
    return query.isEmpty() ? path : path + '?' + query;
}

QList<IpRange> ranges(const QStringList &entries)
{
    QList<IpRange> out;
    for (const QString &entry : entries) {
        const auto range = IpRange::parse(entry);
        if (!range)
            qFatal("bad range in test data: %s", qPrintable(entry));
        out.append(*range);
    }
    return out;
}

// Admits `request` against a config holding `webhook`, a disabled webhook and the test keys.
AdmissionResult admitWith(const Webhook &webhook, const ParsedRequest &request,
    const QString &peer = u"127.0.0.1"_s, const QStringList &trustedProxies = {})
{
    const auto config = ConfigSnapshot::build(
        { webhook, makeWebhook(kDisabledId, { u"POST"_s }, {}, {}, false) }, testKeys(), 1);
    AdmissionOptions options;
    options.trustedProxies = ranges(trustedProxies);
    return admit(request, QHostAddress(peer), *config, options);
}

} // namespace

class tst_Admission : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

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
    void apiKey_data();
    void apiKey();
    void headerRules_data();
    void headerRules();
    void contentType_data();
    void contentType();
    void accepted();
    void order_data();
    void order();

    // Helpers behind the checks.
    void classify_data();
    void classify();
    void isValidJson_data();
    void isValidJson();
    void deepJsonDoesNotCrash();
    void isWellFormedXml_data();
    void isWellFormedXml();
    void xmlEntityExpansionIsBounded();
    void generateKey();
    void keysAreUnique();
    void hashIsSha256();
    void constantTimeEquals_data();
    void constantTimeEquals();
    void redactQuery_data();
    void redactQuery();
    void redactHeaders();
    void scrubKeys_data();
    void scrubKeys();
    void scrubKeyCutByAKeptPrefix();
};

void tst_Admission::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_Admission::route_data()
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

void tst_Admission::route()
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

void tst_Admission::unknownWebhook()
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

void tst_Admission::disabled()
{
    const AdmissionResult result = admitWith(makeWebhook(kOpenId),
        makeRequest("POST"_ba,
            "/v1/data/webhook/"_ba + kDisabledId.toLatin1() + "?api-key=" + kValidKey,
            { { "Content-Type"_ba, "application/json"_ba } }, "{}"_ba));
    QCOMPARE(result.reason, "webhook_disabled"_ba);
    QCOMPARE(result.status, 503);
    QCOMPARE(result.webhookId, kDisabledId);
}

void tst_Admission::ipWhitelist_data()
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

void tst_Admission::ipWhitelist()
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

void tst_Admission::trustedProxies_data()
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

void tst_Admission::trustedProxies()
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

void tst_Admission::method_data()
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

void tst_Admission::method()
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

void tst_Admission::apiKey_data()
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

void tst_Admission::apiKey()
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

void tst_Admission::headerRules_data()
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

void tst_Admission::headerRules()
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

void tst_Admission::contentType_data()
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

void tst_Admission::contentType()
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

void tst_Admission::accepted()
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

void tst_Admission::order_data()
{
    // Each row fails two or more checks; the earliest in DESIGN §2 must decide.
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

void tst_Admission::order()
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
    QCOMPARE(
        refusesAnyBody(makeRequest(method, target, headers)), reason == "unsupported_media_type");
}

void tst_Admission::classify_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("kind");

    const auto add = [](const char *type, MediaKind kind) {
        QTest::addRow("%s", type) << QByteArray(type) << int(kind);
    };
    add("application/json", MediaKind::Json);
    add("application/json; charset=utf-8", MediaKind::Json);
    add("  application/json  ;charset=utf-8", MediaKind::Json);
    add("APPLICATION/JSON", MediaKind::Json);
    add("application/vnd.api+json", MediaKind::Json);
    add("application/problem+json", MediaKind::Json);
    add("application/xml", MediaKind::Xml);
    add("text/xml", MediaKind::Xml);
    add("text/xml; charset=iso-8859-1", MediaKind::Xml);
    add("application/atom+xml", MediaKind::Xml);
    add("application/soap+xml", MediaKind::Xml);
    add("application/x-www-form-urlencoded", MediaKind::Form);
    add("application/x-www-form-urlencoded;charset=UTF-8", MediaKind::Form);
    add("", MediaKind::Unsupported);
    add("text/plain", MediaKind::Unsupported);
    add("text/json", MediaKind::Unsupported);
    add("application/jsonx", MediaKind::Unsupported);
    add("+json", MediaKind::Unsupported);
    add("application/xhtml", MediaKind::Unsupported);
    add("multipart/form-data; boundary=x", MediaKind::Unsupported);
    add("application/json-seq", MediaKind::Unsupported);
}

void tst_Admission::classify()
{
    QFETCH(QByteArray, contentType);
    QFETCH(int, kind);
    QCOMPARE(int(ContentCheck::classify(contentType)), kind);
}

void tst_Admission::isValidJson_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("valid");

    const auto nested = [](int depth, const char *open, const char *close) {
        return QByteArray(open).repeated(depth) + QByteArray(close).repeated(depth);
    };
    // Valid: every kind of value may stand at top level (RFC 8259).
    QTest::addRow("empty object") << "{}"_ba << true;
    QTest::addRow("empty array") << "[]"_ba << true;
    QTest::addRow("zero") << "0"_ba << true;
    QTest::addRow("negative zero") << "-0"_ba << true;
    QTest::addRow("number with exponent") << "-12.5e+10"_ba << true;
    QTest::addRow("capital exponent") << "1E-3"_ba << true;
    QTest::addRow("string") << "\"text\""_ba << true;
    QTest::addRow("true") << "true"_ba << true;
    QTest::addRow("false") << "false"_ba << true;
    QTest::addRow("null") << "null"_ba << true;
    QTest::addRow("surrounding whitespace") << " \t\r\n{ \"a\" : [ 1 , 2 ] }\n"_ba << true;
    QTest::addRow("nested") << R"({"a":{"b":[null,true,{"c":"d"}]},"e":[]})"_ba << true;
    QTest::addRow("every escape") << R"("\" \\ \/ \b \f \n \r \t \u00e9 \uABCD")"_ba << true;
    QTest::addRow("escaped lone high surrogate") << R"("\uD800")"_ba << true;
    QTest::addRow("escaped lone low surrogate") << R"("\udc00")"_ba << true;
    QTest::addRow("UTF-8 two bytes") << "\"caf\xc3\xa9\""_ba << true;
    QTest::addRow("UTF-8 three bytes") << "\"\xe2\x82\xac\""_ba << true;
    QTest::addRow("UTF-8 four bytes") << "\"\xf0\x9f\x98\x80\""_ba << true;
    QTest::addRow("U+10FFFF") << "\"\xf4\x8f\xbf\xbf\""_ba << true;
    QTest::addRow("nesting 512 arrays") << nested(512, "[", "]") << true;
    QTest::addRow("nesting 512 mixed")
        << QByteArray("{\"a\":[").repeated(256) + QByteArray("]}").repeated(256) << true;
    // Invalid.
    QTest::addRow("empty") << QByteArray() << false;
    QTest::addRow("whitespace only") << " \n"_ba << false;
    QTest::addRow("unclosed object") << "{"_ba << false;
    QTest::addRow("unclosed array") << "[1,2"_ba << false;
    QTest::addRow("unclosed string") << "\"abc"_ba << false;
    QTest::addRow("array trailing comma") << "[1,]"_ba << false;
    QTest::addRow("object trailing comma") << R"({"a":1,})"_ba << false;
    QTest::addRow("leading comma") << "[,1]"_ba << false;
    QTest::addRow("missing colon") << R"({"a" 1})"_ba << false;
    QTest::addRow("unquoted key") << "{a:1}"_ba << false;
    QTest::addRow("single quotes") << "'a'"_ba << false;
    QTest::addRow("two values") << "1 2"_ba << false;
    QTest::addRow("garbage after value") << "{}x"_ba << false;
    QTest::addRow("leading zero") << "01"_ba << false;
    QTest::addRow("bare fraction") << ".5"_ba << false;
    QTest::addRow("dot without digits") << "1."_ba << false;
    QTest::addRow("plus sign") << "+1"_ba << false;
    QTest::addRow("lone minus") << "-"_ba << false;
    QTest::addRow("exponent without digits") << "1e"_ba << false;
    QTest::addRow("NaN") << "NaN"_ba << false;
    QTest::addRow("Infinity") << "Infinity"_ba << false;
    QTest::addRow("truncated literal") << "tru"_ba << false;
    QTest::addRow("capitalised literal") << "True"_ba << false;
    QTest::addRow("comment") << "/* c */ {}"_ba << false;
    QTest::addRow("unknown escape") << R"("\x41")"_ba << false;
    QTest::addRow("short unicode escape") << R"("\u12")"_ba << false;
    QTest::addRow("non-hex unicode escape") << R"("\u12G4")"_ba << false;
    QTest::addRow("raw control character") << "\"a\tb\""_ba << false;
    QTest::addRow("raw newline") << "\"a\nb\""_ba << false;
    QTest::addRow("NUL byte") << QByteArray("\"a\0b\"", 5) << false;
    QTest::addRow("bad UTF-8 byte") << "\"\xff\""_ba << false;
    QTest::addRow("bare continuation byte") << "\"\x80\""_ba << false;
    QTest::addRow("overlong slash") << "\"\xc0\xaf\""_ba << false;
    QTest::addRow("overlong three bytes") << "\"\xe0\x80\xaf\""_ba << false;
    QTest::addRow("UTF-8 encoded surrogate") << "\"\xed\xa0\x80\""_ba << false;
    QTest::addRow("truncated sequence") << "\"\xe2\x82\""_ba << false;
    QTest::addRow("beyond U+10FFFF") << "\"\xf4\x90\x80\x80\""_ba << false;
    QTest::addRow("Latin-1 outside strings") << "[1]\xe9"_ba << false;
    QTest::addRow("nesting 513 arrays") << nested(513, "[", "]") << false;
    QTest::addRow("nesting 513 objects")
        << QByteArray("{\"a\":").repeated(513) + "1" + QByteArray("}").repeated(513) << false;
}

void tst_Admission::isValidJson()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, valid);
    QCOMPARE(ContentCheck::isValidJson(body), valid);
}

void tst_Admission::deepJsonDoesNotCrash()
{
    // A hostile sender's nesting must be refused, not followed down the stack.
    const QByteArray deepArrays = QByteArray(1'000'000, '[') + QByteArray(1'000'000, ']');
    QVERIFY(!ContentCheck::isValidJson(deepArrays));
    const QByteArray deepObjects = QByteArray("{\"a\":").repeated(200'000);
    QVERIFY(!ContentCheck::isValidJson(deepObjects));
}

void tst_Admission::isWellFormedXml_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("wellFormed");

    QTest::addRow("empty element") << "<a/>"_ba << true;
    QTest::addRow("declaration and attributes")
        << R"(<?xml version="1.0" encoding="UTF-8"?><r a="1"><x>t</x></r>)"_ba << true;
    QTest::addRow("namespaces") << R"(<s:Envelope xmlns:s="urn:x"><s:Body/></s:Envelope>)"_ba
                                << true;
    QTest::addRow("CDATA and comment") << "<!-- c --><a><![CDATA[<not markup>]]></a>"_ba << true;
    QTest::addRow("predefined entities") << "<a>&lt;&amp;&gt;&quot;&apos;&#233;</a>"_ba << true;
    QTest::addRow("UTF-8 text") << "<a>caf\xc3\xa9</a>"_ba << true;
    QTest::addRow("empty") << QByteArray() << false;
    QTest::addRow("whitespace only") << "  \n"_ba << false;
    QTest::addRow("declaration only") << R"(<?xml version="1.0"?>)"_ba << false;
    QTest::addRow("plain text") << "hello"_ba << false;
    QTest::addRow("JSON") << R"({"a":1})"_ba << false;
    QTest::addRow("unclosed") << "<a><b/>"_ba << false;
    QTest::addRow("mismatched") << "<a></b>"_ba << false;
    QTest::addRow("crossed") << "<a><b></a></b>"_ba << false;
    QTest::addRow("two roots") << "<a/><b/>"_ba << false;
    QTest::addRow("unquoted attribute") << "<a x=1/>"_ba << false;
    QTest::addRow("duplicate attribute") << R"(<a x="1" x="2"/>)"_ba << false;
    QTest::addRow("bare ampersand") << "<a>fish & chips</a>"_ba << false;
    QTest::addRow("text after root") << "<a/>trailing"_ba << false;
    QTest::addRow("undeclared prefix") << "<x:a/>"_ba << false;
}

void tst_Admission::isWellFormedXml()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, wellFormed);
    QCOMPARE(ContentCheck::isWellFormedXml(body), wellFormed);
}

void tst_Admission::xmlEntityExpansionIsBounded()
{
    // "Billion laughs": a few hundred bytes that expand to gigabytes if entities are followed.
    QByteArray bomb
        = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lollollollollollollollollollol">)"_ba;
    for (int i = 1; i < 10; ++i) {
        const QByteArray previous = "&lol"_ba + QByteArray::number(i - 1) + ';';
        bomb += "<!ENTITY lol"_ba + QByteArray::number(i) + " \"" + previous.repeated(10) + "\">";
    }
    bomb += "]><lolz>&lol9;</lolz>"_ba;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!ContentCheck::isWellFormedXml(bomb));
    QVERIFY2(timer.elapsed() < 5000, "entity expansion was followed");
}

void tst_Admission::generateKey()
{
    const QString key = ApiKeys::generate();
    QVERIFY2(key.startsWith(u"htk_"_s), qPrintable(key));
    // 32 bytes in unpadded base64url are 43 characters.
    QCOMPARE(key.size(), 4 + 43);
    const QString body = key.mid(4);
    const bool urlSafe = std::all_of(body.begin(), body.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'-' || c == u'_';
    });
    QVERIFY2(urlSafe, qPrintable(key));
    const QByteArray raw = QByteArray::fromBase64(
        body.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    QCOMPARE(raw.size(), 32);
    QCOMPARE(ApiKeys::prefixOf(key), key.left(12));
}

void tst_Admission::keysAreUnique()
{
    QSet<QString> seen;
    for (int i = 0; i < 100; ++i)
        seen.insert(ApiKeys::generate());
    QCOMPARE(seen.size(), 100);
}

void tst_Admission::hashIsSha256()
{
    // FIPS 180-2 test vector.
    QCOMPARE(ApiKeys::hash("abc").toHex(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_ba);
    QCOMPARE(
        ApiKeys::hash(kValidKey), QCryptographicHash::hash(kValidKey, QCryptographicHash::Sha256));
    QCOMPARE(ApiKeys::hash(kValidKey).size(), 32);
    QVERIFY(ApiKeys::hash(kValidKey) != ApiKeys::hash(kRevokedKey));
}

void tst_Admission::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");

    const QByteArray hash = ApiKeys::hash(kValidKey);
    QByteArray lastDiffers = hash;
    lastDiffers[lastDiffers.size() - 1] = char(lastDiffers.back() ^ 0x01);
    QByteArray firstDiffers = hash;
    firstDiffers[0] = char(firstDiffers.front() ^ 0x80);
    QTest::addRow("same hash") << hash << QByteArray(hash) << true;
    QTest::addRow("last bit differs") << hash << lastDiffers << false;
    QTest::addRow("first bit differs") << hash << firstDiffers << false;
    QTest::addRow("prefix of the other") << hash << hash.left(31) << false;
    QTest::addRow("longer than the other") << hash << hash + '\0' << false;
    QTest::addRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::addRow("one empty") << hash << QByteArray() << false;
    QTest::addRow("NUL bytes compared")
        << QByteArray(4, '\0') << QByteArray("\0\0\0\1", 4) << false;
}

void tst_Admission::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(ApiKeys::constantTimeEquals(a, b), equal);
    QCOMPARE(ApiKeys::constantTimeEquals(b, a), equal);
}

void tst_Admission::redactQuery_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("redacted");

    QTest::addRow("empty") << QByteArray() << QByteArray();
    QTest::addRow("no key") << "a=1&b=2"_ba
                            << "a=1&b=2"_ba;
    QTest::addRow("only key") << "api-key="_ba + kValidKey << "api-key=***"_ba;
    QTest::addRow("key among others") << "a=1&api-key=htk_x&b=two+words"_ba
                                      << "a=1&api-key=***&b=two+words"_ba;
    QTest::addRow("percent-encoded name") << "api%2Dkey=htk_x&a=1"_ba
                                          << "api%2Dkey=***&a=1"_ba;
    QTest::addRow("lowercase percent-encoding") << "api%2dkey=htk_x"_ba
                                                << "api%2dkey=***"_ba;
    QTest::addRow("percent-encoded value") << "api-key=htk%5Fx"_ba
                                           << "api-key=***"_ba;
    QTest::addRow("repeated key") << "api-key=one&api-key=two"_ba
                                  << "api-key=***&api-key=***"_ba;
    QTest::addRow("empty value") << "api-key=&a=1"_ba
                                 << "api-key=***&a=1"_ba;
    QTest::addRow("similar names kept") << "api-keys=1&xapi-key=2&api_key=3"_ba
                                        << "api-keys=1&xapi-key=2&api_key=3"_ba;
    QTest::addRow("key name as a value kept") << "field=api-key"_ba
                                              << "field=api-key"_ba;
}

void tst_Admission::redactQuery()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, redacted);
    QCOMPARE(Redaction::redactQuery(query), redacted);
}

void tst_Admission::redactHeaders()
{
    const HeaderList headers {
        { "Host"_ba, "127.0.0.1:8080"_ba },
        { "X-Api-Key"_ba, kValidKey },
        { "Content-Type"_ba, "application/json"_ba },
        { "authorization"_ba, "Bearer abc"_ba },
        { "COOKIE"_ba, "session=1"_ba },
        { "x-api-key"_ba, "second"_ba },
        { "Cookie"_ba, "other=2"_ba },
        { "X-Api-Key-Id"_ba, "kept"_ba },
        { "X-Source"_ba, "crm"_ba },
    };
    const HeaderList expected {
        { "Host"_ba, "127.0.0.1:8080"_ba },
        { "X-Api-Key"_ba, "***"_ba },
        { "Content-Type"_ba, "application/json"_ba },
        { "authorization"_ba, "***"_ba },
        { "COOKIE"_ba, "***"_ba },
        { "x-api-key"_ba, "***"_ba },
        { "Cookie"_ba, "***"_ba },
        { "X-Api-Key-Id"_ba, "kept"_ba },
        { "X-Source"_ba, "crm"_ba },
    };
    QCOMPARE(Redaction::redactHeaders(headers), expected);
}

void tst_Admission::scrubKeys_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("scrubbed");
    const QByteArray key = "htk_" + QByteArray(43, 'A').replace(5, 3, "-_9"); // a key's shape

    QTest::addRow("empty") << QByteArray() << QByteArray();
    QTest::addRow("no key") << "{\"a\":\"https://example/htk\"}"_ba
                            << "{\"a\":\"https://example/htk\"}"_ba;
    QTest::addRow("alone") << key << "***"_ba;
    QTest::addRow("in text") << "k=" + key + "&x=1"
                             << "k=***&x=1"_ba;
    QTest::addRow("at the very end") << "Bearer " + key << "Bearer ***"_ba;
    QTest::addRow("two in a row, then more") << key + key + "tail"
                                             << "******tail"_ba;
    QTest::addRow("longer run: the first 47 go") << key + "BBB"
                                                 << "***BBB"_ba;
    QTest::addRow("one short is not a key") << key.chopped(1) << key.chopped(1);
    QTest::addRow("a character off the alphabet")
        << QByteArray(key).replace(20, 1, ".") << QByteArray(key).replace(20, 1, ".");
    QTest::addRow("a false start before a key") << "htk_x " + key << "htk_x ***"_ba;
    QTest::addRow("a prefix inside a key") << "htk_htk_" + key.mid(8) + "A"
                                           << "***A"_ba;
}

void tst_Admission::scrubKeys()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, scrubbed);
    QByteArray out = bytes;
    const char *before = out.constData();
    QCOMPARE(Redaction::scrubKeys(out), bytes != scrubbed);
    QCOMPARE(out, scrubbed);
    if (bytes == scrubbed)
        QCOMPARE(out.constData(), before); // not copied
    QString text = QString::fromLatin1(bytes);
    QCOMPARE(Redaction::scrubKeys(text), bytes != scrubbed);
    QCOMPARE(text, QString::fromLatin1(scrubbed));
}

// A rejected body keeps only a prefix; a key that the cut leaves incomplete is dropped with it,
// whatever is left of it, since a few missing characters are no protection.
void tst_Admission::scrubKeyCutByAKeptPrefix()
{
    const QByteArray key = "htk_" + QByteArray(43, 'Q');
    for (qsizetype kept = 4; kept < Redaction::KeyLength; ++kept) {
        LoggedRequest entry;
        entry.body = "{\"token\":\"" + key.left(kept);
        entry.bodyTruncated = true;
        Redaction::scrubKeys(entry);
        QCOMPARE(entry.body, "{\"token\":\""_ba);
    }
    LoggedRequest whole; // a body that is all there keeps what is not a whole key
    whole.body = "see " + key.left(20);
    Redaction::scrubKeys(whole);
    QCOMPARE(whole.body, "see " + key.left(20));
    LoggedRequest ended; // and a cut body whose end is no key is left alone
    ended.body = key + " and htk_ then more";
    ended.bodyTruncated = true;
    Redaction::scrubKeys(ended);
    QCOMPARE(ended.body, "*** and htk_ then more"_ba);
}

QTEST_GUILESS_MAIN(tst_Admission)
#include "tst_admission.moc"
