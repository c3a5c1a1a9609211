// The request filter `log` and `export` share: --webhook, --outcome, --since, --search, ...
#include "app/cli/filteroptions.h"

#include "core/model/filterparameters.h"

namespace Hooktrail::CommandLine {

const QList<OptionSpec> FilterOptions = [] {
    QList<OptionSpec> specs;
    for (const QString &name : FilterParameters::names())
        specs.append({ name });
    return specs;
}();

QString readFilter(const Options &options, RequestFilter &filter)
{
    const std::optional<FilterParameters::Problem> problem = FilterParameters::read(
        [&options](const QString &name) -> std::optional<QString> {
            if (!options.has(name))
                return std::nullopt;
            return options.value(name);
        },
        [](const QString &name) { return QStringLiteral("--") + name; }, filter);
    return problem ? problem->message : QString();
}

} // namespace Hooktrail::CommandLine
