// A key just created, shown once with its Copy button: in Settings' keys manager and in the
// endpoint modal alike, so both say the same about keeping it.
#include "ui/newkeypanel.h"

#include "ui/icons.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Hooktrail {

NewKeyPanel::NewKeyPanel(Dismiss dismiss, QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(this))
    , m_secretEdit(new QLineEdit(this))
    , m_copyButton(new QPushButton(tr("C&opy"), this))
    , m_copyFeedback(new QLabel(this))
{
    setObjectName(QStringLiteral("newKeyPanel"));
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::AlternateBase);
    setAutoFillBackground(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("newKeyTitle"));
    auto *warning = new QLabel(
        tr("Copy this key now; Hooktrail keeps only its hash and cannot show it again."), this);
    warning->setObjectName(QStringLiteral("newKeyWarning"));
    warning->setWordWrap(true);
    m_secretEdit->setObjectName(QStringLiteral("newKeyEdit"));
    m_secretEdit->setAccessibleName(tr("New API key"));
    m_secretEdit->setReadOnly(true);
    m_secretEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_copyButton->setObjectName(QStringLiteral("copyKeyButton"));
    m_copyButton->setIcon(Icons::action(Icons::Action::Copy));
    m_copyButton->setAccessibleName(tr("Copy the new key"));
    m_copyButton->setToolTip(tr("Puts the whole key on the clipboard"));
    m_copyButton->setAutoDefault(false);
    m_copyFeedback->setObjectName(QStringLiteral("copyKeyFeedback"));
    m_copyFeedback->setForegroundRole(QPalette::PlaceholderText);
    connect(m_copyButton, &QPushButton::clicked, this, &NewKeyPanel::copy);

    auto *secretRow = new QHBoxLayout;
    secretRow->addWidget(m_secretEdit, 1);
    secretRow->addWidget(m_copyButton);
    if (dismiss == Dismiss::Offered) {
        m_doneButton = new QPushButton(tr("&Done"), this);
        m_doneButton->setObjectName(QStringLiteral("dismissKeyButton"));
        m_doneButton->setAccessibleName(tr("Done with the new key"));
        m_doneButton->setToolTip(tr("Hides the key; it cannot be shown again"));
        m_doneButton->setAutoDefault(false);
        connect(m_doneButton, &QPushButton::clicked, this, &NewKeyPanel::dismiss);
        secretRow->addWidget(m_doneButton);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(warning);
    layout->addLayout(secretRow);
    layout->addWidget(m_copyFeedback);
    hide();
}

void NewKeyPanel::present(const QString &secret, const QString &name)
{
    m_title->setText(tr("New key “%1”").arg(name));
    m_secretEdit->setText(secret);
    m_secretEdit->setCursorPosition(0);
    m_copyFeedback->clear();
    show();
    m_copyButton->setFocus();
}

QString NewKeyPanel::secret() const
{
    return m_secretEdit->text();
}

void NewKeyPanel::copy()
{
    QGuiApplication::clipboard()->setText(m_secretEdit->text());
    m_copyFeedback->setText(tr("Copied to the clipboard."));
}

void NewKeyPanel::dismiss()
{
    m_secretEdit->clear();
    m_copyFeedback->clear();
    hide();
    emit dismissed();
}

} // namespace Hooktrail
