// Sends one request and shows the response: status line, headers and body, or why none came.
// The request goes out asynchronously; while it is on its way the widget shows progress and
// offers to cancel it.
#pragma once

#include "core/http/httpclient.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>
#include <QWidget>

class QLabel;
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
    // The last response as it came; status 0 when none did, `error` then says why.
    struct Answer
    {
        QUrl url;
        int status = 0;
        QString reason;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray contentType;
        QByteArray body;
        bool bodyCut = false;
        QString error;
    };
    // Tall enough for a status line, a few headers and a screenful of body.
    static constexpr int MinimumLines = 18;

    explicit RequestSender(QWidget *parent = nullptr);
    ~RequestSender() override;

    // How long the transfer may stall before it is given up.
    void setTransferTimeout(int ms) { m_client->setTimeout(ms); }

    // Sends unless a request is on its way already (false then), exactly as given
    // (HttpClient). Redirects are not followed: the response shown is the one the URL gave.
    bool send(const OutgoingRequest &request);
    bool isSending() const;
    // Gives up the request on its way; it ends as a response that did not come.
    void cancel();
    // Under the status line: "Logged as request N", a link that emits openRequest(N); "Not
    // logged." for 0; nothing for a negative id.
    void showLogged(qint64 id);

    const Answer &answer() const { return m_answer; }
    // What Hooktrail's receiver made of a request, from its JSON answer: "Accepted", or
    // "Rejected: Wrong API key (invalid_api_key)"; empty for any other body.
    static QString receiverVerdict(const QByteArray &body);

signals:
    void sendingChanged(bool sending);
    // After each request ends (status 0: no response came; answer().error says why).
    void answered(int status);
    void openRequest(qint64 id);

private:
    void finish(const Result<HttpResponse> &response);
    void showAnswer();

    HttpClient *m_client;
    Answer m_answer;

    QLabel *m_status;
    QLabel *m_logged;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QTableWidget *m_headers;
    QPlainTextEdit *m_body;
    BodyHighlighter *m_highlighter;
};

} // namespace Hooktrail
