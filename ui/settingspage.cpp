// The console's settings page.
#include "settingspage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace Hooktrail {

SettingsPage::SettingsPage(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("settings"), this));
}

} // namespace Hooktrail
