// The settings page and its API keys manager, against a real store and a real receiver.
#include "core/receiver/engine.h"
#include "core/store/store.h"
#include "testsupport.h"
#include "ui/apikeylistmodel.h"
#include "ui/endpointurl.h"
#include "ui/keysmanager.h"
#include "ui/mainwindow.h"
#include "ui/settingspage.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QtTest>
#include <sys/stat.h>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;

namespace {
template<typename T> T *child(const QObject *root, const QString &name)
{
    return root->findChild<T *>(name);
}

// Types into a field as a user would, whatever kind of field it is.
void setField(QWidget *field, const QVariant &value)
{
    if (auto *edit = qobject_cast<QLineEdit *>(field)) {
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Delete);
        QTest::keyClicks(edit, value.toString());
    } else if (auto *text = qobject_cast<QPlainTextEdit *>(field)) {
        text->setPlainText(value.toString());
    } else if (auto *spin = qobject_cast<QSpinBox *>(field)) {
        spin->setValue(value.toInt());
    } else if (auto *combo = qobject_cast<QComboBox *>(field)) {
        int index = combo->findData(value);
        if (index < 0) { // a retention's "Custom…" and the field for its number
            index = combo->findData(-1);
            auto *custom = combo->parentWidget()->findChild<QLineEdit *>(
                combo->objectName().replace(QStringLiteral("Combo"), QStringLiteral("Edit")));
            QVERIFY(index >= 0 && custom);
            combo->setCurrentIndex(index);
            setField(custom, value);
        }
        combo->setCurrentIndex(index);
    } else {
        QFAIL("unknown kind of field");
    }
}

// A port nothing listens on right now.
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

ApiKey key(qint64 id, const QString &name, bool revoked, const QDateTime &lastUsed = {})
{
    ApiKey k;
    k.id = id;
    k.name = name;
    k.prefix = QStringLiteral("htk_%1abcdefg").arg(id).left(12);
    k.hash = QByteArray(32, 'h');
    k.created = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
    k.lastUsed = lastUsed;
    k.revoked = revoked;
    return k;
}
} // namespace

