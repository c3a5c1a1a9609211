// "Copy as curl": a logged request as a POSIX shell command that sends it again.
#include "curlcommand.h"

#include <QStringDecoder>
#include <QUrl>

namespace Hooktrail::CurlCommand {

namespace {

bool isText(const QByteArray &bytes)
{
    if (bytes.contains('\0')) // no shell word can hold a NUL byte
        return false;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    return !decoder.hasError();
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

// printf's format for arbitrary bytes: octal escapes for all but plain printable ASCII.
QString printfFormat(const QByteArray &bytes)
{
    QString out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f && c != '\'' && c != '\\' && c != '%')
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\%1").arg(byte, 3, 8, QLatin1Char('0'));
    }
    return out;
}

} // namespace

QString shellQuote(const QString &word)
{
    const bool bare = !word.isEmpty() && std::all_of(word.begin(), word.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || QStringLiteral("-_./:=@%+,").contains(c);
    });
    if (bare)
        return word;
    QString quoted = word;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

QString fromRequest(const LoggedRequest &request, const QString &baseUrl, const QString &apiKey)
{
    QString base = baseUrl;
    while (base.endsWith(u'/'))
        base.chop(1);
    QString url = base + QString::fromUtf8(request.path);
    if (!request.query.isEmpty())
        url += u'?' + queryWithKey(request.query, apiKey);

    QStringList notes;
    QStringList lines;
    QString first = QStringLiteral("curl -X ") + shellQuote(QString::fromLatin1(request.method));
    // curl would read [] and {} in a URL as ranges and lists to expand.
    if (url.contains(u'[') || url.contains(u']') || url.contains(u'{') || url.contains(u'}'))
        first += QStringLiteral(" --globoff");
    lines << first + u' ' + shellQuote(url);
    for (const auto &[name, value] : request.headers) {
        if (curlOwnsHeader(name))
            continue;
        QByteArray sent = value;
        if (name.compare("x-api-key", Qt::CaseInsensitive) == 0 && value == Redaction::Mask)
            sent = apiKey.isEmpty() ? KeyPlaceholder.toUtf8() : apiKey.toUtf8();
        // "Name;" is how curl sends a header with an empty value ("Name:" would remove it).
        const QString header = sent.isEmpty()
            ? QString::fromUtf8(name) + u';'
            : QString::fromUtf8(name) + QStringLiteral(": ") + QString::fromUtf8(sent);
        lines << QStringLiteral("-H ") + shellQuote(header);
    }
    QString prefix;
    if (!request.body.isEmpty()) {
        if (isText(request.body)) {
            lines << QStringLiteral("--data-binary ") + shellQuote(QString::fromUtf8(request.body));
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
    // redactQuery left exactly "api-key=***" (any case of the name) where a key was.
    QList<QByteArray> parts = query.split('&');
    for (QByteArray &part : parts) {
        const qsizetype eq = part.indexOf('=');
        if (eq < 0 || part.mid(eq + 1) != Redaction::Mask)
            continue;
        if (QByteArray::fromPercentEncoding(part.left(eq)).compare("api-key", Qt::CaseInsensitive)
            == 0)
            part = part.left(eq + 1)
                + (key.isEmpty() ? KeyPlaceholder.toUtf8() : QUrl::toPercentEncoding(key));
    }
    return QString::fromUtf8(parts.join('&'));
}

} // namespace Hooktrail::CurlCommand
