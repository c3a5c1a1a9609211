// Sends one request and shows the answer: status line, headers and body, or why none came.
#include "ui/requestsender.h"

#include "core/receiver/contentcheck.h"
#include "ui/bodyhighlighter.h"
#include "ui/requestdetailview.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Hooktrail {

RequestSender::RequestSender(QWidget *parent)
    : QWidget(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Ca&ncel"), this))
    , m_headers(new QTableWidget(0, 2, this))
    , m_body(new QPlainTextEdit(this))
    , m_highlighter(nullptr)
{
    m_status->setObjectName(QStringLiteral("answerStatus"));
    m_status->setAccessibleName(tr("Answer status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setText(tr("Not sent yet."));
    // No size is known before the answer is in: a busy indicator, not a percentage.
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
    m_headers->setAccessibleName(tr("Answer headers"));
    m_headers->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_headers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->verticalHeader()->hide();
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headers->setTabKeyNavigation(false);
    m_body->setObjectName(QStringLiteral("answerBody"));
    m_body->setAccessibleName(tr("Answer body"));
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
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_headers);
    split->addWidget(m_body);
    layout->addWidget(split, 1);
}

RequestSender::~RequestSender()
{
    if (m_reply) {
        // Nothing is left to show the answer in.
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
    }
}

bool RequestSender::send(QNetworkRequest request, const QByteArray &method, const QByteArray &body)
{
    if (m_reply)
        return false;
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_transferTimeoutMs);
    m_reply = body.isEmpty() ? m_network->sendCustomRequest(request, method)
                             : m_network->sendCustomRequest(request, method, body);
    m_answer = Answer();
    m_status->setText(tr("Sending…"));
    m_headers->setRowCount(0);
    m_body->clear();
    m_progress->show();
    m_cancel->show();
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { finish(reply); });
    emit sendingChanged(true);
    return true;
}

bool RequestSender::isSending() const
{
    return m_reply != nullptr;
}

void RequestSender::cancel()
{
    if (m_reply)
        m_reply->abort();
}

void RequestSender::finish(QNetworkReply *reply)
{
    reply->deleteLater();
    m_reply = nullptr;
    m_progress->hide();
    m_cancel->hide();
    m_answer.url = reply->url();
    if (const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        status.isValid()) {
        m_answer.status = status.toInt();
        m_answer.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        m_answer.headers = reply->rawHeaderPairs();
        m_answer.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        m_answer.body = reply->readAll();
    } else {
        m_answer.error = reply->errorString();
    }
    emit sendingChanged(false);
    showAnswer();
    emit answered(m_answer.status);
}

void RequestSender::showAnswer()
{
    if (m_answer.status == 0) {
        m_status->setText(tr("No answer from %1: %2")
                              .arg(m_answer.url.toString(QUrl::RemoveQuery), m_answer.error));
        return;
    }
    m_status->setText(tr("HTTP %1 %2").arg(m_answer.status).arg(m_answer.reason));
    m_headers->setRowCount(int(m_answer.headers.size()));
    for (int row = 0; row < m_answer.headers.size(); ++row) {
        const auto &[name, value] = m_answer.headers.at(row);
        m_headers->setItem(row, 0, new QTableWidgetItem(QString::fromLatin1(name)));
        m_headers->setItem(row, 1, new QTableWidgetItem(QString::fromUtf8(value)));
    }
    const MediaKind media = ContentCheck::classify(m_answer.contentType);
    if (media == MediaKind::Json && ContentCheck::isValidJson(m_answer.body)) {
        m_body->setPlainText(RequestDetailView::prettyJson(m_answer.body));
        m_highlighter->setLanguage(BodyHighlighter::Language::Json);
    } else {
        m_body->setPlainText(QString::fromUtf8(m_answer.body));
        m_highlighter->setLanguage(media == MediaKind::Xml ? BodyHighlighter::Language::Xml
                                                           : BodyHighlighter::Language::None);
    }
}

} // namespace Hooktrail
