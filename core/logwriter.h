// The request log's writer: one thread that commits whatever arrived meanwhile in one
// transaction (group commit), then tells each submitter its row id.
#pragma once

#include "loggedrequest.h"

#include <QDateTime>
#include <QObject>
#include <QThread>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace Hooktrail {

class Store;

struct LogCompletion
{
    quint64 connection = 0;
    quint64 token = 0;
    qint64 id = 0;   // the committed row's id; 0 when the write failed
};

// Where completions go: a receiver thread's inbox. Called on the writer thread.
class LogCompletionSink
{
public:
    virtual ~LogCompletionSink() = default;
    virtual void deliver(QList<LogCompletion> completions) = 0;
};

struct LogWriterLimits
{
    qsizetype maxQueued = 50000;                 // entries waiting for a commit
    qint64 maxQueuedBytes = 512LL * 1024 * 1024; // their bodies and headers
    int maxBatch = 4096;                         // rows per transaction
};

class LogWriter final : public QThread
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogWriter)
public:
    using Limits = LogWriterLimits;

    // Opens the store on the writer thread: the connection belongs to that thread.
    using StoreFactory = std::function<std::unique_ptr<Store>(QString *error)>;
    explicit LogWriter(StoreFactory factory, Limits limits = {}, QObject *parent = nullptr);
    ~LogWriter() override;

    // Thread-safe. False when the queue is full (the caller answers 503 overloaded).
    bool submit(LoggedRequest entry, const std::shared_ptr<LogCompletionSink> &sink,
                quint64 connection, quint64 token);
    // Writes what is queued, then ends the thread.
    void stop();

    // Thread-safe. Applies retention (Store::applyRetention) on the checkpoint thread now and
    // then every `interval`; days and count 0 turn it off.
    void setRetention(
        int days, qint64 count, std::chrono::milliseconds interval = std::chrono::minutes(10));

    qint64 committedCount() const { return m_committed.loadRelaxed(); }
    qint64 failedCount() const { return m_failed.loadRelaxed(); }

signals:
    void committed(qint64 lastId, int rows);       // emitted on the writer thread
    void storageFailed(const QString &error);
    void storageRecovered();
    void retentionRan(const QDateTime &at, qint64 removed); // emitted on the checkpoint thread

protected:
    void run() override;

private:
    struct Ticket
    {
        LoggedRequest entry;
        std::shared_ptr<LogCompletionSink> sink;
        quint64 connection;
        quint64 token;
        qint64 bytes;
    };
    void writeBatch(std::deque<Ticket> &batch);
    void checkpointLoop();

    StoreFactory m_factory;
    Limits m_limits;
    std::unique_ptr<Store> m_store;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Ticket> m_queue;
    qint64 m_queuedBytes = 0;
    bool m_stopping = false;
    bool m_failing = false;
    std::thread m_checkpointer;
    std::condition_variable m_checkpointWake;
    qint64 m_uncheckpointed = 0; // rows committed since the last checkpoint, under m_mutex
    bool m_writing = false; // a batch is being written, under m_mutex
    qint64 m_batchesWritten = 0; // under m_mutex
    std::condition_variable m_batchWritten;
    std::mutex m_writeTurn; // held while writing the log or indexing it (in this process)
    bool m_indexerWaiting = false; // for m_writeTurn, under m_mutex
    std::condition_variable m_indexerHasTurn;
    int m_retentionDays = 0; // the retention settings, under m_mutex
    qint64 m_retentionCount = 0;
    std::chrono::milliseconds m_retentionInterval { 0 };
    std::chrono::steady_clock::time_point m_nextRetention;
    QAtomicInteger<qint64> m_committed = 0;
    QAtomicInteger<qint64> m_failed = 0;
};

} // namespace Hooktrail
