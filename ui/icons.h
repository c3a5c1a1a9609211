// The console's icons: the desktop theme's where it has one, Hooktrail's own drawings otherwise.
#pragma once

#include <QIcon>

namespace Hooktrail::Icons {

enum class Page { Connections, History, Settings };

enum class Action {
    Add,
    Edit,
    Toggle,
    Duplicate,
    Delete,
    CopyEndpoint,
    SendTest,
    Import,
    Export,
    CopyCurl,
    Replay,
    Refresh,
    Find,
    Copy,
    CreateKey,
    RevokeKey,
};

// The theme's icon of the freedesktop name for each, or the bundled drawing (resources/icons/),
// drawn in the palette's text colour so it reads on light and dark windows alike.
QIcon page(Page page);
QIcon action(Action action);

// The bundled drawing alone, whatever the theme (for a test or a preview).
QIcon bundled(const QString &name);

} // namespace Hooktrail::Icons
