// Tests for the history page's table and detail pane: live inserts, the filter bar and the
// search, the detail pane and its helpers, secrets never shown, and copy as curl.
#include "historypagetest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_HistoryPageDetail final : public HistoryPageTest
{
    Q_OBJECT

private slots:
    // The page
    void liveInsertWhileFollowing();
    void liveInsertWhileScrolledKeepsTheView_data();
    void liveInsertWhileScrolledKeepsTheView();
    void filterBarBuildsTheFilter();
    void searchWaitsForAPause();
    void detailPane_data();
    void detailPane();
    void largeBodyIsCutUntilShowAll();
    void secretsNeverShown();
    void copyAsCurl();

    // Helpers of the detail pane
    void prettyJsonKeepsOrderAndNumbers();
    void prettyXml();
    void formFields_data();
    void formFields();
};

void tst_HistoryPageDetail::liveInsertWhileFollowing()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    history.logMany(20, history.webhook.id);
    QVERIFY(history.openPage());
    QTRY_COMPARE(history.page->model()->rowCount(), 20);
    QTRY_COMPARE(history.page->countLabel()->text(), u"20 requests"_s);
    QVERIFY(history.page->isFollowing());

    const HttpAnswer answer = history.send();
    QCOMPARE(answer.status, 200);
    QVERIFY(history.waitForRow(answer.requestId()));
    QCOMPARE(history.page->model()->rowOfId(answer.requestId()), 0);
    QCOMPARE(history.page->table()->verticalScrollBar()->value(), 0);
    QVERIFY(!history.page->newRowsButton()->isVisible());
    QTRY_COMPARE(history.page->countLabel()->text(), u"21 requests"_s);
    QCOMPARE(history.page->table()->rowAt(0), 0); // the newest is the first row in sight
}

void tst_HistoryPageDetail::liveInsertWhileScrolledKeepsTheView_data()
{
    QTest::addColumn<bool>("scrolled");
    QTest::addColumn<bool>("selected");
    QTest::addRow("scrolled away") << true << false;
    QTest::addRow("a row selected at the top") << false << true;
}

void tst_HistoryPageDetail::liveInsertWhileScrolledKeepsTheView()
{
    QFETCH(bool, scrolled);
    QFETCH(bool, selected);
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    history.logMany(300, history.webhook.id);
    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;
    QVERIFY(loadAll(*page.model()));
    QCOMPARE(page.model()->rowCount(), 300);

    QTableView *table = page.table();
    if (scrolled)
        table->verticalScrollBar()->setValue(table->verticalScrollBar()->maximum() / 2);
    if (selected)
        page.selectRequest(page.model()->requestAt(0).id);
    QVERIFY(!page.isFollowing());
    const int topRow = table->rowAt(0);
    const qint64 topId = page.model()->requestAt(topRow).id;
    const int topY = table->visualRect(page.model()->index(topRow, 0)).top();

    QList<qint64> sent;
    for (int i = 0; i < 3; ++i) {
        const HttpAnswer answer = history.send();
        QCOMPARE(answer.status, 200);
        sent.append(answer.requestId());
    }
    QTRY_COMPARE(page.model()->rowCount(), 303);
    QCOMPARE(page.model()->requestAt(0).id, sent.last());
    // The row the user was reading is where it was.
    const int row = page.model()->rowOfId(topId);
    QCOMPARE(row, topRow + 3);
    QCOMPARE(table->rowAt(0), row);
    QCOMPARE(table->visualRect(page.model()->index(row, 0)).top(), topY);
    QTRY_VERIFY(page.newRowsButton()->isVisible());
    QCOMPARE(page.newRowCount(), 3);
    QCOMPARE(page.newRowsButton()->text(), u"3 new"_s);

    QTest::mouseClick(page.newRowsButton(), Qt::LeftButton);
    QCOMPARE(table->verticalScrollBar()->value(), 0);
    QCOMPARE(table->rowAt(0), 0);
    QVERIFY(!page.newRowsButton()->isVisible());
}

