// Tests for the webhook value type (ARCHITECTURE §5.1): validation, IP ranges, settings JSON and
// ids.
#include "core/model/iprange.h"
#include "core/model/webhook.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

using namespace Hooktrail;
using namespace Qt::StringLiterals;

using NameValueList = QList<QPair<QString, QString>>;

namespace {

Webhook validWebhook()
{
    Webhook webhook;
    webhook.name = u"Orders"_s;
    webhook.description = u"Orders from the shop"_s;
    webhook.methods = { u"POST"_s };
    return webhook;
}

QString describe(const QList<FieldProblem> &problems)
{
    QStringList lines;
    for (const FieldProblem &problem : problems)
        lines.append(problem.field + u": "_s + problem.message);
    return lines.join(u"; "_s);
}

QStringList fieldsOf(const QList<FieldProblem> &problems)
{
    QStringList fields;
    for (const FieldProblem &problem : problems)
        fields.append(problem.field);
    fields.sort();
    return fields;
}

QJsonObject parseObject(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("bad JSON in test data: %s", text.constData());
    return document.object();
}

} // namespace

class tst_Webhook : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void validate_data();
    void validate();
    void validateReportsEveryProblem();
    void validateDoesNotChangeTheWebhook();
    void isHttpToken_data();
    void isHttpToken();

    void parseRange_data();
    void parseRange();
    void rangeContains_data();
    void rangeContains();
    void unmapped_data();
    void unmapped();

    void toJsonKeys();
    void toJsonWithIdentity();
    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void fromJsonDefaults();
    void fromJsonProblems_data();
    void fromJsonProblems();

    void newIdIsLowercaseUuidV4();
    void isUuidV4_data();
    void isUuidV4();
};

