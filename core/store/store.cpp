// The database connection: opening it, transactions, notifications and the write-ahead log.
#include "core/store/store.h"

#include "core/base/logging.h"
#include "core/base/privatefiles.h"
#include "core/store/searchtext.h"
#include "core/store/storesql.h"
#include "core/store/writeturn.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <sqlite3.h>

namespace Hooktrail {

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("hooktrail-%1").arg(counter.fetchAndAddRelaxed(1));
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

} // namespace

Store::Store(SqlDialect dialect, QString connectionName)
    : m_dialect(dialect)
    , m_connectionName(std::move(connectionName))
    , m_db(std::make_unique<QSqlDatabase>())
{ }

Store::~Store()
{
    m_log.forgetStatements();
    m_deliveries.forgetStatements();
    m_db->close();
    *m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<Store>> Store::openSqlite(const QString &path)
{
    const QFileInfo info(path);
    if (!PrivateFiles::createFolder(info.absolutePath()))
        return Result<std::unique_ptr<Store>>::failure(
            QCoreApplication::translate("Hooktrail::Store", "cannot create the data folder %1")
                .arg(info.absolutePath()));
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
    const QString canonical = QFileInfo(path).canonicalFilePath();
    store->m_writeTurn = WriteTurn::of(canonical.isEmpty() ? info.absoluteFilePath() : canonical);
    if (Status status = store->schema().migrate(); !status)
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
        return Opened::failure(QCoreApplication::translate("Hooktrail::Store",
            "%1 is not a PostgreSQL URL: expected "
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
    if (Status status = store->schema().migrate(); !status)
        return Opened::failure(status.error());
    return Opened(std::move(store));
}

Status Store::connect(const QString &what, const std::function<void(QSqlDatabase &)> &configure)
{
    if (!QSqlDatabase::isDriverAvailable(m_dialect.driverName()))
        return Status::failure(
            QCoreApplication::translate("Hooktrail::Store", "the Qt SQL driver %1 is not installed")
                .arg(m_dialect.driverName()));
    *m_db = QSqlDatabase::addDatabase(m_dialect.driverName(), m_connectionName);
    configure(*m_db);
    if (!m_db->open())
        return Status::failure(
            QCoreApplication::translate("Hooktrail::Store", "cannot open the database %1: %2")
                .arg(what, m_db->lastError().text()));
    for (const QString &statement : m_dialect.connectionSetup()) {
        if (Status status = exec(statement); !status)
            return status;
    }
    if (m_dialect.kind() == SqlDialect::Kind::Sqlite) {
        const QVariant handle = m_db->driver()->handle();
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
    QSqlQuery query(*m_db);
    if (!query.exec(sql))
        return Status::failure(
            QCoreApplication::translate("Hooktrail::Store", "database error: %1 (in: %2)")
                .arg(error(query), sql.left(80)));
    return {};
}

Status Store::transaction(const std::function<Status()> &work)
{
    // SQLite: every transaction here writes. Taking the write lock at its start lets a busy
    // database be waited for; a deferred one that read first and then writes fails at once
    // when another connection wrote meanwhile (the log writer, a deliverer).
    if (m_dialect.kind() == SqlDialect::Kind::Sqlite)
        return immediateTransaction(work);
    if (!m_db->transaction())
        return Status::failure(QCoreApplication::translate(
            "Hooktrail::Store", "database error: cannot start a transaction: %1")
                                   .arg(m_db->lastError().text()));
    Status status = work();
    if (status && !m_db->commit())
        status = Status::failure(
            QCoreApplication::translate("Hooktrail::Store", "database error: commit failed: %1")
                .arg(m_db->lastError().text()));
    if (!status)
        m_db->rollback();
    return status;
}

Status Store::setRelaxedDurability()
{
    return exec(m_dialect.kind() == SqlDialect::Kind::Sqlite
            ? QStringLiteral("PRAGMA synchronous = NORMAL")
            : QStringLiteral("SET synchronous_commit = off"));
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
    if (m_dialect.kind() != SqlDialect::Kind::Postgres || !m_db->isOpen())
        return false;
    QSqlDriver *driver = m_db->driver();
    if (!driver->subscribeToNotification(channel))
        return false;
    QObject::connect(
        driver, &QSqlDriver::notification, context, [channel, notified](const QString &name) {
            if (name == channel)
                notified();
        });
    return true;
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
    QSqlQuery query(*m_db);
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
    const QVariant handle = m_db->driver()->handle();
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
    return m_dialect.kind() == SqlDialect::Kind::Sqlite ? m_db->databaseName() : QString();
}

Result<QList<qint64>> Store::idsWithPrefix(
    const QString &table, const char *mark, const QString &prefix)
{
    QSqlQuery query(*m_db);
    query.prepare(QStringLiteral("SELECT id FROM %1 WHERE prefix = ? OR prefix = ?").arg(table));
    query.addBindValue(prefix);
    query.addBindValue(QString::fromLatin1(mark) + prefix);
    if (!query.exec())
        return Result<QList<qint64>>::failure(error(query));
    QList<qint64> ids;
    while (query.next())
        ids.append(query.value(0).toLongLong());
    return ids;
}

Result<qint64> Store::databaseBytes()
{
    if (m_dialect.kind() == SqlDialect::Kind::Sqlite) {
        const QString file = databaseFile();
        return QFileInfo(file).size() + QFileInfo(file + QStringLiteral("-wal")).size();
    }
    QSqlQuery query(*m_db);
    if (!query.exec(QStringLiteral("SELECT pg_database_size(current_database())")) || !query.next())
        return Result<qint64>::failure(error(query));
    return query.value(0).toLongLong();
}

Status Store::immediateTransaction(const std::function<Status()> &work)
{
    if (m_dialect.kind() != SqlDialect::Kind::Sqlite)
        return transaction(work); // PostgreSQL's own locks order its writers
    // This process's writers to the file in turn (see m_writeTurn); then IMMEDIATE takes the
    // write lock at once: what is read inside (the indexed id, the rows to delete) cannot change
    // before the writes that depend on it.
    if (m_writeTurn)
        m_writeTurn->acquire(m_writesFirst);
    const auto endTurn = qScopeGuard([this] {
        if (m_writeTurn)
            m_writeTurn->release();
    });
    if (Status status = exec(QStringLiteral("BEGIN IMMEDIATE")); !status)
        return status;
    Status status = work();
    if (status)
        status = exec(QStringLiteral("COMMIT"));
    if (!status)
        exec(QStringLiteral("ROLLBACK"));
    return status;
}

} // namespace Hooktrail
