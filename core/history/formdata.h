// application/x-www-form-urlencoded text (a form body or a query string), decoded for display.
#pragma once

#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace Hooktrail {

// The name/value pairs in order: '+' read as a space, percent-escapes undone, the bytes then
// read as received text (UTF-8 when they are, else Latin-1). Empty parts are skipped; a part
// without '=' has an empty value.
QList<QPair<QString, QString>> formFields(QByteArrayView encoded);

} // namespace Hooktrail
