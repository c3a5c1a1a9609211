// Keys verified in this run, offered again (see the header).
#include "ui/verifiedkeys.h"

namespace Hooktrail {

bool VerifiedKeys::provesKey(QStringView reason)
{
    for (const char *after : { "accepted", "header_mismatch", "unsupported_media_type",
             "invalid_json", "invalid_xml" }) {
        if (reason == QLatin1String(after))
            return true;
    }
    return false;
}

void VerifiedKeys::remember(const QString &webhookId, const QString &key)
{
    if (!webhookId.isEmpty() && !key.isEmpty())
        m_keys.insert(webhookId, key);
}

QString VerifiedKeys::latest(const QString &webhookId) const
{
    return m_keys.value(webhookId);
}

} // namespace Hooktrail
