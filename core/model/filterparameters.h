// The request filter read from named text values: the command line's --webhook, --status, …
// and the local API's query parameters of the same names, one reading for both.
#pragma once

#include "core/model/requestfilter.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace Hooktrail::FilterParameters {

// webhook, outcome, search, since, until, status, reason, method.
const QStringList &names();

// A point in time for since/until: an ISO 8601 date or date-time (UTC unless it names a zone),
// or an age such as 15m, 2h or 7d meaning that long ago.
std::optional<qint64> parseTime(const QString &text, qint64 nowMicros);

// A duration: 500ms, 10s, 5m, 24h or 7d (a bare number is seconds); nullopt when unreadable.
std::optional<qint64> parseDurationMs(const QString &text);

struct Problem
{
    QString parameter; // the name, as in names()
    QString message; // what is wrong, naming the parameter as `spelled` spells it
};

// The value of a parameter, or nullopt when it was not given.
using Lookup = std::function<std::optional<QString>(const QString &name)>;

// Fills filter's fields from the values; `spelled` writes a name as its caller's users type
// it ("--status" on the command line, "status" in the API). The first problem, if any.
std::optional<Problem> read(const Lookup &value,
    const std::function<QString(const QString &)> &spelled, RequestFilter &filter);

} // namespace Hooktrail::FilterParameters
