// Tests for the history table's model: paging, filters, stale results, deletion, jumps and
// scrolling both ways, live inserts, and the scroll bar over the whole log.
#include "historypagetest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_HistoryPageModel final : public HistoryPageTest
{
    Q_OBJECT

private slots:
    // The model
    void modelPaging_data();
    void modelPaging();
    void modelFilters_data();
    void modelFilters();
    void modelDropsStaleResults();
    void modelDeletion();
    void modelJumpsAndScrollsBothWays();
    void modelLiveInsertsWhileJumped();
    void modelDeletionWhileJumped();
    void scrollBarSpansTheTotal();
    void modelFollowsCommits();
    void countFollowsInsertsAndDeletionsElsewhere();
};

void tst_HistoryPageModel::modelPaging_data()
{
    QTest::addColumn<int>("rows");
    QTest::addRow("empty log") << 0;
    QTest::addRow("one row") << 1;
    QTest::addRow("exactly one page") << RequestTableModel::PageSize;
    QTest::addRow("two pages and a half") << 250;
    QTest::addRow("three pages") << 300;
}

void tst_HistoryPageModel::modelPaging()
{
    QFETCH(int, rows);
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QList<qint64> ids = history.logMany(rows, history.webhook.id);
    QCOMPARE(ids.size(), rows);

    RequestTableModel model(history.fixture.executor());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy pages(&model, &RequestTableModel::pageLoaded);
    model.setFilter({});
    QTRY_VERIFY(pages.count() >= 1);
    QCOMPARE(pages.first().at(0).toInt(), std::min(rows, int(RequestTableModel::PageSize)));
    QTRY_COMPARE(model.totalCount(), qint64(rows));

    QVERIFY(loadAll(model));
    std::reverse(ids.begin(), ids.end()); // newest first
    QCOMPARE(loadedIds(model), ids);
    QVERIFY(!model.canFetchMore({}));
    // Each row was loaded once.
    int loaded = 0;
    for (const QList<QVariant> &page : std::as_const(pages))
        loaded += page.at(0).toInt();
    QCOMPARE(loaded, rows);
    if (rows > 0) {
        const QModelIndex first = model.index(0, RequestTableModel::TimeColumn);
        QCOMPARE(first.data(RequestTableModel::RequestIdRole).toLongLong(), ids.first());
        QCOMPARE(first.data(RequestTableModel::StatusRole).toInt(), 200);
        QCOMPARE(first.data(RequestTableModel::OutcomeRole).toBool(), true);
        QCOMPARE(model.index(0, RequestTableModel::WebhookColumn).data().toString(),
            history.webhook.id); // no names given: the id
        model.setWebhookNames({ { history.webhook.id, u"Orders"_s } });
        QCOMPARE(model.index(0, RequestTableModel::WebhookColumn).data().toString(), u"Orders"_s);
    }
}

void tst_HistoryPageModel::modelFilters_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<int>("expected");
    // The log below: 3 accepted POST for A, 2 invalid_api_key for A (one PUT), 1 unknown_route.
    QTest::addRow("everything") << u"none"_s << QVariant() << 6;
    QTest::addRow("rejected") << u"outcome"_s << QVariant(int(RequestFilter::Outcome::Rejected))
                              << 3;
    QTest::addRow("accepted") << u"outcome"_s << QVariant(int(RequestFilter::Outcome::Accepted))
                              << 3;
    QTest::addRow("reason") << u"reason"_s << QVariant(QByteArray("invalid_api_key")) << 2;
    QTest::addRow("method") << u"method"_s << QVariant(QByteArray("PUT")) << 1;
    QTest::addRow("status") << u"status"_s << QVariant(404) << 1;
    QTest::addRow("webhook") << u"webhook"_s << QVariant() << 5;
    QTest::addRow("search in a body") << u"search"_s << QVariant(u"pineapple"_s) << 1;
    QTest::addRow("since") << u"since"_s << QVariant() << 2;
}

