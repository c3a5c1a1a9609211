// The database: webhooks, API keys and the request log. All SQL of Hooktrail lives here.
#pragma once

#include "core/base/result.h"
#include "core/model/apikey.h"
#include "core/model/loggedrequest.h"
#include "core/model/webhook.h"
#include "core/store/sqldialect.h"

#include <QHash>
#include <QSqlDatabase>
#include <chrono>
#include <memory>

class QSqlQuery;

namespace Hooktrail {

struct RequestFilter
{
    enum class Outcome { Any, Accepted, Rejected };
    QString webhookId; // exact
    Outcome outcome = Outcome::Any;
    QByteArray reason; // exact reason code, empty = any
    QByteArray method; // exact, empty = any
    int status = 0; // exact HTTP status, 0 = any
    qint64 sinceMicros = 0; // received_at >= since; 0 = unbounded
    qint64 untilMicros = 0; // received_at <  until; 0 = unbounded
    QString search; // full-text over headers and body (tokens, AND)
    qint64 beforeId = 0; // page by key: only ids below this (0: from the newest)
    qint64 afterId = 0; // only ids above this (live: rows newer than those shown); 0: unbounded
    int limit = 100;
    // Paging upwards: the `limit` matching rows just above afterId, oldest first.
    bool oldestFirst = false;
};

// What the console's list shows of one webhook's traffic.
struct WebhookActivity
{
    static constexpr int BucketCount = 24;
    static constexpr qint64 BucketMicros = qint64(3600) * 1000000; // one hour
    qint64 lastRequestMicros = 0; // 0: never
    qint64 count = 0; // requests since the start of the window
    QList<int> buckets; // BucketCount hours from the start of the window, oldest first
};

struct NewApiKey
{
    ApiKey key;
    QString secret; // the whole key, shown once and never stored
};

// One connection to the database, for use on the thread that opened it. Each thread that
// needs the database opens its own Store.
class Store final
{
    Q_DISABLE_COPY_MOVE(Store)
public:
    static constexpr int SchemaVersion = 4;

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
    Result<int> schemaVersion();

    // Webhooks
    Result<QList<Webhook>> webhooks();
    Result<std::optional<Webhook>> webhook(const QString &id);
    Result<bool> nameTaken(const QString &name, const QString &exceptId = {});
    Result<Webhook> addWebhook(Webhook webhook); // sets id and timestamps
    Status updateWebhook(const Webhook &webhook);
    Status setWebhookEnabled(const QString &id, bool enabled);
    // Deletes the webhook; with deleteRequests, then its logged requests too, in chunks.
    Status removeWebhook(const QString &id, bool deleteRequests = false);

    // API keys
    Result<NewApiKey> addKey(const QString &name);
    Result<QList<ApiKey>> keys();
    Status revokeKey(const QString &prefix); // fails unless exactly one key has that prefix

    // Grows on every change to webhooks or keys, so receivers in other processes can follow.
    Result<qint64> configGeneration();
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
    qint64 walFrames() const { return m_walFrames; }
    // The SQLite file; empty for PostgreSQL.
    QString databaseFile() const;

    // The request log
    // Appends the batch in one transaction, setting each entry's id; records key use.
    // alsoInTransaction, when given, runs in the same transaction after the rows went in.
    Status appendRequests(
        QList<LoggedRequest> &batch, const std::function<Status()> &alsoInTransaction = {});

    // Copying another store in (hooktrail migrate). A webhook keeps its id (false: it was
    // there already); a key is found by its hash or added, its id here returned; requests go
    // in with progress under `source` (the last source id copied), in the same transaction,
    // so a copy interrupted or run again resumes after it and duplicates nothing.
    Result<bool> importWebhook(const Webhook &webhook);
    Result<qint64> importKey(const ApiKey &key);
    Result<qint64> importedUpTo(const QString &source);
    Status importRequests(QList<LoggedRequest> &batch, const QString &source, qint64 upTo);
    // Newest first, paged by key (never OFFSET).
    Result<QList<LoggedRequest>> requests(const RequestFilter &filter);
    // The same rows with the body left empty (bodySize kept): what the history table shows.
    Result<QList<LoggedRequest>> requestSummaries(const RequestFilter &filter);
    Result<std::optional<LoggedRequest>> request(qint64 id);
    Result<qint64> countRequests(const RequestFilter &filter); // every field applies but limit
    Result<qint64> countRequests(const QString &webhookId = {});
    Result<qint64> newestRequestId(); // 0 when the log is empty
    // Both return the rows removed. By filter: every matching row (beforeId/afterId apply,
    // limit does not). The rows' search index entries go with them.
    Result<qint64> deleteRequests(const QList<qint64> &ids);
    Result<qint64> deleteRequests(const RequestFilter &filter);

