// Reading the request log: one filter for pages, counts, the chart and webhook activity.
#include "core/store/requestqueries.h"

#include "core/store/searchtext.h"
#include "core/store/store.h"
#include "core/store/storesql.h"

#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlQuery>

namespace Hooktrail {

namespace {

QByteArray fromText(const QString &text)
{
    return text.toUtf8();
}

const QString RequestColumns = QStringLiteral(
    "id, received_at, webhook_id, method, path, query, http_version, headers, body, "
    "body_truncated, "
    "body_size, content_type, client_address, forwarded_for, status, reason, reason_detail, "
    "handling_micros, instance, api_key_id");

// With the request's deliveries together, the highest of their states.
QString prefixedColumns(const QString &alias)
{
    QStringList columns = RequestColumns.split(QStringLiteral(", "));
    for (QString &column : columns)
        column.prepend(alias);
    columns.append(
        QStringLiteral("(SELECT MAX(x.state) FROM deliveries x WHERE x.request_id = %1id)")
            .arg(alias));
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
    entry.delivery = DeliveryState(query.value(20).toInt()); // NULL: none
    return entry;
}

} // namespace

struct RequestQueries::FilterQuery
{
    QString sql; // SELECT columns FROM ... WHERE ..., without ORDER BY
    QVariantList binds;
    QString idColumn; // what to order and page by
    bool matchesNothing = false;
};

// One WHERE for every way of reading the log, so a filter means the same in the table, the
// count, the histogram, deletion and export. With a search, the FTS table leads (CROSS JOIN
// fixes the order): it yields matching ids newest first and takes the id bounds itself.
RequestQueries::FilterQuery RequestQueries::filterQuery(const RequestFilter &filter,
    const QString &columns, bool withKeys, Access access, SearchPart part) const
{
    FilterQuery out;
    QStringList where;
    std::optional<SearchPart> searching; // SQLite's search, and which part of it
    bool pendingMatch = false;
    if (!filter.search.trimmed().isEmpty()
        && m_store.dialect().kind() == SqlDialect::Kind::Postgres) {
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
    // A request's deliveries together are the highest of their states (ARCHITECTURE §5.5).
    if (filter.delivery == DeliveryState::None) {
        where << QStringLiteral(
            "NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.request_id = r.id)");
    } else if (filter.delivery) {
        where << QStringLiteral(
            "(SELECT MAX(x.state) FROM deliveries x WHERE x.request_id = r.id) = ?");
        out.binds << int(*filter.delivery);
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
    else if (access == Access::AlongTime && m_store.dialect().kind() == SqlDialect::Kind::Sqlite)
        from += filter.webhookId.isEmpty() ? QStringLiteral(" INDEXED BY requests_time")
                                           : QStringLiteral(" INDEXED BY requests_webhook_time");
    out.sql = QStringLiteral("SELECT %1 FROM %2").arg(columns, from);
    if (!where.isEmpty())
        out.sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    return out;
}

Status RequestQueries::prepareSearch(const RequestFilter &filter)
{
    if (filter.search.trimmed().isEmpty() || m_store.dialect().kind() != SqlDialect::Kind::Sqlite)
        return {}; // PostgreSQL's search text is written with the row: nothing is pending
    // Nothing is indexed here: the rows above the mark are matched as they are read, at a
    // fraction of what indexing them would cost, and without taking the write lock.
    const Result<qint64> mark = m_store.search().indexedUpTo();
    if (!mark)
        return Status::failure(mark.error());
    m_searchIndexedUpTo = *mark;
    return {};
}

Result<QList<qint64>> RequestQueries::idsWhere(
    const RequestFilter &filter, Access access, int limit)
{
    using Ids = QList<qint64>;
    if (limit <= 0 || (filter.beforeId > 0 && filter.beforeId <= filter.afterId + 1))
        return Ids();
    const auto read = [&](SearchPart part, int most) -> Result<Ids> {
        const FilterQuery built = filterQuery(filter, QStringLiteral("r.id"), true, access, part);
        if (built.matchesNothing)
            return Ids();
        QSqlQuery query(m_store.database());
        query.setForwardOnly(true);
        // Along a time index the ids need sorting anyway; "+" keeps SQLite from walking the
        // whole table in id order instead just to skip that sort.
        const QString order = access == Access::AlongTime ? u'+' + built.idColumn : built.idColumn;
        const QString direction
            = filter.oldestFirst ? QStringLiteral("ASC") : QStringLiteral("DESC");
        if (!execWith(query,
                built.sql + QStringLiteral(" ORDER BY %1 %2 LIMIT ?").arg(order, direction),
                built.binds + QVariantList { QVariant(most) }))
            return Result<Ids>::failure(m_store.error(query));
        Ids out;
        while (query.next())
            out.append(query.value(0).toLongLong());
        return out;
    };
    if (filter.search.trimmed().isEmpty() || m_store.dialect().kind() != SqlDialect::Kind::Sqlite)
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
Result<QList<qint64>> RequestQueries::pageIds(const RequestFilter &filter, int limit)
{
    using Ids = QList<qint64>;
    if (Status status = prepareSearch(filter); !status)
        return Result<Ids>::failure(status.error());
    // A search reads the FTS index newest first; nothing to choose.
    if ((filter.sinceMicros == 0 && filter.untilMicros == 0) || !filter.search.trimmed().isEmpty())
        return idsWhere(filter, Access::Plain, limit);

    const auto seek = [this](const QString &sql, qint64 micros, qint64 otherwise) -> qint64 {
        QSqlQuery query(m_store.database());
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

Result<QList<LoggedRequest>> RequestQueries::selectRequests(
    const RequestFilter &filter, bool withBody)
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
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM requests r WHERE r.id IN (%2) ORDER BY r.id %3")
                      .arg(columns, placeholders.join(QStringLiteral(", ")),
                          filter.oldestFirst ? QStringLiteral("ASC") : QStringLiteral("DESC")));
    for (const qint64 id : *ids)
        query.addBindValue(id);
    if (!query.exec())
        return Result<Rows>::failure(m_store.error(query));
    Rows out;
    out.reserve(ids->size());
    while (query.next())
        out.append(requestFrom(query, withBody));
    return out;
}

Result<QList<LoggedRequest>> RequestQueries::requests(const RequestFilter &filter)
{
    return selectRequests(filter, true);
}

Result<QList<LoggedRequest>> RequestQueries::requestSummaries(const RequestFilter &filter)
{
    return selectRequests(filter, false);
}

Result<std::optional<LoggedRequest>> RequestQueries::request(qint64 id)
{
    using Found = std::optional<LoggedRequest>;
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM requests r WHERE r.id = ?")
                      .arg(prefixedColumns(QStringLiteral("r."))));
    query.addBindValue(id);
    if (!query.exec())
        return Result<Found>::failure(m_store.error(query));
    if (!query.next())
        return Found();
    return Found(requestFrom(query, true));
}

Result<qint64> RequestQueries::countRequests(const RequestFilter &filter)
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
    const bool snapshot = fromTheTop && m_store.database().transaction();
    const auto endSnapshot = qScopeGuard([&] {
        if (snapshot)
            m_store.database().rollback();
    });
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    if (!execWith(query, built.sql, built.binds) || !query.next())
        return Result<qint64>::failure(m_store.error(query));
    qint64 count = query.value(0).toLongLong();
    query.finish();
    if (fromTheTop) {
        RequestFilter above = filter;
        above.beforeId = 0;
        above.afterId = filter.beforeId - 1;
        const FilterQuery newer
            = filterQuery(above, QStringLiteral("COUNT(*)"), true, Access::Plain);
        if (!execWith(query, newer.sql, newer.binds) || !query.next())
            return Result<qint64>::failure(m_store.error(query));
        count -= query.value(0).toLongLong();
    }
    return count;
}

Result<qint64> RequestQueries::countRequests(const QString &webhookId)
{
    RequestFilter filter;
    filter.webhookId = webhookId;
    return countRequests(filter);
}

Result<qint64> RequestQueries::newestRequestId()
{
    QSqlQuery query(m_store.database());
    if (!query.exec(QStringLiteral("SELECT MAX(id) FROM requests")) || !query.next())
        return Result<qint64>::failure(m_store.error(query));
    return query.value(0).toLongLong(); // NULL (empty log) reads as 0
}

Result<QList<HistogramBucket>> RequestQueries::histogram(const RequestFilter &filter, int buckets)
{
    using Buckets = QList<HistogramBucket>;
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
        QSqlQuery query(m_store.database());
        query.setForwardOnly(true);
        if (!execWith(query, QStringLiteral("SELECT (%1), (%2)").arg(lowest.sql, highest.sql),
                lowest.binds + highest.binds)
            || !query.next())
            return Result<Buckets>::failure(m_store.error(query));
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
    QSqlQuery query(m_store.database());
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
            return Result<Buckets>::failure(m_store.error(query));
        while (query.next()) {
            const qint64 index = std::clamp<qint64>(query.value(0).toLongLong(), 0, buckets - 1);
            (query.value(1).toBool() ? out[index].accepted : out[index].rejected)
                += query.value(2).toLongLong();
        }
        return out;
    }
    // One count per bucket: each walks its own slice of a time index in order, where grouping
    // the whole range would sort every row of it.
    for (HistogramBucket &bucket : out) {
        bounded.sinceMicros = bucket.startMicros;
        bounded.untilMicros = std::min(until, bucket.startMicros + width);
        const FilterQuery built = filterQuery(bounded,
            QStringLiteral(
                "COUNT(*), SUM(CASE WHEN r.status BETWEEN 200 AND 299 THEN 1 ELSE 0 END)"),
            false, Access::Plain);
        if (!execWith(query, built.sql, built.binds) || !query.next())
            return Result<Buckets>::failure(m_store.error(query));
        bucket.accepted = query.value(1).toLongLong();
        bucket.rejected = query.value(0).toLongLong() - bucket.accepted;
    }
    return out;
}

Result<QHash<QString, WebhookActivity>> RequestQueries::webhookActivity(qint64 sinceMicros)
{
    using Activity = QHash<QString, WebhookActivity>;
    Activity out;
    // Both statements walk the (webhook_id, received_at) index once per webhook: MAX() is one
    // seek, the window a range; neither touches the rest of the log however large it is.
    QSqlQuery query(m_store.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT w.id, (SELECT MAX(r.received_at) FROM requests r WHERE r.webhook_id = w.id) "
        "FROM webhooks w"));
    if (!query.exec())
        return Result<Activity>::failure(m_store.error(query));
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
        return Result<Activity>::failure(m_store.error(query));
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
