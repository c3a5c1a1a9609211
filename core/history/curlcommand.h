// "Copy as curl": a logged request as a shell command that sends it again.
#pragma once

#include "core/model/loggedrequest.h"

#include <QString>

namespace Hooktrail::CurlCommand {

// Reproduces the method, path, query, the headers that matter and the body. The log keeps
// secrets redacted: the api-key query value and a redacted X-Api-Key become apiKey, or the
// placeholder <API_KEY> when it is empty; Authorization and Cookie stay ***. Everything the
// sender chose is hostile: the body goes by --data-raw (never read as @file), and a body with a
// NUL byte or that is not UTF-8 is fed to curl's standard input by printf, with a note saying so.
// The command is plain ASCII whatever was received (see shellQuote).
QString fromRequest(
    const LoggedRequest &request, const QString &baseUrl, const QString &apiKey = {});

// What stands for a redacted key in copied commands and in Replay.
inline const QString KeyPlaceholder = QStringLiteral("<API_KEY>");

// The query with each redacted api-key value (the name in any case) set to key, percent-encoded,
// or to KeyPlaceholder when key is empty.
QString queryWithKey(const QByteArray &query, const QString &key = {});

// Quotes a word for a shell; words made only of safe characters stay bare. A word of printable
// ASCII is single-quoted. Any other byte (control characters such as ^C, ESC or a newline, which
// would act on the terminal the command is pasted into, and every byte from 0x80) makes the
// word bash's ANSI-C quoting $'...' with \xHH escapes (also read by zsh and ksh). A POSIX shell
// without $'...' (dash) reads such a word as plain text: wrong bytes, but nothing runs.
QString shellQuoteBytes(QByteArrayView word);
inline QString shellQuote(const QString &word)
{
    return shellQuoteBytes(word.toUtf8());
}

} // namespace Hooktrail::CurlCommand
