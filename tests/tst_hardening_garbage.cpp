// The receiver under a garbage sender: thousands of malformed and mutated requests over many
// connections, some cut off midway. Real HTTP over loopback, a real SQLite file.
#include "hardeningtest.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>
#include <QThread>
#include <QUuid>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

// One request of the garbage sender and what the sender knows of it.
struct GarbageCase
{
    QByteArray bytes;
    const char *kind = "";
};

// Deterministic hostile input: malformed requests of every kind the parser must refuse, and
// valid requests with bytes flipped, inserted, dropped or cut off.
class GarbageGenerator final
{
public:
    GarbageGenerator(quint32 seed, QByteArray webhookPath, QByteArray secret)
        : m_random(seed), m_path(std::move(webhookPath)), m_secret(std::move(secret))
    { }

    GarbageCase next()
    {
        switch (m_random.bounded(20)) {
        case 0:
            return { randomBytes(1 + m_random.bounded(400)), "random bytes" };
        case 1:
            return { randomLines(), "random text lines" };
        case 2:
            return { badMethod(), "bad method" };
        case 3:
            return { hugeHeaders(), "huge headers" };
        case 4:
        case 5:
            return { badContentLength(), "bad Content-Length" };
        case 6:
            return { withNul(), "NUL byte" };
        case 7:
            return { badUtf8(), "bad UTF-8" };
        case 8:
        case 9:
            return { chunkedAbuse(), "chunked abuse" };
        case 10:
            return { lineEndings(), "bare LF / CR" };
        case 11:
            return { obsFold(), "obs-fold" };
        case 12:
            return { versions(), "HTTP/0.9 and other versions" };
        case 13:
            return { oddTargets(), "odd targets" };
        case 14:
            return { expectContinue(), "Expect" };
        case 15:
            return { validRequest() + mutated(), "pipelined valid then mutated" };
        case 16:
            return { validRequest(), "valid" };
        default:
            return { mutated(), "mutated valid" };
        }
    }