void tst_HistoryPageDetail::filterBarBuildsTheFilter()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    HistoryPage &page = *history.page;
    auto *webhook = child<QComboBox>(&page, u"webhookFilter"_s);
    QTRY_COMPARE(webhook->count(), 2); // all, Orders
    webhook->setCurrentIndex(webhook->findData(history.webhook.id));
    auto *outcome = child<QComboBox>(&page, u"outcomeFilter"_s);
    outcome->setCurrentIndex(outcome->findData(int(RequestFilter::Outcome::Rejected)));
    auto *reason = child<QComboBox>(&page, u"reasonFilter"_s);
    reason->setCurrentIndex(reason->findData(QByteArray("header_mismatch")));
    auto *method = child<QComboBox>(&page, u"methodFilter"_s);
    method->setCurrentIndex(method->findText(u"PATCH"_s));
    child<QSpinBox>(&page, u"statusFilter"_s)->setValue(403);
    page.setTimeRange(HistoryPage::TimeRange::LastHour);

    // Each edit applied at once, except the status, which waits for a pause in typing.
    QCOMPARE(page.model()->filter().webhookId, history.webhook.id);
    QCOMPARE(page.model()->filter().outcome, RequestFilter::Outcome::Rejected);
    QCOMPARE(page.model()->filter().reason, QByteArray("header_mismatch"));
    QCOMPARE(page.model()->filter().method, QByteArray("PATCH"));
    QTRY_COMPARE(page.model()->filter().status, 403);
    const qint64 since = page.model()->filter().sinceMicros;
    QVERIFY(qAbs(since - (currentMicros() - 3600 * Second)) < 60 * Second);
    QCOMPARE(page.model()->filter().untilMicros, qint64(0));
    QVERIFY(!child<QDateTimeEdit>(&page, u"sinceEdit"_s)->isEnabled());
    // The preset shows that it ends now (the next whole minute), not an hour ahead.
    const qint64 shownUntil
        = child<QDateTimeEdit>(&page, u"untilEdit"_s)->dateTime().toMSecsSinceEpoch() * 1000;
    QVERIFY2(
        shownUntil > currentMicros() - 5 * Second && shownUntil <= currentMicros() + 60 * Second,
        qPrintable(QString::number((shownUntil - currentMicros()) / Second)));

    // A custom range: the two edits apply, and an empty range is refused with a message.
    page.setTimeRange(HistoryPage::TimeRange::Custom);
    auto *sinceEdit = child<QDateTimeEdit>(&page, u"sinceEdit"_s);
    auto *untilEdit = child<QDateTimeEdit>(&page, u"untilEdit"_s);
    QVERIFY(sinceEdit->isEnabled());
    const QDateTime from = QDateTime::currentDateTime().addDays(-2);
    sinceEdit->setDateTime(from);
    untilEdit->setDateTime(from.addDays(1));
    QTRY_COMPARE(
        page.model()->filter().untilMicros, untilEdit->dateTime().toMSecsSinceEpoch() * 1000);
    QCOMPARE(page.model()->filter().sinceMicros, sinceEdit->dateTime().toMSecsSinceEpoch() * 1000);
    untilEdit->setDateTime(from.addDays(-1));
    auto *problem = child<QLabel>(&page, u"errorLabel"_s);
    QTRY_VERIFY(problem->isVisible());
    QVERIFY(problem->text().contains(u"From"_s));
}

