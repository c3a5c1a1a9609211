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
// writes a control character to it.
void printTable(QTextStream &out, const QStringList &header, QList<QStringList> rows);

} // namespace Hooktrail::CommandLine
