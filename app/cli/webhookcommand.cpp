// `hooktrail webhook add | edit | list | show | enable | disable | remove`.
#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"
#include "app/cli/options.h"
#include "app/cli/textoutput.h"

#include "core/model/webhook.h"

#include <QFile>
#include <QTextStream>

#include <algorithm>
#include <climits>

#include <variant>

namespace Hooktrail::CommandLine {

namespace {

const QString AnyContentType = QStringLiteral("accept-any-content-type");
const QString CheckContentType = QStringLiteral("check-content-type");
const QString ContractResponse = QStringLiteral("contract-response");

// The options add and edit share; edit also takes --check-content-type and
// --contract-response.
QList<OptionSpec> settingOptions()
{
    return { { QStringLiteral("name") }, { QStringLiteral("description") },
        { QStringLiteral("method"), true }, { QStringLiteral("header"), true },
        { QStringLiteral("ip"), true }, { AnyContentType, false, true }, { QStringLiteral("auth") },
        { QStringLiteral("verify") }, { QStringLiteral("secret"), true },
        { QStringLiteral("secret-file"), true }, { QStringLiteral("hmac-header") },
        { QStringLiteral("hmac-algorithm") }, { QStringLiteral("hmac-encoding") },
        { QStringLiteral("hmac-prefix") }, { QStringLiteral("hmac-timestamp-header") },
        { QStringLiteral("hmac-payload") }, { QStringLiteral("tolerance") },
        { QStringLiteral("response-status") }, { QStringLiteral("response-body") },
        { QStringLiteral("response-content-type") }, { QStringLiteral("response-header"), true },
        { QStringLiteral("response-delay") } };
}

// A secret from a file (one secret, its line end dropped), or standard input for "-"; so that
// it is never on a command line, where `ps` shows it to every user.
std::optional<QString> readSecretFile(const QString &path, QString *error)
{
    QFile file;
    const bool opened = path == u"-" ? file.open(stdin, QIODevice::ReadOnly)
                                     : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened) {
        *error = QStringLiteral("cannot read the secret file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.read(Verification::MaxSecretBytes + 2);
    QString secret = QString::fromUtf8(bytes);
    while (secret.endsWith(u'\n') || secret.endsWith(u'\r'))
        secret.chop(1);
    return secret;
}

// The authentication and response options (ARCHITECTURE §5.6); what cannot be read at all is a
// usage error, returned; what is read but not valid is left to validation.
QString applyAuthOptions(const Options &options, Webhook &webhook)
{
    Verification &verification = webhook.verification;
    if (options.has(QStringLiteral("auth"))
        && !authModeFromName(options.value(QStringLiteral("auth")), &webhook.authentication))
        return QStringLiteral("--auth takes key, signature or key+signature");
    if (options.has(QStringLiteral("verify"))) {
        if (!presetFromName(options.value(QStringLiteral("verify")), &verification.preset))
            return QStringLiteral(
                "--verify takes github, stripe, shopify, slack, standard (or svix) or hmac");
        // Naming a scheme asks for it: on a webhook on the key alone, the signature alone.
        if (!options.has(QStringLiteral("auth")) && !needsSignature(webhook.authentication))
            webhook.authentication = AuthMode::Signature;
    }
    if (options.has(QStringLiteral("secret")) || options.has(QStringLiteral("secret-file"))) {
        verification.secrets = options.values.value(QStringLiteral("secret"));
        for (const QString &path : options.values.value(QStringLiteral("secret-file"))) {
            QString error;
            const std::optional<QString> secret = readSecretFile(path, &error);
            if (!secret)
                return error;
            verification.secrets.append(*secret);
        }
    }
    HmacScheme &hmac = verification.hmac;
    if (options.has(QStringLiteral("hmac-header")))
        hmac.header = options.value(QStringLiteral("hmac-header"));
    if (options.has(QStringLiteral("hmac-algorithm"))
        && !parseHmacAlgorithm(options.value(QStringLiteral("hmac-algorithm")), &hmac.algorithm))
        return QStringLiteral("--hmac-algorithm takes sha1, sha256 or sha512");
    if (options.has(QStringLiteral("hmac-encoding"))
        && !parseSignatureEncoding(options.value(QStringLiteral("hmac-encoding")), &hmac.encoding))
        return QStringLiteral("--hmac-encoding takes hex or base64");
    if (options.has(QStringLiteral("hmac-prefix")))
        hmac.prefix = options.value(QStringLiteral("hmac-prefix"));
    if (options.has(QStringLiteral("hmac-timestamp-header")))
        hmac.timestampHeader = options.value(QStringLiteral("hmac-timestamp-header"));
    if (options.has(QStringLiteral("hmac-payload")))
        hmac.payloadTemplate = options.value(QStringLiteral("hmac-payload"));
    if (options.has(QStringLiteral("tolerance"))) {
        const std::optional<qint64> ms
            = parseDurationMs(options.value(QStringLiteral("tolerance")));
        if (!ms)
            return QStringLiteral("--tolerance takes a duration such as 5m or 300s");
        verification.toleranceSeconds = int(std::min<qint64>(*ms / 1000, INT_MAX));
    }

    const bool responds = std::any_of(options.values.keyBegin(), options.values.keyEnd(),
        [](const QString &name) { return name.startsWith(u"response-"); });
    if (!responds)
        return {};
    CustomResponse response = webhook.response.value_or(CustomResponse {});
    if (options.has(QStringLiteral("response-status"))) {
        bool ok = false;
        response.status = options.value(QStringLiteral("response-status")).toInt(&ok);
        if (!ok)
            return QStringLiteral("--response-status takes a number from 100 to 599");
    }
    if (options.has(QStringLiteral("response-body"))) {
        const QString body = options.value(QStringLiteral("response-body"));
        if (body.startsWith(u'@')) {
            QFile file(body.mid(1));
            if (!file.open(QIODevice::ReadOnly))
                return QStringLiteral("cannot read the response body from %1: %2")
                    .arg(body.mid(1), file.errorString());
            response.body = QString::fromUtf8(file.read(CustomResponse::MaxBodyBytes + 1));
        } else {
            response.body = body;
        }
    }
    if (options.has(QStringLiteral("response-content-type")))
        response.contentType = options.value(QStringLiteral("response-content-type"));
    if (options.has(QStringLiteral("response-header"))) {
        response.headers.clear();
        for (const QString &header : options.values.value(QStringLiteral("response-header"))) {
            if (header.isEmpty())
                continue;
            const qsizetype eq = header.indexOf(u'=');
            if (eq <= 0)
                return QStringLiteral("--response-header takes NAME=VALUE, not '%1'").arg(header);
            response.headers.append({ header.left(eq).trimmed(), header.mid(eq + 1) });
        }
    }
    if (options.has(QStringLiteral("response-delay"))) {
        const std::optional<qint64> ms
            = parseDurationMs(options.value(QStringLiteral("response-delay")));
        if (!ms)
            return QStringLiteral("--response-delay takes a duration such as 500ms or 2s");
        response.delayMs = int(std::min<qint64>(*ms, INT_MAX));
    }
    webhook.response = response;
    return {};
}

// Sets every field an option names (a list option replaces the list; an empty value stands for
// none, so `--ip ''` clears it) and collects what is wrong with the values.
void applyOptions(const Options &options, Webhook &webhook, QList<FieldProblem> &problems)
{
    if (options.has(QStringLiteral("name")))
        webhook.name = options.value(QStringLiteral("name"));
    if (options.has(QStringLiteral("description")))
        webhook.description = options.value(QStringLiteral("description"));
    const auto given = [&options](const QString &name) {
        QStringList values = options.values.value(name);
        values.removeAll(QString());
        return values;
    };
    if (options.has(QStringLiteral("method"))) {
        webhook.methods.clear();
        for (const QString &method : given(QStringLiteral("method")))
            webhook.methods.append(method.toUpper());
    }
    if (options.has(QStringLiteral("header"))) {
        webhook.headerRules.clear();
        for (const QString &header : given(QStringLiteral("header"))) {
            const qsizetype eq = header.indexOf(u'=');
            if (eq <= 0)
                problems.append({ QStringLiteral("headersWhitelist"),
                    QStringLiteral("'%1' is not NAME=VALUE").arg(header) });
            else
                webhook.headerRules.append({ header.left(eq).trimmed(), header.mid(eq + 1) });
        }
    }
    if (options.has(QStringLiteral("ip")))
        webhook.ipWhitelist = given(QStringLiteral("ip"));
    if (options.has(AnyContentType))
        webhook.acceptAnyContentType = true;
    if (options.has(CheckContentType))
        webhook.acceptAnyContentType = false;
    if (options.has(ContractResponse))
        webhook.response.reset();
}

// Validation and name uniqueness, every problem printed; true when there are none.
bool checkWebhook(
    CommandContext &context, Store &store, const Webhook &webhook, QList<FieldProblem> problems)
{
    problems += validateWebhook(webhook);
    if (!webhook.name.trimmed().isEmpty()
        && store.config().nameTaken(webhook.name, webhook.id).value())
        problems.append({ QStringLiteral("name"),
            QStringLiteral("A webhook named '%1' already exists.").arg(webhook.name.trimmed()) });
    if (problems.isEmpty())
        return true;
    context.err << context.programName() << ": the webhook is not valid:\n";
    for (const FieldProblem &problem : problems)
        context.err << "  " << problem.field << ": " << problem.message << '\n';
    context.err.flush();
    return false;
}

// The webhook the command names, or the exit code of why there is none.
std::variant<Webhook, int> webhookNamed(CommandContext &context, Store &store, const QString &id)
{
    const Result<std::optional<Webhook>> found = store.config().webhook(id);
    if (!found)
        return context.failure(found.error());
    if (!found->has_value())
        return context.failure(QStringLiteral("no webhook with ID %1 (see '%2 webhook list')")
                                   .arg(id, context.programName()));
    return **found;
}

int addWebhook(CommandContext &context, const QStringList &words)
{
    const Options options = parseOptions(words, settingOptions(), 0);
    if (!options.error.isEmpty())
        return context.usageError(options.error);
    if (!options.has(QStringLiteral("name")))
        return context.usageError(QStringLiteral("webhook add needs --name"));
    Webhook webhook;
    QList<FieldProblem> problems;
    applyOptions(options, webhook, problems);
    if (const QString error = applyAuthOptions(options, webhook); !error.isEmpty())
        return context.usageError(error);
    Store *store = context.store();
    if (!store)
        return context.storeFailure();
    if (!checkWebhook(context, *store, webhook, problems))
        return Usage;
    const Result<Webhook> added = store->config().addWebhook(webhook);
    if (!added)
        return context.failure(added.error());
    context.out << json(context.webhookJson(*added));
    return Success;
}

// Changes what the options name and keeps the rest.
int editWebhook(CommandContext &context, const QStringList &words)
{
    const Options options = parseOptions(words,
        settingOptions()
            + QList<OptionSpec> { { CheckContentType, false, true },
                { ContractResponse, false, true } },
        1);
    if (!options.error.isEmpty())
        return context.usageError(options.error);
    if (options.positional.size() != 1)
        return context.usageError(QStringLiteral("webhook edit needs the webhook's ID"));
    if (options.values.isEmpty())
        return context.usageError(QStringLiteral("webhook edit needs an option to change"));
    if (options.has(AnyContentType) && options.has(CheckContentType))
        return context.usageError(
            QStringLiteral("give --%1 or --%2, not both").arg(AnyContentType, CheckContentType));
    const bool responds = std::any_of(options.values.keyBegin(), options.values.keyEnd(),
        [](const QString &name) { return name.startsWith(u"response-"); });
    if (responds && options.has(ContractResponse))
        return context.usageError(
            QStringLiteral("give --%1 or --response-… options, not both").arg(ContractResponse));
    Store *store = context.store();
    if (!store)
        return context.storeFailure();
    const QString id = options.positional.first().toLower();
    auto found = webhookNamed(context, *store, id);
    if (const int *code = std::get_if<int>(&found))
        return *code;
    Webhook webhook = std::get<Webhook>(std::move(found));
    QList<FieldProblem> problems;
    applyOptions(options, webhook, problems);
    if (const QString error = applyAuthOptions(options, webhook); !error.isEmpty())
        return context.usageError(error);
    if (!checkWebhook(context, *store, webhook, problems))
        return Usage;
    if (const Status updated = store->config().updateWebhook(webhook); !updated)
        return context.failure(updated.error());
    const Result<std::optional<Webhook>> stored = store->config().webhook(id);
    if (!stored || !stored->has_value())
        return context.failure(
            stored ? QStringLiteral("the webhook was removed meanwhile") : stored.error());
    context.out << json(context.webhookJson(**stored));
    return Success;
}

} // namespace

int webhookCommand(CommandContext &context, QStringList words)
{
    if (words.isEmpty())
        return context.usageError(QStringLiteral(
            "webhook needs a command: add, edit, list, show, enable, disable, remove"));
    const QString action = words.takeFirst();
    if (action == QStringLiteral("add"))
        return addWebhook(context, words);
    if (action == QStringLiteral("edit"))
        return editWebhook(context, words);
    if (action == QStringLiteral("list")) {
        Options options;
        Store *store = nullptr;
        if (const auto code = prepare(context, words, {}, 0, options, store))
            return *code;
        const Result<QList<Webhook>> webhooks = store->config().webhooks();
        if (!webhooks)
            return context.failure(webhooks.error());
        QList<QStringList> rows;
        // CONTENT: "checked" under the contract's content checks, "any" when the webhook
        // accepts any content type.
        for (const Webhook &webhook : *webhooks)
            rows.append({ webhook.id,
                webhook.enabled ? QStringLiteral("enabled") : QStringLiteral("disabled"),
                webhook.methods.join(u','),
                webhook.acceptAnyContentType ? QStringLiteral("any") : QStringLiteral("checked"),
                needsSignature(webhook.authentication) ? authModeName(webhook.authentication) + u':'
                        + presetName(webhook.verification.preset)
                                                       : authModeName(webhook.authentication),
                webhook.name });
        printTable(context.out,
            { QStringLiteral("ID"), QStringLiteral("STATE"), QStringLiteral("METHODS"),
                QStringLiteral("CONTENT"), QStringLiteral("AUTH"), QStringLiteral("NAME") },
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
        const auto found = webhookNamed(context, *store, id);
        if (const int *code = std::get_if<int>(&found))
            return *code;
        if (action == QStringLiteral("show")) {
            context.out << json(context.webhookJson(std::get<Webhook>(found)));
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
