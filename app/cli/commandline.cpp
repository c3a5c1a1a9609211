// The command line: the global options, the usage text, and each command to its own file.
#include "app/cli/commandline.h"

#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"

#include <QCoreApplication>
#include <QTextStream>
#include <csignal>
#include <cstdio>

namespace Hooktrail::CommandLine {

namespace {

struct UsageLine
{
    const char *synopsis; // after the program's name
    const char *summary;
};

// The console's line is the first, and only `hooktrail` shows it.
const UsageLine Commands[] = {
    { "", "the console" },
    { "serve [--listen ADDR:PORT] [--api-listen ADDR:PORT] [--tls-cert FILE --tls-key FILE "
      "[--listen-tls ADDR:PORT]]",
        "the receiver alone, no window (default 127.0.0.1:8484);\n"
        "                    --api-listen also serves the local API (e.g. 127.0.0.1:8485);\n"
        "                    with a certificate, --listen speaks TLS, or --listen-tls does beside "
        "it" },
    { "webhook add --name N [--description D] [--method M]... [--header NAME=VALUE]... "
      "[--ip ADDR_OR_CIDR]... [--accept-any-content-type] [AUTHENTICATION] [RESPONSE]",
        "" },
    { "webhook edit ID [--name N] [--description D] [--method M]... [--header NAME=VALUE]... "
      "[--ip ADDR_OR_CIDR]... [--accept-any-content-type | --check-content-type] "
      "[AUTHENTICATION] [RESPONSE | --contract-response]",
        "" },
    { "webhook list | show ID | enable ID | disable ID | remove ID", "" },
    { "key add --name N", "prints the new key once" },
    { "key list | revoke PREFIX", "" },
    { "token add --name N [--read-only]", "prints the new API token once" },
    { "token list | revoke PREFIX", "" },
    { "tls self-signed --host NAME [--out DIR] [--days 365] [--force] [--use]",
        "a certificate and key for testing TLS (DIR: the data\n"
        "                    folder's tls/); --use has the receiver speak TLS with them" },
    { "log [FILTER]... [--limit N] [--format table|jsonl] [--follow]",
        "--follow: then each new match as it is committed, until interrupted" },
    { "export --format har|jsonl|csv [FILTER]... [-o FILE]",
        "every matching request (stdout without -o)" },
    { "curl ID", "the request as a curl command (the console's Copy as curl)" },
    { "destination add --webhook ID --url URL [--name N] [--header NAME=VALUE]... "
      "[--timeout 10s] [--max-attempts N] [--max-age 24h] [--no-path]",
        "" },
    { "destination list [--webhook ID] | show ID | edit ID [OPTION]... | pause ID | resume ID | "
      "remove ID",
        "" },
    { "deliveries [--webhook ID] [--destination ID] [--request ID] "
      "[--state pending|retrying|delivered|failed] [--limit N] [--format table|jsonl]",
        "" },
    { "redeliver --request ID [--destination ID] | redeliver [FILTER]...",
        "deliver again (accepted requests only)" },
    { "migrate --from sqlite:PATH --to postgresql://...",
        "copy a local history into a shared\n"
        "                    database (webhooks, keys, requests); run again, it copies only what "
        "is new" },
};

} // namespace

QString programName(Program program)
{
    return program == Program::Server ? QStringLiteral("hooktrail-server")
                                      : QStringLiteral("hooktrail");
}

QString usage(Program program)
{
    const QString name = programName(program);
    // Summaries line up a little past the program's name, or follow a long synopsis.
    const qsizetype column = 36 + name.size();
    QString text = QStringLiteral("Usage:\n");
    for (const UsageLine &line : Commands) {
        if (program == Program::Server && line.synopsis[0] == '\0')
            continue;
        QString command = QStringLiteral("  ") + name;
        if (line.synopsis[0] != '\0')
            command += u' ' + QLatin1String(line.synopsis);
        if (line.summary[0] != '\0')
            command = (command.size() + 2 <= column ? command.leftJustified(column)
                                                    : command + QStringLiteral("   "))
                + QLatin1String(line.summary);
        text += command + u'\n';
    }
    return text
        + QStringLiteral(
            "\n"
            "Filters (log, export and redeliver; all combine):\n"
            "  --webhook ID  --outcome accepted|rejected  --status N  --reason CODE  --method M\n"
            "  --since T  --until T   T: 2026-11-29, 2026-11-29T10:00:00Z (UTC unless a zone is "
            "given), or an age: 15m, 2h, 7d\n"
            "  --search TEXT          every word must appear in the headers or the body\n"
            "\n"
            "Webhook rules (add and edit; edit changes only what is given, a list given replaces "
            "the list,\n"
            "and an empty value clears it: --ip ''):\n"
            "  --method M             an allowed method (POST, PUT, PATCH, GET, DELETE; default "
            "POST)\n"
            "  --header NAME=VALUE    a required header; VALUE * means any value, as long as it "
            "is there\n"
            "  --ip ADDR_OR_CIDR      an allowed IP address or range (none: any address)\n"
            "  --accept-any-content-type  take a body of any Content-Type, or none, as sent: no\n"
            "                         JSON, XML or form check (off: anything else is refused, "
            "415)\n"
            "  --check-content-type   (edit) back to the checks: JSON, XML or form bodies only\n"
            "\n"
            "AUTHENTICATION (add and edit):\n"
            "  --auth key|signature|key+signature   what the sender proves (default key: the API "
            "key)\n"
            "  --verify github|stripe|shopify|slack|standard|svix|hmac   the signature scheme\n"
            "  --secret-file F        a secret the sender signs with, read from F (- for standard "
            "input);\n"
            "                         repeat during a rotation (any one verifies); replaces the "
            "secrets\n"
            "  --secret S             the same, from the line itself: other users see it in ps, "
            "prefer\n"
            "                         --secret-file\n"
            "  --tolerance 5m         how far a signed timestamp may be from now (default 5m)\n"
            "  --hmac-header H  --hmac-algorithm sha1|sha256|sha512  --hmac-encoding hex|base64\n"
            "  --hmac-prefix P  --hmac-timestamp-header H  --hmac-payload '{timestamp}.{body}'\n"
            "                         the generic HMAC scheme (--verify hmac)\n"
            "RESPONSE (add and edit; accepted requests only, rejections keep the contract's "
            "JSON):\n"
            "  --response-status N  --response-body TEXT|@FILE  --response-content-type T\n"
            "  --response-header NAME=VALUE...  --response-delay 500ms (up to 30s)\n"
            "                         the body may hold {{requestId}} and {{receivedAt}}\n"
            "  --contract-response    (edit) back to the contract's JSON answer\n"
            "\n"
            "Global options (anywhere on the line):\n"
            "  --data-dir DIR    where the database and settings live (also HOOKTRAIL_DATA_DIR)\n"
            "  --database URL    postgresql://user@host:port/dbname, shared by several receivers "
            "and\n"
            "                    consoles (also HOOKTRAIL_DATABASE; the password from PGPASSWORD "
            "or\n"
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

int run(const Invocation &invocation, QTextStream &out, QTextStream &err, Program program)
{
    if (!invocation.error.isEmpty())
        return usageError(err, program, invocation.error);
    if (invocation.help) {
        out << usage(program);
        return Success;
    }
    if (invocation.version) {
        out << programName(program) << ' ' << HOOKTRAIL_VERSION << '\n';
        return Success;
    }
    QStringList words = invocation.words;
    if (program == Program::Server
        && (words.isEmpty() || words.first() == QStringLiteral("console")))
        return usageError(err, program,
            QStringLiteral("the console is in 'hooktrail'; %1 has every other command, and no "
                           "graphical library")
                .arg(programName(program)));
    if (words.isEmpty())
        return usageError(err, program, QStringLiteral("no command"));
    const QString command = words.takeFirst();
    CommandContext context(invocation, out, err, program);
    int code = Usage;
    if (command == QStringLiteral("serve"))
        code = serveCommand(context, words);
    else if (command == QStringLiteral("webhook"))
        code = webhookCommand(context, words);
    else if (command == QStringLiteral("key"))
        code = keyCommand(context, words);
    else if (command == QStringLiteral("token"))
        code = tokenCommand(context, words);
    else if (command == QStringLiteral("tls"))
        code = tlsCommand(context, words);
    else if (command == QStringLiteral("log"))
        code = logCommand(context, words);
    else if (command == QStringLiteral("export"))
        code = exportCommand(context, words);
    else if (command == QStringLiteral("curl"))
        code = curlCommand(context, words);
    else if (command == QStringLiteral("migrate"))
        code = migrateCommand(context, words);
    else if (command == QStringLiteral("destination"))
        code = destinationCommand(context, words);
    else if (command == QStringLiteral("deliveries"))
        code = deliveriesCommand(context, words);
    else if (command == QStringLiteral("redeliver"))
        code = redeliverCommand(context, words);
    else
        code = context.usageError(QStringLiteral("unknown command '%1'").arg(command));
    out.flush();
    err.flush();
    return code;
}

void setUpProcess()
{
    QCoreApplication::setApplicationName(QStringLiteral("Hooktrail"));
    QCoreApplication::setOrganizationName(QStringLiteral("Hooktrail"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HOOKTRAIL_VERSION));

    // Past a file size limit (RLIMIT_FSIZE) the kernel sends SIGXFSZ, whose default action
    // kills the process in the middle of whatever it was doing. Ignored, the write fails with
    // EFBIG instead: SQLite reports the disk as full, the log writer answers 503
    // storage_unavailable and recovers once the limit is lifted.
    std::signal(SIGXFSZ, SIG_IGN);
}

QStringList arguments(int argc, char *argv[])
{
    QStringList words;
    for (int i = 1; i < argc; ++i)
        words.append(QString::fromLocal8Bit(argv[i]));
    return words;
}

int runWithoutWindow(int &argc, char *argv[], const Invocation &invocation, Program program)
{
    // Without a window nothing needs GLib's event loop; Qt's own is lighter per socket event,
    // which the receiver's threads feel at thousands of requests a second.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QTextStream err(stderr);
    return run(invocation, out, err, program);
}

} // namespace Hooktrail::CommandLine
