// The console window opens offscreen and starts the embedded receiver, reporting a busy port
// and why requests are refused.
#include "core/base/diskspace.h"
#include "core/base/settings.h"
#include "core/receiver/engine.h"
#include "core/receiver/receiver.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "testsupport.h"
#include "ui/mainwindow.h"

#include <QLocale>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace Hooktrail;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void opensAndReceives()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Settings settings(dir.path());
        settings.setListen(QHostAddress::LocalHost, 0);
        Engine engine(Engine::sqliteFactory(settings.databasePath()));
        QVERIFY(engine.open().ok());
        StoreExecutor store(engine.storeFactory());
        MainWindow window({ &settings, &engine, &store });
        QVERIFY(window.startReceiver());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const quint16 port = engine.receiver()->port();
        QVERIFY(port != 0);
        QCOMPARE(
            window.receiverState(), QStringLiteral("Receiving on http://127.0.0.1:%1").arg(port));
        // The receiver runs on threads of its own, never the GUI thread.
        QVERIFY(engine.receiver()->thread() == QThread::currentThread());
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(probe.waitForConnected(2000));
    }

    void busyPortIsReportedNotFatal()
    {
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        QTemporaryDir dir;
        Settings settings(dir.path());
        settings.setListen(QHostAddress::LocalHost, occupier.serverPort());
        Engine engine(Engine::sqliteFactory(settings.databasePath()));
        QVERIFY(engine.open().ok());
        StoreExecutor store(engine.storeFactory());
        MainWindow window({ &settings, &engine, &store });
        QVERIFY(!window.startReceiver());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY2(window.receiverState().startsWith(
                     QStringLiteral("Not receiving: cannot listen on 127.0.0.1:%1")
                         .arg(occupier.serverPort())),
            qPrintable(window.receiverState()));
    }

    // Below the free space to keep, every request is answered 503: the status bar says so and
    // why, and goes back to where the receiver listens once requests are taken again.
    void statusBarSaysWhyRequestsAreRefused()
    {
        using namespace Hooktrail::TestSupport;
        constexpr qint64 GiB = 1024LL * 1024 * 1024;
        ConsoleFixture console;
        QVERIFY2(console.start(ConsoleFixture::ReceiverStart::Later), qPrintable(console.error()));
        Webhook webhook;
        webhook.name = QStringLiteral("refused");
        const auto added = console.store()->config().addWebhook(webhook);
        QVERIFY2(added, qPrintable(added.error()));
        const auto key = console.store()->config().addKey(QStringLiteral("refused"));
        QVERIFY2(key, qPrintable(key.error()));
        console.receiverFollows();
        MainWindow window({ console.settings(), console.engine(), console.executor() });
        QVERIFY(window.startReceiver());
        const QString listening = window.receiverState();
        QVERIFY2(listening.startsWith(QStringLiteral("Receiving on")), qPrintable(listening));
        const QString url = console.endpoint(added->id) + QStringLiteral("?api-key=") + key->secret;
        const QList<QPair<QByteArray, QByteArray>> json { { "Content-Type", "application/json" } };

        const qint64 free = DiskSpace::available(console.dataDir());
        QVERIFY(free > 0);
        console.engine()->setKeepFree(free + GiB);
        QCOMPARE(sendRequest(url, "POST", json, "{}").status, 503);
        QTRY_VERIFY_WITH_TIMEOUT(
            window.receiverState().startsWith(QStringLiteral("Refusing requests (503)")), 5000);
        QVERIFY2(window.receiverState().contains(QLocale().formattedDataSize(free + GiB)),
            qPrintable(window.receiverState()));

        console.engine()->setKeepFree(0);
        QCOMPARE(sendRequest(url, "POST", json, "{}").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(window.receiverState(), listening, 5000);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
