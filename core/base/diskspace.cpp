#include "core/base/diskspace.h"

#include <QFile>

#include <sys/statvfs.h>

namespace Hooktrail::DiskSpace {

qint64 available(const QString &path)
{
    struct statvfs info
    {
    };
    if (::statvfs(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return qint64(info.f_bavail) * qint64(info.f_frsize);
}

} // namespace Hooktrail::DiskSpace
