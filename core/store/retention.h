// Deleting from the request log: by ids, by filter, and by age and count (retention).
#pragma once

#include "core/base/result.h"
#include "core/model/requestfilter.h"
#include "core/store/storetypes.h"

#include <QList>
#include <QVariantList>

namespace Hooktrail {

class Store;

class Retention final
{
    Q_DISABLE_COPY_MOVE(Retention)
public:
    explicit Retention(Store &store) : m_store(store) { }

    // Removes requests older than `days` (0: no age limit) and all but the newest keepCount
    // (0: no count limit), a few hundred rows per transaction so the log never waits long.
    Result<RetentionResult> apply(int days, qint64 keepCount);
    // How many requests apply(days, keepCount) would remove if it ran now, so the console can
    // ask before it does.
    Result<qint64> countRemovable(int days, qint64 keepCount);

    // Both return the rows removed. By filter: every matching row (beforeId/afterId apply,
    // limit does not). The rows' search index entries go with them.
    Result<qint64> deleteRequests(const QList<qint64> &ids);
    Result<qint64> deleteRequests(const RequestFilter &filter);

private:
    Result<qint64> deleteIds(const QList<qint64> &ids); // one transaction
    Result<qint64> deleteSelected(const QString &selectIds, const QVariantList &binds);

    Store &m_store;
};

} // namespace Hooktrail
