// Replay…: a logged request sent again to any URL, with method, headers and body editable
// first, and the answer shown. Nothing waits: the request goes out asynchronously.
#pragma once

#include "core/history/curlcommand.h"
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
    // Where the logged request had its key (redacted in the log), until the user types one.
    static QString keyPlaceholder() { return CurlCommand::KeyPlaceholder; }

    ReplayDialog(
        const ConsoleContext &context, const LoggedRequest &request, QWidget *parent = nullptr);
    ~ReplayDialog() override;

    // What Send sends, as the dialog shows it.
    QString url() const;
    QByteArray method() const;
    HeaderList headers() const; // rows with an empty name are skipped
    QByteArray body() const;

    // The URL the logged request reached, on this receiver, with the key placeholder.
    static QString defaultUrl(const QString &baseUrl, const LoggedRequest &request);
    // Headers worth sending again: not those the HTTP client sets itself, key placeholder in
    // X-Api-Key.
    static HeaderList replayHeaders(const HeaderList &logged);

    void send();

signals:
    // After each answer (status 0: none came; the message says why).
    void answered(int status);

private:
    QWidget *buildRequestBox(const LoggedRequest &request);
    QLayout *buildHeadersBox(const LoggedRequest &request);
    void buildBodyEdit(const LoggedRequest &request);
    QDialogButtonBox *buildButtons();
    void fillKey(const QString &key);
    void setError(const QString &error);

    ConsoleContext m_context;
    QString m_keyFill; // what stands for the key in the URL and headers now

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
