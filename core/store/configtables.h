// The configuration tables: webhooks and API keys, and the generation receivers follow.
#pragma once

#include "core/base/result.h"
#include "core/model/apikey.h"
#include "core/model/webhook.h"
#include "core/store/storetypes.h"

#include <optional>

namespace Hooktrail {

class Store;

class ConfigTables final
{
    Q_DISABLE_COPY_MOVE(ConfigTables)
public:
    explicit ConfigTables(Store &store) : m_store(store) { }

    // Whether a webhook added gets a new id or keeps the one it has (a settings import that
    // keeps ids, so senders' endpoint URLs stay the same).
    enum class Id { New, Keep };

    // Webhooks
    Result<QList<Webhook>> webhooks();
    Result<std::optional<Webhook>> webhook(const QString &id);
    Result<bool> nameTaken(const QString &name, const QString &exceptId = {});
    // Sets the timestamps, and the id unless kept; a kept id must be a UUID v4 no webhook has.
    Result<Webhook> addWebhook(Webhook webhook, Id id = Id::New);
    Status updateWebhook(const Webhook &webhook);
    Status setWebhookEnabled(const QString &id, bool enabled);
    // Deletes the webhook; with deleteRequests, then its logged requests too, in chunks.
    Status removeWebhook(const QString &id, bool deleteRequests = false);

    // API keys
    Result<NewApiKey> addKey(const QString &name);
    Result<QList<ApiKey>> keys();
    Status revokeKey(const QString &prefix); // fails unless exactly one key has that prefix

    // Grows on every change to webhooks or keys, so receivers in other processes can follow
    // (Store::followConfigChanges where the database tells).
    Result<qint64> generation();

    // Copying another store in (hooktrail migrate). A webhook keeps its id (false: it was
    // there already); a key is found by its hash or added, its id here returned.
    Result<bool> importWebhook(const Webhook &webhook);
    Result<qint64> importKey(const ApiKey &key);

    // Inside a transaction that changed the configuration (webhooks, keys, destinations).
    Status bumpGeneration();

private:
    Result<bool> idTaken(const QString &id);
    Status insertWebhook(const Webhook &webhook);

    Store &m_store;
};

} // namespace Hooktrail
