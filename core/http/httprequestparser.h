// Incremental HTTP/1.x request parser. Reads untrusted bytes; enforces the header and body
// limits while the request is still arriving so nothing over the limit is ever buffered.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace Hooktrail {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct ParsedRequest
{
    QByteArray method; // as sent, e.g. "POST"
    QByteArray target; // request-target as sent, e.g. "/v1/data/webhook/x?api-key=k"
    QByteArray
        path; // target up to '?', percent-encoding left as is; absolute-form reduced to its path
    QByteArray query; // after '?', without it; empty when none
    int versionMinor = 1; // HTTP/1.<minor>
    HeaderList headers; // in arrival order, names as sent, values trimmed of OWS
    QByteArray body; // de-chunked body
    qint64 bodySize
        = 0; // bytes of body received (or declared by Content-Length when refused early)
    bool bodyTruncated = false; // body holds fewer bytes than bodySize
    bool keepAlive
        = true; // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive"
    bool expectContinue = false; // "Expect: 100-continue" was sent

    QByteArray header(QByteArrayView name) const; // first value, name compared case-insensitively
    QByteArray httpVersion() const { return versionMinor == 0 ? "HTTP/1.0" : "HTTP/1.1"; }
};

struct HttpParserLimits
{
    qsizetype maxHeaderBytes = 64 * 1024; // request line + headers (+ chunked trailers)
    qint64 maxBodyBytes = 10 * 1024 * 1024;
};

class HttpRequestParser final
{
public:
    using Limits = HttpParserLimits;

    enum class Status {
        NeedMore, // everything given was consumed; feed more
        HeadersComplete, // headers are in; request() has method/target/headers; call parse() again
                         // for the body
        Complete, // request() is complete; call takeRequest() and reset() before the next one
        Error, // errorStatus()/errorReason()/errorDetail() say why; the connection must be closed
    };

    explicit HttpRequestParser(Limits limits = {});

    // Consumes from the front of `buffer` what it used. Returns at each milestone, so a caller
    // loops until NeedMore. Leftover bytes after Complete belong to the next (pipelined) request.
    Status parse(QByteArray &buffer);

    // After HeadersComplete, for a request already refused: keep only the first `bytes` of its
    // body and count the rest (bodySize, bodyTruncated), so a refused body costs no memory.
    // The size limit still applies. Lasts until reset().
    void keepBodyPrefix(qsizetype bytes);

    const ParsedRequest &request() const { return m_request; }
    ParsedRequest takeRequest();
    void reset();

    // True once any byte of the current request has been consumed (to tell idle from trickling).
    bool inProgress() const { return m_state != State::RequestLine || m_lineBytes > 0; }
    bool headersDone() const { return m_state > State::Headers; }
    // Bytes of the current request taken so far: its head and its (de-chunked) body.
    qint64 requestBytes() const { return m_headerBytes + m_request.bodySize; }

    int errorStatus() const { return m_errorStatus; } // 400, 413, 431, 501, 505
    const char *errorReason() const
    {
        return m_errorReason;
    } // "bad_request", "payload_too_large", "headers_too_large", ...
    const QByteArray &errorDetail() const { return m_errorDetail; }

private:
    enum class State {
        RequestLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Done,
        Failed
    };
    enum class LineStatus { Complete, Partial, TooLong };

    // The private parse steps return NeedMore to mean "carry on with the next step".
    Status fail(int status, const char *reason, QByteArray detail);
    LineStatus findLine(
        QByteArray &buffer, qsizetype budget, QByteArrayView &line, qsizetype &used);
    Status parseRequestLine(QByteArrayView line);
    Status parseHeaderLine(QByteArrayView line, bool store);
    Status finishHeaders();
    Status parseChunkSize(QByteArrayView line);
    void consumeBody(QByteArray &buffer);

    Limits m_limits;
    State m_state = State::RequestLine;
    ParsedRequest m_request;
    qsizetype m_lineBytes = 0; // bytes of the current partial line already looked at
    QByteArray m_partial; // those bytes: taken out of the caller's buffer so NeedMore drains it
    bool m_chunkCr = false; // the CR of the CRLF after chunk data was consumed, LF pending
    qsizetype m_headerBytes = 0; // request line + headers so far
    qint64 m_remaining = 0; // body bytes still expected (Content-Length or current chunk)
    bool m_chunked = false;
    qsizetype m_keepBytes = -1; // body bytes kept; -1: all
    int m_errorStatus = 0;
    const char *m_errorReason = "";
    QByteArray m_errorDetail;
};

} // namespace Hooktrail
