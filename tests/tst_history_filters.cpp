// Tests for the request history in Store: filters, counts, paging by key, time ranges and the
// histogram, against a real SQLite file and on PostgreSQL.
#include "core/store/store.h"
#include "historytest.h"
#include "sqltestsupport.h"

#include <QTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_HistoryFilters : public HistoryTest
{
    Q_OBJECT
public:
    explicit tst_HistoryFilters(bool postgres = false) : HistoryTest(u"history_filters"_s, postgres)
    { }

private slots:
    void filters_data();
    void filters();
    void countMatchesFilter_data();
    void countMatchesFilter();
    void summariesLeaveTheBodyOut();
    void singleRequestAndNewestId();
    void pagingByKeyAcrossDeletion();
    void afterIdFollowsNewRows();
    void timeRangeWithClockChanges_data();
    void timeRangeWithClockChanges();
    void histogram_data();
    void histogram();
    void histogramOverTheDataRange();
};

// The same queries on PostgreSQL, under a name of their own in the output.
class tst_HistoryFiltersPostgres final : public tst_HistoryFilters
{
    Q_OBJECT
public:
    tst_HistoryFiltersPostgres() : tst_HistoryFilters(true) { }
};

void tst_HistoryFilters::filters_data()
{
    QTest::addColumn<RequestFilter>("filter");
    QTest::addColumn<QString>("before"); // label whose id is beforeId
    QTest::addColumn<QString>("after"); // label whose id is afterId
    QTest::addColumn<QStringList>("expected"); // newest first

    const auto row = [](const char *name, RequestFilter filter, const QStringList &expected,
                         const QString &before = {}, const QString &after = {}) {
        QTest::newRow(name) << filter << before << after << expected;
    };
    const auto split = [](const QString &text) { return text.split(u' ', Qt::SkipEmptyParts); };
    RequestFilter f;
    row("everything", f, split(u"b3 a3 u1 b2 b1 a2 a1"_s));
    row("webhook A", withWebhook(WebhookA), split(u"a3 a2 a1"_s));
    f = {};
    f.outcome = RequestFilter::Outcome::Accepted;
    row("accepted", f, split(u"b3 b1 a1"_s));
    f.outcome = RequestFilter::Outcome::Rejected;
    row("rejected", f, split(u"a3 u1 b2 a2"_s));
    f = {};
    f.reason = "invalid_json";
    row("reason", f, split(u"b2"_s));
    f = {};
    f.method = "POST";
    row("method", f, split(u"a3 b2 b1 a1"_s));
    f = {};
    f.status = 401;
    row("status", f, split(u"a2"_s));
    f = {};
    f.sinceMicros = T0 + 2 * Hour;
    row("since (inclusive)", f, split(u"b3 a3 u1 b2 b1"_s));
    f = {};
    f.untilMicros = T0 + 2 * Hour;
    row("until (exclusive)", f, split(u"a2 a1"_s));
    f.sinceMicros = T0 + Hour;
    f.untilMicros = T0 + 5 * Hour;
    row("since and until", f, split(u"u1 b2 b1 a2"_s));
    f = withWebhook(WebhookB);
    f.outcome = RequestFilter::Outcome::Accepted;
    row("webhook B + accepted", f, split(u"b3 b1"_s));
    f = withWebhook(WebhookA);
    f.outcome = RequestFilter::Outcome::Rejected;
    f.method = "POST";
    row("webhook A + rejected + POST", f, split(u"a3"_s));
    f = withWebhook(WebhookA);
    f.sinceMicros = T0 + Hour;
    f.untilMicros = T0 + 5 * Hour;
    row("webhook A + time range", f, split(u"a2"_s));
    f = {};
    f.outcome = RequestFilter::Outcome::Accepted;
    f.method = "PATCH";
    row("accepted + PATCH", f, split(u"b3"_s));
    f = {};
    f.status = 200;
    f.outcome = RequestFilter::Outcome::Rejected;
    row("contradiction", f, {});
    f = {};
    f.reason = "invalid_json";
    f.status = 400;
    f.webhookId = WebhookB;
    f.method = "POST";
    f.outcome = RequestFilter::Outcome::Rejected;
    f.sinceMicros = T0;
    f.untilMicros = T0 + 6 * Hour;
    row("every field", f, split(u"b2"_s));
    row("unknown webhook", withWebhook(u"cccccccc-0000-4000-8000-000000000003"_s), {});
    f = {};
    f.limit = 2;
    row("limit", f, split(u"b3 a3"_s));
    f = {};
    row("before u1", f, split(u"b2 b1 a2 a1"_s), u"u1"_s);
    row("after b1", f, split(u"b3 a3 u1 b2"_s), {}, u"b1"_s);
    row("between a1 and a3", f, split(u"u1 b2 b1 a2"_s), u"a3"_s, u"a1"_s);
    f = withWebhook(WebhookA);
    row("webhook A before a3", f, split(u"a2 a1"_s), u"a3"_s);
    f = {};
    f.outcome = RequestFilter::Outcome::Rejected;
    f.limit = 2;
    row("rejected, limit 2, before a3", f, split(u"u1 b2"_s), u"a3"_s);
    f = {};
    f.sinceMicros = T0 + Hour;
    row("since, after b2", f, split(u"b3 a3 u1"_s), {}, u"b2"_s);
}

