// The webhook settings form (Add more / edit / duplicate): checked as the user types, each
// problem shown once its field was changed or left, or Save was tried; saved through the store
// executor.
#include "ui/webhookformdialog.h"
#include "ui/authenticationsection.h"
#include "ui/destinationsection.h"

#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/copyfeedback.h"
#include "ui/endpointurl.h"
#include "ui/headertableeditor.h"
#include "ui/icons.h"
#include "ui/problemlabel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFocusEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace Hooktrail {

using namespace Qt::StringLiterals;

namespace {
constexpr int NameCheckDelayMs = 250;
// Around a read-only field's text: its frame, margins and cursor.
constexpr int IdentityPadding = 24;
constexpr int IdentityMaximumWidth = 640;

QLabel *fieldLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}

// A problem line keeps its room while empty, so nothing below it moves when one appears: one
// line for short messages, two where several or long ones are usual.
ProblemLabel *problemLine(const QString &objectName, int lines, QWidget *parent)
{
    auto *label = new ProblemLabel(objectName, parent);
    label->reserveLines(lines);
    return label;
}

// As tall as what it holds, up to the screen's room less the dialog's frame and buttons; past
// that it scrolls. Wide enough that only the vertical bar ever shows.
class FittingScrollArea final : public QScrollArea
{
public:
    explicit FittingScrollArea(QWidget *parent) : QScrollArea(parent)
    {
        setWidgetResizable(true);
        setFrameShape(QFrame::NoFrame);
        setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    }
    QSize sizeHint() const override
    {
        if (!widget())
            return QScrollArea::sizeHint();
        const QSize content = widget()->sizeHint();
        const QScreen *screen = this->screen();
        const int room
            = screen ? screen->availableGeometry().height() - ReservedHeight : content.height();
        const int bar = verticalScrollBar()->sizeHint().width();
        return { content.width() + bar, std::max(200, std::min(content.height(), room)) };
    }
    QSize minimumSizeHint() const override
    {
        return { widget() ? widget()->minimumSizeHint().width() : 0, 200 };
    }

private:
    static constexpr int ReservedHeight = 160; // title bar, problem line, buttons, margins
};

const QString NameField = QStringLiteral("name");
const QString DescriptionField = QStringLiteral("description");
const QString MethodsField = QStringLiteral("methodsWhitelist");
const QString HeadersField = QStringLiteral("headersWhitelist");
const QString IpField = QStringLiteral("ipAddressWhitelist");
const QString ResponseField = QStringLiteral("response");
// The authentication section's fields are touched together: one edit there shows them all.
const QStringList AuthenticationFields { QStringLiteral("secrets"), QStringLiteral("tolerance"),
    QStringLiteral("hmac"), QStringLiteral("verification") };
} // namespace

