// Incremental, limit-enforcing HTTP/1.x request parser (RFC 9110 / RFC 9112) for the receiver.
#include "core/http/httprequestparser.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

namespace Hooktrail {

namespace {

// Chunk extensions are ignored, so a chunk-size line needs little room; a fixed bound stops a peer
// from making us hold an endless line between chunks (it is independent of the header budget so
// that a long body of many small chunks is not refused).
constexpr qsizetype kMaxChunkLineBytes = 4096;
// 16 hex digits always fit in quint64, so the size can be accumulated without overflow checks.
constexpr int kMaxChunkSizeDigits = 16;
// The declared length is untrusted; reserving all of it up front would let a peer make us
// allocate the whole body limit by sending a single byte.
constexpr qsizetype kMaxInitialBodyReserve = 64 * 1024;

constexpr std::array<bool, 256> makeTokenTable()
{
    std::array<bool, 256> table {};
    for (int c = '0'; c <= '9'; ++c)
        table[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        table[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c)
        table[c] = true;
    const char *extra = "!#$%&'*+-.^_`|~";
    for (const char *p = extra; *p; ++p)
        table[static_cast<unsigned char>(*p)] = true;
    return table;
}

constexpr std::array<bool, 256> kTokenChars = makeTokenTable();

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!kTokenChars[static_cast<unsigned char>(c)])
            return false;
    }
    return true;
}

// Field values may carry obs-text (0x80-0xFF) but no control characters other than HTAB.
bool isFieldText(QByteArrayView text)
{
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

// Fragments never reach a server, and raw non-ASCII is not a URI, so both are refused.
bool isTargetText(QByteArrayView text)
{
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7f || c == '#')
            return false;
    }
    return true;
}

bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

QByteArrayView trimOws(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isOws(text[begin]))
        ++begin;
    while (end > begin && isOws(text[end - 1]))
        --end;
    return text.sliced(begin, end - begin);
}

char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (asciiLower(a[i]) != asciiLower(b[i]))
            return false;
    }
    return true;
}

bool startsWithIgnoreCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && equalsIgnoreCase(text.first(prefix.size()), prefix);
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Calls f(element) for each comma-separated element of a list-valued field, trimmed of OWS.
// Empty elements are passed on so callers that must be strict can reject them.
template<typename F> void forEachListElement(QByteArrayView value, F &&f)
{
    qsizetype start = 0;
    for (;;) {
        const qsizetype comma = value.indexOf(',', start);
        const qsizetype end = comma < 0 ? value.size() : comma;
        f(trimOws(value.sliced(start, end - start)));
        if (comma < 0)
            return;
        start = comma + 1;
    }
}

enum class NumberResult { Ok, Invalid, OutOfRange };

NumberResult parseDecimal(QByteArrayView text, qint64 &value)
{
    if (text.isEmpty())
        return NumberResult::Invalid;
    qint64 result = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return NumberResult::Invalid;
        const int digit = c - '0';
        if (result > (std::numeric_limits<qint64>::max() - digit) / 10)
            return NumberResult::OutOfRange;
        result = result * 10 + digit;
    }
    value = result;
    return NumberResult::Ok;
}

// The common methods share static data instead of allocating per request.
QByteArray methodBytes(QByteArrayView method)
{
    if (method == "POST")
        return QByteArrayLiteral("POST");
    if (method == "GET")
        return QByteArrayLiteral("GET");
    if (method == "PUT")
        return QByteArrayLiteral("PUT");
    if (method == "PATCH")
        return QByteArrayLiteral("PATCH");
    if (method == "DELETE")
        return QByteArrayLiteral("DELETE");
    return method.toByteArray();
}

} // namespace

QByteArray ParsedRequest::header(QByteArrayView name) const
{
    for (const auto &field : headers) {
        if (equalsIgnoreCase(field.first, name))
            return field.second;
    }
    return {};
}

HttpRequestParser::HttpRequestParser(Limits limits) : m_limits(limits) { }

ParsedRequest HttpRequestParser::takeRequest()
{
    return std::exchange(m_request, ParsedRequest {});
}

