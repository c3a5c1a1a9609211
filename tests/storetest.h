// The fixture Store's tests derive from: a store on a real SQLite file or, for the *Postgres
// classes, on the PostgreSQL test database, and the entries and webhooks they add.
#pragma once

#include "core/store/store.h"
#include "sqltestsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

Q_DECLARE_METATYPE(Hooktrail::RequestFilter)

namespace Hooktrail::TestSupport {

using namespace Qt::StringLiterals;

inline Webhook newWebhook(const QString &name)
{
    Webhook webhook;
    webhook.name = name;
    return webhook;
}

inline LoggedRequest newEntry(
    const QString &webhookId, int status, qint64 receivedAt = 1'700'000'000'000'000)
{
    LoggedRequest entry;
    entry.receivedAtMicros = receivedAt;
    entry.webhookId = webhookId;
    entry.method = "POST"_ba;
    entry.path = "/v1/data/webhook/"_ba + webhookId.toLatin1();
    entry.httpVersion = "HTTP/1.1"_ba;
    entry.status = status;
    entry.reason = status == 200 ? "accepted"_ba : "ip_not_allowed"_ba;
    entry.clientAddress = u"127.0.0.1"_s;
    entry.instance = u"test"_s;
    return entry;
}

inline QList<qint64> idsOf(const QList<LoggedRequest> &entries)
{
    QList<qint64> ids;
    for (const LoggedRequest &entry : entries)
        ids.append(entry.id);
    return ids;
}

inline QList<qint64> range(qint64 from, qint64 downTo)
{
    QList<qint64> out;
    for (qint64 id = from; id >= downTo; --id)
        out.append(id);
    return out;
}

class StoreTest : public QObject
{
    Q_OBJECT
public:
    // suite names the PostgreSQL test database, one for each executable.
    StoreTest(QString suite, bool postgres) : m_suite(std::move(suite)), m_postgres(postgres) { }

private slots:
    void initTestCase();
    void init();
    void cleanup();

protected:
    Result<std::unique_ptr<Store>> openAt() const;
    std::unique_ptr<Store> open();
    bool onlyOnSqlite() const; // skips (returns true) on PostgreSQL

    const QString m_suite;
    const bool m_postgres;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path; // the SQLite file (a folder for PostgreSQL's tests too)
    QString m_location; // the file, or the PostgreSQL URL
    std::unique_ptr<Store> m_store;
};

inline void StoreTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

inline void StoreTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"hooktrail.db"_s);
    m_location = m_path;
    if (m_postgres) {
        m_location = postgresTestUrl(m_suite);
        if (m_location.isEmpty())
            QSKIP("no PostgreSQL server: HOOKTRAIL_TEST_POSTGRES is not set (./dev test starts "
                  "a throw-away one with scripts/pg-test-cluster.sh)");
        QString error;
        QVERIFY2(resetPostgres(m_location, &error), qPrintable(error));
    }
    m_store = open();
    QVERIFY(m_store);
}

inline bool StoreTest::onlyOnSqlite() const
{
    return m_postgres;
}

inline void StoreTest::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

inline Result<std::unique_ptr<Store>> StoreTest::openAt() const
{
    return m_postgres ? Store::openPostgres(m_location) : Store::openSqlite(m_location);
}

inline std::unique_ptr<Store> StoreTest::open()
{
    Result<std::unique_ptr<Store>> opened = openAt();
    if (!opened) {
        qWarning("cannot open %s: %s", qPrintable(m_location), qPrintable(opened.error()));
        return nullptr;
    }
    return std::move(opened).value();
}

} // namespace Hooktrail::TestSupport
