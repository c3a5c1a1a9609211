// The History page against a real store and receiver: the lazy, live request model, filters,
// the detail pane, copy as curl, replay, export, delete, the chart, and redaction everywhere.
#include "core/history/formdata.h"
#include "testsupport.h"
#include "ui/bodyhighlighter.h"
#include "ui/historychart.h"
#include "ui/historypage.h"
#include "ui/mainwindow.h"
#include "ui/replaydialog.h"
#include "ui/requestdetailview.h"
#include "ui/requesttablemodel.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QGuiApplication>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollBar>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QThread>
#include <QtTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Second = 1000000;

template<typename T> T *child(QObject *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no child %s", qPrintable(name));
    return found;
}

LoggedRequest entry(
    const QString &webhookId, int status = 200, const QByteArray &reason = "accepted")
{
    LoggedRequest request;
    request.receivedAtMicros = currentMicros() - 60 * Second;
    request.webhookId = webhookId;
    request.method = "POST";
    request.path = "/v1/data/webhook/" + webhookId.toLatin1();
    request.query = "api-key=***";
    request.httpVersion = "HTTP/1.1";
    request.headers = { { "Host", "127.0.0.1" }, { "Content-Type", "application/json" } };
    request.contentType = "application/json";
    request.body = "{\"n\":1}";
    request.bodySize = request.body.size();
    request.clientAddress = u"127.0.0.1"_s;
    request.status = status;
    request.reason = reason;
    request.instance = u"test"_s;
    return request;
}

QStringList allTexts(QTableWidget *table)
{
    QStringList texts;
    for (int row = 0; row < table->rowCount(); ++row) {
        for (int column = 0; column < table->columnCount(); ++column) {
            if (const QTableWidgetItem *item = table->item(row, column))
                texts.append(item->text());
        }
    }
    return texts;
}

// Everything the model says about every loaded row, in every role a view or a screen reader asks.
QStringList modelTexts(const QAbstractItemModel &model)
{
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            const QModelIndex index = model.index(row, column);
            for (int role :
                { int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::AccessibleTextRole) })
                texts.append(index.data(role).toString());
            for (int role = Qt::UserRole; role <= RequestTableModel::BodySizeRole; ++role)
                texts.append(index.data(role).toString());
        }
    }
    return texts;
}

// Loads every row, as a user scrolling to the end would: pages while the count is unknown,
// then the placeholders below the loaded rows.
bool loadAll(RequestTableModel &model)
{
    return QTest::qWaitFor(
        [&] {
            if (model.canFetchMore({}))
                model.fetchMore({});
            else if (!model.isLoading())
                model.ensureLoaded(model.loadedCount(), model.rowCount() - 1);
            return model.allLoaded() && !model.isLoading();
        },
        10000);
}

bool waitLoaded(RequestTableModel &model, int first, int last)
{
    return QTest::qWaitFor(
        [&] {
            if (!model.isLoading())
                model.ensureLoaded(first, last);
            return model.isLoaded(first) && model.isLoaded(last) && !model.isLoading();
        },
        10000);
}

QList<qint64> loadedIds(const RequestTableModel &model)
{
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.isLoaded(row))
            ids.append(model.requestAt(row).id);
    }
    return ids;
}

// The loaded rows are a run of the expected ones, in order, at their rows when exact.
bool loadedRunOf(const RequestTableModel &model, const QList<qint64> &expected, bool exact)
{
    const QList<qint64> ids = loadedIds(model);
    if (ids.isEmpty())
        return false;
    const qsizetype at = expected.indexOf(ids.first());
    if (at < 0 || expected.mid(at, ids.size()) != ids) {
        qWarning() << "loaded" << ids.first() << "..." << ids.last() << "not a run of expected";
        return false;
    }
    if (exact && model.rowOfId(ids.first()) != at) {
        qWarning() << "first loaded id" << ids.first() << "at row" << model.rowOfId(ids.first())
                   << "belongs at" << at;
        return false;
    }
    return true;
}

