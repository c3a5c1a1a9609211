// An address or CIDR range from a webhook's allowed IP addresses (or the trusted proxies),
// matched against a client address.
#include "core/model/iprange.h"

#include <QCoreApplication>
#include <algorithm>

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

Result<IpRange> IpRange::parse(const QString &text)
{
    const auto failWith = [](const QString &why) { return Result<IpRange>::failure(why); };
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return failWith(QCoreApplication::translate("Hooktrail::IpRange", "empty address"));

    const qsizetype slash = trimmed.indexOf(u'/');
    const QString addressPart = slash < 0 ? trimmed : trimmed.left(slash);
    const auto notAnAddress = [&] {
        return failWith(
            QCoreApplication::translate("Hooktrail::IpRange", "'%1' is not an IPv4 or IPv6 address")
                .arg(addressPart));
    };
    // Only the characters addresses are written with: Qt's number and address parsers stop at a
    // NUL and accept digits of other scripts, so "2.30\0.113.7" was accepted and matched
    // something other than what it shows.
    const auto isAsciiDigit = [](QChar c) { return c >= u'0' && c <= u'9'; };
    const bool addressChars = std::all_of(addressPart.begin(), addressPart.end(), [&](QChar c) {
        return isAsciiDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F') || c == u'.'
            || c == u':';
    });
    if (!addressChars)
        return notAnAddress();
    QHostAddress address;
    // QHostAddress also accepts forms like "10.1" or "0x0a.1.2.3"; an allowed address should say
    // exactly what it means, so IPv4 must be four dotted decimals.
    const bool looksV6 = addressPart.contains(u':');
    if (!looksV6) {
        const QStringList parts = addressPart.split(u'.');
        bool dotted = parts.size() == 4;
        for (const QString &part : parts) {
            bool ok = false;
            const int value = part.toInt(&ok);
            dotted = dotted && ok && !part.isEmpty() && part.size() <= 3 && value >= 0
                && value <= 255 && (part.size() == 1 || part.front() != u'0')
                && isAsciiDigit(part.front());
        }
        if (!dotted)
            return notAnAddress();
    }
    if (!address.setAddress(addressPart) || addressPart.contains(u'%'))
        return notAnAddress();

    const int maxPrefix = address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128;
    int prefix = maxPrefix;
    if (slash >= 0) {
        const QString prefixPart = trimmed.mid(slash + 1);
        bool ok = false;
        prefix = prefixPart.toInt(&ok);
        const bool digitsOnly = !prefixPart.isEmpty() && prefixPart.size() <= 3
            && std::all_of(prefixPart.begin(), prefixPart.end(), isAsciiDigit);
        if (!ok || !digitsOnly || prefix < 0 || prefix > maxPrefix)
            return failWith(
                QCoreApplication::translate("Hooktrail::IpRange", "prefix length must be 0 to %1")
                    .arg(maxPrefix));
    }
    // Clients are matched unmapped (contains() below), so an IPv4-mapped entry is kept as the
    // IPv4 range it names; otherwise "::ffff:10.0.0.1" would be accepted and never match anyone.
    if (address.protocol() == QAbstractSocket::IPv6Protocol && prefix >= 96) {
        bool isV4 = false;
        const quint32 v4 = address.toIPv4Address(&isV4);
        if (isV4) {
            address = QHostAddress(v4);
            prefix -= 96;
        }
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
