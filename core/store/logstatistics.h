// What the log writer has committed since the process started, counted for the metrics
// (ARCHITECTURE §5.7): requests by webhook and outcome, rejections by reason, and how long
// requests took to be handled and committed. Thread-safe; the writer records, anyone reads.
#pragma once

#include "core/model/loggedrequest.h"

#include <QHash>
#include <QList>
#include <array>
#include <mutex>

namespace Hooktrail {

// A latency histogram with fixed buckets (seconds), Prometheus style: counts per bucket, not
// yet cumulative.
struct LatencyHistogram
{
    static constexpr std::array<double, 12> Bounds { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1.0, 2.5 };
    std::array<qint64, Bounds.size() + 1> counts {}; // the last: above every bound
    qint64 count = 0;
    double sumSeconds = 0;
    void observe(qint64 micros);
};

class LogStatistics final
{
    Q_DISABLE_COPY_MOVE(LogStatistics)
public:
    LogStatistics() = default;

    struct Snapshot
    {
        // (webhook id, accepted): rows. A request that reached no webhook has an empty id.
        QHash<QPair<QString, bool>, qint64> byWebhook;
        QHash<QByteArray, qint64> rejectedByReason;
        LatencyHistogram answer; // handling plus the wait for the commit: when the answer left
        LatencyHistogram commit; // from the queue to the commit
    };

    // One committed row, `queuedMicros` after it was submitted.
    void record(const LoggedRequest &row, qint64 queuedMicros);
    Snapshot snapshot() const;

private:
    mutable std::mutex m_mutex;
    Snapshot m_counts;
};

} // namespace Hooktrail
