// Tests for Replay and its sender: a replay sends what was received (headers, their order, the
// body's bytes) and nothing the console adds, the masked key never reaches the URL, a key the
// receiver accepted is offered again, the response is readable and its logged request opens.
#include "core/http/httpclient.h"
#include "historypagetest.h"
#include "ui/connectionspage.h"
#include "ui/requestoverview.h"
#include "ui/requestsender.h"
#include "ui/testrequestdialog.h"
#include "ui/verifiedkeys.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

// Records the bytes of one request as they came, and answers 200.
class RecordingServer final : public QObject
{
public:
    RecordingServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    bytes += socket->readAll();
                    const qsizetype end = bytes.indexOf("\r\n\r\n");
                    if (end < 0 || bytes.size() < end + 4 + header("content-length").toLongLong())
                        return;
                    complete = true;
                    socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url() const { return u"http://127.0.0.1:%1/in"_s.arg(m_server.serverPort()); }

    // The header lines as they came, in order.
    HeaderList headers() const
    {
        HeaderList list;
        const QList<QByteArray> lines = bytes.left(bytes.indexOf("\r\n\r\n")).split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).chopped(1); // the CR
            const qsizetype colon = line.indexOf(':');
            list.append({ line.left(colon), line.mid(colon + 2) });
        }
        return list;
    }
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers()) {
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    QByteArray body() const { return bytes.mid(bytes.indexOf("\r\n\r\n") + 4); }

    QByteArray bytes;
    bool complete = false;

private:
    QTcpServer m_server;
};

// Without what the sending client sets for the connection: what a replay must keep.
HeaderList withoutClientManaged(const HeaderList &headers)
{
    HeaderList kept;
    for (const auto &header : headers) {
        if (!HttpClient::isClientManaged(header.first))
            kept.append(header);
    }
    return kept;
}

// The original: headers in an order and spelling no client library would choose, none of
// Accept-Encoding, Accept-Language or User-Agent, a repeated name, and a body whose bytes a
// text editor would change (CRLF, a tab, a no-break space).
const HeaderList OriginalHeaders { { "content-type", "application/json" }, { "X-Trace", "t-1" },
    { "x-repeat", "one" }, { "Accept", "*/*" }, { "x-repeat", "two" } };
const QByteArray OriginalBody = "{\r\n\t\"order\": \"7\xc2\xa0\x62\"\r\n}";

} // namespace

class tst_Replay final : public HistoryPageTest
{
    Q_OBJECT

private slots:
    void replaySendsExactlyTheReceivedHeadersAndBody();
    void anEditedHeaderIsSentEdited();
    void replayUrlNeverHoldsTheKey();
    void aVerifiedKeyIsOfferedAgain();
    void loggedAsLinkOpensTheRequest();
    void testRequestLinkOpensTheRequestInTheHistory();
    void responsePaneIsLargeEnoughToRead();
    void tooLargeOverviewSaysWhatWasKept();
    void responseReaderFramesChunksAndCutsAtTheLimit();

private:
    // The original request, sent as these exact bytes through the real receiver and shown.
    static qint64 sendOriginal(History &history);
    static bool sendAndWait(ReplayDialog *dialog);
};

qint64 tst_Replay::sendOriginal(History &history)
{
    HttpClient client;
    OutgoingRequest request;
    request.url
        = QUrl(history.fixture.endpoint(history.webhook.id) + u"?api-key="_s + history.key.secret);
    request.method = "POST";
    request.headers = OriginalHeaders;
    request.body = OriginalBody;
    std::optional<HttpResponse> response;
    bool done = false;
    QObject::connect(
        &client, &HttpClient::finished, &client, [&](const Result<HttpResponse> &result) {
            done = true;
            if (result)
                response = *result;
        });
    if (!client.send(request) || !QTest::qWaitFor([&] { return done; }, 15000) || !response
        || response->status != 200)
        return 0;
    const qint64 id = QJsonDocument::fromJson(response->body)[u"requestId"_s].toInteger();
    if (!history.waitForRow(id) || !history.selectAndShow(id))
        return 0;
    return id;
}

bool tst_Replay::sendAndWait(ReplayDialog *dialog)
{
    QSignalSpy answered(dialog, &ReplayDialog::answered);
    dialog->send();
    return answered.wait(15000) && answered.first().at(0).toInt() != 0;
}

