// Import and export of webhook settings as JSON, in the ARCHITECTURE §5.1 format.
#pragma once

#include "core/base/result.h"
#include "core/model/webhook.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace Hooktrail {
class Store;
}

namespace Hooktrail::WebhookTransfer {

// A JSON array of settings objects with the keys name, description, methodsWhitelist,
// headersWhitelist, ipAddressWhitelist and enabled, acceptAnyContentType for a webhook that has
// it on, and the webhook's id, so an import that keeps ids keeps every endpoint URL
// (ARCHITECTURE §5.1). No timestamps: an imported webhook is new where it lands.
QByteArray exportJson(const QList<Webhook> &webhooks);

// One item of the file, valid or not, as the import preview lists it.
struct Entry
{
    int position = 0; // 1-based, in document order
    QString name; // trimmed; empty when the item has none
    QStringList methods;
    QString id; // a valid webhook id from the file; empty when it has none
    QStringList problems; // "name: Name is required.", every one; empty when valid
    Webhook webhook; // the settings (and id) read, meaningful when problems is empty
};

struct Parsed
{
    QList<Webhook> webhooks; // the ones without problems, in document order
    QStringList problems; // "webhook 2: name: Name is required.", every one
    QList<Entry> entries; // every item of the file; none when the file itself is unreadable
    bool hasIds() const; // some valid entry carries an id
};

// Accepts one settings object or an array of them. Name uniqueness against the stored webhooks
// is left to plan() and the store; a name or an id used twice in the file is a problem here.
Parsed parse(const QByteArray &json);

// How a name that is already taken is changed on import: " (imported)", then " (imported 2)",
// ... within the 100 characters a name may have, so nothing in a file is lost and nothing
// existing is overwritten.
QString importedName(const QString &name, int attempt);

// What importing one entry does, decided against the webhooks stored at the time.
struct Step
{
    enum class Action { Add, Skip };
    Entry entry;
    Action action = Action::Skip;
    Webhook webhook; // what is written: the name to use, the entry's id when it is kept
    bool renamed = false; // the entry's name was in use: webhook.name has a suffix
    bool keepsId = false; // written with the entry's id, so its endpoint URL stays the same
    QString reason; // why it is skipped, in words ("already here")
};

// One step per entry, in file order; nothing is written. With keepIds an entry whose id is
// stored already is skipped (that webhook is here; a re-import must not make a second one),
// and an entry without an id gets a new one.
QList<Step> plan(const Parsed &parsed, const QList<Webhook> &stored, bool keepIds);

struct Outcome
{
    QList<Step> steps; // as carried out: a failed write turns its step into a skip
    int imported = 0;
    QStringList renamed; // "“Orders” became “Orders (imported)”"
    QStringList skipped; // entries left out that were fine: "“Orders” is already here"
    QStringList problems; // invalid entries and failed writes
};

// Plans against the webhooks stored now and writes the Add steps, one transaction each.
Result<Outcome> importInto(Store &store, const Parsed &parsed, bool keepIds);

} // namespace Hooktrail::WebhookTransfer
