// The webhook settings form (Add more / edit / duplicate): checked as the user types, saved
// through the store executor.
#include "ui/webhookformdialog.h"

#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/problemlabel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace Hooktrail {

namespace {
constexpr int NameCheckDelayMs = 250;

QLabel *fieldLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}
} // namespace

WebhookFormDialog::WebhookFormDialog(
    const ConsoleContext &context, std::optional<Webhook> existing, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_base(existing.value_or(Webhook()))
    , m_nameTimer(new QTimer(this))
{
    setWindowTitle(isEditing() ? tr("Edit webhook") : tr("Add webhook"));
    m_nameTimer->setSingleShot(true);
    m_nameTimer->setInterval(NameCheckDelayMs);
    connect(m_nameTimer, &QTimer::timeout, this, &WebhookFormDialog::checkNameUniqueness);

    buildForm();
    fill(m_base);
    validate();
    checkNameUniqueness();
}

WebhookFormDialog::~WebhookFormDialog() = default;

void WebhookFormDialog::buildForm()
{
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setAccessibleName(tr("Name"));
    m_name->setToolTip(
        tr("A name you will recognise the webhook by; unique, up to 100 characters."));
    m_name->setMaxLength(200); // longer than allowed, so the problem is named instead of cut off
    m_nameProblem = new ProblemLabel(QStringLiteral("nameProblem"), this);
    form->addRow(fieldLabel(tr("&Name:"), m_name, this), m_name);
    form->addRow(QString(), m_nameProblem);

    m_description = new QPlainTextEdit(this);
    m_description->setObjectName(QStringLiteral("descriptionEdit"));
    m_description->setAccessibleName(tr("Description"));
    m_description->setToolTip(
        tr("Optional notes: who sends to this webhook and why (up to 2,000 characters)."));
    m_description->setTabChangesFocus(true);
    m_description->setMaximumHeight(m_description->fontMetrics().lineSpacing() * 5);
    m_descriptionProblem = new ProblemLabel(QStringLiteral("descriptionProblem"), this);
    form->addRow(fieldLabel(tr("&Description:"), m_description, this), m_description);
    form->addRow(QString(), m_descriptionProblem);

    QWidget *methods = buildMethods();
    m_methodsProblem = new ProblemLabel(QStringLiteral("methodsProblem"), this);
    form->addRow(fieldLabel(tr("Allowed &methods:"), m_methods.value(QStringLiteral("POST")), this),
        methods);
    form->addRow(QString(), m_methodsProblem);

    QLayout *headersBox = buildHeadersBox();
    m_headersProblem = new ProblemLabel(QStringLiteral("headersProblem"), this);
    form->addRow(fieldLabel(tr("&Headers whitelist:"), m_headers, this), headersBox);
    form->addRow(QString(), m_headersProblem);

    m_ip = new QPlainTextEdit(this);
    m_ip->setObjectName(QStringLiteral("ipEdit"));
    m_ip->setAccessibleName(tr("IP whitelist"));
    m_ip->setToolTip(
        tr("One IPv4 or IPv6 address or CIDR range per line, e.g. 203.0.113.7 or 10.0.0.0/8. "
           "Empty: any address."));
    m_ip->setPlaceholderText(tr("Any address"));
    m_ip->setTabChangesFocus(true);
    m_ip->setMaximumHeight(m_ip->fontMetrics().lineSpacing() * 6);
    m_ipProblem = new ProblemLabel(QStringLiteral("ipProblem"), this);
    form->addRow(fieldLabel(tr("&IP whitelist:"), m_ip, this), m_ip);
    form->addRow(QString(), m_ipProblem);

    connect(m_name, &QLineEdit::textChanged, this, &WebhookFormDialog::nameEdited);
    connect(m_description, &QPlainTextEdit::textChanged, this, &WebhookFormDialog::validate);
    connect(m_ip, &QPlainTextEdit::textChanged, this, &WebhookFormDialog::validate);

    m_saveProblem = new ProblemLabel(QStringLiteral("saveProblem"), this);

    QDialogButtonBox *buttons = buildButtons();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_saveProblem);
    layout->addWidget(buttons);

    orderTabs(buttons->button(QDialogButtonBox::Cancel));
    setMinimumWidth(520);
}

QWidget *WebhookFormDialog::buildMethods()
{
    auto *methods = new QWidget(this);
    auto *methodsLayout = new QHBoxLayout(methods);
    methodsLayout->setContentsMargins(0, 0, 0, 0);
    for (const QString &method : Webhook::knownMethods()) {
        auto *box = new QCheckBox(method, methods);
        box->setObjectName(QStringLiteral("method_") + method);
        box->setAccessibleName(tr("Allow %1").arg(method));
        box->setToolTip(tr("Accept %1 requests; other methods are answered 405.").arg(method));
        connect(box, &QCheckBox::toggled, this, &WebhookFormDialog::validate);
        methodsLayout->addWidget(box);
        m_methods.insert(method, box);
    }
    methodsLayout->addStretch();
    return methods;
}

