// The fixture admission's tests derive from: webhooks, keys and requests with fixed ids, and
// admission run on them.
#pragma once

#include "core/model/apikey.h"
#include "core/model/loggedrequest.h"
#include "core/receiver/admission.h"
#include "core/receiver/contentcheck.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QSet>
#include <QStandardPaths>
#include <QTest>
#include <QUrl>

namespace Hooktrail::TestSupport {

using namespace Qt::StringLiterals;

// Ids are fixed so a failing row names the same webhook every run.
inline const QString kOpenId = u"0b5c9a52-8f4e-4d1a-9c3b-7e6f5d4c3b2a"_s;
inline const QString kDisabledId = u"6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"_s;
inline const QString kUnknownId = u"f47ac10b-58cc-4372-a567-0e02b2c3d479"_s;

// '-' and '_' are in the keys so the percent-encoding rows encode something.
inline const QByteArray kValidKey = "htk_valid-KEY_0123456789abcdefghijklmnopqrstuvw"_ba;
inline const QByteArray kRevokedKey = "htk_revoked-KEY_0123456789abcdefghijklmnopqrstu"_ba;
inline constexpr qint64 kValidKeyId = 7;
inline constexpr qint64 kRevokedKeyId = 9;

inline QList<ApiKey> testKeys()
{
    ApiKey valid;
    valid.id = kValidKeyId;
    valid.name = u"ci"_s;
    valid.prefix = ApiKeys::prefixOf(QString::fromLatin1(kValidKey));
    valid.hash = ApiKeys::hash(kValidKey);
    ApiKey revoked;
    revoked.id = kRevokedKeyId;
    revoked.name = u"old"_s;
    revoked.prefix = ApiKeys::prefixOf(QString::fromLatin1(kRevokedKey));
    revoked.hash = ApiKeys::hash(kRevokedKey);
    revoked.revoked = true;
    return { valid, revoked };
}

inline Webhook makeWebhook(const QString &id, const QStringList &methods = { u"POST"_s },
    const QStringList &ips = {}, const HeaderList &rules = {}, bool enabled = true)
{
    Webhook webhook;
    webhook.id = id;
    webhook.name = u"hook "_s + id.left(8);
    webhook.methods = methods;
    webhook.ipWhitelist = ips;
    for (const auto &[name, value] : rules)
        webhook.headerRules.append({ QString::fromLatin1(name), QString::fromUtf8(value) });
    webhook.enabled = enabled;
    return webhook;
}

inline ParsedRequest makeRequest(const QByteArray &method, const QByteArray &target,
    const HeaderList &headers = {}, const QByteArray &body = {})
{
    ParsedRequest request;
    request.method = method;
    request.target = target;
    const qsizetype question = target.indexOf('?');
    request.path = question < 0 ? target : target.left(question);
    request.query = question < 0 ? QByteArray() : target.mid(question + 1);
    request.headers = headers;
    request.body = body;
    request.bodySize = body.size();
    return request;
}

inline QByteArray openTarget(const QByteArray &query = "api-key="_ba + kValidKey)
{
    const QByteArray path = "/v1/data/webhook/"_ba + kOpenId.toLatin1();
    return query.isEmpty() ? path : path + '?' + query;
}

inline QList<IpRange> ranges(const QStringList &entries)
{
    QList<IpRange> out;
    for (const QString &entry : entries) {
        const auto range = IpRange::parse(entry);
        if (!range)
            qFatal("bad range in test data: %s", qPrintable(entry));
        out.append(*range);
    }
    return out;
}

// Admits `request` against a config holding `webhook`, a disabled webhook and the test keys.
inline AdmissionResult admitWith(const Webhook &webhook, const ParsedRequest &request,
    const QString &peer = u"127.0.0.1"_s, const QStringList &trustedProxies = {})
{
    const auto config = ConfigSnapshot::build(
        { webhook, makeWebhook(kDisabledId, { u"POST"_s }, {}, {}, false) }, testKeys(), 1);
    AdmissionOptions options;
    options.trustedProxies = ranges(trustedProxies);
    return admit(request, QHostAddress(peer), *config, options);
}

class AdmissionTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
};

inline void AdmissionTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

} // namespace Hooktrail::TestSupport
