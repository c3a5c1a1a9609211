// Tests for the detail pane's body tab: where invalid JSON or XML breaks, find, the JSON tree,
// large bodies formatted off the GUI thread in parts, and copying the body as received.
#include "core/model/loggedrequest.h"
#include "ui/bodyhighlighter.h"
#include "ui/bodyview.h"
#include "ui/findbar.h"
#include "ui/jsontreemodel.h"
#include "ui/requestdetailview.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTextBlock>
#include <QToolButton>
#include <QTreeView>

using namespace Hooktrail;
using namespace Qt::StringLiterals;

namespace {

LoggedRequest requestWith(const QByteArray &contentType, const QByteArray &body, qint64 id = 1)
{
    LoggedRequest request;
    request.id = id;
    request.method = "POST";
    request.path = "/v1/data/webhook/7d1c2f8e-0000-4000-8000-000000000001";
    request.httpVersion = "HTTP/1.1";
    request.headers = { { "Content-Type", contentType } };
    request.contentType = contentType;
    request.body = body;
    request.bodySize = body.size();
    request.status = 200;
    request.reason = "accepted";
    return request;
}

// A JSON array of about `bytes` bytes, one small object an element.
QByteArray largeJson(qsizetype bytes)
{
    QByteArray json = "[";
    json.reserve(bytes + 64);
    for (int i = 0; json.size() < bytes; ++i)
        json += R"({"item":)" + QByteArray::number(i) + R"(,"name":"caf\u00e9 \u2014 )"
            + QByteArray::number(i * 7) + R"(","ok":true},)";
    json += "null]";
    return json;
}

template<typename T> T *child(QObject *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no %s named %s", T::staticMetaObject.className(), qPrintable(name));
    return found;
}

} // namespace

class tst_BodyView final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup() { m_detail.reset(); }

    void invalidBodyShowsWhere_data();
    void invalidBodyShowsWhere();
    void validBodyShowsNoProblem();
    void findBarFindsAndCounts();
    void rawTabFinds();
    void treeShowsKeysAndCollapses();
    void treeIsBounded();
    void largeBodyRendersInParts();
    void largeBodyCanBeCancelled();
    void largeXmlRendersInParts();
    void selectingAnotherRequestCancels();
    void copyButtonCopiesTheExactBytes();

private:
    BodyView *show(const LoggedRequest &request);

    std::unique_ptr<RequestDetailView> m_detail;
};

void tst_BodyView::init()
{
    m_detail = std::make_unique<RequestDetailView>();
    m_detail->resize(900, 600);
    m_detail->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_detail.get()));
}

BodyView *tst_BodyView::show(const LoggedRequest &request)
{
    m_detail->setRequest(request, {});
    m_detail->tabs()->setCurrentIndex(RequestDetailView::BodyTab);
    return m_detail->bodyView();
}

void tst_BodyView::invalidBodyShowsWhere_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");

    QTest::addRow("JSON, a missing colon")
        << "application/json"_ba
        << "{\n  \"a\": 1,\n  \"b\" 2\n}"_ba
        << u"Not valid JSON: line 3, column 7: expected ':' after an object key"_s << 3 << 7;
    QTest::addRow("JSON, cut short") << "application/json"_ba
                                     << "{\"order\":\n  [1, 2"_ba
                                     << u"Not valid JSON: line 2, column 8: expected ',' or ']' "
                                        "after an array element, found the end of the body"_s
                                     << 2 << 8;
    // Columns count characters: "é" is one, not two bytes.
    QTest::addRow("JSON, after UTF-8") << "application/json"_ba
                                       << "[\"caf\xc3\xa9\" true]"_ba
                                       << u"Not valid JSON: line 1, column 9: expected ',' or ']' "
                                          "after an array element"_s
                                       << 1 << 9;
    QTest::addRow("XML, crossed tags")
        << "application/xml"_ba
        << "<a>\n<b></a>"_ba
        << u"Not well-formed XML: line 2, column 4: an end tag does not match the element it "
           "closes"_s
        << 2 << 4;
}

