// Sentences of the detail pane's overview (see the header).
#include "ui/requestoverview.h"

#include <QCoreApplication>
#include <QLocale>

namespace Hooktrail::RequestOverview {

// The detail pane's words, translated with it.
#define OVERVIEW_TR(text)                                                                          \
    QCoreApplication::QCoreApplication::translate(                                                 \
        "Hooktrail::RequestDetailView", "Hooktrail::RequestDetailView", text)

QString bodyText(const LoggedRequest &request)
{
    if (request.bodySize == 0)
        return QCoreApplication::translate("Hooktrail::RequestDetailView", "Empty");
    const QString size
        = QCoreApplication::translate("Hooktrail::RequestDetailView", "%1, %2")
              .arg(QLocale().formattedDataSize(request.bodySize),
                  request.contentType.isEmpty() ? QCoreApplication::translate(
                      "Hooktrail::RequestDetailView", "no content type")
                                                : QString::fromLatin1(request.contentType));
    if (!request.bodyTruncated)
        return size;
    // A refused request keeps a prefix of its body, or nothing of it.
    return request.body.isEmpty()
        ? QCoreApplication::translate("Hooktrail::RequestDetailView", "%1. None of it was kept.")
              .arg(size)
        : QCoreApplication::translate(
            "Hooktrail::RequestDetailView", "%1. Only its first %2 were kept.")
              .arg(size, QLocale().formattedDataSize(request.body.size()));
}

QString keyText(const LoggedRequest &request, const QString &keyName)
{
    if (!keyName.isEmpty())
        return keyName;
    if (request.apiKeyId > 0)
        return QCoreApplication::translate(
            "Hooktrail::RequestDetailView", "A key that no longer exists");
    const QByteArray &reason = request.reason;
    if (reason == "missing_api_key")
        return QCoreApplication::translate("Hooktrail::RequestDetailView", "No key was sent.");
    if (reason == "invalid_api_key")
        return QCoreApplication::translate(
            "Hooktrail::RequestDetailView", "The key sent matches none of the keys.");
    // The checks before the key's (ARCHITECTURE §5.2) and the framing errors refuse a request
    // before its key is looked at.
    for (const char *before : { "unknown_route", "unknown_webhook", "webhook_disabled",
             "ip_not_allowed", "method_not_allowed", "payload_too_large", "headers_too_large",
             "bad_request", "request_timeout", "not_implemented", "http_version_not_supported" }) {
        if (reason == before)
            return QCoreApplication::translate("Hooktrail::RequestDetailView",
                "Not checked: the request was refused before its key was looked at.");
    }
    return QCoreApplication::translate("Hooktrail::RequestDetailView", "No key matched.");
}

} // namespace Hooktrail::RequestOverview
