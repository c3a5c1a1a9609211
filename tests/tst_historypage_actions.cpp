// Tests for what the history page does with requests: replay, export, deletion, the chart,
// the splitter and the retention shown in the status bar.
#include "historypagetest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_HistoryPageActions final : public HistoryPageTest
{
    Q_OBJECT

private slots:
    // The page
    void replaySendsWhatTheDialogShows();
    void replayUrlLeavesTheMaskedKeyOut();
    void replayToTheReceiverWithTheKey();
    void replayFillsTheKeyUnderAnySpelling();
    void exportThroughThePage_data();
    void exportThroughThePage();
    void exportCanBeCancelled();
    void deleteSelection();
    void deleteMatchingFilter();
    void chartFollowsTheFilter();
    void splitterSizesPersist();
    void retentionShownInTheStatusBar();
};

void tst_HistoryPageActions::replayUrlLeavesTheMaskedKeyOut()
{
    // The masked key parameter, under any case of its name, is not shown as if it were the
    // key: the key has a field of its own. Other masked values stay, to be replaced by hand.
    LoggedRequest request;
    request.path = "/v1/data/webhook/w";
    request.query = "API-Key=***&x=1&note=***";
    QCOMPARE(ReplayDialog::defaultUrl(u"http://h:1"_s, request),
        u"http://h:1/v1/data/webhook/w?x=1&note=***"_s);
    request.query = "api-key=***";
    QCOMPARE(ReplayDialog::defaultUrl(u"http://h:1"_s, request), u"http://h:1/v1/data/webhook/w"_s);
}

void tst_HistoryPageActions::replaySendsWhatTheDialogShows()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    ReplayTarget target;
    QVERIFY(target.listen());
    QVERIFY(history.openPage());
    const HttpAnswer answer = history.send("{\"order\":7}", { { "X-Trace", "t-1" } });
    QCOMPARE(answer.status, 200);
    QVERIFY(history.waitForRow(answer.requestId()));
    QVERIFY(history.selectAndShow(answer.requestId()));

    history.page->replayCurrent();
    ReplayDialog *dialog = history.page->replayDialog();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    // The defaults: the endpoint it reached without the key, the logged method and body.
    QCOMPARE(dialog->url(), history.fixture.endpoint(history.webhook.id));
    QCOMPARE(dialog->method(), QByteArray("POST"));
    QCOMPARE(dialog->body(), QByteArray("{\"order\":7}"));
    bool traced = false;
    for (const auto &[name, value] : dialog->headers()) {
        QVERIFY2(name.compare("host", Qt::CaseInsensitive) != 0, "Host is the client's to set");
        QVERIFY(name.compare("content-length", Qt::CaseInsensitive) != 0);
        traced = traced || (name == "X-Trace" && value == "t-1");
    }
    QVERIFY(traced);

    // Edited: another URL, method, a changed and an added header, another body.
    auto *url = child<QLineEdit>(dialog, u"urlEdit"_s);
    url->setText(u"http://127.0.0.1:%1/hooks/in?x=1&y=two"_s.arg(target.port()));
    child<QComboBox>(dialog, u"methodCombo"_s)->setCurrentText(u"PUT"_s);
    auto *headers = child<QTableWidget>(dialog, u"headersTable"_s);
    for (int row = 0; row < headers->rowCount(); ++row) {
        if (headers->item(row, 0)->text() == u"X-Trace")
            headers->item(row, 1)->setText(u"t-2"_s);
    }
    QTest::mouseClick(child<QPushButton>(dialog, u"addHeaderButton"_s), Qt::LeftButton);
    headers->setCurrentItem(nullptr); // commits and closes the editor Add opened
    headers->item(headers->rowCount() - 1, 0)->setText(u"X-Added"_s);
    headers->item(headers->rowCount() - 1, 1)->setText(u"yes"_s);
    child<QPlainTextEdit>(dialog, u"bodyEdit"_s)->setPlainText(u"{\"order\":8}"_s);

    QSignalSpy answered(dialog, &ReplayDialog::answered);
    QTest::mouseClick(child<QPushButton>(dialog, u"sendButton"_s), Qt::LeftButton);
    QTRY_COMPARE(answered.count(), 1);
    QCOMPARE(answered.first().at(0).toInt(), 202);
    QVERIFY(target.received);
    const ParsedRequest &got = *target.received;
    QCOMPARE(got.method, dialog->method());
    QCOMPARE(got.method, QByteArray("PUT"));
    QCOMPARE(got.target, QByteArray("/hooks/in?x=1&y=two"));
    QCOMPARE(got.body, dialog->body());
    QCOMPARE(got.body, QByteArray("{\"order\":8}"));
    for (const auto &[name, value] : dialog->headers())
        QCOMPARE(got.header(name), value);
    QCOMPARE(got.header("X-Trace"), QByteArray("t-2"));
    QCOMPARE(got.header("X-Added"), QByteArray("yes"));
    QCOMPARE(got.header("Content-Type"), QByteArray("application/json"));

    // The answer as it came.
    QVERIFY(child<QLabel>(dialog, u"answerStatus"_s)->text().contains(u"202"_s));
    QVERIFY(
        allTexts(child<QTableWidget>(dialog, u"answerHeaders"_s)).contains(u"X-Replay-Target"_s));
    QVERIFY(child<QPlainTextEdit>(dialog, u"answerBody"_s)
                ->toPlainText()
                .contains(u"\"seen\": \"replay\""_s));
    dialog->close();
}

