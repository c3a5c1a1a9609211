// Tests for HttpRequestParser: syntax, framing, limits, errors and incremental feeding.
#include "core/http/httprequestparser.h"

#include <QTest>

#include <limits>

using namespace Hooktrail;
using namespace Qt::StringLiterals;
using Status = HttpRequestParser::Status;
using Limits = HttpRequestParser::Limits;

namespace {

// Small limits keep the limit tests readable and fast.
constexpr qsizetype kMaxHeaderBytes = 1024;
constexpr qint64 kMaxBodyBytes = 4096;

Limits testLimits()
{
    Limits limits;
    limits.maxHeaderBytes = kMaxHeaderBytes;
    limits.maxBodyBytes = kMaxBodyBytes;
    return limits;
}

QByteArray statusName(Status status)
{
    switch (status) {
    case Status::NeedMore:
        return "NeedMore"_ba;
    case Status::HeadersComplete:
        return "HeadersComplete"_ba;
    case Status::Complete:
        return "Complete"_ba;
    case Status::Error:
        return "Error"_ba;
    }
    return "?"_ba;
}

// One line per request so that a mismatch between two feeding strategies shows the difference.
QByteArray describe(const ParsedRequest &request)
{
    QByteArray out = request.method + ' ' + request.target + " path=" + request.path
        + " query=" + request.query + " minor=" + QByteArray::number(request.versionMinor);
    for (const auto &field : request.headers)
        out += " [" + field.first + ':' + field.second + ']';
    out += " body=" + request.body.toHex() + " size=" + QByteArray::number(request.bodySize)
        + " truncated=" + QByteArray::number(request.bodyTruncated)
        + " keepAlive=" + QByteArray::number(request.keepAlive)
        + " expect=" + QByteArray::number(request.expectContinue);
    return out;
}

struct Run
{
    QList<ParsedRequest> requests;
    Status last = Status::NeedMore;
    int errorStatus = 0;
    QByteArray errorReason;
    QByteArray errorDetail;
    QByteArray requestAtError;
    QByteArray leftover;
    bool inProgress = false;
    // HeadersComplete exactly once per request, before Complete and before any body byte, and
    // NeedMore only with the buffer drained (a connection reads again only into an empty buffer).
    bool contractOk = true;
};

// Drives the parser the way a connection does: append what arrived, parse until NeedMore,
// take each complete request and reset for the pipelined next one.
Run feedPieces(const QList<QByteArray> &pieces, Limits limits = testLimits())
{
    HttpRequestParser parser(limits);
    Run run;
    QByteArray buffer;
    qsizetype next = 0;
    int headersComplete = 0;
    for (;;) {
        switch (parser.parse(buffer)) {
        case Status::HeadersComplete:
            if (headersComplete++ != 0 || !parser.request().body.isEmpty()
                || parser.request().bodySize != 0 || !parser.headersDone()) {
                run.contractOk = false;
            }
            continue;
        case Status::Complete:
            if (headersComplete != 1)
                run.contractOk = false;
            headersComplete = 0;
            run.requests.append(parser.takeRequest());
            parser.reset();
            continue;
        case Status::Error:
            run.last = Status::Error;
            run.errorStatus = parser.errorStatus();
            run.errorReason = parser.errorReason();
            run.errorDetail = parser.errorDetail();
            run.requestAtError = describe(parser.request());
            run.leftover = buffer;
            return run;
        case Status::NeedMore:
            if (!buffer.isEmpty())
                run.contractOk = false;
            if (next == pieces.size()) {
                run.last = Status::NeedMore;
                run.leftover = buffer;
                run.inProgress = parser.inProgress();
                return run;
            }
            buffer.append(pieces.at(next++));
            continue;
        }
    }
}

// step 0 feeds everything at once.
Run feed(const QByteArray &input, qsizetype step, Limits limits = testLimits())
{
    QList<QByteArray> pieces;
    if (step <= 0) {
        pieces.append(input);
    } else {
        for (qsizetype i = 0; i < input.size(); i += step)
            pieces.append(input.mid(i, step));
    }
    return feedPieces(pieces, limits);
}

QByteArray chunkedWithExtensionsAndTrailers()
{
    return "POST /hooks/chunked HTTP/1.1\r\n"
           "Host: example.com\r\n"
           "Transfer-Encoding: chunked\r\n"
           "\r\n"
           "5;name=value\r\n"
           "hello\r\n"
           "6 ; a=\"b c\"\r\n"
           " world\r\n"
           "A\r\n"
           "0123456789\r\n"
           "0;last\r\n"
           "X-Checksum: abc\r\n"
           "X-Other: def\r\n"
           "\r\n"_ba;
}

} // namespace

class TestHttpParser : public QObject
{
    Q_OBJECT

private slots:
    void validRequests_data();
    void validRequests();
    void errors_data();
    void errors();
    void pipelined_data();
    void pipelined();
    void pipelinedLeavesNextRequestInBuffer();
    void chunkedSplitAtEveryPosition();
    void needMoreDrainsBuffer();
    void headersCompleteBeforeBody();
    void noBodyStillReportsHeadersCompleteFirst();
    void headerLimitBoundary();
    void partialLinePastLimitFailsImmediately_data();
    void partialLinePastLimitFailsImmediately();
    void contentLengthOverLimitRefusedAtHeaders();
    void contentLengthAtLimitAccepted();
    void chunkedOverLimitKeepsAtMostLimit_data();
    void chunkedOverLimitKeepsAtMostLimit();
    void bodyPrefixOnly_data();
    void bodyPrefixOnly();
    void failedParserStaysFailed();
    void headerOrderAndLookup();
    void takeRequestAndReset();
};

