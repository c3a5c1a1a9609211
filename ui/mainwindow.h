// The console's main window: a sidebar of pages (Connections, History, Settings) and a status
// bar that says where the receiver listens (or why it refuses requests), how busy it is and
// how large the log has grown.
#pragma once

#include "ui/consolecontext.h"
#include "ui/verifiedkeys.h"

#include <QMainWindow>
#include <QVector>
#include <memory>

class QLabel;
class QListWidget;
class QStackedWidget;
class QTimer;

namespace Hooktrail {

class ApiHost;

class ConnectionsPage;
class HistoryPage;
class SettingsPage;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    enum class Page { Connections = 0, History = 1, Settings = 2 };

    explicit MainWindow(const ConsoleContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts (or restarts) the embedded receiver with the current settings; a failure is
    // shown in the status bar, not fatal.
    bool startReceiver();
    QString receiverState() const;
    // Starts, restarts or stops the local API as Settings → Local API say; the outcome shows
    // on that page. stopApi() before the engine closes: the API reads its figures.
    bool startApi();
    void stopApi();
    quint16 apiPort() const; // 0 while it does not run

    void showPage(Page page);
    Page currentPage() const;
    ConnectionsPage *connectionsPage() const { return m_connections; }
    SettingsPage *settingsPage() const { return m_settingsPage; }
    HistoryPage *historyPage() const { return m_history; }

signals:
    void receiverRestarted(bool listening);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    std::unique_ptr<ApiHost> m_api;
    void buildPages();
    void buildSidebar();
    void buildStatusBar();
    void updateStatus();
    void updateReceiverState();
    void restoreState();
    void saveState();

    VerifiedKeys m_verifiedKeys; // before m_context, which points to it
    ConsoleContext m_context;
    QListWidget *m_sidebar;
    QStackedWidget *m_pages;
    ConnectionsPage *m_connections;
    HistoryPage *m_history;
    SettingsPage *m_settingsPage;
    QLabel *m_receiverState;
    QString m_listenState; // what startReceiver() found: listening where, or why not
    QString m_listenToolTip;
    QLabel *m_rate;
    QLabel *m_databaseSize;
    QTimer *m_statusTimer;
    QVector<qint64> m_requestSamples; // requests counter, one sample a second, last 61 seconds
};

} // namespace Hooktrail
