// Import and export of webhook settings as JSON, in the ARCHITECTURE §5.1 format.
#pragma once

#include "core/model/webhook.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace Hooktrail::WebhookTransfer {

// A JSON array of settings objects with the keys name, description, methodsWhitelist,
// headersWhitelist, ipAddressWhitelist and enabled, and acceptAnyContentType for a webhook that
// has it on (ARCHITECTURE §5.1): no ids or timestamps, so an export can be imported into another
// data folder.
QByteArray exportJson(const QList<Webhook> &webhooks);

struct Parsed
{
    QList<Webhook> webhooks; // the ones without problems, in document order
    QStringList problems; // "webhook 2: name: Name is required.", every one
};

// Accepts one settings object or an array of them. Name uniqueness is left to the store.
Parsed parse(const QByteArray &json);

} // namespace Hooktrail::WebhookTransfer
