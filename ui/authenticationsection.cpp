// The webhook form's Authentication and Response sections (ARCHITECTURE §5.6).
#include "ui/authenticationsection.h"

#include "core/verification/signature.h"
#include "ui/headertableeditor.h"
#include "ui/problemlabel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Hooktrail {

namespace {

QLabel *buddyLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}

QFormLayout *plainForm(QWidget *parent)
{
    auto *form = new QFormLayout(parent);
    form->setContentsMargins(0, 0, 0, 0);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    return form;
}

// What the sender puts where, as each provider documents it.
QString presetHint(SignaturePreset preset)
{
    switch (preset) {
    case SignaturePreset::GitHub:
        return AuthenticationSection::tr(
            "X-Hub-Signature-256: sha256= and the hex HMAC-SHA256 of the body, with the "
            "webhook's secret.");
    case SignaturePreset::Stripe:
        return AuthenticationSection::tr(
            "Stripe-Signature: t=<time>,v1=<hex HMAC-SHA256 of \"<time>.<body>\">, with the "
            "endpoint's signing secret (whsec_…).");
    case SignaturePreset::Shopify:
        return AuthenticationSection::tr(
            "X-Shopify-Hmac-Sha256: the base64 HMAC-SHA256 of the body, with the app's client "
            "secret.");
    case SignaturePreset::Slack:
        return AuthenticationSection::tr(
            "X-Slack-Signature: v0= and the hex HMAC-SHA256 of \"v0:<timestamp>:<body>\", with "
            "X-Slack-Request-Timestamp, and the app's signing secret.");
    case SignaturePreset::Standard:
        return AuthenticationSection::tr(
            "webhook-id, webhook-timestamp and webhook-signature (v1,<base64>), or the same "
            "svix- headers, over \"<id>.<timestamp>.<body>\"; the secret starts with whsec_.");
    case SignaturePreset::Hmac:
        break;
    }
    return AuthenticationSection::tr(
        "A header of your choosing holds the prefix and the HMAC of the body, or of a payload "
        "made of a timestamp header and the body.");
}

} // namespace