void tst_HistoryPageModel::modelFilters()
{
    QFETCH(QString, field);
    QFETCH(QVariant, value);
    QFETCH(int, expected);
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    const QString a = history.webhook.id;
    QList<LoggedRequest> batch;
    for (int i = 0; i < 3; ++i)
        batch.append(entry(a));
    batch[0].body = "{\"fruit\":\"pineapple\"}";
    batch.append(entry(a, 401, "invalid_api_key"));
    batch.append(entry(a, 401, "invalid_api_key"));
    batch.last().method = "PUT";
    batch.append(entry(QString(), 404, "unknown_route"));
    const qint64 recent = currentMicros() - 10 * Second;
    batch[4].receivedAtMicros = batch[5].receivedAtMicros = recent;
    QCOMPARE(history.log(batch).size(), 6);

    RequestFilter filter;
    if (field == u"outcome")
        filter.outcome = RequestFilter::Outcome(value.toInt());
    else if (field == u"reason")
        filter.reason = value.toByteArray();
    else if (field == u"method")
        filter.method = value.toByteArray();
    else if (field == u"status")
        filter.status = value.toInt();
    else if (field == u"webhook")
        filter.webhookId = a;
    else if (field == u"search")
        filter.search = value.toString();
    else if (field == u"since")
        filter.sinceMicros = recent;

    RequestTableModel model(history.fixture.executor());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFilter(filter);
    QVERIFY(loadAll(model));
    QCOMPARE(model.rowCount(), expected);
    QTRY_COMPARE(model.totalCount(), qint64(expected));
}

void tst_HistoryPageModel::modelDropsStaleResults()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    Webhook other;
    other.name = u"Other"_s;
    const Result<Webhook> b = history.fixture.store()->config().addWebhook(other);
    QVERIFY(b);
    QCOMPARE(history.logMany(250, history.webhook.id).size(), 250);
    QCOMPARE(history.logMany(30, b->id).size(), 30);

    RequestTableModel model(history.fixture.executor());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QString wanted;
    int wrongRows = 0;
    const auto checkLoaded = [&] {
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.isLoaded(row) && model.requestAt(row).webhookId != wanted)
                ++wrongRows;
        }
    };
    connect(&model, &QAbstractItemModel::rowsInserted, &model, checkLoaded);
    connect(&model, &QAbstractItemModel::dataChanged, &model, checkLoaded);
    connect(&model, &QAbstractItemModel::layoutChanged, &model, checkLoaded);

    // A first page asked for and overtaken by another filter before it arrives.
    RequestFilter filterA;
    filterA.webhookId = history.webhook.id;
    RequestFilter filterB;
    filterB.webhookId = b->id;
    wanted = b->id;
    model.setFilter(filterA);
    model.setFilter(filterB);
    QVERIFY(loadAll(model));
    QCOMPARE(model.rowCount(), 30);
    QTRY_COMPARE(model.totalCount(), qint64(30));
    QCOMPARE(wrongRows, 0);

    // A further page on its way when the filter changes.
    wanted = history.webhook.id;
    QSignalSpy pages(&model, &RequestTableModel::pageLoaded);
    model.setFilter(filterA);
    QTRY_VERIFY(pages.count() >= 1);
    QTRY_COMPARE(model.totalCount(), qint64(250));
    // The store thread kept busy, so the load asked for is surely still on its way.
    history.fixture.executor()->read(
        &model,
        [](Store &) {
            QThread::msleep(500);
            return Status();
        },
        [](const Status &) {});
    model.ensureLoaded(150, 160);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoading(), 400); // (after the coalescing timer)
    wanted = b->id;
    model.setFilter(filterB);
    QVERIFY(loadAll(model));
    QTRY_COMPARE(model.totalCount(), qint64(30));
    QCOMPARE(model.rowCount(), 30);
    QCOMPARE(wrongRows, 0);
}

