// The API-key modal: asks for a key as the Octolis flow does and checks it against the stored
// hashes, or creates one on the spot (shown once), then shows the webhook's endpoint with the
// key integrated, ready to copy.
#pragma once

#include "core/model/webhook.h"
#include "ui/consolecontext.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace Hooktrail {

class NewKeyPanel;
class ProblemLabel;

class EndpointDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointDialog)
public:
    EndpointDialog(
        const ConsoleContext &context, const Webhook &webhook, QWidget *parent = nullptr);
    ~EndpointDialog() override;

    // Empty until a key was verified.
    QString endpointWithKey() const;
    QString endpointWithoutKey() const;
    QString curlCommand() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *buildKeyPage();
    void buildCreateKeyBox(QWidget *parent);
    QWidget *buildEndpointPage();
    void lookForKeys();
    void verify();
    void createKey();
    void showEndpoint(const QString &key);
    void fitEndpoint();
    void copy(QPushButton *button, const QString &text, const QString &feedback);

    ConsoleContext m_context;
    Webhook m_webhook;
    QString m_key; // the verified key, kept only while the dialog is open

    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_keyEdit = nullptr;
    QCheckBox *m_showKey = nullptr;
    ProblemLabel *m_keyProblem = nullptr;
    QPushButton *m_verify = nullptr;
    QWidget *m_createBox = nullptr;
    QLabel *m_createIntro = nullptr;
    QLineEdit *m_keyName = nullptr;
    QPushButton *m_createKey = nullptr;
    ProblemLabel *m_createProblem = nullptr;
    NewKeyPanel *m_newKeyPanel = nullptr; // on the endpoint page, once a key was created here

    QLineEdit *m_endpointEdit = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_copyWithoutKey = nullptr;
    QPushButton *m_copyCurl = nullptr;
    QLabel *m_copyStatus = nullptr;
    quint64 m_verifySerial = 0;
};

} // namespace Hooktrail
