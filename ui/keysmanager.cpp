// The API keys manager of the settings page: list, create (the key shown once) and revoke.
#include "ui/keysmanager.h"

#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/apikeylistmodel.h"
#include "ui/confirmation.h"
#include "ui/icons.h"
#include "ui/newkeypanel.h"
#include "ui/problemlabel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace Hooktrail {

KeysManager::KeysManager(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new ApiKeyListModel(this))
    , m_view(new QTableView(this))
    , m_nameEdit(new QLineEdit(this))
    , m_createButton(new QPushButton(tr("&Create key"), this))
    , m_revokeButton(new QPushButton(tr("&Revoke…"), this))
    , m_problem(new ProblemLabel(QStringLiteral("keysProblem"), this))
    , m_newKeyPanel(new NewKeyPanel(NewKeyPanel::Dismiss::Offered, this))
{
    setObjectName(QStringLiteral("keysManager"));

    auto *intro = new QLabel(tr("Senders prove who they are with an API key, in the api-key query "
                                "parameter or an X-Api-Key header. Hooktrail stores only a hash of "
                                "each key, so a key is shown once, when it is created."),
        this);
    intro->setWordWrap(true);

    buildKeysView();
    QLayout *createRow = buildCreateRow();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addLayout(createRow);
    layout->addWidget(m_problem);
    layout->addWidget(m_newKeyPanel);

    setTabOrder(m_view, m_nameEdit);
    setTabOrder(m_nameEdit, m_createButton);
    setTabOrder(m_createButton, m_revokeButton);
    setTabOrder(m_revokeButton, m_newKeyPanel->copyButton());
    setTabOrder(m_newKeyPanel->copyButton(), m_newKeyPanel->doneButton());

    connect(m_nameEdit, &QLineEdit::textChanged, this, &KeysManager::updateButtons);
    connect(m_nameEdit, &QLineEdit::returnPressed, this, &KeysManager::createKey);
    connect(m_createButton, &QPushButton::clicked, this, &KeysManager::createKey);
    connect(m_revokeButton, &QPushButton::clicked, this, &KeysManager::revokeSelectedKey);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &KeysManager::updateButtons);
    connect(m_newKeyPanel, &NewKeyPanel::dismissed, this, [this] { m_nameEdit->setFocus(); });
    if (m_context.store)
        connect(m_context.store, &StoreExecutor::written, this, &KeysManager::refresh);

    updateButtons();
    refresh();
}

