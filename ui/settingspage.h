// The console's settings page.
#pragma once

#include "consolecontext.h"

#include <QWidget>

namespace Hooktrail {

class SettingsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsPage)
public:
    explicit SettingsPage(const ConsoleContext &context, QWidget *parent = nullptr);

private:
    ConsoleContext m_context;
};

} // namespace Hooktrail
