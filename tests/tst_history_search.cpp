// Tests for the request history's text search in Store: tokens, filters with it, and the index
// that follows the log, against a real SQLite file and on PostgreSQL.
#include "core/receiver/engine.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"
#include "historytest.h"
#include "sqltestsupport.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <atomic>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

// How much of the log the FTS index holds when a search runs (rows to index first).
QList<std::pair<const char *, int>> searchParts()
{
    return { { "nothing indexed", 0 }, { "first two rows indexed", 2 }, { "all indexed", 1000 } };
}

} // namespace

class tst_HistorySearch : public HistoryTest
{
    Q_OBJECT
public:
    explicit tst_HistorySearch(bool postgres = false) : HistoryTest(u"history_search"_s, postgres)
    { }

private slots:
    void search_data();
    void search();
    void searchCombinesWithFilters_data();
    void searchCombinesWithFilters();
    void searchIndexCatchUp();
    void searchReadsPendingRows();
    void searchIsExactOverALargeBacklog();
    void deletionLeavesTheIndex_data();
    void deletionLeavesTheIndex();
    void logWriterIndexesInTheBackground();
    void logWriterIndexesDuringABurst();
    void upgradeIndexesExistingRows();
};

// The same queries on PostgreSQL, under a name of their own in the output.
class tst_HistorySearchPostgres final : public tst_HistorySearch
{
    Q_OBJECT
public:
    tst_HistorySearchPostgres() : tst_HistorySearch(true) { }
};

void tst_HistorySearch::search_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("indexed");

    const auto row = [](const char *name, const QString &search, const QStringList &expected) {
        // The same meaning whether the FTS index or the scan of the rows above its mark
        // answers, or both: nothing indexed, the first two rows, all of them.
        for (const auto &[part, indexed] : searchParts())
            QTest::addRow("%s (%s)", name, part) << search << expected << indexed;
    };
    row("token in a header", u"Ünïcode-42"_s, QStringList { u"s4"_s });
    row("token in a header and in a body", u"tok123"_s, QStringList { u"s2"_s, u"s1"_s });
    row("token inside JSON", u"A-77"_s, QStringList { u"s1"_s });
    row("case does not matter", u"a-77"_s, QStringList { u"s1"_s });
    row("part of a hyphenated value", u"77"_s, QStringList { u"s1"_s });
    row("two tokens: both must be there", u"tok123 foo"_s, QStringList { u"s2"_s });
    row("tokens anywhere in the row", u"tok123 hello"_s, QStringList { u"s1"_s });
    row("extra whitespace", u"  foo \t tok123  "_s, QStringList { u"s2"_s });
    row("accents folded", u"zurich"_s, QStringList { u"s4"_s });
    row("header name", u"X-Token"_s, QStringList { u"s1"_s });
    row("text in a binary body", u"zzzmarker"_s, QStringList { u"s3"_s });
    row("no prefix matching", u"tok12"_s, QStringList());
    row("a different value", u"A-78"_s, QStringList());
    row("absent token", u"nothing-here"_s, QStringList());
    row("quotes are text, not syntax", u"\"tok123\""_s, QStringList { u"s2"_s, u"s1"_s });
    row("an unbalanced quote", u"tok\"123"_s, QStringList());
    row("operators are words", u"tok123 OR hello"_s, QStringList());
    row("NEAR and stars are words", u"NEAR(tok123* foo)"_s, QStringList());
    row("punctuation only", u"- *"_s, QStringList());
    row("a phrase keeps its order", u"77-A"_s, QStringList());
    row("accents in the search folded too", u"ZÜRICH"_s, QStringList { u"s4"_s });
    // PostgreSQL reads headers and body as one text.
    if (!m_postgres)
        row("a phrase never spans headers and body", u"tok123-order"_s, QStringList());
}

void tst_HistorySearch::search()
{
    QFETCH(QString, search);
    QFETCH(QStringList, expected);
    QFETCH(int, indexed);
    append(searchRows());
    append(filterRows()); // rows with none of the tokens
    indexFirst(indexed);

    RequestFilter filter;
    filter.search = search;
    const Result<QList<LoggedRequest>> rows = m_store->queries().requests(filter);
    VERIFY_OK(rows);
    QCOMPARE(labels(*rows), expected);
    const Result<qint64> count = m_store->queries().countRequests(filter);
    VERIFY_OK(count);
    QCOMPARE(*count, qint64(expected.size()));
}

