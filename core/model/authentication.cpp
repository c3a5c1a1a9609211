// How a webhook tells its sender and what it answers it (ARCHITECTURE §5.6).
#include "core/model/authentication.h"

#include "core/model/destination.h"
#include "core/model/webhook.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonValue>
#include <QSet>

namespace Hooktrail {

namespace {
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Hooktrail::Authentication)
};

struct PresetInfo
{
    SignaturePreset preset;
    QStringView name;
    QStringView title;
    bool timestamp;
};

constexpr PresetInfo Presets[] = {
    { SignaturePreset::GitHub, u"github", u"GitHub", false },
    { SignaturePreset::Stripe, u"stripe", u"Stripe", true },
    { SignaturePreset::Shopify, u"shopify", u"Shopify", false },
    { SignaturePreset::Slack, u"slack", u"Slack", true },
    { SignaturePreset::Standard, u"standard", u"Standard Webhooks", true },
    { SignaturePreset::Hmac, u"hmac", u"HMAC", false },
};

const PresetInfo &info(SignaturePreset preset)
{
    for (const PresetInfo &known : Presets) {
        if (known.preset == preset)
            return known;
    }
    return Presets[0];
}

constexpr std::pair<HmacAlgorithm, QStringView> Algorithms[] = {
    { HmacAlgorithm::Sha1, u"sha1" },
    { HmacAlgorithm::Sha256, u"sha256" },
    { HmacAlgorithm::Sha512, u"sha512" },
};
constexpr std::pair<SignatureEncoding, QStringView> Encodings[] = {
    { SignatureEncoding::Hex, u"hex" },
    { SignatureEncoding::Base64, u"base64" },
};

template<typename Enum, size_t N>
QString nameIn(const std::pair<Enum, QStringView> (&table)[N], Enum value)
{
    for (const auto &[known, name] : table) {
        if (known == value)
            return name.toString();
    }
    return table[0].second.toString();
}

template<typename Enum, size_t N>
bool valueIn(const std::pair<Enum, QStringView> (&table)[N], QStringView name, Enum *value)
{
    for (const auto &[known, knownName] : table) {
        if (name.compare(knownName, Qt::CaseInsensitive) == 0) {
            *value = known;
            return true;
        }
    }
    return false;
}

bool hasEdgeSpaceOrControl(QStringView text)
{
    return !isFieldValue(text) || text.contains(u'\t') || text != text.trimmed();
}

} // namespace

QString authModeName(AuthMode mode)
{
    switch (mode) {
    case AuthMode::Key:
        return QStringLiteral("key");
    case AuthMode::Signature:
        return QStringLiteral("signature");
    case AuthMode::KeyAndSignature:
        return QStringLiteral("key+signature");
    }
    return QStringLiteral("key");
}

bool authModeFromName(QStringView name, AuthMode *mode)
{
    for (AuthMode known : { AuthMode::Key, AuthMode::Signature, AuthMode::KeyAndSignature }) {
        if (name.compare(authModeName(known), Qt::CaseInsensitive) == 0) {
            *mode = known;
            return true;
        }
    }
    return false;
}

QString presetName(SignaturePreset preset)
{
    return info(preset).name.toString();
}

QString presetTitle(SignaturePreset preset)
{
    return info(preset).title.toString();
}

bool presetFromName(QStringView name, SignaturePreset *preset)
{
    for (const PresetInfo &known : Presets) {
        if (name.compare(known.name, Qt::CaseInsensitive) == 0) {
            *preset = known.preset;
            return true;
        }
    }
    if (name.compare(u"svix", Qt::CaseInsensitive) == 0) { // Svix signs as Standard Webhooks
        *preset = SignaturePreset::Standard;
        return true;
    }
    return false;
}

QList<SignaturePreset> allPresets()
{
    QList<SignaturePreset> out;
    for (const PresetInfo &known : Presets)
        out.append(known.preset);
    return out;
}

bool presetHasTimestamp(SignaturePreset preset)
{
    return info(preset).timestamp;
}

QJsonObject Verification::toJson() const
{
    QJsonObject json { { QStringLiteral("preset"), presetName(preset) } };
    const bool timestamped = presetHasTimestamp(preset)
        || (preset == SignaturePreset::Hmac && !hmac.timestampHeader.isEmpty());
    if (timestamped)
        json.insert(QStringLiteral("tolerance"), toleranceSeconds);
    if (preset == SignaturePreset::Hmac) {
        QJsonObject scheme {
            { QStringLiteral("header"), hmac.header },
            { QStringLiteral("algorithm"), nameIn(Algorithms, hmac.algorithm) },
            { QStringLiteral("encoding"), nameIn(Encodings, hmac.encoding) },
            { QStringLiteral("prefix"), hmac.prefix },
        };
        if (!hmac.timestampHeader.isEmpty()) {
            scheme.insert(QStringLiteral("timestampHeader"), hmac.timestampHeader);
            scheme.insert(QStringLiteral("payloadTemplate"), hmac.payloadTemplate);
        }
        json.insert(QStringLiteral("hmac"), scheme);
    }
    return json;
}

