// The request filter read from named text values (the command line's and the API's).
#include "core/model/filterparameters.h"

#include "core/model/loggedrequest.h"

#include <QDateTime>
#include <QRegularExpression>

namespace Hooktrail::FilterParameters {

const QStringList &names()
{
    static const QStringList list { QStringLiteral("webhook"), QStringLiteral("outcome"),
        QStringLiteral("search"), QStringLiteral("since"), QStringLiteral("until"),
        QStringLiteral("status"), QStringLiteral("reason"), QStringLiteral("method") };
    return list;
}

std::optional<qint64> parseTime(const QString &text, qint64 nowMicros)
{
    static const QRegularExpression age(QStringLiteral("^(\\d{1,9})([smhdw])$"));
    if (const QRegularExpressionMatch match = age.match(text); match.hasMatch()) {
        const qint64 seconds = [&]() -> qint64 {
            switch (match.captured(2).at(0).unicode()) {
            case u's':
                return 1;
            case u'm':
                return 60;
            case u'h':
                return 3600;
            case u'd':
                return 86400;
            default:
                return 7 * 86400;
            }
        }();
        // At most 999,999,999 weeks: no overflow in seconds; an age reaching before 1970 is
        // not a time the log can hold.
        const qint64 ageSeconds = match.captured(1).toLongLong() * seconds;
        if (ageSeconds > nowMicros / 1000000)
            return std::nullopt;
        return nowMicros - ageSeconds * 1000000;
    }
    if (const QDate date = QDate::fromString(text, Qt::ISODate);
        date.isValid() && text.size() == 10)
        return date.startOfDay(Qt::UTC).toMSecsSinceEpoch() * 1000;
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid() || !text.contains(u'T'))
        return std::nullopt;
    if (time.timeSpec() == Qt::LocalTime) // no zone given: UTC, like every time Hooktrail shows
        time = QDateTime(time.date(), time.time(), Qt::UTC);
    return time.toMSecsSinceEpoch() * 1000;
}

std::optional<qint64> parseDurationMs(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral("^(\\d{1,9})(ms|s|m|h|d)?$"));
    const QRegularExpressionMatch match = shape.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 value = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    if (unit == u"ms")
        return value;
    const qint64 seconds = unit == u"m" ? 60 : unit == u"h" ? 3600 : unit == u"d" ? 86400 : 1;
    return value * seconds * 1000;
}

std::optional<Problem> read(const Lookup &value,
    const std::function<QString(const QString &)> &spelled, RequestFilter &filter)
{
    const auto problem = [&](const QString &name, const QString &what) {
        return Problem { name, what.arg(spelled(name)) };
    };
    const QString webhook = QStringLiteral("webhook");
    filter.webhookId = value(webhook).value_or(QString()).toLower();

    const QString outcomeName = QStringLiteral("outcome");
    if (const std::optional<QString> outcome = value(outcomeName)) {
        if (*outcome == QStringLiteral("accepted"))
            filter.outcome = RequestFilter::Outcome::Accepted;
        else if (*outcome == QStringLiteral("rejected"))
            filter.outcome = RequestFilter::Outcome::Rejected;
        else
            return problem(outcomeName, QStringLiteral("%1 takes accepted or rejected"));
    }

    const QString searchName = QStringLiteral("search");
    if (const std::optional<QString> search = value(searchName)) {
        if (search->trimmed().isEmpty())
            return problem(searchName, QStringLiteral("%1 needs some text"));
        filter.search = *search;
    }

    const qint64 now = currentMicros();
    for (const QString &name : { QStringLiteral("since"), QStringLiteral("until") }) {
        const std::optional<QString> text = value(name);
        if (!text)
            continue;
        const std::optional<qint64> time = parseTime(*text, now);
        if (!time)
            return problem(name,
                QStringLiteral("%1 takes a date (2026-11-29), a date-time "
                               "(2026-11-29T10:00:00Z) or an age (15m, 2h, 7d)"));
        (name == QStringLiteral("since") ? filter.sinceMicros : filter.untilMicros) = *time;
    }
    if (filter.sinceMicros && filter.untilMicros && filter.sinceMicros >= filter.untilMicros)
        return Problem { QStringLiteral("since"),
            QStringLiteral("%1 must be earlier than %2")
                .arg(spelled(QStringLiteral("since")), spelled(QStringLiteral("until"))) };

    const QString statusName = QStringLiteral("status");
    if (const std::optional<QString> status = value(statusName)) {
        bool ok = false;
        filter.status = status->toInt(&ok);
        if (!ok || filter.status < 100 || filter.status > 599)
            return problem(statusName, QStringLiteral("%1 takes an HTTP status, 100 to 599"));
    }

    static const QRegularExpression reasonCode(QStringLiteral("^[a-z_]+$"));
    const QString reasonName = QStringLiteral("reason");
    if (const std::optional<QString> reason = value(reasonName)) {
        if (!reasonCode.match(*reason).hasMatch())
            return problem(
                reasonName, QStringLiteral("%1 takes a reason code such as invalid_api_key"));
        filter.reason = reason->toLatin1();
    }

    static const QRegularExpression token(QStringLiteral("^[A-Za-z]+$"));
    const QString methodName = QStringLiteral("method");
    if (const std::optional<QString> method = value(methodName)) {
        if (!token.match(*method).hasMatch())
            return problem(methodName, QStringLiteral("%1 takes an HTTP method such as POST"));
        filter.method = method->toUpper().toLatin1();
    }
    return std::nullopt;
}

} // namespace Hooktrail::FilterParameters
