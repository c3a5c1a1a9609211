// The receiver against clients that hold its connections: slow and idle ones, a flood past the
// connection cap, bodies that trickle in, a client that never reads. Real HTTP over loopback,
// a real SQLite file; each test function well under a minute.
#include "hardeningtest.h"
#include "plainsocket.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QScopeGuard>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_HardeningSlowClients : public HardeningTest
{
    Q_OBJECT

private slots:
    void slowAndIdleClients();
    void connectionCapUnderFlood();
    void slowBodiesAtTheCap();
    void clientThatNeverReads();
};

// Hundreds of connections trickling headers a byte at a time and hundreds sending nothing do
// not slow an ordinary sender, and each is closed once its configured timeout has passed.
void tst_HardeningSlowClients::slowAndIdleClients()
{
    constexpr int slowCount = 300;
    constexpr int idleCount = 300;
    constexpr int timeoutMs = 2500;
    constexpr int trickleMs = 200;
    // The sweep runs every timeout/5; the slack covers it, a loaded machine and the close.
    constexpr int slackMs = 1500;
    ReceiverOptions options = baseOptions();
    options.headerTimeoutMs = timeoutMs;
    options.idleTimeoutMs = timeoutMs;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), options));
    Site &site = *m_site;
    const quint16 port = site.port();
    const QByteArray request = site.acceptedRequest();

    struct Held
    {
        bool slow = false;
        qint64 startedAt = -1; // before connecting: the server cannot have taken it earlier
        qint64 connectedAt = -1;
        qint64 firstByteAt = -1;
        std::atomic<qint64> endedAt { -1 }; // first answer byte or close, whichever came first
        int sent = 0;
        QByteArray received;
        std::atomic<bool> closed { false };
    };
    std::vector<Held> held(slowCount + idleCount);
    std::atomic<int> connected { 0 };
    std::atomic<bool> done { false };
    QElapsedTimer clock;
    clock.start();

    // The held connections live on a thread of their own, driven by its event loop.
    std::unique_ptr<QThread> driver(QThread::create([&] {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        QEventLoop loop;
        for (size_t i = 0; i < held.size(); ++i) {
            Held &h = held[i];
            h.slow = i < size_t(slowCount);
            auto socket = std::make_unique<QTcpSocket>();
            QTcpSocket *s = socket.get();
            QObject::connect(s, &QTcpSocket::connected, [&, s, &h = h] {
                h.connectedAt = clock.elapsed();
                ++connected;
                if (h.slow) {
                    s->write(request.left(1));
                    h.firstByteAt = h.connectedAt;
                    h.sent = 1;
                }
            });
            QObject::connect(s, &QTcpSocket::readyRead, [&, s, &h = h] {
                if (h.endedAt < 0)
                    h.endedAt = clock.elapsed();
                h.received += s->readAll();
            });
            QObject::connect(s, &QTcpSocket::disconnected, [&, s, &h = h] {
                if (h.endedAt < 0)
                    h.endedAt = clock.elapsed();
                h.received += s->readAll();
                h.closed = true;
            });
            h.startedAt = clock.elapsed();
            s->connectToHost(QHostAddress::LocalHost, port);
            sockets.push_back(std::move(socket));
        }
        QTimer trickle;
        QObject::connect(&trickle, &QTimer::timeout, [&] {
            for (size_t i = 0; i < held.size(); ++i) {
                Held &h = held[i];
                QTcpSocket *s = sockets[i].get();
                if (h.slow && !h.closed && h.sent > 0 && h.sent < request.size()
                    && s->state() == QAbstractSocket::ConnectedState)
                    s->write(request.mid(h.sent++, 1));
            }
            const bool allClosed = std::all_of(
                held.begin(), held.end(), [](const Held &h) { return h.closed.load(); });
            if (allClosed || done.load())
                loop.quit();
        });
        trickle.start(trickleMs);
        QTimer::singleShot(timeoutMs + slackMs + 5000, &loop, &QEventLoop::quit);
        loop.exec();
        for (auto &socket : sockets)
            socket->abort();
    }));
    driver->start();
    const auto stopDriver = qScopeGuard([&] {
        done = true;
        driver->wait();
    });
    QTRY_VERIFY_WITH_TIMEOUT(connected.load() == slowCount + idleCount, 20000);
    const qint64 allConnectedAt = clock.elapsed();

    // The ordinary sender, while every held connection is still open.
    RawHttpClient sender(port);
    QVERIFY(sender.connectToServer());
    QList<double> latenciesMs;
    while (clock.elapsed() < allConnectedAt + timeoutMs / 2 || latenciesMs.size() < 50) {
        QElapsedTimer one;
        one.start();
        QVERIFY(sender.send(request));
        const std::optional<HttpAnswer> answer = sender.readAnswer(10000);
        latenciesMs.append(double(one.nsecsElapsed()) / 1e6);
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 200);
        if (latenciesMs.size() >= 2000)
            break;
    }
    const int stillOpenAfterSending
        = int(std::count_if(held.begin(), held.end(), [](const Held &h) { return h.endedAt < 0; }));
    sender.socket().abort(); // not an idle connection to wait for

    QVERIFY(driver->wait(QDeadlineTimer(timeoutMs + slackMs + 10000)));
    QStringList problems;
    QList<double> slowEnded;
    QList<double> idleEnded;
    for (const Held &h : held) {
        if (!h.closed) {
            problems.append(u"%1 connection still open"_s.arg(h.slow ? u"slow"_s : u"idle"_s));
            continue;
        }
        // An idle connection's clock starts when the server takes it, somewhere between the
        // two client-side marks; a slow one's with its first byte, sent once connected.
        const qint64 earliest = h.slow ? h.firstByteAt : h.startedAt;
        const qint64 latest = h.slow ? h.firstByteAt : h.connectedAt;
        const qint64 after = h.endedAt - latest;
        (h.slow ? slowEnded : idleEnded).append(double(after));
        if (h.endedAt - earliest < timeoutMs - 100 || after > timeoutMs + slackMs)
            problems.append(u"%1 connection ended after %2 ms"_s.arg(h.slow ? u"slow"_s : u"idle"_s)
                                .arg(after));
        QByteArray received = h.received;
        if (h.slow) {
            const std::optional<HttpAnswer> answer = takeAnswer(received);
            if (!answer || answer->status != 408 || answer->reason() != u"request_timeout")
                problems.append(u"slow connection not answered 408: "_s
                    + QString::fromLatin1(h.received.left(100)));
        } else if (!received.isEmpty()) {
            problems.append(
                u"idle connection was sent: "_s + QString::fromLatin1(received.left(100)));
        }
    }
    const double p50 = percentile(latenciesMs, 50);
    const double p99 = percentile(latenciesMs, 99);
    qInfo("slow/idle clients: %d slow + %d idle held, %d still open when the sender finished; "
          "ordinary sender: %lld requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms; closed after "
          "(timeout %d ms): slow median %.0f ms max %.0f ms, idle median %.0f ms max %.0f ms",
        slowCount, idleCount, stillOpenAfterSending, qlonglong(latenciesMs.size()), p50, p99,
        percentile(latenciesMs, 100), timeoutMs, percentile(slowEnded, 50),
        percentile(slowEnded, 100), percentile(idleEnded, 50), percentile(idleEnded, 100));
    QVERIFY2(problems.isEmpty(),
        qPrintable(u"%1 problems, first ones:\n"_s.arg(problems.size())
            + problems.mid(0, 10).join(u'\n')));
    // The sender ran while the held connections were all there.
    QVERIFY2(stillOpenAfterSending == slowCount + idleCount,
        "the ordinary sender did not finish before the timeouts; the figures do not show "
        "contention");
    QVERIFY2(p99 < 50, qPrintable(u"p99 %1 ms"_s.arg(p99)));
}