    struct Bucket
    {
        qint64 startMicros;
        qint64 accepted;
        qint64 rejected;
    };
    // Counts over [since, until), or over the data's own time range when the filter leaves them
    // open, in `buckets` equal slices (the last one may end past until).
    Result<QList<Bucket>> histogram(const RequestFilter &filter, int buckets);

    struct RetentionResult
    {
        qint64 removedByAge = 0;
        qint64 removedByCount = 0;
    };
    // Removes requests older than `days` (0: no age limit) and all but the newest keepCount
    // (0: no count limit), a few hundred rows per transaction so the log never waits long.
    Result<RetentionResult> applyRetention(int days, qint64 keepCount);

    // Full-text search is filled behind the log, not by it: this indexes up to maxRows requests
    // newer than the last indexed one and returns how many it indexed.
    Result<qint64> indexPendingSearch(int maxRows);
    // The newest id the search index holds (every row up to it is indexed); a search reads the
    // rows above it directly. PostgreSQL: the newest id (its search text is written with the row).
    Result<qint64> searchIndexedUpTo();

    // Per webhook id (every webhook, with or without traffic): the last request ever, and the
    // requests received since sinceMicros in hourly buckets starting there.
    Result<QHash<QString, WebhookActivity>> webhookActivity(qint64 sinceMicros);

private:
    struct SqliteInsert;
    struct FilterQuery;
    enum class Access { Plain, AlongIds, AlongTime }; // which index a time-bounded read should walk
    // SQLite's search reads the FTS index for the rows it covers and the log itself above
    // them: both parts at once (counts, histograms), or one (pages, read in id order).
    enum class SearchPart { Both, Indexed, Pending };
    FilterQuery filterQuery(const RequestFilter &filter, const QString &columns, bool withKeys,
        Access access, SearchPart part = SearchPart::Both) const;
    Result<QList<qint64>> idsWhere(const RequestFilter &filter, Access access, int limit);
    Result<QList<qint64>> pageIds(const RequestFilter &filter, int limit);
    Result<QList<LoggedRequest>> selectRequests(const RequestFilter &filter, bool withBody);
    Status prepareSearch(const RequestFilter &filter); // reads m_searchIndexedUpTo
    Result<qint64> deleteIds(const QList<qint64> &ids); // one transaction
    Result<qint64> deleteSelected(const QString &selectIds, const QVariantList &binds);
    Status immediateTransaction(const std::function<Status()> &work);
    Store(SqlDialect dialect, QString connectionName);
    Status appendRequestsSqlite(QList<LoggedRequest> &batch, QHash<qint64, qint64> &keyUse);
    Status appendRequestsPortable(QList<LoggedRequest> &batch, QHash<qint64, qint64> &keyUse);
    Status connect(const QString &what, const std::function<void(QSqlDatabase &)> &configure);
    Status migrate();
    Status exec(const QString &sql);
    Status bumpGeneration();
    Status insertWebhook(const Webhook &webhook);
    bool listen(const QString &channel, QObject *context, const std::function<void()> &notified);
    Status transaction(const std::function<Status()> &work);
    QString error(const QSqlQuery &query) const;

    SqlDialect m_dialect;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::unique_ptr<SqliteInsert> m_sqliteInsert;
    std::unique_ptr<QSqlQuery> m_insertRequest;
    qsizetype m_insertRows = 0; // rows m_insertRequest inserts
    std::unique_ptr<QSqlQuery> m_touchKey;
    qint64 m_walFrames = 0; // set by SQLite's WAL hook once automatic checkpoints are off
    qint64 m_searchIndexedUpTo = 0; // the FTS index's mark, as the current search read it
};

// Header lists to and from the JSON array-of-pairs kept in the log.
QByteArray encodeHeaders(const HeaderList &headers);
HeaderList decodeHeaders(const QByteArray &json);

} // namespace Hooktrail
