// The console's history page.
#pragma once

#include "consolecontext.h"

#include <QWidget>

namespace Hooktrail {

class HistoryPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryPage)
public:
    explicit HistoryPage(const ConsoleContext &context, QWidget *parent = nullptr);

private:
    ConsoleContext m_context;
};

} // namespace Hooktrail
