// The console's main window.
#include "mainwindow.h"

#include "engine.h"
#include "receiver.h"
#include "settings.h"

#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

namespace Hooktrail {

MainWindow::MainWindow(Settings *settings, Engine *engine, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_engine(engine)
    , m_receiverState(new QLabel(this))
{
    setWindowTitle(tr("Hooktrail"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *title = new QLabel(tr("<h2>Webhooks</h2><p>Every request that reaches the receiver is kept in the history.</p>"), central);
    title->setTextFormat(Qt::RichText);
    layout->addWidget(title);
    layout->addStretch();
    setCentralWidget(central);
    m_receiverState->setAccessibleName(tr("Receiver state"));
    statusBar()->addPermanentWidget(m_receiverState);
    resize(960, 640);
}

bool MainWindow::startReceiver()
{
    const Status status = m_engine->startReceiver(m_settings->receiverOptions());
    if (!status) {
        m_receiverState->setText(tr("Not receiving: %1").arg(status.error()));
        return false;
    }
    m_receiverState->setText(tr("Receiving on %1").arg(m_settings->baseUrl(m_engine->receiver()->port())));
    return true;
}

QString MainWindow::receiverState() const
{
    return m_receiverState->text();
}

int runConsole(const QString &dataDir)
{
    Settings settings(Settings::resolveDataDir(dataDir));
    Engine engine(Engine::sqliteFactory(settings.databasePath()));
    if (const Status status = engine.open(); !status) {
        QMessageBox::critical(nullptr, QObject::tr("Hooktrail"),
                              QObject::tr("The data folder %1 cannot be used:\n%2").arg(settings.dataDir(), status.error()));
        return 1;
    }
    MainWindow window(&settings, &engine);
    window.startReceiver(); // a busy port is reported in the window, not fatal
    window.show();
    const int code = QApplication::exec();
    engine.close();
    return code;
}

} // namespace Hooktrail
