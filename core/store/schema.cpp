// The database schema: its version and the steps that bring an older database up to it.
#include "core/store/schema.h"

#include "core/base/logging.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace Hooktrail {

namespace {

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
            // SearchIndex::indexPending() up to the id kept in meta, never by a trigger on insert.
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
        {
            // A webhook may accept a body of any content type, unchecked (ARCHITECTURE §5.2);
            // every webhook there was keeps the contract's content checks.
            QStringLiteral("ALTER TABLE webhooks ADD COLUMN accept_any_content_type INTEGER NOT "
                           "NULL DEFAULT 0"),
        },
        {
            // Destinations and the delivery outbox (ARCHITECTURE §5.5). A delivery's state is
            // a DeliveryState value; a request's deliveries together read as the highest.
            QStringLiteral(
                "CREATE TABLE destinations (id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, "
                "seq BIGINT NOT NULL, name TEXT NOT NULL, url TEXT NOT NULL, "
                "enabled INTEGER NOT NULL, headers TEXT NOT NULL, timeout_ms INTEGER NOT NULL, "
                "max_attempts INTEGER NOT NULL, max_age_seconds BIGINT NOT NULL, "
                "forward_path INTEGER NOT NULL, created_at BIGINT NOT NULL, "
                "updated_at BIGINT NOT NULL, failures_in_row INTEGER NOT NULL DEFAULT 0, "
                "breaker_open INTEGER NOT NULL DEFAULT 0, probe_at BIGINT, "
                "last_success_at BIGINT, last_failure_at BIGINT, last_error TEXT)"),
            QStringLiteral("CREATE INDEX destinations_webhook ON destinations (webhook_id, seq)"),
            QStringLiteral("CREATE TABLE deliveries (id {ID}, request_id BIGINT NOT NULL, "
                           "destination_id TEXT NOT NULL, state INTEGER NOT NULL, "
                           "attempts INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, "
                           "next_attempt_at BIGINT, lease_owner TEXT, lease_until BIGINT, "
                           "last_status INTEGER, last_error TEXT, finished_at BIGINT, "
                           "UNIQUE (request_id, destination_id))"),
            // The deliverers' work list: only deliveries not ended, by destination and time.
            QStringLiteral("CREATE INDEX deliveries_due ON deliveries (destination_id, "
                           "next_attempt_at) WHERE state IN (2, 3)"),
            QStringLiteral(
                "CREATE INDEX deliveries_destination ON deliveries (destination_id, id)"),
            QStringLiteral("CREATE TABLE delivery_attempts (id {ID}, delivery_id BIGINT NOT NULL, "
                           "number INTEGER NOT NULL, started_at BIGINT NOT NULL, "
                           "duration_micros BIGINT NOT NULL, status INTEGER NOT NULL, error TEXT, "
                           "response_headers TEXT NOT NULL, response_body {BLOB}, "
                           "response_cut INTEGER NOT NULL, owner TEXT NOT NULL)"),
            QStringLiteral(
                "CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id)"),
        },
        {
            // How a webhook tells its sender, and what it answers (ARCHITECTURE §5.6): every
            // webhook there was keeps the API key and the contract's JSON. The secrets have a
            // column of their own, read only to verify.
            QStringLiteral("ALTER TABLE webhooks ADD COLUMN authentication TEXT NOT NULL "
                           "DEFAULT 'key'"),
            QStringLiteral("ALTER TABLE webhooks ADD COLUMN verification TEXT"),
            QStringLiteral("ALTER TABLE webhooks ADD COLUMN secrets TEXT"),
            QStringLiteral("ALTER TABLE webhooks ADD COLUMN response TEXT"),
        },
        {
            // The local API's tokens (ARCHITECTURE §5.7), apart from the ingest keys: neither
            // opens what the other does.
            QStringLiteral(
                "CREATE TABLE api_tokens (id {ID}, name TEXT NOT NULL, prefix TEXT NOT NULL, "
                "hash {BLOB} NOT NULL UNIQUE, read_only INTEGER NOT NULL, "
                "created_at BIGINT NOT NULL, last_used_at BIGINT, "
                "revoked INTEGER NOT NULL DEFAULT 0)"),
        },
    };
    return steps;
}

} // namespace

Result<int> Schema::version()
{
    QSqlQuery query(m_store.database());
    if (!query.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")))
        return Result<int>::failure(m_store.error(query));
    return query.next() ? query.value(0).toInt() : 0;
}

Status Schema::migrate()
{
    if (Status status = m_store.exec(QStringLiteral(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
        !status)
        return status;
    return m_store.transaction([this]() -> Status {
        // Read inside the transaction so two processes opening a new file do not both migrate.
        if (m_store.dialect().kind() == SqlDialect::Kind::Sqlite) {
            if (Status status = m_store.exec(
                    QStringLiteral("UPDATE meta SET value = value WHERE key = 'schema_version'"));
                !status)
                return status;
        }
        const Result<int> current = version();
        if (!current)
            return Status::failure(current.error());
        if (*current > Version)
            return Status::failure(QCoreApplication::translate("Hooktrail::Schema",
                "the database has schema version %1, newer than this Hooktrail (%2); "
                "use a newer Hooktrail")
                                       .arg(*current)
                                       .arg(Version));
        for (int version = *current; version < Version; ++version) {
            for (const QString &statement : migrations().at(version)) {
                // Full-text search is SQLite's FTS5 there, PostgreSQL's own here.
                const bool postgres = m_store.dialect().kind() == SqlDialect::Kind::Postgres;
                if (postgres && statement.contains(QStringLiteral("requests_fts")))
                    continue;
                QString sql = statement;
                if (sql.startsWith(QLatin1String("{POSTGRES}"))) {
                    if (!postgres)
                        continue;
                    sql = sql.mid(10);
                }
                if (Status status = m_store.exec(m_store.dialect().schema(sql)); !status)
                    return status;
            }
        }
        if (*current != Version) {
            QSqlQuery query(m_store.database());
            query.prepare(QStringLiteral("DELETE FROM meta WHERE key = 'schema_version'"));
            query.exec();
            query.prepare(
                QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema_version', ?)"));
            query.addBindValue(QString::number(Version));
            if (!query.exec())
                return Status::failure(m_store.error(query));
            qCDebug(lcStore) << "database schema brought from version" << *current << "to"
                             << Version;
        }
        return {};
    });
}

} // namespace Hooktrail
