// The history's table of logged requests: loaded lazily by key, newest first, following new
// rows as the log writer commits them.
#include "ui/requesttablemodel.h"

#include "core/endpoint/reasontext.h"

#include "core/store/deliverytables.h"
#include "core/store/logwriter.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/tones.h"

#include <QBrush>
#include <QDateTime>
#include <QGuiApplication>
#include <QLocale>
#include <QSet>
#include <QTextDocument>
#include <QTimer>
#include <climits>
#include <memory>
#include <optional>

namespace Hooktrail {

namespace {

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
    QList<LoggedRequest> rows;
    qint64 watermark = 0;
};

struct RequestTableModel::NewerRows
{
    QList<LoggedRequest> rows; // newest first
    qint64 watermark = 0;
    bool overflow = false;
};

struct RequestTableModel::Counted
{
    qint64 count = 0;
    qint64 oldestId = 0; // the bottom anchor of estimates
};

// A recount below the watermark, and which of the loaded ids the store still holds.
struct RequestTableModel::Recounted
{
    qint64 count = 0;
    qint64 watermark = 0;
    QList<qint64> gone; // loaded when asked, no longer in the store
};

// Rows loaded next to the window or where the user jumped, and where they belong.
struct RequestTableModel::Window
{
    QList<LoggedRequest> rows; // newest first
    RequestWindow::Load load;
    bool atTop = false;
    bool atBottom = false;
};

// The window's changes, said to the views as the model's signals.
class RequestTableModel::Changes final : public RequestWindow::Listener
{
public:
    explicit Changes(RequestTableModel &model) : m_model(model) { }
    void beginInsert(int first, int last) override { m_model.beginInsertRows({}, first, last); }
    void endInsert() override { m_model.endInsertRows(); }
    void beginRemove(int first, int last) override { m_model.beginRemoveRows({}, first, last); }
    void endRemove() override { m_model.endRemoveRows(); }
    bool aboutToMove(int oldStart, int oldEnd, const std::function<int(int)> &newRowOf) override
    {
        m_from.clear();
        m_to.clear();
        const QModelIndexList persistent = m_model.persistentIndexList();
        for (const QModelIndex &index : persistent) {
            if (index.row() < oldStart || index.row() >= oldEnd)
                continue;
            const int row = newRowOf(index.row());
            if (row >= 0 && row != index.row()) {
                m_from.append(index);
                m_to.append(m_model.index(row, index.column()));
            }
        }
        if (m_from.isEmpty())
            return false;
        emit m_model.layoutAboutToBeChanged();
        return true;
    }
    void moved() override
    {
        m_model.changePersistentIndexList(m_from, m_to);
        emit m_model.layoutChanged();
    }
    void changed(int first, int end) override
    {
        emit m_model.dataChanged(m_model.index(first, 0), m_model.index(end - 1, ColumnCount - 1));
    }
    void totalChanged(qint64 total) override
    {
        ++m_model.m_totalSerial;
        emit m_model.totalCountChanged(total);
    }

private:
    RequestTableModel &m_model;
    QModelIndexList m_from;
    QModelIndexList m_to;
};

RequestTableModel::RequestTableModel(StoreExecutor *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_changes(std::make_unique<Changes>(*this))
    , m_window(*m_changes)
    , m_liveTimer(new QTimer(this))
    , m_pollTimer(new QTimer(this))
    , m_loadTimer(new QTimer(this))
    , m_recountTimer(new QTimer(this))
    , m_deliveryTimer(new QTimer(this))
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
    m_recountTimer->setSingleShot(true);
    m_recountTimer->setInterval(LiveIntervalMs);
    connect(m_recountTimer, &QTimer::timeout, this, &RequestTableModel::startRecount);
    m_deliveryTimer->setSingleShot(true);
    m_deliveryTimer->setInterval(LiveIntervalMs);
    connect(m_deliveryTimer, &QTimer::timeout, this, &RequestTableModel::readDeliveries);
    // Any write of this console may have deleted rows: a webhook with its history, a retention
    // rule applied from Settings.
    if (m_store)
        connect(m_store, &StoreExecutor::written, this, &RequestTableModel::recount);
}

RequestTableModel::~RequestTableModel() = default;

void RequestTableModel::setFilter(const RequestFilter &filter)
{
    beginResetModel();
    m_filter = withoutPaging(filter);
    m_window.reset();
    m_loading = {};
    m_loading.fetching = true;
    ++m_generation;
    endResetModel();
    emit totalCountChanged(-1);
    if (!m_store) {
        m_loading.fetching = false;
        fail(tr("No database is available."));
        return;
    }

    const quint64 generation = m_generation;
    RequestFilter pageFilter = m_filter;
    // Set on the store thread by the page read, used there by the count read that follows it.
    const auto watermark = std::make_shared<qint64>(-1);
    m_store->read(
        this,
        [pageFilter, watermark](Store &store) mutable -> Result<FirstPage> {
            FirstPage page;
            const Result<qint64> newest = store.queries().newestRequestId();
            if (!newest)
                return Result<FirstPage>::failure(newest.error());
            page.watermark = *watermark = *newest;
            if (page.watermark == 0) // an empty log: everything to come arrives live
                return page;
            pageFilter.beforeId = page.watermark + 1;
            Result<QList<LoggedRequest>> rows = store.queries().requestSummaries(pageFilter);
            if (!rows)
                return Result<FirstPage>::failure(rows.error());
            page.rows = std::move(rows).value();
            return page;
        },
        [this, generation](const Result<FirstPage> &loaded) {
            if (generation != m_generation)
                return;
            if (!loaded) {
                m_loading.fetching = false;
                fail(loaded.error());
                return;
            }
            const FirstPage &page = *loaded;
            // Still "fetching" while the rows go in: a view or tester asking for more from
            // inside the insertion would otherwise ask for this page again.
            m_window.setFirstPage(page.rows, page.watermark);
            m_loading.fetching = false;
            emit pageLoaded(int(page.rows.size()));
            if (m_loading.newerAgain) {
                m_loading.newerAgain = false;
                scheduleNewer();
            }
            loadWanted();
        });

    // Counting can take longer than a page on a large log, so the rows show first. The store
    // thread runs work in order, so the count sees the watermark the page just read.
    m_store->read(
        this,
        [pageFilter, watermark](Store &store) mutable -> Result<Counted> {
            if (*watermark < 0)
                return Result<Counted>::failure(QString()); // the page failed and said why
            if (*watermark == 0)
                return Counted();
            pageFilter.beforeId = *watermark + 1;
            const Result<qint64> count = store.queries().countRequests(pageFilter);
            if (!count)
                return Result<Counted>::failure(count.error());
            Counted counted;
            counted.count = *count;
            pageFilter.oldestFirst = true;
            pageFilter.limit = 1;
            const Result<QList<LoggedRequest>> oldest
                = store.queries().requestSummaries(pageFilter);
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
            if (m_window.setCounted(counted->count, counted->oldestId))
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
    if (!m_store || m_loading.liveSuspended || !m_loading.error.isEmpty())
        return;
    if (!m_window.firstLoaded() || m_loading.newer) {
        m_loading.newerAgain = true;
        return;
    }
    m_loading.newer = true;
    const quint64 generation = m_generation;
    RequestFilter filter = m_filter;
    const qint64 watermark = m_window.watermark();
    m_store->read(
        this,
        [filter, watermark](Store &store) mutable -> Result<NewerRows> {
            NewerRows newer;
            newer.watermark = watermark;
            const Result<qint64> newest = store.queries().newestRequestId();
            if (!newest)
                return Result<NewerRows>::failure(newest.error());
            if (*newest <= watermark)
                return newer;
            // Bounded by the newest id read first, for the same reason as the first page.
            filter.afterId = watermark;
            filter.beforeId = *newest + 1;
            filter.limit = LiveLimit + 1;
            Result<QList<LoggedRequest>> rows = store.queries().requestSummaries(filter);
            if (!rows)
                return Result<NewerRows>::failure(rows.error());
            newer.rows = std::move(rows).value();
            newer.overflow = newer.rows.size() > LiveLimit;
            newer.watermark = *newest;
            return newer;
        },
        [this, generation](Result<NewerRows> loaded) {
            if (generation != m_generation)
                return;
            m_loading.newer = false;
            if (!loaded) {
                // A passing failure (a locked database) should not end live loading for good.
                emit loadFailed(loaded.error());
                return;
            }
            NewerRows newer = std::move(loaded).value();
            if (newer.overflow) {
                m_loading.liveSuspended = true;
                emit liveOverflow();
                return;
            }
            if (const int added = m_window.insertNewer(std::move(newer.rows), newer.watermark))
                emit newerLoaded(added);
            if (m_loading.newerAgain) {
                m_loading.newerAgain = false;
                scheduleNewer();
            }
        });
}

void RequestTableModel::setWebhookNames(const QHash<QString, QString> &names)
{
    m_webhookNames = names;
    if (!m_window.rows().isEmpty()) {
        emit dataChanged(
            index(m_window.start(), WebhookColumn), index(m_window.end() - 1, WebhookColumn));
    }
}

QString RequestTableModel::webhookName(const QString &id) const
{
    return m_webhookNames.value(id, id);
}

int RequestTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_window.rowCount();
}

int RequestTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool RequestTableModel::canFetchMore(const QModelIndex &parent) const
{
    // Only until the count is known (then every row is in the table already); true while the
    // first page is on its way too: the view asks again once rows arrive.
    return !parent.isValid() && m_loading.error.isEmpty() && m_window.total() < 0
        && !m_window.atBottom();
}

void RequestTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_loading.fetching || !m_window.firstLoaded() || !canFetchMore(parent)
        || !m_store)
        return;
    load(m_window.below(PageSize));
}

