// The console window opens offscreen and starts the embedded receiver, reporting a busy port.
#include "engine.h"
#include "mainwindow.h"
#include "receiver.h"
#include "settings.h"
#include "storeexecutor.h"

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
        QCOMPARE(window.receiverState(), QStringLiteral("Receiving on http://127.0.0.1:%1").arg(port));
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
        QVERIFY2(window.receiverState().startsWith(QStringLiteral("Not receiving: cannot listen on 127.0.0.1:%1")
                                                       .arg(occupier.serverPort())),
                 qPrintable(window.receiverState()));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
