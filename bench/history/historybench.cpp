// hooktrail-historybench: the history's queries on a large log, through the Store the console uses.
// Usage: hooktrail-historybench DATA_DIR [RUNS]
#include "core/history/requestexport.h"
#include "core/model/loggedrequest.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Hooktrail;

namespace {

int runs = 5;

// Runs `work` `runs` times; prints the first (cold-ish) and the median time in ms.
void measure(const char *name, const std::function<qint64()> &work, double targetMs = 0)
{
    QList<double> times;
    qint64 rows = 0;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        rows = work();
        times.append(double(timer.nsecsElapsed()) / 1e6);
    }
    const double first = times.first();
    std::sort(times.begin(), times.end());
    const double median = times.at(times.size() / 2);
    std::printf("%-44s %9.2f ms median  %9.2f ms first  %8lld rows", name, median, first,
        static_cast<long long>(rows));
    if (targetMs > 0)
        std::printf("  (target <= %.0f ms: %s)", targetMs, median <= targetMs ? "ok" : "MISSED");
    std::printf("\n");
    std::fflush(stdout);
}

template<typename T> T check(Result<T> result, const char *what)
{
    if (!result) {
        std::fprintf(stderr, "historybench: %s: %s\n", what, qPrintable(result.error()));
        std::exit(1);
    }
    return std::move(result).value();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2 || args.size() > 3) {
        std::fprintf(stderr, "usage: hooktrail-historybench DATA_DIR [RUNS]\n");
        return 2;
    }
    if (args.size() == 3)
        runs = std::max(1, args[2].toInt());
    QElapsedTimer timer;
    timer.start();
    std::unique_ptr<Store> store
        = check(Store::openSqlite(QDir(args[1]).filePath(QStringLiteral("hooktrail.db"))), "open");
    std::printf("open (with any schema migration)              %9.2f ms\n",
        double(timer.nsecsElapsed()) / 1e6);

    // The search index catch-up, as the log writer's housekeeping runs it (2,000 rows a wake).
    timer.restart();
    qint64 indexed = 0;
    for (;;) {
        const qint64 n = check(store->search().indexPending(2000), "index");
        if (n == 0)
            break;
        indexed += n;
        if (indexed % 100000 < 2000)
            std::fprintf(stderr, "\rindexed %lld rows", static_cast<long long>(indexed));
    }
    const double indexMs = double(timer.nsecsElapsed()) / 1e6;
    std::fprintf(stderr, "\n");
    std::printf("search catch-up: %lld rows in %.0f ms (%.0f rows/s)\n",
        static_cast<long long>(indexed), indexMs,
        indexed ? double(indexed) * 1000.0 / indexMs : 0.0);

    // Ten rows carrying a token no other row has, for the search figure.
    const QByteArray token = "needle" + QByteArray::number(currentMicros());
    const QList<Webhook> webhooks = check(store->config().webhooks(), "webhooks");
    if (webhooks.isEmpty()) {
        std::fprintf(stderr,
            "historybench: the data folder has no webhooks (fill it with hooktrail-fill)\n");
        return 1;
    }
    QList<LoggedRequest> needles;
    for (int i = 0; i < 10; ++i) {
        LoggedRequest entry;
        entry.receivedAtMicros = currentMicros();
        entry.webhookId = webhooks.first().id;
        entry.method = "POST";
        entry.path = "/v1/data/webhook/" + entry.webhookId.toLatin1();
        entry.httpVersion = "HTTP/1.1";
        entry.headers = { { "Host", "127.0.0.1:8484" }, { "Content-Type", "application/json" } };
        entry.body = "{\"order\":\"" + token + "\",\"n\":" + QByteArray::number(i) + "}";
        entry.bodySize = entry.body.size();
        entry.contentType = "application/json";
        entry.clientAddress = QStringLiteral("203.0.113.1");
        entry.status = 200;
        entry.reason = "accepted";
        entry.instance = QStringLiteral("bench");
        needles.append(entry);
    }
    if (const Status status = store->log().append(needles); !status) {
        std::fprintf(stderr, "historybench: %s\n", qPrintable(status.error()));
        return 1;
    }

    const qint64 newest = check(store->queries().newestRequestId(), "newest");
    const qint64 total = check(store->queries().countRequests(RequestFilter()), "count");
    std::printf("log: %lld requests, newest id %lld, %d runs each\n", static_cast<long long>(total),
        static_cast<long long>(newest), runs);

    const auto page = [&](RequestFilter filter) {
        return [&store, filter]() {
            return qint64(check(store->queries().requestSummaries(filter), "page").size());
        };
    };
    RequestFilter filter;
    measure("first page (100 summaries)", page(filter), 50);
    filter.beforeId = newest / 2;
    measure("page at 50% of the ids", page(filter), 50);
    filter.beforeId = newest / 100;
    measure("page at 99% of the ids", page(filter), 50);

    RequestFilter byWebhook;
    byWebhook.webhookId = webhooks.at(webhooks.size() / 2).id;
    measure("filter: one webhook", page(byWebhook), 100);
    RequestFilter rejected;
    rejected.outcome = RequestFilter::Outcome::Rejected;
    measure("filter: outcome rejected", page(rejected), 100);
    RequestFilter accepted;
    accepted.outcome = RequestFilter::Outcome::Accepted;
    measure("filter: outcome accepted", page(accepted), 100);
    RequestFilter reason;
    reason.reason = "invalid_json";
    measure("filter: reason invalid_json", page(reason), 100);
    RequestFilter byStatus;
    byStatus.status = 403;
    measure("filter: status 403", page(byStatus), 100);
    RequestFilter lastDay;
    lastDay.sinceMicros = currentMicros() - qint64(24) * 3600 * 1000000;
    measure("filter: last 24 hours", page(lastDay), 100);
    RequestFilter pastHour;
    pastHour.sinceMicros = currentMicros() - qint64(15 * 24 + 1) * 3600 * 1000000;
    pastHour.untilMicros = currentMicros() - qint64(15 * 24) * 3600 * 1000000;
    measure("filter: one hour 15 days ago", page(pastHour), 100);
    RequestFilter pastWeek;
    pastWeek.sinceMicros = currentMicros() - qint64(21) * 24 * 3600 * 1000000;
    pastWeek.untilMicros = currentMicros() - qint64(14) * 24 * 3600 * 1000000;
    measure("filter: one week 14-21 days ago", page(pastWeek), 100);
    RequestFilter combined = byWebhook;
    combined.outcome = RequestFilter::Outcome::Rejected;
    combined.sinceMicros = lastDay.sinceMicros - qint64(6) * 24 * 3600 * 1000000;
    measure("filter: webhook + rejected + last 7 days", page(combined), 100);

    RequestFilter search;
    search.search = QString::fromLatin1(token);
    measure("search: token in 10 rows", page(search), 200);
    RequestFilter commonSearch;
    commonSearch.search = QStringLiteral("order.created");
    measure("search: token in every row (first page)", page(commonSearch), 200);
    RequestFilter searchCombined = search;
    searchCombined.outcome = RequestFilter::Outcome::Accepted;
    measure("search + outcome", page(searchCombined), 200);

    measure("count: all",
        [&] { return check(store->queries().countRequests(RequestFilter()), "count"); });
    measure("count: rejected",
        [&] { return check(store->queries().countRequests(rejected), "count"); });
    // What the History page asks after its first page: everything below the newest id it read.
    RequestFilter belowNewest;
    belowNewest.beforeId = newest + 1;
    measure("count: all below the newest id",
        [&] { return check(store->queries().countRequests(belowNewest), "count"); });
    RequestFilter rejectedBelowNewest = rejected;
    rejectedBelowNewest.beforeId = newest + 1;
    measure("count: rejected below the newest id",
        [&] { return check(store->queries().countRequests(rejectedBelowNewest), "count"); });
    measure("count: search token",
        [&] { return check(store->queries().countRequests(search), "count"); });
    measure("histogram: whole log, 60 buckets", [&] {
        return qint64(check(store->queries().histogram(RequestFilter(), 60), "histogram").size());
    });
    measure("histogram: last 24 hours, 48 buckets", [&] {
        RequestFilter day = lastDay;
        day.untilMicros = currentMicros();
        return qint64(check(store->queries().histogram(day, 48), "histogram").size());
    });
    measure("histogram: one webhook, 60 buckets", [&] {
        return qint64(check(store->queries().histogram(byWebhook, 60), "histogram").size());
    });

    QTemporaryDir out;
    runs = std::min(runs, 3);
    measure(
        "export: 100,000 rows to HAR",
        [&] {
            RequestFilter newest100k;
            newest100k.afterId = newest - 100000;
            QFile file(out.filePath(QStringLiteral("export.har")));
            if (!file.open(QIODevice::WriteOnly))
                std::exit(1);
            qint64 written = 0;
            const Status status = RequestExport::write(*store, RequestExport::Format::Har,
                newest100k, {}, file, [&written](qint64 done, qint64) {
                    written = done;
                    return true;
                });
            if (!status) {
                std::fprintf(stderr, "historybench: export: %s\n", qPrintable(status.error()));
                std::exit(1);
            }
            return written;
        },
        10000);
    std::printf("HAR file: %.1f MB\n",
        double(QFileInfo(out.filePath(QStringLiteral("export.har"))).size()) / 1e6);

    // Leave the log as it was, apart from the index.
    QList<qint64> ids;
    for (const LoggedRequest &entry : needles)
        ids.append(entry.id);
    check(store->retention().deleteRequests(ids), "cleanup");
    return 0;
}
