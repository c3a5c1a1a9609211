// The receiver when its log falls behind or senders push more than it keeps: answers stay fast,
// memory and the database stay bounded, and every acknowledged request is in the log. Real
// HTTP over loopback, a real SQLite file.
#include "core/store/logwriter.h"
#include "hardeningtest.h"
#include "plainsocket.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

// The database file and its write-ahead log, in bytes.
qint64 databaseBytes(const QString &path)
{
    return QFileInfo(path).size() + QFileInfo(path + u"-wal"_s).size();
}

} // namespace

class tst_HardeningOverload : public HardeningTest
{
    Q_OBJECT

private slots:
    void overloadAnswersFast();
    void refusedBodiesAreNotBuffered();
    void refusedBodiesKeepOnlyAPrefix();
    void writerCountsWholeEntries();
};

// The log falls behind (another connection holds its write lock while senders go on at full
// speed, far more than the bounded queue takes): answers past the queue are 503 overloaded with
// Retry-After at once, memory stays bounded, and every acknowledged request is in the log.
void tst_HardeningOverload::overloadAnswersFast()
{
    const QString databasePath = m_dir->filePath(u"hooktrail.db"_s);
    QVERIFY(openSite(databasePath, baseOptions()));
    Site &site = *m_site;
    site.engine()->stopReceiver();
    // A writer and receiver of the product's kind, with a small queue to overflow.
    LogWriter::Limits limits;
    limits.maxQueued = 100;
    limits.maxQueuedBytes = 2 * 1024 * 1024;
    LogWriter writer(Engine::sqliteFactory(databasePath), limits);
    writer.start();
    Receiver receiver(&writer, site.engine()->config());
    ReceiverOptions options = baseOptions();
    QVERIFY(receiver.start(options).ok());
    const auto stop = qScopeGuard([&] {
        receiver.stop();
        writer.stop();
        writer.wait();
    });

    constexpr int senders = 8;
    constexpr int perSender = 400;
    const QByteArray request
        = site.acceptedRequest(R"({"pad":")" + QByteArray(32 * 1024, 'o') + R"("})");
    const qint64 offeredMb = qint64(senders) * perSender * request.size() / (1024 * 1024);

    // Warm up (threads, page cache) before taking the memory baseline.
    {
        RawHttpClient warm(receiver.port());
        QVERIFY(warm.connectToServer());
        for (int i = 0; i < 50; ++i) {
            QVERIFY(warm.send(request));
            QVERIFY(warm.readAnswer().has_value());
        }
    }
    const bool peakReset = resetPeakRss();
    const qint64 rssBefore = procStatusKb("VmRSS");

    QSqlDatabase lockDb = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"overload-lock"_s);
    lockDb.setDatabaseName(databasePath);
    QVERIFY(lockDb.open());
    const auto dropLock = qScopeGuard([&] {
        lockDb.close();
        lockDb = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"overload-lock"_s);
    });
    QSqlQuery lockQuery(lockDb);
    QVERIFY(lockQuery.exec(u"BEGIN EXCLUSIVE"_s));
    std::atomic<bool> locked { true };
    QElapsedTimer clock;
    clock.start();

    struct SenderOutcome
    {
        AnswerTally tally;
        QByteArray error;
    };
    std::vector<SenderOutcome> outcomes(senders);
    const quint16 port = receiver.port();
    std::vector<std::unique_ptr<QThread>> threads;
    for (int s = 0; s < senders; ++s) {
        threads.emplace_back(QThread::create([&, s] {
            SenderOutcome &outcome = outcomes[size_t(s)];
            RawHttpClient client(port);
            if (!client.connectToServer()) {
                outcome.error = "cannot connect";
                return;
            }
            int answered = 0;
            const auto take = [&](int timeoutMs) {
                client.pump(timeoutMs);
                while (std::optional<HttpAnswer> answer = takeAnswer(client.buffer())) {
                    outcome.tally.add(answer);
                    ++answered;
                }
            };
            for (int i = 0; i < perSender; ++i) {
                if (!client.send(request, 30000)) {
                    outcome.error = "send stalled at request " + QByteArray::number(i);
                    return;
                }
                take(0);
            }
            const QDeadlineTimer deadline(40000);
            while (answered < perSender && !deadline.hasExpired() && !client.isClosed())
                take(100);
            if (answered != perSender)
                outcome.error = "answers: " + QByteArray::number(answered);
        }));
    }
    const auto joinThreads = qScopeGuard([&] {
        if (locked.exchange(false))
            lockQuery.exec(u"ROLLBACK"_s);
        for (auto &thread : threads)
            thread->wait();
    });
    for (auto &thread : threads)
        thread->start();
    // Once the queue is full, a newcomer is told so at once, while the log is still stuck:
    // the answer does not wait for the log. (On the senders' own connections a refusal waits
    // behind their queued requests, since answers leave in order.)
    QTRY_VERIFY_WITH_TIMEOUT(receiver.stats().overloaded.loadRelaxed() > 0, 2500);
    RawHttpClient probe(receiver.port());
    QVERIFY(probe.connectToServer());
    QElapsedTimer probeClock;
    probeClock.start();
    QVERIFY(probe.send(request));
    const std::optional<HttpAnswer> refusal = probe.readAnswer(2000);
    const qint64 refusalMs = probeClock.elapsed();
    QVERIFY(refusal.has_value());
    QCOMPARE(contractViolation(*refusal), QString());
    QCOMPARE(refusal->status, 503);
    QCOMPARE(refusal->reason(), u"overloaded"_s);
    QCOMPARE(refusal->header("retry-after"), QByteArray::number(kRetryAfter));
    QVERIFY2(clock.elapsed() < 3000, "the refusal came only after the log was free again");
    // The log stays stuck for three seconds (inside SQLite's ten-second busy timeout, so the
    // writer waits rather than fails) while the senders go on.
    QTest::qWait(int(std::max<qint64>(0, 3000 - clock.elapsed())));
    qint64 peakKb = procStatusKb("VmRSS");
    locked = false;
    QVERIFY(lockQuery.exec(u"ROLLBACK"_s));
    const qint64 lockedMs = clock.elapsed();
    for (auto &thread : threads) {
        while (!thread->wait(QDeadlineTimer(100)))
            peakKb = std::max(peakKb, procStatusKb("VmRSS"));
    }
    if (peakReset)
        peakKb = std::max(peakKb, procStatusKb("VmHWM"));
    const qint64 totalMs = clock.elapsed();

    AnswerTally all;
    for (const SenderOutcome &outcome : outcomes) {
        QVERIFY2(outcome.error.isEmpty(), outcome.error.constData());
        all.acknowledged += outcome.tally.acknowledged;
        all.problems += outcome.tally.problems;
        for (auto it = outcome.tally.byReason.cbegin(); it != outcome.tally.byReason.cend(); ++it)
            all.byReason[it.key()] += it.value();
    }
    const QHash<qint64, LoggedRequest> rows = site.rows();
    const QString missing = missingFromLog(all.acknowledged, rows);
    const int overloaded = all.count(u"overloaded"_s);
    qInfo("overload: %d senders offered %d requests (%lld MiB) with the log stuck for %lld ms of "
          "%lld ms; %d acknowledged, %d answered 503 overloaded, a newcomer refused in %lld ms "
          "while stuck; RSS %lld KiB before, peak %lld KiB (+%lld KiB); %lld rows logged",
        senders, senders * perSender, offeredMb, lockedMs, totalMs, all.count(u"accepted"_s),
        overloaded, refusalMs, rssBefore, peakKb, peakKb - rssBefore, qlonglong(rows.size()));
    QVERIFY2(all.problems.isEmpty(), qPrintable(all.problems.mid(0, 10).join(u'\n')));
    QCOMPARE(all.count(u"accepted"_s) + overloaded, senders * perSender);
    QVERIFY2(overloaded > 0, "no sender was refused");
    QVERIFY2(missing.isEmpty(), qPrintable(u"acknowledged but not logged: "_s + missing));
    QCOMPARE(rows.size(), all.acknowledged.size() + 50); // the warm-up's rows, and no others
    if (kSanitized)
        QSKIP("memory growth is not measurable under AddressSanitizer (its quarantine keeps freed "
              "blocks resident)");
    QVERIFY2(peakKb - rssBefore < 64 * 1024,
        qPrintable(u"memory grew by %1 KiB while %2 MiB were offered"_s.arg(peakKb - rssBefore)
                       .arg(offeredMb)));
}

