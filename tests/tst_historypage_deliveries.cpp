// Tests for what the history shows of deliveries (ARCHITECTURE §5.5): the Delivery column
// following the real deliverer over loopback, the filter on it, the detail's Deliveries tab with
// every attempt and its answer, and Redeliver for the selection and for everything matching,
// with confirmation, progress and Stop.
#include "core/store/deliverytables.h"
#include "destinationserver.h"
#include "historypagetest.h"
#include "ui/deliveriesview.h"
#include "ui/redelivercontroller.h"
#include "ui/tones.h"

#include <QMenu>
#include <QProgressBar>
#include <QStandardItemModel>
#include <QToolButton>
#include <QTreeWidget>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_HistoryPageDeliveries final : public HistoryPageTest
{
    Q_OBJECT

private slots:
    void columnFollowsTheDeliverer();
    void filterOnDeliveryState();
    void deliveriesTabListsEveryAttempt();
    void redeliverSelection();
    void redeliverMatchingWithProgressAndStop();
    void columnShownAfterAnOlderLayout();

private:
    // The webhook delivering to `server`, or paused (its deliveries wait).
    static Destination addDestination(History &history, const DestinationServer &server,
        bool enabled = true, const QString &name = u"App"_s);
    static QString deliveryText(HistoryPage &page, qint64 id);
    static QColor deliveryColour(HistoryPage &page, qint64 id);
    static qint64 pendingDeliveries(History &history, const QString &destinationId);
};

Destination tst_HistoryPageDeliveries::addDestination(
    History &history, const DestinationServer &server, bool enabled, const QString &name)
{
    Destination destination;
    destination.webhookId = history.webhook.id;
    destination.name = name;
    destination.url = server.url();
    destination.timeoutMs = 5000;
    Result<Destination> added = history.fixture.store()->deliveries().addDestination(destination);
    if (!added) {
        qWarning() << added.error();
        return {};
    }
    if (!enabled)
        history.fixture.store()->deliveries().setDestinationEnabled(added->id, false);
    history.fixture.receiverFollows();
    return *added;
}

QString tst_HistoryPageDeliveries::deliveryText(HistoryPage &page, qint64 id)
{
    const int row = page.model()->rowOfId(id);
    if (row < 0)
        return {};
    return page.model()->index(row, RequestTableModel::DeliveryColumn).data().toString();
}

QColor tst_HistoryPageDeliveries::deliveryColour(HistoryPage &page, qint64 id)
{
    const int row = page.model()->rowOfId(id);
    return page.model()
        ->index(row, RequestTableModel::DeliveryColumn)
        .data(Qt::ForegroundRole)
        .value<QBrush>()
        .color();
}

qint64 tst_HistoryPageDeliveries::pendingDeliveries(History &history, const QString &destinationId)
{
    const Result<qint64> count
        = history.fixture.store()->deliveries().unfinishedCount(destinationId);
    return count ? *count : -1;
}

