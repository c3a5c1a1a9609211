// Which rows of the request log to read, count, chart, export or delete.
#pragma once

#include "core/model/deliverystate.h"

#include <QByteArray>
#include <QString>

namespace Hooktrail {

struct RequestFilter
{
    enum class Outcome { Any, Accepted, Rejected };
    QString webhookId; // exact
    Outcome outcome = Outcome::Any;
    QByteArray reason; // exact reason code, empty = any
    QByteArray method; // exact, empty = any
    int status = 0; // exact HTTP status, 0 = any
    qint64 sinceMicros = 0; // received_at >= since; 0 = unbounded
    qint64 untilMicros = 0; // received_at <  until; 0 = unbounded
    // The request's deliveries taken together (DeliveryState::None: it has none); unset: any.
    std::optional<DeliveryState> delivery;
    QString search; // full-text over headers and body (tokens, AND)
    qint64 beforeId = 0; // page by key: only ids below this (0: from the newest)
    qint64 afterId = 0; // only ids above this (live: rows newer than those shown); 0: unbounded
    int limit = 100;
    // Paging upwards: the `limit` matching rows just above afterId, oldest first.
    bool oldestFirst = false;
};

} // namespace Hooktrail
