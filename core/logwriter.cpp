// The request log's writer: one thread that commits whatever arrived meanwhile in one
// transaction (group commit), then tells each submitter its row id.
#include "logwriter.h"

#include "logging.h"
#include "store.h"

#include <QHash>

namespace Hooktrail {

LogWriter::LogWriter(StoreFactory factory, Limits limits, QObject *parent)
    : QThread(parent)
    , m_factory(std::move(factory))
    , m_limits(limits)
{
    setObjectName(QStringLiteral("hooktrail-log-writer"));
}

LogWriter::~LogWriter()
{
    stop();
    wait();
}

bool LogWriter::submit(LoggedRequest entry, const std::shared_ptr<LogCompletionSink> &sink,
                       quint64 connection, quint64 token)
{
    const qint64 bytes = entry.body.size() + 256 + 64 * entry.headers.size();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || qsizetype(m_queue.size()) >= m_limits.maxQueued
            || (m_queuedBytes + bytes > m_limits.maxQueuedBytes && !m_queue.empty()))
            return false;
        m_queue.push_back({ std::move(entry), sink, connection, token, bytes });
        m_queuedBytes += bytes;
    }
    m_wake.notify_one();
    return true;
}

void LogWriter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_checkpointWake.notify_all();
    m_batchWritten.notify_all();
    m_indexerHasTurn.notify_all();
}

void LogWriter::setRetention(int days, qint64 count, std::chrono::milliseconds interval)
{
    {
        std::lock_guard lock(m_mutex);
        m_retentionDays = std::max(0, days);
        m_retentionCount = std::max<qint64>(0, count);
        m_retentionInterval = interval;
        m_nextRetention = std::chrono::steady_clock::now();
    }
    m_checkpointWake.notify_all();
}

// The log's housekeeping, off the commit path: the search index catch-up, checkpoints and
// retention. Each of them takes the write lock only briefly, so commits wait little.
void LogWriter::checkpointLoop()
{
    // Search indexing keeps pace with the log instead of waiting for a quiet moment: whenever
    // rows are pending it indexes them, in transactions sized to hold the write lock about
    // IndexingSlice each, and takes turns with the log writer: after a transaction, when a
    // batch is waiting, the writer commits it before the next one. Searches read the rows not
    // indexed yet directly (Store::filterQuery), so this bounds what they have to read.
    constexpr auto IndexingSlice = std::chrono::milliseconds(25);
    constexpr int MinRowsPerTransaction = 50;
    constexpr int MaxRowsPerTransaction = 4000;
    constexpr auto HousekeepingInterval = std::chrono::milliseconds(500);
    constexpr auto LongestTurn = std::chrono::milliseconds(100);
    int rowsPerTransaction = 250;
    bool behind = false; // the last transaction was full: more rows are likely pending
    auto nextHousekeeping = std::chrono::steady_clock::now() + HousekeepingInterval;
    // Opened at once, before traffic: during a burst the writer's back-to-back commits leave
    // SQLite's busy wait (opening checks the schema) only the narrowest windows, seconds' worth.
    QString openError;
    std::unique_ptr<Store> store = m_factory(&openError);
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (behind) {
            // The writer's turn, if it has anything to commit.
            const qint64 seen = m_batchesWritten;
            m_batchWritten.wait_for(lock, LongestTurn, [&] {
                return m_stopping || (m_queue.empty() && !m_writing) || m_batchesWritten != seen;
            });
        } else {
            m_checkpointWake.wait_until(lock, nextHousekeeping);
        }
        if (m_stopping)
            break;
        const auto now = std::chrono::steady_clock::now();
        const bool housekeepingDue = now >= nextHousekeeping;
        const qint64 committed = housekeepingDue ? m_uncheckpointed : 0;
        const bool checkpointDue = committed > 0;
        const bool retentionDue = housekeepingDue && (m_retentionDays > 0 || m_retentionCount > 0)
            && now >= m_nextRetention;
        const int days = m_retentionDays;
        const qint64 count = m_retentionCount;
        if (housekeepingDue) {
            m_uncheckpointed = 0;
            nextHousekeeping = now + HousekeepingInterval;
        }
        if (retentionDue)
            m_nextRetention = now + m_retentionInterval;
        lock.unlock();
        QString error;
        if (!store)
            store = m_factory(&error);
        behind = false;
        if (store) {
            bool healthy = true;
            const auto start = std::chrono::steady_clock::now();
            Result<qint64> indexed = qint64(0);
            {
                // A mutex alone is no turn: the writer, looping on a burst, would take it
                // again before this thread woke. It waits while this one is waiting.
                {
                    std::lock_guard state(m_mutex);
                    m_indexerWaiting = true;
                }
                std::lock_guard writing(m_writeTurn);
                {
                    std::lock_guard state(m_mutex);
                    m_indexerWaiting = false;
                }
                m_indexerHasTurn.notify_all();
                indexed = store->indexPendingSearch(rowsPerTransaction);
            }
            if (!indexed) {
                qCWarning(lcStore) << "search index catch-up failed:" << indexed.error();
                healthy = false;
            } else if (*indexed >= rowsPerTransaction) {
                behind = true;
                // Sized by how long this one took, growing at most twofold at a time.
                const double took = std::max<double>(1,
                    std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count());
                const double fitting = rowsPerTransaction
                    * double(std::chrono::microseconds(IndexingSlice).count()) / took;
                rowsPerTransaction = std::clamp(int(std::min(fitting, 2.0 * rowsPerTransaction)),
                    MinRowsPerTransaction, MaxRowsPerTransaction);
            }
            if (retentionDue) {
                const Result<Store::RetentionResult> removed = store->applyRetention(days, count);
                if (removed) {
                    emit retentionRan(QDateTime::currentDateTimeUtc(),
                        removed->removedByAge + removed->removedByCount);
                } else {
                    qCWarning(lcStore) << "retention failed:" << removed.error();
                    healthy = false;
                }
            }
            if (checkpointDue && !store->checkpoint())
                healthy = false;
            if (!healthy) {
                store.reset(); // reopen next time: the fault may be with this connection
                behind = false;
            }
        }
        lock.lock();
    }
    lock.unlock();
    if (store)
        store->checkpoint();
}

