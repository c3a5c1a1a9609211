// What the store answers besides the model's own types, with no SQL in sight (the console's).
#pragma once

#include "core/model/apikey.h"

#include <QList>
#include <QString>

namespace Hooktrail {

// What the console's list shows of one webhook's traffic.
struct WebhookActivity
{
    static constexpr int BucketCount = 24;
    static constexpr qint64 BucketMicros = qint64(3600) * 1000000; // one hour
    qint64 lastRequestMicros = 0; // 0: never
    qint64 count = 0; // requests since the start of the window
    QList<int> buckets; // BucketCount hours from the start of the window, oldest first
};

struct NewApiKey
{
    ApiKey key;
    QString secret; // the whole key, shown once and never stored
};

struct NewApiToken
{
    ApiToken token;
    QString secret; // the whole token, shown once and never stored
};

// One slice of the history's chart.
struct HistogramBucket
{
    qint64 startMicros;
    qint64 accepted;
    qint64 rejected;
};

struct RetentionResult
{
    qint64 removedByAge = 0;
    qint64 removedByCount = 0;
};

} // namespace Hooktrail
