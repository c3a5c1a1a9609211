// Writes logged requests to a file: HAR 1.2, JSON Lines or CSV, streamed page by page.
#include "core/history/requestexport.h"

#include "core/endpoint/answer.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <cstring>

namespace Hooktrail::RequestExport {

namespace {

constexpr int PageSize = 1000;

bool isUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    return !decoder.hasError();
}

QString text(const QByteArray &bytes)
{
    return isUtf8(bytes) ? QString::fromUtf8(bytes) : QString::fromLatin1(bytes);
}

QList<QPair<QString, QString>> queryPairs(const QByteArray &query)
{
    QList<QPair<QString, QString>> out;
    if (query.isEmpty())
        return out;
    for (QByteArray part : query.split('&')) {
        part.replace('+', ' ');
        const qsizetype eq = part.indexOf('=');
        const QByteArray name = eq < 0 ? part : part.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : part.mid(eq + 1);
        out.append({ text(QByteArray::fromPercentEncoding(name)),
            text(QByteArray::fromPercentEncoding(value)) });
    }
    return out;
}

QByteArray header(const LoggedRequest &request, QByteArrayView name)
{
    for (const auto &[key, value] : request.headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// What the receiver answered, rebuilt by the receiver's own code.
struct Answer
{
    QByteArray statusText;
    QByteArray body;
};

Answer answerOf(const LoggedRequest &request)
{
    const QByteArray bytes = Endpoint::answer(request.status, request.reason, request.id, true);
    const qsizetype lineEnd = bytes.indexOf("\r\n");
    const QByteArray statusLine = bytes.left(lineEnd);
    const qsizetype secondSpace = statusLine.indexOf(' ', statusLine.indexOf(' ') + 1);
    const qsizetype bodyStart = bytes.indexOf("\r\n\r\n");
    return { secondSpace < 0 ? QByteArray() : statusLine.mid(secondSpace + 1),
        bodyStart < 0 ? QByteArray() : bytes.mid(bodyStart + 4) };
}

// RFC 4180: a field with a comma, quote, CR or LF is quoted, its quotes doubled. A spreadsheet
// runs a cell starting with = + - @ tab or CR as a formula (which can reach other cells, files
// or the network): as OWASP recommends, such a cell starts with a ' instead, which makes it
// text, and is quoted. The sender chose the method, query, headers and body.
void appendCsvField(QByteArray &line, const QString &value)
{
    QByteArray bytes = value.toUtf8();
    const bool formula = !bytes.isEmpty() && bytes.front() != '\0'
        && std::strchr("=+-@\t\r", bytes.front()) != nullptr;
    if (formula)
        bytes.prepend('\'');
    if (formula || bytes.contains(',') || bytes.contains('"') || bytes.contains('\r')
        || bytes.contains('\n')) {
        bytes.replace('"', "\"\"");
        bytes.prepend('"');
        bytes.append('"');
    }
    if (!line.isEmpty())
        line += ',';
    line += bytes;
}

QString jsonScalar(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toInteger());
    case QJsonValue::String:
        return value.toString();
    default:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    }
}

const QStringList &csvColumns()
{
    static const QStringList columns {
        QStringLiteral("id"),
        QStringLiteral("receivedAt"),
        QStringLiteral("webhookId"),
        QStringLiteral("method"),
        QStringLiteral("path"),
        QStringLiteral("query"),
        QStringLiteral("status"),
        QStringLiteral("reason"),
        QStringLiteral("reasonDetail"),
        QStringLiteral("clientAddress"),
        QStringLiteral("forwardedFor"),
        QStringLiteral("contentType"),
        QStringLiteral("bodySize"),
        QStringLiteral("bodyTruncated"),
        QStringLiteral("bodyEncoding"),
        QStringLiteral("body"),
        QStringLiteral("headers"),
        QStringLiteral("handlingMicros"),
        QStringLiteral("instance"),
    };
    return columns;
}

class Writer
{
public:
    Writer(Format format, QIODevice &device) : m_format(format), m_device(device) { }

    Status begin()
    {
        if (m_format == Format::Har)
            return put(QByteArrayLiteral("{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":"
                                         "\"Hooktrail\",\"version\":\"")
                + QByteArrayLiteral(HOOKTRAIL_VERSION) + QByteArrayLiteral("\"},\"entries\":["));
        if (m_format == Format::Csv)
            return put(csvHeader());
        return {};
    }

