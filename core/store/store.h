// The database connection, and the parts of the store that work through it. All SQL of
// Hooktrail lives in core/store.
#pragma once

#include "core/base/result.h"
#include "core/model/requestfilter.h"
#include "core/store/configtables.h"
#include "core/store/deliverytables.h"
#include "core/store/logappender.h"
#include "core/store/requestqueries.h"
#include "core/store/retention.h"
#include "core/store/schema.h"
#include "core/store/searchindex.h"
#include "core/store/sqldialect.h"
#include "core/store/storetypes.h"
#include "core/store/tokentables.h"

#include <chrono>
#include <functional>
#include <memory>

class QObject;
class QSqlDatabase;
class QSqlQuery;

namespace Hooktrail {

class WriteTurn;

// One connection to the database, for use on the thread that opened it. Each thread that
// needs the database opens its own Store. What it stores is reached through its parts:
// store.config() (webhooks, keys), store.deliveries() (destinations, the outbox), store.log()
// (appending), store.queries() (reading the log), store.retention() (deleting from it),
// store.search() (the search index), store.tokens() (the local API's), store.schema().
class Store final
{
    Q_DISABLE_COPY_MOVE(Store)
public:
    // Opens (creating when needed) the SQLite file and brings its schema up to date.
    static Result<std::unique_ptr<Store>> openSqlite(const QString &path);
    // Connects to postgresql://user[:password]@host[:port]/dbname and brings its schema up to
    // date. Without a password in the URL, libpq's own sources apply (PGPASSWORD, ~/.pgpass).
    static Result<std::unique_ptr<Store>> openPostgres(const QString &url);
    // Either of the above, by what location looks like.
    static Result<std::unique_ptr<Store>> open(const QString &location);
    // "postgresql://…" or "postgres://…": a PostgreSQL URL rather than a file path.
    static bool isPostgresUrl(const QString &location);
    // The URL with any password replaced, for messages and logs: the one of user:password@,
    // read as a person writes it (up to the last '@', so an unencoded '/', '?' or '@' in it is
    // still the password), and the value of every query parameter named like password.
    static QString redactedUrl(const QString &url);
    // Whether the URL holds a password in either of those places.
    static bool urlHasPassword(const QString &url);
    ~Store();

    const SqlDialect &dialect() const { return m_dialect; }

    Schema &schema() { return m_schema; }
    ConfigTables &config() { return m_config; }
    DeliveryTables &deliveries() { return m_deliveries; }
    LogAppender &log() { return m_log; }
    RequestQueries &queries() { return m_queries; }
    Retention &retention() { return m_retention; }
    SearchIndex &search() { return m_search; }
    TokenTables &tokens() { return m_tokens; }

    // PostgreSQL: calls changed() on this connection's thread (its event loop) soon after any
    // process changes the configuration (LISTEN/NOTIFY). False where the database cannot tell
    // (SQLite: the generation is polled).
    bool followConfigChanges(QObject *context, const std::function<void()> &changed);
    // The same for rows committed to the request log by any receiver (a live history).
    bool followLogCommits(QObject *context, const std::function<void()> &committed);

    // Moves the write-ahead log into the database file (SQLite; nothing elsewhere). The log
    // writer turns automatic checkpoints off on its connection and runs passive ones from
    // another thread, so no commit waits for a checkpoint.
    enum class Checkpoint {
        Passive, // copies what no reader still needs; never waits and never blocks a writer
        Restart, // copies everything, then waits for readers so the next commit starts the
                 // log over from its beginning; blocks writers meanwhile
        Truncate, // as Restart, and empties the file
    };
    struct WalState
    {
        bool busy = false; // a reader or writer kept it from finishing (Restart, Truncate)
        qint64 frames = 0; // pages in the log
        qint64 copied = 0; // of those, already in the database file
    };
    // Restart and Truncate wait up to `wait` for each lock (the connection's busy timeout
    // otherwise), since any writer waits behind them.
    Result<WalState> checkpoint(Checkpoint mode = Checkpoint::Passive,
        std::chrono::milliseconds wait = std::chrono::milliseconds(-1));
    // Off: this connection no longer checkpoints inside its commits, and counts the log's
    // frames after each of them instead (walFrames()).
    Status setAutomaticCheckpoints(bool enabled);
    // This connection's commits are atomic but not flushed to the disk one by one (SQLite's
    // synchronous=NORMAL, PostgreSQL's synchronous_commit=off): a power cut may lose the last
    // of them, a crash of the process none. For the deliverers' bookkeeping, where a lost
    // write only means a delivery made again.
    Status setRelaxedDurability();
    // SQLite: this connection's write transactions go before those of the process's other
    // connections waiting for their turn (the log writer's: ingest before bookkeeping).
    void setWritesFirst() { m_writesFirst = true; }
    qint64 walFrames() const { return m_walFrames; }
    // The SQLite file; empty for PostgreSQL.
    QString databaseFile() const;
    // What the database takes on disk: the SQLite file and its write-ahead log, or the
    // PostgreSQL database's size.
    Result<qint64> databaseBytes();

private:
    // The parts run their SQL on this connection.
    friend class Schema;
    friend class ConfigTables;
    friend class DeliveryTables;
    friend class LogAppender;
    friend class RequestQueries;
    friend class Retention;
    friend class SearchIndex;
    friend class TokenTables;

    Store(SqlDialect dialect, QString connectionName);
    Status connect(const QString &what, const std::function<void(QSqlDatabase &)> &configure);
    QSqlDatabase &database() { return *m_db; }
    Status exec(const QString &sql);
    Status transaction(const std::function<Status()> &work);
    Status immediateTransaction(const std::function<Status()> &work);
    QString error(const QSqlQuery &query) const;
    bool listen(const QString &channel, QObject *context, const std::function<void()> &notified);
    // The ids of the rows of `table` (api_keys, api_tokens) whose prefix is `prefix`, given with
    // or without the credential's `mark` ("htk_", "htt_"), which people may leave off.
    Result<QList<qint64>> idsWithPrefix(
        const QString &table, const char *mark, const QString &prefix);

    SqlDialect m_dialect;
    QString m_connectionName;
    std::unique_ptr<QSqlDatabase> m_db;
    // SQLite: one per database file, shared by this process's connections to it. Their write
    // transactions take turns on it, so a writer waiting for another thread of the process wakes
    // the moment that one commits, where SQLite's busy handler polls in growing sleeps (1, 2,
    // 5, 10 ms…: tens of milliseconds lost by a deliverer beside a busy log writer); a
    // connection whose writes go first (the log writer's) waits for one transaction at most.
    // Other processes still meet the busy timeout.
    std::shared_ptr<WriteTurn> m_writeTurn;
    bool m_writesFirst = false;
    qint64 m_walFrames = 0; // set by SQLite's WAL hook once automatic checkpoints are off
    Schema m_schema { *this };
    ConfigTables m_config { *this };
    DeliveryTables m_deliveries { *this };
    LogAppender m_log { *this };
    RequestQueries m_queries { *this };
    Retention m_retention { *this };
    SearchIndex m_search { *this };
    TokenTables m_tokens { *this };
};

} // namespace Hooktrail
