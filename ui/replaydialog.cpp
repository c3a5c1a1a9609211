// Replay…: a logged request sent again to any URL, with method, headers and body editable
// first, and the response shown, exactly what was received unless edited (see the header).
#include "ui/replaydialog.h"
#include "ui/endpointurl.h"

#include "core/base/settings.h"
#include "core/endpoint/keyrule.h"
#include "core/endpoint/query.h"
#include "core/endpoint/route.h"
#include "core/model/webhook.h"
#include "core/receiver/contentcheck.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "ui/bodyhighlighter.h"
#include "ui/headertableeditor.h"
#include "ui/problemlabel.h"
#include "ui/requestdetailview.h"
#include "ui/requestsender.h"
#include "ui/verifiedkeys.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QTableWidget>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>

namespace Hooktrail {

namespace {

constexpr int TransferTimeoutMs = 30000;

// A key parameter as the log keeps it: its value masked.
bool isMaskedKeyParameter(const Endpoint::QueryField &field)
{
    return field.hasValue && field.rawValue == Redaction::Mask
        && Endpoint::isKeyParameter(field.name());
}

bool isMaskedKeyHeader(const QByteArray &name, const QByteArray &value)
{
    return Endpoint::isKeyHeader(name) && value == Redaction::Mask;
}

// The URL's query and what comes before and after it.
struct UrlParts
{
    QString head; // up to the '?'
    QByteArray query;
    QString tail; // the '#' and the fragment
    bool hasQuery = false;
};

UrlParts splitUrl(const QString &url)
{
    UrlParts parts;
    qsizetype end = url.indexOf(u'#');
    if (end < 0)
        end = url.size();
    parts.tail = url.sliced(end);
    const qsizetype start = url.first(end).indexOf(u'?');
    if (start < 0) {
        parts.head = url.first(end);
        return parts;
    }
    parts.head = url.first(start);
    parts.query = url.sliced(start + 1, end - start - 1).toUtf8();
    parts.hasQuery = true;
    return parts;
}

} // namespace

QString ReplayDialog::defaultUrl(const QString &baseUrl, const LoggedRequest &request)
{
    QString url = baseUrl + receivedText(request.path);
    QList<QByteArrayView> kept;
    for (const Endpoint::QueryField &field : Endpoint::queryFields(request.query)) {
        if (!isMaskedKeyParameter(field))
            kept.append(field.raw);
    }
    if (!kept.isEmpty() && !(kept.size() == 1 && kept.first().isEmpty())) {
        QByteArray query;
        for (qsizetype i = 0; i < kept.size(); ++i)
            query += (i ? "&" : "") + kept.at(i).toByteArray();
        url += QLatin1Char('?') + receivedText(query);
    }
    return url;
}

HeaderList ReplayDialog::replayHeaders(const HeaderList &logged)
{
    HeaderList headers;
    for (const auto &[name, value] : logged) {
        if (!HttpClient::isClientManaged(name) && !isMaskedKeyHeader(name, value))
            headers.append({ name, value });
    }
    return headers;
}

ReplayDialog::ReplayDialog(
    const ConsoleContext &context, const LoggedRequest &request, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_request(request)
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
    connect(m_sender, &RequestSender::answered, this, &ReplayDialog::onAnswered);
    connect(m_sender, &RequestSender::openRequest, this, &ReplayDialog::openRequest);
    const QList<Endpoint::QueryField> fields = Endpoint::queryFields(request.query);
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (isMaskedKeyParameter(fields.at(i)))
            m_keyParameters.append({ fields.at(i).rawName.toByteArray(), i });
    }
    qsizetype headerIndex = 0;
    for (const auto &[name, value] : request.headers) {
        if (isMaskedKeyHeader(name, value))
            m_keyHeaders.append({ name, headerIndex });
        if (!HttpClient::isClientManaged(name))
            ++headerIndex;
    }

    QDialogButtonBox *buttons = buildButtons();
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(buildRequestBox(request));
    split->addWidget(m_sender);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumSize(640, 560);
    // By default wide enough for the whole URL and tall enough for the response under the
    // request, within the screen.
    const int urlWidth = m_url->fontMetrics().horizontalAdvance(m_url->text())
        + fontMetrics().averageCharWidth() * 24; // the label, frames and margins
    const QRect area = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
    resize(std::clamp(urlWidth, 640, std::max(640, area.width() * 9 / 10)),
        std::clamp(fontMetrics().lineSpacing() * 52, 560, std::max(560, area.height() * 9 / 10)));
}

ReplayDialog::~ReplayDialog() = default;

