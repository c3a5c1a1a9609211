// The history's table of logged requests: loaded lazily by key, newest first, following new
// rows as the log writer commits them.
#include "requesttablemodel.h"

#include "logwriter.h"
#include "storeexecutor.h"

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

RequestTableModel::RequestTableModel(StoreExecutor *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_liveTimer(new QTimer(this))
    , m_pollTimer(new QTimer(this))
{
    m_liveTimer->setSingleShot(true);
    m_liveTimer->setInterval(LiveIntervalMs);
    connect(m_liveTimer, &QTimer::timeout, this, &RequestTableModel::loadNewer);
    m_pollTimer->setInterval(PollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &RequestTableModel::scheduleNewer);
}

RequestTableModel::~RequestTableModel() = default;

void RequestTableModel::setFilter(const RequestFilter &filter)
{
    beginResetModel();
    m_filter = withoutPaging(filter);
    m_rows.clear();
    m_ids.clear();
    ++m_generation;
    m_firstLoaded = false;
    m_atEnd = false;
    m_fetching = true;
    m_loadingNewer = false;
    m_newerAgain = false;
    m_liveSuspended = false;
    m_watermark = 0;
    m_error.clear();
    endResetModel();
    setTotal(-1);
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
            const Result<qint64> newest = store->newestRequestId();
            if (!newest) {
                page.error = newest.error();
                return page;
            }
            page.watermark = *watermark = *newest;
            if (page.watermark == 0) // an empty log: everything to come arrives live
                return page;
            pageFilter.beforeId = page.watermark + 1;
            Result<QList<LoggedRequest>> rows = store->requestSummaries(pageFilter);
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
            m_atEnd = page.rows.size() < PageSize;
            // Still "fetching" while the rows go in: a view or tester asking for more from
            // inside the insertion would otherwise ask for this page again.
            appendRows(page.rows);
            m_fetching = false;
            emit pageLoaded(int(page.rows.size()));
            if (m_newerAgain) {
                m_newerAgain = false;
                scheduleNewer();
            }
        });

    // Counting can take longer than a page on a large log, so the rows show first. The store
    // thread runs work in order, so the count sees the watermark the page just read.
    m_store->read(
        this,
        [executor, pageFilter, watermark](Store *store) mutable -> Result<qint64> {
            if (!store)
                return Result<qint64>::failure(unavailable(executor));
            if (*watermark < 0)
                return Result<qint64>::failure(QString()); // the page failed and said why
            if (*watermark == 0)
                return qint64(0);
            pageFilter.beforeId = *watermark + 1;
            return store->countRequests(pageFilter);
        },
        [this, generation](const Result<qint64> &count) {
            if (generation != m_generation)
                return;
            if (count)
                setTotal(*count);
            else if (!count.error().isEmpty())
                emit loadFailed(tr("The requests cannot be counted: %1").arg(count.error()));
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
            const Result<qint64> newest = store->newestRequestId();
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
            Result<QList<LoggedRequest>> rows = store->requestSummaries(filter);
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
                beginInsertRows({}, 0, int(fresh.size()) - 1);
                for (const LoggedRequest &request : std::as_const(fresh))
                    m_ids.insert(request.id);
                m_rows = fresh + m_rows;
                endInsertRows();
                if (m_total >= 0)
                    setTotal(m_total + fresh.size());
                emit newerLoaded(int(fresh.size()));
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
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, WebhookColumn), index(int(m_rows.size()) - 1, WebhookColumn));
}

QString RequestTableModel::webhookName(const QString &id) const
{
    return m_webhookNames.value(id, id);
}

int RequestTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool RequestTableModel::canFetchMore(const QModelIndex &parent) const
{
    // True while the first page is on its way too: the view asks again once rows arrive.
    return !parent.isValid() && m_error.isEmpty() && !m_atEnd;
}

void RequestTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_fetching || m_atEnd || !m_firstLoaded || !m_error.isEmpty()
        || !m_store)
        return;
    m_fetching = true;
    const quint64 generation = m_generation;
    StoreExecutor *executor = m_store;
    RequestFilter filter = m_filter;
    filter.beforeId = m_rows.isEmpty() ? m_watermark + 1 : m_rows.constLast().id;
    m_store->read(
        this,
        [executor, filter](Store *store) {
            return store ? store->requestSummaries(filter)
                         : Result<QList<LoggedRequest>>::failure(unavailable(executor));
        },
        [this, generation](const Result<QList<LoggedRequest>> &rows) {
            if (generation != m_generation)
                return;
            if (!rows) {
                m_fetching = false;
                fail(rows.error());
                return;
            }
            m_atEnd = rows->size() < PageSize;
            appendRows(*rows);
            m_fetching = false;
            emit pageLoaded(int(rows->size()));
        });
}

void RequestTableModel::appendRows(const QList<LoggedRequest> &rows)
{
    QList<LoggedRequest> fresh;
    fresh.reserve(rows.size());
    for (const LoggedRequest &request : rows) {
        if (!m_ids.contains(request.id))
            fresh.append(request);
    }
    if (fresh.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    for (const LoggedRequest &request : std::as_const(fresh))
        m_ids.insert(request.id);
    m_rows.append(fresh);
    endInsertRows();
}

int RequestTableModel::rowOfId(qint64 id) const
{
    if (!m_ids.contains(id))
        return -1;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == id)
            return row;
    }
    return -1;
}

void RequestTableModel::removeIds(const QList<qint64> &ids, qint64 removedInStore)
{
    const QSet<qint64> gone(ids.cbegin(), ids.cend());
    // From the bottom, in contiguous runs, so each removal is one signal pair.
    int row = int(m_rows.size()) - 1;
    while (row >= 0) {
        if (!gone.contains(m_rows.at(row).id)) {
            --row;
            continue;
        }
        const int last = row;
        while (row > 0 && gone.contains(m_rows.at(row - 1).id))
            --row;
        beginRemoveRows({}, row, last);
        for (int i = row; i <= last; ++i)
            m_ids.remove(m_rows.at(i).id);
        m_rows.remove(row, last - row + 1);
        endRemoveRows();
        --row;
    }
    if (m_total >= 0)
        setTotal(std::max<qint64>(0, m_total - removedInStore));
}

void RequestTableModel::trimTo(int rows)
{
    if (rows < 0 || m_rows.size() <= rows)
        return;
    beginRemoveRows({}, rows, int(m_rows.size()) - 1);
    for (qsizetype i = rows; i < m_rows.size(); ++i)
        m_ids.remove(m_rows.at(i).id);
    m_rows.resize(rows);
    endRemoveRows();
    m_atEnd = false; // paging brings them back when the user scrolls down
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
    const LoggedRequest &request = m_rows.at(index.row());
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
