// What the store's classes share of their SQL; included by core/store sources only.
#pragma once

#include "core/model/loggedrequest.h"

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

// Prepares sql, binds the values in order, runs it.
inline bool execWith(QSqlQuery &query, const QString &sql, const QVariantList &binds)
{
    query.prepare(sql);
    for (const QVariant &value : binds)
        query.addBindValue(value);
    return query.exec();
}

} // namespace Hooktrail
