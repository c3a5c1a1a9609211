// The Connections page: the webhook list model, its activity from the log, and the actions on a
// webhook (toggle, delete, add) against a real store and receiver. Duplicate and import/export
// are in tst_connections_transfer.cpp.
#include "connectionstest.h"
#include "core/store/store.h"
#include "ui/endpointdialog.h"
#include "ui/sparklinedelegate.h"
#include "ui/webhookformdialog.h"
#include "ui/webhooklistmodel.h"

#include <QAbstractItemModelTester>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace Hooktrail;
using namespace Qt::StringLiterals;

namespace {

using Console = TestSupport::ConnectionsConsole;
using TestSupport::waitForChild;
using TestSupport::webhookNamed;

constexpr qint64 Second = 1000000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Hour = 60 * Minute;

LoggedRequest loggedRequest(const QString &webhookId, qint64 receivedAtMicros)
{
    LoggedRequest entry;
    entry.receivedAtMicros = receivedAtMicros;
    entry.webhookId = webhookId;
    entry.method = "POST";
    entry.path = "/v1/data/webhook/" + webhookId.toLatin1();
    entry.httpVersion = "HTTP/1.1";
    entry.clientAddress = u"127.0.0.1"_s;
    entry.status = 200;
    entry.reason = "accepted";
    entry.instance = u"test"_s;
    return entry;
}

bool logRequests(Store &store, const QString &webhookId, const QList<qint64> &times)
{
    QList<LoggedRequest> batch;
    for (qint64 time : times)
        batch.append(loggedRequest(webhookId, time));
    return store.log().append(batch).ok();
}

// "a,b*,c" → webhooks a, b, c whose id is their letter; a star marks a changed description.
QList<Webhook> webhookList(const QString &spec)
{
    QList<Webhook> out;
    for (QString item : spec.split(u',', Qt::SkipEmptyParts)) {
        Webhook webhook;
        const bool changed = item.endsWith(u'*');
        item.remove(u'*');
        webhook.id = item;
        webhook.name = u"Webhook "_s + item;
        webhook.description = changed ? u"changed"_s : QString();
        webhook.created = webhook.updated = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        out.append(webhook);
    }
    return out;
}

} // namespace

class tst_Connections : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void modelFollowsTheList_data();
    void modelFollowsTheList();
    void modelRoles();
    void relativeTime_data();
    void relativeTime();
    void sparklineBars_data();
    void sparklineBars();
    void sparklinePaintsWithPaletteColours();
    void activityBuckets_data();
    void activityBuckets();

    void emptyStateShowsAndHides();
    void listsWebhooksFromTheStore();
    void followsChangesMadeElsewhere();
    void activityRefreshesInPlace();
    void toggleMakesTheReceiverAnswer503();
    void deleteAsksAndKeepsOrDeletesRequests_data();
    void deleteAsksAndKeepsOrDeletesRequests();
    void shortcutsOpenTheirDialogs_data();
    void shortcutsOpenTheirDialogs();
    void addMoreThenShowsTheEndpoint();
};

void tst_Connections::modelFollowsTheList_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<int>("inserted");
    QTest::addColumn<int>("removed");
    QTest::addColumn<int>("changed");
    QTest::addColumn<bool>("reset");

    QTest::addRow("load into empty") << ""
                                     << "a,b,c" << 3 << 0 << 0 << false;
    QTest::addRow("append") << "a,b"
                            << "a,b,c" << 1 << 0 << 0 << false;
    QTest::addRow("insert in the middle") << "a,c"
                                          << "a,b,c" << 1 << 0 << 0 << false;
    QTest::addRow("update one") << "a,b,c"
                                << "a,b*,c" << 0 << 0 << 1 << false;
    QTest::addRow("remove one") << "a,b,c"
                                << "a,c" << 0 << 1 << 0 << false;
    QTest::addRow("remove all") << "a,b"
                                << "" << 0 << 2 << 0 << false;
    QTest::addRow("nothing new") << "a,b"
                                 << "a,b" << 0 << 0 << 0 << false;
    QTest::addRow("mixed") << "a,b,c"
                           << "a,c*,d" << 1 << 1 << 1 << false;
    QTest::addRow("order changed") << "a,b"
                                   << "b,a" << 0 << 0 << 0 << true;
}