void tst_HistoryPageActions::replayToTheReceiverWithTheKey()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    const HttpAnswer answer = history.send("{\"order\":7}");
    QVERIFY(history.waitForRow(answer.requestId()));
    QVERIFY(history.selectAndShow(answer.requestId()));
    history.page->replayCurrent();
    ReplayDialog *dialog = history.page->replayDialog();
    QVERIFY(dialog);

    // Without the key the receiver refuses, and the dialog says so.
    QSignalSpy answered(dialog, &ReplayDialog::answered);
    dialog->send();
    QTRY_COMPARE(answered.count(), 1);
    QCOMPARE(answered.takeFirst().at(0).toInt(), 401);
    QVERIFY(child<QPlainTextEdit>(dialog, u"answerBody"_s)
                ->toPlainText()
                .contains(u"missing_api_key"_s));

    auto *key = child<QLineEdit>(dialog, u"keyEdit"_s);
    QTest::keyClicks(key, history.key.secret);
    QCOMPARE(dialog->url(), history.fixture.endpoint(history.webhook.id)); // never shown there
    QCOMPARE(dialog->outgoing().url.toString(),
        history.fixture.endpoint(history.webhook.id) + u"?api-key="_s + history.key.secret);
    dialog->send();
    QTRY_COMPARE(answered.count(), 1);
    QCOMPARE(answered.first().at(0).toInt(), 200);
    // The replayed request is logged and shows up at the top of the history.
    QTRY_COMPARE(history.page->model()->rowCount(), 3);
    QCOMPARE(history.page->model()->requestAt(0).status, 200);
    QCOMPARE(history.page->model()->requestAt(1).status, 401);
    dialog->close();
}

