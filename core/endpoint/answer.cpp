// What the endpoint answers (ARCHITECTURE §5.2).
#include "core/endpoint/answer.h"

#include "core/model/authentication.h"
#include "core/model/loggedrequest.h"

namespace Hooktrail::Endpoint {

const char *reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 102:
        return "Processing";
    case 103:
        return "Early Hints";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 203:
        return "Non-Authoritative Information";
    case 204:
        return "No Content";
    case 205:
        return "Reset Content";
    case 206:
        return "Partial Content";
    case 300:
        return "Multiple Choices";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 402:
        return "Payment Required";
    case 406:
        return "Not Acceptable";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 418:
        return "I'm a teapot";
    case 422:
        return "Unprocessable Content";
    case 423:
        return "Locked";
    case 425:
        return "Too Early";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 504:
        return "Gateway Timeout";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    case 508:
        return "Loop Detected";
    default:
        return "Unknown";
    }
}

QByteArray answerBody(int status, QByteArrayView reason, qint64 requestId)
{
    QByteArray body;
    body.reserve(96);
    body += status >= 200 && status < 300 ? "{\"status\":\"accepted\",\"reason\":\""
                                          : "{\"status\":\"rejected\",\"reason\":\"";
    body += reason;
    body += "\",\"requestId\":";
    body += requestId > 0 ? QByteArray::number(requestId) : QByteArray("null");
    body += '}';
    return body;
}

QByteArray answer(int status, QByteArrayView reason, qint64 requestId, bool keepAlive,
    QByteArrayView allow, int retryAfter, bool headOnly)
{
    const QByteArray body = answerBody(status, reason, requestId);
    QByteArray out;
    out.reserve(256);
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\nContent-Type: application/json\r\nContent-Length: ";
    out += QByteArray::number(body.size());
    out += keepAlive ? "\r\nConnection: keep-alive" : "\r\nConnection: close";
    if (!allow.isEmpty()) {
        out += "\r\nAllow: ";
        out += allow;
    }
    if (retryAfter > 0) {
        out += "\r\nRetry-After: ";
        out += QByteArray::number(retryAfter);
    }
    out += "\r\nCache-Control: no-store\r\n\r\n";
    if (!headOnly)
        out += body;
    return out;
}

QByteArray customAnswerBody(
    const CustomResponse &response, qint64 requestId, qint64 receivedAtMicros)
{
    QByteArray body = response.body.toUtf8();
    if (body.contains("{{")) {
        body.replace("{{requestId}}", QByteArray::number(requestId));
        body.replace("{{receivedAt}}", LoggedRequest::formatTimestamp(receivedAtMicros).toUtf8());
    }
    return body;
}

QByteArray customAnswer(const CustomResponse &response, qint64 requestId, qint64 receivedAtMicros,
    bool keepAlive, bool headOnly)
{
    const int status = response.status;
    const bool bodiless = status < 200 || status == 204 || status == 304;
    const QByteArray body
        = bodiless ? QByteArray() : customAnswerBody(response, requestId, receivedAtMicros);
    QByteArray out;
    out.reserve(256 + body.size());
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    if (!bodiless && !response.contentType.isEmpty()) {
        out += "\r\nContent-Type: ";
        out += response.contentType.toUtf8();
    }
    if (!bodiless) {
        out += "\r\nContent-Length: ";
        out += QByteArray::number(body.size());
    }
    out += keepAlive ? "\r\nConnection: keep-alive" : "\r\nConnection: close";
    for (const auto &[name, value] : response.headers) {
        out += "\r\n";
        out += name.toLatin1();
        out += ": ";
        out += value.toUtf8();
    }
    out += "\r\n\r\n";
    if (!headOnly)
        out += body;
    return out;
}

} // namespace Hooktrail::Endpoint