void TestHttpParser::validRequests_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("versionMinor");
    QTest::addColumn<int>("headerCount");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<bool>("expectContinue");

    QTest::addRow("simple GET") << "GET /hooks/a?x=1&y=2 HTTP/1.1\r\nHost: example.com\r\n\r\n"_ba
                                << "GET"_ba
                                << "/hooks/a?x=1&y=2"_ba
                                << "/hooks/a"_ba
                                << "x=1&y=2"_ba << 1 << 1 << QByteArray() << true << false;
    QTest::addRow("POST with Content-Length")
        << "POST /v1/data/webhook/x?api-key=k HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\n"
           "Content-Length: 11\r\n\r\nhello world"_ba
        << "POST"_ba
        << "/v1/data/webhook/x?api-key=k"_ba
        << "/v1/data/webhook/x"_ba
        << "api-key=k"_ba << 1 << 3 << "hello world"_ba << true << false;
    QTest::addRow("binary body")
        << "PUT /b HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\n\0\r\n\xff\n\0"_ba
        << "PUT"_ba
        << "/b"_ba
        << "/b"_ba << QByteArray() << 1 << 2 << "\0\r\n\xff\n\0"_ba << true << false;
    QTest::addRow("Content-Length zero")
        << "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"_ba
        << "POST"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 2 << QByteArray() << true << false;
    QTest::addRow("Content-Length leading zeros and OWS")
        << "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \t003 \r\n\r\nabc"_ba
        << "POST"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 2 << "abc"_ba << true << false;
    QTest::addRow("identical duplicate Content-Length")
        << "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc"_ba
        << "POST"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 3 << "abc"_ba << true << false;
    QTest::addRow("identical Content-Length list")
        << "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\nabc"_ba
        << "POST"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 2 << "abc"_ba << true << false;
    QTest::addRow("leading CRLFs")
        << "\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n"_ba
        << "GET"_ba
        << "/x"_ba
        << "/x"_ba << QByteArray() << 1 << 1 << QByteArray() << true << false;
    QTest::addRow("absolute-form with port and query")
        << "GET http://example.com:8080/p/q?a=b HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"_ba
        << "GET"_ba
        << "http://example.com:8080/p/q?a=b"_ba
        << "/p/q"_ba
        << "a=b"_ba << 1 << 1 << QByteArray() << true << false;
    QTest::addRow("absolute-form without path")
        << "GET HTTP://Example.com HTTP/1.1\r\nHost: h\r\n\r\n"_ba
        << "GET"_ba
        << "HTTP://Example.com"_ba
        << "/"_ba << QByteArray() << 1 << 1 << QByteArray() << true << false;
    QTest::addRow("absolute-form https query without path")
        << "GET https://h?x=1 HTTP/1.1\r\nHost: h\r\n\r\n"_ba
        << "GET"_ba
        << "https://h?x=1"_ba
        << "/"_ba
        << "x=1"_ba << 1 << 1 << QByteArray() << true << false;
    QTest::addRow("asterisk-form OPTIONS")
        << "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"_ba
        << "OPTIONS"_ba
        << "*"_ba
        << "*"_ba << QByteArray() << 1 << 1 << QByteArray() << true << false;
    QTest::addRow("empty query after question mark")
        << "GET /a? HTTP/1.1\r\nHost: h\r\n\r\n"_ba
        << "GET"_ba
        << "/a?"_ba
        << "/a"_ba << QByteArray() << 1 << 1 << QByteArray() << true << false;
    QTest::addRow("query keeps second question mark")
        << "GET /a?b?c=%20 HTTP/1.1\r\nHost: h\r\n\r\n"_ba
        << "GET"_ba
        << "/a?b?c=%20"_ba
        << "/a"_ba
        << "b?c=%20"_ba << 1 << 1 << QByteArray() << true << false;
    QTest::addRow("extension method token")
        << "M-SEARCH /x HTTP/1.1\r\nHost: h\r\n\r\n"_ba
        << "M-SEARCH"_ba
        << "/x"_ba
        << "/x"_ba << QByteArray() << 1 << 1 << QByteArray() << true << false;
    QTest::addRow("HTTP/1.0 defaults to close")
        << "GET / HTTP/1.0\r\nHost: h\r\n\r\n"_ba
        << "GET"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 0 << 1 << QByteArray() << false << false;
    QTest::addRow("HTTP/1.0 keep-alive")
        << "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"_ba
        << "GET"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 0 << 1 << QByteArray() << true << false;
    QTest::addRow("HTTP/1.0 keep-alive and close")
        << "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"_ba
        << "GET"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 0 << 1 << QByteArray() << false << false;
    QTest::addRow("HTTP/1.1 Connection: close")
        << "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"_ba
        << "GET"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 2 << QByteArray() << false << false;
    QTest::addRow("HTTP/1.1 close in list, mixed case")
        << "GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nConnection: TE ,CLOSE\r\n\r\n"_ba
        << "GET"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 3 << QByteArray() << false << false;
    QTest::addRow("HTTP/1.1 token containing close is not close")
        << "GET / HTTP/1.1\r\nHost: h\r\nConnection: closed, x-close\r\n\r\n"_ba
        << "GET"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 2 << QByteArray() << true << false;
    QTest::addRow("Expect: 100-continue")
        << "POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\nbody"_ba
        << "POST"_ba
        << "/e"_ba
        << "/e"_ba << QByteArray() << 1 << 3 << "body"_ba << true << true;
    QTest::addRow("Expect in HTTP/1.0 is ignored")
        << "POST /e HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nb"_ba
        << "POST"_ba
        << "/e"_ba
        << "/e"_ba << QByteArray() << 0 << 2 << "b"_ba << false << false;
    QTest::addRow("chunked with extensions and trailers")
        << chunkedWithExtensionsAndTrailers() << "POST"_ba
        << "/hooks/chunked"_ba
        << "/hooks/chunked"_ba << QByteArray() << 1 << 2 << "hello world0123456789"_ba << true
        << false;
    QTest::addRow("chunked mixed case, uppercase hex")
        << "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ChUnKeD\r\n\r\n1F\r\n"
           "0123456789abcdef0123456789abcde\r\n0\r\n\r\n"_ba
        << "POST"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 2 << "0123456789abcdef0123456789abcde"_ba << true
        << false;
    QTest::addRow("chunked empty body")
        << "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n000\r\n\r\n"_ba
        << "POST"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 2 << QByteArray() << true << false;
    QTest::addRow("header values with obs-text and tabs")
        << "POST / HTTP/1.1\r\nHost: h\r\nX-Name:\t caf\xc3\xa9 \tand\ttab \t\r\nX-Empty:\r\n"
           "Content-Length: 1\r\n\r\n!"_ba
        << "POST"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 4 << "!"_ba << true << false;
    QTest::addRow("body at the limit")
        << "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4096\r\n\r\n"_ba + QByteArray(4096, 'b')
        << "POST"_ba
        << "/"_ba
        << "/"_ba << QByteArray() << 1 << 2 << QByteArray(4096, 'b') << true << false;
}