void tst_Webhook::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_Webhook::validate_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("description");
    QTest::addColumn<QStringList>("methods");
    QTest::addColumn<NameValueList>("headers");
    QTest::addColumn<QStringList>("ips");
    QTest::addColumn<QStringList>("fields"); // one per expected problem, sorted
    QTest::addColumn<QString>("mentioning"); // text every problem's message must contain, if set

    const Webhook base = validWebhook();
    const auto rowWith
        = [](const char *tag, const QString &name, const QString &description,
              const QStringList &methods, const NameValueList &headers, const QStringList &ips,
              const QStringList &fields, const QString &mentioning = {}) {
              QTest::newRow(tag) << name << description << methods << headers << ips << fields
                                 << mentioning;
          };
    const QString okName = base.name;
    const QString okDescription = base.description;
    const QStringList post { u"POST"_s };
    const QStringList noProblems;

    rowWith("valid", okName, okDescription, post, {}, {}, noProblems);
    // name
    rowWith("name empty", QString(), okDescription, post, {}, {}, { u"name"_s });
    rowWith("name blank", u"   \t"_s, okDescription, post, {}, {}, { u"name"_s });
    rowWith("name one char", u"x"_s, okDescription, post, {}, {}, noProblems);
    rowWith("name 100 chars", QString(100, u'n'), okDescription, post, {}, {}, noProblems);
    rowWith(
        "name 101 chars", QString(101, u'n'), okDescription, post, {}, {}, { u"name"_s }, u"101"_s);
    rowWith("name 100 chars with spaces around", u"  "_s + QString(100, u'n') + u"  "_s,
        okDescription, post, {}, {}, noProblems);
    rowWith(
        "name non-ASCII", u"Commandes \u00e9t\u00e9"_s, okDescription, post, {}, {}, noProblems);
    // description
    rowWith("description empty", okName, QString(), post, {}, {}, noProblems);
    rowWith("description 2000 chars", okName, QString(2000, u'd'), post, {}, {}, noProblems);
    rowWith("description 2001 chars", okName, QString(2001, u'd'), post, {}, {},
        { u"description"_s }, u"2001"_s);
    // methods
    rowWith("methods empty", okName, okDescription, {}, {}, {}, { u"methodsWhitelist"_s });
    rowWith("all five methods", okName, okDescription,
        { u"POST"_s, u"PUT"_s, u"PATCH"_s, u"GET"_s, u"DELETE"_s }, {}, {}, noProblems);
    rowWith("unknown method", okName, okDescription, { u"POST"_s, u"FETCH"_s }, {}, {},
        { u"methodsWhitelist"_s }, u"FETCH"_s);
    rowWith("HEAD is not offered", okName, okDescription, { u"HEAD"_s }, {}, {},
        { u"methodsWhitelist"_s }, u"HEAD"_s);
    rowWith("lowercase method", okName, okDescription, { u"post"_s }, {}, {},
        { u"methodsWhitelist"_s }, u"post"_s);
    rowWith("duplicate method", okName, okDescription, { u"POST"_s, u"GET"_s, u"POST"_s }, {}, {},
        { u"methodsWhitelist"_s }, u"POST"_s);
    rowWith("two unknown methods", okName, okDescription, { u"FOO"_s, u"BAR"_s }, {}, {},
        { u"methodsWhitelist"_s, u"methodsWhitelist"_s });
    // headers
    rowWith("header rule valid", okName, okDescription, post, { { u"X-Source"_s, u"crm"_s } }, {},
        noProblems);
    rowWith("header rule wildcard", okName, okDescription, post, { { u"X-Signature"_s, u"*"_s } },
        {}, noProblems);
    rowWith("header name with every token symbol", okName, okDescription, post,
        { { u"X!#$%&'*+-.^_`|~9"_s, u"v"_s } }, {}, noProblems);
    rowWith("header name with space", okName, okDescription, post, { { u"X Source"_s, u"crm"_s } },
        {}, { u"headersWhitelist"_s }, u"X Source"_s);
    rowWith("header name with colon", okName, okDescription, post, { { u"X-Source:"_s, u"crm"_s } },
        {}, { u"headersWhitelist"_s }, u"X-Source:"_s);
    rowWith("header name with separator", okName, okDescription, post,
        { { u"X(Source)"_s, u"crm"_s } }, {}, { u"headersWhitelist"_s }, u"X(Source)"_s);
    rowWith("header name non-ASCII", okName, okDescription, post,
        { { u"X-\u00c9t\u00e9"_s, u"crm"_s } }, {}, { u"headersWhitelist"_s });
    rowWith("header name empty", okName, okDescription, post, { { QString(), u"crm"_s } }, {},
        { u"headersWhitelist"_s });
    rowWith("header names duplicate, other case", okName, okDescription, post,
        { { u"X-Source"_s, u"crm"_s }, { u"x-SOURCE"_s, u"erp"_s } }, {}, { u"headersWhitelist"_s },
        u"x-SOURCE"_s);
    rowWith("header value empty", okName, okDescription, post, { { u"X-Source"_s, QString() } }, {},
        { u"headersWhitelist"_s }, u"X-Source"_s);
    rowWith("header value with newline", okName, okDescription, post,
        { { u"X-Source"_s, u"a\r\nX-Evil: 1"_s } }, {}, { u"headersWhitelist"_s }, u"X-Source"_s);
    rowWith("header value with spaces around", okName, okDescription, post,
        { { u"X-Source"_s, u" crm "_s } }, {}, { u"headersWhitelist"_s }, u"X-Source"_s);
    rowWith("header bad name and empty value", okName, okDescription, post,
        { { u"X Source"_s, QString() } }, {}, { u"headersWhitelist"_s, u"headersWhitelist"_s });
    // IP whitelist: invalid entries
    for (const QString &bad :
        { u"10.0.0.0/33"_s, u"300.1.1.1"_s, u"10.1"_s, u"abc"_s, u"2001:db8::/129"_s,
            u"010.0.0.1"_s, u"10.0.0.0/"_s, u"10.0.0.0/-1"_s, u"10.0.0.0/8/8"_s, u"1.2.3.4.5"_s,
            u"0x0a.0.0.1"_s, u"fe80::1%eth0"_s, u"::1/abc"_s, QString() }) {
        rowWith(qPrintable(u"IP invalid '"_s + bad + u'\''), okName, okDescription, post, {},
            { bad }, { u"ipAddressWhitelist"_s }, bad);
    }
    // IP whitelist: valid entries
    for (const QString &good :
        { u"203.0.113.7"_s, u"10.0.0.0/8"_s, u"2001:db8::/32"_s, u"::1"_s, u"0.0.0.0/0"_s,
            u"::/0"_s, u"192.168.1.1/32"_s, u"2001:db8::1/128"_s, u"::ffff:10.0.0.1"_s }) {
        rowWith(qPrintable(u"IP valid '"_s + good + u'\''), okName, okDescription, post, {},
            { good }, noProblems);
    }
    rowWith("IP list with two bad entries among good", okName, okDescription, post, {},
        { u"10.0.0.0/8"_s, u"abc"_s, u"::1"_s, u"10.1"_s },
        { u"ipAddressWhitelist"_s, u"ipAddressWhitelist"_s });
}