    Status add(const LoggedRequest &request)
    {
        switch (m_format) {
        case Format::Har: {
            if (m_count++ > 0) {
                if (Status status = put(QByteArrayLiteral(",")); !status)
                    return status;
            }
            return put(harEntry(request));
        }
        case Format::Jsonl:
            return put(QJsonDocument(request.toJson()).toJson(QJsonDocument::Compact) + '\n');
        case Format::Csv:
            return put(csvRow(request));
        }
        return {};
    }

    Status end() { return m_format == Format::Har ? put(QByteArrayLiteral("]}}\n")) : Status(); }

private:
    Status put(const QByteArray &bytes)
    {
        if (m_device.write(bytes) != bytes.size())
            return Status::failure(QCoreApplication::translate(
                "Hooktrail::RequestExport", "cannot write the export: %1")
                                       .arg(m_device.errorString()));
        return {};
    }

    Format m_format;
    QIODevice &m_device;
    qint64 m_count = 0;
};

} // namespace

std::optional<Format> formatFromName(const QString &name)
{
    const QString folded = name.trimmed().toLower();
    if (folded == QStringLiteral("har"))
        return Format::Har;
    if (folded == QStringLiteral("jsonl"))
        return Format::Jsonl;
    if (folded == QStringLiteral("csv"))
        return Format::Csv;
    return std::nullopt;
}

QString fileSuffix(Format format)
{
    switch (format) {
    case Format::Har:
        return QStringLiteral("har");
    case Format::Jsonl:
        return QStringLiteral("jsonl");
    case Format::Csv:
        return QStringLiteral("csv");
    }
    return {};
}

namespace {

// HAR is written as text directly (appendJsonUtf8): building a QJsonObject per entry costs more
// than the rest of the export together.
void appendJsonText(QByteArray &out, const QString &text)
{
    appendJsonUtf8(out, QByteArrayView(text.toUtf8()));
}

// Bytes as UTF-8 text: as they are when they are UTF-8, else read as Latin-1 (as the log does).
QByteArray utf8(const QByteArray &bytes)
{
    return isUtf8(bytes) ? bytes : QString::fromLatin1(bytes).toUtf8();
}

// Microseconds as milliseconds, exactly: 1234 → 1.234.
QByteArray milliseconds(qint64 micros)
{
    micros = std::max<qint64>(0, micros);
    QByteArray out = QByteArray::number(micros / 1000);
    if (const qint64 fraction = micros % 1000) {
        QByteArray digits = QByteArray::number(fraction).rightJustified(3, '0');
        while (digits.endsWith('0'))
            digits.chop(1);
        out += '.' + digits;
    }
    return out;
}

void appendNameValues(QByteArray &out, const QList<QPair<QByteArray, QByteArray>> &pairs)
{
    out += '[';
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        if (i)
            out += ',';
        out += "{\"name\":";
        appendJsonUtf8(out, utf8(pairs[i].first));
        out += ",\"value\":";
        appendJsonUtf8(out, utf8(pairs[i].second));
        out += '}';
    }
    out += ']';
}

} // namespace

