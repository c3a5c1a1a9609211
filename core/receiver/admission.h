// The endpoint contract's checks (ARCHITECTURE §5.2), as a pure function of a request and the
// config.
#pragma once

#include "core/http/httprequestparser.h"
#include "core/model/apikey.h"
#include "core/model/iprange.h"
#include "core/model/webhook.h"
#include "core/verification/signature.h"

#include <QHash>
#include <QHostAddress>
#include <QSet>
#include <memory>
#include <optional>

namespace Hooktrail {

// Webhooks and keys as the receiver needs them, prepared once per change, shared read-only
// between receiver threads.
struct ConfigSnapshot
{
    struct CompiledWebhook
    {
        Webhook webhook;
        QList<QByteArray> methods;
        QList<QPair<QByteArray, QByteArray>> headerRules;
        QList<IpRange> ipRanges;
        bool forwards = false; // it has destinations (the loop guard, ARCHITECTURE §5.5)
        // Its signature scheme, secrets decoded, when it asks for one (ARCHITECTURE §5.6).
        std::shared_ptr<const Signatures::Verifier> verifier;
    };
    QHash<QString, CompiledWebhook> webhooks;
    QList<ApiKey> keys;
    qint64 generation = 0;

    static std::shared_ptr<const ConfigSnapshot> build(const QList<Webhook> &webhooks,
        const QList<ApiKey> &keys, qint64 generation, const QSet<QString> &forwarding = {});
};

struct AdmissionOptions
{
    QList<IpRange> trustedProxies;
    qint64 nowSeconds = 0; // the clock signed timestamps are held against; 0: the system's
};

struct AdmissionResult
{
    int status = 200;
    QByteArray reason = "accepted";
    QString detail; // for the log only; never sent
    QString webhookId; // set from check 2 on
    qint64 apiKeyId = 0;
    QHostAddress clientAddress; // after trusted-proxy resolution
    QString forwardedFor; // the X-Forwarded-For header as received
    QByteArray allow; // for 405
    // The webhook takes any body unchecked (Webhook::acceptAnyContentType): checks 9-10 are
    // skipped. Set from check 2 on.
    bool anyContentType = false;
    // Check 7b waiting for the body: the signature, verified over it by admitBody, and the
    // moment its timestamp was judged. A check after it that failed at header time waits in
    // `deferred`, since a bad signature is the answer before it.
    std::shared_ptr<const Signatures::Verifier> verifier;
    qint64 nowSeconds = 0;
    struct Refusal
    {
        int status = 0;
        QByteArray reason;
        QString detail;
    };
    std::optional<Refusal> deferred;
    // The webhook's answer for an accepted request; none: the contract's JSON.
    std::optional<CustomResponse> response;
    bool accepted() const { return status >= 200 && status < 300; }
};

// Every check, in order: admitHead, then admitBody on what it admitted.
AdmissionResult admit(const ParsedRequest &request, const QHostAddress &peer,
    const ConfigSnapshot &config, const AdmissionOptions &options);
// Checks 1-8: all that the request line and headers decide, run as soon as the headers are in
// so that the body of a request already refused is never kept. A signature (7b) is checked as
// far as the headers go; the rest waits for the body.
AdmissionResult admitHead(const ParsedRequest &request, const QHostAddress &peer,
    const ConfigSnapshot &config, const AdmissionOptions &options);
// Check 7b's signature over the body, then checks 9-10, on a request whose head was admitted
// (`head`), once its body is in.
AdmissionResult admitBody(const ParsedRequest &request, AdmissionResult head);
// True when check 9 refuses any non-empty body of this request, whose head was admitted
// (`head`): its body need not be kept to decide, only counted.
bool refusesAnyBody(const ParsedRequest &request, const AdmissionResult &head);

} // namespace Hooktrail
