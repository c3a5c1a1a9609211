// JSON re-indented as sent, a part at a time, so a large body can be formatted off the GUI
// thread and shown as it comes.
#include "ui/jsonprettyprinter.h"

#include <algorithm>
#include <limits>

namespace Hooktrail {

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

void JsonPrettyPrinter::newline(QByteArray &out) const
{
    out += '\n';
    out.append(qsizetype(m_depth) * 4, ' ');
}

bool JsonPrettyPrinter::next(QByteArray &out, qsizetype budget)
{
    const qsizetype size = m_in.size();
    const qsizetype stopAt = out.size() + budget;
    while (m_pos < size) {
        // Between tokens: a string is always copied whole.
        if (out.size() >= stopAt)
            return true;
        const char c = m_in.at(m_pos);
        switch (c) {
        case '"': {
            qsizetype end = m_pos + 1;
            while (end < size && m_in.at(end) != '"')
                end += m_in.at(end) == '\\' ? 2 : 1;
            end = std::min(end, size - 1);
            out.append(m_in.sliced(m_pos, end - m_pos + 1));
            m_pos = end + 1;
            continue;
        }
        case '{':
        case '[': {
            qsizetype next = m_pos + 1;
            while (next < size && isJsonSpace(m_in.at(next)))
                ++next;
            const char close = c == '{' ? '}' : ']';
            if (next < size && m_in.at(next) == close) { // empty: stays "{}" or "[]"
                out += c;
                out += close;
                m_pos = next + 1;
                continue;
            }
            out += c;
            ++m_depth;
            newline(out);
            break;
        }
        case '}':
        case ']':
            --m_depth;
            newline(out);
            out += c;
            break;
        case ',':
            out += c;
            newline(out);
            break;
        case ':':
            out += ": ";
            break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
            break; // insignificant outside strings
        default:
            out += c;
        }
        ++m_pos;
    }
    return false;
}

QByteArray JsonPrettyPrinter::format(QByteArrayView json)
{
    JsonPrettyPrinter printer(json);
    QByteArray out;
    out.reserve(json.size() * 2);
    printer.next(out, std::numeric_limits<qsizetype>::max() / 2);
    return out;
}

} // namespace Hooktrail
