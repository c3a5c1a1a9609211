// Copy buttons that say "Copied" for a moment on themselves, where the eye already is.
#include "ui/copyfeedback.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QPushButton>
#include <QTimer>

namespace Hooktrail::CopyFeedback {

namespace {
constexpr int CopiedFeedbackMs = 2000;
const char *const OriginalTextProperty = "hooktrailOriginalText";
const char *const CopySerialProperty = "hooktrailCopySerial";
} // namespace

void copy(QPushButton *button, const QString &text)
{
    QGuiApplication::clipboard()->setText(text);
    if (!button->property(OriginalTextProperty).isValid())
        button->setProperty(OriginalTextProperty, button->text());
    button->setText(QCoreApplication::translate("Hooktrail::CopyFeedback", "Copied"));
    // Another click restarts the feedback, so only the newest timer restores the text.
    const int serial = button->property(CopySerialProperty).toInt() + 1;
    button->setProperty(CopySerialProperty, serial);
    QTimer::singleShot(CopiedFeedbackMs, button, [button, serial] {
        if (button->property(CopySerialProperty).toInt() == serial)
            button->setText(button->property(OriginalTextProperty).toString());
    });
}

} // namespace Hooktrail::CopyFeedback
