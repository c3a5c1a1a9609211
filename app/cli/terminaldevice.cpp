// Standard output when it is a terminal, neutralised as it is written.
#include "app/cli/terminaldevice.h"

#include "core/base/terminaltext.h"

namespace Hooktrail::CommandLine {

TerminalDevice::TerminalDevice(QIODevice &target) : m_target(target)
{
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

qint64 TerminalDevice::readData(char *, qint64)
{
    return -1;
}

qint64 TerminalDevice::writeData(const char *data, qint64 size)
{
    const QByteArray safe = TerminalText::neutralise(QByteArray::fromRawData(data, size));
    if (m_target.write(safe) != safe.size()) {
        setErrorString(m_target.errorString());
        return -1;
    }
    return size;
}

} // namespace Hooktrail::CommandLine
