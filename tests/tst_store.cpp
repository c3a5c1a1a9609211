// Tests for Store against a real SQLite file and, as tst_StorePostgres, the same tests against a
// real PostgreSQL server: schema, webhooks, keys, the request log, and the JSON form of a log
// entry.
#include "core/store/store.h"
#include "sqltestsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

Q_DECLARE_METATYPE(Hooktrail::RequestFilter)

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

Webhook newWebhook(const QString &name)
{
    Webhook webhook;
    webhook.name = name;
    return webhook;
}

LoggedRequest newEntry(
    const QString &webhookId, int status, qint64 receivedAt = 1'700'000'000'000'000)
{
    LoggedRequest entry;
    entry.receivedAtMicros = receivedAt;
    entry.webhookId = webhookId;
    entry.method = "POST"_ba;
    entry.path = "/v1/data/webhook/"_ba + webhookId.toLatin1();
    entry.httpVersion = "HTTP/1.1"_ba;
    entry.status = status;
    entry.reason = status == 200 ? "accepted"_ba : "ip_not_allowed"_ba;
    entry.clientAddress = u"127.0.0.1"_s;
    entry.instance = u"test"_s;
    return entry;
}

QList<qint64> idsOf(const QList<LoggedRequest> &entries)
{
    QList<qint64> ids;
    for (const LoggedRequest &entry : entries)
        ids.append(entry.id);
    return ids;
}

QList<qint64> range(qint64 from, qint64 downTo)
{
    QList<qint64> out;
    for (qint64 id = from; id >= downTo; --id)
        out.append(id);
    return out;
}

} // namespace

class tst_Store : public QObject
{
    Q_OBJECT
public:
    explicit tst_Store(bool postgres = false) : m_postgres(postgres) { }

private slots:
    void initTestCase();
    void init();
    void cleanup();

    // Schema
    void createsSchema();
    void createsMissingFolders();
    void filesArePrivate();
    void reopenIsIdempotent();
    void refusesNewerSchema_data();
    void refusesNewerSchema();
    void refusesNonDatabaseFile();

    // Webhooks
    void addAndGetWebhook();
    void listWebhooks();
    void listsWebhooksInTheOrderAdded();
    void upgradeKeepsTheListOrder();
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

    // Request log
    void appendAssignsIncreasingIds();
    void roundTripsEveryField_data();
    void roundTripsEveryField();
    void roundTripsNonUtf8HeaderValues_data();
    void roundTripsNonUtf8HeaderValues();
    void appendRecordsKeyUse();
    void filterByWebhookAndOutcome();
    void pagesNewestFirst();
    void pageIdsAreTheRowsOfAPage_data();
    void pageIdsAreTheRowsOfAPage();
    void countRequests();
    void searchFindsTokensInHeadersAndBodies_data();
    void searchFindsTokensInHeadersAndBodies();

    // JSON form
    void toJsonFieldNames();
    void toJsonTimestamp_data();
    void toJsonTimestamp();
    void toJsonBodyEncoding_data();
    void toJsonBodyEncoding();

    // PostgreSQL
    void postgresUrlErrors_data();
    void postgresUrlErrors();
    void redactedUrlHidesPasswords_data();
    void redactedUrlHidesPasswords();

private:
    Result<std::unique_ptr<Store>> openAt() const;
    std::unique_ptr<Store> open();
    bool onlyOnSqlite() const; // skips (returns true) on PostgreSQL

    const bool m_postgres;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path; // the SQLite file (a folder for PostgreSQL's tests too)
    QString m_location; // the file, or the PostgreSQL URL
    std::unique_ptr<Store> m_store;
};

// The same tests on PostgreSQL, under a name of their own in the output.
class tst_StorePostgres final : public tst_Store
{
    Q_OBJECT
public:
    tst_StorePostgres() : tst_Store(true) { }
};

void tst_Store::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_Store::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"hooktrail.db"_s);
    m_location = m_path;
    if (m_postgres) {
        m_location = postgresTestUrl(u"store"_s);
        if (m_location.isEmpty())
            QSKIP("no PostgreSQL server: HOOKTRAIL_TEST_POSTGRES is not set (./dev test starts "
                  "a throw-away one with scripts/pg-test-cluster.sh)");
        QString error;
        QVERIFY2(resetPostgres(m_location, &error), qPrintable(error));
    }
    m_store = open();
    QVERIFY(m_store);
}

bool tst_Store::onlyOnSqlite() const
{
    return m_postgres;
}

void tst_Store::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

Result<std::unique_ptr<Store>> tst_Store::openAt() const
{
    return m_postgres ? Store::openPostgres(m_location) : Store::openSqlite(m_location);
}

std::unique_ptr<Store> tst_Store::open()
{
    Result<std::unique_ptr<Store>> opened = openAt();
    if (!opened) {
        qWarning("cannot open %s: %s", qPrintable(m_location), qPrintable(opened.error()));
        return nullptr;
    }
    return std::move(opened).value();
}

void tst_Store::createsSchema()
{
    const Result<int> version = m_store->schema().version();
    VERIFY_OK(version);
    QCOMPARE(*version, Schema::Version);
    if (!m_postgres)
        QVERIFY(QFile::exists(m_path));

    const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
    VERIFY_OK(webhooks);
    QVERIFY(webhooks->isEmpty());
    const Result<QList<ApiKey>> keys = m_store->config().keys();
    VERIFY_OK(keys);
    QVERIFY(keys->isEmpty());
    const Result<qint64> count = m_store->queries().countRequests();
    VERIFY_OK(count);
    QCOMPARE(*count, qint64(0));
    const Result<qint64> generation = m_store->config().generation();
    VERIFY_OK(generation);
    QVERIFY(*generation >= 1);
    QCOMPARE(rawValue(m_location, u"SELECT value FROM meta WHERE key = 'schema_version'"_s),
        QString::number(Schema::Version));
}