QWidget *ReplayDialog::buildRequestBox(const LoggedRequest &request)
{
    auto *intro = new QLabel(tr("Sends the request again, exactly as it was received unless you "
                                "edit it here. Secrets were not logged: type the API key in its "
                                "field, and replace any *** value you need."),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);

    const QString baseUrl = consoleBaseUrl(m_context);
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
    m_key->setPlaceholderText(QStringLiteral("htk_…"));
    m_key->setEchoMode(QLineEdit::Password);
    const QString webhookId = Endpoint::webhookIdFromPath(request.path);
    if (m_context.verifiedKeys && !webhookId.isEmpty())
        m_key->setText(m_context.verifiedKeys->latest(webhookId));
    QString where;
    if (!m_keyParameters.isEmpty())
        where = tr("Sent as the %1 parameter of the URL, where the request had it.")
                    .arg(QString::fromLatin1(m_keyParameters.first().name));
    else if (!m_keyHeaders.isEmpty())
        where = tr("Sent in the %1 header, where the request had it.")
                    .arg(QString::fromLatin1(m_keyHeaders.first().name));
    else
        where = tr("The request had no key; one typed here is sent as the api-key parameter.");
    m_key->setToolTip(m_key->text().isEmpty()
            ? where
            : where + u' ' + tr("Filled with the key the receiver accepted earlier in this run."));

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
    auto *keyNote = new QLabel(m_key->toolTip(), this);
    keyNote->setObjectName(QStringLiteral("keyNote"));
    keyNote->setWordWrap(true);
    keyNote->setForegroundRole(QPalette::PlaceholderText);
    auto *keyBox = new QVBoxLayout;
    keyBox->addWidget(m_key);
    keyBox->addWidget(keyNote);
    form->addRow(labelFor(tr("API &key:"), m_key), keyBox);
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
        tr("Sent as listed, in this order. Host, Content-Length and Connection are set for the "
           "URL and body; nothing else is added."),
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
    m_body->setToolTip(tr("Sent byte for byte as received; once edited, as UTF-8"));
    m_body->setTabChangesFocus(true);
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    if (RequestDetailView::classifyBody(request) == RequestDetailView::BodyKind::Binary) {
        // A binary body does not survive a text editor: it is sent as it came, not edited.
        m_body->setReadOnly(true);
        m_body->setPlaceholderText(
            tr("The logged body is binary (%n byte(s)); it is sent as received.", nullptr,
                int(std::min<qsizetype>(request.body.size(), INT_MAX))));
    } else {
        m_body->setPlainText(receivedText(request.body));
    }
    m_body->document()->setModified(false);
    connect(m_body->document(), &QTextDocument::modificationChanged, this,
        [this](bool changed) { m_bodyEdited = m_bodyEdited || changed; });
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
    // A row as it was logged goes out as the bytes logged (a value that is not UTF-8 shows as
    // Latin-1 and would otherwise change); an edited or added row, as UTF-8.
    HeaderList logged = replayHeaders(m_request.headers);
    HeaderList headers;
    for (const auto &[name, value] : m_headers->headers()) {
        const auto same = std::find_if(logged.begin(), logged.end(), [&](const auto &header) {
            return receivedText(header.first) == name && receivedText(header.second) == value;
        });
        if (same != logged.end()) {
            headers.append(*same);
            logged.erase(same);
        } else {
            headers.append({ name.toLatin1(), value.toUtf8() });
        }
    }
    return headers;
}

QByteArray ReplayDialog::body() const
{
    return m_bodyEdited ? m_body->toPlainText().toUtf8() : m_request.body;
}

QString ReplayDialog::key() const
{
    return m_key->text().trimmed();
}

OutgoingRequest ReplayDialog::outgoing() const
{
    OutgoingRequest request;
    request.method = method();
    request.headers = headers();
    request.body = body();
    const QString typed = key();
    UrlParts parts = splitUrl(url());
    if (!typed.isEmpty()) {
        const QByteArray value = QUrl::toPercentEncoding(typed);
        QList<QByteArray> fields;
        if (parts.hasQuery && !parts.query.isEmpty())
            fields = parts.query.split('&');
        QList<KeySlot> places = m_keyParameters;
        if (places.isEmpty() && m_keyHeaders.isEmpty())
            places.append({ QByteArray(Endpoint::KeyParameter), fields.size() });
        for (const KeySlot &slot : std::as_const(places))
            fields.insert(std::min(slot.index, fields.size()), slot.name + '=' + value);
        if (!places.isEmpty()) {
            parts.query = fields.join('&');
            parts.hasQuery = true;
        }
        for (const KeySlot &slot : m_keyHeaders)
            request.headers.insert(
                std::min(slot.index, request.headers.size()), { slot.name, typed.toUtf8() });
    }
    QString text = parts.head;
    if (parts.hasQuery)
        text += u'?' + QString::fromUtf8(parts.query);
    request.url = QUrl(text + parts.tail);
    return request;
}

void ReplayDialog::setError(const QString &error)
{
    m_error->setProblem(error);
}

bool ReplayDialog::isOwnReceiver(const QUrl &url) const
{
    const Receiver *receiver = m_context.engine ? m_context.engine->receiver() : nullptr;
    if (!receiver)
        return false;
    const QUrl own(consoleBaseUrl(m_context));
    return url.scheme() == own.scheme() && url.host() == own.host() && url.port() == own.port();
}

void ReplayDialog::send()
{
    if (m_sender->isSending())
        return;
    OutgoingRequest request = outgoing();
    if (isOwnReceiver(request.url))
        request.extraAuthorities = ownAuthorities(m_context);
    if (const QString problem = HttpClient::problem(request); !problem.isEmpty()) {
        setError(tr("Not sent: %1").arg(problem));
        return;
    }
    setError(QString());
    m_sentKey = key();
    m_sentWebhook = isOwnReceiver(request.url)
        ? Endpoint::webhookIdFromPath(request.url.path(QUrl::FullyEncoded).toLatin1())
        : QString();
    m_sender->send(request);
}

void ReplayDialog::onAnswered(int status)
{
    // Only Hooktrail's own receiver logs the request and vouches for the key.
    qint64 logged = -1;
    if (status != 0 && isOwnReceiver(m_sender->answer().url)) {
        const QJsonObject json = QJsonDocument::fromJson(m_sender->answer().body).object();
        const QJsonValue id = json.value(QStringLiteral("requestId"));
        logged = id.isDouble() ? id.toInteger() : 0;
        if (m_context.verifiedKeys && !m_sentKey.isEmpty()
            && VerifiedKeys::provesKey(json.value(QStringLiteral("reason")).toString()))
            m_context.verifiedKeys->remember(m_sentWebhook, m_sentKey);
    }
    m_sender->showLogged(logged);
    emit answered(status);
}

} // namespace Hooktrail
