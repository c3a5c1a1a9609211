// The turn this process's connections to one SQLite file take to write (ARCHITECTURE §2).
#pragma once

#include <QString>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace Hooktrail {

// One holder at a time; the same thread again inside its own turn (SQLite then refuses the
// nested BEGIN, as it would without the turn); and those that write first (the log writer)
// ahead of other waiters, so ingest waits for one transaction at most, until another waiter has
// waited MaxYield: then it goes next (a flood of requests delays the console's and the
// deliverers' writes, it never starves them). A waiter wakes the moment the turn is free, where
// SQLite's busy handler polls in growing sleeps.
class WriteTurn final
{
    Q_DISABLE_COPY_MOVE(WriteTurn)
public:
    static constexpr std::chrono::milliseconds MaxYield { 50 };

    explicit WriteTurn(std::chrono::milliseconds maxYield = MaxYield) : m_maxYield(maxYield) { }

    void acquire(bool first);
    void release();

    // The turn of a database file, shared while a connection to it is open.
    static std::shared_ptr<WriteTurn> of(const QString &file);

private:
    const std::chrono::milliseconds m_maxYield;
    std::mutex m_mutex;
    std::condition_variable m_free;
    std::thread::id m_holder;
    int m_depth = 0;
    int m_firstWaiting = 0;
    int m_starved = 0; // waiters that yielded MaxYield already: the first writers yield to them
};

} // namespace Hooktrail