WebhookFormDialog::WebhookFormDialog(
    const ConsoleContext &context, std::optional<Webhook> existing, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_base(existing.value_or(Webhook()))
    , m_nameTimer(new QTimer(this))
{
    const bool duplicating = existing.has_value() && !isEditing();
    setWindowTitle(isEditing() ? tr("Edit webhook")
            : duplicating      ? tr("Duplicate webhook")
                               : tr("Add webhook"));
    m_nameTimer->setSingleShot(true);
    m_nameTimer->setInterval(NameCheckDelayMs);
    connect(m_nameTimer, &QTimer::timeout, this, &WebhookFormDialog::checkNameUniqueness);

    buildForm();
    fill(m_base);
    validate();
    checkNameUniqueness();
    m_name->setFocus();
}

WebhookFormDialog::~WebhookFormDialog() = default;

void WebhookFormDialog::buildForm()
{
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    if (isEditing())
        buildIdentityRows(form);

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setAccessibleName(tr("Name"));
    m_name->setToolTip(
        tr("A name you will recognise the webhook by; unique, up to 100 characters."));
    m_name->setMaxLength(200); // longer than allowed, so the problem is named instead of cut off
    m_nameProblem = problemLine(QStringLiteral("nameProblem"), 1, this);
    form->addRow(fieldLabel(tr("&Name:"), m_name, this), m_name);
    form->addRow(QString(), m_nameProblem);

    m_description = new QPlainTextEdit(this);
    m_description->setObjectName(QStringLiteral("descriptionEdit"));
    m_description->setAccessibleName(tr("Description"));
    m_description->setToolTip(
        tr("Optional notes: who sends to this webhook and why (up to 2,000 characters)."));
    m_description->setTabChangesFocus(true);
    m_description->setMaximumHeight(m_description->fontMetrics().lineSpacing() * 5);
    m_descriptionProblem = problemLine(QStringLiteral("descriptionProblem"), 1, this);
    form->addRow(fieldLabel(tr("&Description:"), m_description, this), m_description);
    form->addRow(QString(), m_descriptionProblem);

    QWidget *methods = buildMethods();
    m_methodsProblem = problemLine(QStringLiteral("methodsProblem"), 1, this);
    form->addRow(fieldLabel(tr("Allowed &methods:"), m_methods.value(QStringLiteral("POST")), this),
        methods);
    form->addRow(QString(), m_methodsProblem);

    QLayout *headersBox = buildHeadersBox();
    m_headersProblem = problemLine(QStringLiteral("headersProblem"), 2, this);
    form->addRow(fieldLabel(tr("Required &headers:"), m_headers, this), headersBox);
    form->addRow(QString(), m_headersProblem);

    m_ip = new QPlainTextEdit(this);
    m_ip->setObjectName(QStringLiteral("ipEdit"));
    m_ip->setAccessibleName(tr("Allowed IP addresses"));
    m_ip->setToolTip(
        tr("Only requests from these addresses are accepted; others are answered 403. One IPv4 "
           "or IPv6 address or CIDR range per line, e.g. 203.0.113.7 or 10.0.0.0/8. Empty: any "
           "address."));
    m_ip->setPlaceholderText(
        tr("e.g. 203.0.113.7 or 10.0.0.0/8, one per line; empty: any address"));
    m_ip->setTabChangesFocus(true);
    m_ip->setMaximumHeight(m_ip->fontMetrics().lineSpacing() * 6);
    m_ipProblem = problemLine(QStringLiteral("ipProblem"), 2, this);
    form->addRow(fieldLabel(tr("Allowed &IP addresses:"), m_ip, this), m_ip);
    form->addRow(QString(), m_ipProblem);

    buildContentOption();
    form->addRow(QString(), m_anyContentType);

    // What the sender proves and what it is answered (ARCHITECTURE §5.6): one row each until a
    // signature or an answer of its own is chosen.
    m_authentication = new AuthenticationSection(this);
    form->addRow(m_authentication);
    m_response = new ResponseSection(this);
    form->addRow(m_response);
    connect(m_authentication, &AuthenticationSection::edited, this, [this] {
        for (const QString &field : AuthenticationFields)
            m_touched.insert(field);
        validate();
    });
    connect(m_response, &ResponseSection::edited, this, [this] { touch(ResponseField); });

    // fill() blocks these while it sets the fields: only the user's changes touch a field.
    connect(m_name, &QLineEdit::textChanged, this, &WebhookFormDialog::nameEdited);
    connect(m_description, &QPlainTextEdit::textChanged, this, [this] { touch(DescriptionField); });
    connect(m_ip, &QPlainTextEdit::textChanged, this, [this] { touch(IpField); });
    for (QWidget *field : { static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_description),
             static_cast<QWidget *>(m_ip) })
        field->installEventFilter(this);

    m_saveProblem = problemLine(QStringLiteral("saveProblem"), 2, this);

    QDialogButtonBox *buttons = buildButtons();

    auto *layout = new QVBoxLayout(this);
    // The form has no enabled switch (the list has one): a copy of a disabled webhook says here
    // that it starts disabled too, before Save makes it.
    if (!isEditing() && !m_base.enabled) {
        auto *state = new QLabel(tr("This copy starts disabled, like the webhook it copies: its "
                                    "requests are answered 503 until you enable it in the list."),
            this);
        state->setObjectName(QStringLiteral("copyStateLabel"));
        state->setWordWrap(true);
        layout->addWidget(state);
    }
    // The fields scroll when the form is taller than the screen (a signature, an answer and
    // destinations all open); the problem line and the buttons stay in view below them.
    auto *fields = new QWidget;
    auto *fieldsLayout = new QVBoxLayout(fields);
    fieldsLayout->setContentsMargins(0, 0, 0, 0);
    fieldsLayout->addLayout(form);
    // Destinations apply at once, through the store: a new webhook gets them once saved.
    m_destinations = new DestinationSection(m_context, DestinationSection::Mode::Editable, fields);
    m_destinations->setWebhook(m_base.id);
    fieldsLayout->addWidget(m_destinations);
    fieldsLayout->addStretch();
    auto *scroll = new FittingScrollArea(this);
    scroll->setObjectName(QStringLiteral("formScrollArea"));
    scroll->setWidget(fields);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_saveProblem);
    layout->addWidget(buttons);

    orderTabs(buttons->button(QDialogButtonBox::Cancel));
    setMinimumWidth(520);
}

