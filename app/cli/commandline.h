// The command line: `hooktrail serve`, `webhook`, `key`, `log`, `export`, `curl` and `migrate`,
// sharing the core with the console; `hooktrail-server` has them all, and no console.
#pragma once

#include <QString>
#include <QStringList>

class QTextStream;

namespace Hooktrail::CommandLine {

enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

// Which executable runs the command line: `hooktrail` has the console too; `hooktrail-server`
// links no graphical library, for servers that have none.
enum class Program { Hooktrail, Server };
QString programName(Program program);

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
QString usage(Program program = Program::Hooktrail);
// Runs a command (needs a QCoreApplication). Returns the process exit code.
int run(const Invocation &invocation, QTextStream &out, QTextStream &err,
    Program program = Program::Hooktrail);

// For main(). What either program does first: its names set, SIGXFSZ ignored.
void setUpProcess();
QStringList arguments(int argc, char *argv[]);
// Runs the invocation in a QCoreApplication of its own, on standard output and error.
int runWithoutWindow(int &argc, char *argv[], const Invocation &invocation, Program program);

} // namespace Hooktrail::CommandLine
