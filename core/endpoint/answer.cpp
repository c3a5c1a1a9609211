// What the endpoint answers (ARCHITECTURE §5.2).
#include "core/endpoint/answer.h"

namespace Hooktrail::Endpoint {

const char *reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
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

} // namespace Hooktrail::Endpoint
