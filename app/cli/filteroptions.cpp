// The request filter `log` and `export` share: --webhook, --outcome, --since, --search, ...
#include "app/cli/filteroptions.h"

#include "core/model/loggedrequest.h"

#include <QDateTime>
#include <QRegularExpression>

namespace Hooktrail::CommandLine {

// A point in time for --since/--until: an ISO 8601 date or date-time (UTC unless it names a
// zone), or an age such as 15m, 2h or 7d meaning that long ago.
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

const QList<OptionSpec> FilterOptions { { QStringLiteral("webhook") },
    { QStringLiteral("outcome") }, { QStringLiteral("search") }, { QStringLiteral("since") },
    { QStringLiteral("until") }, { QStringLiteral("status") }, { QStringLiteral("reason") },
    { QStringLiteral("method") } };

QString readFilter(const Options &options, RequestFilter &filter)
{
    filter.webhookId = options.value(QStringLiteral("webhook")).toLower();
    const QString outcome = options.value(QStringLiteral("outcome"));
    if (outcome == QStringLiteral("accepted"))
        filter.outcome = RequestFilter::Outcome::Accepted;
    else if (outcome == QStringLiteral("rejected"))
        filter.outcome = RequestFilter::Outcome::Rejected;
    else if (options.has(QStringLiteral("outcome")))
        return QStringLiteral("--outcome takes accepted or rejected");
    filter.search = options.value(QStringLiteral("search"));
    if (options.has(QStringLiteral("search")) && filter.search.trimmed().isEmpty())
        return QStringLiteral("--search needs some text");
    const qint64 now = currentMicros();
    for (const QString &name : { QStringLiteral("since"), QStringLiteral("until") }) {
        if (!options.has(name))
            continue;
        const std::optional<qint64> time = parseTime(options.value(name), now);
        if (!time)
            return QStringLiteral("--%1 takes a date (2026-11-29), a date-time "
                                  "(2026-11-29T10:00:00Z) or an age (15m, 2h, 7d)")
                .arg(name);
        (name == QStringLiteral("since") ? filter.sinceMicros : filter.untilMicros) = *time;
    }
    if (filter.sinceMicros && filter.untilMicros && filter.sinceMicros >= filter.untilMicros)
        return QStringLiteral("--since must be earlier than --until");
    if (options.has(QStringLiteral("status"))) {
        bool ok = false;
        filter.status = options.value(QStringLiteral("status")).toInt(&ok);
        if (!ok || filter.status < 100 || filter.status > 599)
            return QStringLiteral("--status takes an HTTP status, 100 to 599");
    }
    static const QRegularExpression reasonCode(QStringLiteral("^[a-z_]+$"));
    if (options.has(QStringLiteral("reason"))) {
        const QString reason = options.value(QStringLiteral("reason"));
        if (!reasonCode.match(reason).hasMatch())
            return QStringLiteral("--reason takes a reason code such as invalid_api_key");
        filter.reason = reason.toLatin1();
    }
    static const QRegularExpression token(QStringLiteral("^[A-Za-z]+$"));
    if (options.has(QStringLiteral("method"))) {
        const QString method = options.value(QStringLiteral("method"));
        if (!token.match(method).hasMatch())
            return QStringLiteral("--method takes an HTTP method such as POST");
        filter.method = method.toUpper().toLatin1();
    }
    return {};
}

} // namespace Hooktrail::CommandLine
