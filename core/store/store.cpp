// The database: webhooks, API keys and the request log. All SQL of Hooktrail lives here.
#include "core/store/store.h"

#include "core/base/logging.h"
#include "core/base/privatefiles.h"
#include "core/store/searchtext.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringDecoder>
#include <QUrl>
#include <sqlite3.h>

namespace Hooktrail {

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("hooktrail-%1").arg(counter.fetchAndAddRelaxed(1));
}

// Text columns hold what was received (see receivedText), and are never NULL.
QString toText(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QStringLiteral("") : receivedText(bytes);
}

QByteArray fromText(const QString &text)
{
    return text.toUtf8();
}

// hooktrail_search(headers, body, search): a search over the rows the FTS index has not reached
// yet. The matcher is made once per statement (SQLite keeps it with the constant argument).
void searchFunction(sqlite3_context *context, int, sqlite3_value **values)
{
    const auto bytesOf = [](sqlite3_value *value, bool text) {
        const void *data = text ? static_cast<const void *>(sqlite3_value_text(value))
                                : sqlite3_value_blob(value);
        const qsizetype size = sqlite3_value_bytes(value);
        return std::pair(data ? static_cast<const char *>(data) : "", data ? size : 0);
    };
    auto *matcher = static_cast<SearchMatcher *>(sqlite3_get_auxdata(context, 2));
    std::unique_ptr<SearchMatcher> made;
    if (!matcher) {
        const auto [search, size] = bytesOf(values[2], true);
        made = std::make_unique<SearchMatcher>(QString::fromUtf8(search, size));
        matcher = made.get();
    }
    const auto [headers, headersSize] = bytesOf(values[0], true);
    const auto [body, bodySize] = bytesOf(values[1], false);
    sqlite3_result_int(context, matcher->matches(headers, headersSize, body, bodySize) ? 1 : 0);
    if (made) // SQLite may destroy it at once: it is not used past this point
        sqlite3_set_auxdata(context, 2, made.release(),
            [](void *kept) { delete static_cast<SearchMatcher *>(kept); });
}

// Received bytes as a JSON string of the text the log keeps (see receivedText).
void appendJsonString(QByteArray &out, const QByteArray &bytes)
{
    appendJsonUtf8(out, isUtf8(bytes) ? bytes : receivedText(bytes).toUtf8());
}

QString joinList(const QStringList &list)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QStringList splitList(const QString &json)
{
    QStringList out;
    for (const QJsonValue &value : QJsonDocument::fromJson(json.toUtf8()).array())
        out.append(value.toString());
    return out;
}

QString encodeRules(const QList<HeaderRule> &rules)
{
    QJsonArray array;
    for (const HeaderRule &rule : rules)
        array.append(QJsonArray { rule.name, rule.value });
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<HeaderRule> decodeRules(const QString &json)
{
    QList<HeaderRule> rules;
    for (const QJsonValue &pair : QJsonDocument::fromJson(json.toUtf8()).array())
        rules.append({ pair[0].toString(), pair[1].toString() });
    return rules;
}

qint64 toMicros(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() * 1000 : 0;
}

QDateTime fromMicros(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong() / 1000, Qt::UTC);
}

Webhook webhookFrom(const QSqlQuery &query)
{
    Webhook webhook;
    webhook.id = query.value(0).toString();
    webhook.name = query.value(1).toString();
    webhook.description = query.value(2).toString();
    webhook.methods = splitList(query.value(3).toString());
    webhook.headerRules = decodeRules(query.value(4).toString());
    webhook.ipWhitelist = splitList(query.value(5).toString());
    webhook.enabled = query.value(6).toBool();
    webhook.created = fromMicros(query.value(7));
    webhook.updated = fromMicros(query.value(8));
    return webhook;
}

const QString WebhookColumns = QStringLiteral(
    "id, name, description, methods, header_rules, ip_whitelist, enabled, created_at, updated_at");

const QString RequestColumns = QStringLiteral(
    "id, received_at, webhook_id, method, path, query, http_version, headers, body, "
    "body_truncated, "
    "body_size, content_type, client_address, forwarded_for, status, reason, reason_detail, "
    "handling_micros, instance, api_key_id");

// What the search table holds of a row, computed the same way when indexing and when deleting
// (a contentless FTS5 table forgets a row only when given the text it indexed). Bodies are
// indexed up to their first MiB.
const QString SearchColumns = QStringLiteral("headers, CAST(substr(body, 1, 1048576) AS TEXT)");

// The PostgreSQL advisory lock that orders writers of the request log ("HTRL").
constexpr qint64 LogWriterLock = 0x4854524c;
// The PostgreSQL notification channels: configuration changes, rows committed to the log.
const QString ConfigChannel = QStringLiteral("hooktrail_config");
const QString LogChannel = QStringLiteral("hooktrail_log");

// Schema steps: entry N brings a database from version N to N+1. Never edit a released step;
// add one.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> steps {
        {
            QStringLiteral(
                "CREATE TABLE webhooks (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
                "name_folded TEXT NOT NULL UNIQUE, description TEXT NOT NULL, methods TEXT NOT "
                "NULL, "
                "header_rules TEXT NOT NULL, ip_whitelist TEXT NOT NULL, enabled INTEGER NOT NULL, "
                "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"),
            QStringLiteral(
                "CREATE TABLE api_keys (id {ID}, name TEXT NOT NULL, prefix TEXT NOT NULL, "
                "hash {BLOB} NOT NULL UNIQUE, created_at BIGINT NOT NULL, last_used_at BIGINT, "
                "revoked INTEGER NOT NULL DEFAULT 0)"),
            QStringLiteral(
                "CREATE TABLE requests (id {ID}, received_at BIGINT NOT NULL, webhook_id TEXT, "
                "method TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL, http_version TEXT "
                "NOT NULL, "
                "headers TEXT NOT NULL, body {BLOB}, body_truncated INTEGER NOT NULL, "
                "body_size BIGINT NOT NULL, content_type {BYTES}, client_address TEXT NOT NULL, "
                "forwarded_for TEXT, status INTEGER NOT NULL, reason TEXT NOT NULL, reason_detail "
                "TEXT, "
                "handling_micros BIGINT NOT NULL, instance TEXT NOT NULL, api_key_id BIGINT)"),
            QStringLiteral("CREATE INDEX requests_webhook ON requests (webhook_id, id)"),
            QStringLiteral("INSERT INTO meta (key, value) VALUES ('config_generation', '1')"),
        },
        {
            // The console's per-webhook activity (last request, hourly counts) reads a time
            // range per webhook; without this it would scan the whole log.
            QStringLiteral(
                "CREATE INDEX requests_webhook_time ON requests (webhook_id, received_at)"),
        },
        {
            // History: time ranges (filters, retention by age; with the status, the histogram
            // reads the index alone), growing at its right end as rows arrive, the cheapest kind
            // of index to keep. Rejections, usually the rare rows worth finding, get a partial
            // index: the accepted bulk of the traffic pays nothing for it on insert.
            QStringLiteral("CREATE INDEX requests_time ON requests (received_at, status)"),
            QStringLiteral("CREATE INDEX requests_rejected ON requests (id) WHERE status NOT "
                           "BETWEEN 200 AND 299"),
            // Text search: contentless (the log holds the text), filled behind the log by
            // indexPendingSearch() up to the id kept in meta, never by a trigger on insert.
            QStringLiteral("CREATE VIRTUAL TABLE requests_fts USING fts5(headers, body, "
                           "content='', tokenize='unicode61')"),
            // Merging index segments less eagerly indexes ~20% faster; searches stay as fast.
            QStringLiteral("INSERT INTO requests_fts (requests_fts, rank) VALUES ('automerge', 8)"),
            QStringLiteral("INSERT INTO meta (key, value) VALUES ('search_indexed_id', '0')"),
            // PostgreSQL's text search instead: the searchable text (headers, the body's first
            // MiB as text) kept with the row as it is written, and a GIN index over its words.
            QStringLiteral("{POSTGRES}ALTER TABLE requests ADD COLUMN search_text TEXT"),
            QStringLiteral("{POSTGRES}CREATE INDEX requests_search ON requests "
                           "USING gin (to_tsvector('simple', search_text))"),
        },
        {
            // Webhooks are listed in the order they were added, by design rather than by the
            // clock: several added in one instant (an import) kept no stable order. Existing rows
            // are numbered in the order they were listed until now.
            QStringLiteral("ALTER TABLE webhooks ADD COLUMN seq BIGINT"),
            QStringLiteral("UPDATE webhooks SET seq = (SELECT COUNT(*) FROM webhooks w WHERE "
                           "w.created_at < webhooks.created_at "
                           "OR (w.created_at = webhooks.created_at AND w.id <= webhooks.id))"),
        },
    };
    return steps;
}

} // namespace

// Each header is [name, value]; a value that is not UTF-8 (HTTP allows bytes 0x80-0xFF) is
// kept exactly as [name, base64, "base64"], so the log holds the bytes that were received.
QByteArray encodeHeaders(const HeaderList &headers)
{
    QByteArray out;
    out.reserve(64 * headers.size() + 2);
    out += '[';
    for (qsizetype i = 0; i < headers.size(); ++i) {
        if (i)
            out += ',';
        out += '[';
        appendJsonString(out, headers[i].first);
        out += ',';
        const QByteArray &value = headers[i].second;
        if (isUtf8(value)) {
            appendJsonUtf8(out, value);
        } else {
            appendJsonUtf8(out, value.toBase64());
            out += ",\"base64\"";
        }
        out += ']';
    }
    out += ']';
    return out;
}

HeaderList decodeHeaders(const QByteArray &json)
{
    HeaderList headers;
    for (const QJsonValue &pair : QJsonDocument::fromJson(json).array()) {
        const QByteArray name = pair[0].toString().toUtf8();
        const QByteArray value = pair[1].toString().toUtf8();
        headers.append({ name,
            pair[2].toString() == QStringLiteral("base64") ? QByteArray::fromBase64(value)
                                                           : value });
    }
    return headers;
}