void tst_HistoryFilters::filters()
{
    QFETCH(RequestFilter, filter);
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(QStringList, expected);
    append(filterRows());
    if (!before.isEmpty())
        filter.beforeId = m_ids.value(before);
    if (!after.isEmpty())
        filter.afterId = m_ids.value(after);

    const Result<QList<LoggedRequest>> rows = m_store->queries().requests(filter);
    VERIFY_OK(rows);
    QCOMPARE(labels(*rows), expected);
    const Result<QList<LoggedRequest>> summaries = m_store->queries().requestSummaries(filter);
    VERIFY_OK(summaries);
    QCOMPARE(labels(*summaries), expected);
}

void tst_HistoryFilters::countMatchesFilter_data()
{
    filters_data();
}

void tst_HistoryFilters::countMatchesFilter()
{
    QFETCH(RequestFilter, filter);
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(QStringList, expected);
    append(filterRows());
    if (!before.isEmpty())
        filter.beforeId = m_ids.value(before);
    if (!after.isEmpty())
        filter.afterId = m_ids.value(after);
    const int limit = filter.limit;
    filter.limit = 1000; // a count is not limited: compare with every matching row
    const Result<QList<LoggedRequest>> rows = m_store->queries().requests(filter);
    VERIFY_OK(rows);
    if (limit == 100)
        QCOMPARE(rows->size(), expected.size());
    const Result<qint64> count = m_store->queries().countRequests(filter);
    VERIFY_OK(count);
    QCOMPARE(*count, qint64(rows->size()));
}

void tst_HistoryFilters::summariesLeaveTheBodyOut()
{
    Row big { u"big"_s, WebhookA, "POST", 200, "accepted", T0,
        "{\"data\":\"" + QByteArray(5000, 'x') + "\"}" };
    append({ big });
    const Result<QList<LoggedRequest>> summaries = m_store->queries().requestSummaries({});
    VERIFY_OK(summaries);
    QCOMPARE(summaries->size(), 1);
    const LoggedRequest &summary = summaries->first();
    QVERIFY(summary.body.isEmpty());
    QCOMPARE(summary.bodySize, qint64(big.body.size()));
    QCOMPARE(summary.headers, entryFor(big).headers);
    QCOMPARE(summary.status, 200);
    QCOMPARE(summary.reason, "accepted"_ba);
    QCOMPARE(summary.webhookId, WebhookA);

    const Result<QList<LoggedRequest>> full = m_store->queries().requests({});
    VERIFY_OK(full);
    QCOMPARE(full->first().body, big.body);
}

void tst_HistoryFilters::singleRequestAndNewestId()
{
    Result<qint64> newest = m_store->queries().newestRequestId();
    VERIFY_OK(newest);
    QCOMPARE(*newest, qint64(0));

    append(filterRows());
    newest = m_store->queries().newestRequestId();
    VERIFY_OK(newest);
    QCOMPARE(*newest, m_ids.value(u"b3"_s));

    const Result<std::optional<LoggedRequest>> found
        = m_store->queries().request(m_ids.value(u"b2"_s));
    VERIFY_OK(found);
    QVERIFY(found->has_value());
    const LoggedRequest &entry = **found;
    const LoggedRequest expected = entryFor(filterRows().at(3));
    QCOMPARE(entry.id, m_ids.value(u"b2"_s));
    QCOMPARE(entry.method, expected.method);
    QCOMPARE(entry.body, expected.body);
    QCOMPARE(entry.headers, expected.headers);
    QCOMPARE(entry.receivedAtMicros, expected.receivedAtMicros);
    QCOMPARE(entry.reason, expected.reason);

    const Result<std::optional<LoggedRequest>> missing = m_store->queries().request(*newest + 1);
    VERIFY_OK(missing);
    QVERIFY(!missing->has_value());
}

