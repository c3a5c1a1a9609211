// Keys the user typed in the replay and test dialogs that the receiver accepted, by webhook,
// for this run of the console only: kept in memory, never written anywhere, so the next
// replay of the same webhook can offer the key again instead of asking for it.
#pragma once

#include <QHash>
#include <QString>

namespace Hooktrail {

class VerifiedKeys final
{
public:
    // A response from Hooktrail's receiver with this reason says the key it was sent with is
    // valid for the webhook (the key checks come before these, ARCHITECTURE §5.2).
    static bool provesKey(QStringView reason);

    void remember(const QString &webhookId, const QString &key);
    QString latest(const QString &webhookId) const; // empty when none was verified

private:
    QHash<QString, QString> m_keys;
};

} // namespace Hooktrail