Store::Store(SqlDialect dialect, QString connectionName)
    : m_dialect(dialect), m_connectionName(std::move(connectionName))
{ }

Store::~Store()
{
    m_sqliteInsert.reset();
    m_insertRequest.reset();
    m_touchKey.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<Store>> Store::openSqlite(const QString &path)
{
    const QFileInfo info(path);
    if (!PrivateFiles::createFolder(info.absolutePath()))
        return Result<std::unique_ptr<Store>>::failure(
            QStringLiteral("cannot create the data folder %1").arg(info.absolutePath()));
    // The log holds every body: the file is the user's alone from the start (an empty file is
    // an empty database), and SQLite gives its -wal and -shm files the database file's mode.
    if (!info.exists()) {
        QFile file(path);
        [[maybe_unused]] const bool created = file.open(
            QIODevice::WriteOnly | QIODevice::NewOnly, QFile::ReadOwner | QFile::WriteOwner);
    }
    for (const QString &suffix :
        { QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal") }) {
        if (const std::optional<unsigned> was = PrivateFiles::restrict(path + suffix))
            qCInfo(lcStore, "made %s private (it was %s)", qPrintable(path + suffix),
                qPrintable(PrivateFiles::modeText(*was)));
    }
    std::unique_ptr<Store> store(
        new Store(SqlDialect(SqlDialect::Kind::Sqlite), nextConnectionName()));
    if (Status status
        = store->connect(path, [&path](QSqlDatabase &db) { db.setDatabaseName(path); });
        !status)
        return Result<std::unique_ptr<Store>>::failure(status.error());
    if (Status status = store->migrate(); !status)
        return Result<std::unique_ptr<Store>>::failure(status.error());
    return Result<std::unique_ptr<Store>>(std::move(store));
}

Result<std::unique_ptr<Store>> Store::open(const QString &location)
{
    return isPostgresUrl(location) ? openPostgres(location) : openSqlite(location);
}

bool Store::isPostgresUrl(const QString &location)
{
    return location.startsWith(QLatin1String("postgresql://"))
        || location.startsWith(QLatin1String("postgres://"));
}

namespace {

// The secrets of a URL as text: where its user:password@ password lies, and its query
// parameters whose name holds "password" (libpq reads password, sslpassword...).
struct UrlSecrets
{
    qsizetype passwordStart = -1; // -1: no user:password@
    qsizetype passwordEnd = -1;
    QList<QPair<qsizetype, qsizetype>> queryValues; // start, end of each secret value
    bool any() const { return passwordStart >= 0 || !queryValues.isEmpty(); }
};

UrlSecrets urlSecrets(const QString &url)
{
    UrlSecrets secrets;
    const qsizetype scheme = url.indexOf(QLatin1String("://"));
    if (scheme < 0)
        return secrets;
    const qsizetype authority = scheme + 3;
    // QUrl ends the user information at the first '/', '?' or '#', so that a password holding
    // one (postgresql://u:pa/ss@h/db) reads as host u and path /ss@h/db and is shown. A person
    // means everything up to the last '@'.
    const qsizetype at = url.lastIndexOf(u'@');
    const qsizetype colon = url.indexOf(u':', authority);
    if (at >= authority && colon >= 0 && colon + 1 < at) {
        secrets.passwordStart = colon + 1;
        secrets.passwordEnd = at;
    }
    // Without a password, an '@' may as well be in the query: look for it from the start.
    const qsizetype question
        = url.indexOf(u'?', secrets.passwordStart >= 0 ? secrets.passwordEnd : authority);
    if (question < 0)
        return secrets;
    qsizetype end = url.indexOf(u'#', question);
    if (end < 0)
        end = url.size();
    for (qsizetype start = question + 1; start <= end;) {
        qsizetype stop = url.indexOf(u'&', start);
        if (stop < 0 || stop > end)
            stop = end;
        const qsizetype eq = url.indexOf(u'=', start);
        const QString name = QUrl::fromPercentEncoding(
            url.mid(start, (eq >= 0 && eq < stop ? eq : stop) - start).toUtf8());
        const qsizetype value = eq >= 0 && eq < stop ? eq + 1 : stop;
        if (value < stop && name.contains(QLatin1String("password"), Qt::CaseInsensitive))
            secrets.queryValues.append({ value, stop });
        start = stop + 1;
    }
    return secrets;
}

} // namespace

QString Store::redactedUrl(const QString &url)
{
    const UrlSecrets secrets = urlSecrets(url);
    if (!secrets.any() && !QUrl(url, QUrl::StrictMode).isValid())
        return QStringLiteral("(an invalid PostgreSQL URL)"); // what it holds is not known
    QString out = url;
    // From the end, so that each replacement leaves the positions before it alone.
    for (auto value = secrets.queryValues.crbegin(); value != secrets.queryValues.crend(); ++value)
        out.replace(value->first, value->second - value->first, QStringLiteral("***"));
    if (secrets.passwordStart >= 0)
        out.replace(secrets.passwordStart, secrets.passwordEnd - secrets.passwordStart,
            QStringLiteral("***"));
    return out;
}

bool Store::urlHasPassword(const QString &url)
{
    return urlSecrets(url).any();
}

Result<std::unique_ptr<Store>> Store::openPostgres(const QString &url)
{
    using Opened = Result<std::unique_ptr<Store>>;
    const QUrl parsed(url, QUrl::StrictMode);
    const QString database = parsed.path().mid(1);
    if (!parsed.isValid() || !isPostgresUrl(url) || parsed.host().isEmpty() || database.isEmpty()
        || database.contains(u'/'))
        return Opened::failure(QStringLiteral("%1 is not a PostgreSQL URL: expected "
                                              "postgresql://user[:password]@host[:port]/database")
                                   .arg(redactedUrl(url)));
    std::unique_ptr<Store> store(
        new Store(SqlDialect(SqlDialect::Kind::Postgres), nextConnectionName()));
    const Status connected = store->connect(redactedUrl(url), [&](QSqlDatabase &db) {
        db.setHostName(parsed.host());
        db.setPort(parsed.port(5432));
        db.setDatabaseName(database);
        if (!parsed.userName().isEmpty())
            db.setUserName(parsed.userName());
        if (!parsed.password().isEmpty())
            db.setPassword(parsed.password());
        // A server that stops answering must fail a commit in seconds, not hang the writer.
        db.setConnectOptions(QStringLiteral("connect_timeout=5;application_name=hooktrail"));
    });
    if (!connected)
        return Opened::failure(connected.error());
    if (Status status = store->migrate(); !status)
        return Opened::failure(status.error());
    return Opened(std::move(store));
}

Status Store::connect(const QString &what, const std::function<void(QSqlDatabase &)> &configure)
{
    if (!QSqlDatabase::isDriverAvailable(m_dialect.driverName()))
        return Status::failure(
            QStringLiteral("the Qt SQL driver %1 is not installed").arg(m_dialect.driverName()));
    m_db = QSqlDatabase::addDatabase(m_dialect.driverName(), m_connectionName);
    configure(m_db);
    if (!m_db.open())
        return Status::failure(
            QStringLiteral("cannot open the database %1: %2").arg(what, m_db.lastError().text()));
    for (const QString &statement : m_dialect.connectionSetup()) {
        if (Status status = exec(statement); !status)
            return status;
    }
    if (m_dialect.kind() == SqlDialect::Kind::Sqlite) {
        const QVariant handle = m_db.driver()->handle();
        if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
            return Status::failure(QStringLiteral("the SQLite driver gives no handle"));
        sqlite3 *db = *static_cast<sqlite3 *const *>(handle.constData());
        // DIRECTONLY: a view or trigger in a file someone else made cannot call it.
        if (sqlite3_create_function_v2(db, "hooktrail_search", 3,
                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, nullptr, searchFunction,
                nullptr, nullptr, nullptr)
            != SQLITE_OK)
            return Status::failure(QStringLiteral("cannot set up the search: %1")
                                       .arg(QString::fromUtf8(sqlite3_errmsg(db))));
    }
    return {};
}

QString Store::error(const QSqlQuery &query) const
{
    const QSqlError error = query.lastError();
    return error.databaseText().isEmpty() ? error.text() : error.databaseText();
}

Status Store::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return Status::failure(
            QStringLiteral("database error: %1 (in: %2)").arg(error(query), sql.left(80)));
    return {};
}

Status Store::transaction(const std::function<Status()> &work)
{
    if (!m_db.transaction())
        return Status::failure(QStringLiteral("database error: cannot start a transaction: %1")
                                   .arg(m_db.lastError().text()));
    Status status = work();
    if (status && !m_db.commit())
        status = Status::failure(
            QStringLiteral("database error: commit failed: %1").arg(m_db.lastError().text()));
    if (!status)
        m_db.rollback();
    return status;
}

Result<int> Store::schemaVersion()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")))
        return Result<int>::failure(error(query));
    return query.next() ? query.value(0).toInt() : 0;
}

