// A small chart of requests over time for the history's filter: accepted and rejected stacked
// in each bar, drawn with QPainter in palette colours, oldest on the left. Dragging across it
// selects a period, which the page turns into the filter's time range.
#pragma once

#include "core/store/storetypes.h"

#include <QList>
#include <QPair>
#include <QWidget>

namespace Hooktrail {

class HistoryChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryChart)
public:
    static constexpr int BucketCount = 48;

    explicit HistoryChart(QWidget *parent = nullptr);

    // Buckets of equal width, oldest first; endMicros closes the last one.
    void setBuckets(const QList<HistogramBucket> &buckets, qint64 endMicros);
    void setMessage(const QString &message); // shown instead of bars ("Loading…", an error)
    const QList<HistogramBucket> &buckets() const { return m_buckets; }
    qint64 accepted() const { return m_accepted; }
    qint64 rejected() const { return m_rejected; }
    qint64 endMicros() const { return m_endMicros; }
    int bucketAt(const QPoint &position) const; // -1 outside the bars
    qint64 bucketEnd(int bucket) const;

    // The time axis at the current width: each label's x (its centre) and text, left to right,
    // from the period's start to its end, no two alike and none overlapping.
    struct AxisLabel
    {
        int x = 0;
        qint64 micros = 0;
        QString text;
    };
    QList<AxisLabel> axisLabels() const;
    // The buckets a drag is selecting, first <= last; (-1, -1) when none.
    QPair<int, int> selection() const { return { m_dragFirst, m_dragLast }; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    // The user dragged across the bars (or clicked one): the period they cover, [since, until).
    void rangeSelected(qint64 sinceMicros, qint64 untilMicros);

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    QRect plotRect() const;
    QString bucketText(int bucket) const;
    int bucketNear(int x) const; // the bucket under x, clamped to the bars
    void endDrag();

    QList<HistogramBucket> m_buckets;
    qint64 m_endMicros = 0;
    qint64 m_accepted = 0;
    qint64 m_rejected = 0;
    qint64 m_max = 0;
    QString m_message;
    int m_dragAnchor = -1; // the bucket the drag started on
    int m_dragFirst = -1;
    int m_dragLast = -1;
};

} // namespace Hooktrail
