// The history's table of logged requests: loaded lazily by key, newest first, following new
// rows as the log writer commits them.
#pragma once

#include "core/model/loggedrequest.h"
#include "core/model/requestfilter.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

class QTimer;

namespace Hooktrail {

class LogWriter;
class StoreExecutor;

// The table has a row for every matching request (the scroll bar spans the total), but only one
// contiguous window of them is loaded at a time; the others are placeholders until the view
// asks for the rows it shows (ensureLoaded(), not data(): asking for one cell, as accessibility
// or a model tester does, must not move the window). Loads go by key, never by OFFSET: next to the
// window, the rows just below its last id or just above its first; far from it (the scroll bar
// dragged), the id at the wanted row is estimated between known (row, id) anchors (the newest and
// oldest matching ids, the window's ends) and the window is placed there. Where the estimate is off
// the window moves to its true place on reaching either end of the log, keeping selected rows on
// their requests. Until the count is known the table holds the loaded rows only and grows by
// fetchMore().
class RequestTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestTableModel)
public:
    enum Column {
        TimeColumn,
        WebhookColumn,
        MethodColumn,
        PathColumn,
        ClientColumn,
        StatusColumn,
        OutcomeColumn,
        ContentTypeColumn,
        SizeColumn,
        ColumnCount
    };
    enum Role {
        RequestIdRole = Qt::UserRole, // qint64
        ReceivedAtRole, // QDateTime in UTC
        WebhookIdRole, // QString, empty when the path named no known webhook
        MethodRole, // QString
        StatusRole, // int
        OutcomeRole, // bool: accepted
        ReasonRole, // QString
        BodySizeRole, // qint64
    };

    static constexpr int PageSize = 100;
    // Live loads coalesce: at most one every LiveIntervalMs however fast rows are committed.
    static constexpr int LiveIntervalMs = 100;
    // More new rows than this at once leave a gap that live loading does not fill: see
    // liveOverflow().
    static constexpr int LiveLimit = 5000;
    // Rows written by other processes raise no signal here; they are looked for this often.
    static constexpr int PollIntervalMs = 5000;
    // The most rows loaded at once; the far side of the window is dropped past it.
    static constexpr int WindowLimit = 3000;
    // Rows wanted no further than this from the window extend it; further, the window jumps.
    static constexpr int Reach = 3 * PageSize;

    explicit RequestTableModel(StoreExecutor *store, QObject *parent = nullptr);
    ~RequestTableModel() override;

    // Empties the table and loads the first page and the count for this filter (its paging
    // fields are ignored). Results of loads started before are dropped when they arrive.
    void setFilter(const RequestFilter &filter);
    const RequestFilter &filter() const { return m_filter; }
    void reload() { setFilter(m_filter); }
    // New rows committed by this writer appear at the top.
    void follow(LogWriter *writer);
    // Looks for rows newer than the newest considered, now (normally coalesced and automatic).
    void loadNewer();
    void setWebhookNames(const QHash<QString, QString> &names);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // The request at a loaded row (body left empty); see isLoaded().
    const LoggedRequest &requestAt(int row) const { return m_rows.at(row - m_windowStart); }
    bool isLoaded(int row) const
    {
        return row >= m_windowStart && row < m_windowStart + m_rows.size();
    }
    int loadedCount() const { return int(m_rows.size()); }
    int firstLoadedRow() const { return m_windowStart; } // the loaded rows are one run
    int rowOfId(qint64 id) const; // -1 when not loaded
    // Asks for these rows to be loaded: what a view shows. Asks made together share one load.
    void ensureLoaded(int first, int last);
    // After the store deleted these ids (removedInStore rows in all): removes their rows.
    void removeIds(const QList<qint64> &ids, qint64 removedInStore);
    // Unloads rows from `rows` on, to bound memory while new rows keep arriving at the top.
    void trimTo(int rows);

    qint64 totalCount() const { return m_total; } // -1 while unknown
    bool isLoading() const { return m_fetching || m_loadingNewer; }
    bool allLoaded() const
    {
        return m_firstLoaded && m_atTop && m_atBottom && m_rows.size() == m_rowCount;
    }
    QString lastError() const { return m_error; }
    QString webhookName(const QString &id) const;

signals:
    // Rows reached the model: the first page after a filter change, a page next to the loaded
    // ones, or a window placed where the user jumped to.
    void pageLoaded(int rows);
    void newerLoaded(int rows); // rows inserted at the top by live loading
    void totalCountChanged(qint64 count);
    void loadFailed(const QString &error);
    // More than LiveLimit rows arrived between two live loads: live loading stops until
    // reload(), which the page does at once when the user is at the top.
    void liveOverflow();

private:
    struct FirstPage;
    struct NewerRows;
    struct Counted;
    struct Window;
    void loadWanted();
    void extend(bool downwards, int limit);
    void jump(int row, int limit);
    void windowLoaded(const Window &window);
    // Makes `rows` (newest first, contiguous among the matching rows) the loaded window, near
    // `start`; atTop/atBottom: nothing matching is newer/older than them.
    void placeWindow(QList<LoggedRequest> rows, int start, bool atTop, bool atBottom);
    void setRowCount(int rows);
    void unloadFrom(int count, bool fromTop);
    qint64 estimateId(int row) const;
    void setTotal(qint64 total);
    void fail(const QString &error);
    void scheduleNewer();
    QVariant displayData(const LoggedRequest &request, int column) const;
    QVariant toolTipData(const LoggedRequest &request, int column) const;

    StoreExecutor *m_store;
    RequestFilter m_filter;
    QList<LoggedRequest> m_rows; // the loaded window, newest first
    int m_windowStart = 0; // the row of m_rows.first()
    int m_rowCount = 0;
    QSet<qint64> m_ids;
    QHash<QString, QString> m_webhookNames;
    QTimer *m_liveTimer;
    QTimer *m_pollTimer;
    QTimer *m_loadTimer;
    int m_wantFirst = -1; // rows a view asked for and found unloaded
    int m_wantLast = -1;
    int m_askedFirst = -1; // what the load in flight was for
    int m_askedLast = -1;
    qint64 m_newestId = 0; // the newest matching id known (row 0)
    qint64 m_oldestId = 0; // the oldest matching id (the last row), 0 while unknown
    qint64 m_insertedAtTop = 0; // rows live loading put at the top, ever: moves pending jumps
    qint64 m_uncounted = 0; // rows put at the top before the count (of older rows) arrived
    quint64 m_generation = 0; // bumped by every filter change; older results are dropped
    qint64 m_watermark = 0; // every matching row up to this id is loaded or loadable by paging
    qint64 m_total = -1;
    QString m_error;
    bool m_firstLoaded = false;
    bool m_atTop = false; // nothing matching is newer than the window (up to the watermark)
    bool m_atBottom = false; // nothing matching is older than the window
    bool m_fetching = false;
    bool m_loadingNewer = false;
    bool m_newerAgain = false; // a commit arrived while a live load was running
    bool m_liveSuspended = false;
};

} // namespace Hooktrail