AuthenticationSection::AuthenticationSection(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("authenticationSection"));
    auto *form = plainForm(this);

    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("authModeCombo"));
    m_mode->setAccessibleName(tr("Authentication"));
    m_mode->addItem(tr("API key (the Octolis contract)"), int(AuthMode::Key));
    m_mode->addItem(tr("Signature"), int(AuthMode::Signature));
    m_mode->addItem(tr("API key and signature"), int(AuthMode::KeyAndSignature));
    m_mode->setToolTip(tr("What a sender proves: the API key in the URL or the X-Api-Key "
                          "header, a provider's signature over the body, or both. A request "
                          "without it is answered 401."));
    form->addRow(buddyLabel(tr("A&uthentication:"), m_mode, this), m_mode);

    m_details = new QWidget(this);
    auto *details = plainForm(m_details);
    m_preset = new QComboBox(m_details);
    m_preset->setObjectName(QStringLiteral("signaturePresetCombo"));
    m_preset->setAccessibleName(tr("Signature scheme"));
    for (const SignaturePreset preset : allPresets())
        m_preset->addItem(preset == SignaturePreset::Standard ? tr("Standard Webhooks / Svix")
                : preset == SignaturePreset::Hmac             ? tr("Generic HMAC")
                                                              : presetTitle(preset),
            int(preset));
    details->addRow(buddyLabel(tr("Sig&ned as:"), m_preset, m_details), m_preset);
    m_hint = new QLabel(m_details);
    m_hint->setObjectName(QStringLiteral("signatureHint"));
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    details->addRow(QString(), m_hint);

    m_secretList = new QListWidget(m_details);
    m_secretList->setObjectName(QStringLiteral("secretList"));
    m_secretList->setAccessibleName(tr("Secrets"));
    m_secretList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_secretList->setMaximumHeight(m_secretList->fontMetrics().lineSpacing() * 4);
    m_secretList->setToolTip(tr("Any one of these verifies a request, so a rotation keeps both "
                                "the old and the new secret for a while. A secret is never "
                                "shown again once added."));
    m_secretEdit = new QLineEdit(m_details);
    m_secretEdit->setObjectName(QStringLiteral("secretEdit"));
    m_secretEdit->setAccessibleName(tr("New secret"));
    m_secretEdit->setEchoMode(QLineEdit::Password);
    m_secretEdit->setPlaceholderText(tr("Paste the secret the sender signs with"));
    m_addSecret = new QPushButton(tr("Add s&ecret"), m_details);
    m_addSecret->setObjectName(QStringLiteral("addSecretButton"));
    m_addSecret->setAutoDefault(false);
    m_addSecret->setEnabled(false);
    m_removeSecret = new QPushButton(tr("Remove"), m_details);
    m_removeSecret->setObjectName(QStringLiteral("removeSecretButton"));
    m_removeSecret->setAccessibleName(tr("Remove the selected secrets"));
    m_removeSecret->setAutoDefault(false);
    m_removeSecret->setEnabled(false);
    auto *entry = new QHBoxLayout;
    entry->addWidget(m_secretEdit, 1);
    entry->addWidget(m_addSecret);
    entry->addWidget(m_removeSecret);
    auto *secrets = new QVBoxLayout;
    secrets->addWidget(m_secretList);
    secrets->addLayout(entry);
    details->addRow(buddyLabel(tr("Secre&ts:"), m_secretEdit, m_details), secrets);

    m_tolerance = new QSpinBox(m_details);
    m_tolerance->setObjectName(QStringLiteral("toleranceSpin"));
    m_tolerance->setAccessibleName(tr("Tolerance in seconds"));
    m_tolerance->setRange(1, Verification::MaxToleranceSeconds);
    m_tolerance->setSuffix(tr(" s"));
    m_tolerance->setToolTip(tr("How far the signed timestamp may be from now, either way; "
                               "older requests are answered 401 signature_expired."));
    m_toleranceLabel = buddyLabel(tr("Tolerance:"), m_tolerance, m_details);
    details->addRow(m_toleranceLabel, m_tolerance);

    m_hmac = new QWidget(m_details);
    auto *hmac = plainForm(m_hmac);
    m_hmacHeader = new QLineEdit(m_hmac);
    m_hmacHeader->setObjectName(QStringLiteral("hmacHeaderEdit"));
    m_hmacHeader->setAccessibleName(tr("Signature header"));
    hmac->addRow(buddyLabel(tr("Header:"), m_hmacHeader, m_hmac), m_hmacHeader);
    m_hmacAlgorithm = new QComboBox(m_hmac);
    m_hmacAlgorithm->setObjectName(QStringLiteral("hmacAlgorithmCombo"));
    m_hmacAlgorithm->setAccessibleName(tr("HMAC algorithm"));
    m_hmacAlgorithm->addItem(QStringLiteral("SHA-1"), int(HmacAlgorithm::Sha1));
    m_hmacAlgorithm->addItem(QStringLiteral("SHA-256"), int(HmacAlgorithm::Sha256));
    m_hmacAlgorithm->addItem(QStringLiteral("SHA-512"), int(HmacAlgorithm::Sha512));
    m_hmacEncoding = new QComboBox(m_hmac);
    m_hmacEncoding->setObjectName(QStringLiteral("hmacEncodingCombo"));
    m_hmacEncoding->setAccessibleName(tr("Signature encoding"));
    m_hmacEncoding->addItem(tr("hex"), int(SignatureEncoding::Hex));
    m_hmacEncoding->addItem(tr("base64"), int(SignatureEncoding::Base64));
    auto *algorithm = new QHBoxLayout;
    algorithm->addWidget(m_hmacAlgorithm);
    algorithm->addWidget(m_hmacEncoding);
    algorithm->addStretch();
    hmac->addRow(buddyLabel(tr("Algorithm:"), m_hmacAlgorithm, m_hmac), algorithm);
    m_hmacPrefix = new QLineEdit(m_hmac);
    m_hmacPrefix->setObjectName(QStringLiteral("hmacPrefixEdit"));
    m_hmacPrefix->setAccessibleName(tr("Signature prefix"));
    m_hmacPrefix->setPlaceholderText(tr("e.g. sha256= (optional)"));
    hmac->addRow(buddyLabel(tr("Prefix:"), m_hmacPrefix, m_hmac), m_hmacPrefix);
    m_hmacTimestamp = new QLineEdit(m_hmac);
    m_hmacTimestamp->setObjectName(QStringLiteral("hmacTimestampEdit"));
    m_hmacTimestamp->setAccessibleName(tr("Timestamp header"));
    m_hmacTimestamp->setPlaceholderText(tr("optional: the header with the signed Unix time"));
    hmac->addRow(buddyLabel(tr("Timestamp header:"), m_hmacTimestamp, m_hmac), m_hmacTimestamp);
    m_hmacPayload = new QLineEdit(m_hmac);
    m_hmacPayload->setObjectName(QStringLiteral("hmacPayloadEdit"));
    m_hmacPayload->setAccessibleName(tr("Signed payload"));
    m_hmacPayload->setToolTip(tr("With a timestamp header: what is signed, {timestamp} and "
                                 "{body} replaced, e.g. {timestamp}.{body}."));
    hmac->addRow(buddyLabel(tr("Signed payload:"), m_hmacPayload, m_hmac), m_hmacPayload);
    details->addRow(m_hmac);
    form->addRow(m_details);

    m_problem = new ProblemLabel(QStringLiteral("authenticationProblem"), this);
    m_problem->reserveLines(1);
    form->addRow(QString(), m_problem);

    const auto changed = [this] {
        updateDetails();
        emit edited();
    };
    connect(m_mode, &QComboBox::currentIndexChanged, this, changed);
    connect(m_preset, &QComboBox::currentIndexChanged, this, changed);
    connect(m_tolerance, &QSpinBox::valueChanged, this, changed);
    for (QComboBox *combo : { m_hmacAlgorithm, m_hmacEncoding })
        connect(combo, &QComboBox::currentIndexChanged, this, changed);
    for (QLineEdit *edit : { m_hmacHeader, m_hmacPrefix, m_hmacTimestamp, m_hmacPayload })
        connect(edit, &QLineEdit::textEdited, this, changed);
    connect(m_secretEdit, &QLineEdit::textChanged, this,
        [this](const QString &text) { m_addSecret->setEnabled(!text.isEmpty()); });
    // Enter in the secret adds it rather than saving the form with the secret left unadded.
    connect(m_secretEdit, &QLineEdit::returnPressed, this, &AuthenticationSection::addSecret);
    connect(m_addSecret, &QPushButton::clicked, this, &AuthenticationSection::addSecret);
    connect(m_removeSecret, &QPushButton::clicked, this, &AuthenticationSection::removeSecrets);
    connect(m_secretList, &QListWidget::itemSelectionChanged, this,
        [this] { m_removeSecret->setEnabled(!m_secretList->selectedItems().isEmpty()); });
    fill(Webhook());
}

