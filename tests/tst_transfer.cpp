// Webhook settings import and export: the ARCHITECTURE §5.1 JSON keys, every problem named by
// position, and what an import plans to do with each webhook of a file.
#include "core/history/webhooktransfer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QtTest>

using namespace Hooktrail;

namespace {
Webhook sample(const QString &name)
{
    Webhook webhook;
    webhook.id = Webhook::newId();
    webhook.name = name;
    webhook.description = QStringLiteral("Orders from the shop — café ☕");
    webhook.methods = { QStringLiteral("POST"), QStringLiteral("PUT") };
    webhook.headerRules = { { QStringLiteral("X-Shop"), QStringLiteral("acme") },
        { QStringLiteral("X-Signature"), QStringLiteral("*") } };
    webhook.ipWhitelist = { QStringLiteral("203.0.113.7"), QStringLiteral("2001:db8::/32") };
    webhook.enabled = false;
    webhook.created = QDateTime::currentDateTimeUtc();
    webhook.updated = webhook.created;
    return webhook;
}

// Header rules come back in the JSON object's key order, so compare them as sets.
bool sameRules(QList<HeaderRule> a, QList<HeaderRule> b)
{
    const auto byName = [](const HeaderRule &x, const HeaderRule &y) { return x.name < y.name; };
    std::sort(a.begin(), a.end(), byName);
    std::sort(b.begin(), b.end(), byName);
    return a == b;
}
} // namespace

