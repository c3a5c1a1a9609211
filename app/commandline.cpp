// The command line: `hooktrail serve`, `webhook`, `key`, `log`, `export` and `curl`, sharing the
// core with the console.
#include "app/commandline.h"

#include "core/base/savetofile.h"
#include "core/base/settings.h"
#include "core/base/terminaltext.h"
#include "core/endpoint/route.h"
#include "core/history/curlcommand.h"
#include "core/history/requestexport.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QTextStream>
#include <csignal>
#include <unistd.h>

namespace Hooktrail::CommandLine {

namespace {

// Thrown nowhere: a parsed sub-command's options, or what was wrong with them.
struct Options
{
    QHash<QString, QStringList> values;
    QStringList positional;
    QString error;
    QString value(const QString &name) const { return values.value(name).value(0); }
    bool has(const QString &name) const { return values.contains(name); }
};

struct OptionSpec
{
    QString name;
    bool repeatable = false;
};

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
        if (!inlineValue) {
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

int usageError(QTextStream &err, const QString &message)
{
    err << "hooktrail: " << message << "\n\n" << usage();
    err.flush();
    return Usage;
}

int failure(QTextStream &err, const QString &message)
{
    err << "hooktrail: " << message << '\n';
    err.flush();
    return Failure;
}

QString json(const QJsonObject &object, bool indented = true)
{
    return QString::fromUtf8(
        QJsonDocument(object).toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact));
}

QString formatTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QStringLiteral("-");
}

// A column layout for the plain-text listings, which are for people at a terminal: no cell
// writes a control character to it.
void printTable(QTextStream &out, const QStringList &header, QList<QStringList> rows)
{
    for (QStringList &row : rows) {
        for (QString &cell : row)
            cell = TerminalText::neutralise(cell);
    }
    QList<qsizetype> widths;
    for (const QString &cell : header)
        widths.append(cell.size());
    for (const QStringList &row : rows) {
        for (qsizetype c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    }
    const auto line = [&](const QStringList &cells) {
        for (qsizetype c = 0; c < cells.size(); ++c) {
            out << (c + 1 == cells.size() ? cells[c] : cells[c].leftJustified(widths[c] + 2));
        }
        out << '\n';
    };
    line(header);
    for (const QStringList &row : rows)
        line(row);
}

// Standard output when it is a terminal: the export as it is written, neutralised
// (TerminalText). The writer hands over whole pieces (a header, a record, an entry), so no UTF-8
// sequence is ever split between two writes.
class TerminalDevice final : public QIODevice
{
public:
    explicit TerminalDevice(QIODevice &target) : m_target(target)
    {
        open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override
    {
        const QByteArray safe = TerminalText::neutralise(QByteArray::fromRawData(data, size));
        if (m_target.write(safe) != safe.size()) {
            setErrorString(m_target.errorString());
            return -1;
        }
        return size;
    }

private:
    QIODevice &m_target;
};

// --listen ADDR:PORT, with [v6]:PORT for IPv6.
bool parseListen(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':'))
        return false;
    bool ok = false;
    const uint value = text.mid(colon + 1).toUInt(&ok);
    if (!ok || value > 65535 || !address->setAddress(host))
        return false;
    *port = quint16(value);
    return true;
}

class CommandContext
{
public:
    CommandContext(const Invocation &invocation, QTextStream &output, QTextStream &errors)
        : m_settings(Settings::resolveDataDir(invocation.dataDir)), out(output), err(errors)
    {
        m_settings.setDatabase(invocation.database);
    }

    Store *store()
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
    int storeFailure()
    {
        return failure(
            err, QStringLiteral("%1 is unusable: %2").arg(m_settings.describeDatabase(), m_error));
    }
    Settings &settings() { return m_settings; }

    QJsonObject webhookJson(const Webhook &webhook)
    {
        QJsonObject object = webhook.toJson(true);
        object.insert(QStringLiteral("endpoint"), m_settings.endpoint(webhook.id));
        return object;
    }

private:
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
    const QString &missing = {})
{
    options = parseOptions(words, specs, maxPositional);
    if (!options.error.isEmpty())
        return usageError(context.err, options.error);
    if (!missing.isEmpty() && options.positional.size() != maxPositional)
        return usageError(context.err, missing);
    store = context.store();
    if (!store)
        return context.storeFailure();
    return std::nullopt;
}

int serveSignalPipe[2] = { -1, -1 };

void onTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(serveSignalPipe[1], &byte, 1);
}

