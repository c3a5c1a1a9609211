// The webhook value type (ARCHITECTURE §5.1), its validation and its settings JSON.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

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
    QDateTime created;
    QDateTime updated;

    static QStringList knownMethods();
    static QString newId();

    // The settings document: name, description, methodsWhitelist, headersWhitelist,
    // ipAddressWhitelist, enabled, and acceptAnyContentType when it is on (a default webhook's
    // document keeps the six keys of ARCHITECTURE §5.1). id, timestamps and
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
QList<FieldProblem> validateWebhook(const Webhook &webhook);

// Reads the settings document; problems with its shape are reported like validation problems.
Webhook webhookFromJson(const QJsonObject &json, QList<FieldProblem> *problems);

bool isHttpToken(QStringView text);
bool isUuidV4(QStringView text);

} // namespace Hooktrail