void tst_HistoryPageModel::modelDeletion()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    const QList<qint64> ids = history.logMany(10, history.webhook.id);
    RequestTableModel model(history.fixture.executor());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFilter({});
    QVERIFY(loadAll(model));
    QTRY_COMPARE(model.totalCount(), qint64(10));

    // Two runs and a single row, as a selection of scattered rows gives.
    const QList<qint64> gone { ids.at(0), ids.at(1), ids.at(4), ids.at(8), ids.at(9) };
    const Result<qint64> removed = history.fixture.store()->retention().deleteRequests(gone);
    QVERIFY(removed);
    QCOMPARE(*removed, qint64(5));
    QSignalSpy removals(&model, &QAbstractItemModel::rowsRemoved);
    model.removeIds(gone, *removed);
    QCOMPARE(removals.count(), 3);
    QCOMPARE(model.totalCount(), qint64(5));
    QCOMPARE(loadedIds(model),
        (QList<qint64> { ids.at(7), ids.at(6), ids.at(5), ids.at(3), ids.at(2) }));
    for (qint64 id : gone)
        QCOMPARE(model.rowOfId(id), -1);

    // Reloading agrees with what is left in the store.
    model.reload();
    QVERIFY(loadAll(model));
    QCOMPARE(model.rowCount(), 5);
}

// Filtered on webhook A, whose ids have a gap of B's rows in the middle: an estimate of the id at
// a row from the newest and oldest ids alone is off by up to the gap, so the window lands in the
// wrong place and has to find its true one at either end of the log.
struct GappedLog
{
    QList<qint64> expected; // A's ids, newest first
    RequestFilter filter;
};

GappedLog logWithGap(History &history, const QString &other)
{
    GappedLog log;
    QList<qint64> ids = history.logMany(400, history.webhook.id);
    history.logMany(400, other);
    ids += history.logMany(400, history.webhook.id);
    std::reverse(ids.begin(), ids.end());
    log.expected = ids;
    log.filter.webhookId = history.webhook.id;
    return log;
}

void tst_HistoryPageModel::modelJumpsAndScrollsBothWays()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    Webhook other;
    other.name = u"Other"_s;
    const Result<Webhook> b = history.fixture.store()->config().addWebhook(other);
    QVERIFY(b);
    const GappedLog log = logWithGap(history, b->id);
    const QList<qint64> &expected = log.expected;

    RequestTableModel model(history.fixture.executor());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFilter(log.filter);
    QTRY_COMPARE(model.totalCount(), qint64(800));
    // A row for every matching request, loaded or not: the scroll bar spans the total.
    QCOMPARE(model.rowCount(), 800);
    QVERIFY(model.loadedCount() <= RequestTableModel::PageSize);
    QVERIFY(!model.canFetchMore({}));
    QVERIFY(!model.isLoaded(500));
    QCOMPARE(model.index(500, RequestTableModel::TimeColumn).data().toString(), u"Loading…"_s);
    QVERIFY(!model.index(500, 0).data(RequestTableModel::RequestIdRole).isValid());
    QTest::qWait(50);
    QVERIFY(!model.isLoading()); // asking for data is not asking for a load

    // Far from the loaded rows: a jump, not every page between.
    QSignalSpy pages(&model, &RequestTableModel::pageLoaded);
    QVERIFY(waitLoaded(model, 500, 520));
    QCOMPARE(pages.count(), 1);
    QVERIFY(!model.isLoaded(0));
    QVERIFY(loadedRunOf(model, expected, false));
    const int jumpStart = model.rowOfId(loadedIds(model).first());
    QVERIFY(jumpStart > 0);

    // Scrolling up from there extends the window upwards by key.
    QVERIFY(waitLoaded(model, jumpStart - 150, jumpStart - 1));
    QVERIFY(loadedRunOf(model, expected, false));
    QVERIFY(model.isLoaded(jumpStart + 10));

    // A row the view keeps (the current one, say) stays on its request when the window moves.
    const int keptRow = jumpStart + 5;
    const QPersistentModelIndex kept = model.index(keptRow, 0);
    const qint64 keptId = kept.data(RequestTableModel::RequestIdRole).toLongLong();
    QVERIFY(keptId > 0);

    // Scrolling down to the end: the oldest row ends up last, and everything loaded is in place.
    for (int row = model.loadedCount() + model.rowOfId(loadedIds(model).first()); row < 800;
         row += 100)
        QVERIFY(waitLoaded(model, row, std::min(row + 99, 799)));
    QCOMPARE(model.requestAt(799).id, expected.last());
    QVERIFY(model.isLoaded(799));
    QVERIFY(loadedRunOf(model, expected, true));
    QVERIFY(kept.isValid());
    QCOMPARE(kept.data(RequestTableModel::RequestIdRole).toLongLong(), keptId);
    QCOMPARE(kept.row(), int(expected.indexOf(keptId)));

    // A jump to the top, then to the very bottom, then everything by scrolling up from there.
    QVERIFY(waitLoaded(model, 0, 10));
    QCOMPARE(model.requestAt(0).id, expected.first());
    QVERIFY(loadedRunOf(model, expected, true));
    model.ensureLoaded(790, 799);
    QVERIFY(waitLoaded(model, 790, 799));
    QCOMPARE(model.requestAt(799).id, expected.last());
    QVERIFY(loadedRunOf(model, expected, true));
    for (int row = 799; row >= 0; row -= 120)
        QVERIFY(waitLoaded(model, std::max(0, row - 119), row));
    QVERIFY(model.allLoaded());
    QCOMPARE(loadedIds(model), expected);
    QCOMPARE(model.rowCount(), 800);
    QCOMPARE(model.totalCount(), qint64(800));
}