void tst_Webhook::validate()
{
    QFETCH(QString, name);
    QFETCH(QString, description);
    QFETCH(QStringList, methods);
    QFETCH(NameValueList, headers);
    QFETCH(QStringList, ips);
    QFETCH(QStringList, fields);
    QFETCH(QString, mentioning);

    Webhook webhook;
    webhook.name = name;
    webhook.description = description;
    webhook.methods = methods;
    for (const auto &[headerName, value] : headers)
        webhook.headerRules.append({ headerName, value });
    webhook.ipWhitelist = ips;

    const QList<FieldProblem> problems = validateWebhook(webhook);
    QCOMPARE(fieldsOf(problems), fields);
    for (const FieldProblem &problem : problems) {
        QVERIFY2(!problem.message.isEmpty(), qPrintable(describe(problems)));
        if (!mentioning.isEmpty())
            QVERIFY2(problem.message.contains(mentioning), qPrintable(describe(problems)));
    }
}

void tst_Webhook::validateReportsEveryProblem()
{
    Webhook webhook;
    webhook.name = QString(101, u'n');
    webhook.description = QString(2001, u'd');
    webhook.methods = { u"FETCH"_s, u"GET"_s, u"GET"_s };
    webhook.headerRules = { { u"X Bad"_s, u"v"_s }, { u"X-Ok"_s, u"v"_s }, { u"x-ok"_s, u"w"_s },
        { u"X-Empty"_s, QString() } };
    webhook.ipWhitelist = { u"10.0.0.0/33"_s, u"300.1.1.1"_s, u"10.0.0.0/8"_s };

    const QList<FieldProblem> problems = validateWebhook(webhook);
    QCOMPARE(fieldsOf(problems),
        QStringList({ u"description"_s, u"headersWhitelist"_s, u"headersWhitelist"_s,
            u"headersWhitelist"_s, u"ipAddressWhitelist"_s, u"ipAddressWhitelist"_s,
            u"methodsWhitelist"_s, u"methodsWhitelist"_s, u"name"_s }));
    // An empty webhook has exactly two problems: no name and no method.
    Webhook empty;
    empty.methods.clear();
    QCOMPARE(fieldsOf(validateWebhook(empty)), QStringList({ u"methodsWhitelist"_s, u"name"_s }));
}

void tst_Webhook::validateDoesNotChangeTheWebhook()
{
    // Trimming decides validity; the store, not validation, stores the trimmed name.
    Webhook webhook = validWebhook();
    webhook.name = u"  Orders  "_s;
    QVERIFY(validateWebhook(webhook).isEmpty());
    QCOMPARE(webhook.name, u"  Orders  "_s);
}

void tst_Webhook::isHttpToken_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("token");

    QTest::addRow("simple") << u"X-Source"_s << true;
    QTest::addRow("digits") << u"X-1"_s << true;
    QTest::addRow("symbols") << u"!#$%&'*+-.^_`|~"_s << true;
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("space") << u"X Source"_s << false;
    QTest::addRow("colon") << u"X:1"_s << false;
    QTest::addRow("quote") << u"X\"1"_s << false;
    QTest::addRow("slash") << u"X/1"_s << false;
    QTest::addRow("brackets") << u"X[1]"_s << false;
    QTest::addRow("tab") << u"X\t1"_s << false;
    QTest::addRow("non-ASCII letter") << u"\u00e9"_s << false;
}

void tst_Webhook::isHttpToken()
{
    QFETCH(QString, text);
    QFETCH(bool, token);
    QCOMPARE(Hooktrail::isHttpToken(text), token);
}

