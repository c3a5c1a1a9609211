// Draws a cell's count with a small bar chart of its hourly buckets (the Connections list).
#pragma once

#include <QStyledItemDelegate>

namespace Hooktrail {

class SparklineDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SparklineDelegate)
public:
    // bucketsRole: the role that gives the cell's QList<int> of buckets, oldest first.
    explicit SparklineDelegate(int bucketsRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The bars for these buckets inside area, one per bucket; empty buckets get zero height.
    static QList<QRect> bars(const QList<int> &buckets, const QRect &area);

private:
    int m_bucketsRole;
};

} // namespace Hooktrail
