// The console's history page.
#include "historypage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace Hooktrail {

HistoryPage::HistoryPage(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("history"), this));
}

} // namespace Hooktrail
