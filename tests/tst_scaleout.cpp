// Several receivers, one PostgreSQL database: two `hooktrail serve` processes loaded at once
// log every acknowledged request exactly once, in commit order, each row naming its receiver;
// a webhook disabled through one process is refused by the other within a second.
// Needs HOOKTRAIL_TEST_POSTGRES (./dev test starts a throw-away server); skips without it.
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "sqltestsupport.h"
#include "testsupport.h"
#include "ui/requesttablemodel.h"

#include <QAbstractItemModelTester>

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

constexpr int kConnections = 8; // per receiver
constexpr qint64 kLoadMs = 1500;

struct Provisioned
{
    QString webhookId;
    QString key;
};

} // namespace

class tst_ScaleOut final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void twoReceiversShareOneLog();
    void disabledThroughOneRefusedByTheOther();
    void consoleFollowsEveryReceiver();
    void databaseKilledMidLoad();
    void migrateCopiesALocalHistoryOnce();
    void migrateRefusesBadArguments_data();
    void migrateRefusesBadArguments();

private:
    bool provision(Provisioned *out, QString *error);
    bool startBoth(QString *error);

    QString m_url;
    std::unique_ptr<QTemporaryDir> m_dirs[2];
    std::unique_ptr<ServeProcess> m_serve[2]; // new for each test
};

void tst_ScaleOut::init()
{
    m_url = postgresTestUrl(u"scaleout"_s);
    if (m_url.isEmpty())
        QSKIP("no PostgreSQL server: HOOKTRAIL_TEST_POSTGRES is not set (./dev test starts a "
              "throw-away one with scripts/pg-test-cluster.sh)");
    QString error;
    QVERIFY2(resetPostgres(m_url, &error), qPrintable(error));
}

void tst_ScaleOut::cleanup()
{
    for (auto &serve : m_serve)
        serve.reset();
}

bool tst_ScaleOut::provision(Provisioned *out, QString *error)
{
    Result<std::unique_ptr<Store>> store = Store::openPostgres(m_url);
    if (!store) {
        *error = store.error();
        return false;
    }
    Webhook webhook;
    webhook.name = u"Shared"_s;
    const Result<Webhook> added = (*store)->config().addWebhook(webhook);
    const Result<NewApiKey> key = (*store)->config().addKey(u"senders"_s);
    if (!added || !key) {
        *error = added ? key.error() : added.error();
        return false;
    }
    out->webhookId = added->id;
    out->key = key->secret;
    return true;
}

bool tst_ScaleOut::startBoth(QString *error)
{
    // Two data folders (settings of their own), one database.
    for (int i = 0; i < 2; ++i) {
        m_dirs[i] = std::make_unique<QTemporaryDir>();
        m_serve[i] = std::make_unique<ServeProcess>();
        if (!m_serve[i]->start(m_dirs[i]->path(), 15000, { u"--database"_s, m_url })) {
            *error = m_serve[i]->error();
            return false;
        }
    }
    return true;
}