void tst_Replay::replaySendsExactlyTheReceivedHeadersAndBody()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    const qint64 original = sendOriginal(history);
    QVERIFY(original > 0);
    const LoggedRequest logged = *history.page->detailView()->request();
    QCOMPARE(withoutClientManaged(logged.headers), OriginalHeaders);
    QCOMPARE(logged.body, OriginalBody);

    // To a server that records the bytes: exactly the original's headers, nothing added.
    RecordingServer server;
    QVERIFY(server.listen());
    history.page->replayCurrent();
    ReplayDialog *dialog = history.page->replayDialog();
    QVERIFY(dialog);
    child<QLineEdit>(dialog, u"urlEdit"_s)->setText(server.url());
    QVERIFY(sendAndWait(dialog));
    QVERIFY(server.complete);
    QCOMPARE(withoutClientManaged(server.headers()), OriginalHeaders);
    QVERIFY(server.header("Accept-Encoding").isNull());
    QVERIFY(server.header("Accept-Language").isNull());
    QVERIFY(server.header("User-Agent").isNull());
    QCOMPARE(
        server.header("Host"), "127.0.0.1:"_ba + QByteArray::number(QUrl(server.url()).port()));
    QCOMPARE(server.header("Content-Length"), QByteArray::number(OriginalBody.size()));
    QCOMPARE(server.body(), OriginalBody);
    dialog->close();

    // To the receiver itself, with the key: the logged replay is the original again.
    history.page->replayCurrent();
    dialog = history.page->replayDialog();
    QTest::keyClicks(child<QLineEdit>(dialog, u"keyEdit"_s), history.key.secret);
    QVERIFY(sendAndWait(dialog));
    QCOMPARE(dialog->findChild<RequestSender *>()->answer().status, 200);
    const qint64 replayed = QJsonDocument::fromJson(
        dialog->findChild<RequestSender *>()->answer().body)[u"requestId"_s]
                                .toInteger();
    QVERIFY(replayed > original);
    const auto again = history.fixture.store()->queries().request(replayed);
    QVERIFY(again && again->has_value());
    QCOMPARE(withoutClientManaged((*again)->headers), OriginalHeaders);
    QCOMPARE((*again)->body, OriginalBody);
    QCOMPARE((*again)->query, logged.query);
    dialog->close();
}

void tst_Replay::anEditedHeaderIsSentEdited()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    QVERIFY(sendOriginal(history) > 0);
    RecordingServer server;
    QVERIFY(server.listen());
    history.page->replayCurrent();
    ReplayDialog *dialog = history.page->replayDialog();
    child<QLineEdit>(dialog, u"urlEdit"_s)->setText(server.url());
    auto *headers = child<QTableWidget>(dialog, u"headersTable"_s);
    QCOMPARE(headers->item(1, 0)->text(), u"X-Trace"_s);
    headers->item(1, 1)->setText(u"t-2"_s);
    child<QPlainTextEdit>(dialog, u"bodyEdit"_s)->setPlainText(u"{}"_s);
    QVERIFY(sendAndWait(dialog));
    HeaderList expected = OriginalHeaders;
    expected[1].second = "t-2";
    QCOMPARE(withoutClientManaged(server.headers()), expected);
    QCOMPARE(server.body(), "{}"_ba);
    dialog->close();
}

void tst_Replay::replayUrlNeverHoldsTheKey()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    QVERIFY(sendOriginal(history) > 0);
    history.page->replayCurrent();
    ReplayDialog *dialog = history.page->replayDialog();
    auto *url = child<QLineEdit>(dialog, u"urlEdit"_s);
    QCOMPARE(url->text(), history.fixture.endpoint(history.webhook.id));
    QVERIFY(!url->text().contains(u"***"_s));
    QVERIFY(!url->text().contains(u"api-key"_s, Qt::CaseInsensitive));
    QTest::keyClicks(child<QLineEdit>(dialog, u"keyEdit"_s), history.key.secret);
    QVERIFY(!url->text().contains(history.key.secret)); // typed, the key stays in its field
    QVERIFY(dialog->outgoing().url.toString().contains(u"api-key="_s + history.key.secret));
    dialog->close();
}

