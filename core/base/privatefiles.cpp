// The data folder and the files holding requests are the user's alone: every body is in them.
#include "core/base/privatefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <sys/stat.h>
#include <unistd.h>

namespace Hooktrail::PrivateFiles {

bool createFolder(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return true;
    const QString absolute = info.absoluteFilePath();
    if (!QDir().mkpath(QFileInfo(absolute).absolutePath()))
        return false;
    // Created 0700 at once, not tightened later: no moment where others can look in.
    return QDir().mkdir(absolute, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)
        || QFileInfo(absolute).isDir();
}

std::optional<unsigned> restrict(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    struct stat status;
    if (::stat(name.constData(), &status) != 0 || status.st_uid != ::geteuid())
        return std::nullopt;
    const unsigned mode = status.st_mode & 07777;
    if ((mode & 077) == 0)
        return std::nullopt;
    if (::chmod(name.constData(), mode & 0700) != 0)
        return std::nullopt;
    return mode;
}

QString modeText(unsigned mode)
{
    return QStringLiteral("%1").arg(mode, 4, 8, QLatin1Char('0'));
}

} // namespace Hooktrail::PrivateFiles
