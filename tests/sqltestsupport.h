// For the store's tests: a check that shows the store's error, and SQL run on a database (a
// SQLite file or a PostgreSQL URL) through a connection of its own, as another tool would.
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QTest>
#include <QUrl>

// A QVERIFY that also shows the store's error; the expression is evaluated once.
#define VERIFY_OK(expression)                                                                      \
    do {                                                                                           \
        const auto &verifyOkResult = (expression);                                                 \
        QVERIFY2(verifyOkResult.ok(), qPrintable(verifyOkResult.error()));                         \
    } while (false)

namespace Hooktrail::TestSupport {

inline QSqlDatabase addRawDatabase(const QString &location, const QString &connection)
{
    if (!location.startsWith(QLatin1String("postgres"))) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(location);
        return db;
    }
    const QUrl url(location);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
    db.setHostName(url.host());
    db.setPort(url.port(5432));
    db.setDatabaseName(url.path().mid(1));
    db.setUserName(url.userName());
    db.setPassword(url.password());
    return db;
}

// Runs the statements in order, stopping at the first that fails (its error in *error).
// Takes a database back to before schema step 6 (destinations and deliveries), for tests that
// make an older schema by hand.
// What schema steps 7 and 8 added (a webhook's authentication and answer, the API's tokens),
// undone: a database of version 8 brought back to 6.
inline const QStringList DropAuthenticationColumns { QStringLiteral(
                                                         "DROP TABLE api_tokens"), // step 8
    QStringLiteral("ALTER TABLE webhooks DROP COLUMN authentication"),
    QStringLiteral("ALTER TABLE webhooks DROP COLUMN verification"),
    QStringLiteral("ALTER TABLE webhooks DROP COLUMN secrets"),
    QStringLiteral("ALTER TABLE webhooks DROP COLUMN response") };
// What schema steps 6 to 8 added, undone: back to version 5.
inline const QStringList DropDeliveryTables = DropAuthenticationColumns
    + QStringList { QStringLiteral("DROP TABLE delivery_attempts"),
          QStringLiteral("DROP TABLE deliveries"), QStringLiteral("DROP TABLE destinations") };

inline bool execRaw(const QString &path, const QStringList &statements, QString *error = nullptr)
{
    const QString connection = QStringLiteral("hooktrail_test_raw_exec");
    bool ok = false;
    {
        QSqlDatabase db = addRawDatabase(path, connection);
        ok = db.open();
        if (!ok && error)
            *error = db.lastError().text();
        for (const QString &sql : statements) {
            if (!ok)
                break;
            QSqlQuery query(db);
            ok = query.exec(sql);
            if (!ok && error)
                *error = sql + QStringLiteral(": ") + query.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

inline bool execRaw(const QString &path, const QString &sql, QString *error = nullptr)
{
    return execRaw(path, QStringList { sql }, error);
}

// The first column of the first row, or a null string.
inline QString rawValue(const QString &path, const QString &sql)
{
    const QString connection = QStringLiteral("hooktrail_test_raw_value");
    QString value;
    {
        QSqlDatabase db = addRawDatabase(path, connection);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(sql) && query.next())
                value = query.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return value;
}

// A database of this suite's own on the PostgreSQL server the tests may use
// (HOOKTRAIL_TEST_POSTGRES, which scripts/pg-test-cluster.sh starts for ./dev test), made empty on
// first use in the process; or empty when there is no server (the PostgreSQL tests then skip,
// saying so).
inline QString postgresTestUrl(const QString &suite)
{
    const QString server = qEnvironmentVariable("HOOKTRAIL_TEST_POSTGRES");
    if (server.isEmpty())
        return {};
    QUrl url(server);
    const QString name = QStringLiteral("hooktrail_test_") + suite;
    static QStringList made;
    if (!made.contains(name)) {
        QString error;
        if (!execRaw(server,
                { QStringLiteral("SET client_min_messages = warning"),
                    QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name),
                    QStringLiteral("CREATE DATABASE %1").arg(name) },
                &error))
            qWarning("cannot make the test database %s: %s", qPrintable(name), qPrintable(error));
        made.append(name);
    }
    url.setPath(u'/' + name);
    return url.toString();
}

// Empties the PostgreSQL database at url (every table of the public schema), as a new
// temporary folder does for SQLite.
inline bool resetPostgres(const QString &url, QString *error = nullptr)
{
    return execRaw(url,
        { QStringLiteral("SET client_min_messages = warning"),
            QStringLiteral("DROP SCHEMA public CASCADE"), QStringLiteral("CREATE SCHEMA public") },
        error);
}

} // namespace Hooktrail::TestSupport