void tst_Connections::modelFollowsTheList()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(int, inserted);
    QFETCH(int, removed);
    QFETCH(int, changed);
    QFETCH(bool, reset);

    WebhookListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setWebhooks(webhookList(before));
    const QPersistentModelIndex first = model.index(0, WebhookListModel::NameColumn);

    QSignalSpy insertedSpy(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removedSpy(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changedSpy(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy resetSpy(&model, &QAbstractItemModel::modelReset);
    const QList<Webhook> target = webhookList(after);
    model.setWebhooks(target);

    QCOMPARE(insertedSpy.size(), inserted);
    QCOMPARE(removedSpy.size(), removed);
    QCOMPARE(changedSpy.size(), changed);
    QCOMPARE(resetSpy.size(), reset ? 1 : 0);
    QCOMPARE(model.rowCount(), int(target.size()));
    for (int row = 0; row < target.size(); ++row) {
        QCOMPARE(model.index(row, 0).data(WebhookListModel::WebhookIdRole).toString(),
            target.at(row).id);
        QCOMPARE(model.index(row, 0).data().toString(), target.at(row).name);
        QCOMPARE(model.webhookAt(row).description, target.at(row).description);
    }
    // A row that stayed keeps its identity for the view (selection, current index).
    if (!reset && first.isValid())
        QCOMPARE(first.data(WebhookListModel::WebhookIdRole).toString(), u"a"_s);
}

void tst_Connections::modelRoles()
{
    WebhookListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<Webhook> webhooks = webhookList(u"a,b"_s);
    webhooks[1].enabled = false;
    model.setWebhooks(webhooks);

    const qint64 now = 1700000000 * Second;
    WebhookActivity busy;
    busy.lastRequestMicros = now - 3 * Minute - 5 * Second;
    busy.count = 7;
    busy.buckets = QList<int>(WebhookActivity::BucketCount, 0);
    busy.buckets[23] = 5;
    busy.buckets[0] = 2;
    QSignalSpy changedSpy(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy resetSpy(&model, &QAbstractItemModel::modelReset);
    model.setActivity({ { u"a"_s, busy } }, now);
    QCOMPARE(resetSpy.size(), 0);
    QCOMPARE(changedSpy.size(), 1);

    const auto cell = [&model](int row, int column) { return model.index(row, column); };
    QCOMPARE(cell(0, WebhookListModel::StatusColumn).data().toString(), u"Enabled"_s);
    QCOMPARE(cell(1, WebhookListModel::StatusColumn).data().toString(), u"Disabled"_s);
    QCOMPARE(cell(1, 0).data(WebhookListModel::EnabledRole).toBool(), false);
    QCOMPARE(cell(0, WebhookListModel::LastRequestColumn).data().toString(), u"3 min ago"_s);
    QCOMPARE(cell(0, WebhookListModel::LastRequestColumn).data(Qt::ToolTipRole).toString(),
        QDateTime::fromMSecsSinceEpoch(busy.lastRequestMicros / 1000, Qt::UTC)
            .toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s));
    QCOMPARE(cell(0, 0).data(WebhookListModel::LastRequestRole).toDateTime(),
        QDateTime::fromMSecsSinceEpoch(busy.lastRequestMicros / 1000, Qt::UTC));
    QCOMPARE(cell(0, 0).data(WebhookListModel::Count24hRole).toLongLong(), 7);
    QCOMPARE(cell(0, 0).data(WebhookListModel::BucketsRole).value<QList<int>>(), busy.buckets);
    QCOMPARE(cell(0, WebhookListModel::ActivityColumn).data(Qt::AccessibleTextRole).toString(),
        u"Requests in the last 24 hours: 7"_s);
    QCOMPARE(cell(0, WebhookListModel::ActivityColumn).data().toString(), u"7"_s);
    // A webhook the log has never seen.
    QCOMPARE(cell(1, WebhookListModel::LastRequestColumn).data().toString(), u"Never"_s);
    QVERIFY(!cell(1, 0).data(WebhookListModel::LastRequestRole).toDateTime().isValid());
    QCOMPARE(cell(1, 0).data(WebhookListModel::Count24hRole).toLongLong(), 0);
    QCOMPARE(cell(1, 0).data(WebhookListModel::BucketsRole).value<QList<int>>(),
        QList<int>(WebhookActivity::BucketCount, 0));
    for (int column = 0; column < model.columnCount(); ++column) {
        QVERIFY(!model.headerData(column, Qt::Horizontal).toString().isEmpty());
        QVERIFY(!cell(0, column).data(Qt::AccessibleTextRole).toString().isEmpty());
        QVERIFY(!cell(0, column).data(Qt::ToolTipRole).toString().isEmpty());
    }
    // Rows added later pick up the activity already known.
    model.setWebhooks(webhookList(u"a,b,c"_s));
    QCOMPARE(cell(0, 0).data(WebhookListModel::Count24hRole).toLongLong(), 7);
}

void tst_Connections::relativeTime_data()
{
    QTest::addColumn<qint64>("age"); // how long before now; -1: never
    QTest::addColumn<QString>("expected");

    QTest::addRow("never") << qint64(-1) << u"Never"_s;
    QTest::addRow("seconds") << 40 * Second << u"just now"_s;
    QTest::addRow("clock ahead") << 0 - 5 * Second << u"just now"_s;
    QTest::addRow("one minute") << Minute << u"1 min ago"_s;
    QTest::addRow("minutes") << 59 * Minute + 59 * Second << u"59 min ago"_s;
    QTest::addRow("hours") << 2 * Hour + 10 * Minute << u"2 h ago"_s;
    QTest::addRow("one day") << 25 * Hour << u"1 d ago"_s;
    QTest::addRow("days") << 24 * 5 * Hour << u"5 d ago"_s;
}

void tst_Connections::relativeTime()
{
    QFETCH(qint64, age);
    QFETCH(QString, expected);
    const qint64 now = 1700000000 * Second;
    QCOMPARE(WebhookListModel::relativeTime(age == -1 ? 0 : now - age, now), expected);
}

void tst_Connections::sparklineBars_data()
{
    QTest::addColumn<QList<int>>("buckets");
    QTest::addColumn<QRect>("area");
    QTest::addColumn<QList<int>>("heights"); // empty: nothing drawn

    QTest::addRow("proportional") << QList<int> { 0, 5, 10 } << QRect(0, 0, 30, 10)
                                  << QList<int> { 0, 5, 10 };
    QTest::addRow("a single request shows")
        << QList<int> { 1, 1000 } << QRect(0, 0, 20, 10) << QList<int> { 1, 10 };
    QTest::addRow("all quiet") << QList<int> { 0, 0, 0 } << QRect(0, 0, 30, 10)
                               << QList<int> { 0, 0, 0 };
    QTest::addRow("too narrow") << QList<int> { 1, 2, 3 } << QRect(0, 0, 2, 10) << QList<int> {};
}

void tst_Connections::sparklineBars()
{
    QFETCH(QList<int>, buckets);
    QFETCH(QRect, area);
    QFETCH(QList<int>, heights);

    const QList<QRect> bars = SparklineDelegate::bars(buckets, area);
    QCOMPARE(bars.size(), heights.size());
    for (int i = 0; i < bars.size(); ++i) {
        QCOMPARE(bars.at(i).height(), heights.at(i));
        QVERIFY(area.contains(bars.at(i)) || bars.at(i).isEmpty());
        if (i > 0)
            QVERIFY(bars.at(i).left() > bars.at(i - 1).left()); // oldest on the left
        if (heights.at(i) > 0)
            QCOMPARE(bars.at(i).bottom(), area.bottom());
    }
}

// The bars take the palette's highlight colour (highlighted text on a selected row), so any
// theme's contrast carries over; no activity draws no bar.
void tst_Connections::sparklinePaintsWithPaletteColours()
{
    QStandardItemModel source(1, 1);
    QList<int> buckets(WebhookActivity::BucketCount, 0);
    buckets[3] = 4;
    buckets[20] = 9;
    source.setData(source.index(0, 0), u"13"_s);
    source.setData(source.index(0, 0), QVariant::fromValue(buckets), WebhookListModel::BucketsRole);
    SparklineDelegate delegate(WebhookListModel::BucketsRole);

    const auto paint = [&](bool selected) {
        QImage image(320, 28, QImage::Format_ARGB32);
        QStyleOptionViewItem option;
        option.rect = image.rect();
        option.state = QStyle::State_Enabled | QStyle::State_Active;
        if (selected)
            option.state |= QStyle::State_Selected;
        option.palette.setColor(QPalette::Base, Qt::white);
        option.palette.setColor(QPalette::Highlight, QColor(200, 0, 0));
        option.palette.setColor(QPalette::HighlightedText, QColor(0, 200, 0));
        image.fill(Qt::white);
        QPainter painter(&image);
        delegate.paint(&painter, option, source.index(0, 0));
        return image;
    };
    const auto count = [](const QImage &image, const QColor &colour) {
        int n = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width() / 2; ++x) // the bars' side, away from the text
                n += image.pixelColor(x, y) == colour ? 1 : 0;
        }
        return n;
    };
    QVERIFY(count(paint(false), QColor(200, 0, 0)) > 10);
    QVERIFY(count(paint(true), QColor(0, 200, 0)) > 10);

    source.setData(source.index(0, 0),
        QVariant::fromValue(QList<int>(WebhookActivity::BucketCount, 0)),
        WebhookListModel::BucketsRole);
    QCOMPARE(count(paint(false), QColor(200, 0, 0)), 0);
}

