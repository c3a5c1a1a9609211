// Tests for the webhooks and keys in Store against a real SQLite file and, as
// tst_StoreConfigPostgres, the same tests against a real PostgreSQL server.
#include "storetest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_StoreConfig : public StoreTest
{
    Q_OBJECT
public:
    explicit tst_StoreConfig(bool postgres = false) : StoreTest(u"store_config"_s, postgres) { }

private slots:
    // Webhooks
    void addAndGetWebhook();
    void listWebhooks();
    void listsWebhooksInTheOrderAdded();
    void upgradeKeepsTheListOrder();
    void acceptAnyContentTypeRoundTrips();
    void upgradeKeepsContentChecksOn();
    void authenticationAndResponseRoundTrip();
    void upgradeKeepsTheApiKey();
    void updateWebhook();
    void enableAndDisable();
    void removeWebhook();
    void nameIsUniqueCaseInsensitively_data();
    void nameIsUniqueCaseInsensitively();
    void renameKeepsUniqueness();
    void generationFollowsConfigChanges();

    // Keys
    void addKey();
    void secretIsNeverStored();
    void addKeyNeedsName();
    void revokeKey_data();
    void revokeKey();
    void revokeUnknownPrefix();
};

// The same tests on PostgreSQL, under a name of their own in the output.
class tst_StoreConfigPostgres final : public tst_StoreConfig
{
    Q_OBJECT
public:
    tst_StoreConfigPostgres() : tst_StoreConfig(true) { }
};

void tst_StoreConfig::addAndGetWebhook()
{
    Webhook webhook;
    webhook.name = u"  Orders  "_s;
    webhook.description = u"From the shop \u00e9t\u00e9"_s;
    webhook.methods = { u"POST"_s, u"PUT"_s };
    webhook.headerRules = { { u"X-Source"_s, u"crm"_s }, { u"X-Signature"_s, u"*"_s } };
    webhook.ipWhitelist = { u"10.0.0.0/8"_s, u"2001:db8::/32"_s };
    webhook.enabled = false;

    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const Result<Webhook> added = m_store->config().addWebhook(webhook);
    VERIFY_OK(added);
    QVERIFY2(isUuidV4(added->id), qPrintable(added->id));
    QCOMPARE(added->name, u"Orders"_s);
    QVERIFY(added->created.isValid());
    QVERIFY(added->created >= before);
    QCOMPARE(added->created, added->updated);

    const Result<std::optional<Webhook>> found = m_store->config().webhook(added->id);
    VERIFY_OK(found);
    QVERIFY(found->has_value());
    const Webhook &stored = **found;
    QCOMPARE(stored.id, added->id);
    QCOMPARE(stored.name, u"Orders"_s);
    QCOMPARE(stored.description, webhook.description);
    QCOMPARE(stored.methods, webhook.methods);
    QCOMPARE(stored.headerRules, webhook.headerRules);
    QCOMPARE(stored.ipWhitelist, webhook.ipWhitelist);
    QCOMPARE(stored.enabled, false);
    QCOMPARE(stored.created.toMSecsSinceEpoch(), added->created.toMSecsSinceEpoch());
    QCOMPARE(stored.updated.toMSecsSinceEpoch(), added->updated.toMSecsSinceEpoch());

    const Result<std::optional<Webhook>> missing = m_store->config().webhook(Webhook::newId());
    VERIFY_OK(missing);
    QVERIFY(!missing->has_value());
}

void tst_StoreConfig::listWebhooks()
{
    QStringList ids;
    for (const QString &name : { u"Orders"_s, u"Invoices"_s, u"Leads"_s }) {
        const Result<Webhook> added = m_store->config().addWebhook(newWebhook(name));
        VERIFY_OK(added);
        ids.append(added->id);
    }
    const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
    VERIFY_OK(webhooks);
    QCOMPARE(webhooks->size(), 3);
    QStringList listed;
    for (const Webhook &webhook : *webhooks)
        listed.append(webhook.id);
    QCOMPARE(listed, ids); // the order they were added
}

