// Tests for how the history page is laid out: the list beside the detail and the split kept,
// the summary atop the detail, a copy button for every tab, and messages that float.
#include "historypagetest.h"

#include "core/endpoint/reasontext.h"
#include "ui/historychart.h"
#include "ui/languages.h"
#include "ui/requestdetailview.h"

#include <QDir>
#include <QLayout>
#include <QTemporaryDir>
#include <QToolButton>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_HistoryPageLayout final : public HistoryPageTest
{
    Q_OBJECT

private slots:
    void detailBesideTheListTakesMostOfTheWidth_data();
    void detailBesideTheListTakesMostOfTheWidth();
    void splitRememberedAcrossRuns();
    void summaryShowsMethodStatusReasonAndSize();
    void everyTabCopiesItsText();
    void notificationDoesNotMoveTheTable();
    void notificationGoesOnSelectionChangeAndTimeout();
    void errorStaysUntilDismissed();
    void reasonsReadAsWordsWithTheirCode_data();
    void reasonsReadAsWordsWithTheirCode();
    void timeColumnShortForToday();
    void chartAxisRunsLeftToRightWithoutRepeats_data();
    void chartAxisRunsLeftToRightWithoutRepeats();
    void chartOfAPresetEndsNow();
    void chartDragFiltersToThatPeriod();
};

void tst_HistoryPageLayout::detailBesideTheListTakesMostOfTheWidth_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addRow("1280x800") << QSize(1280, 800);
    QTest::addRow("1920x1080") << QSize(1920, 1080);
}

void tst_HistoryPageLayout::detailBesideTheListTakesMostOfTheWidth()
{
    QFETCH(QSize, size);
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    history.logMany(3, history.webhook.id);
    history.page = std::make_unique<HistoryPage>(history.context());
    history.page->resize(size);
    history.page->show();
    QVERIFY(QTest::qWaitForWindowExposed(history.page.get()));
    QSplitter *splitter = history.page->splitter();
    QCOMPARE(splitter->orientation(), Qt::Horizontal);
    QCOMPARE(splitter->widget(0), history.page->table());
    QCOMPARE(splitter->widget(1), history.page->detailView());
    const QList<int> sizes = splitter->sizes();
    QVERIFY2(sizes.value(1) > splitter->width() / 2,
        qPrintable(u"%1 of %2"_s.arg(sizes.value(1)).arg(splitter->width())));
    // The list still reads: it keeps a good third of the page.
    QVERIFY2(sizes.value(0) > splitter->width() / 3, qPrintable(u"%1"_s.arg(sizes.value(0))));
    // Side by side: the same top, the list to the left.
    const QRect list = history.page->table()->geometry();
    const QRect detail = history.page->detailView()->geometry();
    QCOMPARE(list.top(), detail.top());
    QVERIFY(list.right() < detail.left());
}

void tst_HistoryPageLayout::splitRememberedAcrossRuns()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    QSplitter *splitter = history.page->splitter();
    const int total = splitter->sizes().value(0) + splitter->sizes().value(1);
    splitter->setSizes({ total / 2 + 40, total - total / 2 - 40 });
    const QList<int> chosen = splitter->sizes();
    QVERIFY(chosen
        != QList<int>({ total * HistoryPage::ListShare / 100,
            total - total * HistoryPage::ListShare / 100 }));
    history.tester.reset();
    history.page.reset(); // saves on the way out
    QVERIFY(history.openPage()); // the same settings
    QCOMPARE(history.page->splitter()->orientation(), Qt::Horizontal);
    QCOMPARE(history.page->splitter()->sizes(), chosen);

    // A layout saved before the split was side by side is not taken for this one.
    QSplitter old(Qt::Vertical);
    old.addWidget(new QWidget);
    old.addWidget(new QWidget);
    old.setSizes({ 300, 500 });
    history.tester.reset();
    history.page.reset();
    history.fixture.settings()->setHistorySplitterState(old.saveState());
    QVERIFY(history.openPage());
    QCOMPARE(history.page->splitter()->orientation(), Qt::Horizontal);
    QVERIFY(history.page->splitter()->sizes().value(1) > history.page->splitter()->width() / 2);
}

