// The API-key modal: asks for a key as the Octolis flow does and checks it against the stored
// hashes, or creates one on the spot (shown once), then shows the webhook's endpoint with the
// key integrated, ready to copy.
#include "ui/endpointdialog.h"

#include "core/base/settings.h"
#include "core/endpoint/keyrule.h"
#include "core/model/apikey.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/copyfeedback.h"
#include "ui/endpointurl.h"
#include "ui/icons.h"
#include "ui/newkeypanel.h"
#include "ui/problemlabel.h"

#include <QCheckBox>
#include <QDate>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QStackedWidget>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

namespace Hooktrail {

namespace {
// POSIX shell single quotes: everything literal, a quote itself closed, escaped and reopened.
QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}
} // namespace

EndpointDialog::EndpointDialog(
    const ConsoleContext &context, const Webhook &webhook, QWidget *parent)
    : QDialog(parent), m_context(context), m_webhook(webhook), m_pages(new QStackedWidget(this))
{
    setWindowTitle(tr("Endpoint of %1").arg(webhook.name));
    m_pages->addWidget(buildKeyPage());
    m_pages->addWidget(buildEndpointPage());

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *close = buttons->button(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("closeButton"));
    close->setAccessibleName(tr("Close"));
    close->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &EndpointDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    layout->addWidget(buttons);
    setMinimumWidth(560);

    m_keyEdit->setFocus();
    lookForKeys();
}

EndpointDialog::~EndpointDialog() = default;

QWidget *EndpointDialog::buildKeyPage()
{
    auto *page = new QWidget(this);
    auto *heading = new QLabel(tr("<b>Enter your API key</b>"), page);
    heading->setTextFormat(Qt::RichText);
    auto *intro
        = new QLabel(tr("The endpoint of “%1” is shown with your key integrated, ready to paste "
                        "into the sender. Keys are checked against the stored ones and never "
                        "saved here.")
                         .arg(m_webhook.name.toHtmlEscaped()),
            page);
    intro->setWordWrap(true);

    m_keyEdit = new QLineEdit(page);
    m_keyEdit->setObjectName(QStringLiteral("keyEdit"));
    m_keyEdit->setAccessibleName(tr("API key"));
    m_keyEdit->setToolTip(tr("The whole key, starting with htk_, as shown when it was created."));
    m_keyEdit->setPlaceholderText(QStringLiteral("htk_…"));
    m_keyEdit->setEchoMode(QLineEdit::Password);
    m_showKey = new QCheckBox(tr("Sho&w"), page);
    m_showKey->setObjectName(QStringLiteral("showKeyCheck"));
    m_showKey->setAccessibleName(tr("Show the key"));
    m_showKey->setToolTip(tr("Show the key in clear text."));
    connect(m_showKey, &QCheckBox::toggled, this, [this](bool show) {
        m_keyEdit->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password);
    });
    m_verify = new QPushButton(tr("&Verify"), page);
    m_verify->setObjectName(QStringLiteral("verifyButton"));
    m_verify->setAccessibleName(tr("Verify the key"));
    m_verify->setDefault(true);
    connect(m_verify, &QPushButton::clicked, this, &EndpointDialog::verify);
    connect(
        m_keyEdit, &QLineEdit::textEdited, this, [this] { m_keyProblem->setProblem(QString()); });

    auto *keyLabel = new QLabel(tr("API &key:"), page);
    keyLabel->setBuddy(m_keyEdit);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(keyLabel);
    keyRow->addWidget(m_keyEdit, 1);
    keyRow->addWidget(m_showKey);
    keyRow->addWidget(m_verify);
    m_keyProblem = new ProblemLabel(QStringLiteral("keyProblem"), page);

    buildCreateKeyBox(page);

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(heading);
    layout->addWidget(intro);
    layout->addLayout(keyRow);
    layout->addWidget(m_keyProblem);
    layout->addWidget(m_createBox);
    layout->addStretch();
    setTabOrder(m_keyEdit, m_showKey);
    setTabOrder(m_showKey, m_verify);
    setTabOrder(m_verify, m_keyName);
    setTabOrder(m_keyName, m_createKey);
    // Enter does what the field being typed in is for: Verify beside the key, Create key beside
    // the new key's name (eventFilter()).
    m_keyName->installEventFilter(this);
    m_keyEdit->installEventFilter(this);
    return page;
}

