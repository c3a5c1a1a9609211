// Destinations end to end (ARCHITECTURE §5.5): a receiver on a real SQLite log, real HTTP to a
// destination on loopback, every attempt kept.
#include "core/delivery/deliverer.h"
#include "core/delivery/forwarding.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/store.h"
#include "destinationserver.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class TestDelivery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();

    void retriedUntilDeliveredByteForByte();
    void whatIsForwarded();
    void clientErrorFailsAtOnce();
    void retryAfterIsHonoured();
    void timeoutAndRefusedConnectionAreRetried();
    void attemptsRunOut();
    void circuitBreakerPausesAndProbes();
    void pauseHoldsAndResumeSends();
    void redeliverSendsAgain();
    void loopEndsAfterOneHop();
    void onlyAcceptedRequestsAreDelivered();
    void retentionKeepsRequestsAwaitingDelivery();
    void maxAgeGivesUp();
    void backoffStaysWithinItsBounds();
    void retryAfterIsRead();
    void ingestFirstSendsOneAtATime();

private:
    void startEngine(DeliveryOptions options);
    Destination addDestination(
        const QString &url, const std::function<void(Destination &)> &shape = {});
    qint64 post(QByteArrayView body, QByteArrayView extraHeaders = {}, QByteArrayView query = {});
    QList<Delivery> deliveriesOf(qint64 requestId) const;
    DeliveryState stateOf(qint64 requestId) const;
    QList<ParsedRequest> arrivalsOf(qint64 requestId) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Store> m_store;
    Webhook m_hook;
    NewApiKey m_key;
    DestinationServer m_server;
};

void TestDelivery::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto store = Store::openSqlite(m_dir->filePath(u"hooktrail.db"_s));
    QVERIFY2(store.ok(), qPrintable(store.error()));
    m_store = std::move(store).value();
    Webhook hook;
    hook.name = u"orders"_s;
    hook.methods = QStringList { u"POST"_s, u"PUT"_s };
    auto added = m_store->config().addWebhook(hook);
    QVERIFY2(added.ok(), qPrintable(added.error()));
    m_hook = *added;
    auto key = m_store->config().addKey(u"test"_s);
    QVERIFY2(key.ok(), qPrintable(key.error()));
    m_key = *key;
    m_server.received.clear();
    m_server.respond({});
    if (!m_server.port())
        QVERIFY(m_server.listen());
    DeliveryOptions fast;
    fast.backoffBase = std::chrono::milliseconds(50);
    fast.minimumDelay = std::chrono::milliseconds(10);
    fast.pollInterval = std::chrono::milliseconds(200);
    // Twelve failures in a row are this suite's to make: its own test opens the breaker.
    fast.breakerFailures = 1000;
    startEngine(fast);
}

void TestDelivery::startEngine(DeliveryOptions options)
{
    m_engine.reset();
    m_engine = std::make_unique<Engine>(Engine::sqliteFactory(m_dir->filePath(u"hooktrail.db"_s)));
    m_engine->setDeliveryOptions(std::move(options));
    const Status opened = m_engine->open();
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    ReceiverOptions receiver;
    receiver.address = QHostAddress(QHostAddress::LocalHost);
    receiver.port = 0;
    receiver.threads = 2;
    receiver.instance = u"test-receiver"_s;
    const Status started = m_engine->startReceiver(receiver);
    QVERIFY2(started.ok(), qPrintable(started.error()));
}

void TestDelivery::cleanup()
{
    m_engine.reset();
    m_store.reset();
    m_dir.reset();
}

Destination TestDelivery::addDestination(
    const QString &url, const std::function<void(Destination &)> &shape)
{
    Destination destination;
    destination.webhookId = m_hook.id;
    destination.name = u"app"_s;
    destination.url = url;
    if (shape)
        shape(destination);
    const Result<Destination> added = m_store->deliveries().addDestination(destination);
    if (!added.ok())
        qWarning("%s", qPrintable(added.error()));
    m_engine->config()->refresh();
    return added.ok() ? *added : Destination();
}

