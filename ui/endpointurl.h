// The endpoint URL of a webhook as the console hands it out: the public base URL and the port
// the receiver really listens on, without any key.
#pragma once

#include "ui/consolecontext.h"

#include <QString>

namespace Hooktrail {

QString endpointWithoutKey(const ConsoleContext &context, const QString &webhookId);

} // namespace Hooktrail