void tst_HistorySearch::searchCombinesWithFilters_data()
{
    QTest::addColumn<int>("indexed");
    for (const auto &[part, indexed] : searchParts())
        QTest::addRow("%s", part) << indexed;
}

void tst_HistorySearch::searchCombinesWithFilters()
{
    QFETCH(int, indexed);
    append(searchRows());
    indexFirst(indexed);
    RequestFilter filter;
    filter.search = u"tok123"_s;
    filter.outcome = RequestFilter::Outcome::Rejected;
    Result<QList<LoggedRequest>> rows = m_store->queries().requests(filter);
    VERIFY_OK(rows);
    QCOMPARE(labels(*rows), (QStringList { u"s2"_s }));

    filter = {};
    filter.search = u"application/json"_s; // every row but the binary one has it
    filter.webhookId = WebhookB;
    rows = m_store->queries().requests(filter);
    VERIFY_OK(rows);
    QCOMPARE(labels(*rows), (QStringList { u"s4"_s }));

    filter = {};
    filter.search = u"json"_s;
    filter.limit = 1;
    filter.beforeId = m_ids.value(u"s4"_s);
    rows = m_store->queries().requests(filter);
    VERIFY_OK(rows);
    QCOMPARE(labels(*rows), (QStringList { u"s2"_s }));
    filter.afterId = m_ids.value(u"s1"_s);
    filter.limit = 10;
    rows = m_store->queries().requests(filter);
    VERIFY_OK(rows);
    QCOMPARE(labels(*rows), (QStringList { u"s2"_s }));

    filter = {};
    filter.search = u"hello"_s;
    filter.sinceMicros = T0 + 1;
    rows = m_store->queries().requests(filter);
    VERIFY_OK(rows);
    QVERIFY(rows->isEmpty());
}

void tst_HistorySearch::searchIndexCatchUp()
{
    if (skipOnPostgres())
        QSKIP("the SQLite FTS5 index's own workings");
    append(searchRows());
    // Nothing is indexed on insert: the log's hot path does no search work.
    QVERIFY(indexedIds(m_path, u"tok123"_s).isEmpty());
    QCOMPARE(rawValue(m_path, u"SELECT value FROM meta WHERE key = 'search_indexed_id'"_s), u"0"_s);

    Result<qint64> indexed = m_store->search().indexPending(1);
    VERIFY_OK(indexed);
    QCOMPARE(*indexed, qint64(1));
    QCOMPARE(indexedIds(m_path, u"tok123"_s), idsOf({ u"s1"_s }));
    indexed = m_store->search().indexPending(100);
    VERIFY_OK(indexed);
    QCOMPARE(*indexed, qint64(searchRows().size() - 1));
    QCOMPARE(indexedIds(m_path, u"tok123"_s), idsOf({ u"s1"_s, u"s2"_s }));
    QCOMPARE(rawValue(m_path, u"SELECT value FROM meta WHERE key = 'search_indexed_id'"_s),
        QString::number(m_ids.value(u"s4"_s)));
    indexed = m_store->search().indexPending(100);
    VERIFY_OK(indexed);
    QCOMPARE(*indexed, qint64(0));

    // Only the new rows are indexed next time, each once.
    append(filterRows());
    indexed = m_store->search().indexPending(100);
    VERIFY_OK(indexed);
    QCOMPARE(*indexed, qint64(filterRows().size()));
    QCOMPARE(indexedIds(m_path, u"b2"_s), idsOf({ u"b2"_s }));
    QCOMPARE(indexedIds(m_path, u"label"_s).size(), searchRows().size() + filterRows().size());
}