void tst_HistoryFilters::pagingByKeyAcrossDeletion()
{
    QList<Row> rows;
    for (int i = 0; i < 10; ++i)
        rows.append({ u"r%1"_s.arg(i), WebhookA, "POST", 200, "accepted", T0 + i * Hour });
    append(rows);

    RequestFilter filter;
    filter.limit = 3;
    const Result<QList<LoggedRequest>> first = m_store->queries().requestSummaries(filter);
    VERIFY_OK(first);
    QCOMPARE(labels(*first), (QStringList { u"r9"_s, u"r8"_s, u"r7"_s }));

    // Rows vanish meanwhile: one already shown, one at the edge of the next page, one further.
    const Result<qint64> removed
        = m_store->retention().deleteRequests(idsOf({ u"r8"_s, u"r6"_s, u"r3"_s }));
    VERIFY_OK(removed);
    QCOMPARE(*removed, qint64(3));

    // Paging by key goes on exactly where it stopped: no row twice, none skipped.
    filter.beforeId = first->last().id;
    const Result<QList<LoggedRequest>> second = m_store->queries().requestSummaries(filter);
    VERIFY_OK(second);
    QCOMPARE(labels(*second), (QStringList { u"r5"_s, u"r4"_s, u"r2"_s }));
    filter.beforeId = second->last().id;
    const Result<QList<LoggedRequest>> third = m_store->queries().requestSummaries(filter);
    VERIFY_OK(third);
    QCOMPARE(labels(*third), (QStringList { u"r1"_s, u"r0"_s }));
    filter.beforeId = third->last().id;
    const Result<QList<LoggedRequest>> end = m_store->queries().requestSummaries(filter);
    VERIFY_OK(end);
    QVERIFY(end->isEmpty());

    // Deleting what is already gone removes nothing.
    const Result<qint64> again = m_store->retention().deleteRequests(idsOf({ u"r8"_s }));
    VERIFY_OK(again);
    QCOMPARE(*again, qint64(0));
}

void tst_HistoryFilters::afterIdFollowsNewRows()
{
    append(filterRows().mid(0, 3));
    const Result<qint64> shown = m_store->queries().newestRequestId();
    VERIFY_OK(shown);

    RequestFilter live;
    live.afterId = *shown;
    Result<QList<LoggedRequest>> fresh = m_store->queries().requestSummaries(live);
    VERIFY_OK(fresh);
    QVERIFY(fresh->isEmpty());

    append(filterRows().mid(3));
    fresh = m_store->queries().requestSummaries(live);
    VERIFY_OK(fresh);
    QCOMPARE(labels(*fresh), (QStringList { u"b3"_s, u"a3"_s, u"u1"_s, u"b2"_s }));
    // With a filter, only the new rows that match.
    live.outcome = RequestFilter::Outcome::Accepted;
    fresh = m_store->queries().requestSummaries(live);
    VERIFY_OK(fresh);
    QCOMPARE(labels(*fresh), (QStringList { u"b3"_s }));
    const Result<qint64> count = m_store->queries().countRequests(live);
    VERIFY_OK(count);
    QCOMPARE(*count, qint64(1));
}

void tst_HistoryFilters::timeRangeWithClockChanges_data()
{
    QTest::addColumn<qint64>("since"); // hours after T0; -100: open
    QTest::addColumn<qint64>("until");
    QTest::addColumn<int>("limit");

    for (const int limit : { 1, 2, 3, 100 }) {
        QTest::addRow("[2h, 5h) by %d", limit) << qint64(2) << qint64(5) << limit;
        QTest::addRow("[2h, open) by %d", limit) << qint64(2) << qint64(-100) << limit;
        QTest::addRow("[open, 3h) by %d", limit) << qint64(-100) << qint64(3) << limit;
        QTest::addRow("[-2h, 0h) by %d", limit) << qint64(-2) << qint64(0) << limit;
        QTest::addRow("[9h, 10h) by %d", limit) << qint64(9) << qint64(10) << limit;
        QTest::addRow("[5h, 6h) by %d", limit) << qint64(5) << qint64(6) << limit;
    }
}

