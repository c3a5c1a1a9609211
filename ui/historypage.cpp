// The console's History page: every logged request, newest first and live, with filters, a
// chart over time, a detail pane and the actions on requests (copy as curl, replay, export,
// delete, redeliver).
#include "ui/historypage.h"
#include "ui/endpointurl.h"

#include "core/base/settings.h"
#include "core/delivery/deliverer.h"
#include "core/history/curlcommand.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/deliverytables.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/deletecontroller.h"
#include "ui/deliveriesview.h"
#include "ui/exportcontroller.h"
#include "ui/filterbar.h"
#include "ui/historychart.h"
#include "ui/historycolumns.h"
#include "ui/icons.h"
#include "ui/notification.h"
#include "ui/problemlabel.h"
#include "ui/redelivercontroller.h"
#include "ui/replaydialog.h"
#include "ui/requestdetailview.h"
#include "ui/requesttablemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace Hooktrail {

namespace {

// An action's text without its mnemonic marker and ellipsis, as a screen reader should say it.
QString plainText(QString text)
{
    return text.remove(QLatin1Char('&')).remove(QStringLiteral("…"));
}

struct DetailSnapshot
{
    std::optional<LoggedRequest> request;
    QString keyText;
    QList<Delivery> deliveries;
};

} // namespace

