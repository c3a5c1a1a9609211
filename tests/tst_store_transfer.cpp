// Importing webhook settings into a real store, on SQLite and, as tst_StoreTransferPostgres, on
// PostgreSQL: ids kept or new, what is already here skipped, later webhooks unaffected.
#include "core/history/webhooktransfer.h"
#include "storetest.h"
#include "testsupport.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_StoreTransfer : public StoreTest
{
    Q_OBJECT
public:
    explicit tst_StoreTransfer(bool postgres = false) : StoreTest(u"store_transfer"_s, postgres) { }

private slots:
    void exportDeleteImportKeepsIds();
    void importWithoutKeepingIdsMakesNewOnes();
    void reimportKeepingIdsSkipsWhatIsHere();
    void keptIdMustBeFreeAndValid();

private:
    // Two webhooks with every kind of rule, the second disabled; returns them as stored.
    QList<Webhook> addTwo();
};

class tst_StoreTransferPostgres final : public tst_StoreTransfer
{
    Q_OBJECT
public:
    tst_StoreTransferPostgres() : tst_StoreTransfer(true) { }
};

QList<Webhook> tst_StoreTransfer::addTwo()
{
    Webhook orders = newWebhook(u"Orders"_s);
    orders.methods = { u"POST"_s, u"PUT"_s };
    orders.headerRules = { { u"X-Shop"_s, u"main"_s } };
    orders.ipWhitelist = { u"10.0.0.0/8"_s };
    Webhook paused = newWebhook(u"Paused"_s);
    paused.enabled = false;
    const Result<Webhook> first = m_store->config().addWebhook(orders);
    const Result<Webhook> second = m_store->config().addWebhook(paused);
    if (!first || !second)
        return {};
    return { *first, *second };
}

// The restore case: export, delete everything, import keeping ids. Same ids (so the same
// endpoint URLs), same settings; and a webhook added afterwards gets an id of its own.
void tst_StoreTransfer::exportDeleteImportKeepsIds()
{
    const QList<Webhook> original = addTwo();
    QCOMPARE(original.size(), 2);
    const QByteArray file = WebhookTransfer::exportJson(*m_store->config().webhooks());
    for (const Webhook &webhook : original)
        VERIFY_OK(m_store->config().removeWebhook(webhook.id));
    QVERIFY(m_store->config().webhooks()->isEmpty());

    const Result<WebhookTransfer::Outcome> outcome
        = WebhookTransfer::importInto(*m_store, WebhookTransfer::parse(file), true);
    VERIFY_OK(outcome);
    QCOMPARE(outcome->imported, 2);
    QVERIFY(outcome->problems.isEmpty());
    QVERIFY(outcome->skipped.isEmpty());
    const QList<Webhook> back = *m_store->config().webhooks();
    QCOMPARE(idsOf(back), idsOf(original));
    for (int i = 0; i < back.size(); ++i)
        QCOMPARE(back.at(i).toJson(false), original.at(i).toJson(false));

    // Nothing the kept ids did gets in the way of an ordinary insert, nor of the list order.
    const Result<Webhook> later = m_store->config().addWebhook(newWebhook(u"Later"_s));
    VERIFY_OK(later);
    QVERIFY(!idsOf(original).contains(later->id));
    QCOMPARE(namesOf(*m_store->config().webhooks()),
        (QStringList { u"Orders"_s, u"Paused"_s, u"Later"_s }));
}