// Webhooks added in one instant (an import) come back in the order they were added, not in
// the order of their random ids: here the ids sort the other way round.
void tst_StoreConfig::listsWebhooksInTheOrderAdded()
{
    const QDateTime instant = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
    const QStringList ids { u"ffffffff-0000-4000-8000-000000000003"_s,
        u"88888888-0000-4000-8000-000000000002"_s, u"00000000-0000-4000-8000-000000000001"_s };
    for (const QString &id : ids) {
        Webhook webhook = newWebhook(u"Imported "_s + id.left(2));
        webhook.id = id;
        webhook.created = webhook.updated = instant;
        const Result<bool> imported = m_store->config().importWebhook(webhook);
        VERIFY_OK(imported);
        QVERIFY(*imported);
    }
    const Result<Webhook> later = m_store->config().addWebhook(newWebhook(u"Added later"_s));
    VERIFY_OK(later);
    // Removing one leaves the others in place, and the next one still goes last.
    VERIFY_OK(m_store->config().removeWebhook(ids.at(1)));
    const Result<Webhook> last = m_store->config().addWebhook(newWebhook(u"Added last"_s));
    VERIFY_OK(last);
    for (int round = 0; round < 2; ++round) {
        const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
        VERIFY_OK(webhooks);
        QStringList listed;
        for (const Webhook &webhook : *webhooks)
            listed.append(webhook.id);
        QCOMPARE(listed, (QStringList { ids.at(0), ids.at(2), later->id, last->id }));
        m_store = open(); // and the same after reopening
        QVERIFY(m_store);
    }
}

// A database from before the list had its own order keeps the order it showed until then
// (by creation time, then id), and what is added after goes last.
void tst_StoreConfig::upgradeKeepsTheListOrder()
{
    const QDateTime base = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
    const QList<std::pair<QString, int>> rows { { u"cccccccc-0000-4000-8000-000000000000"_s, 2 },
        { u"aaaaaaaa-0000-4000-8000-000000000000"_s, 1 },
        { u"bbbbbbbb-0000-4000-8000-000000000000"_s, 1 },
        { u"dddddddd-0000-4000-8000-000000000000"_s, 0 } };
    for (const auto &[id, seconds] : rows) {
        Webhook webhook = newWebhook(u"Old "_s + id.left(2));
        webhook.id = id;
        webhook.created = webhook.updated = base.addSecs(seconds);
        VERIFY_OK(m_store->config().importWebhook(webhook));
    }
    m_store.reset();
    QString error;
    QVERIFY2(execRaw(m_location,
                 DropDeliveryTables
                     + QStringList { u"ALTER TABLE webhooks DROP COLUMN seq"_s,
                         u"ALTER TABLE webhooks DROP COLUMN accept_any_content_type"_s,
                         u"UPDATE meta SET value = '3' WHERE key = 'schema_version'"_s },
                 &error),
        qPrintable(error));
    m_store = open();
    QVERIFY(m_store);
    const Result<Webhook> added = m_store->config().addWebhook(newWebhook(u"New"_s));
    VERIFY_OK(added);
    const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
    VERIFY_OK(webhooks);
    QStringList listed;
    for (const Webhook &webhook : *webhooks)
        listed.append(webhook.id);
    QCOMPARE(listed,
        (QStringList {
            rows.at(3).first, rows.at(1).first, rows.at(2).first, rows.at(0).first, added->id }));
}

// The option is stored as given, added, updated and imported (the store copy's path), and
// off unless asked for.
void tst_StoreConfig::acceptAnyContentTypeRoundTrips()
{
    const Result<Webhook> plain = m_store->config().addWebhook(newWebhook(u"Plain"_s));
    VERIFY_OK(plain);
    QVERIFY(!m_store->config().webhook(plain->id)->value().acceptAnyContentType);

    Webhook any = newWebhook(u"Any body"_s);
    any.acceptAnyContentType = true;
    const Result<Webhook> added = m_store->config().addWebhook(any);
    VERIFY_OK(added);
    QVERIFY(m_store->config().webhook(added->id)->value().acceptAnyContentType);

    Webhook changed = *added;
    changed.acceptAnyContentType = false;
    VERIFY_OK(m_store->config().updateWebhook(changed));
    QVERIFY(!m_store->config().webhook(added->id)->value().acceptAnyContentType);
    changed.acceptAnyContentType = true;
    VERIFY_OK(m_store->config().updateWebhook(changed));
    m_store.reset();
    m_store = open();
    QVERIFY(m_store);
    QVERIFY(m_store->config().webhook(added->id)->value().acceptAnyContentType);

    Webhook imported = newWebhook(u"Imported"_s);
    imported.id = Webhook::newId();
    imported.acceptAnyContentType = true;
    imported.created = imported.updated = QDateTime::currentDateTimeUtc();
    VERIFY_OK(m_store->config().importWebhook(imported));
    const Result<QList<Webhook>> all = m_store->config().webhooks();
    VERIFY_OK(all);
    QCOMPARE(all->size(), 3);
    QCOMPARE(all->at(0).acceptAnyContentType, false);
    QCOMPARE(all->at(1).acceptAnyContentType, true);
    QCOMPARE(all->at(2).acceptAnyContentType, true);
}

