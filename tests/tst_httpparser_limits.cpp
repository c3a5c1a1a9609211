// Tests for HttpRequestParser's limits: the header and body bounds at and past their edge, and
// keeping only a prefix of a body.
#include "core/http/httprequestparser.h"
#include "httpparserfeed.h"

#include <QTest>

#include <limits>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_HttpParserLimits : public QObject
{
    Q_OBJECT

private slots:
    void headerLimitBoundary();
    void partialLinePastLimitFailsImmediately_data();
    void partialLinePastLimitFailsImmediately();
    void contentLengthOverLimitRefusedAtHeaders();
    void contentLengthAtLimitAccepted();
    void chunkedOverLimitKeepsAtMostLimit_data();
    void chunkedOverLimitKeepsAtMostLimit();
    void bodyPrefixOnly_data();
    void bodyPrefixOnly();
};

void tst_HttpParserLimits::headerLimitBoundary()
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

void tst_HttpParserLimits::partialLinePastLimitFailsImmediately_data()
{
    QTest::addColumn<QByteArray>("prefix");
    QTest::addRow("request line") << QByteArray("GET /");
    QTest::addRow("header line") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nX-Long: ");
}

void tst_HttpParserLimits::partialLinePastLimitFailsImmediately()
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

void tst_HttpParserLimits::contentLengthOverLimitRefusedAtHeaders()
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

void tst_HttpParserLimits::contentLengthAtLimitAccepted()
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

void tst_HttpParserLimits::chunkedOverLimitKeepsAtMostLimit_data()
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

void tst_HttpParserLimits::chunkedOverLimitKeepsAtMostLimit()
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

void tst_HttpParserLimits::bodyPrefixOnly_data()
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

void tst_HttpParserLimits::bodyPrefixOnly()
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

// Qt 6.4's QTEST_APPLESS_MAIN passes an empty variadic argument, which clang -Wpedantic flags.
QT_WARNING_PUSH
QT_WARNING_DISABLE_CLANG("-Wgnu-zero-variadic-macro-arguments")
QTEST_APPLESS_MAIN(tst_HttpParserLimits)
QT_WARNING_POP
#include "tst_httpparser_limits.moc"
