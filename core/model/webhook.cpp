// The webhook value type (ARCHITECTURE §5.1), its validation and its settings JSON.
#include "core/model/webhook.h"

#include "core/model/iprange.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSet>
#include <QUuid>

namespace Hooktrail {

namespace {
// lupdate files these strings under "Hooktrail::Webhook", the context they are looked up in.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Hooktrail::Webhook)
};
} // namespace

QStringList Webhook::knownMethods()
{
    return { QStringLiteral("POST"), QStringLiteral("PUT"), QStringLiteral("PATCH"),
        QStringLiteral("GET"), QStringLiteral("DELETE") };
}

QString Webhook::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toLower();
}

bool isHttpToken(QStringView text)
{
    if (text.isEmpty())
        return false;
    static constexpr QStringView extra = u"!#$%&'*+-.^_`|~";
    for (QChar c : text) {
        const char16_t u = c.unicode();
        const bool alnum
            = (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z');
        if (!alnum && !extra.contains(c))
            return false;
    }
    return true;
}

bool isFieldValue(QStringView value)
{
    for (QChar c : value) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\t') || u == 0x7f)
            return false;
    }
    return true;
}

bool isUuidV4(QStringView text)
{
    // 8-4-4-4-12 lowercase hex, version nibble 4, variant 8/9/a/b.
    if (text.size() != 36)
        return false;
    for (qsizetype i = 0; i < 36; ++i) {
        const char16_t c = text[i].unicode();
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != u'-')
                return false;
        } else if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'))) {
            return false;
        }
    }
    const char16_t variant = text[19].unicode();
    return text[14] == u'4'
        && (variant == u'8' || variant == u'9' || variant == u'a' || variant == u'b');
}

QJsonObject Webhook::toJson(bool withIdentity) const
{
    QJsonObject headers;
    for (const HeaderRule &rule : headerRules)
        headers.insert(rule.name, rule.value);
    QJsonObject json {
        { QStringLiteral("name"), name },
        { QStringLiteral("description"), description },
        { QStringLiteral("methodsWhitelist"), QJsonArray::fromStringList(methods) },
        { QStringLiteral("headersWhitelist"), headers },
        { QStringLiteral("ipAddressWhitelist"), QJsonArray::fromStringList(ipWhitelist) },
        { QStringLiteral("enabled"), enabled },
    };
    if (acceptAnyContentType || withIdentity)
        json.insert(QStringLiteral("acceptAnyContentType"), acceptAnyContentType);
    if (authentication != AuthMode::Key || withIdentity)
        json.insert(QStringLiteral("authentication"), authModeName(authentication));
    if (needsSignature(authentication))
        json.insert(QStringLiteral("verification"), verification.toJson()); // without secrets
    if (response)
        json.insert(QStringLiteral("response"), response->toJson());
    if (withIdentity) {
        json.insert(QStringLiteral("id"), id);
        json.insert(QStringLiteral("created"), created.toUTC().toString(Qt::ISODateWithMs));
        json.insert(QStringLiteral("updated"), updated.toUTC().toString(Qt::ISODateWithMs));
    }
    return json;
}

