// A sub-command's own options: --name VALUE or --name=VALUE, some repeatable, flags that take no
// value, then positionals.
#pragma once

#include "core/model/filterparameters.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace Hooktrail::CommandLine {

// A parsed sub-command's options, or what was wrong with them.
struct Options
{
    QHash<QString, QStringList> values;
    QStringList positional;
    QString error;
    QString value(const QString &name) const { return values.value(name).value(0); }
    bool has(const QString &name) const { return values.contains(name); }
};

struct OptionSpec
{
    QString name;
    bool repeatable = false;
    bool flag = false; // --name alone; its value in Options is empty
};

Options parseOptions(const QStringList &words, const QList<OptionSpec> &specs, int maxPositional);

// A duration: 500ms, 10s, 5m, 24h or 7d (a bare number is seconds); nullopt when unreadable.
using FilterParameters::parseDurationMs;

} // namespace Hooktrail::CommandLine
