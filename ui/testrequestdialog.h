// Send test request: a request built from the webhook's rules, sent through the real
// receiver over the network, with the response shown as the sender would see it.
#pragma once

#include "core/model/webhook.h"
#include "ui/consolecontext.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace Hooktrail {

class HeaderTableEditor;
class RequestSender;

class TestRequestDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestRequestDialog)
public:
    TestRequestDialog(
        const ConsoleContext &context, const Webhook &webhook, QWidget *parent = nullptr);
    ~TestRequestDialog() override;

    QString targetUrl() const; // the endpoint, without the key

signals:
    // The "Logged as request N" link was followed (the dialog closes).
    void openRequest(qint64 id);

private:
    QFormLayout *buildForm();
    void buildHeaders();
    QHBoxLayout *buildKeyRow();
    void buildOutcome();
    QDialogButtonBox *buildButtons();
    void send();
    // What the receiver made of the request, from its response's JSON.
    void showOutcome(int status);

    ConsoleContext m_context;
    Webhook m_webhook;

    QComboBox *m_method = nullptr;
    HeaderTableEditor *m_headers = nullptr;
    QLineEdit *m_keyEdit = nullptr;
    QPlainTextEdit *m_body = nullptr;
    RequestSender *m_sender = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_answer = nullptr;
    QString m_sentKey; // the key of the request on its way
};

} // namespace Hooktrail
