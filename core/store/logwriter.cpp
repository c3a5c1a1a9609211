// The request log's writer: one thread that commits whatever arrived meanwhile in one
// transaction (group commit), then tells each submitter its row id.
#include "core/store/logwriter.h"

#include "core/base/diskspace.h"
#include "core/base/logging.h"
#include "core/store/store.h"

#include <QFileInfo>
#include <QHash>

namespace Hooktrail {

namespace {

// The write-ahead log starts over once it holds this many frames (a page of 4 KiB, SQLite's
// default, and a small header each): about the size it is then cut back to.
constexpr qint64 WalRestartFrames = SqlDialect::SqliteWalLimitBytes / 4096;
// The WAL thread copies frames into the database as they come, one passive checkpoint per this
// many, so what is left to copy when the log starts over is little.
constexpr qint64 WalWakeFrames = WalRestartFrames / 4;
// Readers that keep a snapshot open at each of the writer's passive checkpoints keep the log
// from starting over; past this many frames the writer waits for them (a restart checkpoint),
// up to WalForceWait for each lock, and again every WalWakeFrames while they hold out.
constexpr qint64 WalForceFrames = WalRestartFrames + WalRestartFrames / 2;
constexpr auto WalForceWait = std::chrono::milliseconds(100);
// Emptying the file once the log is idle waits this long at most for each lock: a writer that
// comes meanwhile waits behind it.
constexpr auto WalTruncateWait = std::chrono::milliseconds(250);

// The housekeeping threads try again on their next round when the database cannot be opened.
qint64 steadyMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::unique_ptr<Store> storeOrNull(const LogWriter::StoreFactory &factory)
{
    Result<std::unique_ptr<Store>> opened = factory();
    return opened ? std::move(opened).value() : nullptr;
}

} // namespace

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
        m_queue.push_back({ std::move(entry), sink, connection, token, bytes, steadyMicros() });
        m_queuedBytes += bytes;
    }
    m_wake.notify_one();
    return true;
}

qsizetype LogWriter::queuedCount() const
{
    std::lock_guard lock(m_mutex);
    return qsizetype(m_queue.size());
}

void LogWriter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_checkpointWake.notify_all();
    m_walWake.notify_all();
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

void LogWriter::setKeepFree(qint64 bytes)
{
    std::lock_guard lock(m_mutex);
    m_keepFree = std::max<qint64>(0, bytes);
    m_keepFreeChanged = true;
}

LogWriter::Refusal LogWriter::refusal() const
{
    std::lock_guard lock(m_refusalMutex);
    return m_refusal;
}

// True while the disk under the SQLite file has less free than the floor, counting the batch
// twice (into the write-ahead log, then into the database). Looking is a statfs(): at most once
// a second, and sooner once 64 MiB went in since (large bodies at full speed write that much in
// less than a second), never once per request.
bool LogWriter::belowKeepFree(qint64 batchBytes)
{
    constexpr auto LookEvery = std::chrono::seconds(1);
    constexpr qint64 LookAfterBytes = 64LL * 1024 * 1024;
    qint64 floor = 0;
    bool changed = false;
    {
        std::lock_guard lock(m_mutex);
        floor = m_keepFree;
        changed = std::exchange(m_keepFreeChanged, false);
    }
    const QString file = m_store->databaseFile();
    if (floor <= 0 || file.isEmpty())
        return false; // no floor, or PostgreSQL: its disk is the server's
    const auto now = std::chrono::steady_clock::now();
    if (changed || m_freeReadAt == std::chrono::steady_clock::time_point()
        || now - m_freeReadAt >= LookEvery || m_writtenSinceFreeRead >= LookAfterBytes) {
        m_freeBytes = DiskSpace::available(QFileInfo(file).absolutePath());
        m_freeReadAt = now;
        m_writtenSinceFreeRead = 0;
    }
    if (m_freeBytes < 0)
        return false; // unknown: the write itself tells whether there is room
    if (m_freeBytes - m_writtenSinceFreeRead - 2 * batchBytes < floor)
        return true;
    m_writtenSinceFreeRead += 2 * batchBytes;
    return false;
}