void tst_HistorySearch::searchReadsPendingRows()
{
    if (skipOnPostgres())
        QSKIP("the SQLite FTS5 index's own workings");
    append(searchRows());
    VERIFY_OK(m_store->search().indexPending(1000));
    append({ { u"late"_s, WebhookA, "POST", 200, "accepted", T0 + 9 * Hour,
        R"({"id":"tok123"})"_ba } });
    QCOMPARE(indexedIds(m_path, u"tok123"_s), idsOf({ u"s1"_s, u"s2"_s })); // not indexed yet

    // A search never misses a row the background catch-up has not reached, and reads it
    // directly rather than taking the write lock to index it.
    RequestFilter filter;
    filter.search = u"tok123"_s;
    const Result<QList<LoggedRequest>> rows = m_store->queries().requests(filter);
    VERIFY_OK(rows);
    QCOMPARE(labels(*rows), (QStringList { u"late"_s, u"s2"_s, u"s1"_s }));
    QCOMPARE(indexedIds(m_path, u"tok123"_s), idsOf({ u"s1"_s, u"s2"_s }));
    filter.oldestFirst = true;
    filter.limit = 2;
    QCOMPARE(labels(*m_store->queries().requests(filter)), (QStringList { u"s1"_s, u"s2"_s }));
    filter.afterId = m_ids.value(u"s1"_s);
    QCOMPARE(labels(*m_store->queries().requests(filter)), (QStringList { u"s2"_s, u"late"_s }));

    // A search from another connection (the console's) sees it too.
    append({ { u"later"_s, WebhookA, "POST", 200, "accepted", T0 + 10 * Hour,
        R"({"id":"tok123"})"_ba } });
    auto other = Store::openSqlite(m_path);
    VERIFY_OK(other);
    filter = {};
    filter.search = u"tok123"_s;
    const Result<qint64> count = (*other)->queries().countRequests(filter);
    VERIFY_OK(count);
    QCOMPARE(*count, qint64(4));
    const Result<QList<HistogramBucket>> buckets = (*other)->queries().histogram(filter, 1);
    VERIFY_OK(buckets);
    QCOMPARE(buckets->size(), 1);
    QCOMPARE(buckets->first().accepted + buckets->first().rejected, qint64(4));
}

// A burst leaves far more rows behind the index than a search could index itself: a search
// is still exact, old rows answered by the index and new ones by reading them.
void tst_HistorySearch::searchIsExactOverALargeBacklog()
{
    if (skipOnPostgres())
        QSKIP("the SQLite FTS5 index's own workings");
    constexpr int Indexed = 2000;
    constexpr int Backlog = 32000;
    const auto rowsOf = [](int first, int count) {
        QList<LoggedRequest> batch;
        for (int i = first; i < first + count; ++i) {
            Row row { u"r%1"_s.arg(i), i % 2 ? WebhookA : WebhookB, "POST", i % 3 ? 200 : 400,
                i % 3 ? "accepted" : "invalid_json", T0 + i,
                QByteArray(R"({"event":"order.created","order":)") + QByteArray::number(i)
                    + R"(,"note":"filler text for the search"})" };
            batch.append(entryFor(row));
        }
        return batch;
    };
    // The oldest rows, one of them with a token of its own, indexed.
    QList<LoggedRequest> batch = rowsOf(0, Indexed);
    batch[100].body = R"({"note":"needle-old filler"})";
    QVERIFY(m_store->log().append(batch).ok());
    const qint64 oldId = batch[100].id;
    const Result<qint64> indexed = m_store->search().indexPending(Indexed);
    VERIFY_OK(indexed);
    QCOMPARE(*indexed, qint64(Indexed));
    // Then the burst, none of it indexed, the newest row with a token of its own.
    for (int first = Indexed; first < Indexed + Backlog; first += 4000) {
        batch = rowsOf(first, 4000);
        if (first + 4000 == Indexed + Backlog)
            batch.last().body = R"({"note":"needle-new filler"})";
        QVERIFY(m_store->log().append(batch).ok());
    }
    const qint64 newId = batch.last().id;
    QCOMPARE(
        rawValue(m_path, u"SELECT value FROM meta WHERE key = 'search_indexed_id'"_s).toLongLong(),
        newId - Backlog);

    RequestFilter filter;
    filter.search = u"needle-new"_s;
    Result<QList<LoggedRequest>> found = m_store->queries().requests(filter);
    VERIFY_OK(found);
    QCOMPARE(found->size(), 1);
    QCOMPARE(found->first().id, newId);
    QCOMPARE(*m_store->queries().countRequests(filter), qint64(1));
    filter.search = u"NEEDLE-old"_s;
    found = m_store->queries().requests(filter);
    VERIFY_OK(found);
    QCOMPARE(found->size(), 1);
    QCOMPARE(found->first().id, oldId);
    QCOMPARE(*m_store->queries().countRequests(filter), qint64(1));
    // A token in every row: counted exactly, across the index and the backlog, also combined
    // with a filter, and paged across the mark.
    filter.search = u"filler"_s;
    QCOMPARE(*m_store->queries().countRequests(filter), qint64(Indexed + Backlog));
    filter.outcome = RequestFilter::Outcome::Rejected;
    QCOMPARE(*m_store->queries().countRequests(filter), qint64((Indexed + Backlog + 2) / 3));
    filter.outcome = RequestFilter::Outcome::Any;
    filter.beforeId = newId - Backlog + 3;
    filter.limit = 5;
    found = m_store->queries().requests(filter);
    VERIFY_OK(found);
    QList<qint64> ids;
    for (const LoggedRequest &entry : *found)
        ids.append(entry.id);
    const qint64 mark = newId - Backlog;
    QCOMPARE(ids, (QList<qint64> { mark + 2, mark + 1, mark, mark - 1, mark - 2 }));
    // Nothing of it was indexed by the searches.
    QCOMPARE(
        rawValue(m_path, u"SELECT value FROM meta WHERE key = 'search_indexed_id'"_s).toLongLong(),
        mark);
}

