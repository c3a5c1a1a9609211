// Import and export of webhook settings as JSON, in the ARCHITECTURE §5.1 format.
#include "core/history/webhooktransfer.h"

#include "core/store/store.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace Hooktrail::WebhookTransfer {

namespace {
// The translation context of this file's messages.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Hooktrail::WebhookTransfer)
};

constexpr int MaxNameLength = 100; // ARCHITECTURE §5.1

// The id an item names, checked: a file that names one must name a real one, since an import
// that keeps ids writes it as the endpoint's last path segment.
QString idOf(const QJsonObject &object, QList<FieldProblem> *problems)
{
    const QJsonValue id = object.value(QStringLiteral("id"));
    if (id.isUndefined())
        return {};
    if (id.isString() && isUuidV4(id.toString()))
        return id.toString();
    problems->append({ QStringLiteral("id"),
        Text::tr("'id' must be a webhook id: a UUID v4 in lowercase, as exported.") });
    return {};
}

QString describe(const FieldProblem &problem)
{
    return problem.field.isEmpty() ? problem.message
                                   : Text::tr("%1: %2").arg(problem.field, problem.message);
}

} // namespace

QByteArray exportJson(const QList<Webhook> &webhooks)
{
    QJsonArray array;
    for (const Webhook &webhook : webhooks) {
        QJsonObject object = webhook.toJson(false);
        if (!webhook.id.isEmpty())
            object.insert(QStringLiteral("id"), webhook.id);
        array.append(object);
    }
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

bool Parsed::hasIds() const
{
    return std::any_of(entries.cbegin(), entries.cend(),
        [](const Entry &entry) { return entry.problems.isEmpty() && !entry.id.isEmpty(); });
}

Parsed parse(const QByteArray &json)
{
    Parsed parsed;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        parsed.problems.append(Text::tr("The file is not valid JSON: %1 at offset %2.")
                                   .arg(error.errorString())
                                   .arg(error.offset));
        return parsed;
    }
    QJsonArray items;
    if (document.isObject())
        items.append(document.object());
    else if (document.isArray())
        items = document.array();
    else
        parsed.problems.append(
            Text::tr("The file must hold a webhook settings object or a list of them."));

    // Names must be unique case-insensitively and ids unique; a clash inside the file is
    // caught here, a clash with a stored webhook by plan() and the store.
    QHash<QString, int> positionOfName;
    QHash<QString, int> positionOfId;
    for (int i = 0; i < items.size(); ++i) {
        Entry entry;
        entry.position = i + 1;
        QList<FieldProblem> problems;
        if (!items.at(i).isObject()) {
            problems.append({ QString(), Text::tr("must be an object of webhook settings.") });
        } else {
            const QJsonObject object = items.at(i).toObject();
            entry.webhook = webhookFromJson(object, &problems);
            problems += validateWebhook(entry.webhook, false);
            entry.webhook.name = entry.webhook.name.trimmed();
            entry.webhook.id = entry.id = idOf(object, &problems);
            entry.name = entry.webhook.name;
            entry.methods = entry.webhook.methods;
        }
        const QString folded = entry.name.toCaseFolded();
        if (!entry.name.isEmpty()) {
            if (const auto earlier = positionOfName.constFind(folded);
                earlier != positionOfName.cend())
                problems.append({ QStringLiteral("name"),
                    Text::tr("'%1' is also the name of webhook %2.")
                        .arg(entry.name)
                        .arg(*earlier) });
            else
                positionOfName.insert(folded, entry.position);
        }
        if (!entry.id.isEmpty()) {
            if (const auto earlier = positionOfId.constFind(entry.id);
                earlier != positionOfId.cend())
                problems.append({ QStringLiteral("id"),
                    Text::tr("'%1' is also the id of webhook %2.").arg(entry.id).arg(*earlier) });
            else
                positionOfId.insert(entry.id, entry.position);
        }
        for (const FieldProblem &problem : std::as_const(problems)) {
            entry.problems.append(describe(problem));
            parsed.problems.append(
                Text::tr("webhook %1: %2").arg(entry.position).arg(entry.problems.last()));
        }
        if (problems.isEmpty())
            parsed.webhooks.append(entry.webhook);
        parsed.entries.append(entry);
    }
    return parsed;
}

QString importedName(const QString &name, int attempt)
{
    const QString suffix
        = attempt <= 1 ? Text::tr(" (imported)") : Text::tr(" (imported %1)").arg(attempt);
    return name.left(MaxNameLength - suffix.size()).trimmed() + suffix;
}

QList<Step> plan(const Parsed &parsed, const QList<Webhook> &stored, bool keepIds)
{
    QHash<QString, QString> storedNameOfId;
    QSet<QString> takenNames; // case-folded: the stored ones, then the ones planned
    for (const Webhook &webhook : stored) {
        storedNameOfId.insert(webhook.id, webhook.name);
        takenNames.insert(webhook.name.toCaseFolded());
    }
    QList<Step> steps;
    for (const Entry &entry : parsed.entries) {
        Step step;
        step.entry = entry;
        if (!entry.problems.isEmpty()) {
            step.reason = entry.problems.join(QStringLiteral("; "));
            steps.append(step);
            continue;
        }
        step.webhook = entry.webhook;
        step.keepsId = keepIds && !entry.id.isEmpty();
        if (!step.keepsId) {
            step.webhook.id.clear();
        } else if (const auto here = storedNameOfId.constFind(entry.id);
                   here != storedNameOfId.cend()) {
            // The same webhook, maybe renamed since: a second copy under the same id cannot be.
            step.reason = here->compare(entry.name, Qt::CaseInsensitive) == 0
                ? Text::tr("already here")
                : Text::tr("already here, as “%1”").arg(*here);
            step.keepsId = false; // nothing is written
            steps.append(step);
            continue;
        }
        for (int attempt = 1; takenNames.contains(step.webhook.name.toCaseFolded()); ++attempt)
            step.webhook.name = importedName(entry.name, attempt);
        step.renamed = step.webhook.name != entry.name;
        takenNames.insert(step.webhook.name.toCaseFolded());
        step.action = Step::Action::Add;
        steps.append(step);
    }
    return steps;
}

Result<Outcome> importInto(Store &store, const Parsed &parsed, bool keepIds)
{
    const Result<QList<Webhook>> stored = store.config().webhooks();
    if (!stored)
        return Result<Outcome>::failure(stored.error());
    Outcome outcome;
    outcome.steps = plan(parsed, *stored, keepIds);
    outcome.problems = parsed.problems;
    for (Step &step : outcome.steps) {
        if (step.action == Step::Action::Skip) {
            if (step.entry.problems.isEmpty())
                outcome.skipped.append(Text::tr("“%1”: %2").arg(step.entry.name, step.reason));
            continue;
        }
        // Another writer may have taken the name or the id since the webhooks were read: the
        // store's own checks decide, and the entry is reported rather than lost silently.
        const Result<Webhook> added = store.config().addWebhook(
            step.webhook, step.keepsId ? ConfigTables::Id::Keep : ConfigTables::Id::New);
        if (!added) {
            step.action = Step::Action::Skip;
            step.reason = added.error();
            outcome.problems.append(Text::tr("“%1”: %2").arg(step.entry.name, added.error()));
            continue;
        }
        step.webhook = *added;
        ++outcome.imported;
        if (step.renamed)
            outcome.renamed.append(
                Text::tr("“%1” became “%2”").arg(step.entry.name, step.webhook.name));
    }
    return outcome;
}

} // namespace Hooktrail::WebhookTransfer