bool AuthenticationSection::ownsField(const QString &field)
{
    return field == u"secrets" || field == u"tolerance" || field == u"hmac"
        || field == u"verification" || field == u"authentication";
}

void AuthenticationSection::fill(const Webhook &webhook)
{
    const QSignalBlocker blockMode(m_mode);
    const QSignalBlocker blockPreset(m_preset);
    const QSignalBlocker blockTolerance(m_tolerance);
    const QSignalBlocker blockAlgorithm(m_hmacAlgorithm);
    const QSignalBlocker blockEncoding(m_hmacEncoding);
    const Verification &verification = webhook.verification;
    m_mode->setCurrentIndex(m_mode->findData(int(webhook.authentication)));
    m_preset->setCurrentIndex(m_preset->findData(int(verification.preset)));
    m_tolerance->setValue(verification.toleranceSeconds);
    m_hmacHeader->setText(verification.hmac.header);
    m_hmacAlgorithm->setCurrentIndex(m_hmacAlgorithm->findData(int(verification.hmac.algorithm)));
    m_hmacEncoding->setCurrentIndex(m_hmacEncoding->findData(int(verification.hmac.encoding)));
    m_hmacPrefix->setText(verification.hmac.prefix);
    m_hmacTimestamp->setText(verification.hmac.timestampHeader);
    m_hmacPayload->setText(verification.hmac.payloadTemplate);
    m_secrets = verification.secrets;
    refreshSecrets();
    updateDetails();
}

