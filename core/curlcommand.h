// "Copy as curl": a logged request as a POSIX shell command that sends it again.
#pragma once

#include "loggedrequest.h"

#include <QString>

namespace Hooktrail::CurlCommand {

// Reproduces the method, path, query, the headers that matter and the body. The log keeps
// secrets redacted: the api-key query value and a redacted X-Api-Key become apiKey, or the
// placeholder <API_KEY> when it is empty; Authorization and Cookie stay ***. A body that is not
// text is fed to curl's standard input by printf, with a note saying so.
QString fromRequest(
    const LoggedRequest &request, const QString &baseUrl, const QString &apiKey = {});

// What stands for a redacted key in copied commands and in Replay.
inline const QString KeyPlaceholder = QStringLiteral("<API_KEY>");

// The query with each redacted api-key value (the name in any case) set to key, percent-encoded,
// or to KeyPlaceholder when key is empty.
QString queryWithKey(const QByteArray &query, const QString &key = {});

// Quotes a word for a POSIX shell; words made only of safe characters stay bare.
QString shellQuote(const QString &word);

} // namespace Hooktrail::CurlCommand
