// Saving a file the user alone may read (exports hold bodies and secrets), whole or not at all.
#pragma once

#include "core/base/result.h"

#include <QCoreApplication>
#include <QIODevice>
#include <functional>

namespace Hooktrail {

class SaveToFile final
{
    Q_DECLARE_TR_FUNCTIONS(SaveToFile)
public:
    // Writes path through write(), 0600, beside the file and renamed at the end: a failed or
    // cancelled write (write() failing) never leaves half a file nor replaces the one there.
    // The error: write()'s own, or one naming the file.
    static Status save(const QString &path, const std::function<Status(QIODevice &)> &write);
    // "PATH cannot be written: REASON", for a writer that finds its device failing.
    static QString cannotWrite(const QString &path, const QString &reason);
};

} // namespace Hooktrail