void tst_Connections::activityBuckets_data()
{
    QTest::addColumn<qint64>("offset"); // from the window's start
    QTest::addColumn<int>("bucket"); // -1: outside the window

    QTest::addRow("window start") << qint64(0) << 0;
    QTest::addRow("just before the window") << qint64(-1) << -1;
    QTest::addRow("end of the first hour") << Hour - 1 << 0;
    QTest::addRow("second hour") << Hour << 1;
    QTest::addRow("noon") << 12 * Hour + 30 * Minute << 12;
    QTest::addRow("last hour") << 23 * Hour + 59 * Minute << 23;
    QTest::addRow("stamped after the window") << 25 * Hour << 23;
}

void tst_Connections::activityBuckets()
{
    QFETCH(qint64, offset);
    QFETCH(int, bucket);

    QTemporaryDir dir;
    Result<std::unique_ptr<Store>> opened = Store::openSqlite(dir.filePath(u"hooktrail.db"_s));
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    Store &store = *opened.value();
    const Result<Webhook> busy = store.config().addWebhook(webhookNamed(u"Busy"_s));
    const Result<Webhook> quiet = store.config().addWebhook(webhookNamed(u"Quiet"_s));
    QVERIFY(busy && quiet);
    const qint64 since = 1700000000 * Second;
    QVERIFY(logRequests(store, busy->id, { since + offset }));
    QVERIFY(logRequests(store, QString(), { since + Hour })); // an unknown route: no webhook

    const Result<QHash<QString, WebhookActivity>> activity = store.queries().webhookActivity(since);
    QVERIFY2(activity.ok(), qPrintable(activity.error()));
    QCOMPARE(activity->size(), 2); // every webhook, quiet ones too
    const WebhookActivity got = activity->value(busy->id);
    QCOMPARE(got.lastRequestMicros, since + offset);
    QCOMPARE(got.count, bucket < 0 ? 0 : 1);
    QList<int> expected(WebhookActivity::BucketCount, 0);
    if (bucket >= 0)
        expected[bucket] = 1;
    QCOMPARE(got.buckets, expected);
    const WebhookActivity none = activity->value(quiet->id);
    QCOMPARE(none.lastRequestMicros, 0);
    QCOMPARE(none.count, 0);
    QCOMPARE(none.buckets, QList<int>(WebhookActivity::BucketCount, 0));
}