void tst_HistoryPageModel::modelLiveInsertsWhileJumped()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QList<qint64> expected = history.logMany(2000, history.webhook.id);
    std::reverse(expected.begin(), expected.end());
    RequestTableModel model(history.fixture.executor());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.follow(history.fixture.engine()->writer());
    model.setFilter({});
    QTRY_COMPARE(model.rowCount(), 2000);
    QVERIFY(waitLoaded(model, 1000, 1020));
    QVERIFY(!model.isLoaded(0));
    // Ids without gaps: the estimate is exact.
    QVERIFY(loadedRunOf(model, expected, true));
    const qint64 idAt1000 = model.requestAt(1000).id;

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QList<qint64> sent;
    for (int i = 0; i < 3; ++i) {
        const HttpAnswer answer = history.send();
        QCOMPARE(answer.status, 200);
        sent.prepend(answer.requestId());
    }
    QTRY_COMPARE(model.rowCount(), 2003);
    QCOMPARE(model.totalCount(), qint64(2003));
    for (const QList<QVariant> &signal : std::as_const(inserted))
        QCOMPARE(signal.at(1).toInt(), 0); // at the top, as placeholders above the window
    QVERIFY(!model.isLoaded(0));
    QCOMPARE(model.rowOfId(idAt1000), 1003);
    expected = sent + expected;
    QVERIFY(loadedRunOf(model, expected, true));

    // Back at the top: the new rows are there, newest first.
    QVERIFY(waitLoaded(model, 0, 20));
    QCOMPARE(model.requestAt(0).id, sent.first());
    QCOMPARE(model.requestAt(3).id, expected.at(3));
    QVERIFY(loadedRunOf(model, expected, true));

    // Following at the top again: new rows join the loaded ones.
    const HttpAnswer answer = history.send();
    QCOMPARE(answer.status, 200);
    QTRY_COMPARE(model.rowCount(), 2004);
    QVERIFY(model.isLoaded(0));
    QCOMPARE(model.requestAt(0).id, answer.requestId());
}