    int bounded(int n) { return int(m_random.bounded(n)); }

private:
    QByteArray randomBytes(int n)
    {
        QByteArray out(n, Qt::Uninitialized);
        for (char &c : out)
            c = char(m_random.bounded(256));
        return out;
    }
    char printable() { return char(0x20 + m_random.bounded(0x5f)); }
    QByteArray pick(std::initializer_list<QByteArray> options)
    {
        return *(options.begin() + m_random.bounded(int(options.size())));
    }
    QByteArray randomLines()
    {
        QByteArray out;
        const int lines = 1 + m_random.bounded(6);
        for (int i = 0; i < lines; ++i) {
            const int length = m_random.bounded(80);
            for (int j = 0; j < length; ++j)
                out += printable();
            out += "\r\n";
        }
        return out + "\r\n";
    }
    QByteArray keyPart(QByteArray *headers)
    {
        // The key as the contract takes it, a wrong one, or none.
        switch (m_random.bounded(5)) {
        case 0:
            return keyQueryPart(m_secret);
        case 1:
            *headers += "X-Api-Key: " + m_secret + "\r\n";
            return {};
        case 2:
            return keyQueryPart("htk_" + randomBytes(8).toHex());
        case 3:
            return keyQueryPart(m_secret.chopped(1) + 'x');
        default:
            return {};
        }
    }
    static QByteArray keyQueryPart(const QByteArray &key) { return "?api-key=" + key; }
    QByteArray path()
    {
        switch (m_random.bounded(6)) {
        case 0:
            return "/v1/data/webhook/"
                + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
        case 1:
            return "/v1/data/webhook/not-a-uuid";
        case 2:
            return "/";
        default:
            return m_path;
        }
    }
    QByteArray body(QByteArray *headers)
    {
        switch (m_random.bounded(6)) {
        case 0:
            return {};
        case 1:
            *headers += "Content-Type: application/xml\r\n";
            return "<event><n>" + QByteArray::number(m_random.bounded(1000)) + "</n></event>";
        case 2:
            *headers += "Content-Type: application/x-www-form-urlencoded\r\n";
            return "a=1&b=" + QByteArray::number(m_random.bounded(1000));
        case 3:
            *headers += "Content-Type: text/plain\r\n";
            return "plain text";
        default:
            *headers += "Content-Type: application/json\r\n";
            return R"({"event":"order","n":)" + QByteArray::number(m_random.bounded(100000)) + '}';
        }
    }
    QByteArray validRequest()
    {
        QByteArray headers;
        const QByteArray query = keyPart(&headers);
        const QByteArray payload = body(&headers);
        const QByteArray method = pick({ "POST", "POST", "PUT", "GET", "DELETE", "PATCH" });
        if (m_random.bounded(5) == 0) { // chunked, in pieces
            QByteArray out = method + ' ' + path() + query + " HTTP/1.1\r\nHost: h\r\n" + headers
                + "Transfer-Encoding: chunked\r\n\r\n";
            for (qsizetype at = 0; at < payload.size();) {
                const qsizetype piece
                    = std::min<qsizetype>(1 + m_random.bounded(20), payload.size() - at);
                out += QByteArray::number(piece, 16) + "\r\n" + payload.mid(at, piece) + "\r\n";
                at += piece;
            }
            return out + "0\r\n\r\n";
        }
        return httpRequest(method, path() + query, headers, payload);
    }
    QByteArray mutated()
    {
        QByteArray bytes = validRequest();
        const int operations = 1 + m_random.bounded(4);
        for (int i = 0; i < operations && !bytes.isEmpty(); ++i) {
            const qsizetype at = m_random.bounded(int(bytes.size()));
            switch (m_random.bounded(5)) {
            case 0:
                bytes[at] = char(bytes[at] ^ (1 << m_random.bounded(8)));
                break;
            case 1:
                bytes.insert(at, char(m_random.bounded(256)));
                break;
            case 2:
                bytes.remove(at, 1 + m_random.bounded(8));
                break;
            case 3:
                bytes.insert(at, bytes.mid(at, 1 + m_random.bounded(30)));
                break;
            default:
                bytes.truncate(at);
                break;
            }
        }
        return bytes;
    }
    QByteArray badMethod()
    {
        const QByteArray method
            = pick({ ""_ba, "G ET"_ba, "p@st"_ba, QByteArray(3000, 'P'), "POST\t"_ba,
                "\xc3\x9c"
                "BER"_ba,
                "CONNECT"_ba, "TRACE"_ba, "OPTIONS"_ba, "pOsT"_ba });
        return method + ' ' + m_path + keyQueryPart(m_secret) + " HTTP/1.1\r\nHost: h\r\n\r\n";
    }
    QByteArray hugeHeaders()
    {
        switch (m_random.bounded(4)) {
        case 0: // one enormous value
            return httpRequest("POST", m_path + keyQueryPart(m_secret),
                "X-Big: " + QByteArray(70 * 1024, 'b') + "\r\n", "{}");
        case 1: { // very many small headers
            QByteArray headers;
            for (int i = 0; i < 9000; ++i)
                headers += "X-" + QByteArray::number(i) + ": v\r\n";
            return httpRequest("POST", m_path + keyQueryPart(m_secret), headers, "{}");
        }
        case 2: // an enormous target
            return httpRequest("POST", m_path + "?pad=" + QByteArray(70 * 1024, 'q'));
        default: // an enormous header name, no colon in sight
            return "POST " + m_path + " HTTP/1.1\r\n" + QByteArray(70 * 1024, 'N');
        }
    }
    QByteArray badContentLength()
    {
        const QByteArray value = pick({ "-1"_ba, "abc"_ba, "1e3"_ba, " 12"_ba, "+12"_ba, "0x10"_ba,
            "99999999999999999999999"_ba, "9223372036854775807"_ba, "9223372036854775808"_ba,
            "12, 13"_ba, "2\r\nContent-Length: 3"_ba, "2\r\nContent-Length: 2"_ba, ""_ba, "100"_ba,
            "2\r\nTransfer-Encoding: chunked"_ba });
        return "POST " + m_path + keyQueryPart(m_secret)
            + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " + value
            + "\r\n\r\n{}";
    }
    QByteArray withNul()
    {
        QByteArray bytes = validRequest();
        bytes.insert(m_random.bounded(int(bytes.size())), '\0');
        return bytes;
    }
    QByteArray badUtf8()
    {
        const QByteArray bad = pick(
            { "\xff\xfe"_ba, "\xc0\xaf"_ba, "\xed\xa0\x80"_ba, "\x80"_ba, "\xf4\x90\x80\x80"_ba });
        switch (m_random.bounded(3)) {
        case 0:
            return httpRequest("POST", m_path + bad + keyQueryPart(m_secret));
        case 1:
            return httpRequest(
                "POST", m_path + keyQueryPart(m_secret), "X-Name: caf" + bad + "\r\n");
        default:
            return httpRequest("POST", m_path + keyQueryPart(m_secret),
                "Content-Type: application/json\r\n", "{\"text\":\"" + bad + "\"}");
        }
    }
    QByteArray chunkedAbuse()
    {
        const QByteArray head = "POST " + m_path + keyQueryPart(m_secret)
            + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n";
        const QByteArray chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
        switch (m_random.bounded(14)) {
        case 0:
            return chunked + "zz\r\n{}\r\n0\r\n\r\n";
        case 1:
            return chunked + "-1\r\n{}\r\n0\r\n\r\n";
        case 2:
            return chunked + "ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n";
        case 3:
            return chunked + "7fffffffffffffff\r\n{}";
        case 4:
            return chunked + "2\r\n{}0\r\n\r\n"; // no CRLF after the data
        case 5:
            return chunked + "1\r\n{}\r\n0\r\n\r\n"; // more data than announced
        case 6:
            return chunked + "2;name=value\r\n{}\r\n0\r\n\r\n";
        case 7:
            return chunked + "2\r\n{}\r\n0\r\nX-Trailer: t\r\n\r\n";
        case 8:
            return chunked + "2\r\n{}\r\n0\r\nbad trailer\r\n\r\n";
        case 9:
            return chunked + "2\r\n{}\r\n0\r\n" + QByteArray(70 * 1024, 't') + "\r\n\r\n";
        case 10:
            return head + "Transfer-Encoding: chunked, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        case 11:
            return head + "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        case 12:
            return head + "Transfer-Encoding: gzip\r\n\r\n{}";
        default:
            return "POST " + m_path + keyQueryPart(m_secret)
                + " HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        }
    }
    QByteArray lineEndings()
    {
        QByteArray bytes = validRequest();
        const qsizetype end = bytes.indexOf("\r\n\r\n");
        QByteArray head = bytes.left(end + 4);
        const QByteArray rest = bytes.mid(end + 4);
        head.replace("\r\n", m_random.bounded(2) ? "\n"_ba : "\r"_ba);
        return head + rest;
    }
    QByteArray obsFold()
    {
        return "POST " + m_path + keyQueryPart(m_secret)
            + " HTTP/1.1\r\nHost: h\r\nX-Folded: first\r\n second\r\n\r\n";
    }
    QByteArray versions()
    {
        const QByteArray line = pick({ "GET /\r\n"_ba, "GET " + m_path + "\r\n\r\n",
            "POST " + m_path + " HTTP/2.0\r\n\r\n", "POST " + m_path + " HTTP/1.2\r\n\r\n",
            "POST " + m_path + " HTTP/9.9\r\n\r\n", "POST " + m_path + " http/1.1\r\n\r\n",
            "POST " + m_path + " HTTP/1.1x\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"_ba,
            "POST " + m_path + " HTTP/1.1 extra\r\n\r\n" });
        return line;
    }
    QByteArray oddTargets()
    {
        const QByteArray target = pick({ "*"_ba, "http://h" + m_path + keyQueryPart(m_secret),
            "http://user@h" + m_path, "ftp://h/x"_ba, m_path + "/%00"_ba, m_path + "%ff"_ba,
            m_path + "/../../etc/passwd"_ba, "//" + m_path, m_path + "#frag"_ba,
            m_path + "?api-key"_ba, m_path + "?api-key=&api-key=" + m_secret });
        return httpRequest("POST", target, "Content-Type: application/json\r\n", "{}");
    }
    QByteArray expectContinue()
    {
        const QByteArray expect = pick({ "100-continue"_ba, "200-ok"_ba, "100-CONTINUE"_ba });
        const bool withBody = m_random.bounded(2) == 0;
        return "POST " + m_path + keyQueryPart(m_secret)
            + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nExpect: " + expect
            + (withBody ? "\r\nContent-Length: 2\r\n\r\n{}"_ba : "\r\n\r\n"_ba);
    }

    QRandomGenerator m_random;
    QByteArray m_path;
    QByteArray m_secret;
};

// What one garbage-sending thread saw.
struct GarbageOutcome
{
    int cases = 0;
    int aborted = 0;
    int connections = 0;
    QList<HttpAnswer> answers;
    QList<QByteArray> problems; // contract violations, hangs, 2xx without the key
};

} // namespace