void TestHttpParser::validRequests()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, query);
    QFETCH(int, versionMinor);
    QFETCH(int, headerCount);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    QFETCH(bool, expectContinue);

    const Run whole = feed(input, 0);
    QCOMPARE(statusName(whole.last), statusName(Status::NeedMore));
    QVERIFY(whole.contractOk);
    QCOMPARE(whole.requests.size(), 1);
    QCOMPARE(whole.leftover, QByteArray());
    QVERIFY(!whole.inProgress);

    const ParsedRequest &request = whole.requests.constFirst();
    QCOMPARE(request.method, method);
    QCOMPARE(request.target, target);
    QCOMPARE(request.path, path);
    QCOMPARE(request.query, query);
    QCOMPARE(request.versionMinor, versionMinor);
    QCOMPARE(request.headers.size(), headerCount);
    QCOMPARE(request.body, body);
    QCOMPARE(request.bodySize, qint64(body.size()));
    QVERIFY(!request.bodyTruncated);
    QCOMPARE(request.keepAlive, keepAlive);
    QCOMPARE(request.expectContinue, expectContinue);

    // The result must not depend on how the bytes were split by the network.
    for (const qsizetype step : { 1, 2, 3, 7 }) {
        const Run split = feed(input, step);
        QCOMPARE(statusName(split.last), statusName(Status::NeedMore));
        QVERIFY(split.contractOk);
        QCOMPARE(split.requests.size(), 1);
        QCOMPARE(describe(split.requests.constFirst()), describe(request));
        QCOMPARE(split.leftover, QByteArray());
    }
}