void RequestTableModel::ensureLoaded(int first, int last)
{
    first = std::max(first, 0);
    last = std::min(last, m_window.rowCount() - 1);
    if (first > last)
        return;
    // A run of rows (one paint) grows the wanted range; rows far from it start a new one, so
    // dragging the scroll bar loads where it stops, not everything it passed over.
    Loading &want = m_loading;
    if (want.wantFirst < 0 || last < want.wantFirst - PageSize
        || first > want.wantLast + PageSize) {
        want.wantFirst = first;
        want.wantLast = last;
    } else {
        want.wantFirst = std::min(want.wantFirst, first);
        want.wantLast = std::max(want.wantLast, last);
    }
    if (!m_loadTimer->isActive())
        m_loadTimer->start();
}

void RequestTableModel::loadWanted()
{
    if (m_loading.wantFirst < 0 || m_loading.fetching || !m_window.firstLoaded()
        || m_window.total() < 0 || !m_loading.error.isEmpty() || !m_store)
        return;
    int first = std::max(m_loading.wantFirst, 0);
    int last = std::min(m_loading.wantLast, m_window.rowCount() - 1);
    m_loading.wantFirst = m_loading.wantLast = -1;
    if (first > last)
        return;
    last = std::min(last, first + 4 * PageSize - 1); // a view asking for everything gets a start
    m_askedFirst = first;
    m_askedLast = last;
    load(m_window.loadFor(first, last));
}

