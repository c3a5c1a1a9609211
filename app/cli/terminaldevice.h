// Standard output when it is a terminal, neutralised as it is written.
#pragma once

#include <QIODevice>

namespace Hooktrail::CommandLine {

// Standard output when it is a terminal: the export as it is written, neutralised
// (TerminalText). The writer hands over whole pieces (a header, a record, an entry), so no UTF-8
// sequence is ever split between two writes.
class TerminalDevice final : public QIODevice
{
    Q_DISABLE_COPY_MOVE(TerminalDevice)
public:
    explicit TerminalDevice(QIODevice &target);

protected:
    qint64 readData(char *, qint64) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    QIODevice &m_target;
};

} // namespace Hooktrail::CommandLine