class TestTransfer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void roundTrip()
    {
        QList<Webhook> original { sample(QStringLiteral("Shop orders")),
            sample(QStringLiteral("Café payments")) };
        original[1].acceptAnyContentType = true;
        const WebhookTransfer::Parsed parsed
            = WebhookTransfer::parse(WebhookTransfer::exportJson(original));
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.join(u'\n')));
        QCOMPARE(parsed.webhooks.size(), original.size());
        for (int i = 0; i < original.size(); ++i) {
            const Webhook &in = original.at(i);
            const Webhook &out = parsed.webhooks.at(i);
            QCOMPARE(out.name, in.name);
            QCOMPARE(out.description, in.description);
            QCOMPARE(out.methods, in.methods);
            QVERIFY(sameRules(out.headerRules, in.headerRules));
            QCOMPARE(out.ipWhitelist, in.ipWhitelist);
            QCOMPARE(out.enabled, in.enabled);
            QCOMPARE(out.acceptAnyContentType, in.acceptAnyContentType);
            // The id travels, so an import can keep each endpoint URL; timestamps do not.
            QCOMPARE(out.id, in.id);
            QVERIFY(!out.created.isValid());
        }
    }

    void exportHasTheDesignKeysAndTheId()
    {
        const QByteArray json
            = WebhookTransfer::exportJson({ sample(QStringLiteral("Shop orders")) });
        QVERIFY(json.contains('\n')); // indented, for people reading and diffing it
        QVERIFY(json.contains("café ☕")); // UTF-8, not \u escapes
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(json, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(document.isArray());
        QCOMPARE(document.array().size(), 1);
        const QJsonObject object = document.array().first().toObject();
        QStringList keys = object.keys();
        keys.sort();
        QStringList expected { QStringLiteral("name"), QStringLiteral("description"),
            QStringLiteral("methodsWhitelist"), QStringLiteral("headersWhitelist"),
            QStringLiteral("ipAddressWhitelist"), QStringLiteral("enabled"), QStringLiteral("id") };
        expected.sort();
        QCOMPARE(keys, expected);
        QVERIFY(isUuidV4(object.value(QStringLiteral("id")).toString()));
        const QJsonObject headers = object.value(QStringLiteral("headersWhitelist")).toObject();
        QCOMPARE(headers.value(QStringLiteral("X-Shop")).toString(), QStringLiteral("acme"));
        QCOMPARE(headers.value(QStringLiteral("X-Signature")).toString(), QStringLiteral("*"));
        QCOMPARE(object.value(QStringLiteral("enabled")), QJsonValue(false));
    }

    // The option is a seventh key, written only when it is on: a webhook with the contract's
    // checks exports the six keys files have always had, and a file without the key (any file
    // written before the option) imports with the checks on.
    void acceptAnyContentTypeTravelsOnlyWhenOn()
    {
        Webhook any = sample(QStringLiteral("Any body"));
        any.acceptAnyContentType = true;
        const QJsonArray exported = QJsonDocument::fromJson(
            WebhookTransfer::exportJson({ sample(QStringLiteral("Checked")), any }))
                                        .array();
        QCOMPARE(exported.size(), 2);
        QVERIFY(!exported.at(0).toObject().contains(QStringLiteral("acceptAnyContentType")));
        QCOMPARE(exported.at(1).toObject().value(QStringLiteral("acceptAnyContentType")),
            QJsonValue(true));
        QCOMPARE(exported.at(1).toObject().size(), 8); // and the id

        const auto parsed = WebhookTransfer::parse(
            R"([{"name": "Old file", "methodsWhitelist": ["POST"], "headersWhitelist": {},
                 "ipAddressWhitelist": [], "enabled": true, "description": ""},
                {"name": "Said off", "acceptAnyContentType": false},
                {"name": "Said on", "acceptAnyContentType": true}])");
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.join(u'\n')));
        QCOMPARE(parsed.webhooks.size(), 3);
        QVERIFY(!parsed.webhooks.at(0).acceptAnyContentType);
        QVERIFY(!parsed.webhooks.at(1).acceptAnyContentType);
        QVERIFY(parsed.webhooks.at(2).acceptAnyContentType);
    }

    void emptyExportIsAnEmptyArray()
    {
        const QByteArray json = WebhookTransfer::exportJson({});
        QCOMPARE(QJsonDocument::fromJson(json).array().size(), 0);
        QVERIFY(QJsonDocument::fromJson(json).isArray());
        const auto parsed = WebhookTransfer::parse(json);
        QVERIFY(parsed.webhooks.isEmpty());
        QVERIFY(parsed.problems.isEmpty());
    }

    void singleObjectAccepted()
    {
        const auto parsed
            = WebhookTransfer::parse(R"({"name": "Solo", "methodsWhitelist": ["patch"]})");
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.join(u'\n')));
        QCOMPARE(parsed.webhooks.size(), 1);
        QCOMPARE(parsed.webhooks.first().name, QStringLiteral("Solo"));
        QCOMPARE(parsed.webhooks.first().methods, QStringList { QStringLiteral("PATCH") });
        // Keys left out take the defaults of a new webhook.
        QVERIFY(parsed.webhooks.first().enabled);
        QVERIFY(parsed.webhooks.first().headerRules.isEmpty());
    }

    void badJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("offset");
        // Offsets as Qt reports them: where it gave up, one past the offending character.
        QTest::addRow("truncated") << QByteArray(R"([{"name": "A"})") << 14;
        QTest::addRow("trailing comma") << QByteArray(R"({"name": "A",})") << 14;
        QTest::addRow("not json") << QByteArray("name=A") << 1;
        QTest::addRow("top-level string") << QByteArray(R"("webhook")") << 1;
    }

    void badJson()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, offset);
        const auto parsed = WebhookTransfer::parse(json);
        QVERIFY(parsed.webhooks.isEmpty());
        QCOMPARE(parsed.problems.size(), 1);
        QJsonParseError error;
        QJsonDocument::fromJson(json, &error);
        QCOMPARE(error.offset, offset); // the expectation itself, so a drift in Qt shows here
        QVERIFY2(parsed.problems.first().contains(QStringLiteral("offset %1").arg(offset)),
            qPrintable(parsed.problems.first()));
    }

    void wrongTypes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("expected"); // each must start one problem

        QTest::addRow("array of numbers")
            << QByteArray(R"([1, {"name": "Ok"}])")
            << QStringList { QStringLiteral("webhook 1: must be an object") };
        QTest::addRow("name number")
            << QByteArray(R"([{"name": 5}])")
            << QStringList { QStringLiteral("webhook 1: name: 'name' must be a string"),
                   QStringLiteral("webhook 1: name: Name is required") };
        QTest::addRow("methods string")
            << QByteArray(R"([{"name": "A", "methodsWhitelist": "POST"}])")
            << QStringList { QStringLiteral(
                                 "webhook 1: methodsWhitelist: 'methodsWhitelist' must be a list"),
                   QStringLiteral("webhook 1: methodsWhitelist: Choose at least one") };
        QTest::addRow("headers array")
            << QByteArray(R"([{"name": "A", "headersWhitelist": ["X-A"]}])")
            << QStringList { QStringLiteral(
                   "webhook 1: headersWhitelist: 'headersWhitelist' must be an object") };
        QTest::addRow("header value number")
            << QByteArray(R"([{"name": "A", "headersWhitelist": {"X-A": 1}}])")
            << QStringList {
                   QStringLiteral(
                       "webhook 1: headersWhitelist: The value for header 'X-A' must be a string"),
                   QStringLiteral("webhook 1: headersWhitelist: Header 'X-A' needs a value")
               };
        QTest::addRow("enabled string")
            << QByteArray(R"([{"name": "A", "enabled": "yes"}])")
            << QStringList { QStringLiteral(
                   "webhook 1: enabled: 'enabled' must be true or false") };
        QTest::addRow("acceptAnyContentType string")
            << QByteArray(R"([{"name": "A", "acceptAnyContentType": "yes"}])")
            << QStringList { QStringLiteral("webhook 1: acceptAnyContentType: "
                                            "'acceptAnyContentType' must be true or false") };
        QTest::addRow("id not a uuid")
            << QByteArray(R"([{"name": "A", "id": "orders"}])")
            << QStringList { QStringLiteral("webhook 1: id: 'id' must be a webhook id") };
        QTest::addRow("id uppercase")
            << QByteArray(R"([{"name": "A", "id": "0F8FAD5B-D9CB-469F-A165-70867728950E"}])")
            << QStringList { QStringLiteral("webhook 1: id: 'id' must be a webhook id") };
        QTest::addRow("id number")
            << QByteArray(R"([{"name": "A", "id": 7}])")
            << QStringList { QStringLiteral("webhook 1: id: 'id' must be a webhook id") };
        QTest::addRow("id twice") << QByteArray(
            R"([{"name": "A", "id": "0f8fad5b-d9cb-469f-a165-70867728950e"},
                             {"name": "B", "id": "0f8fad5b-d9cb-469f-a165-70867728950e"}])")
                                  << QStringList { QStringLiteral(
                                         "webhook 2: id: '0f8fad5b-d9cb-469f-a165-70867728950e' "
                                         "is also the id of webhook 1.") };
        QTest::addRow("unknown key")
            << QByteArray(R"([{"name": "A", "secret": 1}])")
            << QStringList { QStringLiteral("webhook 1: secret: Unknown key 'secret'") };
    }

    void wrongTypes()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, expected);
        const auto parsed = WebhookTransfer::parse(json);
        QCOMPARE(parsed.problems.size(), expected.size());
        for (int i = 0; i < expected.size(); ++i)
            QVERIFY2(parsed.problems.at(i).startsWith(expected.at(i)),
                qPrintable(
                    parsed.problems.at(i) + QStringLiteral(" / expected: ") + expected.at(i)));
    }

    void invalidFieldsListedWithPositions()
    {
        const QByteArray json = R"([
            {"name": "Good one"},
            {"name": "", "methodsWhitelist": ["POST", "TRACE"], "ipAddressWhitelist": ["10.0.0.0/33"]},
            {"name": "GOOD ONE", "headersWhitelist": {"Bad Header": "x"}},
            {"name": "Also good", "description": "fine"}
        ])";
        const auto parsed = WebhookTransfer::parse(json);
        const QStringList expected {
            QStringLiteral("webhook 2: name: Name is required."),
            QStringLiteral("webhook 2: methodsWhitelist: 'TRACE' is not an allowed method"),
            QStringLiteral(
                "webhook 2: ipAddressWhitelist: '10.0.0.0/33': prefix length must be 0 to 32"),
            QStringLiteral("webhook 3: headersWhitelist: 'Bad Header' is not a valid header name"),
            QStringLiteral("webhook 3: name: 'GOOD ONE' is also the name of webhook 1."),
        };
        QCOMPARE(parsed.problems.size(), expected.size());
        for (int i = 0; i < expected.size(); ++i)
            QVERIFY2(parsed.problems.at(i).startsWith(expected.at(i)),
                qPrintable(
                    parsed.problems.at(i) + QStringLiteral(" / expected: ") + expected.at(i)));
        // The valid ones are still there, so a caller can say what would be imported.
        QCOMPARE(parsed.webhooks.size(), 2);
        QCOMPARE(parsed.webhooks.at(0).name, QStringLiteral("Good one"));
        QCOMPARE(parsed.webhooks.at(1).name, QStringLiteral("Also good"));
        // Every item has its entry, valid or not, for the preview's lines.
        QCOMPARE(parsed.entries.size(), 4);
        QCOMPARE(parsed.entries.at(1).position, 2);
        QCOMPARE(parsed.entries.at(1).problems.size(), 3);
        QVERIFY(parsed.entries.at(1).name.isEmpty());
        QCOMPARE(parsed.entries.at(2).name, QStringLiteral("GOOD ONE"));
        QVERIFY(parsed.entries.at(3).problems.isEmpty());
    }

    // A file written before ids travelled imports as it always did, every webhook with a new id.
    void oldFileWithoutIds()
    {
        const auto parsed = WebhookTransfer::parse(
            R"([{"name": "Old", "methodsWhitelist": ["POST"], "headersWhitelist": {},
                 "ipAddressWhitelist": [], "enabled": true, "description": ""}])");
        QVERIFY2(parsed.problems.isEmpty(), qPrintable(parsed.problems.join(u'\n')));
        QVERIFY(!parsed.hasIds());
        const QList<WebhookTransfer::Step> steps = WebhookTransfer::plan(parsed, {}, true);
        QCOMPARE(steps.size(), 1);
        QCOMPARE(steps.first().action, WebhookTransfer::Step::Action::Add);
        QVERIFY(!steps.first().keepsId);
        QVERIFY(steps.first().webhook.id.isEmpty()); // the store gives it one
    }

    // What each entry of a file comes to against the stored webhooks, ids kept or not.
    void plan_data()
    {
        QTest::addColumn<bool>("keepIds");
        QTest::addColumn<QStringList>("expected"); // per entry: add / rename:NAME / skip:REASON
        QTest::addColumn<QList<bool>>("keptIds");

        // Stored: "Orders" (id A) and "Leads" (id L). The file: Orders (A), Leads renamed
        // since (other id), Invoices (new id I), an invalid one.
        QTest::addRow("keeping ids")
            << true
            << QStringList { QStringLiteral("skip:already here"),
                   QStringLiteral("rename:Leads (imported)"), QStringLiteral("add"),
                   QStringLiteral("skip:name: Name is required.") }
            << QList<bool> { false, true, true, false };
        QTest::addRow("new ids") << false
                                 << QStringList { QStringLiteral("rename:Orders (imported)"),
                                        QStringLiteral("rename:Leads (imported)"),
                                        QStringLiteral("add"),
                                        QStringLiteral("skip:name: Name is required.") }
                                 << QList<bool> { false, false, false, false };
    }

    void plan()
    {
        QFETCH(bool, keepIds);
        QFETCH(QStringList, expected);
        QFETCH(QList<bool>, keptIds);
        const QString a = QStringLiteral("aaaaaaaa-0000-4000-8000-000000000001");
        const QString l = QStringLiteral("11111111-0000-4000-8000-000000000002");
        const QString other = QStringLiteral("22222222-0000-4000-8000-000000000003");
        const QString i = QStringLiteral("33333333-0000-4000-8000-000000000004");
        QList<Webhook> stored { sample(QStringLiteral("Orders")), sample(QStringLiteral("leads")) };
        stored[0].id = a;
        stored[1].id = l;
        const QByteArray json = QStringLiteral(R"([{"name": "Orders", "id": "%1"},
            {"name": "Leads", "id": "%2"}, {"name": "Invoices", "id": "%3"},
            {"name": " ", "id": "%4"}])")
                                    .arg(a, other, i, Webhook::newId())
                                    .toUtf8();
        const auto parsed = WebhookTransfer::parse(json);
        QVERIFY(parsed.hasIds());
        const QList<WebhookTransfer::Step> steps = WebhookTransfer::plan(parsed, stored, keepIds);
        QCOMPARE(steps.size(), expected.size());
        for (int n = 0; n < steps.size(); ++n) {
            const WebhookTransfer::Step &step = steps.at(n);
            const QString got = step.action == WebhookTransfer::Step::Action::Skip
                ? QStringLiteral("skip:") + step.reason
                : step.renamed ? QStringLiteral("rename:") + step.webhook.name
                               : QStringLiteral("add");
            QCOMPARE(got, expected.at(n));
            QCOMPARE(step.keepsId, keptIds.at(n));
            if (step.action == WebhookTransfer::Step::Action::Add)
                QCOMPARE(step.webhook.id, step.keepsId ? step.entry.id : QString());
        }
    }

    // Renaming looks at the names planned so far too, and keeps within 100 characters.
    void renamesDoNotClash()
    {
        QList<Webhook> stored { sample(QStringLiteral("A")), sample(QStringLiteral("B")) };
        stored[1].name = QStringLiteral("A (imported)");
        const auto parsed = WebhookTransfer::parse(R"([{"name": "A"}])");
        const QList<WebhookTransfer::Step> steps = WebhookTransfer::plan(parsed, stored, false);
        QCOMPARE(steps.first().webhook.name, QStringLiteral("A (imported 2)"));
        QCOMPARE(WebhookTransfer::importedName(QString(100, u'x'), 1).size(), 100);
        QVERIFY(WebhookTransfer::importedName(QString(100, u'x'), 3)
                    .endsWith(QStringLiteral(" (imported 3)")));
    }
};

QTEST_GUILESS_MAIN(TestTransfer)
#include "tst_transfer.moc"