int serve(CommandContext &context, const QStringList &words)
{
    const Options options = parseOptions(words, { { QStringLiteral("listen") } }, 0);
    if (!options.error.isEmpty())
        return usageError(context.err, options.error);
    ReceiverOptions receiverOptions = context.settings().receiverOptions();
    if (options.has(QStringLiteral("listen"))
        && !parseListen(options.value(QStringLiteral("listen")), &receiverOptions.address,
            &receiverOptions.port))
        return usageError(context.err,
            QStringLiteral("--listen takes ADDR:PORT, e.g. 127.0.0.1:8484 or [::1]:8484"));

    if (!context.store())
        return context.storeFailure();
    Engine engine(Engine::factoryFor(context.settings().database()));
    engine.setRetention(context.settings().retentionDays(), context.settings().retentionCount());
    engine.setKeepFree(context.settings().keepFreeBytes());
    QObject::connect(
        &engine, &Engine::retentionRan, &engine, [&context](const QDateTime &, qint64 removed) {
            if (removed > 0) {
                context.out << "retention removed " << removed
                            << (removed == 1 ? " request\n" : " requests\n");
                context.out.flush();
            }
        });
    if (const Status status = engine.open(); !status)
        return failure(context.err,
            QStringLiteral("%1 is unusable: %2")
                .arg(context.settings().describeDatabase(), status.error()));
    if (const Status status = engine.startReceiver(receiverOptions); !status)
        return failure(context.err, status.error());

    // SIGINT/SIGTERM end the event loop through a pipe, so the queued log rows are written first.
    if (::pipe(serveSignalPipe) == 0) {
        std::signal(SIGINT, onTerminationSignal);
        std::signal(SIGTERM, onTerminationSignal);
    }
    QSocketNotifier notifier(serveSignalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, &QCoreApplication::quit);

    const quint16 port = engine.receiver()->port();
    ReceiverOptions shown = receiverOptions;
    context.out << "Hooktrail " << HOOKTRAIL_VERSION << " receiving on "
                << QStringLiteral("%1:%2").arg(shown.address.toString()).arg(port)
                << " (endpoints: " << context.settings().baseUrl(port) << Endpoint::RoutePrefix
                << "{id}); data in " << context.settings().databaseForDisplay() << '\n';
    context.out.flush();
    const int code = QCoreApplication::exec();
    engine.close();
    context.out << "Hooktrail receiver stopped\n";
    return code;
}

int webhookCommand(CommandContext &context, QStringList words)
{
    if (words.isEmpty())
        return usageError(context.err,
            QStringLiteral("webhook needs a command: add, list, show, enable, disable, remove"));
    const QString action = words.takeFirst();
    if (action == QStringLiteral("add")) {
        const Options options = parseOptions(words,
            { { QStringLiteral("name") }, { QStringLiteral("description") },
                { QStringLiteral("method"), true }, { QStringLiteral("header"), true },
                { QStringLiteral("ip"), true } },
            0);
        if (!options.error.isEmpty())
            return usageError(context.err, options.error);
        if (!options.has(QStringLiteral("name")))
            return usageError(context.err, QStringLiteral("webhook add needs --name"));
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
            context.err << "hooktrail: the webhook is not valid:\n";
            for (const FieldProblem &problem : problems)
                context.err << "  " << problem.field << ": " << problem.message << '\n';
            context.err.flush();
            return Usage;
        }
        const Result<Webhook> added = store->config().addWebhook(webhook);
        if (!added)
            return failure(context.err, added.error());
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
            return failure(context.err, webhooks.error());
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
            return failure(context.err, found.error());
        if (!found->has_value())
            return failure(context.err,
                QStringLiteral("no webhook with ID %1 (see 'hooktrail webhook list')").arg(id));
        if (action == QStringLiteral("show")) {
            context.out << json(context.webhookJson(**found));
            return Success;
        }
        Status status = action == QStringLiteral("remove")
            ? store->config().removeWebhook(id)
            : store->config().setWebhookEnabled(id, action == QStringLiteral("enable"));
        if (!status)
            return failure(context.err, status.error());
        context.out << "webhook " << id << ' '
                    << (action == QStringLiteral("remove")
                               ? "removed (its logged requests are kept)"
                               : action == QStringLiteral("enable") ? "enabled"
                                                                    : "disabled")
                    << '\n';
        return Success;
    }
    return usageError(context.err, QStringLiteral("unknown webhook command '%1'").arg(action));
}

