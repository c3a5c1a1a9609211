// Draws a cell's count with a small bar chart of its hourly buckets (the Connections list).
#include "ui/sparklinedelegate.h"

#include <QApplication>
#include <QPainter>
#include <algorithm>

namespace Hooktrail {

namespace {
constexpr int Margin = 3;
constexpr int BarPitch = 3; // pixels per bucket at the preferred width
} // namespace

SparklineDelegate::SparklineDelegate(int bucketsRole, QObject *parent)
    : QStyledItemDelegate(parent), m_bucketsRole(bucketsRole)
{ }

QList<QRect> SparklineDelegate::bars(const QList<int> &buckets, const QRect &area)
{
    QList<QRect> out;
    if (buckets.isEmpty() || area.width() < buckets.size() || area.height() < 1)
        return out;
    const int highest = std::max(1, *std::max_element(buckets.cbegin(), buckets.cend()));
    const qsizetype count = buckets.size();
    for (qsizetype i = 0; i < count; ++i) {
        const int left = area.left() + int(i * area.width() / count);
        const int right = area.left() + int((i + 1) * area.width() / count);
        // A gap between bars when there is room for one; a busy hour still shows at full height.
        const int width = std::max(1, right - left - (right - left > 1 ? 1 : 0));
        const int value = std::max(0, buckets.at(i));
        const int height
            = value == 0 ? 0 : std::max(1, int(qint64(value) * area.height() / highest));
        out.append(QRect(left, area.bottom() - height + 1, width, height));
    }
    return out;
}

void SparklineDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    // Background, focus and selection as in every other cell; the count stays right-aligned.
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QList<int> buckets = index.data(m_bucketsRole).value<QList<int>>();
    if (buckets.isEmpty())
        return;
    const int textWidth = opt.fontMetrics.horizontalAdvance(opt.text) + 3 * Margin;
    QRect area = opt.rect.adjusted(Margin, Margin + 1, -textWidth, -Margin);
    area.setWidth(std::min<int>(area.width(), int(buckets.size()) * BarPitch * 2));
    const QList<QRect> rects = bars(buckets, area);
    if (rects.isEmpty())
        return;

    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
        : (opt.state & QStyle::State_Active)                                ? QPalette::Active
                                                                            : QPalette::Inactive;
    const bool selected = opt.state & QStyle::State_Selected;
    // Highlight on the base colour, or the highlighted text colour on a selected row: palette
    // pairs chosen to contrast, so light and dark themes both read.
    const QColor bar
        = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Highlight);
    QColor baseline = opt.palette.color(
        group, selected ? QPalette::HighlightedText : QPalette::PlaceholderText);
    baseline.setAlphaF(0.5f);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->fillRect(QRect(area.left(), area.bottom(), area.width(), 1), baseline);
    for (const QRect &rect : rects) {
        if (!rect.isEmpty())
            painter->fillRect(rect, bar);
    }
    painter->restore();
}

QSize SparklineDelegate::sizeHint(
    const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const qsizetype buckets = index.data(m_bucketsRole).value<QList<int>>().size();
    size.rwidth() += int(buckets) * BarPitch + 3 * Margin;
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + 2 * Margin));
    return size;
}

} // namespace Hooktrail