void tst_Webhook::parseRange_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("normalized"); // toString() when valid

    QTest::addRow("IPv4") << u"203.0.113.7"_s << true << u"203.0.113.7"_s;
    QTest::addRow("IPv4 /8") << u"10.0.0.0/8"_s << true << u"10.0.0.0/8"_s;
    QTest::addRow("IPv4 /0") << u"0.0.0.0/0"_s << true << u"0.0.0.0/0"_s;
    QTest::addRow("IPv4 /32") << u"10.1.2.3/32"_s << true << u"10.1.2.3/32"_s;
    QTest::addRow("IPv4 zero") << u"0.0.0.0"_s << true << u"0.0.0.0"_s;
    QTest::addRow("IPv4 broadcast") << u"255.255.255.255"_s << true << u"255.255.255.255"_s;
    QTest::addRow("IPv6 /32") << u"2001:db8::/32"_s << true << u"2001:db8::/32"_s;
    QTest::addRow("IPv6 /128") << u"2001:db8::1/128"_s << true << u"2001:db8::1/128"_s;
    QTest::addRow("IPv6 /0") << u"::/0"_s << true << u"::/0"_s;
    QTest::addRow("IPv6 loopback") << u"::1"_s << true << u"::1"_s;
    QTest::addRow("IPv6 full form") << u"2001:0db8:0000:0000:0000:0000:0000:0001"_s << true
                                    << u"2001:0db8:0000:0000:0000:0000:0000:0001"_s;
    QTest::addRow("surrounding spaces trimmed") << u"  10.0.0.0/8 "_s << true << u"10.0.0.0/8"_s;
    QTest::addRow("empty") << QString() << false << QString();
    QTest::addRow("blank") << u"   "_s << false << QString();
    QTest::addRow("prefix 33") << u"10.0.0.0/33"_s << false << QString();
    QTest::addRow("octet 300") << u"300.1.1.1"_s << false << QString();
    QTest::addRow("octet 256") << u"1.2.3.256"_s << false << QString();
    QTest::addRow("two parts") << u"10.1"_s << false << QString();
    QTest::addRow("three parts") << u"10.1.2"_s << false << QString();
    QTest::addRow("five parts") << u"1.2.3.4.5"_s << false << QString();
    QTest::addRow("word") << u"abc"_s << false << QString();
    QTest::addRow("host name") << u"localhost"_s << false << QString();
    QTest::addRow("IPv6 prefix 129") << u"2001:db8::/129"_s << false << QString();
    QTest::addRow("leading zero octet") << u"010.0.0.1"_s << false << QString();
    QTest::addRow("hex octet") << u"0x0a.0.0.1"_s << false << QString();
    QTest::addRow("signed octet") << u"+1.2.3.4"_s << false << QString();
    QTest::addRow("empty octet") << u"1..2.3"_s << false << QString();
    QTest::addRow("trailing dot") << u"1.2.3.4."_s << false << QString();
    QTest::addRow("empty prefix") << u"10.0.0.0/"_s << false << QString();
    QTest::addRow("negative prefix") << u"10.0.0.0/-1"_s << false << QString();
    QTest::addRow("signed prefix") << u"10.0.0.0/+8"_s << false << QString();
    QTest::addRow("two prefixes") << u"10.0.0.0/8/8"_s << false << QString();
    QTest::addRow("space before prefix") << u"10.0.0.0 /8"_s << false << QString();
    QTest::addRow("space in prefix") << u"10.0.0.0/ 8"_s << false << QString();
    QTest::addRow("prefix only") << u"/8"_s << false << QString();
    QTest::addRow("IPv6 with scope") << u"fe80::1%eth0"_s << false << QString();
    QTest::addRow("IPv6 bad group") << u"2001:db8::g"_s << false << QString();
    QTest::addRow("IPv6 two double colons") << u"1::2::3"_s << false << QString();
    // Found by fuzz_iprange: Qt's parsers stop at a NUL, so this was read as another address.
    QTest::addRow("NUL inside") << (u"2.30"_s + QChar(0) + u".113.7"_s) << false << QString();
    QTest::addRow("NUL after") << (u"10.0.0.1"_s + QChar(0)) << false << QString();
    QTest::addRow("NUL in prefix") << (u"10.0.0.0/8"_s + QChar(0)) << false << QString();
    QTest::addRow("Arabic-Indic digit") << u"\u0663.1.1.1"_s << false << QString();
    QTest::addRow("IPv4-mapped") << u"::ffff:10.0.0.1"_s << true << u"::ffff:10.0.0.1"_s;
}

void tst_Webhook::parseRange()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, normalized);

    const Result<IpRange> range = IpRange::parse(text);
    QCOMPARE(range.ok(), valid);
    if (valid)
        QCOMPARE(range->toString(), normalized);
    else
        QVERIFY(!range.error().isEmpty()); // the form shows this message: it must say something
}