qint64 TestDelivery::post(QByteArrayView body, QByteArrayView extraHeaders, QByteArrayView query)
{
    QByteArray target
        = "/v1/data/webhook/" + m_hook.id.toLatin1() + "?api-key=" + m_key.secret.toLatin1();
    if (!query.isEmpty())
        target += '&' + query.toByteArray();
    RawHttpClient client(m_engine->receiver()->port());
    if (!client.connectToServer()
        || !client.send(httpRequest("POST", target,
            "Content-Type: application/json\r\n" + extraHeaders.toByteArray(), body)))
        return 0;
    const std::optional<HttpAnswer> answer = client.readAnswer();
    return answer ? answer->requestId() : 0;
}

QList<Delivery> TestDelivery::deliveriesOf(qint64 requestId) const
{
    const Result<QList<Delivery>> found = m_store->deliveries().forRequest(requestId);
    return found.ok() ? *found : QList<Delivery>();
}

DeliveryState TestDelivery::stateOf(qint64 requestId) const
{
    const QList<Delivery> found = deliveriesOf(requestId);
    return found.size() == 1 ? found.first().state : DeliveryState::None;
}

QList<ParsedRequest> TestDelivery::arrivalsOf(qint64 requestId) const
{
    QList<ParsedRequest> out;
    for (const ParsedRequest &request : m_server.received) {
        if (request.header(Forwarding::RequestIdHeader) == QByteArray::number(requestId))
            out.append(request);
    }
    return out;
}

void TestDelivery::retriedUntilDeliveredByteForByte()
{
    // Every request's first two attempts fail with 503, the third is taken.
    QHash<QByteArray, int> attemptsSeen;
    m_server.respond([&](const ParsedRequest &request, int) {
        const int seen = ++attemptsSeen[request.header(Forwarding::RequestIdHeader)];
        DestinationServer::Answer answer;
        answer.status = seen <= 2 ? 503 : 200;
        return answer;
    });
    addDestination(m_server.url());
    QList<QByteArray> bodies;
    QList<qint64> ids;
    for (int i = 0; i < 6; ++i) {
        // Bytes a signature covers: spacing, key order, escapes and non-ASCII kept as sent.
        const QByteArray body
            = "{ \"n\" : " + QByteArray::number(i) + R"(,  "name":"Zoë \u00e9", "a":[1, 2.50]})";
        bodies.append(body);
        const qint64 id = post(body);
        QVERIFY(id > 0);
        ids.append(id);
    }
    for (const qint64 id : ids) {
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Delivered, 20000);
    }
    for (int i = 0; i < ids.size(); ++i) {
        const QList<ParsedRequest> arrivals = arrivalsOf(ids[i]);
        QCOMPARE(arrivals.size(), 3);
        for (int n = 0; n < 3; ++n) {
            QCOMPARE(QCryptographicHash::hash(arrivals[n].body, QCryptographicHash::Sha256),
                QCryptographicHash::hash(bodies[i], QCryptographicHash::Sha256));
            QCOMPARE(arrivals[n].method, "POST"_ba);
            QCOMPARE(arrivals[n].header(Forwarding::AttemptHeader), QByteArray::number(n + 1));
        }
        const QList<Delivery> deliveries = deliveriesOf(ids[i]);
        QCOMPARE(deliveries.size(), 1);
        QCOMPARE(deliveries[0].attempts, 3);
        QCOMPARE(deliveries[0].attemptList.size(), 3);
        QCOMPARE(deliveries[0].attemptList[0].status, 503);
        QCOMPARE(deliveries[0].attemptList[1].status, 503);
        QCOMPARE(deliveries[0].attemptList[2].status, 200);
        QVERIFY(deliveries[0].attemptList[0].startedMicros
            <= deliveries[0].attemptList[1].startedMicros);
        QCOMPARE(deliveries[0].nextAttemptMicros, 0);
        QVERIFY(deliveries[0].finishedMicros > 0);
    }
    // The log's rows say so too.
    RequestFilter filter;
    filter.delivery = DeliveryState::Delivered;
    const auto delivered = m_store->queries().countRequests(filter);
    QVERIFY(delivered.ok());
    QCOMPARE(*delivered, qint64(ids.size()));
}