void tst_ScaleOut::twoReceiversShareOneLog()
{
    Provisioned provisioned;
    QString error;
    QVERIFY2(provision(&provisioned, &error), qPrintable(error));
    QVERIFY2(startBoth(&error), qPrintable(error));

    const QByteArray target = "/v1/data/webhook/" + provisioned.webhookId.toLatin1()
        + "?api-key=" + provisioned.key.toLatin1();
    LoadGenerator first(m_serve[0]->port(), target, kConnections);
    LoadGenerator second(m_serve[1]->port(), target, kConnections);
    QElapsedTimer loading;
    loading.start();
    while (loading.elapsed() < kLoadMs)
        QTest::qWait(20);
    QVERIFY(first.acknowledged().size() >= 50);
    QVERIFY(second.acknowledged().size() >= 50);
    QCOMPARE(first.otherAnswers() + second.otherAnswers(), 0);
    QCOMPARE(m_serve[0]->stop(), 0);
    QCOMPARE(m_serve[1]->stop(), 0);

    // Every acknowledged request is in the log exactly once, with the receiver that took it.
    Result<std::unique_ptr<Store>> store = Store::openPostgres(m_url);
    VERIFY_OK(store);
    RequestFilter all;
    all.limit = 1'000'000;
    const Result<QList<LoggedRequest>> logged = (*store)->queries().requestSummaries(all);
    VERIFY_OK(logged);
    QHash<qint64, QString> instanceOf;
    for (const LoggedRequest &request : *logged)
        instanceOf.insert(request.id, request.instance);
    QCOMPARE(instanceOf.size(), logged->size()); // ids unique
    QSet<QString> instances;
    const QList<qint64> acknowledged[2] = { first.acknowledged(), second.acknowledged() };
    for (int i = 0; i < 2; ++i) {
        QSet<QString> seen;
        for (const qint64 id : acknowledged[i]) {
            QVERIFY2(instanceOf.contains(id),
                qPrintable(u"acknowledged request %1 is not in the log"_s.arg(id)));
            seen.insert(instanceOf.value(id));
        }
        QCOMPARE(seen.size(), 1); // one receiver took them all
        QVERIFY(seen.values().first().endsWith(u':' + QString::number(m_serve[i]->port())));
        instances += seen;
    }
    QCOMPARE(instances.size(), 2);
    // Nothing was logged twice: each acknowledged id once, and no row beyond the answers sent
    // (a request still in flight when its receiver stopped may be logged without an answer).
    const qsizetype answered = acknowledged[0].size() + acknowledged[1].size();
    QCOMPARE(QSet<qint64>(acknowledged[0].cbegin(), acknowledged[0].cend())
                 .unite(QSet<qint64>(acknowledged[1].cbegin(), acknowledged[1].cend()))
                 .size(),
        answered);
    QVERIFY2(logged->size() <= answered + 2 * kConnections,
        qPrintable(u"%1 rows for %2 answers"_s.arg(logged->size()).arg(answered)));
    qInfo("two receivers: %lld + %lld acknowledged in %lld ms, %lld rows",
        qint64(acknowledged[0].size()), qint64(acknowledged[1].size()), loading.elapsed(),
        qint64(logged->size()));
}

void tst_ScaleOut::disabledThroughOneRefusedByTheOther()
{
    Provisioned provisioned;
    QString error;
    QVERIFY2(provision(&provisioned, &error), qPrintable(error));
    QVERIFY2(startBoth(&error), qPrintable(error));
    const auto post = [&](int receiver) {
        return sendRequest(
            u"http://127.0.0.1:%1/v1/data/webhook/%2?api-key=%3"_s.arg(m_serve[receiver]->port())
                .arg(provisioned.webhookId, provisioned.key),
            "POST", { { "Content-Type", "application/json" } }, "{}");
    };
    QCOMPARE(post(0).status, 200);
    QCOMPARE(post(1).status, 200);

    // Disabled through the first receiver's own command line (its data folder, the database).
    const ProcessOutcome disabled = runHooktrail({ u"--data-dir"_s, m_dirs[0]->path(),
        u"--database"_s, m_url, u"webhook"_s, u"disable"_s, provisioned.webhookId });
    QVERIFY2(disabled.exited && disabled.exitCode == 0, disabled.err.constData());
    // Each receiver follows the database on its own: both must refuse within a second.
    QElapsedTimer since;
    since.start();
    qint64 refusedAfter[2] = { -1, -1 };
    while ((refusedAfter[0] < 0 || refusedAfter[1] < 0) && since.elapsed() < 5000) {
        for (int receiver = 0; receiver < 2; ++receiver) {
            if (refusedAfter[receiver] >= 0)
                continue;
            const HttpAnswer answer = post(receiver);
            if (answer.status == 200)
                continue;
            QVERIFY2(
                answer.status == 503, answer.body.constData()); // the contract's webhook_disabled
            QCOMPARE(answer.json().value(u"reason"_s).toString(), u"webhook_disabled"_s);
            refusedAfter[receiver] = since.elapsed();
        }
    }
    for (const qint64 after : refusedAfter)
        QVERIFY2(after >= 0 && after < 1000, qPrintable(u"refused after %1 ms"_s.arg(after)));
    qInfo("the receivers refused the disabled webhook after %lld and %lld ms", refusedAfter[0],
        refusedAfter[1]);
}

