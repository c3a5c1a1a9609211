// The whole console flow through the main window, as a user walks it: Add more, the form, the
// API-key modal, Copy, a request to the copied URL; then edit, disable and delete.
#include "testsupport.h"
#include "ui/connectionspage.h"
#include "ui/endpointdialog.h"
#include "ui/mainwindow.h"
#include "ui/webhookformdialog.h"
#include "ui/webhooklistmodel.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;

namespace {

template<typename T> T *child(QObject *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no child %s", qPrintable(name));
    return found;
}

// The dialog of that type now open over the window, if any.
template<typename T> T *openDialog(QWidget *window)
{
    const QList<T *> dialogs = window->findChildren<T *>();
    for (T *dialog : dialogs) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

QString label(QWidget *dialog, const QString &name)
{
    return child<QLabel>(dialog, name)->text();
}

const QList<QPair<QByteArray, QByteArray>> JsonWithToken {
    { "Content-Type", "application/json" },
    { "X-Shop-Token", "s3cret" },
};

} // namespace

class TestConsole : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();

    void addMoreToAcceptedRequest();
    void editDisableDelete();

private:
    void openWindow(); // check QTest::currentTestFailed() after
    ConnectionsPage *page() const { return m_window->connectionsPage(); }
    // Selects the webhook's row with the mouse, as a user would.
    void clickRow(const QString &id);
    HttpAnswer post(const QString &url, const QByteArray &method = "POST")
    {
        return sendRequest(url, method, JsonWithToken, R"({"order":1})");
    }

    std::unique_ptr<ConsoleFixture> m_fixture;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_modelTester;
};

void TestConsole::init()
{
    m_fixture = std::make_unique<ConsoleFixture>();
    QVERIFY2(
        m_fixture->start(ConsoleFixture::ReceiverStart::Later), qPrintable(m_fixture->error()));
}

