// A request from the wire through what the receiver does with it: parsed, admitted against a
// configuration, logged with its secrets redacted, and written out the ways the console and CLI
// show it (the log's JSON, HAR, CSV, "copy as curl"). Input: what a client would send.
#include "core/endpoint/keyrule.h"
#include "core/endpoint/route.h"
#include "core/history/curlcommand.h"
#include "core/history/requestexport.h"
#include "core/http/httpconnection.h"
#include "core/http/httprequestparser.h"
#include "core/model/loggedrequest.h"
#include "core/receiver/admission.h"
#include "core/receiver/contentcheck.h"
#include "fuzzcheck.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <optional>

using namespace Hooktrail;

namespace {

const QString OpenId = QStringLiteral("1b4e28ba-2fa1-4d3b-a3f5-ef3d1c2a3b4c");
const QString StrictId = QStringLiteral("6f1c3e2a-9b8d-4c7e-8a5f-0d2e4b6c8a1f");
const QByteArray Key = "htk_fuzz";

const ConfigSnapshot &config()
{
    static const std::shared_ptr<const ConfigSnapshot> snapshot = [] {
        Webhook open;
        open.id = OpenId;
        open.name = QStringLiteral("open");
        Webhook strict;
        strict.id = StrictId;
        strict.name = QStringLiteral("strict");
        strict.methods = { QStringLiteral("PUT"), QStringLiteral("PATCH") };
        strict.headerRules = { { QStringLiteral("X-Source"), QStringLiteral("*") },
            { QStringLiteral("X-Env"), QStringLiteral("prod") } };
        strict.ipWhitelist = { QStringLiteral("10.0.0.0/8"), QStringLiteral("2001:db8::/32") };
        ApiKey key;
        key.id = 1;
        key.hash = ApiKeys::hash(Key);
        ApiKey revoked;
        revoked.id = 2;
        revoked.hash = ApiKeys::hash("htk_revoked");
        revoked.revoked = true;
        return ConfigSnapshot::build({ open, strict }, { key, revoked }, 1);
    }();
    return *snapshot;
}

const AdmissionOptions &options()
{
    static const AdmissionOptions value = [] {
        AdmissionOptions options;
        options.trustedProxies = { *IpRange::parse(QStringLiteral("127.0.0.0/8")),
            *IpRange::parse(QStringLiteral("::1")) };
        return options;
    }();
    return value;
}

// The log entry as the receiver makes it (HttpConnection::logEntryOf), with the fields the
// connection fills in itself set to fixed values.
LoggedRequest logEntry(const ParsedRequest &request)
{
    LoggedRequest entry = HttpConnection::logEntryOf(request);
    entry.id = 7;
    entry.receivedAtMicros = 1767225600123456;
    entry.clientAddress = QStringLiteral("127.0.0.1");
    entry.instance = QStringLiteral("fuzz");
    return entry;
}

// Reads one word of a shell command as bash would, for the forms shellQuote writes (bare,
// '...' and $'...'); nullopt when a character the shell would act on is left unquoted.
std::optional<QString> shellUnquote(const QString &word)
{
    QByteArray out; // $'\xHH' escapes make bytes: the word is their UTF-8
    for (qsizetype i = 0; i < word.size(); ++i) {
        const QChar c = word.at(i);
        if (c == u'$' && i + 1 < word.size() && word.at(i + 1) == u'\'') {
            for (i += 2;; ++i) {
                if (i >= word.size())
                    return std::nullopt;
                const QChar d = word.at(i);
                if (d == u'\'')
                    break;
                if (d != u'\\') {
                    out += QString(d).toUtf8();
                    continue;
                }
                if (++i >= word.size())
                    return std::nullopt;
                const QChar e = word.at(i);
                if (e == u'n')
                    out += '\n';
                else if (e == u'r')
                    out += '\r';
                else if (e == u't')
                    out += '\t';
                else if (e == u'\\' || e == u'\'')
                    out += char(e.unicode());
                else if (e == u'x' && i + 2 < word.size()) {
                    bool ok = false;
                    out += char(word.mid(i + 1, 2).toUInt(&ok, 16));
                    if (!ok)
                        return std::nullopt;
                    i += 2;
                } else
                    return std::nullopt;
            }
        } else if (c == u'\'') {
            const qsizetype close = word.indexOf(u'\'', i + 1);
            if (close < 0)
                return std::nullopt;
            out += word.mid(i + 1, close - i - 1).toUtf8();
            i = close;
        } else if (c == u'\\') {
            if (++i == word.size())
                return std::nullopt;
            out += QString(word.at(i)).toUtf8();
        } else if (QStringLiteral(" \t\n\"$`;&|<>()*?[]#~{}!").contains(c)) {
            return std::nullopt;
        } else {
            out += QString(c).toUtf8();
        }
    }
    return QString::fromUtf8(out);
}

void checkShellQuote(const QString &word)
{
    FUZZ_CHECK(shellUnquote(CurlCommand::shellQuote(word)) == word);
}

void checkLogged(const LoggedRequest &entry)
{
    // Secrets never reach the log.
    for (const auto &[name, value] : entry.headers)
        FUZZ_CHECK(!Redaction::isSecretHeader(name) || value == Redaction::Mask);
    const QByteArray loggedKey = Endpoint::presentedKey(entry.query, {});
    FUZZ_CHECK(loggedKey.isEmpty() || loggedKey == Redaction::Mask);
    // Read by admission's own rule, a logged request whose key matched presents only the mask.
    FUZZ_CHECK(entry.apiKeyId == 0
        || Endpoint::presentedKey(entry.query, entry.headers) == Redaction::Mask);

    const QJsonObject json = entry.toJson();
    FUZZ_CHECK(json.value(QStringLiteral("method")).toString() == receivedText(entry.method));
    FUZZ_CHECK(
        !QJsonDocument::fromJson(QJsonDocument(json).toJson(QJsonDocument::Compact)).isNull());

    // HAR is written by hand rather than through QJsonDocument, so it must still be JSON that
    // reads back to what was logged.
    QJsonParseError error;
    const QJsonDocument har = QJsonDocument::fromJson(RequestExport::harEntry(entry), &error);
    FUZZ_CHECK(error.error == QJsonParseError::NoError && har.isObject());
    const QJsonObject harRequest = har.object().value(QStringLiteral("request")).toObject();
    FUZZ_CHECK(harRequest.value(QStringLiteral("method")).toString() == receivedText(entry.method));
    const QJsonArray harHeaders = harRequest.value(QStringLiteral("headers")).toArray();
    FUZZ_CHECK(harHeaders.size() == entry.headers.size());
    for (qsizetype i = 0; i < harHeaders.size(); ++i) {
        const QJsonObject header = harHeaders.at(i).toObject();
        FUZZ_CHECK(header.value(QStringLiteral("name")).toString()
            == receivedText(entry.headers.at(i).first));
        FUZZ_CHECK(header.value(QStringLiteral("value")).toString()
            == receivedText(entry.headers.at(i).second));
    }
    if (!entry.body.isEmpty() && isUtf8(entry.body)) {
        const QJsonObject postData = harRequest.value(QStringLiteral("postData")).toObject();
        FUZZ_CHECK(
            postData.value(QStringLiteral("text")).toString() == QString::fromUtf8(entry.body));
    }

    FUZZ_CHECK(RequestExport::csvRow(entry).endsWith("\r\n"));

    const QString curl = CurlCommand::fromRequest(
        entry, QStringLiteral("http://127.0.0.1:8080/"), QString::fromLatin1(Key));
    FUZZ_CHECK(curl.contains(QStringLiteral("curl -X ")));
    for (const auto &[name, value] : entry.headers)
        checkShellQuote(receivedText(name) + QStringLiteral(": ") + receivedText(value));
    checkShellQuote(receivedText(entry.body));
}

// What the receiver does at the end of the headers: checks 1-8, and only a prefix kept of a body
// that cannot change the answer.
AdmissionResult judgeHead(HttpRequestParser &parser)
{
    AdmissionResult head
        = admitHead(parser.request(), QHostAddress(QHostAddress::LocalHost), config(), options());
    if (!head.accepted() || refusesAnyBody(parser.request(), head))
        parser.keepBodyPrefix(RejectedBodyKeptBytes);
    return head;
}

void checkAdmitted(const ParsedRequest &request, const AdmissionResult &head)
{
    const AdmissionResult result = head.accepted() ? admitBody(request, head) : head;
    // Deciding in two steps comes to what deciding on the whole request does.
    const AdmissionResult whole
        = admit(request, QHostAddress(QHostAddress::LocalHost), config(), options());
    FUZZ_CHECK(result.status == whole.status && result.reason == whole.reason
        && result.webhookId == whole.webhookId && result.clientAddress == whole.clientAddress);
    const int status = result.status;
    FUZZ_CHECK(status == 200 || status == 400 || status == 401 || status == 403 || status == 404
        || status == 405 || status == 415 || status == 503);
    FUZZ_CHECK(
        (result.reason == "unknown_route") == Endpoint::webhookIdFromPath(request.path).isEmpty());
    FUZZ_CHECK(status != 405 || !result.allow.isEmpty());
    if (result.accepted()) {
        FUZZ_CHECK(config().webhooks.contains(result.webhookId));
        FUZZ_CHECK(result.apiKeyId == 1);
        const auto &hook = config().webhooks.value(result.webhookId);
        FUZZ_CHECK(hook.methods.contains(request.method));
        if (!hook.ipRanges.isEmpty())
            FUZZ_CHECK(std::any_of(hook.ipRanges.begin(), hook.ipRanges.end(),
                [&](const IpRange &range) { return range.contains(result.clientAddress); }));
        if (!request.body.isEmpty()
            && ContentCheck::classify(request.header("content-type")) == MediaKind::Json)
            FUZZ_CHECK(ContentCheck::isValidJson(request.body));
    }

    LoggedRequest entry = logEntry(request);
    entry.webhookId = result.webhookId;
    entry.status = status;
    entry.reason = result.reason;
    entry.reasonDetail = result.detail;
    entry.clientAddress = result.clientAddress.toString();
    entry.forwardedFor = result.forwardedFor;
    entry.apiKeyId = result.apiKeyId;
    checkLogged(entry);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray buffer(reinterpret_cast<const char *>(data), qsizetype(size));
    HttpParserLimits limits;
    limits.maxBodyBytes = 4096;
    HttpRequestParser parser(limits);
    AdmissionResult head;
    for (int requests = 0; requests < 64;) {
        switch (parser.parse(buffer)) {
        case HttpRequestParser::Status::NeedMore:
            return 0;
        case HttpRequestParser::Status::HeadersComplete:
            head = judgeHead(parser);
            break;
        case HttpRequestParser::Status::Complete:
            checkAdmitted(parser.takeRequest(), head);
            parser.reset();
            ++requests;
            break;
        case HttpRequestParser::Status::Error: {
            // A refused request is logged too, with what was read of it.
            LoggedRequest entry = logEntry(parser.request());
            entry.status = parser.errorStatus();
            entry.reason = parser.errorReason();
            entry.reasonDetail = QString::fromLatin1(parser.errorDetail());
            checkLogged(entry);
            return 0;
        }
        }
    }
    return 0;
}