void tst_Webhook::rangeContains_data()
{
    QTest::addColumn<QString>("range");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("contained");

    QTest::addRow("exact") << u"203.0.113.7"_s << u"203.0.113.7"_s << true;
    QTest::addRow("exact, other") << u"203.0.113.7"_s << u"203.0.113.6"_s << false;
    QTest::addRow("/8 first") << u"10.0.0.0/8"_s << u"10.0.0.0"_s << true;
    QTest::addRow("/8 last") << u"10.0.0.0/8"_s << u"10.255.255.255"_s << true;
    QTest::addRow("/8 below") << u"10.0.0.0/8"_s << u"9.255.255.255"_s << false;
    QTest::addRow("/8 above") << u"10.0.0.0/8"_s << u"11.0.0.0"_s << false;
    QTest::addRow("/31 pair") << u"192.0.2.4/31"_s << u"192.0.2.5"_s << true;
    QTest::addRow("/31 outside") << u"192.0.2.4/31"_s << u"192.0.2.6"_s << false;
    QTest::addRow("host bits set in network") << u"10.1.2.3/8"_s << u"10.200.0.1"_s << true;
    QTest::addRow("/0 any IPv4") << u"0.0.0.0/0"_s << u"1.2.3.4"_s << true;
    QTest::addRow("/0 not IPv6") << u"0.0.0.0/0"_s << u"::1"_s << false;
    QTest::addRow("mapped in IPv4 range") << u"10.0.0.0/8"_s << u"::ffff:10.1.2.3"_s << true;
    QTest::addRow("mapped outside IPv4 range") << u"10.0.0.0/8"_s << u"::ffff:11.1.2.3"_s << false;
    QTest::addRow("IPv6 in /32") << u"2001:db8::/32"_s << u"2001:db8:1234::1"_s << true;
    QTest::addRow("IPv6 /32 last")
        << u"2001:db8::/32"_s << u"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"_s << true;
    QTest::addRow("IPv6 outside /32") << u"2001:db8::/32"_s << u"2001:db9::"_s << false;
    QTest::addRow("IPv6 /0 any IPv6") << u"::/0"_s << u"2001:db8::1"_s << true;
    QTest::addRow("IPv6 /0 not plain IPv4") << u"::/0"_s << u"10.0.0.1"_s << false;
    QTest::addRow("IPv6 range vs IPv4") << u"2001:db8::/32"_s << u"32.1.13.184"_s << false;
    QTest::addRow("IPv4 range vs IPv6") << u"10.0.0.0/8"_s << u"2001:db8::a00:1"_s << false;
    QTest::addRow("loopback") << u"::1"_s << u"::1"_s << true;
    // Found by fuzz_iprange: a mapped entry was accepted but matched no client at all.
    QTest::addRow("mapped entry, IPv4 client") << u"::ffff:10.0.0.1"_s << u"10.0.0.1"_s << true;
    QTest::addRow("mapped entry, mapped client")
        << u"::ffff:10.0.0.1"_s << u"::ffff:10.0.0.1"_s << true;
    QTest::addRow("mapped entry, other client") << u"::ffff:10.0.0.1"_s << u"10.0.0.2"_s << false;
    QTest::addRow("mapped /104") << u"::ffff:10.0.0.0/104"_s << u"10.200.0.1"_s << true;
    QTest::addRow("mapped /104 outside") << u"::ffff:10.0.0.0/104"_s << u"11.0.0.1"_s << false;
    QTest::addRow("mapped /96 any IPv4") << u"::ffff:0.0.0.0/96"_s << u"192.0.2.1"_s << true;
    QTest::addRow("null address") << u"10.0.0.0/8"_s << QString() << false;
}

void tst_Webhook::rangeContains()
{
    QFETCH(QString, range);
    QFETCH(QString, address);
    QFETCH(bool, contained);

    const Result<IpRange> parsed = IpRange::parse(range);
    QVERIFY(parsed);
    QCOMPARE(parsed->contains(QHostAddress(address)), contained);
}

void tst_Webhook::unmapped_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("plain");

    QTest::addRow("mapped IPv4") << u"::ffff:10.1.2.3"_s << u"10.1.2.3"_s;
    QTest::addRow("plain IPv4") << u"10.1.2.3"_s << u"10.1.2.3"_s;
    QTest::addRow("IPv6") << u"2001:db8::1"_s << u"2001:db8::1"_s;
    QTest::addRow("scoped IPv6") << u"fe80::1%1"_s << u"fe80::1"_s;
}

