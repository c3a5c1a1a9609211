// Writes logged requests to a file: HAR 1.2, JSON Lines or CSV, streamed page by page.
#pragma once

#include "core/base/result.h"
#include "core/model/loggedrequest.h"
#include "core/model/requestfilter.h"

#include <QIODevice>
#include <functional>
#include <optional>

namespace Hooktrail {
class Store;
}

namespace Hooktrail::RequestExport {

enum class Format { Har, Jsonl, Csv };

// Writes every request matching filter (or exactly `ids`, in that order, when not empty) to
// device, paging by key so memory stays flat however many rows there are. progress(done, total)
// runs after each page and may return false to cancel; the result is then a failure "cancelled".
// Secrets stay redacted: they are stored redacted. The filter's beforeId, afterId and search
// apply; its limit does not.
Status write(Store &store, Format format, const RequestFilter &filter, const QList<qint64> &ids,
    QIODevice &device, const std::function<bool(qint64 done, qint64 total)> &progress = {});

std::optional<Format> formatFromName(const QString &name); // "har", "jsonl", "csv"
QString fileSuffix(Format format); // "har", "jsonl", "csv"

// The pieces, for anyone writing one request at a time: one HAR entry (compact JSON), the CSV
// header line and one CSV record (each ending in CRLF). A CSV cell that starts with = + - @ tab
// or CR starts with a ' instead, so that no spreadsheet runs it as a formula (OWASP).
QByteArray harEntry(const LoggedRequest &request);
QByteArray csvHeader();
QByteArray csvRow(const LoggedRequest &request);

} // namespace Hooktrail::RequestExport
