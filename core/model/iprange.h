// An address or CIDR range from an IP whitelist, matched against a client address.
#pragma once

#include <QHostAddress>
#include <QString>
#include <optional>

namespace Hooktrail {

class IpRange final
{
public:
    // Accepts "203.0.113.7", "10.0.0.0/8", "2001:db8::/32". Returns nullopt with a reason.
    static std::optional<IpRange> parse(const QString &text, QString *error = nullptr);

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
