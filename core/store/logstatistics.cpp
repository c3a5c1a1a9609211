// What the log writer has committed since the process started, counted for the metrics.
#include "core/store/logstatistics.h"

#include <algorithm>

namespace Hooktrail {

void LatencyHistogram::observe(qint64 micros)
{
    const double seconds = double(std::max<qint64>(micros, 0)) / 1e6;
    const auto bound = std::lower_bound(Bounds.begin(), Bounds.end(), seconds);
    ++counts[size_t(bound - Bounds.begin())];
    ++count;
    sumSeconds += seconds;
}

void LogStatistics::record(const LoggedRequest &row, qint64 queuedMicros)
{
    const bool accepted = row.status >= 200 && row.status <= 299;
    std::lock_guard lock(m_mutex);
    ++m_counts.byWebhook[{ row.webhookId, accepted }];
    if (!accepted)
        ++m_counts.rejectedByReason[row.reason];
    m_counts.answer.observe(row.handlingMicros + queuedMicros);
    m_counts.commit.observe(queuedMicros);
}

LogStatistics::Snapshot LogStatistics::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_counts;
}

} // namespace Hooktrail
