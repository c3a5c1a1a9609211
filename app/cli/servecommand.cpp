// `hooktrail serve`: the receiver alone, no window, until SIGINT or SIGTERM.
#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"
#include "app/cli/options.h"
#include "app/cli/signalpipe.h"

#include "core/endpoint/route.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"

#include <QCoreApplication>
#include <QTextStream>

namespace Hooktrail::CommandLine {

namespace {

// --listen ADDR:PORT, with [v6]:PORT for IPv6.
bool parseListen(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':'))
        return false;
    bool ok = false;
    const uint value = text.mid(colon + 1).toUInt(&ok);
    if (!ok || value > 65535 || !address->setAddress(host))
        return false;
    *port = quint16(value);
    return true;
}

} // namespace

int serveCommand(CommandContext &context, const QStringList &words)
{
    const Options options = parseOptions(words, { { QStringLiteral("listen") } }, 0);
    if (!options.error.isEmpty())
        return context.usageError(options.error);
    ReceiverOptions receiverOptions = context.settings().receiverOptions();
    if (options.has(QStringLiteral("listen"))
        && !parseListen(options.value(QStringLiteral("listen")), &receiverOptions.address,
            &receiverOptions.port))
        return context.usageError(
            QStringLiteral("--listen takes ADDR:PORT, e.g. 127.0.0.1:8484 or [::1]:8484"));

    if (!context.store())
        return context.storeFailure();
    Engine engine(Engine::factoryFor(context.settings().database()));
    engine.setRetention(context.settings().retentionDays(), context.settings().retentionCount());
    engine.setKeepFree(context.settings().keepFreeBytes());
    QObject::connect(
        &engine, &Engine::retentionRan, &engine, [&context](const QDateTime &, qint64 removed) {
            if (removed > 0) {
                context.out << "retention removed " << removed
                            << (removed == 1 ? " request\n" : " requests\n");
                context.out.flush();
            }
        });
    if (const Status status = engine.open(); !status)
        return context.failure(QStringLiteral("%1 is unusable: %2")
                                   .arg(context.settings().describeDatabase(), status.error()));
    if (const Status status = engine.startReceiver(receiverOptions); !status)
        return context.failure(status.error());

    // SIGINT/SIGTERM end the event loop, so the queued log rows are written first.
    SignalPipe signalPipe;
    QObject::connect(&signalPipe, &SignalPipe::terminationRequested, qApp, &QCoreApplication::quit);

    const quint16 port = engine.receiver()->port();
    ReceiverOptions shown = receiverOptions;
    context.out << "Hooktrail " << HOOKTRAIL_VERSION << " receiving on "
                << QStringLiteral("%1:%2").arg(shown.address.toString()).arg(port)
                << " (endpoints: " << context.settings().baseUrl(port) << Endpoint::RoutePrefix
                << "{id}); data in " << context.settings().databaseForDisplay() << '\n';
    context.out.flush();
    const int code = QCoreApplication::exec();
    engine.close();
    context.out << "Hooktrail receiver stopped\n";
    return code;
}

} // namespace Hooktrail::CommandLine
