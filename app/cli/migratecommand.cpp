// `hooktrail migrate`: a local SQLite history copied into another database.
#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"
#include "app/cli/options.h"

#include "core/store/storemigration.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

namespace Hooktrail::CommandLine {

// Copies a SQLite history into another database (normally a shared PostgreSQL one); the work
// is StoreMigration's, what is said about it here.
int migrateCommand(CommandContext &context, const QStringList &words)
{
    const Options options
        = parseOptions(words, { { QStringLiteral("from") }, { QStringLiteral("to") } }, 0);
    if (!options.error.isEmpty())
        return context.usageError(options.error);
    if (!options.has(QStringLiteral("from")) || !options.has(QStringLiteral("to")))
        return context.usageError(
            QStringLiteral("migrate needs --from sqlite:PATH and --to postgresql://user@host/db"));
    QString from = options.value(QStringLiteral("from"));
    if (from.startsWith(QLatin1String("sqlite:")))
        from = from.mid(7);
    const QString to = options.value(QStringLiteral("to"));
    if (from.isEmpty() || Store::isPostgresUrl(from))
        return context.usageError(QStringLiteral("--from takes a SQLite file: sqlite:PATH"));
    const QFileInfo source(from);
    if (!source.isFile())
        return context.failure(QStringLiteral("no SQLite database at %1").arg(from));
    if (!Store::isPostgresUrl(to)
        && QFileInfo(to).canonicalFilePath() == source.canonicalFilePath())
        return context.usageError(QStringLiteral("--from and --to are the same database"));
    const QString shownTo = Store::isPostgresUrl(to) ? Store::redactedUrl(to) : to;

    Result<std::unique_ptr<Store>> input = Store::openSqlite(source.absoluteFilePath());
    if (!input)
        return context.failure(QStringLiteral("cannot open %1: %2").arg(from, input.error()));
    Result<std::unique_ptr<Store>> output = Store::open(to);
    if (!output)
        return context.failure(QStringLiteral("cannot open %1: %2").arg(shownTo, output.error()));
    StoreMigration migration(
        **input, **output, QStringLiteral("sqlite:") + source.canonicalFilePath());
    const auto failed = [&](const QString &error) {
        return context.failure(QStringLiteral("migrate: %1").arg(error));
    };
    const Result<StoreMigration::Plan> plan = migration.prepare();
    if (!plan)
        return failed(plan.error());
    context.out << "webhooks: " << plan->webhooksAdded << " added, "
                << plan->webhooks - plan->webhooksAdded << " there already; keys: " << plan->keys
                << "; requests to copy: " << plan->requests
                << (plan->resumed ? " (the rest were copied before)" : "") << '\n';
    context.out.flush();

    QElapsedTimer sinceReport;
    sinceReport.start();
    const Result<qint64> done = migration.copyRequests([&](qint64 copied, qint64 total) {
        if (sinceReport.elapsed() < 1000)
            return;
        context.out << "copied " << copied << " of " << total << " requests ("
                    << (total > 0 ? copied * 100 / total : 100) << "%)\n";
        context.out.flush();
        sinceReport.restart();
    });
    if (!done)
        return failed(done.error());
    const qint64 copied = *done;
    context.out << "copied " << copied << (copied == 1 ? " request" : " requests") << " from "
                << from << " to " << shownTo << '\n';
    return Success;
}

} // namespace Hooktrail::CommandLine