QList<FieldProblem> validateWebhook(const Webhook &webhook, bool secretsRequired)
{
    QList<FieldProblem> problems;
    const QString name = webhook.name.trimmed();
    if (name.isEmpty())
        problems.append({ QStringLiteral("name"), Text::tr("Name is required.") });
    else if (name.size() > 100)
        problems.append({ QStringLiteral("name"),
            Text::tr("Name must be at most 100 characters (it has %1).").arg(name.size()) });

    if (webhook.description.size() > 2000)
        problems.append({ QStringLiteral("description"),
            Text::tr("Description must be at most 2,000 characters (it has %1).")
                .arg(webhook.description.size()) });

    if (webhook.methods.isEmpty())
        problems.append({ QStringLiteral("methodsWhitelist"),
            Text::tr("Choose at least one allowed method.") });
    QSet<QString> seenMethods;
    for (const QString &method : webhook.methods) {
        if (!Webhook::knownMethods().contains(method))
            problems.append({ QStringLiteral("methodsWhitelist"),
                Text::tr("'%1' is not an allowed method (POST, PUT, PATCH, GET, DELETE).")
                    .arg(method) });
        else if (seenMethods.contains(method))
            problems.append({ QStringLiteral("methodsWhitelist"),
                Text::tr("'%1' is listed twice.").arg(method) });
        seenMethods.insert(method);
    }

    QSet<QString> seenHeaders;
    for (const HeaderRule &rule : webhook.headerRules) {
        if (!isHttpToken(rule.name))
            problems.append({ QStringLiteral("headersWhitelist"),
                Text::tr(
                    "'%1' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only).")
                    .arg(rule.name) });
        else if (seenHeaders.contains(rule.name.toLower()))
            problems.append({ QStringLiteral("headersWhitelist"),
                Text::tr("Header '%1' is listed twice.").arg(rule.name) });
        seenHeaders.insert(rule.name.toLower());
        const bool badValue = std::any_of(rule.value.begin(), rule.value.end(),
            [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
        if (rule.value.isEmpty())
            problems.append({ QStringLiteral("headersWhitelist"),
                Text::tr("Header '%1' needs a value (use * for any value).").arg(rule.name) });
        else if (badValue || rule.value != rule.value.trimmed())
            problems.append({ QStringLiteral("headersWhitelist"),
                Text::tr("The value for header '%1' has control characters or surrounding spaces.")
                    .arg(rule.name) });
    }

    for (const QString &entry : webhook.ipWhitelist) {
        if (const Result<IpRange> range = IpRange::parse(entry); !range)
            problems.append({ QStringLiteral("ipAddressWhitelist"),
                Text::tr("'%1': %2.").arg(entry, range.error()) });
    }
    problems
        += validateAuthentication(webhook.authentication, webhook.verification, secretsRequired);
    if (webhook.response)
        problems += validateResponse(*webhook.response);
    return problems;
}

Webhook webhookFromJson(const QJsonObject &json, QList<FieldProblem> *problems)
{
    Webhook webhook;
    const auto problem = [problems](const QString &field, const QString &message) {
        if (problems)
            problems->append({ field, message });
    };
    static const QStringList allowedKeys { QStringLiteral("name"), QStringLiteral("description"),
        QStringLiteral("methodsWhitelist"), QStringLiteral("headersWhitelist"),
        QStringLiteral("ipAddressWhitelist"), QStringLiteral("enabled"),
        QStringLiteral("acceptAnyContentType"), QStringLiteral("authentication"),
        QStringLiteral("verification"), QStringLiteral("response"), QStringLiteral("id"),
        QStringLiteral("created"), QStringLiteral("updated") };
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!allowedKeys.contains(it.key()))
            problem(it.key(), Text::tr("Unknown key '%1'.").arg(it.key()));
    }
    const auto stringList = [&](const QString &key) {
        QStringList out;
        const QJsonValue value = json.value(key);
        if (value.isUndefined())
            return out;
        if (!value.isArray()) {
            problem(key, Text::tr("'%1' must be a list of strings.").arg(key));
            return out;
        }
        for (const QJsonValue &item : value.toArray()) {
            if (item.isString())
                out.append(item.toString());
            else
                problem(key, Text::tr("'%1' must be a list of strings.").arg(key));
        }
        return out;
    };

    const QJsonValue name = json.value(QStringLiteral("name"));
    if (!name.isString() && !name.isUndefined())
        problem(QStringLiteral("name"), Text::tr("'name' must be a string."));
    webhook.name = name.toString();
    const QJsonValue description = json.value(QStringLiteral("description"));
    if (!description.isString() && !description.isUndefined() && !description.isNull())
        problem(QStringLiteral("description"), Text::tr("'description' must be a string."));
    webhook.description = description.toString();
    if (json.contains(QStringLiteral("methodsWhitelist"))) {
        webhook.methods.clear();
        for (const QString &method : stringList(QStringLiteral("methodsWhitelist")))
            webhook.methods.append(method.toUpper());
    }
    webhook.ipWhitelist = stringList(QStringLiteral("ipAddressWhitelist"));
    const QJsonValue headers = json.value(QStringLiteral("headersWhitelist"));
    if (headers.isObject()) {
        const QJsonObject object = headers.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!it.value().isString())
                problem(QStringLiteral("headersWhitelist"),
                    Text::tr("The value for header '%1' must be a string.").arg(it.key()));
            webhook.headerRules.append({ it.key(), it.value().toString() });
        }
    } else if (!headers.isUndefined() && !headers.isNull()) {
        problem(QStringLiteral("headersWhitelist"),
            Text::tr("'headersWhitelist' must be an object of header names to values."));
    }
    const QJsonValue enabled = json.value(QStringLiteral("enabled"));
    if (!enabled.isBool() && !enabled.isUndefined())
        problem(QStringLiteral("enabled"), Text::tr("'enabled' must be true or false."));
    webhook.enabled = enabled.toBool(true);
    // Files written before the option existed do not name it: off, the contract as it was.
    const QJsonValue anyContentType = json.value(QStringLiteral("acceptAnyContentType"));
    if (!anyContentType.isBool() && !anyContentType.isUndefined())
        problem(QStringLiteral("acceptAnyContentType"),
            Text::tr("'acceptAnyContentType' must be true or false."));
    webhook.acceptAnyContentType = anyContentType.toBool(false);
    // Files written before signatures existed name no authentication: the API key.
    const QJsonValue authentication = json.value(QStringLiteral("authentication"));
    if (!authentication.isUndefined()
        && !authModeFromName(authentication.toString(), &webhook.authentication))
        problem(QStringLiteral("authentication"),
            Text::tr("'authentication' must be key, signature or key+signature."));
    if (needsSignature(webhook.authentication))
        webhook.verification
            = verificationFromJson(json.value(QStringLiteral("verification")), problems);
    const QJsonValue response = json.value(QStringLiteral("response"));
    if (!response.isUndefined() && !response.isNull())
        webhook.response = responseFromJson(response, problems);
    return webhook;
}

} // namespace Hooktrail
