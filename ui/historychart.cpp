// A small chart of requests over time for the history's filter (see the header).
#include "ui/historychart.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
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

QDateTime localOf(qint64 micros)
{
    return QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC).toLocalTime();
}

QString timeText(qint64 micros, bool withDate)
{
    const QDateTime local = localOf(micros);
    return withDate ? QLocale().toString(local, QLocale::ShortFormat)
                    : QLocale().toString(local.time(), QLocale::ShortFormat);
}

// How a time reads on an axis spanning `span`: with seconds under two minutes, with the date
// from a day, the date alone from a week.
QString axisText(qint64 micros, qint64 span)
{
    const QLocale locale;
    const QDateTime local = localOf(micros);
    if (span >= 7 * DayMicros)
        return locale.toString(local.date(), QLocale::ShortFormat);
    if (span >= DayMicros)
        return locale.toString(local, QLocale::ShortFormat);
    if (span >= 2 * 60 * qint64(1000000))
        return locale.toString(local.time(), QLocale::ShortFormat);
    QString format = locale.timeFormat(QLocale::ShortFormat);
    if (!format.contains(QLatin1String("ss")))
        format.replace(QLatin1String("mm"), QLatin1String("mm:ss"));
    return locale.toString(local.time(), format);
}

} // namespace

HistoryChart::HistoryChart(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("historyChart"));
    setAccessibleName(tr("Requests over time"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setFocusPolicy(Qt::ClickFocus); // Esc ends a drag
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

int HistoryChart::bucketNear(int x) const
{
    const QRect plot = plotRect();
    return bucketAt(QPoint(std::clamp(x, plot.left(), plot.right()), plot.center().y()));
}

QList<HistoryChart::AxisLabel> HistoryChart::axisLabels() const
{
    QList<AxisLabel> labels;
    if (m_buckets.isEmpty())
        return labels;
    const QRect plot = plotRect();
    const qint64 start = m_buckets.constFirst().startMicros;
    const qint64 span = std::max<qint64>(1, m_endMicros - start);
    // As many labels as fit with room between them, from 2 to 7, evenly spaced.
    const QFontMetrics metrics = fontMetrics();
    const int gap = metrics.averageCharWidth() * 3;
    const int sample = metrics.horizontalAdvance(axisText(m_endMicros, span));
    const int count = std::clamp(plot.width() / std::max(1, sample + gap), 2, 7);
    const auto at = [&](int i) {
        AxisLabel label;
        label.micros = start + span * i / (count - 1);
        label.x = plot.left() + int(qint64(plot.width()) * i / (count - 1));
        label.text = axisText(label.micros, span);
        return label;
    };
    // Where a label is drawn: centred on its x, kept inside the widget.
    const auto left = [&](const AxisLabel &label) {
        const int width = metrics.horizontalAdvance(label.text);
        return std::clamp(
            label.x - width / 2, Margin, std::max(Margin, this->width() - Margin - width));
    };
    // A label that reads like its neighbour says nothing new; one that would touch it does not fit.
    const auto fitsAfter = [&](const AxisLabel &before, const AxisLabel &label) {
        return label.text != before.text
            && left(label) >= left(before) + metrics.horizontalAdvance(before.text) + gap;
    };
    labels.append(at(0));
    const AxisLabel end = at(count - 1);
    for (int i = 1; i < count - 1; ++i) {
        const AxisLabel label = at(i);
        if (fitsAfter(labels.constLast(), label) && fitsAfter(label, end))
            labels.append(label);
    }
    // The period's end is always named, unless it reads as its start.
    if (fitsAfter(labels.constLast(), end) || end.text != labels.constFirst().text) {
        while (labels.size() > 1 && !fitsAfter(labels.constLast(), end))
            labels.removeLast();
        if (fitsAfter(labels.constLast(), end))
            labels.append(end);
    }
    return labels;
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
    return tr("%1 – %2\nAccepted: %3\nRejected: %4\nDrag across the bars to show that period.")
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

void HistoryChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_buckets.isEmpty() || !m_message.isEmpty()
        || bucketAt(event->position().toPoint()) < 0) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_dragAnchor = m_dragFirst = m_dragLast = bucketAt(event->position().toPoint());
    update();
}

void HistoryChart::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragAnchor < 0)
        return QWidget::mouseMoveEvent(event);
    const int bucket = bucketNear(event->position().toPoint().x());
    m_dragFirst = std::min(m_dragAnchor, bucket);
    m_dragLast = std::max(m_dragAnchor, bucket);
    update();
}

void HistoryChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragAnchor < 0 || event->button() != Qt::LeftButton)
        return QWidget::mouseReleaseEvent(event);
    const qint64 since = m_buckets.at(m_dragFirst).startMicros;
    const qint64 until = bucketEnd(m_dragLast);
    endDrag();
    emit rangeSelected(since, until);
}

void HistoryChart::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && m_dragAnchor >= 0) {
        endDrag();
        return;
    }
    QWidget::keyPressEvent(event);
}

void HistoryChart::endDrag()
{
    m_dragAnchor = m_dragFirst = m_dragLast = -1;
    update();
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

    // The period a drag is selecting.
    if (m_dragFirst >= 0) {
        QColor shade = pal.color(QPalette::Highlight);
        shade.setAlpha(60);
        const QRectF selected(plot.left() + m_dragFirst * slot, plot.top(),
            (m_dragLast - m_dragFirst + 1) * slot, plot.height() + 1);
        painter.fillRect(selected, shade);
        painter.setPen(pal.color(QPalette::Highlight));
        painter.drawRect(selected.adjusted(0, 0, -1, -1));
    }

    // Time axis, oldest on the left.
    painter.setPen(muted);
    const QList<AxisLabel> labels = axisLabels();
    for (int i = 0; i < labels.size(); ++i) {
        const AxisLabel &label = labels.at(i);
        const int labelWidth = fontMetrics().horizontalAdvance(label.text);
        const int left = std::clamp(
            label.x - labelWidth / 2, Margin, std::max(Margin, width() - Margin - labelWidth));
        painter.drawText(
            QRect(left, plot.bottom() + 2, labelWidth, line), Qt::AlignCenter, label.text);
    }
}

} // namespace Hooktrail