void tst_HistoryPageLayout::summaryShowsMethodStatusReasonAndSize()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    LoggedRequest rejected = entry(history.webhook.id, 401, "invalid_api_key");
    rejected.method = "PUT";
    rejected.body = QByteArray(2048, 'x');
    rejected.bodySize = rejected.body.size();
    // A sender's method stays short and plain.
    LoggedRequest odd = entry(history.webhook.id, 405, "method_not_allowed");
    odd.method = QByteArray(200, 'X');
    const QList<qint64> ids = history.log({ rejected, odd });
    QVERIFY(history.openPage());
    QVERIFY(history.waitForRow(ids.first()));
    QVERIFY(history.selectAndShow(ids.first()));
    RequestSummary *summary = history.page->detailView()->summary();
    QVERIFY(summary->isVisible());
    QCOMPARE(summary->method(), u"PUT"_s);
    QCOMPARE(summary->status(), u"401 Unauthorized"_s);
    QCOMPARE(summary->reason(), Endpoint::reasonText("invalid_api_key"));
    QVERIFY(!summary->reason().isEmpty());
    QCOMPARE(summary->size(), QLocale().formattedDataSize(2048));
    QVERIFY(!summary->time().isEmpty());
    // Room enough: shown whole, not cut to a width the label had while hidden.
    QTRY_COMPARE(child<QLabel>(summary, u"summaryReason"_s)->text(), summary->reason());
    auto *status = child<QLabel>(summary, u"summaryStatus"_s);
    QVERIFY(status->accessibleName().contains(u"Rejected"_s));
    // Above the tabs.
    QVERIFY(summary->mapTo(history.page.get(), QPoint(0, 0)).y()
        < history.page->detailView()->tabs()->mapTo(history.page.get(), QPoint(0, 0)).y());

    QVERIFY(history.selectAndShow(ids.at(1)));
    QCOMPARE(summary->method().size(), RequestSummary::MethodLength);
}

void tst_HistoryPageLayout::everyTabCopiesItsText()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    const HttpAnswer answer = history.send("{\"copy\":\"me\"}", { { "X-Trace", "t-9" } });
    QCOMPARE(answer.status, 200);
    QVERIFY(history.waitForRow(answer.requestId()));
    QVERIFY(history.selectAndShow(answer.requestId()));
    RequestDetailView *detail = history.page->detailView();
    QToolButton *copy = detail->copyButton();
    QVERIFY(copy->isVisible());
    QVERIFY(copy->toolTip().contains(u"Ctrl+Alt+C"_s));
    QClipboard *clipboard = QGuiApplication::clipboard();

    const auto copied = [&](int tab) {
        detail->tabs()->setCurrentIndex(tab);
        clipboard->setText(u"nothing yet"_s);
        QTest::mouseClick(copy, Qt::LeftButton);
        return clipboard->text();
    };
    const QString overview = copied(RequestDetailView::OverviewTab);
    QVERIFY2(overview.contains(detail->overviewText()), qPrintable(overview));
    QVERIFY(overview.contains(u"POST"_s));
    QVERIFY(history.page->notification()->isShown());
    QCOMPARE(history.page->notification()->text(), u"Overview copied."_s);
    QCOMPARE(copy->text(), u"Copied"_s); // feedback where the user clicked

    const QString headers = copied(RequestDetailView::HeadersTab);
    QVERIFY2(headers.contains(u"X-Trace: t-9"_s), qPrintable(headers));
    QVERIFY(headers.contains(u"Content-Type: application/json"_s));
    const QString query = copied(RequestDetailView::QueryTab);
    QVERIFY2(query.contains(u"api-key: ***"_s), qPrintable(query));
    QVERIFY(!query.contains(history.key.secret));
    QCOMPARE(copied(RequestDetailView::BodyTab), detail->bodyText());
    QVERIFY(detail->bodyText().contains(u"\"copy\": \"me\""_s));
    const QString raw = copied(RequestDetailView::RawTab);
    QVERIFY(raw.startsWith(u"POST /v1/data/webhook/"_s));
    QCOMPARE(raw, detail->rawText());
    const QString hex = copied(RequestDetailView::HexTab);
    QVERIFY(hex.startsWith(u"00000000  7b 22"_s));
    const QString response = copied(RequestDetailView::AnswerTab);
    QVERIFY2(response.startsWith(u"HTTP/1.1 200 OK"_s), qPrintable(response));
    QCOMPARE(history.page->notification()->text(), u"Response copied."_s);

    // The shortcut, from the table.
    history.page->table()->setFocus();
    detail->tabs()->setCurrentIndex(RequestDetailView::HeadersTab);
    clipboard->setText(u"nothing yet"_s);
    QTest::keyClick(history.page->table(), Qt::Key_C, Qt::ControlModifier | Qt::AltModifier);
    QCOMPARE(clipboard->text(), headers);
}

