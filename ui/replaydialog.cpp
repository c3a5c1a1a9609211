// Replay…: a logged request sent again to any URL, with method, headers and body editable
// first, and the answer shown. Nothing waits: the request goes out asynchronously.
#include "ui/replaydialog.h"

#include "core/base/settings.h"
#include "core/endpoint/keyrule.h"
#include "core/endpoint/query.h"
#include "core/model/webhook.h"
#include "core/receiver/contentcheck.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "ui/bodyhighlighter.h"
#include "ui/headertableeditor.h"
#include "ui/problemlabel.h"
#include "ui/requestdetailview.h"
#include "ui/requestsender.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkRequest>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace Hooktrail {

namespace {

constexpr int TransferTimeoutMs = 30000;

// Set by the HTTP client from the URL and body, or about the connection: sending the logged
// ones again would contradict it.
bool isClientManaged(QByteArrayView name)
{
    for (const char *managed : { "host", "content-length", "connection", "keep-alive",
             "transfer-encoding", "te", "upgrade", "expect", "proxy-connection" }) {
        if (name.compare(managed, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QString ReplayDialog::defaultUrl(const QString &baseUrl, const LoggedRequest &request)
{
    // The same rule as Copy as curl: the redacted key, whatever the case of its name.
    QString url = baseUrl + receivedText(request.path);
    if (!request.query.isEmpty())
        url += QLatin1Char('?') + CurlCommand::queryWithKey(request.query);
    return url;
}

HeaderList ReplayDialog::replayHeaders(const HeaderList &logged)
{
    HeaderList headers;
    for (const auto &[name, value] : logged) {
        if (isClientManaged(name))
            continue;
        if (Endpoint::isKeyHeader(name) && value == Redaction::Mask)
            headers.append({ name, keyPlaceholder().toLatin1() });
        else
            headers.append({ name, value });
    }
    return headers;
}

ReplayDialog::ReplayDialog(
    const ConsoleContext &context, const LoggedRequest &request, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_keyFill(keyPlaceholder())
    , m_url(new QLineEdit(this))
    , m_method(new QComboBox(this))
    , m_key(new QLineEdit(this))
    , m_headers(new HeaderTableEditor(this))
    , m_body(new QPlainTextEdit(this))
    , m_send(nullptr)
    , m_error(new ProblemLabel(QStringLiteral("replayError"), this))
    , m_sender(new RequestSender(this))
{
    setWindowTitle(tr("Replay request %1").arg(request.id));
    setObjectName(QStringLiteral("replayDialog"));
    m_sender->setTransferTimeout(TransferTimeoutMs);
    connect(m_sender, &RequestSender::sendingChanged, this,
        [this](bool sending) { m_send->setEnabled(!sending); });
    connect(m_sender, &RequestSender::answered, this, &ReplayDialog::answered);

    QDialogButtonBox *buttons = buildButtons();
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(buildRequestBox(request));
    split->addWidget(m_sender);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumSize(640, 560);
    // By default wide enough for the whole URL (the key placeholder is at its end) and tall
    // enough for the answer under the request, within the screen.
    const int urlWidth = m_url->fontMetrics().horizontalAdvance(m_url->text())
        + fontMetrics().averageCharWidth() * 24; // the label, frames and margins
    const QRect area = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
    resize(std::clamp(urlWidth, 640, std::max(640, area.width() * 9 / 10)),
        std::clamp(fontMetrics().lineSpacing() * 44, 560, std::max(560, area.height() * 9 / 10)));
}

ReplayDialog::~ReplayDialog() = default;

QWidget *ReplayDialog::buildRequestBox(const LoggedRequest &request)
{
    auto *intro = new QLabel(
        tr("Sends the request again, as edited here. Secrets were not logged: put your key in "
           "place of %1, and replace any *** value you need.")
            .arg(keyPlaceholder()),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);

    const Receiver *receiver = m_context.engine ? m_context.engine->receiver() : nullptr;
    const QString baseUrl = m_context.settings->baseUrl(receiver ? receiver->port() : 0);
    m_url->setObjectName(QStringLiteral("urlEdit"));
    m_url->setAccessibleName(tr("URL"));
    m_url->setToolTip(tr("Where to send the request; by default the endpoint it reached"));
    m_url->setText(defaultUrl(baseUrl, request));

    m_method->setObjectName(QStringLiteral("methodCombo"));
    m_method->setAccessibleName(tr("Method"));
    m_method->setEditable(true);
    m_method->addItems({ QStringLiteral("POST"), QStringLiteral("PUT"), QStringLiteral("PATCH"),
        QStringLiteral("GET"), QStringLiteral("DELETE") });
    m_method->setCurrentText(QString::fromLatin1(request.method));

    m_key->setObjectName(QStringLiteral("keyEdit"));
    m_key->setAccessibleName(tr("API key"));
    m_key->setToolTip(
        tr("Typed here, it takes the place of %1 in the URL and headers").arg(keyPlaceholder()));
    m_key->setPlaceholderText(QStringLiteral("htk_…"));
    m_key->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    connect(m_key, &QLineEdit::textEdited, this, &ReplayDialog::fillKey);

    QLayout *headersBox = buildHeadersBox(request);
    buildBodyEdit(request);

    auto *form = new QFormLayout;
    const auto labelFor = [this](const QString &text, QWidget *buddy) {
        auto *label = new QLabel(text, this);
        label->setBuddy(buddy);
        return label;
    };
    form->addRow(labelFor(tr("&URL:"), m_url), m_url);
    form->addRow(labelFor(tr("&Method:"), m_method), m_method);
    form->addRow(labelFor(tr("API &key:"), m_key), m_key);
    form->addRow(labelFor(tr("&Headers:"), m_headers->table()), headersBox);
    form->addRow(labelFor(tr("&Body:"), m_body), m_body);

    auto *requestBox = new QWidget(this);
    auto *requestLayout = new QVBoxLayout(requestBox);
    requestLayout->setContentsMargins(0, 0, 0, 0);
    requestLayout->addWidget(intro);
    requestLayout->addLayout(form);
    return requestBox;
}

QLayout *ReplayDialog::buildHeadersBox(const LoggedRequest &request)
{
    m_headers->table()->setToolTip(tr("Edit a cell to change a header; an empty name is not sent"));
    for (const auto &[name, value] : replayHeaders(request.headers))
        m_headers->addHeader(QString::fromLatin1(name), receivedText(value));
    auto *clientNote = new QLabel(
        tr("The HTTP client adds Host, Content-Length and Connection itself, and Accept-Encoding, "
           "Accept-Language and User-Agent when they are not listed."),
        this);
    clientNote->setWordWrap(true);
    clientNote->setForegroundRole(QPalette::PlaceholderText);
    auto *headersBox = new QVBoxLayout;
    headersBox->addWidget(m_headers);
    headersBox->addWidget(clientNote);
    return headersBox;
}

void ReplayDialog::buildBodyEdit(const LoggedRequest &request)
{
    m_body->setObjectName(QStringLiteral("bodyEdit"));
    m_body->setAccessibleName(tr("Body"));
    m_body->setToolTip(tr("Sent as UTF-8, exactly as shown"));
    m_body->setTabChangesFocus(true);
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setPlainText(receivedText(request.body));
    if (RequestDetailView::classifyBody(request) == RequestDetailView::BodyKind::Binary) {
        // A binary body does not survive a text editor: say so rather than send something else.
        m_body->setPlainText(QString());
        m_body->setPlaceholderText(tr("The logged body is binary and cannot be edited here."));
    }
    auto *bodyHighlighter = new BodyHighlighter(m_body->document());
    const MediaKind media = ContentCheck::classify(request.contentType);
    bodyHighlighter->setLanguage(media == MediaKind::Json ? BodyHighlighter::Language::Json
            : media == MediaKind::Xml                     ? BodyHighlighter::Language::Xml
                                                          : BodyHighlighter::Language::None);
}

QDialogButtonBox *ReplayDialog::buildButtons()
{
    auto *buttons = new QDialogButtonBox(this);
    m_send = buttons->addButton(tr("&Send"), QDialogButtonBox::ActionRole);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setAccessibleName(tr("Send the request"));
    m_send->setDefault(true);
    connect(m_send, &QPushButton::clicked, this, &ReplayDialog::send);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("closeButton"));
    close->setAutoDefault(false);
    connect(close, &QPushButton::clicked, this, &ReplayDialog::reject);
    return buttons;
}

QString ReplayDialog::url() const
{
    return m_url->text().trimmed();
}

QByteArray ReplayDialog::method() const
{
    return m_method->currentText().trimmed().toLatin1();
}

HeaderList ReplayDialog::headers() const
{
    HeaderList headers;
    for (const auto &[name, value] : m_headers->headers())
        headers.append({ name.toLatin1(), value.toUtf8() });
    return headers;
}

QByteArray ReplayDialog::body() const
{
    return m_body->toPlainText().toUtf8();
}

void ReplayDialog::fillKey(const QString &key)
{
    const QString fill = key.trimmed().isEmpty() ? keyPlaceholder() : key.trimmed();
    if (fill == m_keyFill)
        return;
    // The URL holds the key percent-encoded (a placeholder as typed), headers hold it as is.
    const auto inUrl = [](const QString &value) {
        return value == keyPlaceholder() ? value
                                         : QString::fromLatin1(QUrl::toPercentEncoding(value));
    };
    // Read as the receiver reads it: every key parameter still holding the last fill gets the
    // new one; the rest of the URL, as the user left it.
    QString url = m_url->text();
    if (const qsizetype queryStart = url.indexOf(u'?'); queryStart >= 0) {
        qsizetype queryEnd = url.indexOf(u'#', queryStart);
        if (queryEnd < 0)
            queryEnd = url.size();
        const QByteArray was = inUrl(m_keyFill).toUtf8();
        const QByteArray query = Endpoint::replaceValues(
            url.sliced(queryStart + 1, queryEnd - queryStart - 1).toUtf8(),
            [&was](const Endpoint::QueryField &field) {
                return field.hasValue && field.rawValue == was
                    && Endpoint::isKeyParameter(field.name());
            },
            inUrl(fill).toUtf8());
        url = url.first(queryStart + 1) + QString::fromUtf8(query) + url.sliced(queryEnd);
    }
    m_url->setText(url);
    QTableWidget *table = m_headers->table();
    for (int row = 0; row < table->rowCount(); ++row) {
        QTableWidgetItem *name = table->item(row, 0);
        QTableWidgetItem *value = table->item(row, 1);
        if (name && value && Endpoint::isKeyHeader(name->text().toLatin1())
            && value->text() == m_keyFill)
            value->setText(fill);
    }
    m_keyFill = fill;
}

void ReplayDialog::setError(const QString &error)
{
    m_error->setProblem(error);
}

void ReplayDialog::send()
{
    if (m_sender->isSending())
        return;
    const QUrl target(url()); // tolerant: a placeholder left in is sent percent-encoded
    if (!target.isValid() || target.host().isEmpty()
        || (target.scheme() != QLatin1String("http")
            && target.scheme() != QLatin1String("https"))) {
        setError(tr("Not sent: enter an http:// or https:// URL."));
        return;
    }
    const QByteArray verb = method();
    if (verb.isEmpty() || !isHttpToken(QString::fromLatin1(verb))) {
        setError(tr("Not sent: “%1” is not a valid method.").arg(QString::fromLatin1(verb)));
        return;
    }
    QNetworkRequest request(target);
    if (const QString badName = m_headers->applyTo(&request); !badName.isEmpty()) {
        setError(tr("Not sent: “%1” is not a valid header name.").arg(badName));
        return;
    }
    setError(QString());
    m_sender->send(request, verb, body());
}

} // namespace Hooktrail
