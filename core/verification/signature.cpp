// Verifying a provider's signature over a request's raw body (ARCHITECTURE §5.6).
#include "core/verification/signature.h"

#include "core/model/apikey.h"

#include <QMessageAuthenticationCode>

namespace Hooktrail::Signatures {

namespace {

constexpr qsizetype MaxSignatures = 16; // per header: more is not a sender, it is an attack

// Every value of a header, in arrival order (a name may come more than once).
QList<QByteArray> valuesOf(const HeaderList &headers, QByteArrayView name)
{
    QList<QByteArray> values;
    for (const auto &[headerName, value] : headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) == 0)
            values.append(value);
    }
    return values;
}

QCryptographicHash::Algorithm algorithmOf(HmacAlgorithm algorithm)
{
    switch (algorithm) {
    case HmacAlgorithm::Sha1:
        return QCryptographicHash::Sha1;
    case HmacAlgorithm::Sha512:
        return QCryptographicHash::Sha512;
    case HmacAlgorithm::Sha256:
        break;
    }
    return QCryptographicHash::Sha256;
}

Outcome outcome(Verdict verdict, QString detail)
{
    return Outcome { verdict, std::move(detail) };
}

} // namespace

const char *Outcome::reason() const
{
    switch (verdict) {
    case Verdict::Verified:
        return "";
    case Verdict::Missing:
        return "missing_signature";
    case Verdict::Expired:
        return "signature_expired";
    case Verdict::Invalid:
        break;
    }
    return "invalid_signature";
}

std::optional<QByteArray> decodeHex(QByteArrayView text)
{
    if (text.isEmpty() || text.size() % 2 != 0)
        return std::nullopt;
    const auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    QByteArray out(text.size() / 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < out.size(); ++i) {
        const int high = digit(text[2 * i]);
        const int low = digit(text[2 * i + 1]);
        if (high < 0 || low < 0)
            return std::nullopt;
        out[i] = char(high << 4 | low);
    }
    return out;
}

std::optional<QByteArray> decodeBase64(QByteArrayView text)
{
    if (text.isEmpty())
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(
        text.toByteArray(), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return std::nullopt;
    return decoded.decoded;
}

std::optional<qint64> parseTimestamp(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 12)
        return std::nullopt;
    qint64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<StripeHeader> parseStripeHeader(QByteArrayView value)
{
    StripeHeader header;
    bool timestampSeen = false;
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype end = value.indexOf(',', start);
        if (end < 0)
            end = value.size();
        const QByteArrayView item = value.sliced(start, end - start).trimmed();
        start = end + 1;
        if (item.isEmpty())
            continue;
        const qsizetype equals = item.indexOf('=');
        if (equals <= 0)
            return std::nullopt;
        const QByteArrayView key = item.first(equals);
        const QByteArrayView content = item.sliced(equals + 1);
        if (key == "t") {
            if (timestampSeen || !parseTimestamp(content))
                return std::nullopt;
            header.timestamp = content.toByteArray();
            timestampSeen = true;
        } else if (key == "v1") {
            if (header.v1.size() >= MaxSignatures)
                return std::nullopt;
            header.v1.append(content.toByteArray());
        } // v0 and schemes to come are not ours to check, as Stripe's own libraries do
    }
    if (!timestampSeen || header.v1.isEmpty())
        return std::nullopt;
    return header;
}

QList<QByteArray> parseStandardSignatures(QByteArrayView value)
{
    QList<QByteArray> out;
    qsizetype start = 0;
    while (start < value.size() && out.size() < MaxSignatures) {
        qsizetype end = value.indexOf(' ', start);
        if (end < 0)
            end = value.size();
        const QByteArrayView item = value.sliced(start, end - start);
        start = end + 1;
        if (!item.startsWith("v1,"))
            continue; // v1a (asymmetric) and versions to come
        if (const std::optional<QByteArray> decoded = decodeBase64(item.sliced(3)))
            out.append(*decoded);
    }
    return out;
}