void TestHttpParser::errors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<QByteArray>("detail");

    const QByteArray bad = "bad_request"_ba;
    const QByteArray requestLine = "request line is not METHOD TARGET HTTP/1.x"_ba;
    const QByteArray badTarget = "invalid request target"_ba;
    const QByteArray badVersion = "invalid HTTP version"_ba;
    const QByteArray tooLarge = "headers_too_large"_ba;
    const QByteArray tooLargeDetail = "request headers are too large"_ba;

    // Request line.
    QTest::addRow("bad method token")
        << "G(ET / HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << "invalid method"_ba;
    QTest::addRow("non-ASCII method")
        << "G\xc3\x89T / HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << "invalid method"_ba;
    QTest::addRow("empty method") << " / HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad
                                  << requestLine;
    QTest::addRow("space in target")
        << "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << requestLine;
    QTest::addRow("double space") << "GET  / HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad
                                  << requestLine;
    QTest::addRow("missing version") << "GET /\r\n\r\n"_ba << 400 << bad << requestLine;
    QTest::addRow("trailing space") << "GET / HTTP/1.1 \r\n\r\n"_ba << 400 << bad << requestLine;
    QTest::addRow("tab in target")
        << "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    QTest::addRow("control char in target")
        << "GET /a\x01 HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    QTest::addRow("NUL in target")
        << "GET /a\0 HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    QTest::addRow("DEL in target")
        << "GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    QTest::addRow("non-ASCII in target")
        << "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    QTest::addRow("fragment in target")
        << "GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    QTest::addRow("relative target")
        << "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    QTest::addRow("authority-form")
        << "CONNECT example.com:443 HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    QTest::addRow("asterisk-form with GET")
        << "GET * HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad
        << "asterisk-form target is only allowed with OPTIONS"_ba;
    QTest::addRow("absolute-form without host")
        << "GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    QTest::addRow("absolute-form with userinfo")
        << "GET http://u:p@h/x HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    QTest::addRow("absolute-form other scheme")
        << "GET ftp://h/x HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << badTarget;
    // Line ends: CRLF only (RFC 9112 §2.2 allows a bare LF; a proxy in front may not agree).
    const QByteArray bareLf = "line does not end in CRLF"_ba;
    QTest::addRow("bare LF after the request line")
        << "POST /lf?q HTTP/1.1\nHost: h\r\nContent-Length: 2\r\n\r\nok"_ba << 400 << bad << bareLf;
    QTest::addRow("bare LF after a header")
        << "GET / HTTP/1.1\r\nHost: h\nA: 1\r\n\r\n"_ba << 400 << bad << bareLf;
    QTest::addRow("bare LF ending the headers")
        << "GET / HTTP/1.1\r\nHost: h\r\nB: 2\r\n\n"_ba << 400 << bad << bareLf;
    QTest::addRow("LF-only line endings")
        << "POST /lf HTTP/1.1\nHost: h\nContent-Length: 2\n\nok"_ba << 400 << bad << bareLf;
    QTest::addRow("leading bare LF")
        << "\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n"_ba << 400 << bad << bareLf;
    QTest::addRow("stray CR in request line")
        << "GET / HTTP/1.1\r\r\n\r\n"_ba << 400 << bad << badVersion;

    // Versions.
    const QByteArray unsupported = "http_version_not_supported"_ba;
    const QByteArray unsupportedDetail = "only HTTP/1.0 and HTTP/1.1 are supported"_ba;
    QTest::addRow("HTTP/2.0") << "GET / HTTP/2.0\r\n\r\n"_ba << 505 << unsupported
                              << unsupportedDetail;
    QTest::addRow("HTTP/2 preface")
        << "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"_ba << 505 << unsupported << unsupportedDetail;
    QTest::addRow("HTTP/1.2") << "GET / HTTP/1.2\r\n\r\n"_ba << 505 << unsupported
                              << unsupportedDetail;
    QTest::addRow("HTTP/0.9") << "GET / HTTP/0.9\r\n\r\n"_ba << 505 << unsupported
                              << unsupportedDetail;
    QTest::addRow("HTTP/1.1x") << "GET / HTTP/1.1x\r\n\r\n"_ba << 400 << bad << badVersion;
    QTest::addRow("HTTP/1.10") << "GET / HTTP/1.10\r\n\r\n"_ba << 400 << bad << badVersion;
    QTest::addRow("lowercase http") << "GET / http/1.1\r\n\r\n"_ba << 400 << bad << badVersion;
    QTest::addRow("HTTP/1") << "GET / HTTP/1\r\n\r\n"_ba << 400 << bad << badVersion;
    QTest::addRow("HTTP/a.b") << "GET / HTTP/a.b\r\n\r\n"_ba << 400 << bad << badVersion;

    // Header lines.
    const QByteArray badValue = "invalid character in header value"_ba;
    const QByteArray badName = "invalid header name"_ba;
    const QByteArray fold = "obsolete line folding is not accepted"_ba;
    QTest::addRow("NUL in header value")
        << "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\0b\r\n\r\n"_ba << 400 << bad << badValue;
    QTest::addRow("CR in header value")
        << "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n"_ba << 400 << bad << badValue;
    QTest::addRow("ESC in header value")
        << "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x1b[0m\r\n\r\n"_ba << 400 << bad << badValue;
    QTest::addRow("DEL in header value")
        << "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x7f\r\n\r\n"_ba << 400 << bad << badValue;
    QTest::addRow("obs-fold") << "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n  b\r\n\r\n"_ba << 400
                              << bad << fold;
    QTest::addRow("obs-fold with tab")
        << "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n\tb\r\n\r\n"_ba << 400 << bad << fold;
    QTest::addRow("whitespace before first header")
        << "GET / HTTP/1.1\r\nHost: h\r\n X-A: a\r\n\r\n"_ba << 400 << bad << fold;
    QTest::addRow("space before colon")
        << "GET / HTTP/1.1\r\nHost: h\r\nX-A : a\r\n\r\n"_ba << 400 << bad << badName;
    QTest::addRow("tab before colon")
        << "GET / HTTP/1.1\r\nHost: h\r\nX-A\t: a\r\n\r\n"_ba << 400 << bad << badName;
    QTest::addRow("missing colon") << "GET / HTTP/1.1\r\nHost: h\r\nX-A a\r\n\r\n"_ba << 400 << bad
                                   << "header line has no colon"_ba;
    QTest::addRow("empty header name")
        << "GET / HTTP/1.1\r\nHost: h\r\n: a\r\n\r\n"_ba << 400 << bad << badName;
    QTest::addRow("non-token header name")
        << "GET / HTTP/1.1\r\nHost: h\r\nX(A): a\r\n\r\n"_ba << 400 << bad << badName;
    QTest::addRow("obs-text header name")
        << "GET / HTTP/1.1\r\nHost: h\r\nX\xe9: a\r\n\r\n"_ba << 400 << bad << badName;
    QTest::addRow("NUL in header name")
        << "GET / HTTP/1.1\r\nHost: h\r\nX\0A: a\r\n\r\n"_ba << 400 << bad << badName;

    // Header size limit (1024 bytes).
    QTest::addRow("huge request line without newline")
        << "GET /"_ba + QByteArray(2000, 'a') << 431 << tooLarge << tooLargeDetail;
    QTest::addRow("huge request line with newline")
        << "GET /"_ba + QByteArray(2000, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n"
        << 431 << tooLarge << tooLargeDetail;
    QTest::addRow("huge header value without newline") << "GET / HTTP/1.1\r\nHost: h\r\nX-A: "_ba
            + QByteArray(2000, 'a') << 431 << tooLarge << tooLargeDetail;
    QTest::addRow("huge invalid header line")
        << "GET / HTTP/1.1\r\nHost: h\r\nX-A: \x01"_ba + QByteArray(2000, 'a') + "\r\n\r\n"
        << 431 << tooLarge << tooLargeDetail;
    QTest::addRow("many small headers") << "GET / HTTP/1.1\r\nHost: h\r\n"_ba
            + QByteArray("X-N: 0123456789\r\n").repeated(100)
            + "\r\n" << 431 << tooLarge << tooLargeDetail;
    QTest::addRow("many leading CRLFs")
        << "\r\n"_ba.repeated(600) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
        << 431 << tooLarge << tooLargeDetail;
    QTest::addRow("trailers too large")
        << "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"_ba
            + QByteArray("X-T: 0123456789\r\n").repeated(100) + "\r\n"
        << 431 << tooLarge << tooLargeDetail;

    // Host (RFC 9112 §3.2): exactly one in HTTP/1.1, at most one in HTTP/1.0.
    QTest::addRow("HTTP/1.1 without Host")
        << "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n"_ba << 400 << bad << "no Host header"_ba;
    QTest::addRow("HTTP/1.1 POST without Host")
        << "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nok"_ba << 400 << bad << "no Host header"_ba;
    QTest::addRow("two Host headers") << "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"_ba << 400
                                      << bad << "more than one Host header"_ba;
    QTest::addRow("two identical Host headers, other case")
        << "GET / HTTP/1.1\r\nHost: a\r\nhOST: a\r\n\r\n"_ba << 400 << bad
        << "more than one Host header"_ba;
    QTest::addRow("two Host headers in HTTP/1.0")
        << "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"_ba << 400 << bad
        << "more than one Host header"_ba;

    // Content-Length.
    const QByteArray badLength = "invalid Content-Length"_ba;
    const QByteArray post = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: "_ba;
    QTest::addRow("Content-Length letters") << post + "abc\r\n\r\n" << 400 << bad << badLength;
    QTest::addRow("Content-Length negative") << post + "-1\r\n\r\n" << 400 << bad << badLength;
    QTest::addRow("Content-Length plus sign") << post + "+1\r\n\r\n" << 400 << bad << badLength;
    QTest::addRow("Content-Length inner space") << post + "1 2\r\n\r\n" << 400 << bad << badLength;
    QTest::addRow("Content-Length hex") << post + "0x10\r\n\r\n" << 400 << bad << badLength;
    QTest::addRow("Content-Length exponent") << post + "1e3\r\n\r\n" << 400 << bad << badLength;
    QTest::addRow("Content-Length empty") << post + "\r\n\r\n" << 400 << bad << badLength;
    QTest::addRow("Content-Length empty list element") << post + "1,\r\n\r\n"
                                                       << 400 << bad << badLength;
    QTest::addRow("Content-Length out of range")
        << post + "99999999999999999999\r\n\r\n"
        << 400 << bad << "Content-Length is out of range"_ba;
    QTest::addRow("Content-Length differing duplicates")
        << "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"_ba
        << 400 << bad << "conflicting Content-Length values"_ba;
    QTest::addRow("Content-Length differing list")
        << post + "3, 4\r\n\r\nabcd" << 400 << bad << "conflicting Content-Length values"_ba;
    QTest::addRow("Content-Length over the limit") << post + "4097\r\n\r\n"
                                                   << 413 << "payload_too_large"_ba
                                                   << "request body exceeds the size limit"_ba;

    // Transfer-Encoding.
    const QByteArray both = "Content-Length and Transfer-Encoding both present"_ba;
    const QByteArray notChunked = "Transfer-Encoding does not end in chunked"_ba;
    const QByteArray badTe = "invalid Transfer-Encoding"_ba;
    const QByteArray te = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "_ba;
    QTest::addRow("Content-Length and Transfer-Encoding")
        << "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"_ba
        << 400 << bad << both;
    QTest::addRow("Transfer-Encoding and Content-Length")
        << "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"_ba
        << 400 << bad << both;
    QTest::addRow("Transfer-Encoding gzip only") << te + "gzip\r\n\r\n" << 400 << bad << notChunked;
    QTest::addRow("chunked not last") << te + "chunked, gzip\r\n\r\n" << 400 << bad << notChunked;
    QTest::addRow("chunked not last across fields")
        << te + "chunked\r\nTransfer-Encoding: identity\r\n\r\n"
        << 400 << bad << notChunked;
    QTest::addRow("unsupported coding before chunked") << te + "gzip, chunked\r\n\r\n"
                                                       << 501 << "not_implemented"_ba
                                                       << "unsupported transfer coding"_ba;
    QTest::addRow("chunked twice") << te + "chunked, chunked\r\n\r\n" << 400 << bad << badTe;
    QTest::addRow("chunked with parameter") << te + "chunked;q=1\r\n\r\n" << 400 << bad << badTe;
    QTest::addRow("Transfer-Encoding empty") << te + "\r\n\r\n" << 400 << bad << badTe;
    QTest::addRow("Transfer-Encoding empty element") << te + "chunked,\r\n\r\n"
                                                     << 400 << bad << badTe;
    QTest::addRow("Transfer-Encoding in HTTP/1.0")
        << "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"_ba << 400 << bad
        << "Transfer-Encoding is not allowed in HTTP/1.0"_ba;

    // Chunked body.
    const QByteArray chunked
        = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"_ba;
    const QByteArray badSize = "invalid chunk size"_ba;
    const QByteArray noCrlf = "chunk data is not followed by CRLF"_ba;
    QTest::addRow("chunk size not hex") << chunked + "zz\r\n" << 400 << bad << badSize;
    QTest::addRow("chunk size empty") << chunked + "\r\n" << 400 << bad << badSize;
    QTest::addRow("chunk size negative") << chunked + "-1\r\n" << 400 << bad << badSize;
    QTest::addRow("chunk size with 0x") << chunked + "0x5\r\n" << 400 << bad << badSize;
    QTest::addRow("chunk size leading space") << chunked + " 5\r\nhello\r\n"
                                              << 400 << bad << badSize;
    QTest::addRow("chunk size trailing space") << chunked + "5 \r\nhello\r\n"
                                               << 400 << bad << badSize;
    QTest::addRow("chunk size 17 hex digits") << chunked + "00000000000000001\r\nx\r\n"
                                              << 400 << bad << "chunk size is too large"_ba;
    QTest::addRow("chunk extension control char") << chunked + "5;a=\x01\r\nhello\r\n"
                                                  << 400 << bad << "invalid chunk extension"_ba;
    QTest::addRow("chunk size line too long")
        << chunked + "5;" + QByteArray(5000, 'e') + "\r\nhello\r\n0\r\n\r\n"
        << 400 << bad << "chunk size line is too long"_ba;
    QTest::addRow("missing CRLF after chunk data") << chunked + "5\r\nhelloXX\r\n0\r\n\r\n"
                                                   << 400 << bad << noCrlf;
    QTest::addRow("bare LF after chunk data") << chunked + "5\r\nhello\n0\r\n\r\n"
                                              << 400 << bad << noCrlf;
    QTest::addRow("bare LF after a chunk size") << chunked + "5\nhello\r\n0\r\n\r\n"
                                                << 400 << bad << "line does not end in CRLF"_ba;
    QTest::addRow("bare LF after the last chunk") << chunked + "5\r\nhello\r\n0\n\r\n"
                                                  << 400 << bad << "line does not end in CRLF"_ba;
    QTest::addRow("bare LF in trailers") << chunked + "0\r\nX-T: 1\n\r\n"
                                         << 400 << bad << "line does not end in CRLF"_ba;
    QTest::addRow("bare LF ending the trailers") << chunked + "0\r\n\n"
                                                 << 400 << bad << "line does not end in CRLF"_ba;
    QTest::addRow("CR without LF after chunk data") << chunked + "5\r\nhello\rX\n0\r\n\r\n"
                                                    << 400 << bad << noCrlf;
    QTest::addRow("chunk longer than declared") << chunked + "3\r\nhello\r\n0\r\n\r\n"
                                                << 400 << bad << noCrlf;
    QTest::addRow("invalid trailer") << chunked + "0\r\nbad trailer\r\n\r\n"
                                     << 400 << bad << "header line has no colon"_ba;
    QTest::addRow("obs-fold in trailer") << chunked + "0\r\nX-T: a\r\n b\r\n\r\n"
                                         << 400 << bad << fold;
    QTest::addRow("chunk over the limit") << chunked + "1001\r\n"
                                          << 413 << "payload_too_large"_ba
                                          << "request body exceeds the size limit"_ba;
    QTest::addRow("chunks adding up over the limit")
        << chunked + "800\r\n" + QByteArray(0x800, 'a') + "\r\n801\r\n"
        << 413 << "payload_too_large"_ba
        << "request body exceeds the size limit"_ba;
}