Status Store::migrate()
{
    if (Status status = exec(QStringLiteral(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
        !status)
        return status;
    return transaction([this]() -> Status {
        // Read inside the transaction so two processes opening a new file do not both migrate.
        if (m_dialect.kind() == SqlDialect::Kind::Sqlite) {
            if (Status status = exec(
                    QStringLiteral("UPDATE meta SET value = value WHERE key = 'schema_version'"));
                !status)
                return status;
        }
        const Result<int> current = schemaVersion();
        if (!current)
            return Status::failure(current.error());
        if (*current > SchemaVersion)
            return Status::failure(QStringLiteral(
                "the database has schema version %1, newer than this Hooktrail (%2); "
                "use a newer Hooktrail")
                                       .arg(*current)
                                       .arg(SchemaVersion));
        for (int version = *current; version < SchemaVersion; ++version) {
            for (const QString &statement : migrations().at(version)) {
                // Full-text search is SQLite's FTS5 there, PostgreSQL's own here.
                const bool postgres = m_dialect.kind() == SqlDialect::Kind::Postgres;
                if (postgres && statement.contains(QStringLiteral("requests_fts")))
                    continue;
                QString sql = statement;
                if (sql.startsWith(QLatin1String("{POSTGRES}"))) {
                    if (!postgres)
                        continue;
                    sql = sql.mid(10);
                }
                if (Status status = exec(m_dialect.schema(sql)); !status)
                    return status;
            }
        }
        if (*current != SchemaVersion) {
            QSqlQuery query(m_db);
            query.prepare(QStringLiteral("DELETE FROM meta WHERE key = 'schema_version'"));
            query.exec();
            query.prepare(
                QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema_version', ?)"));
            query.addBindValue(QString::number(SchemaVersion));
            if (!query.exec())
                return Status::failure(error(query));
            qCDebug(lcStore) << "database schema brought from version" << *current << "to"
                             << SchemaVersion;
        }
        return {};
    });
}

Status Store::bumpGeneration()
{
    if (m_dialect.kind() == SqlDialect::Kind::Sqlite)
        return exec(QStringLiteral(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'config_generation'"));
    Status status = exec(QStringLiteral("UPDATE meta SET value = (CAST(value AS BIGINT) + 1)::text "
                                        "WHERE key = 'config_generation'"));
    // Sent when the transaction commits: every receiver listening reloads at once.
    if (status)
        status = exec(QStringLiteral("NOTIFY %1").arg(ConfigChannel));
    return status;
}

bool Store::followConfigChanges(QObject *context, const std::function<void()> &changed)
{
    return listen(ConfigChannel, context, changed);
}

bool Store::followLogCommits(QObject *context, const std::function<void()> &committed)
{
    return listen(LogChannel, context, committed);
}

bool Store::listen(const QString &channel, QObject *context, const std::function<void()> &notified)
{
    if (m_dialect.kind() != SqlDialect::Kind::Postgres || !m_db.isOpen())
        return false;
    QSqlDriver *driver = m_db.driver();
    if (!driver->subscribeToNotification(channel))
        return false;
    QObject::connect(
        driver, &QSqlDriver::notification, context, [channel, notified](const QString &name) {
            if (name == channel)
                notified();
        });
    return true;
}

Result<qint64> Store::configGeneration()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'config_generation'")))
        return Result<qint64>::failure(error(query));
    return query.next() ? query.value(0).toLongLong() : 0;
}

Result<Store::WalState> Store::checkpoint(Checkpoint mode, std::chrono::milliseconds wait)
{
    if (m_dialect.kind() != SqlDialect::Kind::Sqlite)
        return WalState();
    const bool waits = mode != Checkpoint::Passive && wait.count() >= 0;
    if (waits) {
        if (Status status = exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(wait.count()));
            !status)
            return Result<WalState>::failure(status.error());
    }
    const auto restoreTimeout = qScopeGuard([&] {
        if (waits)
            exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(SqlDialect::SqliteBusyTimeoutMs));
    });
    const QString modeName = mode == Checkpoint::Passive ? QStringLiteral("PASSIVE")
        : mode == Checkpoint::Restart                    ? QStringLiteral("RESTART")
                                                         : QStringLiteral("TRUNCATE");
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("PRAGMA wal_checkpoint(%1)").arg(modeName)) || !query.next())
        return Result<WalState>::failure(error(query));
    // Not in WAL mode (never here), the frame counts read -1.
    WalState state;
    state.busy = query.value(0).toInt() != 0;
    state.frames = std::max<qint64>(0, query.value(1).toLongLong());
    state.copied = std::max<qint64>(0, query.value(2).toLongLong());
    return state;
}

Status Store::setAutomaticCheckpoints(bool enabled)
{
    if (m_dialect.kind() != SqlDialect::Kind::Sqlite)
        return {};
    if (enabled)
        return exec(QStringLiteral("PRAGMA wal_autocheckpoint = 1000"));
    const QVariant handle = m_db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return Status::failure(QStringLiteral("the SQLite driver gives no handle"));
    // The WAL hook is where SQLite's automatic checkpoint sits; this one only counts.
    sqlite3_wal_hook(
        *static_cast<sqlite3 *const *>(handle.constData()),
        [](void *frames, sqlite3 *, const char *, int count) -> int {
            *static_cast<qint64 *>(frames) = count;
            return SQLITE_OK;
        },
        &m_walFrames);
    return {};
}

QString Store::databaseFile() const
{
    return m_dialect.kind() == SqlDialect::Kind::Sqlite ? m_db.databaseName() : QString();
}

Result<QList<Webhook>> Store::webhooks()
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT %1 FROM webhooks ORDER BY seq, id").arg(WebhookColumns)))
        return Result<QList<Webhook>>::failure(error(query));
    QList<Webhook> out;
    while (query.next())
        out.append(webhookFrom(query));
    return out;
}

Result<std::optional<Webhook>> Store::webhook(const QString &id)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT %1 FROM webhooks WHERE id = ?").arg(WebhookColumns));
    query.addBindValue(id);
    if (!query.exec())
        return Result<std::optional<Webhook>>::failure(error(query));
    if (!query.next())
        return std::optional<Webhook>();
    return std::optional<Webhook>(webhookFrom(query));
}

Result<bool> Store::nameTaken(const QString &name, const QString &exceptId)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT 1 FROM webhooks WHERE name_folded = ? AND id <> ?"));
    query.addBindValue(name.trimmed().toCaseFolded());
    // A null QString binds as SQL NULL, and "id <> NULL" is never true.
    query.addBindValue(exceptId.isNull() ? QStringLiteral("") : exceptId);
    if (!query.exec())
        return Result<bool>::failure(error(query));
    return query.next();
}

// Inside a write transaction: the name checked first (after a failed statement PostgreSQL
// answers nothing more in the transaction; the unique index still decides between two
// writers at once), then the row as given, id and timestamps included.
Status Store::insertWebhook(const Webhook &webhook)
{
    if (const Result<bool> taken = nameTaken(webhook.name); !taken)
        return Status::failure(taken.error());
    else if (*taken)
        return Status::failure(
            QStringLiteral("a webhook named '%1' already exists").arg(webhook.name));
    QSqlQuery query(m_db);
    // Inside the write transaction, so no other writer takes the same place in the list.
    query.prepare(QStringLiteral(
        "INSERT INTO webhooks (%1, name_folded, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM webhooks))")
                      .arg(WebhookColumns));
    query.addBindValue(webhook.id);
    query.addBindValue(webhook.name);
    query.addBindValue(webhook.description.isNull() ? QStringLiteral("") : webhook.description);
    query.addBindValue(joinList(webhook.methods));
    query.addBindValue(encodeRules(webhook.headerRules));
    query.addBindValue(joinList(webhook.ipWhitelist));
    query.addBindValue(webhook.enabled ? 1 : 0);
    query.addBindValue(toMicros(webhook.created));
    query.addBindValue(toMicros(webhook.updated));
    query.addBindValue(webhook.name.toCaseFolded());
    if (!query.exec())
        return Status::failure(error(query));
    return bumpGeneration();
}

Result<Webhook> Store::addWebhook(Webhook webhook)
{
    webhook.id = Webhook::newId();
    webhook.name = webhook.name.trimmed();
    webhook.created = webhook.updated = QDateTime::currentDateTimeUtc();
    // Immediate: the write lock first, so the name check cannot leave SQLite a snapshot too old
    // to write from (a busy error at once, with no wait, when the log writer just committed).
    const Status status = immediateTransaction([&]() -> Status { return insertWebhook(webhook); });
    if (!status)
        return Result<Webhook>::failure(status.error());
    return webhook;
}

Status Store::updateWebhook(const Webhook &webhook)
{
    return immediateTransaction([&]() -> Status { // (see addWebhook)
        if (const Result<bool> taken = nameTaken(webhook.name, webhook.id); !taken)
            return Status::failure(taken.error());
        else if (*taken)
            return Status::failure(
                QStringLiteral("a webhook named '%1' already exists").arg(webhook.name.trimmed()));
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral(
            "UPDATE webhooks SET name = ?, name_folded = ?, description = ?, methods = ?, "
            "header_rules = ?, ip_whitelist = ?, enabled = ?, updated_at = ? WHERE id = ?"));
        query.addBindValue(webhook.name.trimmed());
        query.addBindValue(webhook.name.trimmed().toCaseFolded());
        query.addBindValue(webhook.description.isNull() ? QStringLiteral("") : webhook.description);
        query.addBindValue(joinList(webhook.methods));
        query.addBindValue(encodeRules(webhook.headerRules));
        query.addBindValue(joinList(webhook.ipWhitelist));
        query.addBindValue(webhook.enabled ? 1 : 0);
        query.addBindValue(toMicros(QDateTime::currentDateTimeUtc()));
        query.addBindValue(webhook.id);
        if (!query.exec())
            return Status::failure(error(query));
        if (query.numRowsAffected() != 1)
            return Status::failure(QStringLiteral("no webhook with id %1").arg(webhook.id));
        return bumpGeneration();
    });
}

Status Store::setWebhookEnabled(const QString &id, bool enabled)
{
    return transaction([&]() -> Status {
        QSqlQuery query(m_db);
        query.prepare(
            QStringLiteral("UPDATE webhooks SET enabled = ?, updated_at = ? WHERE id = ?"));
        query.addBindValue(enabled ? 1 : 0);
        query.addBindValue(toMicros(QDateTime::currentDateTimeUtc()));
        query.addBindValue(id);
        if (!query.exec())
            return Status::failure(error(query));
        if (query.numRowsAffected() != 1)
            return Status::failure(QStringLiteral("no webhook with id %1").arg(id));
        return bumpGeneration();
    });
}

