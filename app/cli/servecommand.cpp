// `hooktrail serve`: the receiver alone, no window, until SIGINT or SIGTERM.
#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"
#include "app/cli/options.h"
#include "app/cli/signalpipe.h"

#include "core/api/apiserver.h"
#include "core/endpoint/route.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"

#include <QCoreApplication>
#include <QTextStream>

namespace Hooktrail::CommandLine {

int serveCommand(CommandContext &context, const QStringList &words)
{
    const Options options = parseOptions(words,
        { { QStringLiteral("listen") }, { QStringLiteral("api-listen") },
            { QStringLiteral("tls-cert") }, { QStringLiteral("tls-key") },
            { QStringLiteral("listen-tls") } },
        0);
    if (!options.error.isEmpty())
        return context.usageError(options.error);
    ReceiverOptions receiverOptions = context.settings().receiverOptions();
    if (options.has(QStringLiteral("listen"))
        && !Settings::parseListen(options.value(QStringLiteral("listen")), &receiverOptions.address,
            &receiverOptions.port))
        return context.usageError(
            QStringLiteral("--listen takes ADDR:PORT, e.g. 127.0.0.1:8484 or [::1]:8484"));
    // TLS (ARCHITECTURE §5.8): --tls-cert and --tls-key, or Settings → Receiver.
    const bool certificateGiven = options.has(QStringLiteral("tls-cert"));
    if (certificateGiven != options.has(QStringLiteral("tls-key")))
        return context.usageError(QStringLiteral("--tls-cert and --tls-key go together"));
    if (certificateGiven) {
        receiverOptions.tlsCertificateFile = options.value(QStringLiteral("tls-cert"));
        receiverOptions.tlsKeyFile = options.value(QStringLiteral("tls-key"));
    }
    if (options.has(QStringLiteral("listen-tls"))) {
        if (!receiverOptions.tls())
            return context.usageError(
                QStringLiteral("--listen-tls needs a certificate: --tls-cert and --tls-key"));
        quint16 tlsPort = 0;
        if (!Settings::parseListen(
                options.value(QStringLiteral("listen-tls")), &receiverOptions.tlsAddress, &tlsPort))
            return context.usageError(
                QStringLiteral("--listen-tls takes ADDR:PORT, e.g. 0.0.0.0:8443 or [::]:8443"));
        receiverOptions.tlsPort = tlsPort;
    }
    // The local API: --api-listen, or Settings → API.
    std::optional<ApiOptions> apiOptions;
    if (options.has(QStringLiteral("api-listen")) || context.settings().apiEnabled()) {
        apiOptions.emplace();
        const QString listen = options.has(QStringLiteral("api-listen"))
            ? options.value(QStringLiteral("api-listen"))
            : context.settings().apiListen();
        if (!Settings::parseListen(listen, &apiOptions->address, &apiOptions->port))
            return context.usageError(
                QStringLiteral("--api-listen takes ADDR:PORT, e.g. 127.0.0.1:8485 or [::1]:8485"));
        apiOptions->metricsNeedToken = context.settings().apiMetricsNeedToken();
    }

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

    const Receiver *receiver = engine.receiver();
    const quint16 port = receiver->port();
    const QString base
        = context.settings().baseUrl(receiver->endpointPort(), receiver->endpointScheme());
    ApiHost api(engine.storeFactory(),
        { engine.writer(), &engine.receiver()->stats(), engine.deliverer() });
    if (apiOptions) {
        apiOptions->endpointBase = base;
        const Result<quint16> apiPort = api.start(*apiOptions);
        if (!apiPort)
            return context.failure(apiPort.error());
    }
    context.out << "Hooktrail " << HOOKTRAIL_VERSION << " receiving on "
                << QStringLiteral("%1:%2").arg(receiverOptions.address.toString()).arg(port);
    if (receiver->tlsPort() == port)
        context.out << " with TLS";
    else if (receiver->tlsPort() != 0)
        context.out << " and with TLS on "
                    << QStringLiteral("%1:%2")
                           .arg(receiverOptions.tlsAddress.toString())
                           .arg(receiver->tlsPort());
    context.out << " (endpoints: " << base << Endpoint::RoutePrefix << "{id}); data in "
                << context.settings().databaseForDisplay() << '\n';
    if (api.isRunning())
        context.out << "API on http://"
                    << (apiOptions->address.protocol() == QAbstractSocket::IPv6Protocol
                               ? QStringLiteral("[%1]").arg(apiOptions->address.toString())
                               : apiOptions->address.toString())
                    << ':' << api.port() << "/api/v1/ (tokens: " << context.programName()
                    << " token add)\n";
    context.out.flush();
    const int code = QCoreApplication::exec();
    api.stop(); // before the engine: it reads the writer's and receiver's figures
    engine.close();
    context.out << "Hooktrail receiver stopped\n";
    return code;
}

} // namespace Hooktrail::CommandLine
