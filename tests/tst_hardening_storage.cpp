// The receiver when its storage fails: a full disk, a read-only database, the free space it
// keeps, and another process holding the write lock. Real HTTP over loopback, real SQLite
// files (a tmpfs of its own where the test may mount one).
#include "core/base/diskspace.h"
#include "core/store/logwriter.h"
#include "hardeningtest.h"
#include "testsupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QScopeGuard>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStorageInfo>
#include <QTest>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

// Sets or clears FS_IMMUTABLE_FL: a file root cannot open for writing either (chmod does not
// stop root). Empty on success, else why not.
QString setImmutable(const QString &path, bool immutable)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    const auto closeFd = qScopeGuard([fd] { ::close(fd); });
    int flags = 0;
    if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    flags = immutable ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    if (::ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    return {};
}

// Another process holding SQLite's write lock: this executable started with
// --hold-write-lock PATH takes BEGIN EXCLUSIVE, says "locked", and rolls back when its
// standard input says anything or closes.
int holdWriteLock(const char *path)
{
    int argc = 1;
    char name[] = "tst_hardening_storage-lock";
    char *argv[] = { name, nullptr };
    QCoreApplication app(argc, argv);
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"lock"_s);
    db.setDatabaseName(QString::fromLocal8Bit(path));
    if (!db.open()) {
        std::fprintf(stderr, "cannot open %s\n", path);
        return 2;
    }
    QSqlQuery query(db);
    if (!query.exec(u"PRAGMA busy_timeout = 5000"_s) || !query.exec(u"BEGIN EXCLUSIVE"_s)) {
        std::fprintf(stderr, "cannot lock: %s\n", qPrintable(query.lastError().text()));
        return 3;
    }
    std::printf("locked\n");
    std::fflush(stdout);
    char line[64];
    [[maybe_unused]] const char *ignored = std::fgets(line, sizeof line, stdin);
    query.exec(u"ROLLBACK"_s);
    std::printf("released\n");
    std::fflush(stdout);
    return 0;
}

// The helper above, as a child process of the test.
class LockHolder final
{
    Q_DISABLE_COPY_MOVE(LockHolder)
public:
    LockHolder() = default;
    ~LockHolder() { release(); }

    bool lock(const QString &databasePath)
    {
        m_process.start(
            QCoreApplication::applicationFilePath(), { u"--hold-write-lock"_s, databasePath });
        if (!m_process.waitForStarted(10000))
            return false;
        const QDeadlineTimer deadline(15000);
        while (!m_output.contains("locked\n") && !deadline.hasExpired()
            && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(100);
            m_output += m_process.readAllStandardOutput();
        }
        return m_output.contains("locked\n");
    }
    bool release()
    {
        if (m_process.state() == QProcess::NotRunning)
            return m_output.contains("released");
        m_process.write("release\n");
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_process.waitForFinished(5000);
        m_output += m_process.readAllStandardOutput();
        return m_output.contains("released") && m_process.exitCode() == 0;
    }
    QByteArray errors() { return m_process.readAllStandardError(); }

private:
    QProcess m_process;
    QByteArray m_output;
};

} // namespace

class tst_HardeningStorage : public HardeningTest
{
    Q_OBJECT

private slots:
    void diskFull_data();
    void diskFull();
    void readOnlyStorage();
    void keepFreeFloor();
    void keepFreeFloorFromSettings();
    void lockedByAnotherProcess();
};

// The disk fills under load: nothing is acknowledged that was not committed, the receiver keeps
// answering 503 storage_unavailable, and once there is room it recovers by itself.
void tst_HardeningStorage::diskFull_data()
{
    QTest::addColumn<bool>("tmpfs"); // else a file size limit on a `hooktrail serve` child
    QTest::addRow("tmpfs full") << true;
    QTest::addRow("file size limit") << false;
}