void TestHttpParser::errors()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    QFETCH(QByteArray, detail);

    const Run whole = feed(input, 0);
    QCOMPARE(statusName(whole.last), statusName(Status::Error));
    QCOMPARE(whole.errorStatus, status);
    QCOMPARE(whole.errorReason, reason);
    QCOMPARE(whole.errorDetail, detail);
    QVERIFY(whole.requests.isEmpty());

    for (const qsizetype step : { 1, 3 }) {
        const Run split = feed(input, step);
        QCOMPARE(statusName(split.last), statusName(Status::Error));
        QCOMPARE(split.errorStatus, status);
        QCOMPARE(split.errorReason, reason);
        QCOMPARE(split.errorDetail, detail);
        QCOMPARE(split.requestAtError, whole.requestAtError);
    }
}

void TestHttpParser::pipelined_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArrayList>("methods");
    QTest::addColumn<QByteArrayList>("paths");
    QTest::addColumn<QByteArrayList>("bodies");

    QTest::addRow("two GETs")
        << "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"_ba
        << QByteArrayList { "GET"_ba, "GET"_ba } << QByteArrayList { "/a"_ba, "/b"_ba }
        << QByteArrayList { QByteArray(), QByteArray() };
    QTest::addRow("POST then GET")
        << "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyzGET /b HTTP/1.1\r\nHost: h\r\n\r\n"_ba
        << QByteArrayList { "POST"_ba, "GET"_ba } << QByteArrayList { "/a"_ba, "/b"_ba }
        << QByteArrayList { "xyz"_ba, QByteArray() };
    QTest::addRow("three mixed")
        << "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
           "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nGET "
           "POST /3 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n"_ba
        << QByteArrayList { "GET"_ba, "POST"_ba, "POST"_ba }
        << QByteArrayList { "/1"_ba, "/2"_ba, "/3"_ba }
        << QByteArrayList { QByteArray(), "GET "_ba, "abc"_ba };
    QTest::addRow("three with empty lines between")
        << "PUT /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n1\r\n"
           "DELETE /2 HTTP/1.1\r\nHost: h\r\n\r\n\r\n\r\n"
           "PATCH /3 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n33"_ba
        << QByteArrayList { "PUT"_ba, "DELETE"_ba, "PATCH"_ba }
        << QByteArrayList { "/1"_ba, "/2"_ba, "/3"_ba }
        << QByteArrayList { "1"_ba, QByteArray(), "33"_ba };
}

