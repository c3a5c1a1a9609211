// The commands, one file each (the history's three share one); commandline.cpp picks one.
#pragma once

#include <QStringList>

namespace Hooktrail::CommandLine {

class CommandContext;

// Each takes the words after its name and returns the process exit code.
int serveCommand(CommandContext &context, const QStringList &words);
int webhookCommand(CommandContext &context, QStringList words);
int keyCommand(CommandContext &context, QStringList words);
int tokenCommand(CommandContext &context, QStringList words);
int tlsCommand(CommandContext &context, QStringList words);
int logCommand(CommandContext &context, const QStringList &words);
int exportCommand(CommandContext &context, QStringList words);
int curlCommand(CommandContext &context, const QStringList &words);
int migrateCommand(CommandContext &context, const QStringList &words);
int destinationCommand(CommandContext &context, QStringList words);
int deliveriesCommand(CommandContext &context, const QStringList &words);
int redeliverCommand(CommandContext &context, const QStringList &words);

} // namespace Hooktrail::CommandLine