void HttpRequestParser::reset()
{
    m_state = State::RequestLine;
    m_request = ParsedRequest {};
    m_lineBytes = 0;
    m_partial.clear();
    m_chunkCr = false;
    m_headerBytes = 0;
    m_remaining = 0;
    m_chunked = false;
    m_keepBytes = -1;
    m_errorStatus = 0;
    m_errorReason = "";
    m_errorDetail.clear();
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const char *reason, QByteArray detail)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorReason = reason;
    m_errorDetail = std::move(detail);
    return Status::Error;
}

// NeedMore promises the caller that its buffer was drained, so an unfinished line is moved into
// m_partial; only new bytes are ever searched, so a line trickling in byte by byte costs linear
// time. `budget` counts the whole line including its ending and is applied to an unfinished line
// too, so an endless line is refused as soon as it passes the limit rather than when it ends.
// On Complete, `line` (without '\n') stays valid until `used` bytes are removed from `buffer` and
// m_partial is cleared.
HttpRequestParser::LineStatus HttpRequestParser::findLine(
    QByteArray &buffer, qsizetype budget, QByteArrayView &line, qsizetype &used)
{
    const qsizetype newline = buffer.indexOf('\n');
    if (newline < 0) {
        if (m_partial.size() + buffer.size() > budget)
            return LineStatus::TooLong;
        m_partial.append(buffer);
        buffer.clear();
        m_lineBytes = m_partial.size();
        return LineStatus::Partial;
    }
    if (m_partial.size() + newline + 1 > budget)
        return LineStatus::TooLong;
    if (m_partial.isEmpty()) {
        line = QByteArrayView(buffer.constData(), newline);
    } else {
        m_partial.append(buffer.constData(), newline);
        line = m_partial;
    }
    used = newline + 1;
    m_lineBytes = 0;
    return LineStatus::Complete;
}

HttpRequestParser::Status HttpRequestParser::parse(QByteArray &buffer)
{
    for (;;) {
        Status status = Status::NeedMore;
        switch (m_state) {
        case State::RequestLine:
        case State::Headers:
        case State::Trailers:
        case State::ChunkSize: {
            const bool chunkLine = m_state == State::ChunkSize;
            const qsizetype budget
                = chunkLine ? kMaxChunkLineBytes : m_limits.maxHeaderBytes - m_headerBytes;
            QByteArrayView line;
            qsizetype used = 0;
            switch (findLine(buffer, budget, line, used)) {
            case LineStatus::Partial:
                return Status::NeedMore;
            case LineStatus::TooLong:
                if (chunkLine)
                    return fail(400, "bad_request", "chunk size line is too long");
                return fail(431, "headers_too_large", "request headers are too large");
            case LineStatus::Complete:
                break;
            }
            if (!chunkLine)
                m_headerBytes += line.size() + 1;
            // RFC 9112 §2.2 lets a recipient accept a bare LF as a line end, but a proxy in
            // front that reads it differently (CVE-2025-22871) would frame another request
            // than we do: every line must end in CRLF.
            if (!line.endsWith('\r')) {
                buffer.remove(0, used);
                m_partial.clear();
                return fail(400, "bad_request", "line does not end in CRLF");
            }
            line.chop(1);
            switch (m_state) {
            case State::RequestLine:
                status = parseRequestLine(line);
                break;
            case State::Headers:
                status = parseHeaderLine(line, true);
                break;
            case State::Trailers:
                status = parseHeaderLine(line, false);
                break;
            default:
                status = parseChunkSize(line);
                break;
            }
            // The steps copy what they keep, so the line's bytes can go now.
            buffer.remove(0, used);
            m_partial.clear();
            break;
        }
        case State::Body:
        case State::ChunkData:
            if (m_remaining > 0) {
                if (buffer.isEmpty())
                    return Status::NeedMore;
                consumeBody(buffer);
                if (m_remaining > 0)
                    return Status::NeedMore;
            }
            if (m_state == State::Body) {
                m_state = State::Done;
                return Status::Complete;
            }
            m_state = State::ChunkDataEnd;
            break;
        case State::ChunkDataEnd:
            // Checked byte by byte rather than as a line so garbage here is refused at once
            // instead of being buffered up to the next '\n'.
            if (buffer.isEmpty())
                return Status::NeedMore;
            if (!m_chunkCr) {
                if (buffer.at(0) != '\r')
                    return fail(400, "bad_request", "chunk data is not followed by CRLF");
                m_chunkCr = true;
                buffer.remove(0, 1);
                break;
            }
            if (buffer.at(0) != '\n')
                return fail(400, "bad_request", "chunk data is not followed by CRLF");
            buffer.remove(0, 1);
            m_chunkCr = false;
            m_state = State::ChunkSize;
            break;
        case State::Done:
            return Status::Complete;
        case State::Failed:
            return Status::Error;
        }
        if (status != Status::NeedMore)
            return status;
    }
}