// A database from before the option keeps every webhook it holds, with the contract's content
// checks, and takes the option afterwards.
void tst_StoreConfig::upgradeKeepsContentChecksOn()
{
    Webhook old = newWebhook(u"Before"_s);
    old.methods = { u"PUT"_s };
    old.headerRules = { { u"X-Source"_s, u"crm"_s } };
    old.ipWhitelist = { u"10.0.0.0/8"_s };
    const Result<Webhook> added = m_store->config().addWebhook(old);
    VERIFY_OK(added);
    m_store.reset();
    QString error;
    QVERIFY2(execRaw(m_location,
                 DropDeliveryTables
                     + QStringList { u"ALTER TABLE webhooks DROP COLUMN accept_any_content_type"_s,
                         u"UPDATE meta SET value = '4' WHERE key = 'schema_version'"_s },
                 &error),
        qPrintable(error));
    m_store = open();
    QVERIFY(m_store);
    QCOMPARE(*m_store->schema().version(), Schema::Version);
    const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
    VERIFY_OK(webhooks);
    QCOMPARE(webhooks->size(), 1);
    const Webhook kept = webhooks->first();
    QCOMPARE(kept.id, added->id);
    QCOMPARE(kept.name, old.name);
    QCOMPARE(kept.methods, old.methods);
    QCOMPARE(kept.headerRules, old.headerRules);
    QCOMPARE(kept.ipWhitelist, old.ipWhitelist);
    QVERIFY(kept.enabled);
    QVERIFY(!kept.acceptAnyContentType);

    Webhook changed = kept;
    changed.acceptAnyContentType = true;
    VERIFY_OK(m_store->config().updateWebhook(changed));
    QVERIFY(m_store->config().webhook(kept.id)->value().acceptAnyContentType);
}

// A signature scheme with its secrets, and a custom response, are stored as given, added,
// updated, after reopening and through the store copy's import; back to the key, they go.
void tst_StoreConfig::authenticationAndResponseRoundTrip()
{
    Webhook signed_ = newWebhook(u"Signed"_s);
    signed_.authentication = AuthMode::KeyAndSignature;
    signed_.verification.preset = SignaturePreset::Hmac;
    signed_.verification.secrets = { u"first secret"_s, u"second \u00e9"_s };
    signed_.verification.hmac.header = u"X-Sig"_s;
    signed_.verification.hmac.algorithm = HmacAlgorithm::Sha512;
    signed_.verification.hmac.encoding = SignatureEncoding::Base64;
    signed_.verification.hmac.prefix = u"v1="_s;
    signed_.verification.hmac.timestampHeader = u"X-Time"_s;
    signed_.verification.hmac.payloadTemplate = u"{timestamp}:{body}"_s;
    signed_.verification.toleranceSeconds = 90;
    CustomResponse response;
    response.status = 503;
    response.body = u"busy {{requestId}}"_s;
    response.contentType = u"text/plain"_s;
    response.headers = { { u"Retry-After"_s, u"3"_s }, { u"X-Why"_s, u"testing"_s } };
    response.delayMs = 1500;
    signed_.response = response;
    const Result<Webhook> added = m_store->config().addWebhook(signed_);
    VERIFY_OK(added);

    const auto check = [&](const Webhook &stored) {
        QCOMPARE(stored.authentication, AuthMode::KeyAndSignature);
        QCOMPARE(stored.verification.preset, SignaturePreset::Hmac);
        QCOMPARE(stored.verification.secrets, signed_.verification.secrets);
        QCOMPARE(stored.verification.toleranceSeconds, 90);
        QCOMPARE(stored.verification.hmac.header, u"X-Sig"_s);
        QCOMPARE(stored.verification.hmac.algorithm, HmacAlgorithm::Sha512);
        QCOMPARE(stored.verification.hmac.encoding, SignatureEncoding::Base64);
        QCOMPARE(stored.verification.hmac.prefix, u"v1="_s);
        QCOMPARE(stored.verification.hmac.timestampHeader, u"X-Time"_s);
        QCOMPARE(stored.verification.hmac.payloadTemplate, u"{timestamp}:{body}"_s);
        QVERIFY(stored.response.has_value());
        QCOMPARE(stored.response->status, 503);
        QCOMPARE(stored.response->body, response.body);
        QCOMPARE(stored.response->contentType, response.contentType);
        QCOMPARE(stored.response->headers, response.headers);
        QCOMPARE(stored.response->delayMs, 1500);
    };
    check(m_store->config().webhook(added->id)->value());
    if (QTest::currentTestFailed())
        return;
    m_store.reset();
    m_store = open();
    QVERIFY(m_store);
    check(m_store->config().webhook(added->id)->value());
    if (QTest::currentTestFailed())
        return;

    Webhook copied = *added;
    copied.id = Webhook::newId();
    copied.name = u"Copied"_s;
    VERIFY_OK(m_store->config().importWebhook(copied));
    check(m_store->config().webhook(copied.id)->value());
    if (QTest::currentTestFailed())
        return;

    Webhook plain = *added;
    plain.authentication = AuthMode::Key;
    plain.response.reset();
    VERIFY_OK(m_store->config().updateWebhook(plain));
    const Webhook back = m_store->config().webhook(added->id)->value();
    QCOMPARE(back.authentication, AuthMode::Key);
    QVERIFY(back.verification.secrets.isEmpty()); // the secrets are not kept for nothing
    QVERIFY(!back.response.has_value());
}

