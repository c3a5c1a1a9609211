// `hooktrail tls self-signed`: a certificate and key for trying the receiver's TLS locally
// (ARCHITECTURE §5.8).
#include "app/cli/commandcontext.h"
#include "app/cli/commands.h"
#include "app/cli/options.h"

#include "core/tls/certificates.h"
#include "core/tls/tlscontext.h"

#include <QDir>
#include <QTextStream>

namespace Hooktrail::CommandLine {

int tlsCommand(CommandContext &context, QStringList words)
{
    if (words.isEmpty() || words.front() != QStringLiteral("self-signed"))
        return context.usageError(QStringLiteral("tls needs a command: self-signed"));
    words.removeFirst();
    const Options options = parseOptions(words,
        { { QStringLiteral("host") }, { QStringLiteral("out") }, { QStringLiteral("days") },
            { QStringLiteral("force"), false, true }, { QStringLiteral("use"), false, true } },
        0);
    if (!options.error.isEmpty())
        return context.usageError(options.error);
    const QString host = options.value(QStringLiteral("host")).trimmed();
    if (const QString problem = Certificates::hostProblem(host); !problem.isEmpty())
        return context.usageError(QStringLiteral("--host: %1").arg(problem));
    int days = 365;
    if (options.has(QStringLiteral("days"))) {
        bool ok = false;
        days = options.value(QStringLiteral("days")).toInt(&ok);
        if (!ok || days < 1 || days > 3650)
            return context.usageError(QStringLiteral("--days takes 1 to 3650"));
    }
    const QString folder = options.has(QStringLiteral("out"))
        ? options.value(QStringLiteral("out"))
        : QDir(context.settings().dataDir()).filePath(QStringLiteral("tls"));
    const Result<Certificates::Written> written
        = Certificates::writeSelfSigned(host, days, folder, options.has(QStringLiteral("force")));
    if (!written)
        return context.failure(written.error());
    const QString certificate = QDir::toNativeSeparators(written->certificateFile);
    const QString key = QDir::toNativeSeparators(written->keyFile);
    context.out << "certificate: " << certificate << '\n' << "key: " << key << " (0600)\n";
    if (options.has(QStringLiteral("use"))) {
        if (const Result<QSslConfiguration> loaded
            = TlsContext::load(written->certificateFile, written->keyFile);
            !loaded)
            return context.failure(loaded.error());
        context.settings().setTls(written->certificateFile, written->keyFile);
        context.err << "The receiver's port now speaks TLS (Settings → Receiver); endpoints are "
                       "https://.\n";
    } else {
        context.err << "Serve with: " << context.programName() << " serve --tls-cert "
                    << certificate << " --tls-key " << key << '\n';
    }
    context.err << "Clients trust it with: curl --cacert " << certificate
                << " (it is its own authority, valid " << days << " days for " << host << ")\n";
    return Success;
}

} // namespace Hooktrail::CommandLine
