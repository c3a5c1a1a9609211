// The endpoint URL of a webhook as the console hands it out: the public base URL and the port
// the receiver really listens on, without any key.
#include "ui/endpointurl.h"

#include "core/base/settings.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"

namespace Hooktrail {

QString endpointWithoutKey(const ConsoleContext &context, const QString &webhookId)
{
    if (!context.settings)
        return {};
    const Receiver *receiver = context.engine ? context.engine->receiver() : nullptr;
    return context.settings->endpoint(webhookId, receiver ? receiver->port() : 0);
}

} // namespace Hooktrail
