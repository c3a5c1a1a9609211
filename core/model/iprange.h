// An address or CIDR range from a webhook's allowed IP addresses (or the trusted proxies),
// matched against a client address.
#pragma once

#include "core/base/result.h"

#include <QHostAddress>
#include <QString>

namespace Hooktrail {

class IpRange final
{
public:
    // Accepts "203.0.113.7", "10.0.0.0/8", "2001:db8::/32"; otherwise says why not.
    static Result<IpRange> parse(const QString &text);

    bool contains(const QHostAddress &address) const;
    QString toString() const { return m_text; }

private:
    QHostAddress m_network;
    int m_prefix = -1;
    QString m_text;
};

// An IPv4-mapped IPv6 address ("::ffff:1.2.3.4") as plain IPv4; any other address unchanged.
QHostAddress unmapped(const QHostAddress &address);

} // namespace Hooktrail
