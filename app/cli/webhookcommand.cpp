// `hooktrail webhook add | list | show | enable | disable | remove`.
#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"
#include "app/cli/options.h"
#include "app/cli/textoutput.h"

#include "core/model/webhook.h"

#include <QTextStream>

namespace Hooktrail::CommandLine {

int webhookCommand(CommandContext &context, QStringList words)
{
    if (words.isEmpty())
        return context.usageError(
            QStringLiteral("webhook needs a command: add, list, show, enable, disable, remove"));
    const QString action = words.takeFirst();
    if (action == QStringLiteral("add")) {
        const Options options = parseOptions(words,
            { { QStringLiteral("name") }, { QStringLiteral("description") },
                { QStringLiteral("method"), true }, { QStringLiteral("header"), true },
                { QStringLiteral("ip"), true } },
            0);
        if (!options.error.isEmpty())
            return context.usageError(options.error);
        if (!options.has(QStringLiteral("name")))
            return context.usageError(QStringLiteral("webhook add needs --name"));
        Webhook webhook;
        webhook.name = options.value(QStringLiteral("name"));
        webhook.description = options.value(QStringLiteral("description"));
        if (options.has(QStringLiteral("method"))) {
            webhook.methods.clear();
            for (const QString &method : options.values.value(QStringLiteral("method")))
                webhook.methods.append(method.toUpper());
        }
        QList<FieldProblem> problems;
        for (const QString &header : options.values.value(QStringLiteral("header"))) {
            const qsizetype eq = header.indexOf(u'=');
            if (eq <= 0)
                problems.append({ QStringLiteral("headersWhitelist"),
                    QStringLiteral("'%1' is not NAME=VALUE").arg(header) });
            else
                webhook.headerRules.append({ header.left(eq).trimmed(), header.mid(eq + 1) });
        }
        webhook.ipWhitelist = options.values.value(QStringLiteral("ip"));
        problems += validateWebhook(webhook);
        Store *store = context.store();
        if (!store)
            return context.storeFailure();
        if (!webhook.name.trimmed().isEmpty() && store->config().nameTaken(webhook.name).value())
            problems.append({ QStringLiteral("name"),
                QStringLiteral("A webhook named '%1' already exists.")
                    .arg(webhook.name.trimmed()) });
        if (!problems.isEmpty()) {
            context.err << context.programName() << ": the webhook is not valid:\n";
            for (const FieldProblem &problem : problems)
                context.err << "  " << problem.field << ": " << problem.message << '\n';
            context.err.flush();
            return Usage;
        }
        const Result<Webhook> added = store->config().addWebhook(webhook);
        if (!added)
            return context.failure(added.error());
        context.out << json(context.webhookJson(*added));
        return Success;
    }
    if (action == QStringLiteral("list")) {
        Options options;
        Store *store = nullptr;
        if (const auto code = prepare(context, words, {}, 0, options, store))
            return *code;
        const Result<QList<Webhook>> webhooks = store->config().webhooks();
        if (!webhooks)
            return context.failure(webhooks.error());
        QList<QStringList> rows;
        for (const Webhook &webhook : *webhooks)
            rows.append({ webhook.id,
                webhook.enabled ? QStringLiteral("enabled") : QStringLiteral("disabled"),
                webhook.methods.join(u','), webhook.name });
        printTable(context.out,
            { QStringLiteral("ID"), QStringLiteral("STATE"), QStringLiteral("METHODS"),
                QStringLiteral("NAME") },
            rows);
        return Success;
    }
    if (action == QStringLiteral("show") || action == QStringLiteral("enable")
        || action == QStringLiteral("disable") || action == QStringLiteral("remove")) {
        Options options;
        Store *store = nullptr;
        if (const auto code = prepare(context, words, {}, 1, options, store,
                QStringLiteral("webhook %1 needs the webhook's ID").arg(action)))
            return *code;
        const QString id = options.positional.first().toLower();
        const Result<std::optional<Webhook>> found = store->config().webhook(id);
        if (!found)
            return context.failure(found.error());
        if (!found->has_value())
            return context.failure(QStringLiteral("no webhook with ID %1 (see '%2 webhook list')")
                                       .arg(id, context.programName()));
        if (action == QStringLiteral("show")) {
            context.out << json(context.webhookJson(**found));
            return Success;
        }
        Status status = action == QStringLiteral("remove")
            ? store->config().removeWebhook(id)
            : store->config().setWebhookEnabled(id, action == QStringLiteral("enable"));
        if (!status)
            return context.failure(status.error());
        context.out << "webhook " << id << ' '
                    << (action == QStringLiteral("remove")
                               ? "removed (its logged requests are kept)"
                               : action == QStringLiteral("enable") ? "enabled"
                                                                    : "disabled")
                    << '\n';
        return Success;
    }
    return context.usageError(QStringLiteral("unknown webhook command '%1'").arg(action));
}

} // namespace Hooktrail::CommandLine
