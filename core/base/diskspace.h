// Free space on the disk holding a path, for the log's keep-free floor.
#pragma once

#include <QString>

namespace Hooktrail::DiskSpace {

// Bytes an unprivileged writer may still use on the file system holding path (statvfs), or -1
// when it cannot be told. statvfs asks the file system itself, where QStorageInfo looks the
// path up among the mount points, which inside a chroot or some containers name no mount for it.
qint64 available(const QString &path);

} // namespace Hooktrail::DiskSpace