int keyCommand(CommandContext &context, QStringList words)
{
    if (words.isEmpty())
        return usageError(context.err, QStringLiteral("key needs a command: add, list, revoke"));
    const QString action = words.takeFirst();
    if (action == QStringLiteral("add")) {
        const Options options = parseOptions(words, { { QStringLiteral("name") } }, 0);
        if (!options.error.isEmpty())
            return usageError(context.err, options.error);
        const QString name = options.value(QStringLiteral("name")).trimmed();
        if (name.isEmpty() || name.size() > 100)
            return usageError(
                context.err, QStringLiteral("key add needs --name, 1 to 100 characters"));
        Store *store = context.store();
        if (!store)
            return context.storeFailure();
        const Result<NewApiKey> added = store->config().addKey(name);
        if (!added)
            return failure(context.err, added.error());
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
            return failure(context.err, keys.error());
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
    if (action == QStringLiteral("revoke")) {
        Options options;
        Store *store = nullptr;
        if (const auto code = prepare(context, words, {}, 1, options, store,
                QStringLiteral("key revoke needs the key's PREFIX (see 'hooktrail key list')")))
            return *code;
        if (const Status status = store->config().revokeKey(options.positional.first()); !status)
            return failure(context.err, status.error());
        context.out << "key " << options.positional.first() << " revoked\n";
        return Success;
    }
    return usageError(context.err, QStringLiteral("unknown key command '%1'").arg(action));
}

// A point in time for --since/--until: an ISO 8601 date or date-time (UTC unless it names a
// zone), or an age such as 15m, 2h or 7d meaning that long ago.
std::optional<qint64> parseTime(const QString &text, qint64 nowMicros)
{
    static const QRegularExpression age(QStringLiteral("^(\\d{1,9})([smhdw])$"));
    if (const QRegularExpressionMatch match = age.match(text); match.hasMatch()) {
        const qint64 seconds = [&]() -> qint64 {
            switch (match.captured(2).at(0).unicode()) {
            case u's':
                return 1;
            case u'm':
                return 60;
            case u'h':
                return 3600;
            case u'd':
                return 86400;
            default:
                return 7 * 86400;
            }
        }();
        // At most 999,999,999 weeks: no overflow in seconds; an age reaching before 1970 is
        // not a time the log can hold.
        const qint64 ageSeconds = match.captured(1).toLongLong() * seconds;
        if (ageSeconds > nowMicros / 1000000)
            return std::nullopt;
        return nowMicros - ageSeconds * 1000000;
    }
    if (const QDate date = QDate::fromString(text, Qt::ISODate);
        date.isValid() && text.size() == 10)
        return date.startOfDay(Qt::UTC).toMSecsSinceEpoch() * 1000;
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid() || !text.contains(u'T'))
        return std::nullopt;
    if (time.timeSpec() == Qt::LocalTime) // no zone given: UTC, like every time Hooktrail shows
        time = QDateTime(time.date(), time.time(), Qt::UTC);
    return time.toMSecsSinceEpoch() * 1000;
}

// The filter options `log` and `export` share.
const QList<OptionSpec> FilterOptions { { QStringLiteral("webhook") },
    { QStringLiteral("outcome") }, { QStringLiteral("search") }, { QStringLiteral("since") },
    { QStringLiteral("until") }, { QStringLiteral("status") }, { QStringLiteral("reason") },
    { QStringLiteral("method") } };