void tst_HistoryPageDetail::searchWaitsForAPause()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QList<LoggedRequest> batch { entry(history.webhook.id), entry(history.webhook.id) };
    batch[0].body = "{\"fruit\":\"pineapple\"}";
    batch[1].headers.append(qMakePair(QByteArray("X-Trace"), QByteArray("banana-split")));
    const QList<qint64> ids = history.log(batch);
    QVERIFY(history.openPage());
    QTRY_COMPARE(history.page->model()->rowCount(), 2);

    auto *search = child<QLineEdit>(history.page.get(), u"searchEdit"_s);
    QSignalSpy pages(history.page->model(), &RequestTableModel::pageLoaded);
    QTest::keyClicks(search, u"pineapple"_s);
    QCOMPARE(history.page->model()->filter().search, QString()); // not yet: typing goes on
    QTRY_COMPARE(history.page->model()->filter().search, u"pineapple"_s);
    QTRY_COMPARE(pages.count(), 1); // one reload for the whole word, not one per letter
    QCOMPARE(history.page->model()->rowCount(), 1);
    QCOMPARE(history.page->model()->requestAt(0).id, ids.value(0));
}

void tst_HistoryPageDetail::detailPane_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<int>("language");

    const int none = int(BodyHighlighter::Language::None);
    QTest::addRow("JSON, pretty in sent order")
        << QByteArray("application/json")
        << QByteArray("{\"zeta\":1,\"alpha\":{\"list\":[1,2.50],\"none\":{}},\"name\":\"Ada\"}")
        << int(RequestDetailView::BodyKind::Json)
        << u"{\n    \"zeta\": 1,\n    \"alpha\": {\n        \"list\": [\n            1,\n            2.50\n        ],\n        \"none\": {}\n    },\n    \"name\": \"Ada\"\n}"_s
        << int(BodyHighlighter::Language::Json);
    QTest::addRow("+json type") << QByteArray("application/vnd.api+json; charset=utf-8")
                                << QByteArray("[true,null]")
                                << int(RequestDetailView::BodyKind::Json)
                                << u"[\n    true,\n    null\n]"_s
                                << int(BodyHighlighter::Language::Json);
    QTest::addRow("XML, indented")
        << QByteArray("text/xml") << QByteArray("<order id=\"7\"><item>pen</item></order>")
        << int(RequestDetailView::BodyKind::Xml)
        << u"<order id=\"7\">\n  <item>pen</item>\n</order>"_s
        << int(BodyHighlighter::Language::Xml);
    QTest::addRow("invalid JSON, as received")
        << QByteArray("application/json") << QByteArray("{\"a\":")
        << int(RequestDetailView::BodyKind::Text) << u"{\"a\":"_s << none;
    QTest::addRow("form") << QByteArray("application/x-www-form-urlencoded")
                          << QByteArray("name=Ada+Lovelace&city=London%20UK&empty=")
                          << int(RequestDetailView::BodyKind::Form) << QString() << none;
    QTest::addRow("binary, in hex")
        << QByteArray("application/octet-stream") << QByteArray("\x89PNG\r\n\x1a\n\0\x01", 10)
        << int(RequestDetailView::BodyKind::Binary) << u"00000000  89 50 4e 47 0d 0a 1a 0a  00 01"_s
        << none;
    QTest::addRow("empty") << QByteArray() << QByteArray()
                           << int(RequestDetailView::BodyKind::Empty) << QString() << none;
}