Status Store::removeWebhook(const QString &id, bool deleteRequests)
{
    const Status removed = transaction([&]() -> Status {
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("DELETE FROM webhooks WHERE id = ?"));
        query.addBindValue(id);
        if (!query.exec())
            return Status::failure(error(query));
        if (query.numRowsAffected() != 1)
            return Status::failure(QStringLiteral("no webhook with id %1").arg(id));
        return bumpGeneration();
    });
    if (!removed || !deleteRequests)
        return removed;
    // Its requests go in chunks, as any deletion does, so the log writer never waits long for
    // the lock. None can arrive meanwhile: without the webhook, a request names none.
    RequestFilter filter;
    filter.webhookId = id;
    const Result<qint64> requests = this->deleteRequests(filter);
    return requests ? Status() : Status::failure(requests.error());
}

Result<NewApiKey> Store::addKey(const QString &name)
{
    NewApiKey created;
    created.secret = ApiKeys::generate();
    created.key.name = name.trimmed();
    created.key.prefix = ApiKeys::prefixOf(created.secret);
    created.key.hash = ApiKeys::hash(created.secret.toLatin1());
    created.key.created = QDateTime::currentDateTimeUtc();
    if (created.key.name.isEmpty() || created.key.name.size() > 100)
        return Result<NewApiKey>::failure(
            QStringLiteral("a key needs a name of 1 to 100 characters"));
    const Status status = transaction([&]() -> Status {
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("INSERT INTO api_keys (name, prefix, hash, created_at) VALUES "
                                     "(?, ?, ?, ?) RETURNING id"));
        query.addBindValue(created.key.name);
        query.addBindValue(created.key.prefix);
        query.addBindValue(created.key.hash);
        query.addBindValue(toMicros(created.key.created));
        if (!query.exec() || !query.next())
            return Status::failure(error(query));
        created.key.id = query.value(0).toLongLong();
        query.finish();
        return bumpGeneration();
    });
    if (!status)
        return Result<NewApiKey>::failure(status.error());
    return created;
}

Result<QList<ApiKey>> Store::keys()
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, name, prefix, hash, created_at, last_used_at, "
                                   "revoked FROM api_keys ORDER BY id")))
        return Result<QList<ApiKey>>::failure(error(query));
    QList<ApiKey> out;
    while (query.next()) {
        ApiKey key;
        key.id = query.value(0).toLongLong();
        key.name = query.value(1).toString();
        key.prefix = query.value(2).toString();
        key.hash = query.value(3).toByteArray();
        key.created = fromMicros(query.value(4));
        key.lastUsed = fromMicros(query.value(5));
        key.revoked = query.value(6).toBool();
        out.append(key);
    }
    return out;
}

Status Store::revokeKey(const QString &prefix)
{
    // Immediate (see addWebhook): it reads, then writes; a deferred transaction whose snapshot
    // another writer passed meanwhile (the log writer's threads open their stores at start)
    // fails at its first write without waiting.
    return immediateTransaction([&]() -> Status {
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("SELECT id FROM api_keys WHERE prefix = ? OR prefix = ?"));
        // Accept the prefix with or without the "htk_" part people may leave off.
        query.addBindValue(prefix);
        query.addBindValue(QStringLiteral("htk_") + prefix);
        if (!query.exec())
            return Status::failure(error(query));
        QList<qint64> ids;
        while (query.next())
            ids.append(query.value(0).toLongLong());
        if (ids.isEmpty())
            return Status::failure(QStringLiteral("no key with prefix %1").arg(prefix));
        if (ids.size() > 1)
            return Status::failure(
                QStringLiteral("%1 keys have prefix %2").arg(ids.size()).arg(prefix));
        query.prepare(QStringLiteral("UPDATE api_keys SET revoked = 1 WHERE id = ?"));
        query.addBindValue(ids.first());
        if (!query.exec())
            return Status::failure(error(query));
        return bumpGeneration();
    });
}

// The log's hot path on SQLite goes to the C API: binding UTF-8 directly, with no QVariant or
// UTF-16 round trip, roughly halves the writer thread's cost per row.
struct Store::SqliteInsert
{
    sqlite3 *db = nullptr;
    sqlite3_stmt *statement = nullptr;
    ~SqliteInsert() { sqlite3_finalize(statement); }
};

namespace {

// Text columns take UTF-8; bytes that are not UTF-8 are read as Latin-1 so none is lost.
QByteArray utf8Text(const QByteArray &bytes)
{
    return isUtf8(bytes) ? bytes : QString::fromLatin1(bytes).toUtf8();
}

// Binds without a copy: the caller keeps `utf8` alive until the statement is stepped.
void bindText(
    sqlite3_stmt *statement, int index, const QByteArray &utf8, bool nullWhenEmpty = false)
{
    if (nullWhenEmpty && utf8.isEmpty())
        sqlite3_bind_null(statement, index);
    else
        sqlite3_bind_text(statement, index, utf8.constData() ? utf8.constData() : "",
            int(utf8.size()), SQLITE_STATIC);
}

// A short value shown and filtered as text: UTF-8 stays text; other bytes are kept exactly, as a
// blob.
void bindExact(sqlite3_stmt *statement, int index, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        sqlite3_bind_null(statement, index);
    else if (isUtf8(bytes))
        sqlite3_bind_text(statement, index, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
    else
        sqlite3_bind_blob(statement, index, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
}

} // namespace

Status Store::appendRequests(
    QList<LoggedRequest> &batch, const std::function<Status()> &alsoInTransaction)
{
    QHash<qint64, qint64> keyUse;
    const Status status = transaction([&]() -> Status {
        if (m_dialect.kind() == SqlDialect::Kind::Postgres) {
            // Receivers on other machines write too: one batch at a time, so ids are taken in
            // commit order and a reader that saw id N has seen every row below it (live views
            // follow by "id > the newest seen"). SQLite's single writer gives this for free.
            if (Status locked
                = exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(LogWriterLock));
                !locked)
                return locked;
            // Delivered with the commit: consoles following the history look for new rows.
            if (Status notified = exec(QStringLiteral("NOTIFY %1").arg(LogChannel)); !notified)
                return notified;
        }
        Status inserted = m_dialect.kind() == SqlDialect::Kind::Sqlite
            ? appendRequestsSqlite(batch, keyUse)
            : appendRequestsPortable(batch, keyUse);
        if (!inserted)
            return inserted;
        if (!m_touchKey) {
            m_touchKey = std::make_unique<QSqlQuery>(m_db);
            m_touchKey->prepare(QStringLiteral("UPDATE api_keys SET last_used_at = ? WHERE id = ? "
                                               "AND (last_used_at IS NULL OR last_used_at < ?)"));
        }
        for (auto it = keyUse.cbegin(); it != keyUse.cend(); ++it) {
            m_touchKey->bindValue(0, it.value());
            m_touchKey->bindValue(1, it.key());
            m_touchKey->bindValue(2, it.value());
            if (!m_touchKey->exec())
                return Status::failure(
                    QStringLiteral("cannot record key use: %1").arg(error(*m_touchKey)));
        }
        return alsoInTransaction ? alsoInTransaction() : Status();
    });
    if (!status) {
        for (LoggedRequest &entry : batch)
            entry.id = 0;
        // A failed statement can leave a prepared query unusable (e.g. after the file vanished).
        m_sqliteInsert.reset();
        m_insertRequest.reset();
        m_touchKey.reset();
    }
    return status;
}

Result<bool> Store::importWebhook(const Webhook &webhook)
{
    bool added = false;
    const Status status = immediateTransaction([&]() -> Status {
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("SELECT 1 FROM webhooks WHERE id = ?"));
        query.addBindValue(webhook.id);
        if (!query.exec())
            return Status::failure(error(query));
        if (query.next())
            return {};
        query.finish();
        added = true;
        return insertWebhook(webhook);
    });
    if (!status)
        return Result<bool>::failure(status.error());
    return added;
}

Result<qint64> Store::importKey(const ApiKey &key)
{
    qint64 id = 0;
    const Status status = immediateTransaction([&]() -> Status {
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("SELECT id FROM api_keys WHERE hash = ?"));
        query.addBindValue(key.hash);
        if (!query.exec())
            return Status::failure(error(query));
        if (query.next()) {
            id = query.value(0).toLongLong();
            return {};
        }
        query.finish();
        query.prepare(QStringLiteral(
            "INSERT INTO api_keys (name, prefix, hash, created_at, last_used_at, revoked) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
        query.addBindValue(key.name);
        query.addBindValue(key.prefix);
        query.addBindValue(key.hash);
        query.addBindValue(toMicros(key.created));
        query.addBindValue(key.lastUsed.isValid() ? QVariant(toMicros(key.lastUsed))
                                                  : QVariant(QMetaType::fromType<qint64>()));
        query.addBindValue(key.revoked ? 1 : 0);
        if (!query.exec() || !query.next())
            return Status::failure(error(query));
        id = query.value(0).toLongLong();
        query.finish();
        return bumpGeneration();
    });
    if (!status)
        return Result<qint64>::failure(status.error());
    return id;
}

Result<qint64> Store::importedUpTo(const QString &source)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    query.addBindValue(QStringLiteral("imported:") + source);
    if (!query.exec())
        return Result<qint64>::failure(error(query));
    return query.next() ? query.value(0).toLongLong() : 0;
}

Status Store::importRequests(QList<LoggedRequest> &batch, const QString &source, qint64 upTo)
{
    return appendRequests(batch, [&]() -> Status {
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("DELETE FROM meta WHERE key = ?"));
        query.addBindValue(QStringLiteral("imported:") + source);
        if (!query.exec())
            return Status::failure(error(query));
        query.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES (?, ?)"));
        query.addBindValue(QStringLiteral("imported:") + source);
        query.addBindValue(QString::number(upTo));
        if (!query.exec())
            return Status::failure(error(query));
        return {};
    });
}