void tst_HistoryPageLayout::notificationDoesNotMoveTheTable()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    const QList<qint64> ids = history.logMany(40, history.webhook.id);
    QVERIFY(history.openPage());
    QTRY_COMPARE(history.page->model()->rowCount(), 40);
    QVERIFY(history.selectAndShow(ids.at(5)));
    QTableView *table = history.page->table();
    const QPoint point(40, table->viewport()->height() - 10); // where messages show
    const QRect before = table->geometry();
    const QPoint globalBefore = table->mapToGlobal(QPoint(0, 0));
    const int rowBefore = table->rowAt(point.y());
    QVERIFY(rowBefore >= 0);

    history.page->copyAsCurl();
    Notification *notification = history.page->notification();
    QVERIFY(notification->isShown());
    QVERIFY(notification->text().contains(u"curl"_s));
    QCOMPARE(notification->accessibleDescription(), notification->text());
    QVERIFY(!notification->accessibleName().isEmpty());
    QCoreApplication::processEvents();
    QCOMPARE(table->geometry(), before);
    QCOMPARE(table->mapToGlobal(QPoint(0, 0)), globalBefore);
    QCOMPARE(table->rowAt(point.y()), rowBefore);
    // Over the page, not in its layout.
    QVERIFY(history.page->layout()->indexOf(notification) < 0);
    QVERIFY(history.page->rect().contains(notification->geometry()));

    history.page->notification()->showError(u"A long error that wraps. "_s.repeated(20));
    QCoreApplication::processEvents();
    QCOMPARE(table->geometry(), before);
    QCOMPARE(table->rowAt(point.y()), rowBefore);
    QVERIFY(history.page->rect().contains(notification->geometry()));
}

void tst_HistoryPageLayout::notificationGoesOnSelectionChangeAndTimeout()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    const QList<qint64> ids = history.logMany(3, history.webhook.id);
    QVERIFY(history.openPage());
    QTRY_COMPARE(history.page->model()->rowCount(), 3);
    QVERIFY(history.selectAndShow(ids.at(0)));
    Notification *notification = history.page->notification();
    history.page->copyAsCurl();
    QVERIFY(notification->isShown());
    QVERIFY(history.selectAndShow(ids.at(1)));
    QVERIFY(!notification->isShown());

    // By itself, after its time.
    notification->setTimeout(300);
    history.page->copyAsCurl();
    QVERIFY(notification->isShown());
    QTRY_VERIFY_WITH_TIMEOUT(!notification->isShown(), 10000);

    // When the user goes to another page.
    notification->setTimeout(Notification::TimeoutMs);
    history.page->copyAsCurl();
    QVERIFY(notification->isShown());
    history.page->hide();
    history.page->show();
    QVERIFY(!notification->isShown());
}

void tst_HistoryPageLayout::errorStaysUntilDismissed()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    const QList<qint64> ids = history.logMany(3, history.webhook.id);
    QVERIFY(history.openPage());
    QTRY_COMPARE(history.page->model()->rowCount(), 3);
    Notification *notification = history.page->notification();
    notification->setTimeout(100);
    // An export that cannot write its file.
    QSignalSpy finished(history.page.get(), &HistoryPage::exportFinished);
    history.page->exportTo(u"/nonexistent-folder/requests.har"_s, RequestExport::Format::Har,
        HistoryPage::ExportScope::Filter);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(notification->isShown());
    QCOMPARE(notification->kind(), Notification::Kind::Error);
    QVERIFY(history.selectAndShow(ids.at(0)));
    QTest::qWait(300);
    QVERIFY(notification->isShown());
    QVERIFY(notification->closeButton()->isVisible());
    QTest::mouseClick(notification->closeButton(), Qt::LeftButton);
    QVERIFY(!notification->isShown());

    // Messages are sentences with the count.
    const QTemporaryDir folder;
    const QString path = folder.filePath(u"requests.har"_s);
    history.page->exportTo(path, RequestExport::Format::Har, HistoryPage::ExportScope::Filter);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
    QCOMPARE(finished.last().at(1).toString(),
        u"3 requests exported to %1."_s.arg(QDir::toNativeSeparators(path)));
}

