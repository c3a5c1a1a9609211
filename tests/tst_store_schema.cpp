// Tests for Store's schema and files, and for its PostgreSQL URLs, against a real SQLite file
// and, as tst_StoreSchemaPostgres, the same tests against a real PostgreSQL server.
#include "storetest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_StoreSchema : public StoreTest
{
    Q_OBJECT
public:
    explicit tst_StoreSchema(bool postgres = false) : StoreTest(u"store_schema"_s, postgres) { }

private slots:
    // Schema
    void createsSchema();
    void createsMissingFolders();
    void filesArePrivate();
    void reopenIsIdempotent();
    void refusesNewerSchema_data();
    void refusesNewerSchema();
    void refusesNonDatabaseFile();

    // PostgreSQL
    void postgresUrlErrors_data();
    void postgresUrlErrors();
    void redactedUrlHidesPasswords_data();
    void redactedUrlHidesPasswords();
};

// The same tests on PostgreSQL, under a name of their own in the output.
class tst_StoreSchemaPostgres final : public tst_StoreSchema
{
    Q_OBJECT
public:
    tst_StoreSchemaPostgres() : tst_StoreSchema(true) { }
};

void tst_StoreSchema::createsSchema()
{
    const Result<int> version = m_store->schema().version();
    VERIFY_OK(version);
    QCOMPARE(*version, Schema::Version);
    if (!m_postgres)
        QVERIFY(QFile::exists(m_path));

    const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
    VERIFY_OK(webhooks);
    QVERIFY(webhooks->isEmpty());
    const Result<QList<ApiKey>> keys = m_store->config().keys();
    VERIFY_OK(keys);
    QVERIFY(keys->isEmpty());
    const Result<qint64> count = m_store->queries().countRequests();
    VERIFY_OK(count);
    QCOMPARE(*count, qint64(0));
    const Result<qint64> generation = m_store->config().generation();
    VERIFY_OK(generation);
    QVERIFY(*generation >= 1);
    QCOMPARE(rawValue(m_location, u"SELECT value FROM meta WHERE key = 'schema_version'"_s),
        QString::number(Schema::Version));
}

void tst_StoreSchema::createsMissingFolders()
{
    if (onlyOnSqlite())
        QSKIP("a matter of SQLite files");
    const QString nested = m_dir->filePath(u"a/b/c/log.db"_s);
    const Result<std::unique_ptr<Store>> opened = Store::openSqlite(nested);
    VERIFY_OK(opened);
    QVERIFY(QFile::exists(nested));
}

// Every body is in the log: the folder is 0700 and the files 0600, whatever the umask, and a
// log left open to others is closed when it is opened.
void tst_StoreSchema::filesArePrivate()
{
    if (onlyOnSqlite())
        QSKIP("a matter of SQLite files");
    const auto mode = [](const QString &path) {
        struct stat status;
        return ::stat(QFile::encodeName(path).constData(), &status) == 0
            ? unsigned(status.st_mode & 07777)
            : 0u;
    };
    const mode_t umaskWas = ::umask(022);
    const auto restoreUmask = qScopeGuard([umaskWas] { ::umask(umaskWas); });
    const QString folder = m_dir->filePath(u"new/data"_s);
    const QString path = folder + u"/hooktrail.db"_s;
    {
        Result<std::unique_ptr<Store>> opened = Store::openSqlite(path);
        VERIFY_OK(opened);
        QList<LoggedRequest> rows(1);
        rows[0].method = "POST";
        rows[0].body = "a body";
        VERIFY_OK((*opened)->log().append(rows));
        QCOMPARE(mode(m_dir->filePath(u"new"_s)), 0755u); // above it: as the umask says
        QCOMPARE(mode(folder), 0700u);
        QCOMPARE(mode(path), 0600u);
        QVERIFY(QFileInfo::exists(path + u"-wal"_s));
        QCOMPARE(mode(path + u"-wal"_s), 0600u);
        QCOMPARE(mode(path + u"-shm"_s), 0600u);

        // Opened to others while in use (by hand, or by an older Hooktrail).
        for (const QString &file : { path, path + u"-wal"_s, path + u"-shm"_s })
            QVERIFY(::chmod(QFile::encodeName(file).constData(), 0644) == 0);
        QTest::ignoreMessage(QtInfoMsg, qPrintable(u"made %1 private (it was 0644)"_s.arg(path)));
        QTest::ignoreMessage(
            QtInfoMsg, qPrintable(u"made %1-wal private (it was 0644)"_s.arg(path)));
        QTest::ignoreMessage(
            QtInfoMsg, qPrintable(u"made %1-shm private (it was 0644)"_s.arg(path)));
        Result<std::unique_ptr<Store>> again = Store::openSqlite(path);
        VERIFY_OK(again);
        for (const QString &file : { path, path + u"-wal"_s, path + u"-shm"_s })
            QCOMPARE(mode(file), 0600u);
    }
}