// Many senders each send a 10 MiB body (the size limit) to a route that does not exist. The
// route is known to be wrong when the headers end: the bodies are counted, not kept, so the
// receiver stays near its baseline while all of them are mid-body at once.
void tst_HardeningOverload::refusedBodiesAreNotBuffered()
{
    constexpr int senders = 24;
    constexpr qint64 bodyBytes = 10 * 1024 * 1024;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), baseOptions()));
    Site &site = *m_site;
    const QByteArray head = "POST /nope HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                            "Content-Length: "
        + QByteArray::number(bodyBytes) + "\r\n\r\n";
    const QByteArray chunk(64 * 1024, 'x');
    const auto sendBody = [&](PlainSocket &socket, qint64 bytes) {
        for (qint64 at = 0; at < bytes; at += chunk.size()) {
            if (!socket.sendAll(QByteArrayView(chunk).first(
                    qsizetype(std::min<qint64>(chunk.size(), bytes - at)))))
                return false;
        }
        return true;
    };
    { // warm-up: one such request, so buffers the receiver keeps anyway are in the baseline
        PlainSocket warm;
        QVERIFY(warm.connectTo(site.port()));
        QVERIFY(warm.sendAll(head));
        QVERIFY(sendBody(warm, bodyBytes));
        const std::optional<HttpAnswer> answer = warm.readAnswer(30000);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 404);
    }
    const bool peakReset = resetPeakRss();
    const qint64 rssBefore = procStatusKb("VmRSS");

    std::atomic<int> midBody { 0 };
    std::atomic<bool> finish { false };
    std::vector<std::optional<HttpAnswer>> answers(senders);
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < senders; ++i) {
        threads.emplace_back(QThread::create([&, i] {
            PlainSocket socket;
            if (!socket.connectTo(site.port()) || !socket.sendAll(head)
                || !sendBody(socket, bodyBytes - chunk.size())) {
                ++midBody;
                return;
            }
            ++midBody;
            while (!finish)
                QThread::msleep(10);
            if (socket.sendAll(chunk))
                answers[size_t(i)] = socket.readAnswer(30000);
        }));
        threads.back()->start();
    }
    const auto join = qScopeGuard([&] {
        finish = true;
        for (auto &thread : threads)
            thread->wait();
    });
    QTRY_VERIFY_WITH_TIMEOUT(midBody.load() == senders, 120000);
    // Every sender is one chunk short of the end: whatever the receiver holds of the bodies, it
    // holds now.
    qint64 peakKb = procStatusKb("VmRSS");
    finish = true;
    for (auto &thread : threads)
        thread->wait();
    if (peakReset)
        peakKb = std::max(peakKb, procStatusKb("VmHWM"));

    int refused = 0;
    for (const std::optional<HttpAnswer> &answer : answers) {
        QVERIFY(answer.has_value());
        QCOMPARE(contractViolation(*answer), QString());
        QCOMPARE(answer->status, 404);
        QCOMPARE(answer->reason(), u"unknown_route"_s);
        ++refused;
    }
    qInfo("refused bodies: %d senders each mid-way through a %lld MiB body to an unknown route "
          "(%lld MiB offered); RSS %lld KiB before, peak %lld KiB (+%lld KiB)",
        refused, bodyBytes >> 20, (bodyBytes * senders) >> 20, rssBefore, peakKb,
        peakKb - rssBefore);
    if (!kSanitized) // ASan's quarantine keeps freed blocks resident: RSS says nothing there
        QVERIFY2(peakKb - rssBefore < 32 * 1024,
            qPrintable(u"memory grew by %1 KiB while %2 refused bodies were arriving"_s
                           .arg(peakKb - rssBefore)
                           .arg(senders)));
    const QHash<qint64, LoggedRequest> rows = site.rows();
    QCOMPARE(rows.size(), senders + 1);
    for (const LoggedRequest &row : rows) {
        QCOMPARE(row.bodySize, bodyBytes);
        QVERIFY(row.bodyTruncated);
        QCOMPARE(row.body.size(), RejectedBodyKeptBytes);
    }
}

