#include "core/endpoint/reasontext.h"

#include "core/endpoint/answer.h"

#include <QCoreApplication>
#include <iterator>

namespace Hooktrail::Endpoint {

namespace {

struct ReasonWords
{
    const char *code;
    const char *text;
};

// One entry per LoggedReasons code, in the same order (the test checks both lists agree).
constexpr ReasonWords Words[] = {
    { "accepted", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Accepted") },
    { "unknown_route", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "No webhook at this address") },
    { "unknown_webhook", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Unknown webhook") },
    { "webhook_disabled", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Webhook disabled") },
    { "ip_not_allowed", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "IP address not allowed") },
    { "method_not_allowed", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Method not allowed") },
    { "missing_api_key", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "No API key") },
    { "invalid_api_key", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Wrong API key") },
    { "missing_signature", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "No signature") },
    { "invalid_signature", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Wrong signature") },
    { "signature_expired",
        QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Signature timestamp out of tolerance") },
    { "header_mismatch",
        QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Required header missing or wrong") },
    { "unsupported_media_type",
        QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Unsupported content type") },
    { "invalid_json", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Invalid JSON") },
    { "invalid_xml", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Invalid XML") },
    { "payload_too_large", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Body too large") },
    { "headers_too_large", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Headers too large") },
    { "bad_request", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Malformed request") },
    { "request_timeout", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Request timed out") },
    { "not_implemented", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Unsupported request feature") },
    { "http_version_not_supported",
        QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "HTTP version not supported") },
    { "storage_unavailable", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Storage unavailable") },
    { "forwarding_loop", QT_TRANSLATE_NOOP("Hooktrail::Endpoint", "Forwarding loop") },
};
static_assert(std::size(Words) == std::size(LoggedReasons));

// The code as plain text: printable ASCII kept, anything else shown as '?', at most 64 characters.
QString plainCode(QByteArrayView code)
{
    QString plain;
    const qsizetype length = qMin<qsizetype>(code.size(), 64);
    plain.reserve(length);
    for (qsizetype i = 0; i < length; ++i) {
        const char c = code[i];
        plain += (c >= 0x20 && c < 0x7f) ? QChar::fromLatin1(c) : QChar(u'?');
    }
    if (code.size() > length)
        plain += QChar(0x2026);
    return plain;
}

} // namespace

bool isKnownReason(QByteArrayView code)
{
    for (const ReasonWords &words : Words) {
        if (code == QByteArrayView(words.code))
            return true;
    }
    return false;
}

QString reasonText(QByteArrayView code)
{
    for (const ReasonWords &words : Words) {
        if (code == QByteArrayView(words.code))
            return QCoreApplication::translate("Hooktrail::Endpoint", words.text);
    }
    if (code.isEmpty())
        return QCoreApplication::translate("Hooktrail::Endpoint", "No reason recorded");
    return QCoreApplication::translate("Hooktrail::Endpoint", "Other reason (%1)")
        .arg(plainCode(code));
}

QString reasonWithCode(QByteArrayView code)
{
    if (!isKnownReason(code))
        return reasonText(code);
    return QCoreApplication::translate("Hooktrail::Endpoint", "%1 (%2)", "reason words (code)")
        .arg(reasonText(code), QString::fromLatin1(code));
}

} // namespace Hooktrail::Endpoint
