// The history's table of logged requests: loaded lazily by key, newest first, following new
// rows as the log writer commits them.
#include "ui/requesttablemodel.h"

#include "core/store/logwriter.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"

#include <QDateTime>
#include <QLocale>
#include <QTimer>
#include <climits>
#include <memory>

namespace Hooktrail {

namespace {

QString unavailable(StoreExecutor *executor)
{
    return RequestTableModel::tr("The database cannot be opened: %1").arg(executor->lastError());
}

QDateTime utcOf(qint64 micros)
{
    return QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC);
}

// Paging fields belong to each load, not to what the user filters on.
RequestFilter withoutPaging(RequestFilter filter)
{
    filter.beforeId = 0;
    filter.afterId = 0;
    filter.limit = RequestTableModel::PageSize;
    return filter;
}

} // namespace

// The first page and the count are taken below one id read first (the watermark), so rows
// committed meanwhile come once, through live loading, and the count matches what paging finds.
struct RequestTableModel::FirstPage
{
    QString error;
    QList<LoggedRequest> rows;
    qint64 watermark = 0;
};

struct RequestTableModel::NewerRows
{
    QString error;
    QList<LoggedRequest> rows; // newest first
    qint64 watermark = 0;
    bool overflow = false;
};

struct RequestTableModel::Counted
{
    qint64 count = 0;
    qint64 oldestId = 0; // the bottom anchor of estimates
};

// Rows loaded next to the window or where the user jumped, and where they belong.
struct RequestTableModel::Window
{
    enum class Kind { Below, Above, Jump };
    QString error;
    QList<LoggedRequest> rows; // newest first
    Kind kind = Kind::Below;
    qint64 anchorId = 0; // Below/Above: the window's edge they continue
    int row = 0; // Jump: the row asked for the first of them
    qint64 insertedAtTop = 0; // Jump: m_insertedAtTop when asked
    bool atTop = false;
    bool atBottom = false;
};

