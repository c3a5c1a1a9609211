// The request filter `log` and `export` share: --webhook, --outcome, --since, --search, ...
#pragma once

#include "app/cli/options.h"
#include "core/model/requestfilter.h"

#include <optional>

namespace Hooktrail::CommandLine {

// The filter options `log` and `export` share.
extern const QList<OptionSpec> FilterOptions;

// Fills filter from the options; returns what is wrong with them, or an empty string.
QString readFilter(const Options &options, RequestFilter &filter);

} // namespace Hooktrail::CommandLine