Status Store::appendRequestsSqlite(QList<LoggedRequest> &batch, QHash<qint64, qint64> &keyUse)
{
    if (!m_sqliteInsert) {
        const QVariant handle = m_db.driver()->handle();
        if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
            return Status::failure(QStringLiteral("the SQLite driver gives no handle"));
        auto insert = std::make_unique<SqliteInsert>();
        insert->db = *static_cast<sqlite3 *const *>(handle.constData());
        const char *sql = "INSERT INTO requests (received_at, webhook_id, method, path, query, "
                          "http_version, headers, "
                          "body, body_truncated, body_size, content_type, client_address, "
                          "forwarded_for, status, "
                          "reason, reason_detail, handling_micros, instance, api_key_id) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        if (sqlite3_prepare_v2(insert->db, sql, -1, &insert->statement, nullptr) != SQLITE_OK)
            return Status::failure(QStringLiteral("cannot prepare the log insert: %1")
                                       .arg(QString::fromUtf8(sqlite3_errmsg(insert->db))));
        m_sqliteInsert = std::move(insert);
    }
    sqlite3_stmt *statement = m_sqliteInsert->statement;
    for (LoggedRequest &entry : batch) {
        // The converted values live until the row is stepped, so SQLite may use them in place.
        const QByteArray webhookId = entry.webhookId.toUtf8();
        const QByteArray method = utf8Text(entry.method);
        const QByteArray path = utf8Text(entry.path);
        const QByteArray query = utf8Text(entry.query);
        const QByteArray headers = encodeHeaders(entry.headers);
        const QByteArray clientAddress = entry.clientAddress.toUtf8();
        const QByteArray forwardedFor = entry.forwardedFor.toUtf8();
        const QByteArray reasonDetail = entry.reasonDetail.toUtf8();
        const QByteArray instance = entry.instance.toUtf8();
        sqlite3_reset(statement);
        sqlite3_bind_int64(statement, 1, entry.receivedAtMicros);
        bindText(statement, 2, webhookId, true);
        bindText(statement, 3, method);
        bindText(statement, 4, path);
        bindText(statement, 5, query);
        bindText(statement, 6, entry.httpVersion);
        bindText(statement, 7, headers);
        sqlite3_bind_blob64(statement, 8, entry.body.isEmpty() ? "" : entry.body.constData(),
            sqlite3_uint64(entry.body.size()), SQLITE_STATIC);
        sqlite3_bind_int(statement, 9, entry.bodyTruncated ? 1 : 0);
        sqlite3_bind_int64(statement, 10, entry.bodySize);
        bindExact(statement, 11, entry.contentType);
        bindText(statement, 12, clientAddress);
        bindText(statement, 13, forwardedFor, true);
        sqlite3_bind_int(statement, 14, entry.status);
        bindText(statement, 15, entry.reason);
        bindText(statement, 16, reasonDetail, true);
        sqlite3_bind_int64(statement, 17, entry.handlingMicros);
        bindText(statement, 18, instance);
        if (entry.apiKeyId)
            sqlite3_bind_int64(statement, 19, entry.apiKeyId);
        else
            sqlite3_bind_null(statement, 19);
        if (sqlite3_step(statement) != SQLITE_DONE) {
            const QString message = QString::fromUtf8(sqlite3_errmsg(m_sqliteInsert->db));
            sqlite3_reset(statement);
            return Status::failure(QStringLiteral("cannot write the request log: %1").arg(message));
        }
        entry.id = sqlite3_last_insert_rowid(m_sqliteInsert->db);
        if (entry.apiKeyId)
            keyUse[entry.apiKeyId] = std::max(keyUse.value(entry.apiKeyId), entry.receivedAtMicros);
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return {};
}

namespace {

// What PostgreSQL's search reads of a row: the text SQLite's FTS5 indexes (SearchColumns).
QString searchText(const LoggedRequest &entry)
{
    return searchableText(QString::fromUtf8(encodeHeaders(entry.headers)) + u' '
        + receivedText(entry.body.left(SearchedBodyBytes)));
}

} // namespace

Status Store::appendRequestsPortable(QList<LoggedRequest> &batch, QHash<qint64, qint64> &keyUse)
{
    // Many rows per statement: against a server each statement is a round trip, and a batch
    // of a busy receiver holds dozens of rows.
    constexpr qsizetype RowsPerStatement = 100; // 2,000 parameters, far below the limit
    const auto nullable = [](const QString &text) {
        return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
    };
    for (qsizetype first = 0; first < batch.size(); first += RowsPerStatement) {
        const qsizetype rows = std::min(RowsPerStatement, batch.size() - first);
        if (!m_insertRequest || m_insertRows != rows) {
            QStringList values(rows,
                QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
            m_insertRequest = std::make_unique<QSqlQuery>(m_db);
            m_insertRows = rows;
            if (!m_insertRequest->prepare(QStringLiteral(
                    "INSERT INTO requests (received_at, webhook_id, method, path, query, "
                    "http_version, headers, body, body_truncated, body_size, content_type, "
                    "client_address, forwarded_for, status, reason, reason_detail, "
                    "handling_micros, instance, api_key_id, search_text) VALUES %1 RETURNING id")
                                              .arg(values.join(QStringLiteral(", "))))) {
                const QString message = error(*m_insertRequest);
                m_insertRequest.reset();
                return Status::failure(message);
            }
        }
        QSqlQuery &insert = *m_insertRequest;
        int at = 0;
        for (qsizetype i = first; i < first + rows; ++i) {
            const LoggedRequest &entry = batch.at(i);
            insert.bindValue(at++, entry.receivedAtMicros);
            insert.bindValue(at++, nullable(entry.webhookId));
            insert.bindValue(at++, toText(entry.method));
            insert.bindValue(at++, toText(entry.path));
            insert.bindValue(at++, toText(entry.query));
            insert.bindValue(at++, QString::fromLatin1(entry.httpVersion));
            insert.bindValue(at++, QString::fromUtf8(encodeHeaders(entry.headers)));
            insert.bindValue(at++, entry.body.isNull() ? QByteArray("") : entry.body);
            insert.bindValue(at++, entry.bodyTruncated ? 1 : 0);
            insert.bindValue(at++, entry.bodySize);
            // The exact bytes (BYTEA): a Content-Type may carry bytes that are not UTF-8.
            insert.bindValue(at++,
                entry.contentType.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>())
                                            : QVariant(entry.contentType));
            insert.bindValue(at++, entry.clientAddress);
            insert.bindValue(at++, nullable(entry.forwardedFor));
            insert.bindValue(at++, entry.status);
            insert.bindValue(at++, QString::fromLatin1(entry.reason));
            insert.bindValue(at++, nullable(entry.reasonDetail));
            insert.bindValue(at++, entry.handlingMicros);
            insert.bindValue(at++, entry.instance);
            insert.bindValue(at++,
                entry.apiKeyId ? QVariant(entry.apiKeyId)
                               : QVariant(QMetaType::fromType<qint64>()));
            insert.bindValue(at++, searchText(entry));
        }
        if (!insert.exec())
            return Status::failure(
                QStringLiteral("cannot write the request log: %1").arg(error(insert)));
        // Ids of one statement are drawn in the order of its rows; sorted, they pair up.
        QList<qint64> ids;
        ids.reserve(rows);
        while (insert.next())
            ids.append(insert.value(0).toLongLong());
        insert.finish();
        if (ids.size() != rows)
            return Status::failure(
                QStringLiteral("cannot write the request log: %1 ids for %2 rows")
                    .arg(ids.size())
                    .arg(rows));
        std::sort(ids.begin(), ids.end());
        for (qsizetype i = 0; i < rows; ++i) {
            LoggedRequest &entry = batch[first + i];
            entry.id = ids.at(i);
            if (entry.apiKeyId)
                keyUse[entry.apiKeyId]
                    = std::max(keyUse.value(entry.apiKeyId), entry.receivedAtMicros);
        }
    }
    return {};
}

namespace {

// Rows per transaction when deleting: forgetting their search entries costs about as much as
// indexing them, so this bounds how long a commit of the log may wait (tens of ms).
constexpr int DeleteChunk = 500;
constexpr int IdsPerStatement = 500; // placeholders in one "id IN (...)"

// Prepares sql, binds the values in order, runs it.
bool execWith(QSqlQuery &query, const QString &sql, const QVariantList &binds)
{
    query.prepare(sql);
    for (const QVariant &value : binds)
        query.addBindValue(value);
    return query.exec();
}

QString prefixedColumns(const QString &alias)
{
    QStringList columns = RequestColumns.split(QStringLiteral(", "));
    for (QString &column : columns)
        column.prepend(alias);
    return columns.join(QStringLiteral(", "));
}

// Each whitespace-separated term becomes an FTS5 phrase, so punctuation inside a term (A-77,
// user@example.com) matches the same token sequence in the text instead of being FTS5 syntax.
QString ftsQuery(const QString &search, bool *hasTerms)
{
    QStringList phrases;
    for (QString term : searchTerms(search, hasTerms)) {
        term.replace(u'"', QStringLiteral("\"\""));
        phrases.append(u'"' + term + u'"');
    }
    return phrases.join(u' ');
}

LoggedRequest requestFrom(const QSqlQuery &query, bool withBody)
{
    LoggedRequest entry;
    entry.id = query.value(0).toLongLong();
    entry.receivedAtMicros = query.value(1).toLongLong();
    entry.webhookId = query.value(2).toString();
    entry.method = fromText(query.value(3).toString());
    entry.path = fromText(query.value(4).toString());
    entry.query = fromText(query.value(5).toString());
    entry.httpVersion = query.value(6).toString().toLatin1();
    entry.headers = decodeHeaders(query.value(7).toString().toUtf8());
    if (withBody)
        entry.body = query.value(8).toByteArray();
    entry.bodyTruncated = query.value(9).toBool();
    entry.bodySize = query.value(10).toLongLong();
    // Text when it was UTF-8, else the exact bytes (see bindExact).
    const QVariant contentType = query.value(11);
    entry.contentType = contentType.typeId() == QMetaType::QByteArray
        ? contentType.toByteArray()
        : fromText(contentType.toString());
    entry.clientAddress = query.value(12).toString();
    entry.forwardedFor = query.value(13).toString();
    entry.status = query.value(14).toInt();
    entry.reason = query.value(15).toString().toLatin1();
    entry.reasonDetail = query.value(16).toString();
    entry.handlingMicros = query.value(17).toLongLong();
    entry.instance = query.value(18).toString();
    entry.apiKeyId = query.value(19).toLongLong();
    return entry;
}

} // namespace

struct Store::FilterQuery
{
    QString sql; // SELECT columns FROM ... WHERE ..., without ORDER BY
    QVariantList binds;
    QString idColumn; // what to order and page by
    bool matchesNothing = false;
};

// One WHERE for every way of reading the log, so a filter means the same in the table, the
// count, the histogram, deletion and export. With a search, the FTS table leads (CROSS JOIN
// fixes the order): it yields matching ids newest first and takes the id bounds itself.
Store::FilterQuery Store::filterQuery(const RequestFilter &filter, const QString &columns,
    bool withKeys, Access access, SearchPart part) const
{
    FilterQuery out;
    QStringList where;
    std::optional<SearchPart> searching; // SQLite's search, and which part of it
    bool pendingMatch = false;
    if (!filter.search.trimmed().isEmpty() && m_dialect.kind() == SqlDialect::Kind::Postgres) {
        // Every term as a phrase of its tokens, all of them required: FTS5's meaning.
        bool hasTerms = false;
        QStringList phrases;
        for (const QString &term : searchTerms(filter.search, &hasTerms)) {
            phrases << QStringLiteral("phraseto_tsquery('simple', ?)");
            out.binds << searchableText(term);
        }
        if (phrases.isEmpty())
            out.matchesNothing = true;
        else
            where << QStringLiteral("to_tsvector('simple', r.search_text) @@ (%1)")
                         .arg(phrases.join(QStringLiteral(" && ")));
    } else if (!filter.search.trimmed().isEmpty()) {
        bool hasTerms = false;
        const QString match = ftsQuery(filter.search, &hasTerms);
        if (match.isEmpty()) {
            out.matchesNothing = true;
        } else {
            searching = part;
            // The index answers for the rows it holds (ids up to its mark, read once per call by
            // prepareSearch(): the index never loses a row below it), the log itself for the
            // rows above, with the same meaning (SearchMatcher). The indexed part's MATCH and
            // rowid bound both go to FTS5, which yields ids in order without a sort.
            if (part == SearchPart::Indexed) {
                where << QStringLiteral("f.requests_fts MATCH ?") << QStringLiteral("f.rowid <= ?");
                out.binds << match << m_searchIndexedUpTo;
            } else if (part == SearchPart::Pending) {
                where << QStringLiteral("r.id > ?");
                out.binds << m_searchIndexedUpTo;
                pendingMatch = true;
            } else {
                out.binds << match << m_searchIndexedUpTo << m_searchIndexedUpTo << filter.search;
            }
        }
    }
    out.idColumn = searching == SearchPart::Indexed ? QStringLiteral("f.rowid")
        : searching == SearchPart::Both             ? QStringLiteral("f.id")
                                                    : QStringLiteral("r.id");
    if (!filter.webhookId.isEmpty()) {
        where << QStringLiteral("r.webhook_id = ?");
        out.binds << filter.webhookId;
    }
    // Rejected: the very expression of the requests_rejected index, so the index serves it.
    if (filter.outcome == RequestFilter::Outcome::Accepted)
        where << QStringLiteral("r.status BETWEEN 200 AND 299");
    else if (filter.outcome == RequestFilter::Outcome::Rejected)
        where << QStringLiteral("r.status NOT BETWEEN 200 AND 299");
    if (!filter.reason.isEmpty()) {
        where << QStringLiteral("r.reason = ?");
        out.binds << QString::fromLatin1(filter.reason);
    }
    if (!filter.method.isEmpty()) {
        where << QStringLiteral("r.method = ?");
        out.binds << toText(filter.method);
    }
    if (filter.status != 0) {
        where << QStringLiteral("r.status = ?");
        out.binds << filter.status;
    }
    // A unary + keeps SQLite from using an index for the term: it steers the plan (pageIds()).
    const QString time = access == Access::AlongIds ? QStringLiteral("+r.received_at")
                                                    : QStringLiteral("r.received_at");
    const QString key = access == Access::AlongTime ? u'+' + out.idColumn : out.idColumn;
    if (filter.sinceMicros != 0) {
        where << time + QStringLiteral(" >= ?");
        out.binds << filter.sinceMicros;
    }
    if (filter.untilMicros != 0) {
        where << time + QStringLiteral(" < ?");
        out.binds << filter.untilMicros;
    }
    if (withKeys && filter.beforeId > 0) {
        where << key + QStringLiteral(" < ?");
        out.binds << filter.beforeId;
    }
    if (withKeys && filter.afterId > 0) {
        where << key + QStringLiteral(" > ?");
        out.binds << filter.afterId;
    }
    // Reading each row's text is the costly test: it comes after the others.
    if (pendingMatch) {
        where << QStringLiteral("hooktrail_search(r.headers, r.body, ?)");
        out.binds << filter.search;
    }
    QString from = QStringLiteral("requests r");
    if (searching == SearchPart::Indexed)
        from = QStringLiteral("requests_fts f CROSS JOIN requests r ON r.id = f.rowid");
    else if (searching == SearchPart::Both)
        from = QStringLiteral(
            "(SELECT rowid AS id FROM requests_fts WHERE requests_fts MATCH ? AND rowid <= ? "
            "UNION ALL SELECT id FROM requests WHERE id > ? AND hooktrail_search(headers, body, "
            "?)) f "
            "CROSS JOIN requests r ON r.id = f.id");
    else if (access == Access::AlongTime && m_dialect.kind() == SqlDialect::Kind::Sqlite)
        from += filter.webhookId.isEmpty() ? QStringLiteral(" INDEXED BY requests_time")
                                           : QStringLiteral(" INDEXED BY requests_webhook_time");
    out.sql = QStringLiteral("SELECT %1 FROM %2").arg(columns, from);
    if (!where.isEmpty())
        out.sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    return out;
}

Status Store::immediateTransaction(const std::function<Status()> &work)
{
    if (m_dialect.kind() != SqlDialect::Kind::Sqlite)
        return transaction(work);
    // IMMEDIATE takes the write lock at once: what is read inside (the indexed id, the rows to
    // delete) cannot change before the writes that depend on it.
    if (Status status = exec(QStringLiteral("BEGIN IMMEDIATE")); !status)
        return status;
    Status status = work();
    if (status)
        status = exec(QStringLiteral("COMMIT"));
    if (!status)
        exec(QStringLiteral("ROLLBACK"));
    return status;
}

Result<qint64> Store::indexPendingSearch(int maxRows)
{
    if (m_dialect.kind() != SqlDialect::Kind::Sqlite || maxRows <= 0)
        return qint64(0);
    // A cheap look first: this runs every half second and usually finds nothing to do.
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
            "SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_id'), "
            "(SELECT MAX(id) FROM requests)"))
        || !query.next())
        return Result<qint64>::failure(error(query));
    if (query.value(1).isNull() || query.value(1).toLongLong() <= query.value(0).toLongLong())
        return qint64(0);
    query.finish();
    qint64 indexed = 0;
    // The index can always be rebuilt from the log, and in WAL a commit that misses the disk
    // rolls back whole (entries and the indexed id together): it needs no fsync of its own.
    exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
    const Status status = immediateTransaction([&]() -> Status {
        QSqlQuery step(m_db);
        step.setForwardOnly(true);
        if (!step.exec(QStringLiteral(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_id'")))
            return Status::failure(error(step));
        const qint64 from = step.next() ? step.value(0).toLongLong() : 0;
        step.finish();
        // Ids grow with each commit and this transaction holds the write lock, so every row
        // at or below `upTo` is here now and no later row can get an id at or below it.
        step.prepare(QStringLiteral(
            "SELECT MAX(id) FROM (SELECT id FROM requests WHERE id > ? ORDER BY id LIMIT ?)"));
        step.addBindValue(from);
        step.addBindValue(maxRows);
        if (!step.exec() || !step.next())
            return Status::failure(error(step));
        if (step.value(0).isNull())
            return {};
        const qint64 upTo = step.value(0).toLongLong();
        step.finish();
        step.prepare(QStringLiteral(
            "INSERT INTO requests_fts (rowid, headers, body) SELECT id, %1 FROM requests "
            "WHERE id > ? AND id <= ?")
                         .arg(SearchColumns));
        step.addBindValue(from);
        step.addBindValue(upTo);
        if (!step.exec())
            return Status::failure(
                QStringLiteral("cannot index the log for search: %1").arg(error(step)));
        indexed = step.numRowsAffected();
        step.prepare(QStringLiteral("UPDATE meta SET value = ? WHERE key = 'search_indexed_id'"));
        step.addBindValue(QString::number(upTo));
        if (!step.exec())
            return Status::failure(error(step));
        return {};
    });
    exec(QStringLiteral("PRAGMA synchronous = FULL"));
    if (!status)
        return Result<qint64>::failure(status.error());
    return indexed;
}

Result<qint64> Store::searchIndexedUpTo()
{
    if (m_dialect.kind() != SqlDialect::Kind::Sqlite)
        return newestRequestId();
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_id'")))
        return Result<qint64>::failure(error(query));
    return query.next() ? query.value(0).toLongLong() : 0;
}

Status Store::prepareSearch(const RequestFilter &filter)
{
    if (filter.search.trimmed().isEmpty() || m_dialect.kind() != SqlDialect::Kind::Sqlite)
        return {}; // PostgreSQL's search text is written with the row: nothing is pending
    // Nothing is indexed here: the rows above the mark are matched as they are read, at a
    // fraction of what indexing them would cost, and without taking the write lock.
    const Result<qint64> mark = searchIndexedUpTo();
    if (!mark)
        return Status::failure(mark.error());
    m_searchIndexedUpTo = *mark;
    return {};
}

Result<QList<qint64>> Store::idsWhere(const RequestFilter &filter, Access access, int limit)
{
    using Ids = QList<qint64>;
    if (limit <= 0 || (filter.beforeId > 0 && filter.beforeId <= filter.afterId + 1))
        return Ids();
    const auto read = [&](SearchPart part, int most) -> Result<Ids> {
        const FilterQuery built = filterQuery(filter, QStringLiteral("r.id"), true, access, part);
        if (built.matchesNothing)
            return Ids();
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        // Along a time index the ids need sorting anyway; "+" keeps SQLite from walking the
        // whole table in id order instead just to skip that sort.
        const QString order = access == Access::AlongTime ? u'+' + built.idColumn : built.idColumn;
        const QString direction
            = filter.oldestFirst ? QStringLiteral("ASC") : QStringLiteral("DESC");
        if (!execWith(query,
                built.sql + QStringLiteral(" ORDER BY %1 %2 LIMIT ?").arg(order, direction),
                built.binds + QVariantList { QVariant(most) }))
            return Result<Ids>::failure(error(query));
        Ids out;
        while (query.next())
            out.append(query.value(0).toLongLong());
        return out;
    };
    if (filter.search.trimmed().isEmpty() || m_dialect.kind() != SqlDialect::Kind::Sqlite)
        return read(SearchPart::Both, limit);
    // Every pending id is above every indexed one: the two parts follow each other in order,
    // and the second is read only when the first did not fill the page.
    const SearchPart first = filter.oldestFirst ? SearchPart::Indexed : SearchPart::Pending;
    const SearchPart second = filter.oldestFirst ? SearchPart::Pending : SearchPart::Indexed;
    Result<Ids> ids = read(first, limit);
    if (!ids || ids->size() >= limit)
        return ids;
    const Result<Ids> more = read(second, limit - int(ids->size()));
    if (!more)
        return more;
    ids.value() += *more;
    return ids;
}

// The ids of one page, newest first. The log is nearly, not strictly, in time order (ids follow
// commits, times follow arrival, and clocks get set back), so a time range maps to an id range
// only approximately. Two index seeks estimate it; the rows inside it are read along the ids,
// which stops as soon as the page is full, and the few that may lie outside it come from the
// time index. The three id ranges are disjoint and in order, so their rows simply follow.
Result<QList<qint64>> Store::pageIds(const RequestFilter &filter, int limit)
{
    using Ids = QList<qint64>;
    if (Status status = prepareSearch(filter); !status)
        return Result<Ids>::failure(status.error());
    // A search reads the FTS index newest first; nothing to choose.
    if ((filter.sinceMicros == 0 && filter.untilMicros == 0) || !filter.search.trimmed().isEmpty())
        return idsWhere(filter, Access::Plain, limit);

    const auto seek = [this](const QString &sql, qint64 micros, qint64 otherwise) -> qint64 {
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        query.prepare(sql);
        query.addBindValue(micros);
        return query.exec() && query.next() ? query.value(0).toLongLong() : otherwise;
    };
    const Result<qint64> newest = newestRequestId();
    if (!newest)
        return Result<Ids>::failure(newest.error());
    const qint64 low = filter.sinceMicros == 0
        ? 0
        : seek(QStringLiteral(
                   "SELECT id FROM requests WHERE received_at >= ? ORDER BY received_at LIMIT 1"),
            filter.sinceMicros, *newest + 1);
    const qint64 high = filter.untilMicros == 0
        ? *newest
        : seek(
            QStringLiteral(
                "SELECT id FROM requests WHERE received_at < ? ORDER BY received_at DESC LIMIT 1"),
            filter.untilMicros, 0);

    Ids out;
    const auto add = [&](qint64 above, qint64 below, Access access) -> Status {
        if (out.size() >= limit)
            return {};
        RequestFilter part = filter;
        part.afterId = std::max(filter.afterId, above);
        part.beforeId = filter.beforeId > 0 ? std::min(filter.beforeId, below) : below;
        if (part.beforeId <= 0)
            return {};
        const Result<Ids> ids = idsWhere(part, access, limit - int(out.size()));
        if (!ids)
            return Status::failure(ids.error());
        out += *ids;
        return {};
    };
    const qint64 end = std::numeric_limits<qint64>::max();
    // Three parts, in id order: newer than the estimated range (rows stamped earlier than their
    // neighbours), the range itself, older than it (rows stamped later than their neighbours).
    const auto newer
        = [&] { return filter.untilMicros != 0 ? add(high, end, Access::AlongTime) : Status(); };
    const auto inside
        = [&] { return add(low - 1, std::max<qint64>(low, high + 1), Access::AlongIds); };
    const auto older = [&] {
        return filter.sinceMicros != 0 && low > 1 ? add(0, low, Access::AlongTime) : Status();
    };
    Status status = filter.oldestFirst ? older() : newer();
    if (status)
        status = inside();
    if (status)
        status = filter.oldestFirst ? newer() : older();
    if (!status)
        return Result<Ids>::failure(status.error());
    return out;
}

Result<QList<LoggedRequest>> Store::selectRequests(const RequestFilter &filter, bool withBody)
{
    using Rows = QList<LoggedRequest>;
    const Result<QList<qint64>> ids = pageIds(filter, filter.limit);
    if (!ids)
        return Result<Rows>::failure(ids.error());
    if (ids->isEmpty())
        return Rows();
    QString columns = prefixedColumns(QStringLiteral("r."));
    if (!withBody)
        columns.replace(QStringLiteral("r.body,"), QStringLiteral("NULL,"));
    QStringList placeholders(ids->size(), QStringLiteral("?"));
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM requests r WHERE r.id IN (%2) ORDER BY r.id %3")
                      .arg(columns, placeholders.join(QStringLiteral(", ")),
                          filter.oldestFirst ? QStringLiteral("ASC") : QStringLiteral("DESC")));
    for (const qint64 id : *ids)
        query.addBindValue(id);
    if (!query.exec())
        return Result<Rows>::failure(error(query));
    Rows out;
    out.reserve(ids->size());
    while (query.next())
        out.append(requestFrom(query, withBody));
    return out;
}

Result<QList<LoggedRequest>> Store::requests(const RequestFilter &filter)
{
    return selectRequests(filter, true);
}

Result<QList<LoggedRequest>> Store::requestSummaries(const RequestFilter &filter)
{
    return selectRequests(filter, false);
}

Result<std::optional<LoggedRequest>> Store::request(qint64 id)
{
    using Found = std::optional<LoggedRequest>;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM requests WHERE id = ?").arg(RequestColumns));
    query.addBindValue(id);
    if (!query.exec())
        return Result<Found>::failure(error(query));
    if (!query.next())
        return Found();
    return Found(requestFrom(query, true));
}

Result<qint64> Store::countRequests(const RequestFilter &filter)
{
    if (Status status = prepareSearch(filter); !status)
        return Result<qint64>::failure(status.error());
    // "id < B" with B near the newest id (the console counts below the newest id it read) is a
    // walk of the whole table along its rows: seconds on a large log, where COUNT(*) without
    // it reads the smallest index. So count everything, less the few rows at or above B.
    const bool fromTheTop
        = filter.beforeId > 0 && filter.afterId == 0 && filter.search.trimmed().isEmpty();
    RequestFilter unbounded = filter;
    if (fromTheTop)
        unbounded.beforeId = 0;
    const FilterQuery built
        = filterQuery(unbounded, QStringLiteral("COUNT(*)"), true, Access::Plain);
    if (built.matchesNothing)
        return qint64(0);
    // Both counts read one snapshot: a commit between them would be subtracted, not counted.
    const bool snapshot = fromTheTop && m_db.transaction();
    const auto endSnapshot = qScopeGuard([&] {
        if (snapshot)
            m_db.rollback();
    });
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!execWith(query, built.sql, built.binds) || !query.next())
        return Result<qint64>::failure(error(query));
    qint64 count = query.value(0).toLongLong();
    query.finish();
    if (fromTheTop) {
        RequestFilter above = filter;
        above.beforeId = 0;
        above.afterId = filter.beforeId - 1;
        const FilterQuery newer
            = filterQuery(above, QStringLiteral("COUNT(*)"), true, Access::Plain);
        if (!execWith(query, newer.sql, newer.binds) || !query.next())
            return Result<qint64>::failure(error(query));
        count -= query.value(0).toLongLong();
    }
    return count;
}

