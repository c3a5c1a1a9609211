// Delivery's guarantees under failure (ARCHITECTURE §5.5): `hooktrail serve` killed (SIGKILL)
// while requests arrive and deliveries are on their way delivers, once restarted, every request
// it acknowledged, at least once; two receivers on one PostgreSQL database share the outbox,
// each delivery made by one of them.
#include "core/delivery/forwarding.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/store.h"
#include "destinationserver.h"
#include "sqltestsupport.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {
constexpr int kConnections = 8;
constexpr int kRounds = 3;
constexpr qint64 kLoadMs = 1000;
constexpr qsizetype kMinAcknowledged = 100;
} // namespace

class DeliveryDurabilityTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killedWhileDeliveringDeliversEveryAcknowledged_data();
    void killedWhileDeliveringDeliversEveryAcknowledged();
    void twoReceiversShareOnePostgresOutbox();

private:
    QSet<qint64> arrivedIds() const;

    QTemporaryDir m_root;
    QString m_dataDir;
    QByteArray m_target;
    DestinationServer m_destination;
};

void DeliveryDurabilityTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(QFileInfo(hooktrailBinary()).isExecutable(),
        "set HOOKTRAIL_BINARY to the hooktrail executable (CTest does)");
    QVERIFY(m_root.isValid());
    QVERIFY(m_destination.listen());
    // A destination that takes a little while, so that deliveries are on their way at the kill.
    m_destination.respond([](const ParsedRequest &, int) {
        DestinationServer::Answer answer;
        answer.delayMs = 15;
        return answer;
    });
    m_dataDir = m_root.filePath(u"data"_s);
    const CliProvision provision = provisionViaCli(m_dataDir, u"forwarded"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    m_target = "/v1/data/webhook/" + provision.webhookId.toLatin1()
        + "?api-key=" + provision.key.toLatin1();
    auto store = Store::openSqlite(QDir(m_dataDir).filePath(u"hooktrail.db"_s));
    QVERIFY2(store, qPrintable(store.error()));
    Destination destination;
    destination.webhookId = provision.webhookId;
    destination.name = u"app"_s;
    destination.url = m_destination.url();
    const Result<Destination> added = (*store)->deliveries().addDestination(destination);
    QVERIFY2(added, qPrintable(added.error()));
}

QSet<qint64> DeliveryDurabilityTest::arrivedIds() const
{
    QSet<qint64> ids;
    for (const ParsedRequest &request : m_destination.received)
        ids.insert(request.header(Forwarding::RequestIdHeader).toLongLong());
    return ids;
}

void DeliveryDurabilityTest::killedWhileDeliveringDeliversEveryAcknowledged_data()
{
    QTest::addColumn<int>("round");
    for (int round = 1; round <= kRounds; ++round)
        QTest::addRow("round %d", round) << round;
}

void DeliveryDurabilityTest::killedWhileDeliveringDeliversEveryAcknowledged()
{
    QFETCH(int, round);
    QList<qint64> acknowledged;
    qsizetype arrivedAtKill = 0;
    {
        ServeProcess serve;
        QVERIFY2(serve.start(m_dataDir), qPrintable(serve.error()));
        LoadGenerator load(serve.port(), m_target, kConnections);
        QElapsedTimer loading;
        loading.start();
        QTRY_VERIFY_WITH_TIMEOUT(loading.elapsed() >= kLoadMs
                && load.acknowledged().size() >= kMinAcknowledged
                && !m_destination.received.isEmpty(),
            30000);
        QVERIFY(load.inFlight() > 0);
        arrivedAtKill = m_destination.received.size();
        serve.process().kill();
        QVERIFY(serve.process().waitForFinished(10000));
        QCOMPARE(serve.process().exitStatus(), QProcess::CrashExit);
        QTRY_VERIFY_WITH_TIMEOUT(load.allClosed(), 10000);
        acknowledged = load.acknowledged();
    }

    // Started again, it resumes the outbox: the claims of the killed process end at once.
    ServeProcess again;
    QVERIFY2(again.start(m_dataDir), qPrintable(again.error()));
    auto opened = Store::openSqlite(QDir(m_dataDir).filePath(u"hooktrail.db"_s));
    QVERIFY2(opened, qPrintable(opened.error()));
    const std::unique_ptr<Store> store = std::move(opened).value();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const Result<qint64> left = store->deliveries().unfinishedCount();
            return left && *left == 0;
        }(),
        60000);
    QVERIFY(again.stop() == 0);

    const QSet<qint64> arrived = arrivedIds();
    QStringList missing;
    for (const qint64 id : acknowledged) {
        if (!arrived.contains(id))
            missing.append(QString::number(id));
    }
    QVERIFY2(missing.isEmpty(),
        qPrintable(u"acknowledged but never delivered: "_s + missing.mid(0, 20).join(u',')));
    // Nothing reaches the destination that is not an accepted request in the log.
    const Result<QHash<qint64, LoggedRequest>> logged = loggedRequests(*store);
    QVERIFY2(logged, qPrintable(logged.error()));
    for (const qint64 id : arrived) {
        const auto entry = logged->constFind(id);
        QVERIFY2(entry != logged->cend(), qPrintable(u"delivered but not logged: %1"_s.arg(id)));
        QCOMPARE(entry->status, 200);
    }
    RequestFilter failed;
    failed.delivery = DeliveryState::Failed;
    const Result<qint64> failures = store->queries().countRequests(failed);
    QVERIFY(failures);
    QCOMPARE(*failures, 0);
    qInfo("round %d: %lld acknowledged, %lld arrivals before the kill, %lld after; %lld distinct "
          "requests delivered",
        round, qlonglong(acknowledged.size()), qlonglong(arrivedAtKill),
        qlonglong(m_destination.received.size() - arrivedAtKill), qlonglong(arrived.size()));
}

