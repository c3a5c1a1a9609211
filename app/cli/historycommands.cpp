// The history from the command line: `hooktrail log`, `export` and `curl`.
#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"
#include "app/cli/filteroptions.h"
#include "app/cli/options.h"
#include "app/cli/signalpipe.h"
#include "app/cli/terminaldevice.h"
#include "app/cli/textoutput.h"

#include "core/base/savetofile.h"
#include "core/base/terminaltext.h"
#include "core/history/curlcommand.h"
#include "core/history/requestexport.h"
#include "core/model/webhook.h"
#include "core/store/commitwatcher.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QTextStream>
#include <unistd.h>

namespace Hooktrail::CommandLine {

namespace {

// "-" for a request that reached no webhook; a removed webhook's requests keep its id, all that
// is left of it.
QString webhookName(const QHash<QString, QString> &names, const QString &id)
{
    if (id.isEmpty())
        return QStringLiteral("-");
    return names.value(id, id);
}

} // namespace

static int followLog(CommandContext &context, RequestFilter filter, qint64 after,
    const std::function<void(const QList<LoggedRequest> &)> &print);

int logCommand(CommandContext &context, const QStringList &words)
{
    const Options options = parseOptions(words,
        FilterOptions
            + QList<OptionSpec> { { QStringLiteral("limit") }, { QStringLiteral("format") },
                { QStringLiteral("follow"), false, true } },
        0);
    if (!options.error.isEmpty())
        return context.usageError(options.error);
    RequestFilter filter;
    if (const QString problem = readFilter(options, filter); !problem.isEmpty())
        return context.usageError(problem);
    if (options.has(QStringLiteral("limit"))) {
        bool ok = false;
        filter.limit = options.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || filter.limit < 1)
            return context.usageError(QStringLiteral("--limit takes a positive whole number"));
    } else {
        filter.limit = 50;
    }
    const QString format = options.has(QStringLiteral("format"))
        ? options.value(QStringLiteral("format"))
        : QStringLiteral("table");
    if (format != QStringLiteral("table") && format != QStringLiteral("jsonl"))
        return context.usageError(QStringLiteral("--format takes table or jsonl"));

    Store *store = context.store();
    if (!store)
        return context.storeFailure();
    // The table names each request's webhook as people do; --format jsonl has the id.
    QHash<QString, QString> webhookNames;
    if (format == QStringLiteral("table")) {
        const Result<QList<Webhook>> webhooks = store->config().webhooks();
        if (!webhooks)
            return context.failure(webhooks.error());
        for (const Webhook &webhook : *webhooks)
            webhookNames.insert(webhook.id, webhook.name);
    }
    const bool jsonl = format == QStringLiteral("jsonl");
    const QStringList header { QStringLiteral("ID"), QStringLiteral("RECEIVED (UTC)"),
        QStringLiteral("STATUS"), QStringLiteral("REASON"), QStringLiteral("METHOD"),
        QStringLiteral("CLIENT"), QStringLiteral("WEBHOOK") };
    QList<QStringList> rows;
    const auto take = [&](const LoggedRequest &entry) {
        if (jsonl) // the same JSON, C1 controls escaped too
            context.out << TerminalText::neutralise(json(entry.toJson(), false)) << '\n';
        else
            rows.append(
                { QString::number(entry.id), LoggedRequest::formatTimestamp(entry.receivedAtMicros),
                    QString::number(entry.status), QString::fromLatin1(entry.reason),
                    receivedText(entry.method), entry.clientAddress,
                    webhookName(webhookNames, entry.webhookId) });
    };
    // Where following starts: after the newest row there is now, read before the listing so a
    // row committed in between is printed once it is followed.
    qint64 followAfter = 0;
    const bool follow = options.has(QStringLiteral("follow"));
    if (follow) {
        const Result<qint64> newest = store->queries().newestRequestId();
        if (!newest)
            return context.failure(newest.error());
        followAfter = *newest;
    }
    // Pages by key so a large --limit never loads the whole log at once.
    const int wanted = filter.limit;
    int printed = 0;
    RequestFilter page = filter;
    page.beforeId = follow ? followAfter + 1 : 0;
    while (printed < wanted) {
        page.limit = std::min(1000, wanted - printed);
        const Result<QList<LoggedRequest>> found = store->queries().requests(page);
        if (!found)
            return context.failure(found.error());
        for (const LoggedRequest &entry : *found)
            take(entry);
        printed += int(found->size());
        if (found->size() < page.limit)
            break;
        page.beforeId = found->last().id;
    }
    QList<qsizetype> widths;
    if (!jsonl)
        widths = printTable(context.out, header, rows);
    context.out.flush();
    if (!follow)
        return Success;
    return followLog(context, filter, followAfter, [&](const QList<LoggedRequest> &entries) {
        rows.clear();
        for (const LoggedRequest &entry : entries)
            take(entry);
        if (!jsonl)
            widths = printTable(context.out, header, rows, widths, false);
        context.out.flush();
    });
}

