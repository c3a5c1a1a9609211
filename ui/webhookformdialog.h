// The webhook settings form (Add more / edit / duplicate): checked as the user types, each
// problem shown once its field was changed or left, or Save was tried; saved through the store
// executor.
#pragma once

#include "core/model/webhook.h"
#include "ui/consolecontext.h"

#include <QDialog>
#include <QMap>
#include <QSet>
#include <optional>

class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QLayout;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTimer;

namespace Hooktrail {

class AuthenticationSection;
class DestinationSection;
class ResponseSection;
class HeaderTableEditor;
class ProblemLabel;

class WebhookFormDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookFormDialog)
public:
    // existing: nullopt to add; a webhook with an id to edit it; one without an id to add a
    // copy of it (duplicate).
    WebhookFormDialog(
        const ConsoleContext &context, std::optional<Webhook> existing, QWidget *parent = nullptr);
    ~WebhookFormDialog() override;

    // The webhook as stored (with its id), once the dialog is accepted.
    Webhook savedWebhook() const { return m_saved; }
    bool isEditing() const { return !m_base.id.isEmpty(); }

public slots:
    void reject() override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildForm();
    void buildIdentityRows(QFormLayout *form);
    QWidget *buildMethods();
    QLayout *buildHeadersBox();
    void buildContentOption();
    QDialogButtonBox *buildButtons();
    void orderTabs(QPushButton *cancel);
    void fill(const Webhook &webhook);
    Webhook webhookFromForm(QStringList *rowProblems) const;
    void touch(const QString &field);
    bool nameChecked() const;
    QMap<QString, QStringList> problems() const;
    void focusFirstProblem();
    void nameEdited();
    void checkNameUniqueness();
    void validate();
    void save();

    ConsoleContext m_context;
    Webhook m_base; // what the form started from: keeps id, enabled state and timestamps
    Webhook m_saved;

    QList<QPair<QWidget *, QWidget *>> m_identityFields; // id and endpoint: field, copy button
    QLineEdit *m_name = nullptr;
    ProblemLabel *m_nameProblem = nullptr;
    QPlainTextEdit *m_description = nullptr;
    ProblemLabel *m_descriptionProblem = nullptr;
    QMap<QString, QCheckBox *> m_methods;
    ProblemLabel *m_methodsProblem = nullptr;
    HeaderTableEditor *m_headerEditor = nullptr;
    DestinationSection *m_destinations = nullptr;
    QTableWidget *m_headers = nullptr; // m_headerEditor's table
    ProblemLabel *m_headersProblem = nullptr;
    QPlainTextEdit *m_ip = nullptr;
    ProblemLabel *m_ipProblem = nullptr;
    QCheckBox *m_anyContentType = nullptr;
    AuthenticationSection *m_authentication = nullptr;
    ResponseSection *m_response = nullptr;
    ProblemLabel *m_saveProblem = nullptr;
    QPushButton *m_save = nullptr;

    // Name uniqueness needs the database: asked for after a pause in typing, and only the
    // answer for the text now in the field counts.
    QTimer *m_nameTimer = nullptr;
    quint64 m_nameCheckSerial = 0;
    QString m_checkedName; // trimmed name the last answer was about
    bool m_checkedNameTaken = false;
    QString m_checkError;
    QString m_saveError; // the store refused the last save; shown until the next attempt
    bool m_saving = false;

    // A field's problems show once the user changed or left it, every field's once Save was
    // tried: an empty form does not open on a list of what is missing.
    QSet<QString> m_touched; // FieldProblem::field names
    bool m_triedSave = false;
};

} // namespace Hooktrail