void tst_Connections::emptyStateShowsAndHides()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    auto *empty = console.page->findChild<QLabel *>(u"emptyStateLabel"_s);
    QVERIFY(empty);
    QTRY_VERIFY(empty->isVisible());
    QVERIFY(empty->text().contains(u"Add more"_s));
    QVERIFY(!console.page->table()->isVisible());
    auto *addMore = console.page->findChild<QPushButton *>(u"addMoreButton"_s);
    QVERIFY(addMore && addMore->isVisible() && addMore->isEnabled());

    const std::optional<Webhook> added = console.add(webhookNamed(u"Orders"_s));
    QVERIFY(added);
    QTRY_VERIFY(!empty->isVisible());
    QVERIFY(console.page->table()->isVisible());
    QCOMPARE(console.page->model()->rowCount(), 1);

    console.page->removeWebhook(added->id, false);
    QTRY_VERIFY(empty->isVisible());
    QCOMPARE(console.page->model()->rowCount(), 0);
}

void tst_Connections::followsChangesMadeElsewhere()
{
    // A webhook added or disabled by another process (here: another connection, as the CLI
    // would) shows without any write through the console, once the receiver's config follows.
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    auto other = Store::openSqlite(console.fixture.settings()->databasePath());
    QVERIFY2(other, qPrintable(other.error()));
    const Result<Webhook> added
        = other.value()->config().addWebhook(webhookNamed(u"From the CLI"_s));
    QVERIFY2(added, qPrintable(added.error()));
    QTRY_COMPARE_WITH_TIMEOUT(console.rowOf(added->id) >= 0, true, 3000);
    QVERIFY(other.value()->config().setWebhookEnabled(added->id, false).ok());
    QTRY_COMPARE_WITH_TIMEOUT(console.page->model()
                                  ->index(console.rowOf(added->id), 0)
                                  .data(WebhookListModel::EnabledRole)
                                  .toBool(),
        false, 3000);
}