HistoryPage::HistoryPage(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new RequestTableModel(context.store, this))
    , m_table(new QTableView(this))
    , m_detail(new RequestDetailView(this))
    , m_chart(new HistoryChart(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_toolBar(new QToolBar(this))
    , m_count(new QLabel(this))
    , m_notification(new Notification(this))
    , m_error(new ProblemLabel(QStringLiteral("errorLabel"), this))
    , m_newRows(new QPushButton(this))
    , m_filterBar(new FilterBar(this))
    , m_export(new ExportController(context.store, this))
    , m_delete(new DeleteController(context.store, this))
    , m_redeliver(new RedeliverController(context.store, this))
    , m_chartTimer(new QTimer(this))
{
    connect(m_filterBar, &FilterBar::filterChanged, this,
        qOverload<const RequestFilter &>(&HistoryPage::applyFilter));
    connect(m_export, &ExportController::runningChanged, this, &HistoryPage::updateActions);
    connect(m_export, &ExportController::message, this, &HistoryPage::showMessage);
    connect(m_export, &ExportController::error, m_notification, &Notification::showError);
    connect(m_export, &ExportController::finished, this, &HistoryPage::exportFinished);
    connect(m_delete, &DeleteController::message, this, &HistoryPage::showMessage);
    connect(m_delete, &DeleteController::error, m_notification, &Notification::showError);
    connect(m_delete, &DeleteController::deleted, this, &HistoryPage::onDeleted);
    connect(m_redeliver, &RedeliverController::message, this, &HistoryPage::showMessage);
    connect(m_redeliver, &RedeliverController::error, m_notification, &Notification::showError);
    connect(m_redeliver, &RedeliverController::redelivered, this, [this] {
        m_model->refreshDeliveries();
        loadDetailDeliveries();
    });

    m_toolBar->setObjectName(QStringLiteral("historyActions"));
    m_toolBar->setAccessibleName(tr("Request actions"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(16, 16));
    buildActions();

    m_count->setObjectName(QStringLiteral("countLabel"));
    m_count->setAccessibleName(tr("Requests matching the filter"));
    m_newRows->setObjectName(QStringLiteral("newRowsButton"));
    m_newRows->setToolTip(tr("New requests arrived above; show the newest"));
    m_newRows->setAutoDefault(false);
    m_newRows->hide();
    connect(m_newRows, &QPushButton::clicked, this, &HistoryPage::jumpToNewest);

    connect(m_detail, &RequestDetailView::copied, this, &HistoryPage::showMessage);
    connect(m_detail->deliveriesView(), &DeliveriesView::redeliverRequested, this,
        [this](qint64 id) { m_redeliver->redeliverIds({ id }); });
    addAction(m_detail->copyAction()); // from the table too

    m_table->setObjectName(QStringLiteral("requestTable"));
    m_table->setAccessibleName(tr("Logged requests"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTabKeyNavigation(false);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    // Pixel scrolling and rows of one height: rows inserted above move the view by a known amount,
    // which is given back so the rows the user reads stay put.
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->verticalHeader()->hide();
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setStretchLastSection(true);
    columns->setSectionsMovable(true);
    HistoryColumns::setUp(m_table);
    // An empty table says why it is empty, and what will fill it.
    m_emptyState = new QLabel(m_table->viewport());
    m_emptyState->setObjectName(QStringLiteral("emptyHistoryLabel"));
    m_emptyState->setWordWrap(true);
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setForegroundRole(QPalette::PlaceholderText);
    m_emptyState->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_emptyState->hide();
    auto *emptyLayout = new QVBoxLayout(m_table->viewport());
    emptyLayout->setContentsMargins(24, 24, 24, 24);
    emptyLayout->addWidget(m_emptyState);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint &position) {
        const QModelIndex index = m_table->indexAt(position);
        if (index.isValid() && !m_table->selectionModel()->isRowSelected(index.row(), {}))
            m_table->selectRow(index.row());
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addActions({ m_copyCurl, m_copyCurlWithKey, m_replayAction });
        menu->addSeparator();
        menu->addActions({ m_exportSelected, m_exportFiltered });
        menu->addSeparator();
        menu->addActions({ m_redeliverSelected, m_redeliverMatching });
        menu->addSeparator();
        menu->addActions({ m_deleteSelected, m_deleteMatching });
        menu->popup(m_table->viewport()->mapToGlobal(position));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &HistoryPage::onCurrentRowChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &HistoryPage::updateActions);
    // A message is about what was selected when it came.
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, m_notification,
        &Notification::dismissMessage);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        // Back at the top by scrolling: nothing new is hidden any more.
        if (value == m_table->verticalScrollBar()->minimum() && m_newCount > 0 && !m_reloadOnJump) {
            m_newCount = 0;
            m_newRows->hide();
        }
    });

    connect(m_model, &RequestTableModel::totalCountChanged, this, &HistoryPage::updateCount);
    // Rows deleted elsewhere leave the chart too (new ones reach it through onNewerLoaded).
    connect(m_model, &RequestTableModel::removedElsewhere, this, &HistoryPage::scheduleChart);
    connect(m_model, &RequestTableModel::pageLoaded, this, [this] {
        updateCount();
        onCurrentRowChanged(); // the current row may have been a placeholder
        loadVisibleRows(); // a load may have covered part of them
    });
    // The rows on screen are the ones to load, wherever the scroll bar is taken.
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this,
        &HistoryPage::loadVisibleRows);
    connect(m_table->verticalScrollBar(), &QScrollBar::rangeChanged, this,
        &HistoryPage::loadVisibleRows);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &HistoryPage::loadVisibleRows);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &HistoryPage::loadVisibleRows);
    m_table->viewport()->installEventFilter(this);
    connect(m_model, &RequestTableModel::newerLoaded, this, &HistoryPage::onNewerLoaded);
    connect(m_model, &RequestTableModel::modelReset, this, [this] {
        m_detailWanted = 0;
        m_detail->clear();
        updateActions();
    });
    connect(m_model, &RequestTableModel::loadFailed, this, [this](const QString &error) {
        showError(tr("The history cannot be read: %1").arg(error));
    });
    connect(m_model, &RequestTableModel::liveOverflow, this, [this] {
        if (isFollowing()) {
            m_model->reload();
        } else {
            m_reloadOnJump = true;
            showNewButton();
        }
    });

    m_chartTimer->setSingleShot(true);
    m_chartTimer->setInterval(ChartIntervalMs);
    connect(m_chartTimer, &QTimer::timeout, this, &HistoryPage::refreshChart);
    // A period dragged across on the chart becomes the filter's time range.
    connect(m_chart, &HistoryChart::rangeSelected, this, [this](qint64 since, qint64 until) {
        m_filterBar->setCustomRange(QDateTime::fromMSecsSinceEpoch(since / 1000).toLocalTime(),
            QDateTime::fromMSecsSinceEpoch((until + 999) / 1000).toLocalTime());
    });

    // The actions act on the selection and the detail: above both, so neither side needs their
    // width.
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_count);
    statusRow->addWidget(m_newRows);
    statusRow->addStretch();
    statusRow->addWidget(m_toolBar);
    m_splitter->setObjectName(QStringLiteral("historySplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, ListShare);
    m_splitter->setStretchFactor(1, 100 - ListShare);
    restoreSplitter();
    columns->restoreState(m_context.settings->historyColumnsState());

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_chart);
    layout->addWidget(m_error);
    layout->addLayout(statusRow);
    layout->addWidget(m_splitter, 1);
    setTabOrder(m_filterBar->lastControl(), m_table);

    updateActions();
    if (!m_context.store) {
        showError(tr("No database is available."));
        return;
    }
    connect(m_context.store, &StoreExecutor::written, this, &HistoryPage::reloadWebhooks);
    if (m_context.engine && m_context.engine->config())
        connect(m_context.engine->config(), &ConfigCache::changed, this,
            &HistoryPage::reloadWebhooks, Qt::QueuedConnection);
    if (m_context.engine) {
        m_model->follow(m_context.engine->writer());
        // Attempts change what the Delivery column and the Deliveries tab show.
        if (Deliverer *deliverer = m_context.engine->deliverer()) {
            m_redeliver->setDeliverer(deliverer);
            connect(
                deliverer, &Deliverer::attemptsRecorded, this, &HistoryPage::onAttemptsRecorded);
        }
        // Rows deleted elsewhere leave the count and the table too: the retention pass, a
        // webhook deleted with its history by another process.
        connect(m_context.engine, &Engine::retentionRan, m_model, &RequestTableModel::recount,
            Qt::QueuedConnection);
        if (m_context.engine->config())
            connect(m_context.engine->config(), &ConfigCache::changed, m_model,
                &RequestTableModel::recount, Qt::QueuedConnection);
    }
    reloadWebhooks();
    applyFilter();
}

