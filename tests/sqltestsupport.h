// For the store's tests: a check that shows the store's error, and SQL run on a database file
// through a connection of its own, as another tool would.
#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QTest>

// A QVERIFY that also shows the store's error; the expression is evaluated once.
#define VERIFY_OK(expression)                                                                      \
    do {                                                                                           \
        const auto &verifyOkResult = (expression);                                                 \
        QVERIFY2(verifyOkResult.ok(), qPrintable(verifyOkResult.error()));                         \
    } while (false)

namespace Hooktrail::TestSupport {

// Runs the statements in order, stopping at the first that fails (its error in *error).
inline bool execRaw(const QString &path, const QStringList &statements, QString *error = nullptr)
{
    const QString connection = QStringLiteral("hooktrail_test_raw_exec");
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
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
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(sql) && query.next())
                value = query.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return value;
}

} // namespace Hooktrail::TestSupport
