// The webhook form's Authentication and Response sections (ARCHITECTURE §5.6): what a sender
// proves (the API key, a provider's signature, or both) with the scheme's secrets, never shown
// again once entered; and what an accepted request is answered. Each shows its details only
// when they apply, so a webhook on the contract's defaults keeps a short form.
#pragma once

#include "core/model/webhook.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace Hooktrail {

class HeaderTableEditor;
class ProblemLabel;

class AuthenticationSection final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuthenticationSection)
public:
    explicit AuthenticationSection(QWidget *parent = nullptr);

    void fill(const Webhook &webhook); // without an edited() signal
    void apply(Webhook &webhook) const;
    // The problems of the fields "secrets", "tolerance", "hmac" and "verification", as shown.
    void setProblems(const QStringList &problems);
    static bool ownsField(const QString &field);
    QWidget *firstField() const;
    QList<QWidget *> tabOrder() const;

signals:
    void edited();

private:
    void addSecret();
    void removeSecrets();
    void refreshSecrets();
    void updateDetails();

    QComboBox *m_mode;
    QWidget *m_details;
    QComboBox *m_preset;
    QLabel *m_hint;
    QListWidget *m_secretList;
    QLineEdit *m_secretEdit;
    QPushButton *m_addSecret;
    QPushButton *m_removeSecret;
    QLabel *m_toleranceLabel;
    QSpinBox *m_tolerance;
    QWidget *m_hmac;
    QLineEdit *m_hmacHeader;
    QComboBox *m_hmacAlgorithm;
    QComboBox *m_hmacEncoding;
    QLineEdit *m_hmacPrefix;
    QLineEdit *m_hmacTimestamp;
    QLineEdit *m_hmacPayload;
    ProblemLabel *m_problem;
    QStringList m_secrets; // as stored or entered; shown masked
};

class ResponseSection final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResponseSection)
public:
    explicit ResponseSection(QWidget *parent = nullptr);

    void fill(const Webhook &webhook); // without an edited() signal
    void apply(Webhook &webhook) const;
    void setProblems(const QStringList &problems); // the field "response"
    QWidget *firstField() const;
    QList<QWidget *> tabOrder() const;

signals:
    void edited();

private:
    enum Preset { Contract, Empty204, EchoId, Fail500, Custom };
    void choosePreset(int index);
    void show(const CustomResponse &response);
    CustomResponse fromFields() const;
    void detailsEdited();

    QComboBox *m_preset;
    QWidget *m_details;
    QSpinBox *m_status;
    QLineEdit *m_contentType;
    QPlainTextEdit *m_body;
    HeaderTableEditor *m_headers;
    QSpinBox *m_delay;
    ProblemLabel *m_problem;
    bool m_filling = false;
};

} // namespace Hooktrail
