// A small chart of requests over time for the history's filter: accepted and rejected stacked
// in each bar, drawn with QPainter in palette colours.
#pragma once

#include "core/store/storetypes.h"

#include <QList>
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
    int bucketAt(const QPoint &position) const; // -1 outside the bars

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRect plotRect() const;
    QString bucketText(int bucket) const;
    qint64 bucketEnd(int bucket) const;

    QList<HistogramBucket> m_buckets;
    qint64 m_endMicros = 0;
    qint64 m_accepted = 0;
    qint64 m_rejected = 0;
    qint64 m_max = 0;
    QString m_message;
};

} // namespace Hooktrail