void tst_Store::createsMissingFolders()
{
    if (onlyOnSqlite())
        QSKIP("a matter of SQLite files");
    const QString nested = m_dir->filePath(u"a/b/c/log.db"_s);
    const Result<std::unique_ptr<Store>> opened = Store::openSqlite(nested);
    VERIFY_OK(opened);
    QVERIFY(QFile::exists(nested));
}

// Every body is in the log: the folder is 0700 and the files 0600, whatever the umask, and a
// log left open to others is closed when it is opened.
void tst_Store::filesArePrivate()
{
    if (onlyOnSqlite())
        QSKIP("a matter of SQLite files");
    const auto mode = [](const QString &path) {
        struct stat status;
        return ::stat(QFile::encodeName(path).constData(), &status) == 0
            ? unsigned(status.st_mode & 07777)
            : 0u;
    };
    const mode_t umaskWas = ::umask(022);
    const auto restoreUmask = qScopeGuard([umaskWas] { ::umask(umaskWas); });
    const QString folder = m_dir->filePath(u"new/data"_s);
    const QString path = folder + u"/hooktrail.db"_s;
    {
        Result<std::unique_ptr<Store>> opened = Store::openSqlite(path);
        VERIFY_OK(opened);
        QList<LoggedRequest> rows(1);
        rows[0].method = "POST";
        rows[0].body = "a body";
        VERIFY_OK((*opened)->log().append(rows));
        QCOMPARE(mode(m_dir->filePath(u"new"_s)), 0755u); // above it: as the umask says
        QCOMPARE(mode(folder), 0700u);
        QCOMPARE(mode(path), 0600u);
        QVERIFY(QFileInfo::exists(path + u"-wal"_s));
        QCOMPARE(mode(path + u"-wal"_s), 0600u);
        QCOMPARE(mode(path + u"-shm"_s), 0600u);

        // Opened to others while in use (by hand, or by an older Hooktrail).
        for (const QString &file : { path, path + u"-wal"_s, path + u"-shm"_s })
            QVERIFY(::chmod(QFile::encodeName(file).constData(), 0644) == 0);
        QTest::ignoreMessage(QtInfoMsg, qPrintable(u"made %1 private (it was 0644)"_s.arg(path)));
        QTest::ignoreMessage(
            QtInfoMsg, qPrintable(u"made %1-wal private (it was 0644)"_s.arg(path)));
        QTest::ignoreMessage(
            QtInfoMsg, qPrintable(u"made %1-shm private (it was 0644)"_s.arg(path)));
        Result<std::unique_ptr<Store>> again = Store::openSqlite(path);
        VERIFY_OK(again);
        for (const QString &file : { path, path + u"-wal"_s, path + u"-shm"_s })
            QCOMPARE(mode(file), 0600u);
    }
}

void tst_Store::reopenIsIdempotent()
{
    const Result<Webhook> added = m_store->config().addWebhook(newWebhook(u"Orders"_s));
    VERIFY_OK(added);
    const qint64 generation = *m_store->config().generation();
    m_store.reset();

    for (int round = 0; round < 2; ++round) {
        m_store = open();
        QVERIFY(m_store);
        QCOMPARE(*m_store->schema().version(), Schema::Version);
        // Reopening changes no configuration, so receivers do not reload for nothing.
        QCOMPARE(*m_store->config().generation(), generation);
        const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
        VERIFY_OK(webhooks);
        QCOMPARE(webhooks->size(), 1);
        QCOMPARE(webhooks->first().id, added->id);
        m_store.reset();
    }
    QCOMPARE(
        rawValue(m_location, u"SELECT COUNT(*) FROM meta WHERE key = 'schema_version'"_s), u"1"_s);
}

void tst_Store::refusesNewerSchema_data()
{
    QTest::addColumn<bool>("fullSchema"); // false: a file holding only the meta table

    QTest::addRow("Hooktrail database from a newer version") << true;
    QTest::addRow("bare meta table") << false;
}

void tst_Store::refusesNewerSchema()
{
    QFETCH(bool, fullSchema);

    m_store.reset();
    const int newer = Schema::Version + 1;
    QString error;
    if (!fullSchema && m_postgres) {
        QVERIFY2(resetPostgres(m_location, &error), qPrintable(error));
    } else if (!fullSchema) {
        QVERIFY(QFile::remove(m_path));
        QFile::remove(m_path + u"-wal"_s);
        QFile::remove(m_path + u"-shm"_s);
    }
    if (!fullSchema) {
        QVERIFY2(execRaw(m_location,
                     u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s, &error),
            qPrintable(error));
        QVERIFY2(execRaw(m_location,
                     u"INSERT INTO meta (key, value) VALUES ('schema_version', '%1')"_s.arg(newer),
                     &error),
            qPrintable(error));
    } else {
        QVERIFY2(
            execRaw(m_location,
                u"UPDATE meta SET value = '%1' WHERE key = 'schema_version'"_s.arg(newer), &error),
            qPrintable(error));
    }

    const Result<std::unique_ptr<Store>> opened = openAt();
    QVERIFY(!opened);
    QVERIFY2(opened.error().contains(u"newer"_s), qPrintable(opened.error()));
    QVERIFY2(opened.error().contains(QString::number(newer)), qPrintable(opened.error()));
    // Refusing must leave the newer database as it was.
    QCOMPARE(rawValue(m_location, u"SELECT value FROM meta WHERE key = 'schema_version'"_s),
        QString::number(newer));
    if (!fullSchema)
        QCOMPARE(rawValue(m_location,
                     m_postgres ? u"SELECT COUNT(*) FROM information_schema.tables "
                                  "WHERE table_name = 'webhooks'"_s
                                : u"SELECT COUNT(*) FROM sqlite_master WHERE name = 'webhooks'"_s),
            u"0"_s);
}