void LogWriter::run()
{
    m_checkpointer = std::thread([this] { checkpointLoop(); });
    std::deque<Ticket> batch;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty() && m_stopping)
                break;
            // Everything that arrived while the previous commit was running goes in this one.
            const qsizetype take = std::min<qsizetype>(m_queue.size(), m_limits.maxBatch);
            for (qsizetype i = 0; i < take; ++i) {
                m_queuedBytes -= m_queue.front().bytes;
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            m_writing = true;
        }
        writeBatch(batch);
        batch.clear();
        {
            std::lock_guard lock(m_mutex);
            m_writing = false;
            ++m_batchesWritten;
        }
        m_batchWritten.notify_all();
    }
    m_checkpointWake.notify_all();
    m_checkpointer.join();
    m_store.reset();
}

void LogWriter::writeBatch(std::deque<Ticket> &batch)
{
    QString error;
    if (!m_store) {
        m_store = m_factory(&error);
        if (!m_store)
            error = QStringLiteral("cannot open the request log: %1").arg(error);
        else
            m_store->setAutomaticCheckpoints(false);
    }
    QList<LoggedRequest> rows;
    rows.reserve(qsizetype(batch.size()));
    for (Ticket &ticket : batch)
        rows.append(std::move(ticket.entry));
    bool ok = false;
    if (m_store) {
        // In-process turns with the search indexing: waiting here wakes the moment it is done,
        // where SQLite's busy wait would poll in growing sleeps.
        {
            std::unique_lock state(m_mutex);
            m_indexerHasTurn.wait(state, [this] { return !m_indexerWaiting || m_stopping; });
        }
        std::unique_lock writing(m_writeTurn);
        const Status status = m_store->appendRequests(rows);
        writing.unlock();
        ok = status.ok();
        if (!ok) {
            error = status.error();
            m_store.reset(); // reopen on the next batch: the fault may be with this connection
        }
    }
    if (ok) {
        m_committed.fetchAndAddRelaxed(qint64(rows.size()));
        {
            std::lock_guard lock(m_mutex);
            m_uncheckpointed += qint64(rows.size());
        }
        if (m_failing) {
            m_failing = false;
            qCInfo(lcStore) << "the request log is writable again";
            emit storageRecovered();
        }
    } else {
        m_failed.fetchAndAddRelaxed(qint64(rows.size()));
        if (!m_failing) {
            m_failing = true;
            qCWarning(lcStore) << "request log write failed:" << error;
            emit storageFailed(error);
        }
    }

    // One delivery per sink, not per request: a receiver thread wakes once per commit.
    QHash<LogCompletionSink *, QList<LogCompletion>> bySink;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const Ticket &ticket = batch[size_t(i)];
        bySink[ticket.sink.get()].append({ ticket.connection, ticket.token, ok ? rows[i].id : 0 });
    }
    for (auto it = bySink.begin(); it != bySink.end(); ++it)
        it.key()->deliver(std::move(it.value()));
    if (ok && !rows.isEmpty())
        emit committed(rows.last().id, int(rows.size()));
}

} // namespace Hooktrail
