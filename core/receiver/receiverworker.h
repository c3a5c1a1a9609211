// One connection-handling thread of the receiver: owns its connections, hands finished
// requests to the log writer and sends answers when their rows are committed.
#pragma once

#include "core/receiver/receiveroptions.h"
#include "core/store/logwriter.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <memory>
#include <mutex>

class QTimer;

namespace Hooktrail {

class ConfigCache;
class HttpConnection;
class TlsContext;
struct ReceiverStats;

// Completions from the writer thread wait here until this worker's thread picks them up.
class CompletionInbox final : public LogCompletionSink
{
public:
    explicit CompletionInbox(QObject *owner) : m_owner(owner) { }
    void deliver(QList<LogCompletion> completions) override;
    QList<LogCompletion> take();
    void detach();

private:
    std::mutex m_mutex;
    QList<LogCompletion> m_items;
    QObject *m_owner; // cleared by detach() before the owner goes away
    bool m_wakePending = false;
};

struct ReceiverContext
{
    ReceiverOptions options;
    LogWriter *writer = nullptr;
    ConfigCache *config = nullptr;
    std::shared_ptr<ReceiverStats> stats;
    std::shared_ptr<CompletionInbox> inbox;
    std::shared_ptr<const TlsContext> tls; // null when no listener speaks TLS
    QElapsedTimer clock; // monotonic time for timeouts
};

class ReceiverWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReceiverWorker)
public:
    ReceiverWorker(const ReceiverOptions &options, LogWriter *writer, ConfigCache *config,
        std::shared_ptr<ReceiverStats> stats, std::shared_ptr<const TlsContext> tls = {});
    ~ReceiverWorker() override;

    // Called on this worker's thread.
    Q_INVOKABLE void adopt(qintptr descriptor, bool tls = false);
    Q_INVOKABLE void start();
    Q_INVOKABLE void shutdown();
    Q_INVOKABLE void drainCompletions();

private:
    void sweep();
    void forget(quint64 id);

    ReceiverContext m_context;
    QHash<quint64, HttpConnection *> m_connections;
    quint64 m_nextId = 1;
    QTimer *m_sweepTimer = nullptr;
};

} // namespace Hooktrail
