// The request log's writer: one thread that commits whatever arrived meanwhile in one
// transaction (group commit), then tells each submitter its row id.
#include "logwriter.h"

#include "logging.h"
#include "store.h"

#include <QHash>

namespace Hooktrail {

LogWriter::LogWriter(StoreFactory factory, Limits limits, QObject *parent)
    : QThread(parent), m_factory(std::move(factory)), m_limits(limits)
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
    const qint64 bytes = entry.approximateBytes();
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

// The log's housekeeping, off the commit path: checkpoints, the search index catch-up and
// retention. Each of them takes the write lock only briefly, so commits wait little.
void LogWriter::checkpointLoop()
{
    // Search indexing: up to 2,000 rows a wake (about 4,000 a second, well above a steady
    // webhook load) in transactions of 250, each holding the write lock for a few tens of ms at
    // most, with a pause between them for a commit waiting its turn. After a wake that saw more
    // commits than that, the index waits: the CPU and the lock go to the log, and a search
    // indexes what it needs itself. When the log is idle it catches up in longer runs.
    constexpr int SearchRowsPerWake = 2000;
    constexpr int SearchRowsPerTransaction = 250;
    constexpr auto IdleIndexingTime = std::chrono::milliseconds(300);
    constexpr auto PauseBetweenTransactions = std::chrono::milliseconds(10);
    std::unique_ptr<Store> store;
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_checkpointWake.wait_for(lock, std::chrono::milliseconds(500));
        if (m_stopping)
            break;
        const qint64 committed = m_uncheckpointed;
        const bool checkpointDue = committed > 0;
        m_uncheckpointed = 0;
        const auto now = std::chrono::steady_clock::now();
        const bool retentionDue
            = (m_retentionDays > 0 || m_retentionCount > 0) && now >= m_nextRetention;
        const int days = m_retentionDays;
        const qint64 count = m_retentionCount;
        if (retentionDue)
            m_nextRetention = now + m_retentionInterval;
        lock.unlock();
        QString error;
        if (!store)
            store = m_factory(&error);
        if (store) {
            bool healthy = true;
            const auto indexingStart = std::chrono::steady_clock::now();
            qint64 indexedThisWake = 0;
            while (committed <= SearchRowsPerWake) {
                const Result<qint64> indexed = store->indexPendingSearch(SearchRowsPerTransaction);
                if (!indexed) {
                    qCWarning(lcStore) << "search index catch-up failed:" << indexed.error();
                    healthy = false;
                    break;
                }
                indexedThisWake += *indexed;
                if (*indexed < SearchRowsPerTransaction)
                    break; // caught up
                if (committed > 0
                        ? indexedThisWake >= SearchRowsPerWake
                        : std::chrono::steady_clock::now() - indexingStart > IdleIndexingTime)
                    break;
                std::this_thread::sleep_for(PauseBetweenTransactions);
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
            if (!healthy)
                store.reset(); // reopen next time: the fault may be with this connection
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
        }
        writeBatch(batch);
        batch.clear();
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
        const Status status = m_store->appendRequests(rows);
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