RequestTableModel::RequestTableModel(StoreExecutor *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_liveTimer(new QTimer(this))
    , m_pollTimer(new QTimer(this))
    , m_loadTimer(new QTimer(this))
{
    m_liveTimer->setSingleShot(true);
    m_liveTimer->setInterval(LiveIntervalMs);
    connect(m_liveTimer, &QTimer::timeout, this, &RequestTableModel::loadNewer);
    m_pollTimer->setInterval(PollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &RequestTableModel::scheduleNewer);
    // Rows from every receiver on a shared database, as they are committed.
    if (m_store)
        connect(m_store, &StoreExecutor::logCommitted, this, &RequestTableModel::scheduleNewer);
    // Every row a paint asks for is known before one load covers them all.
    m_loadTimer->setSingleShot(true);
    m_loadTimer->setInterval(0);
    connect(m_loadTimer, &QTimer::timeout, this, &RequestTableModel::loadWanted);
}

RequestTableModel::~RequestTableModel() = default;

void RequestTableModel::setFilter(const RequestFilter &filter)
{
    beginResetModel();
    m_filter = withoutPaging(filter);
    m_rows.clear();
    m_ids.clear();
    m_windowStart = 0;
    m_rowCount = 0;
    m_wantFirst = m_wantLast = -1;
    m_newestId = m_oldestId = 0;
    m_uncounted = 0;
    ++m_generation;
    m_firstLoaded = false;
    m_atTop = true;
    m_atBottom = false;
    m_fetching = true;
    m_loadingNewer = false;
    m_newerAgain = false;
    m_liveSuspended = false;
    m_watermark = 0;
    m_error.clear();
    endResetModel();
    m_total = -1;
    emit totalCountChanged(-1);
    if (!m_store) {
        m_fetching = false;
        fail(tr("No database is available."));
        return;
    }

    const quint64 generation = m_generation;
    StoreExecutor *executor = m_store;
    RequestFilter pageFilter = m_filter;
    // Set on the store thread by the page read, used there by the count read that follows it.
    const auto watermark = std::make_shared<qint64>(-1);
    m_store->read(
        this,
        [executor, pageFilter, watermark](Store *store) mutable {
            FirstPage page;
            if (!store) {
                page.error = unavailable(executor);
                return page;
            }
            const Result<qint64> newest = store->queries().newestRequestId();
            if (!newest) {
                page.error = newest.error();
                return page;
            }
            page.watermark = *watermark = *newest;
            if (page.watermark == 0) // an empty log: everything to come arrives live
                return page;
            pageFilter.beforeId = page.watermark + 1;
            Result<QList<LoggedRequest>> rows = store->queries().requestSummaries(pageFilter);
            if (!rows) {
                page.error = rows.error();
                return page;
            }
            page.rows = std::move(rows).value();
            return page;
        },
        [this, generation](const FirstPage &page) {
            if (generation != m_generation)
                return;
            if (!page.error.isEmpty()) {
                m_fetching = false;
                fail(page.error);
                return;
            }
            m_firstLoaded = true;
            m_watermark = page.watermark;
            if (!page.rows.isEmpty())
                m_newestId = std::max(m_newestId, page.rows.constFirst().id);
            // Still "fetching" while the rows go in: a view or tester asking for more from
            // inside the insertion would otherwise ask for this page again.
            placeWindow(page.rows, 0, true, page.rows.size() < PageSize);
            m_fetching = false;
            emit pageLoaded(int(page.rows.size()));
            if (m_newerAgain) {
                m_newerAgain = false;
                scheduleNewer();
            }
            loadWanted();
        });

    // Counting can take longer than a page on a large log, so the rows show first. The store
    // thread runs work in order, so the count sees the watermark the page just read.
    m_store->read(
        this,
        [executor, pageFilter, watermark](Store *store) mutable -> Result<Counted> {
            if (!store)
                return Result<Counted>::failure(unavailable(executor));
            if (*watermark < 0)
                return Result<Counted>::failure(QString()); // the page failed and said why
            if (*watermark == 0)
                return Counted();
            pageFilter.beforeId = *watermark + 1;
            const Result<qint64> count = store->queries().countRequests(pageFilter);
            if (!count)
                return Result<Counted>::failure(count.error());
            Counted counted;
            counted.count = *count;
            pageFilter.oldestFirst = true;
            pageFilter.limit = 1;
            const Result<QList<LoggedRequest>> oldest
                = store->queries().requestSummaries(pageFilter);
            if (!oldest)
                return Result<Counted>::failure(oldest.error());
            counted.oldestId = oldest->isEmpty() ? 0 : oldest->constFirst().id;
            return counted;
        },
        [this, generation](const Result<Counted> &counted) {
            if (generation != m_generation)
                return;
            if (!counted) {
                if (!counted.error().isEmpty())
                    emit loadFailed(tr("The requests cannot be counted: %1").arg(counted.error()));
                return;
            }
            m_oldestId = counted->oldestId;
            // Everything loaded already: the rows are the truth.
            setTotal(m_atBottom ? m_rowCount : counted->count + m_uncounted);
            if (m_atBottom)
                return;
            // From now on the table has a row for every matching request.
            setRowCount(
                int(std::min<qint64>(std::max<qint64>(m_total, m_rows.size() + 1), INT_MAX)));
            loadWanted();
        });
}

void RequestTableModel::follow(LogWriter *writer)
{
    if (!writer)
        return;
    // committed() comes from the writer's thread; the queued connection brings it here.
    connect(writer, &LogWriter::committed, this, &RequestTableModel::scheduleNewer,
        Qt::QueuedConnection);
    m_pollTimer->start();
}

void RequestTableModel::scheduleNewer()
{
    if (!m_liveTimer->isActive())
        m_liveTimer->start();
}

void RequestTableModel::loadNewer()
{
    if (!m_store || m_liveSuspended || !m_error.isEmpty())
        return;
    if (!m_firstLoaded || m_loadingNewer) {
        m_newerAgain = true;
        return;
    }
    m_loadingNewer = true;
    const quint64 generation = m_generation;
    StoreExecutor *executor = m_store;
    RequestFilter filter = m_filter;
    const qint64 watermark = m_watermark;
    m_store->read(
        this,
        [executor, filter, watermark](Store *store) mutable {
            NewerRows newer;
            newer.watermark = watermark;
            if (!store) {
                newer.error = unavailable(executor);
                return newer;
            }
            const Result<qint64> newest = store->queries().newestRequestId();
            if (!newest) {
                newer.error = newest.error();
                return newer;
            }
            if (*newest <= watermark)
                return newer;
            // Bounded by the newest id read first, for the same reason as the first page.
            filter.afterId = watermark;
            filter.beforeId = *newest + 1;
            filter.limit = LiveLimit + 1;
            Result<QList<LoggedRequest>> rows = store->queries().requestSummaries(filter);
            if (!rows) {
                newer.error = rows.error();
                return newer;
            }
            newer.rows = std::move(rows).value();
            newer.overflow = newer.rows.size() > LiveLimit;
            newer.watermark = *newest;
            return newer;
        },
        [this, generation](NewerRows newer) {
            if (generation != m_generation)
                return;
            m_loadingNewer = false;
            if (!newer.error.isEmpty()) {
                // A passing failure (a locked database) should not end live loading for good.
                emit loadFailed(newer.error);
                return;
            }
            if (newer.overflow) {
                m_liveSuspended = true;
                emit liveOverflow();
                return;
            }
            m_watermark = newer.watermark;
            QList<LoggedRequest> fresh;
            fresh.reserve(newer.rows.size());
            for (LoggedRequest &request : newer.rows) {
                if (!m_ids.contains(request.id))
                    fresh.append(std::move(request));
            }
            if (!fresh.isEmpty()) {
                const int added = int(fresh.size());
                m_newestId = std::max(m_newestId, fresh.constFirst().id);
                m_insertedAtTop += added;
                beginInsertRows({}, 0, added - 1);
                if (m_atTop) {
                    // The window starts at the newest row: they join it.
                    for (const LoggedRequest &request : std::as_const(fresh))
                        m_ids.insert(request.id);
                    m_rows = fresh + m_rows;
                } else {
                    m_windowStart += added; // placeholders above the window
                }
                m_rowCount += added;
                endInsertRows();
                if (m_total >= 0)
                    setTotal(m_total + added);
                else
                    m_uncounted += added;
                if (m_rows.size() > WindowLimit)
                    unloadFrom(WindowLimit, false);
                emit newerLoaded(added);
            }
            if (m_newerAgain) {
                m_newerAgain = false;
                scheduleNewer();
            }
        });
}

void RequestTableModel::setWebhookNames(const QHash<QString, QString> &names)
{
    m_webhookNames = names;
    if (!m_rows.isEmpty()) {
        emit dataChanged(index(m_windowStart, WebhookColumn),
            index(m_windowStart + int(m_rows.size()) - 1, WebhookColumn));
    }
}

QString RequestTableModel::webhookName(const QString &id) const
{
    return m_webhookNames.value(id, id);
}

int RequestTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rowCount;
}

int RequestTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool RequestTableModel::canFetchMore(const QModelIndex &parent) const
{
    // Only until the count is known (then every row is in the table already); true while the
    // first page is on its way too: the view asks again once rows arrive.
    return !parent.isValid() && m_error.isEmpty() && m_total < 0 && !m_atBottom;
}

void RequestTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_fetching || !m_firstLoaded || !canFetchMore(parent) || !m_store)
        return;
    extend(true, PageSize);
}

void RequestTableModel::ensureLoaded(int first, int last)
{
    first = std::max(first, 0);
    last = std::min(last, m_rowCount - 1);
    if (first > last)
        return;
    // A run of rows (one paint) grows the wanted range; rows far from it start a new one, so
    // dragging the scroll bar loads where it stops, not everything it passed over.
    if (m_wantFirst < 0 || last < m_wantFirst - PageSize || first > m_wantLast + PageSize) {
        m_wantFirst = first;
        m_wantLast = last;
    } else {
        m_wantFirst = std::min(m_wantFirst, first);
        m_wantLast = std::max(m_wantLast, last);
    }
    if (!m_loadTimer->isActive())
        m_loadTimer->start();
}

void RequestTableModel::loadWanted()
{
    if (m_wantFirst < 0 || m_fetching || !m_firstLoaded || m_total < 0 || !m_error.isEmpty()
        || !m_store)
        return;
    int first = std::max(m_wantFirst, 0);
    int last = std::min(m_wantLast, m_rowCount - 1);
    m_wantFirst = m_wantLast = -1;
    if (first > last)
        return;
    last = std::min(last, first + 4 * PageSize - 1); // a view asking for everything gets a start
    m_askedFirst = first;
    m_askedLast = last;
    const int start = m_windowStart;
    const int end = m_windowStart + int(m_rows.size());
    if (m_rows.isEmpty()) {
        jump(first, last - first + 1);
    } else if (first >= start && last < end) {
        return; // loaded meanwhile
    } else if (first < start && last >= start) {
        extend(false, start - first + PageSize / 2); // the part above the window first
    } else if (first < end && last >= end) {
        extend(true, last - end + 1 + PageSize / 2);
    } else if (first >= end && first - end <= Reach) {
        extend(true, last - end + 1 + PageSize / 2);
    } else if (last < start && start - last <= Reach) {
        extend(false, start - first + PageSize / 2);
    } else {
        jump(first, last - first + 1);
    }
}