void tst_HistoryFilters::timeRangeWithClockChanges()
{
    QFETCH(qint64, since);
    QFETCH(qint64, until);
    QFETCH(int, limit);
    // Ids follow commits, times follow the clock: here it starts ahead, jumps ahead once more and
    // is set back twice.
    const QList<int> hours { 6, 0, 1, 2, 5, 3, 4, -1, 6, 2, 7, 8 };
    QList<Row> rows;
    for (qsizetype i = 0; i < hours.size(); ++i)
        rows.append({ u"t%1"_s.arg(i), i % 2 ? WebhookA : WebhookB, "POST", 200, "accepted",
            T0 + hours[i] * Hour });
    append(rows);
    // Enough other rows that reading along the ids and reading the time index differ.
    QList<Row> filler;
    for (int i = 0; i < 50; ++i)
        filler.append({ u"f%1"_s.arg(i), WebhookA, "POST", 200, "accepted", T0 + 20 * Hour + i });
    append(filler);

    RequestFilter filter;
    filter.sinceMicros = since == -100 ? 0 : T0 + since * Hour;
    filter.untilMicros = until == -100 ? 0 : T0 + until * Hour;
    QStringList expected;
    for (qsizetype i = rows.size() - 1; i >= 0; --i) {
        const qint64 at = rows[i].receivedAt;
        if ((!filter.sinceMicros || at >= filter.sinceMicros)
            && (!filter.untilMicros || at < filter.untilMicros))
            expected.append(rows[i].label);
    }
    if (until == -100) {
        for (qsizetype i = filler.size() - 1; i >= 0; --i)
            expected.prepend(filler[i].label);
        std::reverse(expected.begin(), expected.begin() + filler.size());
    }

    // Page by page, as the console scrolls.
    filter.limit = limit;
    QStringList seen;
    for (int pages = 0; pages < 100; ++pages) {
        const Result<QList<LoggedRequest>> page = m_store->queries().requestSummaries(filter);
        VERIFY_OK(page);
        seen += labels(*page);
        if (page->size() < limit)
            break;
        filter.beforeId = page->last().id;
    }
    QCOMPARE(seen, expected);

    // Upwards, oldest first, as the console extends what it shows towards the newest rows.
    filter.beforeId = 0;
    filter.oldestFirst = true;
    QStringList upwards;
    for (int pages = 0; pages < 100; ++pages) {
        const Result<QList<LoggedRequest>> page = m_store->queries().requestSummaries(filter);
        VERIFY_OK(page);
        upwards += labels(*page);
        if (page->size() < limit)
            break;
        filter.afterId = page->last().id;
    }
    std::reverse(upwards.begin(), upwards.end());
    QCOMPARE(upwards, expected);
    filter.afterId = 0;
    filter.oldestFirst = false;
    QCOMPARE(*m_store->queries().countRequests(filter), qint64(expected.size()));
}

