// Verifying a provider's signature over a request's raw body (ARCHITECTURE §5.6): the header
// parsers of each preset and the HMACs, compared in constant time against every secret.
#pragma once

#include "core/http/httprequestparser.h"
#include "core/model/authentication.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace Hooktrail::Signatures {

enum class Verdict { Verified, Missing, Invalid, Expired };

struct Outcome
{
    Verdict verdict = Verdict::Invalid;
    // For the log's reasonDetail: which header, which preset, what was wrong; never the
    // expected value or a secret.
    QString detail;
    bool verified() const { return verdict == Verdict::Verified; }
    // 401 missing_signature / invalid_signature / signature_expired; empty when verified.
    const char *reason() const;
};

// What a signature header holds, parsed; the parsers are what a sender controls (fuzzed).
struct StripeHeader
{
    QByteArray timestamp; // digits of t=
    QList<QByteArray> v1; // every v1= value, still hex
};
std::optional<StripeHeader> parseStripeHeader(QByteArrayView value);
// "v1,<base64> v1,<base64> …": the decoded signatures of version v1, others ignored.
QList<QByteArray> parseStandardSignatures(QByteArrayView value);
// Strict lowercase-or-uppercase hex, even length; nullopt otherwise.
std::optional<QByteArray> decodeHex(QByteArrayView text);
std::optional<QByteArray> decodeBase64(QByteArrayView text);
// A Unix time in seconds, digits only (at most 12).
std::optional<qint64> parseTimestamp(QByteArrayView text);

// One webhook's scheme, prepared once per configuration (the secrets decoded) and then used
// read-only by every receiver thread.
class Verifier final
{
public:
    explicit Verifier(Verification verification);

    // What the headers alone decide: the signature headers present, a signed timestamp within
    // the tolerance. Verified here means "so far"; verify() decides with the body.
    Outcome checkHead(const HeaderList &headers, qint64 nowSeconds) const;
    // Everything: the head's checks, then the HMAC over the raw body against each secret.
    Outcome verify(const HeaderList &headers, QByteArrayView body, qint64 nowSeconds) const;

    const Verification &verification() const { return m_verification; }
    // The header the signature travels in, as the provider spells it (for the form and details).
    QString signatureHeader() const;

private:
    struct Parts;
    std::optional<Outcome> headParts(
        const HeaderList &headers, qint64 nowSeconds, Parts *parts) const;

    Verification m_verification;
    QList<QByteArray> m_keys; // the secrets as HMAC keys (Standard Webhooks: base64-decoded)
};

} // namespace Hooktrail::Signatures