QTEST_MAIN(tst_HistoryPageLayout)
// The table, the reason filter and the overview show a rejection in the reader's words, the code
// beside them for whoever looks it up.
void tst_HistoryPageLayout::reasonsReadAsWordsWithTheirCode_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("cell");
    QTest::addColumn<QString>("listed");
    QTest::addRow("en") << u"en"_s << u"Rejected: Wrong API key"_s
                        << u"Wrong API key (invalid_api_key)"_s;
    QTest::addRow("fr") << u"fr"_s << u"Refusée\u00a0: Clé API incorrecte"_s
                        << u"Clé API incorrecte (invalid_api_key)"_s;
}

void tst_HistoryPageLayout::reasonsReadAsWordsWithTheirCode()
{
    QFETCH(QString, language);
    QFETCH(QString, cell);
    QFETCH(QString, listed);
    QCOMPARE(Languages::install(language), language);
    const auto restore = qScopeGuard([] { Languages::install(u"en"_s); });
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    LoggedRequest rejected = entry(history.webhook.id, 401, "invalid_api_key");
    rejected.reasonDetail = u"key htk_abcd"_s;
    const qint64 id = history.log({ rejected }).first();
    Webhook paused;
    paused.name = u"Paused"_s;
    paused.enabled = false;
    const Result<Webhook> added = history.fixture.store()->config().addWebhook(paused);
    QVERIFY2(added, qPrintable(added.error()));
    QVERIFY(history.openPage());
    QVERIFY(history.waitForRow(id));

    // A disabled webhook stays in the webhook filter, its history being kept, and reads disabled.
    auto *webhooks = child<QComboBox>(history.page.get(), u"webhookFilter"_s);
    QTRY_VERIFY(webhooks->findData(added->id) > 0);
    const int pausedItem = webhooks->findData(added->id);
    QVERIFY2(webhooks->itemText(pausedItem)
                 .contains(language == u"fr"_s ? u"désactivé"_s : u"disabled"_s),
        qPrintable(webhooks->itemText(pausedItem)));
    QCOMPARE(webhooks->itemText(webhooks->findData(history.webhook.id)), u"Orders"_s);
    QCOMPARE(webhooks->itemData(pausedItem, Qt::ForegroundRole).value<QBrush>().color(),
        webhooks->palette().color(QPalette::Disabled, QPalette::Text));

    const QModelIndex outcome = history.page->model()->index(
        history.page->model()->rowOfId(id), RequestTableModel::OutcomeColumn);
    QCOMPARE(outcome.data().toString(), cell);
    const QString tip = outcome.data(Qt::ToolTipRole).toString();
    QVERIFY2(
        tip.contains(u"invalid_api_key"_s) && tip.contains(u"key htk_abcd"_s), qPrintable(tip));

    auto *reason = child<QComboBox>(history.page.get(), u"reasonFilter"_s);
    const int item = reason->findData(QByteArray("invalid_api_key"));
    QVERIFY(item > 0);
    QCOMPARE(reason->itemText(item), listed);
    // The list shows every reason whole, though the box stays the width of a short one.
    const int longest = reason->fontMetrics().horizontalAdvance(reason->itemText(item));
    QVERIFY(reason->width() < longest);
    reason->showPopup();
    QTRY_VERIFY(reason->view()->isVisible());
    QVERIFY2(
        reason->view()->width() > longest, qPrintable(QString::number(reason->view()->width())));
    reason->hidePopup();

    QVERIFY(history.selectAndShow(id));
    const QString overview = history.page->detailView()->overviewText();
    QVERIFY2(overview.contains(listed), qPrintable(overview));
    // Its date reads in the console's language too, whatever the system's.
    const QDateTime received
        = QDateTime::fromMSecsSinceEpoch(rejected.receivedAtMicros / 1000, Qt::UTC).toLocalTime();
    const QString month = QLocale(language).monthName(received.date().month());
    QVERIFY2(overview.contains(month), qPrintable(month + u" in "_s + overview));
    QCOMPARE(history.page->detailView()->summary()->reason(), listed.section(u" ("_s, 0, 0));
}

