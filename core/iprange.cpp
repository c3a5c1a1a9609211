// An address or CIDR range from an IP whitelist, matched against a client address.
#include "iprange.h"

#include <QCoreApplication>

namespace Hooktrail {

QHostAddress unmapped(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        bool isV4 = false;
        const quint32 v4 = address.toIPv4Address(&isV4);
        if (isV4)
            return QHostAddress(v4);
    }
    QHostAddress plain = address;
    plain.setScopeId(QString());
    return plain;
}

std::optional<IpRange> IpRange::parse(const QString &text, QString *error)
{
    const auto failWith = [error](const QString &why) -> std::optional<IpRange> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return failWith(QCoreApplication::translate("IpRange", "empty address"));

    const qsizetype slash = trimmed.indexOf(u'/');
    const QString addressPart = slash < 0 ? trimmed : trimmed.left(slash);
    QHostAddress address;
    // QHostAddress also accepts forms like "10.1" or "0x0a.1.2.3"; a whitelist should say exactly
    // what it means, so IPv4 must be four dotted decimals.
    const bool looksV6 = addressPart.contains(u':');
    if (!looksV6) {
        const QStringList parts = addressPart.split(u'.');
        bool dotted = parts.size() == 4;
        for (const QString &part : parts) {
            bool ok = false;
            const int value = part.toInt(&ok);
            dotted = dotted && ok && !part.isEmpty() && part.size() <= 3 && value >= 0 && value <= 255
                && (part.size() == 1 || part.front() != u'0') && part.front().isDigit();
        }
        if (!dotted)
            return failWith(QCoreApplication::translate("IpRange", "'%1' is not an IPv4 or IPv6 address").arg(addressPart));
    }
    if (!address.setAddress(addressPart) || addressPart.contains(u'%'))
        return failWith(QCoreApplication::translate("IpRange", "'%1' is not an IPv4 or IPv6 address").arg(addressPart));

    const int maxPrefix = address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
    int prefix = maxPrefix;
    if (slash >= 0) {
        const QString prefixPart = trimmed.mid(slash + 1);
        bool ok = false;
        prefix = prefixPart.toInt(&ok);
        const bool digitsOnly = !prefixPart.isEmpty() && prefixPart.size() <= 3
            && std::all_of(prefixPart.begin(), prefixPart.end(), [](QChar c) { return c.isDigit(); });
        if (!ok || !digitsOnly || prefix < 0 || prefix > maxPrefix)
            return failWith(QCoreApplication::translate("IpRange", "prefix length must be 0 to %1").arg(maxPrefix));
    }
    IpRange range;
    range.m_network = address;
    range.m_prefix = prefix;
    range.m_text = trimmed;
    return range;
}

bool IpRange::contains(const QHostAddress &address) const
{
    const QHostAddress peer = unmapped(address);
    if (peer.protocol() != m_network.protocol())
        return false;
    return peer.isInSubnet(m_network, m_prefix);
}

} // namespace Hooktrail