// Fills filter from the options; returns what is wrong with them, or an empty string.
QString readFilter(const Options &options, RequestFilter &filter)
{
    filter.webhookId = options.value(QStringLiteral("webhook")).toLower();
    const QString outcome = options.value(QStringLiteral("outcome"));
    if (outcome == QStringLiteral("accepted"))
        filter.outcome = RequestFilter::Outcome::Accepted;
    else if (outcome == QStringLiteral("rejected"))
        filter.outcome = RequestFilter::Outcome::Rejected;
    else if (options.has(QStringLiteral("outcome")))
        return QStringLiteral("--outcome takes accepted or rejected");
    filter.search = options.value(QStringLiteral("search"));
    if (options.has(QStringLiteral("search")) && filter.search.trimmed().isEmpty())
        return QStringLiteral("--search needs some text");
    const qint64 now = currentMicros();
    for (const QString &name : { QStringLiteral("since"), QStringLiteral("until") }) {
        if (!options.has(name))
            continue;
        const std::optional<qint64> time = parseTime(options.value(name), now);
        if (!time)
            return QStringLiteral("--%1 takes a date (2026-11-29), a date-time "
                                  "(2026-11-29T10:00:00Z) or an age (15m, 2h, 7d)")
                .arg(name);
        (name == QStringLiteral("since") ? filter.sinceMicros : filter.untilMicros) = *time;
    }
    if (filter.sinceMicros && filter.untilMicros && filter.sinceMicros >= filter.untilMicros)
        return QStringLiteral("--since must be earlier than --until");
    if (options.has(QStringLiteral("status"))) {
        bool ok = false;
        filter.status = options.value(QStringLiteral("status")).toInt(&ok);
        if (!ok || filter.status < 100 || filter.status > 599)
            return QStringLiteral("--status takes an HTTP status, 100 to 599");
    }
    static const QRegularExpression reasonCode(QStringLiteral("^[a-z_]+$"));
    if (options.has(QStringLiteral("reason"))) {
        const QString reason = options.value(QStringLiteral("reason"));
        if (!reasonCode.match(reason).hasMatch())
            return QStringLiteral("--reason takes a reason code such as invalid_api_key");
        filter.reason = reason.toLatin1();
    }
    static const QRegularExpression token(QStringLiteral("^[A-Za-z]+$"));
    if (options.has(QStringLiteral("method"))) {
        const QString method = options.value(QStringLiteral("method"));
        if (!token.match(method).hasMatch())
            return QStringLiteral("--method takes an HTTP method such as POST");
        filter.method = method.toUpper().toLatin1();
    }
    return {};
}

int logCommand(CommandContext &context, const QStringList &words)
{
    const Options options = parseOptions(words,
        FilterOptions
            + QList<OptionSpec> { { QStringLiteral("limit") }, { QStringLiteral("format") } },
        0);
    if (!options.error.isEmpty())
        return usageError(context.err, options.error);
    RequestFilter filter;
    if (const QString problem = readFilter(options, filter); !problem.isEmpty())
        return usageError(context.err, problem);
    if (options.has(QStringLiteral("limit"))) {
        bool ok = false;
        filter.limit = options.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || filter.limit < 1)
            return usageError(context.err, QStringLiteral("--limit takes a positive whole number"));
    } else {
        filter.limit = 50;
    }
    const QString format = options.has(QStringLiteral("format"))
        ? options.value(QStringLiteral("format"))
        : QStringLiteral("table");
    if (format != QStringLiteral("table") && format != QStringLiteral("jsonl"))
        return usageError(context.err, QStringLiteral("--format takes table or jsonl"));

    Store *store = context.store();
    if (!store)
        return context.storeFailure();
    // Pages by key so a large --limit never loads the whole log at once.
    const int wanted = filter.limit;
    int printed = 0;
    QList<QStringList> rows;
    while (printed < wanted) {
        filter.limit = std::min(1000, wanted - printed);
        const Result<QList<LoggedRequest>> page = store->queries().requests(filter);
        if (!page)
            return failure(context.err, page.error());
        for (const LoggedRequest &entry : *page) {
            if (format == QStringLiteral("jsonl")) // the same JSON, C1 controls escaped too
                context.out << TerminalText::neutralise(json(entry.toJson(), false)) << '\n';
            else
                rows.append({ QString::number(entry.id),
                    LoggedRequest::formatTimestamp(entry.receivedAtMicros),
                    QString::number(entry.status), QString::fromLatin1(entry.reason),
                    receivedText(entry.method), entry.clientAddress,
                    entry.webhookId.isEmpty() ? QStringLiteral("-") : entry.webhookId });
        }
        printed += int(page->size());
        if (page->size() < filter.limit)
            break;
        filter.beforeId = page->last().id;
    }
    if (format == QStringLiteral("table"))
        printTable(context.out,
            { QStringLiteral("ID"), QStringLiteral("RECEIVED (UTC)"), QStringLiteral("STATUS"),
                QStringLiteral("REASON"), QStringLiteral("METHOD"), QStringLiteral("CLIENT"),
                QStringLiteral("WEBHOOK") },
            rows);
    return Success;
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
        return usageError(context.err, options.error);
    const std::optional<RequestExport::Format> format
        = RequestExport::formatFromName(options.value(QStringLiteral("format")));
    if (!format)
        return usageError(context.err, QStringLiteral("export needs --format har, jsonl or csv"));
    RequestFilter filter;
    if (const QString problem = readFilter(options, filter); !problem.isEmpty())
        return usageError(context.err, problem);
    const QString path = options.value(QStringLiteral("output"));
    if (options.has(QStringLiteral("output")) && path.isEmpty())
        return usageError(context.err, QStringLiteral("--output needs a file name"));

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
            return failure(context.err, QStringLiteral("cannot write to standard output"));
        TerminalDevice terminal(standardOutput);
        QIODevice &device = ::isatty(STDOUT_FILENO) ? static_cast<QIODevice &>(terminal)
                                                    : static_cast<QIODevice &>(standardOutput);
        const Status status = RequestExport::write(*store, *format, filter, {}, device, counted);
        standardOutput.flush();
        return status ? Success : failure(context.err, status.error());
    }
    // Written beside and renamed at the end: a failed export never leaves half a file.
    if (const Status status = SaveToFile::save(path,
            [&](QIODevice &file) {
                return RequestExport::write(*store, *format, filter, {}, file, counted);
            });
        !status)
        return failure(context.err, status.error());
    context.err << "exported " << written << (written == 1 ? " request" : " requests") << " to "
                << path << '\n';
    return Success;
}