void tst_HistoryPageActions::replayFillsTheKeyUnderAnySpelling()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    // The receiver takes the key under a name in other case, and the log masks it there.
    const HttpAnswer answer = sendRequest(history.fixture.endpoint(history.webhook.id)
            + u"?API-Key="_s + history.key.secret + u"&note=api-key%3Dx"_s,
        "POST", { { "Content-Type", "application/json" } }, "{}");
    QCOMPARE(answer.status, 200);
    QVERIFY(history.waitForRow(answer.requestId()));
    QVERIFY(history.selectAndShow(answer.requestId()));
    QCOMPARE(history.page->model()->requestAt(0).query, "API-Key=***&note=api-key%3Dx"_ba);
    history.page->replayCurrent();
    ReplayDialog *dialog = history.page->replayDialog();
    QVERIFY(dialog);
    const QString endpoint = history.fixture.endpoint(history.webhook.id);
    QCOMPARE(dialog->url(), endpoint + u"?note=api-key%3Dx"_s);

    // Typed, the key goes where the request had it, and nowhere else; the URL shown keeps
    // it out.
    auto *key = child<QLineEdit>(dialog, u"keyEdit"_s);
    QTest::keyClicks(key, history.key.secret);
    QCOMPARE(dialog->url(), endpoint + u"?note=api-key%3Dx"_s);
    QCOMPARE(dialog->outgoing().url.toString(),
        endpoint + u"?API-Key="_s + history.key.secret + u"&note=api-key%3Dx"_s);
    QSignalSpy answered(dialog, &ReplayDialog::answered);
    dialog->send();
    QTRY_COMPARE(answered.count(), 1);
    QCOMPARE(answered.first().at(0).toInt(), 200);
    key->selectAll();
    QTest::keyClick(key, Qt::Key_Backspace); // emptied: sent without a key
    QCOMPARE(dialog->outgoing().url.toString(), endpoint + u"?note=api-key%3Dx"_s);
    dialog->close();
}

void tst_HistoryPageActions::exportThroughThePage_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<bool>("selection");
    QTest::addRow("HAR, the filter") << int(RequestExport::Format::Har) << false;
    QTest::addRow("HAR, the selection") << int(RequestExport::Format::Har) << true;
    QTest::addRow("JSON Lines, the filter") << int(RequestExport::Format::Jsonl) << false;
    QTest::addRow("CSV, the selection") << int(RequestExport::Format::Csv) << true;
}