// log --follow: each matching row committed after `after`, oldest first, as it comes (the
// database's notification on PostgreSQL, the file's changes on SQLite), until SIGINT/SIGTERM.
static int followLog(CommandContext &context, RequestFilter filter, qint64 after,
    const std::function<void(const QList<LoggedRequest> &)> &print)
{
    Store *store = context.store();
    SignalPipe signalPipe;
    QObject::connect(&signalPipe, &SignalPipe::terminationRequested, qApp, &QCoreApplication::quit);
    CommitWatcher watcher(*store);
    int failure = Success;
    const auto look = [&] {
        for (;;) {
            filter.afterId = after;
            filter.beforeId = 0;
            filter.oldestFirst = true;
            filter.limit = 500;
            const Result<QList<LoggedRequest>> found = store->queries().requests(filter);
            if (!found) {
                failure = context.failure(found.error());
                QCoreApplication::exit(failure);
                return;
            }
            if (found->isEmpty())
                return;
            print(*found);
            after = found->last().id;
            if (found->size() < filter.limit)
                return;
        }
    };
    QObject::connect(&watcher, &CommitWatcher::changed, &watcher, look);
    look(); // what came while the listing was printed
    QCoreApplication::exec();
    return failure;
}

int exportCommand(CommandContext &context, QStringList words)
{
    for (QString &word : words) {
        if (word == QStringLiteral("-o"))
            word = QStringLiteral("--output");
    }
    const Options options = parseOptions(words,
        FilterOptions
            + QList<OptionSpec> { { QStringLiteral("format") }, { QStringLiteral("output") } },
        0);
    if (!options.error.isEmpty())
        return context.usageError(options.error);
    const std::optional<RequestExport::Format> format
        = RequestExport::formatFromName(options.value(QStringLiteral("format")));
    if (!format)
        return context.usageError(QStringLiteral("export needs --format har, jsonl or csv"));
    RequestFilter filter;
    if (const QString problem = readFilter(options, filter); !problem.isEmpty())
        return context.usageError(problem);
    const QString path = options.value(QStringLiteral("output"));
    if (options.has(QStringLiteral("output")) && path.isEmpty())
        return context.usageError(QStringLiteral("--output needs a file name"));

    Store *store = context.store();
    if (!store)
        return context.storeFailure();
    qint64 written = 0;
    const auto counted = [&written](qint64 done, qint64) {
        written = done;
        return true;
    };
    if (path.isEmpty()) {
        // Straight to standard output, after whatever the text stream still holds.
        context.out.flush();
        QFile standardOutput;
        if (!standardOutput.open(stdout, QIODevice::WriteOnly))
            return context.failure(QStringLiteral("cannot write to standard output"));
        TerminalDevice terminal(standardOutput);
        QIODevice &device = ::isatty(STDOUT_FILENO) ? static_cast<QIODevice &>(terminal)
                                                    : static_cast<QIODevice &>(standardOutput);
        const Status status = RequestExport::write(*store, *format, filter, {}, device, counted);
        standardOutput.flush();
        return status ? Success : context.failure(status.error());
    }
    // Written beside and renamed at the end: a failed export never leaves half a file.
    if (const Status status = SaveToFile::save(path,
            [&](QIODevice &file) {
                return RequestExport::write(*store, *format, filter, {}, file, counted);
            });
        !status)
        return context.failure(status.error());
    context.err << "exported " << written << (written == 1 ? " request" : " requests") << " to "
                << path << '\n';
    return Success;
}

// What the console's "Copy as curl" copies for the request, key left as the placeholder.
int curlCommand(CommandContext &context, const QStringList &words)
{
    const Options options = parseOptions(words, {}, 1);
    if (!options.error.isEmpty())
        return context.usageError(options.error);
    bool ok = false;
    const qint64 id = options.positional.value(0).toLongLong(&ok);
    if (options.positional.isEmpty() || !ok || id < 1)
        return context.usageError(
            QStringLiteral("curl needs the request's ID, a positive whole number (see '%1 log')")
                .arg(context.programName()));
    Store *store = context.store();
    if (!store)
        return context.storeFailure();
    const Result<std::optional<LoggedRequest>> found = store->queries().request(id);
    if (!found)
        return context.failure(found.error());
    if (!found->has_value())
        return context.failure(QStringLiteral("no request with ID %1 (see '%2 log')")
                                   .arg(id)
                                   .arg(context.programName()));
    context.out << CurlCommand::fromRequest(**found, context.settings().baseUrl()) << '\n';
    return Success;
}

} // namespace Hooktrail::CommandLine
