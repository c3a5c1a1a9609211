// Tests that no acknowledged request is lost when `hooktrail serve` is killed (SIGKILL) or
// stopped as a service is (SIGTERM, systemctl stop) under load, and that the write-ahead log stays
// bounded under a sustained load read meanwhile.
#include "core/receiver/engine.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

constexpr int kConnections = 8;
constexpr int kRounds = 3;
// Load for at least this long, and until this many answers came back, before the kill.
constexpr qint64 kLoadMs = 700;
constexpr qsizetype kMinAcknowledged = 100;

// Counts the log writer's completions.
class CountingSink final : public LogCompletionSink
{
public:
    void deliver(QList<LogCompletion> completions) override
    {
        for (const LogCompletion &completion : completions)
            (completion.id > 0 ? committed : failed).fetch_add(1);
    }
    std::atomic<qint64> committed = 0;
    std::atomic<qint64> failed = 0;
};

qint64 fileSize(const QString &path)
{
    return QFileInfo(path).size(); // 0 when there is no file
}

} // namespace

class DurabilityTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void stoppedUnderLoadLosesNothing_data();
    void stoppedUnderLoadLosesNothing();
    void writeAheadLogStaysBounded();

private:
    QTemporaryDir m_root;
    QString m_dataDir;
    QByteArray m_target;
    // What earlier rounds left in the log, which a restart must keep.
    qint64 m_lastLoggedId = 0;
    qsizetype m_loggedBefore = 0;
};

void DurabilityTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(QFileInfo(hooktrailBinary()).isExecutable(),
        "set HOOKTRAIL_BINARY to the hooktrail executable (CTest does)");
    QVERIFY(m_root.isValid());
    m_dataDir = m_root.filePath(u"data"_s);
    const CliProvision provision = provisionViaCli(m_dataDir, u"durable"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    m_target = "/v1/data/webhook/" + provision.webhookId.toLatin1()
        + "?api-key=" + provision.key.toLatin1();
}

void DurabilityTest::stoppedUnderLoadLosesNothing_data()
{
    QTest::addColumn<int>("round");
    QTest::addColumn<bool>("terminate");
    for (int round = 1; round <= kRounds; ++round)
        QTest::addRow("round %d, SIGKILL", round) << round << false;
    // What systemctl stop sends (packaging/hooktrail-server.service): the clean way out, which
    // must also end with every acknowledged row written.
    for (int round = kRounds + 1; round <= kRounds + 2; ++round)
        QTest::addRow("round %d, SIGTERM", round) << round << true;
}

void DurabilityTest::stoppedUnderLoadLosesNothing()
{
    QFETCH(int, round);
    QFETCH(bool, terminate);

    // Every round restarts on the same folder, so it also checks a restart after a kill.
    ServeProcess serve;
    QVERIFY2(serve.start(m_dataDir), qPrintable(serve.error()));
    LoadGenerator load(serve.port(), m_target, kConnections);
    QElapsedTimer loading;
    loading.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        loading.elapsed() >= kLoadMs && load.acknowledged().size() >= kMinAcknowledged, 30000);

    const int inFlightAtKill = load.inFlight();
    QVERIFY(inFlightAtKill > 0); // the kill lands mid-load, not in a lull
    if (terminate) {
        QCOMPARE(serve.stop(), 0); // SIGTERM with requests in flight: ends by itself, exit 0
    } else {
        serve.process().kill(); // SIGKILL, with requests in flight: no flush, no goodbye
        QVERIFY(serve.process().waitForFinished(10000));
        QCOMPARE(serve.process().exitStatus(), QProcess::CrashExit);
    }
    // Answers already on their way still count as acknowledged, so take them in before looking.
    QTRY_VERIFY_WITH_TIMEOUT(load.allClosed(), 10000);
    const QList<qint64> acknowledged = load.acknowledged();

    auto opened = Store::openSqlite(QDir(m_dataDir).filePath(u"hooktrail.db"_s));
    QVERIFY2(opened, qPrintable(opened.error()));
    const std::unique_ptr<Store> store = std::move(opened).value();
    const Result<QHash<qint64, LoggedRequest>> read = loggedRequests(*store);
    QVERIFY2(read, qPrintable(read.error()));
    const QHash<qint64, LoggedRequest> &logged = *read;

    // This round's rows are those past the last round's; keep the figures for the next round
    // before anything here can fail, so one failed round does not blur the next.
    const qint64 lastIdBefore = m_lastLoggedId;
    const qsizetype countBefore = m_loggedBefore;
    qsizetype loggedThisRound = 0;
    for (auto it = logged.cbegin(); it != logged.cend(); ++it) {
        if (it.key() > lastIdBefore)
            ++loggedThisRound;
        m_lastLoggedId = std::max(m_lastLoggedId, it.key());
    }
    m_loggedBefore = logged.size();

    QStringList missing;
    for (const qint64 id : acknowledged) {
        const auto entry = logged.constFind(id);
        if (entry == logged.cend()) {
            missing.append(QString::number(id));
            continue;
        }
        QCOMPARE(entry->status, 200);
        QCOMPARE(entry->reason, QByteArray("accepted"));
    }
    qInfo("round %d (%s): %lld requests acknowledged (2xx), %lld of them in the log; %lld rows "
          "logged this round, %d requests in flight at the signal, %d non-2xx answers",
        round, terminate ? "SIGTERM" : "SIGKILL", qlonglong(acknowledged.size()),
        qlonglong(acknowledged.size() - missing.size()), qlonglong(loggedThisRound), inFlightAtKill,
        load.otherAnswers());
    QVERIFY2(
        missing.isEmpty(), qPrintable(u"acknowledged but not logged: "_s + missing.join(u',')));

    QVERIFY(acknowledged.size() >= kMinAcknowledged);
    QCOMPARE(QSet<qint64>(acknowledged.cbegin(), acknowledged.cend()).size(), acknowledged.size());
    QVERIFY(loggedThisRound >= acknowledged.size());
    // The restart kept every earlier row and went on counting past them.
    QCOMPARE(logged.size() - loggedThisRound, countBefore);
    QVERIFY(*std::min_element(acknowledged.cbegin(), acknowledged.cend()) > lastIdBefore);
}

