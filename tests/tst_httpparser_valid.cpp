// Tests for HttpRequestParser on valid input: syntax, framing, pipelining, and the same
// requests however they are cut into pieces.
#include "core/http/httprequestparser.h"
#include "httpparserfeed.h"

#include <QTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

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

class tst_HttpParserValid : public QObject
{
    Q_OBJECT

private slots:
    void validRequests_data();
    void validRequests();
    void pipelined_data();
    void pipelined();
    void pipelinedLeavesNextRequestInBuffer();
    void chunkedSplitAtEveryPosition();
    void needMoreDrainsBuffer();
    void headersCompleteBeforeBody();
    void noBodyStillReportsHeadersCompleteFirst();
    void headerOrderAndLookup();
    void takeRequestAndReset();
};

void tst_HttpParserValid::validRequests_data()
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

void tst_HttpParserValid::validRequests()
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

void tst_HttpParserValid::pipelined_data()
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

void tst_HttpParserValid::pipelined()
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

void tst_HttpParserValid::pipelinedLeavesNextRequestInBuffer()
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

void tst_HttpParserValid::chunkedSplitAtEveryPosition()
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

void tst_HttpParserValid::needMoreDrainsBuffer()
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

void tst_HttpParserValid::headersCompleteBeforeBody()
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

void tst_HttpParserValid::noBodyStillReportsHeadersCompleteFirst()
{
    HttpRequestParser parser(testLimits());
    QByteArray buffer = "GET / HTTP/1.1\r\nHost: h\r\n\r\n"_ba;
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::HeadersComplete));
    QVERIFY(buffer.isEmpty());
    QCOMPARE(statusName(parser.parse(buffer)), statusName(Status::Complete));
    QCOMPARE(parser.request().bodySize, 0);
    QVERIFY(parser.request().body.isEmpty());
}

void tst_HttpParserValid::headerOrderAndLookup()
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

void tst_HttpParserValid::takeRequestAndReset()
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
QTEST_APPLESS_MAIN(tst_HttpParserValid)
QT_WARNING_POP
#include "tst_httpparser_valid.moc"
