// What the commands print: JSON, times, and column tables for people at a terminal.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

class QTextStream;

namespace Hooktrail::CommandLine {

QString json(const QJsonObject &object, bool indented = true);
QString formatTime(const QDateTime &time); // UTC, ISO 8601; "-" for none

// A column layout for the plain-text listings, which are for people at a terminal: no cell
// writes a control character to it. Columns are at least `minimumWidths` wide; the widths
// used come back, so rows printed later (log --follow) line up under the same header.
QList<qsizetype> printTable(QTextStream &out, const QStringList &header, QList<QStringList> rows,
    const QList<qsizetype> &minimumWidths = {}, bool withHeader = true);

} // namespace Hooktrail::CommandLine
