// The history table's loaded window: which run of matching requests is loaded, where it stands
// among the table's rows, and the estimates that place it; plain logic, told to a listener.
#pragma once

#include "core/model/loggedrequest.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <functional>

namespace Hooktrail {

// The table has a row for every matching request, but only one contiguous run of them (the
// window) is loaded; the rows around it are placeholders. Far from the window, the id at a row is
// estimated between known (row, id) anchors: the newest and oldest matching ids and the window's
// ends. Where the estimate is off, the run moves to its true place on reaching either end of the
// log. Until the count is known the table holds the loaded rows only.
class RequestWindow final
{
    Q_DISABLE_COPY_MOVE(RequestWindow)
public:
    static constexpr int PageSize = 100;
    // The most rows loaded at once; the far side of the window is dropped past it.
    static constexpr int WindowLimit = 3000;
    // Rows wanted no further than this from the window extend it; further, the window jumps.
    static constexpr int Reach = 3 * PageSize;

    // Told of every change, in the order a Qt model must tell its views.
    class Listener
    {
    public:
        virtual ~Listener() = default;
        virtual void beginInsert(int first, int last) = 0;
        virtual void endInsert() = 0;
        virtual void beginRemove(int first, int last) = 0;
        virtual void endRemove() = 0;
        // The run is about to move: newRowOf(row) is where the request at a loaded row will stand
        // (-1: not loaded after). True when rows the views keep move (then moved() follows),
        // false to have changed() instead.
        virtual bool aboutToMove(int oldStart, int oldEnd, const std::function<int(int)> &newRowOf)
            = 0;
        virtual void moved() = 0;
        virtual void changed(int first, int end) = 0; // rows [first, end) show other requests
        virtual void totalChanged(qint64 total) = 0;
    };

    // What to read next: the filter's paging fields for it, and where its rows go.
    struct Load
    {
        enum class Kind { None, Below, Above, Jump };
        Kind kind = Kind::None;
        int limit = 0;
        qint64 beforeId = 0;
        qint64 afterId = 0;
        bool oldestFirst = false;
        qint64 anchorId = 0; // Below/Above: the window's edge the rows continue
        int row = 0; // Jump: the row meant for the first of them
        qint64 insertedAtTop = 0; // Jump: insertedAtTop() when asked
    };

    explicit RequestWindow(Listener &listener);

    // Forgets everything matched (a new filter): the state is one value, reset at once.
    void reset() { m_state = {}; }

    int rowCount() const { return m_state.rowCount; }
    qint64 total() const { return m_state.total; } // -1 while unknown
    const QList<LoggedRequest> &rows() const { return m_state.rows; }
    int start() const { return m_state.start; } // the row of rows().first()
    int end() const { return m_state.start + int(m_state.rows.size()); }
    bool isLoaded(int row) const { return row >= start() && row < end(); }
    const LoggedRequest &at(int row) const { return m_state.rows.at(row - m_state.start); }
    bool contains(qint64 id) const { return m_state.ids.contains(id); }
    int rowOfId(qint64 id) const; // -1 when not loaded
    // The delivery state of the loaded requests named (the deliverer moved them on); returns the
    // rows that changed, in order.
    QList<int> setDeliveries(const QHash<qint64, DeliveryState> &states);
    bool firstLoaded() const { return m_state.firstLoaded; }
    bool atTop() const { return m_state.atTop; }
    bool atBottom() const { return m_state.atBottom; }
    qint64 watermark() const { return m_state.watermark; }
    qint64 insertedAtTop() const { return m_insertedAtTop; }
    bool allLoaded() const
    {
        return m_state.firstLoaded && m_state.atTop && m_state.atBottom
            && m_state.rows.size() == m_state.rowCount;
    }

    // The first page read below watermark (every matching row up to it is loaded or loadable).
    void setFirstPage(const QList<LoggedRequest> &rows, qint64 watermark);
    // The count below the watermark, and the oldest matching id. True when the table now has a
    // placeholder for every row not loaded.
    bool setCounted(qint64 count, qint64 oldestId);
    // Rows newer than the watermark, newest first, read up to newWatermark; the rows not
    // already loaded go in at the top. Returns how many.
    int insertNewer(QList<LoggedRequest> rows, qint64 newWatermark);

    // The load that brings rows first..last (what a view shows), or None when loaded already.
    Load loadFor(int first, int last) const;
    Load below(int limit) const; // the rows just older than the window
    Load above(int limit) const; // the rows just newer than the window
    Load jumpTo(int row, int limit) const; // rows placed by the estimated id at row
    // A load's rows arrived; false when the window no longer ends where the load started.
    bool loaded(const Load &load, const QList<LoggedRequest> &rows, bool atTop, bool atBottom);

    // Makes `rows` (newest first, contiguous among the matching rows) the loaded window, near
    // `start`; atTop/atBottom: nothing matching is newer/older than them.
    void place(QList<LoggedRequest> rows, int start, bool atTop, bool atBottom);
    // fromTop: unloads the window's first `count` rows; otherwise keeps them and unloads the rest.
    void unloadFrom(int count, bool fromTop);
    void trimTo(int rows);
    // After the store deleted these ids (removedInStore rows in all): removes their rows.
    void removeIds(const QList<qint64> &ids, qint64 removedInStore);
    qint64 estimateId(int row) const;

private:
    void setRowCount(int rows);
    void setTotal(qint64 total);

    struct State
    {
        QList<LoggedRequest> rows; // the loaded window, newest first
        QSet<qint64> ids;
        int start = 0;
        int rowCount = 0;
        qint64 newestId = 0; // the newest matching id known (row 0)
        qint64 oldestId = 0; // the oldest matching id (the last row), 0 while unknown
        qint64 uncounted = 0; // rows put at the top before the count (of older rows) arrived
        qint64 watermark = 0; // every matching row up to this id is loaded or loadable by paging
        qint64 total = -1;
        bool firstLoaded = false;
        bool atTop = true; // nothing matching is newer than the window (up to the watermark)
        bool atBottom = false; // nothing matching is older than the window
    };

    Listener &m_listener;
    State m_state;
    qint64 m_insertedAtTop = 0; // rows live loading put at the top, ever: moves pending jumps
};

} // namespace Hooktrail