void tst_HistoryPageModel::modelDeletionWhileJumped()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QList<qint64> expected = history.logMany(1500, history.webhook.id);
    std::reverse(expected.begin(), expected.end());
    RequestTableModel model(history.fixture.executor());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFilter({});
    QTRY_COMPARE(model.rowCount(), 1500);
    QVERIFY(waitLoaded(model, 700, 720));
    QVERIFY(loadedRunOf(model, expected, true));

    // Two loaded rows and one far above them (a placeholder here) go from the store.
    const QList<qint64> gone { model.requestAt(705).id, model.requestAt(706).id, expected.at(50) };
    const Result<qint64> removed = history.fixture.store()->retention().deleteRequests(gone);
    QVERIFY(removed);
    QCOMPARE(*removed, qint64(3));
    model.removeIds(gone, *removed);
    QCOMPARE(model.rowCount(), 1497);
    QCOMPARE(model.totalCount(), qint64(1497));
    for (qint64 id : gone) {
        QCOMPARE(model.rowOfId(id), -1);
        expected.removeOne(id);
    }
    QVERIFY(loadedRunOf(model, expected, false));

    // Loading from the top and from the bottom agrees with what is left.
    QVERIFY(waitLoaded(model, 0, 10));
    QCOMPARE(model.requestAt(0).id, expected.first());
    QVERIFY(waitLoaded(model, 1490, 1496));
    QCOMPARE(model.requestAt(1496).id, expected.last());
    QVERIFY(loadedRunOf(model, expected, true));
}

void tst_HistoryPageModel::scrollBarSpansTheTotal()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QList<qint64> expected = history.logMany(5000, history.webhook.id);
    std::reverse(expected.begin(), expected.end());
    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;
    QTableView *table = page.table();
    QScrollBar *bar = table->verticalScrollBar();
    const int rowHeight = table->verticalHeader()->defaultSectionSize();
    QTRY_COMPARE(page.model()->rowCount(), 5000);
    // The scroll range is every row's, not only the loaded ones'. The view lays its scroll bars
    // out in a deferred pass after the rows arrive, so the range is waited for, not read at once.
    QTRY_COMPARE(bar->maximum() + table->viewport()->height(), 5000 * rowHeight);
    QVERIFY(page.model()->loadedCount() < 5000);

    // Dragging the bar half-way loads the rows shown there, and those only.
    bar->setValue(bar->maximum() / 2);
    const int top = table->rowAt(0);
    const int bottom = table->rowAt(table->viewport()->height() - 1);
    QVERIFY(top > 2000 && top < 3000);
    QTRY_VERIFY(page.model()->isLoaded(top) && page.model()->isLoaded(bottom));
    QCOMPARE(page.model()->requestAt(top).id, expected.at(top));
    QVERIFY(!page.model()->isLoaded(0));
    QVERIFY(page.model()->loadedCount() < 1000);

    // The end of the range shows the oldest request last.
    table->scrollToBottom();
    QTRY_VERIFY(page.model()->isLoaded(4999));
    QCOMPARE(page.model()->requestAt(4999).id, expected.last());

    // Selecting all reaches rows not loaded: deleting them says what to do instead.
    table->selectAll();
    QVERIFY(!page.selectionLoaded());
    page.deleteSelected();
    QVERIFY(!page.deleteConfirmation());
    const Notification *problem = page.notification();
    QCOMPARE(problem->kind(), Notification::Kind::Error);
    QVERIFY2(problem->text().contains(u"Delete all matching"_s), qPrintable(problem->text()));
    QCOMPARE(*history.fixture.store()->queries().countRequests(RequestFilter()), qint64(5000));
}

