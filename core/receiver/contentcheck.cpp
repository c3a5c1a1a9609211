// Content-type classification and body checks for admission (ARCHITECTURE §5.2, checks 9 and 10).
#include "core/receiver/contentcheck.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QXmlStreamReader>

#include <algorithm>

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

using What = BodyProblem::What;

// A small validating recursive-descent reader: it allocates nothing, which matters on the hot
// path, and accepts exactly RFC 8259 (no comments, no trailing commas, no NaN). Where it fails it
// notes what it expected; the line and column are counted only when someone asks.
class JsonValidator
{
public:
    explicit JsonValidator(QByteArrayView text)
        : m_begin(text.data()), m_p(text.data()), m_end(text.data() + text.size())
    { }

    bool run()
    {
        skipSpace();
        if (!value(0))
            return false;
        skipSpace();
        return m_p == m_end || fail(What::ContentAfterValue);
    }

    // Where run() failed: the first failure noted, which is the innermost.
    qsizetype failedOffset() const { return m_failedAt - m_begin; }
    What failure() const { return m_failure; }
    bool failedAtEnd() const { return m_failedAt == m_end; }

private:
    bool fail(What what, const char *at = nullptr)
    {
        if (!m_failedAt) {
            m_failure = what;
            m_failedAt = at ? at : m_p;
        }
        return false;
    }
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }
    bool literal(const char *word)
    {
        for (; *word; ++word, ++m_p) {
            if (m_p == m_end || *m_p != *word)
                return fail(What::ExpectedLiteral);
        }
        return true;
    }
    bool value(int depth)
    {
        if (m_p == m_end)
            return fail(What::ExpectedValue);
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
        if (depth > ContentCheck::MaxJsonDepth)
            return fail(What::TooDeep);
        ++m_p;
        skipSpace();
        if (m_p < m_end && *m_p == close) {
            ++m_p;
            return true;
        }
        for (bool first = true;; first = false) {
            skipSpace();
            if (!first && m_p < m_end && *m_p == close)
                return fail(What::TrailingComma);
            if (!element())
                return false;
            skipSpace();
            if (m_p < m_end && *m_p == close) {
                ++m_p;
                return true;
            }
            if (m_p == m_end || *m_p != ',')
                return fail(
                    close == '}' ? What::ExpectedCommaOrBrace : What::ExpectedCommaOrBracket);
            ++m_p;
        }
    }
    bool object(int depth)
    {
        return sequence(depth, '}', [this, depth] {
            if (m_p == m_end || *m_p != '"')
                return fail(What::ExpectedKey);
            if (!string())
                return false;
            skipSpace();
            if (m_p == m_end || *m_p != ':')
                return fail(What::ExpectedColon);
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
        const char *opening = m_p++;
        while (m_p < m_end) {
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return fail(What::ControlCharacter);
            if (c == '\\') {
                const char *backslash = m_p;
                if (++m_p == m_end)
                    break;
                const char e = *m_p;
                if (e == 'u') {
                    for (int i = 0; i < 4; ++i) {
                        if (++m_p == m_end || !isHex(*m_p))
                            return fail(What::BadUnicodeEscape, backslash);
                    }
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n'
                    && e != 'r' && e != 't') {
                    return fail(What::BadEscape, backslash);
                }
                ++m_p;
                continue;
            }
            if (c < 0x80) {
                ++m_p;
                continue;
            }
            if (!utf8Sequence())
                return fail(What::InvalidUtf8);
        }
        return fail(What::UnclosedString, opening);
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
        return m_p > start || fail(What::ExpectedDigit);
    }
    bool number()
    {
        // Whatever else starts here is no value at all, not a malformed number.
        if (*m_p != '-' && (*m_p < '0' || *m_p > '9'))
            return fail(What::ExpectedValue);
        if (*m_p == '-')
            ++m_p;
        if (m_p < m_end && *m_p == '0')
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

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    const char *m_failedAt = nullptr;
    What m_failure = What::ExpectedValue;
};

// Line and column of a byte offset: a UTF-8 sequence is one character, and so is any byte that
// cannot start one but is not a continuation byte either.
void locate(QByteArrayView text, qsizetype offset, BodyProblem &problem)
{
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < offset; ++i) {
        const auto byte = static_cast<unsigned char>(text.at(i));
        if (byte == '\n') {
            ++line;
            column = 1;
        } else if (byte < 0x80 || byte > 0xBF) {
            ++column;
        }
    }
    problem.line = line;
    problem.column = column;
}

} // namespace

bool isValidJson(QByteArrayView body)
{
    return JsonValidator(body).run();
}