HttpRequestParser::Status HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    // RFC 9112 §2.2: empty lines before the request line are tolerated (they still count
    // toward the header budget, so they cannot go on forever).
    if (line.isEmpty())
        return Status::NeedMore;

    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
    if (firstSpace <= 0 || secondSpace < 0 || secondSpace == firstSpace + 1
        || line.indexOf(' ', secondSpace + 1) >= 0) {
        return fail(400, "bad_request", "request line is not METHOD TARGET HTTP/1.x");
    }
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(secondSpace + 1);

    if (!isToken(method))
        return fail(400, "bad_request", "invalid method");

    // The version is judged before the target so that an HTTP/2 preface ("PRI * HTTP/2.0")
    // gets 505 rather than a complaint about its target.
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    if (version.size() != 8 || !version.startsWith("HTTP/") || !isDigit(version[5])
        || version[6] != '.' || !isDigit(version[7])) {
        return fail(400, "bad_request", "invalid HTTP version");
    }
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1'))
        return fail(505, "http_version_not_supported", "only HTTP/1.0 and HTTP/1.1 are supported");

    if (!isTargetText(target))
        return fail(400, "bad_request", "invalid request target");

    QByteArrayView pathAndQuery;
    bool absoluteForm = false;
    if (target.startsWith('/')) {
        pathAndQuery = target;
    } else if (target == "*") {
        // RFC 9112 §3.2.4: asterisk-form is only meaningful for a server-wide OPTIONS.
        if (method != "OPTIONS")
            return fail(400, "bad_request", "asterisk-form target is only allowed with OPTIONS");
        pathAndQuery = target;
    } else {
        const qsizetype schemeLength = startsWithIgnoreCase(target, "http://") ? 7
            : startsWithIgnoreCase(target, "https://")                         ? 8
                                                                               : 0;
        if (schemeLength == 0)
            return fail(400, "bad_request", "invalid request target");
        const QByteArrayView rest = target.sliced(schemeLength);
        qsizetype authorityEnd = 0;
        while (authorityEnd < rest.size() && rest[authorityEnd] != '/' && rest[authorityEnd] != '?')
            ++authorityEnd;
        const QByteArrayView authority = rest.first(authorityEnd);
        // RFC 9110 §4.2.4: userinfo is not allowed in http(s) URIs.
        if (authority.isEmpty() || authority.contains('@'))
            return fail(400, "bad_request", "invalid request target");
        pathAndQuery = rest.sliced(authorityEnd);
        absoluteForm = true;
    }

    m_request.method = methodBytes(method);
    m_request.target = target.toByteArray();
    m_request.versionMinor = version[7] - '0';

    const qsizetype question = pathAndQuery.indexOf('?');
    const QByteArrayView path = question < 0 ? pathAndQuery : pathAndQuery.first(question);
    if (!absoluteForm && question < 0)
        m_request.path = m_request.target; // shares the data, no copy
    else if (path.isEmpty())
        m_request.path = QByteArrayLiteral("/");
    else
        m_request.path = path.toByteArray();
    if (question >= 0)
        m_request.query = pathAndQuery.sliced(question + 1).toByteArray();

    m_request.headers.reserve(16);
    m_state = State::Headers;
    return Status::NeedMore;
}