class TestSettings : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void modelUnderTester()
    {
        ApiKeyListModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime used(QDate(2024, 6, 2), QTime(8, 30), Qt::UTC);
        model.setKeys({ key(1, QStringLiteral("Shop"), false, used),
            key(2, QStringLiteral("Old CRM"), true), key(3, QStringLiteral("Never used"), false) });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(ApiKeyListModel::ColumnCount));
        QCOMPARE(model.headerData(ApiKeyListModel::LastUsedColumn, Qt::Horizontal).toString(),
            QStringLiteral("Last used"));

        const auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
            return model.data(model.index(row, column), role);
        };
        QCOMPARE(cell(0, ApiKeyListModel::PrefixColumn).toString(), QStringLiteral("htk_1abcdefg"));
        QCOMPARE(cell(0, ApiKeyListModel::NameColumn).toString(), QStringLiteral("Shop"));
        QCOMPARE(cell(0, ApiKeyListModel::StateColumn).toString(), QStringLiteral("Active"));
        QCOMPARE(cell(1, ApiKeyListModel::StateColumn).toString(), QStringLiteral("Revoked"));
        QCOMPARE(cell(2, ApiKeyListModel::LastUsedColumn).toString(), QStringLiteral("Never"));
        QCOMPARE(cell(0, ApiKeyListModel::LastUsedColumn).toString(),
            QLocale().toString(used.toLocalTime(), QLocale::ShortFormat));
        QCOMPARE(cell(0, 0, ApiKeyListModel::LastUsedRole).toDateTime(), used);
        QVERIFY(cell(2, 0, ApiKeyListModel::LastUsedRole).toDateTime().isNull());
        QCOMPARE(cell(1, 3, ApiKeyListModel::RevokedRole).toBool(), true);
        QCOMPARE(cell(0, 4, ApiKeyListModel::RevokedRole).toBool(), false);
        QCOMPARE(cell(2, 0, ApiKeyListModel::IdRole).toLongLong(), 3);
        QCOMPARE(cell(1, 0, ApiKeyListModel::NameRole).toString(), QStringLiteral("Old CRM"));
        QVERIFY(cell(1, 1, Qt::ForegroundRole).isValid()); // revoked keys read as inactive
        QVERIFY(!cell(0, 1, Qt::ForegroundRole).isValid());
        QCOMPARE(model.rowOfPrefix(QStringLiteral("htk_2abcdefg")), 1);
        QCOMPARE(model.rowOfPrefix(QStringLiteral("htk_nothere")), -1);
        QVERIFY(model.keyAt(0).hash.isEmpty()); // nothing in the console needs the hashes

        model.setKeys({ key(2, QStringLiteral("Old CRM"), true) });
        QCOMPARE(model.rowCount(), 1);
        model.setKeys({});
        QCOMPARE(model.rowCount(), 0);
    }

    void applyEnabledOnlyWhenSomethingChanged()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        auto *apply = child<QPushButton>(&page, QStringLiteral("applyButton"));
        auto *days = child<QWidget>(&page, QStringLiteral("retentionDaysCombo"));
        QVERIFY(apply && days);
        QVERIFY(!apply->isEnabled());
        QVERIFY(!page.hasChanges());
        setField(days, 30);
        QVERIFY(apply->isEnabled());
        setField(days, 0);
        QVERIFY(!apply->isEnabled());
    }

    void invalidInputsBlockApply_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("problemLabel");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<QString>("fix");

        const QString address = QStringLiteral("listenAddressEdit");
        const QString addressProblem = QStringLiteral("listenAddressProblem");
        QTest::addRow("address out of range")
            << address << QStringLiteral("300.1.2.3") << addressProblem
            << QStringLiteral("'300.1.2.3' is not an IP address") << QStringLiteral("0.0.0.0");
        QTest::addRow("address host name")
            << address << QStringLiteral("localhost") << addressProblem
            << QStringLiteral("'localhost' is not an IP address") << QStringLiteral("::1");
        QTest::addRow("address range")
            << address << QStringLiteral("10.0.0.0/8") << addressProblem
            << QStringLiteral("'10.0.0.0/8' is not an IP address") << QStringLiteral("10.0.0.1");
        QTest::addRow("address empty")
            << address << QString() << addressProblem
            << QStringLiteral("Enter the address to listen on") << QStringLiteral("::");

        const QString url = QStringLiteral("publicBaseUrlEdit");
        const QString urlProblem = QStringLiteral("publicBaseUrlProblem");
        const QString goodUrl = QStringLiteral("https://hooks.example.com:8443/in");
        QTest::addRow("url scheme")
            << url << QStringLiteral("ftp://hooks.example.com") << urlProblem
            << QStringLiteral("must start with http:// or https://") << goodUrl;
        QTest::addRow("url without scheme")
            << url << QStringLiteral("hooks.example.com") << urlProblem
            << QStringLiteral("must start with http:// or https://") << goodUrl;
        QTest::addRow("url query")
            << url << QStringLiteral("https://hooks.example.com/in?token=1") << urlProblem
            << QStringLiteral("cannot have a query") << goodUrl;
        QTest::addRow("url fragment")
            << url << QStringLiteral("https://hooks.example.com/#top") << urlProblem
            << QStringLiteral("cannot have a fragment") << goodUrl;
        QTest::addRow("url credentials")
            << url << QStringLiteral("https://me:secret@hooks.example.com") << urlProblem
            << QStringLiteral("cannot hold a user name or password") << goodUrl;
        QTest::addRow("url no host") << url << QStringLiteral("http://") << urlProblem
                                     << QStringLiteral("needs a host name") << goodUrl;
        QTest::addRow("url bad port")
            << url << QStringLiteral("http://hooks.example.com:99999") << urlProblem
            << QStringLiteral("is not a valid URL") << goodUrl;

        const QString database = QStringLiteral("sharedDatabaseEdit");
        const QString databaseProblem = QStringLiteral("sharedDatabaseProblem");
        const QString goodDatabase
            = QStringLiteral("postgresql://hooktrail@db.example:5432/hooktrail");
        QTest::addRow("database password")
            << database << QStringLiteral("postgresql://hooktrail:s3cret@db.example/hooktrail")
            << databaseProblem << QStringLiteral("Leave the password out") << goodDatabase;
        QTest::addRow("database password with a slash")
            << database << QStringLiteral("postgresql://hooktrail:pa/ss@db.example/hooktrail")
            << databaseProblem << QStringLiteral("Leave the password out") << goodDatabase;
        QTest::addRow("database password in the query")
            << database
            << QStringLiteral("postgresql://hooktrail@db.example/hooktrail?password=s3cret")
            << databaseProblem << QStringLiteral("Leave the password out") << goodDatabase;
        QTest::addRow("database not PostgreSQL")
            << database << QStringLiteral("mysql://db.example/hooktrail") << databaseProblem
            << QStringLiteral("Expected postgresql://user@host") << goodDatabase;
        QTest::addRow("database without a name")
            << database << QStringLiteral("postgresql://hooktrail@db.example/") << databaseProblem
            << QStringLiteral("Expected postgresql://user@host") << goodDatabase;

        const QString proxies = QStringLiteral("trustedProxiesEdit");
        const QString proxiesProblem = QStringLiteral("trustedProxiesProblem");
        QTest::addRow("proxy bad prefix")
            << proxies << QStringLiteral("10.0.0.0/8\n192.168.0.0/99") << proxiesProblem
            << QStringLiteral("Line 2, '192.168.0.0/99': prefix length must be 0 to 32")
            << QStringLiteral("10.0.0.0/8\n192.168.0.0/16");
        QTest::addRow("proxy host name")
            << proxies << QStringLiteral("10.0.0.1\n\n  proxy.local  ") << proxiesProblem
            << QStringLiteral("Line 3, 'proxy.local'")
            << QStringLiteral("10.0.0.1\n\n2001:db8::/32");
    }

    void invalidInputsBlockApply()
    {
        QFETCH(QString, field);
        QFETCH(QString, input);
        QFETCH(QString, problemLabel);
        QFETCH(QString, problem);
        QFETCH(QString, fix);

        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *apply = child<QPushButton>(&page, QStringLiteral("applyButton"));
        auto *widget = child<QWidget>(&page, field);
        auto *label = child<QLabel>(&page, problemLabel);
        auto *status = child<QLabel>(&page, QStringLiteral("applyStatusLabel"));
        QVERIFY(apply && widget && label && status);
        QVERIFY(!label->isVisible());

        // Another, valid change does not make the invalid one acceptable.
        setField(child<QWidget>(&page, QStringLiteral("retentionCountCombo")), 5000);
        setField(widget, input);
        QVERIFY(!apply->isEnabled());
        QVERIFY(label->isVisible());
        QVERIFY2(label->text().contains(problem), qPrintable(label->text()));
        QVERIFY2(status->text().contains(QStringLiteral("Fix the problems")),
            qPrintable(status->text()));
        page.apply(); // the shortcut or Return must not get around the check either
        QCOMPARE(console.settings()->retentionCount(), 0);

        setField(widget, fix);
        QVERIFY(!label->isVisible());
        QVERIFY(apply->isEnabled());
        QSignalSpy restarts(&page, &SettingsPage::receiverSettingsChanged);
        QTest::mouseClick(apply, Qt::LeftButton);
        // A new retention is stored once the store has counted what it deletes (nothing here).
        QTRY_COMPARE_WITH_TIMEOUT(console.settings()->retentionCount(), 5000, 30000);
        // Neither the copied endpoints' base nor the database (at the next start) restart it.
        QCOMPARE(restarts.count(),
            field == QStringLiteral("publicBaseUrlEdit")
                    || field == QStringLiteral("sharedDatabaseEdit")
                ? 0
                : 1);
        QVERIFY(!apply->isEnabled());
    }

    void applyPersists()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        QSignalSpy restarts(&page, &SettingsPage::receiverSettingsChanged);
        QSignalSpy changed(console.settings(), &Settings::changed);

        setField(
            child<QWidget>(&page, QStringLiteral("listenAddressEdit")), QStringLiteral("0.0.0.0"));
        setField(child<QWidget>(&page, QStringLiteral("portSpin")), 9191);
        setField(child<QWidget>(&page, QStringLiteral("publicBaseUrlEdit")),
            QStringLiteral("https://hooks.example.com/in/"));
        setField(child<QWidget>(&page, QStringLiteral("bodyLimitSpin")), 25);
        setField(child<QWidget>(&page, QStringLiteral("idleTimeoutSpin")), 7);
        setField(child<QWidget>(&page, QStringLiteral("trustedProxiesEdit")),
            QStringLiteral(" 10.0.0.0/8\n\n2001:db8::1 \n"));
        setField(child<QWidget>(&page, QStringLiteral("retentionDaysCombo")), 14);
        setField(child<QWidget>(&page, QStringLiteral("retentionCountCombo")), 250000);
        setField(child<QWidget>(&page, QStringLiteral("languageCombo")), QStringLiteral("fr"));
        setField(child<QWidget>(&page, QStringLiteral("sharedDatabaseEdit")),
            QStringLiteral(" postgresql://hooktrail@db.example:5432/hooktrail "));
        QCOMPARE(changed.count(), 0); // nothing is stored before Apply
        QTest::mouseClick(child<QPushButton>(&page, QStringLiteral("applyButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!page.hasChanges(), 30000); // once the retention is counted
        QCOMPARE(restarts.count(), 1);
        QVERIFY(!page.hasChanges());

        Settings reread(console.dataDir());
        QCOMPARE(reread.listenAddress(), QHostAddress(QHostAddress::AnyIPv4));
        QCOMPARE(reread.listenPort(), quint16(9191));
        QCOMPARE(reread.publicBaseUrl(), QStringLiteral("https://hooks.example.com/in"));
        QCOMPARE(reread.maxBodyBytes(), qint64(25) * 1024 * 1024);
        QCOMPARE(reread.idleTimeoutMs(), 7000);
        QCOMPARE(reread.trustedProxies(),
            (QStringList { QStringLiteral("10.0.0.0/8"), QStringLiteral("2001:db8::1") }));
        QCOMPARE(reread.retentionDays(), 14);
        QCOMPARE(reread.retentionCount(), qint64(250000));
        QCOMPARE(reread.language(), QStringLiteral("fr"));
        QCOMPARE(reread.sharedDatabase(),
            QStringLiteral("postgresql://hooktrail@db.example:5432/hooktrail"));
        if (qEnvironmentVariableIsEmpty("HOOKTRAIL_DATABASE"))
            QCOMPARE(reread.database(), reread.sharedDatabase());
        QCOMPARE(reread.receiverOptions().trustedProxies.size(), 2);
        QVERIFY2(child<QLabel>(&page, QStringLiteral("applyStatusLabel"))
                     ->text()
                     .contains(QStringLiteral("restarts")),
            qPrintable(child<QLabel>(&page, QStringLiteral("applyStatusLabel"))->text()));
        // The stored, normalized form is what the page shows now.
        QCOMPARE(child<QLineEdit>(&page, QStringLiteral("publicBaseUrlEdit"))->text(),
            QStringLiteral("https://hooks.example.com/in"));
    }

    void restartOnlyForReceiverSettings_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<bool>("restart");
        QTest::addRow("address") << QStringLiteral("listenAddressEdit")
                                 << QVariant(QStringLiteral("::1")) << true;
        QTest::addRow("port") << QStringLiteral("portSpin") << QVariant(8485) << true;
        QTest::addRow("body limit") << QStringLiteral("bodyLimitSpin") << QVariant(1) << true;
        QTest::addRow("idle timeout") << QStringLiteral("idleTimeoutSpin") << QVariant(300) << true;
        QTest::addRow("trusted proxies") << QStringLiteral("trustedProxiesEdit")
                                         << QVariant(QStringLiteral("192.0.2.0/24")) << true;
        QTest::addRow("public base url") << QStringLiteral("publicBaseUrlEdit")
                                         << QVariant(QStringLiteral("http://tunnel.test")) << false;
        QTest::addRow("retention days")
            << QStringLiteral("retentionDaysCombo") << QVariant(7) << false;
        QTest::addRow("retention count")
            << QStringLiteral("retentionCountCombo") << QVariant(1000) << false;
        QTest::addRow("language") << QStringLiteral("languageCombo")
                                  << QVariant(QStringLiteral("en")) << false;
        QTest::addRow("keep free") << QStringLiteral("keepFreeSpin") << QVariant(1024) << false;
    }

    void restartOnlyForReceiverSettings()
    {
        QFETCH(QString, field);
        QFETCH(QVariant, value);
        QFETCH(bool, restart);
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        QSignalSpy restarts(&page, &SettingsPage::receiverSettingsChanged);
        QSignalSpy changed(console.settings(), &Settings::changed);
        setField(child<QWidget>(&page, field), value);
        QVERIFY(page.hasChanges());
        QTest::mouseClick(child<QPushButton>(&page, QStringLiteral("applyButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!page.hasChanges(), 30000); // a retention is counted first
        QCOMPARE(restarts.count(), restart ? 1 : 0);
        QCOMPARE(changed.count(), 1); // only the edited field is written
        QVERIFY(!page.hasChanges());
    }

    // The free space kept on the database's disk: 512 MiB unless set, in MiB on the page, 0
    // for no floor; applied, it is what the settings file holds.
    void keepFreeOnDisk()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        auto *spin = child<QSpinBox>(&page, QStringLiteral("keepFreeSpin"));
        QVERIFY(spin);
        QCOMPARE(spin->value(), 512);
        QCOMPARE(console.settings()->keepFreeBytes(), qint64(512) * 1024 * 1024);
        QVERIFY(!spin->accessibleName().isEmpty());
        QVERIFY(!spin->toolTip().isEmpty());

        setField(spin, 0);
        QCOMPARE(spin->text(), QStringLiteral("No floor"));
        QTest::mouseClick(child<QPushButton>(&page, QStringLiteral("applyButton")), Qt::LeftButton);
        QCOMPARE(Settings(console.dataDir()).keepFreeBytes(), qint64(0));

        setField(spin, 2048);
        QVERIFY(page.hasChanges());
        QTest::mouseClick(child<QPushButton>(&page, QStringLiteral("applyButton")), Qt::LeftButton);
        QVERIFY(!page.hasChanges());
        QCOMPARE(Settings(console.dataDir()).keepFreeBytes(), qint64(2048) * 1024 * 1024);
    }

    void changesStoredElsewhereAreShown()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        auto *days = child<QComboBox>(&page, QStringLiteral("retentionDaysCombo"));
        auto *daysEdit = child<QLineEdit>(&page, QStringLiteral("retentionDaysEdit"));
        auto *count = child<QComboBox>(&page, QStringLiteral("retentionCountCombo"));
        console.settings()->setRetention(30, 0);
        QCOMPARE(days->currentData().toInt(), 30);
        QVERIFY(!page.hasChanges());
        // An edit in progress is not overwritten, and stays an edit.
        setField(count, 10000);
        console.settings()->setRetention(10, 0);
        QCOMPARE(count->currentData().toInt(), 10000);
        QCOMPARE(days->currentData().toInt(), 30);
        QVERIFY(page.hasChanges());
        child<QPushButton>(&page, QStringLiteral("revertButton"))->click();
        QCOMPARE(days->currentData().toInt(), -1); // 10 is no preset: "Custom…" with 10
        QCOMPARE(daysEdit->text(), QStringLiteral("10"));
        QCOMPARE(count->currentData().toInt(), 0);
        QVERIFY(!page.hasChanges());
    }

    void portChangeRestartsReceiver()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        MainWindow window({ console.settings(), console.engine(), console.executor() });
        QVERIFY(window.startReceiver());
        window.showPage(MainWindow::Page::Settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SettingsPage *page = window.settingsPage();
        auto *outcome = child<QLabel>(page, QStringLiteral("receiverOutcomeLabel"));
        const quint16 oldPort = console.port();
        QCOMPARE(outcome->text(), QStringLiteral("Receiving on http://127.0.0.1:%1").arg(oldPort));

        const quint16 newPort = freePort();
        QVERIFY(newPort != 0 && newPort != oldPort);
        setField(child<QWidget>(page, QStringLiteral("portSpin")), newPort);
        QTest::mouseClick(child<QPushButton>(page, QStringLiteral("applyButton")), Qt::LeftButton);

        QCOMPARE(console.engine()->receiver()->port(), newPort);
        QCOMPARE(window.receiverState(),
            QStringLiteral("Receiving on http://127.0.0.1:%1").arg(newPort));
        QCOMPARE(outcome->text(), window.receiverState());
        QVERIFY(!child<QLabel>(page, QStringLiteral("receiverProblem"))->isVisible());
        QCOMPARE(Settings(console.dataDir()).listenPort(), newPort);

        const HttpAnswer answer
            = sendRequest(QStringLiteral("http://127.0.0.1:%1/nowhere").arg(newPort), "GET");
        QCOMPARE(answer.status, 404);
        QCOMPARE(answer.reason(), QStringLiteral("unknown_route"));
        QTcpSocket old;
        old.connectToHost(QHostAddress::LocalHost, oldPort);
        QVERIFY(!old.waitForConnected(2000)); // restarted, not a second listener
    }

    // Settings → Local API turns the API on where the user says, and off again; a token the
    // command line made opens it.
    void apiTurnsOnAndOff()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        MainWindow window({ console.settings(), console.engine(), console.executor() });
        QVERIFY(window.startReceiver());
        QVERIFY(window.startApi());
        QCOMPARE(window.apiPort(), quint16(0)); // off by default
        window.showPage(MainWindow::Page::Settings);
        SettingsPage *page = window.settingsPage();
        auto *outcome = child<QLabel>(page, QStringLiteral("apiOutcomeLabel"));
        auto *listen = child<QLineEdit>(page, QStringLiteral("apiListenEdit"));
        auto *apply = child<QPushButton>(page, QStringLiteral("applyButton"));
        QCOMPARE(listen->text(), QStringLiteral("127.0.0.1:8485"));
        QVERIFY(!listen->isEnabled());

        child<QCheckBox>(page, QStringLiteral("apiEnabledCheck"))->setChecked(true);
        QVERIFY(listen->isEnabled());
        listen->setText(QStringLiteral("127.0.0.1:http"));
        QVERIFY(!apply->isEnabled());
        QVERIFY(
            child<QLabel>(page, QStringLiteral("apiListenProblem"))->text().contains(u"ADDR:PORT"));
        const quint16 port = freePort();
        listen->setText(QStringLiteral("127.0.0.1:%1").arg(port));
        QVERIFY(apply->isEnabled());
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(window.apiPort(), port);
        QCOMPARE(
            outcome->text(), QStringLiteral("Serving on http://127.0.0.1:%1/api/v1/").arg(port));
        QVERIFY(Settings(console.dataDir()).apiEnabled());

        const QString url = QStringLiteral("http://127.0.0.1:%1/api/v1/webhooks").arg(port);
        QCOMPARE(sendRequest(url, "GET").status, 401);
        Result<std::unique_ptr<Store>> store
            = Engine::factoryFor(Settings(console.dataDir()).database())();
        QVERIFY(store);
        const Result<NewApiToken> token = (*store)->tokens().addToken(QStringLiteral("gui"), true);
        QVERIFY(token);
        const HttpAnswer answer = sendRequest(
            url, "GET", { { "Authorization", "Bearer " + token->secret.toLatin1() } });
        QCOMPARE(answer.status, 200);
        QVERIFY(answer.json().contains(QStringLiteral("webhooks")));

        child<QCheckBox>(page, QStringLiteral("apiEnabledCheck"))->setChecked(false);
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(window.apiPort(), quint16(0));
        QCOMPARE(outcome->text(), QStringLiteral("Off."));
        QTcpSocket gone;
        gone.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(!gone.waitForConnected(2000));
    }

    // Settings → Receiver: a self-signed pair made from the page, applied, turns the port to
    // HTTPS and the endpoints to https://; a key that is not the certificate's is named.
    void tlsTurnsHttpsOn()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        MainWindow window({ console.settings(), console.engine(), console.executor() });
        QVERIFY(window.startReceiver());
        window.showPage(MainWindow::Page::Settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SettingsPage *page = window.settingsPage();
        auto *certificate = child<QLineEdit>(page, QStringLiteral("tlsCertificateEdit"));
        auto *key = child<QLineEdit>(page, QStringLiteral("tlsKeyEdit"));
        auto *problem = child<QLabel>(page, QStringLiteral("tlsProblem"));
        auto *apply = child<QPushButton>(page, QStringLiteral("applyButton"));
        const ConsoleContext context { console.settings(), console.engine(), console.executor() };
        QVERIFY(consoleBaseUrl(context).startsWith(u"http://"));

        QTest::mouseClick(
            child<QPushButton>(page, QStringLiteral("selfSignedButton")), Qt::LeftButton);
        QInputDialog *host = nullptr;
        QTRY_VERIFY(
            (host = page->findChild<QInputDialog *>(QStringLiteral("selfSignedHostDialog"))));
        QCOMPARE(host->textValue(), QStringLiteral("localhost"));
        host->accept();
        QTRY_VERIFY(!certificate->text().isEmpty());
        QCOMPARE(QFile::permissions(key->text())
                & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
            QFile::Permissions());
        QVERIFY(problem->text().isEmpty());

        // One file alone, then a key that is not the certificate's: named, not applied.
        const QString pairKey = key->text();
        key->clear();
        QVERIFY(!apply->isEnabled());
        QVERIFY(problem->text().contains(u"both"));
        key->setText(certificate->text());
        QVERIFY(!apply->isEnabled());
        QVERIFY2(problem->text().contains(u"no unencrypted PEM private key"),
            qPrintable(problem->text()));
        key->setText(pairKey);
        QVERIFY(problem->text().isEmpty());
        QVERIFY(apply->isEnabled());

        QSignalSpy restarted(&window, &MainWindow::receiverRestarted);
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY(restarted.count() > 0);
        const Receiver *receiver = console.engine()->receiver();
        QVERIFY(receiver->isListening());
        QCOMPARE(receiver->tlsPort(), receiver->port());
        QCOMPARE(
            consoleBaseUrl(context), QStringLiteral("https://127.0.0.1:%1").arg(receiver->port()));
        QCOMPARE(Settings(console.dataDir()).tlsKeyFile(), pairKey);

        // The port speaks TLS with the certificate the page made.
        QFile file(certificate->text());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QSslSocket socket;
        QSslConfiguration trusting = socket.sslConfiguration();
        trusting.addCaCertificates(QSslCertificate::fromData(file.readAll()));
        socket.setSslConfiguration(trusting);
        socket.connectToHostEncrypted(QStringLiteral("localhost"), receiver->port());
        QVERIFY2(socket.waitForEncrypted(10000), qPrintable(socket.errorString()));
        QVERIFY(ownAuthorities(context).contains(socket.peerCertificate()));
    }

    void busyPortIsReportedNotFatal()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        MainWindow window({ console.settings(), console.engine(), console.executor() });
        QVERIFY(window.startReceiver());
        window.showPage(MainWindow::Page::Settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        SettingsPage *page = window.settingsPage();
        auto *problem = child<QLabel>(page, QStringLiteral("receiverProblem"));
        auto *apply = child<QPushButton>(page, QStringLiteral("applyButton"));
        auto *port = child<QSpinBox>(page, QStringLiteral("portSpin"));

        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        QSignalSpy restarted(&window, &MainWindow::receiverRestarted);
        setField(port, occupier.serverPort());
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(restarted.count(), 1);
        QCOMPARE(restarted.first().first().toBool(), false);
        const QString cannot
            = QStringLiteral("cannot listen on 127.0.0.1:%1").arg(occupier.serverPort());
        QVERIFY2(window.receiverState().startsWith(QStringLiteral("Not receiving: ") + cannot),
            qPrintable(window.receiverState()));
        QVERIFY(problem->isVisible());
        QVERIFY2(problem->text().contains(cannot), qPrintable(problem->text()));
        QVERIFY(window.isVisible());

        // The window still works: another port brings the receiver back.
        setField(port, 0);
        QVERIFY(apply->isEnabled());
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(restarted.count(), 2);
        QCOMPARE(restarted.last().first().toBool(), true);
        QVERIFY(!problem->isVisible());
        QVERIFY(console.engine()->receiver()->isListening());
        const HttpAnswer answer
            = sendRequest(QStringLiteral("http://127.0.0.1:%1/").arg(console.port()), "GET");
        QCOMPARE(answer.status, 404);
    }

    void createdKeyIsShownOnceAndListed()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        KeysManager *keys = page.keysManager();
        QCOMPARE(keys->objectName(), QStringLiteral("keysManager"));
        QAbstractItemModelTester tester(
            keys->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *name = child<QLineEdit>(keys, QStringLiteral("keyNameEdit"));
        auto *create = child<QPushButton>(keys, QStringLiteral("createKeyButton"));
        auto *panel = child<QWidget>(keys, QStringLiteral("newKeyPanel"));
        auto *secretEdit = child<QLineEdit>(keys, QStringLiteral("newKeyEdit"));
        QVERIFY(name && create && panel && secretEdit);
        QVERIFY(!create->isEnabled()); // a key needs a name
        QVERIFY(!panel->isVisible());

        QTest::keyClicks(name, QStringLiteral("Shop sender"));
        QVERIFY(create->isEnabled());
        QTest::mouseClick(create, Qt::LeftButton);
        QTRY_VERIFY(panel->isVisible());
        const QString secret = secretEdit->text();
        QVERIFY2(
            secret.startsWith(QStringLiteral("htk_")) && secret.size() > 40, qPrintable(secret));
        QVERIFY(secretEdit->isReadOnly());
        QVERIFY(child<QLabel>(keys, QStringLiteral("newKeyWarning"))
                    ->text()
                    .contains(QStringLiteral("Copy this key now; Hooktrail keeps only its hash")));
        QVERIFY(name->text().isEmpty());

        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(
            child<QPushButton>(keys, QStringLiteral("copyKeyButton")), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), secret);
        QVERIFY(!child<QLabel>(keys, QStringLiteral("copyKeyFeedback"))->text().isEmpty());

        // Listed by prefix, and nowhere in the list in full.
        const QString prefix = ApiKeys::prefixOf(secret);
        QTRY_VERIFY(keys->model()->rowOfPrefix(prefix) >= 0);
        const int row = keys->model()->rowOfPrefix(prefix);
        QCOMPARE(
            keys->model()->data(keys->model()->index(row, ApiKeyListModel::NameColumn)).toString(),
            QStringLiteral("Shop sender"));
        QCOMPARE(
            keys->model()->data(keys->model()->index(row, ApiKeyListModel::StateColumn)).toString(),
            QStringLiteral("Active"));
        for (int column = 0; column < keys->model()->columnCount(); ++column) {
            for (int role : { int(Qt::DisplayRole), int(Qt::ToolTipRole),
                     int(ApiKeyListModel::PrefixRole), int(ApiKeyListModel::NameRole) })
                QVERIFY(!keys->model()
                             ->data(keys->model()->index(row, column), role)
                             .toString()
                             .contains(secret));
        }

        // Once dismissed, the key is gone from the console for good.
        QTest::mouseClick(
            child<QPushButton>(keys, QStringLiteral("dismissKeyButton")), Qt::LeftButton);
        QVERIFY(!panel->isVisible());
        QVERIFY(secretEdit->text().isEmpty());
        auto stored = console.store()->config().keys();
        QVERIFY(stored.ok());
        QCOMPARE(stored->size(), 1);
        QCOMPARE(stored->first().hash, ApiKeys::hash(secret.toLatin1()));
    }

    void createdKeyAcceptedUntilRevoked()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        MainWindow window({ console.settings(), console.engine(), console.executor() });
        QVERIFY(window.startReceiver());
        window.showPage(MainWindow::Page::Settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        KeysManager *keys = window.settingsPage()->keysManager();
        QAbstractItemModelTester tester(
            keys->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        // The webhook goes through the console's store executor, as the Connections page does it.
        std::optional<Result<Webhook>> added;
        Webhook draft;
        draft.name = QStringLiteral("Orders");
        console.executor()->write(
            this, [draft](Store &store) { return store.config().addWebhook(draft); },
            [&added](Result<Webhook> result) { added = std::move(result); });
        QTRY_VERIFY(added.has_value());
        QVERIFY2(added->ok(), qPrintable(added->error()));
        const QString webhookId = added->value().id;

        QTest::keyClicks(
            child<QLineEdit>(keys, QStringLiteral("keyNameEdit")), QStringLiteral("Orders sender"));
        QTest::keyClick(child<QLineEdit>(keys, QStringLiteral("keyNameEdit")), Qt::Key_Return);
        auto *secretEdit = child<QLineEdit>(keys, QStringLiteral("newKeyEdit"));
        QTRY_VERIFY(!secretEdit->text().isEmpty());
        const QString secret = secretEdit->text();
        const QString prefix = ApiKeys::prefixOf(secret);

        const QString url = console.settings()->endpoint(webhookId, console.port())
            + QStringLiteral("?api-key=") + secret;
        const auto post = [&url] {
            return sendRequest(
                url, "POST", { { "Content-Type", "application/json" } }, R"({"order": 1})");
        };
        HttpAnswer answer = post();
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.reason(), QStringLiteral("accepted"));

        auto *view = child<QTableView>(keys, QStringLiteral("keysView"));
        auto *revoke = child<QPushButton>(keys, QStringLiteral("revokeKeyButton"));
        QTRY_VERIFY(keys->model()->rowOfPrefix(prefix) >= 0);
        QVERIFY(!revoke->isEnabled()); // nothing selected yet
        view->selectRow(keys->model()->rowOfPrefix(prefix));
        QVERIFY(revoke->isEnabled());

        // Cancelling the confirmation changes nothing.
        QTest::mouseClick(revoke, Qt::LeftButton);
        QPointer<QMessageBox> box = child<QMessageBox>(keys, QStringLiteral("revokeConfirmation"));
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        QCOMPARE(box->text(),
            QStringLiteral("Revoke key %1 (Orders sender)? Senders using it will be refused.")
                .arg(prefix));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(box.isNull());
        answer = post();
        QCOMPARE(answer.status, 200);

        // Confirming revokes it, and the receiver refuses the key from then on.
        QTest::mouseClick(revoke, Qt::LeftButton);
        box = child<QMessageBox>(keys, QStringLiteral("revokeConfirmation"));
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        child<QPushButton>(box, QStringLiteral("confirmRevokeButton"))->click();
        QTRY_VERIFY(keys->model()->keyAt(keys->model()->rowOfPrefix(prefix)).revoked);
        QCOMPARE(keys->model()
                     ->data(keys->model()->index(
                         keys->model()->rowOfPrefix(prefix), ApiKeyListModel::StateColumn))
                     .toString(),
            QStringLiteral("Revoked"));
        QVERIFY(!revoke->isEnabled());
        answer = post();
        QCOMPARE(answer.status, 401);
        QCOMPARE(answer.reason(), QStringLiteral("invalid_api_key"));
    }

    void sharedDatabaseRefusesEveryPassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addRow("user:password@")
            << QStringLiteral("postgresql://hooktrail:s3cret@db.example/hooktrail");
        QTest::addRow("a slash in the password")
            << QStringLiteral("postgresql://hooktrail:s3c/ret@db.example/hooktrail");
        QTest::addRow("a port-like password with a slash")
            << QStringLiteral("postgresql://hooktrail:5432/s3cret@db.example/hooktrail");
        QTest::addRow("? and @ in the password")
            << QStringLiteral("postgres://hooktrail:s3?c@ret@db.example:5433/hooktrail");
        QTest::addRow("?password=")
            << QStringLiteral("postgresql://hooktrail@db.example/hooktrail?password=s3cret");
        QTest::addRow("&password= among others")
            << QStringLiteral("postgresql://db.example/hooktrail?sslmode=require&password=s3cret");
        QTest::addRow("?sslpassword=")
            << QStringLiteral("postgresql://db.example/hooktrail?SSLPASSWORD=s3cret");
        QTest::addRow("percent-encoded name")
            << QStringLiteral("postgresql://db.example/hooktrail?pass%77ord=s3cret");
    }

    void sharedDatabaseRefusesEveryPassword()
    {
        QFETCH(QString, url);
        QVERIFY2(Settings::sharedDatabaseProblem(url).contains(QStringLiteral("password")),
            qPrintable(Settings::sharedDatabaseProblem(url)));
        QVERIFY(Store::urlHasPassword(url));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            Settings settings(dir.path());
            settings.setSharedDatabase(QStringLiteral("postgresql://me@db.example/kept"));
            settings.setSharedDatabase(url);
            QCOMPARE(settings.sharedDatabase(), QStringLiteral("postgresql://me@db.example/kept"));
            // Shown anywhere (messages, the settings page), the password is not there.
            settings.setDatabase(url);
            QVERIFY2(!settings.describeDatabase().contains(QStringLiteral("ret")),
                qPrintable(settings.describeDatabase()));
            QVERIFY2(!settings.databaseForDisplay().contains(QStringLiteral("ret")),
                qPrintable(settings.databaseForDisplay()));
        }
        QFile ini(dir.filePath(QStringLiteral("hooktrail.ini")));
        QVERIFY(ini.open(QIODevice::ReadOnly));
        QVERIFY(!ini.readAll().contains("ret"));
    }

    void consoleStateKeepsItsKeys()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString ini = dir.filePath(QStringLiteral("hooktrail.ini"));
        {
            // A file from before the state went through Settings: its values are read.
            QSettings earlier(ini, QSettings::IniFormat);
            earlier.setValue(QStringLiteral("window/geometry"), QByteArray("geometry-1"));
            earlier.setValue(QStringLiteral("window/page"), 2);
            earlier.setValue(QStringLiteral("history/splitter"), QByteArray("splitter-1"));
            earlier.setValue(QStringLiteral("history/columns"), QByteArray("columns-1"));
        }
        {
            Settings settings(dir.path());
            QCOMPARE(settings.windowGeometry(), QByteArray("geometry-1"));
            QCOMPARE(settings.windowPage(), 2);
            QCOMPARE(settings.historySplitterState(), QByteArray("splitter-1"));
            QCOMPARE(settings.historyColumnsState(), QByteArray("columns-1"));
            // Layout is not configuration: nothing restarts when it moves.
            QSignalSpy changed(&settings, &Settings::changed);
            settings.setWindowGeometry("geometry-2");
            settings.setWindowPage(1);
            settings.setHistorySplitterState("splitter-2");
            settings.setHistoryColumnsState("columns-2");
            QCOMPARE(changed.count(), 0);
        }
        QSettings later(ini, QSettings::IniFormat);
        QCOMPARE(
            later.value(QStringLiteral("window/geometry")).toByteArray(), QByteArray("geometry-2"));
        QCOMPARE(later.value(QStringLiteral("window/page")).toInt(), 1);
        QCOMPARE(later.value(QStringLiteral("history/splitter")).toByteArray(),
            QByteArray("splitter-2"));
        QCOMPARE(
            later.value(QStringLiteral("history/columns")).toByteArray(), QByteArray("columns-2"));
        QCOMPARE(
            QFile(ini).permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());
    }

    void dataFolderIsPrivate()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const auto mode = [](const QString &path) {
            struct stat status;
            return ::stat(QFile::encodeName(path).constData(), &status) == 0
                ? unsigned(status.st_mode & 07777)
                : 0u;
        };
        // Made by Settings when it first writes: 0700, the file 0600.
        const QString fresh = root.filePath(QStringLiteral("fresh/data"));
        {
            Settings settings(fresh);
            settings.setRetention(3, 0);
        }
        QCOMPARE(mode(fresh), 0700u);
        QCOMPARE(mode(fresh + QStringLiteral("/hooktrail.ini")), 0600u);

        // Open to others from before: closed on start, and said.
        const QString old = root.filePath(QStringLiteral("old"));
        QVERIFY(QDir().mkdir(old));
        QVERIFY(::chmod(QFile::encodeName(old).constData(), 0755) == 0);
        QFile ini(old + QStringLiteral("/hooktrail.ini"));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[retention]\ndays=4\n");
        ini.close();
        QVERIFY(::chmod(QFile::encodeName(ini.fileName()).constData(), 0644) == 0);
        QTest::ignoreMessage(QtInfoMsg,
            qPrintable(QStringLiteral("made the data folder %1 private (it was 0755)").arg(old)));
        {
            Settings settings(old);
            QCOMPARE(settings.retentionDays(), 4);
            QCOMPARE(mode(old), 0700u);
            QCOMPARE(mode(ini.fileName()), 0600u);
            // A write replaces the file: it stays private.
            settings.setRetention(5, 0);
            QCOMPARE(mode(ini.fileName()), 0600u);
        }
        // Once: private now, nothing more to say.
        static QStringList messages;
        messages.clear();
        const QtMessageHandler previous
            = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &,
                                         const QString &message) { messages.append(message); });
        {
            Settings again(old);
            QCOMPARE(again.retentionDays(), 5);
        }
        qInstallMessageHandler(previous);
        QCOMPARE(messages, QStringList());
    }

    void unavailableDatabaseIsShown()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Settings settings(dir.path());
        StoreExecutor broken(
            [] { return Result<std::unique_ptr<Store>>::failure(QStringLiteral("disk on fire")); });
        SettingsPage page({ &settings, nullptr, &broken });
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *problem = child<QLabel>(page.keysManager(), QStringLiteral("keysProblem"));
        QTRY_VERIFY(problem->isVisible());
        QVERIFY2(
            problem->text().contains(QStringLiteral("disk on fire")), qPrintable(problem->text()));

        // Creating a key says why it cannot, rather than showing a key that was never stored.
        QTest::keyClicks(child<QLineEdit>(page.keysManager(), QStringLiteral("keyNameEdit")),
            QStringLiteral("x"));
        QTest::mouseClick(child<QPushButton>(page.keysManager(), QStringLiteral("createKeyButton")),
            Qt::LeftButton);
        QTRY_VERIFY(problem->text().contains(QStringLiteral("could not be created")));
        // The list refresh that follows the failed write does not hide why it failed.
        for (int round = 0; round < 2; ++round) {
            broken.waitForIdle();
            QCoreApplication::sendPostedEvents();
        }
        QVERIFY2(problem->text().contains(QStringLiteral("could not be created")),
            qPrintable(problem->text()));
        QVERIFY2(problem->text().contains(QStringLiteral("cannot be listed")),
            qPrintable(problem->text()));
        QVERIFY(!child<QWidget>(page.keysManager(), QStringLiteral("newKeyPanel"))->isVisible());
        // The receiver settings still work without a database.
        child<QSpinBox>(&page, QStringLiteral("idleTimeoutSpin"))->setValue(3);
        page.apply();
        QCOMPARE(settings.idleTimeoutMs(), 3000);
    }
};

QTEST_MAIN(TestSettings)
#include "tst_settings.moc"