void tst_Store::refusesNonDatabaseFile()
{
    if (onlyOnSqlite())
        QSKIP("a matter of SQLite files");
    const QString path = m_dir->filePath(u"notes.txt"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        QByteArray("This is not a database, just some text that is long enough. ").repeated(100));
    file.close();

    const Result<std::unique_ptr<Store>> opened = Store::openSqlite(path);
    QVERIFY(!opened);
    QVERIFY(!opened.error().isEmpty());
}

void tst_Store::addAndGetWebhook()
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

void tst_Store::listWebhooks()
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
void tst_Store::listsWebhooksInTheOrderAdded()
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
void tst_Store::upgradeKeepsTheListOrder()
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
                 { u"ALTER TABLE webhooks DROP COLUMN seq"_s,
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

void tst_Store::updateWebhook()
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

void tst_Store::enableAndDisable()
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

void tst_Store::removeWebhook()
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

void tst_Store::nameIsUniqueCaseInsensitively_data()
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

void tst_Store::nameIsUniqueCaseInsensitively()
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

void tst_Store::renameKeepsUniqueness()
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

void tst_Store::generationFollowsConfigChanges()
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

void tst_Store::addKey()
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

void tst_Store::secretIsNeverStored()
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

void tst_Store::addKeyNeedsName()
{
    QVERIFY(!m_store->config().addKey(QString()));
    QVERIFY(!m_store->config().addKey(u"   "_s));
    QVERIFY(!m_store->config().addKey(QString(101, u'k')));
    VERIFY_OK(m_store->config().addKey(QString(100, u'k')));
    QCOMPARE(m_store->config().keys()->size(), 1);
}

void tst_Store::revokeKey_data()
{
    QTest::addColumn<bool>("withHtk");

    QTest::addRow("prefix with htk_") << true;
    QTest::addRow("prefix without htk_") << false;
}

void tst_Store::revokeKey()
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

void tst_Store::revokeUnknownPrefix()
{
    VERIFY_OK(m_store->config().addKey(u"ci"_s));
    const Status failed = m_store->config().revokeKey(u"htk_NoSuchKey"_s);
    QVERIFY(!failed);
    QVERIFY2(failed.error().contains(u"htk_NoSuchKey"_s), qPrintable(failed.error()));
    QVERIFY(!m_store->config().revokeKey(QString()));
    QVERIFY(!m_store->config().keys()->first().revoked);
}

void tst_Store::appendAssignsIncreasingIds()
{
    QList<LoggedRequest> first { newEntry(QString(), 404), newEntry(QString(), 404),
        newEntry(QString(), 404) };
    VERIFY_OK(m_store->log().append(first));
    QVERIFY(first[0].id > 0);
    QVERIFY(first[1].id > first[0].id);
    QVERIFY(first[2].id > first[1].id);

    QList<LoggedRequest> second { newEntry(QString(), 404) };
    VERIFY_OK(m_store->log().append(second));
    QVERIFY(second[0].id > first[2].id);

    QList<LoggedRequest> empty;
    VERIFY_OK(m_store->log().append(empty));
    QCOMPARE(*m_store->queries().countRequests(), qint64(4));

    // Ids are never reused, even after the newest row goes.
    m_store.reset();
    QString error;
    QVERIFY2(execRaw(m_location, u"DELETE FROM requests WHERE id = %1"_s.arg(second[0].id), &error),
        qPrintable(error));
    m_store = open();
    QVERIFY(m_store);
    QList<LoggedRequest> third { newEntry(QString(), 404) };
    VERIFY_OK(m_store->log().append(third));
    QVERIFY(third[0].id > second[0].id);
}

void tst_Store::roundTripsEveryField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QString>("webhookId");

    const QString id = Webhook::newId();
    QByteArray everyByte;
    for (int i = 0; i < 256; ++i)
        everyByte.append(char(i));
    QTest::addRow("JSON body") << R"({"order":42,"note":"caf\u00e9"})"_ba
                               << "a=1&api-key=***"_ba << id;
    QTest::addRow("binary body") << "\x00\xff\xfe\x80\xc3(binary\x00"_ba
                                 << "x=%FF"_ba << id;
    QTest::addRow("every byte value") << everyByte << "q=1"_ba << id;
    QTest::addRow("Latin-1 body") << "caf\xe9"_ba << QByteArray() << id;
    QTest::addRow("UTF-8 body") << "caf\xc3\xa9 \xf0\x9f\x98\x80"_ba << QByteArray() << id;
    QTest::addRow("empty body and query, unknown webhook")
        << QByteArray() << QByteArray() << QString();
    QTest::addRow("large body") << QByteArray(1 << 20, '\xab') << "a=b"_ba << id;
}

