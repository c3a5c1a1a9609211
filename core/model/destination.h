// Where a webhook's accepted requests are delivered onward (ARCHITECTURE §5.5): the
// destination value type, its validation and the state of one delivery.
#pragma once

#include "core/model/deliverystate.h"
#include "core/model/loggedrequest.h"
#include "core/model/webhook.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <optional>

namespace Hooktrail {

struct Destination
{
    static constexpr int DefaultTimeoutMs = 10000;
    static constexpr int MaxTimeoutMs = 300000;
    static constexpr int DefaultMaxAttempts = 8;
    static constexpr int MaxAttemptsLimit = 100;
    static constexpr qint64 DefaultMaxAgeSeconds = 24 * 3600;
    static constexpr qint64 MaxAgeLimitSeconds = 30LL * 24 * 3600;
    static constexpr int MaxHeaders = 50;

    QString id; // lowercase UUID v4
    QString webhookId;
    QString name; // 1-100 characters
    QString url; // http:// or https://, with a host
    bool enabled = true; // false: paused by the user; its deliveries wait for resume
    QList<QPair<QString, QString>> headers; // added to every delivery
    int timeoutMs = DefaultTimeoutMs;
    int maxAttempts = DefaultMaxAttempts;
    qint64 maxAgeSeconds = DefaultMaxAgeSeconds;
    bool forwardPath = true; // append the path after the endpoint and the query (key removed)
    QDateTime created;
    QDateTime updated;

    // Health, kept by the deliverers.
    int failuresInRow = 0;
    bool breakerOpen = false; // paused by itself after failures in a row; probed now and then
    qint64 lastSuccessMicros = 0; // 0: never
    qint64 lastFailureMicros = 0;
    QString lastError;

    // The CLI's JSON: every field but timestamps in micros, health included.
    QJsonObject toJson() const;
};

// One attempt to deliver a request to a destination.
struct DeliveryAttempt
{
    static constexpr qsizetype KeptAnswerBytes = 64 * 1024; // of the destination's answer
    int number = 0; // 1 for the first
    qint64 startedMicros = 0;
    qint64 durationMicros = 0;
    int status = 0; // the destination's HTTP status; 0 when none came (see error)
    QString error; // a timeout, a refused connection…; empty when an answer came
    HeaderList responseHeaders;
    QByteArray responseBody; // its first KeptAnswerBytes
    bool responseCut = false; // the answer was longer
    QString owner; // the receiver that made it

    // The CLI's JSON: at, durationMicros, status or error, responseHeaders, responseBody
    // (text, or base64 with responseBodyEncoding), responseCut.
    QJsonObject toJson() const;
};

// One request's delivery to one destination, with its attempts so far.
struct Delivery
{
    qint64 id = 0;
    qint64 requestId = 0;
    QString destinationId;
    QString destinationName;
    QString webhookId;
    DeliveryState state = DeliveryState::Pending;
    int attempts = 0;
    qint64 createdMicros = 0;
    qint64 nextAttemptMicros = 0; // 0 once it ended
    int lastStatus = 0;
    QString lastError;
    qint64 finishedMicros = 0; // delivered or failed at; 0 before
    QList<DeliveryAttempt> attemptList; // oldest first; filled when asked for

    // The CLI's JSON Lines: requestId, destinationId, state, attempts (each with at,
    // durationMicros, status or error), nextAttemptAt.
    QJsonObject toJson() const;
};

// Which deliveries to list (hooktrail deliveries, the Deliveries tab).
struct DeliveryFilter
{
    QString webhookId;
    QString destinationId;
    qint64 requestId = 0; // 0: any
    std::optional<DeliveryState> state;
    qint64 beforeId = 0; // newest first, paged by key
    int limit = 100;
    bool withAttempts = false;
};

// Every problem, with the field it concerns ("name", "url", "headers", "timeout",
// "maxAttempts", "maxAge").
QList<FieldProblem> validateDestination(const Destination &destination);

// Headers the sender's request carries that a delivery never forwards: about one connection
// (hop-by-hop), set by the client from the URL and body, or Hooktrail's own.
bool isHopByHopHeader(QByteArrayView name);

} // namespace Hooktrail
