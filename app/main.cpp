// hooktrail: the console, or with a command, the receiver and tools without a window.
#include "app/cli/commandline.h"
#include "app/consolemain.h"

int main(int argc, char *argv[])
{
    using namespace Hooktrail::CommandLine;
    setUpProcess();
    const Invocation invocation = parse(arguments(argc, argv));
    if (invocation.wantsConsole())
        return Hooktrail::runConsole(argc, argv, invocation.dataDir, invocation.database);
    return runWithoutWindow(argc, argv, invocation, Program::Hooktrail);
}