// Today's requests show their time; older ones their date too; the tooltip always has both.
void tst_HistoryPageLayout::timeColumnShortForToday()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    const QDateTime noon(QDate::currentDate(), QTime(12, 0, 5));
    LoggedRequest today = entry(history.webhook.id);
    today.receivedAtMicros = noon.toMSecsSinceEpoch() * 1000;
    LoggedRequest older = entry(history.webhook.id);
    older.receivedAtMicros = noon.addDays(-3).toMSecsSinceEpoch() * 1000;
    LoggedRequest lastYear = entry(history.webhook.id);
    lastYear.receivedAtMicros = noon.addYears(-1).toMSecsSinceEpoch() * 1000;
    const QList<qint64> ids = history.log({ today, older, lastYear });
    QVERIFY(history.openPage());
    QVERIFY(history.waitForRow(ids.last()));
    const RequestTableModel &model = *history.page->model();
    const auto cell = [&](qint64 id, int role) {
        return model.index(model.rowOfId(id), RequestTableModel::TimeColumn).data(role).toString();
    };
    QCOMPARE(cell(ids.first(), Qt::DisplayRole), u"12:00:05"_s);
    const QDateTime threeDaysAgo = noon.addDays(-3);
    QCOMPARE(cell(ids.at(1), Qt::DisplayRole),
        threeDaysAgo.toString(
            threeDaysAgo.date().year() == noon.date().year() ? u"MM-dd HH:mm"_s : u"yyyy-MM-dd"_s));
    QCOMPARE(cell(ids.last(), Qt::DisplayRole), noon.addYears(-1).toString(u"yyyy-MM-dd"_s));
    QVERIFY(cell(ids.first(), Qt::ToolTipRole).contains(noon.toUTC().date().toString(Qt::ISODate)));
}

void tst_HistoryPageLayout::chartAxisRunsLeftToRightWithoutRepeats_data()
{
    QTest::addColumn<qint64>("span");
    QTest::addColumn<int>("width");
    const qint64 minute = 60 * Second;
    for (const int width : { 200, 400, 700, 1700 }) {
        for (const auto &[name, span] :
            std::initializer_list<std::pair<const char *, qint64>> { { "30 s", 30 * Second },
                { "5 min", 5 * minute }, { "1 h", 60 * minute }, { "24 h", 24 * 60 * minute },
                { "7 days", 7 * 24 * 60 * minute }, { "90 days", 90 * 24 * 60 * minute } })
            QTest::addRow("%s at %d px", name, width) << span << width;
    }
}

// Oldest on the left, the period's start and end named, no label twice and none overlapping.
void tst_HistoryPageLayout::chartAxisRunsLeftToRightWithoutRepeats()
{
    QFETCH(qint64, span);
    QFETCH(int, width);
    HistoryChart chart;
    chart.resize(width, chart.sizeHint().height());
    const qint64 end = currentMicros();
    const qint64 start = end - span;
    QList<HistogramBucket> buckets;
    for (int i = 0; i < HistoryChart::BucketCount; ++i)
        buckets.append({ start + span * i / HistoryChart::BucketCount, i % 3, i % 2 });
    chart.setBuckets(buckets, end);

    // Only a chart narrower than the page ever makes it may have room for one label alone.
    const QList<HistoryChart::AxisLabel> labels = chart.axisLabels();
    QVERIFY(labels.size() >= (width >= 400 ? 2 : 1));
    QCOMPARE(labels.constFirst().micros, start);
    if (labels.size() >= 2)
        QCOMPARE(labels.constLast().micros, end);
    QSet<QString> seen;
    for (int i = 0; i < labels.size(); ++i) {
        const HistoryChart::AxisLabel &label = labels.at(i);
        QVERIFY2(!seen.contains(label.text), qPrintable(label.text));
        seen.insert(label.text);
        if (i == 0)
            continue;
        QVERIFY(label.x > labels.at(i - 1).x);
        QVERIFY(label.micros > labels.at(i - 1).micros);
    }
    // Left to right in time: the bucket under a point further right starts later.
    QVERIFY(chart.bucketAt(QPoint(width / 4, chart.height() / 2))
        < chart.bucketAt(QPoint(3 * width / 4, chart.height() / 2)));
}

