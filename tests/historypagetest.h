// The console's history page under test: its running parts with one webhook and one key, rows
// logged straight into the store, a second server for Replay, and what the model and the table
// show. The fixture every tst_historypage_* executable derives from.
#pragma once

#include "core/history/formdata.h"
#include "testsupport.h"
#include "ui/bodyhighlighter.h"
#include "ui/historychart.h"
#include "ui/historypage.h"
#include "ui/mainwindow.h"
#include "ui/notification.h"
#include "ui/replaydialog.h"
#include "ui/requestdetailview.h"
#include "ui/requestsummary.h"
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

namespace Hooktrail::TestSupport {

using namespace Qt::StringLiterals;

inline constexpr qint64 Second = 1000000;

template<typename T> T *child(QObject *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no child %s", qPrintable(name));
    return found;
}

inline LoggedRequest entry(
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

inline QStringList allTexts(QTableWidget *table)
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
inline QStringList modelTexts(const QAbstractItemModel &model)
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
inline bool loadAll(RequestTableModel &model)
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

inline bool waitLoaded(RequestTableModel &model, int first, int last)
{
    return QTest::qWaitFor(
        [&] {
            if (!model.isLoading())
                model.ensureLoaded(first, last);
            return model.isLoaded(first) && model.isLoaded(last) && !model.isLoading();
        },
        10000);
}

inline QList<qint64> loadedIds(const RequestTableModel &model)
{
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.isLoaded(row))
            ids.append(model.requestAt(row).id);
    }
    return ids;
}

// The loaded rows are a run of the expected ones, in order, at their rows when exact.
inline bool loadedRunOf(const RequestTableModel &model, const QList<qint64> &expected, bool exact)
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

class HistoryPageTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
};

} // namespace Hooktrail::TestSupport