void AuthenticationSection::apply(Webhook &webhook) const
{
    webhook.authentication = AuthMode(m_mode->currentData().toInt());
    Verification &verification = webhook.verification;
    verification.preset = SignaturePreset(m_preset->currentData().toInt());
    verification.secrets = m_secrets;
    verification.toleranceSeconds = m_tolerance->value();
    verification.hmac.header = m_hmacHeader->text().trimmed();
    verification.hmac.algorithm = HmacAlgorithm(m_hmacAlgorithm->currentData().toInt());
    verification.hmac.encoding = SignatureEncoding(m_hmacEncoding->currentData().toInt());
    verification.hmac.prefix = m_hmacPrefix->text();
    verification.hmac.timestampHeader = m_hmacTimestamp->text().trimmed();
    verification.hmac.payloadTemplate = m_hmacPayload->text();
}

void AuthenticationSection::setProblems(const QStringList &problems)
{
    m_problem->setProblems(problems);
}

QWidget *AuthenticationSection::firstField() const
{
    return m_details->isVisibleTo(this) && m_secrets.isEmpty()
        ? static_cast<QWidget *>(m_secretEdit)
        : static_cast<QWidget *>(m_mode);
}

QList<QWidget *> AuthenticationSection::tabOrder() const
{
    return { m_mode, m_preset, m_secretList, m_secretEdit, m_addSecret, m_removeSecret, m_tolerance,
        m_hmacHeader, m_hmacAlgorithm, m_hmacEncoding, m_hmacPrefix, m_hmacTimestamp,
        m_hmacPayload };
}

void AuthenticationSection::addSecret()
{
    const QString secret = m_secretEdit->text();
    if (secret.isEmpty())
        return;
    m_secrets.append(secret);
    m_secretEdit->clear();
    refreshSecrets();
    emit edited();
}

void AuthenticationSection::removeSecrets()
{
    QList<int> rows;
    for (const QListWidgetItem *item : m_secretList->selectedItems())
        rows.append(m_secretList->row(item));
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows)
        m_secrets.removeAt(row);
    refreshSecrets();
    emit edited();
}

// Nothing of a secret shows but its place and its length, so rotations can tell them apart.
void AuthenticationSection::refreshSecrets()
{
    m_secretList->clear();
    for (qsizetype i = 0; i < m_secrets.size(); ++i)
        m_secretList->addItem(
            tr("Secret %1: •••••••• (%n characters)", nullptr, int(m_secrets.at(i).size()))
                .arg(i + 1));
    if (m_secrets.isEmpty())
        m_secretList->addItem(tr("No secret yet: add the one the sender signs with."));
    m_secretList->setEnabled(!m_secrets.isEmpty());
    m_removeSecret->setEnabled(false);
}

