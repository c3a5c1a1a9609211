// The console's main window: a sidebar of pages (Webhooks, History, Settings) and a status
// bar that says where the receiver listens (or why it refuses requests), how busy it is and
// how large the log has grown.
#include "ui/mainwindow.h"
#include "ui/endpointurl.h"

#include "core/api/apiserver.h"
#include "core/base/settings.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"
#include "ui/connectionspage.h"
#include "ui/historypage.h"
#include "ui/icons.h"
#include "ui/settingspage.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

namespace Hooktrail {

MainWindow::MainWindow(const ConsoleContext &context, QWidget *parent)
    : QMainWindow(parent)
    , m_context(context)
    , m_sidebar(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_receiverState(new QLabel(this))
    , m_rate(new QLabel(this))
    , m_databaseSize(new QLabel(this))
    , m_statusTimer(new QTimer(this))
{
    if (!m_context.verifiedKeys)
        m_context.verifiedKeys = &m_verifiedKeys; // for this run only, never saved
    setWindowTitle(tr("Hooktrail"));
    setWindowIcon(QIcon(QStringLiteral(":/hooktrail/hooktrail.svg")));

    buildPages();
    // Receiver settings applied on the page restart the receiver; the page shows the outcome.
    connect(
        m_settingsPage, &SettingsPage::receiverSettingsChanged, this, &MainWindow::startReceiver);
    connect(m_settingsPage, &SettingsPage::apiSettingsChanged, this, &MainWindow::startApi);
    connect(this, &MainWindow::receiverRestarted, m_settingsPage, [this](bool listening) {
        m_settingsPage->showReceiverOutcome(listening, receiverState());
    });

    buildSidebar();
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_sidebar);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    // Alt+1..3 move between pages from anywhere.
    for (int i = 0; i < m_pages->count(); ++i) {
        auto *action = new QAction(this);
        action->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        connect(action, &QAction::triggered, this, [this, i] { m_sidebar->setCurrentRow(i); });
        addAction(action);
    }

    buildStatusBar();
    connect(m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer->start(1000);

    resize(1100, 720);
    restoreState();
    updateStatus();
}

MainWindow::~MainWindow()
{
    stopApi();
}

bool MainWindow::startApi()
{
    stopApi();
    const Settings *settings = m_context.settings;
    if (!settings->apiEnabled()) {
        m_settingsPage->showApiOutcome(true, tr("Off."));
        return true;
    }
    ApiOptions options;
    if (!Settings::parseListen(settings->apiListen(), &options.address, &options.port)) {
        m_settingsPage->showApiOutcome(
            false, tr("%1 is not an address and port.").arg(settings->apiListen()));
        return false;
    }
    options.metricsNeedToken = settings->apiMetricsNeedToken();
    const Receiver *receiver = m_context.engine->receiver();
    options.endpointBase = consoleBaseUrl(m_context);
    m_api = std::make_unique<ApiHost>(m_context.engine->storeFactory(),
        ApiSources { m_context.engine->writer(), receiver ? &receiver->stats() : nullptr,
            m_context.engine->deliverer() });
    const Result<quint16> port = m_api->start(options);
    if (!port) {
        m_api.reset();
        m_settingsPage->showApiOutcome(false, port.error());
        return false;
    }
    const QString host = options.address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(options.address.toString())
        : options.address.toString();
    m_settingsPage->showApiOutcome(
        true, tr("Serving on http://%1:%2/api/v1/").arg(host).arg(*port));
    return true;
}

void MainWindow::stopApi()
{
    m_api.reset();
}

quint16 MainWindow::apiPort() const
{
    return m_api ? m_api->port() : 0;
}

void MainWindow::buildPages()
{
    m_connections = new ConnectionsPage(m_context, m_pages);
    m_history = new HistoryPage(m_context, m_pages);
    m_settingsPage = new SettingsPage(m_context, m_pages);
    m_pages->addWidget(m_connections);
    m_pages->addWidget(m_history);
    m_pages->addWidget(m_settingsPage);
    // A test request's "Logged as request N" opens it where requests are read.
    connect(m_connections, &ConnectionsPage::openRequest, this, [this](qint64 id) {
        showPage(Page::History);
        m_history->openRequest(id);
    });
}

void MainWindow::buildSidebar()
{
    m_sidebar->setAccessibleName(tr("Pages"));
    const int rowHeight = std::max(32, m_sidebar->fontMetrics().height() + 16);
    // One name per thing: the page is named after the box it holds, "Webhooks".
    for (const auto &[text, page] : { std::pair { tr("Webhooks"), Icons::Page::Connections },
             std::pair { tr("History"), Icons::Page::History },
             std::pair { tr("Settings"), Icons::Page::Settings } }) {
        auto *item = new QListWidgetItem(Icons::page(page), text, m_sidebar);
        item->setSizeHint(QSize(0, rowHeight));
    }
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFixedWidth(std::max(180, m_sidebar->sizeHintForColumn(0) + 40));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setContentsMargins(0, 6, 0, 0);
}

void MainWindow::buildStatusBar()
{
    m_receiverState->setAccessibleName(tr("Receiver state"));
    m_rate->setAccessibleName(tr("Requests in the last minute"));
    m_databaseSize->setAccessibleName(tr("Database size"));
    statusBar()->addWidget(m_receiverState, 1);
    statusBar()->addPermanentWidget(m_rate);
    statusBar()->addPermanentWidget(m_databaseSize);
    // Retention deletes in the background: the status bar says when it last ran and what went.
    auto *retention = new QLabel(this);
    retention->setObjectName(QStringLiteral("retentionLabel"));
    retention->setAccessibleName(tr("Retention"));
    retention->setToolTip(tr("Requests older or more numerous than the retention settings allow "
                             "are removed in the background"));
    const auto showRetention = [retention](const QDateTime &at, qint64 removed) {
        retention->setText(tr("Retention: last run %1, %2 removed")
                               .arg(at.toLocalTime().toString(QStringLiteral("HH:mm")),
                                   QLocale().toString(removed)));
        retention->show();
    };
    retention->hide();
    if (m_context.engine->lastRetentionRun().isValid())
        showRetention(
            m_context.engine->lastRetentionRun(), m_context.engine->lastRetentionRemoved());
    connect(m_context.engine, &Engine::retentionRan, retention, showRetention);
    statusBar()->addPermanentWidget(retention);
}

bool MainWindow::startReceiver()
{
    m_context.engine->stopReceiver();
    const Status status = m_context.engine->startReceiver(m_context.settings->receiverOptions());
    if (!status) {
        m_listenState = tr("Not receiving: %1").arg(status.error());
        m_listenToolTip = tr("Change the port in Settings; the history stays readable.");
    } else {
        m_listenState = tr("Receiving on %1").arg(consoleBaseUrl(m_context));
        m_listenToolTip.clear();
    }
    updateReceiverState();
    m_requestSamples.clear();
    emit receiverRestarted(status.ok());
    return status.ok();
}

QString MainWindow::receiverState() const
{
    return m_receiverState->text();
}

void MainWindow::showPage(Page page)
{
    m_sidebar->setCurrentRow(int(page));
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_pages->currentIndex());
}

// While the log takes no rows every request is answered 503: the status bar says so and why,
// in place of where the receiver listens.
void MainWindow::updateReceiverState()
{
    const Receiver *receiver = m_context.engine->receiver();
    const LogWriter *writer = m_context.engine->writer();
    const LogWriter::Refusal refusal
        = receiver && receiver->isListening() && writer ? writer->refusal() : LogWriter::Refusal();
    QString text = m_listenState;
    QString toolTip = m_listenToolTip;
    switch (refusal.reason) {
    case LogWriter::Refusal::Reason::None:
        break;
    case LogWriter::Refusal::Reason::KeepFree:
        text = tr("Refusing requests (503): %1 free on the database's disk, less than the %2 to "
                  "keep free")
                   .arg(QLocale().formattedDataSize(refusal.freeBytes),
                       QLocale().formattedDataSize(refusal.keepFreeBytes));
        toolTip
            = tr("Senders are told to retry later. Make room on the disk, or lower \"Keep free on "
                 "disk\" in Settings; requests are taken again by themselves.");
        break;
    case LogWriter::Refusal::Reason::WriteFailed:
        text = tr("Refusing requests (503): the request log cannot be written: %1")
                   .arg(refusal.error);
        toolTip = tr("Senders are told to retry later; requests are taken again as soon as the "
                     "database can be written.");
        break;
    }
    if (m_receiverState->text() != text)
        m_receiverState->setText(text);
    m_receiverState->setToolTip(toolTip);
}

void MainWindow::updateStatus()
{
    updateReceiverState();
    const Receiver *receiver = m_context.engine->receiver();
    const qint64 requests
        = receiver && receiver->isListening() ? receiver->stats().requests.loadRelaxed() : 0;
    m_requestSamples.append(requests);
    if (m_requestSamples.size() > 61)
        m_requestSamples.removeFirst();
    const qint64 lastMinute = m_requestSamples.last() - m_requestSamples.first();
    m_rate->setText(tr("Requests in the last minute: %1").arg(lastMinute));

    const QString path = m_context.settings->database();
    if (Store::isPostgresUrl(path)) {
        m_databaseSize->setText(tr("Database: PostgreSQL"));
        m_databaseSize->setToolTip(m_context.settings->databaseForDisplay());
        return;
    }
    const qint64 bytes = QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
    m_databaseSize->setText(tr("Database: %1").arg(QLocale().formattedDataSize(bytes)));
}

void MainWindow::restoreState()
{
    restoreGeometry(m_context.settings->windowGeometry());
    m_sidebar->setCurrentRow(std::clamp(m_context.settings->windowPage(), 0, m_pages->count() - 1));
}

void MainWindow::saveState()
{
    m_context.settings->setWindowGeometry(saveGeometry());
    m_context.settings->setWindowPage(m_pages->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    QMainWindow::closeEvent(event);
}

} // namespace Hooktrail
