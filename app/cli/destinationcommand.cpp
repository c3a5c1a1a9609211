// `hooktrail destination …`, `deliveries` and `redeliver` (ARCHITECTURE §5.5).
#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"
#include "app/cli/filteroptions.h"
#include "app/cli/options.h"
#include "app/cli/textoutput.h"

#include "core/base/terminaltext.h"
#include "core/model/destination.h"
#include "core/store/store.h"

#include <QRegularExpression>
#include <QTextStream>

namespace Hooktrail::CommandLine {

namespace {

const QList<OptionSpec> SettingOptions { { QStringLiteral("url") }, { QStringLiteral("name") },
    { QStringLiteral("header"), true }, { QStringLiteral("timeout") },
    { QStringLiteral("max-attempts") }, { QStringLiteral("max-age") },
    { QStringLiteral("no-path"), false, true } };

// Applies the setting options given; returns what is wrong with them, or an empty string.
QString readSettings(const Options &options, Destination &destination)
{
    if (options.has(QStringLiteral("url")))
        destination.url = options.value(QStringLiteral("url"));
    if (options.has(QStringLiteral("name")))
        destination.name = options.value(QStringLiteral("name"));
    if (options.has(QStringLiteral("header"))) {
        destination.headers.clear();
        for (const QString &header : options.values.value(QStringLiteral("header"))) {
            const qsizetype equals = header.indexOf(u'=');
            if (equals <= 0)
                return QStringLiteral("--header takes NAME=VALUE, not '%1'")
                    .arg(TerminalText::neutralise(header.left(60)));
            destination.headers.append({ header.left(equals).trimmed(), header.mid(equals + 1) });
        }
    }
    if (options.has(QStringLiteral("timeout"))) {
        const auto ms = parseDurationMs(options.value(QStringLiteral("timeout")));
        if (!ms)
            return QStringLiteral("--timeout takes a duration such as 10s or 500ms");
        destination.timeoutMs = int(std::min<qint64>(*ms, INT_MAX));
    }
    if (options.has(QStringLiteral("max-attempts"))) {
        bool ok = false;
        destination.maxAttempts = options.value(QStringLiteral("max-attempts")).toInt(&ok);
        if (!ok)
            return QStringLiteral("--max-attempts takes a whole number");
    }
    if (options.has(QStringLiteral("max-age"))) {
        const auto ms = parseDurationMs(options.value(QStringLiteral("max-age")));
        if (!ms)
            return QStringLiteral("--max-age takes a duration such as 24h or 30m");
        destination.maxAgeSeconds = *ms / 1000;
    }
    if (options.has(QStringLiteral("no-path")))
        destination.forwardPath = false;
    return {};
}

// What a person reads of a destination's state.
QString healthText(const Destination &destination)
{
    if (!destination.enabled)
        return QStringLiteral("paused");
    if (destination.breakerOpen)
        return QStringLiteral("paused by itself after %1 failures in a row (probing)")
            .arg(destination.failuresInRow);
    return QStringLiteral("active");
}

QString microsText(qint64 micros)
{
    return micros ? LoggedRequest::formatTimestamp(micros) : QStringLiteral("-");
}

int printDestination(CommandContext &context, const Destination &destination)
{
    context.out << TerminalText::neutralise(json(destination.toJson())) << '\n';
    return Success;
}

Result<Destination> findDestination(Store &store, const QString &id)
{
    const Result<std::optional<Destination>> found = store.deliveries().destination(id);
    if (!found)
        return Result<Destination>::failure(found.error());
    if (!*found)
        return Result<Destination>::failure(QStringLiteral("no destination with id %1")
                                                .arg(TerminalText::neutralise(id.left(100))));
    return **found;
}

} // namespace

int destinationCommand(CommandContext &context, QStringList words)
{
    if (words.isEmpty())
        return context.usageError(QStringLiteral(
            "destination needs a command: add, list, show, edit, pause, resume, remove"));
    const QString action = words.takeFirst();
    Options options;
    Store *store = nullptr;
    if (action == QStringLiteral("add")) {
        if (const auto code = prepare(context, words,
                SettingOptions + QList<OptionSpec> { { QStringLiteral("webhook") } }, 0, options,
                store))
            return *code;
        if (!options.has(QStringLiteral("webhook")) || !options.has(QStringLiteral("url")))
            return context.usageError(
                QStringLiteral("destination add needs --webhook ID and --url URL"));
        Destination destination;
        destination.webhookId = options.value(QStringLiteral("webhook"));
        if (const QString problem = readSettings(options, destination); !problem.isEmpty())
            return context.usageError(problem);
        const Result<Destination> added = store->deliveries().addDestination(destination);
        if (!added)
            return context.failure(added.error());
        return printDestination(context, *added);
    }
    if (action == QStringLiteral("edit")) {
        if (const auto code = prepare(context, words, SettingOptions, 1, options, store,
                QStringLiteral("destination edit needs the destination's ID")))
            return *code;
        Result<Destination> found = findDestination(*store, options.positional.first());
        if (!found)
            return context.failure(found.error());
        Destination destination = *found;
        if (const QString problem = readSettings(options, destination); !problem.isEmpty())
            return context.usageError(problem);
        if (const Status status = store->deliveries().updateDestination(destination); !status)
            return context.failure(status.error());
        return printDestination(context, *findDestination(*store, destination.id));
    }
    if (action == QStringLiteral("list")) {
        if (const auto code = prepare(context, words,
                { { QStringLiteral("webhook") }, { QStringLiteral("format") } }, 0, options, store))
            return *code;
        const QString format = options.has(QStringLiteral("format"))
            ? options.value(QStringLiteral("format"))
            : QStringLiteral("table");
        if (format != QStringLiteral("table") && format != QStringLiteral("jsonl"))
            return context.usageError(QStringLiteral("--format takes table or jsonl"));
        const Result<QList<Destination>> list
            = store->deliveries().destinations(options.value(QStringLiteral("webhook")));
        if (!list)
            return context.failure(list.error());
        QList<QStringList> rows;
        for (const Destination &destination : *list) {
            if (format == QStringLiteral("jsonl"))
                context.out << TerminalText::neutralise(json(destination.toJson(), false)) << '\n';
            else
                rows.append({ destination.id, destination.name, destination.url,
                    healthText(destination), microsText(destination.lastSuccessMicros),
                    QString::number(destination.failuresInRow) });
        }
        if (format == QStringLiteral("table"))
            printTable(context.out,
                { QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("URL"),
                    QStringLiteral("STATE"), QStringLiteral("LAST SUCCESS"),
                    QStringLiteral("FAILURES IN A ROW") },
                rows);
        return Success;
    }
    const bool known = action == QStringLiteral("show") || action == QStringLiteral("pause")
        || action == QStringLiteral("resume") || action == QStringLiteral("remove");
    if (!known)
        return context.usageError(QStringLiteral("unknown destination command '%1'")
                                      .arg(TerminalText::neutralise(action.left(60))));
    if (const auto code = prepare(context, words, {}, 1, options, store,
            QStringLiteral("destination %1 needs the destination's ID (see '%2 destination list')")
                .arg(action, context.programName())))
        return *code;
    const Result<Destination> found = findDestination(*store, options.positional.first());
    if (!found)
        return context.failure(found.error());
    if (action == QStringLiteral("show"))
        return printDestination(context, *found);
    if (action == QStringLiteral("remove")) {
        if (const Status status = store->deliveries().removeDestination(found->id); !status)
            return context.failure(status.error());
        context.out << "destination " << found->id << " removed, with its deliveries\n";
        return Success;
    }
    const bool resume = action == QStringLiteral("resume");
    if (const Status status = store->deliveries().setDestinationEnabled(found->id, resume); !status)
        return context.failure(status.error());
    context.out << "destination " << found->id << (resume ? " resumed" : " paused") << '\n';
    return Success;
}

int deliveriesCommand(CommandContext &context, const QStringList &words)
{
    Options options;
    Store *store = nullptr;
    if (const auto code = prepare(context, words,
            { { QStringLiteral("webhook") }, { QStringLiteral("destination") },
                { QStringLiteral("request") }, { QStringLiteral("state") },
                { QStringLiteral("limit") }, { QStringLiteral("format") } },
            0, options, store))
        return *code;
    DeliveryFilter filter;
    filter.webhookId = options.value(QStringLiteral("webhook"));
    filter.destinationId = options.value(QStringLiteral("destination"));
    if (options.has(QStringLiteral("request"))) {
        bool ok = false;
        filter.requestId = options.value(QStringLiteral("request")).toLongLong(&ok);
        if (!ok || filter.requestId < 1)
            return context.usageError(QStringLiteral("--request takes a request id"));
    }
    if (options.has(QStringLiteral("state"))) {
        const auto state = deliveryStateFromName(options.value(QStringLiteral("state")));
        if (!state || *state == DeliveryState::None)
            return context.usageError(
                QStringLiteral("--state takes pending, retrying, delivered or failed"));
        filter.state = state;
    }
    filter.limit = 50;
    if (options.has(QStringLiteral("limit"))) {
        bool ok = false;
        filter.limit = options.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || filter.limit < 1)
            return context.usageError(QStringLiteral("--limit takes a positive whole number"));
    }
    const QString format = options.has(QStringLiteral("format"))
        ? options.value(QStringLiteral("format"))
        : QStringLiteral("table");
    if (format != QStringLiteral("table") && format != QStringLiteral("jsonl"))
        return context.usageError(QStringLiteral("--format takes table or jsonl"));
    filter.withAttempts = format == QStringLiteral("jsonl");
    const Result<QList<Delivery>> found = store->deliveries().deliveries(filter);
    if (!found)
        return context.failure(found.error());
    QList<QStringList> rows;
    for (const Delivery &delivery : *found) {
        if (filter.withAttempts) {
            context.out << TerminalText::neutralise(json(delivery.toJson(), false)) << '\n';
            continue;
        }
        const QString last = !delivery.lastError.isEmpty() ? delivery.lastError
            : delivery.lastStatus                          ? QString::number(delivery.lastStatus)
                                                           : QStringLiteral("-");
        rows.append({ QString::number(delivery.requestId), delivery.destinationName,
            deliveryStateName(delivery.state), QString::number(delivery.attempts), last,
            microsText(delivery.nextAttemptMicros) });
    }
    if (!filter.withAttempts)
        printTable(context.out,
            { QStringLiteral("REQUEST"), QStringLiteral("DESTINATION"), QStringLiteral("STATE"),
                QStringLiteral("ATTEMPTS"), QStringLiteral("LAST"),
                QStringLiteral("NEXT ATTEMPT") },
            rows);
    return Success;
}