// Wired as runConsole wires it: the engine open, writes followed by the receiver, and the window
// starting the receiver (port 0: any free one). Opened once a test has arranged its data, as a
// user opens the console on a data folder.
void TestConsole::openWindow()
{
    m_fixture->receiverFollows(); // what the test arranged, without waiting for the next poll
    m_window = std::make_unique<MainWindow>(
        ConsoleContext { m_fixture->settings(), m_fixture->engine(), m_fixture->executor() });
    QVERIFY(m_window->startReceiver());
    m_window->showPage(MainWindow::Page::Connections);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_modelTester = std::make_unique<QAbstractItemModelTester>(
        page()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestConsole::cleanup()
{
    m_modelTester.reset();
    m_window.reset();
    m_fixture.reset();
}

void TestConsole::clickRow(const QString &id)
{
    QTRY_VERIFY(page()->model()->rowOf(id) >= 0);
    QTableView *table = page()->table();
    const QModelIndex index
        = page()->model()->index(page()->model()->rowOf(id), WebhookListModel::NameColumn);
    table->scrollTo(index);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
    QTRY_COMPARE(page()->selectedWebhook().value_or(Webhook()).id, id);
}

void TestConsole::addMoreToAcceptedRequest()
{
    const QString key = m_fixture->store()->config().addKey(QStringLiteral("shop"))->secret;
    Webhook existing;
    existing.name = QStringLiteral("Newsletter");
    QVERIFY(m_fixture->store()->config().addWebhook(existing));
    openWindow();
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE(page()->model()->rowCount(), 1);

    // Add more opens the settings form.
    QTest::mouseClick(child<QPushButton>(page(), QStringLiteral("addMoreButton")), Qt::LeftButton);
    // The page deletes its dialogs once closed, hence the guard.
    QPointer<WebhookFormDialog> form;
    QTRY_VERIFY((form = openDialog<WebhookFormDialog>(m_window.get())));
    QCOMPARE(form->windowTitle(), QStringLiteral("Add webhook"));
    auto *save = child<QPushButton>(form, QStringLiteral("saveButton"));
    auto *name = child<QLineEdit>(form, QStringLiteral("nameEdit"));
    auto *ip = child<QPlainTextEdit>(form, QStringLiteral("ipEdit"));
    auto *headers = child<QTableWidget>(form, QStringLiteral("headersTable"));
    auto *post = child<QCheckBox>(form, QStringLiteral("method_POST"));

    // Nothing is named before the user has been at a field; Save names the missing name.
    QVERIFY(label(form, QStringLiteral("nameProblem")).isEmpty());
    QTRY_VERIFY(save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton);
    QVERIFY(
        label(form, QStringLiteral("nameProblem")).contains(QStringLiteral("Name is required")));
    // Each invalid entry then blocks Save and is named next to its field.
    QVERIFY(!save->isEnabled());
    typeInto(name, QStringLiteral("NEWSLETTER"));
    QTRY_VERIFY(
        label(form, QStringLiteral("nameProblem")).contains(QStringLiteral("already exists")));
    QVERIFY(!save->isEnabled());
    typeInto(name, QStringLiteral("Shop orders"));
    QTRY_VERIFY(save->isEnabled());

    QTest::keyClicks(ip, QStringLiteral("127.0.0.0/8"));
    QTest::keyClick(ip, Qt::Key_Return);
    QTest::keyClicks(ip, QStringLiteral("10.0.0.0/33"));
    QTRY_VERIFY(label(form, QStringLiteral("ipProblem")).contains(QStringLiteral("'10.0.0.0/33'")));
    QVERIFY(!save->isEnabled());
    ip->setPlainText(QStringLiteral("127.0.0.0/8"));
    QVERIFY(label(form, QStringLiteral("ipProblem")).isEmpty());

    QTest::mouseClick(child<QPushButton>(form, QStringLiteral("addHeaderButton")), Qt::LeftButton);
    headers->setCurrentItem(nullptr); // commits the editor Add opened, before the cells are set
    headers->item(0, 0)->setText(QStringLiteral("X Shop Token"));
    headers->item(0, 1)->setText(QStringLiteral("s3cret"));
    QVERIFY(label(form, QStringLiteral("headersProblem"))
                .contains(QStringLiteral("'X Shop Token' is not a valid header name")));
    QVERIFY(!save->isEnabled());
    headers->item(0, 0)->setText(QStringLiteral("X-Shop-Token"));
    QVERIFY(label(form, QStringLiteral("headersProblem")).isEmpty());

    post->setChecked(false);
    QVERIFY(label(form, QStringLiteral("methodsProblem"))
                .contains(QStringLiteral("Choose at least one allowed method")));
    QVERIFY(!save->isEnabled());
    post->setChecked(true);
    QTRY_VERIFY(save->isEnabled());

    // Save, then the API-key modal opens.
    QTest::mouseClick(save, Qt::LeftButton);
    EndpointDialog *modal = nullptr;
    QTRY_VERIFY((modal = openDialog<EndpointDialog>(m_window.get())));
    QVERIFY(!form || !form->isVisible());
    const auto stored = m_fixture->store()->config().webhooks();
    QVERIFY(stored);
    QCOMPARE(stored->size(), 2);
    const Webhook created
        = stored->at(0).name == QLatin1String("Shop orders") ? stored->at(0) : stored->at(1);
    QCOMPARE(created.name, QStringLiteral("Shop orders"));
    QCOMPARE(created.headerRules,
        (QList<HeaderRule> { { QStringLiteral("X-Shop-Token"), QStringLiteral("s3cret") } }));
    QCOMPARE(created.ipWhitelist, QStringList { QStringLiteral("127.0.0.0/8") });

    // A wrong key is refused; the right one shows the endpoint.
    auto *keyEdit = child<QLineEdit>(modal, QStringLiteral("keyEdit"));
    auto *verify = child<QPushButton>(modal, QStringLiteral("verifyButton"));
    QTest::keyClicks(keyEdit, QStringLiteral("htk_wrong"));
    QTest::mouseClick(verify, Qt::LeftButton);
    QTRY_VERIFY(label(modal, QStringLiteral("keyProblem"))
                    .contains(QStringLiteral("does not match any API key")));
    QVERIFY(!child<QLineEdit>(modal, QStringLiteral("endpointEdit"))->isVisible());
    typeInto(keyEdit, key);
    QTest::mouseClick(verify, Qt::LeftButton);
    auto *copy = child<QPushButton>(modal, QStringLiteral("copyButton"));
    QTRY_VERIFY(copy->isVisible());

    // Copy puts exactly the endpoint URL, key integrated, on the clipboard.
    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(copy, Qt::LeftButton);
    const QString expected = QStringLiteral("http://127.0.0.1:%1/v1/data/webhook/%2?api-key=%3")
                                 .arg(m_fixture->port())
                                 .arg(created.id, key);
    QCOMPARE(QGuiApplication::clipboard()->text(), expected);
    QCOMPARE(copy->text(), QStringLiteral("Copied"));

    // A request sent to it is accepted by the receiver the window started, and logged.
    const HttpAnswer answer = this->post(QGuiApplication::clipboard()->text());
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.reason(), QStringLiteral("accepted"));
    RequestFilter filter;
    filter.webhookId = created.id;
    const auto logged = m_fixture->store()->queries().requests(filter);
    QVERIFY(logged);
    QCOMPARE(logged->size(), 1);
    QCOMPARE(logged->first().id, answer.requestId());

    // Closing the modal leaves the new webhook selected in the list.
    QTest::mouseClick(child<QPushButton>(modal, QStringLiteral("closeButton")), Qt::LeftButton);
    QTRY_VERIFY(!openDialog<EndpointDialog>(m_window.get()));
    QTRY_COMPARE(page()->model()->rowCount(), 2);
    QTRY_COMPARE(page()->selectedWebhook().value_or(Webhook()).id, created.id);
}

void TestConsole::editDisableDelete()
{
    const QString key = m_fixture->store()->config().addKey(QStringLiteral("shop"))->secret;
    Webhook webhook;
    webhook.name = QStringLiteral("Orders");
    webhook.headerRules = { { QStringLiteral("X-Shop-Token"), QStringLiteral("*") } };
    webhook = m_fixture->store()->config().addWebhook(webhook).value();
    openWindow();
    if (QTest::currentTestFailed())
        return;
    const QString url = m_fixture->endpoint(webhook.id) + QStringLiteral("?api-key=") + key;
    QCOMPARE(post(url, "PUT").status, 405);

    // Edit: allow PUT as well, under a new name.
    clickRow(webhook.id);
    page()->editSelected();
    QPointer<WebhookFormDialog> form;
    QTRY_VERIFY((form = openDialog<WebhookFormDialog>(m_window.get())));
    QCOMPARE(form->windowTitle(), QStringLiteral("Edit webhook"));
    typeInto(child<QLineEdit>(form, QStringLiteral("nameEdit")), QStringLiteral("Orders v2"));
    child<QCheckBox>(form, QStringLiteral("method_PUT"))->setChecked(true);
    auto *save = child<QPushButton>(form, QStringLiteral("saveButton"));
    QTRY_VERIFY(save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_VERIFY(!openDialog<WebhookFormDialog>(m_window.get()));
    QVERIFY(!openDialog<EndpointDialog>(m_window.get())); // only Add more goes on to the modal
    const auto row = [this, id = webhook.id] {
        return page()->model()->index(page()->model()->rowOf(id), WebhookListModel::NameColumn);
    };
    QTRY_COMPARE(row().data().toString(), QStringLiteral("Orders v2"));
    QCOMPARE(m_fixture->store()->config().webhook(webhook.id).value()->methods,
        (QStringList { QStringLiteral("POST"), QStringLiteral("PUT") }));
    QCOMPARE(post(url, "PUT").status, 200);

    // Disable: the receiver answers 503 and asks the sender to retry; enable: 200 again.
    page()->toggleSelected();
    QTRY_COMPARE(row().data(WebhookListModel::EnabledRole).toBool(), false);
    HttpAnswer answer = post(url);
    QCOMPARE(answer.status, 503);
    QCOMPARE(answer.reason(), QStringLiteral("webhook_disabled"));
    QVERIFY(answer.hasHeader("Retry-After"));
    page()->toggleSelected();
    QTRY_COMPARE(row().data(WebhookListModel::EnabledRole).toBool(), true);
    QCOMPARE(post(url).status, 200);

    // Delete, keeping the logged requests: the webhook is gone, its history stays.
    const qint64 loggedBefore = m_fixture->store()->queries().countRequests(webhook.id).value();
    QCOMPARE(loggedBefore, 4);
    page()->deleteSelected();
    QTRY_VERIFY(page()->deleteConfirmation());
    QMessageBox *confirmation = page()->deleteConfirmation();
    QVERIFY2(confirmation->informativeText().contains(QStringLiteral("4")),
        qPrintable(confirmation->informativeText()));
    QTest::mouseClick(
        child<QPushButton>(confirmation, QStringLiteral("keepRequestsButton")), Qt::LeftButton);
    QTRY_COMPARE(page()->model()->rowCount(), 0);
    QVERIFY(!m_fixture->store()->config().webhook(webhook.id).value());
    answer = post(url);
    QCOMPARE(answer.status, 404);
    QCOMPARE(answer.reason(), QStringLiteral("unknown_webhook"));
    QCOMPARE(m_fixture->store()->queries().countRequests(webhook.id).value(), loggedBefore);
}

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
