// The fixture the request history's tests derive from: a store on a real SQLite file (or the
// PostgreSQL test database), rows of a test log by label, and what the index itself holds.
#pragma once

#include "core/store/store.h"
#include "sqltestsupport.h"

#include <QCoreApplication>
#include <QHash>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

Q_DECLARE_METATYPE(Hooktrail::RequestFilter)

namespace Hooktrail::TestSupport {

using namespace Qt::StringLiterals;

inline constexpr qint64 T0 = 1'700'000'000'000'000; // 2023-11-14T22:13:20Z
inline constexpr qint64 Hour = qint64(3600) * 1000000;
inline constexpr qint64 Day = 24 * Hour;

inline const QString WebhookA = u"aaaaaaaa-0000-4000-8000-000000000001"_s;
inline const QString WebhookB = u"bbbbbbbb-0000-4000-8000-000000000002"_s;

// One row of a test log, by label.
struct Row
{
    QString label;
    QString webhookId;
    QByteArray method;
    int status;
    QByteArray reason;
    qint64 receivedAt;
    QByteArray body = "{}";
    HeaderList extraHeaders = {};
    QByteArray contentType = "application/json";
};

inline LoggedRequest entryFor(const Row &row)
{
    LoggedRequest entry;
    entry.receivedAtMicros = row.receivedAt;
    entry.webhookId = row.webhookId;
    entry.method = row.method;
    entry.path
        = "/v1/data/webhook/" + (row.webhookId.isEmpty() ? "nowhere"_ba : row.webhookId.toLatin1());
    entry.query = "api-key=***"_ba;
    entry.httpVersion = "HTTP/1.1"_ba;
    entry.headers = { { "Host"_ba, "127.0.0.1:8484"_ba }, { "Content-Type"_ba, row.contentType },
        { "X-Label"_ba, row.label.toLatin1() } };
    entry.headers += row.extraHeaders;
    entry.body = row.body;
    entry.bodySize = row.body.size();
    entry.contentType = row.contentType;
    entry.clientAddress = u"203.0.113.9"_s;
    entry.status = row.status;
    entry.reason = row.reason;
    entry.handlingMicros = 42;
    entry.instance = u"test"_s;
    return entry;
}

// The rows every filter test reads; ids follow this order.
inline const QList<Row> &filterRows()
{
    static const QList<Row> rows {
        { u"a1"_s, WebhookA, "POST", 200, "accepted", T0 },
        { u"a2"_s, WebhookA, "PUT", 401, "invalid_api_key", T0 + 1 * Hour },
        { u"b1"_s, WebhookB, "POST", 200, "accepted", T0 + 2 * Hour },
        { u"b2"_s, WebhookB, "POST", 400, "invalid_json", T0 + 3 * Hour },
        { u"u1"_s, QString(), "GET", 404, "unknown_route", T0 + 4 * Hour },
        { u"a3"_s, WebhookA, "POST", 403, "header_mismatch", T0 + 5 * Hour },
        { u"b3"_s, WebhookB, "PATCH", 200, "accepted", T0 + 6 * Hour },
    };
    return rows;
}

// Rows for the search tests: tokens in headers, in JSON bodies, in binary bodies.
inline const QList<Row> &searchRows()
{
    static const QList<Row> rows {
        { u"s1"_s, WebhookA, "POST", 200, "accepted", T0, R"({"order":"A-77","note":"hello"})"_ba,
            { { "X-Token"_ba, "tok123"_ba } } },
        { u"s2"_s, WebhookA, "POST", 400, "invalid_json", T0 + Hour,
            R"({"order":"B-12","note":"foo tok123"})"_ba },
        { u"s3"_s, WebhookB, "POST", 415, "unsupported_media_type", T0 + 2 * Hour,
            QByteArray::fromHex("00fffe80") + " zzzmarker "_ba + QByteArray::fromHex("c328"), {},
            "application/octet-stream" },
        { u"s4"_s, WebhookB, "POST", 200, "accepted", T0 + 3 * Hour, R"({"city":"Zürich"})"_ba,
            { { "X-Request-Id"_ba, "Ünïcode-42"_ba } } },
    };
    return rows;
}

// Reads the search table directly (not through the log): what the index itself holds.
inline QList<qint64> indexedIds(const QString &path, const QString &match)
{
    const QString connection = u"tst_history_raw"_s;
    QList<qint64> ids;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            query.prepare(
                u"SELECT rowid FROM requests_fts WHERE requests_fts MATCH ? ORDER BY rowid"_s);
            query.addBindValue(match);
            if (!query.exec())
                qWarning("%s", qPrintable(query.lastError().text()));
            while (query.next())
                ids.append(query.value(0).toLongLong());
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return ids;
}

inline RequestFilter withWebhook(const QString &id, RequestFilter filter = {})
{
    filter.webhookId = id;
    return filter;
}

class HistoryTest : public QObject
{
    Q_OBJECT
public:
    // suite names the PostgreSQL test database, one for each executable.
    HistoryTest(QString suite, bool postgres) : m_suite(std::move(suite)), m_postgres(postgres) { }

private slots:
    void initTestCase();
    void init();
    void cleanup();

protected:
    // Appends rows in one batch and records their ids by label.
    void append(const QList<Row> &rows);
    // SQLite: indexes the oldest `rows` rows for search, leaving the rest above its mark.
    void indexFirst(int rows);
    QStringList labels(const QList<LoggedRequest> &entries) const;
    QList<qint64> idsOf(const QStringList &labelList) const;