// A console's history on the shared database shows what either receiver logs, as it is
// committed: PostgreSQL notifies it (well before the 5 s look it takes by itself).
void tst_ScaleOut::consoleFollowsEveryReceiver()
{
    Provisioned provisioned;
    QString error;
    QVERIFY2(provision(&provisioned, &error), qPrintable(error));
    QVERIFY2(startBoth(&error), qPrintable(error));
    const QString url = m_url;
    StoreExecutor executor([url] { return Store::openPostgres(url); });
    RequestTableModel model(&executor);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFilter({});
    QTRY_COMPARE(model.totalCount(), qint64(0));

    QElapsedTimer sending;
    sending.start();
    QList<qint64> sent;
    for (int i = 0; i < 6; ++i) {
        const HttpAnswer answer = sendRequest(
            u"http://127.0.0.1:%1/v1/data/webhook/%2?api-key=%3"_s.arg(m_serve[i % 2]->port())
                .arg(provisioned.webhookId, provisioned.key),
            "POST", { { "Content-Type", "application/json" } }, "{}");
        QCOMPARE(answer.status, 200);
        sent.prepend(answer.requestId());
    }
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 6, RequestTableModel::PollIntervalMs - 1000);
    qInfo("the console showed all six %lld ms after the first was sent", sending.elapsed());
    QSet<QString> instances;
    for (int row = 0; row < 6; ++row) {
        QCOMPARE(model.requestAt(row).id, sent.at(row));
        instances.insert(model.requestAt(row).instance);
    }
    QCOMPARE(instances.size(), 2);
}

// The server killed (SIGKILL) under load and started again: no 2xx for a request that was not
// committed, 503 storage_unavailable meanwhile, and the receiver back by itself. The server
// killed is one of this test's own: the shared test server stays up for the suites that run
// beside this one (ctest -j).
void tst_ScaleOut::databaseKilledMidLoad()
{
    QTemporaryDir clusterDir;
    QVERIFY(clusterDir.isValid());
    // The server runs as its own account (initdb refuses root), which must reach the folder.
    QVERIFY(QFile::setPermissions(clusterDir.path(),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup
            | QFile::ExeOther));
    const QString cluster = clusterDir.filePath(u"cluster"_s);
    QByteArray started;
    const auto server = [&cluster, &started](const QString &command) {
        QProcess process;
        process.start(u"bash"_s,
            { QStringLiteral(QT_TESTCASE_SOURCEDIR "/../scripts/pg-test-cluster.sh"), command,
                cluster });
        const bool ok = process.waitForFinished(90000)
            && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
        started = process.readAllStandardOutput().trimmed();
        if (!ok)
            qWarning("pg-test-cluster.sh %s: %s", qPrintable(command),
                process.readAllStandardError().constData());
        return ok;
    };
    QVERIFY2(server(u"start"_s), "could not start a PostgreSQL server of the test's own");
    const auto stopServer = qScopeGuard([&server] { server(u"stop"_s); });
    m_url = QString::fromUtf8(started);
    QVERIFY2(m_url.startsWith(u"postgresql://"_s), started.constData());
    Provisioned provisioned;
    QString error;
    QVERIFY2(provision(&provisioned, &error), qPrintable(error));
    m_dirs[0] = std::make_unique<QTemporaryDir>();
    m_serve[0] = std::make_unique<ServeProcess>();
    QVERIFY2(m_serve[0]->start(m_dirs[0]->path(), 15000, { u"--database"_s, m_url }),
        qPrintable(m_serve[0]->error()));
    const QString url
        = u"http://127.0.0.1:%1/v1/data/webhook/%2?api-key=%3"_s.arg(m_serve[0]->port())
              .arg(provisioned.webhookId, provisioned.key);
    const QByteArray target = QUrl(url).toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);

    QList<qint64> acknowledged;
    int refused = 0;
    {
        LoadGenerator load(m_serve[0]->port(), target, kConnections);
        QTest::qWait(600);
        const qsizetype before = load.acknowledged().size();
        QVERIFY(before > 0);
        QVERIFY(server(u"kill"_s));
        QTest::qWait(1500);
        acknowledged = load.acknowledged();
        refused = load.otherAnswers();
        qInfo("before the kill: %lld acknowledged; by the end of the outage: %lld, refused %d",
            qint64(before), qint64(acknowledged.size()), refused);
    }
    QVERIFY(server(u"restart"_s));
    // Back by itself: the same receiver, no restart, accepts again.
    QElapsedTimer recovering;
    recovering.start();
    HttpAnswer answer;
    do {
        answer = sendRequest(url, "POST", { { "Content-Type", "application/json" } }, "{}");
        if (answer.status != 200)
            QTest::qWait(200);
    } while (answer.status != 200 && recovering.elapsed() < 30000);
    QCOMPARE(answer.status, 200);
    acknowledged.append(answer.requestId());
    qInfo("accepting again %lld ms after the restart", recovering.elapsed());
    QVERIFY(refused > 0); // the outage was answered, not hidden
    QCOMPARE(m_serve[0]->stop(), 0);

    Result<std::unique_ptr<Store>> store = Store::openPostgres(m_url);
    VERIFY_OK(store);
    for (const qint64 id : std::as_const(acknowledged)) {
        const Result<std::optional<LoggedRequest>> logged = (*store)->queries().request(id);
        VERIFY_OK(logged);
        QVERIFY2(logged->has_value(),
            qPrintable(u"acknowledged request %1 is not in the log"_s.arg(id)));
        QCOMPARE((*logged)->status, 200);
    }
}