void tst_HistoryPageDetail::detailPane()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, kind);
    QFETCH(QString, shown);
    QFETCH(int, language);
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    LoggedRequest request = entry(history.webhook.id, 405, "method_not_allowed");
    request.method = "PATCH";
    request.query = "api-key=***&note=caf%C3%A9+au+lait&flag";
    request.headers = { { "Host", "127.0.0.1" }, { "X-Trace", "abc-123" } };
    if (!contentType.isEmpty())
        request.headers.append({ "Content-Type", contentType });
    request.contentType = contentType;
    request.body = body;
    request.bodySize = body.size();
    request.reasonDetail = u"PATCH is not allowed"_s;
    request.apiKeyId = history.key.key.id;
    request.handlingMicros = 1234;
    const qint64 id = history.log({ request }).value(0);
    QVERIFY(id > 0);
    QVERIFY(history.openPage());
    QTRY_COMPARE(history.page->model()->rowCount(), 1);
    QVERIFY(history.selectAndShow(id));
    RequestDetailView *detail = history.page->detailView();
    detail->tabs()->setCurrentIndex(RequestDetailView::BodyTab);

    QCOMPARE(int(detail->bodyKind()), kind);
    const QString bodyText = detail->bodyText();
    if (kind == int(RequestDetailView::BodyKind::Form)) {
        auto *form = child<QTableWidget>(detail, u"formTable"_s);
        QVERIFY(form->isVisibleTo(detail));
        QCOMPARE(allTexts(form),
            (QStringList {
                u"name"_s, u"Ada Lovelace"_s, u"city"_s, u"London UK"_s, u"empty"_s, QString() }));
    } else if (!shown.isEmpty()) {
        QVERIFY2(bodyText.startsWith(shown), qPrintable(bodyText));
    }
    QCOMPARE(int(detail->highlighter()->language()), language);

    // Hex for any body; the raw view is the request as text.
    QVERIFY(detail->hexText().startsWith(body.isEmpty() ? QString() : u"00000000  "_s));
    const QString raw = detail->rawText();
    QVERIFY2(
        raw.startsWith(u"PATCH /v1/data/webhook/"_s + history.webhook.id
            + u"?api-key=***&note=caf%C3%A9+au+lait&flag HTTP/1.1\nHost: 127.0.0.1\nX-Trace: abc-123\n"_s),
        qPrintable(raw));

    auto *headers = child<QTableWidget>(detail, u"headersTable"_s);
    QCOMPARE(headers->rowCount(), contentType.isEmpty() ? 2 : 3);
    QCOMPARE(headers->item(1, 0)->text(), u"X-Trace"_s);
    QCOMPARE(headers->item(1, 1)->text(), u"abc-123"_s);
    auto *query = child<QTableWidget>(detail, u"queryTable"_s);
    QCOMPARE(allTexts(query),
        (QStringList {
            u"api-key"_s, u"***"_s, u"note"_s, u"café au lait"_s, u"flag"_s, QString() }));

    const QString overview = detail->overviewText();
    QVERIFY2(overview.contains(u"Orders"_s), qPrintable(overview));
    QVERIFY(overview.contains(u"method_not_allowed"_s));
    QVERIFY(overview.contains(u"405 Method Not Allowed"_s));
    QVERIFY(overview.contains(u"PATCH is not allowed"_s));
    QVERIFY(overview.contains(history.key.key.prefix + u"… (laptop)"_s));
    QVERIFY(overview.contains(u"1.23 ms"_s));

    // The answer as the receiver wrote it, Allow from the webhook's methods.
    const QString answer = detail->answerText();
    QVERIFY2(answer.startsWith(u"HTTP/1.1 405 Method Not Allowed\n"_s), qPrintable(answer));
    QVERIFY(answer.contains(u"Allow: POST, PUT\n"_s));
    QVERIFY(answer.endsWith(
        u"{\"status\":\"rejected\",\"reason\":\"method_not_allowed\",\"requestId\":"_s
        + QString::number(id) + u"}"_s));
}

void tst_HistoryPageDetail::largeBodyIsCutUntilShowAll()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    LoggedRequest request = entry(history.webhook.id);
    QByteArray body = "[";
    while (body.size() < 300 * 1024)
        body += "{\"item\":\"0123456789abcdef\"},";
    body += "0]";
    request.body = body;
    request.bodySize = body.size();
    const qint64 id = history.log({ request }).value(0);
    QVERIFY(history.openPage());
    QTRY_COMPARE(history.page->model()->rowCount(), 1);
    QVERIFY(history.selectAndShow(id));
    RequestDetailView *detail = history.page->detailView();
    detail->tabs()->setCurrentIndex(RequestDetailView::BodyTab);

    QCOMPARE(detail->bodyText().size(), RequestDetailView::PrettyLimit);
    QVERIFY(detail->isTruncated());
    auto *showAll = child<QPushButton>(detail, u"bodyTextShowAll"_s);
    QVERIFY(showAll->isVisible());
    QVERIFY(child<QLabel>(detail, u"bodyTextInfo"_s)->text().contains(u"first"_s));
    QTest::mouseClick(showAll, Qt::LeftButton);
    QVERIFY(!detail->isTruncated());
    QVERIFY(detail->bodyText().size() > body.size()); // pretty: longer than sent
    QVERIFY(detail->bodyText().startsWith(u"[\n    {\n        \"item\": "_s));
    QVERIFY(!showAll->isVisible());
}

