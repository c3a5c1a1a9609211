// The endpoint URL of a webhook as the console hands it out: the public base URL and the port
// the receiver really listens on, without any key.
#pragma once

#include "ui/consolecontext.h"

#include <QList>
#include <QSslCertificate>
#include <QString>

namespace Hooktrail {

QString endpointWithoutKey(const ConsoleContext &context, const QString &webhookId);
// The base of every URL the console hands out: the public base URL, else the scheme and port
// the running receiver speaks (https on its TLS port, ARCHITECTURE §5.8).
QString consoleBaseUrl(const ConsoleContext &context);
// The running receiver's own certificate chain, for a request the console sends to itself
// over TLS; empty when it speaks no TLS.
QList<QSslCertificate> ownAuthorities(const ConsoleContext &context);

} // namespace Hooktrail
