// The command line: `hooktrail serve`, `webhook`, `key` and `log`, sharing the core with the
// console.
#pragma once

#include <QString>
#include <QStringList>

class QTextStream;

namespace Hooktrail::CommandLine {

enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

struct Invocation
{
    QString dataDir; // --data-dir, wherever it stood
    QString database; // --database: a SQLite file or a postgresql:// URL
    bool help = false;
    bool version = false;
    QStringList words; // the command and its own arguments, global options removed
    QString error; // a malformed global option
    bool wantsConsole() const { return words.isEmpty() && !help && !version && error.isEmpty(); }
};

Invocation parse(const QStringList &arguments); // without the program name
QString usage();
// Runs a command (needs a QCoreApplication). Returns the process exit code.
int run(const Invocation &invocation, QTextStream &out, QTextStream &err);

} // namespace Hooktrail::CommandLine
