// Replay…: a logged request sent again to any URL, with method, headers and body editable
// first, and the response shown. It sends what was received: the headers in their order and
// the body's bytes, nothing added but Host, Content-Length and Connection (HttpClient). The
// log masks the key, so the key is left out of the URL and headers shown and typed in a field
// of its own (or offered again when the receiver accepted it earlier in this run). Nothing
// waits: the request goes out asynchronously.
#pragma once

#include "core/http/httpclient.h"
#include "core/model/loggedrequest.h"
#include "ui/consolecontext.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLayout;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace Hooktrail {

class HeaderTableEditor;
class ProblemLabel;
class RequestSender;

class ReplayDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayDialog)
public:
    ReplayDialog(
        const ConsoleContext &context, const LoggedRequest &request, QWidget *parent = nullptr);
    ~ReplayDialog() override;

    // What the dialog shows: the URL without the key, the method, the headers without the key.
    QString url() const;
    QByteArray method() const;
    HeaderList headers() const; // rows with an empty name are skipped
    QByteArray body() const; // the logged bytes until the body is edited
    QString key() const;
    // What Send sends: the above with the key put back where the logged request had it.
    OutgoingRequest outgoing() const;

    // The URL the logged request reached, on this receiver, without its key parameters.
    static QString defaultUrl(const QString &baseUrl, const LoggedRequest &request);
    // Headers to send again: all but those the HTTP client sets and the masked key header.
    static HeaderList replayHeaders(const HeaderList &logged);

    void send();

signals:
    // After each response (status 0: none came; the message says why).
    void answered(int status);
    // The "Logged as request N" link was followed.
    void openRequest(qint64 id);

private:
    QWidget *buildRequestBox(const LoggedRequest &request);
    QLayout *buildHeadersBox(const LoggedRequest &request);
    void buildBodyEdit(const LoggedRequest &request);
    QDialogButtonBox *buildButtons();
    void setError(const QString &error);
    void onAnswered(int status);
    bool isOwnReceiver(const QUrl &url) const;

    // Where the logged request had its key, masked in the log: a query parameter's name and
    // place, a header's name and place.
    struct KeySlot
    {
        QByteArray name;
        qsizetype index = 0;
    };
    ConsoleContext m_context;
    LoggedRequest m_request;
    QList<KeySlot> m_keyParameters;
    QList<KeySlot> m_keyHeaders;
    bool m_bodyEdited = false;
    QString m_sentKey; // the key of the request on its way
    QString m_sentWebhook; // the webhook its URL names

    QLineEdit *m_url;
    QComboBox *m_method;
    QLineEdit *m_key;
    HeaderTableEditor *m_headers;
    QPlainTextEdit *m_body;
    QPushButton *m_send;
    ProblemLabel *m_error;
    RequestSender *m_sender;
};

} // namespace Hooktrail