// The log's housekeeping, off the commit path: the search index catch-up and retention. Each
// of them takes the write lock only briefly, so commits wait little.
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
    std::unique_ptr<Store> store = storeOrNull(m_factory);
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
        const bool retentionDue = housekeepingDue && (m_retentionDays > 0 || m_retentionCount > 0)
            && now >= m_nextRetention;
        const int days = m_retentionDays;
        const qint64 count = m_retentionCount;
        if (housekeepingDue)
            nextHousekeeping = now + HousekeepingInterval;
        if (retentionDue)
            m_nextRetention = now + m_retentionInterval;
        lock.unlock();
        if (!store)
            store = storeOrNull(m_factory);
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
                indexed = store->search().indexPending(rowsPerTransaction);
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
                const Result<RetentionResult> removed = store->retention().apply(days, count);
                if (removed) {
                    emit retentionRan(QDateTime::currentDateTimeUtc(),
                        removed->removedByAge + removed->removedByCount);
                } else {
                    qCWarning(lcStore) << "retention failed:" << removed.error();
                    healthy = false;
                }
            }
            if (!healthy) {
                store.reset(); // reopen next time: the fault may be with this connection
                behind = false;
            }
        }
        lock.lock();
    }
}

// Passive checkpoints while rows come in: they copy the log into the database without holding
// back the writer or waiting for readers. They alone never let the log start over (see
// keepWalShort()), but they do the copying, so the writer's own checkpoint has little left.
// Once no row came for a while, the file is emptied.
void LogWriter::walLoop()
{
    std::unique_ptr<Store> store;
    qint64 committedBefore = -1;
    qint64 quietFrames = -1; // the log's size at the last wake that wrote nothing here
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_walWake.wait_for(
            lock, std::chrono::milliseconds(500), [this] { return m_stopping || m_walWanted; });
        if (m_stopping)
            break;
        m_walWanted = false;
        lock.unlock();
        const qint64 committed = m_committed.loadRelaxed();
        const bool idle = committed == committedBefore;
        committedBefore = committed;
        if (!store)
            store = storeOrNull(m_factory);
        if (store && store->databaseFile().isEmpty())
            return; // PostgreSQL: no log of ours to keep
        Result<Store::WalState> state = Store::WalState();
        if (store && !idle) {
            // Once the log is due to start over, the writer's checkpoint does it: one here
            // would hold the checkpoint lock it needs.
            if (m_walFrames.load() < WalRestartFrames)
                state = store->checkpoint(Store::Checkpoint::Passive);
            quietFrames = -1;
        } else if (store && QFileInfo(store->databaseFile() + QStringLiteral("-wal")).size() > 0) {
            // Idle here, but another process (a headless receiver beside this console, or the
            // other way round) may be writing: the log must also have stayed the same for a
            // whole wake before it is emptied, or this would hold that writer back.
            // Writes that are not the log's (the search index catching up) do not pass through
            // keepWalShort(): past twice its limit the log is made to start over from here.
            state = store->checkpoint(Store::Checkpoint::Passive);
            if (state && state->frames == quietFrames)
                state = store->checkpoint(Store::Checkpoint::Truncate, WalTruncateWait);
            else if (state && state->frames >= 2 * WalRestartFrames)
                state = store->checkpoint(Store::Checkpoint::Restart, WalForceWait);
            quietFrames = state ? state->frames : -1;
        }
        if (!state) {
            qCWarning(lcStore) << "checkpoint failed:" << state.error();
            store.reset(); // reopen next time: the fault may be with this connection
        }
        lock.lock();
    }
}

// On the writer thread, between commits. SQLite starts the log over from its beginning only
// when a write begins with every frame already in the database and no reader still on an older
// snapshot. Checkpoints on another thread never see that moment under a steady load: each one
// ends with the frames of the commits made meanwhile still to copy, and the log grows without
// end. A passive checkpoint here, where nothing is being written, copies what the WAL thread
// left, and the next commit starts the log over (cut back to the journal size limit).
void LogWriter::keepWalShort()
{
    const qint64 frames = m_store->walFrames();
    m_walFrames.store(frames);
    if (frames < m_walFramesAtWake)
        m_walFramesAtWake = 0; // the log started over
    if (frames - m_walFramesAtWake >= WalWakeFrames) {
        m_walFramesAtWake = frames;
        {
            std::lock_guard lock(m_mutex);
            m_walWanted = true;
        }
        m_walWake.notify_one();
    }
    if (frames < WalRestartFrames) {
        m_walForceAt = WalForceFrames;
        return;
    }
    const bool force = frames >= m_walForceAt;
    const Result<Store::WalState> state = force
        ? m_store->checkpoint(Store::Checkpoint::Restart, WalForceWait)
        : m_store->checkpoint(Store::Checkpoint::Passive); // busy while the WAL thread copies
    if (!state)
        qCWarning(lcStore) << "checkpoint failed:" << state.error();
    else if (force && state->busy)
        m_walForceAt = frames + WalWakeFrames;
}

