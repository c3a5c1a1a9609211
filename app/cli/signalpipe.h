// SIGINT and SIGTERM delivered to the event loop, so `serve` can end cleanly.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace Hooktrail::CommandLine {

// A signal handler may do next to nothing: it writes a byte to a pipe, and a socket notifier
// turns that byte into terminationRequested() on the event loop, where the queued log rows can
// still be written before the process ends. One at a time: the handler knows one pipe.
class SignalPipe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalPipe)
public:
    // Catches SIGINT and SIGTERM until destroyed; without a pipe they keep their default action.
    explicit SignalPipe(QObject *parent = nullptr);
    ~SignalPipe() override;

signals:
    void terminationRequested();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Hooktrail::CommandLine
