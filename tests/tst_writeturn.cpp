// The write turn of one SQLite file in a process: one writer at a time, waking the moment the
// turn is free, the log writer ahead of the others waiting, the same thread again inside its
// own turn; and two connections of the process to one file writing at once without a busy
// wait.
#include "core/store/store.h"
#include "core/store/writeturn.h"
#include "testsupport.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace Hooktrail;
using namespace Qt::StringLiterals;

class TestWriteTurn final : public QObject
{
    Q_OBJECT

private slots:
    void oneHolderAtATime();
    void firstWritersGoFirst();
    void othersAreNotStarved();
    void sameThreadAgain();
    void oneFileOneTurn();
    void connectionsOfOneProcessTakeTurns();
};

void TestWriteTurn::oneHolderAtATime()
{
    WriteTurn turn;
    turn.acquire(false);
    std::atomic<bool> entered = false;
    std::thread other([&] {
        turn.acquire(false);
        entered = true;
        turn.release();
    });
    QTest::qWait(100);
    QVERIFY(!entered); // waits while the turn is held
    turn.release();
    other.join();
    QVERIFY(entered);
}

// Held by one thread; a plain writer queues first, then one that writes first: on release the
// first-writer has the turn before the plain one.
void TestWriteTurn::firstWritersGoFirst()
{
    WriteTurn turn(std::chrono::minutes(1)); // no waiter yields long enough to go first
    turn.acquire(false);
    std::mutex orderMutex;
    QStringList order;
    const auto writer = [&](bool first, const QString &name) {
        return std::thread([&, first, name] {
            turn.acquire(first);
            {
                const std::lock_guard lock(orderMutex);
                order << name;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            turn.release();
        });
    };
    std::thread plain = writer(false, u"deliverer"_s);
    QTest::qWait(50); // the plain writer is waiting
    std::thread logWriter = writer(true, u"log"_s);
    QTest::qWait(50);
    turn.release();
    plain.join();
    logWriter.join();
    QCOMPARE(order, (QStringList { u"log"_s, u"deliverer"_s }));
}

// A first writer taking the turn back to back does not keep another waiter out: after MaxYield
// the waiter goes before the first writer's next turn.
void TestWriteTurn::othersAreNotStarved()
{
    WriteTurn turn;
    std::atomic<bool> stop = false;
    std::atomic<int> turnsTaken = 0;
    std::thread flood([&] {
        while (!stop) {
            turn.acquire(true);
            ++turnsTaken;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            turn.release();
        }
    });
    QTRY_VERIFY(turnsTaken > 10);
    std::atomic<bool> entered = false;
    std::thread other([&] {
        turn.acquire(false);
        entered = true;
        turn.release();
    });
    // Within a few yields, not after the flood: it never ends by itself.
    QTRY_VERIFY_WITH_TIMEOUT(entered, 5000);
    stop = true;
    flood.join();
    other.join();
}

void TestWriteTurn::sameThreadAgain()
{
    WriteTurn turn;
    turn.acquire(false);
    turn.acquire(true); // no deadlock: the holder nests
    turn.release();
    std::atomic<bool> entered = false;
    std::thread other([&] {
        turn.acquire(false);
        entered = true;
        turn.release();
    });
    QTest::qWait(50);
    QVERIFY(!entered); // still held once
    turn.release();
    other.join();
    QVERIFY(entered);
}

void TestWriteTurn::oneFileOneTurn()
{
    const std::shared_ptr<WriteTurn> a = WriteTurn::of(u"/tmp/one.db"_s);
    QCOMPARE(WriteTurn::of(u"/tmp/one.db"_s).get(), a.get());
    QVERIFY(WriteTurn::of(u"/tmp/other.db"_s).get() != a.get());
}

// A connection's write transaction takes its file's turn: while the turn is held (as another
// connection of the process holds it while it writes), the write waits; released, it goes
// through, with no "database is locked".
void TestWriteTurn::connectionsOfOneProcessTakeTurns()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"hooktrail.db"_s);
    auto opened = Store::openSqlite(path);
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    std::unique_ptr<Store> store = std::move(opened).value();
    const std::shared_ptr<WriteTurn> turn = WriteTurn::of(QFileInfo(path).canonicalFilePath());
    turn->acquire(true);
    std::atomic<bool> done = false;
    QString error;
    std::thread writer([&] {
        // Another thread's connection, as the deliverer's or the console's is.
        auto own = Store::openSqlite(path);
        if (!own.ok()) {
            error = own.error();
            done = true;
            return;
        }
        Webhook hook;
        hook.name = u"second"_s;
        const Result<Webhook> added = std::move(own).value()->config().addWebhook(hook);
        if (!added.ok())
            error = added.error();
        done = true;
    });
    QTest::qWait(300);
    QVERIFY(!done); // waiting for the turn
    turn->release();
    writer.join();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const Result<QList<Webhook>> hooks = store->config().webhooks();
    QVERIFY(hooks.ok());
    QCOMPARE(hooks->size(), 1);
}

QTEST_GUILESS_MAIN(TestWriteTurn)
#include "tst_writeturn.moc"
