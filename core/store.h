// The database: webhooks, API keys and the request log. All SQL of Hooktrail lives here.
#pragma once

#include "apikey.h"
#include "loggedrequest.h"
#include "result.h"
#include "sqldialect.h"
#include "webhook.h"

#include <QHash>
#include <QSqlDatabase>
#include <memory>

class QSqlQuery;

namespace Hooktrail {

struct RequestFilter
{
    enum class Outcome { Any, Accepted, Rejected };
    QString webhookId;
    Outcome outcome = Outcome::Any;
    qint64 beforeId = 0; // page by key: only ids below this (0: from the newest)
    int limit = 100;
};

// What the console's list shows of one webhook's traffic.
struct WebhookActivity
{
    static constexpr int BucketCount = 24;
    static constexpr qint64 BucketMicros = qint64(3600) * 1000000; // one hour
    qint64 lastRequestMicros = 0; // 0: never
    qint64 count = 0;             // requests since the start of the window
    QList<int> buckets;           // BucketCount hours from the start of the window, oldest first
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
    static constexpr int SchemaVersion = 2;

    // Opens (creating when needed) the SQLite file and brings its schema up to date.
    static Result<std::unique_ptr<Store>> openSqlite(const QString &path);
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
    // Deletes the webhook; with deleteRequests, its logged requests too, in the same transaction.
    Status removeWebhook(const QString &id, bool deleteRequests = false);

    // API keys
    Result<NewApiKey> addKey(const QString &name);
    Result<QList<ApiKey>> keys();
    Status revokeKey(const QString &prefix); // fails unless exactly one key has that prefix

    // Grows on every change to webhooks or keys, so receivers in other processes can follow.
    Result<qint64> configGeneration();

    // Moves the write-ahead log into the database file (SQLite; nothing elsewhere). The log
    // writer turns automatic checkpoints off on its connection and runs this from another
    // thread, so no commit waits for a checkpoint.
    Status checkpoint();
    Status setAutomaticCheckpoints(bool enabled);

    // The request log
    // Appends the batch in one transaction, setting each entry's id; records key use.
    Status appendRequests(QList<LoggedRequest> &batch);
    Result<QList<LoggedRequest>> requests(const RequestFilter &filter);
    Result<qint64> countRequests(const QString &webhookId = {});
    // Per webhook id (every webhook, with or without traffic): the last request ever, and the
    // requests received since sinceMicros in hourly buckets starting there.
    Result<QHash<QString, WebhookActivity>> webhookActivity(qint64 sinceMicros);

private:
    struct SqliteInsert;
    Store(SqlDialect dialect, QString connectionName);
    Status appendRequestsSqlite(QList<LoggedRequest> &batch, QHash<qint64, qint64> &keyUse);
    Status appendRequestsPortable(QList<LoggedRequest> &batch, QHash<qint64, qint64> &keyUse);
    Status connect(const QString &databaseName);
    Status migrate();
    Status exec(const QString &sql);
    Status bumpGeneration();
    Status transaction(const std::function<Status()> &work);
    QString error(const QSqlQuery &query) const;

    SqlDialect m_dialect;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::unique_ptr<SqliteInsert> m_sqliteInsert;
    std::unique_ptr<QSqlQuery> m_insertRequest;
    std::unique_ptr<QSqlQuery> m_touchKey;
};

// Header lists to and from the JSON array-of-pairs kept in the log.
QByteArray encodeHeaders(const HeaderList &headers);
HeaderList decodeHeaders(const QByteArray &json);

} // namespace Hooktrail
