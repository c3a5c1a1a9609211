// What the store's classes share of their SQL; included by core/store sources only.
#pragma once

#include "core/model/loggedrequest.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

namespace Hooktrail {

// Text columns hold what was received (see receivedText), and are never NULL.
inline QString toText(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QStringLiteral("") : receivedText(bytes);
}

// What the search table holds of a row, computed the same way when indexing and when deleting
// (a contentless FTS5 table forgets a row only when given the text it indexed). Bodies are
// indexed up to their first MiB.
inline const QString SearchColumns
    = QStringLiteral("headers, CAST(substr(body, 1, 1048576) AS TEXT)");

// The PostgreSQL notification channels: configuration changes, rows committed to the log.
inline const QString ConfigChannel = QStringLiteral("hooktrail_config");
inline const QString LogChannel = QStringLiteral("hooktrail_log");

// Times are stored as microseconds since the epoch (0 or NULL: none).
inline qint64 toMicros(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() * 1000 : 0;
}

inline QDateTime fromMicros(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong() / 1000, Qt::UTC);
}

// Prepares sql, binds the values in order, runs it.
inline bool execWith(QSqlQuery &query, const QString &sql, const QVariantList &binds)
{
    query.prepare(sql);
    for (const QVariant &value : binds)
        query.addBindValue(value);
    return query.exec();
}

} // namespace Hooktrail