void tst_StoreSchema::reopenIsIdempotent()
{
    const Result<Webhook> added = m_store->config().addWebhook(newWebhook(u"Orders"_s));
    VERIFY_OK(added);
    const qint64 generation = *m_store->config().generation();
    m_store.reset();

    for (int round = 0; round < 2; ++round) {
        m_store = open();
        QVERIFY(m_store);
        QCOMPARE(*m_store->schema().version(), Schema::Version);
        // Reopening changes no configuration, so receivers do not reload for nothing.
        QCOMPARE(*m_store->config().generation(), generation);
        const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
        VERIFY_OK(webhooks);
        QCOMPARE(webhooks->size(), 1);
        QCOMPARE(webhooks->first().id, added->id);
        m_store.reset();
    }
    QCOMPARE(
        rawValue(m_location, u"SELECT COUNT(*) FROM meta WHERE key = 'schema_version'"_s), u"1"_s);
}

void tst_StoreSchema::refusesNewerSchema_data()
{
    QTest::addColumn<bool>("fullSchema"); // false: a file holding only the meta table

    QTest::addRow("Hooktrail database from a newer version") << true;
    QTest::addRow("bare meta table") << false;
}

void tst_StoreSchema::refusesNewerSchema()
{
    QFETCH(bool, fullSchema);

    m_store.reset();
    const int newer = Schema::Version + 1;
    QString error;
    if (!fullSchema && m_postgres) {
        QVERIFY2(resetPostgres(m_location, &error), qPrintable(error));
    } else if (!fullSchema) {
        QVERIFY(QFile::remove(m_path));
        QFile::remove(m_path + u"-wal"_s);
        QFile::remove(m_path + u"-shm"_s);
    }
    if (!fullSchema) {
        QVERIFY2(execRaw(m_location,
                     u"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s, &error),
            qPrintable(error));
        QVERIFY2(execRaw(m_location,
                     u"INSERT INTO meta (key, value) VALUES ('schema_version', '%1')"_s.arg(newer),
                     &error),
            qPrintable(error));
    } else {
        QVERIFY2(
            execRaw(m_location,
                u"UPDATE meta SET value = '%1' WHERE key = 'schema_version'"_s.arg(newer), &error),
            qPrintable(error));
    }

    const Result<std::unique_ptr<Store>> opened = openAt();
    QVERIFY(!opened);
    QVERIFY2(opened.error().contains(u"newer"_s), qPrintable(opened.error()));
    QVERIFY2(opened.error().contains(QString::number(newer)), qPrintable(opened.error()));
    // Refusing must leave the newer database as it was.
    QCOMPARE(rawValue(m_location, u"SELECT value FROM meta WHERE key = 'schema_version'"_s),
        QString::number(newer));
    if (!fullSchema)
        QCOMPARE(rawValue(m_location,
                     m_postgres ? u"SELECT COUNT(*) FROM information_schema.tables "
                                  "WHERE table_name = 'webhooks'"_s
                                : u"SELECT COUNT(*) FROM sqlite_master WHERE name = 'webhooks'"_s),
            u"0"_s);
}

void tst_StoreSchema::refusesNonDatabaseFile()
{
    if (onlyOnSqlite())
        QSKIP("a matter of SQLite files");
    const QString path = m_dir->filePath(u"notes.txt"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        QByteArray("This is not a database, just some text that is long enough. ").repeated(100));
    file.close();

    const Result<std::unique_ptr<Store>> opened = Store::openSqlite(path);
    QVERIFY(!opened);
    QVERIFY(!opened.error().isEmpty());
}

void tst_StoreSchema::postgresUrlErrors_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::addRow("no database") << u"postgresql://hooktrail:s3cret@127.0.0.1:5432/"_s
                                 << u"not a PostgreSQL URL"_s;
    QTest::addRow("no host") << u"postgresql:///hooktrail"_s << u"not a PostgreSQL URL"_s;
    // Port 1 on loopback: nothing listens there; the error comes from the connection attempt.
    QTest::addRow("nothing listening")
        << u"postgresql://hooktrail:s3cret@127.0.0.1:1/db"_s << u"cannot open the database"_s;
}