    bool skipOnPostgres() const { return m_postgres; } // FTS5's own workings

    const QString m_suite;
    const bool m_postgres;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path; // the SQLite file
    QString m_location; // the file, or the PostgreSQL test database's URL
    std::unique_ptr<Store> m_store;
    QHash<QString, qint64> m_ids;
};

inline void HistoryTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

inline void HistoryTest::init()
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
    auto opened = Store::open(m_location);
    VERIFY_OK(opened);
    m_store = std::move(opened).value();
    m_ids.clear();
}

inline void HistoryTest::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

inline void HistoryTest::append(const QList<Row> &rows)
{
    QList<LoggedRequest> batch;
    for (const Row &row : rows)
        batch.append(entryFor(row));
    const Status status = m_store->log().append(batch);
    QVERIFY2(status.ok(), qPrintable(status.error()));
    for (qsizetype i = 0; i < rows.size(); ++i)
        m_ids.insert(rows[i].label, batch[i].id);
}

inline void HistoryTest::indexFirst(int rows)
{
    if (m_postgres)
        return; // the searchable text is written with each row
    if (rows > 0) {
        const Result<qint64> indexed = m_store->search().indexPending(rows);
        VERIFY_OK(indexed);
        QVERIFY(*indexed > 0);
    }
    const QString mark
        = rawValue(m_path, u"SELECT value FROM meta WHERE key = 'search_indexed_id'"_s);
    QCOMPARE(mark.toLongLong() > 0, rows > 0);
}

inline QStringList HistoryTest::labels(const QList<LoggedRequest> &entries) const
{
    QStringList out;
    for (const LoggedRequest &entry : entries)
        out.append(m_ids.key(entry.id, u"#%1"_s.arg(entry.id)));
    return out;
}

inline QList<qint64> HistoryTest::idsOf(const QStringList &labelList) const
{
    QList<qint64> out;
    for (const QString &label : labelList)
        out.append(m_ids.value(label));
    return out;
}

// Runs the tests on SQLite, then the same tests on PostgreSQL.
template<typename OnSqlite, typename OnPostgres> int runOnSqliteAndPostgres(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    OnSqlite sqlite;
    OnPostgres postgres;
    int status = QTest::qExec(&sqlite, argc, argv);
    status |= QTest::qExec(&postgres, argc, argv);
    return status;
}

} // namespace Hooktrail::TestSupport
