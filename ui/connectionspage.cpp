// The console's connections page.
#include "connectionspage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace Hooktrail {

ConnectionsPage::ConnectionsPage(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("connections"), this));
}

} // namespace Hooktrail