// The signature headers found at header time, for verify() to finish with the body.
struct Verifier::Parts
{
    QByteArray header; // the name that carried the signature, as the preset spells it
    QList<QByteArray> signatures; // decoded MACs offered (any one may match)
    QByteArray prefix; // signed before the body ("<t>." for Stripe, "v0:<ts>:" for Slack…)
    QByteArray suffix; // signed after it (a generic template's tail)
};

Verifier::Verifier(Verification verification) : m_verification(std::move(verification))
{
    for (const QString &secret : m_verification.secrets) {
        if (m_verification.preset == SignaturePreset::Standard) {
            const QString encoded = secret.startsWith(u"whsec_") ? secret.mid(6) : secret;
            if (const std::optional<QByteArray> key = decodeBase64(encoded.toLatin1()))
                m_keys.append(*key);
        } else {
            m_keys.append(secret.toUtf8());
        }
    }
}

QString Verifier::signatureHeader() const
{
    switch (m_verification.preset) {
    case SignaturePreset::GitHub:
        return QStringLiteral("X-Hub-Signature-256");
    case SignaturePreset::Stripe:
        return QStringLiteral("Stripe-Signature");
    case SignaturePreset::Shopify:
        return QStringLiteral("X-Shopify-Hmac-Sha256");
    case SignaturePreset::Slack:
        return QStringLiteral("X-Slack-Signature");
    case SignaturePreset::Standard:
        return QStringLiteral("webhook-signature");
    case SignaturePreset::Hmac:
        break;
    }
    return m_verification.hmac.header;
}