// A database of version 6 keeps its webhooks, each on the API key with the contract's answer.
void tst_StoreConfig::upgradeKeepsTheApiKey()
{
    const Result<Webhook> added = m_store->config().addWebhook(newWebhook(u"Before"_s));
    VERIFY_OK(added);
    m_store.reset();
    QString error;
    QVERIFY2(
        execRaw(m_location,
            DropAuthenticationColumns
                + QStringList { u"UPDATE meta SET value = '6' WHERE key = 'schema_version'"_s },
            &error),
        qPrintable(error));
    m_store = open();
    QVERIFY(m_store);
    QCOMPARE(*m_store->schema().version(), Schema::Version);
    const Webhook kept = m_store->config().webhook(added->id)->value();
    QCOMPARE(kept.name, u"Before"_s);
    QCOMPARE(kept.authentication, AuthMode::Key);
    QVERIFY(!kept.response.has_value());
}

void tst_StoreConfig::updateWebhook()
{
    const Result<Webhook> added = m_store->config().addWebhook(newWebhook(u"Orders"_s));
    VERIFY_OK(added);

    Webhook changed = *added;
    changed.name = u"Orders v2"_s;
    changed.description = u"now with PUT"_s;
    changed.methods = { u"PUT"_s, u"PATCH"_s };
    changed.headerRules = { { u"X-Tenant"_s, u"acme"_s } };
    changed.ipWhitelist = { u"203.0.113.7"_s };
    changed.enabled = false;
    const Status updated = m_store->config().updateWebhook(changed);
    VERIFY_OK(updated);

    const Webhook stored = m_store->config().webhook(added->id)->value();
    QCOMPARE(stored.name, changed.name);
    QCOMPARE(stored.description, changed.description);
    QCOMPARE(stored.methods, changed.methods);
    QCOMPARE(stored.headerRules, changed.headerRules);
    QCOMPARE(stored.ipWhitelist, changed.ipWhitelist);
    QCOMPARE(stored.enabled, false);
    QCOMPARE(stored.created.toMSecsSinceEpoch(), added->created.toMSecsSinceEpoch());
    QVERIFY(stored.updated >= added->updated);

    // Clearing lists must store empty lists, not keep the old ones.
    changed.headerRules.clear();
    changed.ipWhitelist.clear();
    changed.description.clear();
    VERIFY_OK(m_store->config().updateWebhook(changed));
    const Webhook cleared = m_store->config().webhook(added->id)->value();
    QVERIFY(cleared.headerRules.isEmpty());
    QVERIFY(cleared.ipWhitelist.isEmpty());
    QVERIFY(cleared.description.isEmpty());

    Webhook unknown = changed;
    unknown.id = Webhook::newId();
    unknown.name = u"Other"_s;
    const Status failed = m_store->config().updateWebhook(unknown);
    QVERIFY(!failed);
    QVERIFY2(failed.error().contains(unknown.id), qPrintable(failed.error()));
}