void tst_HardeningStorage::diskFull()
{
    QFETCH(bool, tmpfs);
    constexpr qint64 diskBytes = 4 * 1024 * 1024;
    constexpr qint64 headroom = 384 * 1024;
    const QByteArray body = R"({"pad":")" + QByteArray(16 * 1024, 'p') + R"("})";

    std::unique_ptr<TmpfsMount> mount;
    ServeProcess serve;
    QByteArray acceptedRequest;
    QString databasePath;
    quint16 port = 0;
    std::function<void()> makeRoom;
    if (tmpfs) {
        mount = std::make_unique<TmpfsMount>(diskBytes);
        if (!mount->isMounted())
            QSKIP(qPrintable(mount->error()));
        databasePath = mount->filePath(u"hooktrail.db"_s);
        QVERIFY(openSite(databasePath, baseOptions()));
        port = m_site->port();
        acceptedRequest = m_site->acceptedRequest(body);
        // Leave a little room: a few dozen requests fill it.
        const qint64 free = QStorageInfo(mount->path()).bytesAvailable();
        QFile filler(mount->filePath(u"filler"_s));
        QVERIFY(filler.open(QIODevice::WriteOnly));
        QVERIFY(filler.resize(0));
        const QByteArray block(64 * 1024, 'f');
        for (qint64 written = 0; written < free - headroom; written += block.size())
            QVERIFY(filler.write(block) == block.size());
        QVERIFY(filler.flush());
        filler.close();
        makeRoom = [&] { QVERIFY(QFile::remove(mount->filePath(u"filler"_s))); };
    } else {
        QVERIFY2(QFileInfo(hooktrailBinary()).isExecutable(),
            "set HOOKTRAIL_BINARY to the hooktrail executable (CTest does)");
        const QString dataDir = m_dir->filePath(u"data"_s);
        const CliProvision provision = provisionViaCli(dataDir, u"fsize"_s);
        QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
        databasePath = QDir(dataDir).filePath(u"hooktrail.db"_s);
        const rlim_t limit = rlim_t(QFileInfo(databasePath).size() + headroom);
        // Set in the child between fork and exec: serve itself must cope with EFBIG (and not
        // die of SIGXFSZ, which it has to ignore on its own).
        serve.process().setChildProcessModifier([limit] {
            rlimit fsize {};
            ::getrlimit(RLIMIT_FSIZE, &fsize);
            fsize.rlim_cur = limit; // the soft limit only, so the test may lift it again
            ::setrlimit(RLIMIT_FSIZE, &fsize);
        });
        QVERIFY2(serve.start(dataDir), qPrintable(serve.error()));
        port = serve.port();
        acceptedRequest = httpRequest("POST",
            "/v1/data/webhook/" + provision.webhookId.toLatin1()
                + "?api-key=" + provision.key.toLatin1(),
            "Content-Type: application/json\r\n", body);
        const qint64 pid = serve.process().processId();
        makeRoom = [pid] {
            rlimit fsize {};
            QVERIFY2(
                ::prlimit(pid_t(pid), RLIMIT_FSIZE, nullptr, &fsize) == 0, std::strerror(errno));
            fsize.rlim_cur = fsize.rlim_max;
            QVERIFY2(
                ::prlimit(pid_t(pid), RLIMIT_FSIZE, &fsize, nullptr) == 0, std::strerror(errno));
        };
    }

    RawHttpClient client(port);
    QVERIFY(client.connectToServer());
    AnswerTally tally;
    int sentUntilFull = 0;
    while (tally.count(u"storage_unavailable"_s) == 0 && sentUntilFull < 600) {
        QVERIFY(client.send(acceptedRequest));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        QVERIFY2(answer.has_value(),
            tmpfs || serve.process().state() == QProcess::Running
                ? "no answer while filling the disk"
                : "hooktrail serve died while filling the disk");
        QVERIFY2(answer->status == 200 || answer->reason() == u"storage_unavailable",
            answer->body.constData());
        ++sentUntilFull;
    }
    QVERIFY2(tally.count(u"storage_unavailable"_s) > 0, "the disk never filled up");
    // While full: still answering, on the same connection, and never a 2xx that is not logged.
    for (int i = 0; i < 20; ++i) {
        QVERIFY(client.send(acceptedRequest));
        tally.add(client.readAnswer(20000));
    }
    const int failedWhileFull = tally.count(u"storage_unavailable"_s);
    if (!tmpfs)
        QCOMPARE(serve.process().state(), QProcess::Running);

    makeRoom();
    if (QTest::currentTestFailed())
        return;
    const int acceptedBefore = tally.count(u"accepted"_s);
    int untilRecovered = 0;
    for (; untilRecovered < 20; ++untilRecovered) {
        QVERIFY(client.send(acceptedRequest));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        if (answer && answer->status == 200)
            break;
    }
    QVERIFY2(
        untilRecovered < 5, qPrintable(u"%1 failures after room was made"_s.arg(untilRecovered)));
    for (int i = 0; i < 10; ++i) {
        QVERIFY(client.send(acceptedRequest));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 200);
    }
    QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.join(u'\n')));

    QHash<qint64, LoggedRequest> rows;
    if (tmpfs) {
        rows = m_site->rows();
    } else {
        QCOMPARE(serve.stop(), 0);
        auto store = Store::openSqlite(databasePath);
        QVERIFY2(store, qPrintable(store.error()));
        const auto read = loggedRequests(**store);
        QVERIFY2(read, qPrintable(read.error()));
        rows = *read;
    }
    const QString missing = missingFromLog(tally.acknowledged, rows);
    qInfo("disk full (%s): %d requests until the first 503, %d answered 503 storage_unavailable, "
          "%d acknowledged before the room was made, %d after; %lld acknowledged in all, %lld rows "
          "logged, acknowledged but missing: [%s]",
        tmpfs ? "tmpfs" : "file size limit", sentUntilFull, failedWhileFull, acceptedBefore,
        tally.count(u"accepted"_s) - acceptedBefore, qlonglong(tally.acknowledged.size()),
        qlonglong(rows.size()), qPrintable(missing));
    QVERIFY2(missing.isEmpty(), qPrintable(u"acknowledged but not logged: "_s + missing));
    QCOMPARE(rows.size(), tally.acknowledged.size()); // a failed row is not half there either
}