void AuthenticationSection::updateDetails()
{
    const AuthMode mode = AuthMode(m_mode->currentData().toInt());
    const SignaturePreset preset = SignaturePreset(m_preset->currentData().toInt());
    m_details->setVisible(needsSignature(mode));
    m_hint->setText(presetHint(preset));
    m_hmac->setVisible(preset == SignaturePreset::Hmac);
    const bool timestamped = presetHasTimestamp(preset)
        || (preset == SignaturePreset::Hmac && !m_hmacTimestamp->text().trimmed().isEmpty());
    m_tolerance->setVisible(timestamped);
    m_toleranceLabel->setVisible(timestamped);
    m_hmacPayload->setEnabled(!m_hmacTimestamp->text().trimmed().isEmpty());
}

ResponseSection::ResponseSection(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("responseSection"));
    auto *form = plainForm(this);
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("responsePresetCombo"));
    m_preset->setAccessibleName(tr("Response"));
    m_preset->addItem(tr("Hooktrail JSON (the contract's answer)"), Contract);
    m_preset->addItem(tr("Empty 204"), Empty204);
    m_preset->addItem(tr("Echo the request id as text"), EchoId);
    m_preset->addItem(tr("Fail with 500 (to test retries)"), Fail500);
    m_preset->addItem(tr("Custom"), Custom);
    m_preset->setToolTip(tr("What an accepted request is answered. Rejections always get the "
                            "contract's JSON, and no answer leaves before the request is in the "
                            "log."));
    form->addRow(buddyLabel(tr("Res&ponse:"), m_preset, this), m_preset);

    m_details = new QWidget(this);
    auto *details = plainForm(m_details);
    m_status = new QSpinBox(m_details);
    m_status->setObjectName(QStringLiteral("responseStatusSpin"));
    m_status->setAccessibleName(tr("Response status"));
    m_status->setRange(100, 599);
    m_delay = new QSpinBox(m_details);
    m_delay->setObjectName(QStringLiteral("responseDelaySpin"));
    m_delay->setAccessibleName(tr("Response delay in milliseconds"));
    m_delay->setRange(0, CustomResponse::MaxDelayMs);
    m_delay->setSingleStep(100);
    m_delay->setSuffix(tr(" ms"));
    m_delay->setToolTip(tr("Wait this long before answering (up to 30 s), e.g. to see a "
                           "sender's timeout; the receiver serves others meanwhile."));
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status);
    statusRow->addWidget(buddyLabel(tr("De&lay:"), m_delay, m_details));
    statusRow->addWidget(m_delay);
    statusRow->addStretch();
    details->addRow(buddyLabel(tr("Stat&us:"), m_status, m_details), statusRow);
    m_contentType = new QLineEdit(m_details);
    m_contentType->setObjectName(QStringLiteral("responseContentTypeEdit"));
    m_contentType->setAccessibleName(tr("Response content type"));
    details->addRow(buddyLabel(tr("Content type:"), m_contentType, m_details), m_contentType);
    m_body = new QPlainTextEdit(m_details);
    m_body->setObjectName(QStringLiteral("responseBodyEdit"));
    m_body->setAccessibleName(tr("Response body"));
    m_body->setTabChangesFocus(true);
    m_body->setPlaceholderText(tr("{{requestId}} and {{receivedAt}} are replaced"));
    m_body->setMaximumHeight(m_body->fontMetrics().lineSpacing() * 4);
    details->addRow(buddyLabel(tr("Body:"), m_body, m_details), m_body);
    m_headers = new HeaderTableEditor(m_details);
    m_headers->table()->setObjectName(QStringLiteral("responseHeadersTable"));
    m_headers->table()->setAccessibleName(tr("Response headers"));
    m_headers->table()->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_headers->table()->setMaximumHeight(m_headers->fontMetrics().lineSpacing() * 5);
    m_headers->addButton()->setObjectName(QStringLiteral("addResponseHeaderButton"));
    m_headers->addButton()->setAccessibleName(tr("Add response header"));
    m_headers->removeButton()->setObjectName(QStringLiteral("removeResponseHeaderButton"));
    m_headers->removeButton()->setAccessibleName(tr("Remove selected response headers"));
    details->addRow(buddyLabel(tr("Headers:"), m_headers->table(), m_details), m_headers);
    form->addRow(m_details);
    m_problem = new ProblemLabel(QStringLiteral("responseProblem"), this);
    m_problem->reserveLines(1);
    form->addRow(QString(), m_problem);

    connect(m_preset, &QComboBox::activated, this, &ResponseSection::choosePreset);
    connect(m_status, &QSpinBox::valueChanged, this, &ResponseSection::detailsEdited);
    connect(m_delay, &QSpinBox::valueChanged, this, &ResponseSection::detailsEdited);
    connect(m_contentType, &QLineEdit::textEdited, this, &ResponseSection::detailsEdited);
    connect(m_body, &QPlainTextEdit::textChanged, this, &ResponseSection::detailsEdited);
    connect(m_headers, &HeaderTableEditor::edited, this, &ResponseSection::detailsEdited);
    fill(Webhook());
}