// Far past the connection cap, with every slot held by an upload arriving at a good rate (so
// none can be given up), every extra connection is told 503 overloaded with Retry-After and let
// go, so descriptors do not pile up; once the held ones close, newcomers are served.
// (tst_receiver_connections's overloadedConnections checks the answer itself at a cap of 2, and
// that idle connections give up their slots.)
void tst_HardeningSlowClients::connectionCapUnderFlood()
{
    constexpr int cap = 50;
    constexpr int flood = 400;
    ReceiverOptions options = baseOptions();
    options.maxConnections = cap;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), options));
    Site &site = *m_site;
    const auto openDescriptors
        = [] { return QDir(u"/proc/self/fd"_s).entryList(QDir::Files | QDir::System).size(); };

    // Each held connection sends its headers and the first 32 KiB of a 1 MiB body in one write.
    // The 100 Continue comes back once the receiver has read all of that: from then on the
    // upload's rate (32 KiB over the seconds this test takes) is far above the minimum.
    const QByteArray upload = "POST " + site.target(site.keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
          "Content-Length: 1048576\r\n\r\n"
        + QByteArray(32 * 1024, ' ');
    std::vector<std::unique_ptr<RawHttpClient>> held;
    for (int i = 0; i < cap; ++i) {
        held.push_back(std::make_unique<RawHttpClient>(site.port()));
        QVERIFY(held.back()->connectToServer());
        QVERIFY(held.back()->send(upload));
        const std::optional<HttpAnswer> answer = held.back()->readAnswer();
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 100);
    }
    const qsizetype descriptorsBefore = openDescriptors();

    struct Flooder
    {
        QTcpSocket socket;
        QByteArray received;
    };
    std::vector<std::unique_ptr<Flooder>> flooders;
    const QByteArray request = site.acceptedRequest();
    for (int i = 0; i < flood; ++i) {
        auto flooder = std::make_unique<Flooder>();
        Flooder *f = flooder.get();
        QObject::connect(
            &f->socket, &QTcpSocket::connected, [f, &request] { f->socket.write(request); });
        QObject::connect(
            &f->socket, &QTcpSocket::readyRead, [f] { f->received += f->socket.readAll(); });
        f->socket.connectToHost(QHostAddress::LocalHost, site.port());
        flooders.push_back(std::move(flooder));
    }
    const auto allClosed = [&] {
        return std::all_of(flooders.begin(), flooders.end(),
            [](const auto &f) { return f->socket.state() == QAbstractSocket::UnconnectedState; });
    };
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(allClosed(), 30000);
    const qint64 floodMs = clock.elapsed();
    int refused = 0;
    QStringList problems;
    for (const auto &f : flooders) {
        f->received += f->socket.readAll();
        QByteArray buffer = f->received;
        const std::optional<HttpAnswer> answer = takeAnswer(buffer);
        if (!answer) {
            problems.append(u"no answer: "_s + QString::fromLatin1(f->received.left(100)));
            continue;
        }
        if (const QString violation = contractViolation(*answer); !violation.isEmpty())
            problems.append(violation);
        if (answer->status != 503 || answer->reason() != u"overloaded"
            || answer->header("retry-after") != QByteArray::number(kRetryAfter)
            || answer->header("connection") != "close" || answer->requestId() != 0)
            problems.append(
                u"not a 503 overloaded: "_s + QString::fromLatin1(f->received.left(200)));
        else
            ++refused;
        if (!buffer.isEmpty())
            problems.append(u"more after the refusal: "_s + QString::fromLatin1(buffer.left(100)));
    }
    flooders.clear();
    QTRY_COMPARE_WITH_TIMEOUT(
        site.engine()->receiver()->stats().connections.loadRelaxed(), cap, 10000);
    const qsizetype descriptorsAfter = openDescriptors();
    qInfo("connection cap %d: %d more connections answered 503 overloaded in %lld ms; "
          "descriptors of the process %lld with the held ones, %lld after the flood",
        cap, refused, floodMs, qlonglong(descriptorsBefore), qlonglong(descriptorsAfter));
    QVERIFY2(problems.isEmpty(),
        qPrintable(u"%1 problems, first ones:\n"_s.arg(problems.size())
            + problems.mid(0, 10).join(u'\n')));
    QCOMPARE(refused, flood);
    QVERIFY2(descriptorsAfter <= descriptorsBefore + 5,
        "the refused connections left descriptors behind");
    QCOMPARE(site.engine()->receiver()->stats().shed.loadRelaxed(), 0); // no upload was cut
    for (const auto &h : held)
        QVERIFY2(!h->isClosed() && h->buffer().isEmpty(), h->buffer().constData());
    QCOMPARE(site.rows().size(), 0); // a refusal for lack of room is not a request

    // Room again: the cap's worth of newcomers are all served.
    held.clear();
    QTRY_COMPARE_WITH_TIMEOUT(
        site.engine()->receiver()->stats().connections.loadRelaxed(), 0, 10000);
    for (int i = 0; i < cap; ++i) {
        held.push_back(std::make_unique<RawHttpClient>(site.port()));
        QVERIFY(held.back()->connectToServer());
        QVERIFY(held.back()->send(site.acceptedRequest()));
        const std::optional<HttpAnswer> answer = held.back()->readAnswer();
        QVERIFY(answer.has_value());
        QCOMPARE(answer->status, 200);
    }
}