// The database turns read-only for the log writer: 503 storage_unavailable, nothing
// acknowledged, and writable again it recovers by itself. Linux refuses to remount a
// filesystem read-only while a process has files open on it for writing (EBUSY), and the
// writer keeps its connection until a write fails; so the file is made immutable
// (FS_IMMUTABLE_FL, which stops root too) before the writer opens its connection.
void tst_HardeningStorage::readOnlyStorage()
{
    TmpfsMount mount(8 * 1024 * 1024);
    if (!mount.isMounted())
        QSKIP(qPrintable(mount.error()));
    const QString databasePath = mount.filePath(u"hooktrail.db"_s);
    QVERIFY(openSite(databasePath, baseOptions()));
    Site &site = *m_site;
    if (const QString error = setImmutable(databasePath, true); !error.isEmpty())
        QSKIP(qPrintable(u"cannot make the database immutable: "_s + error));
    const auto writable = qScopeGuard([&] { setImmutable(databasePath, false); });

    RawHttpClient client(site.port());
    QVERIFY(client.connectToServer());
    AnswerTally tally;
    for (int i = 0; i < 5; ++i) {
        QVERIFY(client.send(site.acceptedRequest()));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 503);
        QCOMPARE(answer->reason(), u"storage_unavailable"_s);
        QCOMPARE(answer->header("connection"), "keep-alive"_ba);
    }
    QCOMPARE(setImmutable(databasePath, false), QString());
    for (int i = 0; i < 5; ++i) {
        QVERIFY(client.send(site.acceptedRequest()));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 200);
    }
    QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.join(u'\n')));
    const QHash<qint64, LoggedRequest> rows = site.rows();
    QCOMPARE(missingFromLog(tally.acknowledged, rows), QString());
    QCOMPARE(rows.size(), 5);
    qInfo("read-only: 5 requests answered 503 storage_unavailable, then 5 acknowledged and logged");
}

// Anyone who reaches the endpoint can fill the disk. Below the free space kept, requests are
// refused with 503 storage_unavailable while there is still room (nothing acknowledged, nothing
// half written); once the floor is lowered (or room is made) the next request is taken.
void tst_HardeningStorage::keepFreeFloor()
{
    constexpr qint64 GiB = 1024LL * 1024 * 1024;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), baseOptions()));
    Site &site = *m_site;
    RawHttpClient client(site.port());
    QVERIFY(client.connectToServer());
    AnswerTally tally;
    QVERIFY(client.send(site.acceptedRequest()));
    tally.add(client.readAnswer(20000));
    QCOMPARE(tally.count(u"accepted"_s), 1);

    const qint64 free = DiskSpace::available(m_dir->path());
    QVERIFY(free > 0);
    site.engine()->setKeepFree(free + GiB); // more than there is
    for (int i = 0; i < 5; ++i) {
        QVERIFY(client.send(site.acceptedRequest()));
        const std::optional<HttpAnswer> answer = client.readAnswer(20000);
        tally.add(answer);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 503);
        QCOMPARE(answer->reason(), u"storage_unavailable"_s);
        QCOMPARE(answer->header("retry-after"), QByteArray::number(kRetryAfter));
        QCOMPARE(answer->header("connection"), "keep-alive"_ba);
    }
    const LogWriter::Refusal refusal = site.engine()->writer()->refusal();
    QCOMPARE(int(refusal.reason), int(LogWriter::Refusal::Reason::KeepFree));
    QCOMPARE(refusal.keepFreeBytes, free + GiB);
    QVERIFY(refusal.freeBytes > 0 && refusal.freeBytes < refusal.keepFreeBytes);

    site.engine()->setKeepFree(std::min<qint64>(free / 2, 64LL * 1024 * 1024));
    QVERIFY(client.send(site.acceptedRequest()));
    const std::optional<HttpAnswer> next = client.readAnswer(20000);
    tally.add(next);
    QVERIFY(next.has_value());
    QCOMPARE(next->status, 200);
    QCOMPARE(int(site.engine()->writer()->refusal().reason), int(LogWriter::Refusal::Reason::None));
    QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.join(u'\n')));
    const QHash<qint64, LoggedRequest> rows = site.rows();
    QCOMPARE(missingFromLog(tally.acknowledged, rows), QString());
    QCOMPARE(rows.size(), 2); // the refused requests are nowhere, not even as rejected rows
    qInfo("keep free: %.1f GiB free, floor %.1f GiB: 5 requests answered 503 storage_unavailable "
          "and not logged; floor lowered, the next one accepted",
        double(free) / GiB, double(free + GiB) / GiB);
}