// What never changes while editing, for the user to copy into a sender's configuration: the id
// and the endpoint (without key). A webhook being added has neither yet.
void WebhookFormDialog::buildIdentityRows(QFormLayout *form)
{
    const auto readOnlyRow = [this, form](const QString &label, const QString &text,
                                 const QString &name, const QString &accessibleName,
                                 const QString &copyText, const QString &copyToolTip) {
        auto *edit = new QLineEdit(text, this);
        edit->setObjectName(name + QStringLiteral("Edit"));
        edit->setAccessibleName(accessibleName);
        edit->setReadOnly(true);
        edit->setCursorPosition(0);
        // The whole text in view (an endpoint is wider than the form's fields), within reason.
        edit->setMinimumWidth(std::min(
            edit->fontMetrics().horizontalAdvance(text) + IdentityPadding, IdentityMaximumWidth));
        auto *copy = new QPushButton(Icons::action(Icons::Action::Copy), copyText, this);
        copy->setObjectName(name + QStringLiteral("CopyButton"));
        copy->setToolTip(copyToolTip);
        copy->setAutoDefault(false);
        connect(
            copy, &QPushButton::clicked, this, [copy, text] { CopyFeedback::copy(copy, text); });
        auto *row = new QHBoxLayout;
        row->addWidget(edit, 1);
        row->addWidget(copy);
        form->addRow(fieldLabel(label, edit, this), row);
        m_identityFields.append({ edit, copy });
    };
    readOnlyRow(tr("Id:"), m_base.id, QStringLiteral("formId"), tr("Webhook id"), tr("Copy"),
        tr("Copy the webhook's id to the clipboard"));
    readOnlyRow(tr("Endpoint:"), endpointWithoutKey(m_context, m_base.id),
        QStringLiteral("formEndpoint"), tr("Endpoint URL without key"), tr("Cop&y"),
        tr("Copy the endpoint URL, without key, to the clipboard"));
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
        connect(box, &QCheckBox::toggled, this, [this] { touch(MethodsField); });
        methodsLayout->addWidget(box);
        m_methods.insert(method, box);
    }
    methodsLayout->addStretch();
    return methods;
}

QLayout *WebhookFormDialog::buildHeadersBox()
{
    m_headerEditor = new HeaderTableEditor(this);
    m_headers = m_headerEditor->table();
    m_headers->setAccessibleName(tr("Required headers"));
    m_headers->setToolTip(
        tr("Headers every request must carry, or it is answered 403. Names match in any case; "
           "values match exactly."));
    m_headers->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_headers->setMinimumHeight(m_headers->fontMetrics().lineSpacing() * 6);
    m_headerEditor->addButton()->setAccessibleName(tr("Add header rule"));
    m_headerEditor->removeButton()->setAccessibleName(tr("Remove selected header rules"));
    connect(m_headerEditor, &HeaderTableEditor::edited, this, [this] { touch(HeadersField); });

    auto *headerHint
        = new QLabel(tr("A value of * accepts any value, as long as the header is present. "
                        "Every rule must hold."),
            this);
    headerHint->setWordWrap(true);
    headerHint->setForegroundRole(QPalette::PlaceholderText);
    auto *headersBox = new QVBoxLayout;
    headersBox->setContentsMargins(0, 0, 0, 0);
    headersBox->addWidget(m_headerEditor);
    headersBox->addWidget(headerHint);
    return headersBox;
}