void RequestTableModel::extend(bool downwards, int limit)
{
    m_fetching = true;
    const quint64 generation = m_generation;
    StoreExecutor *executor = m_store;
    RequestFilter filter = m_filter;
    filter.limit = std::max<int>(limit, PageSize);
    Window window;
    window.kind = downwards ? Window::Kind::Below : Window::Kind::Above;
    if (downwards) {
        window.anchorId = m_rows.isEmpty() ? 0 : m_rows.constLast().id;
        filter.beforeId = m_rows.isEmpty() ? m_watermark + 1 : window.anchorId;
    } else {
        window.anchorId = m_rows.constFirst().id;
        filter.afterId = window.anchorId;
        filter.beforeId = m_watermark + 1;
        filter.oldestFirst = true;
    }
    m_store->read(
        this,
        [executor, filter, window](Store *store) mutable {
            if (!store) {
                window.error = unavailable(executor);
                return window;
            }
            Result<QList<LoggedRequest>> rows = store->queries().requestSummaries(filter);
            if (!rows) {
                window.error = rows.error();
                return window;
            }
            window.rows = std::move(rows).value();
            const bool short_ = window.rows.size() < filter.limit;
            if (filter.oldestFirst) {
                std::reverse(window.rows.begin(), window.rows.end());
                window.atTop = short_;
            } else {
                window.atBottom = short_;
            }
            return window;
        },
        [this, generation](const Window &loaded) {
            if (generation == m_generation)
                windowLoaded(loaded);
        });
}

void RequestTableModel::jump(int row, int limit)
{
    m_fetching = true;
    const quint64 generation = m_generation;
    StoreExecutor *executor = m_store;
    const int margin = PageSize / 2;
    Window window;
    window.kind = Window::Kind::Jump;
    window.row = std::max(0, row - margin);
    window.insertedAtTop = m_insertedAtTop;
    RequestFilter filter = m_filter;
    filter.limit = std::max(limit + (row - window.row) + margin, int(PageSize));
    // Row 0 is the newest row up to the watermark; elsewhere, the estimated id and those below.
    filter.beforeId = window.row == 0 ? m_watermark + 1 : estimateId(window.row) + 1;
    const qint64 watermark = m_watermark;
    m_store->read(
        this,
        [executor, filter, window, watermark](Store *store) mutable {
            if (!store) {
                window.error = unavailable(executor);
                return window;
            }
            Result<QList<LoggedRequest>> rows = store->queries().requestSummaries(filter);
            if (!rows) {
                window.error = rows.error();
                return window;
            }
            window.rows = std::move(rows).value();
            window.atTop = filter.beforeId > watermark;
            window.atBottom = window.rows.size() < filter.limit;
            if (window.atBottom && !window.atTop) {
                // The estimate fell near (or past) the oldest row: the rows just above it make
                // up the window, which belongs at the bottom.
                RequestFilter above = filter;
                above.afterId = filter.beforeId - 1;
                above.beforeId = watermark + 1;
                above.oldestFirst = true;
                above.limit = filter.limit - int(window.rows.size());
                Result<QList<LoggedRequest>> newer = store->queries().requestSummaries(above);
                if (!newer) {
                    window.error = newer.error();
                    return window;
                }
                QList<LoggedRequest> more = std::move(newer).value();
                window.atTop = more.size() < above.limit;
                std::reverse(more.begin(), more.end());
                window.rows = more + window.rows;
            }
            return window;
        },
        [this, generation](const Window &loaded) {
            if (generation == m_generation)
                windowLoaded(loaded);
        });
}