void tst_StoreConfig::enableAndDisable()
{
    const Result<Webhook> added = m_store->config().addWebhook(newWebhook(u"Orders"_s));
    VERIFY_OK(added);
    QVERIFY(added->enabled);

    VERIFY_OK(m_store->config().setWebhookEnabled(added->id, false));
    QVERIFY(!m_store->config().webhook(added->id)->value().enabled);
    VERIFY_OK(m_store->config().setWebhookEnabled(added->id, true));
    QVERIFY(m_store->config().webhook(added->id)->value().enabled);

    const QString unknown = Webhook::newId();
    const Status failed = m_store->config().setWebhookEnabled(unknown, false);
    QVERIFY(!failed);
    QVERIFY2(failed.error().contains(unknown), qPrintable(failed.error()));
}

void tst_StoreConfig::removeWebhook()
{
    const Result<Webhook> kept = m_store->config().addWebhook(newWebhook(u"Kept"_s));
    const Result<Webhook> removed = m_store->config().addWebhook(newWebhook(u"Removed"_s));
    VERIFY_OK(kept);
    VERIFY_OK(removed);

    VERIFY_OK(m_store->config().removeWebhook(removed->id));
    QVERIFY(!m_store->config().webhook(removed->id)->has_value());
    QVERIFY(m_store->config().webhook(kept->id)->has_value());
    QCOMPARE(m_store->config().webhooks()->size(), 1);

    const Status again = m_store->config().removeWebhook(removed->id);
    QVERIFY(!again);
    QVERIFY2(again.error().contains(removed->id), qPrintable(again.error()));

    // The name is free again once its webhook is gone.
    VERIFY_OK(m_store->config().addWebhook(newWebhook(u"Removed"_s)));
}

void tst_StoreConfig::nameIsUniqueCaseInsensitively_data()
{
    QTest::addColumn<QString>("existing");
    QTest::addColumn<QString>("candidate");
    QTest::addColumn<bool>("taken");

    QTest::addRow("same name") << u"orders"_s << u"orders"_s << true;
    QTest::addRow("capitalised") << u"orders"_s << u"Orders"_s << true;
    QTest::addRow("uppercase") << u"orders"_s << u"ORDERS"_s << true;
    QTest::addRow("spaces around") << u"orders"_s << u"  Orders "_s << true;
    QTest::addRow("accented, other case") << u"\u00e9t\u00e9"_s << u"\u00c9T\u00c9"_s << true;
    QTest::addRow("different name") << u"orders"_s << u"orders 2"_s << false;
    QTest::addRow("inner space differs") << u"new orders"_s << u"neworders"_s << false;
}

void tst_StoreConfig::nameIsUniqueCaseInsensitively()
{
    QFETCH(QString, existing);
    QFETCH(QString, candidate);
    QFETCH(bool, taken);

    VERIFY_OK(m_store->config().addWebhook(newWebhook(existing)));
    const Result<bool> isTaken = m_store->config().nameTaken(candidate);
    VERIFY_OK(isTaken);
    QCOMPARE(*isTaken, taken);

    const qint64 generation = *m_store->config().generation();
    const Result<Webhook> added = m_store->config().addWebhook(newWebhook(candidate));
    QCOMPARE(added.ok(), !taken);
    if (taken) {
        QVERIFY2(added.error().contains(candidate.trimmed()), qPrintable(added.error()));
        // A refused change is no change: receivers must not reload for it.
        QCOMPARE(*m_store->config().generation(), generation);
        QCOMPARE(m_store->config().webhooks()->size(), 1);
    }
}