void TestDelivery::whatIsForwarded()
{
    addDestination(m_server.url(u"/in?source=hooktrail"_s), [](Destination &d) {
        d.headers = { { u"X-Destination-Token"_s, u"t0k"_s } };
    });
    const qint64 id = post(R"({"ok":1})",
        "X-Api-Key: " + m_key.secret.toLatin1()
            + "\r\nAuthorization: Bearer s3cret\r\nCookie: a=b\r\nX-Event: order.created\r\n"
              "Connection: keep-alive\r\nX-Destination-Token: from-sender\r\n",
        "page=2");
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Delivered, 10000);
    const QList<ParsedRequest> arrivals = arrivalsOf(id);
    QCOMPARE(arrivals.size(), 1);
    const ParsedRequest &got = arrivals.first();
    QCOMPARE(got.path, "/in"_ba);
    QCOMPARE(got.query, "source=hooktrail&page=2"_ba); // the key is not passed on
    QCOMPARE(got.header("x-event"), "order.created"_ba);
    QCOMPARE(got.header("content-type"), "application/json"_ba);
    QVERIFY(got.header("authorization").isNull());
    QVERIFY(got.header("cookie").isNull());
    QVERIFY(got.header("x-api-key").isNull());
    QCOMPARE(got.header("x-destination-token"), "t0k"_ba); // the destination's own wins
    QCOMPARE(got.header(Forwarding::RequestIdHeader), QByteArray::number(id));
    QVERIFY(!got.header(Forwarding::ForwardedByHeader).isEmpty());
    QVERIFY(!got.body.contains(m_key.secret.toLatin1()));
    for (const auto &[name, value] : got.headers)
        QVERIFY2(!value.contains(m_key.secret.toLatin1()), name.constData());

    // Not forwarding the path: the URL as it is.
    m_server.received.clear();
    const Result<QList<Destination>> list = m_store->deliveries().destinations(m_hook.id);
    QVERIFY(list.ok());
    Destination plain = list->first();
    plain.forwardPath = false;
    QVERIFY(m_store->deliveries().updateDestination(plain).ok());
    const qint64 second = post(R"({"ok":2})", {}, "page=3");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(second), DeliveryState::Delivered, 10000);
    QCOMPARE(arrivalsOf(second).first().query, "source=hooktrail"_ba);
}

void TestDelivery::clientErrorFailsAtOnce()
{
    m_server.respond([](const ParsedRequest &, int) {
        DestinationServer::Answer answer;
        answer.status = 404;
        answer.body = "<b>no route</b>";
        return answer;
    });
    addDestination(m_server.url());
    const qint64 id = post(R"({"n":1})");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Failed, 10000);
    const QList<Delivery> deliveries = deliveriesOf(id);
    QCOMPARE(deliveries[0].attempts, 1);
    QCOMPARE(deliveries[0].lastStatus, 404);
    QCOMPARE(deliveries[0].attemptList[0].responseBody, "<b>no route</b>"_ba);
    QTest::qWait(300);
    QCOMPARE(arrivalsOf(id).size(), 1);
}

void TestDelivery::retryAfterIsHonoured()
{
    m_server.respond([](const ParsedRequest &, int index) {
        DestinationServer::Answer answer;
        answer.status = index == 0 ? 429 : 200;
        if (index == 0)
            answer.headers = "Retry-After: 1\r\n";
        return answer;
    });
    addDestination(m_server.url());
    const qint64 id = post(R"({"n":1})");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Delivered, 10000);
    const QList<DeliveryAttempt> attempts = deliveriesOf(id).first().attemptList;
    QCOMPARE(attempts.size(), 2);
    QCOMPARE(attempts[0].status, 429);
    // The backoff alone would wait 50 ms at most here; the destination asked for a second.
    QVERIFY2(attempts[1].startedMicros - attempts[0].startedMicros >= 950000,
        qPrintable(QString::number(attempts[1].startedMicros - attempts[0].startedMicros)));
}