// A second server for Replay: takes one request with the receiver's own parser and answers it.
class ReplayTarget final : public QObject
{
public:
    ReplayTarget()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    m_buffer += socket->readAll();
                    for (;;) {
                        const HttpRequestParser::Status status = m_parser.parse(m_buffer);
                        if (status == HttpRequestParser::Status::Complete) {
                            received = m_parser.takeRequest();
                            m_parser.reset();
                            const QByteArray body = "{\"ok\":true,\"seen\":\"replay\"}";
                            socket->write(
                                "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n"
                                "X-Replay-Target: yes\r\nContent-Length: "
                                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
                            return;
                        }
                        if (status != HttpRequestParser::Status::HeadersComplete)
                            return;
                    }
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }

    std::optional<ParsedRequest> received;

private:
    QTcpServer m_server;
    HttpRequestParser m_parser;
    QByteArray m_buffer;
};

// The console's running parts with one webhook and one key, and the page under test.
class History final
{
    Q_DISABLE_COPY_MOVE(History)
public:
    History() = default;

    bool start(QString *error)
    {
        if (!fixture.start()) {
            *error = fixture.error();
            return false;
        }
        Webhook hook;
        hook.name = u"Orders"_s;
        hook.methods = { u"POST"_s, u"PUT"_s };
        const Result<Webhook> added = fixture.store()->config().addWebhook(hook);
        const Result<NewApiKey> newKey = fixture.store()->config().addKey(u"laptop"_s);
        if (!added || !newKey) {
            *error = added ? newKey.error() : added.error();
            return false;
        }
        webhook = *added;
        key = *newKey;
        fixture.receiverFollows();
        return true;
    }

    // The page, shown offscreen; rows logged before it are in its first page.
    bool openPage()
    {
        page = std::make_unique<HistoryPage>(context());
        page->resize(1100, 800);
        tester = std::make_unique<QAbstractItemModelTester>(
            page->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page->show();
        return QTest::qWaitForWindowExposed(page.get())
            && QTest::qWaitFor([this] { return page->model()->totalCount() >= 0; }, 5000);
    }

    ConsoleContext context() const
    {
        return { fixture.settings(), fixture.engine(), fixture.executor() };
    }

    QList<qint64> log(QList<LoggedRequest> batch)
    {
        QList<qint64> ids;
        if (!fixture.store()->log().append(batch))
            return ids;
        for (const LoggedRequest &request : batch)
            ids.append(request.id);
        return ids;
    }

    QList<qint64> logMany(int count, const QString &webhookId)
    {
        QList<LoggedRequest> batch;
        for (int i = 0; i < count; ++i) {
            LoggedRequest request = entry(webhookId);
            request.receivedAtMicros += i;
            batch.append(request);
        }
        return log(batch);
    }

    // A request through the real receiver, with the key in the query.
    HttpAnswer send(const QByteArray &body = "{\"live\":true}", const HeaderList &headers = {})
    {
        HeaderList all { { "Content-Type", "application/json" } };
        all.append(headers);
        return sendRequest(
            fixture.endpoint(webhook.id) + u"?api-key="_s + key.secret, "POST", all, body);
    }

    bool selectAndShow(qint64 id)
    {
        QSignalSpy shown(page.get(), &HistoryPage::detailShown);
        if (!page->selectRequest(id))
            return false;
        return QTest::qWaitFor(
            [&] {
                return page->detailView()->request() && page->detailView()->request()->id == id;
            },
            5000);
    }

    bool waitForRow(qint64 id)
    {
        return QTest::qWaitFor([&] { return page->model()->rowOfId(id) >= 0; }, 10000);
    }

    TestSupport::ConsoleFixture fixture;
    Webhook webhook;
    NewApiKey key;
    std::unique_ptr<HistoryPage> page; // declared late: gone before the parts it uses
    std::unique_ptr<QAbstractItemModelTester> tester; // on the page's model, gone before it
};

} // namespace

class tst_HistoryPage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

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
    void replaySendsWhatTheDialogShows();
    void replayKeyPlaceholderAnyCase();
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

    // Helpers of the detail pane
    void prettyJsonKeepsOrderAndNumbers();
    void prettyXml();
    void formFields_data();
    void formFields();
};

void tst_HistoryPage::modelPaging_data()
{
    QTest::addColumn<int>("rows");
    QTest::addRow("empty log") << 0;
    QTest::addRow("one row") << 1;
    QTest::addRow("exactly one page") << RequestTableModel::PageSize;
    QTest::addRow("two pages and a half") << 250;
    QTest::addRow("three pages") << 300;
}

void tst_HistoryPage::modelPaging()
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