void tst_StoreConfig::renameKeepsUniqueness()
{
    const Result<Webhook> orders = m_store->config().addWebhook(newWebhook(u"orders"_s));
    const Result<Webhook> invoices = m_store->config().addWebhook(newWebhook(u"invoices"_s));
    VERIFY_OK(orders);
    VERIFY_OK(invoices);

    Webhook renamed = *invoices;
    renamed.name = u"ORDERS"_s;
    const Status clash = m_store->config().updateWebhook(renamed);
    QVERIFY(!clash);
    QVERIFY2(clash.error().contains(u"ORDERS"_s), qPrintable(clash.error()));
    QCOMPARE(m_store->config().webhook(invoices->id)->value().name, u"invoices"_s);

    // A webhook may change the case of its own name.
    Webhook recased = *orders;
    recased.name = u"Orders"_s;
    VERIFY_OK(m_store->config().updateWebhook(recased));
    QCOMPARE(m_store->config().webhook(orders->id)->value().name, u"Orders"_s);
    const Result<bool> takenByItself = m_store->config().nameTaken(u"orders"_s, orders->id);
    VERIFY_OK(takenByItself);
    QVERIFY(!*takenByItself);
}

void tst_StoreConfig::generationFollowsConfigChanges()
{
    qint64 last = *m_store->config().generation();
    const auto grew = [&](const char *what) {
        const Result<qint64> now = m_store->config().generation();
        if (!now || *now <= last) {
            qWarning("generation did not grow after %s", what);
            return false;
        }
        last = *now;
        return true;
    };

    const Result<Webhook> added = m_store->config().addWebhook(newWebhook(u"Orders"_s));
    VERIFY_OK(added);
    QVERIFY(grew("addWebhook"));
    Webhook changed = *added;
    changed.description = u"changed"_s;
    VERIFY_OK(m_store->config().updateWebhook(changed));
    QVERIFY(grew("updateWebhook"));
    VERIFY_OK(m_store->config().setWebhookEnabled(added->id, false));
    QVERIFY(grew("setWebhookEnabled"));
    const Result<NewApiKey> key = m_store->config().addKey(u"ci"_s);
    VERIFY_OK(key);
    QVERIFY(grew("addKey"));
    VERIFY_OK(m_store->config().revokeKey(key->key.prefix));
    QVERIFY(grew("revokeKey"));

    QList<LoggedRequest> batch { newEntry(added->id, 200), newEntry(added->id, 403) };
    batch[0].apiKeyId = key->key.id;
    VERIFY_OK(m_store->log().append(batch));
    QCOMPARE(*m_store->config().generation(), last);
    VERIFY_OK(m_store->queries().requests(RequestFilter()));
    QCOMPARE(*m_store->config().generation(), last);

    VERIFY_OK(m_store->config().removeWebhook(added->id));
    QVERIFY(grew("removeWebhook"));

    // Failed changes leave the generation alone.
    QVERIFY(!m_store->config().removeWebhook(added->id));
    QVERIFY(!m_store->config().revokeKey(u"htk_nothing"_s));
    QCOMPARE(*m_store->config().generation(), last);

    // Another process's store sees the same generation.
    const std::unique_ptr<Store> other = open();
    QVERIFY(other);
    QCOMPARE(*other->config().generation(), last);
}

void tst_StoreConfig::addKey()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const Result<NewApiKey> created = m_store->config().addKey(u"  CI pipeline "_s);
    VERIFY_OK(created);
    const QString secret = created->secret;
    QVERIFY2(secret.startsWith(u"htk_"_s), qPrintable(secret));
    QCOMPARE(secret.size(), 47);
    QVERIFY(created->key.id > 0);
    QCOMPARE(created->key.name, u"CI pipeline"_s);
    QCOMPARE(created->key.prefix, secret.left(12));
    QCOMPARE(
        created->key.hash, QCryptographicHash::hash(secret.toLatin1(), QCryptographicHash::Sha256));
    QVERIFY(created->key.created >= before);

    const Result<QList<ApiKey>> keys = m_store->config().keys();
    VERIFY_OK(keys);
    QCOMPARE(keys->size(), 1);
    const ApiKey &stored = keys->first();
    QCOMPARE(stored.id, created->key.id);
    QCOMPARE(stored.name, u"CI pipeline"_s);
    QCOMPARE(stored.prefix, secret.left(12));
    QCOMPARE(stored.hash, QCryptographicHash::hash(secret.toLatin1(), QCryptographicHash::Sha256));
    QVERIFY(!stored.revoked);
    QVERIFY(stored.lastUsed.isNull());
    QCOMPARE(stored.created.toMSecsSinceEpoch(), created->key.created.toMSecsSinceEpoch());

    const Result<NewApiKey> second = m_store->config().addKey(u"second"_s);
    VERIFY_OK(second);
    QVERIFY(second->secret != secret);
    QVERIFY(second->key.id > created->key.id);
    QCOMPARE(m_store->config().keys()->size(), 2);
}