Result<qint64> Store::countRequests(const QString &webhookId)
{
    RequestFilter filter;
    filter.webhookId = webhookId;
    return countRequests(filter);
}

Result<qint64> Store::newestRequestId()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT MAX(id) FROM requests")) || !query.next())
        return Result<qint64>::failure(error(query));
    return query.value(0).toLongLong(); // NULL (empty log) reads as 0
}

// Deletes the rows and what the search table holds of them, in one transaction.
Result<qint64> Store::deleteIds(const QList<qint64> &ids)
{
    qint64 removed = 0;
    const bool sqlite = m_dialect.kind() == SqlDialect::Kind::Sqlite;
    const Status status = immediateTransaction([&]() -> Status {
        qint64 indexedUpTo = 0;
        QSqlQuery query(m_db);
        if (sqlite) {
            if (!query.exec(QStringLiteral(
                    "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'search_indexed_id'")))
                return Status::failure(error(query));
            indexedUpTo = query.next() ? query.value(0).toLongLong() : 0;
            query.finish();
        }
        // A fixed number of placeholders keeps one statement text (and one plan) for every chunk;
        // the last chunk repeats its last id to fill it.
        QString placeholders = QStringLiteral("?");
        for (int i = 1; i < IdsPerStatement; ++i)
            placeholders += QStringLiteral(", ?");
        QSqlQuery forget(m_db);
        if (sqlite)
            forget.prepare(
                QStringLiteral("INSERT INTO requests_fts (requests_fts, rowid, headers, body) "
                               "SELECT 'delete', id, %1 FROM requests WHERE id <= ? AND id IN (%2)")
                    .arg(SearchColumns, placeholders));
        QSqlQuery remove(m_db);
        remove.prepare(QStringLiteral("DELETE FROM requests WHERE id IN (%1)").arg(placeholders));
        for (qsizetype from = 0; from < ids.size(); from += IdsPerStatement) {
            const auto bindChunk = [&](QSqlQuery &statement, int first) {
                for (int i = 0; i < IdsPerStatement; ++i)
                    statement.bindValue(first + i, ids.at(std::min(from + i, ids.size() - 1)));
            };
            if (sqlite && indexedUpTo > 0) {
                forget.bindValue(0, indexedUpTo);
                bindChunk(forget, 1);
                if (!forget.exec())
                    return Status::failure(
                        QStringLiteral("cannot remove rows from the search index: %1")
                            .arg(error(forget)));
            }
            bindChunk(remove, 0);
            if (!remove.exec())
                return Status::failure(error(remove));
            removed += remove.numRowsAffected();
        }
        return {};
    });
    if (!status)
        return Result<qint64>::failure(status.error());
    return removed;
}