class tst_HardeningGarbage : public HardeningTest
{
    Q_OBJECT

private slots:
    void garbageSender();
};

// Thousands of malformed and mutated requests over many connections, some cut off midway:
// every answer is one the contract allows, no 2xx without the key, every answered request is in
// the log, and afterwards the receiver still takes a valid request.
void tst_HardeningGarbage::garbageSender()
{
    ReceiverOptions options = baseOptions();
    options.headerTimeoutMs = 300; // requests cut short are answered 408 soon
    options.idleTimeoutMs = 300;
    options.maxBodyBytes = 64 * 1024;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), options));
    Site &site = *m_site;

    constexpr int threads = 32;
    constexpr int casesPerThread = 125;
    qInfo("garbage sender: seed 0x%x, %d threads x %d requests", kGarbageSeed, threads,
        casesPerThread);
    std::vector<GarbageOutcome> outcomes(threads);
    const quint16 port = site.port();
    const QByteArray webhookPath = site.target();
    const QByteArray secret = site.secret();
    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<QThread>> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back(QThread::create([&, t] {
            GarbageOutcome &outcome = outcomes[size_t(t)];
            GarbageGenerator generator(kGarbageSeed + quint32(t), webhookPath, secret);
            for (int i = 0; i < casesPerThread; ++i) {
                const GarbageCase garbage = generator.next();
                ++outcome.cases;
                ++outcome.connections;
                RawHttpClient client(port);
                if (!client.connectToServer()) {
                    outcome.problems.append("cannot connect");
                    continue;
                }
                const int mode = generator.bounded(100);
                if (mode < 8) { // closed mid-request
                    client.send(
                        garbage.bytes.left(generator.bounded(int(garbage.bytes.size()) + 1)));
                    client.socket().abort();
                    ++outcome.aborted;
                    continue;
                }
                client.send(garbage.bytes, 10000);
                if (mode < 15) { // closed right after sending
                    client.socket().abort();
                    ++outcome.aborted;
                    continue;
                }
                // Read until the server closes; after a keep-alive answer, stop when nothing
                // more comes. The server's timeouts bound every wait.
                const QDeadlineTimer deadline(5000);
                for (;;) {
                    std::optional<HttpAnswer> answer
                        = client.readAnswer(int(std::max<qint64>(1, deadline.remainingTime())));
                    if (answer) {
                        const QString violation = contractViolation(*answer);
                        if (!violation.isEmpty())
                            outcome.problems.append(garbage.kind + ": "_ba + violation.toUtf8());
                        if (answer->status >= 200 && answer->status < 300
                            && !garbage.bytes.contains(secret))
                            outcome.problems.append(garbage.kind + ": 2xx without the key: "_ba
                                + garbage.bytes.left(300));
                        const bool close = answer->header("connection") == "close";
                        const bool interim = answer->status == 100;
                        outcome.answers.append(std::move(*answer));
                        if (interim)
                            continue;
                        if (close) {
                            if (!client.waitForClosed(4000))
                                outcome.problems.append(
                                    garbage.kind + ": not closed after Connection: close"_ba);
                            break;
                        }
                        if (client.buffer().isEmpty() && !client.pump(150))
                            break;
                        continue;
                    }
                    if (client.isClosed()) {
                        if (!client.buffer().isEmpty())
                            outcome.problems.append(garbage.kind
                                + ": closed after a partial answer: "_ba
                                + client.buffer().left(200));
                        break;
                    }
                    if (deadline.hasExpired()) {
                        outcome.problems.append(garbage.kind
                            + ": neither answered nor closed within 5 s: "_ba
                            + garbage.bytes.left(200));
                        break;
                    }
                }
            }
        }));
    }
    for (auto &worker : workers)
        worker->start();
    for (auto &worker : workers)
        QVERIFY(worker->wait(QDeadlineTimer(50000)));
    const qint64 sendingMs = clock.elapsed();

    // Alive, and still right: a valid request is accepted and logged.
    RawHttpClient after(port);
    QVERIFY(after.connectToServer());
    QVERIFY(after.send(site.acceptedRequest()));
    const std::optional<HttpAnswer> afterAnswer = after.readAnswer();
    QVERIFY(afterAnswer.has_value());
    QCOMPARE(afterAnswer->status, 200);
    QCOMPARE(contractViolation(*afterAnswer), QString());

    const QHash<qint64, LoggedRequest> rows = site.rows();
    QVERIFY(rows.contains(afterAnswer->requestId()));
    int cases = 0;
    int aborted = 0;
    QMap<int, int> byStatus;
    QSet<qint64> answeredIds;
    QStringList problems;
    int answersWithoutId = 0;
    for (const GarbageOutcome &outcome : outcomes) {
        cases += outcome.cases;
        aborted += outcome.aborted;
        for (const QByteArray &problem : outcome.problems)
            problems.append(QString::fromUtf8(problem));
        for (const HttpAnswer &answer : outcome.answers) {
            byStatus[answer.status] += 1;
            if (answer.status == 100)
                continue;
            const qint64 id = answer.requestId();
            if (id <= 0) {
                // Only a refusal for lack of room may go unlogged; this test never fills up.
                ++answersWithoutId;
                problems.append(u"answer without requestId: "_s + QString::fromUtf8(answer.body));
                continue;
            }
            if (answeredIds.contains(id))
                problems.append(u"requestId %1 answered twice"_s.arg(id));
            answeredIds.insert(id);
            const auto row = rows.constFind(id);
            if (row == rows.cend())
                problems.append(u"requestId %1 answered but not in the log"_s.arg(id));
            else if (row->status != answer.status || row->reason != answer.reason().toLatin1())
                problems.append(u"requestId %1: answered %2 %3, logged %4 %5"_s.arg(id)
                                    .arg(answer.status)
                                    .arg(answer.reason())
                                    .arg(row->status)
                                    .arg(QString::fromLatin1(row->reason)));
        }
    }
    QStringList statusFigures;
    for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
        statusFigures.append(u"%1: %2"_s.arg(it.key()).arg(it.value()));
    qInfo("garbage sender: %d requests in %lld ms, %d cut off by the client; answers by status "
          "{%s}; %lld answered with a requestId, %lld rows logged",
        cases, sendingMs, aborted, qPrintable(statusFigures.join(u", "_s)),
        qlonglong(answeredIds.size()), qlonglong(rows.size()));
    QVERIFY2(problems.isEmpty(),
        qPrintable(u"%1 problems, first ones:\n"_s.arg(problems.size())
            + problems.mid(0, 10).join(u'\n')));
    QCOMPARE(answersWithoutId, 0);
    QCOMPARE(cases, threads * casesPerThread);
    // Rows also exist for requests whose answers the client never read: at least as many.
    QVERIFY(rows.size() >= answeredIds.size() + 1);
    QVERIFY(byStatus.value(400) > cases / 10); // the generator does produce garbage
    QVERIFY(byStatus.value(200) > 0); // and some valid requests among it
}

QTEST_GUILESS_MAIN(tst_HardeningGarbage)
#include "tst_hardening_garbage.moc"