void tst_HistorySearch::deletionLeavesTheIndex_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("by ids") << u"ids"_s;
    QTest::newRow("by filter") << u"filter"_s;
    QTest::newRow("with the webhook") << u"webhook"_s;
}

void tst_HistorySearch::deletionLeavesTheIndex()
{
    if (skipOnPostgres())
        QSKIP("the SQLite FTS5 index's own workings");
    QFETCH(QString, how);
    QVERIFY(m_store->config()
                .addWebhook([] {
                    Webhook w;
                    w.name = u"hook"_s;
                    return w;
                }())
                .ok());
    const QString webhookId = m_store->config().webhooks()->first().id;
    QList<Row> rows = searchRows();
    for (Row &row : rows)
        row.webhookId = row.label == u"s1"_s ? webhookId : WebhookB;
    append(rows);
    VERIFY_OK(m_store->search().indexPending(1000));
    QCOMPARE(indexedIds(m_path, u"tok123"_s), idsOf({ u"s1"_s, u"s2"_s }));

    if (how == u"ids"_s) {
        const Result<qint64> removed = m_store->retention().deleteRequests(idsOf({ u"s1"_s }));
        VERIFY_OK(removed);
        QCOMPARE(*removed, qint64(1));
    } else if (how == u"filter"_s) {
        RequestFilter filter;
        filter.search = u"hello"_s;
        const Result<qint64> removed = m_store->retention().deleteRequests(filter);
        VERIFY_OK(removed);
        QCOMPARE(*removed, qint64(1));
    } else {
        VERIFY_OK(m_store->config().removeWebhook(webhookId, true));
    }

    // Gone from the index itself, not just hidden by the join with the log.
    QCOMPARE(indexedIds(m_path, u"tok123"_s), idsOf({ u"s2"_s }));
    QVERIFY(indexedIds(m_path, u"hello"_s).isEmpty());
    RequestFilter filter;
    filter.search = u"tok123"_s;
    const Result<QList<LoggedRequest>> found = m_store->queries().requests(filter);
    VERIFY_OK(found);
    QCOMPARE(labels(*found), (QStringList { u"s2"_s }));
    // The other rows' entries are intact.
    QCOMPARE(indexedIds(m_path, u"zurich"_s), idsOf({ u"s4"_s }));
    QCOMPARE(indexedIds(m_path, u"label"_s).size(), searchRows().size() - 1);
}

