// Where a webhook's accepted requests are delivered onward (ARCHITECTURE §5.5).
#include "core/model/destination.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QUrl>

namespace Hooktrail {

namespace {
// lupdate files these strings under "Hooktrail::Destination", the context they are looked up in.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(Hooktrail::Destination)
};

constexpr std::pair<DeliveryState, QStringView> StateNames[] = {
    { DeliveryState::None, u"none" },
    { DeliveryState::Delivered, u"delivered" },
    { DeliveryState::Pending, u"pending" },
    { DeliveryState::Retrying, u"retrying" },
    { DeliveryState::Failed, u"failed" },
};

} // namespace

QString deliveryStateName(DeliveryState state)
{
    for (const auto &[known, name] : StateNames) {
        if (known == state)
            return name.toString();
    }
    return QStringLiteral("none");
}

std::optional<DeliveryState> deliveryStateFromName(QStringView name)
{
    for (const auto &[state, known] : StateNames) {
        if (known == name)
            return state;
    }
    return std::nullopt;
}

QString deliveryStateText(DeliveryState state)
{
    switch (state) {
    case DeliveryState::None:
        return Text::tr("None");
    case DeliveryState::Delivered:
        return Text::tr("Delivered");
    case DeliveryState::Pending:
        return Text::tr("Pending");
    case DeliveryState::Retrying:
        return Text::tr("Retrying");
    case DeliveryState::Failed:
        return Text::tr("Failed");
    }
    return {};
}

QJsonObject Destination::toJson() const
{
    QJsonArray headerList;
    for (const auto &[headerName, value] : headers)
        headerList.append(QJsonObject {
            { QStringLiteral("name"), headerName }, { QStringLiteral("value"), value } });
    const auto micros = [](qint64 value) {
        return value ? QJsonValue(LoggedRequest::formatTimestamp(value)) : QJsonValue();
    };
    return QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("webhookId"), webhookId },
        { QStringLiteral("name"), name },
        { QStringLiteral("url"), url },
        { QStringLiteral("enabled"), enabled },
        { QStringLiteral("headers"), headerList },
        { QStringLiteral("timeoutMs"), timeoutMs },
        { QStringLiteral("maxAttempts"), maxAttempts },
        { QStringLiteral("maxAgeSeconds"), maxAgeSeconds },
        { QStringLiteral("forwardPath"), forwardPath },
        { QStringLiteral("failuresInRow"), failuresInRow },
        { QStringLiteral("breakerOpen"), breakerOpen },
        { QStringLiteral("lastSuccessAt"), micros(lastSuccessMicros) },
        { QStringLiteral("lastFailureAt"), micros(lastFailureMicros) },
        { QStringLiteral("lastError"), lastError.isEmpty() ? QJsonValue() : QJsonValue(lastError) },
    };
}

QJsonObject DeliveryAttempt::toJson() const
{
    QJsonObject json {
        { QStringLiteral("number"), number },
        { QStringLiteral("at"), LoggedRequest::formatTimestamp(startedMicros) },
        { QStringLiteral("durationMicros"), durationMicros },
    };
    if (status)
        json.insert(QStringLiteral("status"), status);
    if (!error.isEmpty())
        json.insert(QStringLiteral("error"), error);
    QJsonArray headerList;
    for (const auto &[name, value] : responseHeaders)
        headerList.append(QJsonArray { receivedText(name), receivedText(value) });
    json.insert(QStringLiteral("responseHeaders"), headerList);
    if (isUtf8(responseBody)) {
        json.insert(QStringLiteral("responseBody"), QString::fromUtf8(responseBody));
    } else {
        json.insert(QStringLiteral("responseBody"), QString::fromLatin1(responseBody.toBase64()));
        json.insert(QStringLiteral("responseBodyEncoding"), QStringLiteral("base64"));
    }
    json.insert(QStringLiteral("responseCut"), responseCut);
    return json;
}

