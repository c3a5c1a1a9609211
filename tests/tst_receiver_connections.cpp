// End-to-end tests of the receiver's connections: keep-alive and close, Expect: 100-continue,
// pipelining, the connection cap, restarts, timeouts and many connections at once. Real HTTP
// over loopback, a real SQLite log.
#include "core/receiver/receiver.h"
#include "receivertest.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

// Timeouts short enough to observe, used only by the tests that restart the receiver with them.
constexpr int kHeaderTimeoutMs = 300;
constexpr int kIdleTimeoutMs = 600;

} // namespace

class tst_ReceiverConnections : public ReceiverTest
{
    Q_OBJECT

private slots:
    void connectionPersistence_data();
    void connectionPersistence();
    void expectContinue();
    void pipelinedRequests();
    void pipelineBeyondReadAhead();
    void overloadedConnections();
    void restartReleasesConnections();
    void slowHeadersTimeOut();
    void idleKeepAliveClosed();
    void concurrentConnections();
};

void tst_ReceiverConnections::connectionPersistence_data()
{
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<QByteArray>("connection"); // the request's Connection header, if any
    QTest::addColumn<bool>("keptOpen");

    QTest::addRow("HTTP/1.1 default") << "HTTP/1.1"_ba
                                      << ""_ba << true;
    QTest::addRow("HTTP/1.1 close") << "HTTP/1.1"_ba
                                    << "close"_ba << false;
    QTest::addRow("HTTP/1.0 default") << "HTTP/1.0"_ba
                                      << ""_ba << false;
    QTest::addRow("HTTP/1.0 keep-alive") << "HTTP/1.0"_ba
                                         << "keep-alive"_ba << true;
}

void tst_ReceiverConnections::connectionPersistence()
{
    QFETCH(QByteArray, version);
    QFETCH(QByteArray, connection);
    QFETCH(bool, keptOpen);

    QByteArray headers = "Content-Type: application/json\r\n";
    if (!connection.isEmpty())
        headers += "Connection: " + connection + "\r\n";
    const QByteArray request
        = httpRequest("POST", target(u"open"_s, keyQuery()), headers, R"({"a":1})", version);
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(request));
    const std::optional<HttpAnswer> first = client.readAnswer();
    LoggedRequest row;
    checkAnswer(first, 200, u"accepted"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(row.httpVersion, version);
    QCOMPARE(first->header("connection"), keptOpen ? "keep-alive"_ba : "close"_ba);
    if (!keptOpen) {
        QVERIFY(client.waitForClosed(5000));
        return;
    }
    QVERIFY(client.send(request));
    const std::optional<HttpAnswer> second = client.readAnswer();
    checkAnswer(second, 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(second->requestId() > first->requestId());
}

// The sender learns it may send the body before sending it.
void tst_ReceiverConnections::expectContinue()
{
    const QByteArray body = R"({"big":"payload"})";
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send("POST " + target(u"open"_s, keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
          "Expect: 100-continue\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n"));
    const std::optional<HttpAnswer> interim = client.readAnswer();
    QVERIFY(interim.has_value());
    QCOMPARE(interim->statusLine, "HTTP/1.1 100 Continue"_ba);
    QVERIFY(interim->body.isEmpty());
    QVERIFY(client.buffer().isEmpty());
    QCOMPARE(allRows().size(), 0);

    QVERIFY(client.send(body));
    LoggedRequest row;
    checkAnswer(client.readAnswer(), 200, u"accepted"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(row.body, body);
}

// Requests written together are answered in order, each after its own row.
void tst_ReceiverConnections::pipelinedRequests()
{
    const QByteArray json = "Content-Type: application/json\r\n";
    const QByteArray bytes = acceptedRequest(u"open"_s)
        + httpRequest("POST", target(u"other"_s), json, "{}")
        + httpRequest("POST", target(u"rules"_s, keyQuery()), json + "X-Source: crm\r\n", "[1]");
    const QList<QPair<QString, QString>> expected { { u"open"_s, u"accepted"_s },
        { u"other"_s, u"missing_api_key"_s }, { u"rules"_s, u"accepted"_s } };

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(bytes));
    qint64 previous = 0;
    for (const auto &[hook, reason] : expected) {
        LoggedRequest row;
        checkAnswer(client.readAnswer(), reason == u"accepted" ? 200 : 401, reason, &row);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(row.id > previous);
        QCOMPARE(row.webhookId, m_hooks.value(hook).id);
        previous = row.id;
    }
    QCOMPARE(allRows().size(), 3);
}

// More pipelined requests than the receiver reads ahead: it pauses reading, never drops any.
void tst_ReceiverConnections::pipelineBeyondReadAhead()
{
    ReceiverOptions options = baseOptions();
    options.maxPipelined = 4;
    restartReceiver(options);

    constexpr int count = 40;
    QByteArray bytes;
    for (int i = 0; i < count; ++i)
        bytes += i % 3 == 2 ? httpRequest("POST", target(u"open"_s), {}, {}) : acceptedRequest();
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(bytes));
    qint64 previous = 0;
    for (int i = 0; i < count; ++i) {
        const bool accepted = i % 3 != 2;
        LoggedRequest row;
        checkAnswer(client.readAnswer(), accepted ? 200 : 401,
            accepted ? u"accepted"_s : u"missing_api_key"_s, &row);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(row.id > previous);
        previous = row.id;
    }
    QCOMPARE(allRows().size(), count);
}

