// The data folder and the files holding requests are the user's alone: every body is in them.
#pragma once

#include <QString>
#include <optional>

namespace Hooktrail::PrivateFiles {

// Creates the folder 0700 (and the missing folders above it as usual); true when it exists.
bool createFolder(const QString &path);
// Takes the group and others' permissions off an existing file or folder. Returns the mode it
// had when they had any, so the caller can say so; nullopt when nothing changed (already
// private, missing, or not the user's to change).
std::optional<unsigned> restrict(const QString &path);
// A mode as chmod writes it: 0755.
QString modeText(unsigned mode);

} // namespace Hooktrail::PrivateFiles