// What the console's "Copy as curl" copies for the request, key left as the placeholder.
int curlCommand(CommandContext &context, const QStringList &words)
{
    const Options options = parseOptions(words, {}, 1);
    if (!options.error.isEmpty())
        return usageError(context.err, options.error);
    bool ok = false;
    const qint64 id = options.positional.value(0).toLongLong(&ok);
    if (options.positional.isEmpty() || !ok || id < 1)
        return usageError(context.err,
            QStringLiteral(
                "curl needs the request's ID, a positive whole number (see 'hooktrail log')"));
    Store *store = context.store();
    if (!store)
        return context.storeFailure();
    const Result<std::optional<LoggedRequest>> found = store->queries().request(id);
    if (!found)
        return failure(context.err, found.error());
    if (!found->has_value())
        return failure(
            context.err, QStringLiteral("no request with ID %1 (see 'hooktrail log')").arg(id));
    context.out << CurlCommand::fromRequest(**found, context.settings().baseUrl()) << '\n';
    return Success;
}

} // namespace

QString usage()
{
    return QStringLiteral(
        "Usage:\n"
        "  hooktrail                                  the console\n"
        "  hooktrail serve [--listen ADDR:PORT]       the receiver alone, no window (default "
        "127.0.0.1:8484)\n"
        "  hooktrail webhook add --name N [--description D] [--method M]... [--header "
        "NAME=VALUE]... [--ip ADDR_OR_CIDR]...\n"
        "  hooktrail webhook list | show ID | enable ID | disable ID | remove ID\n"
        "  hooktrail key add --name N                 prints the new key once\n"
        "  hooktrail key list | revoke PREFIX\n"
        "  hooktrail log [FILTER]... [--limit N] [--format table|jsonl]\n"
        "  hooktrail export --format har|jsonl|csv [FILTER]... [-o FILE]   every matching request "
        "(stdout without -o)\n"
        "  hooktrail curl ID                          the request as a curl command (the console's "
        "Copy as curl)\n"
        "  hooktrail migrate --from sqlite:PATH --to postgresql://...   copy a local history into "
        "a shared\n"
        "                    database (webhooks, keys, requests); run again, it copies only what "
        "is new\n"
        "\n"
        "Filters (log and export; all combine):\n"
        "  --webhook ID  --outcome accepted|rejected  --status N  --reason CODE  --method M\n"
        "  --since T  --until T   T: 2026-11-29, 2026-11-29T10:00:00Z (UTC unless a zone is "
        "given), or an age: 15m, 2h, 7d\n"
        "  --search TEXT          every word must appear in the headers or the body\n"
        "\n"
        "Global options (anywhere on the line):\n"
        "  --data-dir DIR    where the database and settings live (also HOOKTRAIL_DATA_DIR)\n"
        "  --database URL    postgresql://user@host:port/dbname, shared by several receivers and\n"
        "                    consoles (also HOOKTRAIL_DATABASE; the password from PGPASSWORD or\n"
        "                    ~/.pgpass), or a SQLite file (default: hooktrail.db in the data "
        "folder)\n"
        "  --version         print the version\n"
        "  --help            print this help\n");
}

