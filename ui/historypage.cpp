// The console's History page: every logged request, newest first and live, with filters, a
// chart over time, a detail pane and the actions on requests (copy as curl, replay, export,
// delete).
#include "ui/historypage.h"

#include "core/base/settings.h"
#include "core/history/curlcommand.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/historychart.h"
#include "ui/problemlabel.h"
#include "ui/replaydialog.h"
#include "ui/requestdetailview.h"
#include "ui/requesttablemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <atomic>
#include <memory>

namespace Hooktrail {

namespace {

constexpr qint64 HourMicros = qint64(3600) * 1000000;
constexpr int ProgressPollMs = 100;

QString unavailable(StoreExecutor *executor)
{
    return HistoryPage::tr("The database cannot be opened: %1").arg(executor->lastError());
}

// An action's text without its mnemonic marker and ellipsis, as a screen reader should say it.
QString plainText(QString text)
{
    return text.remove(QLatin1Char('&')).remove(QStringLiteral("…"));
}

qint64 microsOf(const QDateTime &time)
{
    return time.toMSecsSinceEpoch() * 1000;
}

// Shared between the GUI thread, which shows and may cancel, and the store thread, which writes.
struct ExportProgress
{
    std::atomic<qint64> done { 0 };
    std::atomic<qint64> total { -1 };
    std::atomic<bool> cancel { false };
};

struct ExportOutcome
{
    QString error; // empty on success
    bool cancelled = false;
    qint64 rows = 0;
};

struct DetailSnapshot
{
    QString error;
    std::optional<LoggedRequest> request;
    QString keyText;
};

struct DeletionCount
{
    QString error;
    RequestFilter filter; // bounded by the newest id at counting time: only what was counted goes
    qint64 count = 0;
};

const char *const ReasonCodes[] = { "accepted", "unknown_route", "unknown_webhook",
    "webhook_disabled", "ip_not_allowed", "method_not_allowed", "missing_api_key",
    "invalid_api_key", "header_mismatch", "unsupported_media_type", "invalid_json", "invalid_xml",
    "payload_too_large", "headers_too_large", "bad_request", "request_timeout", "not_implemented",
    "http_version_not_supported", "storage_unavailable" };

} // namespace

HistoryPage::HistoryPage(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new RequestTableModel(context.store, this))
    , m_table(new QTableView(this))
    , m_detail(new RequestDetailView(this))
    , m_chart(new HistoryChart(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_toolBar(new QToolBar(this))
    , m_count(new QLabel(this))
    , m_message(new QLabel(this))
    , m_error(new ProblemLabel(QStringLiteral("errorLabel"), this))
    , m_newRows(new QPushButton(this))
    , m_searchTimer(new QTimer(this))
    , m_chartTimer(new QTimer(this))
{
    auto *filterBar = new QWidget(this);
    filterBar->setObjectName(QStringLiteral("filterBar"));
    buildFilterBar(filterBar);

    m_toolBar->setObjectName(QStringLiteral("historyActions"));
    m_toolBar->setAccessibleName(tr("Request actions"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    buildActions();

    m_count->setObjectName(QStringLiteral("countLabel"));
    m_count->setAccessibleName(tr("Requests matching the filter"));
    m_newRows->setObjectName(QStringLiteral("newRowsButton"));
    m_newRows->setToolTip(tr("New requests arrived above; show the newest"));
    m_newRows->setAutoDefault(false);
    m_newRows->hide();
    connect(m_newRows, &QPushButton::clicked, this, &HistoryPage::jumpToNewest);

    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

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
    columns->setSectionResizeMode(RequestTableModel::PathColumn, QHeaderView::Stretch);
    columns->setSectionsMovable(true);
    const int digit = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    columns->resizeSection(RequestTableModel::TimeColumn, digit * 22);
    columns->resizeSection(RequestTableModel::MethodColumn, digit * 9);
    columns->resizeSection(RequestTableModel::StatusColumn, digit * 7);
    columns->resizeSection(RequestTableModel::OutcomeColumn, digit * 22);
    columns->resizeSection(RequestTableModel::SizeColumn, digit * 10);
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
        menu->addActions({ m_deleteSelected, m_deleteMatching });
        menu->popup(m_table->viewport()->mapToGlobal(position));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &HistoryPage::onCurrentRowChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &HistoryPage::updateActions);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        // Back at the top by scrolling: nothing new is hidden any more.
        if (value == m_table->verticalScrollBar()->minimum() && m_newCount > 0 && !m_reloadOnJump) {
            m_newCount = 0;
            m_newRows->hide();
        }
    });

    connect(m_model, &RequestTableModel::totalCountChanged, this, &HistoryPage::updateCount);
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

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_count);
    statusRow->addWidget(m_newRows);
    statusRow->addStretch();
    statusRow->addWidget(m_toolBar);
    topLayout->addLayout(statusRow);
    topLayout->addWidget(m_table, 1);
    m_splitter->setObjectName(QStringLiteral("historySplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(top);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->restoreState(m_context.settings->historySplitterState());
    columns->restoreState(m_context.settings->historyColumnsState());

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(filterBar);
    layout->addWidget(m_chart);
    layout->addWidget(m_error);
    layout->addWidget(m_message);
    layout->addWidget(m_splitter, 1);
    setTabOrder(m_search, m_table);

    updateActions();
    if (!m_context.store) {
        showError(tr("No database is available."));
        return;
    }
    connect(m_context.store, &StoreExecutor::written, this, &HistoryPage::reloadWebhooks);
    if (m_context.engine && m_context.engine->config())
        connect(m_context.engine->config(), &ConfigCache::changed, this,
            &HistoryPage::reloadWebhooks, Qt::QueuedConnection);
    if (m_context.engine)
        m_model->follow(m_context.engine->writer());
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
    return m_deleteConfirmation;
}

QProgressDialog *HistoryPage::exportProgress() const
{
    return m_exportProgress;
}

ReplayDialog *HistoryPage::replayDialog() const
{
    return m_replay;
}

void HistoryPage::buildFilterBar(QWidget *bar)
{
    const auto combo = [bar](const QString &objectName, const QString &accessibleName) {
        auto *box = new QComboBox(bar);
        box->setObjectName(objectName);
        box->setAccessibleName(accessibleName);
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        return box;
    };
    m_webhook = combo(QStringLiteral("webhookFilter"), tr("Webhook"));
    m_webhook->addItem(tr("All webhooks"), QString());

    m_outcome = combo(QStringLiteral("outcomeFilter"), tr("Outcome"));
    m_outcome->addItem(tr("Any outcome"), int(RequestFilter::Outcome::Any));
    m_outcome->addItem(tr("Accepted"), int(RequestFilter::Outcome::Accepted));
    m_outcome->addItem(tr("Rejected"), int(RequestFilter::Outcome::Rejected));

    m_reason = combo(QStringLiteral("reasonFilter"), tr("Reason"));
    m_reason->setToolTip(tr("The reason code the receiver answered with"));
    m_reason->addItem(tr("Any reason"), QByteArray());
    for (const char *code : ReasonCodes)
        m_reason->addItem(QString::fromLatin1(code), QByteArray(code));

    m_method = combo(QStringLiteral("methodFilter"), tr("Method"));
    m_method->addItem(tr("Any method"), QByteArray());
    for (const char *method : { "POST", "PUT", "PATCH", "GET", "DELETE", "HEAD", "OPTIONS" })
        m_method->addItem(QString::fromLatin1(method), QByteArray(method));

    m_status = new QSpinBox(bar);
    m_status->setObjectName(QStringLiteral("statusFilter"));
    m_status->setAccessibleName(tr("Status"));
    m_status->setToolTip(tr("An exact HTTP status, such as 401; the lowest value means any"));
    m_status->setRange(0, 599);
    m_status->setSpecialValueText(tr("Any status"));

    m_range = combo(QStringLiteral("rangeFilter"), tr("Time range"));
    m_range->addItem(tr("All time"), int(TimeRange::All));
    m_range->addItem(tr("Last hour"), int(TimeRange::LastHour));
    m_range->addItem(tr("Last 24 hours"), int(TimeRange::LastDay));
    m_range->addItem(tr("Last 7 days"), int(TimeRange::LastWeek));
    m_range->addItem(tr("Custom range"), int(TimeRange::Custom));

    const auto timeEdit = [bar](const QString &objectName, const QString &accessibleName) {
        auto *edit = new QDateTimeEdit(bar);
        edit->setObjectName(objectName);
        edit->setAccessibleName(accessibleName);
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setTimeSpec(Qt::LocalTime);
        return edit;
    };
    m_since = timeEdit(QStringLiteral("sinceEdit"), tr("From"));
    m_since->setToolTip(tr("Requests received at or after this time"));
    m_until = timeEdit(QStringLiteral("untilEdit"), tr("Until"));
    m_until->setToolTip(tr("Requests received before this time"));

    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_search->setAccessibleName(tr("Search headers and bodies"));
    m_search->setPlaceholderText(tr("Search headers and bodies"));
    m_search->setToolTip(tr("Words to find in headers and bodies; every word must occur"));
    m_search->setClearButtonEnabled(true);

    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(SearchDelayMs);
    connect(m_searchTimer, &QTimer::timeout, this, &HistoryPage::applyFilter);
    for (QComboBox *box : { m_webhook, m_outcome, m_reason, m_method })
        connect(box, &QComboBox::currentIndexChanged, this, &HistoryPage::applyFilter);
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        updateTimeEdits();
        applyFilter();
    });
    // Typed values arrive a character at a time: they wait for a pause, like the search.
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_status, &QSpinBox::valueChanged, m_searchTimer, qOverload<>(&QTimer::start));
    for (QDateTimeEdit *edit : { m_since, m_until })
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, [this] {
            if (TimeRange(m_range->currentData().toInt()) == TimeRange::Custom)
                m_searchTimer->start();
        });

    auto *layout = new QGridLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    const auto labelled = [bar](const QString &text, QWidget *buddy) {
        auto *label = new QLabel(text, bar);
        label->setBuddy(buddy);
        return label;
    };
    layout->addWidget(labelled(tr("&Webhook:"), m_webhook), 0, 0);
    layout->addWidget(m_webhook, 0, 1);
    layout->addWidget(labelled(tr("&Outcome:"), m_outcome), 0, 2);
    layout->addWidget(m_outcome, 0, 3);
    layout->addWidget(labelled(tr("&Reason:"), m_reason), 0, 4);
    layout->addWidget(m_reason, 0, 5);
    layout->addWidget(labelled(tr("&Method:"), m_method), 0, 6);
    layout->addWidget(m_method, 0, 7);
    layout->addWidget(labelled(tr("S&tatus:"), m_status), 0, 8);
    layout->addWidget(m_status, 0, 9);
    layout->addWidget(labelled(tr("T&ime:"), m_range), 1, 0);
    layout->addWidget(m_range, 1, 1);
    layout->addWidget(labelled(tr("&From:"), m_since), 1, 2);
    layout->addWidget(m_since, 1, 3);
    layout->addWidget(labelled(tr("U&ntil:"), m_until), 1, 4);
    layout->addWidget(m_until, 1, 5);
    layout->addWidget(labelled(tr("&Search:"), m_search), 1, 6);
    layout->addWidget(m_search, 1, 7, 1, 3);
    layout->setColumnStretch(7, 1);

    setTabOrder(m_webhook, m_outcome);
    setTabOrder(m_outcome, m_reason);
    setTabOrder(m_reason, m_method);
    setTabOrder(m_method, m_status);
    setTabOrder(m_status, m_range);
    setTabOrder(m_range, m_since);
    setTabOrder(m_since, m_until);
    setTabOrder(m_until, m_search);
    updateTimeEdits();
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
    // F5, not QKeySequence::Refresh: that is Ctrl+R on some desktops, which is Replay's.
    m_refresh = make(tr("Re&fresh"), QKeySequence(Qt::Key_F5), tr("Read the history again"),
        [this] { applyFilter(); });
    m_findAction = make(
        tr("Find"), QKeySequence(QKeySequence::Find), tr("Search headers and bodies"), [this] {
            m_search->setFocus(Qt::ShortcutFocusReason);
            m_search->selectAll();
        });

    m_toolBar->addAction(m_copyCurl);
    m_toolBar->addAction(m_replayAction);
    auto *exportMenu = new QMenu(this);
    exportMenu->addActions({ m_exportFiltered, m_exportSelected });
    auto *exportButton = new QToolButton(m_toolBar);
    exportButton->setObjectName(QStringLiteral("exportButton"));
    exportButton->setText(tr("E&xport…"));
    exportButton->setAccessibleName(tr("Export"));
    exportButton->setToolTip(tr("Save requests as HAR 1.2, JSON Lines or CSV"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    exportButton->setMenu(exportMenu);
    m_toolBar->addWidget(exportButton);
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
    m_exportSelected->setEnabled(store && selection && !m_exportProgress);
    m_exportFiltered->setEnabled(store && !m_exportProgress);
    m_deleteSelected->setEnabled(store && selection);
    m_deleteMatching->setEnabled(store);
    m_refresh->setEnabled(store);
}

void HistoryPage::updateTimeEdits()
{
    const auto range = TimeRange(m_range->currentData().toInt());
    const bool custom = range == TimeRange::Custom;
    m_since->setEnabled(custom);
    m_until->setEnabled(custom);
    if (custom)
        return;
    // The presets show what they mean, ready to be adjusted as a custom range.
    const QDateTime now = QDateTime::currentDateTime();
    const QSignalBlocker blockSince(m_since);
    const QSignalBlocker blockUntil(m_until);
    switch (range) {
    case TimeRange::LastHour:
        m_since->setDateTime(now.addSecs(-3600));
        break;
    case TimeRange::LastDay:
        m_since->setDateTime(now.addDays(-1));
        break;
    case TimeRange::LastWeek:
        m_since->setDateTime(now.addDays(-7));
        break;
    default:
        m_since->setDateTime(now.addDays(-1));
        break;
    }
    m_until->setDateTime(now.addSecs(3600));
}

void HistoryPage::setTimeRange(TimeRange range)
{
    m_range->setCurrentIndex(m_range->findData(int(range)));
}

RequestFilter HistoryPage::currentFilter() const
{
    RequestFilter filter;
    filter.webhookId = m_webhook->currentData().toString();
    filter.outcome = RequestFilter::Outcome(m_outcome->currentData().toInt());
    filter.reason = m_reason->currentData().toByteArray();
    filter.method = m_method->currentData().toByteArray();
    filter.status = m_status->value();
    filter.search = m_search->text().trimmed();
    const qint64 now = currentMicros();
    switch (TimeRange(m_range->currentData().toInt())) {
    case TimeRange::All:
        break;
    case TimeRange::LastHour:
        filter.sinceMicros = now - HourMicros;
        break;
    case TimeRange::LastDay:
        filter.sinceMicros = now - 24 * HourMicros;
        break;
    case TimeRange::LastWeek:
        filter.sinceMicros = now - 7 * 24 * HourMicros;
        break;
    case TimeRange::Custom:
        filter.sinceMicros = microsOf(m_since->dateTime());
        filter.untilMicros = microsOf(m_until->dateTime());
        break;
    }
    return filter;
}

void HistoryPage::applyFilter()
{
    m_searchTimer->stop();
    const RequestFilter filter = currentFilter();
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
    if (total < 0) {
        m_count->setText(tr("Counting…"));
        m_count->setToolTip(QString());
        return;
    }
    const RequestFilter &filter = m_model->filter();
    const bool everything = filter.search.isEmpty() && filter.webhookId.isEmpty()
        && filter.outcome == RequestFilter::Outcome::Any && filter.reason.isEmpty()
        && filter.method.isEmpty() && filter.status == 0 && filter.sinceMicros == 0
        && filter.untilMicros == 0;
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
    if (!m_chartTimer->isActive() && !m_chartLoading)
        m_chartTimer->start();
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
    showError(tr("The selection reaches requests that are not loaded. To act on every request "
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
    StoreExecutor *executor = m_context.store;
    m_context.store->read(
        this,
        [executor, id](Store *store) {
            DetailSnapshot snapshot;
            if (!store) {
                snapshot.error = unavailable(executor);
                return snapshot;
            }
            Result<std::optional<LoggedRequest>> request = store->queries().request(id);
            if (!request) {
                snapshot.error = request.error();
                return snapshot;
            }
            snapshot.request = std::move(request).value();
            if (snapshot.request && snapshot.request->apiKeyId > 0) {
                // The history names the key by its visible prefix, never more of it.
                if (const Result<QList<ApiKey>> keys = store->config().keys()) {
                    for (const ApiKey &key : *keys) {
                        if (key.id == snapshot.request->apiKeyId)
                            snapshot.keyText = tr("%1… (%2)").arg(key.prefix, key.name);
                    }
                }
            }
            return snapshot;
        },
        [this, id](const DetailSnapshot &snapshot) {
            if (id != m_detailWanted)
                return; // the user moved on meanwhile
            if (!snapshot.error.isEmpty()) {
                m_detail->clear(tr("This request cannot be read: %1").arg(snapshot.error));
            } else if (!snapshot.request) {
                m_detail->clear(tr("This request is no longer in the history."));
            } else {
                RequestDetailView::Context context;
                context.apiKey = snapshot.keyText;
                if (const auto it = m_webhooks.constFind(snapshot.request->webhookId);
                    it != m_webhooks.cend()) {
                    context.webhookName = it->name;
                    context.allow = it->methods.join(QStringLiteral(", ")).toLatin1();
                }
                context.retryAfterSeconds = m_context.settings->receiverOptions().retryAfterSeconds;
                m_detail->setRequest(*snapshot.request, context);
            }
            updateActions();
            emit detailShown(id);
        });
}

QString HistoryPage::baseUrl() const
{
    const Receiver *receiver = m_context.engine ? m_context.engine->receiver() : nullptr;
    return m_context.settings->baseUrl(receiver ? receiver->port() : 0);
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
    m_replay = dialog;
    dialog->show();
}

void HistoryPage::chooseExportFile(ExportScope scope)
{
    if (scope == ExportScope::Selection && (!checkSelectionLoaded() || selectedIds().isEmpty()))
        return;
    const QString har = tr("HAR 1.2 (*.har)");
    const QString jsonl = tr("JSON Lines (*.jsonl)");
    const QString csv = tr("CSV (*.csv)");
    auto *dialog = new QFileDialog(this,
        scope == ExportScope::Filter ? tr("Export matching requests")
                                     : tr("Export selected requests"));
    dialog->setObjectName(QStringLiteral("exportFileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilters({ har, jsonl, csv });
    dialog->setDefaultSuffix(QStringLiteral("har"));
    dialog->selectFile(QStringLiteral("requests.har"));
    connect(
        dialog, &QFileDialog::filterSelected, dialog, [dialog, har, jsonl](const QString &filter) {
            const QString suffix = filter == har ? QStringLiteral("har")
                : filter == jsonl                ? QStringLiteral("jsonl")
                                                 : QStringLiteral("csv");
            dialog->setDefaultSuffix(suffix);
            dialog->selectFile(QStringLiteral("requests.") + suffix);
        });
    connect(dialog, &QFileDialog::fileSelected, this,
        [this, dialog, scope, har, jsonl](const QString &path) {
            const QString filter = dialog->selectedNameFilter();
            const RequestExport::Format format = filter == har ? RequestExport::Format::Har
                : filter == jsonl                              ? RequestExport::Format::Jsonl
                                                               : RequestExport::Format::Csv;
            exportTo(path, format, scope);
        });
    dialog->open();
}

void HistoryPage::exportTo(const QString &path, RequestExport::Format format, ExportScope scope)
{
    if (!m_context.store || m_exportProgress)
        return;
    const QList<qint64> ids = scope == ExportScope::Selection ? selectedIds() : QList<qint64>();
    if (scope == ExportScope::Selection && ids.isEmpty())
        return;
    const RequestFilter filter = m_model->filter();
    auto progress = std::make_shared<ExportProgress>();

    auto *dialog = new QProgressDialog(tr("Exporting requests…"), tr("Cancel"), 0, 0, this);
    dialog->setObjectName(QStringLiteral("exportProgress"));
    dialog->setWindowTitle(tr("Export"));
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    dialog->setMinimumDuration(0);
    m_exportProgress = dialog;
    auto *poll = new QTimer(dialog);
    connect(poll, &QTimer::timeout, dialog, [dialog, progress] {
        const qint64 total = progress->total.load();
        if (total > 0) {
            // Counts as permille: a range of ints cannot hold every row count.
            dialog->setMaximum(1000);
            dialog->setValue(int(progress->done.load() * 1000 / total));
            dialog->setLabelText(
                tr("Exporting requests: %1 of %2…")
                    .arg(QLocale().toString(progress->done.load()), QLocale().toString(total)));
        }
    });
    poll->start(ProgressPollMs);
    connect(dialog, &QProgressDialog::canceled, dialog, [progress, dialog] {
        progress->cancel = true;
        dialog->setLabelText(tr("Cancelling…"));
    });
    dialog->open();
    updateActions();

    StoreExecutor *executor = m_context.store;
    m_context.store->read(
        this,
        [executor, path, format, filter, ids, progress](Store *store) {
            ExportOutcome outcome;
            if (!store) {
                outcome.error = unavailable(executor);
                return outcome;
            }
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly)) {
                outcome.error = tr("%1 cannot be written: %2").arg(path, file.errorString());
                return outcome;
            }
            file.setPermissions(QFile::ReadOwner | QFile::WriteOwner); // bodies, like the log
            const Status status = RequestExport::write(
                *store, format, filter, ids, file, [progress](qint64 done, qint64 total) {
                    progress->done = done;
                    progress->total = total;
                    return !progress->cancel.load();
                });
            outcome.rows = progress->done.load();
            if (progress->cancel.load()) {
                outcome.cancelled = true;
                file.cancelWriting(); // nothing half-written replaces an existing file
                return outcome;
            }
            if (!status) {
                outcome.error = status.error();
                file.cancelWriting();
                return outcome;
            }
            if (!file.commit())
                outcome.error = tr("%1 cannot be written: %2").arg(path, file.errorString());
            return outcome;
        },
        [this, path](const ExportOutcome &outcome) {
            if (QProgressDialog *finished = m_exportProgress) {
                m_exportProgress = nullptr;
                finished->hide();
                finished->deleteLater();
            }
            updateActions();
            if (outcome.cancelled) {
                showMessage(tr("Export cancelled; no file was written."));
                emit exportFinished(false, tr("cancelled"));
            } else if (!outcome.error.isEmpty()) {
                showError(tr("Export failed: %1").arg(outcome.error));
                emit exportFinished(false, outcome.error);
            } else {
                const QString message
                    = tr("Requests exported to %1: %2.")
                          .arg(QDir::toNativeSeparators(path), QLocale().toString(outcome.rows));
                showMessage(message);
                emit exportFinished(true, message);
            }
        });
}

void HistoryPage::askToDelete(const QString &text, const std::function<void()> &onConfirm)
{
    if (m_deleteConfirmation)
        return;
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Delete requests"), text, QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("deleteConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(tr("Deleted requests cannot be brought back."));
    QPushButton *remove = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("deleteButton"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    connect(box, &QMessageBox::buttonClicked, this, [remove, onConfirm](QAbstractButton *button) {
        if (button == remove)
            onConfirm();
    });
    m_deleteConfirmation = box;
    box->open();
}

void HistoryPage::deleteSelected()
{
    if (!checkSelectionLoaded())
        return;
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty() || !m_context.store)
        return;
    askToDelete(tr("Delete the selected requests from the history? Selected: %1.")
                    .arg(QLocale().toString(ids.size())),
        [this, ids] { runDelete({}, ids); });
}

void HistoryPage::deleteMatching()
{
    if (!m_context.store || m_deleteConfirmation)
        return;
    StoreExecutor *executor = m_context.store;
    RequestFilter filter = m_model->filter();
    m_context.store->read(
        this,
        [executor, filter](Store *store) mutable {
            DeletionCount counted;
            if (!store) {
                counted.error = unavailable(executor);
                return counted;
            }
            const Result<qint64> newest = store->queries().newestRequestId();
            if (!newest) {
                counted.error = newest.error();
                return counted;
            }
            filter.beforeId = *newest + 1;
            counted.filter = filter;
            const Result<qint64> count = store->queries().countRequests(filter);
            if (!count)
                counted.error = count.error();
            else
                counted.count = *count;
            return counted;
        },
        [this](const DeletionCount &counted) {
            if (!counted.error.isEmpty()) {
                showError(tr("The requests cannot be counted: %1").arg(counted.error));
                return;
            }
            if (counted.count == 0) {
                showMessage(tr("No request matches the filter: nothing to delete."));
                return;
            }
            askToDelete(tr("Delete every request matching the filter? Requests: %1.")
                            .arg(QLocale().toString(counted.count)),
                [this, filter = counted.filter] { runDelete(filter, {}); });
        });
}

void HistoryPage::runDelete(const RequestFilter &filter, const QList<qint64> &ids)
{
    StoreExecutor *executor = m_context.store;
    m_context.store->write(
        this,
        [executor, filter, ids](Store *store) {
            if (!store)
                return Result<qint64>::failure(unavailable(executor));
            return ids.isEmpty() ? store->retention().deleteRequests(filter)
                                 : store->retention().deleteRequests(ids);
        },
        [this, ids](const Result<qint64> &removed) {
            if (!removed) {
                showError(tr("The requests cannot be deleted: %1").arg(removed.error()));
                return;
            }
            showMessage(tr("Requests deleted: %1.").arg(QLocale().toString(*removed)));
            if (ids.isEmpty()) {
                m_model->reload();
            } else {
                m_model->removeIds(ids, *removed);
                if (m_detail->request() && ids.contains(m_detail->request()->id)) {
                    m_detailWanted = 0;
                    m_detail->clear();
                }
            }
            refreshChart();
            updateActions();
            emit deleted(*removed);
        });
}

void HistoryPage::reloadWebhooks()
{
    if (!m_context.store)
        return;
    StoreExecutor *executor = m_context.store;
    m_context.store->read(
        this,
        [executor](Store *store) {
            return store ? store->config().webhooks()
                         : Result<QList<Webhook>>::failure(unavailable(executor));
        },
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
            // Refilled without a filter change: the selected webhook stays selected.
            const QString selected = m_webhook->currentData().toString();
            const QSignalBlocker blocker(m_webhook);
            while (m_webhook->count() > 1)
                m_webhook->removeItem(1);
            for (const Webhook &webhook : *webhooks)
                m_webhook->addItem(webhook.name, webhook.id);
            const int index = m_webhook->findData(selected);
            m_webhook->setCurrentIndex(std::max(0, index));
            if (index < 0 && !selected.isEmpty())
                applyFilter(); // the webhook filtered on is gone
            emit webhooksLoaded();
        });
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
    StoreExecutor *executor = m_context.store;
    m_context.store->read(
        this,
        [executor, filter](Store *store) {
            return store ? store->queries().histogram(filter, HistoryChart::BucketCount)
                         : Result<QList<HistogramBucket>>::failure(unavailable(executor));
        },
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
    m_error->setProblem(QString());
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void HistoryPage::showError(const QString &error)
{
    if (!error.isEmpty())
        m_message->hide();
    m_error->setProblem(error);
}

void HistoryPage::saveSplitter()
{
    m_context.settings->setHistorySplitterState(m_splitter->saveState());
    m_context.settings->setHistoryColumnsState(m_table->horizontalHeader()->saveState());
}

} // namespace Hooktrail