void tst_HistoryPage::modelFilters_data()
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

void tst_HistoryPage::modelFilters()
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

void tst_HistoryPage::modelDropsStaleResults()
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

void tst_HistoryPage::modelDeletion()
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

void tst_HistoryPage::modelJumpsAndScrollsBothWays()
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

void tst_HistoryPage::modelLiveInsertsWhileJumped()
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

void tst_HistoryPage::modelDeletionWhileJumped()
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

void tst_HistoryPage::scrollBarSpansTheTotal()
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
    const auto *problem = child<QLabel>(&page, u"errorLabel"_s);
    QVERIFY2(problem->text().contains(u"Delete all matching"_s), qPrintable(problem->text()));
    QCOMPARE(*history.fixture.store()->queries().countRequests(RequestFilter()), qint64(5000));
}

void tst_HistoryPage::modelFollowsCommits()
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

void tst_HistoryPage::liveInsertWhileFollowing()
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

void tst_HistoryPage::liveInsertWhileScrolledKeepsTheView_data()
{
    QTest::addColumn<bool>("scrolled");
    QTest::addColumn<bool>("selected");
    QTest::addRow("scrolled away") << true << false;
    QTest::addRow("a row selected at the top") << false << true;
}

void tst_HistoryPage::liveInsertWhileScrolledKeepsTheView()
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

void tst_HistoryPage::filterBarBuildsTheFilter()
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
    reason->setCurrentIndex(reason->findText(u"header_mismatch"_s));
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

void tst_HistoryPage::searchWaitsForAPause()
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

void tst_HistoryPage::detailPane_data()
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

void tst_HistoryPage::detailPane()
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

void tst_HistoryPage::largeBodyIsCutUntilShowAll()
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

void tst_HistoryPage::secretsNeverShown()
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

void tst_HistoryPage::copyAsCurl()
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
    QVERIFY(child<QLabel>(history.page.get(), u"messageLabel"_s)->isVisible());

    // The prompt: typed key in the command, nothing when cancelled.
    history.page->askKeyAndCopyAsCurl();
    auto *prompt = child<QInputDialog>(history.page.get(), u"curlKeyDialog"_s);
    QVERIFY(prompt);
    prompt->setTextValue(u"htk_typed"_s);
    prompt->accept();
    QCOMPARE(copied.count(), 2);
    QVERIFY(QGuiApplication::clipboard()->text().contains(u"htk_typed"_s));
}

void tst_HistoryPage::replayKeyPlaceholderAnyCase()
{
    // Redaction keeps the name as it came; the placeholder goes where the key was, as in curl.
    LoggedRequest request;
    request.path = "/v1/data/webhook/w";
    request.query = "API-Key=***&x=1&note=***";
    QCOMPARE(ReplayDialog::defaultUrl(u"http://h:1"_s, request),
        u"http://h:1/v1/data/webhook/w?API-Key=<API_KEY>&x=1&note=***"_s);
    request.query = "api-key=***";
    QCOMPARE(ReplayDialog::defaultUrl(u"http://h:1"_s, request),
        u"http://h:1/v1/data/webhook/w?api-key=<API_KEY>"_s);
}

void tst_HistoryPage::replaySendsWhatTheDialogShows()
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
    // The defaults: the endpoint it reached with the key placeholder, the logged method and body.
    QCOMPARE(dialog->url(),
        history.fixture.endpoint(history.webhook.id) + u"?api-key="_s
            + ReplayDialog::keyPlaceholder());
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

void tst_HistoryPage::replayToTheReceiverWithTheKey()
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
                .contains(u"invalid_api_key"_s));

    auto *key = child<QLineEdit>(dialog, u"keyEdit"_s);
    QTest::keyClicks(key, history.key.secret);
    QCOMPARE(dialog->url(),
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

void tst_HistoryPage::replayFillsTheKeyUnderAnySpelling()
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
    QCOMPARE(dialog->url(),
        endpoint + u"?API-Key="_s + ReplayDialog::keyPlaceholder() + u"&note=api-key%3Dx"_s);

    // Typed, the key goes where the receiver reads it, and nowhere else.
    auto *key = child<QLineEdit>(dialog, u"keyEdit"_s);
    QTest::keyClicks(key, history.key.secret);
    QCOMPARE(
        dialog->url(), endpoint + u"?API-Key="_s + history.key.secret + u"&note=api-key%3Dx"_s);
    QSignalSpy answered(dialog, &ReplayDialog::answered);
    dialog->send();
    QTRY_COMPARE(answered.count(), 1);
    QCOMPARE(answered.first().at(0).toInt(), 200);
    key->selectAll();
    QTest::keyClick(key, Qt::Key_Backspace); // emptied: back to the placeholder
    QCOMPARE(dialog->url(),
        endpoint + u"?API-Key="_s + ReplayDialog::keyPlaceholder() + u"&note=api-key%3Dx"_s);
    dialog->close();
}

