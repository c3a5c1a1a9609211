// hooktrail-server: every command but the console, for servers without graphical libraries.
#include "app/cli/commandline.h"

int main(int argc, char *argv[])
{
    using namespace Hooktrail::CommandLine;
    setUpProcess();
    return runWithoutWindow(argc, argv, parse(arguments(argc, argv)), Program::Server);
}