// Always offered, right below the key field: whoever just saved a webhook may have no key at
// hand, even where others exist (they are shown once, when created). lookForKeys() words the
// intro for a store with no usable key.
void EndpointDialog::buildCreateKeyBox(QWidget *parent)
{
    m_createBox = new QWidget(parent);
    m_createBox->setObjectName(QStringLiteral("createKeyBox"));
    auto *rule = new QFrame(m_createBox);
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Sunken);
    m_createIntro = new QLabel(
        tr("<b>No key at hand?</b> Create one here: it is shown once, with a Copy button, and "
           "opens every endpoint."),
        m_createBox);
    m_createIntro->setObjectName(QStringLiteral("createKeyIntro"));
    m_createIntro->setTextFormat(Qt::RichText);
    m_createIntro->setWordWrap(true);
    m_keyName = new QLineEdit(m_createBox);
    m_keyName->setObjectName(QStringLiteral("keyNameEdit"));
    m_keyName->setAccessibleName(tr("Name of the new key"));
    m_keyName->setToolTip(
        tr("Says who or what uses the key; shown in the key list and the history."));
    m_keyName->setPlaceholderText(
        tr("Console key %1").arg(QDate::currentDate().toString(Qt::ISODate)));
    m_keyName->setMaxLength(100);
    m_createKey = new QPushButton(tr("&Create key"), m_createBox);
    m_createKey->setIcon(Icons::action(Icons::Action::CreateKey));
    m_createKey->setObjectName(QStringLiteral("createKeyButton"));
    m_createKey->setAccessibleName(tr("Create an API key"));
    m_createKey->setToolTip(tr("Creates a key with this name and shows it once, with the "
                               "endpoint that carries it"));
    m_createKey->setAutoDefault(false);
    connect(m_createKey, &QPushButton::clicked, this, &EndpointDialog::createKey);
    m_createProblem = new ProblemLabel(QStringLiteral("createKeyProblem"), m_createBox);
    auto *nameLabel = new QLabel(tr("Key &name:"), m_createBox);
    nameLabel->setBuddy(m_keyName);
    auto *createRow = new QHBoxLayout;
    createRow->addWidget(nameLabel);
    createRow->addWidget(m_keyName, 1);
    createRow->addWidget(m_createKey);
    auto *createLayout = new QVBoxLayout(m_createBox);
    createLayout->setContentsMargins(0, 0, 0, 0);
    createLayout->addWidget(rule);
    createLayout->addWidget(m_createIntro);
    createLayout->addLayout(createRow);
    createLayout->addWidget(m_createProblem);
}

