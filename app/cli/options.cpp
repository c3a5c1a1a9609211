// A sub-command's own options: --name VALUE or --name=VALUE, some repeatable, flags that take no
// value, then positionals.
#include "app/cli/options.h"

#include <QRegularExpression>
#include <algorithm>

namespace Hooktrail::CommandLine {

Options parseOptions(const QStringList &words, const QList<OptionSpec> &specs, int maxPositional)
{
    Options options;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString &word = words[i];
        if (!word.startsWith(QStringLiteral("--")) || word == QStringLiteral("--")) {
            options.positional.append(word);
            continue;
        }
        QString name = word.mid(2);
        QString value;
        bool inlineValue = false;
        if (const qsizetype eq = name.indexOf(u'='); eq >= 0) {
            value = name.mid(eq + 1);
            name.truncate(eq);
            inlineValue = true;
        }
        const auto spec = std::find_if(
            specs.begin(), specs.end(), [&](const OptionSpec &s) { return s.name == name; });
        if (spec == specs.end()) {
            options.error = QStringLiteral("unknown option --%1").arg(name);
            return options;
        }
        if (spec->flag && inlineValue) {
            options.error = QStringLiteral("--%1 takes no value").arg(name);
            return options;
        }
        if (!inlineValue && !spec->flag) {
            if (i + 1 >= words.size()) {
                options.error = QStringLiteral("--%1 needs a value").arg(name);
                return options;
            }
            value = words[++i];
        }
        if (options.values.contains(name) && !spec->repeatable) {
            options.error = QStringLiteral("--%1 given more than once").arg(name);
            return options;
        }
        options.values[name].append(value);
    }
    if (options.positional.size() > maxPositional)
        options.error = QStringLiteral("unexpected argument '%1'")
                            .arg(options.positional.value(maxPositional));
    return options;
}

} // namespace Hooktrail::CommandLine
