// The words a person reads for each reason code of answer.h's LoggedReasons. The codes stay the
// machine-readable name (the CLI, the JSON answer, the filters' query); the console shows these
// words with the code as secondary text.
#pragma once

#include <QByteArrayView>
#include <QString>

namespace Hooktrail::Endpoint {

// The translated words for a logged reason code ("Wrong API key" for invalid_api_key), worded
// with QCoreApplication::translate in the context "Hooktrail::Endpoint" (ARCHITECTURE §6). A code
// that is not in LoggedReasons (a value read from an older or altered database) is not trusted
// to be ours: it reads "Other reason (CODE)", the code shown as plain, printable Latin-1.
QString reasonText(QByteArrayView code);
// The words with the code as secondary text, "Wrong API key (invalid_api_key)": for lists and
// tooltips, where a person reads the words and a developer looks for the code. An unknown code
// reads as reasonText() does, the code already in it.
QString reasonWithCode(QByteArrayView code);
// Whether code is one of LoggedReasons.
bool isKnownReason(QByteArrayView code);

} // namespace Hooktrail::Endpoint