void tst_Connections::listsWebhooksFromTheStore()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    QAbstractItemModelTester tester(
        console.page->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *box = console.page->findChild<QGroupBox *>(u"webhooksBox"_s);
    QVERIFY(box);
    QCOMPARE(box->title(), u"Webhooks"_s);

    Webhook paused = webhookNamed(u"Paused"_s);
    paused.enabled = false;
    const std::optional<Webhook> orders = console.add(webhookNamed(u"Orders"_s));
    const std::optional<Webhook> stopped = console.add(paused);
    QVERIFY(orders && stopped);
    QVERIFY(logRequests(
        *console.db, orders->id, { currentMicros() - 2 * Hour, currentMicros() - Minute }));
    console.page->refreshActivity();
    QTRY_COMPARE(console.page->model()->rowCount(), 2);
    QTRY_COMPARE(console.page->model()
                     ->index(console.rowOf(orders->id), 0)
                     .data(WebhookListModel::Count24hRole)
                     .toLongLong(),
        2);

    WebhookListModel *model = console.page->model();
    const int ordersRow = console.rowOf(orders->id);
    const int pausedRow = console.rowOf(stopped->id);
    QCOMPARE(model->index(ordersRow, WebhookListModel::NameColumn).data().toString(), u"Orders"_s);
    QCOMPARE(
        model->index(ordersRow, WebhookListModel::StatusColumn).data().toString(), u"Enabled"_s);
    QCOMPARE(model->index(ordersRow, WebhookListModel::ActivityColumn).data().toString(), u"2"_s);
    QCOMPARE(model->index(ordersRow, WebhookListModel::LastRequestColumn).data().toString(),
        u"1 min ago"_s);
    QCOMPARE(model->index(pausedRow, WebhookListModel::NameColumn).data().toString(), u"Paused"_s);
    QCOMPARE(
        model->index(pausedRow, WebhookListModel::StatusColumn).data().toString(), u"Disabled"_s);
    QCOMPARE(model->index(pausedRow, 0).data(WebhookListModel::Count24hRole).toLongLong(), 0);
    QCOMPARE(
        model->index(pausedRow, WebhookListModel::LastRequestColumn).data().toString(), u"Never"_s);
}

// Log rows at known ages; the refresh lands in place (no reset, selection kept) with the right
// count, buckets and last request.
void tst_Connections::activityRefreshesInPlace()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    const std::optional<Webhook> busy = console.add(webhookNamed(u"Busy"_s));
    const std::optional<Webhook> old = console.add(webhookNamed(u"Old"_s));
    QVERIFY(busy && old);
    QTRY_COMPARE(console.page->model()->rowCount(), 2);
    console.page->selectWebhook(old->id);
    QCOMPARE(console.page->selectedWebhook()->id, old->id);

    const qint64 now = currentMicros();
    QVERIFY(logRequests(*console.db, busy->id,
        { now - 25 * Hour, now - 23 * Hour - 30 * Minute, now - 90 * Minute, now - 10 * Minute,
            now - 10 * Minute }));
    QVERIFY(logRequests(*console.db, old->id, { now - 30 * Hour }));

    WebhookListModel *model = console.page->model();
    QSignalSpy resetSpy(model, &QAbstractItemModel::modelReset);
    QSignalSpy removedSpy(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changedSpy(model, &QAbstractItemModel::dataChanged);
    QSignalSpy refreshed(console.page.get(), &ConnectionsPage::activityRefreshed);
    console.page->refreshActivity();
    QVERIFY(refreshed.wait(5000));
    QCOMPARE(resetSpy.size(), 0);
    QCOMPARE(removedSpy.size(), 0);
    QVERIFY(changedSpy.size() >= 1);
    QCOMPARE(console.page->selectedWebhook()->id, old->id);

    const QModelIndex busyIndex = model->index(console.rowOf(busy->id), 0);
    QCOMPARE(busyIndex.data(WebhookListModel::Count24hRole).toLongLong(), 4);
    QList<int> expected(WebhookActivity::BucketCount, 0);
    expected[0] = 1; // 23 h 30 min ago
    expected[22] = 1; // 90 min ago
    expected[23] = 2; // 10 min ago
    QCOMPARE(busyIndex.data(WebhookListModel::BucketsRole).value<QList<int>>(), expected);
    QCOMPARE(busyIndex.data(WebhookListModel::LastRequestRole).toDateTime(),
        QDateTime::fromMSecsSinceEpoch((now - 10 * Minute) / 1000, Qt::UTC));
    QCOMPARE(busyIndex.siblingAtColumn(WebhookListModel::LastRequestColumn).data().toString(),
        u"10 min ago"_s);

    const QModelIndex oldIndex = model->index(console.rowOf(old->id), 0);
    QCOMPARE(oldIndex.data(WebhookListModel::Count24hRole).toLongLong(), 0);
    QCOMPARE(oldIndex.siblingAtColumn(WebhookListModel::LastRequestColumn).data().toString(),
        u"1 d ago"_s);
}

