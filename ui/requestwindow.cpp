// The history table's loaded window: which run of matching requests is loaded, where it stands
// among the table's rows, and the estimates that place it; plain logic, told to a listener.
#include "ui/requestwindow.h"

#include <QHash>
#include <algorithm>
#include <climits>

namespace Hooktrail {

RequestWindow::RequestWindow(Listener &listener) : m_listener(listener) { }

void RequestWindow::setFirstPage(const QList<LoggedRequest> &rows, qint64 watermark)
{
    m_state.firstLoaded = true;
    m_state.watermark = watermark;
    if (!rows.isEmpty())
        m_state.newestId = std::max(m_state.newestId, rows.constFirst().id);
    place(rows, 0, true, rows.size() < PageSize);
}

bool RequestWindow::setCounted(qint64 count, qint64 oldestId)
{
    m_state.oldestId = oldestId;
    // Everything loaded already: the rows are the truth.
    setTotal(m_state.atBottom ? m_state.rowCount : count + m_state.uncounted);
    if (m_state.atBottom)
        return false;
    // From now on the table has a row for every matching request.
    setRowCount(
        int(std::min<qint64>(std::max<qint64>(m_state.total, m_state.rows.size() + 1), INT_MAX)));
    return true;
}

int RequestWindow::insertNewer(QList<LoggedRequest> rows, qint64 newWatermark)
{
    m_state.watermark = newWatermark;
    QList<LoggedRequest> fresh;
    fresh.reserve(rows.size());
    for (LoggedRequest &request : rows) {
        if (!m_state.ids.contains(request.id))
            fresh.append(std::move(request));
    }
    if (fresh.isEmpty())
        return 0;
    const int added = int(fresh.size());
    m_state.newestId = std::max(m_state.newestId, fresh.constFirst().id);
    m_insertedAtTop += added;
    m_listener.beginInsert(0, added - 1);
    if (m_state.atTop) {
        // The window starts at the newest row: they join it.
        for (const LoggedRequest &request : std::as_const(fresh))
            m_state.ids.insert(request.id);
        m_state.rows = fresh + m_state.rows;
    } else {
        m_state.start += added; // placeholders above the window
    }
    m_state.rowCount += added;
    m_listener.endInsert();
    if (m_state.total >= 0)
        setTotal(m_state.total + added);
    else
        m_state.uncounted += added;
    if (m_state.rows.size() > WindowLimit)
        unloadFrom(WindowLimit, false);
    return added;
}

RequestWindow::Load RequestWindow::loadFor(int first, int last) const
{
    const int start = this->start();
    const int end = this->end();
    if (m_state.rows.isEmpty())
        return jumpTo(first, last - first + 1);
    if (first >= start && last < end)
        return {}; // loaded meanwhile
    if (first < start && last >= start)
        return above(start - first + PageSize / 2); // the part above the window first
    if (first < end && last >= end)
        return below(last - end + 1 + PageSize / 2);
    if (first >= end && first - end <= Reach)
        return below(last - end + 1 + PageSize / 2);
    if (last < start && start - last <= Reach)
        return above(start - first + PageSize / 2);
    return jumpTo(first, last - first + 1);
}

RequestWindow::Load RequestWindow::below(int limit) const
{
    Load load;
    load.kind = Load::Kind::Below;
    load.limit = std::max<int>(limit, PageSize);
    load.anchorId = m_state.rows.isEmpty() ? 0 : m_state.rows.constLast().id;
    load.beforeId = m_state.rows.isEmpty() ? m_state.watermark + 1 : load.anchorId;
    return load;
}

RequestWindow::Load RequestWindow::above(int limit) const
{
    Load load;
    load.kind = Load::Kind::Above;
    load.limit = std::max<int>(limit, PageSize);
    load.anchorId = m_state.rows.constFirst().id;
    load.afterId = load.anchorId;
    load.beforeId = m_state.watermark + 1;
    load.oldestFirst = true;
    return load;
}

RequestWindow::Load RequestWindow::jumpTo(int row, int limit) const
{
    const int margin = PageSize / 2;
    Load load;
    load.kind = Load::Kind::Jump;
    load.row = std::max(0, row - margin);
    load.insertedAtTop = m_insertedAtTop;
    load.limit = std::max(limit + (row - load.row) + margin, int(PageSize));
    // Row 0 is the newest row up to the watermark; elsewhere, the estimated id and those below.
    load.beforeId = load.row == 0 ? m_state.watermark + 1 : estimateId(load.row) + 1;
    return load;
}

bool RequestWindow::loaded(
    const Load &load, const QList<LoggedRequest> &rows, bool atTop, bool atBottom)
{
    switch (load.kind) {
    case Load::Kind::None:
        break;
    case Load::Kind::Below:
        // Only if the window still ends where the load started (a live change may have moved it).
        if (m_state.rows.isEmpty() ? load.anchorId != 0
                                   : m_state.rows.constLast().id != load.anchorId)
            return false;
        place(m_state.rows + rows, m_state.start, m_state.atTop, atBottom);
        if (m_state.total >= 0 && m_state.rows.size() > WindowLimit)
            unloadFrom(int(m_state.rows.size()) - WindowLimit, true);
        break;
    case Load::Kind::Above:
        if (m_state.rows.isEmpty() || m_state.rows.constFirst().id != load.anchorId)
            return false;
        place(rows + m_state.rows, m_state.start - int(rows.size()), atTop, m_state.atBottom);
        if (m_state.rows.size() > WindowLimit)
            unloadFrom(WindowLimit, false);
        break;
    case Load::Kind::Jump:
        place(rows, load.row + int(m_insertedAtTop - load.insertedAtTop), atTop, atBottom);
        break;
    }
    return true;
}

void RequestWindow::place(QList<LoggedRequest> rows, int start, bool atTop, bool atBottom)
{
    const int size = int(rows.size());
    if (m_state.total < 0) {
        // Not counted yet: the table is the loaded rows, from the top, and grows as pages are
        // appended below them (rows already shown are unchanged).
        const int old = m_state.rowCount;
        if (size > old)
            m_listener.beginInsert(old, size - 1);
        m_state.rows = std::move(rows);
        m_state.start = 0;
        m_state.rowCount = size;
        m_state.atTop = atTop;
        m_state.atBottom = atBottom;
        m_state.ids.clear();
        for (const LoggedRequest &request : std::as_const(m_state.rows))
            m_state.ids.insert(request.id);
        if (size > old)
            m_listener.endInsert();
        return;
    }
    int count = m_state.rowCount;
    if (atTop && atBottom) {
        count = size; // every matching row is here: they are the count
        start = 0;
    } else if (atTop) {
        count = std::max(count, size + 1);
        start = 0;
    } else if (atBottom) {
        count = std::max(count, size + 1);
        start = count - size;
    } else {
        // Estimated: keep a placeholder on either side, for the rows known to be there.
        count = std::max(count, size + 2);
        start = std::clamp(start, 1, count - size - 1);
    }

    if (count > m_state.rowCount)
        setRowCount(count);
    const int oldStart = m_state.start;
    const int oldEnd = end();
    // Rows the view keeps (selection, current row) follow their request when it moves.
    QHash<qint64, int> newRowOfId;
    newRowOfId.reserve(size);
    for (int i = 0; i < size; ++i)
        newRowOfId.insert(rows.at(i).id, start + i);
    const bool moving = start != oldStart
        && m_listener.aboutToMove(oldStart, oldEnd, [this, &newRowOfId, oldStart](int row) {
               return newRowOfId.value(m_state.rows.at(row - oldStart).id, -1);
           });
    m_state.rows = std::move(rows);
    m_state.start = start;
    m_state.atTop = atTop;
    m_state.atBottom = atBottom;
    m_state.ids.clear();
    m_state.ids.reserve(size);
    for (const LoggedRequest &request : std::as_const(m_state.rows))
        m_state.ids.insert(request.id);
    if (moving) {
        m_listener.moved();
    } else {
        const auto changed = [this](int first, int end) {
            end = std::min(end, m_state.rowCount);
            if (first < end)
                m_listener.changed(first, end);
        };
        const int end = start + size;
        if (oldEnd < start || end < oldStart) { // apart: two small ranges, not all between
            changed(oldStart, oldEnd);
            changed(start, end);
        } else {
            changed(std::min(oldStart, start), std::max(oldEnd, end));
        }
    }
    if (count < m_state.rowCount) {
        if (m_state.total >= 0)
            setTotal(m_state.total - (m_state.rowCount - count));
        setRowCount(count);
    } else if (m_state.total >= 0 && m_state.rowCount > m_state.total) {
        setTotal(m_state.rowCount); // the count was low (rows from another process)
    }
}

void RequestWindow::setRowCount(int rows)
{
    if (rows > m_state.rowCount) {
        m_listener.beginInsert(m_state.rowCount, rows - 1);
        m_state.rowCount = rows;
        m_listener.endInsert();
    } else if (rows < m_state.rowCount) {
        m_listener.beginRemove(rows, m_state.rowCount - 1);
        m_state.rowCount = rows;
        m_listener.endRemove();
    }
}

void RequestWindow::unloadFrom(int count, bool fromTop)
{
    if (m_state.total < 0 && !fromTop) {
        // Not counted yet: the rows go, and paging brings them back.
        if (count >= m_state.rows.size())
            return;
        const int first = m_state.start + count;
        m_listener.beginRemove(first, m_state.rowCount - 1);
        for (qsizetype i = count; i < m_state.rows.size(); ++i)
            m_state.ids.remove(m_state.rows.at(i).id);
        m_state.rows.resize(count);
        m_state.rowCount = first;
        m_listener.endRemove();
        m_state.atBottom = false;
        return;
    }
    QList<LoggedRequest> rows = m_state.rows;
    if (fromTop) {
        rows.remove(0, std::min<qsizetype>(count, rows.size()));
        place(std::move(rows), m_state.start + count, false, m_state.atBottom);
    } else {
        rows.resize(std::min<qsizetype>(count, rows.size()));
        place(std::move(rows), m_state.start, m_state.atTop, false);
    }
}

void RequestWindow::trimTo(int rows)
{
    if (rows < 0 || end() <= rows)
        return;
    unloadFrom(std::max(0, rows - m_state.start), false);
}

qint64 RequestWindow::estimateId(int row) const
{
    // Known (row, id) pairs, by row; ids fall as rows grow.
    QList<std::pair<int, qint64>> anchors;
    if (m_state.newestId > 0)
        anchors.append({ 0, m_state.newestId });
    if (!m_state.rows.isEmpty()) {
        anchors.append({ m_state.start, m_state.rows.constFirst().id });
        anchors.append({ end() - 1, m_state.rows.constLast().id });
    }
    if (m_state.oldestId > 0 && m_state.rowCount > 0)
        anchors.append({ m_state.rowCount - 1, m_state.oldestId });
    std::sort(anchors.begin(), anchors.end());
    const std::pair<int, qint64> *above = nullptr;
    const std::pair<int, qint64> *below = nullptr;
    for (const auto &anchor : std::as_const(anchors)) {
        if (anchor.first <= row && (!above || anchor.second <= above->second))
            above = &anchor;
        if (anchor.first >= row && !below && (!above || anchor.second <= above->second))
            below = &anchor;
    }
    qint64 id = 0;
    if (above && below && below->first > above->first) {
        const double perRow
            = double(above->second - below->second) / double(below->first - above->first);
        id = above->second - qint64(double(row - above->first) * perRow);
    } else if (above) {
        id = above->second - (row - above->first);
    } else if (below) {
        id = below->second + (below->first - row);
    } else {
        id = m_state.watermark - row;
    }
    return std::clamp<qint64>(id, 1, std::max<qint64>(m_state.watermark, 1));
}

QList<int> RequestWindow::setDeliveries(const QHash<qint64, DeliveryState> &states)
{
    QList<int> changed;
    for (int i = 0; i < m_state.rows.size(); ++i) {
        LoggedRequest &row = m_state.rows[i];
        const auto found = states.constFind(row.id);
        if (found == states.cend() || *found == row.delivery)
            continue;
        row.delivery = *found;
        changed.append(m_state.start + i);
    }
    return changed;
}

int RequestWindow::rowOfId(qint64 id) const
{
    if (!m_state.ids.contains(id))
        return -1;
    for (int i = 0; i < m_state.rows.size(); ++i) {
        if (m_state.rows.at(i).id == id)
            return m_state.start + i;
    }
    return -1;
}

void RequestWindow::removeIds(const QList<qint64> &ids, qint64 removedInStore)
{
    const QSet<qint64> gone(ids.cbegin(), ids.cend());
    qint64 removedHere = 0;
    // From the bottom, in contiguous runs, so each removal is one signal pair.
    int i = int(m_state.rows.size()) - 1;
    while (i >= 0) {
        if (!gone.contains(m_state.rows.at(i).id)) {
            --i;
            continue;
        }
        const int last = i;
        while (i > 0 && gone.contains(m_state.rows.at(i - 1).id))
            --i;
        m_listener.beginRemove(m_state.start + i, m_state.start + last);
        for (int j = i; j <= last; ++j)
            m_state.ids.remove(m_state.rows.at(j).id);
        m_state.rows.remove(i, last - i + 1);
        m_state.rowCount -= last - i + 1;
        m_listener.endRemove();
        removedHere += last - i + 1;
        --i;
    }
    if (m_state.total < 0)
        return;
    setTotal(std::max<qint64>(0, m_state.total - removedInStore));
    // Rows removed outside the window: their placeholders go, from below the window first.
    int extra = int(std::min<qint64>(removedInStore - removedHere, m_state.rowCount));
    const int below = std::max(0, m_state.rowCount - end() - (m_state.atBottom ? 0 : 1));
    if (extra > 0 && below > 0) {
        const int n = std::min(extra, below);
        setRowCount(m_state.rowCount - n);
        extra -= n;
    }
    const int above = std::max(0, m_state.start - (m_state.atTop ? 0 : 1));
    if (extra > 0 && above > 0) {
        const int n = std::min(extra, above);
        m_listener.beginRemove(0, n - 1);
        m_state.start -= n;
        m_state.rowCount -= n;
        m_listener.endRemove();
    }
    if (m_state.rows.isEmpty())
        m_state.atTop = m_state.atBottom = false;
}

void RequestWindow::setTotal(qint64 total)
{
    if (total == m_state.total)
        return;
    m_state.total = total;
    m_listener.totalChanged(total);
}

} // namespace Hooktrail