void tst_Webhook::unmapped()
{
    QFETCH(QString, address);
    QFETCH(QString, plain);

    const QHostAddress result = Hooktrail::unmapped(QHostAddress(address));
    QCOMPARE(result.toString(), plain);
    QCOMPARE(result.protocol(), QHostAddress(plain).protocol());
}

void tst_Webhook::toJsonKeys()
{
    Webhook webhook = validWebhook();
    webhook.id = Webhook::newId();
    webhook.methods = { u"POST"_s, u"PUT"_s };
    webhook.headerRules = { { u"X-Name"_s, u"value"_s }, { u"X-Signature"_s, u"*"_s } };
    webhook.ipWhitelist = { u"203.0.113.7"_s, u"10.0.0.0/8"_s };
    webhook.enabled = false;
    webhook.created = webhook.updated = QDateTime::currentDateTimeUtc();

    const QJsonObject json = webhook.toJson();
    QStringList keys = json.keys();
    keys.sort();
    QCOMPARE(keys,
        QStringList({ u"description"_s, u"enabled"_s, u"headersWhitelist"_s,
            u"ipAddressWhitelist"_s, u"methodsWhitelist"_s, u"name"_s }));
    QCOMPARE(json.value(u"name"_s), QJsonValue(u"Orders"_s));
    QCOMPARE(json.value(u"description"_s), QJsonValue(u"Orders from the shop"_s));
    QCOMPARE(json.value(u"methodsWhitelist"_s), QJsonValue(QJsonArray { u"POST"_s, u"PUT"_s }));
    QCOMPARE(json.value(u"headersWhitelist"_s),
        QJsonValue(QJsonObject { { u"X-Name"_s, u"value"_s }, { u"X-Signature"_s, u"*"_s } }));
    QCOMPARE(json.value(u"ipAddressWhitelist"_s),
        QJsonValue(QJsonArray { u"203.0.113.7"_s, u"10.0.0.0/8"_s }));
    QCOMPARE(json.value(u"enabled"_s), QJsonValue(false));

    // A new webhook exports empty lists and objects, never nulls.
    const QJsonObject defaults = Webhook().toJson();
    QVERIFY(defaults.value(u"headersWhitelist"_s).isObject());
    QVERIFY(defaults.value(u"ipAddressWhitelist"_s).isArray());
    QCOMPARE(defaults.value(u"methodsWhitelist"_s), QJsonValue(QJsonArray { u"POST"_s }));
    QCOMPARE(defaults.value(u"enabled"_s), QJsonValue(true));
    QVERIFY(defaults.value(u"description"_s).isString());
}

void tst_Webhook::toJsonWithIdentity()
{
    Webhook webhook = validWebhook();
    webhook.id = Webhook::newId();
    webhook.created = QDateTime(QDate(2024, 3, 1), QTime(12, 30, 15, 250), Qt::UTC);
    webhook.updated = QDateTime(QDate(2024, 3, 2), QTime(8, 0), Qt::UTC);

    const QJsonObject json = webhook.toJson(true);
    // The settings, the identity, and the content option and the authentication whatever their
    // value: what `webhook show` prints says them either way.
    QCOMPARE(json.size(), 11);
    QCOMPARE(json.value(u"acceptAnyContentType"_s), QJsonValue(false));
    QCOMPARE(json.value(u"authentication"_s), QJsonValue(u"key"_s));
    QCOMPARE(json.value(u"id"_s).toString(), webhook.id);
    QCOMPARE(json.value(u"created"_s).toString(), u"2024-03-01T12:30:15.250Z"_s);
    QCOMPARE(json.value(u"updated"_s).toString(), u"2024-03-02T08:00:00.000Z"_s);

    // Importing an exported webhook with identity is not an error.
    QList<FieldProblem> problems;
    webhookFromJson(json, &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));
}

void tst_Webhook::jsonRoundTrip_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("description");
    QTest::addColumn<QStringList>("methods");
    QTest::addColumn<NameValueList>("headers");
    QTest::addColumn<QStringList>("ips");
    QTest::addColumn<bool>("enabled");

    QTest::addRow("defaults") << u"Orders"_s << QString() << QStringList { u"POST"_s }
                              << NameValueList() << QStringList() << true;
    QTest::addRow("everything set")
        << u"Commandes \u00e9t\u00e9 \U0001F600"_s << u"Line one\nline \"two\""_s
        << QStringList { u"GET"_s, u"POST"_s, u"DELETE"_s }
        << NameValueList { { u"X-Name"_s, u"value"_s }, { u"X-Signature"_s, u"*"_s } }
        << QStringList { u"203.0.113.7"_s, u"10.0.0.0/8"_s, u"2001:db8::/32"_s } << false;
    QTest::addRow("one header, one address")
        << u"n"_s << u"d"_s << QStringList { u"PATCH"_s }
        << NameValueList { { u"Authorization"_s, u"Bearer A b"_s } } << QStringList { u"::1"_s }
        << true;
}

