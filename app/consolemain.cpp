// hooktrail's console: the data folder opened, the embedded receiver started, the window shown.
#include "app/consolemain.h"

#include "core/base/settings.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/store/storeexecutor.h"
#include "ui/languages.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QDateTime>
#include <QEvent>
#include <QMessageBox>
#include <QTimer>
#include <QWindow>
#include <cstdio>

namespace Hooktrail {

namespace {

// For bench/startup: reports the wall-clock time the window was first exposed, then quits.
class StartupProbe final : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Expose) {
            auto *window = qobject_cast<QWindow *>(watched);
            if (window && window->isExposed()) {
                std::printf("startup-probe exposed-at-ms %lld\n",
                    static_cast<long long>(QDateTime::currentMSecsSinceEpoch()));
                std::fflush(stdout);
                QTimer::singleShot(0, qApp, &QCoreApplication::quit);
                window->removeEventFilter(this);
            }
        }
        return false;
    }
};

} // namespace

int runConsole(int &argc, char *argv[], const QString &dataDir, const QString &database)
{
    QApplication app(argc, argv);
    app.setDesktopFileName(QStringLiteral("hooktrail"));
    Settings settings(Settings::resolveDataDir(dataDir));
    settings.setDatabase(database);
    Languages::install(settings.language());
    Engine engine(Engine::factoryFor(settings.database()));
    if (const Status status = engine.open(); !status) {
        QMessageBox::critical(nullptr, QObject::tr("Hooktrail"),
            QObject::tr("The database %1 cannot be used:\n%2")
                .arg(settings.databaseForDisplay(), status.error()));
        return 1;
    }
    // Retention runs beside the log writer; a changed setting applies at once.
    const auto followRetention = [&settings, &engine] {
        engine.setRetention(settings.retentionDays(), settings.retentionCount());
    };
    followRetention();
    QObject::connect(&settings, &Settings::changed, &engine, followRetention);
    const auto followKeepFree
        = [&settings, &engine] { engine.setKeepFree(settings.keepFreeBytes()); };
    followKeepFree();
    QObject::connect(&settings, &Settings::changed, &engine, followKeepFree);
    StoreExecutor store(engine.storeFactory());
    // A change made in the console reaches the receiver before the next request.
    store.setAfterWrite([&engine] { engine.config()->refresh(); });
    MainWindow window({ &settings, &engine, &store });
    window.startReceiver();
    window.startApi();
    StartupProbe probe;
    if (qEnvironmentVariableIsSet("HOOKTRAIL_STARTUP_PROBE")) {
        window.winId(); // creates the native window so its expose event can be watched
        window.windowHandle()->installEventFilter(&probe);
    }
    window.show();
    const int code = QApplication::exec();
    window.stopApi(); // before the engine closes: it reads the writer's figures
    engine.close();
    return code;
}

} // namespace Hooktrail
