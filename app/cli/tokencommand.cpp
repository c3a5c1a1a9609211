// `hooktrail token add | list | revoke`: the local API's tokens (ARCHITECTURE §5.7).
#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"
#include "app/cli/options.h"
#include "app/cli/textoutput.h"

#include "core/store/store.h"

#include <QTextStream>

namespace Hooktrail::CommandLine {

int tokenCommand(CommandContext &context, QStringList words)
{
    if (words.isEmpty())
        return context.usageError(QStringLiteral("token needs a command: add, list, revoke"));
    const QString action = words.takeFirst();
    if (action == QStringLiteral("add")) {
        const Options options = parseOptions(
            words, { { QStringLiteral("name") }, { QStringLiteral("read-only"), false, true } }, 0);
        if (!options.error.isEmpty())
            return context.usageError(options.error);
        const QString name = options.value(QStringLiteral("name")).trimmed();
        if (name.isEmpty() || name.size() > 100)
            return context.usageError(
                QStringLiteral("token add needs --name, 1 to 100 characters"));
        Store *store = context.store();
        if (!store)
            return context.storeFailure();
        const Result<NewApiToken> added
            = store->tokens().addToken(name, options.has(QStringLiteral("read-only")));
        if (!added)
            return context.failure(added.error());
        context.out << added->secret << '\n';
        context.err << "This token is shown once: store it now. Hooktrail keeps only its hash "
                       "(prefix "
                    << added->token.prefix << "). Send it as Authorization: Bearer <token>.\n";
        return Success;
    }
    if (action == QStringLiteral("list")) {
        Options options;
        Store *store = nullptr;
        if (const auto code = prepare(context, words, {}, 0, options, store))
            return *code;
        const Result<QList<ApiToken>> tokens = store->tokens().tokens();
        if (!tokens)
            return context.failure(tokens.error());
        QList<QStringList> rows;
        for (const ApiToken &token : *tokens)
            rows.append({ token.prefix,
                token.revoked ? QStringLiteral("revoked") : QStringLiteral("active"),
                token.readOnly ? QStringLiteral("read") : QStringLiteral("read, write"),
                formatTime(token.created), formatTime(token.lastUsed), token.name });
        printTable(context.out,
            { QStringLiteral("PREFIX"), QStringLiteral("STATE"), QStringLiteral("ACCESS"),
                QStringLiteral("CREATED"), QStringLiteral("LAST USED"), QStringLiteral("NAME") },
            rows);
        return Success;
    }
    if (action == QStringLiteral("revoke"))
        return revokeByPrefix(context, words, QStringLiteral("token"),
            [](Store &store, const QString &prefix) { return store.tokens().revokeToken(prefix); });
    return context.usageError(QStringLiteral("unknown token command '%1'").arg(action));
}

} // namespace Hooktrail::CommandLine
