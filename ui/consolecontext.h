// What every page and dialog of the console is handed: the settings, the running engine and
// the store executor (all database work goes through it, off the GUI thread), and the keys
// verified in this run (none kept when null).
#pragma once

namespace Hooktrail {

class Engine;
class Settings;
class StoreExecutor;
class VerifiedKeys;

struct ConsoleContext
{
    Settings *settings = nullptr;
    Engine *engine = nullptr;
    StoreExecutor *store = nullptr;
    VerifiedKeys *verifiedKeys = nullptr;
};

} // namespace Hooktrail