// A request the destination refuses with 503 and Retry-After reads Retrying, in the waiting tone,
// until the retry it asked for succeeds; one answered 400 reads Failed at once; a rejected
// request has no delivery.
void tst_HistoryPageDeliveries::columnFollowsTheDeliverer()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    DestinationServer server;
    QVERIFY(server.listen());
    server.respond([](const ParsedRequest &request, int) {
        DestinationServer::Answer answer;
        if (request.body.contains("\"fail\"")) {
            answer.status = 400;
            answer.body = "bad input";
        } else if (request.header("X-Hooktrail-Delivery-Attempt") == "1") {
            answer.status = 503;
            answer.headers = "Retry-After: 2\r\n";
        }
        return answer;
    });
    addDestination(history, server);
    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;
    const QPalette palette = QGuiApplication::palette();

    const HttpAnswer retried = history.send("{\"retry\":true}");
    QCOMPARE(retried.status, 200);
    QVERIFY(history.waitForRow(retried.requestId()));
    QTRY_COMPARE_WITH_TIMEOUT(deliveryText(page, retried.requestId()), u"Retrying"_s, 10000);
    QCOMPARE(
        deliveryColour(page, retried.requestId()), Tones::colour(Tones::Tone::Waiting, palette));
    QTRY_COMPARE_WITH_TIMEOUT(deliveryText(page, retried.requestId()), u"Delivered"_s, 15000);
    QCOMPARE(deliveryColour(page, retried.requestId()), Tones::colour(Tones::Tone::Good, palette));
    const int row = page.model()->rowOfId(retried.requestId());
    QCOMPARE(page.model()->index(row, 0).data(RequestTableModel::DeliveryRole).toInt(),
        int(DeliveryState::Delivered));

    const HttpAnswer failed = history.send("{\"fail\":true}");
    QCOMPARE(failed.status, 200);
    QVERIFY(history.waitForRow(failed.requestId()));
    QTRY_COMPARE_WITH_TIMEOUT(deliveryText(page, failed.requestId()), u"Failed"_s, 10000);
    QCOMPARE(deliveryColour(page, failed.requestId()), Tones::colour(Tones::Tone::Bad, palette));
    const QModelIndex failedCell = page.model()->index(
        page.model()->rowOfId(failed.requestId()), RequestTableModel::DeliveryColumn);
    QVERIFY(failedCell.data(Qt::ToolTipRole).toString().contains(u"gave up"_s));
    QVERIFY(!failedCell.data(Qt::DecorationRole).value<QIcon>().isNull());

    const HttpAnswer rejected = sendRequest(
        history.fixture.endpoint(history.webhook.id) + u"?api-key=wrong"_s, "POST", {}, "{}");
    QCOMPARE(rejected.status, 401);
    QVERIFY(history.waitForRow(rejected.requestId()));
    QCOMPARE(deliveryText(page, rejected.requestId()), u"—"_s);
    QCOMPARE(server.received.size(), 3); // 503, then 200; 400 once: nothing for the rejected one

    // A page opened later reads the states with the rows.
    history.page.reset();
    QVERIFY(history.openPage());
    QVERIFY(history.waitForRow(failed.requestId()));
    QCOMPARE(deliveryText(*history.page, retried.requestId()), u"Delivered"_s);
    QCOMPARE(deliveryText(*history.page, failed.requestId()), u"Failed"_s);
}

// The filter bar's Delivery choice reads only the rows in that state, "not delivered anywhere"
// the ones without a delivery.
void tst_HistoryPageDeliveries::filterOnDeliveryState()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    const QList<qint64> ids = history.logMany(4, history.webhook.id);
    QCOMPARE(ids.size(), 4);
    DestinationServer server;
    QVERIFY(server.listen());
    server.respond([](const ParsedRequest &, int) {
        DestinationServer::Answer gone;
        gone.status = 410;
        return gone;
    });
    const Destination refusing = addDestination(history, server);
    const Destination paused = addDestination(history, server, false, u"Paused"_s);
    DeliveryTables &deliveries = history.fixture.store()->deliveries();
    // One request waits for the paused destination; the other fails at the one answering 410.
    QCOMPARE(*deliveries.redeliver(QList<qint64> { ids.at(0) }, paused.id), qint64(1));
    QCOMPARE(*deliveries.redeliver(QList<qint64> { ids.at(1) }, refusing.id), qint64(1));
    QTRY_COMPARE_WITH_TIMEOUT(pendingDeliveries(history, refusing.id), qint64(0), 10000);
    QCOMPARE(server.received.size(), 1);

    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;
    QTRY_COMPARE(page.model()->totalCount(), qint64(4));
    auto *filter = child<QComboBox>(&page, u"deliveryFilter"_s);
    QVERIFY(filter);
    const auto choose = [&](int state, qint64 expected) {
        filter->setCurrentIndex(filter->findData(state));
        return QTest::qWaitFor(
            [&] { return page.model()->totalCount() == expected && loadAll(*page.model()); }, 5000);
    };
    QVERIFY(choose(int(DeliveryState::Pending), 1));
    QCOMPARE(loadedIds(*page.model()), QList<qint64> { ids.at(0) });
    QVERIFY(page.currentFilter().delivery == DeliveryState::Pending);
    QVERIFY(choose(int(DeliveryState::Failed), 1));
    QCOMPARE(loadedIds(*page.model()), QList<qint64> { ids.at(1) });
    QVERIFY(choose(int(DeliveryState::None), 2));
    QCOMPARE(loadedIds(*page.model()), (QList<qint64> { ids.at(3), ids.at(2) }));
    QVERIFY(choose(int(DeliveryState::Delivered), 0));
    QTRY_VERIFY(child<QLabel>(&page, u"emptyHistoryLabel"_s)->text().contains(u"matches"_s));
    QVERIFY(choose(-1, 4));
    QVERIFY(!page.currentFilter().delivery);
}