void RequestTableModel::windowLoaded(const Window &window)
{
    m_fetching = false;
    if (!window.error.isEmpty()) {
        fail(window.error);
        return;
    }
    switch (window.kind) {
    case Window::Kind::Below:
        // Only if the window still ends where the load started (a live change may have moved it).
        if (m_rows.isEmpty() ? window.anchorId != 0 : m_rows.constLast().id != window.anchorId) {
            ensureLoaded(m_askedFirst, m_askedLast); // moved meanwhile: ask again
            break;
        }
        placeWindow(m_rows + window.rows, m_windowStart, m_atTop, window.atBottom);
        if (m_total >= 0 && m_rows.size() > WindowLimit)
            unloadFrom(int(m_rows.size()) - WindowLimit, true);
        break;
    case Window::Kind::Above:
        if (m_rows.isEmpty() || m_rows.constFirst().id != window.anchorId) {
            ensureLoaded(m_askedFirst, m_askedLast);
            break;
        }
        placeWindow(window.rows + m_rows, m_windowStart - int(window.rows.size()), window.atTop,
            m_atBottom);
        if (m_rows.size() > WindowLimit)
            unloadFrom(WindowLimit, false);
        break;
    case Window::Kind::Jump:
        placeWindow(window.rows, window.row + int(m_insertedAtTop - window.insertedAtTop),
            window.atTop, window.atBottom);
        break;
    }
    emit pageLoaded(int(window.rows.size()));
    loadWanted();
}

void RequestTableModel::placeWindow(QList<LoggedRequest> rows, int start, bool atTop, bool atBottom)
{
    const int size = int(rows.size());
    if (m_total < 0) {
        // Not counted yet: the table is the loaded rows, from the top, and grows as pages are
        // appended below them (rows already shown are unchanged).
        const int old = m_rowCount;
        if (size > old)
            beginInsertRows({}, old, size - 1);
        m_rows = std::move(rows);
        m_windowStart = 0;
        m_rowCount = size;
        m_atTop = atTop;
        m_atBottom = atBottom;
        m_ids.clear();
        for (const LoggedRequest &request : std::as_const(m_rows))
            m_ids.insert(request.id);
        if (size > old)
            endInsertRows();
        return;
    }
    int count = m_rowCount;
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

    if (count > m_rowCount)
        setRowCount(count);
    const int oldStart = m_windowStart;
    const int oldEnd = m_windowStart + int(m_rows.size());
    // Rows the view keeps (selection, current row) follow their request when it moves.
    QHash<qint64, int> newRowOfId;
    newRowOfId.reserve(size);
    for (int i = 0; i < size; ++i)
        newRowOfId.insert(rows.at(i).id, start + i);
    QModelIndexList from;
    QModelIndexList to;
    if (start != oldStart) {
        const QModelIndexList persistent = persistentIndexList();
        for (const QModelIndex &index : persistent) {
            if (index.row() < oldStart || index.row() >= oldEnd)
                continue;
            const int row = newRowOfId.value(m_rows.at(index.row() - oldStart).id, -1);
            if (row >= 0 && row != index.row()) {
                from.append(index);
                to.append(this->index(row, index.column()));
            }
        }
    }
    if (!from.isEmpty())
        emit layoutAboutToBeChanged();
    m_rows = std::move(rows);
    m_windowStart = start;
    m_atTop = atTop;
    m_atBottom = atBottom;
    m_ids.clear();
    m_ids.reserve(size);
    for (const LoggedRequest &request : std::as_const(m_rows))
        m_ids.insert(request.id);
    if (!from.isEmpty()) {
        changePersistentIndexList(from, to);
        emit layoutChanged();
    } else {
        const auto changed = [this](int first, int end) {
            end = std::min(end, m_rowCount);
            if (first < end)
                emit dataChanged(index(first, 0), index(end - 1, ColumnCount - 1));
        };
        const int end = start + size;
        if (oldEnd < start || end < oldStart) { // apart: two small ranges, not all between
            changed(oldStart, oldEnd);
            changed(start, end);
        } else {
            changed(std::min(oldStart, start), std::max(oldEnd, end));
        }
    }
    if (count < m_rowCount) {
        if (m_total >= 0)
            setTotal(m_total - (m_rowCount - count));
        setRowCount(count);
    } else if (m_total >= 0 && m_rowCount > m_total) {
        setTotal(m_rowCount); // the count was low (rows from another process)
    }
}

void RequestTableModel::setRowCount(int rows)
{
    if (rows > m_rowCount) {
        beginInsertRows({}, m_rowCount, rows - 1);
        m_rowCount = rows;
        endInsertRows();
    } else if (rows < m_rowCount) {
        beginRemoveRows({}, rows, m_rowCount - 1);
        m_rowCount = rows;
        endRemoveRows();
    }
}