HistoryPage::~HistoryPage()
{
    saveSplitter();
    // The children go after this body: their last signals (the scroll range shrinking, the
    // model's rows going) must not reach a page that is no longer one.
    m_table->viewport()->removeEventFilter(this);
    m_table->verticalScrollBar()->disconnect(this);
    m_model->disconnect(this);
}

QMessageBox *HistoryPage::deleteConfirmation() const
{
    return m_delete->confirmation();
}

QProgressDialog *HistoryPage::exportProgress() const
{
    return m_export->progress();
}

ReplayDialog *HistoryPage::replayDialog() const
{
    return m_replay;
}

void HistoryPage::buildActions()
{
    const auto make = [this](const QString &text, const QKeySequence &shortcut,
                          const QString &toolTip, const std::function<void()> &slot) {
        auto *action = new QAction(text, this);
        action->setShortcut(shortcut);
        // Other pages use the same keys; these work only while the history has the focus.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        action->setToolTip(shortcut.isEmpty()
                ? toolTip
                : tr("%1 (%2)").arg(toolTip, shortcut.toString(QKeySequence::NativeText)));
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    m_copyCurl = make(tr("Copy as &curl"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
        tr("Copy a curl command that sends this request again; the key stays a placeholder"),
        [this] { copyAsCurl(); });
    m_copyCurlWithKey = make(tr("Copy as curl with &key…"), QKeySequence(),
        tr("Copy a curl command with your API key in it"), [this] { askKeyAndCopyAsCurl(); });
    m_replayAction = make(tr("&Replay…"), QKeySequence(Qt::CTRL | Qt::Key_R),
        tr("Send this request again, to this receiver or any URL, edited first if you wish"),
        [this] { replayCurrent(); });
    m_exportFiltered = make(tr("Export &matching…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
        tr("Save every request matching the filter as HAR, JSON Lines or CSV"),
        [this] { chooseExportFile(ExportScope::Filter); });
    m_exportSelected = make(tr("Export &selected…"), QKeySequence(),
        tr("Save the selected requests as HAR, JSON Lines or CSV"),
        [this] { chooseExportFile(ExportScope::Selection); });
    m_deleteSelected = make(tr("&Delete"), QKeySequence(QKeySequence::Delete),
        tr("Delete the selected requests from the history"), [this] { deleteSelected(); });
    m_deleteMatching = make(tr("Delete &all matching…"), QKeySequence(Qt::SHIFT | Qt::Key_Delete),
        tr("Delete every request matching the filter"), [this] { deleteMatching(); });
    m_redeliverSelected
        = make(tr("Red&eliver selected…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
            tr("Deliver the selected requests again to every destination of their webhooks"),
            [this] { redeliverSelected(); });
    m_redeliverMatching = make(tr("Redeliver all ma&tching…"), QKeySequence(),
        tr("Deliver every accepted request matching the filter again"),
        [this] { redeliverMatching(); });
    // F5, not QKeySequence::Refresh: that is Ctrl+R on some desktops, which is Replay's.
    m_refresh = make(tr("Re&fresh"), QKeySequence(Qt::Key_F5), tr("Read the history again"),
        [this] { applyFilter(); });
    m_findAction = make(tr("Find"), QKeySequence(QKeySequence::Find),
        tr("Search headers and bodies"), [this] { m_filterBar->focusSearch(); });

    const std::pair<QAction *, Icons::Action> icons[] = { { m_copyCurl, Icons::Action::CopyCurl },
        { m_copyCurlWithKey, Icons::Action::CopyCurl }, { m_replayAction, Icons::Action::Replay },
        { m_exportFiltered, Icons::Action::Export }, { m_exportSelected, Icons::Action::Export },
        { m_deleteSelected, Icons::Action::Delete }, { m_deleteMatching, Icons::Action::Delete },
        { m_redeliverSelected, Icons::Action::Replay },
        { m_redeliverMatching, Icons::Action::Replay }, { m_refresh, Icons::Action::Refresh },
        { m_findAction, Icons::Action::Find } };
    for (const auto &[action, icon] : icons)
        action->setIcon(Icons::action(icon));

    m_toolBar->addAction(m_copyCurl);
    m_toolBar->addAction(m_replayAction);
    // A button that opens a menu of the actions for the selection and for the filter.
    const auto menuButton = [this](const QString &objectName, const QString &text,
                                Icons::Action icon, const QString &accessibleName,
                                const QString &toolTip, const QList<QAction *> &actions) {
        auto *menu = new QMenu(this);
        menu->addActions(actions);
        auto *button = new QToolButton(m_toolBar);
        button->setObjectName(objectName);
        button->setText(text);
        button->setIcon(Icons::action(icon));
        button->setToolButtonStyle(m_toolBar->toolButtonStyle());
        button->setIconSize(m_toolBar->iconSize());
        button->setAccessibleName(accessibleName);
        button->setToolTip(toolTip);
        button->setPopupMode(QToolButton::InstantPopup);
        button->setMenu(menu);
        m_toolBar->addWidget(button);
    };
    menuButton(QStringLiteral("exportButton"), tr("E&xport…"), Icons::Action::Export, tr("Export"),
        tr("Save requests as HAR 1.2, JSON Lines or CSV"), { m_exportFiltered, m_exportSelected });
    menuButton(QStringLiteral("redeliverMenuButton"), tr("Re&deliver"), Icons::Action::Replay,
        tr("Redeliver"), tr("Deliver requests again to their webhooks' destinations"),
        { m_redeliverSelected, m_redeliverMatching });
    m_toolBar->addAction(m_deleteSelected);
    m_toolBar->addAction(m_deleteMatching);
    m_toolBar->addAction(m_refresh);
    for (QAction *action : m_toolBar->actions()) {
        if (QWidget *button = m_toolBar->widgetForAction(action);
            button && !action->text().isEmpty())
            button->setAccessibleName(plainText(action->text()));
    }
}

void HistoryPage::updateActions()
{
    const bool store = m_context.store != nullptr;
    const bool detail = m_detail->request().has_value();
    const bool selection = m_table->selectionModel()->hasSelection();
    m_copyCurl->setEnabled(detail);
    m_copyCurlWithKey->setEnabled(detail);
    m_replayAction->setEnabled(detail);
    m_exportSelected->setEnabled(store && selection && !m_export->isRunning());
    m_exportFiltered->setEnabled(store && !m_export->isRunning());
    m_deleteSelected->setEnabled(store && selection);
    m_deleteMatching->setEnabled(store);
    m_redeliverSelected->setEnabled(store && selection && !m_redeliver->isRunning());
    m_redeliverMatching->setEnabled(store && !m_redeliver->isRunning());
    m_refresh->setEnabled(store);
}

void HistoryPage::setTimeRange(TimeRange range)
{
    m_filterBar->setTimeRange(range);
}

RequestFilter HistoryPage::currentFilter() const
{
    return m_filterBar->filter();
}

void HistoryPage::applyFilter()
{
    applyFilter(currentFilter());
}

void HistoryPage::applyFilter(const RequestFilter &filter)
{
    m_filterBar->cancelPending();
    if (filter.untilMicros > 0 && filter.untilMicros <= filter.sinceMicros) {
        showError(tr("The time range is empty: “From” must come before “Until”."));
        return;
    }
    showError(QString());
    m_newCount = 0;
    m_reloadOnJump = false;
    m_newRows->hide();
    m_model->setFilter(filter);
    refreshChart();
}

void HistoryPage::updateCount()
{
    const qint64 total = m_model->totalCount();
    m_emptyState->setVisible(total == 0);
    if (total < 0) {
        m_count->setText(tr("Counting…"));
        m_count->setToolTip(QString());
        return;
    }
    const RequestFilter &filter = m_model->filter();
    const bool everything = filter.search.isEmpty() && filter.webhookId.isEmpty()
        && filter.outcome == RequestFilter::Outcome::Any && filter.reason.isEmpty()
        && filter.method.isEmpty() && filter.status == 0 && filter.sinceMicros == 0
        && filter.untilMicros == 0 && !filter.delivery;
    m_emptyState->setText(everything
            ? tr("No request has arrived yet. Requests sent to a webhook's endpoint appear here "
                 "as they arrive, accepted or rejected.")
            : tr("No request matches the filter."));
    // Two messages rather than %n: English has no plural forms without a translation.
    QString text;
    if (everything)
        text = total == 1 ? tr("1 request") : tr("%1 requests").arg(QLocale().toString(total));
    else
        text = total == 1 ? tr("1 request matches")
                          : tr("%1 requests match").arg(QLocale().toString(total));
    m_count->setText(text);
    m_count->setToolTip(tr("%1 loaded; the others load as you scroll to them")
                            .arg(QLocale().toString(m_model->loadedCount())));
}

bool HistoryPage::isFollowing() const
{
    const QScrollBar *bar = m_table->verticalScrollBar();
    return bar->value() == bar->minimum() && !m_table->selectionModel()->hasSelection();
}

void HistoryPage::onNewerLoaded(int rows)
{
    updateCount();
    scheduleChart();
    if (isFollowing() && m_newCount == 0) {
        // Reading the newest: they show; memory stays bounded however long the page stays open.
        if (m_model->loadedCount() > MaxFollowRows)
            m_model->trimTo(MaxFollowRows / 2);
        return;
    }
    // The rows went in above what the user reads: scroll down by as much, so nothing moves.
    QScrollBar *bar = m_table->verticalScrollBar();
    const int before = bar->value();
    m_table->doItemsLayout(); // the scroll range must include the new rows before moving
    bar->setValue(before + rows * m_table->verticalHeader()->defaultSectionSize());
    m_newCount += rows;
    showNewButton();
}

void HistoryPage::showNewButton()
{
    const QString text = m_reloadOnJump && m_newCount == 0 ? tr("New requests")
                                                           : tr("%n new", nullptr, m_newCount);
    m_newRows->setText(text);
    m_newRows->setAccessibleName(tr("Show the %n new requests", nullptr, m_newCount));
    m_newRows->show();
}

void HistoryPage::jumpToNewest()
{
    m_newCount = 0;
    m_newRows->hide();
    if (m_reloadOnJump) {
        m_reloadOnJump = false;
        m_model->reload();
        refreshChart();
        return;
    }
    m_table->scrollToTop();
}

bool HistoryPage::selectRequest(qint64 id)
{
    const int row = m_model->rowOfId(id);
    if (row < 0)
        return false;
    m_table->selectRow(row);
    m_table->setCurrentIndex(m_model->index(row, RequestTableModel::TimeColumn));
    return true;
}

void HistoryPage::openRequest(qint64 id)
{
    if (!selectRequest(id))
        loadDetail(id); // not among the rows loaded (or filtered out): its detail all the same
}

void HistoryPage::loadVisibleRows()
{
    const int rows = m_model->rowCount();
    if (rows == 0)
        return;
    int first = m_table->rowAt(0);
    int last = m_table->rowAt(m_table->viewport()->height() - 1);
    if (first < 0)
        first = 0;
    if (last < 0)
        last = rows - 1;
    m_model->ensureLoaded(first, last);
}

bool HistoryPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        loadVisibleRows();
    return QWidget::eventFilter(watched, event);
}

bool HistoryPage::selectionLoaded() const
{
    // The loaded rows are one run, so a selected range is loaded when both its ends are.
    for (const QItemSelectionRange &range : m_table->selectionModel()->selection()) {
        if (!m_model->isLoaded(range.top()) || !m_model->isLoaded(range.bottom()))
            return false;
    }
    return true;
}

bool HistoryPage::checkSelectionLoaded()
{
    if (selectionLoaded())
        return true;
    m_notification->showError(
        tr("The selection reaches requests that are not loaded. To act on every request "
           "matching the filter, use “Export matching” or “Delete all matching”."));
    return false;
}

QList<qint64> HistoryPage::selectedIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows()) {
        if (m_model->isLoaded(index.row()))
            ids.append(m_model->requestAt(index.row()).id);
    }
    std::sort(ids.begin(), ids.end(), std::greater<>());
    return ids;
}