QLayout *WebhookFormDialog::buildHeadersBox()
{
    m_headers = new QTableWidget(0, 2, this);
    m_headers->setObjectName(QStringLiteral("headersTable"));
    m_headers->setAccessibleName(tr("Headers whitelist"));
    m_headers->setToolTip(
        tr("Headers every request must carry. Names match in any case; values match exactly."));
    m_headers->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_headers->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_headers->verticalHeader()->hide();
    m_headers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headers->setTabKeyNavigation(false);
    m_headers->setMinimumHeight(m_headers->fontMetrics().lineSpacing() * 6);
    connect(m_headers, &QTableWidget::itemChanged, this, &WebhookFormDialog::validate);

    m_addHeader = new QPushButton(tr("&Add header"), this);
    m_addHeader->setObjectName(QStringLiteral("addHeaderButton"));
    m_addHeader->setAccessibleName(tr("Add header rule"));
    m_addHeader->setAutoDefault(false);
    connect(m_addHeader, &QPushButton::clicked, this, [this] {
        addHeaderRow();
        const int row = m_headers->rowCount() - 1;
        m_headers->setCurrentCell(row, 0);
        m_headers->setFocus();
        m_headers->editItem(m_headers->item(row, 0));
    });
    m_removeHeader = new QPushButton(tr("&Remove header"), this);
    m_removeHeader->setObjectName(QStringLiteral("removeHeaderButton"));
    m_removeHeader->setAccessibleName(tr("Remove selected header rules"));
    m_removeHeader->setAutoDefault(false);
    m_removeHeader->setEnabled(false);
    connect(
        m_removeHeader, &QPushButton::clicked, this, &WebhookFormDialog::removeSelectedHeaderRows);
    connect(m_headers, &QTableWidget::itemSelectionChanged, this,
        [this] { m_removeHeader->setEnabled(!m_headers->selectedItems().isEmpty()); });

    auto *headerHint
        = new QLabel(tr("A value of * accepts any value, as long as the header is present. "
                        "Every rule must hold."),
            this);
    headerHint->setWordWrap(true);
    headerHint->setForegroundRole(QPalette::PlaceholderText);
    auto *headerButtons = new QHBoxLayout;
    headerButtons->addWidget(m_addHeader);
    headerButtons->addWidget(m_removeHeader);
    headerButtons->addStretch();
    auto *headersBox = new QVBoxLayout;
    headersBox->setContentsMargins(0, 0, 0, 0);
    headersBox->addWidget(m_headers);
    headersBox->addLayout(headerButtons);
    headersBox->addWidget(headerHint);
    return headersBox;
}

QDialogButtonBox *WebhookFormDialog::buildButtons()
{
    auto *buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(tr("&Save Webhook"), QDialogButtonBox::AcceptRole);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setAccessibleName(tr("Save webhook"));
    m_save->setDefault(true);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));
    cancel->setAutoDefault(false);
    connect(m_save, &QPushButton::clicked, this, &WebhookFormDialog::save);
    connect(cancel, &QPushButton::clicked, this, &WebhookFormDialog::reject);
    return buttons;
}

void WebhookFormDialog::orderTabs(QPushButton *cancel)
{
    setTabOrder(m_name, m_description);
    QWidget *previous = m_description;
    for (QCheckBox *box : qAsConst(m_methods)) {
        setTabOrder(previous, box);
        previous = box;
    }
    for (QWidget *next : { static_cast<QWidget *>(m_headers), static_cast<QWidget *>(m_addHeader),
             static_cast<QWidget *>(m_removeHeader), static_cast<QWidget *>(m_ip),
             static_cast<QWidget *>(m_save), static_cast<QWidget *>(cancel) }) {
        setTabOrder(previous, next);
        previous = next;
    }
}

void WebhookFormDialog::fill(const Webhook &webhook)
{
    const QSignalBlocker blockName(m_name);
    m_name->setText(webhook.name);
    m_description->setPlainText(webhook.description);
    for (auto it = m_methods.cbegin(); it != m_methods.cend(); ++it)
        it.value()->setChecked(webhook.methods.contains(it.key()));
    for (const HeaderRule &rule : webhook.headerRules)
        addHeaderRow(rule.name, rule.value);
    m_ip->setPlainText(webhook.ipWhitelist.join(QLatin1Char('\n')));
}

void WebhookFormDialog::addHeaderRow(const QString &name, const QString &value)
{
    const QSignalBlocker block(m_headers);
    const int row = m_headers->rowCount();
    m_headers->insertRow(row);
    m_headers->setItem(row, 0, new QTableWidgetItem(name));
    m_headers->setItem(row, 1, new QTableWidgetItem(value));
}

void WebhookFormDialog::removeSelectedHeaderRows()
{
    QList<int> rows;
    for (const QModelIndex &index : m_headers->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows)
        m_headers->removeRow(row);
    validate();
}

