// One store's history copied into another (`hooktrail migrate`: a local SQLite history into a
// shared PostgreSQL database), resumable and never copying a request twice.
#pragma once

#include "core/base/result.h"

#include <QHash>
#include <QString>
#include <functional>

namespace Hooktrail {

class Store;

// Webhooks and keys first, then the requests in id order, in transactions that also record in
// the target how far they got: interrupted or run again, a migration goes on from there.
class StoreMigration final
{
    Q_DISABLE_COPY_MOVE(StoreMigration)
public:
    // Called after every batch written: requests copied so far by this run, and how many
    // prepare() counted.
    using Progress = std::function<void(qint64 copied, qint64 total)>;

    // What prepare() found and did.
    struct Plan
    {
        int webhooks = 0; // in the source
        int webhooksAdded = 0; // the rest were in the target already
        int keys = 0;
        qint64 requests = 0; // left to copy
        bool resumed = false; // an earlier run copied some already
    };

    // sourceIdentity names the source in the target's progress record, the same every run
    // ("sqlite:" and the file's canonical path).
    StoreMigration(Store &source, Store &target, QString sourceIdentity);

    // Copies the webhooks the target lacks and the keys, and counts the requests to copy.
    Result<Plan> prepare();
    // After prepare(): copies the requests, batch by batch; returns how many it copied.
    Result<qint64> copyRequests(const Progress &progress = {});

private:
    Store &m_source;
    Store &m_target;
    QString m_identity;
    QHash<qint64, qint64> m_keyIds; // source key id → target key id, for each request's key
    qint64 m_copiedUpTo = 0; // the last source id the target holds
    qint64 m_total = 0;
};

} // namespace Hooktrail
