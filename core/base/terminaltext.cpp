// Text bound for a terminal: what a sender wrote must not drive it.
#include "core/base/terminaltext.h"

#include <cstdio>

namespace Hooktrail::TerminalText {

namespace {

// The length of the control sequence at i (1 for C0 or DEL, 2 for a C1 in UTF-8), or 0.
qsizetype controlAt(const QByteArray &utf8, qsizetype i)
{
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c == '\t' || c == '\n')
        return 0;
    if (c == '\r')
        return i + 1 < utf8.size() && utf8[i + 1] == '\n' ? 0 : 1;
    if (c < 0x20 || c == 0x7f)
        return 1;
    if (c == 0xc2 && i + 1 < utf8.size()) {
        const auto next = static_cast<unsigned char>(utf8[i + 1]);
        return next >= 0x80 && next <= 0x9f ? 2 : 0;
    }
    return 0;
}

} // namespace

QByteArray neutralise(const QByteArray &utf8)
{
    qsizetype i = 0;
    while (i < utf8.size() && controlAt(utf8, i) == 0)
        ++i;
    if (i == utf8.size())
        return utf8;
    QByteArray out;
    out.reserve(utf8.size() + 16);
    out.append(utf8.constData(), i);
    while (i < utf8.size()) {
        const qsizetype length = controlAt(utf8, i);
        if (length == 0) {
            out += utf8[i++];
            continue;
        }
        const unsigned code = length == 1 ? static_cast<unsigned char>(utf8[i])
                                          : static_cast<unsigned char>(utf8[i + 1]);
        char escape[8];
        std::snprintf(escape, sizeof escape, "\\u%04x", code);
        out += escape;
        i += length;
    }
    return out;
}

QString neutralise(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    const QByteArray safe = neutralise(utf8);
    return safe.constData() == utf8.constData() ? text : QString::fromUtf8(safe);
}

} // namespace Hooktrail::TerminalText
