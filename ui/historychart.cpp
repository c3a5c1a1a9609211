// A small chart of requests over time for the history's filter: accepted and rejected stacked
// in each bar, drawn with QPainter in palette colours.
#include "ui/historychart.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

namespace Hooktrail {

namespace {

constexpr int Margin = 4;
constexpr qint64 DayMicros = qint64(24) * 3600 * 1000000;

// No palette role means "refused": as for error text, the red is chosen against the window
// colour, dark on a light background and light on a dark one.
QColor rejectedColour(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(255, 138, 128)
                                                             : QColor(176, 0, 32);
}

QString timeText(qint64 micros, bool withDate)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC).toLocalTime();
    return withDate ? QLocale().toString(local, QLocale::ShortFormat)
                    : QLocale().toString(local.time(), QLocale::ShortFormat);
}

} // namespace

HistoryChart::HistoryChart(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("historyChart"));
    setAccessibleName(tr("Requests over time"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

QSize HistoryChart::sizeHint() const
{
    return { 400, fontMetrics().height() * 2 + 64 };
}

QSize HistoryChart::minimumSizeHint() const
{
    return { 120, fontMetrics().height() * 2 + 32 };
}

void HistoryChart::setBuckets(const QList<HistogramBucket> &buckets, qint64 endMicros)
{
    m_buckets = buckets;
    m_endMicros = endMicros;
    m_message.clear();
    m_accepted = m_rejected = m_max = 0;
    for (const HistogramBucket &bucket : buckets) {
        m_accepted += bucket.accepted;
        m_rejected += bucket.rejected;
        m_max = std::max(m_max, bucket.accepted + bucket.rejected);
    }
    setAccessibleDescription(
        tr("%1 accepted and %2 rejected requests in the period shown")
            .arg(QLocale().toString(m_accepted), QLocale().toString(m_rejected)));
    update();
}

void HistoryChart::setMessage(const QString &message)
{
    m_message = message;
    setAccessibleDescription(message);
    update();
}

QRect HistoryChart::plotRect() const
{
    const int line = fontMetrics().height();
    return rect().adjusted(Margin, line + Margin, -Margin, -(line + Margin));
}

qint64 HistoryChart::bucketEnd(int bucket) const
{
    return bucket + 1 < m_buckets.size() ? m_buckets.at(bucket + 1).startMicros : m_endMicros;
}

int HistoryChart::bucketAt(const QPoint &position) const
{
    const QRect plot = plotRect();
    if (m_buckets.isEmpty() || !plot.contains(position))
        return -1;
    const int bucket
        = int(qint64(position.x() - plot.left()) * m_buckets.size() / std::max(1, plot.width()));
    return std::clamp(bucket, 0, int(m_buckets.size()) - 1);
}

QString HistoryChart::bucketText(int bucket) const
{
    const HistogramBucket &b = m_buckets.at(bucket);
    const bool withDate = bucketEnd(bucket) - b.startMicros >= DayMicros
        || QDateTime::fromMSecsSinceEpoch(b.startMicros / 1000).date()
            != QDateTime::currentDateTime().date();
    return tr("%1 – %2\nAccepted: %3\nRejected: %4")
        .arg(timeText(b.startMicros, withDate), timeText(bucketEnd(bucket), withDate),
            QLocale().toString(b.accepted), QLocale().toString(b.rejected));
}

bool HistoryChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int bucket = bucketAt(help->pos());
        if (bucket >= 0)
            QToolTip::showText(help->globalPos(), bucketText(bucket), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void HistoryChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QPalette &pal = palette();
    const QRect plot = plotRect();
    const int line = fontMetrics().height();
    painter.setPen(pal.color(QPalette::Mid));
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());

    const QColor acceptedColour = pal.color(QPalette::Highlight);
    const QColor rejected = rejectedColour(pal);
    const QColor muted = pal.color(QPalette::PlaceholderText);

    if (!m_message.isEmpty() || m_buckets.isEmpty()) {
        painter.setPen(muted);
        painter.drawText(plot, Qt::AlignCenter,
            m_message.isEmpty() ? tr("No requests in this period") : m_message);
        return;
    }

    // Legend and scale along the top.
    const QRect top(Margin, 0, width() - 2 * Margin, line + Margin);
    int x = top.left();
    const auto legend = [&](const QColor &colour, const QString &text) {
        const int box = fontMetrics().ascent() - 2;
        painter.fillRect(QRect(x, top.center().y() - box / 2, box, box), colour);
        x += box + 4;
        painter.setPen(pal.color(QPalette::WindowText));
        painter.drawText(
            QRect(x, top.top(), width(), top.height()), Qt::AlignVCenter | Qt::AlignLeft, text);
        x += fontMetrics().horizontalAdvance(text) + 12;
    };
    legend(acceptedColour, tr("Accepted %1").arg(QLocale().toString(m_accepted)));
    legend(rejected, tr("Rejected %1").arg(QLocale().toString(m_rejected)));
    painter.setPen(muted);
    painter.drawText(top, Qt::AlignVCenter | Qt::AlignRight,
        tr("max %1 per bar").arg(QLocale().toString(m_max)));

    // Bars: rejected stacked on accepted, heights relative to the busiest bucket.
    const int count = int(m_buckets.size());
    const double slot = double(plot.width()) / count;
    const double gap = slot > 4 ? 1.0 : 0.0;
    for (int i = 0; i < count && m_max > 0; ++i) {
        const HistogramBucket &bucket = m_buckets.at(i);
        const double left = plot.left() + i * slot;
        const double acceptedHeight = double(bucket.accepted) / double(m_max) * plot.height();
        const double rejectedHeight = double(bucket.rejected) / double(m_max) * plot.height();
        const double bottom = plot.bottom() + 1;
        painter.fillRect(
            QRectF(left, bottom - acceptedHeight, slot - gap, acceptedHeight), acceptedColour);
        painter.fillRect(
            QRectF(left, bottom - acceptedHeight - rejectedHeight, slot - gap, rejectedHeight),
            rejected);
    }

    // Time axis: where the period starts and ends.
    const qint64 start = m_buckets.constFirst().startMicros;
    const bool withDate = m_endMicros - start >= DayMicros;
    const QRect bottom(Margin, plot.bottom() + 2, width() - 2 * Margin, line);
    painter.setPen(muted);
    painter.drawText(bottom, Qt::AlignLeft | Qt::AlignVCenter, timeText(start, withDate));
    painter.drawText(bottom, Qt::AlignRight | Qt::AlignVCenter, timeText(m_endMicros, withDate));
}

} // namespace Hooktrail