void HistoryPage::onCurrentRowChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_detailWanted = 0;
        m_detail->clear();
        updateActions();
        return;
    }
    if (m_model->isLoaded(current.row()))
        loadDetail(m_model->requestAt(current.row()).id); // else once its row loads
}

void HistoryPage::loadDetail(qint64 id)
{
    if (id == m_detailWanted || !m_context.store)
        return;
    m_detailWanted = id;
    m_context.store->read(
        this,
        [id](Store &store) -> Result<DetailSnapshot> {
            DetailSnapshot snapshot;
            Result<std::optional<LoggedRequest>> request = store.queries().request(id);
            if (!request)
                return Result<DetailSnapshot>::failure(request.error());
            snapshot.request = std::move(request).value();
            if (snapshot.request && snapshot.request->apiKeyId > 0) {
                // The history names the key by its visible prefix, never more of it.
                if (const Result<QList<ApiKey>> keys = store.config().keys()) {
                    for (const ApiKey &key : *keys) {
                        if (key.id == snapshot.request->apiKeyId)
                            snapshot.keyText = tr("%1… (%2)").arg(key.prefix, key.name);
                    }
                }
            }
            if (snapshot.request && snapshot.request->accepted()) {
                Result<QList<Delivery>> deliveries = store.deliveries().forRequest(id);
                if (!deliveries)
                    return Result<DetailSnapshot>::failure(deliveries.error());
                snapshot.deliveries = std::move(deliveries).value();
            }
            return snapshot;
        },
        [this, id](const Result<DetailSnapshot> &snapshot) {
            if (id != m_detailWanted)
                return; // the user moved on meanwhile
            if (!snapshot) {
                m_detail->clear(tr("This request cannot be read: %1").arg(snapshot.error()));
            } else if (!snapshot->request) {
                m_detail->clear(tr("This request is no longer in the history."));
            } else {
                RequestDetailView::Context context;
                context.apiKey = snapshot->keyText;
                if (const auto it = m_webhooks.constFind(snapshot->request->webhookId);
                    it != m_webhooks.cend()) {
                    context.webhookName = it->name;
                    context.allow = it->methods.join(QStringLiteral(", ")).toLatin1();
                }
                context.retryAfterSeconds = m_context.settings->receiverOptions().retryAfterSeconds;
                m_detail->setRequest(*snapshot->request, context);
                m_detail->setDeliveries(snapshot->deliveries);
            }
            updateActions();
            emit detailShown(id);
        });
}

