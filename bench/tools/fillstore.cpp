// hooktrail-fill: fills a data folder with webhooks and logged requests for the benchmarks.
// Usage: hooktrail-fill DATA_DIR WEBHOOKS REQUESTS
#include "core/model/loggedrequest.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <cstdio>

using namespace Hooktrail;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    bool okWebhooks = false, okRequests = false;
    const int webhookCount = args.value(2).toInt(&okWebhooks);
    const qint64 requestCount = args.value(3).toLongLong(&okRequests);
    if (args.size() != 4 || !okWebhooks || !okRequests || webhookCount < 1 || requestCount < 0) {
        std::fprintf(stderr, "usage: hooktrail-fill DATA_DIR WEBHOOKS REQUESTS\n");
        return 2;
    }
    auto opened = Store::openSqlite(QDir(args[1]).filePath(QStringLiteral("hooktrail.db")));
    if (!opened) {
        std::fprintf(stderr, "hooktrail-fill: %s\n", qPrintable(opened.error()));
        return 1;
    }
    std::unique_ptr<Store> store = std::move(opened).value();
    QStringList ids;
    for (int i = 0; i < webhookCount; ++i) {
        Webhook webhook;
        webhook.name = QStringLiteral("Source %1").arg(i + 1);
        webhook.methods = { QStringLiteral("POST"), QStringLiteral("PUT") };
        const Result<Webhook> added = store->config().addWebhook(webhook);
        if (!added) {
            std::fprintf(stderr, "hooktrail-fill: %s\n", qPrintable(added.error()));
            return 1;
        }
        ids.append(added->id);
    }
    store->setAutomaticCheckpoints(false);
    // Spread over the last 30 days, newest last, with JSON bodies of 200 B to 4 KiB.
    QRandomGenerator random(42);
    const qint64 now = currentMicros();
    const qint64 span = 30LL * 24 * 3600 * 1000000;
    QElapsedTimer timer;
    timer.start();
    const qint64 batchSize = 10000;
    for (qint64 done = 0; done < requestCount;) {
        QList<LoggedRequest> batch;
        const qint64 n = std::min(batchSize, requestCount - done);
        for (qint64 i = 0; i < n; ++i) {
            const qint64 index = done + i;
            LoggedRequest entry;
            entry.receivedAtMicros = now - span + span * index / std::max<qint64>(1, requestCount);
            const bool known = random.bounded(20) != 0;
            entry.webhookId = known ? ids[int(random.bounded(ids.size()))] : QString();
            entry.method = "POST";
            entry.path = "/v1/data/webhook/"
                + (known ? entry.webhookId.toLatin1() : QByteArray("unknown"));
            entry.query = "api-key=***";
            entry.httpVersion = "HTTP/1.1";
            const int bodyBytes = 200 + int(random.bounded(3897));
            QByteArray body = "{\"event\":\"order.created\",\"order\":" + QByteArray::number(index)
                + ",\"token\":\"tok" + QByteArray::number(random.generate()) + "\",\"note\":\"";
            body += QByteArray(std::max(0, bodyBytes - int(body.size()) - 2), 'x');
            body += "\"}";
            entry.body = body;
            entry.bodySize = body.size();
            entry.contentType = "application/json";
            entry.headers = { { "Host", "127.0.0.1:8484" }, { "User-Agent", "bench" },
                { "Content-Type", "application/json" },
                { "Content-Length", QByteArray::number(body.size()) } };
            entry.clientAddress = QStringLiteral("203.0.113.%1").arg(random.bounded(1, 255));
            const int outcome = int(random.bounded(10));
            entry.status = outcome < 7 ? 200 : outcome == 7 ? 401 : outcome == 8 ? 400 : 403;
            entry.reason = entry.status == 200 ? "accepted"
                : entry.status == 401          ? "invalid_api_key"
                : entry.status == 400          ? "invalid_json"
                                               : "ip_not_allowed";
            if (!known) {
                entry.status = 404;
                entry.reason = "unknown_webhook";
            }
            entry.handlingMicros = 20 + random.bounded(80);
            entry.instance = QStringLiteral("bench:8484");
            batch.append(std::move(entry));
        }
        if (const Status status = store->log().append(batch); !status) {
            std::fprintf(stderr, "hooktrail-fill: %s\n", qPrintable(status.error()));
            return 1;
        }
        done += n;
        if (done % 100000 == 0 || done == requestCount)
            std::fprintf(stderr, "\r%lld / %lld rows (%.0f rows/s)", static_cast<long long>(done),
                static_cast<long long>(requestCount),
                double(done) * 1000.0 / std::max<qint64>(1, timer.elapsed()));
    }
    store->checkpoint();
    std::fprintf(stderr, "\n");
    return 0;
}
