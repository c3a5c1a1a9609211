// The console's languages: which ship, and loading the one the user chose (or the system's).
#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace Hooktrail::Languages {

// (code, native name) of every shipped language; "" stands for the system's.
QList<QPair<QString, QString>> available();
// Installs translators for `code` ("" follows the system locale); returns the code in effect.
QString install(const QString &code);

} // namespace Hooktrail::Languages