void tst_HistoryPageActions::exportThroughThePage()
{
    QFETCH(int, format);
    QFETCH(bool, selection);
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QList<LoggedRequest> batch;
    for (int i = 0; i < 5; ++i)
        batch.append(entry(history.webhook.id));
    for (int i = 0; i < 3; ++i)
        batch.append(entry(history.webhook.id, 401, "invalid_api_key"));
    history.log(batch);
    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;
    auto *outcome = child<QComboBox>(&page, u"outcomeFilter"_s);
    outcome->setCurrentIndex(outcome->findData(int(RequestFilter::Outcome::Rejected)));
    QTRY_COMPARE(page.model()->rowCount(), 3);
    QTRY_COMPARE(page.model()->totalCount(), qint64(3));
    int expected = 3;
    if (selection) {
        page.table()->selectionModel()->select(
            page.model()->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        page.table()->selectionModel()->select(
            page.model()->index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        expected = 2;
    }

    const QString path = history.fixture.dataDir() + u"/out.export"_s;
    QSignalSpy finished(&page, &HistoryPage::exportFinished);
    page.exportTo(path, RequestExport::Format(format),
        selection ? HistoryPage::ExportScope::Selection : HistoryPage::ExportScope::Filter);
    QVERIFY(page.exportProgress());
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QTRY_VERIFY(!page.exportProgress());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    switch (RequestExport::Format(format)) {
    case RequestExport::Format::Har: {
        const QJsonArray entries = QJsonDocument::fromJson(content)
                                       .object()
                                       .value(u"log"_s)
                                       .toObject()
                                       .value(u"entries"_s)
                                       .toArray();
        QCOMPARE(entries.size(), expected);
        for (const QJsonValue &harEntry : entries)
            QCOMPARE(harEntry.toObject().value(u"response"_s).toObject().value(u"status"_s).toInt(),
                401);
        break;
    }
    case RequestExport::Format::Jsonl:
        QCOMPARE(content.trimmed().split('\n').size(), expected);
        break;
    case RequestExport::Format::Csv:
        QCOMPARE(content.trimmed().split('\n').size(), expected + 1); // a header line
        break;
    }
}

void tst_HistoryPageActions::exportCanBeCancelled()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    history.logMany(500, history.webhook.id);
    QVERIFY(history.openPage());
    QTRY_VERIFY(history.page->model()->rowCount() > 0);
    QTRY_VERIFY(!history.page->model()->isLoading());

    // The store thread is held until the user has cancelled, so the export sees it at once.
    QSemaphore hold;
    QObject context;
    history.fixture.executor()->read(
        &context,
        [&hold](Store &) {
            hold.acquire();
            return Status();
        },
        [](const Status &) {});
    const QString path = history.fixture.dataDir() + u"/cancelled.har"_s;
    QSignalSpy finished(history.page.get(), &HistoryPage::exportFinished);
    history.page->exportTo(path, RequestExport::Format::Har, HistoryPage::ExportScope::Filter);
    QProgressDialog *progress = history.page->exportProgress();
    QVERIFY(progress);
    auto *cancel = progress->findChild<QPushButton *>();
    QVERIFY(cancel);
    QTest::mouseClick(cancel, Qt::LeftButton); // as the user does
    hold.release();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QCOMPARE(finished.first().at(1).toString(), u"cancelled"_s);
    QVERIFY(!QFile::exists(path));
}

void tst_HistoryPageActions::deleteSelection()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    const QList<qint64> ids = history.logMany(6, history.webhook.id);
    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;
    QTRY_COMPARE(page.model()->rowCount(), 6);
    QItemSelectionModel *selection = page.table()->selectionModel();
    selection->select(
        page.model()->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection->select(
        page.model()->index(3, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QList<qint64> chosen = page.selectedIds();
    QCOMPARE(chosen, (QList<qint64> { ids.at(4), ids.at(2) }));

    // Cancelled first: nothing goes.
    page.deleteSelected();
    QVERIFY(page.deleteConfirmation());
    QVERIFY2(page.deleteConfirmation()->text().contains(u"Delete the 2 selected requests"_s),
        qPrintable(page.deleteConfirmation()->text()));
    QTest::mouseClick(
        child<QPushButton>(page.deleteConfirmation(), u"cancelButton"_s), Qt::LeftButton);
    QTRY_VERIFY(!page.deleteConfirmation());
    QCOMPARE(*history.fixture.store()->queries().countRequests(RequestFilter()), qint64(6));

    QSignalSpy deleted(&page, &HistoryPage::deleted);
    page.deleteSelected();
    QVERIFY(page.deleteConfirmation());
    QTest::mouseClick(
        child<QPushButton>(page.deleteConfirmation(), u"deleteButton"_s), Qt::LeftButton);
    QTRY_COMPARE(deleted.count(), 1);
    QCOMPARE(deleted.first().at(0).toLongLong(), qint64(2));
    QCOMPARE(page.model()->rowCount(), 4);
    QCOMPARE(page.model()->rowOfId(chosen.at(0)), -1);
    QCOMPARE(page.model()->rowOfId(chosen.at(1)), -1);
    QCOMPARE(*history.fixture.store()->queries().countRequests(RequestFilter()), qint64(4));
    QCOMPARE(page.countLabel()->text(), u"4 requests"_s);
}

void tst_HistoryPageActions::deleteMatchingFilter()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QList<LoggedRequest> batch;
    for (int i = 0; i < 4; ++i)
        batch.append(entry(history.webhook.id));
    for (int i = 0; i < 3; ++i)
        batch.append(entry(history.webhook.id, 403, "header_mismatch"));
    history.log(batch);
    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;
    auto *reason = child<QComboBox>(&page, u"reasonFilter"_s);
    reason->setCurrentIndex(reason->findData(QByteArray("header_mismatch")));
    QTRY_COMPARE(page.model()->totalCount(), qint64(3));

    QSignalSpy deleted(&page, &HistoryPage::deleted);
    page.deleteMatching();
    QTRY_VERIFY(page.deleteConfirmation());
    QVERIFY2(page.deleteConfirmation()->text().contains(u"Delete the 3 requests matching"_s),
        qPrintable(page.deleteConfirmation()->text()));
    QTest::mouseClick(
        child<QPushButton>(page.deleteConfirmation(), u"deleteButton"_s), Qt::LeftButton);
    QTRY_COMPARE(deleted.count(), 1);
    QCOMPARE(deleted.first().at(0).toLongLong(), qint64(3));
    QTRY_COMPARE(page.model()->totalCount(), qint64(0));
    QCOMPARE(page.model()->rowCount(), 0);
    QCOMPARE(*history.fixture.store()->queries().countRequests(RequestFilter()), qint64(4));
}

void tst_HistoryPageActions::chartFollowsTheFilter()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QList<LoggedRequest> batch;
    for (int i = 0; i < 4; ++i)
        batch.append(entry(history.webhook.id));
    for (int i = 0; i < 2; ++i)
        batch.append(entry(history.webhook.id, 401, "missing_api_key"));
    for (int i = 0; i < batch.size(); ++i)
        batch[i].receivedAtMicros = currentMicros() - (i + 1) * 600 * Second;
    history.log(batch);
    QVERIFY(history.openPage());
    HistoryChart *chart = history.page->chart();
    QTRY_COMPARE(chart->accepted(), qint64(4));
    QCOMPARE(chart->rejected(), qint64(2));
    QVERIFY(!chart->buckets().isEmpty());
    QVERIFY(chart->buckets().size() <= HistoryChart::BucketCount);
    QVERIFY(chart->accessibleDescription().contains(u"4 accepted"_s));

    auto *outcome = child<QComboBox>(history.page.get(), u"outcomeFilter"_s);
    outcome->setCurrentIndex(outcome->findData(int(RequestFilter::Outcome::Rejected)));
    QTRY_COMPARE(chart->accepted(), qint64(0));
    QCOMPARE(chart->rejected(), qint64(2));

    // A live request redraws it, without waiting for a filter change.
    QSignalSpy refreshed(history.page.get(), &HistoryPage::chartRefreshed);
    const HttpAnswer refused = sendRequest(history.fixture.endpoint(history.webhook.id), "POST",
        { { "Content-Type", "application/json" } }, "{}");
    QCOMPARE(refused.status, 401);
    QTRY_COMPARE_WITH_TIMEOUT(chart->rejected(), qint64(3), 10000);
    QVERIFY(refreshed.count() >= 1);
}

void tst_HistoryPageActions::splitterSizesPersist()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    QSplitter *splitter = history.page->splitter();
    const int total = splitter->sizes().value(0) + splitter->sizes().value(1);
    splitter->setSizes({ total - 150, 150 });
    const QList<int> chosen = splitter->sizes();
    history.tester.reset();
    history.page.reset(); // saves on the way out
    QVERIFY(history.openPage());
    QCOMPARE(history.page->splitter()->sizes(), chosen);
}

void tst_HistoryPageActions::retentionShownInTheStatusBar()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    history.logMany(5, history.webhook.id);
    MainWindow window(history.context());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *label = child<QLabel>(&window, u"retentionLabel"_s);
    QVERIFY(label);
    QVERIFY(!label->isVisible()); // it has not run yet

    history.fixture.engine()->setRetention(0, 2); // keep the newest two
    QTRY_VERIFY_WITH_TIMEOUT(label->isVisible(), 10000);
    QVERIFY2(label->text().startsWith(u"Retention: last run "_s), qPrintable(label->text()));
    QVERIFY2(label->text().endsWith(u", 3 removed"_s), qPrintable(label->text()));
    QCOMPARE(*history.fixture.store()->queries().countRequests(RequestFilter()), qint64(2));
}

QTEST_MAIN(tst_HistoryPageActions)
#include "tst_historypage_actions.moc"
