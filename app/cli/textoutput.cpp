// What the commands print: JSON, times, and column tables for people at a terminal.
#include "app/cli/textoutput.h"

#include "core/base/terminaltext.h"

#include <QJsonDocument>
#include <QTextStream>

namespace Hooktrail::CommandLine {

QString json(const QJsonObject &object, bool indented)
{
    return QString::fromUtf8(
        QJsonDocument(object).toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact));
}

QString formatTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QStringLiteral("-");
}

QList<qsizetype> printTable(QTextStream &out, const QStringList &header, QList<QStringList> rows,
    const QList<qsizetype> &minimumWidths, bool withHeader)
{
    for (QStringList &row : rows) {
        for (QString &cell : row)
            cell = TerminalText::neutralise(cell);
    }
    QList<qsizetype> widths;
    for (qsizetype c = 0; c < header.size(); ++c)
        widths.append(std::max(header[c].size(), minimumWidths.value(c)));
    for (const QStringList &row : rows) {
        for (qsizetype c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    }
    const auto line = [&](const QStringList &cells) {
        for (qsizetype c = 0; c < cells.size(); ++c) {
            out << (c + 1 == cells.size() ? cells[c] : cells[c].leftJustified(widths[c] + 2));
        }
        out << '\n';
    };
    if (withHeader)
        line(header);
    for (const QStringList &row : rows)
        line(row);
    return widths;
}

} // namespace Hooktrail::CommandLine
