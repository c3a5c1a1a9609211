// The console's Connections page: the "Webhooks" box with its list, the selected webhook's
// detail panel, Add more and the actions on the selected webhook (edit, enable/disable,
// duplicate, delete, endpoint, test, import/export).
#pragma once

#include "core/history/webhooktransfer.h"
#include "core/model/webhook.h"
#include "ui/consolecontext.h"

#include <QMessageBox>
#include <QPointer>
#include <QWidget>
#include <optional>

class QAction;
class QLabel;
class QPushButton;
class QTableView;
class QTimer;
class QToolBar;

namespace Hooktrail {

class ProblemLabel;
class WebhookDetailPanel;
class WebhookFormDialog;
class WebhookListModel;

class ConnectionsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionsPage)
public:
    explicit ConnectionsPage(const ConsoleContext &context, QWidget *parent = nullptr);
    ~ConnectionsPage() override;

    WebhookListModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    WebhookDetailPanel *detailPanel() const { return m_detail; }

    // Each opens its dialog window-modal and returns at once.
    void addWebhook();
    void editSelected();
    void duplicateSelected();
    void deleteSelected(); // asks first, naming how many logged requests the webhook has
    void copyEndpointOfSelected();
    void sendTestRequestToSelected();
    void toggleSelected();
    // Without file dialogs; the results arrive as importFinished / exportFinished. An import
    // first shows what it will do (ImportPreviewDialog) and writes only once that is confirmed.
    void importFrom(const QString &path);
    void exportTo(const QString &path); // every webhook

    // What the delete confirmation's buttons do.
    void removeWebhook(const QString &id, bool deleteRequests);

    void reload(); // webhooks and activity
    void refreshActivity(); // activity only, rows updated in place
    std::optional<Webhook> selectedWebhook() const;
    void selectWebhook(const QString &id);
    QMessageBox *deleteConfirmation() const { return m_deleteConfirmation; } // while one is open

signals:
    void loaded(); // a list load reached the model
    void activityRefreshed(); // an activity refresh reached the model
    void webhookRemoved(const QString &id);
    // skipped: entries left out that were fine ("“Orders”: already here"); problems: invalid
    // entries and failed writes.
    void importFinished(int imported, const QStringList &renamed, const QStringList &problems,
        const QStringList &skipped);
    void exportFinished(bool ok, const QString &error);
    void openRequest(qint64 id); // a test request's logged request, to show in the History

protected:
    void showEvent(QShowEvent *event) override;

private:
    void buildAddMoreButton();
    QToolBar *buildToolBar(QWidget *parent);
    void buildStateLabels();
    void buildTable();
    void buildActions();
    void updateActions();
    void updateEmptyState();
    void fitMeasuredColumns();
    void askToDelete(const Webhook &webhook, qint64 requestCount);
    WebhookFormDialog *openForm(const std::optional<Webhook> &existing, bool thenShowEndpoint);
    void openEndpointDialog(const Webhook &webhook);
    void chooseImportFile();
    void previewImport(const QString &path, WebhookTransfer::Parsed parsed, QList<Webhook> stored);
    void runImport(const WebhookTransfer::Parsed &parsed, bool keepIds);
    void reportImport(const WebhookTransfer::Outcome &outcome);
    void chooseExportFile();
    void showMessage(const QString &message);
    void showError(const QString &error, bool fromLoading = false);
    void loadingWorked();
    QString uniqueCopyName(const QString &name) const;

    ConsoleContext m_context;
    WebhookListModel *m_model;
    QTableView *m_table;
    QLabel *m_emptyState;
    QLabel *m_message;
    ProblemLabel *m_error;
    QPushButton *m_addMore;
    WebhookDetailPanel *m_detail;
    QToolBar *m_toolBar = nullptr;
    QAction *m_edit = nullptr;
    QAction *m_toggle = nullptr;
    QAction *m_duplicate = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_copyEndpoint = nullptr;
    QAction *m_sendTest = nullptr;
    QAction *m_import = nullptr;
    QAction *m_export = nullptr;
    QTimer *m_activityTimer;
    QPointer<QMessageBox> m_deleteConfirmation;
    QString m_selectAfterLoad; // a webhook just added: selected once the list shows it
    bool m_loaded = false;
    bool m_errorFromLoading = false; // the error shown came from reading the list, not an action
    bool m_loading = false;
    bool m_loadAgain = false; // a change arrived while a load was running
    bool m_refreshingActivity = false;
};

} // namespace Hooktrail