void LogWriter::run()
{
    m_checkpointer = std::thread([this] { checkpointLoop(); });
    m_walKeeper = std::thread([this] { walLoop(); });
    std::deque<Ticket> batch;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty() && m_stopping)
                break;
            // Everything that arrived while the previous commit was running goes in this one.
            const qsizetype take = std::min<qsizetype>(m_queue.size(), m_limits.maxBatch);
            qint64 batchBytes = 0;
            for (qsizetype i = 0; i < take; ++i) {
                if (i > 0 && batchBytes + m_queue.front().bytes > m_limits.maxBatchBytes)
                    break; // the rest goes in the next transaction, right after this one
                batchBytes += m_queue.front().bytes;
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
    m_walWake.notify_all();
    m_checkpointer.join();
    m_walKeeper.join();
    // Everything is written: leave no log behind (another connection, a console's, may still
    // be reading; then it stays for whoever checkpoints next).
    if (m_store)
        m_store->checkpoint(Store::Checkpoint::Truncate, WalTruncateWait);
    m_store.reset();
}

bool LogWriter::isBusy() const
{
    return steadyMicros() < m_busyUntil.loadRelaxed();
}

void LogWriter::writeBatch(std::deque<Ticket> &batch)
{
    if (batch.size() >= size_t(BusyBatchRows))
        m_busyUntil.storeRelaxed(steadyMicros() + BusyMicros);
    QString error;
    if (!m_store) {
        Result<std::unique_ptr<Store>> opened = m_factory();
        if (!opened) {
            error = QStringLiteral("cannot open the request log: %1").arg(opened.error());
        } else {
            m_store = std::move(opened).value();
            m_store->setAutomaticCheckpoints(false);
            m_store->setWritesFirst(); // ingest before the deliverers' bookkeeping
        }
    }
    QList<LoggedRequest> rows;
    rows.reserve(qsizetype(batch.size()));
    qint64 batchBytes = 0;
    for (Ticket &ticket : batch) {
        rows.append(std::move(ticket.entry));
        batchBytes += ticket.bytes;
    }
    bool ok = false;
    qint64 queued = 0; // deliveries written with the rows
    Refusal refusal;
    if (m_store && belowKeepFree(batchBytes)) {
        refusal.reason = Refusal::Reason::KeepFree;
        refusal.freeBytes = m_freeBytes;
        {
            std::lock_guard lock(m_mutex);
            refusal.keepFreeBytes = m_keepFree;
        }
        constexpr qint64 MiB = 1024 * 1024;
        error
            = QStringLiteral("only %1 MiB free on the disk holding %2, below the %3 MiB kept free")
                  .arg(refusal.freeBytes / MiB)
                  .arg(m_store->databaseFile())
                  .arg(refusal.keepFreeBytes / MiB);
    } else if (m_store) {
        // In-process turns with the search indexing: waiting here wakes the moment it is done,
        // where SQLite's busy wait would poll in growing sleeps.
        {
            std::unique_lock state(m_mutex);
            m_indexerHasTurn.wait(state, [this] { return !m_indexerWaiting || m_stopping; });
        }
        std::unique_lock writing(m_writeTurn);
        // The outbox (ARCHITECTURE §5.5): the deliveries of the accepted rows are written in
        // the rows' own transaction, so a 2xx means both are durable.
        const Status status = m_store->log().append(rows, [&]() -> Status {
            if (rows.isEmpty())
                return {};
            Result<qint64> written
                = m_store->deliveries().enqueueAccepted(rows.first().id, rows.last().id);
            if (!written)
                return Status::failure(written.error());
            queued = *written;
            return {};
        });
        writing.unlock();
        ok = status.ok();
        if (!ok) {
            error = status.error();
            m_store.reset(); // reopen on the next batch: the fault may be with this connection
        }
    }
    if (!ok && refusal.reason == Refusal::Reason::None) {
        refusal.reason = Refusal::Reason::WriteFailed;
        refusal.error = error;
    }
    {
        std::lock_guard lock(m_refusalMutex);
        m_refusal = refusal;
    }
    if (ok) {
        const qint64 committedAt = steadyMicros();
        for (qsizetype i = 0; i < rows.size(); ++i)
            m_statistics.record(rows[i], committedAt - batch[size_t(i)].submittedMicros);
        m_committed.fetchAndAddRelaxed(qint64(rows.size()));
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
    if (ok && queued > 0)
        emit deliveriesQueued(queued);
    if (ok)
        keepWalShort(); // after the answers: their senders need not wait for it
}

} // namespace Hooktrail