QString HistoryPage::baseUrl() const
{
    return consoleBaseUrl(m_context);
}

void HistoryPage::copyAsCurl(const QString &apiKey)
{
    const std::optional<LoggedRequest> &request = m_detail->request();
    if (!request)
        return;
    const QString command = CurlCommand::fromRequest(*request, baseUrl(), apiKey);
    QGuiApplication::clipboard()->setText(command);
    showMessage(apiKey.isEmpty()
            ? tr("Copied a curl command for request %1; replace <API_KEY> with your key.")
                  .arg(request->id)
            : tr("Copied a curl command for request %1, with your key.").arg(request->id));
    emit curlCopied(command);
}

void HistoryPage::askKeyAndCopyAsCurl()
{
    if (!m_detail->request())
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("curlKeyDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Copy as curl"));
    dialog->setLabelText(tr("Your API key, to put in the command (it is not stored):"));
    dialog->setTextEchoMode(QLineEdit::Password);
    connect(dialog, &QInputDialog::textValueSelected, this,
        [this](const QString &key) { copyAsCurl(key.trimmed()); });
    dialog->open();
}

void HistoryPage::replayCurrent()
{
    const std::optional<LoggedRequest> &request = m_detail->request();
    if (!request)
        return;
    auto *dialog = new ReplayDialog(m_context, *request, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ReplayDialog::openRequest, this, &HistoryPage::openRequest);
    m_replay = dialog;
    dialog->show();
}