// Deletes the rows whose ids the query selects; the query bounds how many.
Result<qint64> Store::deleteSelected(const QString &selectIds, const QVariantList &binds)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!execWith(query, selectIds, binds))
        return Result<qint64>::failure(error(query));
    QList<qint64> ids;
    while (query.next())
        ids.append(query.value(0).toLongLong());
    query.finish();
    return ids.isEmpty() ? Result<qint64>(qint64(0)) : deleteIds(ids);
}

Result<qint64> Store::deleteRequests(const QList<qint64> &ids)
{
    qint64 removed = 0;
    for (qsizetype from = 0; from < ids.size(); from += DeleteChunk) {
        const Result<qint64> chunk = deleteIds(ids.mid(from, DeleteChunk));
        if (!chunk)
            return chunk;
        removed += *chunk;
    }
    return removed;
}

Result<qint64> Store::deleteRequests(const RequestFilter &filter)
{
    qint64 removed = 0;
    RequestFilter rest = filter;
    for (;;) {
        // Newest first, a chunk at a time; the next pass goes on below the last id of this one
        // rather than reading again past the rows this one left (those that do not match).
        const Result<QList<qint64>> ids = pageIds(rest, DeleteChunk);
        if (!ids)
            return Result<qint64>::failure(ids.error());
        if (ids->isEmpty())
            return removed;
        const Result<qint64> chunk = deleteIds(*ids);
        if (!chunk)
            return chunk;
        removed += *chunk;
        rest.beforeId = ids->constLast();
    }
}

