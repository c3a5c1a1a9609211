// hooktrail-searchbench: text search right after a burst, and the search index's pace, on a
// fresh log filled through the real LogWriter (as the receiver fills it, without HTTP).
// Usage: hooktrail-searchbench [BURST_SECONDS] [SUSTAINED_RATE] [SUSTAINED_SECONDS]
#include "core/receiver/engine.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <atomic>
#include <cstdio>

using namespace Hooktrail;

namespace {

template<typename T> T check(Result<T> result, const char *what)
{
    if (!result) {
        std::fprintf(stderr, "searchbench: %s: %s\n", what, qPrintable(result.error()));
        std::exit(1);
    }
    return std::move(result).value();
}

class CountingSink final : public LogCompletionSink
{
public:
    void deliver(QList<LogCompletion> completions) override
    {
        for (const LogCompletion &done : completions)
            (done.id ? m_ok : m_failed).fetch_add(1);
    }
    std::atomic<qint64> m_ok { 0 };
    std::atomic<qint64> m_failed { 0 };
};

// A JSON order of about 2 KiB, made of words as real payloads are (names, addresses, SKUs),
// with a reference no other request has: "ref-N".
class Payloads
{
public:
    Payloads()
    {
        QRandomGenerator random(7);
        for (int i = 0; i < 5000; ++i) {
            QByteArray word;
            const int length = 3 + int(random.bounded(8));
            for (int c = 0; c < length; ++c)
                word += char('a' + random.bounded(26));
            m_words.append(word);
        }
    }
    LoggedRequest next(qint64 n)
    {
        const auto word = [this] { return m_words.at(int(m_random.bounded(m_words.size()))); };
        QByteArray body = "{\"event\":\"order.created\",\"ref\":\"ref-" + QByteArray::number(n)
            + "\",\"customer\":{\"name\":\"" + word() + ' ' + word() + "\",\"email\":\"" + word()
            + "@example.com\",\"address\":\"" + word() + ' ' + word() + ' ' + word()
            + "\"},\"items\":[";
        for (int item = 0; body.size() < 2000; ++item) {
            if (item)
                body += ',';
            body += "{\"sku\":\"SKU-" + QByteArray::number(m_random.bounded(1000000))
                + "\",\"name\":\"" + word() + ' ' + word() + ' ' + word()
                + "\",\"qty\":" + QByteArray::number(1 + m_random.bounded(9))
                + ",\"price\":" + QByteArray::number(m_random.bounded(10000) / 100.0) + '}';
        }
        body += "]}";
        LoggedRequest entry;
        entry.receivedAtMicros = currentMicros();
        entry.method = "POST";
        entry.path = "/v1/data/webhook/2f0c5a54-8f21-4a8e-9d36-4a1f1b0c9e77";
        entry.query = "api-key=***";
        entry.httpVersion = "HTTP/1.1";
        entry.headers = { { "Host", "127.0.0.1:8484" }, { "User-Agent", "shop-webhooks/2.1" },
            { "Content-Type", "application/json" },
            { "Content-Length", QByteArray::number(body.size()) },
            { "X-Request-Id", "req-" + QByteArray::number(m_random.generate64()) } };
        entry.body = body;
        entry.bodySize = body.size();
        entry.contentType = "application/json";
        entry.clientAddress = QStringLiteral("203.0.113.7");
        entry.status = 200;
        entry.reason = "accepted";
        entry.handlingMicros = 40;
        entry.instance = QStringLiteral("bench:8484");
        return entry;
    }

private:
    QList<QByteArray> m_words;
    QRandomGenerator m_random { 11 };
};

struct Search
{
    double ms;
    qint64 found;
};

Search timed(const std::function<qint64()> &work)
{
    QElapsedTimer timer;
    timer.start();
    const qint64 found = work();
    return { double(timer.nsecsElapsed()) / 1e6, found };
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const QStringList args = app.arguments();
    const int burstSeconds = args.size() > 1 ? std::max(1, args[1].toInt()) : 20;
    const int sustainedRate = args.size() > 2 ? std::max(1, args[2].toInt()) : 5000;
    const int sustainedSeconds = args.size() > 3 ? std::max(1, args[3].toInt()) : 10;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("hooktrail.db"));
    std::unique_ptr<Store> store = check(Store::openSqlite(path), "open");
    Payloads payloads;
    qint64 made = 0; // requests made, each with its own ref-N
    qint64 submitted = 0; // of them, the ones the writer took

    // 1. The index alone: rows already in the log, indexed as the housekeeping does.
    {
        constexpr int Rows = 20000;
        for (int first = 0; first < Rows; first += 2000) {
            QList<LoggedRequest> batch;
            for (int i = 0; i < 2000; ++i)
                batch.append(payloads.next(made++));
            if (const Status status = store->log().append(batch); !status) {
                std::fprintf(stderr, "searchbench: %s\n", qPrintable(status.error()));
                return 1;
            }
        }
        QElapsedTimer timer;
        timer.start();
        qint64 indexed = 0;
        while (const qint64 n = check(store->search().indexPending(500), "index"))
            indexed += n;
        std::printf("index alone: %lld rows of ~2 KiB JSON in %.2f s: %.0f rows/s\n",
            static_cast<long long>(indexed), timer.elapsed() / 1000.0,
            indexed * 1000.0 / std::max<qint64>(1, timer.elapsed()));
    }

