// The console's Connections page: the "Webhooks" box with its list, the selected webhook's
// detail panel, Add more and the actions on the selected webhook (edit, enable/disable,
// duplicate, delete, endpoint, test, import/export).
#include "ui/connectionspage.h"

#include "core/base/savetofile.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/confirmation.h"
#include "ui/endpointdialog.h"
#include "ui/icons.h"
#include "ui/importpreviewdialog.h"
#include "ui/problemlabel.h"
#include "ui/sparklinedelegate.h"
#include "ui/testrequestdialog.h"
#include "ui/webhookdetailpanel.h"
#include "ui/webhookformdialog.h"
#include "ui/webhooklistmodel.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <limits>

namespace Hooktrail {

namespace {

constexpr int ActivityRefreshMs = 5000;
constexpr qint64 DayMicros = qint64(24) * 3600 * 1000000;
constexpr int MaxNameLength = 100; // ARCHITECTURE §5.1

// What one load of the list brings back from the store thread.
struct Snapshot
{
    QList<Webhook> webhooks;
    QHash<QString, WebhookActivity> activity;
    QString activityError; // the webhooks were read, their traffic not
    qint64 nowMicros = 0;
};

struct ActivitySnapshot
{
    QHash<QString, WebhookActivity> activity;
    qint64 nowMicros = 0;
};

// A settings file read and the webhooks stored when it was: what the import preview shows.
struct ImportSource
{
    WebhookTransfer::Parsed parsed;
    QList<Webhook> stored;
};

// An action's text without its mnemonic marker and ellipsis, as a screen reader should say it.
QString plainText(QString text)
{
    return text.remove(QLatin1Char('&')).remove(QStringLiteral("…"));
}

// A name of at most MaxNameLength characters that ends with suffix.
QString withSuffix(const QString &name, const QString &suffix)
{
    return name.left(MaxNameLength - suffix.size()).trimmed() + suffix;
}

} // namespace

ConnectionsPage::ConnectionsPage(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new WebhookListModel(this))
    , m_table(new QTableView(this))
    , m_emptyState(new QLabel(this))
    , m_message(new QLabel(this))
    , m_error(new ProblemLabel(QStringLiteral("errorLabel"), this))
    , m_addMore(new QPushButton(tr("Add more"), this))
    , m_detail(new WebhookDetailPanel(context, this))
    , m_activityTimer(new QTimer(this))
{
    auto *box = new QGroupBox(tr("Webhooks"), this);
    box->setObjectName(QStringLiteral("webhooksBox"));

    buildAddMoreButton();
    QToolBar *toolBar = buildToolBar(box);
    buildStateLabels();
    buildTable();
    // Not activated(): styles that activate on a single click would open the form on every click.
    connect(m_table, &QTableView::doubleClicked, this, &ConnectionsPage::editSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &ConnectionsPage::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ConnectionsPage::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ConnectionsPage::updateActions);

    auto *top = new QHBoxLayout;
    top->addWidget(m_addMore);
    top->addWidget(toolBar, 1);
    auto *boxLayout = new QVBoxLayout(box);
    boxLayout->addLayout(top);
    boxLayout->addWidget(m_error);
    boxLayout->addWidget(m_message);
    boxLayout->addWidget(m_emptyState);
    // The selected webhook's endpoint and rules beside the list, so neither needs a dialog.
    auto *listAndDetail = new QHBoxLayout;
    listAndDetail->addWidget(m_table, 1);
    listAndDetail->addWidget(m_detail);
    boxLayout->addLayout(listAndDetail, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(box);
    setTabOrder(m_addMore, m_table);
    setTabOrder(m_table, m_detail);
    connect(m_detail, &WebhookDetailPanel::copyWithKeyRequested, this,
        &ConnectionsPage::copyEndpointOfSelected);

    updateActions();
    if (!m_context.store) {
        showError(tr("No database is available."), true);
        return;
    }
    // Every change to webhooks moves the config generation, whether made here (the executor's
    // after-write refresh) or by another process (the CLI, another console): one signal covers
    // both, so a write here is not followed by two loads.
    if (m_context.engine && m_context.engine->config())
        connect(m_context.engine->config(), &ConfigCache::changed, this, &ConnectionsPage::reload,
            Qt::QueuedConnection);
    else
        connect(m_context.store, &StoreExecutor::written, this, &ConnectionsPage::reload);
    connect(m_activityTimer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refreshActivity();
    });
    m_activityTimer->start(ActivityRefreshMs);
    reload();
}

ConnectionsPage::~ConnectionsPage() = default;

void ConnectionsPage::buildAddMoreButton()
{
    m_addMore->setObjectName(QStringLiteral("addMoreButton"));
    m_addMore->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_addMore->setAccessibleName(tr("Add more webhooks"));
    m_addMore->setToolTip(tr("Create a webhook: an address other services send data to (%1)")
                              .arg(m_addMore->shortcut().toString(QKeySequence::NativeText)));
    m_addMore->setIcon(Icons::action(Icons::Action::Add));
    connect(m_addMore, &QPushButton::clicked, this, &ConnectionsPage::addWebhook);
}

QToolBar *ConnectionsPage::buildToolBar(QWidget *parent)
{
    auto *toolBar = m_toolBar = new QToolBar(parent);
    toolBar->setObjectName(QStringLiteral("webhookActions"));
    toolBar->setAccessibleName(tr("Webhook actions"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->setIconSize(QSize(16, 16));
    buildActions();
    for (QAction *action :
        { m_edit, m_toggle, m_duplicate, m_delete, m_copyEndpoint, m_sendTest }) {
        toolBar->addAction(action);
    }
    toolBar->addSeparator();
    toolBar->addAction(m_import);
    toolBar->addAction(m_export);
    for (QAction *action : toolBar->actions()) {
        if (QWidget *button = toolBar->widgetForAction(action))
            button->setAccessibleName(plainText(action->text()));
    }
    return toolBar;
}

void ConnectionsPage::buildStateLabels()
{
    m_emptyState->setObjectName(QStringLiteral("emptyStateLabel"));
    m_emptyState->setText(
        tr("A webhook is an address that other services send data to; Hooktrail keeps "
           "every request it receives. Click Add more to create one."));
    m_emptyState->setWordWrap(true);
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setForegroundRole(QPalette::PlaceholderText);
    m_emptyState->setMinimumHeight(m_emptyState->fontMetrics().height() * 4);
    m_emptyState->hide();

    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
}

void ConnectionsPage::buildTable()
{
    m_table->setObjectName(QStringLiteral("webhookTable"));
    m_table->setAccessibleName(tr("Webhooks"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTabKeyNavigation(false); // Tab leaves the list; arrows move inside it
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(
        WebhookListModel::NameColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(
        WebhookListModel::StatusColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(
        WebhookListModel::LastRequestColumn, QHeaderView::ResizeToContents);
    m_table->setItemDelegateForColumn(WebhookListModel::ActivityColumn,
        new SparklineDelegate(WebhookListModel::BucketsRole, m_table));
    m_table->horizontalHeader()->resizeSection(WebhookListModel::ActivityColumn,
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("0000000"))
            + WebhookActivity::BucketCount * 4);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint &position) {
        const QModelIndex index = m_table->indexAt(position);
        if (index.isValid())
            m_table->selectRow(index.row());
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addActions({ m_edit, m_toggle, m_duplicate, m_delete });
        menu->addSeparator();
        menu->addActions({ m_copyEndpoint, m_sendTest });
        menu->addSeparator();
        menu->addActions({ m_import, m_export });
        menu->popup(m_table->viewport()->mapToGlobal(position));
    });
}

void ConnectionsPage::buildActions()
{
    const auto make = [this](const QString &text, const QKeySequence &shortcut,
                          const QString &toolTip, void (ConnectionsPage::*slot)()) {
        auto *action = new QAction(text, this);
        action->setShortcut(shortcut);
        action->setToolTip(shortcut.isEmpty()
                ? toolTip
                : tr("%1 (%2)").arg(toolTip, shortcut.toString(QKeySequence::NativeText)));
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_edit = make(tr("&Edit"), QKeySequence(Qt::Key_F2), tr("Edit the selected webhook's settings"),
        &ConnectionsPage::editSelected);
    m_toggle = make(tr("Disa&ble"), QKeySequence(Qt::CTRL | Qt::Key_E),
        tr("Enable or disable the selected webhook; a disabled webhook answers 503 so senders "
           "retry later"),
        &ConnectionsPage::toggleSelected);
    m_duplicate = make(tr("D&uplicate"), QKeySequence(Qt::CTRL | Qt::Key_D),
        tr("Create a new webhook with the same rules"), &ConnectionsPage::duplicateSelected);
    m_delete = make(tr("&Delete"), QKeySequence(QKeySequence::Delete),
        tr("Delete the selected webhook, keeping its logged requests or not"),
        &ConnectionsPage::deleteSelected);
    m_copyEndpoint = make(tr("&Copy endpoint"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
        tr("Show the endpoint URL with your API key, ready to copy"),
        &ConnectionsPage::copyEndpointOfSelected);
    m_sendTest = make(tr("Send &test request"), QKeySequence(Qt::CTRL | Qt::Key_T),
        tr("Send a request to the selected webhook through the running receiver"),
        &ConnectionsPage::sendTestRequestToSelected);
    m_import = make(tr("&Import…"), QKeySequence(Qt::CTRL | Qt::Key_I),
        tr("Add webhooks from a settings JSON file"), &ConnectionsPage::chooseImportFile);
    m_export = make(tr("E&xport…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
        tr("Save every webhook's settings to a JSON file"), &ConnectionsPage::chooseExportFile);
    const std::pair<QAction *, Icons::Action> icons[] = { { m_edit, Icons::Action::Edit },
        { m_toggle, Icons::Action::Toggle }, { m_duplicate, Icons::Action::Duplicate },
        { m_delete, Icons::Action::Delete }, { m_copyEndpoint, Icons::Action::CopyEndpoint },
        { m_sendTest, Icons::Action::SendTest }, { m_import, Icons::Action::Import },
        { m_export, Icons::Action::Export } };
    for (const auto &[action, icon] : icons)
        action->setIcon(Icons::action(icon));
}

void ConnectionsPage::updateActions()
{
    const std::optional<Webhook> selected = selectedWebhook();
    for (QAction *action : { m_edit, m_toggle, m_duplicate, m_delete, m_copyEndpoint, m_sendTest })
        action->setEnabled(selected.has_value() && m_context.store);
    m_import->setEnabled(m_context.store);
    m_export->setEnabled(m_context.store && !m_model->isEmpty());
    m_toggle->setText(selected && !selected->enabled ? tr("Ena&ble") : tr("Disa&ble"));
    if (QWidget *button = m_toolBar->widgetForAction(m_toggle))
        button->setAccessibleName(plainText(m_toggle->text()));
    m_detail->showWebhook(selected);
}

// The header measures its ResizeToContents columns when the table changes size, not when rows
// arrive; beside the detail panel the table keeps its size, so the state and the last request
// would stay as narrow as their titles ("Enabled" cut to "…").
void ConnectionsPage::fitMeasuredColumns()
{
    for (const int column : { WebhookListModel::StatusColumn, WebhookListModel::LastRequestColumn })
        m_table->resizeColumnToContents(column);
}

void ConnectionsPage::updateEmptyState()
{
    const bool empty = m_loaded && m_model->isEmpty();
    m_emptyState->setVisible(empty);
    m_table->setVisible(!empty);
    m_detail->setVisible(!empty);
}

void ConnectionsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_loaded)
        refreshActivity();
}

void ConnectionsPage::showMessage(const QString &message)
{
    m_error->setProblem(QString());
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void ConnectionsPage::showError(const QString &error, bool fromLoading)
{
    m_message->hide();
    m_error->setProblem(error);
    m_errorFromLoading = fromLoading;
}

void ConnectionsPage::loadingWorked()
{
    // An action's error stays until the next action; a reading error goes once reading works.
    if (m_errorFromLoading)
        showError(QString());
}

std::optional<Webhook> ConnectionsPage::selectedWebhook() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    return m_model->webhookAt(rows.first().row());
}

void ConnectionsPage::selectWebhook(const QString &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    m_table->selectRow(row);
    m_table->setCurrentIndex(m_model->index(row, WebhookListModel::NameColumn));
}

void ConnectionsPage::reload()
{
    if (!m_context.store)
        return;
    if (m_loading) {
        m_loadAgain = true;
        return;
    }
    m_loading = true;
    m_context.store->read(
        this,
        [](Store &store) -> Result<Snapshot> {
            Snapshot snapshot;
            snapshot.nowMicros = currentMicros();
            Result<QList<Webhook>> webhooks = store.config().webhooks();
            if (!webhooks)
                return Result<Snapshot>::failure(webhooks.error());
            snapshot.webhooks = std::move(webhooks).value();
            Result<QHash<QString, WebhookActivity>> activity
                = store.queries().webhookActivity(snapshot.nowMicros - DayMicros);
            if (activity)
                snapshot.activity = std::move(activity).value();
            else
                snapshot.activityError = activity.error();
            return snapshot;
        },
        [this](const Result<Snapshot> &read) {
            m_loading = false;
            if (!read) {
                showError(tr("The webhooks cannot be read: %1").arg(read.error()), true);
            } else {
                const Snapshot &snapshot = *read;
                if (!snapshot.activityError.isEmpty())
                    showError(
                        tr("The recent activity cannot be read: %1").arg(snapshot.activityError),
                        true);
                else
                    loadingWorked();
                // Activity first, so rows inserted next already show their traffic.
                m_model->setActivity(snapshot.activity, snapshot.nowMicros);
                m_model->setWebhooks(snapshot.webhooks);
                fitMeasuredColumns();
                m_loaded = true;
                updateEmptyState();
                updateActions();
                if (!m_selectAfterLoad.isEmpty() && m_model->rowOf(m_selectAfterLoad) >= 0) {
                    selectWebhook(m_selectAfterLoad);
                    m_selectAfterLoad.clear();
                }
                emit loaded();
            }
            if (m_loadAgain) {
                m_loadAgain = false;
                reload();
            }
        });
}

void ConnectionsPage::refreshActivity()
{
    if (!m_context.store || m_refreshingActivity)
        return;
    m_refreshingActivity = true;
    m_context.store->read(
        this,
        [](Store &store) -> Result<ActivitySnapshot> {
            ActivitySnapshot snapshot;
            snapshot.nowMicros = currentMicros();
            Result<QHash<QString, WebhookActivity>> activity
                = store.queries().webhookActivity(snapshot.nowMicros - DayMicros);
            if (!activity)
                return Result<ActivitySnapshot>::failure(activity.error());
            snapshot.activity = std::move(activity).value();
            return snapshot;
        },
        [this](const Result<ActivitySnapshot> &snapshot) {
            m_refreshingActivity = false;
            if (!snapshot) {
                showError(tr("The recent activity cannot be read: %1").arg(snapshot.error()), true);
                return;
            }
            loadingWorked();
            m_model->setActivity(snapshot->activity, snapshot->nowMicros);
            fitMeasuredColumns();
            emit activityRefreshed();
        });
}

WebhookFormDialog *ConnectionsPage::openForm(
    const std::optional<Webhook> &existing, bool thenShowEndpoint)
{
    if (!m_context.store)
        return nullptr;
    auto *dialog = new WebhookFormDialog(m_context, existing, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // accepted() comes before the deferred delete, so the dialog can still be asked.
    connect(dialog, &QDialog::accepted, this, [this, dialog, thenShowEndpoint] {
        const Webhook saved = dialog->savedWebhook();
        m_selectAfterLoad = saved.id;
        selectWebhook(saved.id); // when the list already has it
        if (thenShowEndpoint && !saved.id.isEmpty())
            openEndpointDialog(saved);
    });
    dialog->open();
    return dialog;
}

void ConnectionsPage::openEndpointDialog(const Webhook &webhook)
{
    auto *dialog = new EndpointDialog(m_context, webhook, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void ConnectionsPage::addWebhook()
{
    openForm(std::nullopt, true); // then the API-key modal and the endpoint, as in the Octolis flow
}

void ConnectionsPage::editSelected()
{
    if (const std::optional<Webhook> webhook = selectedWebhook())
        openForm(*webhook, false);
}

QString ConnectionsPage::uniqueCopyName(const QString &name) const
{
    QSet<QString> taken;
    for (int row = 0; row < m_model->rowCount(); ++row)
        taken.insert(m_model->webhookAt(row).name.toCaseFolded());
    const QString base = tr("Copy of %1").arg(name).left(MaxNameLength);
    QString candidate = base;
    for (int attempt = 2; taken.contains(candidate.toCaseFolded()); ++attempt)
        candidate = withSuffix(base, QStringLiteral(" (%1)").arg(attempt));
    return candidate;
}

void ConnectionsPage::duplicateSelected()
{
    std::optional<Webhook> copy = selectedWebhook();
    if (!copy)
        return;
    const QString original = copy->name;
    copy->id.clear(); // the form adds a webhook when there is no id
    copy->name = uniqueCopyName(copy->name);
    copy->created = copy->updated = QDateTime();
    // The copy keeps the enabled state with the rules. Its endpoint is its own (a new id), so
    // it is offered as after Add more: senders need the new URL.
    WebhookFormDialog *form = openForm(copy, true);
    if (!form)
        return;
    connect(form, &QDialog::accepted, this, [this, form, original] {
        const Webhook saved = form->savedWebhook();
        showMessage(saved.enabled
                ? tr("“%1” is added, enabled like “%2”; its endpoint is its own.")
                      .arg(saved.name, original)
                : tr("“%1” is added, disabled like “%2”: its requests are answered 503 until "
                     "you enable it. Its endpoint is its own.")
                      .arg(saved.name, original));
    });
}

void ConnectionsPage::toggleSelected()
{
    const std::optional<Webhook> webhook = selectedWebhook();
    if (!webhook || !m_context.store)
        return;
    const QString id = webhook->id;
    const bool enable = !webhook->enabled;
    m_context.store->write(
        this, [id, enable](Store &store) { return store.config().setWebhookEnabled(id, enable); },
        [this, name = webhook->name, enable](const Status &changed) {
            if (!changed)
                showError(tr("“%1” cannot be changed: %2").arg(name, changed.error()));
            else
                showMessage(enable
                        ? tr("“%1” is enabled.").arg(name)
                        : tr("“%1” is disabled: its requests are answered 503 and logged.")
                              .arg(name));
        });
}

void ConnectionsPage::deleteSelected()
{
    const std::optional<Webhook> webhook = selectedWebhook();
    if (!webhook || !m_context.store || m_deleteConfirmation)
        return;
    const QString id = webhook->id;
    m_context.store->read(
        this, [id](Store &store) { return store.queries().countRequests(id); },
        [this, webhook = *webhook](const Result<qint64> &count) {
            if (!count) {
                showError(tr("The logged requests of “%1” cannot be counted: %2")
                              .arg(webhook.name, count.error()));
                return;
            }
            askToDelete(webhook, *count);
        });
}

void ConnectionsPage::askToDelete(const Webhook &webhook, qint64 requestCount)
{
    const int shownCount = int(std::min<qint64>(requestCount, std::numeric_limits<int>::max()));
    const QString id = webhook.id;
    Confirmation box(this, QStringLiteral("deleteConfirmation"), tr("Delete webhook"),
        tr("Delete the webhook “%1”? Senders then get 404 unknown_webhook.").arg(webhook.name),
        requestCount > 0
            ? tr("Requests logged for it: %n. Keep them in the history, or delete them too?",
                nullptr, shownCount)
            : tr("No request was logged for it."));
    if (requestCount > 0) {
        box.addAction(tr("Delete, &keep requests"), QMessageBox::AcceptRole,
            QStringLiteral("keepRequestsButton"), [this, id] { removeWebhook(id, false); });
        box.addAction(tr("Delete &with its requests"), QMessageBox::DestructiveRole,
            QStringLiteral("deleteRequestsButton"), [this, id] { removeWebhook(id, true); });
    } else {
        box.addAction(tr("&Delete"), QMessageBox::AcceptRole, QStringLiteral("keepRequestsButton"),
            [this, id] { removeWebhook(id, false); });
    }
    m_deleteConfirmation = box.open();
}

void ConnectionsPage::removeWebhook(const QString &id, bool deleteRequests)
{
    if (!m_context.store)
        return;
    const int row = m_model->rowOf(id);
    const QString name = row >= 0 ? m_model->webhookAt(row).name : id;
    m_context.store->write(
        this,
        [id, deleteRequests](
            Store &store) { return store.config().removeWebhook(id, deleteRequests); },
        [this, id, name, deleteRequests](const Status &removed) {
            if (!removed) {
                showError(tr("“%1” cannot be deleted: %2").arg(name, removed.error()));
                return;
            }
            showMessage(deleteRequests
                    ? tr("“%1” and its logged requests are deleted.").arg(name)
                    : tr("“%1” is deleted; its logged requests stay in the history.").arg(name));
            emit webhookRemoved(id);
        });
}

void ConnectionsPage::copyEndpointOfSelected()
{
    if (const std::optional<Webhook> webhook = selectedWebhook())
        openEndpointDialog(*webhook);
}

void ConnectionsPage::sendTestRequestToSelected()
{
    const std::optional<Webhook> webhook = selectedWebhook();
    if (!webhook)
        return;
    auto *dialog = new TestRequestDialog(m_context, *webhook, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TestRequestDialog::openRequest, this, &ConnectionsPage::openRequest);
    dialog->open();
}

void ConnectionsPage::importFrom(const QString &path)
{
    if (!m_context.store)
        return;
    // Read, not written: the preview decides nothing, and Cancel must leave nothing behind.
    m_context.store->read(
        this,
        [path](Store &store) -> Result<ImportSource> {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return Result<ImportSource>::failure(
                    tr("%1 cannot be read: %2").arg(path, file.errorString()));
            ImportSource source;
            source.parsed = WebhookTransfer::parse(file.readAll());
            Result<QList<Webhook>> stored = store.config().webhooks();
            if (!stored)
                return Result<ImportSource>::failure(stored.error());
            source.stored = std::move(stored).value();
            return source;
        },
        [this, path](const Result<ImportSource> &source) {
            if (!source) {
                reportImport({ {}, 0, {}, {}, { source.error() } });
                return;
            }
            // A file with nothing to list (not JSON, or no webhook) has no preview to show.
            if (source->parsed.entries.isEmpty()) {
                WebhookTransfer::Outcome nothing;
                nothing.problems = source->parsed.problems;
                reportImport(nothing);
                return;
            }
            previewImport(path, source->parsed, source->stored);
        });
}

void ConnectionsPage::previewImport(
    const QString &path, WebhookTransfer::Parsed parsed, QList<Webhook> stored)
{
    auto *dialog = new ImportPreviewDialog(path, std::move(parsed), std::move(stored), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
        [this, dialog] { runImport(dialog->parsed(), dialog->keepIds()); });
    dialog->open();
}

void ConnectionsPage::runImport(const WebhookTransfer::Parsed &parsed, bool keepIds)
{
    if (!m_context.store)
        return;
    // Planned again against the webhooks stored now: the list may have changed while the
    // preview was open, and the store has the last word on names and ids.
    m_context.store->write(
        this,
        [parsed, keepIds](
            Store &store) { return WebhookTransfer::importInto(store, parsed, keepIds); },
        [this](const Result<WebhookTransfer::Outcome> &imported) {
            if (!imported) {
                reportImport({ {}, 0, {}, {}, { imported.error() } });
                return;
            }
            // The last one added is selected, so its row (and its state) is in view.
            for (const WebhookTransfer::Step &step : imported->steps) {
                if (step.action == WebhookTransfer::Step::Action::Add)
                    m_selectAfterLoad = step.webhook.id;
            }
            reportImport(*imported);
        });
}

void ConnectionsPage::reportImport(const WebhookTransfer::Outcome &outcome)
{
    QString summary = tr("Webhooks imported: %n.", nullptr, outcome.imported);
    if (!outcome.renamed.isEmpty())
        summary += QLatin1Char(' ')
            + tr("Names already in use got a suffix: %1.")
                  .arg(outcome.renamed.join(QStringLiteral("; ")));
    if (!outcome.skipped.isEmpty())
        summary += QLatin1Char(' ')
            + tr("Skipped: %1.").arg(outcome.skipped.join(QStringLiteral("; ")));
    if (outcome.problems.isEmpty())
        showMessage(summary);
    else
        showError(summary + QLatin1Char('\n') + tr("Not imported:") + QLatin1Char('\n')
            + outcome.problems.join(QLatin1Char('\n')));
    emit importFinished(outcome.imported, outcome.renamed, outcome.problems, outcome.skipped);
}

void ConnectionsPage::exportTo(const QString &path)
{
    if (!m_context.store)
        return;
    m_context.store->read(
        this,
        [path](Store &store) {
            const Result<QList<Webhook>> webhooks = store.config().webhooks();
            if (!webhooks)
                return Status::failure(webhooks.error());
            // Header rules may hold shared secrets: the file is the user's alone.
            return SaveToFile::save(path, [&webhooks, &path](QIODevice &file) {
                return file.write(WebhookTransfer::exportJson(*webhooks)) < 0
                    ? Status::failure(SaveToFile::cannotWrite(path, file.errorString()))
                    : Status();
            });
        },
        [this, path](const Status &written) {
            const QString &error = written.error();
            if (error.isEmpty())
                showMessage(
                    tr("The webhooks are exported to %1.").arg(QDir::toNativeSeparators(path)));
            else
                showError(tr("Export failed: %1").arg(error));
            emit exportFinished(error.isEmpty(), error);
        });
}

void ConnectionsPage::chooseImportFile()
{
    auto *dialog = new QFileDialog(
        this, tr("Import webhooks"), QString(), tr("JSON files (*.json);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &ConnectionsPage::importFrom);
    dialog->open();
}

void ConnectionsPage::chooseExportFile()
{
    auto *dialog = new QFileDialog(
        this, tr("Export webhooks"), QString(), tr("JSON files (*.json);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("json"));
    dialog->selectFile(QStringLiteral("webhooks.json"));
    connect(dialog, &QFileDialog::fileSelected, this, &ConnectionsPage::exportTo);
    dialog->open();
}

} // namespace Hooktrail