int redeliverCommand(CommandContext &context, const QStringList &words)
{
    Options options;
    Store *store = nullptr;
    if (const auto code = prepare(context, words,
            FilterOptions
                + QList<OptionSpec> { { QStringLiteral("request") },
                    { QStringLiteral("destination") } },
            0, options, store))
        return *code;
    const QString destination = options.value(QStringLiteral("destination"));
    if (!destination.isEmpty()) {
        if (const Result<Destination> found = findDestination(*store, destination); !found)
            return context.failure(found.error());
    }
    Result<qint64> scheduled = qint64(0);
    if (options.has(QStringLiteral("request"))) {
        bool ok = false;
        const qint64 id = options.value(QStringLiteral("request")).toLongLong(&ok);
        if (!ok || id < 1)
            return context.usageError(QStringLiteral("--request takes a request id"));
        const Result<std::optional<LoggedRequest>> request = store->queries().request(id);
        if (!request)
            return context.failure(request.error());
        if (!*request)
            return context.failure(QStringLiteral("no request with id %1").arg(id));
        if (!(*request)->accepted())
            return context.failure(
                QStringLiteral("request %1 was rejected: only accepted requests are delivered")
                    .arg(id));
        scheduled = store->deliveries().redeliver(QList<qint64> { id }, destination);
    } else {
        RequestFilter filter;
        if (const QString problem = readFilter(options, filter); !problem.isEmpty())
            return context.usageError(problem);
        scheduled = store->deliveries().redeliver(filter, destination);
    }
    if (!scheduled)
        return context.failure(scheduled.error());
    context.out << *scheduled << (*scheduled == 1 ? " delivery" : " deliveries")
                << " scheduled; a running receiver sends them within a second\n";
    return Success;
}

} // namespace Hooktrail::CommandLine