void tst_Store::roundTripsEveryField()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, query);
    QFETCH(QString, webhookId);

    const Result<NewApiKey> key = m_store->config().addKey(u"ci"_s);
    VERIFY_OK(key);

    LoggedRequest entry;
    entry.receivedAtMicros = 1'712'345'678'901'234; // microseconds must survive
    entry.webhookId = webhookId;
    entry.method = "PATCH"_ba;
    entry.path = "/v1/data/webhook/"_ba + webhookId.toLatin1();
    entry.query = query;
    entry.httpVersion = "HTTP/1.0"_ba;
    // Arrival order, not sorted; a repeated name; characters JSON must escape.
    entry.headers = {
        { "Host"_ba, "127.0.0.1:8080"_ba },
        { "X-Zeta"_ba, "last letter first"_ba },
        { "Content-Type"_ba, "application/json"_ba },
        { "X-Api-Key"_ba, "***"_ba },
        { "x-zeta"_ba, "again"_ba },
        { "X-Quote"_ba, "say \"hi\" \\ back\tslash"_ba },
        { "X-Accent"_ba, "caf\xc3\xa9"_ba },
        { "X-Emoji"_ba, "\xf0\x9f\x98\x80 beyond the BMP"_ba },
        { "X-Empty"_ba, ""_ba },
        { "Accept"_ba, "*/*"_ba },
    };
    entry.body = body;
    entry.bodyTruncated = true;
    entry.bodySize = body.size() + 1000;
    entry.contentType = "application/json; charset=utf-8"_ba;
    entry.clientAddress = u"2001:db8::5"_s;
    entry.forwardedFor = u"10.1.2.3, 192.168.5.5"_s;
    entry.status = 415;
    entry.reason = "unsupported_media_type"_ba;
    entry.reasonDetail = u"Content-Type text/plain"_s;
    entry.handlingMicros = 1234;
    entry.instance = u"host-a:4242"_s;
    entry.apiKeyId = key->key.id;

    QList<LoggedRequest> batch { entry };
    VERIFY_OK(m_store->log().append(batch));
    QVERIFY(batch[0].id > 0);

    // Read back through a fresh connection, so nothing can come from a cache.
    m_store.reset();
    // An empty query is stored as empty text, not NULL, so SQL filters need no special case.
    QCOMPARE(rawValue(m_location,
                 m_postgres ? u"SELECT CASE WHEN query IS NULL THEN 'null' ELSE 'text' END "
                              "FROM requests"_s
                            : u"SELECT typeof(query) FROM requests"_s),
        u"text"_s);
    m_store = open();
    QVERIFY(m_store);
    const Result<QList<LoggedRequest>> read = m_store->queries().requests(RequestFilter());
    VERIFY_OK(read);
    QCOMPARE(read->size(), 1);
    const LoggedRequest &stored = read->first();
    QCOMPARE(stored.id, batch[0].id);
    QCOMPARE(stored.receivedAtMicros, entry.receivedAtMicros);
    QCOMPARE(stored.webhookId, entry.webhookId);
    QCOMPARE(stored.method, entry.method);
    QCOMPARE(stored.path, entry.path);
    QCOMPARE(stored.query, entry.query);
    QCOMPARE(stored.httpVersion, entry.httpVersion);
    QCOMPARE(stored.headers, entry.headers);
    QCOMPARE(stored.body.size(), entry.body.size());
    QVERIFY(stored.body == entry.body); // QCOMPARE would print a megabyte on failure
    QCOMPARE(stored.bodyTruncated, entry.bodyTruncated);
    QCOMPARE(stored.bodySize, entry.bodySize);
    QCOMPARE(stored.contentType, entry.contentType);
    QCOMPARE(stored.clientAddress, entry.clientAddress);
    QCOMPARE(stored.forwardedFor, entry.forwardedFor);
    QCOMPARE(stored.status, entry.status);
    QCOMPARE(stored.reason, entry.reason);
    QCOMPARE(stored.reasonDetail, entry.reasonDetail);
    QCOMPARE(stored.handlingMicros, entry.handlingMicros);
    QCOMPARE(stored.instance, entry.instance);
    QCOMPARE(stored.apiKeyId, entry.apiKeyId);
    QVERIFY(!stored.accepted());
}

void tst_Store::roundTripsNonUtf8HeaderValues_data()
{
    QTest::addColumn<QByteArray>("bytes");

    QTest::addRow("Latin-1") << "caf\xe9"_ba;
    QTest::addRow("UTF-8") << "caf\xc3\xa9"_ba;
    QTest::addRow("Latin-1 that looks like UTF-8 when decoded") << "\xc3\xa9"_ba;
    QTest::addRow("invalid byte") << "a\xff"
                                     "b"_ba;
}

void tst_Store::roundTripsNonUtf8HeaderValues()
{
    // HTTP allows obs-text (bytes 0x80-0xFF) in header values, and the parser passes it on;
    // the log must keep the bytes that were received (the request target is ASCII-only).
    QFETCH(QByteArray, bytes);

    LoggedRequest entry = newEntry(QString(), 404);
    entry.headers = { { "X-Raw"_ba, bytes }, { "X-Plain"_ba, "ascii"_ba } };
    entry.contentType = "text/plain; x="_ba + bytes;
    QList<LoggedRequest> batch { entry };
    VERIFY_OK(m_store->log().append(batch));

    const Result<QList<LoggedRequest>> read = m_store->queries().requests(RequestFilter());
    VERIFY_OK(read);
    QCOMPARE(read->size(), 1);
    const LoggedRequest &stored = read->first();
    QCOMPARE(stored.headers.size(), qsizetype(2));
    QCOMPARE(stored.headers.value(0).second.toHex(), bytes.toHex());
    QCOMPARE(stored.contentType.toHex(), entry.contentType.toHex());
}

