// Where the endpoint is (ARCHITECTURE §5.2): "/v1/data/webhook/{id}", the Octolis form.
#include "core/endpoint/route.h"

#include "core/model/webhook.h"

namespace Hooktrail::Endpoint {

QString routeOf(const QString &webhookId)
{
    return QString::fromLatin1(RoutePrefix) + webhookId;
}

QString webhookIdFromPath(QByteArrayView path)
{
    // Not constexpr: GCC 12 cannot evaluate the length of the array at compile time under
    // -fsanitize=undefined (the ./dev asan build).
    static const QByteArrayView prefix(RoutePrefix, sizeof(RoutePrefix) - 1);
    if (!path.startsWith(prefix))
        return {};
    const QString text = QString::fromLatin1(path.sliced(prefix.size()));
    return isUuidV4(text) ? text : QString();
}

} // namespace Hooktrail::Endpoint
