// One entry of the request log (ARCHITECTURE §5.3).
#include "core/model/loggedrequest.h"

#include "core/endpoint/keyrule.h"
#include "core/endpoint/query.h"

#include <cstdio>
#include <cstring>

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>
#include <chrono>

namespace Hooktrail {

qint64 currentMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

QString LoggedRequest::formatTimestamp(qint64 micros)
{
    const qint64 seconds = micros >= 0 ? micros / 1000000 : (micros - 999999) / 1000000;
    const qint64 fraction = micros - seconds * 1000000;
    const QDateTime time = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
    return time.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + u'.'
        + QStringLiteral("%1").arg(fraction, 6, 10, QLatin1Char('0')) + u'Z';
}

bool isUtf8(const QByteArray &bytes)
{
    if (std::all_of(bytes.begin(), bytes.end(),
            [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return true;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    return !decoder.hasError();
}

QString receivedText(const QByteArray &bytes)
{
    return isUtf8(bytes) ? QString::fromUtf8(bytes) : QString::fromLatin1(bytes);
}

qint64 LoggedRequest::approximateBytes() const
{
    // The fixed part stands for the struct, the QByteArray/QString headers and the allocator.
    constexpr qint64 Fixed = 512;
    constexpr qint64 PerHeader = 64;
    qint64 bytes = Fixed + body.size() + method.size() + path.size() + query.size()
        + httpVersion.size() + contentType.size() + reason.size()
        + 2
            * (webhookId.size() + clientAddress.size() + forwardedFor.size() + reasonDetail.size()
                + instance.size());
    for (const auto &[name, value] : headers)
        bytes += PerHeader + name.size() + value.size();
    return bytes;
}

QJsonObject LoggedRequest::toJson() const
{
    QJsonArray headerArray;
    for (const auto &[name, value] : headers)
        headerArray.append(QJsonArray { receivedText(name), receivedText(value) });
    const bool utf8 = isUtf8(body);
    const auto nullable
        = [](const QString &text) { return text.isEmpty() ? QJsonValue() : QJsonValue(text); };
    return QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("receivedAt"), formatTimestamp(receivedAtMicros) },
        { QStringLiteral("webhookId"), nullable(webhookId) },
        { QStringLiteral("method"), receivedText(method) },
        { QStringLiteral("path"), receivedText(path) },
        { QStringLiteral("query"), receivedText(query) },
        { QStringLiteral("httpVersion"), QString::fromLatin1(httpVersion) },
        { QStringLiteral("headers"), headerArray },
        { QStringLiteral("body"),
            utf8 ? QString::fromUtf8(body) : QString::fromLatin1(body.toBase64()) },
        { QStringLiteral("bodyEncoding"),
            utf8 ? QStringLiteral("utf8") : QStringLiteral("base64") },
        { QStringLiteral("bodyTruncated"), bodyTruncated },
        { QStringLiteral("bodySize"), bodySize },
        { QStringLiteral("contentType"), nullable(receivedText(contentType)) },
        { QStringLiteral("clientAddress"), clientAddress },
        { QStringLiteral("forwardedFor"), nullable(forwardedFor) },
        { QStringLiteral("status"), status },
        { QStringLiteral("reason"), QString::fromLatin1(reason) },
        { QStringLiteral("reasonDetail"), nullable(reasonDetail) },
        { QStringLiteral("handlingMicros"), handlingMicros },
        { QStringLiteral("instance"), instance },
    };
}

namespace Redaction {

bool isSecretHeader(QByteArrayView name)
{
    return Endpoint::isKeyHeader(name) || name.compare("authorization", Qt::CaseInsensitive) == 0
        || name.compare("proxy-authorization", Qt::CaseInsensitive) == 0
        || name.compare("cookie", Qt::CaseInsensitive) == 0;
}

HeaderList redactHeaders(const HeaderList &headers)
{
    HeaderList out = headers;
    for (auto &[name, value] : out) {
        if (isSecretHeader(name))
            value = Mask;
    }
    return out;
}

QByteArray redactQuery(const QByteArray &query)
{
    if (query.isEmpty())
        return query;
    // Every parameter admission could take the key from (Endpoint::isKeyParameter), not only
    // the first: which one a reader takes is not for the log to guess.
    return Endpoint::replaceValues(
        query,
        [](const Endpoint::QueryField &field) { return Endpoint::isKeyParameter(field.name()); },
        Mask);
}

namespace {

bool isKeyCharacter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_';
}

// Where "htk_" next is in bytes from `from`, or -1. glibc's memmem, not QByteArrayView::indexOf:
// every body passes here, and it is some 25 times faster (0.1 ms for a MiB, here).
qsizetype findPrefix(QByteArrayView bytes, qsizetype from)
{
    if (from >= bytes.size())
        return -1;
    const void *hit = ::memmem(bytes.data() + from, size_t(bytes.size() - from), "htk_", 4);
    return hit ? static_cast<const char *>(hit) - bytes.data() : -1;
}

// Where the next key starts in bytes from `from`, or -1.
qsizetype findKey(QByteArrayView bytes, qsizetype from)
{
    for (qsizetype at = findPrefix(bytes, from); at >= 0 && at + KeyLength <= bytes.size();
         at = findPrefix(bytes, at + 1)) {
        const QByteArrayView rest = bytes.sliced(at + 4, KeyLength - 4);
        if (std::all_of(rest.begin(), rest.end(), isKeyCharacter))
            return at;
    }
    return -1;
}

} // namespace

bool scrubKeys(QByteArray &bytes)
{
    qsizetype at = findKey(bytes, 0);
    if (at < 0)
        return false;
    QByteArray out;
    out.reserve(bytes.size());
    qsizetype done = 0;
    do {
        out.append(bytes.constData() + done, at - done);
        out += Mask;
        done = at + KeyLength;
        at = findKey(bytes, done);
    } while (at >= 0);
    out.append(bytes.constData() + done, bytes.size() - done);
    bytes = std::move(out);
    return true;
}

bool scrubKeys(QString &text)
{
    if (!text.contains(QLatin1String("htk_")))
        return false;
    QByteArray bytes = text.toUtf8();
    if (!scrubKeys(bytes))
        return false;
    text = QString::fromUtf8(bytes);
    return true;
}

void scrubKeys(LoggedRequest &entry)
{
    scrubKeys(entry.method);
    scrubKeys(entry.path);
    scrubKeys(entry.query);
    // Read through a const list: writing to the list would copy it even when it holds no key.
    const HeaderList &headers = entry.headers;
    for (qsizetype i = 0; i < headers.size(); ++i) {
        if (findKey(headers[i].first, 0) >= 0 || findKey(headers[i].second, 0) >= 0) {
            scrubKeys(entry.headers[i].first);
            scrubKeys(entry.headers[i].second);
        }
    }
    scrubKeys(entry.body);
    if (entry.bodyTruncated) {
        // A key cut by the end of a kept prefix is still most of a secret: drop what is left of it.
        const qsizetype tailFrom = std::max<qsizetype>(0, entry.body.size() - (KeyLength - 1));
        for (qsizetype at = findPrefix(entry.body, tailFrom); at >= 0;
             at = findPrefix(entry.body, at + 1)) {
            const QByteArrayView rest = QByteArrayView(entry.body).sliced(at + 4);
            if (std::all_of(rest.begin(), rest.end(), isKeyCharacter)) {
                entry.body.truncate(at);
                break;
            }
        }
    }
    scrubKeys(entry.contentType);
    scrubKeys(entry.forwardedFor);
    scrubKeys(entry.reasonDetail);
}

} // namespace Redaction

void appendJsonUtf8(QByteArray &out, QByteArrayView utf8)
{
    out += '"';
    qsizetype plain = 0; // start of the run of characters that need no escape
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(utf8.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", unsigned(c));
            out += escape;
        }
        }
    }
    out.append(utf8.data() + plain, utf8.size() - plain);
    out += '"';
}

