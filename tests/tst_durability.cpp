// Tests that no acknowledged request is lost when `hooktrail serve` is killed (SIGKILL) under load.
#include "store.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
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

} // namespace

class DurabilityTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killedUnderLoadLosesNothing_data();
    void killedUnderLoadLosesNothing();

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

void DurabilityTest::killedUnderLoadLosesNothing_data()
{
    QTest::addColumn<int>("round");
    for (int round = 1; round <= kRounds; ++round)
        QTest::addRow("round %d", round) << round;
}

void DurabilityTest::killedUnderLoadLosesNothing()
{
    QFETCH(int, round);

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
    serve.process().kill(); // SIGKILL, with requests in flight: no flush, no goodbye
    QVERIFY(serve.process().waitForFinished(10000));
    QCOMPARE(serve.process().exitStatus(), QProcess::CrashExit);
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
    qInfo("round %d: %lld requests acknowledged (2xx), %lld of them in the log; %lld rows logged "
          "this round, %d requests in flight at the kill, %d non-2xx answers",
        round, qlonglong(acknowledged.size()), qlonglong(acknowledged.size() - missing.size()),
        qlonglong(loggedThisRound), inFlightAtKill, load.otherAnswers());
    QVERIFY2(
        missing.isEmpty(), qPrintable(u"acknowledged but not logged: "_s + missing.join(u',')));

    QVERIFY(acknowledged.size() >= kMinAcknowledged);
    QCOMPARE(QSet<qint64>(acknowledged.cbegin(), acknowledged.cend()).size(), acknowledged.size());
    QVERIFY(loggedThisRound >= acknowledged.size());
    // The restart kept every earlier row and went on counting past them.
    QCOMPARE(logged.size() - loggedThisRound, countBefore);
    QVERIFY(*std::min_element(acknowledged.cbegin(), acknowledged.cend()) > lastIdBefore);
}

QTEST_GUILESS_MAIN(DurabilityTest)
#include "tst_durability.moc"
