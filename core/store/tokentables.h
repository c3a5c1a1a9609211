// The local API's tokens (ARCHITECTURE §5.7): created, listed, revoked, and found by hash.
#pragma once

#include "core/base/result.h"
#include "core/model/apikey.h"
#include "core/store/storetypes.h"

#include <optional>

namespace Hooktrail {

class Store;

class TokenTables final
{
    Q_DISABLE_COPY_MOVE(TokenTables)
public:
    explicit TokenTables(Store &store) : m_store(store) { }

    Result<NewApiToken> addToken(const QString &name, bool readOnly);
    Result<QList<ApiToken>> tokens();
    // Fails unless exactly one token has that prefix (with or without its "htt_").
    Status revokeToken(const QString &prefix);
    // The token whose whole text is `secret`, revoked or not; its last use is noted (at most
    // once a minute, so a busy client does not write on every call).
    Result<std::optional<ApiToken>> authenticate(QByteArrayView secret);

private:
    Store &m_store;
};

} // namespace Hooktrail
