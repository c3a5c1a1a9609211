// One entry of the request log (ARCHITECTURE §5.3).
#pragma once

#include "core/http/httprequestparser.h"
#include "core/model/deliverystate.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace Hooktrail {

// What the log keeps of the body of a refused request: enough to see what was sent, not a way
// to fill the disk (or the receiver's memory) with bodies nobody accepted.
inline constexpr qsizetype RejectedBodyKeptBytes = 64 * 1024;

struct LoggedRequest
{
    qint64 id = 0;
    qint64 receivedAtMicros = 0; // UTC, microseconds since the epoch
    QString webhookId; // empty when the path named no known webhook
    QByteArray method;
    QByteArray path;
    QByteArray query; // redacted
    QByteArray httpVersion;
    HeaderList headers; // redacted, in arrival order
    QByteArray body;
    bool bodyTruncated = false;
    qint64 bodySize = 0;
    QByteArray contentType;
    QString clientAddress;
    QString forwardedFor;
    int status = 0;
    QByteArray reason;
    QString reasonDetail;
    qint64 handlingMicros = 0;
    QString instance;
    qint64 apiKeyId = 0; // the stored key that matched, 0 when none
    // Read with the row, not one of its JSON fields: its deliveries taken together
    // (DeliveryTables; the highest of their states, None when it has none).
    DeliveryState delivery = DeliveryState::None;

    bool accepted() const { return status >= 200 && status < 300; }
    // What the entry costs in memory while it waits for its commit: every field a sender
    // controls, not only the body.
    qint64 approximateBytes() const;
    // The JSON Lines / CLI form, with every field named as in ARCHITECTURE §5.3.
    QJsonObject toJson() const;
    static QString formatTimestamp(qint64 micros);
};

namespace Redaction {
inline constexpr char Mask[] = "***";
bool isSecretHeader(QByteArrayView name);
HeaderList redactHeaders(const HeaderList &headers);
QByteArray redactQuery(const QByteArray &query);
// An API key has a fixed shape (ApiKeys::generate): "htk_" and 43 base64url characters. Senders
// put keys where no name tells they are one (a Referer, a form or JSON body, the path, an
// X-Auth-Token header, even the method), so the shape itself is replaced by Mask wherever it is.
inline constexpr qsizetype KeyLength = 47;
// Returns false, bytes untouched and not copied, when they hold no key: one search for "htk_".
bool scrubKeys(QByteArray &bytes);
bool scrubKeys(QString &text);
// Every field of the entry a sender wrote, before it is stored.
void scrubKeys(LoggedRequest &entry);
} // namespace Redaction

qint64 currentMicros();

// Received bytes as text. The log keeps what arrived: UTF-8 when it is, else read as Latin-1
// so that no byte is lost.
bool isUtf8(const QByteArray &bytes); // ASCII included; fast for ASCII
QString receivedText(const QByteArray &bytes);
// Appends UTF-8 text as a JSON string, escaping only what JSON requires (quotes, backslashes,
// control characters); every other byte is copied as it is.
void appendJsonUtf8(QByteArray &out, QByteArrayView utf8);

// Header lists to and from the JSON array-of-pairs kept in the log.
QByteArray encodeHeaders(const HeaderList &headers);
HeaderList decodeHeaders(const QByteArray &json);

} // namespace Hooktrail
