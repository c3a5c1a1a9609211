// The endpoint URL of a webhook as the console hands it out: the public base URL and the port
// the receiver really listens on, without any key.
#include "ui/endpointurl.h"

#include "core/base/settings.h"
#include "core/endpoint/route.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/tls/tlscontext.h"

namespace Hooktrail {

QString endpointWithoutKey(const ConsoleContext &context, const QString &webhookId)
{
    if (!context.settings)
        return {};
    return consoleBaseUrl(context) + Endpoint::routeOf(webhookId);
}

QString consoleBaseUrl(const ConsoleContext &context)
{
    const Receiver *receiver = context.engine ? context.engine->receiver() : nullptr;
    if (!receiver || !receiver->isListening())
        return context.settings->baseUrl();
    return context.settings->baseUrl(receiver->endpointPort(), receiver->endpointScheme());
}

QList<QSslCertificate> ownAuthorities(const ConsoleContext &context)
{
    const Receiver *receiver = context.engine ? context.engine->receiver() : nullptr;
    if (!receiver || !receiver->tls())
        return {};
    return receiver->tls()->configuration().localCertificateChain();
}

} // namespace Hooktrail