Invocation parse(const QStringList &arguments)
{
    Invocation invocation;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &word = arguments[i];
        if (word == QStringLiteral("--data-dir")) {
            if (i + 1 >= arguments.size() || arguments[i + 1].isEmpty()) {
                invocation.error = QStringLiteral("--data-dir needs a folder");
                return invocation;
            }
            invocation.dataDir = arguments[++i];
        } else if (word.startsWith(QStringLiteral("--data-dir="))) {
            invocation.dataDir = word.mid(11);
            if (invocation.dataDir.isEmpty())
                invocation.error = QStringLiteral("--data-dir needs a folder");
        } else if (word == QStringLiteral("--database")) {
            if (i + 1 >= arguments.size() || arguments[i + 1].isEmpty()) {
                invocation.error = QStringLiteral("--database needs a postgresql:// URL or a file");
                return invocation;
            }
            invocation.database = arguments[++i];
        } else if (word.startsWith(QStringLiteral("--database="))) {
            invocation.database = word.mid(11);
            if (invocation.database.isEmpty())
                invocation.error = QStringLiteral("--database needs a postgresql:// URL or a file");
        } else if (word == QStringLiteral("--version")) {
            invocation.version = true;
        } else if (word == QStringLiteral("--help") || word == QStringLiteral("-h")) {
            invocation.help = true;
        } else {
            invocation.words.append(word);
        }
    }
    return invocation;
}

