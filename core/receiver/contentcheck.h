// Content-type classification and body checks for admission (ARCHITECTURE §5.2, checks 9 and 10).
#pragma once

#include <QByteArrayView>
#include <QString>
#include <optional>

namespace Hooktrail {

enum class MediaKind { Json, Xml, Form, Unsupported };

// Where a JSON or XML body stops being well-formed, and what the reader expected there, in our
// own words: the sender's bytes are never echoed, so a log line cannot carry them.
struct BodyProblem
{
    enum class What {
        // JSON
        ExpectedValue,
        ExpectedKey,
        ExpectedColon,
        ExpectedCommaOrBrace,
        ExpectedCommaOrBracket,
        TrailingComma,
        ExpectedLiteral,
        ExpectedDigit,
        UnclosedString,
        ControlCharacter,
        BadEscape,
        BadUnicodeEscape,
        InvalidUtf8,
        TooDeep,
        ContentAfterValue,
        // XML
        NoRootElement,
        UnclosedElement,
        ContentAfterRoot,
        MismatchedEndTag,
        NotWellFormedXml,
    };
    int line = 1; // 1-based
    // 1-based, in characters (Unicode code points) from the start of the line; a byte that is
    // not UTF-8 counts as one character.
    int column = 1;
    What what = What::ExpectedValue;
    bool atEnd = false; // the body ended there
};

namespace ContentCheck {
// The media type of a Content-Type value (parameters ignored, case-insensitive).
MediaKind classify(QByteArrayView contentType);
// RFC 8259 JSON text (any value at top level), nesting bounded so hostile input cannot exhaust the
// stack.
inline constexpr int MaxJsonDepth = 512;
bool isValidJson(QByteArrayView body);
bool isWellFormedXml(QByteArrayView body);
// Where the check above fails; nullopt when it passes. Slower than the yes/no checks (it counts
// lines): call them first, these only for the body they refused.
std::optional<BodyProblem> jsonProblem(QByteArrayView body);
std::optional<BodyProblem> xmlProblem(QByteArrayView body);
// "line 3, column 14: expected ':' after an object key", in English for the log.
QString describe(const BodyProblem &problem);
// The part after the position, in English.
QString describeWhat(const BodyProblem &problem);
} // namespace ContentCheck

} // namespace Hooktrail
