// `hooktrail key add | list | revoke`.
#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"
#include "app/cli/options.h"
#include "app/cli/textoutput.h"

#include "core/model/apikey.h"

#include <QTextStream>

namespace Hooktrail::CommandLine {

int keyCommand(CommandContext &context, QStringList words)
{
    if (words.isEmpty())
        return context.usageError(QStringLiteral("key needs a command: add, list, revoke"));
    const QString action = words.takeFirst();
    if (action == QStringLiteral("add")) {
        const Options options = parseOptions(words, { { QStringLiteral("name") } }, 0);
        if (!options.error.isEmpty())
            return context.usageError(options.error);
        const QString name = options.value(QStringLiteral("name")).trimmed();
        if (name.isEmpty() || name.size() > 100)
            return context.usageError(QStringLiteral("key add needs --name, 1 to 100 characters"));
        Store *store = context.store();
        if (!store)
            return context.storeFailure();
        const Result<NewApiKey> added = store->config().addKey(name);
        if (!added)
            return context.failure(added.error());
        context.out << added->secret << '\n';
        context.err
            << "This key is shown once: store it now. Hooktrail keeps only its hash (prefix "
            << added->key.prefix << ").\n";
        return Success;
    }
    if (action == QStringLiteral("list")) {
        Options options;
        Store *store = nullptr;
        if (const auto code = prepare(context, words, {}, 0, options, store))
            return *code;
        const Result<QList<ApiKey>> keys = store->config().keys();
        if (!keys)
            return context.failure(keys.error());
        QList<QStringList> rows;
        for (const ApiKey &key : *keys)
            rows.append(
                { key.prefix, key.revoked ? QStringLiteral("revoked") : QStringLiteral("active"),
                    formatTime(key.created), formatTime(key.lastUsed), key.name });
        printTable(context.out,
            { QStringLiteral("PREFIX"), QStringLiteral("STATE"), QStringLiteral("CREATED"),
                QStringLiteral("LAST USED"), QStringLiteral("NAME") },
            rows);
        return Success;
    }
    if (action == QStringLiteral("revoke"))
        return revokeByPrefix(context, words, QStringLiteral("key"),
            [](Store &store, const QString &prefix) { return store.config().revokeKey(prefix); });
    return context.usageError(QStringLiteral("unknown key command '%1'").arg(action));
}

} // namespace Hooktrail::CommandLine
