// The history table's first column layout (see the header).
#include "ui/historycolumns.h"

#include "core/endpoint/reasontext.h"
#include "ui/requesttablemodel.h"

#include <QHeaderView>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTableView>

namespace Hooktrail::HistoryColumns {

namespace {

class MiddleElision final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideMiddle;
    }
};

} // namespace

void setUp(QTableView *table)
{
    QHeaderView *columns = table->horizontalHeader();
    const QFontMetrics metrics = table->fontMetrics();
    const int digit = metrics.horizontalAdvance(QLatin1Char('0'));
    const int padding = 2 * table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + digit * 2;
    const auto fit = [&metrics, padding](const QString &typical) {
        return metrics.horizontalAdvance(typical) + padding;
    };
    columns->resizeSection(RequestTableModel::TimeColumn, fit(QStringLiteral("12-31 23:59")));
    columns->resizeSection(RequestTableModel::WebhookColumn, digit * 15);
    columns->resizeSection(RequestTableModel::MethodColumn, fit(QStringLiteral("DELETE")));
    // Two thirds of an endpoint's path (a slash and the webhook's UUID): cut in the middle, it
    // still shows how the id starts and how the path ends.
    columns->resizeSection(
        RequestTableModel::PathColumn, fit(QStringLiteral("/9f1c6e1a-3b2d-4c5e-8f7a")));
    columns->resizeSection(RequestTableModel::ClientColumn, fit(QStringLiteral("203.0.113.255")));
    columns->resizeSection(RequestTableModel::StatusColumn, fit(QStringLiteral("503")));
    // A common rejection in words, with its coloured dot; longer ones are cut, whole in the
    // tooltip.
    columns->resizeSection(RequestTableModel::OutcomeColumn,
        fit(RequestTableModel::tr("Rejected: %1").arg(Endpoint::reasonText("invalid_api_key")))
            + table->style()->pixelMetric(QStyle::PM_SmallIconSize) + digit);
    columns->resizeSection(
        RequestTableModel::ContentTypeColumn, fit(QStringLiteral("application/json")));
    columns->resizeSection(RequestTableModel::SizeColumn, fit(QStringLiteral("1,023.9 KiB")));
    columns->resizeSection(RequestTableModel::DeliveryColumn,
        fit(deliveryStateText(DeliveryState::Delivered))
            + table->style()->pixelMetric(QStyle::PM_SmallIconSize) + digit);
    for (int column = 0; column < RequestTableModel::ColumnCount; ++column) {
        if (columns->sectionSize(column) < columns->sectionSizeHint(column))
            columns->resizeSection(column, columns->sectionSizeHint(column));
    }
    int visual = 0;
    for (const int column : { RequestTableModel::TimeColumn, RequestTableModel::WebhookColumn,
             RequestTableModel::OutcomeColumn, RequestTableModel::DeliveryColumn,
             RequestTableModel::StatusColumn, RequestTableModel::MethodColumn,
             RequestTableModel::PathColumn, RequestTableModel::SizeColumn,
             RequestTableModel::ClientColumn, RequestTableModel::ContentTypeColumn })
        columns->moveSection(columns->visualIndex(column), visual++);
    table->setItemDelegateForColumn(RequestTableModel::PathColumn, new MiddleElision(table));
}

} // namespace Hooktrail::HistoryColumns