void tst_HistorySearch::logWriterIndexesInTheBackground()
{
    if (skipOnPostgres())
        QSKIP("the SQLite FTS5 index's own workings");
    Engine engine(Engine::factoryFor(m_location));
    VERIFY_OK(engine.open());
    append(searchRows());
    const QString newest = QString::number(m_ids.value(u"s4"_s));
    // The writer's housekeeping thread wakes every half second.
    QTRY_COMPARE_WITH_TIMEOUT(
        rawValue(m_path, u"SELECT value FROM meta WHERE key = 'search_indexed_id'"_s), newest,
        10000);
    QCOMPARE(indexedIds(m_path, u"tok123"_s), idsOf({ u"s1"_s, u"s2"_s }));
    engine.close();
}

// The index keeps pace with the log rather than waiting for it to pause: during a burst at the
// writer's full speed it goes on advancing, so what a search reads directly stays bounded.
void tst_HistorySearch::logWriterIndexesDuringABurst()
{
    if (skipOnPostgres())
        QSKIP("the SQLite FTS5 index's own workings");
    struct Sink final : LogCompletionSink
    {
        void deliver(QList<LogCompletion> completions) override { done += completions.size(); }
        std::atomic<qint64> done { 0 };
    };
    auto sink = std::make_shared<Sink>();
    LogWriter writer(Engine::factoryFor(m_path));
    writer.start();
    QThread::msleep(300); // started before the traffic, as a receiver's writer is
    const auto mark = [&] {
        return rawValue(m_path, u"SELECT value FROM meta WHERE key = 'search_indexed_id'"_s)
            .toLongLong();
    };
    Row row { u"burst"_s, WebhookA, "POST", 200, "accepted", T0,
        R"({"event":"order.created","note":")" + QByteArray(400, 'x')
            + R"( burst words to index"})" };
    QElapsedTimer timer;
    timer.start();
    qint64 submitted = 0;
    qint64 markDuringBurst = 0;
    // Three seconds of rows as fast as the writer takes them (many times the 4,000 a second
    // above which the catch-up used to stand aside), the index's mark read near the end.
    while (timer.elapsed() < 3000) {
        if (writer.submit(entryFor(row), sink, 0, quint64(submitted)))
            ++submitted;
        else
            QThread::usleep(100);
        if (timer.elapsed() > 2500 && markDuringBurst == 0 && submitted % 64 == 0)
            markDuringBurst = mark();
    }
    const qint64 committedDuringBurst = writer.committedCount();
    writer.stop();
    writer.wait();
    QVERIFY2(committedDuringBurst > 3 * 4000,
        qPrintable(u"only %1 rows committed: not a burst"_s.arg(committedDuringBurst)));
    QVERIFY2(markDuringBurst > 0,
        qPrintable(u"the index had not started after %1 rows"_s.arg(committedDuringBurst)));
}

void tst_HistorySearch::upgradeIndexesExistingRows()
{
    if (skipOnPostgres())
        QSKIP("the SQLite FTS5 index's own workings");
    append(searchRows());
    // Take the file back to schema 2, as an older Hooktrail left it.
    m_store.reset();
    QVERIFY(execRaw(m_path,
        DropDeliveryTables
            + QStringList { u"DROP TABLE requests_fts"_s, u"DROP INDEX requests_time"_s,
                u"DROP INDEX requests_rejected"_s,
                u"DELETE FROM meta WHERE key = 'search_indexed_id'"_s,
                u"ALTER TABLE webhooks DROP COLUMN seq"_s,
                u"ALTER TABLE webhooks DROP COLUMN accept_any_content_type"_s,
                u"UPDATE meta SET value = '2' WHERE key = 'schema_version'"_s }));
    auto reopened = Store::openSqlite(m_path);
    VERIFY_OK(reopened);
    m_store = std::move(reopened).value();
    QCOMPARE(*m_store->schema().version(), Schema::Version);
    QCOMPARE(
        rawValue(m_path,
            u"SELECT COUNT(*) FROM sqlite_master WHERE name IN ('requests_time', 'requests_rejected')"_s),
        u"2"_s);

    RequestFilter filter;
    filter.search = u"A-77"_s;
    const Result<QList<LoggedRequest>> found = m_store->queries().requests(filter);
    VERIFY_OK(found);
    QCOMPARE(labels(*found), (QStringList { u"s1"_s }));
}

int main(int argc, char *argv[])
{
    return runOnSqliteAndPostgres<tst_HistorySearch, tst_HistorySearchPostgres>(argc, argv);
}
#include "tst_history_search.moc"
