// Sends one request and shows the response: status line, headers and body, or why none came.
#include "ui/requestsender.h"

#include "core/endpoint/reasontext.h"
#include "core/receiver/contentcheck.h"
#include "ui/bodyhighlighter.h"
#include "ui/bodyview.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Hooktrail {

RequestSender::RequestSender(QWidget *parent)
    : QWidget(parent)
    , m_client(new HttpClient(this))
    , m_status(new QLabel(this))
    , m_logged(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Ca&ncel"), this))
    , m_headers(new QTableWidget(0, 2, this))
    , m_body(new QPlainTextEdit(this))
    , m_highlighter(nullptr)
{
    m_status->setObjectName(QStringLiteral("answerStatus"));
    m_status->setAccessibleName(tr("Response status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setText(tr("Not sent yet."));
    m_logged->setObjectName(QStringLiteral("loggedLink"));
    m_logged->setAccessibleName(tr("Logged request"));
    m_logged->setTextFormat(Qt::RichText);
    // The reason phrase is the server's to choose: shown as the text it is, never as markup.
    m_status->setTextFormat(Qt::PlainText);
    m_logged->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_logged->hide();
    connect(m_logged, &QLabel::linkActivated, this, [this](const QString &link) {
        if (const qint64 id = link.section(u':', 1).toLongLong(); id > 0)
            emit openRequest(id);
    });
    connect(m_client, &HttpClient::finished, this, &RequestSender::finish);
    // No size is known before the response is in: a busy indicator, not a percentage.
    m_progress->setObjectName(QStringLiteral("sendProgress"));
    m_progress->setAccessibleName(tr("Sending"));
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(120);
    m_progress->hide();
    m_cancel->setObjectName(QStringLiteral("cancelSendButton"));
    m_cancel->setAccessibleName(tr("Cancel the request"));
    m_cancel->setAutoDefault(false);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &RequestSender::cancel);

    m_headers->setObjectName(QStringLiteral("answerHeaders"));
    m_headers->setAccessibleName(tr("Response headers"));
    m_headers->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_headers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headers->setTabKeyNavigation(false);
    m_body->setObjectName(QStringLiteral("answerBody"));
    m_body->setAccessibleName(tr("Response body"));
    m_body->setReadOnly(true);
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter = new BodyHighlighter(m_body->document());

    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(statusRow);
    layout->addWidget(m_logged);
    // Headers above the body, the body getting most of the height; both resizable.
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("responseSplitter"));
    split->setChildrenCollapsible(false);
    split->addWidget(m_headers);
    split->addWidget(m_body);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);
    setMinimumHeight(fontMetrics().lineSpacing() * MinimumLines);
}

RequestSender::~RequestSender() = default; // the client gives up what is on its way

bool RequestSender::send(const OutgoingRequest &request)
{
    if (!m_client->send(request))
        return false;
    m_answer = Answer();
    m_answer.url = request.url;
    m_status->setText(tr("Sending…"));
    m_logged->hide();
    m_headers->setRowCount(0);
    m_body->clear();
    m_progress->show();
    m_cancel->show();
    emit sendingChanged(true);
    return true;
}

bool RequestSender::isSending() const
{
    return m_client->isBusy();
}

void RequestSender::cancel()
{
    m_client->abort();
}

void RequestSender::showLogged(qint64 id)
{
    if (id < 0) {
        m_logged->hide();
        return;
    }
    m_logged->setText(id == 0 ? tr("Not logged.")
                              : QStringLiteral("<a href=\"request:%1\">%2</a>")
                                    .arg(id)
                                    .arg(tr("Logged as request %1").arg(id).toHtmlEscaped()));
    m_logged->setToolTip(id == 0 ? QString() : tr("Open this request in the History"));
    m_logged->show();
}

void RequestSender::finish(const Result<HttpResponse> &response)
{
    m_progress->hide();
    m_cancel->hide();
    if (response) {
        m_answer.status = response->status;
        m_answer.reason = QString::fromLatin1(response->reasonPhrase);
        m_answer.headers = response->headers;
        m_answer.contentType = response->header("content-type");
        m_answer.body = response->body;
        m_answer.bodyCut = response->bodyCut;
    } else {
        m_answer.error = response.error();
    }
    emit sendingChanged(false);
    showAnswer();
    emit answered(m_answer.status);
}

QString RequestSender::receiverVerdict(const QByteArray &body)
{
    if (body.size() > 4096)
        return {};
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QString status = json.value(QStringLiteral("status")).toString();
    if (status == QLatin1String("accepted"))
        return tr("Accepted");
    if (status != QLatin1String("rejected"))
        return {};
    return tr("Rejected: %1")
        .arg(Endpoint::reasonWithCode(json.value(QStringLiteral("reason")).toString().toLatin1()));
}

void RequestSender::showAnswer()
{
    if (m_answer.status == 0) {
        m_status->setText(tr("No response from %1: %2")
                              .arg(m_answer.url.toString(QUrl::RemoveQuery), m_answer.error));
        return;
    }
    QString status = m_answer.bodyCut ? tr("HTTP %1 %2 (the body is cut at %3 MiB)")
                                            .arg(m_answer.status)
                                            .arg(m_answer.reason)
                                            .arg(HttpClient::DefaultMaxBodyBytes / (1024 * 1024))
                                      : tr("HTTP %1 %2").arg(m_answer.status).arg(m_answer.reason);
    const QString verdict = receiverVerdict(m_answer.body);
    if (!verdict.isEmpty())
        status
            = tr("%1 — %2", "HTTP status line — what the receiver made of it").arg(status, verdict);
    m_status->setText(status);
    m_headers->setRowCount(int(m_answer.headers.size()));
    for (int row = 0; row < m_answer.headers.size(); ++row) {
        const auto &[name, value] = m_answer.headers.at(row);
        m_headers->setItem(row, 0, new QTableWidgetItem(QString::fromLatin1(name)));
        m_headers->setItem(row, 1, new QTableWidgetItem(QString::fromUtf8(value)));
    }
    const MediaKind media = ContentCheck::classify(m_answer.contentType);
    if (media == MediaKind::Json && ContentCheck::isValidJson(m_answer.body)) {
        m_body->setPlainText(BodyView::prettyJson(m_answer.body));
        m_highlighter->setLanguage(BodyHighlighter::Language::Json);
    } else {
        m_body->setPlainText(QString::fromUtf8(m_answer.body));
        m_highlighter->setLanguage(media == MediaKind::Xml ? BodyHighlighter::Language::Xml
                                                           : BodyHighlighter::Language::None);
    }
}

} // namespace Hooktrail
