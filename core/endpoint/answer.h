// What the endpoint answers (ARCHITECTURE §5.2): a status line, a few headers and a JSON body
// {"status":"accepted"|"rejected","reason":CODE,"requestId":N}.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Hooktrail {
struct CustomResponse;
}

namespace Hooktrail::Endpoint {

// Every reason code a logged request can hold, in the order of the contract's checks, then
// those of the request parser and the log.
inline constexpr const char *LoggedReasons[] = { "accepted", "unknown_route", "unknown_webhook",
    "webhook_disabled", "ip_not_allowed", "method_not_allowed", "missing_api_key",
    "invalid_api_key", "missing_signature", "invalid_signature", "signature_expired",
    "header_mismatch", "unsupported_media_type", "invalid_json", "invalid_xml", "payload_too_large",
    "headers_too_large", "bad_request", "request_timeout", "not_implemented",
    "http_version_not_supported", "storage_unavailable", "forwarding_loop" };

// The reason phrase of each status the receiver sends; "Unknown" for any other.
const char *reasonPhrase(int status);
// The JSON body; requestId null when the request was not logged (0).
QByteArray answerBody(int status, QByteArrayView reason, qint64 requestId);
// The whole answer, status line and headers included, as the receiver writes it.
QByteArray answer(int status, QByteArrayView reason, qint64 requestId, bool keepAlive,
    QByteArrayView allow = {}, int retryAfter = 0, bool headOnly = false);
// An accepted request's answer of the webhook's choosing (ARCHITECTURE §5.6): its status,
// headers and body, {{requestId}} and {{receivedAt}} filled in. 1xx, 204 and 304 carry no body.
QByteArray customAnswer(const CustomResponse &response, qint64 requestId, qint64 receivedAtMicros,
    bool keepAlive, bool headOnly = false);
// The body alone, placeholders filled in.
QByteArray customAnswerBody(
    const CustomResponse &response, qint64 requestId, qint64 receivedAtMicros);

} // namespace Hooktrail::Endpoint