void TestHttpParser::pipelined()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, methods);
    QFETCH(QByteArrayList, paths);
    QFETCH(QByteArrayList, bodies);

    const Run whole = feed(input, 0);
    QCOMPARE(statusName(whole.last), statusName(Status::NeedMore));
    QVERIFY(whole.contractOk);
    QCOMPARE(whole.requests.size(), methods.size());
    for (qsizetype i = 0; i < methods.size(); ++i) {
        QCOMPARE(whole.requests.at(i).method, methods.at(i));
        QCOMPARE(whole.requests.at(i).path, paths.at(i));
        QCOMPARE(whole.requests.at(i).body, bodies.at(i));
    }

    for (const qsizetype step : { 1, 2, 5 }) {
        const Run split = feed(input, step);
        QCOMPARE(statusName(split.last), statusName(Status::NeedMore));
        QVERIFY(split.contractOk);
        QCOMPARE(split.requests.size(), whole.requests.size());
        for (qsizetype i = 0; i < whole.requests.size(); ++i)
            QCOMPARE(describe(split.requests.at(i)), describe(whole.requests.at(i)));
    }
}

void TestHttpParser::pipelinedLeavesNextRequestInBuffer()
{
    const QByteArray second = "GET /second HTTP/1.1\r\nHost: h\r\n\r\n"_ba;
    QByteArray buffer
        = "POST /first HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok"_ba + second;

    HttpRequestParser parser(testLimits());
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));
    QCOMPARE(buffer, second);
    // Complete is sticky until the caller resets; nothing more is consumed meanwhile.
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));
    QCOMPARE(buffer, second);

    const ParsedRequest first = parser.takeRequest();
    QCOMPARE(first.body, "ok"_ba);
    parser.reset();
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));
    QCOMPARE(parser.request().path, "/second"_ba);
    QVERIFY(buffer.isEmpty());
}

void TestHttpParser::chunkedSplitAtEveryPosition()
{
    const QByteArray input = chunkedWithExtensionsAndTrailers();
    const Run whole = feed(input, 0);
    QCOMPARE(whole.requests.size(), 1);
    const QByteArray expected = describe(whole.requests.constFirst());
    QCOMPARE(whole.requests.constFirst().body, "hello world0123456789"_ba);

    // Every way of cutting the request into three pieces (which includes every two-way cut).
    for (qsizetype first = 0; first <= input.size(); ++first) {
        for (qsizetype second = first; second <= input.size(); ++second) {
            const Run split = feedPieces(
                { input.left(first), input.mid(first, second - first), input.mid(second) });
            if (split.requests.size() != 1 || !split.contractOk
                || describe(split.requests.constFirst()) != expected) {
                QFAIL(qPrintable(QStringLiteral("cut at %1 and %2 gave a different result")
                                     .arg(first)
                                     .arg(second)));
            }
        }
    }
}

void TestHttpParser::needMoreDrainsBuffer()
{
    // A connection only reads into an empty buffer, so every NeedMore must leave it empty even
    // mid-line or between the CR and LF that close a chunk.
    HttpRequestParser parser(testLimits());
    QByteArray buffer = "POST /pa"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::NeedMore));
    QVERIFY(buffer.isEmpty());
    QVERIFY(parser.inProgress());
    buffer = "th HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chu"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::NeedMore));
    QVERIFY(buffer.isEmpty());
    QCOMPARE(parser.request().path, "/path"_ba);
    QVERIFY(!parser.headersDone());
    buffer = "nked\r\n\r\n3;e"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    QCOMPARE(parser.request().header("transfer-encoding"), "chunked"_ba);
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::NeedMore));
    QVERIFY(buffer.isEmpty());
    buffer = "xt\r\nabc\r"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::NeedMore));
    QVERIFY(buffer.isEmpty());
    QCOMPARE(parser.request().body, "abc"_ba);
    buffer = "\n0\r\n\r\nGET /next"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));
    QCOMPARE(buffer, "GET /next"_ba);
}

void TestHttpParser::headersCompleteBeforeBody()
{
    HttpRequestParser parser(testLimits());
    QByteArray buffer
        = "POST /h HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello"_ba;
    QVERIFY(!parser.headersDone());
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    // The caller can still answer 100 Continue or refuse: no body byte was taken.
    QCOMPARE(buffer, "hello"_ba);
    QVERIFY(parser.headersDone());
    QVERIFY(parser.request().body.isEmpty());
    QVERIFY(parser.request().expectContinue);
    QCOMPARE(parser.request().header("content-length"), "5"_ba);
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));
    QVERIFY(buffer.isEmpty());
    QCOMPARE(parser.request().body, "hello"_ba);

    HttpRequestParser chunkedParser(testLimits());
    const QByteArray chunks = "5\r\nhello\r\n0\r\n\r\n"_ba;
    buffer = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"_ba + chunks;
    QCOMPARE(statusName(chunkedParser.parse(buffer)), statusName(Status::HeadersComplete));
    QCOMPARE(buffer, chunks);
    QCOMPARE(statusName(chunkedParser.parse(buffer)), statusName(Status::Complete));
    QCOMPARE(chunkedParser.request().body, "hello"_ba);
    QCOMPARE(chunkedParser.request().bodySize, 5);
}

void TestHttpParser::noBodyStillReportsHeadersCompleteFirst()
{
    HttpRequestParser parser(testLimits());
    QByteArray buffer = "GET / HTTP/1.1\r\nHost: h\r\n\r\n"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    QVERIFY(buffer.isEmpty());
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));
    QCOMPARE(parser.request().bodySize, 0);
    QVERIFY(parser.request().body.isEmpty());
}

