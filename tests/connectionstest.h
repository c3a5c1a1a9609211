// The Connections page tests' fixture: the console's running parts (ConsoleFixture) and the page
// under test shown offscreen, with what those tests arrange and look for.
#pragma once

#include "core/store/store.h"
#include "testsupport.h"
#include "ui/connectionspage.h"
#include "ui/webhooklistmodel.h"

#include <QDir>
#include <QList>
#include <QStringList>
#include <QTest>
#include <memory>
#include <optional>

namespace Hooktrail::TestSupport {

// db is the test thread's own connection, for arranging log rows and checking.
class ConnectionsConsole final
{
    Q_DISABLE_COPY_MOVE(ConnectionsConsole)
public:
    ConnectionsConsole() = default;

    bool start(QString *error)
    {
        if (!fixture.start()) {
            *error = fixture.error();
            return false;
        }
        db = fixture.store();
        page = std::make_unique<ConnectionsPage>(
            ConsoleContext { fixture.settings(), fixture.engine(), fixture.executor() });
        page->resize(900, 500);
        page->show();
        return QTest::qWaitForWindowExposed(page.get());
    }

    // Adds through the executor, as the console does, so the page hears written().
    std::optional<Webhook> add(const Webhook &webhook)
    {
        std::optional<Result<Webhook>> added;
        QObject context;
        fixture.executor()->write(
            &context, [webhook](Store &s) { return s.config().addWebhook(webhook); },
            [&added](const Result<Webhook> &result) { added = result; });
        if (!QTest::qWaitFor([&] { return added.has_value(); }, 5000) || !*added)
            return std::nullopt;
        return added->value();
    }

    int rowOf(const QString &id) const { return page->model()->rowOf(id); }

    // The stored webhooks once everything queued on the store thread has run, so a write the
    // page queued would be in.
    QList<Webhook> stored() const
    {
        fixture.executor()->waitForIdle();
        return db->config().webhooks().value();
    }

    QString filePath(const QString &name) const { return QDir(fixture.dataDir()).filePath(name); }

    ConsoleFixture fixture;
    Store *db = nullptr;
    std::unique_ptr<ConnectionsPage> page; // declared last: gone before the parts it uses
};

inline Webhook webhookNamed(const QString &name, bool enabled = true)
{
    Webhook webhook;
    webhook.name = name;
    webhook.enabled = enabled;
    return webhook;
}

// A webhook with every kind of rule, to see rules shown or survive a copy.
inline Webhook ruledWebhook(const QString &name)
{
    Webhook webhook = webhookNamed(name);
    webhook.description = QStringLiteral("Orders from the shop");
    webhook.methods = { QStringLiteral("POST"), QStringLiteral("PUT") };
    webhook.headerRules = { { QStringLiteral("X-Shop"), QStringLiteral("main") },
        { QStringLiteral("X-Signature"), QStringLiteral("*") } };
    webhook.ipWhitelist = { QStringLiteral("10.0.0.0/8"), QStringLiteral("2001:db8::/32") };
    return webhook;
}

// The child of type T once it is shown, or null after timeoutMs.
template<typename T> T *waitForChild(QObject *parent, int timeoutMs = 5000)
{
    T *child = nullptr;
    const bool shown = QTest::qWaitFor(
        [&] {
            child = parent->findChild<T *>();
            return child && child->isVisible();
        },
        timeoutMs);
    return shown ? child : nullptr;
}

} // namespace Hooktrail::TestSupport