// Off by default: the endpoint contract's content checks (ARCHITECTURE §5.2, checks 9-10).
void WebhookFormDialog::buildContentOption()
{
    m_anyContentType
        = new QCheckBox(tr("Accept any content &type, without checking the body"), this);
    m_anyContentType->setObjectName(QStringLiteral("anyContentTypeCheck"));
    m_anyContentType->setAccessibleName(tr("Accept any content type"));
    m_anyContentType->setToolTip(
        tr("Off (the default): only JSON, XML and form bodies are accepted, and JSON and XML "
           "must be well-formed; other bodies are answered 415, malformed ones 400.\n"
           "On: a body of any content type, or without one, is accepted and logged exactly as "
           "sent, with no check of its content; for testing senders of text or binary "
           "bodies."));
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
    // A click leaves the focus in the field: it is Save that shows every problem, not the
    // field losing the focus under the pointer (which would disable Save before the release),
    // and Cancel does not flash one as the dialog closes.
    m_save->setFocusPolicy(Qt::TabFocus);
    cancel->setFocusPolicy(Qt::TabFocus);
    connect(m_save, &QPushButton::clicked, this, &WebhookFormDialog::save);
    connect(cancel, &QPushButton::clicked, this, &WebhookFormDialog::reject);
    return buttons;
}

void WebhookFormDialog::orderTabs(QPushButton *cancel)
{
    // Top to bottom; the focus still starts in the name (the constructor puts it there).
    QWidget *first = nullptr;
    for (const QPair<QWidget *, QWidget *> &field : qAsConst(m_identityFields)) {
        for (QWidget *widget : { field.first, field.second }) {
            if (first)
                setTabOrder(first, widget);
            first = widget;
        }
    }
    if (first)
        setTabOrder(first, m_name);
    setTabOrder(m_name, m_description);
    QWidget *previous = m_description;
    for (QCheckBox *box : qAsConst(m_methods)) {
        setTabOrder(previous, box);
        previous = box;
    }
    for (QWidget *next :
        { static_cast<QWidget *>(m_headers), static_cast<QWidget *>(m_headerEditor->addButton()),
            static_cast<QWidget *>(m_headerEditor->removeButton()), static_cast<QWidget *>(m_ip),
            static_cast<QWidget *>(m_anyContentType) }) {
        setTabOrder(previous, next);
        previous = next;
    }
    for (QWidget *next : m_authentication->tabOrder() + m_response->tabOrder()
            + QList<QWidget *> { m_save, cancel }) {
        setTabOrder(previous, next);
        previous = next;
    }
}

void WebhookFormDialog::fill(const Webhook &webhook)
{
    const QSignalBlocker blockName(m_name);
    const QSignalBlocker blockDescription(m_description);
    const QSignalBlocker blockIp(m_ip);
    m_name->setText(webhook.name);
    m_description->setPlainText(webhook.description);
    for (auto it = m_methods.cbegin(); it != m_methods.cend(); ++it) {
        const QSignalBlocker blockMethod(it.value());
        it.value()->setChecked(webhook.methods.contains(it.key()));
    }
    for (const HeaderRule &rule : webhook.headerRules)
        m_headerEditor->addHeader(rule.name, rule.value);
    m_ip->setPlainText(webhook.ipWhitelist.join(QLatin1Char('\n')));
    m_anyContentType->setChecked(webhook.acceptAnyContentType);
    m_authentication->fill(webhook);
    m_response->fill(webhook);
}

void WebhookFormDialog::touch(const QString &field)
{
    m_touched.insert(field);
    validate();
}

