// Asking before something that cannot be undone (deleting, revoking): one way across the console.
#include "ui/confirmation.h"

#include <QPushButton>

namespace Hooktrail {

Confirmation::Confirmation(QWidget *parent, const QString &objectName, const QString &title,
    const QString &text, const QString &informativeText)
    : m_parent(parent)
    , m_box(new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::NoButton, parent))
{
    m_box->setObjectName(objectName);
    m_box->setAttribute(Qt::WA_DeleteOnClose);
    if (!informativeText.isEmpty())
        m_box->setInformativeText(informativeText);
}

QPushButton *Confirmation::addAction(const QString &text, QMessageBox::ButtonRole role,
    const QString &objectName, const std::function<void()> &onChosen)
{
    QPushButton *button = m_box->addButton(text, role);
    button->setObjectName(objectName);
    QObject::connect(
        m_box, &QMessageBox::buttonClicked, m_parent, [button, onChosen](QAbstractButton *clicked) {
            if (clicked == button)
                onChosen();
        });
    return button;
}

QMessageBox *Confirmation::open()
{
    QPushButton *cancel = m_box->addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    m_box->setDefaultButton(cancel);
    m_box->setEscapeButton(cancel);
    m_box->open();
    return m_box;
}

} // namespace Hooktrail
