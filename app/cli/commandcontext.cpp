// What every command is handed: the settings, the store opened on first use, the two streams.
#include "app/cli/commandcontext.h"

#include <QTextStream>

namespace Hooktrail::CommandLine {

int usageError(QTextStream &err, Program program, const QString &message)
{
    err << programName(program) << ": " << message << "\n\n" << usage(program);
    err.flush();
    return Usage;
}

int failure(QTextStream &err, Program program, const QString &message)
{
    err << programName(program) << ": " << message << '\n';
    err.flush();
    return Failure;
}

CommandContext::CommandContext(
    const Invocation &invocation, QTextStream &output, QTextStream &errors, Program program)
    : m_program(program)
    , m_settings(Settings::resolveDataDir(invocation.dataDir))
    , out(output)
    , err(errors)
{
    m_settings.setDatabase(invocation.database);
}

Store *CommandContext::store()
{
    if (!m_store) {
        auto opened = Store::open(m_settings.database());
        if (!opened) {
            m_error = opened.error();
            return nullptr;
        }
        m_store = std::move(opened).value();
    }
    return m_store.get();
}

int CommandContext::storeFailure()
{
    return failure(
        QStringLiteral("%1 is unusable: %2").arg(m_settings.describeDatabase(), m_error));
}

QJsonObject CommandContext::webhookJson(const Webhook &webhook)
{
    QJsonObject object = webhook.toJson(true);
    object.insert(QStringLiteral("endpoint"), m_settings.endpoint(webhook.id));
    // How many secrets, never which (ARCHITECTURE §5.6).
    if (needsSignature(webhook.authentication)) {
        QJsonObject verification = object.value(QStringLiteral("verification")).toObject();
        verification.insert(
            QStringLiteral("secretCount"), int(webhook.verification.secrets.size()));
        object.insert(QStringLiteral("verification"), verification);
    }
    return object;
}

std::optional<int> prepare(CommandContext &context, const QStringList &words,
    const QList<OptionSpec> &specs, int maxPositional, Options &options, Store *&store,
    const QString &missing)
{
    options = parseOptions(words, specs, maxPositional);
    if (!options.error.isEmpty())
        return context.usageError(options.error);
    if (!missing.isEmpty() && options.positional.size() != maxPositional)
        return context.usageError(missing);
    store = context.store();
    if (!store)
        return context.storeFailure();
    return std::nullopt;
}

int revokeByPrefix(CommandContext &context, const QStringList &words, const QString &noun,
    const std::function<Status(Store &, const QString &)> &revoke)
{
    Options options;
    Store *store = nullptr;
    if (const auto code = prepare(context, words, {}, 1, options, store,
            QStringLiteral("%1 revoke needs the %1's PREFIX (see '%2 %1 list')")
                .arg(noun, context.programName())))
        return *code;
    if (const Status status = revoke(*store, options.positional.first()); !status)
        return context.failure(status.error());
    context.out << noun << ' ' << options.positional.first() << " revoked\n";
    return Success;
}

} // namespace Hooktrail::CommandLine