void tst_Store::appendRecordsKeyUse()
{
    const Result<NewApiKey> used = m_store->config().addKey(u"used"_s);
    const Result<NewApiKey> unused = m_store->config().addKey(u"unused"_s);
    VERIFY_OK(used);
    VERIFY_OK(unused);

    const qint64 t1 = 1'712'000'000'123'456;
    const qint64 t2 = t1 + 5'000'000;
    QList<LoggedRequest> batch { newEntry(QString(), 200, t1), newEntry(QString(), 200, t2),
        newEntry(QString(), 404, t2 + 1'000'000) };
    batch[0].apiKeyId = used->key.id;
    batch[1].apiKeyId = used->key.id;
    VERIFY_OK(m_store->log().append(batch));

    const auto lastUsed = [&](qint64 id) {
        const QList<ApiKey> keys = m_store->config().keys().value();
        for (const ApiKey &key : keys) {
            if (key.id == id)
                return key.lastUsed;
        }
        return QDateTime();
    };
    QVERIFY(lastUsed(used->key.id).isValid());
    QCOMPARE(lastUsed(used->key.id).toMSecsSinceEpoch(), t2 / 1000);
    QVERIFY(lastUsed(unused->key.id).isNull());

    // A late-arriving batch with an older time does not move last use back.
    QList<LoggedRequest> older { newEntry(QString(), 200, t1 - 1'000'000) };
    older[0].apiKeyId = used->key.id;
    VERIFY_OK(m_store->log().append(older));
    QCOMPARE(lastUsed(used->key.id).toMSecsSinceEpoch(), t2 / 1000);
}

void tst_Store::filterByWebhookAndOutcome()
{
    const QString a = Webhook::newId();
    const QString b = Webhook::newId();
    QList<LoggedRequest> batch { newEntry(a, 200), newEntry(a, 403), newEntry(b, 200),
        newEntry(QString(), 404), newEntry(a, 200), newEntry(b, 503), newEntry(a, 201) };
    VERIFY_OK(m_store->log().append(batch));
    const auto id = [&](int index) { return batch[index].id; };

    struct Case
    {
        const char *name;
        QString webhookId;
        RequestFilter::Outcome outcome;
        QList<qint64> expected;
    };
    const QList<Case> cases {
        { "all", QString(), RequestFilter::Outcome::Any,
            { id(6), id(5), id(4), id(3), id(2), id(1), id(0) } },
        { "webhook a", a, RequestFilter::Outcome::Any, { id(6), id(4), id(1), id(0) } },
        { "webhook b", b, RequestFilter::Outcome::Any, { id(5), id(2) } },
        { "accepted", QString(), RequestFilter::Outcome::Accepted, { id(6), id(4), id(2), id(0) } },
        { "rejected", QString(), RequestFilter::Outcome::Rejected, { id(5), id(3), id(1) } },
        { "webhook a accepted", a, RequestFilter::Outcome::Accepted, { id(6), id(4), id(0) } },
        { "webhook b rejected", b, RequestFilter::Outcome::Rejected, { id(5) } },
        { "unknown webhook", Webhook::newId(), RequestFilter::Outcome::Any, {} },
    };
    for (const Case &c : cases) {
        RequestFilter filter;
        filter.webhookId = c.webhookId;
        filter.outcome = c.outcome;
        const Result<QList<LoggedRequest>> read = m_store->queries().requests(filter);
        VERIFY_OK(read);
        QVERIFY2(idsOf(*read) == c.expected, c.name);
        for (const LoggedRequest &entry : *read) {
            if (!c.webhookId.isEmpty())
                QCOMPARE(entry.webhookId, c.webhookId);
        }
    }
}