void tst_Connections::toggleMakesTheReceiverAnswer503()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    const std::optional<Webhook> webhook = console.add(webhookNamed(u"Orders"_s));
    QVERIFY(webhook);
    QTRY_COMPARE(console.page->model()->rowCount(), 1);
    console.page->selectWebhook(webhook->id);

    // An ordinary client, on this thread's event loop: the page keeps running meanwhile.
    const auto post = [&] {
        return TestSupport::sendRequest(console.fixture.endpoint(webhook->id), "POST",
            { { "Content-Type", "application/json" } }, "{}");
    };
    QCOMPARE(post().reason(), u"missing_api_key"_s); // enabled: checks go on past the state

    console.page->toggleSelected();
    const QModelIndex index = console.page->model()->index(0, 0);
    QTRY_VERIFY(!index.data(WebhookListModel::EnabledRole).toBool());
    const TestSupport::HttpAnswer disabled = post();
    QCOMPARE(disabled.status, 503);
    QCOMPARE(disabled.reason(), u"webhook_disabled"_s);
    QVERIFY(disabled.hasHeader("Retry-After"));
    QCOMPARE(console.page->selectedWebhook()->id, webhook->id); // the change kept the selection

    console.page->toggleSelected();
    QTRY_VERIFY(index.data(WebhookListModel::EnabledRole).toBool());
    QCOMPARE(post().reason(), u"missing_api_key"_s);
}

void tst_Connections::deleteAsksAndKeepsOrDeletesRequests_data()
{
    QTest::addColumn<QString>("button");
    QTest::addColumn<bool>("webhookGone");
    QTest::addColumn<qint64>("requestsLeft");

    QTest::addRow("keep requests") << u"keepRequestsButton"_s << true << qint64(3);
    QTest::addRow("delete requests") << u"deleteRequestsButton"_s << true << qint64(0);
    QTest::addRow("cancel") << u"cancelButton"_s << false << qint64(3);
}

void tst_Connections::deleteAsksAndKeepsOrDeletesRequests()
{
    QFETCH(QString, button);
    QFETCH(bool, webhookGone);
    QFETCH(qint64, requestsLeft);

    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    const std::optional<Webhook> doomed = console.add(webhookNamed(u"Doomed"_s));
    const std::optional<Webhook> other = console.add(webhookNamed(u"Other"_s));
    QVERIFY(doomed && other);
    const qint64 now = currentMicros();
    QVERIFY(logRequests(*console.db, doomed->id, { now - 3 * Hour, now - 2 * Hour, now - Hour }));
    QVERIFY(logRequests(*console.db, other->id, { now - Hour }));
    QTRY_COMPARE(console.page->model()->rowCount(), 2);
    console.page->selectWebhook(doomed->id);

    console.page->deleteSelected();
    QTRY_VERIFY(
        console.page->deleteConfirmation() && console.page->deleteConfirmation()->isVisible());
    QMessageBox *box = console.page->deleteConfirmation();
    QVERIFY2(box->text().contains(u"Doomed"_s), qPrintable(box->text()));
    QVERIFY2(box->informativeText().contains(u"Requests logged for it: 3."_s),
        qPrintable(box->informativeText()));
    QVERIFY(box->windowModality() != Qt::NonModal);
    auto *choice = box->findChild<QPushButton *>(button);
    QVERIFY(choice);
    QSignalSpy removed(console.page.get(), &ConnectionsPage::webhookRemoved);
    choice->click();
    QTRY_VERIFY(!console.page->deleteConfirmation());

    if (webhookGone) {
        QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, 5000); // it may come before the box is gone
        QTRY_COMPARE(console.rowOf(doomed->id), -1);
    } else {
        // Nothing was queued: a full round trip through the store finds the webhook still there.
        QSignalSpy loaded(console.page.get(), &ConnectionsPage::loaded);
        console.page->reload();
        QVERIFY(loaded.wait(5000));
        QVERIFY(console.rowOf(doomed->id) >= 0);
        QCOMPARE(removed.size(), 0);
    }
    QCOMPARE(console.db->config().webhook(doomed->id)->has_value(), !webhookGone);
    QCOMPARE(*console.db->queries().countRequests(doomed->id), requestsLeft);
    QCOMPARE(*console.db->queries().countRequests(other->id), qint64(1));
    QVERIFY(console.rowOf(other->id) >= 0);
}