// fromTop: unloads the window's first `count` rows; otherwise keeps them and unloads the rest.
void RequestTableModel::unloadFrom(int count, bool fromTop)
{
    if (m_total < 0 && !fromTop) {
        // Not counted yet: the rows go, and paging brings them back.
        if (count >= m_rows.size())
            return;
        const int first = m_windowStart + count;
        beginRemoveRows({}, first, m_rowCount - 1);
        for (qsizetype i = count; i < m_rows.size(); ++i)
            m_ids.remove(m_rows.at(i).id);
        m_rows.resize(count);
        m_rowCount = first;
        endRemoveRows();
        m_atBottom = false;
        return;
    }
    QList<LoggedRequest> rows = m_rows;
    if (fromTop) {
        rows.remove(0, std::min<qsizetype>(count, rows.size()));
        placeWindow(std::move(rows), m_windowStart + count, false, m_atBottom);
    } else {
        rows.resize(std::min<qsizetype>(count, rows.size()));
        placeWindow(std::move(rows), m_windowStart, m_atTop, false);
    }
}

qint64 RequestTableModel::estimateId(int row) const
{
    // Known (row, id) pairs, by row; ids fall as rows grow.
    QList<std::pair<int, qint64>> anchors;
    if (m_newestId > 0)
        anchors.append({ 0, m_newestId });
    if (!m_rows.isEmpty()) {
        anchors.append({ m_windowStart, m_rows.constFirst().id });
        anchors.append({ m_windowStart + int(m_rows.size()) - 1, m_rows.constLast().id });
    }
    if (m_oldestId > 0 && m_rowCount > 0)
        anchors.append({ m_rowCount - 1, m_oldestId });
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
        id = m_watermark - row;
    }
    return std::clamp<qint64>(id, 1, std::max<qint64>(m_watermark, 1));
}

int RequestTableModel::rowOfId(qint64 id) const
{
    if (!m_ids.contains(id))
        return -1;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return m_windowStart + i;
    }
    return -1;
}

void RequestTableModel::removeIds(const QList<qint64> &ids, qint64 removedInStore)
{
    const QSet<qint64> gone(ids.cbegin(), ids.cend());
    qint64 removedHere = 0;
    // From the bottom, in contiguous runs, so each removal is one signal pair.
    int i = int(m_rows.size()) - 1;
    while (i >= 0) {
        if (!gone.contains(m_rows.at(i).id)) {
            --i;
            continue;
        }
        const int last = i;
        while (i > 0 && gone.contains(m_rows.at(i - 1).id))
            --i;
        beginRemoveRows({}, m_windowStart + i, m_windowStart + last);
        for (int j = i; j <= last; ++j)
            m_ids.remove(m_rows.at(j).id);
        m_rows.remove(i, last - i + 1);
        m_rowCount -= last - i + 1;
        endRemoveRows();
        removedHere += last - i + 1;
        --i;
    }
    if (m_total < 0)
        return;
    setTotal(std::max<qint64>(0, m_total - removedInStore));
    // Rows removed outside the window: their placeholders go, from below the window first.
    int extra = int(std::min<qint64>(removedInStore - removedHere, m_rowCount));
    const int end = m_windowStart + int(m_rows.size());
    const int below = std::max(0, m_rowCount - end - (m_atBottom ? 0 : 1));
    if (extra > 0 && below > 0) {
        const int n = std::min(extra, below);
        setRowCount(m_rowCount - n);
        extra -= n;
    }
    const int above = std::max(0, m_windowStart - (m_atTop ? 0 : 1));
    if (extra > 0 && above > 0) {
        const int n = std::min(extra, above);
        beginRemoveRows({}, 0, n - 1);
        m_windowStart -= n;
        m_rowCount -= n;
        endRemoveRows();
    }
    if (m_rows.isEmpty())
        m_atTop = m_atBottom = false;
}

void RequestTableModel::trimTo(int rows)
{
    if (rows < 0 || m_windowStart + m_rows.size() <= rows)
        return;
    unloadFrom(std::max(0, rows - m_windowStart), false);
}

void RequestTableModel::setTotal(qint64 total)
{
    if (total == m_total)
        return;
    m_total = total;
    emit totalCountChanged(total);
}

