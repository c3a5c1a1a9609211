// The request filter `log` and `export` share: --webhook, --outcome, --since, --search, ...
#pragma once

#include "app/cli/options.h"
#include "core/model/requestfilter.h"

#include <optional>

namespace Hooktrail::CommandLine {

// A point in time for --since/--until: an ISO 8601 date or date-time (UTC unless it names a
// zone), or an age such as 15m, 2h or 7d meaning that long ago.
std::optional<qint64> parseTime(const QString &text, qint64 nowMicros);

// The filter options `log` and `export` share.
extern const QList<OptionSpec> FilterOptions;

// Fills filter from the options; returns what is wrong with them, or an empty string.
QString readFilter(const Options &options, RequestFilter &filter);

} // namespace Hooktrail::CommandLine