void tst_Store::pagesNewestFirst()
{
    QList<LoggedRequest> batch;
    for (int i = 0; i < 25; ++i)
        batch.append(newEntry(QString(), i % 2 ? 200 : 404, 1'700'000'000'000'000 + i));
    VERIFY_OK(m_store->log().append(batch));
    const qint64 newest = batch.last().id;
    const qint64 oldest = batch.first().id;
    QCOMPARE(newest - oldest, qint64(24));

    RequestFilter filter;
    filter.limit = 10;
    QList<qint64> seen;
    QList<qsizetype> pageSizes;
    for (int page = 0; page < 10; ++page) {
        const Result<QList<LoggedRequest>> read = m_store->queries().requests(filter);
        VERIFY_OK(read);
        if (read->isEmpty())
            break;
        pageSizes.append(read->size());
        seen += idsOf(*read);
        filter.beforeId = read->last().id;
    }
    QCOMPARE(pageSizes, QList<qsizetype>({ 10, 10, 5 }));
    QCOMPARE(seen, range(newest, oldest));

    // Paging composes with the other filters.
    RequestFilter accepted;
    accepted.outcome = RequestFilter::Outcome::Accepted;
    accepted.beforeId = oldest + 10;
    accepted.limit = 3;
    const Result<QList<LoggedRequest>> read = m_store->queries().requests(accepted);
    VERIFY_OK(read);
    QCOMPARE(idsOf(*read), QList<qint64>({ oldest + 9, oldest + 7, oldest + 5 }));

    RequestFilter none;
    none.limit = 0;
    QVERIFY(m_store->queries().requests(none)->isEmpty());
}

void tst_Store::pageIdsAreTheRowsOfAPage_data()
{
    QTest::addColumn<RequestFilter>("filter");
    const qint64 base = 1'700'000'000'000'000;
    RequestFilter newest;
    newest.limit = 7;
    QTest::addRow("newest first") << newest;
    RequestFilter range = newest;
    range.sinceMicros = base + 5;
    range.untilMicros = base + 20;
    QTest::addRow("a time range") << range;
    RequestFilter upwards = range;
    upwards.oldestFirst = true;
    upwards.afterId = 3; // an offset from the first id, made absolute in the test
    QTest::addRow("oldest first above an id") << upwards;
    RequestFilter search = newest;
    search.search = u"token"_s;
    search.limit = 9;
    QTest::addRow("a search, partly indexed") << search;
}

// RequestQueries::pageIds serves deletion by filter as well as requests(): the ids it gives are
// those of the page requests() reads, in its order, as the filter defines them.
void tst_Store::pageIdsAreTheRowsOfAPage()
{
    QFETCH(RequestFilter, filter);
    const qint64 base = 1'700'000'000'000'000;
    QList<LoggedRequest> batch;
    for (int i = 0; i < 30; ++i) {
        // Every fifth row stamped as if the clock had been set back: ids and times disagree.
        LoggedRequest entry = newEntry(QString(), 200, base + (i % 5 == 4 ? i - 8 : i));
        entry.body = i % 3 ? "alpha token"_ba : "beta"_ba;
        batch.append(entry);
    }
    VERIFY_OK(m_store->log().append(batch));
    VERIFY_OK(m_store->search().indexPending(12)); // the rest is matched as it is read
    if (filter.afterId)
        filter.afterId += batch.first().id;

    QList<qint64> expected;
    for (const LoggedRequest &entry : batch) {
        if ((filter.sinceMicros && entry.receivedAtMicros < filter.sinceMicros)
            || (filter.untilMicros && entry.receivedAtMicros >= filter.untilMicros)
            || (filter.afterId && entry.id <= filter.afterId)
            || (!filter.search.isEmpty() && !entry.body.contains("token")))
            continue;
        expected.append(entry.id);
    }
    if (!filter.oldestFirst)
        std::reverse(expected.begin(), expected.end());
    expected = expected.mid(0, filter.limit);

    const Result<QList<qint64>> ids = m_store->queries().pageIds(filter, filter.limit);
    VERIFY_OK(ids);
    QCOMPARE(*ids, expected);
    const Result<QList<LoggedRequest>> page = m_store->queries().requests(filter);
    VERIFY_OK(page);
    QCOMPARE(idsOf(*page), expected);
}

void tst_Store::countRequests()
{
    const QString a = Webhook::newId();
    const QString b = Webhook::newId();
    QList<LoggedRequest> batch { newEntry(a, 200), newEntry(a, 403), newEntry(b, 200),
        newEntry(QString(), 404) };
    VERIFY_OK(m_store->log().append(batch));
    QCOMPARE(*m_store->queries().countRequests(), qint64(4));
    QCOMPARE(*m_store->queries().countRequests(a), qint64(2));
    QCOMPARE(*m_store->queries().countRequests(b), qint64(1));
    QCOMPARE(*m_store->queries().countRequests(Webhook::newId()), qint64(0));
}

void tst_Store::toJsonFieldNames()
{
    LoggedRequest entry = newEntry(Webhook::newId(), 200);
    entry.id = 42;
    entry.query = "a=1"_ba;
    entry.headers = { { "Host"_ba, "x"_ba }, { "Content-Type"_ba, "application/json"_ba } };
    entry.body = "{}"_ba;
    entry.bodySize = 2;
    entry.contentType = "application/json"_ba;
    entry.forwardedFor = u"10.0.0.1"_s;
    entry.reasonDetail = u"detail"_s;
    entry.handlingMicros = 17;

    const QJsonObject json = entry.toJson();
    QStringList keys = json.keys();
    keys.sort();
    QStringList expected { u"id"_s, u"receivedAt"_s, u"webhookId"_s, u"method"_s, u"path"_s,
        u"query"_s, u"httpVersion"_s, u"headers"_s, u"body"_s, u"bodyEncoding"_s,
        u"bodyTruncated"_s, u"bodySize"_s, u"contentType"_s, u"clientAddress"_s, u"forwardedFor"_s,
        u"status"_s, u"reason"_s, u"reasonDetail"_s, u"handlingMicros"_s, u"instance"_s };
    expected.sort();
    QCOMPARE(keys, expected);

    QCOMPARE(json.value(u"id"_s).toInteger(), qint64(42));
    QCOMPARE(json.value(u"webhookId"_s).toString(), entry.webhookId);
    QCOMPARE(json.value(u"method"_s).toString(), u"POST"_s);
    QCOMPARE(json.value(u"query"_s).toString(), u"a=1"_s);
    QCOMPARE(json.value(u"httpVersion"_s).toString(), u"HTTP/1.1"_s);
    QCOMPARE(json.value(u"headers"_s).toArray(),
        QJsonArray({ QJsonArray { u"Host"_s, u"x"_s },
            QJsonArray { u"Content-Type"_s, u"application/json"_s } }));
    QCOMPARE(json.value(u"body"_s).toString(), u"{}"_s);
    QCOMPARE(json.value(u"bodyEncoding"_s).toString(), u"utf8"_s);
    QCOMPARE(json.value(u"bodyTruncated"_s).toBool(true), false);
    QCOMPARE(json.value(u"bodySize"_s).toInteger(), qint64(2));
    QCOMPARE(json.value(u"contentType"_s).toString(), u"application/json"_s);
    QCOMPARE(json.value(u"clientAddress"_s).toString(), u"127.0.0.1"_s);
    QCOMPARE(json.value(u"forwardedFor"_s).toString(), u"10.0.0.1"_s);
    QCOMPARE(json.value(u"status"_s).toInt(), 200);
    QCOMPARE(json.value(u"reason"_s).toString(), u"accepted"_s);
    QCOMPARE(json.value(u"reasonDetail"_s).toString(), u"detail"_s);
    QCOMPARE(json.value(u"handlingMicros"_s).toInteger(), qint64(17));
    QCOMPARE(json.value(u"instance"_s).toString(), u"test"_s);

    // Unknown webhook: null, not an empty string; empty query: an empty string.
    LoggedRequest unknown = newEntry(QString(), 404);
    const QJsonObject unknownJson = unknown.toJson();
    QVERIFY(unknownJson.value(u"webhookId"_s).isNull());
    QVERIFY(unknownJson.value(u"query"_s).isString());
    QCOMPARE(unknownJson.value(u"query"_s).toString(), QString());
    QCOMPARE(unknownJson.keys().size(), qsizetype(20));
}

void tst_Store::toJsonTimestamp_data()
{
    QTest::addColumn<qint64>("micros");
    QTest::addColumn<QString>("text");

    QTest::addRow("epoch") << qint64(0) << u"1970-01-01T00:00:00.000000Z"_s;
    QTest::addRow("one microsecond") << qint64(1) << u"1970-01-01T00:00:00.000001Z"_s;
    QTest::addRow("recent") << qint64(1'700'000'000'123'456) << u"2023-11-14T22:13:20.123456Z"_s;
    QTest::addRow("whole second") << qint64(1'700'000'000'000'000)
                                  << u"2023-11-14T22:13:20.000000Z"_s;
    QTest::addRow("last microsecond of a day")
        << qint64(86'400'000'000 - 1) << u"1970-01-01T23:59:59.999999Z"_s;
}

void tst_Store::toJsonTimestamp()
{
    QFETCH(qint64, micros);
    QFETCH(QString, text);

    LoggedRequest entry = newEntry(QString(), 404, micros);
    const QString receivedAt = entry.toJson().value(u"receivedAt"_s).toString();
    QCOMPARE(receivedAt, text);
    static const QRegularExpression shape(
        u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$"_s);
    QVERIFY(shape.match(receivedAt).hasMatch());
    QCOMPARE(LoggedRequest::formatTimestamp(micros), text);
}

void tst_Store::toJsonBodyEncoding_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("encoding");

    QTest::addRow("empty") << QByteArray() << u"utf8"_s;
    QTest::addRow("ASCII JSON") << R"({"a":1})"_ba << u"utf8"_s;
    QTest::addRow("UTF-8") << "caf\xc3\xa9 \xf0\x9f\x98\x80"_ba << u"utf8"_s;
    QTest::addRow("Latin-1") << "caf\xe9"_ba << u"base64"_s;
    QTest::addRow("binary") << "\x00\xff\xfe\x80"_ba << u"base64"_s;
    QTest::addRow("truncated UTF-8 sequence") << "abc\xe2\x82"_ba << u"base64"_s;
    QTest::addRow("UTF-8 encoded surrogate") << "\xed\xa0\x80"_ba << u"base64"_s;
}

void tst_Store::toJsonBodyEncoding()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, encoding);

    LoggedRequest entry = newEntry(QString(), 200);
    entry.body = body;
    entry.bodySize = body.size();
    const QJsonObject json = entry.toJson();
    QCOMPARE(json.value(u"bodyEncoding"_s).toString(), encoding);
    const QString text = json.value(u"body"_s).toString();
    const QByteArray decoded = encoding == u"base64"_s
        ? QByteArray::fromBase64(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors)
        : text.toUtf8();
    QCOMPARE(decoded, body);
}

void tst_Store::searchFindsTokensInHeadersAndBodies_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QList<int>>("expected"); // indexes into the rows logged below
    QTest::addColumn<bool>("indexed");
    // Answered by the FTS index (caught up first), or by reading the rows it has not reached.
    for (const bool indexed : { true, false }) {
        const char *part = indexed ? "indexed" : "pending";
        QTest::addRow("%s (%s)", "a token in a header", part)
            << u"zebra"_s << QList<int> { 0 } << indexed;
        QTest::addRow("%s (%s)", "a hyphenated value", part)
            << u"zebra-42"_s << QList<int> { 0 } << indexed;
        QTest::addRow("%s (%s)", "a JSON string", part)
            << u"pineapple"_s << QList<int> { 1 } << indexed;
        QTest::addRow("%s (%s)", "two words, any order", part)
            << u"pie pineapple"_s << QList<int> { 1 } << indexed;
        QTest::addRow("%s (%s)", "case does not matter", part)
            << u"PINEAPPLE"_s << QList<int> { 1 } << indexed;
        QTest::addRow("%s (%s)", "a JSON number", part)
            << u"12345"_s << QList<int> { 2 } << indexed;
        QTest::addRow("%s (%s)", "one word missing", part)
            << u"pineapple zebra"_s << QList<int> {} << indexed;
        QTest::addRow("%s (%s)", "nowhere", part) << u"banana"_s << QList<int> {} << indexed;
        QTest::addRow("%s (%s)", "a word in two rows", part)
            << u"shared"_s << QList<int> { 0, 2 } << indexed;
        QTest::addRow("%s (%s)", "no word at all", part) << u"--"_s << QList<int> {} << indexed;
    }
}

void tst_Store::searchFindsTokensInHeadersAndBodies()
{
    QFETCH(QString, search);
    QFETCH(QList<int>, expected);
    QList<LoggedRequest> batch { newEntry(QString(), 200), newEntry(QString(), 200),
        newEntry(QString(), 200), newEntry(QString(), 200) };
    batch[0].headers = { { "X-Trace", "zebra-42" }, { "X-Note", "shared" } };
    batch[1].body = R"({"note":"pineapple pie","n":7})";
    batch[2].body = "{\"order\":12345,\"tag\":\"shared\"}";
    batch[3].body = QByteArray("\x00\xff\x01binary", 9);
    VERIFY_OK(m_store->log().append(batch));
    QFETCH(bool, indexed);
    if (indexed)
        QCOMPARE(
            *m_store->search().indexPending(100), m_postgres ? qint64(0) : qint64(batch.size()));

    RequestFilter filter;
    filter.search = search;
    const Result<QList<LoggedRequest>> found = m_store->queries().requestSummaries(filter);
    VERIFY_OK(found);
    QList<qint64> wanted;
    for (int index : expected)
        wanted.prepend(batch.at(index).id); // newest first
    QCOMPARE(idsOf(*found), wanted);
    const Result<qint64> count = m_store->queries().countRequests(filter);
    VERIFY_OK(count);
    QCOMPARE(*count, qint64(expected.size()));
}

void tst_Store::postgresUrlErrors_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::addRow("no database") << u"postgresql://hooktrail:s3cret@127.0.0.1:5432/"_s
                                 << u"not a PostgreSQL URL"_s;
    QTest::addRow("no host") << u"postgresql:///hooktrail"_s << u"not a PostgreSQL URL"_s;
    // Port 1 on loopback: nothing listens there; the error comes from the connection attempt.
    QTest::addRow("nothing listening")
        << u"postgresql://hooktrail:s3cret@127.0.0.1:1/db"_s << u"cannot open the database"_s;
}

void tst_Store::redactedUrlHidesPasswords_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<bool>("hasPassword");
    QTest::addColumn<bool>("refusedAsIs"); // openPostgres refuses it before connecting
    QTest::addRow("user:password@")
        << u"postgresql://u:s3cret@db/h"_s << u"postgresql://u:***@db/h"_s << true << false;
    QTest::addRow("a slash in the password")
        << u"postgresql://u:pa/ss3cret@db/h"_s << u"postgresql://u:***@db/h"_s << true << true;
    QTest::addRow("port-like, then a slash") << u"postgresql://u:12/s3cret@db:5432/h"_s
                                             << u"postgresql://u:***@db:5432/h"_s << true << true;
    QTest::addRow("? # and @ in the password")
        << u"postgres://u:s3?c#r@et@db/h"_s << u"postgres://u:***@db/h"_s << true << false;
    QTest::addRow("?password=") << u"postgresql://u@db/h?password=s3cret"_s
                                << u"postgresql://u@db/h?password=***"_s << true << false;
    QTest::addRow("among other parameters")
        << u"postgresql://db/h?sslmode=require&password=s3cret&application_name=x"_s
        << u"postgresql://db/h?sslmode=require&password=***&application_name=x"_s << true << false;
    QTest::addRow("both, and sslpassword")
        << u"postgresql://u:s3cret@db/h?sslpassword=s3cret2&Password=s3cret3#f"_s
        << u"postgresql://u:***@db/h?sslpassword=***&Password=***#f"_s << true << false;
    QTest::addRow("percent-encoded name") << u"postgresql://db/h?pass%77ord=s3cret"_s
                                          << u"postgresql://db/h?pass%77ord=***"_s << true << false;
    QTest::addRow("no password") << u"postgresql://u@db:5432/h?sslmode=require"_s
                                 << u"postgresql://u@db:5432/h?sslmode=require"_s << false << false;
    QTest::addRow("an empty password")
        << u"postgresql://u:@db/h"_s << u"postgresql://u:@db/h"_s << false << false;
    QTest::addRow("an @ in the query, no password")
        << u"postgresql://db/h?application_name=a@b"_s
        << u"postgresql://db/h?application_name=a@b"_s << false << false;
    QTest::addRow("invalid, no @")
        << u"postgresql://u:s3cret"_s << u"(an invalid PostgreSQL URL)"_s << false << true;
}

