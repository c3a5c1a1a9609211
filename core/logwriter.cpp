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
}

void LogWriter::checkpointLoop()
{
    std::unique_ptr<Store> store;
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_checkpointWake.wait_for(lock, std::chrono::milliseconds(500));
        if (m_stopping)
            break;
        if (m_uncheckpointed == 0)
            continue;
        m_uncheckpointed = 0;
        lock.unlock();
        QString error;
        if (!store)
            store = m_factory(&error);
        if (store && !store->checkpoint())
            store.reset();
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
