// API keys (ARCHITECTURE §5.4): generated once, stored as a SHA-256 hash with a visible prefix.
#include "core/model/apikey.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace Hooktrail::ApiKeys {

QString generate(const char *mark)
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
        reinterpret_cast<quint32 *>(bytes.data() + bytes.size()));
    return QString::fromLatin1(mark)
        + QString::fromLatin1(
            bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray hash(QByteArrayView key)
{
    return QCryptographicHash::hash(key, QCryptographicHash::Sha256);
}

QString prefixOf(const QString &key)
{
    return key.left(12);
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

} // namespace Hooktrail::ApiKeys
