// The history table's first column widths: typical content measured, titles never cut.
#include "ui/historycolumns.h"

#include "ui/requesttablemodel.h"

#include <QHeaderView>
#include <QStyle>
#include <QTableView>

namespace Hooktrail::HistoryColumns {

void setInitialWidths(QTableView *table)
{
    QHeaderView *columns = table->horizontalHeader();
    const QFontMetrics metrics = table->fontMetrics();
    const int digit = metrics.horizontalAdvance(QLatin1Char('0'));
    const int padding = 2 * table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + digit * 2;
    const auto fit = [&metrics, padding](const QString &typical) {
        return metrics.horizontalAdvance(typical) + padding;
    };
    columns->resizeSection(
        RequestTableModel::TimeColumn, fit(QStringLiteral("2026-12-31 23:59:59")));
    columns->resizeSection(RequestTableModel::WebhookColumn, digit * 17);
    columns->resizeSection(RequestTableModel::MethodColumn, fit(QStringLiteral("DELETE")));
    columns->resizeSection(RequestTableModel::ClientColumn, fit(QStringLiteral("203.0.113.255")));
    columns->resizeSection(RequestTableModel::StatusColumn, fit(QStringLiteral("503")));
    // The longer rejections, with their coloured dot.
    columns->resizeSection(RequestTableModel::OutcomeColumn,
        fit(RequestTableModel::tr("Rejected: %1").arg(QStringLiteral("method_not_allowed")))
            + table->style()->pixelMetric(QStyle::PM_SmallIconSize) + digit);
    columns->resizeSection(
        RequestTableModel::ContentTypeColumn, fit(QStringLiteral("application/json")));
    columns->resizeSection(RequestTableModel::SizeColumn, fit(QStringLiteral("1,023.9 KiB")));
    for (int column = 0; column < RequestTableModel::ColumnCount; ++column) {
        if (columns->sectionSize(column) < columns->sectionSizeHint(column))
            columns->resizeSection(column, columns->sectionSizeHint(column));
    }
}

} // namespace Hooktrail::HistoryColumns
