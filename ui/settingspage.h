// The console's settings page: receiver, retention, language, storage and the API keys manager.
#pragma once

#include "ui/consolecontext.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLayout;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace Hooktrail {

class KeysManager;
class ProblemLabel;

class SettingsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsPage)
public:
    explicit SettingsPage(const ConsoleContext &context, QWidget *parent = nullptr);

    KeysManager *keysManager() const { return m_keys; }
    // True when the fields differ from the stored settings.
    bool hasChanges() const;
    // True when every field holds something that can be stored.
    bool isValid() const;

public slots:
    // Writes the changed fields; emits receiverSettingsChanged() when the receiver must restart.
    void apply();
    // Puts the stored settings back into the fields.
    void revert();
    // What became of the receiver after a restart, e.g. "Not receiving: cannot listen on …".
    void showReceiverOutcome(bool listening, const QString &message);
    // What became of the local API after a change: where it listens, or why it does not.
    void showApiOutcome(bool running, const QString &message);

signals:
    // Listen address, port, limits or trusted proxies were changed and stored.
    void receiverSettingsChanged();
    // The local API was turned on or off, or its address or metrics setting changed.
    void apiSettingsChanged();

private:
    // The fields as the user sees them, to compare with what is stored.
    struct Values
    {
        QString address;
        int port = 0;
        QString publicBaseUrl;
        int bodyLimitMiB = 0;
        int idleTimeoutSeconds = 0;
        QStringList trustedProxies;
        QString tlsCertificate; // both empty: plain HTTP
        QString tlsKey;
        int retentionDays = 0; // 0: forever; -1: a custom number that is not one
        int retentionCount = 0; // 0: no limit; -1: a custom number that is not one
        QString language;
        QString sharedDatabase;
        int keepFreeMiB = 0;
        bool apiEnabled = false;
        QString apiListen;
        bool apiMetricsNeedToken = true;
        bool receiverDiffers(const Values &other) const;
        bool apiDiffers(const Values &other) const;
        bool operator==(const Values &other) const;
    };

    // The page's sections, top to bottom; each sets the members it holds.
    QGroupBox *buildReceiverGroup(QWidget *parent);
    QGroupBox *buildRetentionGroup(QWidget *parent);
    QGroupBox *buildLanguageGroup(QWidget *parent);
    QGroupBox *buildDatabaseGroup(QWidget *parent);
    QGroupBox *buildKeysGroup(QWidget *parent);
    QGroupBox *buildApiGroup(QWidget *parent);
    QLayout *buildApplyRow();

    // Asks before a new retention deletes requests; stores nothing unless the user agrees.
    void confirmRetention(const Values &values, qint64 removable);
    // Writes the fields that differ from the stored settings.
    void save(const Values &values);

    Values storedValues() const;
    Values fieldValues() const;
    void showValues(const Values &values);
    void validate();
    void updateDefaultBaseUrl();
    // Writes a self-signed pair into the data folder's tls/ and fills the TLS fields with it.
    void createSelfSigned();
    void writeSelfSigned(const QString &host, bool replace);
    void browseTlsFile(QLineEdit *edit, const QString &caption);

    ConsoleContext m_context;
    Values m_stored;
    bool m_applying = false; // our own writes are on their way to the settings
    bool m_justApplied = false; // keeps "Saved." showing until the next edit
    bool m_loading = false; // showValues() is filling the fields
    bool m_confirming = false; // counting what a new retention deletes, or asking about it

    QLineEdit *m_addressEdit;
    ProblemLabel *m_addressProblem;
    QSpinBox *m_portSpin;
    QLineEdit *m_publicBaseUrlEdit;
    ProblemLabel *m_publicBaseUrlProblem;
    QSpinBox *m_bodyLimitSpin;
    QSpinBox *m_idleTimeoutSpin;
    QPlainTextEdit *m_trustedProxiesEdit;
    ProblemLabel *m_trustedProxiesProblem;
    QLineEdit *m_tlsCertificateEdit;
    QLineEdit *m_tlsKeyEdit;
    QPushButton *m_selfSignedButton;
    ProblemLabel *m_tlsProblem;
    QComboBox *m_retentionDaysCombo;
    QLineEdit *m_retentionDaysEdit; // shown for "Custom…"
    QComboBox *m_retentionCountCombo;
    QLineEdit *m_retentionCountEdit; // shown for "Custom…"
    ProblemLabel *m_retentionProblem;
    QComboBox *m_languageCombo;
    QLineEdit *m_databaseEdit;
    QSpinBox *m_keepFreeSpin;
    ProblemLabel *m_databaseProblem;
    KeysManager *m_keys;
    QCheckBox *m_apiEnabledCheck;
    QLineEdit *m_apiListenEdit;
    ProblemLabel *m_apiListenProblem;
    QCheckBox *m_apiMetricsTokenCheck;
    QLabel *m_apiOutcome;
    ProblemLabel *m_apiProblem;
    QLabel *m_outcome;
    ProblemLabel *m_receiverProblem;
    QLabel *m_status;
    QPushButton *m_applyButton;
    QPushButton *m_revertButton;
};

} // namespace Hooktrail