std::optional<Outcome> Verifier::headParts(
    const HeaderList &headers, qint64 nowSeconds, Parts *parts) const
{
    const Verification &v = m_verification;
    const QString preset = presetTitle(v.preset);
    const auto missing = [&](const QString &name) {
        return outcome(Verdict::Missing, QStringLiteral("no %1 header (%2)").arg(name, preset));
    };
    const auto malformed = [&](const QString &name, const QString &why) {
        return outcome(
            Verdict::Invalid, QStringLiteral("%1 is malformed: %2 (%3)").arg(name, why, preset));
    };
    // A timestamp signed with the body, within the tolerance either way (clocks drift).
    const auto stale = [&](const QString &name, qint64 timestamp) -> std::optional<Outcome> {
        const qint64 skew = nowSeconds - timestamp;
        if (std::abs(skew) <= v.toleranceSeconds)
            return std::nullopt;
        return outcome(Verdict::Expired,
            QStringLiteral("%1 is %2 s %3 now, over the %4 s tolerance (%5)")
                .arg(name)
                .arg(std::abs(skew))
                .arg(skew > 0 ? QStringLiteral("before") : QStringLiteral("after"))
                .arg(v.toleranceSeconds)
                .arg(preset));
    };
    // The one header a scheme reads; a second copy is refused, since a reader taking the first
    // and one taking the last would see different requests.
    const auto single = [&](const QString &name, QByteArray *value) -> std::optional<Outcome> {
        const QList<QByteArray> values = valuesOf(headers, name.toLatin1());
        if (values.isEmpty())
            return missing(name);
        if (values.size() > 1)
            return malformed(name, QStringLiteral("sent %1 times").arg(values.size()));
        *value = values.first();
        return std::nullopt;
    };

    QByteArray value;
    switch (v.preset) {
    case SignaturePreset::GitHub: {
        parts->header = "X-Hub-Signature-256";
        if (auto problem = single(QStringLiteral("X-Hub-Signature-256"), &value))
            return problem;
        if (!value.startsWith("sha256="))
            return malformed(QStringLiteral("X-Hub-Signature-256"),
                QStringLiteral("it does not start with sha256="));
        const std::optional<QByteArray> mac = decodeHex(QByteArrayView(value).sliced(7));
        if (!mac)
            return malformed(QStringLiteral("X-Hub-Signature-256"),
                QStringLiteral("the signature is not hexadecimal"));
        parts->signatures.append(*mac);
        return std::nullopt;
    }
    case SignaturePreset::Stripe: {
        parts->header = "Stripe-Signature";
        if (auto problem = single(QStringLiteral("Stripe-Signature"), &value))
            return problem;
        const std::optional<StripeHeader> header = parseStripeHeader(value);
        if (!header)
            return malformed(QStringLiteral("Stripe-Signature"),
                QStringLiteral("it needs t=<timestamp> and at least one v1=<signature>"));
        if (auto problem = stale(QStringLiteral("The Stripe-Signature timestamp"),
                *parseTimestamp(header->timestamp)))
            return problem;
        for (const QByteArray &hex : header->v1) {
            if (const std::optional<QByteArray> mac = decodeHex(hex))
                parts->signatures.append(*mac);
        }
        parts->prefix = header->timestamp + '.';
        return std::nullopt;
    }
    case SignaturePreset::Shopify: {
        parts->header = "X-Shopify-Hmac-Sha256";
        if (auto problem = single(QStringLiteral("X-Shopify-Hmac-Sha256"), &value))
            return problem;
        const std::optional<QByteArray> mac = decodeBase64(value);
        if (!mac)
            return malformed(QStringLiteral("X-Shopify-Hmac-Sha256"),
                QStringLiteral("the signature is not base64"));
        parts->signatures.append(*mac);
        return std::nullopt;
    }
    case SignaturePreset::Slack: {
        parts->header = "X-Slack-Signature";
        QByteArray timestamp;
        if (auto problem = single(QStringLiteral("X-Slack-Signature"), &value))
            return problem;
        if (auto problem = single(QStringLiteral("X-Slack-Request-Timestamp"), &timestamp))
            return problem;
        const std::optional<qint64> seconds = parseTimestamp(timestamp);
        if (!seconds)
            return malformed(QStringLiteral("X-Slack-Request-Timestamp"),
                QStringLiteral("it is not a Unix time in seconds"));
        if (auto problem = stale(QStringLiteral("X-Slack-Request-Timestamp"), *seconds))
            return problem;
        if (!value.startsWith("v0="))
            return malformed(
                QStringLiteral("X-Slack-Signature"), QStringLiteral("it does not start with v0="));
        const std::optional<QByteArray> mac = decodeHex(QByteArrayView(value).sliced(3));
        if (!mac)
            return malformed(QStringLiteral("X-Slack-Signature"),
                QStringLiteral("the signature is not hexadecimal"));
        parts->signatures.append(*mac);
        parts->prefix = "v0:" + timestamp + ':';
        return std::nullopt;
    }
    case SignaturePreset::Standard: {
        // Standard Webhooks' names, or Svix's, all three from the same family.
        const auto any = [&](const char *family) {
            for (const char *name : { "signature", "id", "timestamp" }) {
                if (!valuesOf(headers, QByteArray(family) + name).isEmpty())
                    return true;
            }
            return false;
        };
        if (!any("webhook-") && !any("svix-"))
            return outcome(Verdict::Missing,
                QStringLiteral("no webhook-signature (or svix-signature) header (%1)").arg(preset));
        const bool svix = !any("webhook-");
        const QString family = svix ? QStringLiteral("svix-") : QStringLiteral("webhook-");
        parts->header = (family + QStringLiteral("signature")).toLatin1();
        QByteArray id;
        QByteArray timestamp;
        if (auto problem = single(family + QStringLiteral("signature"), &value))
            return problem;
        if (auto problem = single(family + QStringLiteral("id"), &id))
            return problem;
        if (auto problem = single(family + QStringLiteral("timestamp"), &timestamp))
            return problem;
        const std::optional<qint64> seconds = parseTimestamp(timestamp);
        if (!seconds)
            return malformed(family + QStringLiteral("timestamp"),
                QStringLiteral("it is not a Unix time in seconds"));
        if (auto problem = stale(family + QStringLiteral("timestamp"), *seconds))
            return problem;
        parts->signatures = parseStandardSignatures(value);
        if (parts->signatures.isEmpty())
            return malformed(
                family + QStringLiteral("signature"), QStringLiteral("no v1,<base64> signature"));
        parts->prefix = id + '.' + timestamp + '.';
        return std::nullopt;
    }
    case SignaturePreset::Hmac:
        break;
    }

    const HmacScheme &hmac = v.hmac;
    parts->header = hmac.header.toLatin1();
    if (auto problem = single(hmac.header, &value))
        return problem;
    const QByteArray prefix = hmac.prefix.toUtf8();
    if (!value.startsWith(prefix))
        return malformed(hmac.header, QStringLiteral("it does not start with %1").arg(hmac.prefix));
    const QByteArrayView encoded = QByteArrayView(value).sliced(prefix.size());
    const std::optional<QByteArray> mac
        = hmac.encoding == SignatureEncoding::Hex ? decodeHex(encoded) : decodeBase64(encoded);
    if (!mac)
        return malformed(hmac.header,
            hmac.encoding == SignatureEncoding::Hex
                ? QStringLiteral("the signature is not hexadecimal")
                : QStringLiteral("the signature is not base64"));
    parts->signatures.append(*mac);
    if (!hmac.timestampHeader.isEmpty()) {
        QByteArray timestamp;
        if (auto problem = single(hmac.timestampHeader, &timestamp))
            return problem;
        const std::optional<qint64> seconds = parseTimestamp(timestamp);
        if (!seconds)
            return malformed(
                hmac.timestampHeader, QStringLiteral("it is not a Unix time in seconds"));
        if (auto problem = stale(hmac.timestampHeader, *seconds))
            return problem;
        const QByteArray layout = hmac.payloadTemplate.toUtf8();
        const qsizetype body = layout.indexOf("{body}");
        parts->prefix = layout.first(body).replace("{timestamp}", timestamp);
        parts->suffix = layout.sliced(body + 6).replace("{timestamp}", timestamp);
    }
    return std::nullopt;
}