void HistoryPage::chooseExportFile(ExportScope scope)
{
    if (scope == ExportScope::Selection && (!checkSelectionLoaded() || selectedIds().isEmpty()))
        return;
    m_export->chooseFile(scope == ExportScope::Filter ? tr("Export matching requests")
                                                      : tr("Export selected requests"),
        [this, scope](
            const QString &path, RequestExport::Format format) { exportTo(path, format, scope); });
}

void HistoryPage::exportTo(const QString &path, RequestExport::Format format, ExportScope scope)
{
    if (!m_context.store || m_export->isRunning())
        return;
    const QList<qint64> ids = scope == ExportScope::Selection ? selectedIds() : QList<qint64>();
    if (scope == ExportScope::Selection && ids.isEmpty())
        return;
    m_export->start(path, format, m_model->filter(), ids);
}

void HistoryPage::deleteSelected()
{
    if (!checkSelectionLoaded())
        return;
    m_delete->deleteIds(selectedIds());
}

void HistoryPage::deleteMatching()
{
    m_delete->deleteMatching(m_model->filter());
}

void HistoryPage::redeliverSelected()
{
    if (!checkSelectionLoaded())
        return;
    // Rejected requests have nothing to deliver: only the accepted ones selected go.
    QList<qint64> accepted;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows()) {
        if (m_model->isLoaded(index.row()) && m_model->requestAt(index.row()).accepted())
            accepted.append(m_model->requestAt(index.row()).id);
    }
    std::sort(accepted.begin(), accepted.end(), std::greater<>());
    m_redeliver->redeliverIds(accepted);
}