void tst_BodyView::invalidBodyShowsWhere()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, problem);
    QFETCH(int, line);
    QFETCH(int, column);

    BodyView *view = show(requestWith(contentType, body));
    QCOMPARE(int(m_detail->bodyKind()), int(BodyView::BodyKind::Text));
    QCOMPARE(m_detail->bodyText(), QString::fromUtf8(body)); // shown as received
    auto *label = child<QLabel>(view, u"bodyProblem"_s);
    QVERIFY(label->isVisible());
    QCOMPARE(label->text(), problem);
    QVERIFY(view->problem());
    QCOMPARE(view->problem()->line, line);
    QCOMPARE(view->problem()->column, column);
    // The cursor is on the spot, and the spot is marked.
    const QTextCursor cursor = view->textView()->textCursor();
    QCOMPARE(cursor.blockNumber(), line - 1);
    const QString shownLine = cursor.block().text();
    QCOMPARE(QStringView(shownLine).first(cursor.positionInBlock()).toUcs4().size(), column - 1);
    QCOMPARE(view->textView()->extraSelections().size(), 1);
}

void tst_BodyView::validBodyShowsNoProblem()
{
    BodyView *view = show(requestWith("application/json", R"({"a":[1,2]})"));
    QVERIFY(!view->problem());
    QVERIFY(!child<QLabel>(view, u"bodyProblem"_s)->isVisible());
    QVERIFY(view->textView()->extraSelections().isEmpty());
    // A body the receiver cut is not called invalid: it was never whole.
    LoggedRequest cut = requestWith("application/json", R"({"a":[1,)", 2);
    cut.bodySize = 4096;
    cut.bodyTruncated = true;
    view = show(cut);
    QVERIFY(!view->problem());
    QVERIFY(!child<QLabel>(view, u"bodyProblem"_s)->isVisible());
}

