// The turn this process's connections to one SQLite file take to write (ARCHITECTURE §2).
#pragma once

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace Hooktrail {

// One holder at a time; the same thread again inside its own turn (SQLite then refuses the
// nested BEGIN, as it would without the turn); and those that write first (the log writer)
// ahead of every other waiter, so ingest waits for one transaction at most. A waiter wakes the
// moment the turn is free, where SQLite's busy handler polls in growing sleeps.
class WriteTurn final
{
    Q_DISABLE_COPY_MOVE(WriteTurn)
public:
    WriteTurn() = default;

    void acquire(bool first);
    void release();

    // The turn of a database file, shared while a connection to it is open.
    static std::shared_ptr<WriteTurn> of(const QString &file);

private:
    std::mutex m_mutex;
    std::condition_variable m_free;
    std::thread::id m_holder;
    int m_depth = 0;
    int m_firstWaiting = 0;
};

} // namespace Hooktrail