// `hooktrail serve` takes the floor from the settings file (default 512 MiB).
void tst_HardeningStorage::keepFreeFloorFromSettings()
{
    QVERIFY2(QFileInfo(hooktrailBinary()).isExecutable(),
        "set HOOKTRAIL_BINARY to the hooktrail executable (CTest does)");
    const QString dataDir = m_dir->filePath(u"data"_s);
    const CliProvision provision = provisionViaCli(dataDir, u"floor"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    const qint64 free = DiskSpace::available(dataDir);
    QVERIFY(free > 0);
    {
        QSettings ini(QDir(dataDir).filePath(u"hooktrail.ini"_s), QSettings::IniFormat);
        ini.setValue(u"storage/keepFreeBytes"_s, free + 1024LL * 1024 * 1024);
    }
    ServeProcess serve;
    QVERIFY2(serve.start(dataDir), qPrintable(serve.error()));
    RawHttpClient client(serve.port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(httpRequest("POST",
        "/v1/data/webhook/" + provision.webhookId.toLatin1()
            + "?api-key=" + provision.key.toLatin1(),
        "Content-Type: application/json\r\n", R"({"event":"floor"})")));
    const std::optional<HttpAnswer> answer = client.readAnswer(20000);
    QVERIFY(answer.has_value());
    QCOMPARE(contractViolation(*answer), QString());
    QCOMPARE(answer->status, 503);
    QCOMPARE(answer->reason(), u"storage_unavailable"_s);
    QCOMPARE(serve.stop(), 0);
    auto store = Store::openSqlite(QDir(dataDir).filePath(u"hooktrail.db"_s));
    QVERIFY2(store, qPrintable(store.error()));
    const Result<qint64> count = (*store)->queries().countRequests();
    QVERIFY2(count, qPrintable(count.error()));
    QCOMPARE(*count, 0);
}

// Another process holds the database's write lock (BEGIN EXCLUSIVE): once SQLite's busy
// timeout runs out the request is answered 503 storage_unavailable, and after the lock is
// released the receiver takes requests again without a restart.
void tst_HardeningStorage::lockedByAnotherProcess()
{
    const QString databasePath = m_dir->filePath(u"hooktrail.db"_s);
    QVERIFY(openSite(databasePath, baseOptions()));
    Site &site = *m_site;
    RawHttpClient client(site.port());
    QVERIFY(client.connectToServer());
    AnswerTally tally;
    QVERIFY(client.send(site.acceptedRequest()));
    tally.add(client.readAnswer());
    QCOMPARE(tally.count(u"accepted"_s), 1);

    LockHolder holder;
    QVERIFY2(holder.lock(databasePath), holder.errors().constData());
    QElapsedTimer clock;
    clock.start();
    QVERIFY(client.send(site.acceptedRequest()));
    const std::optional<HttpAnswer> locked = client.readAnswer(30000);
    const qint64 lockedMs = clock.elapsed();
    tally.add(locked);
    QVERIFY(locked.has_value());
    QCOMPARE(locked->status, 503);
    QCOMPARE(locked->reason(), u"storage_unavailable"_s);
    QCOMPARE(locked->header("retry-after"), QByteArray::number(kRetryAfter));
    QVERIFY(holder.release());

    QVERIFY(client.send(site.acceptedRequest()));
    tally.add(client.readAnswer());
    RawHttpClient fresh(site.port());
    QVERIFY(fresh.connectToServer());
    QVERIFY(fresh.send(site.acceptedRequest()));
    tally.add(fresh.readAnswer());
    QVERIFY2(tally.problems.isEmpty(), qPrintable(tally.problems.join(u'\n')));
    QCOMPARE(tally.count(u"accepted"_s), 3);
    const QHash<qint64, LoggedRequest> rows = site.rows();
    QCOMPARE(missingFromLog(tally.acknowledged, rows), QString());
    QCOMPARE(rows.size(), 3);
    qInfo("locked by another process: answered 503 storage_unavailable after %lld ms (SQLite's "
          "busy timeout), accepted again once released",
        lockedMs);
}

int main(int argc, char *argv[])
{
    if (argc == 3 && std::strcmp(argv[1], "--hold-write-lock") == 0)
        return holdWriteLock(argv[2]);
    QCoreApplication app(argc, argv);
    tst_HardeningStorage test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_hardening_storage.moc"