// Senders that send their headers and then a body byte now and then (each byte would reset an
// idle timeout) fill every slot. At the cap a valid sender is still served: the slowest
// trickler gives up its slot. Every trickler is let go (408 or closed) once its body falls
// behind the minimum rate, and each is in the log.
void tst_HardeningSlowClients::slowBodiesAtTheCap()
{
    constexpr int cap = 16;
    constexpr int graceMs = 5000;
    constexpr int trickleMs = 1000;
    ReceiverOptions options = baseOptions();
    options.maxConnections = cap;
    options.idleTimeoutMs = 60000; // not what lets them go
    options.bodyGraceMs = graceMs;
    options.minBodyBytesPerSecond = 1024;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), options));
    Site &site = *m_site;
    const ReceiverStats &stats = site.engine()->receiver()->stats();
    const QByteArray head = "POST " + site.target(site.keyQuery())
        + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";

    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<PlainSocket>> tricklers;
    for (int i = 0; i < cap; ++i) {
        tricklers.push_back(std::make_unique<PlainSocket>());
        QVERIFY(tricklers.back()->connectTo(site.port()));
        QVERIFY(tricklers.back()->sendAll(head + "["));
    }
    QTRY_COMPARE_WITH_TIMEOUT(stats.connections.loadRelaxed(), cap, 10000);
    const qint64 heldAt = clock.elapsed();

    std::atomic<bool> stopTrickling { false };
    std::unique_ptr<QThread> trickle(QThread::create([&] {
        while (!stopTrickling) {
            bool anyOpen = false;
            for (auto &trickler : tricklers) {
                if (trickler->brokenByPeer())
                    continue;
                anyOpen = true;
                trickler->send(" ", 0);
            }
            if (!anyOpen)
                return;
            for (int waited = 0; waited < trickleMs && !stopTrickling; waited += 50)
                QThread::msleep(50);
        }
    }));
    trickle->start();
    const auto stop = qScopeGuard([&] {
        stopTrickling = true;
        trickle->wait();
    });

    // Once the tricklers are below the minimum rate (a few hundred bytes in a second), and
    // long before their grace is over, a valid sender comes.
    QTest::qWait(1000);
    RawHttpClient sender(site.port());
    QVERIFY(sender.connectToServer());
    QVERIFY(sender.send(site.acceptedRequest()));
    const std::optional<HttpAnswer> answer = sender.readAnswer(10000);
    const qint64 servedAt = clock.elapsed();
    QVERIFY(answer.has_value());
    QCOMPARE(contractViolation(*answer), QString());
    QCOMPARE(answer->status, 200);
    // Served by taking a trickler's slot, not because the grace ran out meanwhile.
    if (servedAt < heldAt + graceMs)
        QVERIFY(stats.shed.loadRelaxed() >= 1);

    // Every trickler is let go soon after its grace: the sweep runs every second.
    QVERIFY(trickle->wait(QDeadlineTimer(graceMs + 10000)));
    int timedOut = 0;
    int closed = 0;
    QStringList problems;
    for (auto &trickler : tricklers) {
        if (!trickler->readUntilClosed(
                int(std::max<qint64>(1, heldAt + graceMs + 10000 - clock.elapsed())))) {
            problems.append(u"a trickler is still open"_s);
            continue;
        }
        QByteArray received = trickler->received();
        if (received.isEmpty()) {
            ++closed; // its slot went to a newcomer
            continue;
        }
        const std::optional<HttpAnswer> refusal = takeAnswer(received);
        if (!refusal || refusal->status != 408 || refusal->reason() != u"request_timeout")
            problems.append(u"not a 408: "_s + QString::fromLatin1(trickler->received().left(200)));
        else
            ++timedOut;
    }
    const qint64 endedAt = clock.elapsed();
    qInfo("slow bodies: %d tricklers held the cap of %d; a valid sender was served 200 %lld ms "
          "after they all were in; %d gave up their slot at the cap, %d were answered 408, all "
          "gone %lld ms after they were in (grace %d ms, minimum 1024 bytes/s)",
        cap, cap, servedAt - heldAt, closed, timedOut, endedAt - heldAt, graceMs);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    QCOMPARE(closed + timedOut, cap);
    QCOMPARE(qint64(closed), stats.shed.loadRelaxed());
    // Each trickler is in the log, shed ones included.
    QTRY_COMPARE_WITH_TIMEOUT(site.rows().size(), cap + 1, 10000);
    int logged408 = 0;
    for (const LoggedRequest &row : site.rows()) {
        if (row.status == 408 && row.reason == "request_timeout" && row.bodySize < 1000)
            ++logged408;
    }
    QCOMPARE(logged408, cap);
}

