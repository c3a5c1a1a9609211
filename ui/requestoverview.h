// Sentences of the detail pane's overview that depend on how far a request got: what was kept
// of its body and what became of its key. Sentences for every case, the empty ones included.
#pragma once

#include "core/model/loggedrequest.h"

#include <QString>

namespace Hooktrail::RequestOverview {

// Size and type of the body, and what a refused request kept of it.
QString bodyText(const LoggedRequest &request);
// The key that matched (keyName: its prefix and name, when it still exists), or why none did.
QString keyText(const LoggedRequest &request, const QString &keyName);

} // namespace Hooktrail::RequestOverview