void HistoryPage::redeliverMatching()
{
    m_redeliver->redeliverMatching(m_model->filter());
}

void HistoryPage::onAttemptsRecorded(const QList<qint64> &requestIds)
{
    m_model->refreshDeliveries(requestIds);
    if (m_detail->request() && requestIds.contains(m_detail->request()->id))
        loadDetailDeliveries();
}

void HistoryPage::loadDetailDeliveries()
{
    if (!m_context.store || !m_detail->request() || !m_detail->request()->accepted())
        return;
    const qint64 id = m_detail->request()->id;
    m_context.store->read(
        this, [id](Store &store) { return store.deliveries().forRequest(id); },
        [this, id](const Result<QList<Delivery>> &deliveries) {
            if (!m_detail->request() || m_detail->request()->id != id)
                return; // another request is shown now
            if (deliveries)
                m_detail->setDeliveries(*deliveries);
            else
                m_detail->deliveriesView()->setError(deliveries.error());
        });
}

void HistoryPage::onDeleted(const QList<qint64> &ids, qint64 rows)
{
    if (ids.isEmpty()) {
        m_model->reload();
    } else {
        m_model->removeIds(ids, rows);
        if (m_detail->request() && ids.contains(m_detail->request()->id)) {
            m_detailWanted = 0;
            m_detail->clear();
        }
    }
    refreshChart();
    updateActions();
    emit deleted(rows);
}