void RequestTableModel::load(const RequestWindow::Load &load)
{
    if (load.kind == RequestWindow::Load::Kind::None)
        return;
    m_loading.fetching = true;
    const quint64 generation = m_generation;
    RequestFilter filter = m_filter;
    filter.limit = load.limit;
    filter.beforeId = load.beforeId;
    filter.afterId = load.afterId;
    if (load.oldestFirst)
        filter.oldestFirst = true;
    Window window;
    window.load = load;
    const qint64 watermark = m_window.watermark();
    m_store->read(
        this,
        [filter, window, watermark](Store &store) mutable -> Result<Window> {
            Result<QList<LoggedRequest>> rows = store.queries().requestSummaries(filter);
            if (!rows)
                return Result<Window>::failure(rows.error());
            window.rows = std::move(rows).value();
            const bool short_ = window.rows.size() < filter.limit;
            if (window.load.kind != RequestWindow::Load::Kind::Jump) {
                if (filter.oldestFirst) {
                    std::reverse(window.rows.begin(), window.rows.end());
                    window.atTop = short_;
                } else {
                    window.atBottom = short_;
                }
                return window;
            }
            window.atTop = filter.beforeId > watermark;
            window.atBottom = short_;
            if (window.atBottom && !window.atTop) {
                // The estimate fell near (or past) the oldest row: the rows just above it make
                // up the window, which belongs at the bottom.
                RequestFilter above = filter;
                above.afterId = filter.beforeId - 1;
                above.beforeId = watermark + 1;
                above.oldestFirst = true;
                above.limit = filter.limit - int(window.rows.size());
                Result<QList<LoggedRequest>> newer = store.queries().requestSummaries(above);
                if (!newer)
                    return Result<Window>::failure(newer.error());
                QList<LoggedRequest> more = std::move(newer).value();
                window.atTop = more.size() < above.limit;
                std::reverse(more.begin(), more.end());
                window.rows = more + window.rows;
            }
            return window;
        },
        [this, generation](const Result<Window> &loaded) {
            if (generation == m_generation)
                windowLoaded(loaded);
        });
}

void RequestTableModel::windowLoaded(const Result<Window> &loaded)
{
    m_loading.fetching = false;
    if (!loaded) {
        fail(loaded.error());
        return;
    }
    const Window &window = *loaded;
    if (!m_window.loaded(window.load, window.rows, window.atTop, window.atBottom))
        ensureLoaded(m_askedFirst, m_askedLast); // moved meanwhile: ask again
    emit pageLoaded(int(window.rows.size()));
    loadWanted();
}