void tst_Replay::aVerifiedKeyIsOfferedAgain()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    QVERIFY(sendOriginal(history) > 0);
    const LoggedRequest logged = *history.page->detailView()->request();
    VerifiedKeys keys;
    ConsoleContext context = history.context();
    context.verifiedKeys = &keys;

    {
        ReplayDialog first(context, logged);
        QVERIFY(child<QLineEdit>(&first, u"keyEdit"_s)->text().isEmpty());
        child<QLineEdit>(&first, u"keyEdit"_s)->setText(u"htk_not-a-key"_s);
        QVERIFY(sendAndWait(&first));
        QCOMPARE(first.findChild<RequestSender *>()->answer().status, 401);
        QVERIFY(keys.latest(history.webhook.id).isEmpty()); // refused: not offered
        child<QLineEdit>(&first, u"keyEdit"_s)->setText(history.key.secret);
        QVERIFY(sendAndWait(&first));
        QCOMPARE(first.findChild<RequestSender *>()->answer().status, 200);
    }
    ReplayDialog second(context, logged);
    QCOMPARE(child<QLineEdit>(&second, u"keyEdit"_s)->text(), history.key.secret);
    QCOMPARE(child<QLineEdit>(&second, u"keyEdit"_s)->echoMode(), QLineEdit::Password);
    QVERIFY(!second.url().contains(history.key.secret));
    // Another webhook is not offered this one's key.
    LoggedRequest other = logged;
    other.path = "/v1/data/webhook/00000000-0000-4000-8000-000000000000";
    ReplayDialog third(context, other);
    QVERIFY(child<QLineEdit>(&third, u"keyEdit"_s)->text().isEmpty());
    // The test request dialog of the same webhook offers it too.
    TestRequestDialog test(context, history.webhook);
    QCOMPARE(child<QLineEdit>(&test, u"keyEdit"_s)->text(), history.key.secret);
}

void tst_Replay::loggedAsLinkOpensTheRequest()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    const qint64 original = sendOriginal(history);
    QVERIFY(original > 0);
    history.page->replayCurrent();
    ReplayDialog *dialog = history.page->replayDialog();
    QTest::keyClicks(child<QLineEdit>(dialog, u"keyEdit"_s), history.key.secret);
    QVERIFY(sendAndWait(dialog));
    const qint64 replayed = QJsonDocument::fromJson(
        dialog->findChild<RequestSender *>()->answer().body)[u"requestId"_s]
                                .toInteger();
    auto *link = child<QLabel>(dialog, u"loggedLink"_s);
    QVERIFY(link->isVisible());
    QVERIFY2(link->text().contains(u"Logged as request %1</a>"_s.arg(replayed)),
        qPrintable(link->text()));
    QVERIFY(link->text().contains(u"href=\"request:%1\""_s.arg(replayed)));
    QCOMPARE(history.page->detailView()->request()->id, original);
    emit link->linkActivated(u"request:%1"_s.arg(replayed));
    QTRY_VERIFY(history.page->detailView()->request()
        && history.page->detailView()->request()->id == replayed);
    dialog->close();

    // A target that is not Hooktrail's receiver logs nothing: no link.
    RecordingServer server;
    QVERIFY(server.listen());
    history.page->replayCurrent();
    dialog = history.page->replayDialog();
    child<QLineEdit>(dialog, u"urlEdit"_s)->setText(server.url());
    QVERIFY(sendAndWait(dialog));
    QVERIFY(!child<QLabel>(dialog, u"loggedLink"_s)->isVisible());
    dialog->close();
}

void tst_Replay::testRequestLinkOpensTheRequestInTheHistory()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    MainWindow window(history.context());
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.currentPage(), MainWindow::Page::Connections);

    auto *dialog
        = new TestRequestDialog(history.context(), history.webhook, window.connectionsPage());
    connect(dialog, &TestRequestDialog::openRequest, window.connectionsPage(),
        &ConnectionsPage::openRequest); // as the page wires the dialog it opens
    child<QLineEdit>(dialog, u"keyEdit"_s)->setText(history.key.secret);
    QTest::mouseClick(child<QPushButton>(dialog, u"sendButton"_s), Qt::LeftButton);
    auto *link = child<QLabel>(dialog, u"loggedLink"_s);
    QTRY_VERIFY_WITH_TIMEOUT(link->text().contains(u"href=\"request:"_s), 15000);
    const QRegularExpressionMatch match
        = QRegularExpression(u"request:(\\d+)"_s).match(link->text());
    QVERIFY(match.hasMatch());
    const qint64 id = match.captured(1).toLongLong();
    QSignalSpy closed(dialog, &QDialog::finished);
    emit link->linkActivated(u"request:%1"_s.arg(id));
    QCOMPARE(closed.count(), 1); // the dialog makes way for the History
    QCOMPARE(window.currentPage(), MainWindow::Page::History);
    QTRY_VERIFY_WITH_TIMEOUT(window.historyPage()->detailView()->request()
            && window.historyPage()->detailView()->request()->id == id,
        15000);
    delete dialog;
}