void tst_Store::redactedUrlHidesPasswords()
{
    QFETCH(QString, url);
    QFETCH(QString, shown);
    QFETCH(bool, hasPassword);
    QFETCH(bool, refusedAsIs);
    QCOMPARE(Store::redactedUrl(url), shown);
    QCOMPARE(Store::urlHasPassword(url), hasPassword);
    // Nor in the error that refuses the URL (one that needs no server to refuse).
    if (refusedAsIs) {
        const Result<std::unique_ptr<Store>> opened = Store::openPostgres(url);
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(u"is not a PostgreSQL URL"_s), qPrintable(opened.error()));
        QVERIFY2(!opened.error().contains(u"s3cret"_s), qPrintable(opened.error()));
    }
}

void tst_Store::postgresUrlErrors()
{
    if (!m_postgres)
        QSKIP("run by tst_StorePostgres");
    QFETCH(QString, url);
    QFETCH(QString, expected);
    const Result<std::unique_ptr<Store>> opened = Store::openPostgres(url);
    QVERIFY(!opened);
    QVERIFY2(opened.error().contains(expected), qPrintable(opened.error()));
    // A password given in the URL is never repeated.
    QVERIFY2(!opened.error().contains(u"s3cret"_s), qPrintable(opened.error()));
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    tst_Store sqlite;
    tst_StorePostgres postgres;
    int status = QTest::qExec(&sqlite, argc, argv);
    status |= QTest::qExec(&postgres, argc, argv);
    return status;
}
#include "tst_store.moc"
