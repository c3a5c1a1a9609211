// End-to-end tests of the receiver's size limits: bodies over the limit by length or by
// counting, the prefix a refused body keeps, memory under a large upload, headers too large.
// Real HTTP over loopback, a real SQLite log.
#include "core/receiver/receiver.h"
#include "receivertest.h"
#include "testsupport.h"

#include <QTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kSmallBodyLimit = 64 * 1024;

// AddressSanitizer's quarantine keeps freed blocks resident, so under it RSS says nothing
// about what the receiver holds.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRssIsMeaningful = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kRssIsMeaningful = false;
#else
constexpr bool kRssIsMeaningful = true;
#endif
#else
constexpr bool kRssIsMeaningful = true;
#endif

} // namespace

class tst_ReceiverLimits : public ReceiverTest
{
    Q_OBJECT

private slots:
    void bodyOverLimitByLength();
    void bodyOverLimitByCounting();
    void refusedBodyKeepsPrefix_data();
    void refusedBodyKeepsPrefix();
    void refusedWithoutContinue();
    void largeUploadKeepsMemoryBounded_data();
    void largeUploadKeepsMemoryBounded();
    void headersTooLarge_data();
    void headersTooLarge();
};

// Content-Length over the limit: refused as soon as the headers are in, without the body.
void tst_ReceiverLimits::bodyOverLimitByLength()
{
    ReceiverOptions options = baseOptions();
    options.maxBodyBytes = kSmallBodyLimit;
    restartReceiver(options);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    constexpr qint64 declared = 1024 * 1024;
    QVERIFY(client.send("POST " + target(u"open"_s, keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
          "Content-Length: "
        + QByteArray::number(declared) + "\r\n\r\n"));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    LoggedRequest row;
    checkAnswer(answer, 413, u"payload_too_large"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(answer->header("connection"), "close"_ba);
    QVERIFY(client.waitForClosed(5000));
    QVERIFY(row.bodyTruncated);
    QCOMPARE(row.bodySize, declared);
    QVERIFY(row.body.isEmpty());
    QCOMPARE(row.webhookId, m_hooks.value(u"open"_s).id);
}

// A chunked body has no declared size: the limit is enforced by counting.
void tst_ReceiverLimits::bodyOverLimitByCounting()
{
    ReceiverOptions options = baseOptions();
    options.maxBodyBytes = kSmallBodyLimit;
    restartReceiver(options);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send("POST " + target(u"open"_s, keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
          "Transfer-Encoding: chunked\r\n\r\n"));
    const QByteArray chunk = "4000\r\n" + QByteArray(0x4000, 'x') + "\r\n";
    constexpr qint64 total = 4 * 1024 * 1024;
    qint64 sent = 0;
    while (sent < total && !client.isClosed() && !client.buffer().contains("\r\n\r\n")) {
        if (!client.send(chunk))
            break;
        sent += 0x4000;
        client.pump(5);
    }
    QVERIFY2(sent < total, "the whole body went out before the receiver refused it");
    const std::optional<HttpAnswer> answer = client.readAnswer();
    LoggedRequest row;
    checkAnswer(answer, 413, u"payload_too_large"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(answer->header("connection"), "close"_ba);
    QVERIFY(client.waitForClosed(5000));
    QVERIFY(row.bodyTruncated);
    QVERIFY(row.bodySize > kSmallBodyLimit);
    QVERIFY(row.body.size() <= kSmallBodyLimit);
}

// A refused request's body is not the log's to keep: its first 64 KiB, its full size and a
// truncation flag, whether it was refused at its headers (route, key, ...) or at its body.
void tst_ReceiverLimits::refusedBodyKeepsPrefix_data()
{
    QTest::addColumn<QString>("hook");
    QTest::addColumn<bool>("withKey");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");

    QTest::addRow("unknown route")
        << u"route"_s << true << "application/json"_ba << 404 << u"unknown_route"_s;
    QTest::addRow("unknown webhook")
        << u"unknown"_s << true << "application/json"_ba << 404 << u"unknown_webhook"_s;
    QTest::addRow("missing key") << u"open"_s << false << "application/json"_ba << 401
                                 << u"missing_api_key"_s;
    QTest::addRow("unsupported type")
        << u"open"_s << true << "text/plain"_ba << 415 << u"unsupported_media_type"_s;
    QTest::addRow("invalid JSON") << u"open"_s << true << "application/json"_ba << 400
                                  << u"invalid_json"_s;
    QTest::addRow("accepted: kept whole")
        << u"open"_s << true << "application/json"_ba << 200 << u"accepted"_s;
}

void tst_ReceiverLimits::refusedBodyKeepsPrefix()
{
    QFETCH(QString, hook);
    QFETCH(bool, withKey);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, reason);

    // 1 MiB: a JSON string, broken for the invalid row at its very end.
    QByteArray body = R"({"pad":")" + QByteArray(1024 * 1024 - 10, 'p') + R"("})";
    if (reason == u"invalid_json")
        body.chop(1);
    for (const bool chunked : { false, true }) {
        const QByteArray head = "POST " + target(hook, withKey ? keyQuery() : QByteArray())
            + " HTTP/1.1\r\nHost: h\r\nContent-Type: " + contentType + "\r\n";
        QByteArray bytes;
        if (chunked) {
            bytes = head + "Transfer-Encoding: chunked\r\n\r\n";
            for (qsizetype at = 0; at < body.size(); at += 50000) {
                const QByteArray piece = body.mid(at, 50000);
                bytes += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
            }
            bytes += "0\r\n\r\n";
        } else {
            bytes = head + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        }
        RawHttpClient client(port());
        QVERIFY(client.connectToServer());
        QVERIFY(client.send(bytes, 20000));
        LoggedRequest row;
        checkAnswer(client.readAnswer(10000), status, reason, &row);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(row.bodySize, qint64(body.size()));
        if (status == 200) {
            QCOMPARE(row.body, body);
            QVERIFY(!row.bodyTruncated);
            continue;
        }
        QCOMPARE(row.body, body.left(RejectedBodyKeptBytes));
        QVERIFY(row.bodyTruncated);
        // The export says so as well.
        const QJsonObject json = row.toJson();
        QCOMPARE(json.value(u"bodyTruncated"_s).toBool(), true);
        QCOMPARE(json.value(u"bodySize"_s).toInteger(), qint64(body.size()));
        // The connection is still good for the next request.
        QVERIFY(client.send(acceptedRequest()));
        checkAnswer(client.readAnswer(), 200, u"accepted"_s);
    }
}

// A request refused at its headers is not invited to send its body.
void tst_ReceiverLimits::refusedWithoutContinue()
{
    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    const QByteArray body = R"({"event":"x"})";
    QVERIFY(client.send("POST " + target(u"route"_s, keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
          "Content-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n"));
    // No interim answer comes (a client may then send the body or give up); once it does send
    // the body, the refusal is the first answer.
    client.pump(300);
    QVERIFY2(client.buffer().isEmpty(), client.buffer().constData());
    QVERIFY(client.send(body));
    LoggedRequest row;
    checkAnswer(client.readAnswer(), 404, u"unknown_route"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(row.body, body);
}

// A huge upload costs the process about the body limit, not the upload's size.
void tst_ReceiverLimits::largeUploadKeepsMemoryBounded_data()
{
    QTest::addColumn<bool>("chunked");

    QTest::addRow("Content-Length") << false;
    QTest::addRow("chunked") << true;
}

void tst_ReceiverLimits::largeUploadKeepsMemoryBounded()
{
    QFETCH(bool, chunked);

    ReceiverOptions options = baseOptions();
    options.maxBodyBytes = 10 * 1024 * 1024;
    restartReceiver(options);
    // Far more than a client can send before any answer, however loaded the machine: the
    // refusal must come long before the end of what was declared.
    constexpr qint64 total = 100LL * 1000 * 1000 * 1000;
    constexpr qint64 allowedGrowthKb = 64 * 1024;

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    const QByteArray framing = chunked ? "Transfer-Encoding: chunked\r\n"_ba
                                       : "Content-Length: " + QByteArray::number(total) + "\r\n";
    QVERIFY(client.send("POST " + target(u"open"_s, keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n" + framing + "\r\n"));

    const bool peakReset = resetPeakRss();
    const qint64 before = procStatusKb("VmRSS");
    QVERIFY(before > 0);
    qint64 peak = before;
    constexpr qint64 piece = 256 * 1024;
    const QByteArray payload(piece, 'x');
    const QByteArray chunk
        = chunked ? QByteArray::number(piece, 16) + "\r\n" + payload + "\r\n" : payload;
    qint64 sent = 0;
    QTcpSocket &socket = client.socket();
    const QDeadlineTimer deadline(30000);
    // Stream while reading: stop once the answer arrives or the connection closes.
    while (sent < total && !deadline.hasExpired()) {
        client.pump(0);
        if (client.isClosed() || client.buffer().contains("\r\n\r\n"))
            break;
        if (socket.bytesToWrite() < 2 * piece) {
            socket.write(chunk);
            sent += piece;
        }
        socket.waitForBytesWritten(20);
        peak = std::max(peak, procStatusKb("VmRSS"));
    }
    const std::optional<HttpAnswer> answer = client.readAnswer(10000);
    if (peakReset)
        peak = std::max(peak, procStatusKb("VmHWM"));
    qDebug("sent %lld MB; RSS before %lld KiB, peak %lld KiB (HWM reset: %d)", sent / 1000000,
        before, peak, peakReset);

    LoggedRequest row;
    checkAnswer(answer, 413, u"payload_too_large"_s, &row);
    if (QTest::currentTestFailed())
        return;
    // With a declared length the refusal comes before the body; counting needs the limit's
    // worth first, and then the answer waits for that row's commit while the client races on.
    if (!chunked)
        QVERIFY(sent < total);
    QVERIFY(row.bodyTruncated);
    QVERIFY(row.body.size() <= options.maxBodyBytes);
    QVERIFY(client.waitForClosed(5000));
    if (!kRssIsMeaningful)
        QSKIP("memory growth is not measurable under AddressSanitizer");
    QVERIFY2(
        peak - before < allowedGrowthKb, qPrintable(u"memory grew by %1 KiB"_s.arg(peak - before)));
}

void tst_ReceiverLimits::headersTooLarge_data()
{
    QTest::addColumn<int>("lines");
    QTest::addColumn<int>("lineBytes");
    QTest::addRow("80 KB in 80 lines") << 80 << 1000;
    QTest::addRow("1 MB in 1,000 lines") << 1000 << 1000;
    QTest::addRow("1 MB in one line") << 1 << 1000 * 1000;
}

void tst_ReceiverLimits::headersTooLarge()
{
    QFETCH(int, lines);
    QFETCH(int, lineBytes);
    QByteArray headers;
    for (int i = 0; i < lines; ++i)
        headers += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(lineBytes, 'f') + "\r\n";
    QVERIFY(headers.size() > 64 * 1024);

    RawHttpClient client(port());
    QVERIFY(client.connectToServer());
    const bool peakReset = resetPeakRss();
    const qint64 before = procStatusKb("VmRSS");
    // Sent 8 KiB at a time with a short wait for an answer after each: the receiver must answer
    // once it has read 64 KiB of headers, not after reading them all.
    const QByteArray request = httpRequest("POST", target(u"open"_s, keyQuery()), headers, "{}");
    constexpr qsizetype piece = 8 * 1024;
    qsizetype sent = 0;
    while (sent < request.size() && !client.isClosed() && !client.buffer().contains("\r\n\r\n")) {
        if (!client.send(
                QByteArrayView(request).sliced(sent, std::min(piece, request.size() - sent))))
            break;
        sent += std::min(piece, request.size() - sent);
        client.pump(5);
    }
    const std::optional<HttpAnswer> answer = client.readAnswer();
    checkAnswer(answer, 431, u"headers_too_large"_s);
    if (QTest::currentTestFailed())
        return;
    if (request.size() > 512 * 1024) {
        QVERIFY2(sent <= 512 * 1024,
            qPrintable(u"answered only after %1 of %2 bytes"_s.arg(sent).arg(request.size())));
    }
    QCOMPARE(answer->header("connection"), "close"_ba);
    QVERIFY(client.waitForClosed(5000));
    // The headers were refused as they came, not buffered whole: what the process grew by is
    // the test's own copy of them and the socket buffers, a few MiB at most.
    const qint64 peak = peakReset ? procStatusKb("VmHWM") : procStatusKb("VmRSS");
    qInfo("%lld KB of headers: answered after %lld KB sent; RSS before %lld KiB, peak %lld KiB",
        qint64(headers.size()) / 1000, qint64(sent) / 1000, before, peak);
    QVERIFY2(peak - before < 16 * 1024, qPrintable(u"grew by %1 KiB"_s.arg(peak - before)));
}

QTEST_GUILESS_MAIN(tst_ReceiverLimits)
#include "tst_receiver_limits.moc"