// The log keeps 64 KiB of a refused body with its full size: five 10 MiB bodies to an unknown
// route add a few hundred KiB to the database, not 50 MiB.
void tst_HardeningOverload::refusedBodiesKeepOnlyAPrefix()
{
    constexpr int count = 5;
    constexpr qint64 bodyBytes = 10 * 1024 * 1024;
    const QString databasePath = m_dir->filePath(u"hooktrail.db"_s);
    QVERIFY(openSite(databasePath, baseOptions()));
    Site &site = *m_site;
    { // the first row's own pages (the table's first leaf, the index) are not what is measured
        RawHttpClient first(site.port());
        QVERIFY(first.connectToServer());
        QVERIFY(first.send(site.acceptedRequest()));
        QVERIFY(first.readAnswer().has_value());
    }
    const qint64 before = databaseBytes(databasePath);
    const QByteArray body = QByteArray(bodyBytes, 'z');
    PlainSocket socket;
    QVERIFY(socket.connectTo(site.port()));
    for (int i = 0; i < count; ++i) {
        QVERIFY(
            socket.sendAll("POST /nope HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                           "Content-Length: "
                + QByteArray::number(bodyBytes) + "\r\n\r\n"));
        QVERIFY(socket.sendAll(body));
        const std::optional<HttpAnswer> answer = socket.readAnswer(30000);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 404); // answered once committed
    }
    const qint64 after = databaseBytes(databasePath);
    qInfo("refused bodies in the log: %d x %lld MiB to an unknown route added %lld KiB to the "
          "database and its WAL",
        count, bodyBytes >> 20, (after - before) / 1024);
    QVERIFY2(after - before < 1024 * 1024,
        qPrintable(u"the database grew by %1 KiB"_s.arg((after - before) / 1024)));
    int truncated = 0;
    for (const LoggedRequest &row : site.rows()) {
        if (row.status != 404)
            continue;
        QCOMPARE(row.bodySize, bodyBytes);
        QVERIFY(row.bodyTruncated);
        QCOMPARE(row.body, body.left(RejectedBodyKeptBytes));
        QCOMPARE(row.toJson().value(u"bodyTruncated"_s).toBool(), true);
        ++truncated;
    }
    QCOMPARE(truncated, count);
}