Verification verificationFromJson(const QJsonValue &value, QList<FieldProblem> *problems)
{
    Verification verification;
    const auto problem = [problems](const QString &message) {
        if (problems)
            problems->append({ QStringLiteral("verification"), message });
    };
    if (!value.isObject()) {
        problem(Text::tr("'verification' must be an object with a 'preset'."));
        return verification;
    }
    const QJsonObject json = value.toObject();
    if (!presetFromName(json.value(QStringLiteral("preset")).toString(), &verification.preset))
        problem(
            Text::tr("'preset' must be one of github, stripe, shopify, slack, standard, hmac."));
    const QJsonValue tolerance = json.value(QStringLiteral("tolerance"));
    if (tolerance.isDouble())
        verification.toleranceSeconds = tolerance.toInt();
    else if (!tolerance.isUndefined())
        problem(Text::tr("'tolerance' must be a number of seconds."));
    if (verification.preset == SignaturePreset::Hmac) {
        const QJsonObject scheme = json.value(QStringLiteral("hmac")).toObject();
        HmacScheme &hmac = verification.hmac;
        hmac.header = scheme.value(QStringLiteral("header")).toString(hmac.header);
        if (!valueIn(Algorithms,
                scheme.value(QStringLiteral("algorithm")).toString(QStringLiteral("sha256")),
                &hmac.algorithm))
            problem(Text::tr("'algorithm' must be sha1, sha256 or sha512."));
        if (!valueIn(Encodings,
                scheme.value(QStringLiteral("encoding")).toString(QStringLiteral("hex")),
                &hmac.encoding))
            problem(Text::tr("'encoding' must be hex or base64."));
        hmac.prefix = scheme.value(QStringLiteral("prefix")).toString();
        hmac.timestampHeader = scheme.value(QStringLiteral("timestampHeader")).toString();
        hmac.payloadTemplate
            = scheme.value(QStringLiteral("payloadTemplate")).toString(hmac.payloadTemplate);
    }
    return verification;
}

bool parseHmacAlgorithm(QStringView name, HmacAlgorithm *algorithm)
{
    return valueIn(Algorithms, name, algorithm);
}

bool parseSignatureEncoding(QStringView name, SignatureEncoding *encoding)
{
    return valueIn(Encodings, name, encoding);
}

QList<FieldProblem> validateAuthentication(
    AuthMode mode, const Verification &verification, bool secretsRequired)
{
    QList<FieldProblem> problems;
    if (!needsSignature(mode))
        return problems;
    const auto add = [&](const char *field, const QString &message) {
        problems.append({ QString::fromLatin1(field), message });
    };
    if (verification.secrets.isEmpty() && secretsRequired)
        add("secrets", Text::tr("Add the secret the sender signs with."));
    if (verification.secrets.size() > Verification::MaxSecrets)
        add("secrets", Text::tr("Keep at most %1 secrets.").arg(Verification::MaxSecrets));
    QSet<QString> seen;
    for (qsizetype i = 0; i < verification.secrets.size(); ++i) {
        const QString &secret = verification.secrets.at(i);
        // The secret is never quoted back: a message names it by its place.
        if (secret.isEmpty())
            add("secrets", Text::tr("Secret %1 is empty.").arg(i + 1));
        else if (secret.toUtf8().size() > Verification::MaxSecretBytes)
            add("secrets",
                Text::tr("Secret %1 is longer than %2 bytes.")
                    .arg(i + 1)
                    .arg(Verification::MaxSecretBytes));
        else if (hasEdgeSpaceOrControl(secret))
            add("secrets",
                Text::tr("Secret %1 has spaces around it or a control character.").arg(i + 1));
        else if (verification.preset == SignaturePreset::Standard) {
            const QString encoded = secret.startsWith(u"whsec_") ? secret.mid(6) : secret;
            const auto decoded = QByteArray::fromBase64Encoding(
                encoded.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded || decoded.decoded.isEmpty())
                add("secrets",
                    Text::tr("Secret %1 is not a Standard Webhooks secret (whsec_ followed by "
                             "base64).")
                        .arg(i + 1));
        }
        if (seen.contains(secret))
            add("secrets", Text::tr("Secret %1 is there twice.").arg(i + 1));
        seen.insert(secret);
    }
    const bool timestamped = presetHasTimestamp(verification.preset)
        || (verification.preset == SignaturePreset::Hmac
            && !verification.hmac.timestampHeader.isEmpty());
    if (timestamped
        && (verification.toleranceSeconds < 1
            || verification.toleranceSeconds > Verification::MaxToleranceSeconds))
        add("tolerance", Text::tr("Choose a tolerance from 1 second to 7 days."));
    if (verification.preset == SignaturePreset::Hmac) {
        const HmacScheme &hmac = verification.hmac;
        if (!isHttpToken(hmac.header))
            add("hmac", Text::tr("Enter the name of the header that carries the signature."));
        if (hasEdgeSpaceOrControl(hmac.prefix) || hmac.prefix.size() > 100)
            add("hmac",
                Text::tr("The prefix has spaces around it, a control character or over 100 "
                         "characters."));
        if (!hmac.timestampHeader.isEmpty()) {
            if (!isHttpToken(hmac.timestampHeader))
                add("hmac", Text::tr("The timestamp header is not a header name."));
            if (!hmac.payloadTemplate.contains(u"{body}")
                || !hmac.payloadTemplate.contains(u"{timestamp}"))
                add("hmac",
                    Text::tr("The signed payload must hold {timestamp} and {body}, such as "
                             "{timestamp}.{body}."));
            else if (hmac.payloadTemplate.size() > 200)
                add("hmac", Text::tr("The signed payload is over 200 characters."));
        }
    }
    return problems;
}