QWidget *EndpointDialog::buildEndpointPage()
{
    auto *page = new QWidget(this);
    auto *intro = new QLabel(tr("Send requests for “%1” to this address. It carries your API key: "
                                "share it only with the sender.")
                                 .arg(m_webhook.name),
        page);
    intro->setWordWrap(true);
    m_newKeyPanel = new NewKeyPanel(NewKeyPanel::Dismiss::NotOffered, page);

    m_endpointEdit = new QLineEdit(page);
    m_endpointEdit->setObjectName(QStringLiteral("endpointEdit"));
    m_endpointEdit->setAccessibleName(tr("Endpoint URL"));
    m_endpointEdit->setReadOnly(true);
    auto *endpointLabel = new QLabel(tr("&Endpoint:"), page);
    endpointLabel->setBuddy(m_endpointEdit);

    m_copy = new QPushButton(tr("&Copy"), page);
    m_copy->setObjectName(QStringLiteral("copyButton"));
    m_copy->setAccessibleName(tr("Copy the endpoint with the key"));
    m_copy->setToolTip(tr("Copy the endpoint URL, key included, to the clipboard."));
    m_copyWithoutKey = new QPushButton(tr("Copy &without key"), page);
    m_copyWithoutKey->setObjectName(QStringLiteral("copyWithoutKeyButton"));
    m_copyWithoutKey->setAccessibleName(tr("Copy the endpoint without the key"));
    m_copyWithoutKey->setToolTip(tr("For senders that send the key in an X-Api-Key header."));
    m_copyWithoutKey->setAutoDefault(false);
    m_copyCurl = new QPushButton(tr("Copy as c&url"), page);
    m_copyCurl->setObjectName(QStringLiteral("copyCurlButton"));
    m_copyCurl->setAccessibleName(tr("Copy as curl command"));
    m_copyCurl->setToolTip(
        tr("A curl command that sends a sample request meeting this webhook's rules."));
    m_copyCurl->setAutoDefault(false);
    m_copy->setIcon(Icons::action(Icons::Action::Copy));
    m_copyWithoutKey->setIcon(Icons::action(Icons::Action::Copy));
    m_copyCurl->setIcon(Icons::action(Icons::Action::CopyCurl));
    connect(m_copy, &QPushButton::clicked, this, [this] {
        copy(m_copy, endpointWithKey(), tr("The endpoint with your key is on the clipboard."));
    });
    connect(m_copyWithoutKey, &QPushButton::clicked, this, [this] {
        copy(m_copyWithoutKey, endpointWithoutKey(),
            tr("The endpoint without the key is on the clipboard."));
    });
    connect(m_copyCurl, &QPushButton::clicked, this,
        [this] { copy(m_copyCurl, curlCommand(), tr("The curl command is on the clipboard.")); });
    m_copyStatus = new QLabel(page);
    m_copyStatus->setObjectName(QStringLiteral("copyStatus"));
    m_copyStatus->setAccessibleName(tr("Copy status"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    buttons->addWidget(m_copyWithoutKey);
    buttons->addWidget(m_copyCurl);
    buttons->addStretch();

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_newKeyPanel);
    layout->addWidget(intro);
    auto *row = new QHBoxLayout;
    row->addWidget(endpointLabel);
    row->addWidget(m_endpointEdit, 1);
    layout->addLayout(row);
    layout->addLayout(buttons);
    layout->addWidget(m_copyStatus);
    if (!m_webhook.enabled) {
        auto *disabled = new ProblemLabel(QStringLiteral("disabledWarning"), page);
        disabled->setProblem(
            tr("This webhook is disabled: the receiver answers 503 until it is enabled."));
        layout->addWidget(disabled);
    }
    layout->addStretch();
    return page;
}

QString EndpointDialog::endpointWithoutKey() const
{
    return Hooktrail::endpointWithoutKey(m_context, m_webhook.id);
}

QString EndpointDialog::endpointWithKey() const
{
    if (m_key.isEmpty())
        return {};
    return endpointWithoutKey() + u'?' + Endpoint::keyQuery(m_key);
}

// A request the receiver accepts as it stands: the first allowed method, every header rule
// met (any value where any value will do) and, for methods with a body, a JSON sample.
QString EndpointDialog::curlCommand() const
{
    const QString method = m_webhook.methods.value(0, QStringLiteral("POST"));
    const bool withBody = method != QLatin1String("GET") && method != QLatin1String("DELETE");
    QStringList parts { QStringLiteral("curl"), QStringLiteral("-X"), method,
        shellQuote(m_key.isEmpty() ? endpointWithoutKey() : endpointWithKey()) };
    bool contentTypeRule = false;
    for (const HeaderRule &rule : m_webhook.headerRules)
        contentTypeRule = contentTypeRule
            || rule.name.compare(QLatin1String("Content-Type"), Qt::CaseInsensitive) == 0;
    if (withBody && !contentTypeRule)
        parts << QStringLiteral("-H")
              << shellQuote(QStringLiteral("Content-Type: application/json"));
    for (const HeaderRule &rule : m_webhook.headerRules) {
        const QString value
            = rule.value == QLatin1String("*") ? QStringLiteral("test") : rule.value;
        parts << QStringLiteral("-H") << shellQuote(rule.name + QStringLiteral(": ") + value);
    }
    if (withBody)
        parts << QStringLiteral("-d") << shellQuote(QStringLiteral(R"({"hello":"world"})"));
    return parts.join(QLatin1Char(' '));
}

void EndpointDialog::lookForKeys()
{
    StoreExecutor *executor = m_context.store;
    if (!executor) {
        m_keyProblem->setProblem(tr("No database is available: API keys cannot be checked."));
        m_verify->setEnabled(false);
        return;
    }
    executor->read(
        this, [](Store &store) { return store.config().keys(); },
        [this](const Result<QList<ApiKey>> &keys) {
            if (!keys) {
                m_keyProblem->setProblem(tr("The API keys cannot be read: %1").arg(keys.error()));
                return;
            }
            const bool anyActive = std::any_of(
                keys->begin(), keys->end(), [](const ApiKey &key) { return !key.revoked; });
            if (anyActive)
                return;
            m_createIntro->setText(keys->isEmpty()
                    ? tr("There is no API key yet. Create one now; senders need it.")
                    : tr("Every API key has been revoked. Create a new one now; senders need it."));
            m_keyName->setFocus();
        });
}

void EndpointDialog::verify()
{
    const QString key = m_keyEdit->text().trimmed();
    if (key.isEmpty()) {
        m_keyProblem->setProblem(tr("Enter an API key."));
        return;
    }
    m_verify->setEnabled(false);
    m_keyProblem->setProblem(QString());
    const quint64 serial = ++m_verifySerial;
    StoreExecutor *executor = m_context.store;
    executor->read(
        this, [](Store &store) { return store.config().keys(); },
        [this, key, serial](const Result<QList<ApiKey>> &keys) {
            if (serial != m_verifySerial)
                return;
            m_verify->setEnabled(true);
            if (!keys) {
                m_keyProblem->setProblem(tr("The API keys cannot be read: %1").arg(keys.error()));
                return;
            }
            // The receiver's own comparison, so the modal accepts exactly the keys it does.
            const Endpoint::KeyMatch match = Endpoint::matchKey(key.toUtf8(), keys.value());
            const bool valid = match.valid();
            if (valid) {
                showEndpoint(key);
            } else if (match.id != 0) {
                m_keyProblem->setProblem(
                    tr("This key has been revoked: it no longer opens any endpoint. "
                       "Use another key, or create one below."));
            } else {
                m_keyProblem->setProblem(
                    tr("This key does not match any API key. Check that you copied "
                       "all of it, starting with htk_."));
            }
            if (!valid) {
                m_keyEdit->setFocus();
                m_keyEdit->selectAll();
            }
        });
}

bool EndpointDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::FocusIn && m_pages->currentIndex() == 0
        && (watched == m_keyName || watched == m_keyEdit)) {
        m_createKey->setDefault(watched == m_keyName);
        m_verify->setDefault(watched == m_keyEdit);
    }
    return QDialog::eventFilter(watched, event);
}