// Header lines and chunked trailers share one syntax; trailers are only validated, not kept.
HttpRequestParser::Status HttpRequestParser::parseHeaderLine(QByteArrayView line, bool store)
{
    if (line.isEmpty()) {
        if (store)
            return finishHeaders();
        m_state = State::Done;
        return Status::Complete;
    }
    // RFC 9112 §5.2: a server may reject obs-fold; accepting it invites smuggling through
    // intermediaries that unfold differently.
    if (isOws(line[0]))
        return fail(400, "bad_request", "obsolete line folding is not accepted");

    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return fail(400, "bad_request", "header line has no colon");
    const QByteArrayView name = line.first(colon);
    if (!isToken(name))
        return fail(400, "bad_request", "invalid header name");
    const QByteArrayView rawValue = line.sliced(colon + 1);
    if (!isFieldText(rawValue))
        return fail(400, "bad_request", "invalid character in header value");

    if (store)
        m_request.headers.append({ name.toByteArray(), trimOws(rawValue).toByteArray() });
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::finishHeaders()
{
    const bool http10 = m_request.versionMinor == 0;

    bool hasContentLength = false;
    bool haveContentLengthValue = false;
    qint64 contentLength = 0;
    NumberResult contentLengthResult = NumberResult::Ok;
    bool contentLengthConflict = false;

    bool hasTransferEncoding = false;
    bool transferEncodingMalformed = false;
    bool sawChunked = false;
    bool lastIsChunked = false;
    bool unsupportedCoding = false;

    bool connectionClose = false;
    bool connectionKeepAlive = false;
    bool expectContinue = false;
    int hostFields = 0;

    for (const auto &field : std::as_const(m_request.headers)) {
        const QByteArrayView name = field.first;
        const QByteArrayView value = field.second;
        if (equalsIgnoreCase(name, "content-length")) {
            // RFC 9110 §8.6: repeated or listed values are acceptable only if they all agree.
            forEachListElement(value, [&](QByteArrayView element) {
                qint64 number = 0;
                const NumberResult result = parseDecimal(element, number);
                if (result != NumberResult::Ok) {
                    if (contentLengthResult == NumberResult::Ok)
                        contentLengthResult = result;
                    return;
                }
                if (haveContentLengthValue && number != contentLength)
                    contentLengthConflict = true;
                haveContentLengthValue = true;
                contentLength = number;
            });
            hasContentLength = true;
        } else if (equalsIgnoreCase(name, "transfer-encoding")) {
            hasTransferEncoding = true;
            // Several Transfer-Encoding fields form one list, in order.
            forEachListElement(value, [&](QByteArrayView element) {
                const qsizetype semicolon = element.indexOf(';');
                const QByteArrayView coding
                    = trimOws(semicolon < 0 ? element : element.first(semicolon));
                if (!isToken(coding)) {
                    transferEncodingMalformed = true;
                    return;
                }
                if (equalsIgnoreCase(coding, "chunked")) {
                    // RFC 9112 §7: chunked takes no parameters and is applied at most once.
                    if (semicolon >= 0 || sawChunked)
                        transferEncodingMalformed = true;
                    sawChunked = true;
                    lastIsChunked = true;
                } else {
                    unsupportedCoding = true;
                    lastIsChunked = false;
                }
            });
        } else if (equalsIgnoreCase(name, "connection")) {
            forEachListElement(value, [&](QByteArrayView option) {
                if (equalsIgnoreCase(option, "close"))
                    connectionClose = true;
                else if (equalsIgnoreCase(option, "keep-alive"))
                    connectionKeepAlive = true;
            });
        } else if (equalsIgnoreCase(name, "host")) {
            ++hostFields;
        } else if (equalsIgnoreCase(name, "expect")) {
            forEachListElement(value, [&](QByteArrayView expectation) {
                if (equalsIgnoreCase(expectation, "100-continue"))
                    expectContinue = true;
            });
        }
    }

    m_request.keepAlive = http10 ? (connectionKeepAlive && !connectionClose) : !connectionClose;
    // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request must be ignored.
    m_request.expectContinue = expectContinue && !http10;

    // Framing is where request smuggling lives: anything ambiguous is refused, not guessed.
    if (hasTransferEncoding) {
        if (hasContentLength) {
            return fail(400, "bad_request", "Content-Length and Transfer-Encoding both present");
        }
        // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
        if (http10)
            return fail(400, "bad_request", "Transfer-Encoding is not allowed in HTTP/1.0");
        if (transferEncodingMalformed)
            return fail(400, "bad_request", "invalid Transfer-Encoding");
        // RFC 9112 §6.3: without chunked last the body length cannot be determined.
        if (!lastIsChunked)
            return fail(400, "bad_request", "Transfer-Encoding does not end in chunked");
        // We only undo chunked; storing a still-compressed body as if it were the body would
        // mislead, so other codings are refused (RFC 9112 §6.1 suggests 501).
        if (unsupportedCoding)
            return fail(501, "not_implemented", "unsupported transfer coding");
    } else if (hasContentLength) {
        if (contentLengthResult == NumberResult::Invalid)
            return fail(400, "bad_request", "invalid Content-Length");
        if (contentLengthResult == NumberResult::OutOfRange)
            return fail(400, "bad_request", "Content-Length is out of range");
        if (contentLengthConflict)
            return fail(400, "bad_request", "conflicting Content-Length values");
        if (contentLength > m_limits.maxBodyBytes) {
            // Refused before any body byte arrives; the caller can still log what was declared.
            m_request.bodySize = contentLength;
            m_request.bodyTruncated = true;
            return fail(413, "payload_too_large", "request body exceeds the size limit");
        }
        m_remaining = contentLength;
    }
    // RFC 9112 §3.2: an HTTP/1.1 request names its host exactly once, and no request twice;
    // two hosts are another way to make a proxy in front route what we log differently.
    if (hostFields > 1)
        return fail(400, "bad_request", "more than one Host header");
    if (hostFields == 0 && !http10)
        return fail(400, "bad_request", "no Host header");
    m_chunked = hasTransferEncoding;
    m_state = m_chunked ? State::ChunkSize : State::Body;
    return Status::HeadersComplete;
}

HttpRequestParser::Status HttpRequestParser::parseChunkSize(QByteArrayView line)
{
    quint64 size = 0;
    qsizetype digits = 0;
    while (digits < line.size()) {
        const int value = hexValue(line[digits]);
        if (value < 0)
            break;
        if (digits == kMaxChunkSizeDigits)
            return fail(400, "bad_request", "chunk size is too large");
        size = size * 16 + quint64(value);
        ++digits;
    }
    if (digits == 0)
        return fail(400, "bad_request", "invalid chunk size");

    // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ); the content is ignored but must
    // still be field text, and whitespace is only allowed in front of a ';'.
    if (digits < line.size()) {
        qsizetype pos = digits;
        while (pos < line.size() && isOws(line[pos]))
            ++pos;
        if (pos == line.size() || line[pos] != ';')
            return fail(400, "bad_request", "invalid chunk size");
        if (!isFieldText(line.sliced(pos)))
            return fail(400, "bad_request", "invalid chunk extension");
    }

    if (size == 0) {
        m_state = State::Trailers;
        return Status::NeedMore;
    }

    const qint64 received = m_request.bodySize;
    const auto room = quint64(qMax<qint64>(0, m_limits.maxBodyBytes - received));
    if (size > room) {
        // Refused as soon as the chunk is announced, so no byte beyond the limit is ever kept.
        const auto maxDeclared = quint64(std::numeric_limits<qint64>::max() - received);
        m_request.bodySize = received + qint64(qMin(size, maxDeclared));
        m_request.bodyTruncated = true;
        return fail(413, "payload_too_large", "request body exceeds the size limit");
    }
    m_remaining = qint64(size);
    m_state = State::ChunkData;
    return Status::NeedMore;
}

void HttpRequestParser::keepBodyPrefix(qsizetype bytes)
{
    m_keepBytes = std::max<qsizetype>(0, bytes);
}

void HttpRequestParser::consumeBody(QByteArray &buffer)
{
    const auto take = qsizetype(qMin<qint64>(m_remaining, buffer.size()));
    const qsizetype keep = m_keepBytes < 0
        ? take
        : std::clamp<qsizetype>(m_keepBytes - m_request.body.size(), 0, take);
    if (m_request.body.isEmpty() && !m_chunked && keep > 0) {
        const qint64 expected
            = m_keepBytes < 0 ? m_remaining : qMin<qint64>(m_remaining, m_keepBytes);
        m_request.body.reserve(qsizetype(qMin<qint64>(expected, kMaxInitialBodyReserve)));
    }
    m_request.body.append(buffer.constData(), keep);
    buffer.remove(0, take);
    m_remaining -= take;
    m_request.bodySize += take;
    if (keep < take)
        m_request.bodyTruncated = true;
}

} // namespace Hooktrail
