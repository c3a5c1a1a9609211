// Asking before something that cannot be undone (deleting, revoking): one way across the console.
#pragma once

#include <QMessageBox>
#include <functional>

namespace Hooktrail {

// A window-modal warning, without a nested event loop, that deletes itself when closed. Cancel
// comes last and is the default and the escape, so a stray Enter does nothing harmful.
class Confirmation final
{
    Q_DISABLE_COPY_MOVE(Confirmation)
public:
    Confirmation(QWidget *parent, const QString &objectName, const QString &title,
        const QString &text, const QString &informativeText = {});

    // A button that does `onChosen` when it closes the box.
    QPushButton *addAction(const QString &text, QMessageBox::ButtonRole role,
        const QString &objectName, const std::function<void()> &onChosen);
    // Adds Cancel and shows the box; it is gone once answered.
    QMessageBox *open();

private:
    QWidget *m_parent;
    QMessageBox *m_box;
};

} // namespace Hooktrail
