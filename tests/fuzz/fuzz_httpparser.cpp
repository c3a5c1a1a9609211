// The receiver's own HTTP/1.x parser over arbitrary bytes: fed whole and in pieces of varying
// size, pipelined requests taken one after another, with limits small enough to be reached.
// Input: three control bytes, then what a client would send.
//   [0] pieces: 0 one at a time, else sizes from 1 to that many bytes (pseudo-random)
//   [1] header limit: 0 the default, else 8 times the value
//   [2] body limit: 0 the default, else 4 times (value - 1)
#include "core/http/httprequestparser.h"
#include "fuzzcheck.h"

#include <algorithm>
#include <cstdint>

using namespace Hooktrail;

namespace {

// What a connection sees of an input: the requests completed in order and how it ended.
struct Transcript
{
    QList<ParsedRequest> requests;
    ParsedRequest failed; // what the parser had of the request it refused
    int errorStatus = 0;
    QByteArray errorReason;
    bool inProgress = false;
};

bool sameRequest(const ParsedRequest &a, const ParsedRequest &b)
{
    return a.method == b.method && a.target == b.target && a.path == b.path && a.query == b.query
        && a.versionMinor == b.versionMinor && a.headers == b.headers && a.body == b.body
        && a.bodySize == b.bodySize && a.bodyTruncated == b.bodyTruncated
        && a.keepAlive == b.keepAlive && a.expectContinue == b.expectContinue;
}

bool hasLineBreakOrNul(const QByteArray &bytes)
{
    return bytes.contains('\r') || bytes.contains('\n') || bytes.contains('\0');
}

void checkComplete(const ParsedRequest &request, const HttpParserLimits &limits)
{
    FUZZ_CHECK(!request.method.isEmpty() && !request.target.isEmpty());
    FUZZ_CHECK(request.versionMinor == 0 || request.versionMinor == 1);
    FUZZ_CHECK(request.path.startsWith('/') || request.path == "*");
    FUZZ_CHECK(!hasLineBreakOrNul(request.target));
    FUZZ_CHECK(request.query.isEmpty() || request.target.contains('?'));
    // The body limit holds for what was kept, and a complete request kept all of its body.
    FUZZ_CHECK(request.body.size() <= limits.maxBodyBytes);
    FUZZ_CHECK(request.bodySize == request.body.size());
    FUZZ_CHECK(!request.bodyTruncated);
    FUZZ_CHECK(!(request.versionMinor == 0 && request.expectContinue));
    // RFC 9112 §3.2: one Host in HTTP/1.1, at most one in HTTP/1.0.
    const qsizetype hosts = std::count_if(request.headers.begin(), request.headers.end(),
        [](const auto &field) { return field.first.compare("host", Qt::CaseInsensitive) == 0; });
    FUZZ_CHECK(hosts == 1 || (hosts == 0 && request.versionMinor == 0));
    // The request line and the header lines, each with its CRLF, fit the header budget.
    qsizetype headerBytes = request.method.size() + 1 + request.target.size() + 1 + 8 + 2 + 2;
    for (const auto &[name, value] : request.headers) {
        FUZZ_CHECK(!name.isEmpty() && !name.contains(':') && !hasLineBreakOrNul(name));
        FUZZ_CHECK(!hasLineBreakOrNul(value));
        headerBytes += name.size() + 1 + value.size() + 2;
    }
    FUZZ_CHECK(headerBytes <= limits.maxHeaderBytes);
}

void checkFailed(const HttpRequestParser &parser, const HttpParserLimits &limits)
{
    const int status = parser.errorStatus();
    FUZZ_CHECK(status == 400 || status == 413 || status == 431 || status == 501 || status == 505);
    FUZZ_CHECK(*parser.errorReason() != '\0' && !parser.errorDetail().isEmpty());
    const ParsedRequest &request = parser.request();
    FUZZ_CHECK(request.body.size() <= limits.maxBodyBytes);
    if (status == 413) {
        // Refused from the declared size, before any byte past the limit was kept.
        FUZZ_CHECK(request.bodyTruncated && request.bodySize > limits.maxBodyBytes);
    }
}

Transcript run(QByteArrayView input, const HttpParserLimits &limits, unsigned pieces, uint32_t seed)
{
    Transcript transcript;
    HttpRequestParser parser(limits);
    QByteArray buffer;
    qsizetype offset = 0;
    uint32_t random = seed;
    for (;;) {
        if (offset < input.size()) {
            qsizetype piece = input.size();
            if (pieces == 0) {
                piece = 1;
            } else if (pieces < 255) {
                random = random * 1103515245u + 12345u;
                piece = 1 + qsizetype((random >> 16) % pieces);
            }
            piece = std::min(piece, input.size() - offset);
            buffer.append(input.data() + offset, piece);
            offset += piece;
        }
        for (bool drained = false; !drained;) {
            switch (parser.parse(buffer)) {
            case HttpRequestParser::Status::NeedMore:
                // NeedMore promises the buffer was drained: the connection waits for the socket.
                FUZZ_CHECK(buffer.isEmpty());
                drained = true;
                break;
            case HttpRequestParser::Status::HeadersComplete:
                FUZZ_CHECK(parser.headersDone() && parser.inProgress());
                break;
            case HttpRequestParser::Status::Complete: {
                ParsedRequest request = parser.takeRequest();
                checkComplete(request, limits);
                transcript.requests.append(std::move(request));
                parser.reset();
                FUZZ_CHECK(!parser.inProgress());
                break;
            }
            case HttpRequestParser::Status::Error: {
                checkFailed(parser, limits);
                // A failed parser stays failed and touches no more bytes.
                const QByteArray before = buffer;
                buffer.append("GET / HTTP/1.1\r\n\r\n");
                const QByteArray fed = buffer;
                FUZZ_CHECK(parser.parse(buffer) == HttpRequestParser::Status::Error);
                FUZZ_CHECK(buffer == fed);
                buffer = before;
                transcript.failed = parser.request();
                transcript.errorStatus = parser.errorStatus();
                transcript.errorReason = parser.errorReason();
                return transcript;
            }
            }
        }
        if (offset == input.size()) {
            transcript.inProgress = parser.inProgress();
            return transcript;
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    HttpParserLimits limits;
    if (data[1] != 0)
        limits.maxHeaderBytes = qsizetype(data[1]) * 8;
    if (data[2] != 0)
        limits.maxBodyBytes = qint64(data[2] - 1) * 4;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 3), qsizetype(size - 3));

    // However the bytes are split into reads, the parser must come to the same requests and the
    // same end: a difference means state lost or misread at a read boundary.
    const Transcript whole = run(input, limits, 255, 0);
    const Transcript split = run(input, limits, data[0], uint32_t(size));
    FUZZ_CHECK(whole.requests.size() == split.requests.size());
    for (qsizetype i = 0; i < whole.requests.size(); ++i)
        FUZZ_CHECK(sameRequest(whole.requests.at(i), split.requests.at(i)));
    FUZZ_CHECK(whole.errorStatus == split.errorStatus);
    FUZZ_CHECK(whole.errorReason == split.errorReason);
    FUZZ_CHECK(sameRequest(whole.failed, split.failed));
    FUZZ_CHECK(whole.inProgress == split.inProgress);
    return 0;
}
