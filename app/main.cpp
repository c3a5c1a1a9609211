// hooktrail: the console, or with a command, the receiver and tools without a window.
#include "app/commandline.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QTextStream>
#include <csignal>
#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("Hooktrail"));
    QCoreApplication::setOrganizationName(QStringLiteral("Hooktrail"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HOOKTRAIL_VERSION));

    // Past a file size limit (RLIMIT_FSIZE) the kernel sends SIGXFSZ, whose default action
    // kills the process in the middle of whatever it was doing. Ignored, the write fails with
    // EFBIG instead: SQLite reports the disk as full, the log writer answers 503
    // storage_unavailable and recovers once the limit is lifted.
    std::signal(SIGXFSZ, SIG_IGN);

    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const Hooktrail::CommandLine::Invocation invocation = Hooktrail::CommandLine::parse(arguments);

    if (invocation.wantsConsole()) {
        QApplication app(argc, argv);
        app.setDesktopFileName(QStringLiteral("hooktrail"));
        return Hooktrail::runConsole(invocation.dataDir, invocation.database);
    }
    // Without a window nothing needs GLib's event loop; Qt's own is lighter per socket event,
    // which the receiver's threads feel at thousands of requests a second.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QTextStream err(stderr);
    return Hooktrail::CommandLine::run(invocation, out, err);
}