void tst_StoreTransfer::importWithoutKeepingIdsMakesNewOnes()
{
    const QList<Webhook> original = addTwo();
    QCOMPARE(original.size(), 2);
    const QByteArray file = WebhookTransfer::exportJson(original);
    for (const Webhook &webhook : original)
        VERIFY_OK(m_store->config().removeWebhook(webhook.id));

    const Result<WebhookTransfer::Outcome> outcome
        = WebhookTransfer::importInto(*m_store, WebhookTransfer::parse(file), false);
    VERIFY_OK(outcome);
    QCOMPARE(outcome->imported, 2);
    const QList<Webhook> back = *m_store->config().webhooks();
    QCOMPARE(namesOf(back), (QStringList { u"Orders"_s, u"Paused"_s }));
    for (const Webhook &webhook : back) {
        QVERIFY(isUuidV4(webhook.id));
        QVERIFY(!idsOf(original).contains(webhook.id));
    }
    QVERIFY(!back.at(1).enabled); // the state travels either way
}

// Importing the same file again keeping ids adds nothing: each webhook is here (even under a
// name changed since); without keeping ids every one comes again, renamed.
void tst_StoreTransfer::reimportKeepingIdsSkipsWhatIsHere()
{
    const QList<Webhook> original = addTwo();
    QCOMPARE(original.size(), 2);
    const QByteArray file = WebhookTransfer::exportJson(original);
    Webhook renamed = original.at(0);
    renamed.name = u"Shop orders"_s;
    VERIFY_OK(m_store->config().updateWebhook(renamed));

    const Result<WebhookTransfer::Outcome> again
        = WebhookTransfer::importInto(*m_store, WebhookTransfer::parse(file), true);
    VERIFY_OK(again);
    QCOMPARE(again->imported, 0);
    QCOMPARE(again->skipped,
        (QStringList {
            u"“Orders”: already here, as “Shop orders”"_s, u"“Paused”: already here"_s }));
    QCOMPARE(m_store->config().webhooks()->size(), 2);

    const Result<WebhookTransfer::Outcome> copies
        = WebhookTransfer::importInto(*m_store, WebhookTransfer::parse(file), false);
    VERIFY_OK(copies);
    QCOMPARE(copies->imported, 2);
    QCOMPARE(copies->renamed, (QStringList { u"“Paused” became “Paused (imported)”"_s }));
    QCOMPARE(namesOf(*m_store->config().webhooks()),
        (QStringList { u"Shop orders"_s, u"Paused"_s, u"Orders"_s, u"Paused (imported)"_s }));
}

// The store checks a kept id itself (another writer may have taken it since the preview), and
// the refusal leaves the connection usable: on PostgreSQL a failed statement would not.
void tst_StoreTransfer::keptIdMustBeFreeAndValid()
{
    const QList<Webhook> original = addTwo();
    QCOMPARE(original.size(), 2);
    Webhook sameId = newWebhook(u"Other name"_s);
    sameId.id = original.at(0).id;
    const Result<Webhook> taken = m_store->config().addWebhook(sameId, ConfigTables::Id::Keep);
    QVERIFY(!taken);
    QVERIFY2(taken.error().contains(original.at(0).id), qPrintable(taken.error()));

    Webhook badId = newWebhook(u"Bad id"_s);
    badId.id = u"not-an-id"_s;
    QVERIFY(!m_store->config().addWebhook(badId, ConfigTables::Id::Keep));

    Webhook fresh = newWebhook(u"Fresh"_s);
    fresh.id = Webhook::newId();
    const Result<Webhook> kept = m_store->config().addWebhook(fresh, ConfigTables::Id::Keep);
    VERIFY_OK(kept);
    QCOMPARE(kept->id, fresh.id);
    QVERIFY(kept->created.isValid());
    const Result<std::optional<Webhook>> stored = m_store->config().webhook(fresh.id);
    VERIFY_OK(stored);
    QVERIFY(stored->has_value());
    QCOMPARE((*stored)->name, u"Fresh"_s);
    QCOMPARE(m_store->config().webhooks()->size(), 3);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    tst_StoreTransfer sqlite;
    tst_StoreTransferPostgres postgres;
    int status = QTest::qExec(&sqlite, argc, argv);
    status |= QTest::qExec(&postgres, argc, argv);
    return status;
}
#include "tst_store_transfer.moc"