namespace {

// Received bytes as a JSON string of the text the log keeps (see receivedText).
void appendJsonString(QByteArray &out, const QByteArray &bytes)
{
    appendJsonUtf8(out, isUtf8(bytes) ? bytes : receivedText(bytes).toUtf8());
}

} // namespace

// Each header is [name, value]; a value that is not UTF-8 (HTTP allows bytes 0x80-0xFF) is
// kept exactly as [name, base64, "base64"], so the log holds the bytes that were received.
QByteArray encodeHeaders(const HeaderList &headers)
{
    QByteArray out;
    out.reserve(64 * headers.size() + 2);
    out += '[';
    for (qsizetype i = 0; i < headers.size(); ++i) {
        if (i)
            out += ',';
        out += '[';
        appendJsonString(out, headers[i].first);
        out += ',';
        const QByteArray &value = headers[i].second;
        if (isUtf8(value)) {
            appendJsonUtf8(out, value);
        } else {
            appendJsonUtf8(out, value.toBase64());
            out += ",\"base64\"";
        }
        out += ']';
    }
    out += ']';
    return out;
}

HeaderList decodeHeaders(const QByteArray &json)
{
    HeaderList headers;
    for (const QJsonValue &pair : QJsonDocument::fromJson(json).array()) {
        const QByteArray name = pair[0].toString().toUtf8();
        const QByteArray value = pair[1].toString().toUtf8();
        headers.append({ name,
            pair[2].toString() == QStringLiteral("base64") ? QByteArray::fromBase64(value)
                                                           : value });
    }
    return headers;
}

} // namespace Hooktrail
