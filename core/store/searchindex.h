// The full-text search index, filled behind the log rather than by it (SQLite's FTS5).
#pragma once

#include "core/base/result.h"

namespace Hooktrail {

class Store;

class SearchIndex final
{
    Q_DISABLE_COPY_MOVE(SearchIndex)
public:
    explicit SearchIndex(Store &store) : m_store(store) { }

    // Indexes up to maxRows requests newer than the last indexed one and returns how many it
    // indexed.
    Result<qint64> indexPending(int maxRows);
    // The newest id the search index holds (every row up to it is indexed); a search reads the
    // rows above it directly. PostgreSQL: the newest id (its search text is written with the row).
    Result<qint64> indexedUpTo();

private:
    Store &m_store;
};

} // namespace Hooktrail
