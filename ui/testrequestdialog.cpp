// Send test request: a request built from the webhook's rules, sent through the real
// receiver over the network, with the response shown as the sender would see it.
#include "ui/testrequestdialog.h"
#include "ui/endpointurl.h"

#include "core/base/settings.h"
#include "core/endpoint/keyrule.h"
#include "core/http/httpclient.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "ui/headertableeditor.h"
#include "ui/requestsender.h"
#include "ui/verifiedkeys.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace Hooktrail {

namespace {
constexpr int TransferTimeoutMs = 15000;
const QString AnyValueSample = QStringLiteral("test");
} // namespace

TestRequestDialog::TestRequestDialog(
    const ConsoleContext &context, const Webhook &webhook, QWidget *parent)
    : QDialog(parent), m_context(context), m_webhook(webhook)
{
    setWindowTitle(tr("Send test request to %1").arg(webhook.name));

    auto *intro
        = new QLabel(tr("Sends a request to %1 through the running receiver. It is checked like "
                        "any other and appears in the History.")
                         .arg(targetUrl()),
            this);
    intro->setWordWrap(true);
    intro->setTextInteractionFlags(Qt::TextSelectableByMouse);

    QFormLayout *form = buildForm();
    m_sender = new RequestSender(this);
    m_sender->setTransferTimeout(TransferTimeoutMs);
    connect(m_sender, &RequestSender::sendingChanged, this,
        [this](bool sending) { m_send->setEnabled(!sending); });
    connect(m_sender, &RequestSender::answered, this, &TestRequestDialog::showOutcome);
    connect(m_sender, &RequestSender::openRequest, this, [this](qint64 id) {
        emit openRequest(id);
        accept(); // the request opens in the History, behind this dialog
    });
    buildOutcome();
    QDialogButtonBox *buttons = buildButtons();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_sender, 1);
    layout->addWidget(m_answer);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

TestRequestDialog::~TestRequestDialog() = default;

QFormLayout *TestRequestDialog::buildForm()
{
    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("methodCombo"));
    m_method->setAccessibleName(tr("Method"));
    m_method->addItems(
        m_webhook.methods.isEmpty() ? QStringList { QStringLiteral("POST") } : m_webhook.methods);

    buildHeaders();
    QHBoxLayout *keyRow = buildKeyRow();

    m_body = new QPlainTextEdit(this);
    m_body->setObjectName(QStringLiteral("bodyEdit"));
    m_body->setAccessibleName(tr("Body"));
    m_body->setToolTip(tr("The request body, sent as typed."));
    m_body->setTabChangesFocus(true);
    m_body->setPlainText(QStringLiteral("{\n  \"hello\": \"world\"\n}\n"));

    auto *form = new QFormLayout;
    auto *methodLabel = new QLabel(tr("&Method:"), this);
    methodLabel->setBuddy(m_method);
    form->addRow(methodLabel, m_method);
    auto *headersLabel = new QLabel(tr("&Headers:"), this);
    headersLabel->setBuddy(m_headers->table());
    form->addRow(headersLabel, m_headers);
    auto *keyLabel = new QLabel(tr("API &key:"), this);
    keyLabel->setBuddy(m_keyEdit);
    form->addRow(keyLabel, keyRow);
    auto *bodyLabel = new QLabel(tr("&Body:"), this);
    bodyLabel->setBuddy(m_body);
    form->addRow(bodyLabel, m_body);
    return form;
}

void TestRequestDialog::buildHeaders()
{
    m_headers = new HeaderTableEditor(this);
    m_headers->table()->setToolTip(
        tr("Filled from the webhook's header rules; change them to see a rejection."));
    bool contentTypeRule = false;
    for (const HeaderRule &rule : m_webhook.headerRules) {
        m_headers->addHeader(
            rule.name, rule.value == QLatin1String("*") ? AnyValueSample : rule.value);
        contentTypeRule = contentTypeRule
            || rule.name.compare(QLatin1String("Content-Type"), Qt::CaseInsensitive) == 0;
    }
    if (!contentTypeRule)
        m_headers->addHeader(QStringLiteral("Content-Type"), QStringLiteral("application/json"));
}