void tst_StoreSchema::redactedUrlHidesPasswords_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<bool>("hasPassword");
    QTest::addColumn<bool>("refusedAsIs"); // openPostgres refuses it before connecting
    QTest::addRow("user:password@")
        << u"postgresql://u:s3cret@db/h"_s << u"postgresql://u:***@db/h"_s << true << false;
    QTest::addRow("a slash in the password")
        << u"postgresql://u:pa/ss3cret@db/h"_s << u"postgresql://u:***@db/h"_s << true << true;
    QTest::addRow("port-like, then a slash") << u"postgresql://u:12/s3cret@db:5432/h"_s
                                             << u"postgresql://u:***@db:5432/h"_s << true << true;
    QTest::addRow("? # and @ in the password")
        << u"postgres://u:s3?c#r@et@db/h"_s << u"postgres://u:***@db/h"_s << true << false;
    QTest::addRow("?password=") << u"postgresql://u@db/h?password=s3cret"_s
                                << u"postgresql://u@db/h?password=***"_s << true << false;
    QTest::addRow("among other parameters")
        << u"postgresql://db/h?sslmode=require&password=s3cret&application_name=x"_s
        << u"postgresql://db/h?sslmode=require&password=***&application_name=x"_s << true << false;
    QTest::addRow("both, and sslpassword")
        << u"postgresql://u:s3cret@db/h?sslpassword=s3cret2&Password=s3cret3#f"_s
        << u"postgresql://u:***@db/h?sslpassword=***&Password=***#f"_s << true << false;
    QTest::addRow("percent-encoded name") << u"postgresql://db/h?pass%77ord=s3cret"_s
                                          << u"postgresql://db/h?pass%77ord=***"_s << true << false;
    QTest::addRow("no password") << u"postgresql://u@db:5432/h?sslmode=require"_s
                                 << u"postgresql://u@db:5432/h?sslmode=require"_s << false << false;
    QTest::addRow("an empty password")
        << u"postgresql://u:@db/h"_s << u"postgresql://u:@db/h"_s << false << false;
    QTest::addRow("an @ in the query, no password")
        << u"postgresql://db/h?application_name=a@b"_s
        << u"postgresql://db/h?application_name=a@b"_s << false << false;
    QTest::addRow("invalid, no @")
        << u"postgresql://u:s3cret"_s << u"(an invalid PostgreSQL URL)"_s << false << true;
}

void tst_StoreSchema::redactedUrlHidesPasswords()
{
    QFETCH(QString, url);
    QFETCH(QString, shown);
    QFETCH(bool, hasPassword);
    QFETCH(bool, refusedAsIs);
    QCOMPARE(Store::redactedUrl(url), shown);
    QCOMPARE(Store::urlHasPassword(url), hasPassword);
    // Nor in the error that refuses the URL (one that needs no server to refuse).
    if (refusedAsIs) {
        const Result<std::unique_ptr<Store>> opened = Store::openPostgres(url);
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(u"is not a PostgreSQL URL"_s), qPrintable(opened.error()));
        QVERIFY2(!opened.error().contains(u"s3cret"_s), qPrintable(opened.error()));
    }
}

void tst_StoreSchema::postgresUrlErrors()
{
    if (!m_postgres)
        QSKIP("run by tst_StorePostgres");
    QFETCH(QString, url);
    QFETCH(QString, expected);
    const Result<std::unique_ptr<Store>> opened = Store::openPostgres(url);
    QVERIFY(!opened);
    QVERIFY2(opened.error().contains(expected), qPrintable(opened.error()));
    // A password given in the URL is never repeated.
    QVERIFY2(!opened.error().contains(u"s3cret"_s), qPrintable(opened.error()));
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    tst_StoreSchema sqlite;
    tst_StoreSchemaPostgres postgres;
    int status = QTest::qExec(&sqlite, argc, argv);
    status |= QTest::qExec(&postgres, argc, argv);
    return status;
}
#include "tst_store_schema.moc"
