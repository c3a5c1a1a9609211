// Copy buttons that say "Copied" for a moment on themselves, where the eye already is.
#pragma once

#include <QString>

class QPushButton;

namespace Hooktrail::CopyFeedback {

// Puts text on the clipboard and shows the feedback on button.
void copy(QPushButton *button, const QString &text);

} // namespace Hooktrail::CopyFeedback