void tst_Webhook::jsonRoundTrip()
{
    QFETCH(QString, name);
    QFETCH(QString, description);
    QFETCH(QStringList, methods);
    QFETCH(NameValueList, headers);
    QFETCH(QStringList, ips);
    QFETCH(bool, enabled);

    Webhook original;
    original.name = name;
    original.description = description;
    original.methods = methods;
    for (const auto &[headerName, value] : headers)
        original.headerRules.append({ headerName, value });
    original.ipWhitelist = ips;
    original.enabled = enabled;

    // Through text, as an export file would go.
    const QByteArray text = QJsonDocument(original.toJson()).toJson();
    QList<FieldProblem> problems;
    const Webhook copy = webhookFromJson(parseObject(text), &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));
    QCOMPARE(copy.name, original.name);
    QCOMPARE(copy.description, original.description);
    QCOMPARE(copy.methods, original.methods);
    // A JSON object has no order; compare the rules as sets.
    QCOMPARE(copy.headerRules.size(), original.headerRules.size());
    for (const HeaderRule &rule : original.headerRules)
        QVERIFY2(copy.headerRules.contains(rule), qPrintable(rule.name));
    QCOMPARE(copy.ipWhitelist, original.ipWhitelist);
    QCOMPARE(copy.enabled, original.enabled);
    QCOMPARE(copy.toJson(), original.toJson());
}

void tst_Webhook::fromJsonDefaults()
{
    QList<FieldProblem> problems;
    const Webhook webhook = webhookFromJson(parseObject(R"({"name":"Orders"})"_ba), &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));
    QCOMPARE(webhook.name, u"Orders"_s);
    QCOMPARE(webhook.methods, QStringList { u"POST"_s });
    QVERIFY(webhook.enabled);
    QVERIFY(webhook.headerRules.isEmpty());
    QVERIFY(webhook.ipWhitelist.isEmpty());
    QVERIFY(webhook.description.isEmpty());

    // Senders' docs often spell methods in lowercase; the import normalises them.
    const Webhook lower = webhookFromJson(
        parseObject(R"({"name":"x","methodsWhitelist":["post","Put"]})"_ba), &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));
    QCOMPARE(lower.methods, QStringList({ u"POST"_s, u"PUT"_s }));

    // Shape problems can be ignored by passing no list.
    const Webhook lenient = webhookFromJson(parseObject(R"({"name":5,"bogus":1})"_ba), nullptr);
    QVERIFY(lenient.name.isEmpty());
}

void tst_Webhook::fromJsonProblems_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("fields"); // sorted

    QTest::addRow("name not a string") << R"({"name":5})"_ba << QStringList { u"name"_s };
    QTest::addRow("name null") << R"({"name":null})"_ba << QStringList { u"name"_s };
    QTest::addRow("description not a string")
        << R"({"name":"x","description":["a"]})"_ba << QStringList { u"description"_s };
    QTest::addRow("methods not a list")
        << R"({"name":"x","methodsWhitelist":"POST"})"_ba << QStringList { u"methodsWhitelist"_s };
    QTest::addRow("methods hold a number") << R"({"name":"x","methodsWhitelist":["POST",1]})"_ba
                                           << QStringList { u"methodsWhitelist"_s };
    QTest::addRow("headers as a list") << R"({"name":"x","headersWhitelist":[["X-A","b"]]})"_ba
                                       << QStringList { u"headersWhitelist"_s };
    QTest::addRow("header value not a string") << R"({"name":"x","headersWhitelist":{"X-A":1}})"_ba
                                               << QStringList { u"headersWhitelist"_s };
    QTest::addRow("IPs as a string") << R"({"name":"x","ipAddressWhitelist":"10.0.0.0/8"})"_ba
                                     << QStringList { u"ipAddressWhitelist"_s };
    QTest::addRow("IPs hold an object") << R"({"name":"x","ipAddressWhitelist":[{}]})"_ba
                                        << QStringList { u"ipAddressWhitelist"_s };
    QTest::addRow("enabled as a string")
        << R"({"name":"x","enabled":"yes"})"_ba << QStringList { u"enabled"_s };
    QTest::addRow("enabled as a number")
        << R"({"name":"x","enabled":1})"_ba << QStringList { u"enabled"_s };
    QTest::addRow("unknown key") << R"({"name":"x","colour":"blue"})"_ba
                                 << QStringList { u"colour"_s };
    QTest::addRow("misspelt key") << R"({"name":"x","methodWhitelist":["POST"]})"_ba
                                  << QStringList { u"methodWhitelist"_s };
    QTest::addRow("everything wrong at once")
        << R"({"name":1,"description":2,"methodsWhitelist":3,"headersWhitelist":4,"ipAddressWhitelist":5,"enabled":6,"extra":7})"_ba
        << QStringList { u"description"_s, u"enabled"_s, u"extra"_s, u"headersWhitelist"_s,
               u"ipAddressWhitelist"_s, u"methodsWhitelist"_s, u"name"_s };
}