Outcome Verifier::checkHead(const HeaderList &headers, qint64 nowSeconds) const
{
    Parts parts;
    if (std::optional<Outcome> problem = headParts(headers, nowSeconds, &parts))
        return *problem;
    return outcome(Verdict::Verified, {});
}

Outcome Verifier::verify(const HeaderList &headers, QByteArrayView body, qint64 nowSeconds) const
{
    Parts parts;
    if (std::optional<Outcome> problem = headParts(headers, nowSeconds, &parts))
        return *problem;
    const QString header = QString::fromLatin1(parts.header);
    const QString preset = presetTitle(m_verification.preset);
    if (m_keys.isEmpty())
        return outcome(Verdict::Invalid,
            QStringLiteral("%1: this webhook has no secret to verify with (%2)")
                .arg(header, preset));
    const QCryptographicHash::Algorithm algorithm = m_verification.preset == SignaturePreset::Hmac
        ? algorithmOf(m_verification.hmac.algorithm)
        : QCryptographicHash::Sha256;
    // Every secret and every signature offered, each compared in full: which secret matched,
    // or that none did, is not told by the time it takes.
    bool matched = false;
    for (const QByteArray &key : m_keys) {
        QMessageAuthenticationCode code(algorithm, key);
        code.addData(parts.prefix);
        code.addData(body.data(), body.size());
        code.addData(parts.suffix);
        const QByteArray expected = code.result();
        for (const QByteArray &offered : parts.signatures)
            matched = ApiKeys::constantTimeEquals(expected, offered) || matched;
    }
    if (!matched)
        return outcome(Verdict::Invalid,
            QStringLiteral("%1 matches none of the webhook's secrets (%2 tried, %3)")
                .arg(header)
                .arg(m_keys.size())
                .arg(preset));
    return outcome(Verdict::Verified, QStringLiteral("%1 verified (%2)").arg(header, preset));
}

} // namespace Hooktrail::Signatures