QHBoxLayout *TestRequestDialog::buildKeyRow()
{
    m_keyEdit = new QLineEdit(this);
    m_keyEdit->setObjectName(QStringLiteral("keyEdit"));
    m_keyEdit->setAccessibleName(tr("API key"));
    m_keyEdit->setToolTip(
        tr("Sent as the api-key query parameter; leave empty to see the request refused."));
    m_keyEdit->setPlaceholderText(QStringLiteral("htk_…"));
    m_keyEdit->setEchoMode(QLineEdit::Password);
    if (m_context.verifiedKeys) {
        m_keyEdit->setText(m_context.verifiedKeys->latest(m_webhook.id));
        if (!m_keyEdit->text().isEmpty())
            m_keyEdit->setToolTip(m_keyEdit->toolTip() + u' '
                + tr("Filled with the key the receiver accepted earlier in this run."));
    }
    auto *showKey = new QCheckBox(tr("Sho&w"), this);
    showKey->setObjectName(QStringLiteral("showKeyCheck"));
    showKey->setAccessibleName(tr("Show the key"));
    connect(showKey, &QCheckBox::toggled, this, [this](bool show) {
        m_keyEdit->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password);
    });
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_keyEdit, 1);
    keyRow->addWidget(showKey);
    return keyRow;
}

void TestRequestDialog::buildOutcome()
{
    m_answer = new QLabel(this);
    m_answer->setObjectName(QStringLiteral("answerLabel"));
    m_answer->setAccessibleName(tr("Outcome"));
    m_answer->setWordWrap(true);
    m_answer->setTextFormat(Qt::PlainText);
    m_answer->setTextInteractionFlags(Qt::TextSelectableByMouse);
}

QDialogButtonBox *TestRequestDialog::buildButtons()
{
    auto *buttons = new QDialogButtonBox(this);
    m_send = buttons->addButton(tr("&Send"), QDialogButtonBox::ActionRole);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setAccessibleName(tr("Send the test request"));
    m_send->setDefault(true);
    connect(m_send, &QPushButton::clicked, this, &TestRequestDialog::send);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("closeButton"));
    close->setAccessibleName(tr("Close"));
    close->setAutoDefault(false);
    connect(close, &QPushButton::clicked, this, &TestRequestDialog::reject);
    return buttons;
}

QString TestRequestDialog::targetUrl() const
{
    return endpointWithoutKey(m_context, m_webhook.id);
}

void TestRequestDialog::send()
{
    if (m_sender->isSending())
        return;
    OutgoingRequest request;
    request.url = QUrl(targetUrl());
    m_sentKey = m_keyEdit->text().trimmed();
    if (!m_sentKey.isEmpty())
        request.url.setQuery(Endpoint::keyQuery(m_sentKey));
    request.method = m_method->currentText().toLatin1();
    for (const auto &[name, value] : m_headers->headers())
        request.headers.append({ name.toLatin1(), value.toUtf8() });
    request.body = m_body->toPlainText().toUtf8();
    request.extraAuthorities = ownAuthorities(m_context);
    if (const QString problem = HttpClient::problem(request); !problem.isEmpty()) {
        m_answer->setText(tr("Not sent: %1").arg(problem));
        m_sender->showLogged(-1);
        return;
    }
    // The response view says it is on its way; what the receiver made of it follows.
    m_answer->clear();
    m_sender->send(request);
}

void TestRequestDialog::showOutcome(int code)
{
    const RequestSender::Answer &answer = m_sender->answer();
    if (code == 0) {
        // No HTTP response at all: nothing listens there, or the connection broke.
        const Receiver *receiver = m_context.engine->receiver();
        const QString where = answer.url.toString(QUrl::RemoveQuery);
        if (receiver && receiver->isListening())
            m_answer->setText(tr("No response from %1: %2.").arg(where, answer.error));
        else
            m_answer->setText(tr(
                "No response from %1: %2. The receiver is not running; check the port in Settings.")
                                  .arg(where, answer.error));
        return;
    }
    // The status line says what the receiver made of it; this line only what it could not say.
    const QJsonObject json = QJsonDocument::fromJson(answer.body).object();
    const QString reason = json.value(QStringLiteral("reason")).toString();
    if (RequestSender::receiverVerdict(answer.body).isEmpty())
        m_answer->setText(tr("HTTP %1 %2 (not a response from Hooktrail's receiver)")
                              .arg(code)
                              .arg(answer.reason));
    const QJsonValue requestId = json.value(QStringLiteral("requestId"));
    m_sender->showLogged(requestId.isDouble() ? requestId.toInteger() : 0);
    if (m_context.verifiedKeys && !m_sentKey.isEmpty() && VerifiedKeys::provesKey(reason))
        m_context.verifiedKeys->remember(m_webhook.id, m_sentKey);
}

} // namespace Hooktrail
