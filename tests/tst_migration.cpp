// Tests for StoreMigration: a real SQLite history copied into a real SQLite target, and into
// PostgreSQL when HOOKTRAIL_TEST_POSTGRES names a server; progress as it goes, and a second run
// that finds nothing new.
#include "core/store/store.h"
#include "core/store/storemigration.h"
#include "sqltestsupport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

// More than two batches of the migration, so progress is reported more than once.
constexpr int kRequests = 450;

QList<LoggedRequest> requests(int count, int from, const QString &webhookId, qint64 keyId)
{
    QList<LoggedRequest> batch;
    for (int i = from; i < from + count; ++i) {
        LoggedRequest request;
        request.receivedAtMicros = 1'700'000'000'000'000 + i;
        request.webhookId = webhookId;
        request.method = "POST";
        request.path = "/v1/data/webhook/" + webhookId.toLatin1();
        request.query = "n=" + QByteArray::number(i);
        request.httpVersion = "HTTP/1.1";
        request.headers = { { "Content-Type", "application/json" } };
        request.body = R"({"n":)" + QByteArray::number(i) + '}';
        request.bodySize = request.body.size();
        request.contentType = "application/json";
        request.status = i % 3 == 0 ? 401 : 200;
        request.reason = i % 3 == 0 ? "invalid_api_key" : "accepted";
        request.clientAddress = u"192.0.2.7"_s;
        request.instance = u"laptop:8484"_s;
        request.apiKeyId = i % 3 == 0 ? 0 : keyId;
        batch.append(request);
    }
    return batch;
}

struct ProgressReport
{
    qint64 copied;
    qint64 total;
};

} // namespace

class MigrationTest final : public QObject
{
    Q_OBJECT

private slots:
    void copiesOnceWithProgress_data();
    void copiesOnceWithProgress();
};

void MigrationTest::copiesOnceWithProgress_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::addRow("into SQLite") << false;
    QTest::addRow("into PostgreSQL") << true;
}

void MigrationTest::copiesOnceWithProgress()
{
    QFETCH(bool, postgres);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString target = dir.filePath(u"target.db"_s);
    if (postgres) {
        target = postgresTestUrl(u"migration"_s);
        if (target.isEmpty())
            QSKIP("no PostgreSQL server: HOOKTRAIL_TEST_POSTGRES is not set (./dev test starts a "
                  "throw-away one with scripts/pg-test-cluster.sh)");
        QString error;
        QVERIFY2(resetPostgres(target, &error), qPrintable(error));
    }

    Result<std::unique_ptr<Store>> source = Store::openSqlite(dir.filePath(u"source.db"_s));
    VERIFY_OK(source);
    Webhook orders;
    orders.name = u"Orders"_s;
    const Result<Webhook> added = (*source)->config().addWebhook(orders);
    VERIFY_OK(added);
    Webhook refunds;
    refunds.name = u"Refunds"_s;
    refunds.acceptAnyContentType = true;
    const Result<Webhook> addedRefunds = (*source)->config().addWebhook(refunds);
    VERIFY_OK(addedRefunds);
    const Result<NewApiKey> key = (*source)->config().addKey(u"shop"_s);
    VERIFY_OK(key);
    QList<LoggedRequest> batch = requests(kRequests, 0, added->id, key->key.id);
    VERIFY_OK((*source)->log().append(batch));

    Result<std::unique_ptr<Store>> output = Store::open(target);
    VERIFY_OK(output);
    const QString identity = u"sqlite:"_s + dir.filePath(u"source.db"_s);
    QList<ProgressReport> reports;
    const auto record = [&reports](qint64 copied, qint64 total) {
        reports.append({ copied, total });
    };

    {
        StoreMigration migration(**source, **output, identity);
        const Result<StoreMigration::Plan> plan = migration.prepare();
        VERIFY_OK(plan);
        QCOMPARE(plan->webhooks, 2);
        QCOMPARE(plan->webhooksAdded, 2);
        QCOMPARE(plan->keys, 1);
        QCOMPARE(plan->requests, qint64(kRequests));
        QVERIFY(!plan->resumed);
        const Result<qint64> copied = migration.copyRequests(record);
        VERIFY_OK(copied);
        QCOMPARE(*copied, qint64(kRequests));
    }
    QVERIFY2(reports.size() > 1, "progress is reported batch by batch");
    for (qsizetype i = 0; i < reports.size(); ++i) {
        QCOMPARE(reports[i].total, qint64(kRequests));
        QVERIFY(reports[i].copied > 0 && reports[i].copied <= kRequests);
        if (i > 0)
            QVERIFY2(reports[i].copied > reports[i - 1].copied, "progress only goes forward");
    }
    QCOMPARE(reports.constLast().copied, qint64(kRequests));
    QCOMPARE(*(*output)->queries().countRequests(), qint64(kRequests));
    const Result<QList<ApiKey>> keys = (*output)->config().keys();
    VERIFY_OK(keys);
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().hash, key->key.hash);
    // Each webhook as it was, its content checks included.
    QVERIFY(!(*output)->config().webhook(added->id)->value().acceptAnyContentType);
    QVERIFY((*output)->config().webhook(addedRefunds->id)->value().acceptAnyContentType);

    // Run again: the webhooks are there, and not one request is copied twice.
    reports.clear();
    {
        StoreMigration migration(**source, **output, identity);
        const Result<StoreMigration::Plan> plan = migration.prepare();
        VERIFY_OK(plan);
        QCOMPARE(plan->webhooksAdded, 0);
        QCOMPARE(plan->requests, qint64(0));
        QVERIFY(plan->resumed);
        const Result<qint64> copied = migration.copyRequests(record);
        VERIFY_OK(copied);
        QCOMPARE(*copied, qint64(0));
    }
    QVERIFY(reports.isEmpty());
    QCOMPARE(*(*output)->queries().countRequests(), qint64(kRequests));
    QCOMPARE((*output)->config().keys()->size(), 1);

    // More arrive at the source: only they are copied, each request's key still the target's.
    QList<LoggedRequest> more = requests(30, kRequests, added->id, key->key.id);
    VERIFY_OK((*source)->log().append(more));
    {
        StoreMigration migration(**source, **output, identity);
        const Result<StoreMigration::Plan> plan = migration.prepare();
        VERIFY_OK(plan);
        QCOMPARE(plan->requests, qint64(30));
        const Result<qint64> copied = migration.copyRequests(record);
        VERIFY_OK(copied);
        QCOMPARE(*copied, qint64(30));
    }
    QCOMPARE(reports.size(), 1);
    QCOMPARE(reports.first().copied, qint64(30));
    QCOMPARE(reports.first().total, qint64(30));
    QCOMPARE(*(*output)->queries().countRequests(), qint64(kRequests + 30));
    RequestFilter newest;
    newest.limit = 1;
    const Result<QList<LoggedRequest>> last = (*output)->queries().requests(newest);
    VERIFY_OK(last);
    QCOMPARE(last->first().query, QByteArray("n=479"));
    QCOMPARE(last->first().apiKeyId, keys->first().id); // 479 % 3 != 0: sent with the key
}

QTEST_GUILESS_MAIN(MigrationTest)
#include "tst_migration.moc"