void tst_HistoryFilters::histogram_data()
{
    QTest::addColumn<RequestFilter>("filter");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<QList<qint64>>("starts");
    QTest::addColumn<QList<qint64>>("accepted");
    QTest::addColumn<QList<qint64>>("rejected");

    // The rows: every 10 minutes from T0 for two hours; webhook A accepted on even steps,
    // webhook B rejected on odd ones.
    RequestFilter f;
    f.sinceMicros = T0;
    f.untilMicros = T0 + 2 * Hour;
    const qint64 half = Hour / 2;
    QTest::newRow("four half hours")
        << f << 4 << QList<qint64> { T0, T0 + half, T0 + 2 * half, T0 + 3 * half }
        << QList<qint64> { 2, 1, 2, 1 } << QList<qint64> { 1, 2, 1, 2 };
    QTest::newRow("one bucket") << f << 1 << QList<qint64> { T0 } << QList<qint64> { 6 }
                                << QList<qint64> { 6 };
    RequestFilter webhook = f;
    webhook.webhookId = WebhookB;
    QTest::newRow("one webhook") << webhook << 2 << QList<qint64> { T0, T0 + Hour }
                                 << QList<qint64> { 0, 0 } << QList<qint64> { 3, 3 };
    RequestFilter accepted = f;
    accepted.outcome = RequestFilter::Outcome::Accepted;
    QTest::newRow("accepted only") << accepted << 2 << QList<qint64> { T0, T0 + Hour }
                                   << QList<qint64> { 3, 3 } << QList<qint64> { 0, 0 };
    RequestFilter narrow;
    narrow.sinceMicros = T0 + Hour;
    narrow.untilMicros = T0 + Hour + 20 * 60 * 1000000LL;
    QTest::newRow("a narrow range")
        << narrow << 2 << QList<qint64> { T0 + Hour, T0 + Hour + 10 * 60 * 1000000LL }
        << QList<qint64> { 1, 0 } << QList<qint64> { 0, 1 };
    RequestFilter later;
    later.sinceMicros = T0 + 10 * Hour;
    later.untilMicros = T0 + 12 * Hour;
    QTest::newRow("a range with no rows")
        << later << 2 << QList<qint64> { T0 + 10 * Hour, T0 + 11 * Hour } << QList<qint64> { 0, 0 }
        << QList<qint64> { 0, 0 };
    RequestFilter searched = f;
    searched.search = u"step-3"_s;
    QTest::newRow("with a search") << searched << 2 << QList<qint64> { T0, T0 + Hour }
                                   << QList<qint64> { 0, 0 } << QList<qint64> { 1, 0 };
}

void tst_HistoryFilters::histogram()
{
    QFETCH(RequestFilter, filter);
    QFETCH(int, buckets);
    QFETCH(QList<qint64>, starts);
    QFETCH(QList<qint64>, accepted);
    QFETCH(QList<qint64>, rejected);
    QList<Row> rows;
    for (int i = 0; i < 12; ++i) {
        const bool even = i % 2 == 0;
        rows.append({ u"step-%1"_s.arg(i), even ? WebhookA : WebhookB, "POST", even ? 200 : 401,
            even ? "accepted"_ba : "invalid_api_key"_ba, T0 + i * 10 * 60 * 1000000LL });
    }
    append(rows);

    const Result<QList<HistogramBucket>> histogram = m_store->queries().histogram(filter, buckets);
    VERIFY_OK(histogram);
    QList<qint64> gotStarts, gotAccepted, gotRejected;
    for (const HistogramBucket &bucket : *histogram) {
        gotStarts.append(bucket.startMicros);
        gotAccepted.append(bucket.accepted);
        gotRejected.append(bucket.rejected);
    }
    QCOMPARE(gotStarts, starts);
    QCOMPARE(gotAccepted, accepted);
    QCOMPARE(gotRejected, rejected);
}

void tst_HistoryFilters::histogramOverTheDataRange()
{
    Result<QList<HistogramBucket>> histogram = m_store->queries().histogram({}, 10);
    VERIFY_OK(histogram);
    QVERIFY(histogram->isEmpty()); // no data, no range

    append(filterRows()); // T0 .. T0 + 6 h
    histogram = m_store->queries().histogram({}, 3);
    VERIFY_OK(histogram);
    QCOMPARE(histogram->size(), 3);
    QCOMPARE(histogram->first().startMicros, T0);
    qint64 accepted = 0, rejected = 0;
    for (const HistogramBucket &bucket : *histogram) {
        accepted += bucket.accepted;
        rejected += bucket.rejected;
    }
    QCOMPARE(accepted, qint64(3));
    QCOMPARE(rejected, qint64(4));
    // The newest row lands in the last bucket, not past it.
    QCOMPARE(histogram->last().accepted, qint64(1));

    // An open end takes the matching rows' range: webhook A runs T0 .. T0 + 5 h.
    RequestFilter filter = withWebhook(WebhookA);
    filter.sinceMicros = T0 + Hour;
    histogram = m_store->queries().histogram(filter, 2);
    VERIFY_OK(histogram);
    QCOMPARE(histogram->size(), 2);
    QCOMPARE(histogram->at(0).startMicros, T0 + Hour);
    QCOMPARE(histogram->at(0).rejected, qint64(1)); // a2
    QCOMPARE(histogram->at(1).rejected, qint64(1)); // a3
}

int main(int argc, char *argv[])
{
    return runOnSqliteAndPostgres<tst_HistoryFilters, tst_HistoryFiltersPostgres>(argc, argv);
}
#include "tst_history_filters.moc"