void tst_StoreConfig::secretIsNeverStored()
{
    const Result<NewApiKey> created = m_store->config().addKey(u"ci"_s);
    VERIFY_OK(created);
    const QByteArray secret = created->secret.toLatin1();
    const QByteArray hiddenPart = secret.mid(ApiKeys::prefixOf(created->secret).size());
    m_store.reset(); // the last connection closing checkpoints the WAL into the main file

    QByteArray everything;
    if (m_postgres) {
        // Every column of every row of every table, as bytes (bytea in hex, as stored).
        for (const QString &table : { u"meta"_s, u"webhooks"_s, u"api_keys"_s, u"requests"_s }) {
            everything
                += rawValue(m_location, u"SELECT string_agg(t::text, ' ') FROM %1 t"_s.arg(table))
                       .toUtf8();
        }
        everything += QByteArray::fromHex(
            rawValue(m_location, u"SELECT encode(hash, 'hex') FROM api_keys"_s).toLatin1());
    } else {
        // Every file SQLite may have written: the database, its WAL and shared memory.
        const QDir dir(m_dir->path());
        for (const QString &name : dir.entryList(QDir::Files)) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            everything += file.readAll();
        }
    }
    // The scan would find stored bytes: the hash and the visible prefix are there.
    QVERIFY(everything.contains(created->key.hash));
    QVERIFY(everything.contains(created->key.prefix.toLatin1()));
    QVERIFY(!everything.contains(secret));
    QVERIFY(!everything.contains(hiddenPart));
    QVERIFY(!everything.contains(hiddenPart.left(16)));
}

void tst_StoreConfig::addKeyNeedsName()
{
    QVERIFY(!m_store->config().addKey(QString()));
    QVERIFY(!m_store->config().addKey(u"   "_s));
    QVERIFY(!m_store->config().addKey(QString(101, u'k')));
    VERIFY_OK(m_store->config().addKey(QString(100, u'k')));
    QCOMPARE(m_store->config().keys()->size(), 1);
}

void tst_StoreConfig::revokeKey_data()
{
    QTest::addColumn<bool>("withHtk");

    QTest::addRow("prefix with htk_") << true;
    QTest::addRow("prefix without htk_") << false;
}

void tst_StoreConfig::revokeKey()
{
    QFETCH(bool, withHtk);

    const Result<NewApiKey> target = m_store->config().addKey(u"target"_s);
    const Result<NewApiKey> bystander = m_store->config().addKey(u"bystander"_s);
    VERIFY_OK(target);
    VERIFY_OK(bystander);
    QVERIFY(target->key.prefix.startsWith(u"htk_"_s));

    const QString prefix = withHtk ? target->key.prefix : target->key.prefix.mid(4);
    VERIFY_OK(m_store->config().revokeKey(prefix));

    const QList<ApiKey> keys = m_store->config().keys().value();
    QCOMPARE(keys.size(), 2);
    for (const ApiKey &key : keys)
        QCOMPARE(key.revoked, key.id == target->key.id);
    // Revoking twice is harmless.
    VERIFY_OK(m_store->config().revokeKey(prefix));
}

void tst_StoreConfig::revokeUnknownPrefix()
{
    VERIFY_OK(m_store->config().addKey(u"ci"_s));
    const Status failed = m_store->config().revokeKey(u"htk_NoSuchKey"_s);
    QVERIFY(!failed);
    QVERIFY2(failed.error().contains(u"htk_NoSuchKey"_s), qPrintable(failed.error()));
    QVERIFY(!m_store->config().revokeKey(QString()));
    QVERIFY(!m_store->config().keys()->first().revoked);
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    tst_StoreConfig sqlite;
    tst_StoreConfigPostgres postgres;
    int status = QTest::qExec(&sqlite, argc, argv);
    status |= QTest::qExec(&postgres, argc, argv);
    return status;
}
#include "tst_store_config.moc"
