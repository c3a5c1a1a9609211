// Send test request: a request built from the webhook's rules, sent through the real
// receiver over the network, with the answer shown as the sender would see it.
#pragma once

#include "core/model/webhook.h"
#include "ui/consolecontext.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QNetworkReply;
class QPlainTextEdit;
class QPushButton;

namespace Hooktrail {

class HeaderTableEditor;

class TestRequestDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestRequestDialog)
public:
    TestRequestDialog(
        const ConsoleContext &context, const Webhook &webhook, QWidget *parent = nullptr);
    ~TestRequestDialog() override;

    QString targetUrl() const; // the endpoint, without the key

private:
    void send();
    void showAnswer(QNetworkReply *reply);

    ConsoleContext m_context;
    Webhook m_webhook;
    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;

    QComboBox *m_method = nullptr;
    HeaderTableEditor *m_headers = nullptr;
    QLineEdit *m_keyEdit = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_answer = nullptr;
    QLabel *m_requestId = nullptr;
};

} // namespace Hooktrail