void DeliveryDurabilityTest::twoReceiversShareOnePostgresOutbox()
{
    const QString url = postgresTestUrl(u"delivery_shared"_s);
    if (url.isEmpty())
        QSKIP("no PostgreSQL server: HOOKTRAIL_TEST_POSTGRES is not set (./dev test starts one)");
    QString error;
    QVERIFY2(resetPostgres(url, &error), qPrintable(error));
    DestinationServer destination;
    QVERIFY(destination.listen());
    QHash<QByteArray, int> concurrent; // per request id, deliveries on their way
    int overlaps = 0;
    destination.respond([&](const ParsedRequest &request, int) {
        const QByteArray id = request.header(Forwarding::RequestIdHeader);
        if (++concurrent[id] > 1)
            ++overlaps;
        DestinationServer::Answer answer;
        answer.delayMs = 5;
        QTimer::singleShot(5, &destination, [&concurrent, id] { --concurrent[id]; });
        return answer;
    });
    auto opened = Store::openPostgres(url);
    QVERIFY2(opened, qPrintable(opened.error()));
    const std::unique_ptr<Store> store = std::move(opened).value();
    Webhook hook;
    hook.name = u"shared"_s;
    const Result<Webhook> added = store->config().addWebhook(hook);
    QVERIFY2(added, qPrintable(added.error()));
    const Result<NewApiKey> key = store->config().addKey(u"shared"_s);
    QVERIFY2(key, qPrintable(key.error()));
    Destination target;
    target.webhookId = added->id;
    target.name = u"app"_s;
    target.url = destination.url();
    QVERIFY(store->deliveries().addDestination(target));

    std::unique_ptr<Engine> engines[2];
    for (int i = 0; i < 2; ++i) {
        engines[i] = std::make_unique<Engine>(Engine::factoryFor(url));
        DeliveryOptions options;
        options.owner = u"receiver-%1"_s.arg(i);
        options.pollInterval = std::chrono::milliseconds(50); // both look all the time
        engines[i]->setDeliveryOptions(options);
        const Status running = engines[i]->open();
        QVERIFY2(running, qPrintable(running.error()));
        ReceiverOptions receiver;
        receiver.address = QHostAddress(QHostAddress::LocalHost);
        receiver.port = 0;
        receiver.threads = 1;
        receiver.instance = u"receiver-%1"_s.arg(i);
        const Status started = engines[i]->startReceiver(receiver);
        QVERIFY2(started, qPrintable(started.error()));
    }
    const QByteArray endpoint
        = "/v1/data/webhook/" + added->id.toLatin1() + "?api-key=" + key->secret.toLatin1();
    {
        LoadGenerator first(engines[0]->receiver()->port(), endpoint, 4);
        LoadGenerator second(engines[1]->receiver()->port(), endpoint, 4);
        QTRY_VERIFY_WITH_TIMEOUT(
            first.acknowledged().size() + second.acknowledged().size() >= 300, 60000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const Result<qint64> left = store->deliveries().unfinishedCount();
            return left && *left == 0;
        }(),
        60000);
    const Result<qint64> total = store->queries().countRequests(RequestFilter());
    QVERIFY(total);
    QHash<qint64, int> arrivals;
    for (const ParsedRequest &request : destination.received)
        ++arrivals[request.header(Forwarding::RequestIdHeader).toLongLong()];
    QCOMPARE(qint64(arrivals.size()), *total);
    for (auto it = arrivals.cbegin(); it != arrivals.cend(); ++it)
        QVERIFY2(it.value() == 1,
            qPrintable(u"request %1 delivered %2 times"_s.arg(it.key()).arg(it.value())));
    QCOMPARE(overlaps, 0);
    DeliveryFilter all;
    all.limit = 100000;
    all.withAttempts = true;
    const Result<QList<Delivery>> deliveries = store->deliveries().deliveries(all);
    QVERIFY(deliveries);
    QHash<QString, int> byOwner;
    for (const Delivery &delivery : *deliveries) {
        QCOMPARE(delivery.state, DeliveryState::Delivered);
        QCOMPARE(delivery.attemptList.size(), 1);
        ++byOwner[delivery.attemptList.first().owner];
    }
    qInfo("%lld requests, each delivered once: %d by receiver-0, %d by receiver-1",
        qlonglong(*total), byOwner.value(u"receiver-0"_s), byOwner.value(u"receiver-1"_s));
    for (auto &engine : engines)
        engine.reset();
}

QTEST_GUILESS_MAIN(DeliveryDurabilityTest)
#include "tst_delivery_durability.moc"
