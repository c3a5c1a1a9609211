// Import and export of webhook settings as JSON, in the ARCHITECTURE §5.1 format.
#include "core/history/webhooktransfer.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hooktrail::WebhookTransfer {

namespace {
// The translation context of this file's messages.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Hooktrail::WebhookTransfer)
};
} // namespace

QByteArray exportJson(const QList<Webhook> &webhooks)
{
    QJsonArray array;
    for (const Webhook &webhook : webhooks)
        array.append(webhook.toJson(false));
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
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

    // Names must be unique case-insensitively; a clash inside the file is caught here, a clash
    // with a stored webhook only by the store.
    QHash<QString, int> positionOfName;
    for (int i = 0; i < items.size(); ++i) {
        const int position = i + 1;
        const auto report = [&](const QString &field, const QString &message) {
            parsed.problems.append(field.isEmpty()
                    ? Text::tr("webhook %1: %2").arg(position).arg(message)
                    : Text::tr("webhook %1: %2: %3").arg(position).arg(field, message));
        };
        if (!items.at(i).isObject()) {
            report(QString(), Text::tr("must be an object of webhook settings."));
            continue;
        }
        QList<FieldProblem> problems;
        Webhook webhook = webhookFromJson(items.at(i).toObject(), &problems);
        problems += validateWebhook(webhook);
        webhook.name = webhook.name.trimmed();
        const QString folded = webhook.name.toCaseFolded();
        if (!webhook.name.isEmpty()) {
            if (const auto earlier = positionOfName.constFind(folded);
                earlier != positionOfName.cend())
                problems.append({ QStringLiteral("name"),
                    Text::tr("'%1' is also the name of webhook %2.")
                        .arg(webhook.name)
                        .arg(*earlier) });
            else
                positionOfName.insert(folded, position);
        }
        for (const FieldProblem &problem : std::as_const(problems))
            report(problem.field, problem.message);
        if (problems.isEmpty())
            parsed.webhooks.append(webhook);
    }
    return parsed;
}

} // namespace Hooktrail::WebhookTransfer
