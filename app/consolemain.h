// hooktrail's console: the data folder opened, the embedded receiver started, the window shown.
#pragma once

#include <QString>

namespace Hooktrail {

// Runs the console in a QApplication of its own (argc and argv as main() was given them) until
// its window closes; returns the exit code.
int runConsole(int &argc, char *argv[], const QString &dataDir, const QString &database = {});

} // namespace Hooktrail