void tst_BodyView::findBarFindsAndCounts()
{
    BodyView *view = show(requestWith("application/json",
        R"({"fruit":"Apple","list":["apple pie","crab apple"],"other":"pear"})"));
    FindBar *find = view->findBar();
    QVERIFY(!find->isVisible());
    m_detail->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_detail.get()));
    view->textView()->setFocus();
    QTest::keyClick(view->textView(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(find->isVisible());
    QTRY_VERIFY(find->field()->hasFocus());

    QTest::keyClicks(find->field(), u"apple"_s);
    QCOMPARE(find->matchCount(), 3); // any case
    QCOMPARE(find->countLabel()->text(), u"1 of 3"_s);
    QCOMPARE(view->textView()->textCursor().selectedText(), u"Apple"_s);
    QTest::keyClick(find->field(), Qt::Key_Return);
    QCOMPARE(find->countLabel()->text(), u"2 of 3"_s);
    QCOMPARE(view->textView()->textCursor().selectedText(), u"apple"_s);
    QTest::keyClick(find->field(), Qt::Key_F3);
    QCOMPARE(find->countLabel()->text(), u"3 of 3"_s);
    QTest::keyClick(find->field(), Qt::Key_Return);
    QCOMPARE(find->countLabel()->text(), u"1 of 3"_s); // round again
    QTest::keyClick(find->field(), Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(find->countLabel()->text(), u"3 of 3"_s);
    child<QToolButton>(find, u"findPrevious"_s)->click();
    QCOMPARE(find->countLabel()->text(), u"2 of 3"_s);

    find->field()->setText(u"banana"_s);
    QCOMPARE(find->matchCount(), 0);
    QCOMPARE(find->countLabel()->text(), u"No matches"_s);

    QTest::keyClick(find->field(), Qt::Key_Escape);
    QVERIFY(!find->isVisible());
    QTRY_VERIFY(view->textView()->hasFocus());
}

// The raw request has the same find bar, on its own text.
void tst_BodyView::rawTabFinds()
{
    show(requestWith("application/json", R"({"note":"X-Trace"})"));
    m_detail->tabs()->setCurrentIndex(RequestDetailView::RawTab);
    auto *raw = child<QPlainTextEdit>(m_detail.get(), u"rawText"_s);
    auto *find = child<FindBar>(m_detail.get(), u"rawTextFindBar"_s);
    QVERIFY(!find->isVisible());
    m_detail->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_detail.get()));
    raw->setFocus();
    QTest::keyClick(raw, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(find->isVisible());
    QTest::keyClicks(find->field(), u"content-type"_s);
    QCOMPARE(find->countLabel()->text(), u"1 of 1"_s);
    QCOMPARE(raw->textCursor().selectedText(), u"Content-Type"_s);
    QVERIFY(!m_detail->bodyView()->findBar()->isVisible()); // the body's stays closed
}

void tst_BodyView::treeShowsKeysAndCollapses()
{
    BodyView *view = show(requestWith("application/json",
        R"({"name":"Ada \u2014 L","tags":["x",2.50],"address":{"city":"London","zip":null},"ok":true})"));
    QCOMPARE(view->mode(), BodyView::Mode::Text);
    child<QToolButton>(view, u"bodyTreeMode"_s)->click();
    QCOMPARE(view->mode(), BodyView::Mode::Tree);
    QTreeView *tree = view->treeView();
    QVERIFY(tree->isVisible());
    QVERIFY(!view->textView()->isVisible());
    JsonTreeModel *model = view->treeModel();
    QVERIFY(model);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    const auto cell = [model](const QModelIndex &parent, int row, int column) {
        return model->index(row, column, parent).data().toString();
    };
    QCOMPARE(model->rowCount(), 4);
    // In the order sent, not sorted.
    QCOMPARE(cell({}, 0, JsonTreeModel::KeyColumn), u"name"_s);
    QCOMPARE(cell({}, 0, JsonTreeModel::ValueColumn), u"\"Ada — L\""_s); // escapes decoded
    QCOMPARE(cell({}, 0, JsonTreeModel::TypeColumn), u"string"_s);
    QCOMPARE(cell({}, 1, JsonTreeModel::KeyColumn), u"tags"_s);
    QCOMPARE(cell({}, 1, JsonTreeModel::ValueColumn), u"[2]"_s);
    QCOMPARE(cell({}, 1, JsonTreeModel::TypeColumn), u"array"_s);
    const QModelIndex tags = model->index(1, 0);
    QCOMPARE(cell(tags, 1, JsonTreeModel::KeyColumn), u"[1]"_s);
    QCOMPARE(cell(tags, 1, JsonTreeModel::ValueColumn), u"2.50"_s); // the number as sent
    QCOMPARE(cell(tags, 1, JsonTreeModel::TypeColumn), u"number"_s);
    const QModelIndex address = model->index(2, 0);
    QCOMPARE(cell({}, 2, JsonTreeModel::ValueColumn), u"{2}"_s);
    QCOMPARE(cell(address, 1, JsonTreeModel::KeyColumn), u"zip"_s);
    QCOMPARE(cell(address, 1, JsonTreeModel::TypeColumn), u"null"_s);
    QCOMPARE(cell({}, 3, JsonTreeModel::TypeColumn), u"boolean"_s);

    child<QToolButton>(view, u"bodyCollapseAll"_s)->click();
    QVERIFY(!tree->isExpanded(address));
    QVERIFY(!tree->isExpanded(tags));
    child<QToolButton>(view, u"bodyExpandAll"_s)->click();
    QVERIFY(tree->isExpanded(address));
    QVERIFY(tree->isExpanded(tags));
    tree->collapse(address);
    QVERIFY(!tree->isExpanded(address));

    // The choice holds for the next JSON body; a body that is not JSON shows as text.
    view = show(requestWith("application/json", R"([1,{"k":"v"}])", 2));
    QVERIFY(view->treeView()->isVisible());
    QCOMPARE(view->treeModel()->rowCount(), 2);
    view = show(requestWith("application/xml", "<a/>", 3));
    QVERIFY(view->textView()->isVisible());
    QVERIFY(!child<QToolButton>(view, u"bodyTreeMode"_s)->isEnabled());
    child<QToolButton>(view, u"bodyTextMode"_s)->click();
}

void tst_BodyView::treeIsBounded()
{
    QByteArray body = "[";
    for (int i = 0; i < JsonTreeModel::MaxNodes + 500; ++i)
        body += "1,";
    body += QByteArray("\"") + QByteArray(5000, 'x') + "\"]";
    BodyView *view = show(requestWith("application/json", body));
    view->setMode(BodyView::Mode::Tree);
    QTRY_VERIFY(!view->isBusy());
    const JsonTreeModel *model = view->treeModel();
    QVERIFY(model);
    QVERIFY(model->tree().cut);
    QCOMPARE(model->tree().nodes, JsonTreeModel::MaxNodes);
    QCOMPARE(model->rowCount(), JsonTreeModel::MaxNodes);
    QVERIFY(child<QLabel>(view, u"bodyTextInfo"_s)->text().contains(u"first"_s));

    // A long string is cut for the tree: the text view still has all of it.
    const auto tree = JsonTreeModel::build("[\"" + QByteArray(5000, 'x') + "\"]");
    const QString value = tree->root.children.at(0)->value;
    QCOMPARE(value.size(), JsonTreeModel::MaxTextChars + 1);
    QVERIFY(value.endsWith(u'…'));
    view->setMode(BodyView::Mode::Text);
}

void tst_BodyView::largeBodyRendersInParts()
{
    const QByteArray body = largeJson(10 * 1024 * 1024);
    BodyView *view = show(requestWith("application/json", body));
    QVERIFY(m_detail->isTruncated()); // the start, until Show all
    QVERIFY(!view->isBusy());

    // The event loop keeps turning while the body is formatted and appended: a timer that
    // fires on every turn counts the turns.
    int turns = 0;
    QTimer ticker;
    ticker.setInterval(0);
    connect(&ticker, &QTimer::timeout, [&turns] { ++turns; });
    ticker.start();
    QSignalSpy finished(view, &BodyView::finished);
    int partsSeenGrowing = 0;
    int lastParts = 0;
    int progressSeen = -1;
    bool progressMoved = false;
    child<QPushButton>(view, u"bodyTextShowAll"_s)->click();
    QVERIFY(view->isBusy());
    QVERIFY(m_detail->isTruncated()); // not all shown yet
    QVERIFY(view->progressBar()->isVisible());
    QVERIFY(child<QPushButton>(view, u"bodyCancel"_s)->isVisible());
    int mostPartsInOnePass = 0;
    while (view->isBusy()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        if (view->partsShown() > lastParts) {
            mostPartsInOnePass = std::max(mostPartsInOnePass, view->partsShown() - lastParts);
            lastParts = view->partsShown();
            ++partsSeenGrowing;
            if (view->isBusy()) {
                const int progress = view->progressBar()->value();
                progressMoved = progressMoved || (progressSeen >= 0 && progress > progressSeen);
                progressSeen = progress;
            }
        }
    }
    QCOMPARE(finished.size(), 1);
    ticker.stop();
    const int parts = view->partsShown();
    QVERIFY2(parts > 20, qPrintable(QString::number(parts)));
    QVERIFY2(partsSeenGrowing > 10, qPrintable(QString::number(partsSeenGrowing)));
    // One part a turn of the event loop, at most, and the timer fired all along.
    QCOMPARE(mostPartsInOnePass, 1);
    QVERIFY2(turns >= parts, qPrintable(u"%1 turns, %2 parts"_s.arg(turns).arg(parts)));
    QVERIFY(progressMoved);
    QVERIFY(!view->progressBar()->isVisible());
    QVERIFY(!m_detail->isTruncated());
    // All of it, exactly as formatted in one go, and coloured as JSON.
    QCOMPARE(m_detail->bodyText(), BodyView::prettyJson(body));
    QCOMPARE(view->highlighter()->language(), BodyHighlighter::Language::Json);
    const QTextBlock first = view->textView()->document()->findBlockByNumber(2);
    QVERIFY(!first.layout()->formats().isEmpty());
}

void tst_BodyView::largeBodyCanBeCancelled()
{
    const QByteArray body = largeJson(6 * 1024 * 1024);
    BodyView *view = show(requestWith("application/json", body));
    m_detail->showAll();
    QVERIFY(view->isBusy());
    QTRY_VERIFY(view->partsShown() >= 2);
    child<QPushButton>(view, u"bodyCancel"_s)->click();
    QVERIFY(!view->isBusy());
    QVERIFY(!view->progressBar()->isVisible());
    const QString partial = m_detail->bodyText();
    QVERIFY(!partial.isEmpty());
    QVERIFY(partial.size() < BodyView::prettyJson(body).size());
    QVERIFY(m_detail->isTruncated());
    QVERIFY2(child<QLabel>(view, u"bodyTextInfo"_s)->text().contains(u"Stopped"_s),
        qPrintable(child<QLabel>(view, u"bodyTextInfo"_s)->text()));
    for (int i = 0; i < 50; ++i)
        QCoreApplication::processEvents();
    QCOMPARE(m_detail->bodyText().size(), partial.size()); // nothing more arrives

    // Show all starts it again, to the end.
    auto *showAll = child<QPushButton>(view, u"bodyTextShowAll"_s);
    QVERIFY(showAll->isVisible());
    showAll->click();
    QVERIFY(view->isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!view->isBusy(), 120000);
    QCOMPARE(m_detail->bodyText().size(), BodyView::prettyJson(body).size());
    QVERIFY(!m_detail->isTruncated());
}

void tst_BodyView::largeXmlRendersInParts()
{
    QByteArray body = "<orders>";
    for (int i = 0; body.size() < 3 * 1024 * 1024; ++i)
        body += "<order id=\"" + QByteArray::number(i) + "\"><item>caf\xc3\xa9</item></order>";
    body += "</orders>";
    BodyView *view = show(requestWith("application/xml", body));
    m_detail->showAll();
    QVERIFY(view->isBusy());
    QVERIFY(view->progressBar()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!view->isBusy(), 60000);
    QVERIFY(view->partsShown() > 10);
    QCOMPARE(m_detail->bodyText(), BodyView::prettyXml(body).value_or(QString()));
    QCOMPARE(view->highlighter()->language(), BodyHighlighter::Language::Xml);
}

void tst_BodyView::selectingAnotherRequestCancels()
{
    const QByteArray body = largeJson(6 * 1024 * 1024);
    BodyView *view = show(requestWith("application/json", body));
    m_detail->showAll();
    QVERIFY(view->isBusy());
    QTRY_VERIFY(view->partsShown() >= 1);
    view->setMode(BodyView::Mode::Tree); // the tree too, in the background
    QVERIFY(view->isBusy());

    show(requestWith("application/json", R"({"small":true})", 2));
    QVERIFY(!view->isBusy());
    QCOMPARE(view->mode(), BodyView::Mode::Tree);
    QCOMPARE(view->treeModel()->rowCount(), 1);
    view->setMode(BodyView::Mode::Text);
    QCOMPARE(m_detail->bodyText(), u"{\n    \"small\": true\n}"_s);
    for (int i = 0; i < 50; ++i)
        QCoreApplication::processEvents();
    QCOMPARE(m_detail->bodyText(), u"{\n    \"small\": true\n}"_s); // nothing of the old one
}

void tst_BodyView::copyButtonCopiesTheExactBytes()
{
    const QByteArray body = "{ \"b\" :1,\r\n  \"caf\xc3\xa9\":\"\\u00e9\"  }\n"_ba;
    BodyView *view = show(requestWith("application/json", body));
    QSignalSpy copied(m_detail.get(), &RequestDetailView::copied);
    auto *button = child<QToolButton>(view, u"copyBodyButton"_s);
    QVERIFY(button->isEnabled());
    button->click();
    const QMimeData *data = QGuiApplication::clipboard()->mimeData();
    QVERIFY(data);
    QCOMPARE(data->text().toUtf8(), body);
    QCOMPARE(data->data(u"application/octet-stream"_s), body);
    QCOMPARE(copied.size(), 1);
    QVERIFY(copied.at(0).at(0).toString().contains(u"as received"_s));

    // Copy tab copies the body as shown, indented: the two are told apart.
    m_detail->copyCurrentTab();
    QCOMPARE(
        QGuiApplication::clipboard()->text(), u"{\n    \"b\": 1,\n    \"café\": \"\\u00e9\"\n}"_s);

    // Nothing to copy, nothing offered.
    view = show(requestWith("application/json", QByteArray(), 2));
    QVERIFY(!child<QToolButton>(view, u"copyBodyButton"_s)->isEnabled());
}

QTEST_MAIN(tst_BodyView)
#include "tst_bodyview.moc"