QJsonObject CustomResponse::toJson() const
{
    QJsonArray headerList;
    for (const auto &[name, value] : headers)
        headerList.append(QJsonArray { name, value });
    return QJsonObject {
        { QStringLiteral("status"), status },
        { QStringLiteral("body"), body },
        { QStringLiteral("contentType"), contentType },
        { QStringLiteral("headers"), headerList },
        { QStringLiteral("delayMs"), delayMs },
    };
}

CustomResponse responseFromJson(const QJsonValue &value, QList<FieldProblem> *problems)
{
    CustomResponse response;
    const auto problem = [problems](const QString &message) {
        if (problems)
            problems->append({ QStringLiteral("response"), message });
    };
    if (!value.isObject()) {
        problem(Text::tr("'response' must be an object."));
        return response;
    }
    const QJsonObject json = value.toObject();
    const auto number = [&](const char *key, int fallback) {
        const QJsonValue item = json.value(QLatin1String(key));
        if (item.isUndefined())
            return fallback;
        if (!item.isDouble()) {
            problem(Text::tr("'%1' must be a number.").arg(QLatin1String(key)));
            return fallback;
        }
        return item.toInt();
    };
    response.status = number("status", response.status);
    response.delayMs = number("delayMs", 0);
    response.body = json.value(QStringLiteral("body")).toString();
    response.contentType = json.value(QStringLiteral("contentType")).toString(response.contentType);
    for (const QJsonValue &pair : json.value(QStringLiteral("headers")).toArray()) {
        if (!pair.isArray() || pair.toArray().size() != 2 || !pair[0].isString()
            || !pair[1].isString()) {
            problem(Text::tr("'headers' must be a list of [name, value] pairs."));
            continue;
        }
        response.headers.append({ pair[0].toString(), pair[1].toString() });
    }
    return response;
}

bool isFramingHeader(QStringView name)
{
    return isHopByHopHeader(name.toLatin1())
        || name.compare(u"content-type", Qt::CaseInsensitive) == 0
        || name.compare(u"date", Qt::CaseInsensitive) == 0;
}

QList<FieldProblem> validateResponse(const CustomResponse &response)
{
    QList<FieldProblem> problems;
    const auto add = [&](const QString &message) {
        problems.append({ QStringLiteral("response"), message });
    };
    if (response.status < 100 || response.status > 599)
        add(Text::tr("Choose a status from 100 to 599."));
    if (response.body.toUtf8().size() > CustomResponse::MaxBodyBytes)
        add(Text::tr("Keep the body under 64 KiB."));
    if (!isFieldValue(response.contentType) || response.contentType.size() > 200)
        add(Text::tr("The content type has a line break or a control character, or is over 200 "
                     "characters."));
    if (response.headers.size() > CustomResponse::MaxHeaders)
        add(Text::tr("Use at most %1 headers.").arg(CustomResponse::MaxHeaders));
    for (const auto &[name, value] : response.headers) {
        if (!isHttpToken(name))
            add(Text::tr("\"%1\" is not a header name: use letters, digits and - only.")
                    .arg(name.left(60)));
        else if (isFramingHeader(name))
            add(Text::tr("%1 is set by Hooktrail for each answer and cannot be added.").arg(name));
        else if (!isFieldValue(value) || value.size() > 8192)
            add(Text::tr("The value of %1 has a line break or a control character, or is over "
                         "8,192 characters.")
                    .arg(name));
    }
    if (response.delayMs < 0 || response.delayMs > CustomResponse::MaxDelayMs)
        add(Text::tr("Choose a delay from 0 to 30 seconds."));
    return problems;
}

CustomResponse CustomResponse::empty204()
{
    CustomResponse response;
    response.status = 204;
    response.contentType.clear();
    return response;
}

CustomResponse CustomResponse::echoRequestId()
{
    CustomResponse response;
    response.body = QStringLiteral("{{requestId}}");
    return response;
}

CustomResponse CustomResponse::fail500()
{
    CustomResponse response;
    response.status = 500;
    response.body
        = QStringLiteral("Hooktrail was asked to fail this request (request {{requestId}}).");
    return response;
}

} // namespace Hooktrail
