// The database schema: its version and the steps that bring an older database up to it.
#pragma once

#include "core/base/result.h"

namespace Hooktrail {

class Store;

class Schema final
{
    Q_DISABLE_COPY_MOVE(Schema)
public:
    static constexpr int Version = 8;

    explicit Schema(Store &store) : m_store(store) { }

    // What the database holds (0: a new one).
    Result<int> version();
    // Creates the tables or brings them from an older version to this one; refuses a newer one.
    Status migrate();

private:
    Store &m_store;
};

} // namespace Hooktrail