void RequestTableModel::removeIds(const QList<qint64> &ids, qint64 removedInStore)
{
    m_window.removeIds(ids, removedInStore);
}

void RequestTableModel::recount()
{
    if (!m_recountTimer->isActive())
        m_recountTimer->start();
}

void RequestTableModel::startRecount()
{
    if (!m_store || m_window.total() < 0 || !m_loading.error.isEmpty())
        return; // a count is on its way already, or the page shows why none can be
    if (m_loading.recounting) {
        m_loading.recountAgain = true;
        return;
    }
    m_loading.recounting = true;
    const quint64 generation = m_generation;
    const quint64 totalSerial = m_totalSerial;
    RequestFilter filter = m_filter;
    const qint64 watermark = m_window.watermark();
    QList<qint64> loaded;
    loaded.reserve(m_window.rows().size());
    for (const LoggedRequest &row : m_window.rows())
        loaded.append(row.id);
    m_store->read(
        this,
        [filter, watermark, loaded](Store &store) mutable -> Result<Recounted> {
            Recounted recounted;
            recounted.watermark = watermark;
            filter.beforeId = watermark + 1;
            const Result<qint64> count = store.queries().countRequests(filter);
            if (!count)
                return Result<Recounted>::failure(count.error());
            recounted.count = *count;
            if (loaded.isEmpty())
                return recounted;
            // The loaded rows are one run of ids, newest first: what is left of it, in one read.
            filter.beforeId = loaded.constFirst() + 1;
            filter.afterId = loaded.constLast() - 1;
            filter.limit = 2 * int(loaded.size()); // room for rows committed late (PostgreSQL)
            const Result<QList<LoggedRequest>> left = store.queries().requestSummaries(filter);
            if (!left)
                return Result<Recounted>::failure(left.error());
            QSet<qint64> kept;
            for (const LoggedRequest &row : *left)
                kept.insert(row.id);
            for (qint64 id : std::as_const(loaded)) {
                if (!kept.contains(id))
                    recounted.gone.append(id);
            }
            return recounted;
        },
        [this, generation, totalSerial](const Result<Recounted> &recounted) {
            if (generation == m_generation)
                this->recounted(recounted, totalSerial);
        });
}

void RequestTableModel::recounted(const Result<Recounted> &recounted, quint64 totalSerial)
{
    m_loading.recounting = false;
    // Rows came or went here while the store counted: that count no longer adds up.
    const bool stale = totalSerial != m_totalSerial
        || (recounted && recounted->watermark != m_window.watermark());
    if (m_loading.recountAgain || stale) {
        m_loading.recountAgain = false;
        recount();
        if (stale)
            return;
    }
    if (!recounted) {
        emit loadFailed(tr("The requests cannot be counted: %1").arg(recounted.error()));
        return;
    }
    const qint64 removed = m_window.total() - recounted->count;
    if (removed <= 0 && recounted->gone.isEmpty())
        return;
    const qint64 count = std::max<qint64>(removed, recounted->gone.size());
    m_window.removeIds(recounted->gone, count);
    emit removedElsewhere(count);
}

void RequestTableModel::refreshDeliveries(const QList<qint64> &requestIds)
{
    if (requestIds.isEmpty()) {
        m_deliveryAll = true;
        m_deliveryIds.clear();
    } else if (!m_deliveryAll) {
        for (const qint64 id : requestIds) {
            if (m_window.contains(id))
                m_deliveryIds.insert(id);
        }
        if (m_deliveryIds.isEmpty())
            return;
    }
    if (!m_deliveryTimer->isActive())
        m_deliveryTimer->start();
}

void RequestTableModel::readDeliveries()
{
    QList<qint64> ids;
    if (m_deliveryAll) {
        for (const LoggedRequest &row : m_window.rows())
            ids.append(row.id);
    } else {
        ids = m_deliveryIds.values();
    }
    m_deliveryAll = false;
    m_deliveryIds.clear();
    if (ids.isEmpty() || !m_store)
        return;
    const quint64 generation = m_generation;
    m_store->read(
        this, [ids](Store &store) { return store.deliveries().states(ids); },
        [this, ids, generation](const Result<QHash<qint64, DeliveryState>> &read) {
            if (generation != m_generation || !read)
                return; // a new filter reads its own; a failed read leaves the last state shown
            QHash<qint64, DeliveryState> states = read.value();
            for (const qint64 id : ids) {
                if (!states.contains(id))
                    states.insert(id, DeliveryState::None); // its deliveries went
            }
            for (const int row : m_window.setDeliveries(states))
                emit dataChanged(index(row, DeliveryColumn), index(row, DeliveryColumn));
        });
}

