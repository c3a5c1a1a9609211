// Logging categories, one per subsystem.
#include "core/base/logging.h"

Q_LOGGING_CATEGORY(lcReceiver, "hooktrail.receiver", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "hooktrail.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "hooktrail.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDelivery, "hooktrail.delivery", QtInfoMsg)
Q_LOGGING_CATEGORY(lcVerification, "hooktrail.verification", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApi, "hooktrail.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCli, "hooktrail.cli", QtInfoMsg)
