// Content-type classification and the JSON and XML body checks of admission, over arbitrary
// bytes. Input: a Content-Type value or a body (all three checks read every input).
#include "core/receiver/contentcheck.h"
#include "fuzzcheck.h"

#include <QJsonDocument>

using namespace Hooktrail;

namespace {

QByteArray mediaType(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.first(semicolon))
        .trimmed()
        .toByteArray()
        .toLower();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    const MediaKind kind = ContentCheck::classify(input);
    const QByteArray type = mediaType(input);
    if (kind == MediaKind::Json)
        FUZZ_CHECK(type.endsWith("json") && type.contains('/'));
    if (kind == MediaKind::Xml)
        FUZZ_CHECK(type.endsWith("xml") && type.contains('/'));
    if (kind == MediaKind::Form)
        FUZZ_CHECK(type == "application/x-www-form-urlencoded");

    // The validator is our own; Qt's parser is the reference for the documents it can hold
    // (an object or an array at the top, nested less deeply than its limit).
    if (ContentCheck::isValidJson(input)) {
        const QByteArray trimmed = input.trimmed();
        if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
            QJsonParseError error;
            QJsonDocument::fromJson(input, &error);
            // RFC 8259 §6 lets a parser limit the range of numbers; Qt refuses what overflows a
            // double (an exponent, or more digits than a double holds), which is still JSON.
            const bool mayOverflow
                = input.contains('e') || input.contains('E') || input.size() > 300;
            FUZZ_CHECK(error.error == QJsonParseError::NoError
                || error.error == QJsonParseError::DeepNesting
                || (error.error == QJsonParseError::IllegalNumber && mayOverflow));
        }
    }

    ContentCheck::isWellFormedXml(input);
    return 0;
}
