// The console's connections page.
#pragma once

#include "consolecontext.h"

#include <QWidget>

namespace Hooktrail {

class ConnectionsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionsPage)
public:
    explicit ConnectionsPage(const ConsoleContext &context, QWidget *parent = nullptr);

private:
    ConsoleContext m_context;
};

} // namespace Hooktrail