// Copies a SQLite history into another database (normally a shared PostgreSQL one), in id
// order, in transactions that also record how far it got: interrupted or run again, it goes
// on from there and copies nothing twice.
int migrateCommand(CommandContext &context, const QStringList &words)
{
    const Options options
        = parseOptions(words, { { QStringLiteral("from") }, { QStringLiteral("to") } }, 0);
    if (!options.error.isEmpty())
        return usageError(context.err, options.error);
    if (!options.has(QStringLiteral("from")) || !options.has(QStringLiteral("to")))
        return usageError(context.err,
            QStringLiteral("migrate needs --from sqlite:PATH and --to postgresql://user@host/db"));
    QString from = options.value(QStringLiteral("from"));
    if (from.startsWith(QLatin1String("sqlite:")))
        from = from.mid(7);
    const QString to = options.value(QStringLiteral("to"));
    if (from.isEmpty() || Store::isPostgresUrl(from))
        return usageError(context.err, QStringLiteral("--from takes a SQLite file: sqlite:PATH"));
    const QFileInfo source(from);
    if (!source.isFile())
        return failure(context.err, QStringLiteral("no SQLite database at %1").arg(from));
    if (!Store::isPostgresUrl(to)
        && QFileInfo(to).canonicalFilePath() == source.canonicalFilePath())
        return usageError(context.err, QStringLiteral("--from and --to are the same database"));
    const QString shownTo = Store::isPostgresUrl(to) ? Store::redactedUrl(to) : to;

    Result<std::unique_ptr<Store>> input = Store::openSqlite(source.absoluteFilePath());
    if (!input)
        return failure(context.err, QStringLiteral("cannot open %1: %2").arg(from, input.error()));
    Result<std::unique_ptr<Store>> output = Store::open(to);
    if (!output)
        return failure(
            context.err, QStringLiteral("cannot open %1: %2").arg(shownTo, output.error()));
    Store &in = **input;
    Store &target = **output;
    const auto failed = [&](const QString &what, const QString &error) {
        return failure(context.err, QStringLiteral("migrate: %1: %2").arg(what, error));
    };

    const Result<QList<Webhook>> webhooks = in.config().webhooks();
    if (!webhooks)
        return failed(QStringLiteral("reading the webhooks"), webhooks.error());
    int webhooksAdded = 0;
    for (const Webhook &webhook : *webhooks) {
        const Result<bool> added = target.config().importWebhook(webhook);
        if (!added)
            return failed(
                QStringLiteral("webhook %1 (%2)").arg(webhook.id, webhook.name), added.error());
        webhooksAdded += *added ? 1 : 0;
    }
    const Result<QList<ApiKey>> keys = in.config().keys();
    if (!keys)
        return failed(QStringLiteral("reading the keys"), keys.error());
    QHash<qint64, qint64> keyIds; // source id → target id, for each request's key
    for (const ApiKey &key : *keys) {
        const Result<qint64> id = target.config().importKey(key);
        if (!id)
            return failed(QStringLiteral("key %1").arg(key.prefix), id.error());
        keyIds.insert(key.id, *id);
    }

    const QString identity = QStringLiteral("sqlite:") + source.canonicalFilePath();
    const Result<qint64> done = target.log().importedUpTo(identity);
    if (!done)
        return failed(QStringLiteral("reading the progress"), done.error());
    RequestFilter remaining;
    remaining.afterId = *done;
    const Result<qint64> total = in.queries().countRequests(remaining);
    if (!total)
        return failed(QStringLiteral("counting the requests"), total.error());
    context.out << "webhooks: " << webhooksAdded << " added, " << webhooks->size() - webhooksAdded
                << " there already; keys: " << keys->size() << "; requests to copy: " << *total
                << (*done > 0 ? " (the rest were copied before)" : "") << '\n';
    context.out.flush();

    qint64 copied = 0;
    QElapsedTimer sinceReport;
    sinceReport.start();
    RequestFilter page = remaining;
    page.oldestFirst = true;
    page.limit = 200; // bodies included: up to the body limit each
    for (;;) {
        Result<QList<LoggedRequest>> read = in.queries().requests(page);
        if (!read)
            return failed(
                QStringLiteral("reading requests after id %1").arg(page.afterId), read.error());
        QList<LoggedRequest> rows = std::move(read).value();
        if (rows.isEmpty())
            break;
        const qint64 last = rows.constLast().id;
        for (LoggedRequest &request : rows) {
            request.id = 0;
            request.apiKeyId = keyIds.value(request.apiKeyId, 0);
        }
        if (const Status status = target.log().importRequests(rows, identity, last); !status)
            return failed(
                QStringLiteral("writing requests after id %1").arg(page.afterId), status.error());
        copied += rows.size();
        page.afterId = last;
        if (sinceReport.elapsed() >= 1000) {
            context.out << "copied " << copied << " of " << *total << " requests ("
                        << (*total > 0 ? copied * 100 / *total : 100) << "%)\n";
            context.out.flush();
            sinceReport.restart();
        }
    }
    context.out << "copied " << copied << (copied == 1 ? " request" : " requests") << " from "
                << from << " to " << shownTo << '\n';
    return Success;
}

int run(const Invocation &invocation, QTextStream &out, QTextStream &err)
{
    if (!invocation.error.isEmpty())
        return usageError(err, invocation.error);
    if (invocation.help) {
        out << usage();
        return Success;
    }
    if (invocation.version) {
        out << "hooktrail " << HOOKTRAIL_VERSION << '\n';
        return Success;
    }
    QStringList words = invocation.words;
    const QString command = words.takeFirst();
    CommandContext context(invocation, out, err);
    int code = Usage;
    if (command == QStringLiteral("serve"))
        code = serve(context, words);
    else if (command == QStringLiteral("webhook"))
        code = webhookCommand(context, words);
    else if (command == QStringLiteral("key"))
        code = keyCommand(context, words);
    else if (command == QStringLiteral("log"))
        code = logCommand(context, words);
    else if (command == QStringLiteral("export"))
        code = exportCommand(context, words);
    else if (command == QStringLiteral("curl"))
        code = curlCommand(context, words);
    else if (command == QStringLiteral("migrate"))
        code = migrateCommand(context, words);
    else
        code = usageError(err, QStringLiteral("unknown command '%1'").arg(command));
    out.flush();
    err.flush();
    return code;
}

} // namespace Hooktrail::CommandLine
