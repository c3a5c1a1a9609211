// The webhook value type (ARCHITECTURE §5.1), its validation and its settings JSON.
#pragma once

#include "core/model/authentication.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <optional>

namespace Hooktrail {

struct HeaderRule
{
    QString name; // an HTTP token, matched case-insensitively
    QString value; // exact match; "*" means present with any value
    friend bool operator==(const HeaderRule &a, const HeaderRule &b)
    {
        return a.name == b.name && a.value == b.value;
    }
};

struct Webhook
{
    QString id; // lowercase UUID v4
    QString name;
    QString description;
    QStringList methods { QStringLiteral("POST") };
    QList<HeaderRule> headerRules;
    QStringList ipWhitelist;
    bool enabled = true;
    // Off by default: the endpoint contract's checks 9 and 10 (ARCHITECTURE §5.2). On, any body
    // is accepted and logged as sent, whatever its Content-Type (or none), unchecked: for
    // developers testing senders of text or binary bodies.
    bool acceptAnyContentType = false;
    // The sender's proof (ARCHITECTURE §5.6): the API key by default, or a signature checked
    // right after it (check 7b) by `verification`.
    AuthMode authentication = AuthMode::Key;
    Verification verification; // used when needsSignature(authentication)
    // What an accepted request is answered; none: the contract's JSON.
    std::optional<CustomResponse> response;
    QDateTime created;
    QDateTime updated;

    static QStringList knownMethods();
    static QString newId();

    // The settings document: name, description, methodsWhitelist, headersWhitelist,
    // ipAddressWhitelist, enabled, and acceptAnyContentType when it is on (a default webhook's
    // document keeps the six keys of ARCHITECTURE §5.1); authentication and verification when a
    // signature is asked for (never the secrets), response when there is one. id, timestamps and
    // acceptAnyContentType whatever its value are added when withIdentity is set.
    QJsonObject toJson(bool withIdentity = false) const;
};

// One problem with one field, in words a user can act on.
struct FieldProblem
{
    QString field; // "name", "description", "methodsWhitelist", "headersWhitelist",
                   // "ipAddressWhitelist"
    QString message;
};

// Every problem, not just the first. Name uniqueness needs the store and is checked there.
// A webhook read from a settings document has no secrets (they never travel): its import
// passes secretsRequired false, and it refuses every signed request until one is added.
QList<FieldProblem> validateWebhook(const Webhook &webhook, bool secretsRequired = true);

// Reads the settings document; problems with its shape are reported like validation problems.
Webhook webhookFromJson(const QJsonObject &json, QList<FieldProblem> *problems);

bool isHttpToken(QStringView text);
bool isUuidV4(QStringView text);
// A header field value: no control character but tab (no CR or LF, so no header of its own).
bool isFieldValue(QStringView value);

} // namespace Hooktrail
