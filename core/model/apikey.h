// API keys (ARCHITECTURE §5.4): generated once, stored as a SHA-256 hash with a visible prefix.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace Hooktrail {

struct ApiKey
{
    qint64 id = 0;
    QString name;
    QString prefix; // the first characters of the key, shown in lists and the history
    QByteArray hash; // SHA-256 of the whole key
    QDateTime created;
    QDateTime lastUsed; // null until first used
    bool revoked = false;
};

// A token of the local API (ARCHITECTURE §5.7): kept like a key, but it opens the API only, and
// an ingest key never opens the API.
struct ApiToken
{
    qint64 id = 0;
    QString name;
    QString prefix;
    QByteArray hash; // SHA-256 of the whole token
    bool readOnly = false; // reads only: replay and other writes answer 403
    QDateTime created;
    QDateTime lastUsed; // null until first used
    bool revoked = false;
};

namespace ApiKeys {
inline constexpr char KeyMark[] = "htk_";
inline constexpr char TokenMark[] = "htt_";
// The mark ("htk_" for a key, "htt_" for an API token) followed by 32 random bytes in unpadded
// base64url.
QString generate(const char *mark = KeyMark);
QByteArray hash(QByteArrayView key);
QString prefixOf(const QString &key);
// Compares without an early exit, so timing says nothing about how much of a hash matched.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
} // namespace ApiKeys

} // namespace Hooktrail