void TestHttpParser::headerLimitBoundary()
{
    // 16 + 9 + 7 + pad + 2 + 2 bytes: exactly the limit with a pad of 988.
    const auto request = [](qsizetype pad) {
        return "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: "_ba + QByteArray(pad, 'p') + "\r\n\r\n";
    };
    QCOMPARE(request(988).size(), kMaxHeaderBytes);

    for (const qsizetype step : { 0, 1 }) {
        const Run atLimit = feed(request(988), step);
        QCOMPARE(statusName(atLimit.last), statusName(Status::NeedMore));
        QCOMPARE(atLimit.requests.size(), 1);

        const Run overLimit = feed(request(989), step);
        QCOMPARE(statusName(overLimit.last), statusName(Status::Error));
        QCOMPARE(overLimit.errorStatus, 431);

        // Leading empty lines count toward the limit too.
        const Run withCrlf = feed("\r\n"_ba + request(986), step);
        QCOMPARE(statusName(withCrlf.last), statusName(Status::NeedMore));
        QCOMPARE(withCrlf.requests.size(), 1);
        const Run withCrlfOver = feed("\r\n"_ba + request(987), step);
        QCOMPARE(withCrlfOver.errorStatus, 431);
    }
}

void TestHttpParser::partialLinePastLimitFailsImmediately_data()
{
    QTest::addColumn<QByteArray>("prefix");
    QTest::addRow("request line") << QByteArray("GET /");
    QTest::addRow("header line") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nX-Long: ");
}

void TestHttpParser::partialLinePastLimitFailsImmediately()
{
    QFETCH(QByteArray, prefix);

    // Fed a byte at a time with no newline: NeedMore up to the limit, 431 on the byte that
    // passes it, so the caller never has to hold more than the limit plus one read.
    HttpRequestParser parser(testLimits());
    QByteArray buffer;
    QByteArray input = prefix + QByteArray(2 * kMaxHeaderBytes, 'a');
    qsizetype fed = 0;
    Status status = Status::NeedMore;
    while (status != Status::Error && fed < input.size()) {
        buffer.append(input.at(fed++));
        status = parser.parse(buffer);
        if (status != Status::Error) {
            QCOMPARE(statusName(status), statusName(Status::NeedMore));
            QVERIFY(buffer.isEmpty());
            QVERIFY(parser.inProgress());
        }
    }
    QCOMPARE(statusName(status), statusName(Status::Error));
    QCOMPARE(fed, kMaxHeaderBytes + 1);
    QCOMPARE(parser.errorStatus(), 431);
    QCOMPARE(QByteArray(parser.errorReason()), "headers_too_large"_ba);

    // The same in large reads: refused without waiting for a newline.
    HttpRequestParser wholeParser(testLimits());
    QByteArray read = input.left(kMaxHeaderBytes);
    QCOMPARE(statusName(wholeParser.parse(read)), statusName(Status::NeedMore));
    QVERIFY(read.isEmpty());
    read = "a"_ba;
    QCOMPARE(statusName(wholeParser.parse(read)), statusName(Status::Error));
    QCOMPARE(wholeParser.errorStatus(), 431);
}

void TestHttpParser::contentLengthOverLimitRefusedAtHeaders()
{
    HttpRequestParser parser(testLimits());
    // Only the headers have arrived; the refusal must not wait for the body.
    QByteArray buffer = "POST /hook?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 4097\r\n\r\n"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Error));
    QCOMPARE(parser.errorStatus(), 413);
    QCOMPARE(QByteArray(parser.errorReason()), "payload_too_large"_ba);

    const ParsedRequest &request = parser.request();
    QCOMPARE(request.method, "POST"_ba);
    QCOMPARE(request.path, "/hook"_ba);
    QCOMPARE(request.query, "x=1"_ba);
    QCOMPARE(request.header("HOST"), "h"_ba);
    QCOMPARE(request.bodySize, 4097);
    QVERIFY(request.bodyTruncated);
    QVERIFY(request.body.isEmpty());

    // Body bytes arriving afterwards are not taken.
    buffer = QByteArray(100, 'b');
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Error));
    QCOMPARE(buffer.size(), 100);
    QVERIFY(parser.request().body.isEmpty());
}

void TestHttpParser::contentLengthAtLimitAccepted()
{
    HttpRequestParser parser(testLimits());
    QByteArray buffer = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4096\r\n\r\n"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::NeedMore));
    buffer.append(QByteArray(4000, 'x'));
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::NeedMore));
    QCOMPARE(parser.request().bodySize, 4000);
    QVERIFY(buffer.isEmpty());
    buffer.append(QByteArray(96, 'y'));
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));
    QCOMPARE(parser.request().body.size(), 4096);
    QCOMPARE(parser.request().bodySize, 4096);
    QVERIFY(!parser.request().bodyTruncated);
}

void TestHttpParser::chunkedOverLimitKeepsAtMostLimit_data()
{
    QTest::addColumn<QByteArray>("chunks");
    QTest::addColumn<qint64>("keptBytes");
    QTest::addColumn<qint64>("declaredBytes");

    const QByteArray thousand = "3e8\r\n"_ba + QByteArray(1000, 'x') + "\r\n";
    QTest::addRow("fifth chunk passes the limit") << thousand.repeated(5) + "0\r\n\r\n"
                                                  << qint64(4000) << qint64(5000);
    QTest::addRow("first chunk passes the limit") << "1001\r\n"_ba + QByteArray(4097, 'x') + "\r\n"
                                                  << qint64(0) << qint64(4097);
    QTest::addRow("one byte over after exact fill")
        << thousand.repeated(4) + "60\r\n" + QByteArray(96, 'y') + "\r\n1\r\nz\r\n0\r\n\r\n"
        << qint64(4096) << qint64(4097);
    QTest::addRow("largest chunk size")
        << "ffffffffffffffff\r\nxx"_ba << qint64(0) << std::numeric_limits<qint64>::max();
}

