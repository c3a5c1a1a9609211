// The endpoint contract's checks (ARCHITECTURE §5.2), as a pure function of a request and the
// config.
#include "core/receiver/admission.h"

#include "core/base/logging.h"
#include "core/delivery/forwarding.h"
#include "core/endpoint/keyrule.h"
#include "core/endpoint/route.h"
#include "core/receiver/contentcheck.h"

#include <QDateTime>
#include <optional>

namespace Hooktrail {

std::shared_ptr<const ConfigSnapshot> ConfigSnapshot::build(const QList<Webhook> &webhooks,
    const QList<ApiKey> &keys, qint64 generation, const QSet<QString> &forwarding)
{
    auto snapshot = std::make_shared<ConfigSnapshot>();
    snapshot->generation = generation;
    snapshot->keys = keys;
    for (const Webhook &webhook : webhooks) {
        CompiledWebhook compiled;
        compiled.webhook = webhook;
        for (const QString &method : webhook.methods)
            compiled.methods.append(method.toLatin1());
        for (const HeaderRule &rule : webhook.headerRules)
            compiled.headerRules.append({ rule.name.toLatin1(), rule.value.toUtf8() });
        for (const QString &entry : webhook.ipWhitelist) {
            if (auto range = IpRange::parse(entry))
                compiled.ipRanges.append(*range);
        }
        compiled.forwards = forwarding.contains(webhook.id);
        if (needsSignature(webhook.authentication)) {
            compiled.verifier = std::make_shared<const Signatures::Verifier>(webhook.verification);
            if (webhook.verification.secrets.isEmpty())
                qCInfo(lcVerification).noquote()
                    << "webhook" << webhook.id
                    << "asks for a signature and has no secret yet: its requests are refused";
        }
        snapshot->webhooks.insert(webhook.id, compiled);
    }
    return snapshot;
}

namespace {

AdmissionResult reject(AdmissionResult result, int status, const char *reason, QString detail = {})
{
    result.status = status;
    result.reason = reason;
    result.detail = std::move(detail);
    return result;
}

bool isPort(QByteArrayView digits)
{
    if (digits.isEmpty() || digits.size() > 5)
        return false;
    return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One hop of X-Forwarded-For: an address, or an address with a port as some balancers write
// it ("203.0.113.7:4711", "[2001:db8::1]:443"); nullopt when it is none of these.
std::optional<QHostAddress> parseHop(QByteArrayView text)
{
    text = text.trimmed();
    QHostAddress address;
    if (text.startsWith('[')) {
        const qsizetype close = text.indexOf(']');
        if (close < 0)
            return std::nullopt;
        const QByteArrayView rest = text.sliced(close + 1);
        if (!rest.isEmpty() && !(rest.startsWith(':') && isPort(rest.sliced(1))))
            return std::nullopt;
        if (!address.setAddress(QString::fromLatin1(text.sliced(1, close - 1)))
            || address.protocol() != QAbstractSocket::IPv6Protocol)
            return std::nullopt;
        return address;
    }
    const qsizetype colon = text.indexOf(':');
    if (colon >= 0 && text.lastIndexOf(':') == colon) { // IPv4:port; IPv6 has more colons
        if (!isPort(text.sliced(colon + 1))
            || !address.setAddress(QString::fromLatin1(text.first(colon)))
            || address.protocol() != QAbstractSocket::IPv4Protocol)
            return std::nullopt;
        return address;
    }
    if (!address.setAddress(QString::fromLatin1(text)))
        return std::nullopt;
    return address;
}

// The client behind any trusted proxies; nullopt when a trusted proxy forwarded a hop that is
// not an address (taking the proxy for the client would let its own address pass an IP list).
std::optional<QHostAddress> resolveClient(
    const QHostAddress &peer, const QByteArray &forwardedFor, const AdmissionOptions &options)
{
    const QHostAddress plainPeer = unmapped(peer);
    if (forwardedFor.isEmpty() || options.trustedProxies.isEmpty())
        return plainPeer;
    const auto trusted = [&](const QHostAddress &address) {
        return std::any_of(options.trustedProxies.begin(), options.trustedProxies.end(),
            [&](const IpRange &range) { return range.contains(address); });
    };
    if (!trusted(plainPeer))
        return plainPeer;
    // Walk the chain from the nearest hop; the client is the first address not a trusted proxy.
    const QList<QByteArray> hops = forwardedFor.split(',');
    QHostAddress client = plainPeer;
    for (auto it = hops.crbegin(); it != hops.crend(); ++it) {
        const std::optional<QHostAddress> hop = parseHop(*it);
        if (!hop)
            return std::nullopt;
        client = unmapped(*hop);
        if (!trusted(client))
            break;
    }
    return client;
}

bool isJsonOrXmlOrForm(MediaKind kind)
{
    return kind != MediaKind::Unsupported;
}

// Checks 8 (header rules) and 8b (the loop guard).
std::optional<AdmissionResult::Refusal> laterHeadCheck(
    const ParsedRequest &request, const ConfigSnapshot::CompiledWebhook &hook)
{
    // 8. header rules: every field of the name must hold, else a sender adds the expected one
    // beside its own and a reader taking the first (or the last) sees another value
    for (const auto &[name, expected] : hook.headerRules) {
        bool present = false;
        bool matches = true;
        for (const auto &[headerName, value] : request.headers) {
            if (headerName.compare(name, Qt::CaseInsensitive) != 0)
                continue;
            present = true;
            matches = matches && (expected == "*" || value == expected);
        }
        if (!present || !matches)
            return AdmissionResult::Refusal { 403, "header_mismatch",
                present ? QStringLiteral("header %1 has an unexpected value")
                              .arg(QString::fromLatin1(name))
                        : QStringLiteral("header %1 is missing").arg(QString::fromLatin1(name)) };
    }
    // The loop guard (ARCHITECTURE §5.5): a request a Hooktrail receiver forwarded, to a
    // webhook that would forward it again, goes no further than this one hop.
    if (hook.forwards && !request.header(Forwarding::ForwardedByHeader).isNull())
        return AdmissionResult::Refusal { 508, "forwarding_loop",
            QStringLiteral("forwarded by a Hooktrail receiver (%1), to a webhook that forwards "
                           "to destinations: a loop")
                .arg(QString::fromLatin1(Forwarding::ForwardedByHeader)) };
    return std::nullopt;
}

} // namespace

AdmissionResult admit(const ParsedRequest &request, const QHostAddress &peer,
    const ConfigSnapshot &config, const AdmissionOptions &options)
{
    AdmissionResult result = admitHead(request, peer, config, options);
    return result.accepted() ? admitBody(request, std::move(result)) : result;
}

AdmissionResult admitHead(const ParsedRequest &request, const QHostAddress &peer,
    const ConfigSnapshot &config, const AdmissionOptions &options)
{
    AdmissionResult result;
    QByteArray forwardedFor;
    for (const auto &[name, value] : request.headers) {
        if (name.compare("x-forwarded-for", Qt::CaseInsensitive) == 0)
            forwardedFor = forwardedFor.isEmpty() ? value : forwardedFor + ", " + value;
    }
    result.forwardedFor = QString::fromLatin1(forwardedFor);
    const std::optional<QHostAddress> client = resolveClient(peer, forwardedFor, options);
    result.clientAddress = client.value_or(unmapped(peer));

    // 1. route
    const QString id = Endpoint::webhookIdFromPath(request.path);
    if (id.isEmpty())
        return reject(result, 404, "unknown_route");
    // 2. webhook exists
    const auto found = config.webhooks.constFind(id);
    if (found == config.webhooks.cend())
        return reject(result, 404, "unknown_webhook");
    result.webhookId = id;
    const ConfigSnapshot::CompiledWebhook &hook = found.value();
    result.anyContentType = hook.webhook.acceptAnyContentType;
    // 3. enabled
    if (!hook.webhook.enabled)
        return reject(result, 503, "webhook_disabled");
    // 4. allowed IP addresses, of a client that can be told: a trusted proxy that forwards a
    // hop that is no address makes the request malformed, whether or not this webhook has a list.
    if (!client)
        return reject(result, 400, "bad_request",
            QStringLiteral(
                "X-Forwarded-For from a trusted proxy holds a hop that is not an address"));
    // Decided by the list as configured, not by what parsed: a list whose entries are all
    // unreadable must refuse everyone, not fall open to any address.
    if (!hook.webhook.ipWhitelist.isEmpty()) {
        const bool allowed = std::any_of(hook.ipRanges.begin(), hook.ipRanges.end(),
            [&](const IpRange &range) { return range.contains(result.clientAddress); });
        if (!allowed)
            return reject(result, 403, "ip_not_allowed",
                QStringLiteral("%1 is not among the allowed IP addresses")
                    .arg(result.clientAddress.toString()));
    }
    // 5. method
    if (!hook.methods.contains(request.method)) {
        result.allow = hook.methods.join(", ");
        return reject(result, 405, "method_not_allowed",
            QStringLiteral("%1 is not allowed").arg(QString::fromLatin1(request.method)));
    }
    if (needsKey(hook.webhook.authentication)) {
        // 6. key present: the api-key query parameter, else the X-Api-Key header, each name
        // told apart by the rule redaction uses (Endpoint::isKeyParameter, isKeyHeader)
        const QByteArray key = Endpoint::presentedKey(request.query, request.headers);
        if (key.isEmpty())
            return reject(result, 401, "missing_api_key");
        // 7. key valid and not revoked
        const Endpoint::KeyMatch match = Endpoint::matchKey(key, config.keys);
        if (match.id == 0)
            return reject(result, 401, "invalid_api_key");
        result.apiKeyId = match.id;
        if (match.revoked)
            return reject(result, 401, "invalid_api_key", QStringLiteral("the key was revoked"));
    }
    // 7b. the signature (ARCHITECTURE §5.6): its headers and signed timestamp now, the MAC over
    // the body once it is in
    if (hook.verifier) {
        result.nowSeconds
            = options.nowSeconds > 0 ? options.nowSeconds : QDateTime::currentSecsSinceEpoch();
        const Signatures::Outcome head
            = hook.verifier->checkHead(request.headers, result.nowSeconds);
        if (!head.verified())
            return reject(result, 401, head.reason(), head.detail);
        result.verifier = hook.verifier;
    }
    result.response = hook.webhook.response;
    // 8 and 8b; with a signature to verify, a failure here waits for it.
    if (std::optional<AdmissionResult::Refusal> later = laterHeadCheck(request, hook)) {
        if (!result.verifier)
            return reject(result, later->status, later->reason.constData(), later->detail);
        result.deferred = std::move(later);
    }
    return result;
}

bool refusesAnyBody(const ParsedRequest &request, const AdmissionResult &head)
{
    // A signature is verified over the whole body, and a bad one is the answer before 415.
    return !head.verifier && !head.anyContentType
        && !isJsonOrXmlOrForm(ContentCheck::classify(request.header("content-type")));
}

AdmissionResult admitBody(const ParsedRequest &request, AdmissionResult result)
{
    // 7b. the signature over the raw body, exactly as received
    if (result.verifier) {
        const Signatures::Outcome outcome
            = result.verifier->verify(request.headers, request.body, result.nowSeconds);
        result.verifier.reset();
        if (!outcome.verified())
            return reject(result, 401, outcome.reason(), outcome.detail);
        result.detail = outcome.detail; // which header verified, for the detail pane
    }
    if (result.deferred) {
        const AdmissionResult::Refusal refusal = *std::move(result.deferred);
        result.deferred.reset();
        return reject(result, refusal.status, refusal.reason.constData(), refusal.detail);
    }
    // A webhook that accepts any content type checks no body: the developer testing a sender
    // wants to see what was sent, declared JSON or XML that does not parse included.
    if (result.anyContentType)
        return result;
    // 9. content type
    if (request.body.isEmpty() && request.bodySize == 0)
        return result;
    const QByteArray contentType = request.header("content-type");
    const MediaKind kind = ContentCheck::classify(contentType);
    if (!isJsonOrXmlOrForm(kind))
        return reject(result, 415, "unsupported_media_type",
            contentType.isEmpty()
                ? QStringLiteral("no Content-Type")
                : QStringLiteral("Content-Type %1").arg(QString::fromLatin1(contentType)));
    // 10. body well-formed: one pass over the body, which costs an accepted one no more than the
    // yes/no check; where it breaks is worked out only for a body refused
    if (kind == MediaKind::Json) {
        if (const auto problem = ContentCheck::jsonProblem(request.body))
            return reject(result, 400, "invalid_json", ContentCheck::describe(*problem));
    }
    if (kind == MediaKind::Xml) {
        if (const auto problem = ContentCheck::xmlProblem(request.body))
            return reject(result, 400, "invalid_xml", ContentCheck::describe(*problem));
    }
    return result;
}

} // namespace Hooktrail