// Empty rows are ignored (a row just added and not filled yet); a value without a name is a
// problem validateWebhook cannot name well, so it is named here.
Webhook WebhookFormDialog::webhookFromForm(QStringList *rowProblems) const
{
    Webhook webhook = m_base;
    webhook.name = m_name->text();
    webhook.description = m_description->toPlainText();
    webhook.methods.clear();
    for (const QString &method : Webhook::knownMethods()) {
        if (m_methods.value(method)->isChecked())
            webhook.methods.append(method);
    }
    webhook.headerRules.clear();
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const QTableWidgetItem *nameItem = m_headers->item(row, 0);
        const QTableWidgetItem *valueItem = m_headers->item(row, 1);
        const QString name = nameItem ? nameItem->text().trimmed() : QString();
        const QString value = valueItem ? valueItem->text() : QString();
        if (name.isEmpty() && value.isEmpty())
            continue;
        if (name.isEmpty()) {
            if (rowProblems)
                rowProblems->append(tr("Row %1 has a value but no header name.").arg(row + 1));
            continue;
        }
        webhook.headerRules.append({ name, value });
    }
    webhook.ipWhitelist.clear();
    const QStringList lines = m_ip->toPlainText().split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (!line.trimmed().isEmpty())
            webhook.ipWhitelist.append(line.trimmed());
    }
    return webhook;
}

void WebhookFormDialog::nameEdited()
{
    m_nameTimer->start();
    validate();
}

void WebhookFormDialog::checkNameUniqueness()
{
    const QString name = m_name->text().trimmed();
    const quint64 serial = ++m_nameCheckSerial;
    if (name.isEmpty()) {
        m_checkedName = name;
        m_checkedNameTaken = false;
        m_checkError.clear();
        validate();
        return;
    }
    StoreExecutor *executor = m_context.store;
    if (!executor) {
        m_checkError = tr("No database is available.");
        validate();
        return;
    }
    executor->read(
        this,
        [name, exceptId = m_base.id](
            Store &store) { return store.config().nameTaken(name, exceptId); },
        [this, serial, name](const Result<bool> &taken) {
            if (serial != m_nameCheckSerial)
                return; // the name changed meanwhile; a newer answer is on its way
            m_checkedName = name;
            m_checkedNameTaken = taken.ok() && taken.value();
            m_checkError = taken.ok() ? QString() : taken.error();
            validate();
        });
}

void WebhookFormDialog::validate()
{
    QStringList rowProblems;
    const Webhook webhook = webhookFromForm(&rowProblems);
    QMap<QString, QStringList> problems;
    for (const FieldProblem &problem : validateWebhook(webhook))
        problems[problem.field].append(problem.message);
    problems[QStringLiteral("headersWhitelist")] += rowProblems;

    const QString name = webhook.name.trimmed();
    const bool nameChecked
        = m_checkedName == name && m_nameCheckSerial > 0 && !m_nameTimer->isActive();
    if (!name.isEmpty() && nameChecked && m_checkedNameTaken)
        problems[QStringLiteral("name")].append(
            tr("A webhook named '%1' already exists.").arg(name));

    m_nameProblem->setProblems(problems.value(QStringLiteral("name")));
    m_descriptionProblem->setProblems(problems.value(QStringLiteral("description")));
    m_methodsProblem->setProblems(problems.value(QStringLiteral("methodsWhitelist")));
    m_headersProblem->setProblems(problems.value(QStringLiteral("headersWhitelist")));
    m_ipProblem->setProblems(problems.value(QStringLiteral("ipAddressWhitelist")));
    m_saveProblem->setProblem(m_checkError.isEmpty() ? m_saveError : m_checkError);

    bool valid = true;
    for (const QStringList &list : qAsConst(problems))
        valid = valid && list.isEmpty();
    const bool ready = valid && nameChecked && m_checkError.isEmpty() && !m_saving;
    m_save->setEnabled(ready);
    m_save->setToolTip(ready     ? QString()
            : valid && !m_saving ? tr("Checking that the name is free…")
                                 : tr("Fix the problems shown above to save."));
}

// A save in flight completes either way, so closing meanwhile would report a cancel that
// did not happen.
void WebhookFormDialog::reject()
{
    if (!m_saving)
        QDialog::reject();
}

void WebhookFormDialog::save()
{
    validate();
    if (!m_save->isEnabled() || !m_context.store)
        return;
    m_saving = true;
    m_saveError.clear();
    validate();
    const Webhook webhook = webhookFromForm(nullptr);
    const bool editing = isEditing();
    StoreExecutor *executor = m_context.store;
    executor->write(
        this,
        [webhook, editing](Store &store) -> Result<Webhook> {
            if (!editing)
                return store.config().addWebhook(webhook);
            if (const Status status = store.config().updateWebhook(webhook); !status)
                return Result<Webhook>::failure(status.error());
            Result<std::optional<Webhook>> stored = store.config().webhook(webhook.id);
            if (!stored)
                return Result<Webhook>::failure(stored.error());
            if (!stored.value())
                return Result<Webhook>::failure(tr("The webhook was deleted meanwhile."));
            return *stored.value();
        },
        [this](const Result<Webhook> &saved) {
            m_saving = false;
            if (!saved) {
                m_saveError = tr("Could not save the webhook: %1").arg(saved.error());
                checkNameUniqueness(); // the usual cause: the name was taken meanwhile
                return;
            }
            m_saved = saved.value();
            accept();
        });
}

} // namespace Hooktrail
