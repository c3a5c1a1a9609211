// What a delivery sends and how its answer is read (ARCHITECTURE §5.5): the request as it was
// received, byte for byte, minus what must not travel, plus Hooktrail's own headers.
#pragma once

#include "core/http/httpclient.h"
#include "core/model/destination.h"
#include "core/store/deliverytables.h"

namespace Hooktrail::Forwarding {

inline constexpr char RequestIdHeader[] = "X-Hooktrail-Request-Id";
inline constexpr char AttemptHeader[] = "X-Hooktrail-Delivery-Attempt";
// Names the receiver that forwarded; a Hooktrail endpoint that would forward such a request
// again refuses it (508 forwarding_loop), so a destination pointing back ends after one hop.
inline constexpr char ForwardedByHeader[] = "X-Hooktrail-Forwarded-By";

// The request a job sends: the original method and body; the destination's URL, followed, when
// it forwards the path, by what came after the endpoint's path and by the query without the
// API key; the original headers without hop-by-hop ones, without secrets Hooktrail redacted
// (the key header, Authorization, Cookie), without those the destination sets; then the
// destination's headers and Hooktrail's three.
OutgoingRequest deliveryRequest(const DeliveryJob &job, const QString &forwardedBy);

// A small JSON request that shows a destination works, sent from the webhook form: the
// destination's URL and headers, Hooktrail's headers with request id 0.
OutgoingRequest testRequest(const Destination &destination, const QString &forwardedBy);

// How an attempt's answer leaves its delivery: 2xx delivered; 408, 429, 5xx but 508, and no
// answer at all retried; anything else failed at once.
enum class Verdict { Delivered, Retry, Fail };
Verdict verdict(int status);

} // namespace Hooktrail::Forwarding