// At the connection limit a newcomer takes the slot of an idle connection; when no slot can be
// freed (every connection waits for its answer) the newcomer is told to come back later.
void tst_ReceiverConnections::overloadedConnections()
{
    ReceiverOptions options = baseOptions();
    options.maxConnections = 2;
    options.threads
        = 1; // slots are freed among the connections of the thread that took the newcomer
    restartReceiver(options);

    std::vector<std::unique_ptr<RawHttpClient>> held;
    for (int i = 0; i < options.maxConnections; ++i) {
        held.push_back(std::make_unique<RawHttpClient>(port()));
        QVERIFY(held.back()->connectToServer());
        // An answer proves the receiver has taken the connection, not just the kernel.
        QVERIFY(held.back()->send(acceptedRequest()));
        checkAnswer(held.back()->readAnswer(), 200, u"accepted"_s);
        if (QTest::currentTestFailed())
            return;
    }

    // Both held connections are idle: the longest idle one is closed for the newcomer.
    auto newcomer = std::make_unique<RawHttpClient>(port());
    QVERIFY(newcomer->connectToServer());
    QVERIFY(newcomer->send(acceptedRequest()));
    checkAnswer(newcomer->readAnswer(), 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(held.front()->waitForClosed(5000));
    QVERIFY2(held.front()->buffer().isEmpty(), held.front()->buffer().constData());
    QCOMPARE(m_engine->receiver()->stats().shed.loadRelaxed(), 1);
    held.front() = std::move(newcomer);

    // Now both connections wait for the log (another connection holds its write lock): neither
    // can give up its slot.
    QSqlDatabase lockDb = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"overloaded-lock"_s);
    lockDb.setDatabaseName(m_dir->filePath(u"hooktrail.db"_s));
    QVERIFY(lockDb.open());
    const auto dropLock = qScopeGuard([&] {
        lockDb.close();
        lockDb = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"overloaded-lock"_s);
    });
    QSqlQuery lock(lockDb);
    QVERIFY(lock.exec(u"BEGIN EXCLUSIVE"_s));
    const qint64 requestsBefore = m_engine->receiver()->stats().requests.loadRelaxed();
    for (auto &client : held)
        QVERIFY(client->send(acceptedRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_engine->receiver()->stats().requests.loadRelaxed(), requestsBefore + 2, 5000);

    RawHttpClient refused(port());
    QVERIFY(refused.connectToServer());
    refused.send(acceptedRequest());
    const std::optional<HttpAnswer> answer = refused.readAnswer();
    QVERIFY(lock.exec(u"ROLLBACK"_s));
    QVERIFY(answer.has_value());
    QVERIFY2(answer->statusLine.startsWith("HTTP/1.1 503 "), answer->statusLine.constData());
    QCOMPARE(answer->header("retry-after"), QByteArray::number(kRetryAfter));
    QCOMPARE(answer->header("connection"), "close"_ba);
    QCOMPARE(answer->reason(), u"overloaded"_s);
    QVERIFY(answer->json().value(u"requestId"_s).isNull());
    QVERIFY(refused.waitForClosed(5000));
    for (auto &client : held) {
        checkAnswer(client->readAnswer(15000), 200, u"accepted"_s);
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(allRows().size(), 5); // a refusal for lack of room is not a request
    QCOMPARE(m_engine->receiver()->stats().shed.loadRelaxed(), 1);
}

// Connections cut by a restart no longer count against the limit of the restarted receiver.
void tst_ReceiverConnections::restartReleasesConnections()
{
    ReceiverOptions options = baseOptions();
    options.maxConnections = 1;
    restartReceiver(options);

    RawHttpClient before(port());
    QVERIFY(before.connectToServer());
    QVERIFY(before.send(acceptedRequest()));
    checkAnswer(before.readAnswer(), 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;

    restartReceiver(options);
    QVERIFY(before.waitForClosed(5000));
    QCOMPARE(m_engine->receiver()->stats().connections.loadRelaxed(), 0);
    RawHttpClient after(port());
    QVERIFY(after.connectToServer());
    QVERIFY(after.send(acceptedRequest()));
    checkAnswer(after.readAnswer(), 200, u"accepted"_s);
}

// A client that trickles its headers is cut off without holding up anyone else.
void tst_ReceiverConnections::slowHeadersTimeOut()
{
    ReceiverOptions options = baseOptions();
    options.headerTimeoutMs = kHeaderTimeoutMs;
    options.idleTimeoutMs = kIdleTimeoutMs;
    restartReceiver(options);

    const QByteArray request = acceptedRequest();
    RawHttpClient slow(port());
    QVERIFY(slow.connectToServer());
    QElapsedTimer clock;
    clock.start();
    QVERIFY(slow.send(request.left(20)));
    qint64 promptMs = -1;
    // One byte per 100 ms: the headers would need seconds, far beyond the timeout.
    for (qsizetype next = 20; next < request.size() && clock.elapsed() < 5000; ++next) {
        if (slow.pump(100) || slow.isClosed())
            break;
        if (promptMs < 0) {
            QElapsedTimer promptClock;
            promptClock.start();
            RawHttpClient other(port());
            QVERIFY(other.connectToServer());
            QVERIFY(other.send(request));
            checkAnswer(other.readAnswer(), 200, u"accepted"_s);
            if (QTest::currentTestFailed())
                return;
            promptMs = promptClock.elapsed();
        }
        slow.send(request.mid(next, 1));
    }
    const std::optional<HttpAnswer> answer = slow.readAnswer(1000);
    const qint64 elapsed = clock.elapsed();
    checkAnswer(answer, 408, u"request_timeout"_s);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(slow.waitForClosed(3000));
    QVERIFY2(promptMs >= 0 && promptMs < 1000, qPrintable(QString::number(promptMs)));
    QVERIFY2(elapsed >= kHeaderTimeoutMs - 50, qPrintable(QString::number(elapsed)));
    QVERIFY2(elapsed < kHeaderTimeoutMs + 2000, qPrintable(QString::number(elapsed)));
}

void tst_ReceiverConnections::idleKeepAliveClosed()
{
    ReceiverOptions options = baseOptions();
    options.headerTimeoutMs = kHeaderTimeoutMs;
    options.idleTimeoutMs = kIdleTimeoutMs;
    restartReceiver(options);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(acceptedRequest()));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    checkAnswer(answer, 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(answer->header("connection"), "keep-alive"_ba);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(client.waitForClosed(kIdleTimeoutMs + 3000));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= kIdleTimeoutMs - 100, qPrintable(QString::number(elapsed)));
    QVERIFY(client.buffer().isEmpty());
    QCOMPARE(allRows().size(), 1); // an idle close is not a request
}

// Many senders at once: every request answered, every answer's id in the log, none extra.
void tst_ReceiverConnections::concurrentConnections()
{
    constexpr int connections = 8;
    constexpr int perConnection = 50;
    struct Outcome
    {
        QList<int> statuses;
        QList<qint64> ids;
        QByteArray error;
    };
    std::vector<Outcome> outcomes(connections);
    const QByteArray requests[] = { acceptedRequest(u"open"_s), acceptedRequest(u"other"_s) };
    const quint16 receiverPort = port();

    std::vector<std::unique_ptr<QThread>> threads;
    for (int c = 0; c < connections; ++c) {
        threads.emplace_back(QThread::create([&, c] {
            Outcome &outcome = outcomes[size_t(c)];
            RawHttpClient client(receiverPort);
            if (!client.connectToServer()) {
                outcome.error = "cannot connect";
                return;
            }
            for (int i = 0; i < perConnection; ++i) {
                if (!client.send(requests[(c + i) % 2])) {
                    outcome.error = "send failed at request " + QByteArray::number(i);
                    return;
                }
                const std::optional<HttpAnswer> answer = client.readAnswer(20000);
                if (!answer) {
                    outcome.error = "no answer to request " + QByteArray::number(i);
                    return;
                }
                outcome.statuses.append(answer->status);
                outcome.ids.append(answer->requestId());
            }
        }));
    }
    for (auto &thread : threads)
        thread->start();
    for (auto &thread : threads)
        QVERIFY(thread->wait(QDeadlineTimer(60000)));

    QSet<qint64> answered;
    for (const Outcome &outcome : outcomes) {
        QVERIFY2(outcome.error.isEmpty(), outcome.error.constData());
        QCOMPARE(outcome.statuses, QList<int>(perConnection, 200));
        for (qsizetype i = 1; i < outcome.ids.size(); ++i)
            QVERIFY(outcome.ids.at(i) > outcome.ids.at(i - 1));
        for (qint64 id : outcome.ids)
            answered.insert(id);
    }
    QCOMPARE(answered.size(), connections * perConnection);
    QSet<qint64> logged;
    for (const LoggedRequest &row : allRows()) {
        QCOMPARE(row.status, 200);
        logged.insert(row.id);
    }
    QCOMPARE(logged, answered);
}

QTEST_GUILESS_MAIN(tst_ReceiverConnections)
#include "tst_receiver_connections.moc"