void EndpointDialog::createKey()
{
    QString name = m_keyName->text().trimmed();
    if (name.isEmpty())
        name = m_keyName->placeholderText();
    StoreExecutor *executor = m_context.store;
    if (!executor || !m_createKey->isEnabled())
        return;
    m_createKey->setEnabled(false);
    m_createProblem->setProblem(QString());
    executor->write(
        this, [name](Store &store) { return store.config().addKey(name); },
        [this](const Result<NewApiKey> &created) {
            if (!created) {
                m_createKey->setEnabled(true);
                m_createProblem->setProblem(
                    tr("The key could not be created: %1").arg(created.error()));
                return;
            }
            // done() comes after the executor's after-write refresh of the receiver's
            // configuration, so the endpoint shown next already opens.
            showEndpoint(created->secret);
            m_newKeyPanel->present(created->secret, created->key.name);
        });
}

void EndpointDialog::showEndpoint(const QString &key)
{
    m_key = key;
    m_endpointEdit->setText(endpointWithKey());
    m_endpointEdit->setCursorPosition(0);
    m_pages->setCurrentIndex(1);
    fitEndpoint();
    m_verify->setDefault(false);
    m_copy->setDefault(true);
    m_copy->setFocus();
}

// The whole URL in view: the field as wide as its text (the line edit's frame and its own
// margins around it), the dialog widened to match, within the screen it is on.
void EndpointDialog::fitEndpoint()
{
    // QLineEdit draws its text inside the frame, the text margins and 2 px of its own each side,
    // and wants one more pixel for the cursor.
    const QMargins margins = m_endpointEdit->textMargins();
    const int frame = style()->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, m_endpointEdit);
    const int needed = m_endpointEdit->fontMetrics().horizontalAdvance(m_endpointEdit->text())
        + 2 * frame + margins.left() + margins.right() + 2 * 2 + 1;
    // Around the field: its label, the page's and the dialog's margins (the layouts' own size
    // hints lag behind until their next pass, so they are not asked).
    QWidget *page = m_endpointEdit->parentWidget();
    int around = page->layout()->spacing() + layout()->contentsMargins().left()
        + layout()->contentsMargins().right() + page->layout()->contentsMargins().left()
        + page->layout()->contentsMargins().right();
    for (const QLabel *label : page->findChildren<QLabel *>()) {
        if (label->buddy() == m_endpointEdit)
            around += label->sizeHint().width();
    }
    const QScreen *screen = this->screen();
    const int room = screen ? screen->availableGeometry().width() * 9 / 10 : needed + around;
    m_endpointEdit->setMinimumWidth(std::min(needed, room - around));
    // Wider about the same centre, kept on the screen.
    QRect geometry = this->geometry();
    const QPoint centre = geometry.center();
    geometry.setWidth(std::max(width(), std::min(needed + around, room)));
    geometry.moveCenter(QPoint(centre.x(), geometry.center().y()));
    if (screen) {
        const QRect area = screen->availableGeometry();
        geometry.moveLeft(std::clamp(
            geometry.left(), area.left(), std::max(area.left(), area.right() - geometry.width())));
    }
    setGeometry(geometry);
}

void EndpointDialog::copy(QPushButton *button, const QString &text, const QString &feedback)
{
    CopyFeedback::copy(button, text);
    m_copyStatus->setText(feedback);
}

} // namespace Hooktrail