namespace {

QList<LoggedRequest> localRequests(int count, const QString &webhookId, qint64 keyId, int from)
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
        request.headers
            = { { "Content-Type", "application/octet-stream" }, { "X-N", QByteArray::number(i) } };
        request.body = QByteArray("\x00\xff binary ") + QByteArray::number(i);
        request.bodySize = request.body.size();
        request.contentType = i % 7 == 0 ? QByteArray("text/plain; x=caf\xe9")
                                         : QByteArray("application/octet-stream");
        request.status = i % 3 == 0 ? 401 : 200;
        request.reason = i % 3 == 0 ? "invalid_api_key" : "accepted";
        request.clientAddress = u"192.0.2.7"_s;
        request.instance = u"laptop:8484"_s;
        request.apiKeyId = i % 3 == 0 ? 0 : keyId;
        batch.append(request);
    }
    return batch;
}

} // namespace

void tst_ScaleOut::migrateCopiesALocalHistoryOnce()
{
    QTemporaryDir local;
    const QString path = local.filePath(u"hooktrail.db"_s);
    Webhook orders;
    orders.name = u"Orders"_s;
    Webhook refunds;
    refunds.name = u"Refunds"_s;
    refunds.enabled = false;
    Result<Webhook> addedOrders = Result<Webhook>::failure(QString());
    Result<NewApiKey> key = Result<NewApiKey>::failure(QString());
    {
        Result<std::unique_ptr<Store>> source = Store::openSqlite(path);
        VERIFY_OK(source);
        addedOrders = (*source)->config().addWebhook(orders);
        VERIFY_OK(addedOrders);
        VERIFY_OK((*source)->config().addWebhook(refunds));
        key = (*source)->config().addKey(u"shop"_s);
        VERIFY_OK(key);
        QList<LoggedRequest> batch = localRequests(450, addedOrders->id, key->key.id, 0);
        VERIFY_OK((*source)->log().append(batch));
    }
    const QStringList migrate { u"--data-dir"_s, local.path(), u"migrate"_s, u"--from"_s,
        u"sqlite:"_s + path, u"--to"_s, m_url };
    ProcessOutcome run = runHooktrail(migrate);
    QVERIFY2(run.exited && run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("copied 450 requests"), run.out.constData());

    Result<std::unique_ptr<Store>> shared = Store::openPostgres(m_url);
    VERIFY_OK(shared);
    Result<std::unique_ptr<Store>> source = Store::openSqlite(path);
    VERIFY_OK(source);
    const Result<QList<Webhook>> webhooks = (*shared)->config().webhooks();
    VERIFY_OK(webhooks);
    QCOMPARE(webhooks->size(), 2);
    QVERIFY((*shared)->config().webhook(addedOrders->id)->has_value());
    const Result<QList<ApiKey>> keys = (*shared)->config().keys();
    VERIFY_OK(keys);
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().hash, key->key.hash);

    // Every request, in order, as it was (ids are the shared database's own).
    RequestFilter everything;
    everything.oldestFirst = true;
    everything.limit = 1000;
    const Result<QList<LoggedRequest>> copied = (*shared)->queries().requests(everything);
    const Result<QList<LoggedRequest>> original = (*source)->queries().requests(everything);
    VERIFY_OK(copied);
    VERIFY_OK(original);
    QCOMPARE(copied->size(), 450);
    for (qsizetype i = 0; i < copied->size(); ++i) {
        const LoggedRequest &a = original->at(i);
        const LoggedRequest &b = copied->at(i);
        QCOMPARE(b.receivedAtMicros, a.receivedAtMicros);
        QCOMPARE(b.body, a.body);
        QCOMPARE(b.headers, a.headers);
        QCOMPARE(b.contentType, a.contentType);
        QCOMPARE(b.query, a.query);
        QCOMPARE(b.status, a.status);
        QCOMPARE(b.reason, a.reason);
        QCOMPARE(b.instance, a.instance);
        QCOMPARE(b.apiKeyId != 0, a.apiKeyId != 0);
        if (b.apiKeyId)
            QCOMPARE(b.apiKeyId, keys->first().id);
    }

    // Again: nothing new, nothing twice.
    run = runHooktrail(migrate);
    QVERIFY2(run.exited && run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("requests to copy: 0"), run.out.constData());
    QCOMPARE(*(*shared)->queries().countRequests(), qint64(450));

    // More arrive locally: only they are copied.
    QList<LoggedRequest> more = localRequests(30, addedOrders->id, key->key.id, 450);
    VERIFY_OK((*source)->log().append(more));
    run = runHooktrail(migrate);
    QVERIFY2(run.exited && run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("copied 30 requests"), run.out.constData());
    QCOMPARE(*(*shared)->queries().countRequests(), qint64(480));
    QCOMPARE((*shared)->config().keys()->size(), 1);
}

void tst_ScaleOut::migrateRefusesBadArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addRow("no --to") << QStringList { u"--from"_s, u"sqlite:/tmp/x.db"_s } << 2
                             << u"migrate needs --from"_s;
    QTest::addRow("a URL as the source") << QStringList { u"--from"_s, u"postgresql://a@b/c"_s,
        u"--to"_s, u"TARGET"_s } << 2 << u"--from takes a SQLite file"_s;
    QTest::addRow("no such file") << QStringList { u"--from"_s,
        u"sqlite:/nonexistent/hooktrail.db"_s, u"--to"_s, u"TARGET"_s }
                                  << 1 << u"no SQLite database at /nonexistent/hooktrail.db"_s;
}

void tst_ScaleOut::migrateRefusesBadArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    arguments.replaceInStrings(u"TARGET"_s, m_url);
    QTemporaryDir dir;
    const ProcessOutcome run
        = runHooktrail(QStringList { u"--data-dir"_s, dir.path(), u"migrate"_s } + arguments);
    QVERIFY(run.exited);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
}

QTEST_GUILESS_MAIN(tst_ScaleOut)
#include "tst_scaleout.moc"
