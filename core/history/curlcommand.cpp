// "Copy as curl": a logged request as a shell command that sends it again.
#include "core/history/curlcommand.h"

#include "core/endpoint/keyrule.h"
#include "core/endpoint/query.h"

#include <QUrl>
#include <cstring>

namespace Hooktrail::CurlCommand {

namespace {

// What --data-raw can carry as one shell word: no NUL (no shell word holds one), and UTF-8, so
// the note-free command stays readable text.
bool isText(const QByteArray &bytes)
{
    if (bytes.contains('\0'))
        return false;
    return isUtf8(bytes);
}

// curl sets these itself from the URL and the body it sends; copying them would contradict it.
bool curlOwnsHeader(QByteArrayView name)
{
    for (const char *owned :
        { "host", "content-length", "connection", "transfer-encoding", "expect" }) {
        if (name.compare(owned, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// printf's format for arbitrary bytes: octal escapes for all but plain printable ASCII (and a
// leading '-', which printf would take for an option).
QString printfFormat(const QByteArray &bytes)
{
    QString out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f && c != '\'' && c != '\\' && c != '%'
            && !(c == '-' && out.isEmpty()))
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\%1").arg(byte, 3, 8, QLatin1Char('0'));
    }
    return out;
}

} // namespace

QString shellQuoteBytes(QByteArrayView word)
{
    const auto safe = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || (c != '\0' && std::strchr("-_./:=@%+,", c) != nullptr);
    };
    const auto printable = [](char c) { return c >= 0x20 && c < 0x7f; };
    if (!word.isEmpty() && std::all_of(word.begin(), word.end(), safe))
        return QString::fromLatin1(word);
    if (std::all_of(word.begin(), word.end(), printable)) {
        QString quoted = QString::fromLatin1(word);
        quoted.replace(u'\'', QStringLiteral("'\\''"));
        return u'\'' + quoted + u'\'';
    }
    // Pasted raw, a control character acts on the terminal (^C drops the line typed so far and
    // runs what follows; ESC starts a sequence) and bytes from 0x80 may hide what the command
    // does: every one of them is written as an escape, so the command is plain ASCII.
    QString quoted = QStringLiteral("$'");
    quoted.reserve(word.size() * 2 + 3);
    for (const char c : word) {
        switch (c) {
        case '\\':
            quoted += QStringLiteral("\\\\");
            break;
        case '\'':
            quoted += QStringLiteral("\\'");
            break;
        case '\n':
            quoted += QStringLiteral("\\n");
            break;
        case '\r':
            quoted += QStringLiteral("\\r");
            break;
        case '\t':
            quoted += QStringLiteral("\\t");
            break;
        case '!': // an interactive bash may expand history even here
            quoted += QStringLiteral("\\x21");
            break;
        default:
            if (printable(c))
                quoted += QLatin1Char(c);
            else // always two digits: a hex digit after it is never read as part of the escape
                quoted += QStringLiteral("\\x%1").arg(
                    uint(static_cast<unsigned char>(c)), 2, 16, QLatin1Char('0'));
        }
    }
    return quoted + u'\'';
}

QString fromRequest(const LoggedRequest &request, const QString &baseUrl, const QString &apiKey)
{
    QByteArray base = baseUrl.toUtf8();
    while (base.endsWith('/'))
        base.chop(1);
    QByteArray url = base + request.path;
    if (!request.query.isEmpty())
        url += '?' + queryWithKey(request.query, apiKey).toUtf8();

    QStringList notes;
    QStringList lines;
    QString first = QStringLiteral("curl -X ") + shellQuoteBytes(request.method);
    // curl would read [] and {} in a URL as ranges and lists to expand.
    if (url.contains('[') || url.contains(']') || url.contains('{') || url.contains('}'))
        first += QStringLiteral(" --globoff");
    lines << first + u' ' + shellQuoteBytes(url);
    for (const auto &[name, value] : request.headers) {
        if (curlOwnsHeader(name))
            continue;
        QByteArray sent = value;
        if (Endpoint::isKeyHeader(name) && value == Redaction::Mask)
            sent = apiKey.isEmpty() ? KeyPlaceholder.toUtf8() : apiKey.toUtf8();
        // "Name;" is how curl sends a header with an empty value ("Name:" would remove it).
        const QByteArray header = sent.isEmpty() ? name + ';' : name + ": " + sent;
        // "-H @file" would have curl read headers from that file; a logged name is an HTTP
        // token, which never starts so, but the command must not depend on it.
        if (header.startsWith('@'))
            continue;
        lines << QStringLiteral("-H ") + shellQuoteBytes(header);
    }
    QString prefix;
    if (!request.body.isEmpty()) {
        if (isText(request.body)) {
            // Not --data-binary: a body starting with @ would be read as the name of a file to
            // upload, from the computer of whoever runs the command.
            lines << QStringLiteral("--data-raw ") + shellQuoteBytes(request.body);
        } else {
            notes << QStringLiteral(
                "# The body is binary: printf writes its exact bytes to curl's standard input.");
            prefix = QStringLiteral("printf '%1' | ").arg(printfFormat(request.body));
            lines << QStringLiteral("--data-binary @-");
        }
    }
    if (request.bodyTruncated)
        notes << QStringLiteral(
            "# The log kept only the first %1 of %2 body bytes; this sends those.")
                     .arg(request.body.size())
                     .arg(request.bodySize);
    if (request.headers.end()
        != std::find_if(request.headers.begin(), request.headers.end(), [](const auto &header) {
               return header.first.compare("authorization", Qt::CaseInsensitive) == 0
                   || header.first.compare("cookie", Qt::CaseInsensitive) == 0
                   || header.first.compare("proxy-authorization", Qt::CaseInsensitive) == 0;
           }))
        notes << QStringLiteral(
            "# Authorization and Cookie values are not logged: replace *** with the real ones.");
    QString command = notes.isEmpty() ? QString() : notes.join(u'\n') + u'\n';
    command += prefix + lines.join(QStringLiteral(" \\\n  "));
    return command;
}

QString queryWithKey(const QByteArray &query, const QString &key)
{
    // redactQuery left exactly Mask as the value of each key parameter, by the same name rule.
    const QByteArray fill = key.isEmpty() ? KeyPlaceholder.toUtf8() : QUrl::toPercentEncoding(key);
    return QString::fromUtf8(Endpoint::replaceValues(
        query,
        [](const Endpoint::QueryField &field) {
            return field.hasValue && field.rawValue == Redaction::Mask
                && Endpoint::isKeyParameter(field.name());
        },
        fill));
}

} // namespace Hooktrail::CurlCommand