// Rows go into the real log writer as fast as it commits them while another connection reads
// the way the console's live History page does. The write-ahead log never starts over by
// itself under such a load (a checkpoint never catches up with commits made meanwhile): it
// grew to gigabytes. It must stay within a bound while the rows come, whatever their number,
// and be emptied soon after they stop.
void DurabilityTest::writeAheadLogStaysBounded()
{
    // 150,000 requests of about 300 bytes write about 100 MiB of log in all, however fast the
    // machine: far past the bound unless the log keeps starting over.
    constexpr qint64 kRows = 150000;
    constexpr qint64 kWalBound = 48LL * 1024 * 1024;
    constexpr qint64 kEmptied = 64 * 1024;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"hooktrail.db"_s);
    const QString wal = path + u"-wal"_s;
    {
        auto created = Store::openSqlite(path);
        QVERIFY2(created, qPrintable(created.error()));
    }

    LogWriter writer(Engine::sqliteFactory(path));
    writer.start();
    const auto sink = std::make_shared<CountingSink>();

    // The History page: every 100 ms the newest id and the rows above the last one seen; now
    // and then a first page and a count, as after a filter change. Here every 10 ms.
    std::atomic<bool> reading = true;
    std::atomic<qint64> reads = 0;
    std::atomic<qint64> readErrors = 0;
    QString firstReadError;
    std::thread reader([&] {
        auto opened = Store::openSqlite(path);
        if (!opened) {
            readErrors.fetch_add(1);
            firstReadError = opened.error();
            return;
        }
        const std::unique_ptr<Store> store = std::move(opened).value();
        qint64 watermark = 0;
        for (qint64 round = 0; reading.load(); ++round) {
            QString error;
            const Result<qint64> newest = store->queries().newestRequestId();
            if (newest) {
                RequestFilter filter;
                filter.afterId = watermark;
                filter.beforeId = *newest + 1;
                filter.limit = 5001;
                const auto rows = store->queries().requestSummaries(filter);
                if (rows)
                    watermark = *newest;
                else
                    error = rows.error();
                if (round % 20 == 0 && error.isEmpty()) {
                    RequestFilter page;
                    page.beforeId = *newest + 1;
                    const auto first = store->queries().requestSummaries(page);
                    const auto count = store->queries().countRequests(page);
                    if (!first || !count)
                        error = first ? count.error() : first.error();
                }
            } else {
                error = newest.error();
            }
            if (!error.isEmpty() && readErrors.fetch_add(1) == 0)
                firstReadError = error;
            reads.fetch_add(1);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
    const auto stopReading = [&] {
        reading = false;
        if (reader.joinable())
            reader.join();
    };
    const auto stopReader = qScopeGuard(stopReading);

    // The load starts once the reader reads, as a console is open before traffic comes: opening
    // a store checks the schema in a write transaction, which on a fast machine could otherwise
    // wait behind the whole load and leave it with no reader at all.
    QTRY_VERIFY_WITH_TIMEOUT(reads.load() > 0 || readErrors.load() > 0, 30000);
    if (readErrors.load() > 0) {
        stopReading(); // then its first error may be read
        QFAIL(qPrintable(firstReadError));
    }
    const qint64 readsBefore = reads.load();

    const QByteArray body
        = R"({"event":"order.created","id":12345,"data":")" + QByteArray(240, 'x') + R"("})";
    qint64 walPeak = 0;
    qint64 submitted = 0;
    QElapsedTimer loading;
    loading.start();
    while (submitted < kRows) {
        LoggedRequest entry;
        entry.receivedAtMicros = QDateTime::currentMSecsSinceEpoch() * 1000;
        entry.method = "POST"_ba;
        entry.path = "/v1/data/webhook/00000000-0000-4000-8000-000000000000"_ba;
        entry.query = "api-key=***"_ba;
        entry.httpVersion = "HTTP/1.1"_ba;
        entry.headers
            = { { "Host"_ba, "127.0.0.1"_ba }, { "Content-Type"_ba, "application/json"_ba },
                  { "Content-Length"_ba, QByteArray::number(body.size()) } };
        entry.body = body;
        entry.bodySize = body.size();
        entry.contentType = "application/json"_ba;
        entry.clientAddress = u"127.0.0.1"_s;
        entry.status = 200;
        entry.reason = "accepted"_ba;
        entry.instance = u"wal-test"_s;
        if (!writer.submit(std::move(entry), sink, 1, quint64(submitted))) {
            // The queue is full: the writer is the bottleneck, as under a real flood.
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            walPeak = std::max(walPeak, fileSize(wal));
            continue;
        }
        if (++submitted % 500 == 0)
            walPeak = std::max(walPeak, fileSize(wal));
    }
    // Until the last commit, still sampling: the log may grow to the very end.
    QElapsedTimer draining;
    draining.start();
    while (sink->committed.load() + sink->failed.load() < kRows && draining.elapsed() < 120000) {
        walPeak = std::max(walPeak, fileSize(wal));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    QCOMPARE(sink->failed.load(), 0);
    QCOMPARE(sink->committed.load(), kRows);
    const qint64 readsDuringLoad = reads.load() - readsBefore;
    const qint64 databaseBytes = fileSize(path);

    qInfo("%lld rows committed in %lld ms under a reader (%lld reads meanwhile): write-ahead log "
          "at most %.1f MiB (bound %lld MiB); database %.1f MiB",
        kRows, qlonglong(loading.elapsed()), readsDuringLoad, double(walPeak) / (1024 * 1024),
        kWalBound / (1024 * 1024), double(databaseBytes) / (1024 * 1024));
    QVERIFY(readsDuringLoad > 0);
    QVERIFY2(
        walPeak < kWalBound, qPrintable(u"the write-ahead log reached %1 bytes"_s.arg(walPeak)));

    // The reader goes on, as an open console does, and the search index catches up (writing
    // too); the log stays bounded meanwhile and is emptied once nothing writes. A generous
    // deadline: before, it was never emptied at all.
    QElapsedTimer settling;
    settling.start();
    qint64 settlingPeak = 0;
    while (fileSize(wal) > kEmptied && settling.elapsed() < 90000) {
        settlingPeak = std::max(settlingPeak, fileSize(wal));
        QTest::qWait(20);
    }
    qInfo("write-ahead log emptied %lld ms after the last commit (at most %.1f MiB meanwhile)",
        qlonglong(settling.elapsed()), double(settlingPeak) / (1024 * 1024));
    QVERIFY2(fileSize(wal) <= kEmptied,
        qPrintable(u"the write-ahead log still holds %1 bytes"_s.arg(fileSize(wal))));
    QVERIFY2(settlingPeak < kWalBound,
        qPrintable(u"the write-ahead log reached %1 bytes after the load"_s.arg(settlingPeak)));
    stopReading();
    QVERIFY2(readErrors.load() == 0, qPrintable(firstReadError));
}

QTEST_GUILESS_MAIN(DurabilityTest)
#include "tst_durability.moc"
