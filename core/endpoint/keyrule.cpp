// Where a sender puts its API key and how it is told apart (ARCHITECTURE §5.2, §5.4).
#include "core/endpoint/keyrule.h"

#include "core/endpoint/query.h"

#include <QUrl>

namespace Hooktrail::Endpoint {

bool isKeyParameter(QByteArrayView decodedName)
{
    return decodedName.compare(KeyParameter, Qt::CaseInsensitive) == 0;
}

bool isKeyHeader(QByteArrayView name)
{
    return name.compare(KeyHeader, Qt::CaseInsensitive) == 0;
}

QByteArray presentedKey(QByteArrayView query, const HeaderList &headers)
{
    QByteArray key;
    for (const QueryField &field : queryFields(query)) {
        if (isKeyParameter(field.name())) {
            key = field.value();
            break;
        }
    }
    if (!key.isEmpty())
        return key;
    for (const auto &[name, value] : headers) {
        if (isKeyHeader(name))
            return value;
    }
    return {};
}

QString keyQuery(const QString &key)
{
    return QString::fromLatin1(KeyParameter) + u'='
        + QString::fromLatin1(QUrl::toPercentEncoding(key));
}

KeyMatch matchKey(QByteArrayView presented, const QList<ApiKey> &keys)
{
    const QByteArray hash = ApiKeys::hash(presented);
    KeyMatch match;
    for (const ApiKey &stored : keys) {
        if (ApiKeys::constantTimeEquals(hash, stored.hash) && (match.id == 0 || match.revoked)) {
            match.id = stored.id;
            match.revoked = stored.revoked;
        }
    }
    return match;
}

} // namespace Hooktrail::Endpoint
