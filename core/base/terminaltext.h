// Text bound for a terminal: what a sender wrote must not drive it.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Hooktrail::TerminalText {

// Writes every C0 control character but tab and newline (a CR only when a newline follows:
// CSV's record end), DEL and every C1 control (U+0080-U+009F, as UTF-8) as \u00HH. ESC, a bare
// CR or a C1 CSI written raw would move the cursor, clear the screen or rewrite what is shown.
// Valid JSON stays valid and means the same (JSON never holds a raw control character); other
// text shows the escapes. Returns utf8 itself, not copied, when it holds nothing to escape.
QByteArray neutralise(const QByteArray &utf8);
QString neutralise(const QString &text);

} // namespace Hooktrail::TerminalText