// The Deliveries tab: one row per destination with its state, an attempt under it for each try,
// and the destination's answer (status, headers, body) for the attempt selected; it follows the
// deliverer while open and is copied as text.
void tst_HistoryPageDeliveries::deliveriesTabListsEveryAttempt()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    DestinationServer server;
    QVERIFY(server.listen());
    server.respond([](const ParsedRequest &request, int) {
        DestinationServer::Answer answer;
        if (request.header("X-Hooktrail-Delivery-Attempt") == "1") {
            answer.status = 503;
            answer.headers = "Retry-After: 1\r\nX-Upstream: busy\r\n";
            answer.body = "try later";
        } else {
            answer.status = 201;
            answer.headers = "Content-Type: application/json\r\n";
            answer.body = "{\"stored\":true}";
        }
        return answer;
    });
    addDestination(history, server, true, u"Orders app"_s);
    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;

    const HttpAnswer sent = history.send("{\"order\":7}");
    QCOMPARE(sent.status, 200);
    QVERIFY(history.waitForRow(sent.requestId()));
    QVERIFY(history.selectAndShow(sent.requestId()));
    RequestDetailView *detail = page.detailView();
    detail->tabs()->setCurrentIndex(RequestDetailView::DeliveriesTab);
    DeliveriesView *view = detail->deliveriesView();
    QTreeWidget *tree = view->tree();
    // Open while the deliverer works: the first attempt, then the second, arrive by themselves.
    QTRY_COMPARE_WITH_TIMEOUT(
        tree->topLevelItemCount() == 1 ? tree->topLevelItem(0)->childCount() : 0, 2, 15000);
    QCOMPARE(detail->tabs()->tabText(RequestDetailView::DeliveriesTab), u"Deli&veries (1)"_s);
    const QTreeWidgetItem *delivery = tree->topLevelItem(0);
    QCOMPARE(delivery->text(DeliveriesView::DestinationColumn), u"Orders app"_s);
    QCOMPARE(delivery->text(DeliveriesView::ResultColumn), u"Delivered"_s);
    QCOMPARE(delivery->child(0)->text(DeliveriesView::ResultColumn), u"HTTP 503"_s);
    QCOMPARE(delivery->child(1)->text(DeliveriesView::ResultColumn), u"HTTP 201"_s);
    QVERIFY(child<QLabel>(view, u"deliveriesSummary"_s)->text().contains(u"1 delivered"_s));

    // The latest attempt's answer is shown first; the first one's on selecting it.
    QCOMPARE(tree->currentItem(), delivery->child(1));
    QVERIFY2(view->answer()->toPlainText().startsWith(u"HTTP 201\n"_s),
        qPrintable(view->answer()->toPlainText()));
    QVERIFY(view->answer()->toPlainText().contains(u"{\"stored\":true}"_s));
    tree->setCurrentItem(delivery->child(0));
    const QString first = view->answer()->toPlainText();
    QVERIFY2(first.contains(u"Retry-After: 1"_s) && first.contains(u"X-Upstream: busy"_s)
            && first.contains(u"try later"_s),
        qPrintable(first));

    // Copied as text: every attempt, then the answer shown.
    const QString copied = detail->tabContent(RequestDetailView::DeliveriesTab);
    QVERIFY2(copied.contains(u"Attempt 1"_s) && copied.contains(u"Attempt 2"_s)
            && copied.contains(u"try later"_s),
        qPrintable(copied));

    // A rejected request says why it has none, and offers nothing to redeliver.
    const HttpAnswer rejected = sendRequest(
        history.fixture.endpoint(history.webhook.id) + u"?api-key=wrong"_s, "POST", {}, "{}");
    QVERIFY(history.waitForRow(rejected.requestId()));
    QVERIFY(history.selectAndShow(rejected.requestId()));
    QCOMPARE(tree->topLevelItemCount(), 0);
    QVERIFY(child<QLabel>(view, u"deliveriesSummary"_s)->text().contains(u"not delivered"_s));
    QVERIFY(!view->redeliverButton()->isEnabled());
}