// Leaving a field shows what is wrong with it; the window losing the focus is not leaving.
bool WebhookFormDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::FocusOut) {
        const Qt::FocusReason reason = static_cast<QFocusEvent *>(event)->reason();
        if (reason != Qt::ActiveWindowFocusReason && reason != Qt::PopupFocusReason
            && reason != Qt::MenuBarFocusReason) {
            if (watched == m_name)
                touch(NameField);
            else if (watched == m_description)
                touch(DescriptionField);
            else if (watched == m_ip)
                touch(IpField);
        }
    }
    return QDialog::eventFilter(watched, event);
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
    webhook.acceptAnyContentType = m_anyContentType->isChecked();
    m_authentication->apply(webhook);
    m_response->apply(webhook);
    return webhook;
}

void WebhookFormDialog::nameEdited()
{
    m_nameTimer->start();
    touch(NameField);
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

bool WebhookFormDialog::nameChecked() const
{
    return m_checkedName == m_name->text().trimmed() && m_nameCheckSerial > 0
        && !m_nameTimer->isActive();
}

// Every problem of the form as it is, by field, shown or not.
QMap<QString, QStringList> WebhookFormDialog::problems() const
{
    QStringList rowProblems;
    const Webhook webhook = webhookFromForm(&rowProblems);
    QMap<QString, QStringList> problems;
    for (const FieldProblem &problem : validateWebhook(webhook))
        problems[problem.field].append(problem.message);
    problems[HeadersField] += rowProblems;
    const QString name = webhook.name.trimmed();
    if (!name.isEmpty() && nameChecked() && m_checkedNameTaken)
        problems[NameField].append(tr("A webhook named '%1' already exists.").arg(name));
    return problems;
}

void WebhookFormDialog::validate()
{
    const QMap<QString, QStringList> problems = this->problems();
    // Only what the user has been at shows, and only what shows holds Save back: Save on a
    // form with untouched problems shows them all.
    const auto shown = [&](const QString &field) {
        return m_triedSave || m_touched.contains(field) ? problems.value(field) : QStringList();
    };
    m_nameProblem->setProblems(shown(NameField));
    m_descriptionProblem->setProblems(shown(DescriptionField));
    m_methodsProblem->setProblems(shown(MethodsField));
    m_headersProblem->setProblems(shown(HeadersField));
    m_ipProblem->setProblems(shown(IpField));
    QStringList authentication;
    for (const QString &field : AuthenticationFields)
        authentication += shown(field);
    m_authentication->setProblems(authentication);
    m_response->setProblems(shown(ResponseField));
    m_saveProblem->setProblem(m_checkError.isEmpty() ? m_saveError : m_checkError);

    bool problemShown = false;
    for (auto it = problems.cbegin(); it != problems.cend(); ++it)
        problemShown = problemShown || !shown(it.key()).isEmpty();
    const bool checking = !m_name->text().trimmed().isEmpty() && !nameChecked();
    const bool ready = !problemShown && !checking && m_checkError.isEmpty() && !m_saving;
    m_save->setEnabled(ready);
    m_save->setToolTip(ready ? QString()
            : problemShown   ? tr("Fix the problems shown above to save.")
            : checking       ? tr("Checking that the name is free…")
                             : QString());
}

void WebhookFormDialog::focusFirstProblem()
{
    const QList<std::pair<QString, QWidget *>> fields { { NameField, m_name },
        { DescriptionField, m_description }, { MethodsField, m_methods.value(u"POST"_s) },
        { HeadersField, m_headers }, { IpField, m_ip },
        { AuthenticationFields.at(0), m_authentication->firstField() },
        { AuthenticationFields.at(1), m_authentication->firstField() },
        { AuthenticationFields.at(2), m_authentication->firstField() },
        { AuthenticationFields.at(3), m_authentication->firstField() },
        { ResponseField, m_response->firstField() } };
    const QMap<QString, QStringList> problems = this->problems();
    for (const auto &[field, widget] : fields) {
        if (!problems.value(field).isEmpty()) {
            widget->setFocus(Qt::OtherFocusReason);
            return;
        }
    }
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
    m_triedSave = true;
    validate();
    if (!m_save->isEnabled() || !m_context.store) {
        focusFirstProblem();
        return;
    }
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