void KeysManager::buildKeysView()
{
    m_view->setObjectName(QStringLiteral("keysView"));
    m_view->setAccessibleName(tr("API keys"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(
        ApiKeyListModel::NameColumn, QHeaderView::Stretch);
    // A handful of keys: their prefixes, dates and states are measured, never cut.
    for (const int column : { ApiKeyListModel::PrefixColumn, ApiKeyListModel::CreatedColumn,
             ApiKeyListModel::LastUsedColumn, ApiKeyListModel::StateColumn })
        m_view->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_view->setMinimumHeight(m_view->fontMetrics().height() * 8);
    auto *revokeAction = new QAction(tr("Revoke key"), m_view);
    revokeAction->setShortcut(QKeySequence::Delete);
    revokeAction->setShortcutContext(Qt::WidgetShortcut);
    connect(revokeAction, &QAction::triggered, this, &KeysManager::revokeSelectedKey);
    m_view->addAction(revokeAction);
}

QLayout *KeysManager::buildCreateRow()
{
    m_nameEdit->setObjectName(QStringLiteral("keyNameEdit"));
    m_nameEdit->setAccessibleName(tr("Name of the new key"));
    m_nameEdit->setPlaceholderText(tr("e.g. the sender that will use it"));
    m_nameEdit->setMaxLength(100);
    m_nameEdit->setClearButtonEnabled(true);
    auto *nameLabel = new QLabel(tr("New key &name:"), this);
    nameLabel->setBuddy(m_nameEdit);

    m_createButton->setIcon(Icons::action(Icons::Action::CreateKey));
    m_revokeButton->setIcon(Icons::action(Icons::Action::RevokeKey));
    m_createButton->setObjectName(QStringLiteral("createKeyButton"));
    m_createButton->setAccessibleName(tr("Create key"));
    m_createButton->setToolTip(tr("Creates a key with this name and shows it once"));
    m_revokeButton->setObjectName(QStringLiteral("revokeKeyButton"));
    m_revokeButton->setAccessibleName(tr("Revoke key"));
    m_revokeButton->setToolTip(
        tr("Refuses every request that uses the selected key from now on (Delete)"));
    m_problem->setAccessibleName(tr("Problem with API keys"));

    auto *createRow = new QHBoxLayout;
    createRow->addWidget(nameLabel);
    createRow->addWidget(m_nameEdit, 1);
    createRow->addWidget(m_createButton);
    createRow->addSpacing(m_createButton->sizeHint().width() / 2);
    createRow->addWidget(m_revokeButton);
    return createRow;
}

void KeysManager::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Last-used times move with traffic, which does not go through the console's writes.
    refresh();
}

void KeysManager::refresh()
{
    if (!m_context.store) {
        setListProblem(tr("The database is not available."));
        return;
    }
    StoreExecutor *executor = m_context.store;
    executor->read(
        this, [](Store &store) { return store.config().keys(); },
        [this](Result<QList<ApiKey>> keys) {
            if (!keys) {
                setListProblem(tr("The keys cannot be listed: %1").arg(keys.error()));
                return;
            }
            setListProblem(QString());
            const int row = selectedRow();
            const QString selectedPrefix = row >= 0 ? m_model->keyAt(row).prefix : QString();
            m_model->setKeys(keys.value());
            if (const int again = m_model->rowOfPrefix(selectedPrefix); again >= 0)
                m_view->selectRow(again);
            updateButtons();
        });
}

void KeysManager::createKey()
{
    const QString name = m_nameEdit->text().trimmed();
    if (name.isEmpty()) {
        setActionProblem(tr("Give the key a name, e.g. the sender that will use it."));
        return;
    }
    if (m_busy || !m_context.store)
        return;
    m_busy = true;
    setActionProblem(QString());
    updateButtons();
    StoreExecutor *executor = m_context.store;
    executor->write(
        this, [name](Store &store) { return store.config().addKey(name); },
        [this](Result<NewApiKey> created) {
            m_busy = false;
            if (!created) {
                setActionProblem(tr("The key could not be created: %1").arg(created.error()));
            } else {
                m_nameEdit->clear();
                showNewKey(created->secret, created->key.name);
            }
            updateButtons();
        });
}

void KeysManager::revokeSelectedKey()
{
    const int row = selectedRow();
    if (row < 0 || m_busy || m_model->keyAt(row).revoked)
        return;
    const QString prefix = m_model->keyAt(row).prefix;
    Confirmation box(this, QStringLiteral("revokeConfirmation"), tr("Revoke API key"),
        tr("Revoke key %1 (%2)? Senders using it will be refused.")
            .arg(prefix, m_model->keyAt(row).name),
        tr("The key stays listed, and the history keeps showing which requests used it."));
    box.addAction(tr("Revoke"), QMessageBox::DestructiveRole, QStringLiteral("confirmRevokeButton"),
        [this, prefix] { revoke(prefix); });
    box.open();
}

void KeysManager::revoke(const QString &prefix)
{
    if (m_busy || !m_context.store)
        return;
    m_busy = true;
    setActionProblem(QString());
    updateButtons();
    StoreExecutor *executor = m_context.store;
    executor->write(
        this, [prefix](Store &store) { return store.config().revokeKey(prefix); },
        [this, prefix](const Status &status) {
            m_busy = false;
            if (!status)
                setActionProblem(tr("Key %1 could not be revoked: %2").arg(prefix, status.error()));
            updateButtons();
        });
}

// The new key, in a panel rather than a modal dialog, so it can be copied at leisure; it goes
// away for good when dismissed.
void KeysManager::showNewKey(const QString &secret, const QString &name)
{
    m_newKeyPanel->present(secret, name);
    // The panel opens below the list, often past the bottom of the page: bring it into view once
    // the layouts have made room for it.
    QTimer::singleShot(0, this, [this] {
        for (QWidget *ancestor = parentWidget(); ancestor; ancestor = ancestor->parentWidget()) {
            if (auto *scroll = qobject_cast<QScrollArea *>(ancestor)) {
                scroll->ensureWidgetVisible(m_newKeyPanel, 0, 0);
                return;
            }
        }
    });
}

void KeysManager::setListProblem(const QString &problem)
{
    m_listProblem = problem;
    showProblems();
}

void KeysManager::setActionProblem(const QString &problem)
{
    m_actionProblem = problem;
    showProblems();
}

// Both at once: the refresh that follows a failed create must not hide why it failed.
void KeysManager::showProblems()
{
    QStringList problems;
    for (const QString &problem : { m_actionProblem, m_listProblem }) {
        if (!problem.isEmpty())
            problems.append(problem);
    }
    m_problem->setProblems(problems);
}

int KeysManager::selectedRow() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void KeysManager::updateButtons()
{
    const bool available = m_context.store != nullptr && !m_busy;
    m_createButton->setEnabled(available && !m_nameEdit->text().trimmed().isEmpty());
    const int row = selectedRow();
    m_revokeButton->setEnabled(available && row >= 0 && !m_model->keyAt(row).revoked);
}

} // namespace Hooktrail