QJsonObject Delivery::toJson() const
{
    QJsonArray attemptArray;
    for (const DeliveryAttempt &attempt : attemptList)
        attemptArray.append(attempt.toJson());
    const auto time = [](qint64 micros) {
        return micros ? QJsonValue(LoggedRequest::formatTimestamp(micros)) : QJsonValue();
    };
    return QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("requestId"), requestId },
        { QStringLiteral("destinationId"), destinationId },
        { QStringLiteral("destinationName"), destinationName },
        { QStringLiteral("webhookId"), webhookId },
        { QStringLiteral("state"), deliveryStateName(state) },
        { QStringLiteral("attemptCount"), attempts },
        { QStringLiteral("attempts"), attemptArray },
        { QStringLiteral("createdAt"), time(createdMicros) },
        { QStringLiteral("nextAttemptAt"), time(nextAttemptMicros) },
        { QStringLiteral("lastStatus"), lastStatus ? QJsonValue(lastStatus) : QJsonValue() },
        { QStringLiteral("lastError"), lastError.isEmpty() ? QJsonValue() : QJsonValue(lastError) },
        { QStringLiteral("finishedAt"), time(finishedMicros) },
    };
}

QList<FieldProblem> validateDestination(const Destination &destination)
{
    QList<FieldProblem> problems;
    const QString name = destination.name.trimmed();
    if (name.isEmpty())
        problems.append({ QStringLiteral("name"), Text::tr("Enter a name.") });
    else if (name.size() > 100)
        problems.append({ QStringLiteral("name"),
            Text::tr("Use at most 100 characters (this one has %1).").arg(name.size()) });

    const QUrl url(destination.url, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (destination.url.trimmed().isEmpty())
        problems.append({ QStringLiteral("url"), Text::tr("Enter the URL to deliver to.") });
    else if (!url.isValid() || (scheme != u"http" && scheme != u"https"))
        problems.append({ QStringLiteral("url"),
            Text::tr("Enter an http:// or https:// URL, such as http://localhost:3000/hooks.") });
    else if (url.host().isEmpty())
        problems.append({ QStringLiteral("url"), Text::tr("The URL needs a host.") });
    else if (!url.userInfo().isEmpty())
        problems.append({ QStringLiteral("url"),
            Text::tr("Put credentials in a header, not in the URL: they would show wherever the "
                     "URL does.") });
    else if (url.hasFragment())
        problems.append(
            { QStringLiteral("url"), Text::tr("Remove the #fragment: it is never sent.") });

    if (destination.headers.size() > Destination::MaxHeaders)
        problems.append({ QStringLiteral("headers"),
            Text::tr("Use at most %1 headers.").arg(Destination::MaxHeaders) });
    for (const auto &[headerName, value] : destination.headers) {
        if (!isHttpToken(headerName)) {
            problems.append({ QStringLiteral("headers"),
                Text::tr("\"%1\" is not a header name: use letters, digits and - only.")
                    .arg(headerName.left(60)) });
        } else if (isHopByHopHeader(headerName.toLatin1())) {
            problems.append({ QStringLiteral("headers"),
                Text::tr("%1 is set by Hooktrail for each delivery and cannot be added.")
                    .arg(headerName) });
        } else if (!isFieldValue(value) || value.size() > 8192) {
            problems.append({ QStringLiteral("headers"),
                Text::tr("The value of %1 has a line break or a control character, or is over "
                         "8,192 characters.")
                    .arg(headerName) });
        }
    }
    if (destination.timeoutMs < 1000 || destination.timeoutMs > Destination::MaxTimeoutMs)
        problems.append({ QStringLiteral("timeout"),
            Text::tr("Choose a timeout from 1 to %1 seconds.")
                .arg(Destination::MaxTimeoutMs / 1000) });
    if (destination.maxAttempts < 1 || destination.maxAttempts > Destination::MaxAttemptsLimit)
        problems.append({ QStringLiteral("maxAttempts"),
            Text::tr("Choose from 1 to %1 attempts.").arg(Destination::MaxAttemptsLimit) });
    if (destination.maxAgeSeconds < 60
        || destination.maxAgeSeconds > Destination::MaxAgeLimitSeconds)
        problems.append({ QStringLiteral("maxAge"),
            Text::tr("Choose a maximum age from 1 minute to 30 days.") });
    return problems;
}

bool isHopByHopHeader(QByteArrayView name)
{
    static constexpr QByteArrayView Never[] = {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "expect",
        "x-hooktrail-request-id",
        "x-hooktrail-delivery-attempt",
        "x-hooktrail-forwarded-by",
    };
    for (const QByteArrayView known : Never) {
        if (name.compare(known, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace Hooktrail
