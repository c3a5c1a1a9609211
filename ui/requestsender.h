// Sends one request and shows the answer: status line, headers and body, or why none came.
// The request goes out asynchronously; while it is on its way the widget shows progress and
// offers to cancel it.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QUrl>
#include <QWidget>

class QLabel;
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace Hooktrail {

class BodyHighlighter;

class RequestSender final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestSender)
public:
    // The last answer as it came; status 0 when none did, `error` then says why.
    struct Answer
    {
        QUrl url;
        int status = 0;
        QString reason;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray contentType;
        QByteArray body;
        QString error;
    };

    explicit RequestSender(QWidget *parent = nullptr);
    ~RequestSender() override;

    // How long the transfer may stall before it is given up.
    void setTransferTimeout(int ms) { m_transferTimeoutMs = ms; }

    // Sends unless a request is on its way already (false then). Redirects are not followed:
    // the answer shown is the one the URL gave.
    bool send(QNetworkRequest request, const QByteArray &method, const QByteArray &body);
    bool isSending() const;
    // Gives up the request on its way; it ends as an answer that did not come.
    void cancel();

    const Answer &answer() const { return m_answer; }

signals:
    void sendingChanged(bool sending);
    // After each request ends (status 0: no answer came; answer().error says why).
    void answered(int status);

private:
    void finish(QNetworkReply *reply);
    void showAnswer();

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    int m_transferTimeoutMs = 30000;
    Answer m_answer;

    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QTableWidget *m_headers;
    QPlainTextEdit *m_body;
    BodyHighlighter *m_highlighter;
};

} // namespace Hooktrail
