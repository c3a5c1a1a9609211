// One store's history copied into another, resumable and never copying a request twice.
#include "core/store/storemigration.h"

#include "core/store/store.h"

namespace Hooktrail {

namespace {

constexpr int kBatch = 200; // bodies included: up to the body limit each

} // namespace

StoreMigration::StoreMigration(Store &source, Store &target, QString sourceIdentity)
    : m_source(source), m_target(target), m_identity(std::move(sourceIdentity))
{ }

Result<StoreMigration::Plan> StoreMigration::prepare()
{
    const auto failed = [](const QString &what, const QString &error) {
        return Result<Plan>::failure(QStringLiteral("%1: %2").arg(what, error));
    };
    Plan plan;
    const Result<QList<Webhook>> webhooks = m_source.config().webhooks();
    if (!webhooks)
        return failed(QStringLiteral("reading the webhooks"), webhooks.error());
    for (const Webhook &webhook : *webhooks) {
        const Result<bool> added = m_target.config().importWebhook(webhook);
        if (!added)
            return failed(
                QStringLiteral("webhook %1 (%2)").arg(webhook.id, webhook.name), added.error());
        plan.webhooksAdded += *added ? 1 : 0;
    }
    plan.webhooks = int(webhooks->size());

    const Result<QList<ApiKey>> keys = m_source.config().keys();
    if (!keys)
        return failed(QStringLiteral("reading the keys"), keys.error());
    m_keyIds.clear();
    for (const ApiKey &key : *keys) {
        const Result<qint64> id = m_target.config().importKey(key);
        if (!id)
            return failed(QStringLiteral("key %1").arg(key.prefix), id.error());
        m_keyIds.insert(key.id, *id);
    }
    plan.keys = int(keys->size());

    const Result<qint64> done = m_target.log().importedUpTo(m_identity);
    if (!done)
        return failed(QStringLiteral("reading the progress"), done.error());
    m_copiedUpTo = *done;
    RequestFilter remaining;
    remaining.afterId = m_copiedUpTo;
    const Result<qint64> total = m_source.queries().countRequests(remaining);
    if (!total)
        return failed(QStringLiteral("counting the requests"), total.error());
    m_total = *total;
    plan.requests = m_total;
    plan.resumed = m_copiedUpTo > 0;
    return plan;
}

Result<qint64> StoreMigration::copyRequests(const Progress &progress)
{
    const auto failed = [](const QString &what, const QString &error) {
        return Result<qint64>::failure(QStringLiteral("%1: %2").arg(what, error));
    };
    qint64 copied = 0;
    RequestFilter page;
    page.afterId = m_copiedUpTo;
    page.oldestFirst = true;
    page.limit = kBatch;
    for (;;) {
        Result<QList<LoggedRequest>> read = m_source.queries().requests(page);
        if (!read)
            return failed(
                QStringLiteral("reading requests after id %1").arg(page.afterId), read.error());
        QList<LoggedRequest> rows = std::move(read).value();
        if (rows.isEmpty())
            break;
        const qint64 last = rows.constLast().id;
        for (LoggedRequest &request : rows) {
            request.id = 0; // the target's own
            request.apiKeyId = m_keyIds.value(request.apiKeyId, 0);
        }
        // The batch and the progress record commit together.
        if (const Status status = m_target.log().importRequests(rows, m_identity, last); !status)
            return failed(
                QStringLiteral("writing requests after id %1").arg(page.afterId), status.error());
        copied += rows.size();
        page.afterId = last;
        m_copiedUpTo = last;
        if (progress)
            progress(copied, m_total);
    }
    return copied;
}

} // namespace Hooktrail