QByteArray harEntry(const LoggedRequest &request)
{
    const QByteArray host = header(request, "host");
    QByteArray url = "http://" + (host.isEmpty() ? QByteArrayLiteral("127.0.0.1") : utf8(host))
        + utf8(request.path);
    if (!request.query.isEmpty())
        url += '?' + utf8(request.query);
    QList<QPair<QByteArray, QByteArray>> query;
    for (const auto &[name, value] : queryPairs(request.query))
        query.append({ name.toUtf8(), value.toUtf8() });
    const QByteArray wait = milliseconds(request.handlingMicros);

    QByteArray out;
    out.reserve(512 + request.body.size() * 4 / 3 + 64 * request.headers.size());
    out += "{\"startedDateTime\":";
    appendJsonText(out, LoggedRequest::formatTimestamp(request.receivedAtMicros));
    out += ",\"time\":" + wait;
    out += ",\"request\":{\"method\":";
    appendJsonUtf8(out, utf8(request.method));
    out += ",\"url\":";
    appendJsonUtf8(out, url);
    out += ",\"httpVersion\":";
    appendJsonUtf8(out, request.httpVersion);
    out += ",\"cookies\":[],\"headers\":";
    appendNameValues(out, request.headers);
    out += ",\"queryString\":";
    appendNameValues(out, query);
    out += ",\"headersSize\":-1,\"bodySize\":" + QByteArray::number(request.bodySize);
    if (!request.body.isEmpty() || request.bodySize > 0) {
        // HAR's postData has no encoding field (only the response's content has one), hence
        // the custom _bodyEncoding for a body that is not UTF-8.
        const bool text = isUtf8(request.body);
        out += ",\"postData\":{\"mimeType\":";
        appendJsonUtf8(out, utf8(request.contentType));
        out += ",\"params\":[],\"text\":";
        appendJsonUtf8(out, text ? request.body : request.body.toBase64());
        if (!text)
            out += ",\"_bodyEncoding\":\"base64\"";
        if (request.bodyTruncated)
            out += ",\"_bodyTruncated\":true";
        out += '}';
    }
    const Answer answer = answerOf(request);
    const QByteArray answerSize = QByteArray::number(answer.body.size());
    out += "},\"response\":{\"status\":" + QByteArray::number(request.status) + ",\"statusText\":";
    appendJsonUtf8(out, answer.statusText);
    out += ",\"httpVersion\":\"HTTP/1.1\",\"cookies\":[],\"headers\":[],\"content\":{\"size\":"
        + answerSize + ",\"mimeType\":\"application/json\",\"text\":";
    appendJsonUtf8(out, answer.body);
    out += "},\"redirectURL\":\"\",\"headersSize\":-1,\"bodySize\":" + answerSize;
    out += "},\"cache\":{},\"timings\":{\"send\":0,\"wait\":" + wait + ",\"receive\":0}";
    out += ",\"_requestId\":" + QByteArray::number(request.id);
    out += ",\"_webhookId\":";
    if (request.webhookId.isEmpty())
        out += "null";
    else
        appendJsonText(out, request.webhookId);
    out += ",\"_reason\":";
    appendJsonUtf8(out, request.reason);
    out += ",\"_clientAddress\":";
    appendJsonText(out, request.clientAddress);
    if (!request.reasonDetail.isEmpty()) {
        out += ",\"_reasonDetail\":";
        appendJsonText(out, request.reasonDetail);
    }
    if (!request.forwardedFor.isEmpty()) {
        out += ",\"_forwardedFor\":";
        appendJsonText(out, request.forwardedFor);
    }
    out += ",\"_instance\":";
    appendJsonText(out, request.instance);
    out += '}';
    return out;
}

QByteArray csvHeader()
{
    return csvColumns().join(u',').toUtf8() + "\r\n";
}

QByteArray csvRow(const LoggedRequest &request)
{
    // The same values as the JSON Lines form, so the two exports never disagree.
    const QJsonObject json = request.toJson();
    QByteArray line;
    for (const QString &column : csvColumns())
        appendCsvField(line, jsonScalar(json.value(column)));
    return line + "\r\n";
}

Status write(Store &store, Format format, const RequestFilter &filter, const QList<qint64> &ids,
    QIODevice &device, const std::function<bool(qint64 done, qint64 total)> &progress)
{
    qint64 total = ids.size();
    if (ids.isEmpty()) {
        const Result<qint64> count = store.queries().countRequests(filter);
        if (!count)
            return Status::failure(count.error());
        total = *count;
    }
    const auto goOn = [&](qint64 done) { return !progress || progress(done, total); };
    if (!goOn(0))
        return Status::failure(QStringLiteral("cancelled"));
    Writer writer(format, device);
    if (Status status = writer.begin(); !status)
        return status;
    qint64 done = 0;
    if (!ids.isEmpty()) {
        for (const qint64 id : ids) {
            const Result<std::optional<LoggedRequest>> found = store.queries().request(id);
            if (!found)
                return Status::failure(found.error());
            if (found->has_value()) { // deleted meanwhile: nothing to write
                if (Status status = writer.add(**found); !status)
                    return status;
            }
            if (++done % PageSize == 0 && !goOn(done))
                return Status::failure(QStringLiteral("cancelled"));
        }
    } else {
        RequestFilter page = filter;
        page.limit = PageSize;
        for (;;) {
            const Result<QList<LoggedRequest>> rows = store.queries().requests(page);
            if (!rows)
                return Status::failure(rows.error());
            for (const LoggedRequest &request : *rows) {
                if (Status status = writer.add(request); !status)
                    return status;
            }
            done += rows->size();
            if (rows->size() < PageSize)
                break;
            page.beforeId = rows->last().id;
            if (!goOn(done))
                return Status::failure(QStringLiteral("cancelled"));
        }
    }
    if (Status status = writer.end(); !status)
        return status;
    if (progress)
        progress(done, total); // everything is written: too late to cancel
    return {};
}

} // namespace Hooktrail::RequestExport
