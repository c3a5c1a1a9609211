// The request log's writer: one thread that commits whatever arrived meanwhile in one
// transaction (group commit), then tells each submitter its row id.
#pragma once

#include "core/base/result.h"
#include "core/model/loggedrequest.h"
#include "core/store/logstatistics.h"

#include <QDateTime>
#include <QObject>
#include <QThread>
#include <atomic>
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
    qint64 id = 0; // the committed row's id; 0 when the write failed
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
    qsizetype maxQueued = 50000; // entries waiting for a commit
    qint64 maxQueuedBytes = 512LL * 1024 * 1024; // their bodies and headers
    int maxBatch = 4096; // rows per transaction
    // Their bodies and headers per transaction (one row at least): a transaction stays whole
    // in the write-ahead log until it commits, so this bounds how far the log can outgrow its
    // limit. Large bodies share an fsync in fewer rows, and need no more to amortise it.
    qint64 maxBatchBytes = 4LL * 1024 * 1024;
};

class LogWriter final : public QThread
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogWriter)
public:
    using Limits = LogWriterLimits;

    // Opens the store on the writer thread: the connection belongs to that thread.
    using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;
    explicit LogWriter(StoreFactory factory, Limits limits = {}, QObject *parent = nullptr);
    ~LogWriter() override;

    // Thread-safe. False when the queue is full (the caller answers 503 overloaded).
    bool submit(LoggedRequest entry, const std::shared_ptr<LogCompletionSink> &sink,
        quint64 connection, quint64 token);
    // Writes what is queued, then ends the thread.
    void stop();

    // Thread-safe. Applies retention (Retention::apply) on the checkpoint thread now and
    // then every `interval`; days and count 0 turn it off.
    void setRetention(
        int days, qint64 count, std::chrono::milliseconds interval = std::chrono::minutes(10));

    // Thread-safe. While the disk holding the SQLite file has less than `bytes` free, no row is
    // written and its request is answered 503 storage_unavailable, so a flood cannot fill the
    // disk; 0 turns it off. Writing resumes by itself once there is room again.
    void setKeepFree(qint64 bytes);

    // Why the log takes no rows now, if it does not (thread-safe): for the console to say.
    struct Refusal
    {
        enum class Reason { None, KeepFree, WriteFailed };
        Reason reason = Reason::None;
        qint64 freeBytes = 0; // KeepFree: free on the disk when last looked at
        qint64 keepFreeBytes = 0; // KeepFree: the floor
        QString error; // WriteFailed: what the database said
    };
    Refusal refusal() const;

    qint64 committedCount() const { return m_committed.loadRelaxed(); }
    // Thread-safe. Requests arrive faster than single commits take them: a batch of
    // BusyBatchRows or more was written in the last BusyMicros. The deliverers slow down
    // meanwhile (ingest first).
    static constexpr int BusyBatchRows = 8;
    static constexpr qint64 BusyMicros = 200000;
    bool isBusy() const;
    qint64 failedCount() const { return m_failed.loadRelaxed(); }
    // Thread-safe: entries waiting for a commit.
    qsizetype queuedCount() const;
    // What has been committed since the writer started, for the metrics.
    const LogStatistics &statistics() const { return m_statistics; }

signals:
    void committed(qint64 lastId, int rows); // emitted on the writer thread
    void deliveriesQueued(qint64 count); // the same, when the commit wrote deliveries
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
        qint64 submittedMicros; // steady clock
    };
    void writeBatch(std::deque<Ticket> &batch);
    bool belowKeepFree(qint64 batchBytes);
    void keepWalShort();
    void checkpointLoop();
    void walLoop();

    StoreFactory m_factory;
    Limits m_limits;
    std::unique_ptr<Store> m_store;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Ticket> m_queue;
    qint64 m_queuedBytes = 0;
    bool m_stopping = false;
    bool m_failing = false;
    std::thread m_checkpointer;
    std::condition_variable m_checkpointWake;
    // The write-ahead log's own thread and connection: passive checkpoints while rows come in,
    // emptying the file once they stop.
    std::thread m_walKeeper;
    std::condition_variable m_walWake;
    bool m_walWanted = false; // the log grew by WalWakeFrames since the last wake, under m_mutex
    std::atomic<qint64> m_walFrames = 0; // the log's size after the last commit
    qint64 m_walFramesAtWake = 0; // writer thread only, as the next one
    qint64 m_walForceAt = 0; // the log's size at which the writer waits for readers (0: at once)
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
    qint64 m_keepFree = 0; // under m_mutex
    bool m_keepFreeChanged = false; // under m_mutex: look at the disk again before the next batch
    qint64 m_freeBytes = -1; // writer thread only: free on the disk when last looked at
    qint64 m_writtenSinceFreeRead = 0;
    std::chrono::steady_clock::time_point m_freeReadAt;
    mutable std::mutex m_refusalMutex;
    Refusal m_refusal; // under m_refusalMutex
    QAtomicInteger<qint64> m_committed = 0;
    QAtomicInteger<qint64> m_busyUntil = 0; // steady-clock micros
    QAtomicInteger<qint64> m_failed = 0;
    LogStatistics m_statistics;
};

} // namespace Hooktrail
