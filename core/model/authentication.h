// How a webhook tells its sender and what it answers it (ARCHITECTURE §5.6): the authentication
// (the API key, a provider's signature, or both), the signature scheme with its secrets, and
// the answer of the user's choosing for accepted requests. Value types and their validation;
// verifying a request is core/verification's.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace Hooktrail {

struct FieldProblem;

// Which of the sender's proofs a webhook asks for: the Octolis API key (the default), a
// signature over the body, or both.
enum class AuthMode { Key, Signature, KeyAndSignature };

QString authModeName(AuthMode mode); // "key", "signature", "key+signature"
bool authModeFromName(QStringView name, AuthMode *mode);
inline bool needsKey(AuthMode mode)
{
    return mode != AuthMode::Signature;
}
inline bool needsSignature(AuthMode mode)
{
    return mode != AuthMode::Key;
}

// The providers' signature schemes, each as its provider documents it (core/verification).
enum class SignaturePreset { GitHub, Stripe, Shopify, Slack, Standard, Hmac };

QString presetName(SignaturePreset preset); // "github", "stripe", …, "standard", "hmac"
QString presetTitle(SignaturePreset preset); // "GitHub", "Stripe", …, "Standard Webhooks"
bool presetFromName(QStringView name, SignaturePreset *preset);
QList<SignaturePreset> allPresets();
// Whether the preset signs a timestamp, so that a tolerance applies.
bool presetHasTimestamp(SignaturePreset preset);

enum class HmacAlgorithm { Sha1, Sha256, Sha512 };
enum class SignatureEncoding { Hex, Base64 };
bool parseHmacAlgorithm(QStringView name, HmacAlgorithm *algorithm); // sha1, sha256, sha512
bool parseSignatureEncoding(QStringView name, SignatureEncoding *encoding); // hex, base64

// The generic HMAC scheme: a header holding prefix + encoding(HMAC(secret, payload)), where the
// payload is the body, or a template over {timestamp} and {body} when a timestamp header is set.
struct HmacScheme
{
    QString header = QStringLiteral("X-Signature");
    HmacAlgorithm algorithm = HmacAlgorithm::Sha256;
    SignatureEncoding encoding = SignatureEncoding::Hex;
    QString prefix; // e.g. "sha256="
    QString timestampHeader; // empty: none, the payload is the body
    QString payloadTemplate = QStringLiteral("{timestamp}.{body}");
};

struct Verification
{
    static constexpr int DefaultToleranceSeconds = 300;
    static constexpr int MaxToleranceSeconds = 7 * 24 * 3600;
    static constexpr int MaxSecrets = 10;
    static constexpr int MaxSecretBytes = 1024;

    SignaturePreset preset = SignaturePreset::GitHub;
    // Any one verifies (rotation). Stored in a column of their own, never shown again after
    // entry, never in an export, a log line or a settings document.
    QStringList secrets;
    int toleranceSeconds = DefaultToleranceSeconds; // for presets that sign a timestamp
    HmacScheme hmac; // for SignaturePreset::Hmac

    // The scheme without its secrets: {"preset", "tolerance"?, "hmac"?}.
    QJsonObject toJson() const;
};

// What an accepted request is answered, when the user chose (rejections keep the contract's
// JSON). The body may hold {{requestId}} and {{receivedAt}}.
struct CustomResponse
{
    static constexpr int MaxDelayMs = 30000;
    static constexpr qsizetype MaxBodyBytes = 64 * 1024;
    static constexpr int MaxHeaders = 50;

    int status = 200;
    QString body;
    QString contentType = QStringLiteral("text/plain; charset=utf-8");
    QList<QPair<QString, QString>> headers;
    int delayMs = 0;

    // {"status", "body", "contentType", "headers": {…}, "delayMs"}
    QJsonObject toJson() const;

    // The form's presets: "Hooktrail JSON" is no custom response at all.
    static CustomResponse empty204();
    static CustomResponse echoRequestId();
    static CustomResponse fail500();
};

// Problems with the authentication fields, for the fields "authentication", "secrets",
// "tolerance", "hmac". Secrets are required when a signature is.
QList<FieldProblem> validateAuthentication(
    AuthMode mode, const Verification &verification, bool secretsRequired = true);
// Problems with the response fields ("response").
QList<FieldProblem> validateResponse(const CustomResponse &response);

// Reading the JSON back; problems with the shape are reported against `field`.
Verification verificationFromJson(const QJsonValue &json, QList<FieldProblem> *problems);
CustomResponse responseFromJson(const QJsonValue &json, QList<FieldProblem> *problems);

// Headers a response may not set: the receiver frames the answer itself.
bool isFramingHeader(QStringView name);

} // namespace Hooktrail
