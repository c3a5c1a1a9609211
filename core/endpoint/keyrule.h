// Where a sender puts its API key and how it is told apart (ARCHITECTURE §5.2, §5.4): the api-key
// query parameter, else the X-Api-Key header; compared with the stored hashes.
#pragma once

#include "core/http/httprequestparser.h"
#include "core/model/apikey.h"

#include <QByteArray>
#include <QString>

namespace Hooktrail::Endpoint {

inline constexpr char KeyParameter[] = "api-key";
inline constexpr char KeyHeader[] = "X-Api-Key";

// One rule for a name, read by admission and by redaction alike, so that a key admission takes
// is always a key the log masks. A parameter is the key when its name, decoded as every query
// component is (decodeQueryComponent: "api%2Dkey" is "api-key"), is "api-key" in any case of
// its letters; the header is "X-Api-Key" in any case (HTTP field names are case-insensitive).
// Nothing else is: not "api_key", not "apikey", not a name encoded twice. Such a near miss is
// not taken as a key (the sender is told missing_api_key), and a key it carries is still
// masked in the log by its shape (Redaction::scrubKeys), which looks everywhere.
bool isKeyParameter(QByteArrayView decodedName);
bool isKeyHeader(QByteArrayView name);

// The key a request presents: the first key parameter's decoded value, else (when that is
// absent or empty) the first key header's value; empty when there is none.
QByteArray presentedKey(QByteArrayView query, const HeaderList &headers);

// "api-key=" and the key percent-encoded: the query of an endpoint URL with the key in it.
QString keyQuery(const QString &key);

struct KeyMatch
{
    qint64 id = 0; // the stored key whose hash matched; 0 when none did
    bool revoked = false;
    bool valid() const { return id != 0 && !revoked; }
};
// The stored key a presented one is. Every stored hash is compared, in constant time and
// without stopping at a match, so the time taken does not tell which matched. Should two
// stored keys share a hash, one not revoked is the match.
KeyMatch matchKey(QByteArrayView presented, const QList<ApiKey> &keys);

} // namespace Hooktrail::Endpoint
