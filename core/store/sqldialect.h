// Every difference between the SQL that SQLite and PostgreSQL accept, in one place.
#pragma once

#include <QString>
#include <QStringList>

namespace Hooktrail {

class SqlDialect final
{
public:
    enum class Kind { Sqlite, Postgres };
    explicit SqlDialect(Kind kind) : m_kind(kind) { }

    // How long a SQLite connection waits for a lock another one holds.
    static constexpr int SqliteBusyTimeoutMs = 10000;
    // The size a SQLite write-ahead log is cut back to when it starts over (journal_size_limit):
    // the log writer has it start over once it passes about this much (LogWriter).
    static constexpr long long SqliteWalLimitBytes = 16LL * 1024 * 1024;

    Kind kind() const { return m_kind; }
    QString driverName() const;
    // Statements run on every new connection (durability and concurrency settings).
    QStringList connectionSetup() const;
    // Column types spelled for this database.
    QString autoIdColumn() const; // an increasing 64-bit id primary key
    QString blobType() const;
    QString bytesType() const; // received bytes, usually UTF-8 text but not always
    // Rewrites the portable schema text: {ID}, {BLOB}, {BYTES}.
    QString schema(QString text) const;

private:
    Kind m_kind;
};

} // namespace Hooktrail