void TestDelivery::timeoutAndRefusedConnectionAreRetried()
{
    m_server.respond([](const ParsedRequest &, int index) {
        DestinationServer::Answer answer;
        answer.delayMs = index == 0 ? 4000 : 0;
        return answer;
    });
    addDestination(m_server.url(), [](Destination &d) { d.timeoutMs = 1000; });
    const qint64 id = post(R"({"n":1})");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Delivered, 15000);
    const QList<DeliveryAttempt> attempts = deliveriesOf(id).first().attemptList;
    QCOMPARE(attempts.size(), 2);
    QCOMPARE(attempts[0].status, 0);
    QVERIFY2(!attempts[0].error.isEmpty(), "a timeout has an error");
    QVERIFY2(attempts[0].durationMicros < 3000000, "the timeout cut the attempt short");

    // Nothing listens there: refused, retried, never delivered.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    Destination gone = addDestination(
        u"http://127.0.0.1:%1/x"_s.arg(port), [](Destination &d) { d.name = u"gone"_s; });
    const qint64 second = post(R"({"n":2})");
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const Delivery &d : deliveriesOf(second)) {
                if (d.destinationId == gone.id && d.state == DeliveryState::Retrying
                    && !d.attemptList.isEmpty() && !d.attemptList.first().error.isEmpty())
                    return true;
            }
            return false;
        }(),
        10000);
}

void TestDelivery::attemptsRunOut()
{
    m_server.respond([](const ParsedRequest &, int) {
        DestinationServer::Answer answer;
        answer.status = 500;
        return answer;
    });
    addDestination(m_server.url(), [](Destination &d) { d.maxAttempts = 3; });
    const qint64 id = post(R"({"n":1})");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Failed, 10000);
    const Delivery delivery = deliveriesOf(id).first();
    QCOMPARE(delivery.attempts, 3);
    QVERIFY2(delivery.lastError.contains(u"3"_s), qPrintable(delivery.lastError));
    QTest::qWait(300);
    QCOMPARE(arrivalsOf(id).size(), 3);
}

void TestDelivery::circuitBreakerPausesAndProbes()
{
    DeliveryOptions options;
    options.backoffBase = std::chrono::milliseconds(20);
    options.minimumDelay = std::chrono::milliseconds(10);
    options.pollInterval = std::chrono::milliseconds(100);
    options.breakerFailures = 3;
    options.probeInterval = std::chrono::milliseconds(1500);
    startEngine(options);
    bool healthy = false;
    m_server.respond([&](const ParsedRequest &, int) {
        DestinationServer::Answer answer;
        answer.status = healthy ? 200 : 503;
        return answer;
    });
    const Destination destination = addDestination(m_server.url());
    QList<qint64> ids;
    for (int i = 0; i < 4; ++i)
        ids.append(post(R"({"n":1})"));
    const auto current = [&] {
        const auto found = m_store->deliveries().destination(destination.id);
        return found.ok() && *found ? **found : Destination();
    };
    QTRY_VERIFY_WITH_TIMEOUT(current().breakerOpen, 10000);
    QVERIFY(current().failuresInRow >= 3);
    // Open: at most one probe per interval.
    const qsizetype atOpen = m_server.received.size();
    QTest::qWait(1000);
    QVERIFY2(m_server.received.size() - atOpen <= 1,
        qPrintable(QString::number(m_server.received.size() - atOpen)));
    // The destination recovers: the next probe closes the breaker and the rest follow.
    healthy = true;
    for (const qint64 id : ids)
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Delivered, 15000);
    QVERIFY(!current().breakerOpen);
    QCOMPARE(current().failuresInRow, 0);
    QVERIFY(current().lastSuccessMicros > 0);
}

void TestDelivery::pauseHoldsAndResumeSends()
{
    const Destination destination = addDestination(m_server.url());
    QVERIFY(m_store->deliveries().setDestinationEnabled(destination.id, false).ok());
    const qint64 id = post(R"({"n":1})");
    QVERIFY(id > 0);
    QTest::qWait(800);
    QCOMPARE(arrivalsOf(id).size(), 0);
    QCOMPARE(stateOf(id), DeliveryState::Pending);
    QVERIFY(m_store->deliveries().setDestinationEnabled(destination.id, true).ok());
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Delivered, 10000);
    QCOMPARE(arrivalsOf(id).size(), 1);
}

void TestDelivery::redeliverSendsAgain()
{
    addDestination(m_server.url());
    const qint64 id = post(R"({"n":1})");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Delivered, 10000);
    const Result<qint64> scheduled = m_store->deliveries().redeliver(QList<qint64> { id });
    QVERIFY2(scheduled.ok(), qPrintable(scheduled.error()));
    QCOMPARE(*scheduled, 1);
    QTRY_COMPARE_WITH_TIMEOUT(arrivalsOf(id).size(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Delivered, 10000);
    const Delivery delivery = deliveriesOf(id).first();
    QCOMPARE(delivery.attemptList.size(), 2);
    QCOMPARE(arrivalsOf(id).last().header(Forwarding::AttemptHeader), "2"_ba);
    // By filter: every accepted request of the webhook.
    RequestFilter filter;
    filter.webhookId = m_hook.id;
    const Result<qint64> byFilter = m_store->deliveries().redeliver(filter);
    QVERIFY(byFilter.ok());
    QCOMPARE(*byFilter, 1);
    QTRY_COMPARE_WITH_TIMEOUT(arrivalsOf(id).size(), 3, 10000);
}

