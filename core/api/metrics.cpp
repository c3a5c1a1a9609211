// The metrics in Prometheus' text format (ARCHITECTURE §5.7). The series are bounded by the
// configuration, never by what senders send: one per webhook and outcome (a request that
// reached no webhook counts under webhook=""), one per reason code, fixed histogram buckets.
#include "core/api/metrics.h"

#include <algorithm>

namespace Hooktrail::Metrics {

QByteArray escapeLabel(const QString &value)
{
    QByteArray out;
    for (const char c : value.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

namespace {

void family(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(QByteArray &out, const char *name, const QByteArray &labels, double value)
{
    out += name;
    if (!labels.isEmpty())
        out += '{' + labels + '}';
    out += ' ';
    // Counts as whole numbers; sums with what a double holds for certain.
    out += value == double(qint64(value)) ? QByteArray::number(qint64(value))
                                          : QByteArray::number(value, 'g', 15);
    out += '\n';
}

void gauge(QByteArray &out, const char *name, const char *help, std::optional<qint64> value)
{
    if (!value)
        return;
    family(out, name, "gauge", help);
    sample(out, name, {}, double(*value));
}

void histogram(QByteArray &out, const char *name, const char *help, const LatencyHistogram &h)
{
    family(out, name, "histogram", help);
    const QByteArray bucket = QByteArray(name) + "_bucket";
    qint64 cumulative = 0;
    for (size_t i = 0; i < LatencyHistogram::Bounds.size(); ++i) {
        cumulative += h.counts[i];
        sample(out, bucket.constData(),
            "le=\"" + QByteArray::number(LatencyHistogram::Bounds[i], 'g', 6) + '"',
            double(cumulative));
    }
    sample(out, bucket.constData(), "le=\"+Inf\"", double(h.count));
    sample(out, (QByteArray(name) + "_sum").constData(), {}, h.sumSeconds);
    sample(out, (QByteArray(name) + "_count").constData(), {}, double(h.count));
}

} // namespace

QByteArray render(const MetricsFigures &figures)
{
    QByteArray out;
    family(out, "hooktrail_requests_total", "counter",
        "Requests committed to the log since the process started, by webhook and outcome.");
    QList<QPair<QString, bool>> keys = figures.log.byWebhook.keys();
    std::sort(keys.begin(), keys.end());
    for (const auto &key : std::as_const(keys)) {
        const QByteArray labels = "webhook=\"" + escapeLabel(key.first) + "\",name=\""
            + escapeLabel(figures.webhookNames.value(key.first)) + "\",outcome=\""
            + (key.second ? "accepted" : "rejected") + '"';
        sample(out, "hooktrail_requests_total", labels, double(figures.log.byWebhook.value(key)));
    }
    family(out, "hooktrail_requests_rejected_total", "counter",
        "Rejected requests committed to the log since the process started, by reason code.");
    QList<QByteArray> reasons = figures.log.rejectedByReason.keys();
    std::sort(reasons.begin(), reasons.end());
    for (const QByteArray &reason : std::as_const(reasons))
        sample(out, "hooktrail_requests_rejected_total",
            "reason=\"" + escapeLabel(QString::fromLatin1(reason)) + '"',
            double(figures.log.rejectedByReason.value(reason)));
    histogram(out, "hooktrail_answer_latency_seconds",
        "From a request's first byte to its answer: handling plus the wait for its commit.",
        figures.log.answer);
    histogram(out, "hooktrail_commit_latency_seconds",
        "From a request's entry in the writer's queue to its commit.", figures.log.commit);
    gauge(out, "hooktrail_writer_queue_depth", "Entries waiting for the log writer's next commit.",
        figures.writerQueue);
    gauge(out, "hooktrail_open_connections", "Connections open on the ingest port.",
        figures.openConnections);
    gauge(out, "hooktrail_database_size_bytes", "What the database takes on disk.",
        figures.databaseBytes);
    gauge(out, "hooktrail_search_index_backlog", "Logged requests not yet in the search index.",
        figures.searchBacklog);
    gauge(out, "hooktrail_deliveries_unfinished", "Deliveries pending or being retried.",
        figures.unfinishedDeliveries);
    family(out, "hooktrail_delivery_attempts_total", "counter",
        "Delivery attempts recorded since the process started, by what they ended in.");
    sample(out, "hooktrail_delivery_attempts_total", "result=\"delivered\"",
        double(figures.delivered));
    sample(out, "hooktrail_delivery_attempts_total", "result=\"retrying\"",
        double(figures.deliveryRetries));
    sample(out, "hooktrail_delivery_attempts_total", "result=\"failed\"",
        double(figures.deliveryFailures));
    gauge(out, "hooktrail_api_streams", "Long polls and event streams open on the local API.",
        figures.apiStreams);
    return out;
}

} // namespace Hooktrail::Metrics
