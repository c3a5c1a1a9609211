// StoreExecutor: work gets a Store on the store thread; over a database that cannot be opened
// the work is never called and done hears why, and the console's pages show it.
#include "core/base/settings.h"
#include "core/receiver/engine.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/connectionspage.h"
#include "ui/consolecontext.h"
#include "ui/historypage.h"
#include "ui/keysmanager.h"
#include "ui/settingspage.h"

#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <optional>

using namespace Hooktrail;

class TestStoreExecutor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        m_dir.emplace();
        QVERIFY(m_dir->isValid());
        // Root writes through missing permissions but not through a regular file.
        QFile blocker(m_dir->filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        m_unopenable = m_dir->filePath(QStringLiteral("blocker/data/hooktrail.db"));
    }
    void cleanup() { m_dir.reset(); }

    void workRunsWithTheStore()
    {
        StoreExecutor executor(Engine::factoryFor(m_dir->filePath(QStringLiteral("ok.db"))));
        QSignalSpy written(&executor, &StoreExecutor::written);
        std::optional<Result<Webhook>> added;
        Webhook webhook;
        webhook.name = QStringLiteral("Orders");
        executor.write(
            this, [webhook](Store &store) { return store.config().addWebhook(webhook); },
            [&added](Result<Webhook> result) { added = std::move(result); });
        QTRY_VERIFY(added.has_value());
        QVERIFY2(added->ok(), qPrintable(added->error()));
        QTRY_COMPARE(written.count(), 1);

        std::optional<Result<QList<Webhook>>> listed;
        executor.read(
            this, [](Store &store) { return store.config().webhooks(); },
            [&listed](Result<QList<Webhook>> result) { listed = std::move(result); });
        QTRY_VERIFY(listed.has_value());
        QVERIFY2(listed->ok(), qPrintable(listed->error()));
        QCOMPARE(listed->value().size(), 1);
        QCOMPARE(listed->value().constFirst().id, added->value().id);
    }

    void unopenableDatabaseFailsWithoutWork_data()
    {
        QTest::addColumn<bool>("write");
        QTest::addRow("read") << false;
        QTest::addRow("write") << true;
    }

    void unopenableDatabaseFailsWithoutWork()
    {
        QFETCH(bool, write);
        StoreExecutor executor(Engine::factoryFor(m_unopenable));
        QSignalSpy written(&executor, &StoreExecutor::written);
        std::atomic<int> worked { 0 };
        std::optional<Result<qint64>> counted;
        std::optional<Status> revoked;
        const auto count = [&worked](Store &store) {
            ++worked;
            return store.queries().countRequests(RequestFilter());
        };
        const auto revoke = [&worked](Store &store) {
            ++worked;
            return store.config().revokeKey(QStringLiteral("abcd1234"));
        };
        if (write) {
            executor.write(this, count, [&counted](Result<qint64> r) { counted = std::move(r); });
            executor.write(this, revoke, [&revoked](Status s) { revoked = std::move(s); });
        } else {
            executor.read(this, count, [&counted](Result<qint64> r) { counted = std::move(r); });
            executor.read(this, revoke, [&revoked](Status s) { revoked = std::move(s); });
        }
        QTRY_VERIFY(counted.has_value() && revoked.has_value());
        QCOMPARE(worked.load(), 0);
        for (const QString &error : { counted->error(), revoked->error() }) {
            QVERIFY(!error.isEmpty());
            // Worded for the user: what failed, then the store's reason, which names the folder.
            QVERIFY2(error.startsWith(QStringLiteral("The database cannot be opened: ")),
                qPrintable(error));
            QVERIFY2(error.contains(QFileInfo(m_unopenable).absolutePath()), qPrintable(error));
        }
        QVERIFY(!counted->ok() && !revoked->ok());
        // A write that could not happen still tells its listeners, which then read again.
        QTRY_COMPARE(written.count(), write ? 2 : 0);
    }

    void opensOnceTheDatabaseCan()
    {
        StoreExecutor executor(Engine::factoryFor(m_unopenable));
        std::optional<Result<QList<Webhook>>> listed;
        const auto list = [](Store &store) { return store.config().webhooks(); };
        executor.read(this, list, [&listed](Result<QList<Webhook>> r) { listed = std::move(r); });
        QTRY_VERIFY(listed.has_value());
        QVERIFY(!listed->ok());

        // The obstacle removed, the next piece of work opens the database and runs.
        QVERIFY(QFile::remove(m_dir->filePath(QStringLiteral("blocker"))));
        listed.reset();
        executor.read(this, list, [&listed](Result<QList<Webhook>> r) { listed = std::move(r); });
        QTRY_VERIFY(listed.has_value());
        QVERIFY2(listed->ok(), qPrintable(listed->error()));
        QVERIFY(listed->value().isEmpty());
    }

    void pagesShowWhyTheDatabaseCannotBeOpened()
    {
        Settings settings(m_dir->filePath(QStringLiteral("settings")));
        StoreExecutor executor(Engine::factoryFor(m_unopenable));
        const ConsoleContext context { &settings, nullptr, &executor };
        ConnectionsPage connections(context);
        HistoryPage history(context);
        SettingsPage settingsPage(context);
        connections.show();
        history.show();
        settingsPage.show();
        const QString folder = QFileInfo(m_unopenable).absolutePath();
        const auto shows = [&folder](QLabel *label) {
            return label && label->isVisible()
                && label->text().contains(QStringLiteral("The database cannot be opened: "))
                && label->text().contains(folder);
        };
        QLabel *connectionsError = connections.findChild<QLabel *>(QStringLiteral("errorLabel"));
        QLabel *historyError = history.findChild<QLabel *>(QStringLiteral("errorLabel"));
        QLabel *keysProblem
            = settingsPage.keysManager()->findChild<QLabel *>(QStringLiteral("keysProblem"));
        QTRY_VERIFY2(shows(connectionsError),
            qPrintable(connectionsError ? connectionsError->text() : QStringLiteral("no label")));
        QTRY_VERIFY2(shows(historyError),
            qPrintable(historyError ? historyError->text() : QStringLiteral("no label")));
        QTRY_VERIFY2(shows(keysProblem),
            qPrintable(keysProblem ? keysProblem->text() : QStringLiteral("no label")));
        executor.waitForIdle();
    }

private:
    std::optional<QTemporaryDir> m_dir;
    QString m_unopenable;
};

QTEST_MAIN(TestStoreExecutor)
#include "tst_storeexecutor.moc"