void TestHttpParser::chunkedOverLimitKeepsAtMostLimit()
{
    QFETCH(QByteArray, chunks);
    QFETCH(qint64, keptBytes);
    QFETCH(qint64, declaredBytes);

    const QByteArray input
        = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"_ba + chunks;
    for (const qsizetype step : { 0, 1, 13 }) {
        HttpRequestParser parser(testLimits());
        QByteArray buffer;
        Status status = Status::NeedMore;
        qsizetype fed = 0;
        while (status != Status::Error && fed < input.size()) {
            const qsizetype n = step == 0 ? input.size() : qMin(step, input.size() - fed);
            buffer.append(input.mid(fed, n));
            fed += n;
            do {
                status = parser.parse(buffer);
                QVERIFY(parser.request().body.size() <= kMaxBodyBytes);
            } while (status == Status::HeadersComplete);
        }
        QCOMPARE(statusName(status), statusName(Status::Error));
        QCOMPARE(parser.errorStatus(), 413);
        QCOMPARE(QByteArray(parser.errorReason()), "payload_too_large"_ba);
        QCOMPARE(qint64(parser.request().body.size()), keptBytes);
        QCOMPARE(parser.request().bodySize, declaredBytes);
        QVERIFY(parser.request().bodyTruncated);
    }
}

void TestHttpParser::bodyPrefixOnly_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("body"); // as sent, framing included
    QTest::addRow("Content-Length")
        << "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3000\r\n\r\n"_ba << QByteArray(3000, 'c');
    QByteArray chunks;
    for (int i = 0; i < 30; ++i)
        chunks += "64\r\n"_ba + QByteArray(100, 'c') + "\r\n";
    QTest::addRow("chunked")
        << "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"_ba
        << chunks + "0\r\n\r\n";
}

void TestHttpParser::bodyPrefixOnly()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, body);

    // A request refused at its headers: the body is counted, and only its prefix is kept.
    const QByteArray next = "GET /next HTTP/1.1\r\nHost: h\r\nContent-Length: 2000\r\n\r\n"_ba
        + QByteArray(2000, 'n');
    for (const qsizetype step : { 0, 1, 7, 1000 }) {
        HttpRequestParser parser(testLimits());
        const QByteArray input = head + body + next;
        QByteArray buffer;
        qsizetype fed = 0;
        QList<ParsedRequest> requests;
        while (requests.size() < 2) {
            const Status status = parser.parse(buffer);
            if (status == Status::HeadersComplete) {
                if (requests.isEmpty())
                    parser.keepBodyPrefix(100);
            } else if (status == Status::Complete) {
                requests.append(parser.takeRequest());
                parser.reset();
            } else if (status == Status::NeedMore) {
                QVERIFY(fed < input.size());
                const qsizetype n = step == 0 ? input.size() : qMin(step, input.size() - fed);
                buffer.append(input.mid(fed, n));
                fed += n;
            } else {
                QFAIL(parser.errorDetail().constData());
            }
            QVERIFY(parser.request().body.size() <= 2000);
        }
        QCOMPARE(requests.at(0).body, QByteArray(100, 'c'));
        QCOMPARE(requests.at(0).bodySize, 3000);
        QVERIFY(requests.at(0).bodyTruncated);
        // The next request on the connection is kept whole again.
        QCOMPARE(requests.at(1).body, QByteArray(2000, 'n'));
        QVERIFY(!requests.at(1).bodyTruncated);
    }

    // The size limit still holds for a body that is only counted.
    HttpRequestParser parser(testLimits());
    QByteArray buffer = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    parser.keepBodyPrefix(10);
    buffer = "800\r\n"_ba + QByteArray(0x800, 'a') + "\r\n801\r\n";
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Error));
    QCOMPARE(parser.errorStatus(), 413);
    QCOMPARE(parser.request().body.size(), 10);
}

void TestHttpParser::failedParserStaysFailed()
{
    HttpRequestParser parser(testLimits());
    QByteArray buffer = "BAD\r\n"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Error));
    QCOMPARE(parser.errorStatus(), 400);
    const QByteArray detail = parser.errorDetail();

    const QByteArray valid = "GET / HTTP/1.1\r\nHost: h\r\n\r\n"_ba;
    buffer = valid;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Error));
    QCOMPARE(buffer, valid); // nothing consumed once failed
    QCOMPARE(parser.errorStatus(), 400);
    QCOMPARE(parser.errorDetail(), detail);

    parser.reset();
    QCOMPARE(parser.errorStatus(), 0);
    QVERIFY(parser.errorDetail().isEmpty());
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));
}

void TestHttpParser::headerOrderAndLookup()
{
    const Run run = feed("GET / HTTP/1.1\r\nHost: h\r\nX-B: 1\r\nx-a:2\r\nX-B:  3 \r\nEmpty:\r\n"
                         "X-Tab:\tv\t\r\n\r\n"_ba,
        0);
    QCOMPARE(run.requests.size(), 1);
    const ParsedRequest &request = run.requests.constFirst();
    const HeaderList expected { { "Host"_ba, "h"_ba }, { "X-B"_ba, "1"_ba }, { "x-a"_ba, "2"_ba },
        { "X-B"_ba, "3"_ba }, { "Empty"_ba, QByteArray() }, { "X-Tab"_ba, "v"_ba } };
    QCOMPARE(request.headers, expected);
    QCOMPARE(request.header("x-b"), "1"_ba);
    QCOMPARE(request.header("X-A"), "2"_ba);
    QCOMPARE(request.header("x-tab"), "v"_ba);
    QVERIFY(request.header("empty").isEmpty());
    QVERIFY(request.header("missing").isEmpty());
    QVERIFY(request.header("X-B-").isEmpty());
}

void TestHttpParser::takeRequestAndReset()
{
    HttpRequestParser parser(testLimits());
    QVERIFY(!parser.inProgress());
    QByteArray buffer = "P"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::NeedMore));
    QVERIFY(parser.inProgress());
    buffer.append("OST /t HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nz");
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));

    const ParsedRequest taken = parser.takeRequest();
    QCOMPARE(taken.method, "POST"_ba);
    QCOMPARE(taken.body, "z"_ba);
    QVERIFY(parser.request().method.isEmpty());
    QVERIFY(parser.request().headers.isEmpty());

    parser.reset();
    QVERIFY(!parser.inProgress());
    QVERIFY(!parser.headersDone());
    buffer = "GET /next HTTP/1.0\r\n\r\n"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));
    QCOMPARE(parser.request().path, "/next"_ba);
    QVERIFY(!parser.request().keepAlive);
}

// Qt 6.4's QTEST_APPLESS_MAIN passes an empty variadic argument, which clang -Wpedantic flags.
QT_WARNING_PUSH
QT_WARNING_DISABLE_CLANG("-Wgnu-zero-variadic-macro-arguments")
QTEST_APPLESS_MAIN(TestHttpParser)
QT_WARNING_POP
#include "tst_httpparser.moc"