// While the receiver says ingest is busy, a destination gets one delivery at a time with a
// pause between them; once it is not, its eight slots fill at once.
void TestDelivery::ingestFirstSendsOneAtATime()
{
    auto busy = std::make_shared<std::atomic<bool>>(true);
    DeliveryOptions options;
    options.pollInterval = std::chrono::milliseconds(200);
    options.busyPause = std::chrono::milliseconds(50);
    options.ingestBusy = [busy] { return busy->load(); };
    startEngine(options);
    QElapsedTimer clock;
    clock.start();
    QList<qint64> arrivedAt; // ms on clock
    m_server.respond([&](const ParsedRequest &, int) {
        arrivedAt.append(clock.elapsed());
        DestinationServer::Answer answer;
        answer.delayMs = 100;
        return answer;
    });
    const Destination destination = addDestination(m_server.url());
    QVERIFY(m_store->deliveries().setDestinationEnabled(destination.id, false).ok());
    QList<qint64> ids;
    for (int i = 0; i < 6; ++i)
        ids << post(R"({"n":1})");
    QVERIFY(!ids.contains(0));
    QVERIFY(m_store->deliveries().setDestinationEnabled(destination.id, true).ok());
    QTRY_COMPARE_WITH_TIMEOUT(arrivedAt.size(), 3, 10000);
    QTest::qWait(50);
    QCOMPARE(arrivedAt.size(), 3); // one at a time: each waited for the last one's answer
    for (int i = 1; i < 3; ++i)
        QVERIFY2(arrivedAt.at(i) - arrivedAt.at(i - 1) >= 100,
            qPrintable(QString::number(arrivedAt.at(i) - arrivedAt.at(i - 1))));
    busy->store(false);
    QTRY_COMPARE_WITH_TIMEOUT(arrivedAt.size(), 6, 10000);
    // At full speed again: the last ones were sent together, before either answered.
    QVERIFY2(arrivedAt.at(5) - arrivedAt.at(4) < 100,
        qPrintable(QString::number(arrivedAt.at(5) - arrivedAt.at(4))));
    for (const qint64 id : std::as_const(ids))
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Delivered, 10000);
}

void TestDelivery::loopEndsAfterOneHop()
{
    // A destination that is this very endpoint.
    const QString self
        = u"http://127.0.0.1:%1/v1/data/webhook/%2?api-key=%3"_s.arg(m_engine->receiver()->port())
              .arg(m_hook.id, m_key.secret);
    addDestination(self, [](Destination &d) { d.forwardPath = false; });
    const qint64 id = post(R"({"n":1})");
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), DeliveryState::Failed, 10000);
    const Delivery delivery = deliveriesOf(id).first();
    QCOMPARE(delivery.attempts, 1);
    QCOMPARE(delivery.lastStatus, 508);
    QVERIFY2(delivery.lastError.contains(u"loop"_s), qPrintable(delivery.lastError));
    // The hop itself is in the history, refused, and delivered nowhere.
    RequestFilter filter;
    filter.reason = "forwarding_loop";
    const auto refused = m_store->queries().requests(filter);
    QVERIFY(refused.ok());
    QCOMPARE(refused->size(), 1);
    QCOMPARE(refused->first().status, 508);
    QCOMPARE(refused->first().delivery, DeliveryState::None);
}

void TestDelivery::onlyAcceptedRequestsAreDelivered()
{
    addDestination(m_server.url());
    RawHttpClient client(m_engine->receiver()->port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(httpRequest("POST", "/v1/data/webhook/" + m_hook.id.toLatin1(),
        "Content-Type: application/json\r\n", R"({"n":1})")));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer);
    QVERIFY(answer->statusLine.contains("401"));
    const qint64 accepted = post(R"({"n":2})");
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(accepted), DeliveryState::Delivered, 10000);
    QCOMPARE(deliveriesOf(answer->requestId()).size(), 0);
    QCOMPARE(m_server.received.size(), 1);
}