void tst_HistoryPageDetail::secretsNeverShown()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    const QByteArray bearer = "Bearer s3cr3t-t0ken";
    const QByteArray cookie = "session=c00kie-value";
    const HttpAnswer answer = history.send("{\"order\":7}",
        { { "Authorization", bearer }, { "Cookie", cookie },
            { "X-Api-Key", history.key.secret.toLatin1() } });
    QCOMPARE(answer.status, 200);
    QVERIFY(history.waitForRow(answer.requestId()));
    QVERIFY(history.selectAndShow(answer.requestId()));
    const QStringList secrets { history.key.secret, u"s3cr3t-t0ken"_s, u"c00kie-value"_s };
    const auto clean = [&secrets](const QString &where, const QString &text) {
        for (const QString &secret : secrets) {
            if (text.contains(secret)) {
                qWarning("%s shows a secret: %s", qPrintable(where), qPrintable(text.left(2000)));
                return false;
            }
        }
        return true;
    };
    HistoryPage &page = *history.page;
    RequestDetailView *detail = page.detailView();
    QVERIFY(clean(u"the table"_s, modelTexts(*page.model()).join(u'\n')));
    QVERIFY(clean(u"the overview"_s, detail->overviewText()));
    QVERIFY(detail->overviewText().contains(history.key.key.prefix)); // the key used, by prefix
    QVERIFY(clean(u"the body"_s, detail->bodyText()));
    QVERIFY(clean(u"the raw view"_s, detail->rawText()));
    QVERIFY(detail->rawText().contains(u"Authorization: ***"_s));
    QVERIFY(clean(u"the hex view"_s, detail->hexText()));
    QVERIFY(clean(u"the answer"_s, detail->answerText()));
    QVERIFY(clean(
        u"the headers"_s, allTexts(child<QTableWidget>(detail, u"headersTable"_s)).join(u'\n')));
    QVERIFY(
        clean(u"the query"_s, allTexts(child<QTableWidget>(detail, u"queryTable"_s)).join(u'\n')));

    page.copyAsCurl();
    const QString command = QGuiApplication::clipboard()->text();
    QVERIFY(clean(u"the curl command"_s, command));
    QVERIFY(command.contains(u"<API_KEY>"_s));

    page.replayCurrent();
    QVERIFY(page.replayDialog());
    QVERIFY(clean(u"the replay URL"_s, page.replayDialog()->url()));
    QString replayHeaders;
    for (const auto &[name, value] : page.replayDialog()->headers())
        replayHeaders += QString::fromLatin1(name + ": " + value + '\n');
    QVERIFY(clean(u"the replay headers"_s, replayHeaders));
    page.replayDialog()->close();

    QSignalSpy finished(&page, &HistoryPage::exportFinished);
    for (const auto format :
        { RequestExport::Format::Har, RequestExport::Format::Jsonl, RequestExport::Format::Csv }) {
        const QString path = history.fixture.dataDir() + u"/secrets.export"_s;
        page.exportTo(path, format, HistoryPage::ExportScope::Filter);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY2(finished.takeFirst().at(0).toBool(), "export failed");
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString content = QString::fromUtf8(file.readAll());
        if (format != RequestExport::Format::Csv)
            QVERIFY(content.contains(u"***"_s)); // the redacted values are there, as stored
        QVERIFY(clean(u"an export"_s, content));
    }
}