void HistoryPage::reloadWebhooks()
{
    if (!m_context.store)
        return;
    m_context.store->read(
        this, [](Store &store) { return store.config().webhooks(); },
        [this](const Result<QList<Webhook>> &webhooks) {
            if (!webhooks) {
                showError(tr("The webhooks cannot be read: %1").arg(webhooks.error()));
                return;
            }
            m_webhooks.clear();
            QHash<QString, QString> names;
            for (const Webhook &webhook : *webhooks) {
                m_webhooks.insert(webhook.id, webhook);
                names.insert(webhook.id, webhook.name);
            }
            m_model->setWebhookNames(names);
            if (!m_filterBar->setWebhooks(*webhooks))
                applyFilter(); // the webhook filtered on is gone
            emit webhooksLoaded();
        });
}

void HistoryPage::scheduleChart()
{
    if (!m_chartTimer->isActive() && !m_chartLoading)
        m_chartTimer->start();
}

void HistoryPage::refreshChart()
{
    if (!m_context.store)
        return;
    m_chartTimer->stop();
    if (m_chartLoading) {
        m_chartAgain = true;
        return;
    }
    m_chartLoading = true;
    RequestFilter filter = m_model->filter();
    // An open end is now: "Last 24 hours" ends at this moment, not at the newest request.
    if (filter.untilMicros == 0)
        filter.untilMicros = currentMicros() + 1;
    m_context.store->read(
        this,
        [filter](
            Store &store) { return store.queries().histogram(filter, HistoryChart::BucketCount); },
        [this, filter](const Result<QList<HistogramBucket>> &buckets) {
            m_chartLoading = false;
            if (m_chartAgain) {
                m_chartAgain = false;
                refreshChart();
                return;
            }
            if (!buckets) {
                m_chart->setMessage(tr("The chart cannot be drawn: %1").arg(buckets.error()));
            } else {
                const QList<HistogramBucket> &list = *buckets;
                qint64 end = filter.untilMicros > 0 ? filter.untilMicros : currentMicros();
                if (list.size() >= 2)
                    end = list.constLast().startMicros
                        + (list.at(1).startMicros - list.at(0).startMicros);
                m_chart->setBuckets(list, end);
            }
            emit chartRefreshed();
        });
}

void HistoryPage::showMessage(const QString &message)
{
    m_notification->showMessage(message);
}

// What is wrong with the page itself (no database, an empty time range) stays in the layout
// while it lasts; what went wrong with an action floats, in the notification.
void HistoryPage::showError(const QString &error)
{
    m_error->setProblem(error);
}

// A state saved before the list and the detail stood side by side holds the old orientation:
// it is dropped, and the page opens with its default split.
void HistoryPage::restoreSplitter()
{
    const QByteArray state = m_context.settings->historySplitterState();
    m_splitPlaced = !state.isEmpty() && m_splitter->restoreState(state)
        && m_splitter->orientation() == Qt::Horizontal;
    m_splitter->setOrientation(Qt::Horizontal);
}

void HistoryPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_splitPlaced)
        return;
    m_splitPlaced = true;
    const int width = m_splitter->width() - m_splitter->handleWidth();
    m_splitter->setSizes({ width * ListShare / 100, width - width * ListShare / 100 });
}

void HistoryPage::saveSplitter()
{
    m_context.settings->setHistorySplitterState(m_splitter->saveState());
    m_context.settings->setHistoryColumnsState(m_table->horizontalHeader()->saveState());
}

} // namespace Hooktrail
