// Saving a file the user alone may read (exports hold bodies and secrets), whole or not at all.
#include "core/base/savetofile.h"

#include "core/base/privatefiles.h"

#include <QSaveFile>

namespace Hooktrail {

Status SaveToFile::save(const QString &path, const std::function<Status(QIODevice &)> &write)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(cannotWrite(path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (const Status status = write(file); !status) {
        file.cancelWriting();
        return status;
    }
    if (!file.commit())
        return Status::failure(cannotWrite(path, file.errorString()));
    PrivateFiles::restrict(path); // in case the folder's file system ignored the mode asked
    return {};
}

QString SaveToFile::cannotWrite(const QString &path, const QString &reason)
{
    return tr("%1 cannot be written: %2").arg(path, reason);
}

} // namespace Hooktrail