void tst_HistoryPageModel::modelFollowsCommits()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    const QList<qint64> ids = history.logMany(5, history.webhook.id);
    RequestTableModel model(history.fixture.executor());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.follow(history.fixture.engine()->writer());
    RequestFilter accepted;
    accepted.outcome = RequestFilter::Outcome::Accepted;
    model.setFilter(accepted);
    QVERIFY(loadAll(model));
    QSignalSpy newer(&model, &RequestTableModel::newerLoaded);

    // A rejected request is committed too, but does not match the filter.
    const HttpAnswer refused = sendRequest(history.fixture.endpoint(history.webhook.id), "POST",
        { { "Content-Type", "application/json" } }, "{}");
    QCOMPARE(refused.status, 401);
    const HttpAnswer first = history.send();
    const HttpAnswer second = history.send();
    QCOMPARE(first.status, 200);
    QCOMPARE(second.status, 200);
    QTRY_COMPARE(model.rowCount(), 7);
    QCOMPARE(model.requestAt(0).id, second.requestId());
    QCOMPARE(model.requestAt(1).id, first.requestId());
    QCOMPARE(model.requestAt(2).id, ids.last());
    QCOMPARE(model.totalCount(), qint64(7));
    QCOMPARE(model.rowOfId(refused.requestId()), -1);
    QVERIFY(newer.count() >= 1);
    // Coalesced: two commits close together need not mean two loads, never more.
    QVERIFY(newer.count() <= 2);
}

// The page's count and rows follow what the store holds without Refresh: new requests, a webhook
// deleted with its history, and the retention pass.
void tst_HistoryPageModel::countFollowsInsertsAndDeletionsElsewhere()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    Webhook other;
    other.name = u"Refunds"_s;
    other.methods = { u"POST"_s };
    const Result<Webhook> added = history.fixture.store()->config().addWebhook(other);
    QVERIFY2(added, qPrintable(added.error()));
    const QList<qint64> kept = history.logMany(12, history.webhook.id);
    const QList<qint64> refunds = history.logMany(5, added->id);
    QVERIFY(history.openPage());
    RequestTableModel &model = *history.page->model();
    QTRY_COMPARE(model.totalCount(), qint64(17));
    auto *count = child<QLabel>(history.page.get(), u"countLabel"_s);
    QTRY_COMPARE(count->text(), u"17 requests"_s);
    QVERIFY(model.rowOfId(refunds.last()) >= 0);

    // New requests, through the real receiver.
    QCOMPARE(history.send().status, 200);
    QCOMPARE(history.send().status, 200);
    QTRY_COMPARE(model.totalCount(), qint64(19));
    QTRY_COMPARE(count->text(), u"19 requests"_s);

    // A webhook deleted with its history, as the Connections page does it.
    bool removed = false;
    history.fixture.executor()->write(
        &model, [id = added->id](Store &store) { return store.config().removeWebhook(id, true); },
        [&removed](const Status &status) { removed = bool(status); });
    QTRY_VERIFY(removed);
    QTRY_COMPARE(model.totalCount(), qint64(14));
    QTRY_COMPARE(count->text(), u"14 requests"_s);
    QCOMPARE(model.rowCount(), 14);
    for (qint64 id : refunds)
        QCOMPARE(model.rowOfId(id), -1);
    QVERIFY(model.rowOfId(kept.first()) >= 0);

    // The retention pass on the log writer's thread: at most 4 requests kept, the newest.
    QSignalSpy ran(history.fixture.engine(), &Engine::retentionRan);
    history.fixture.engine()->setRetention(0, 4, std::chrono::milliseconds(200));
    QTRY_VERIFY_WITH_TIMEOUT(!ran.isEmpty(), 10000);
    QCOMPARE(ran.first().at(1).toLongLong(), qint64(10));
    history.fixture.engine()->setRetention(0, 0);
    QTRY_COMPARE(model.totalCount(), qint64(4));
    QTRY_COMPARE(count->text(), u"4 requests"_s);
    QCOMPARE(model.rowCount(), 4);
    QVERIFY(loadAll(model));
    const Result<QList<LoggedRequest>> left
        = history.fixture.store()->queries().requests(RequestFilter());
    QVERIFY2(left, qPrintable(left.error()));
    QCOMPARE(left->size(), 4);
    for (int row = 0; row < 4; ++row)
        QCOMPARE(model.requestAt(row).id, left->at(row).id);
}

QTEST_MAIN(tst_HistoryPageModel)
#include "tst_historypage_model.moc"
