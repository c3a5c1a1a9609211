// The console's main window.
#pragma once

#include <QMainWindow>

class QLabel;

namespace Hooktrail {

class Engine;
class Settings;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    MainWindow(Settings *settings, Engine *engine, QWidget *parent = nullptr);

    // Starts the embedded receiver with the current settings; a failure is shown, not fatal.
    bool startReceiver();
    QString receiverState() const;

private:
    Settings *m_settings;
    Engine *m_engine;
    QLabel *m_receiverState;
};

// Opens the data folder, starts the embedded receiver and shows the window.
int runConsole(const QString &dataDir);

} // namespace Hooktrail