void tst_Connections::shortcutsOpenTheirDialogs_data()
{
    QTest::addColumn<QKeySequence>("keys");
    QTest::addColumn<QString>("expected"); // class name of the window that opens

    QTest::addRow("Ctrl+N adds") << QKeySequence(Qt::CTRL | Qt::Key_N)
                                 << u"Hooktrail::WebhookFormDialog"_s;
    QTest::addRow("F2 edits") << QKeySequence(Qt::Key_F2) << u"Hooktrail::WebhookFormDialog"_s;
    QTest::addRow("Ctrl+Shift+C copies the endpoint")
        << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C) << u"Hooktrail::EndpointDialog"_s;
    QTest::addRow("Ctrl+T sends a test request")
        << QKeySequence(Qt::CTRL | Qt::Key_T) << u"Hooktrail::TestRequestDialog"_s;
    QTest::addRow("Delete asks") << QKeySequence(QKeySequence::Delete) << u"QMessageBox"_s;
}

void tst_Connections::shortcutsOpenTheirDialogs()
{
    QFETCH(QKeySequence, keys);
    QFETCH(QString, expected);

    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    const std::optional<Webhook> webhook = console.add(webhookNamed(u"Orders"_s));
    QVERIFY(webhook);
    QTRY_COMPARE(console.page->model()->rowCount(), 1);
    console.page->selectWebhook(webhook->id);
    console.page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(console.page.get()));
    console.page->table()->setFocus();

    QTest::keySequence(console.page->table(), keys);
    QDialog *opened = nullptr;
    QTRY_VERIFY((opened = console.page->findChild<QDialog *>()) && opened->isVisible());
    QCOMPARE(QString::fromLatin1(opened->metaObject()->className()), expected);
    QVERIFY(opened->isModal() || opened->windowModality() != Qt::NonModal);
    QVERIFY(opened->testAttribute(Qt::WA_DeleteOnClose));
    QPointer<QDialog> guard(opened);
    opened->reject();
    QTRY_VERIFY(!guard); // closed dialogs do not pile up
}

// The Octolis flow: Add more → form → Save → the API-key modal for the new webhook.
void tst_Connections::addMoreThenShowsTheEndpoint()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    console.page->findChild<QPushButton *>(u"addMoreButton"_s)->click();
    auto *form = waitForChild<WebhookFormDialog>(console.page.get());
    QVERIFY(form);
    auto *name = form->findChild<QLineEdit *>(u"nameEdit"_s);
    QVERIFY(name);
    QTest::keyClicks(name, u"Invoices"_s);
    auto *save = form->findChild<QPushButton *>(u"saveButton"_s);
    QTRY_VERIFY(save->isEnabled());
    save->click();

    auto *endpoint = waitForChild<EndpointDialog>(console.page.get());
    QVERIFY(endpoint);
    QTRY_COMPARE(console.page->model()->rowCount(), 1);
    const Webhook added = console.page->model()->webhookAt(0);
    QCOMPARE(added.name, u"Invoices"_s);
    QCOMPARE(endpoint->endpointWithoutKey(), console.fixture.endpoint(added.id));
    QTRY_COMPARE(console.page->selectedWebhook()->id, added.id);
}

QTEST_MAIN(tst_Connections)
#include "tst_connections.moc"
