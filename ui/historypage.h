// The console's History page: every logged request, newest first and live, with filters, a
// chart over time, a detail pane and the actions on requests (copy as curl, replay, export,
// delete, redeliver).
#pragma once

#include "core/history/requestexport.h"
#include "core/model/apikey.h"
#include "core/model/requestfilter.h"
#include "core/model/webhook.h"
#include "ui/consolecontext.h"
#include "ui/filterbar.h"

#include <QHash>
#include <QPointer>
#include <QWidget>
#include <functional>

class QAction;
class QLabel;
class QMessageBox;
class QProgressDialog;
class QPushButton;
class QSplitter;
class QTableView;
class QTimer;
class QToolBar;

namespace Hooktrail {

class DeleteController;
class ExportController;
class HistoryChart;
class Notification;
class ProblemLabel;
class RedeliverController;
class ReplayDialog;
class RequestDetailView;
class RequestTableModel;

class HistoryPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryPage)
public:
    using TimeRange = FilterBar::TimeRange;
    enum class ExportScope { Filter, Selection };
    static constexpr int SearchDelayMs = FilterBar::SearchDelayMs;
    static constexpr int ChartIntervalMs = 2000; // live updates redraw the chart at most this often
    // While following the newest rows, the table keeps at most this many loaded.
    static constexpr int MaxFollowRows = 2000;
    // The list's share of the width, in percent, until the user moves the split.
    static constexpr int ListShare = 38;

    explicit HistoryPage(const ConsoleContext &context, QWidget *parent = nullptr);
    ~HistoryPage() override;

    RequestTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    RequestDetailView *detailView() const { return m_detail; }
    HistoryChart *chart() const { return m_chart; }
    QPushButton *newRowsButton() const { return m_newRows; }
    QLabel *countLabel() const { return m_count; }
    // The list beside the detail, the detail taking most of the width; remembered in Settings.
    QSplitter *splitter() const { return m_splitter; }
    // Messages float over the page (export, delete, copy): the table never moves for them.
    Notification *notification() const { return m_notification; }
    QMessageBox *deleteConfirmation() const; // while one is open
    QProgressDialog *exportProgress() const; // while an export runs
    ReplayDialog *replayDialog() const; // the last one opened, while open

    // The filter the bar shows; applyFilter() uses it at once (edits apply by themselves,
    // the search after a short pause).
    RequestFilter currentFilter() const;
    void applyFilter();
    void setTimeRange(TimeRange range);
    // Selects the row of this request when it is loaded.
    bool selectRequest(qint64 id);
    // Shows this request in the detail pane, selecting its row when it is loaded.
    void openRequest(qint64 id);
    // Back to the newest rows, as the "N new" button does.
    void jumpToNewest();
    // The user is at the newest rows with nothing selected: new rows show without moving anything.
    bool isFollowing() const;
    int newRowCount() const { return m_newCount; }

    // Actions on the request in the detail pane.
    void copyAsCurl(const QString &apiKey = {}); // a placeholder stands for the key when empty
    void askKeyAndCopyAsCurl();
    void replayCurrent(); // opens the Replay dialog
    // Writes matching requests (or the selected ones) to path; exportFinished() tells the outcome.
    void exportTo(const QString &path, RequestExport::Format format, ExportScope scope);
    void chooseExportFile(ExportScope scope);
    // Each asks first, saying how many rows go; deleted() follows the confirmation.
    void deleteSelected();
    void deleteMatching();
    QList<qint64> selectedIds() const; // of the loaded rows selected
    // Deliver again to every destination of their webhooks: the accepted requests selected, or
    // every accepted request the filter matches; each asks first and shows progress.
    void redeliverSelected();
    void redeliverMatching();
    RedeliverController *redeliverController() const { return m_redeliver; }
    bool selectionLoaded() const;

    void reloadWebhooks();
    void scheduleChart();
    void refreshChart();

signals:
    void detailShown(qint64 id);
    void curlCopied(const QString &command);
    void exportFinished(bool ok, const QString &message);
    void deleted(qint64 rows);
    void chartRefreshed();
    void webhooksLoaded();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildActions();
    void updateActions();
    void applyFilter(const RequestFilter &filter);
    void updateCount();
    void onNewerLoaded(int rows);
    void onCurrentRowChanged();
    bool checkSelectionLoaded(); // says what to do instead when it is not
    void loadVisibleRows();
    void loadDetail(qint64 id);
    void loadDetailDeliveries(); // the detail's Deliveries tab, read again
    void onAttemptsRecorded(const QList<qint64> &requestIds);
    void showNewButton();
    void onDeleted(const QList<qint64> &ids, qint64 rows);
    void showMessage(const QString &message);
    void showError(const QString &error);
    void restoreSplitter();
    void saveSplitter();
    QString baseUrl() const;

    ConsoleContext m_context;
    RequestTableModel *m_model;
    QTableView *m_table;
    RequestDetailView *m_detail;
    HistoryChart *m_chart;
    QSplitter *m_splitter;
    QToolBar *m_toolBar;
    QLabel *m_count;
    QLabel *m_emptyState = nullptr; // over the table while nothing matches
    Notification *m_notification;
    ProblemLabel *m_error;
    QPushButton *m_newRows;

    FilterBar *m_filterBar;
    ExportController *m_export;
    DeleteController *m_delete;
    RedeliverController *m_redeliver;
    QTimer *m_chartTimer;

    QAction *m_copyCurl = nullptr;
    QAction *m_copyCurlWithKey = nullptr;
    QAction *m_replayAction = nullptr;
    QAction *m_exportFiltered = nullptr;
    QAction *m_exportSelected = nullptr;
    QAction *m_deleteSelected = nullptr;
    QAction *m_deleteMatching = nullptr;
    QAction *m_redeliverSelected = nullptr;
    QAction *m_redeliverMatching = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_findAction = nullptr;

    QHash<QString, Webhook> m_webhooks;
    QPointer<ReplayDialog> m_replay;
    qint64 m_detailWanted = 0; // the request whose detail is loading or shown
    int m_newCount = 0;
    bool m_reloadOnJump = false; // live loading overflowed while the user looked elsewhere
    bool m_chartLoading = false;
    bool m_chartAgain = false;
    bool m_splitPlaced = false; // sizes restored or first laid out
};

} // namespace Hooktrail