// The log writer's queue is bounded in bytes; an entry counts for all a sender put in it, its
// headers as much as its body. With the log stuck, requests with 40 KiB of headers and a
// two-byte body reach the bound (503 overloaded) long before the queue's count does.
void tst_HardeningOverload::writerCountsWholeEntries()
{
    const QString databasePath = m_dir->filePath(u"hooktrail.db"_s);
    QVERIFY(openSite(databasePath, baseOptions()));
    Site &site = *m_site;
    site.engine()->stopReceiver();
    LogWriter::Limits limits;
    limits.maxQueued = 100000;
    limits.maxQueuedBytes = 2 * 1024 * 1024;
    LogWriter writer(Engine::sqliteFactory(databasePath), limits);
    writer.start();
    Receiver receiver(&writer, site.engine()->config());
    QVERIFY(receiver.start(baseOptions()).ok());
    const auto stop = qScopeGuard([&] {
        receiver.stop();
        writer.stop();
        writer.wait();
    });
    {
        RawHttpClient warm(receiver.port());
        QVERIFY(warm.connectToServer());
        QVERIFY(warm.send(site.acceptedRequest()));
        QVERIFY(warm.readAnswer().has_value());
    }

    constexpr int connections = 8;
    constexpr int perConnection = 40; // within the pipelining read-ahead of one connection
    const QByteArray request = httpRequest("POST", site.target(site.keyQuery()),
        "Content-Type: application/json\r\nX-Pad: " + QByteArray(40 * 1024, 'h') + "\r\n", "{}");
    QByteArray pipelined;
    for (int i = 0; i < perConnection; ++i)
        pipelined += request;

    QSqlDatabase lockDb = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"entries-lock"_s);
    lockDb.setDatabaseName(databasePath);
    QVERIFY(lockDb.open());
    const auto dropLock = qScopeGuard([&] {
        lockDb.close();
        lockDb = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"entries-lock"_s);
    });
    QSqlQuery lockQuery(lockDb);
    QVERIFY(lockQuery.exec(u"BEGIN EXCLUSIVE"_s));
    bool locked = true;
    const auto unlock = qScopeGuard([&] {
        if (locked)
            lockQuery.exec(u"ROLLBACK"_s);
    });

    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < connections; ++i) {
        clients.push_back(std::make_unique<RawHttpClient>(receiver.port()));
        QVERIFY(clients.back()->connectToServer());
        QVERIFY(clients.back()->send(pipelined, 10000));
    }
    // While the log is stuck, the receiver has read every request (the queue is not full by
    // count); refusals for lack of room are what it can answer.
    QTRY_COMPARE_WITH_TIMEOUT(
        receiver.stats().requests.loadRelaxed(), qint64(1 + connections * perConnection), 5000);
    const qint64 overloadedWhileStuck = receiver.stats().overloaded.loadRelaxed();
    QVERIFY(lockQuery.exec(u"ROLLBACK"_s));
    locked = false;

    AnswerTally tally;
    for (auto &client : clients) {
        for (int i = 0; i < perConnection; ++i)
            tally.add(client->readAnswer(20000));
    }
    qInfo("whole entries: %d requests of %lld KiB headers and a 2-byte body with the log stuck "
          "and a queue bound of %lld KiB: %lld refused 503 overloaded while stuck; %d accepted "
          "afterwards",
        connections * perConnection, qlonglong(request.size() / 1024), limits.maxQueuedBytes / 1024,
        overloadedWhileStuck, tally.count(u"accepted"_s));
    QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.mid(0, 10).join(u'\n')));
    QCOMPARE(
        tally.count(u"accepted"_s) + tally.count(u"overloaded"_s), connections * perConnection);
    // 320 x 40 KiB is over 12 MiB of headers against a bound of 2 MiB.
    QVERIFY2(overloadedWhileStuck > 0, "the queue took far more than its byte bound");
    QVERIFY(tally.count(u"accepted"_s) * qint64(request.size()) < 3 * limits.maxQueuedBytes);
}

QTEST_GUILESS_MAIN(tst_HardeningOverload)
#include "tst_hardening_overload.moc"
