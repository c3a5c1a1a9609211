// The turn this process's connections to one SQLite file take to write (see the header).
#include "core/store/writeturn.h"

#include <QHash>

namespace Hooktrail {

void WriteTurn::acquire(bool first)
{
    std::unique_lock lock(m_mutex);
    const std::thread::id self = std::this_thread::get_id();
    if (m_depth > 0 && m_holder == self) {
        ++m_depth;
        return;
    }
    if (first) {
        ++m_firstWaiting;
        m_free.wait(lock, [&] { return m_depth == 0 && m_starved == 0; });
        --m_firstWaiting;
    } else if (!m_free.wait_for(
                   lock, m_maxYield, [&] { return m_depth == 0 && m_firstWaiting == 0; })) {
        ++m_starved; // yielded long enough: next, whoever else waits
        m_free.wait(lock, [&] { return m_depth == 0; });
        --m_starved;
    }
    m_holder = self;
    m_depth = 1;
}

void WriteTurn::release()
{
    {
        const std::lock_guard lock(m_mutex);
        if (--m_depth > 0)
            return;
        m_holder = {};
    }
    m_free.notify_all();
}

std::shared_ptr<WriteTurn> WriteTurn::of(const QString &file)
{
    static std::mutex guard;
    static QHash<QString, std::weak_ptr<WriteTurn>> turns;
    const std::lock_guard lock(guard);
    std::shared_ptr<WriteTurn> turn = turns.value(file).lock();
    if (!turn) {
        turn = std::make_shared<WriteTurn>();
        turns.insert(file, turn);
    }
    return turn;
}

} // namespace Hooktrail