void TestDelivery::retentionKeepsRequestsAwaitingDelivery()
{
    const Destination destination = addDestination(m_server.url());
    QVERIFY(m_store->deliveries().setDestinationEnabled(destination.id, false).ok());
    const qint64 waiting = post(R"({"n":1})");
    QVERIFY(m_store->deliveries().setDestinationEnabled(destination.id, true).ok());
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(waiting), DeliveryState::Delivered, 10000);
    QVERIFY(m_store->deliveries().setDestinationEnabled(destination.id, false).ok());
    const qint64 held = post(R"({"n":2})");
    const qint64 newest = post(R"({"n":3})");
    // Keep one: the oldest goes with its delivery; the held one waits for its delivery.
    const Result<RetentionResult> removed = m_store->retention().apply(0, 1);
    QVERIFY2(removed.ok(), qPrintable(removed.error()));
    QCOMPARE(removed->removedByCount, 1);
    QVERIFY(!m_store->queries().request(waiting)->has_value());
    QCOMPARE(deliveriesOf(waiting).size(), 0);
    QVERIFY(m_store->queries().request(held)->has_value());
    QVERIFY(m_store->queries().request(newest)->has_value());
    QCOMPARE(stateOf(held), DeliveryState::Pending);
}

void TestDelivery::maxAgeGivesUp()
{
    const Destination destination
        = addDestination(m_server.url(), [](Destination &d) { d.maxAgeSeconds = 3600; });
    QVERIFY(m_store->deliveries().setDestinationEnabled(destination.id, false).ok());
    const qint64 id = post(R"({"n":1})");
    QCOMPARE(stateOf(id), DeliveryState::Pending);
    const Result<qint64> young = m_store->deliveries().expire(currentMicros());
    QVERIFY(young.ok());
    QCOMPARE(*young, 0);
    const Result<qint64> old
        = m_store->deliveries().expire(currentMicros() + qint64(3601) * 1000000);
    QVERIFY(old.ok());
    QCOMPARE(*old, 1);
    QCOMPARE(stateOf(id), DeliveryState::Failed);
    QVERIFY(deliveriesOf(id).first().lastError.contains(u"age"_s));
}

void TestDelivery::backoffStaysWithinItsBounds()
{
    DeliveryOptions options; // 1 s base, 1 h cap
    for (int attempt = 2; attempt <= 30; ++attempt) {
        const qint64 ceiling = std::min<qint64>(3600000, 1000LL << std::min(attempt - 2, 30));
        qint64 highest = 0;
        for (int i = 0; i < 200; ++i) {
            const qint64 wait = Deliverer::backoff(options, attempt, -1).count();
            QVERIFY(wait >= options.minimumDelay.count());
            QVERIFY(wait <= ceiling);
            highest = std::max(highest, wait);
        }
        QVERIFY2(
            highest > ceiling / 2, "full jitter reaches towards its ceiling"); // p = 1 - 2^-200
    }
    QCOMPARE(Deliverer::backoff(options, 2, 7000).count(), 7000);
    QCOMPARE(Deliverer::backoff(options, 2, 99999999).count(), 3600000); // capped
}

void TestDelivery::retryAfterIsRead()
{
    const qint64 now
        = QDateTime(QDate(2026, 12, 2), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch() * 1000;
    QCOMPARE(Deliverer::retryAfterMs("120", now), 120000);
    QCOMPARE(Deliverer::retryAfterMs(" 0 ", now), 0);
    QCOMPARE(Deliverer::retryAfterMs("Wed, 02 Dec 2026 12:00:30 GMT", now), 30000);
    QCOMPARE(Deliverer::retryAfterMs("Wed, 02 Dec 2026 11:00:00 GMT", now), 0);
    QCOMPARE(Deliverer::retryAfterMs("", now), -1);
    QCOMPARE(Deliverer::retryAfterMs("soon", now), -1);
    QCOMPARE(Deliverer::retryAfterMs("-5", now), -1);
}

QTEST_GUILESS_MAIN(TestDelivery)
#include "tst_delivery.moc"
