// What the hardening tests share: a receiver on a database file of the test's choosing (Site),
// the options they start it with, a tally of the answers a run got, and the fixture each of
// their executables derives from.
#pragma once

#include "core/model/apikey.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/store.h"
#include "testsupport.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QStandardPaths>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace Hooktrail::TestSupport {

using namespace Qt::StringLiterals;

inline constexpr int kRetryAfter = 5;

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

// The seed of the garbage sender, printed so that a failure can be replayed.
inline constexpr quint32 kGarbageSeed = 0x5eed2026;

// A receiver on a database file of the test's choosing, with one webhook (POST and PUT) and
// one API key, and the test's own connection to the same file for arranging and checking.
class Site final
{
    Q_DISABLE_COPY_MOVE(Site)
public:
    Site() = default;
    ~Site() { close(); }

    bool open(const QString &databasePath, const ReceiverOptions &options)
    {
        m_path = databasePath;
        auto store = Store::openSqlite(databasePath);
        if (!store)
            return fail(u"store: "_s + store.error());
        m_store = std::move(store).value();
        Webhook webhook;
        webhook.name = u"hardened"_s;
        webhook.methods = QStringList { u"POST"_s, u"PUT"_s };
        auto added = m_store->config().addWebhook(webhook);
        if (!added)
            return fail(u"webhook: "_s + added.error());
        m_webhook = *added;
        auto key = m_store->config().addKey(u"hardening key"_s);
        if (!key)
            return fail(u"key: "_s + key.error());
        m_key = *key;
        m_engine = std::make_unique<Engine>(Engine::sqliteFactory(databasePath));
        if (const Status opened = m_engine->open(); !opened)
            return fail(u"engine: "_s + opened.error());
        if (const Status started = m_engine->startReceiver(options); !started)
            return fail(u"receiver: "_s + started.error());
        return true;
    }

    void close()
    {
        m_engine.reset();
        m_store.reset();
    }

    QString error() const { return m_error; }
    QString databasePath() const { return m_path; }
    Engine *engine() const { return m_engine.get(); }
    Store *store() const { return m_store.get(); }
    Webhook &webhook() { return m_webhook; }
    const NewApiKey &key() const { return m_key; }
    QByteArray secret() const { return m_key.secret.toLatin1(); }
    quint16 port() const { return m_engine->receiver()->port(); }

    QByteArray target(QByteArrayView query = {}) const
    {
        QByteArray out = "/v1/data/webhook/" + m_webhook.id.toLatin1();
        if (!query.isEmpty())
            out += '?' + query.toByteArray();
        return out;
    }
    QByteArray keyQuery() const { return "api-key=" + secret(); }
    QByteArray acceptedRequest(QByteArrayView body = R"({"event":"signup","n":1})") const
    {
        return httpRequest("POST", target(keyQuery()), "Content-Type: application/json\r\n", body);
    }
    // Every logged row by id, read through the test's connection.
    QHash<qint64, LoggedRequest> rows() const
    {
        const auto rows = loggedRequests(*m_store);
        return rows ? *rows : QHash<qint64, LoggedRequest>();
    }

private:
    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }

    QString m_path;
    QString m_error;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Engine> m_engine;
    Webhook m_webhook;
    NewApiKey m_key;
};

inline ReceiverOptions baseOptions()
{
    ReceiverOptions options;
    options.address = QHostAddress(QHostAddress::LocalHost);
    options.port = 0;
    options.threads = 2;
    options.retryAfterSeconds = kRetryAfter;
    options.instance = u"hardening"_s;
    return options;
}

// What a run of requests on keep-alive connections was answered.
struct AnswerTally
{
    QList<qint64> acknowledged; // requestIds of 2xx answers
    QMap<QString, int> byReason;
    QStringList problems;

    void add(const std::optional<HttpAnswer> &answer)
    {
        if (!answer) {
            problems.append(u"no answer"_s);
            return;
        }
        if (const QString violation = contractViolation(*answer); !violation.isEmpty())
            problems.append(violation);
        byReason[answer->reason()] += 1;
        if (answer->status >= 200 && answer->status < 300)
            acknowledged.append(answer->requestId());
    }
    int count(const QString &reason) const { return byReason.value(reason); }
};

// The requestIds of acknowledged answers that have no row with status 200, listed.
inline QString missingFromLog(
    const QList<qint64> &acknowledged, const QHash<qint64, LoggedRequest> &rows)
{
    QStringList missing;
    for (const qint64 id : acknowledged) {
        const auto row = rows.constFind(id);
        if (row == rows.cend() || row->status != 200)
            missing.append(QString::number(id));
    }
    return missing.join(u',');
}

// The fixture of every hardening executable: a temporary folder for each test function, and
// the Site a test opens in it.
class HardeningTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

protected:
    bool openSite(const QString &databasePath, const ReceiverOptions &options);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Site> m_site;
};

inline void HardeningTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qInfo("descriptor limit: %llu", static_cast<unsigned long long>(raiseOpenFileLimit()));
}

inline void HardeningTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

inline void HardeningTest::cleanup()
{
    m_site.reset();
    m_dir.reset();
}

inline bool HardeningTest::openSite(const QString &databasePath, const ReceiverOptions &options)
{
    m_site = std::make_unique<Site>();
    if (m_site->open(databasePath, options))
        return true;
    qWarning("%s", qPrintable(m_site->error()));
    return false;
}

} // namespace Hooktrail::TestSupport
