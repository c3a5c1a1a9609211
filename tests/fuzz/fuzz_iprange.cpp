// Allowed IP address and trusted-proxy entries (addresses and CIDR ranges) over arbitrary text, and
// matching a client address against them. Input: an entry, optionally "\n" and an address.
#include "core/model/iprange.h"
#include "fuzzcheck.h"

using namespace Hooktrail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString input = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf(u'\n');
    const QString entry = newline < 0 ? input : input.left(newline);
    const QString other = newline < 0 ? QString() : input.mid(newline + 1);

    const Result<IpRange> range = IpRange::parse(entry);
    if (!range) {
        FUZZ_CHECK(!range.error().isEmpty());
    } else {
        // What was accepted is kept as text and reads back the same.
        const Result<IpRange> again = IpRange::parse(range->toString());
        FUZZ_CHECK(again && again->toString() == range->toString());
        // A single address matches itself, mapped into IPv6 or not.
        const QString text = range->toString();
        if (!text.contains(u'/')) {
            const QHostAddress self(text);
            FUZZ_CHECK(!self.isNull() && range->contains(self));
            if (self.protocol() == QAbstractSocket::IPv4Protocol)
                FUZZ_CHECK(range->contains(QHostAddress(QStringLiteral("::ffff:") + text)));
        }
    }

    QHostAddress address;
    if (address.setAddress(other)) {
        const QHostAddress plain = unmapped(address);
        FUZZ_CHECK(unmapped(plain) == plain);
        FUZZ_CHECK(plain.scopeId().isEmpty());
        if (range)
            FUZZ_CHECK(range->contains(address) == range->contains(plain));
    }
    return 0;
}