Result<QList<Store::Bucket>> Store::histogram(const RequestFilter &filter, int buckets)
{
    using Buckets = QList<Bucket>;
    if (buckets <= 0)
        return Buckets();
    if (Status status = prepareSearch(filter); !status)
        return Result<Buckets>::failure(status.error());
    qint64 since = filter.sinceMicros;
    qint64 until = filter.untilMicros;
    if (since == 0 || until == 0) {
        // The open ends come from the matching data itself.
        // MIN and MAX in one SELECT make SQLite scan the index; each alone is one seek.
        const FilterQuery lowest
            = filterQuery(filter, QStringLiteral("MIN(r.received_at)"), false, Access::Plain);
        const FilterQuery highest
            = filterQuery(filter, QStringLiteral("MAX(r.received_at)"), false, Access::Plain);
        if (lowest.matchesNothing)
            return Buckets();
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        if (!execWith(query, QStringLiteral("SELECT (%1), (%2)").arg(lowest.sql, highest.sql),
                lowest.binds + highest.binds)
            || !query.next())
            return Result<Buckets>::failure(error(query));
        if (query.value(0).isNull())
            return Buckets();
        if (since == 0)
            since = query.value(0).toLongLong();
        if (until == 0)
            until = query.value(1).toLongLong() + 1;
    }
    if (until <= since)
        return Buckets();
    const qint64 width = std::max<qint64>(1, (until - since + buckets - 1) / buckets);
    Buckets out;
    out.reserve(buckets);
    for (int i = 0; i < buckets; ++i)
        out.append({ since + i * width, 0, 0 });
    RequestFilter bounded = filter;
    bounded.sinceMicros = since;
    bounded.untilMicros = until;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!filter.search.trimmed().isEmpty()) {
        // One pass over the search's matches, grouped.
        const FilterQuery built = filterQuery(bounded,
            QStringLiteral("(r.received_at - ?) / ?, (r.status BETWEEN 200 AND 299), COUNT(*)"),
            false, Access::Plain);
        if (built.matchesNothing)
            return out;
        if (!execWith(query, built.sql + QStringLiteral(" GROUP BY 1, 2"),
                QVariantList { since, width } + built.binds))
            return Result<Buckets>::failure(error(query));
        while (query.next()) {
            const qint64 index = std::clamp<qint64>(query.value(0).toLongLong(), 0, buckets - 1);
            (query.value(1).toBool() ? out[index].accepted : out[index].rejected)
                += query.value(2).toLongLong();
        }
        return out;
    }
    // One count per bucket: each walks its own slice of a time index in order, where grouping
    // the whole range would sort every row of it.
    for (Bucket &bucket : out) {
        bounded.sinceMicros = bucket.startMicros;
        bounded.untilMicros = std::min(until, bucket.startMicros + width);
        const FilterQuery built = filterQuery(bounded,
            QStringLiteral(
                "COUNT(*), SUM(CASE WHEN r.status BETWEEN 200 AND 299 THEN 1 ELSE 0 END)"),
            false, Access::Plain);
        if (!execWith(query, built.sql, built.binds) || !query.next())
            return Result<Buckets>::failure(error(query));
        bucket.accepted = query.value(1).toLongLong();
        bucket.rejected = query.value(0).toLongLong() - bucket.accepted;
    }
    return out;
}

Result<Store::RetentionResult> Store::applyRetention(int days, qint64 keepCount)
{
    RetentionResult result;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (days > 0) {
        const qint64 cutoff = currentMicros() - qint64(days) * 24 * 3600 * 1000000;
        for (;;) {
            const Result<qint64> removed = deleteSelected(
                QStringLiteral(
                    "SELECT id FROM requests WHERE received_at < ? ORDER BY received_at LIMIT ?"),
                { cutoff, DeleteChunk });
            if (!removed)
                return Result<RetentionResult>::failure(removed.error());
            result.removedByAge += *removed;
            if (*removed < DeleteChunk)
                break;
        }
    }
    if (keepCount > 0) {
        if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM requests")) || !query.next())
            return Result<RetentionResult>::failure(error(query));
        qint64 excess = query.value(0).toLongLong() - keepCount;
        query.finish();
        // The oldest rows go first; rows arriving meanwhile are newer and stay.
        while (excess > 0) {
            const Result<qint64> removed
                = deleteSelected(QStringLiteral("SELECT id FROM requests ORDER BY id LIMIT ?"),
                    { std::min<qint64>(excess, DeleteChunk) });
            if (!removed)
                return Result<RetentionResult>::failure(removed.error());
            if (*removed == 0)
                break;
            result.removedByCount += *removed;
            excess -= *removed;
        }
    }
    return result;
}

Result<QHash<QString, WebhookActivity>> Store::webhookActivity(qint64 sinceMicros)
{
    using Activity = QHash<QString, WebhookActivity>;
    Activity out;
    // Both statements walk the (webhook_id, received_at) index once per webhook: MAX() is one
    // seek, the window a range; neither touches the rest of the log however large it is.
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT w.id, (SELECT MAX(r.received_at) FROM requests r WHERE r.webhook_id = w.id) "
        "FROM webhooks w"));
    if (!query.exec())
        return Result<Activity>::failure(error(query));
    while (query.next()) {
        WebhookActivity &activity = out[query.value(0).toString()];
        activity.lastRequestMicros = query.value(1).isNull() ? 0 : query.value(1).toLongLong();
        activity.buckets = QList<int>(WebhookActivity::BucketCount, 0);
    }
    // GROUP BY by position: PostgreSQL would not see two copies of a parameterised expression
    // as the same one.
    query.prepare(QStringLiteral("SELECT w.id, (r.received_at - ?) / ?, COUNT(*) FROM webhooks w "
                                 "JOIN requests r ON r.webhook_id = w.id AND r.received_at >= ? "
                                 "GROUP BY 1, 2"));
    query.addBindValue(sinceMicros);
    query.addBindValue(WebhookActivity::BucketMicros);
    query.addBindValue(sinceMicros);
    if (!query.exec())
        return Result<Activity>::failure(error(query));
    while (query.next()) {
        const auto it = out.find(query.value(0).toString());
        if (it == out.end())
            continue; // created between the two statements
        // Requests stamped after the window's end (a clock set back) count in its last hour.
        const qint64 bucket
            = std::clamp<qint64>(query.value(1).toLongLong(), 0, WebhookActivity::BucketCount - 1);
        const qint64 count = query.value(2).toLongLong();
        it->buckets[bucket] += int(std::min<qint64>(count, std::numeric_limits<int>::max()));
        it->count += count;
    }
    return out;
}

} // namespace Hooktrail