// Redeliver for the selection asks first, then sends each selected accepted request again with
// the same request id; the tab's "Deliver again" does it for the request shown.
void tst_HistoryPageDeliveries::redeliverSelection()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    DestinationServer server;
    QVERIFY(server.listen());
    addDestination(history, server);
    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;
    const HttpAnswer a = history.send("{\"a\":1}");
    const HttpAnswer b = history.send("{\"b\":2}");
    QVERIFY(history.waitForRow(a.requestId()) && history.waitForRow(b.requestId()));
    QTRY_COMPARE_WITH_TIMEOUT(server.received.size(), 2, 10000);
    QTRY_COMPARE(deliveryText(page, a.requestId()), u"Delivered"_s);

    auto *button = child<QToolButton>(&page, u"redeliverMenuButton"_s);
    QVERIFY(button && button->menu());
    QCOMPARE(button->menu()->actions().size(), 2);

    page.table()->selectAll();
    QTRY_VERIFY(button->menu()->actions().at(0)->isEnabled());
    RedeliverController *redeliver = page.redeliverController();
    // Cancelled: nothing goes again.
    page.redeliverSelected();
    QVERIFY(redeliver->confirmation());
    QVERIFY2(redeliver->confirmation()->text().contains(u"Deliver the 2 selected request"_s),
        qPrintable(redeliver->confirmation()->text()));
    QTest::mouseClick(
        child<QPushButton>(redeliver->confirmation(), u"cancelButton"_s), Qt::LeftButton);
    QTRY_VERIFY(!redeliver->confirmation());
    QTest::qWait(300);
    QCOMPARE(server.received.size(), 2);

    QSignalSpy redelivered(redeliver, &RedeliverController::redelivered);
    page.redeliverSelected();
    QVERIFY(redeliver->confirmation());
    QTest::mouseClick(
        child<QPushButton>(redeliver->confirmation(), u"redeliverButton"_s), Qt::LeftButton);
    QTRY_COMPARE(redelivered.count(), 1);
    QCOMPARE(redelivered.first().at(0).toLongLong(), qint64(2));
    QTRY_COMPARE_WITH_TIMEOUT(server.received.size(), 4, 10000);
    QTRY_VERIFY(page.notification()->text().contains(u"scheduled again"_s));
    QSet<QByteArray> firstIds;
    QSet<QByteArray> againIds;
    for (int i = 0; i < 4; ++i)
        (i < 2 ? firstIds : againIds) << server.received.at(i).header("X-Hooktrail-Request-Id");
    QCOMPARE(againIds, firstIds); // the same ids, for the destination to deduplicate

    // From the Deliveries tab: this request alone.
    QVERIFY(history.selectAndShow(b.requestId()));
    page.detailView()->tabs()->setCurrentIndex(RequestDetailView::DeliveriesTab);
    DeliveriesView *view = page.detailView()->deliveriesView();
    QTRY_VERIFY(view->redeliverButton()->isEnabled());
    QTest::mouseClick(view->redeliverButton(), Qt::LeftButton);
    QTRY_VERIFY(redeliver->confirmation());
    QVERIFY(redeliver->confirmation()->text().contains(u"Deliver the 1 selected request"_s));
    QTest::mouseClick(
        child<QPushButton>(redeliver->confirmation(), u"redeliverButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(server.received.size(), 5, 10000);
    QCOMPARE(
        server.received.last().header("X-Hooktrail-Request-Id"), QByteArray::number(b.requestId()));
    // The tab follows: a third attempt is listed under the delivery.
    QTRY_COMPARE_WITH_TIMEOUT(
        view->tree()->topLevelItemCount() == 1 ? view->tree()->topLevelItem(0)->childCount() : 0, 3,
        10000);
}

// Redeliver for everything matching counts the accepted matching requests, asks, and schedules
// them a chunk at a time with progress; rejected ones are left out. Stop ends it between chunks,
// with what was done kept and said.
void tst_HistoryPageDeliveries::redeliverMatchingWithProgressAndStop()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    constexpr int Accepted = 2 * RedeliverController::ChunkSize + 100;
    QCOMPARE(history.logMany(Accepted, history.webhook.id).size(), Accepted);
    QList<LoggedRequest> rejected;
    for (int i = 0; i < 5; ++i)
        rejected << entry(history.webhook.id, 401, "invalid_api_key");
    QCOMPARE(history.log(rejected).size(), 5);
    DestinationServer server;
    QVERIFY(server.listen());
    const Destination paused = addDestination(history, server, false); // nothing is sent
    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;
    QTRY_COMPARE(page.model()->totalCount(), qint64(Accepted + 5));
    RedeliverController *redeliver = page.redeliverController();

    // Stopped after the first chunk: that chunk is kept, the rest is not scheduled.
    page.redeliverMatching();
    QTRY_VERIFY(redeliver->confirmation());
    QVERIFY2(redeliver->confirmation()->text().contains(
                 u"Deliver the %1 accepted request"_s.arg(QLocale().toString(Accepted))),
        qPrintable(redeliver->confirmation()->text()));
    QSignalSpy redelivered(redeliver, &RedeliverController::redelivered);
    QTest::mouseClick(
        child<QPushButton>(redeliver->confirmation(), u"redeliverButton"_s), Qt::LeftButton);
    QVERIFY(redeliver->progress());
    QCOMPARE(redeliver->progress()->maximum(), Accepted);
    redeliver->progress()->cancel();
    QTRY_COMPARE(redelivered.count(), 1);
    QCOMPARE(redelivered.first().at(0).toLongLong(), qint64(RedeliverController::ChunkSize));
    QCOMPARE(pendingDeliveries(history, paused.id), qint64(RedeliverController::ChunkSize));
    QTRY_VERIFY(page.notification()->text().contains(u"stopped"_s));
    QVERIFY(!redeliver->isRunning());

    // To the end: every accepted request has its delivery, and the progress reached the total.
    redelivered.clear();
    page.redeliverMatching();
    QTRY_VERIFY(redeliver->confirmation());
    QTest::mouseClick(
        child<QPushButton>(redeliver->confirmation(), u"redeliverButton"_s), Qt::LeftButton);
    QPointer<QProgressDialog> progress = redeliver->progress();
    QVERIFY(progress);
    auto *bar = progress->findChild<QProgressBar *>();
    QVERIFY(bar);
    QSignalSpy moved(bar, &QProgressBar::valueChanged);
    QTRY_COMPARE_WITH_TIMEOUT(redelivered.count(), 1, 20000);
    QCOMPARE(redelivered.first().at(0).toLongLong(), qint64(Accepted));
    QCOMPARE(pendingDeliveries(history, paused.id), qint64(Accepted));
    // A step per chunk, up to the total.
    QList<int> steps;
    for (const QList<QVariant> &signal : std::as_const(moved))
        steps << signal.at(0).toInt();
    QCOMPARE(steps,
        (QList<int> {
            RedeliverController::ChunkSize, 2 * RedeliverController::ChunkSize, Accepted }));
    QTRY_VERIFY(!progress);
    // The table says so: the newest accepted row (below the five rejected) waits for the paused
    // destination; a rejected one has none.
    QVERIFY(!page.model()->requestAt(4).accepted() && page.model()->requestAt(5).accepted());
    QTRY_COMPARE(deliveryText(page, page.model()->requestAt(5).id), u"Pending"_s);
    QCOMPARE(deliveryText(page, page.model()->requestAt(4).id), u"—"_s);

    // A filter showing rejected requests has nothing to redeliver, and says so.
    auto *outcome = child<QComboBox>(&page, u"outcomeFilter"_s);
    outcome->setCurrentIndex(outcome->findData(int(RequestFilter::Outcome::Rejected)));
    QTRY_COMPARE(page.model()->totalCount(), qint64(5));
    page.redeliverMatching();
    QTRY_VERIFY(page.notification()->text().contains(u"Only accepted requests"_s));
    QVERIFY(!redeliver->confirmation());
}

// A column layout saved before the Delivery column existed still shows it.
void tst_HistoryPageDeliveries::columnShownAfterAnOlderLayout()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    {
        QStandardItemModel older(0, RequestTableModel::DeliveryColumn); // one column fewer
        QTableView table;
        table.setModel(&older);
        table.horizontalHeader()->resizeSection(0, 150);
        history.fixture.settings()->setHistoryColumnsState(table.horizontalHeader()->saveState());
    }
    QVERIFY(history.openPage());
    QHeaderView *columns = history.page->table()->horizontalHeader();
    QVERIFY(!columns->isSectionHidden(RequestTableModel::DeliveryColumn));
    QVERIFY(columns->sectionSize(RequestTableModel::DeliveryColumn) > 0);
    QCOMPARE(history.page->model()
                 ->headerData(RequestTableModel::DeliveryColumn, Qt::Horizontal)
                 .toString(),
        u"Delivery"_s);
}

QTEST_MAIN(tst_HistoryPageDeliveries)
#include "tst_historypage_deliveries.moc"