void tst_HistoryPageDetail::copyAsCurl()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    const HttpAnswer answer = history.send("{\"say\":\"it's\"}", { { "X-Trace", "t-1" } });
    QCOMPARE(answer.status, 200);
    QVERIFY(history.waitForRow(answer.requestId()));
    QVERIFY(history.selectAndShow(answer.requestId()));

    QSignalSpy copied(history.page.get(), &HistoryPage::curlCopied);
    history.page->copyAsCurl(history.key.secret);
    QCOMPARE(copied.count(), 1);
    const QString command = QGuiApplication::clipboard()->text();
    QCOMPARE(command, copied.first().at(0).toString());
    QVERIFY2(command.contains(history.fixture.endpoint(history.webhook.id)), qPrintable(command));
    QVERIFY(command.contains(history.key.secret));
    QVERIFY(command.contains(u"X-Trace: t-1"_s));
    QVERIFY(history.page->notification()->text().startsWith(u"Copied a curl command"_s));

    // The prompt: typed key in the command, nothing when cancelled.
    history.page->askKeyAndCopyAsCurl();
    auto *prompt = child<QInputDialog>(history.page.get(), u"curlKeyDialog"_s);
    QVERIFY(prompt);
    prompt->setTextValue(u"htk_typed"_s);
    prompt->accept();
    QCOMPARE(copied.count(), 2);
    QVERIFY(QGuiApplication::clipboard()->text().contains(u"htk_typed"_s));
}

void tst_HistoryPageDetail::prettyJsonKeepsOrderAndNumbers()
{
    // A string holding an escaped quote and backslash: {"e":"\"q\\"}
    const QByteArray sent = "{\"b\":1.0,\"a\":\"x, y: {z}\",\"big\":12345678901234567890,"
                            "\"e\":\"\\\"q\\\\\"}";
    QCOMPARE(BodyView::prettyJson(sent),
        u"{\n    \"b\": 1.0,\n    \"a\": \"x, y: {z}\",\n    \"big\": 12345678901234567890,\n    \"e\": \"\\\"q\\\\\"\n}"_s);
    QCOMPARE(BodyView::prettyJson(" [ ] "), u"[]"_s);
    QCOMPARE(BodyView::prettyJson("\"caf\xc3\xa9\""), u"\"café\""_s);
}

void tst_HistoryPageDetail::prettyXml()
{
    QCOMPARE(BodyView::prettyXml("<?xml version=\"1.0\"?><a><b x=\"1\"/>\n  <c>t</c></a>")
                 .value_or(QString()),
        u"<?xml version=\"1.0\"?>\n<a>\n  <b x=\"1\"/>\n  <c>t</c>\n</a>"_s);
    QVERIFY(!BodyView::prettyXml("<a><b></a>"));
}

void tst_HistoryPageDetail::formFields_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QStringList>("pairs");
    QTest::addRow("plain") << QByteArray("a=1&b=2")
                           << QStringList { u"a"_s, u"1"_s, u"b"_s, u"2"_s };
    QTest::addRow("plus and percent")
        << QByteArray("q=a+b%2Bc&%C3%A9=%26") << QStringList { u"q"_s, u"a b+c"_s, u"é"_s, u"&"_s };
    QTest::addRow("no value, empty parts")
        << QByteArray("flag&&x=") << QStringList { u"flag"_s, QString(), u"x"_s, QString() };
    QTest::addRow("equals in the value") << QByteArray("k=a=b") << QStringList { u"k"_s, u"a=b"_s };
}

void tst_HistoryPageDetail::formFields()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QStringList, pairs);
    QStringList flat;
    for (const auto &[name, value] : Hooktrail::formFields(encoded))
        flat << name << value;
    QCOMPARE(flat, pairs);
}

QTEST_MAIN(tst_HistoryPageDetail)
#include "tst_historypage_detail.moc"
