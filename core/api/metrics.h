// The metrics in Prometheus' text format (version 0.0.4), for GET /metrics (ARCHITECTURE §5.7).
#pragma once

#include "core/store/logstatistics.h"

#include <QByteArray>
#include <QHash>
#include <optional>

namespace Hooktrail {

struct DeliveryCounters;

// What one scrape reports. Counters count since the process started.
struct MetricsFigures
{
    LogStatistics::Snapshot log;
    QHash<QString, QString> webhookNames; // id → name, for the `name` label
    qint64 writerQueue = 0;
    qint64 openConnections = 0;
    std::optional<qint64> databaseBytes; // unset when the database could not say
    std::optional<qint64> searchBacklog; // rows above the search index's mark
    std::optional<qint64> unfinishedDeliveries;
    qint64 delivered = 0;
    qint64 deliveryRetries = 0;
    qint64 deliveryFailures = 0;
    qint64 apiStreams = 0; // long polls and event streams open now
};

namespace Metrics {
inline constexpr char ContentType[] = "text/plain; version=0.0.4; charset=utf-8";
// A label value escaped as the format wants (backslash, quote, newline).
QByteArray escapeLabel(const QString &value);
QByteArray render(const MetricsFigures &figures);
} // namespace Metrics

} // namespace Hooktrail
