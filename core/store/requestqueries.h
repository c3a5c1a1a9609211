// Reading the request log: one filter for pages, counts, the chart and webhook activity.
#pragma once

#include "core/base/result.h"
#include "core/model/loggedrequest.h"
#include "core/model/requestfilter.h"
#include "core/store/storetypes.h"

#include <QHash>
#include <QVariantList>
#include <optional>

namespace Hooktrail {

class Store;

class RequestQueries final
{
    Q_DISABLE_COPY_MOVE(RequestQueries)
public:
    explicit RequestQueries(Store &store) : m_store(store) { }

    // Newest first, paged by key (never OFFSET).
    Result<QList<LoggedRequest>> requests(const RequestFilter &filter);
    // The same rows with the body left empty (bodySize kept): what the history table shows.
    Result<QList<LoggedRequest>> requestSummaries(const RequestFilter &filter);
    Result<std::optional<LoggedRequest>> request(qint64 id);
    Result<qint64> countRequests(const RequestFilter &filter); // every field applies but limit
    Result<qint64> countRequests(const QString &webhookId = {});
    Result<qint64> newestRequestId(); // 0 when the log is empty

    // Counts over [since, until), or over the data's own time range when the filter leaves them
    // open, in `buckets` equal slices (the last one may end past until).
    Result<QList<HistogramBucket>> histogram(const RequestFilter &filter, int buckets);

    // Per webhook id (every webhook, with or without traffic): the last request ever, and the
    // requests received since sinceMicros in hourly buckets starting there.
    Result<QHash<QString, WebhookActivity>> webhookActivity(qint64 sinceMicros);

    // The ids of up to `limit` matching rows, in the order of a page (what requests() reads,
    // and what deletion by filter walks).
    Result<QList<qint64>> pageIds(const RequestFilter &filter, int limit);

private:
    struct FilterQuery;
    enum class Access { Plain, AlongIds, AlongTime }; // which index a time-bounded read should walk
    // SQLite's search reads the FTS index for the rows it covers and the log itself above
    // them: both parts at once (counts, histograms), or one (pages, read in id order).
    enum class SearchPart { Both, Indexed, Pending };
    FilterQuery filterQuery(const RequestFilter &filter, const QString &columns, bool withKeys,
        Access access, SearchPart part = SearchPart::Both) const;
    Result<QList<qint64>> idsWhere(const RequestFilter &filter, Access access, int limit);
    Result<QList<LoggedRequest>> selectRequests(const RequestFilter &filter, bool withBody);
    Status prepareSearch(const RequestFilter &filter); // reads m_searchIndexedUpTo

    Store &m_store;
    qint64 m_searchIndexedUpTo = 0; // the FTS index's mark, as the current search read it
};

} // namespace Hooktrail