void tst_HistoryPage::exportThroughThePage_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<bool>("selection");
    QTest::addRow("HAR, the filter") << int(RequestExport::Format::Har) << false;
    QTest::addRow("HAR, the selection") << int(RequestExport::Format::Har) << true;
    QTest::addRow("JSON Lines, the filter") << int(RequestExport::Format::Jsonl) << false;
    QTest::addRow("CSV, the selection") << int(RequestExport::Format::Csv) << true;
}

void tst_HistoryPage::exportThroughThePage()
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

void tst_HistoryPage::exportCanBeCancelled()
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

void tst_HistoryPage::deleteSelection()
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
    QVERIFY2(page.deleteConfirmation()->text().contains(u"Selected: 2."_s),
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

void tst_HistoryPage::deleteMatchingFilter()
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
    reason->setCurrentIndex(reason->findText(u"header_mismatch"_s));
    QTRY_COMPARE(page.model()->totalCount(), qint64(3));

    QSignalSpy deleted(&page, &HistoryPage::deleted);
    page.deleteMatching();
    QTRY_VERIFY(page.deleteConfirmation());
    QVERIFY2(page.deleteConfirmation()->text().contains(u"Requests: 3."_s),
        qPrintable(page.deleteConfirmation()->text()));
    QTest::mouseClick(
        child<QPushButton>(page.deleteConfirmation(), u"deleteButton"_s), Qt::LeftButton);
    QTRY_COMPARE(deleted.count(), 1);
    QCOMPARE(deleted.first().at(0).toLongLong(), qint64(3));
    QTRY_COMPARE(page.model()->totalCount(), qint64(0));
    QCOMPARE(page.model()->rowCount(), 0);
    QCOMPARE(*history.fixture.store()->queries().countRequests(RequestFilter()), qint64(4));
}

void tst_HistoryPage::chartFollowsTheFilter()
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

void tst_HistoryPage::splitterSizesPersist()
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

void tst_HistoryPage::retentionShownInTheStatusBar()
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

void tst_HistoryPage::prettyJsonKeepsOrderAndNumbers()
{
    // A string holding an escaped quote and backslash: {"e":"\"q\\"}
    const QByteArray sent = "{\"b\":1.0,\"a\":\"x, y: {z}\",\"big\":12345678901234567890,"
                            "\"e\":\"\\\"q\\\\\"}";
    QCOMPARE(RequestDetailView::prettyJson(sent),
        u"{\n    \"b\": 1.0,\n    \"a\": \"x, y: {z}\",\n    \"big\": 12345678901234567890,\n    \"e\": \"\\\"q\\\\\"\n}"_s);
    QCOMPARE(RequestDetailView::prettyJson(" [ ] "), u"[]"_s);
    QCOMPARE(RequestDetailView::prettyJson("\"caf\xc3\xa9\""), u"\"café\""_s);
}

void tst_HistoryPage::prettyXml()
{
    QCOMPARE(RequestDetailView::prettyXml("<?xml version=\"1.0\"?><a><b x=\"1\"/>\n  <c>t</c></a>")
                 .value_or(QString()),
        u"<?xml version=\"1.0\"?>\n<a>\n  <b x=\"1\"/>\n  <c>t</c>\n</a>"_s);
    QVERIFY(!RequestDetailView::prettyXml("<a><b></a>"));
}

void tst_HistoryPage::formFields_data()
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

void tst_HistoryPage::formFields()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QStringList, pairs);
    QStringList flat;
    for (const auto &[name, value] : Hooktrail::formFields(encoded))
        flat << name << value;
    QCOMPARE(flat, pairs);
}

QTEST_MAIN(tst_HistoryPage)
#include "tst_historypage.moc"
