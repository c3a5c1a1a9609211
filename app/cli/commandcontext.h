// What every command is handed: the settings, the store opened on first use, the two streams.
#pragma once

#include "app/cli/commandline.h"
#include "app/cli/options.h"
#include "core/base/settings.h"
#include "core/model/webhook.h"
#include "core/store/store.h"

#include <QJsonObject>
#include <functional>
#include <memory>
#include <optional>

class QTextStream;

namespace Hooktrail::CommandLine {

// Both print "hooktrail: message" (or "hooktrail-server: ...") and return the exit code to end
// with; a usage error adds the usage text.
int usageError(QTextStream &err, Program program, const QString &message);
int failure(QTextStream &err, Program program, const QString &message);

class CommandContext
{
public:
    CommandContext(
        const Invocation &invocation, QTextStream &output, QTextStream &errors, Program program);

    int usageError(const QString &message)
    {
        return CommandLine::usageError(err, m_program, message);
    }
    int failure(const QString &message) { return CommandLine::failure(err, m_program, message); }
    QString programName() const { return CommandLine::programName(m_program); }

    // The store, opened the first time it is asked for; null when it cannot be opened, and then
    // storeFailure() says why and returns the exit code.
    Store *store();
    int storeFailure();
    Settings &settings() { return m_settings; }

    QJsonObject webhookJson(const Webhook &webhook);

private:
    Program m_program;
    Settings m_settings;
    std::unique_ptr<Store> m_store;
    QString m_error;

public:
    QTextStream &out;
    QTextStream &err;
};

// Parses a sub-command's options and opens the store; returns the exit code when either fails.
// With `missing` set, exactly maxPositional arguments are required and `missing` says what lacks.
std::optional<int> prepare(CommandContext &context, const QStringList &words,
    const QList<OptionSpec> &specs, int maxPositional, Options &options, Store *&store,
    const QString &missing = {});

// `key revoke PREFIX`, `token revoke PREFIX`: the one credential with that prefix, revoked by
// `revoke`; `noun` names the kind in messages ("key", "token").
int revokeByPrefix(CommandContext &context, const QStringList &words, const QString &noun,
    const std::function<Status(Store &, const QString &)> &revoke);

} // namespace Hooktrail::CommandLine
