// Content-type classification and body checks for admission (ARCHITECTURE §5.2, checks 9 and 10).
#include "core/receiver/contentcheck.h"

#include <QByteArray>
#include <QXmlStreamReader>

namespace Hooktrail::ContentCheck {

MediaKind classify(QByteArrayView contentType)
{
    qsizetype end = contentType.indexOf(';');
    QByteArray type
        = (end < 0 ? contentType : contentType.first(end)).trimmed().toByteArray().toLower();
    if (type == "application/json" || (type.endsWith("+json") && type.contains('/')))
        return MediaKind::Json;
    if (type == "application/xml" || type == "text/xml"
        || (type.endsWith("+xml") && type.contains('/')))
        return MediaKind::Xml;
    if (type == "application/x-www-form-urlencoded")
        return MediaKind::Form;
    return MediaKind::Unsupported;
}

namespace {

// A small validating recursive-descent reader: it allocates nothing, which matters on the hot
// path, and accepts exactly RFC 8259 (no comments, no trailing commas, no NaN).
class JsonValidator
{
public:
    explicit JsonValidator(QByteArrayView text) : m_p(text.data()), m_end(text.data() + text.size())
    { }

    bool run()
    {
        skipSpace();
        if (!value(0))
            return false;
        skipSpace();
        return m_p == m_end;
    }

private:
    static constexpr int MaxDepth = 512;

    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }
    bool literal(const char *word)
    {
        for (; *word; ++word, ++m_p) {
            if (m_p == m_end || *m_p != *word)
                return false;
        }
        return true;
    }
    bool value(int depth)
    {
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '{':
            return object(depth + 1);
        case '[':
            return array(depth + 1);
        case '"':
            return string();
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            return number();
        }
    }
    // The shared shape of objects and arrays: open, elements separated by commas, close.
    template<typename Element> bool sequence(int depth, char close, Element element)
    {
        if (depth > MaxDepth)
            return false;
        ++m_p;
        skipSpace();
        if (m_p < m_end && *m_p == close) {
            ++m_p;
            return true;
        }
        for (;;) {
            skipSpace();
            if (!element())
                return false;
            skipSpace();
            if (m_p == m_end)
                return false;
            if (*m_p == close) {
                ++m_p;
                return true;
            }
            if (*m_p++ != ',')
                return false;
        }
    }
    bool object(int depth)
    {
        return sequence(depth, '}', [this, depth] {
            if (m_p == m_end || *m_p != '"' || !string())
                return false;
            skipSpace();
            if (m_p == m_end || *m_p != ':')
                return false;
            ++m_p;
            skipSpace();
            return value(depth);
        });
    }
    bool array(int depth)
    {
        return sequence(depth, ']', [this, depth] { return value(depth); });
    }
    static bool isHex(char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    bool string()
    {
        ++m_p; // opening quote
        while (m_p < m_end) {
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c == '\\') {
                if (++m_p == m_end)
                    return false;
                const char e = *m_p;
                if (e == 'u') {
                    for (int i = 0; i < 4; ++i) {
                        if (++m_p == m_end || !isHex(*m_p))
                            return false;
                    }
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n'
                    && e != 'r' && e != 't') {
                    return false;
                }
                ++m_p;
                continue;
            }
            if (c < 0x80) {
                ++m_p;
                continue;
            }
            if (!utf8Sequence())
                return false;
        }
        return false;
    }
    // One multi-byte UTF-8 sequence: no overlongs, no surrogates, nothing past U+10FFFF.
    bool utf8Sequence()
    {
        const auto b0 = static_cast<unsigned char>(*m_p);
        int length = 0;
        unsigned char low = 0x80, high = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            length = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            length = 3;
            if (b0 == 0xE0)
                low = 0xA0;
            if (b0 == 0xED)
                high = 0x9F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            length = 4;
            if (b0 == 0xF0)
                low = 0x90;
            if (b0 == 0xF4)
                high = 0x8F;
        } else {
            return false;
        }
        if (m_end - m_p < length)
            return false;
        for (int i = 1; i < length; ++i) {
            const auto b = static_cast<unsigned char>(m_p[i]);
            if (b < (i == 1 ? low : 0x80) || b > (i == 1 ? high : 0xBF))
                return false;
        }
        m_p += length;
        return true;
    }
    bool digits()
    {
        const char *start = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        return m_p > start;
    }
    bool number()
    {
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p == m_end)
            return false;
        if (*m_p == '0')
            ++m_p;
        else if (!digits())
            return false;
        if (m_p < m_end && *m_p == '.') {
            ++m_p;
            if (!digits())
                return false;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digits())
                return false;
        }
        return true;
    }

    const char *m_p;
    const char *m_end;
};

} // namespace

bool isValidJson(QByteArrayView body)
{
    return JsonValidator(body).run();
}

bool isWellFormedXml(QByteArrayView body)
{
    QXmlStreamReader reader(QByteArray::fromRawData(body.data(), body.size()));
    bool sawRoot = false;
    while (!reader.atEnd()) {
        if (reader.readNext() == QXmlStreamReader::StartElement)
            sawRoot = true;
    }
    return !reader.hasError() && sawRoot;
}

} // namespace Hooktrail::ContentCheck