std::optional<BodyProblem> jsonProblem(QByteArrayView body)
{
    JsonValidator validator(body);
    if (validator.run())
        return std::nullopt;
    BodyProblem problem;
    problem.what = validator.failure();
    problem.atEnd = validator.failedAtEnd();
    locate(body, validator.failedOffset(), problem);
    return problem;
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

std::optional<BodyProblem> xmlProblem(QByteArrayView body)
{
    QXmlStreamReader reader(QByteArray::fromRawData(body.data(), body.size()));
    bool sawRoot = false;
    int depth = 0;
    qsizetype rootEnd = 0;
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement:
            sawRoot = true;
            ++depth;
            break;
        case QXmlStreamReader::EndElement:
            if (--depth == 0)
                rootEnd = reader.characterOffset();
            break;
        default:
            break;
        }
    }
    if (!reader.hasError() && sawRoot)
        return std::nullopt;
    // Qt's own message may quote the document (an undeclared prefix, an entity's name) and is
    // translated: the reader's state says enough in our words. It counts in UTF-16 units of
    // what it decoded; the same text is counted here in characters.
    const QString text = QString::fromUtf8(body);
    qsizetype offset = std::min<qsizetype>(reader.characterOffset(), text.size());
    BodyProblem problem;
    const QRegularExpression mark(QStringLiteral("\\S"));
    const qsizetype firstMark = text.indexOf(mark);
    if (reader.error() == QXmlStreamReader::PrematureEndOfDocumentError || !reader.hasError()) {
        problem.what = sawRoot ? What::UnclosedElement : What::NoRootElement;
        problem.atEnd = true;
        offset = text.size();
    } else if (!sawRoot && firstMark >= 0 && text.at(firstMark) != u'<') {
        problem.what = What::NoRootElement;
        offset = firstMark;
    } else if (sawRoot && depth == 0) {
        problem.what = What::ContentAfterRoot;
        offset = std::max<qsizetype>(text.indexOf(mark, rootEnd), rootEnd);
    } else {
        // Past a mismatched end tag the reader stops at its name; point at the tag itself.
        const qsizetype tag = text.lastIndexOf(u'<', std::max<qsizetype>(offset - 1, 0));
        const bool endTag = tag >= 0 && tag + 1 < text.size() && text.at(tag + 1) == u'/'
            && text.indexOf(u'>', tag) >= offset - 1;
        problem.what = endTag ? What::MismatchedEndTag : What::NotWellFormedXml;
        if (endTag)
            offset = tag;
    }
    for (qsizetype i = 0; i < offset; ++i) {
        if (text.at(i) == u'\n') {
            ++problem.line;
            problem.column = 1;
        } else if (!text.at(i).isLowSurrogate()) {
            ++problem.column;
        }
    }
    return problem;
}

QString describeWhat(const BodyProblem &problem)
{
    QString text;
    switch (problem.what) {
    case What::ExpectedValue:
        text = QStringLiteral(
            "expected a value (object, array, string, number, true, false or null)");
        break;
    case What::ExpectedKey:
        text = QStringLiteral("expected an object key in double quotes");
        break;
    case What::ExpectedColon:
        text = QStringLiteral("expected ':' after an object key");
        break;
    case What::ExpectedCommaOrBrace:
        text = QStringLiteral("expected ',' or '}' after an object member");
        break;
    case What::ExpectedCommaOrBracket:
        text = QStringLiteral("expected ',' or ']' after an array element");
        break;
    case What::TrailingComma:
        text = QStringLiteral("expected another element after ',' (JSON has no trailing commas)");
        break;
    case What::ExpectedLiteral:
        text = QStringLiteral("expected true, false or null");
        break;
    case What::ExpectedDigit:
        text = QStringLiteral("expected a digit in a number");
        break;
    case What::UnclosedString:
        text = QStringLiteral("a string starts here and is never closed");
        break;
    case What::ControlCharacter:
        text = QStringLiteral("a control character in a string must be escaped");
        break;
    case What::BadEscape:
        text = QStringLiteral("an unknown escape sequence in a string");
        break;
    case What::BadUnicodeEscape:
        text = QStringLiteral("expected four hexadecimal digits after \\u");
        break;
    case What::InvalidUtf8:
        text = QStringLiteral("a string holds bytes that are not UTF-8");
        break;
    case What::TooDeep:
        text = QStringLiteral("nested more than %1 levels deep").arg(MaxJsonDepth);
        break;
    case What::ContentAfterValue:
        text = QStringLiteral("expected the end of the body after the JSON value");
        break;
    case What::NoRootElement:
        text = QStringLiteral("expected a root element");
        break;
    case What::UnclosedElement:
        text = QStringLiteral("an element is not closed");
        break;
    case What::ContentAfterRoot:
        text = QStringLiteral("expected the end of the body after the root element");
        break;
    case What::MismatchedEndTag:
        text = QStringLiteral("an end tag does not match the element it closes");
        break;
    case What::NotWellFormedXml:
        text = QStringLiteral("the XML is not well-formed here");
        break;
    }
    if (problem.atEnd && problem.what != What::UnclosedString)
        text += QStringLiteral(", found the end of the body");
    return text;
}

QString describe(const BodyProblem &problem)
{
    return QStringLiteral("line %1, column %2: %3")
        .arg(problem.line)
        .arg(problem.column)
        .arg(describeWhat(problem));
}

} // namespace Hooktrail::ContentCheck