// A client pipelines requests and never reads an answer. The receiver stops reading from it
// once a bounded amount of answers waits (rather than buffer answers without end), and once
// nothing has left for the idle timeout it aborts the connection (a graceful close would wait
// for the client for ever).
void tst_HardeningSlowClients::clientThatNeverReads()
{
    constexpr int idleMs = 2000;
    ReceiverOptions options = baseOptions();
    options.idleTimeoutMs = idleMs;
    QVERIFY(openSite(m_dir->filePath(u"hooktrail.db"_s), options));
    Site &site = *m_site;
    const ReceiverStats &stats = site.engine()->receiver()->stats();
    const QByteArray request = site.acceptedRequest();
    {
        RawHttpClient warm(site.port());
        QVERIFY(warm.connectToServer());
        for (int i = 0; i < 200; ++i) {
            QVERIFY(warm.send(request));
            QVERIFY(warm.readAnswer().has_value());
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(stats.connections.loadRelaxed(), 0, 5000);
    const bool peakReset = resetPeakRss();
    const qint64 rssBefore = procStatusKb("VmRSS");

    // Whole requests back to back, sent round and round from any offset.
    QByteArray block;
    while (block.size() < 64 * 1024)
        block += request;
    PlainSocket client;
    QVERIFY(client.connectTo(site.port(), 4096));
    QElapsedTimer clock;
    clock.start();
    qint64 sent = 0;
    qint64 offset = 0;
    qint64 lastProgressAt = 0;
    qint64 peakKb = rssBefore;
    bool broken = false;
    // Until the receiver has taken nothing for longer than its idle timeout, or 20 s.
    while (clock.elapsed() < 20000 && clock.elapsed() - lastProgressAt < idleMs + 3000) {
        const qint64 n = client.send(QByteArrayView(block).sliced(offset), 200);
        if (n < 0) {
            broken = true;
            break;
        }
        if (n > 0) {
            sent += n;
            offset = (offset + n) % block.size();
            lastProgressAt = clock.elapsed();
        }
        peakKb = std::max(peakKb, procStatusKb("VmRSS"));
        if (client.brokenByPeer()) {
            broken = true;
            break;
        }
    }
    const qint64 stalledAt = lastProgressAt;
    // The slot is freed: the connection was aborted, though the client neither reads nor closes.
    const QDeadlineTimer abortDeadline(idleMs + 8000);
    while (stats.connections.loadRelaxed() != 0 && !abortDeadline.hasExpired())
        QTest::qWait(20);
    const qint64 abortedAt = stats.connections.loadRelaxed() == 0 ? clock.elapsed() : -1;
    if (peakReset)
        peakKb = std::max(peakKb, procStatusKb("VmHWM"));
    const qint64 requestsTaken = stats.requests.loadRelaxed() - 200;
    qInfo("never-reading client: sent %lld KiB (%lld requests) in %lld ms before the receiver "
          "stopped taking them, %lld requests read and answered unread; aborted %lld ms after "
          "the last byte it took (-1: not; idle timeout %d ms; seen broken while sending: %d); "
          "RSS %lld KiB before, peak %lld KiB (+%lld KiB)",
        sent / 1024, sent / request.size(), stalledAt, requestsTaken,
        abortedAt < 0 ? -1 : abortedAt - stalledAt, idleMs, int(broken), rssBefore, peakKb,
        peakKb - rssBefore);
    QVERIFY2(
        stalledAt < 15000, "the receiver never stopped reading from a client that reads nothing");
    QVERIFY2(abortedAt >= 0, "the connection of a client that reads nothing was never let go");
    QTRY_VERIFY_WITH_TIMEOUT(client.brokenByPeer(), 5000);
    if (kSanitized)
        QSKIP("memory growth is not measurable under AddressSanitizer (its quarantine keeps freed "
              "blocks resident)");
    QVERIFY2(peakKb - rssBefore < 16 * 1024,
        qPrintable(
            u"memory grew by %1 KiB for one client that reads nothing"_s.arg(peakKb - rssBefore)));
}

QTEST_GUILESS_MAIN(tst_HardeningSlowClients)
#include "tst_hardening_slowclients.moc"
