// The state of a delivery (ARCHITECTURE §5.5), shared by the log's rows and the filter.
#pragma once

#include <QString>
#include <QStringView>
#include <optional>

namespace Hooktrail {

// The state of one delivery, and of a request's deliveries together: the highest of its
// deliveries' states, so that a request reads "failed" when any delivery failed, "retrying"
// while any is being retried. The values are stored; never renumber them.
enum class DeliveryState : int {
    None = 0, // a request with no delivery
    Delivered = 1,
    Pending = 2, // no attempt yet
    Retrying = 3,
    Failed = 4, // gave up: a final answer, attempts or age used up
};
QString deliveryStateName(DeliveryState state); // "none", "delivered", "pending", …
std::optional<DeliveryState> deliveryStateFromName(QStringView name);
// In words, translated ("Delivered", "Retrying", …).
QString deliveryStateText(DeliveryState state);

} // namespace Hooktrail