void tst_Replay::responsePaneIsLargeEnoughToRead()
{
    History history;
    QString error;
    QVERIFY2(history.start(&error), qPrintable(error));
    QVERIFY(history.openPage());
    QVERIFY(sendOriginal(history) > 0);
    history.page->replayCurrent();
    ReplayDialog *dialog = history.page->replayDialog();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    auto *sender = dialog->findChild<RequestSender *>();
    const int lines = sender->fontMetrics().lineSpacing();
    QVERIFY(sender->minimumHeight() >= lines * RequestSender::MinimumLines);
    QVERIFY2(sender->height() >= lines * RequestSender::MinimumLines,
        qPrintable(QString::number(sender->height())));
    // The body gets most of it, in a pane the user can resize.
    auto *split = child<QSplitter>(dialog, u"responseSplitter"_s);
    QCOMPARE(split->orientation(), Qt::Vertical);
    QVERIFY(child<QPlainTextEdit>(dialog, u"answerBody"_s)->height() >= lines * 8);
    dialog->close();
}

void tst_Replay::tooLargeOverviewSaysWhatWasKept()
{
    // A 413 refused at its Content-Length keeps nothing of its body, and no key was checked.
    LoggedRequest request;
    request.status = 413;
    request.reason = "payload_too_large";
    request.bodySize = 20 * 1024 * 1024;
    request.contentType = "application/json";
    request.bodyTruncated = true;
    const QString nothing = RequestOverview::bodyText(request);
    QVERIFY2(nothing.endsWith(u". None of it was kept."_s), qPrintable(nothing));
    QVERIFY(!nothing.contains(u"first"_s));
    QCOMPARE(RequestOverview::keyText(request, {}),
        u"Not checked: the request was refused before its key was looked at."_s);
    // A prefix kept says how much; a key that matched is named.
    request.body = QByteArray(64 * 1024, 'x');
    const QString prefix = RequestOverview::bodyText(request);
    QVERIFY2(prefix.endsWith(
                 u". Only its first %1 were kept."_s.arg(QLocale().formattedDataSize(64 * 1024))),
        qPrintable(prefix));
    QCOMPARE(RequestOverview::keyText(request, u"htk_ab… (laptop)"_s), u"htk_ab… (laptop)"_s);
    request.reason = "missing_api_key";
    QCOMPARE(RequestOverview::keyText(request, {}), u"No key was sent."_s);
    request.reason = "invalid_api_key";
    QCOMPARE(RequestOverview::keyText(request, {}), u"The key sent matches none of the keys."_s);
}

void tst_Replay::responseReaderFramesChunksAndCutsAtTheLimit()
{
    // Chunked, fed a byte at a time, after a 100 Continue: the body decoded, headers in order.
    const QByteArray chunked = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
                               "Transfer-Encoding: chunked\r\nX-B: 2\r\nx-a: 1\r\n\r\n"
                               "4;ext=1\r\nabcd\r\n2\r\nef\r\n0\r\nTrailer: t\r\n\r\n";
    HttpResponseReader reader(1024);
    HttpResponseReader::Status status = HttpResponseReader::Status::NeedMore;
    for (qsizetype i = 0; i < chunked.size(); ++i) {
        QCOMPARE(status, HttpResponseReader::Status::NeedMore);
        status = reader.feed(chunked.sliced(i, 1));
    }
    QCOMPARE(status, HttpResponseReader::Status::Complete);
    QCOMPARE(reader.response().status, 201);
    QCOMPARE(reader.response().reasonPhrase, "Created"_ba);
    QCOMPARE(reader.response().body, "abcdef"_ba);
    QCOMPARE(reader.response().headers.at(1), (QPair<QByteArray, QByteArray>("X-B", "2")));
    QCOMPARE(reader.response().headers.at(2), (QPair<QByteArray, QByteArray>("x-a", "1")));

    // A body past the limit is cut there, and no more is read.
    HttpResponseReader small(4);
    QCOMPARE(small.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456"),
        HttpResponseReader::Status::Complete);
    QCOMPARE(small.response().body, "0123"_ba);
    QVERIFY(small.response().bodyCut);

    // Read to the end of the connection; a connection that ends early is an error.
    HttpResponseReader toClose(1024);
    QCOMPARE(toClose.feed("HTTP/1.0 200 OK\r\n\r\nall"), HttpResponseReader::Status::NeedMore);
    QCOMPARE(toClose.finish(), HttpResponseReader::Status::Complete);
    QCOMPARE(toClose.response().body, "all"_ba);
    HttpResponseReader early(1024);
    QCOMPARE(early.feed("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort"),
        HttpResponseReader::Status::NeedMore);
    QCOMPARE(early.finish(), HttpResponseReader::Status::Failed);
    HttpResponseReader garbage(1024);
    QCOMPARE(garbage.feed("SSH-2.0-OpenSSH\r\n\r\n"), HttpResponseReader::Status::Failed);
}

QTEST_MAIN(tst_Replay)
#include "tst_replay.moc"
