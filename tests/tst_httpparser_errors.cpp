// Tests for HttpRequestParser on malformed input: each error with its status and reason,
// however the input is cut into pieces, and a parser that stays failed.
#include "core/http/httprequestparser.h"
#include "httpparserfeed.h"

#include <QTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_HttpParserErrors : public QObject
{
    Q_OBJECT

private slots:
    void errors_data();
    void errors();
    void failedParserStaysFailed();
};

void tst_HttpParserErrors::errors_data()
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

void tst_HttpParserErrors::errors()
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

void tst_HttpParserErrors::failedParserStaysFailed()
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

// Qt 6.4's QTEST_APPLESS_MAIN passes an empty variadic argument, which clang -Wpedantic flags.
QT_WARNING_PUSH
QT_WARNING_DISABLE_CLANG("-Wgnu-zero-variadic-macro-arguments")
QTEST_APPLESS_MAIN(tst_HttpParserErrors)
QT_WARNING_POP
#include "tst_httpparser_errors.moc"