void RequestTableModel::fail(const QString &error)
{
    m_error = error;
    emit loadFailed(error);
}

QVariant RequestTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case WebhookColumn:
        return tr("Webhook");
    case MethodColumn:
        return tr("Method");
    case PathColumn:
        return tr("Path");
    case ClientColumn:
        return tr("Client");
    case StatusColumn:
        return tr("Status");
    case OutcomeColumn:
        return tr("Outcome");
    case ContentTypeColumn:
        return tr("Content type");
    case SizeColumn:
        return tr("Size");
    default:
        return {};
    }
}

QHash<int, QByteArray> RequestTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(RequestIdRole, QByteArrayLiteral("requestId"));
    names.insert(ReceivedAtRole, QByteArrayLiteral("receivedAt"));
    names.insert(WebhookIdRole, QByteArrayLiteral("webhookId"));
    names.insert(MethodRole, QByteArrayLiteral("method"));
    names.insert(StatusRole, QByteArrayLiteral("status"));
    names.insert(OutcomeRole, QByteArrayLiteral("accepted"));
    names.insert(ReasonRole, QByteArrayLiteral("reason"));
    names.insert(BodySizeRole, QByteArrayLiteral("bodySize"));
    return names;
}

QVariant RequestTableModel::displayData(const LoggedRequest &request, int column) const
{
    switch (column) {
    case TimeColumn:
        return utcOf(request.receivedAtMicros)
            .toLocalTime()
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case WebhookColumn:
        return request.webhookId.isEmpty() ? tr("—") : webhookName(request.webhookId);
    case MethodColumn:
        return QString::fromLatin1(request.method);
    case PathColumn:
        return QString::fromUtf8(request.path);
    case ClientColumn:
        return request.clientAddress;
    case StatusColumn:
        return request.status;
    case OutcomeColumn:
        if (request.accepted())
            return tr("Accepted");
        return tr("Rejected: %1").arg(QString::fromLatin1(request.reason));
    case ContentTypeColumn:
        return QString::fromLatin1(request.contentType);
    case SizeColumn:
        return request.bodySize > 0 ? QLocale().formattedDataSize(request.bodySize) : QString();
    default:
        return {};
    }
}

QVariant RequestTableModel::toolTipData(const LoggedRequest &request, int column) const
{
    switch (column) {
    case TimeColumn:
        return LoggedRequest::formatTimestamp(request.receivedAtMicros);
    case WebhookColumn:
        return request.webhookId.isEmpty() ? tr("The path named no known webhook")
                                           : request.webhookId;
    case PathColumn:
        return request.query.isEmpty() ? QString::fromUtf8(request.path)
                                       : QString::fromUtf8(request.path + '?' + request.query);
    case ClientColumn:
        return request.forwardedFor.isEmpty()
            ? request.clientAddress
            : tr("%1, forwarded for %2").arg(request.clientAddress, request.forwardedFor);
    case OutcomeColumn:
        return request.reasonDetail.isEmpty() ? displayData(request, column).toString()
                                              : request.reasonDetail;
    case SizeColumn:
        return request.bodyTruncated
            ? tr("%n bytes (not all kept)", nullptr,
                int(std::min<qint64>(request.bodySize, INT_MAX)))
            : tr("%n bytes", nullptr, int(std::min<qint64>(request.bodySize, INT_MAX)));
    default:
        return {};
    }
}

QVariant RequestTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (!isLoaded(index.row())) {
        // A placeholder until the view asks for its rows (ensureLoaded()).
        if (index.column() == TimeColumn && role == Qt::DisplayRole)
            return tr("Loading…");
        return {};
    }
    const LoggedRequest &request = requestAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return displayData(request, index.column());
    case Qt::ToolTipRole:
        return toolTipData(request, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == StatusColumn || index.column() == SizeColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case RequestIdRole:
        return request.id;
    case ReceivedAtRole:
        return utcOf(request.receivedAtMicros);
    case WebhookIdRole:
        return request.webhookId;
    case MethodRole:
        return QString::fromLatin1(request.method);
    case StatusRole:
        return request.status;
    case OutcomeRole:
        return request.accepted();
    case ReasonRole:
        return QString::fromLatin1(request.reason);
    case BodySizeRole:
        return request.bodySize;
    default:
        return {};
    }
}

} // namespace Hooktrail