void RequestTableModel::fail(const QString &error)
{
    m_loading.error = error;
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
    case DeliveryColumn:
        return tr("Delivery");
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
    names.insert(DeliveryRole, QByteArrayLiteral("delivery"));
    return names;
}

QVariant RequestTableModel::displayData(const LoggedRequest &request, int column) const
{
    switch (column) {
    case TimeColumn: {
        // Today's requests by their time alone, to the second; this year's with month and day,
        // to the minute; older ones by their date: the column stays narrow beside the detail.
        // The tooltip has it all.
        const QDateTime local = utcOf(request.receivedAtMicros).toLocalTime();
        const QDate today = QDate::currentDate();
        if (local.date() == today)
            return local.toString(QStringLiteral("HH:mm:ss"));
        return local.toString(local.date().year() == today.year() ? QStringLiteral("MM-dd HH:mm")
                                                                  : QStringLiteral("yyyy-MM-dd"));
    }
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
        return tr("Rejected: %1").arg(Endpoint::reasonText(request.reason));
    case ContentTypeColumn:
        return QString::fromLatin1(request.contentType);
    case SizeColumn:
        return request.bodySize > 0 ? QLocale().formattedDataSize(request.bodySize) : QString();
    case DeliveryColumn:
        return request.delivery == DeliveryState::None ? tr("—")
                                                       : deliveryStateText(request.delivery);
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
    case OutcomeColumn: {
        // The words are in the cell; the code and the receiver's detail are for whoever asks.
        const QString reason = Endpoint::reasonWithCode(request.reason);
        return request.reasonDetail.isEmpty()
            ? reason
            : tr("%1\n%2", "reason (code), then its detail").arg(reason, request.reasonDetail);
    }
    case SizeColumn:
        return request.bodyTruncated
            ? tr("%n bytes (not all kept)", nullptr,
                int(std::min<qint64>(request.bodySize, INT_MAX)))
            : tr("%n bytes", nullptr, int(std::min<qint64>(request.bodySize, INT_MAX)));
    case DeliveryColumn:
        switch (request.delivery) {
        case DeliveryState::None:
            return tr("No destination received this request");
        case DeliveryState::Delivered:
            return tr("Every destination answered 2xx");
        case DeliveryState::Pending:
            return tr("Waiting for its first attempt");
        case DeliveryState::Retrying:
            return tr("An attempt failed; another is scheduled (see the Deliveries tab)");
        case DeliveryState::Failed:
            return tr("A destination gave up on this request (see the Deliveries tab)");
        }
        return {};
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
    case Qt::ToolTipRole: {
        // A tooltip that looks like HTML is drawn as HTML: a path or a header the sender chose
        // is always shown as the text it is.
        const QString tip = toolTipData(request, index.column()).toString();
        return tip.isEmpty() ? QVariant()
                             : QVariant(Qt::convertFromPlainText(tip, Qt::WhiteSpaceNormal));
    }
    case Qt::TextAlignmentRole:
        if (index.column() == StatusColumn || index.column() == SizeColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case Qt::ForegroundRole:
    case Qt::DecorationRole: {
        // The method's name says it; its colour lets the eye tell them apart.
        if (index.column() == MethodColumn && role == Qt::ForegroundRole)
            return QBrush(Tones::methodColour(request.method, QGuiApplication::palette()));
        // The words say accepted or rejected, delivered or failed; the colour lets the eye find
        // what went wrong.
        const QPalette palette = QGuiApplication::palette();
        if (index.column() == DeliveryColumn) {
            const std::optional<Tones::Tone> tone = Tones::ofDelivery(request.delivery);
            if (!tone)
                return {};
            if (role == Qt::ForegroundRole)
                return QBrush(Tones::colour(*tone, palette));
            return Tones::dot(*tone, palette);
        }
        if (index.column() != StatusColumn && index.column() != OutcomeColumn)
            return {};
        const Tones::Tone tone = request.accepted() ? Tones::Tone::Good : Tones::Tone::Bad;
        if (role == Qt::ForegroundRole)
            return QBrush(Tones::colour(tone, palette));
        return index.column() == OutcomeColumn ? QVariant(Tones::dot(tone, palette)) : QVariant();
    }
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
    case DeliveryRole:
        return int(request.delivery);
    default:
        return {};
    }
}

} // namespace Hooktrail
