// The fixture the receiver's end-to-end tests derive from: a receiver on a real SQLite log in a
// temporary folder, with webhooks of every shape and one API key, and the test's own store
// connection to check what was logged.
#pragma once

#include "core/model/apikey.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/store.h"
#include "testsupport.h"

#include <QHash>
#include <QObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>
#include <optional>

namespace Hooktrail::TestSupport {

using namespace Qt::StringLiterals;

inline constexpr int kRetryAfter = 5;

class ReceiverTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

protected:
    ReceiverOptions baseOptions() const;
    void restartReceiver(const ReceiverOptions &options);
    quint16 port() const { return m_engine->receiver()->port(); }
    QByteArray target(const QString &hook, QByteArrayView query = {}) const;
    QByteArray keyQuery() const { return "api-key=" + m_key.secret.toLatin1(); }
    QByteArray acceptedRequest(const QString &hook = u"open"_s) const;
    std::optional<LoggedRequest> loggedRow(qint64 id) const;
    QList<LoggedRequest> allRows() const;
    // Checks the status line, the JSON body and that the row with the answer's requestId
    // holds the same outcome. Callers return when QTest::currentTestFailed().
    void checkAnswer(const std::optional<HttpAnswer> &answer, int status, const QString &reason,
        LoggedRequest *row = nullptr) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Store> m_store; // the test's own connection, on the test thread
    QHash<QString, Webhook> m_hooks;
    NewApiKey m_key;
};

inline void ReceiverTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

inline void ReceiverTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString path = m_dir->filePath(u"hooktrail.db"_s);
    m_engine = std::make_unique<Engine>(Engine::sqliteFactory(path));
    const Status opened = m_engine->open();
    QVERIFY2(opened.ok(), qPrintable(opened.error()));

    auto store = Store::openSqlite(path);
    QVERIFY2(store.ok(), qPrintable(store.error()));
    m_store = std::move(store).value();

    const auto add = [this](const QString &name, const std::function<void(Webhook &)> &shape) {
        Webhook webhook;
        webhook.name = name;
        shape(webhook);
        auto added = m_store->config().addWebhook(webhook);
        QVERIFY2(added.ok(), qPrintable(added.error()));
        m_hooks.insert(name, *added);
    };
    m_hooks.clear();
    add(u"open"_s, [](Webhook &w) { w.methods = QStringList { u"POST"_s, u"PUT"_s }; });
    add(u"other"_s, [](Webhook &) {});
    add(u"disabled"_s, [](Webhook &w) { w.enabled = false; });
    add(u"ip"_s, [](Webhook &w) { w.ipWhitelist = QStringList { u"203.0.113.0/24"_s }; });
    add(u"rules"_s, [](Webhook &w) { w.headerRules = { { u"X-Source"_s, u"crm"_s } }; });
    auto key = m_store->config().addKey(u"test key"_s);
    QVERIFY2(key.ok(), qPrintable(key.error()));
    m_key = *key;
    m_engine->config()->refresh();

    const Status started = m_engine->startReceiver(baseOptions());
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(port() != 0);
}

inline void ReceiverTest::cleanup()
{
    m_engine.reset();
    m_store.reset();
    m_dir.reset();
}

inline ReceiverOptions ReceiverTest::baseOptions() const
{
    ReceiverOptions options;
    options.address = QHostAddress(QHostAddress::LocalHost);
    options.port = 0;
    options.threads = 2;
    options.retryAfterSeconds = kRetryAfter;
    options.instance = u"test-receiver"_s;
    return options;
}

inline void ReceiverTest::restartReceiver(const ReceiverOptions &options)
{
    const Status started = m_engine->startReceiver(options);
    QVERIFY2(started.ok(), qPrintable(started.error()));
    QVERIFY(port() != 0);
}

inline QByteArray ReceiverTest::target(const QString &hook, QByteArrayView query) const
{
    QByteArray out;
    if (hook == u"route")
        out = "/v1/data/hooks/"_ba + m_hooks.value(u"open"_s).id.toLatin1();
    else if (hook == u"unknown")
        out = "/v1/data/webhook/"_ba + Webhook::newId().toLatin1();
    else
        out = "/v1/data/webhook/"_ba + m_hooks.value(hook).id.toLatin1();
    if (!query.isEmpty())
        out += '?' + query.toByteArray();
    return out;
}

inline QByteArray ReceiverTest::acceptedRequest(const QString &hook) const
{
    return httpRequest("POST", target(hook, keyQuery()), "Content-Type: application/json\r\n",
        R"({"event":"signup","n":1})");
}

inline std::optional<LoggedRequest> ReceiverTest::loggedRow(qint64 id) const
{
    RequestFilter filter;
    filter.beforeId = id + 1;
    filter.limit = 1;
    const auto rows = m_store->queries().requests(filter);
    if (!rows.ok() || rows->isEmpty() || rows->first().id != id)
        return std::nullopt;
    return rows->first();
}

inline QList<LoggedRequest> ReceiverTest::allRows() const
{
    RequestFilter filter;
    filter.limit = 100000;
    const auto rows = m_store->queries().requests(filter);
    return rows.ok() ? *rows : QList<LoggedRequest>();
}

inline void ReceiverTest::checkAnswer(const std::optional<HttpAnswer> &answer, int status,
    const QString &reason, LoggedRequest *row) const
{
    QVERIFY2(answer.has_value(), "no answer");
    QVERIFY2(answer->statusLine.startsWith("HTTP/1.1 " + QByteArray::number(status) + ' '),
        answer->statusLine.constData());
    QCOMPARE(answer->header("content-type"), "application/json"_ba);
    QCOMPARE(answer->header("content-length").toLongLong(), answer->body.size());
    const QJsonObject json = answer->json();
    QCOMPARE(json.keys(), (QStringList { u"reason"_s, u"requestId"_s, u"status"_s }));
    QCOMPARE(json.value(u"status"_s).toString(),
        status >= 200 && status < 300 ? u"accepted"_s : u"rejected"_s);
    QCOMPARE(json.value(u"reason"_s).toString(), reason);
    const qint64 id = answer->requestId();
    QVERIFY2(id > 0, answer->body.constData());
    const std::optional<LoggedRequest> logged = loggedRow(id);
    QVERIFY2(logged.has_value(), "the answer's requestId is not in the log");
    QCOMPARE(logged->status, status);
    QCOMPARE(logged->reason, reason.toLatin1());
    if (row)
        *row = *logged;
}

} // namespace Hooktrail::TestSupport