// "Last 24 hours" ends now, not at the newest request nor an hour ahead.
void tst_HistoryPageLayout::chartOfAPresetEndsNow()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    LoggedRequest old = entry(history.webhook.id);
    old.receivedAtMicros = currentMicros() - 5 * 3600 * Second;
    history.log({ old });
    QVERIFY(history.openPage());
    QSignalSpy refreshed(history.page.get(), &HistoryPage::chartRefreshed);
    history.page->setTimeRange(HistoryPage::TimeRange::LastDay);
    QTRY_VERIFY(!refreshed.isEmpty());
    HistoryChart *chart = history.page->chart();
    QTRY_COMPARE(chart->accepted(), qint64(1));
    const qint64 now = currentMicros();
    QVERIFY2(qAbs(chart->endMicros() - now) < 60 * Second,
        qPrintable(QString::number((chart->endMicros() - now) / Second)));
    QVERIFY(
        qAbs(chart->buckets().constFirst().startMicros - (now - 24 * 3600 * Second)) < 60 * Second);
}

// Dragging across the bars sets the filter to the period they cover.
void tst_HistoryPageLayout::chartDragFiltersToThatPeriod()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QList<LoggedRequest> batch;
    const qint64 now = currentMicros();
    for (int minute = 1; minute <= 50; ++minute) {
        LoggedRequest request = entry(history.webhook.id);
        request.receivedAtMicros = now - minute * 60 * Second;
        batch.append(request);
    }
    history.log(batch);
    QVERIFY(history.openPage());
    history.page->setTimeRange(HistoryPage::TimeRange::LastHour);
    HistoryChart *chart = history.page->chart();
    QTRY_COMPARE(chart->accepted(), qint64(50));
    QTRY_COMPARE(history.page->model()->totalCount(), qint64(50));

    const auto centreOf = [&](int bucket) {
        const int barWidth = chart->width() / HistoryChart::BucketCount;
        for (int x = 0; x < chart->width(); ++x) {
            if (chart->bucketAt(QPoint(x, chart->height() / 2)) == bucket)
                return QPoint(x + barWidth / 2, chart->height() / 2);
        }
        return QPoint(-1, -1);
    };
    const QPoint from = centreOf(30);
    const QPoint to = centreOf(20); // dragged right to left: the same period
    QVERIFY(from.x() > to.x() && to.x() > 0);
    QSignalSpy selected(chart, &HistoryChart::rangeSelected);
    QTest::mousePress(chart, Qt::LeftButton, {}, from);
    QTest::mouseMove(chart, to);
    QCOMPARE(chart->selection(), qMakePair(20, 30));
    QTest::mouseRelease(chart, Qt::LeftButton, {}, to);
    QCOMPARE(selected.count(), 1);
    const qint64 since = chart->buckets().at(20).startMicros;
    const qint64 until = chart->bucketEnd(30);
    QCOMPARE(chart->selection(), qMakePair(-1, -1));

    // The filter covers the period, to the second, and the table shows what fell in it.
    const RequestFilter &filter = history.page->model()->filter();
    QVERIFY(filter.sinceMicros <= since && since - filter.sinceMicros < Second);
    QVERIFY(filter.untilMicros >= until && filter.untilMicros - until < 2 * Second);
    qint64 inside = 0;
    for (const LoggedRequest &request : std::as_const(batch))
        inside += request.receivedAtMicros >= filter.sinceMicros
            && request.receivedAtMicros < filter.untilMicros;
    QVERIFY(inside > 0 && inside < 50);
    QTRY_COMPARE(history.page->model()->totalCount(), inside);
    auto *range = child<QComboBox>(history.page.get(), u"rangeFilter"_s);
    QCOMPARE(FilterBar::TimeRange(range->currentData().toInt()), FilterBar::TimeRange::Custom);

    // Esc gives up a drag: nothing is selected.
    QTest::mousePress(chart, Qt::LeftButton, {}, centreOf(5));
    QTest::mouseMove(chart, centreOf(9));
    QTest::keyClick(chart, Qt::Key_Escape);
    QTest::mouseRelease(chart, Qt::LeftButton, {}, centreOf(9));
    QCOMPARE(selected.count(), 1);
}

#include "tst_historypage_layout.moc"
