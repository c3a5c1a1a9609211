// Content-type classification and body checks for admission (ARCHITECTURE §5.2, checks 9 and 10).
#pragma once

#include <QByteArrayView>

namespace Hooktrail {

enum class MediaKind { Json, Xml, Form, Unsupported };

namespace ContentCheck {
// The media type of a Content-Type value (parameters ignored, case-insensitive).
MediaKind classify(QByteArrayView contentType);
// RFC 8259 JSON text (any value at top level), nesting bounded so hostile input cannot exhaust the
// stack.
bool isValidJson(QByteArrayView body);
bool isWellFormedXml(QByteArrayView body);
} // namespace ContentCheck

} // namespace Hooktrail