void ResponseSection::show(const CustomResponse &response)
{
    m_filling = true;
    m_status->setValue(response.status);
    m_delay->setValue(response.delayMs);
    m_contentType->setText(response.contentType);
    m_body->setPlainText(response.body);
    while (m_headers->table()->rowCount() > 0)
        m_headers->table()->removeRow(0);
    for (const auto &[name, value] : response.headers)
        m_headers->addHeader(name, value);
    m_filling = false;
}

void ResponseSection::fill(const Webhook &webhook)
{
    const CustomResponse response = webhook.response.value_or(CustomResponse {});
    show(response);
    int preset = Custom;
    if (!webhook.response)
        preset = Contract;
    else if (response.delayMs == 0 && response.headers.isEmpty()) {
        for (const auto &[known, index] : { std::pair { CustomResponse::empty204(), Empty204 },
                 std::pair { CustomResponse::echoRequestId(), EchoId },
                 std::pair { CustomResponse::fail500(), Fail500 } }) {
            if (known.status == response.status && known.body == response.body
                && known.contentType == response.contentType)
                preset = index;
        }
    }
    const QSignalBlocker block(m_preset);
    m_preset->setCurrentIndex(m_preset->findData(preset));
    m_details->setVisible(preset != Contract);
}

CustomResponse ResponseSection::fromFields() const
{
    CustomResponse response;
    response.status = m_status->value();
    response.delayMs = m_delay->value();
    response.contentType = m_contentType->text().trimmed();
    response.body = m_body->toPlainText();
    response.headers = m_headers->headers();
    return response;
}

void ResponseSection::apply(Webhook &webhook) const
{
    if (m_preset->currentData().toInt() == Contract)
        webhook.response.reset();
    else
        webhook.response = fromFields();
}

void ResponseSection::choosePreset(int index)
{
    const int preset = m_preset->itemData(index).toInt();
    if (preset == Empty204)
        show(CustomResponse::empty204());
    else if (preset == EchoId)
        show(CustomResponse::echoRequestId());
    else if (preset == Fail500)
        show(CustomResponse::fail500());
    m_details->setVisible(preset != Contract);
    emit edited();
}

// Changing a preset's answer makes it the user's own.
void ResponseSection::detailsEdited()
{
    if (m_filling)
        return;
    if (m_preset->currentData().toInt() != Custom) {
        const QSignalBlocker block(m_preset);
        m_preset->setCurrentIndex(m_preset->findData(Custom));
    }
    emit edited();
}

void ResponseSection::setProblems(const QStringList &problems)
{
    m_problem->setProblems(problems);
}

QWidget *ResponseSection::firstField() const
{
    return m_details->isVisibleTo(this) ? static_cast<QWidget *>(m_status)
                                        : static_cast<QWidget *>(m_preset);
}

QList<QWidget *> ResponseSection::tabOrder() const
{
    return { m_preset, m_status, m_delay, m_contentType, m_body, m_headers->table(),
        m_headers->addButton(), m_headers->removeButton() };
}

} // namespace Hooktrail
