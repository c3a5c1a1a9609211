// Where the endpoint is (ARCHITECTURE §5.2): "/v1/data/webhook/{id}", the Octolis form.
#pragma once

#include <QByteArrayView>
#include <QString>

namespace Hooktrail::Endpoint {

inline constexpr char RoutePrefix[] = "/v1/data/webhook/";

// The path of a webhook's endpoint, to put after a base URL.
QString routeOf(const QString &webhookId);
// The webhook id from "/v1/data/webhook/{uuid}", or an empty string.
QString webhookIdFromPath(QByteArrayView path);

} // namespace Hooktrail::Endpoint