void tst_Webhook::fromJsonProblems()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, fields);

    QList<FieldProblem> problems;
    webhookFromJson(parseObject(json), &problems);
    QCOMPARE(fieldsOf(problems), fields);
    for (const FieldProblem &problem : problems)
        QVERIFY2(!problem.message.isEmpty(), qPrintable(describe(problems)));
}

void tst_Webhook::newIdIsLowercaseUuidV4()
{
    QSet<QString> seen;
    for (int i = 0; i < 100; ++i) {
        const QString id = Webhook::newId();
        QVERIFY2(Hooktrail::isUuidV4(id), qPrintable(id));
        QCOMPARE(id, id.toLower());
        QCOMPARE(id.size(), 36);
        seen.insert(id);
    }
    QCOMPARE(seen.size(), 100);
}

void tst_Webhook::isUuidV4_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("uuid");

    QTest::addRow("v4 variant 8") << u"0b5c9a52-8f4e-4d1a-8c3b-7e6f5d4c3b2a"_s << true;
    QTest::addRow("v4 variant 9") << u"0b5c9a52-8f4e-4d1a-9c3b-7e6f5d4c3b2a"_s << true;
    QTest::addRow("v4 variant a") << u"0b5c9a52-8f4e-4d1a-ac3b-7e6f5d4c3b2a"_s << true;
    QTest::addRow("v4 variant b") << u"0b5c9a52-8f4e-4d1a-bc3b-7e6f5d4c3b2a"_s << true;
    QTest::addRow("uppercase") << u"0B5C9A52-8F4E-4D1A-9C3B-7E6F5D4C3B2A"_s << false;
    QTest::addRow("braces") << u"{0b5c9a52-8f4e-4d1a-9c3b-7e6f5d4c3b2a}"_s << false;
    QTest::addRow("version 1") << u"0b5c9a52-8f4e-1d1a-9c3b-7e6f5d4c3b2a"_s << false;
    QTest::addRow("variant c") << u"0b5c9a52-8f4e-4d1a-cc3b-7e6f5d4c3b2a"_s << false;
    QTest::addRow("variant 7") << u"0b5c9a52-8f4e-4d1a-7c3b-7e6f5d4c3b2a"_s << false;
    QTest::addRow("nil") << u"00000000-0000-0000-0000-000000000000"_s << false;
    QTest::addRow("no hyphens") << u"0b5c9a528f4e4d1a9c3b7e6f5d4c3b2a"_s << false;
    QTest::addRow("hyphen moved") << u"0b5c9a5-28f4e-4d1a-9c3b-7e6f5d4c3b2a"_s << false;
    QTest::addRow("one short") << u"0b5c9a52-8f4e-4d1a-9c3b-7e6f5d4c3b2"_s << false;
    QTest::addRow("one long") << u"0b5c9a52-8f4e-4d1a-9c3b-7e6f5d4c3b2aa"_s << false;
    QTest::addRow("non-hex") << u"0b5c9a52-8f4e-4d1a-9c3b-7e6f5d4c3b2z"_s << false;
    QTest::addRow("empty") << QString() << false;
}

void tst_Webhook::isUuidV4()
{
    QFETCH(QString, text);
    QFETCH(bool, uuid);
    QCOMPARE(Hooktrail::isUuidV4(text), uuid);
}

QTEST_GUILESS_MAIN(tst_Webhook)
#include "tst_webhook.moc"