    const auto behind = [&](qint64 *newest) {
        // Rows above the index's mark: what a search reads directly.
        *newest = check(store->queries().newestRequestId(), "newest");
        return *newest - check(store->search().indexedUpTo(), "mark");
    };

    auto sink = std::make_shared<CountingSink>();
    LogWriter writer(Engine::factoryFor(path));
    writer.start();

    // 2. Sustained ingest at a fixed rate: does the index keep up?
    {
        std::printf("sustained: %d req/s for %d s\n", sustainedRate, sustainedSeconds);
        QElapsedTimer timer;
        timer.start();
        const qint64 startSubmitted = submitted;
        qint64 newest = 0;
        const qint64 startMark = check(store->search().indexedUpTo(), "mark");
        qint64 worst = 0;
        for (int second = 1; second <= sustainedSeconds; ++second) {
            while (timer.elapsed() < second * 1000) {
                const qint64 due = startSubmitted + timer.elapsed() * sustainedRate / 1000;
                while (submitted < due) {
                    if (!writer.submit(payloads.next(made), sink, 0, quint64(made)))
                        break; // the queue is full: again a moment later
                    ++made;
                    ++submitted;
                }
                QThread::msleep(2);
            }
            const qint64 lag = behind(&newest);
            worst = std::max(worst, lag);
            std::printf("  %2d s: %lld committed, %lld rows behind the index\n", second,
                static_cast<long long>(sink->m_ok.load()), static_cast<long long>(lag));
        }
        const qint64 endMark = check(store->search().indexedUpTo(), "mark");
        std::printf(
            "sustained: %.0f req/s committed, index %.0f rows/s, at most %lld rows behind\n",
            sink->m_ok.load() * 1000.0 / timer.elapsed(),
            (endMark - startMark) * 1000.0 / timer.elapsed(), static_cast<long long>(worst));
    }

    // 3. A burst at full speed, then searches at once.
    const qint64 firstOfBurst = made;
    {
        QElapsedTimer timer;
        timer.start();
        const qint64 okBefore = sink->m_ok.load();
        const qint64 startMark = check(store->search().indexedUpTo(), "mark");
        while (timer.elapsed() < burstSeconds * 1000) {
            LoggedRequest entry = payloads.next(made);
            while (!writer.submit(entry, sink, 0, quint64(made)))
                QThread::usleep(200); // the queue is full: a receiver would answer 503
            ++made;
            ++submitted;
        }
        // Every submitted row committed: the searches below look for the very last one.
        while (sink->m_ok.load() + sink->m_failed.load() < submitted)
            QThread::msleep(1);
        const double seconds = timer.elapsed() / 1000.0;
        qint64 newest = 0;
        const qint64 lag = behind(&newest);
        const qint64 endMark = check(store->search().indexedUpTo(), "mark");
        std::printf("burst: %lld requests in %.1f s (%.0f req/s committed), index %.0f rows/s "
                    "meanwhile, %lld rows behind the index at the end\n",
            static_cast<long long>(sink->m_ok.load() - okBefore), seconds,
            (sink->m_ok.load() - okBefore) / seconds, (endMark - startMark) / seconds,
            static_cast<long long>(lag));
    }
    const auto search = [&](const QString &text, int limit) {
        return timed([&] {
            RequestFilter filter;
            filter.search = text;
            filter.limit = limit;
            return qint64(check(store->queries().requestSummaries(filter), "search").size());
        });
    };
    const auto count = [&](const QString &text) {
        return timed([&] {
            RequestFilter filter;
            filter.search = text;
            return check(store->queries().countRequests(filter), "count");
        });
    };
    const auto report = [&](const char *when) {
        const qint64 last = made - 1;
        const Search newest = search(QStringLiteral("ref-%1").arg(last), 100);
        const Search old = search(QStringLiteral("ref-%1").arg(firstOfBurst / 2), 100);
        const Search common = search(QStringLiteral("order.created"), 100);
        const Search counted = count(QStringLiteral("order.created"));
        const Search rare = count(QStringLiteral("ref-%1").arg(last));
        std::printf("%s:\n"
                    "  search: the newest request's token   %8.1f ms, %lld found (want 1)\n"
                    "  search: an old request's token       %8.1f ms, %lld found (want 1)\n"
                    "  search: a token in every row, page   %8.1f ms, %lld rows\n"
                    "  count:  a token in every row         %8.1f ms, %lld (want %lld)\n"
                    "  count:  the newest request's token   %8.1f ms, %lld (want 1)\n",
            when, newest.ms, static_cast<long long>(newest.found), old.ms,
            static_cast<long long>(old.found), common.ms, static_cast<long long>(common.found),
            counted.ms, static_cast<long long>(counted.found),
            static_cast<long long>(check(store->queries().countRequests(RequestFilter()), "count")),
            rare.ms, static_cast<long long>(rare.found));
    };
    report("right after the burst");
    QElapsedTimer catchUp;
    catchUp.start();
    qint64 newest = 0;
    while (behind(&newest) > 0 && catchUp.elapsed() < 120000)
        QThread::msleep(100);
    std::printf("the index caught up %.1f s after the burst\n", catchUp.elapsed() / 1000.0);
    report("with the index caught up");
    writer.stop();
    writer.wait();
    return 0;
}
