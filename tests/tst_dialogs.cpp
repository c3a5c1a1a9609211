// The console's dialogs against a real store and receiver: the webhook form, the API-key
// endpoint modal, the test request dialog and, with it, the replay dialog's answer view.
#include "core/http/httprequestparser.h"
#include "testsupport.h"
#include "ui/endpointdialog.h"
#include "ui/replaydialog.h"
#include "ui/testrequestdialog.h"
#include "ui/webhookformdialog.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTcpServer>
#include <QtTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;

namespace {

// What a user types into the webhook form.
struct FormInput
{
    QString name = QStringLiteral("Orders");
    QString description = QStringLiteral("Shop orders");
    QStringList methods { QStringLiteral("POST") };
    QList<HeaderRule> headers;
    QStringList ips;
};

template<typename T> T *child(QWidget *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no child %s", qPrintable(name));
    return found;
}

void setHeaderRows(QWidget *dialog, const QList<HeaderRule> &rules)
{
    auto *table = child<QTableWidget>(dialog, QStringLiteral("headersTable"));
    while (table->rowCount() > 0) {
        table->selectRow(0);
        QTest::mouseClick(
            child<QPushButton>(dialog, QStringLiteral("removeHeaderButton")), Qt::LeftButton);
    }
    for (const HeaderRule &rule : rules) {
        QTest::mouseClick(
            child<QPushButton>(dialog, QStringLiteral("addHeaderButton")), Qt::LeftButton);
        const int row = table->rowCount() - 1;
        // Add opens an editor on the new name cell; moving away commits and closes it first,
        // so it cannot later write its empty text over what is set here.
        table->setCurrentItem(nullptr);
        table->item(row, 0)->setText(rule.name);
        table->item(row, 1)->setText(rule.value);
    }
}

void fillForm(QWidget *dialog, const FormInput &input)
{
    auto *name = child<QLineEdit>(dialog, QStringLiteral("nameEdit"));
    name->clear();
    QTest::keyClicks(name, input.name);
    child<QPlainTextEdit>(dialog, QStringLiteral("descriptionEdit"))
        ->setPlainText(input.description);
    for (const QString &method : Webhook::knownMethods())
        child<QCheckBox>(dialog, QStringLiteral("method_") + method)
            ->setChecked(input.methods.contains(method));
    setHeaderRows(dialog, input.headers);
    child<QPlainTextEdit>(dialog, QStringLiteral("ipEdit"))
        ->setPlainText(input.ips.join(QLatin1Char('\n')));
}

QPushButton *saveButton(QWidget *dialog)
{
    return child<QPushButton>(dialog, QStringLiteral("saveButton"));
}

Webhook storedWebhook(Store *store, const QString &id)
{
    const auto found = store->config().webhook(id);
    return found && found.value() ? *found.value() : Webhook();
}

// Types a key into the endpoint modal and asks for it to be checked.
void enterKey(EndpointDialog &dialog, const QString &key)
{
    auto *edit = child<QLineEdit>(&dialog, QStringLiteral("keyEdit"));
    edit->clear();
    QTest::keyClicks(edit, key);
    QTest::mouseClick(child<QPushButton>(&dialog, QStringLiteral("verifyButton")), Qt::LeftButton);
}

QString clipboardText()
{
    return QGuiApplication::clipboard()->text();
}

Webhook named(const QString &name)
{
    Webhook webhook;
    webhook.name = name;
    return webhook;
}

// An HTTP server on loopback that gives every request the same answer, or, silent, none.
class SameAnswerServer final : public QObject
{
public:
    static constexpr QByteArrayView Body
        = R"({"status":"rejected","reason":"missing_api_key","requestId":null})";

    explicit SameAnswerServer(bool silent = false) : m_silent(silent)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto peer = std::make_shared<Peer>();
                connect(socket, &QTcpSocket::readyRead, this,
                    [this, socket, peer] { serve(socket, *peer); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString baseUrl() const
    {
        return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort());
    }

    QList<ParsedRequest> received;

private:
    struct Peer
    {
        HttpRequestParser parser;
        QByteArray buffer;
    };

    void serve(QTcpSocket *socket, Peer &peer)
    {
        peer.buffer += socket->readAll();
        for (;;) {
            const HttpRequestParser::Status status = peer.parser.parse(peer.buffer);
            if (status == HttpRequestParser::Status::HeadersComplete)
                continue; // the body follows
            if (status != HttpRequestParser::Status::Complete)
                return;
            received.append(peer.parser.takeRequest());
            peer.parser.reset();
            if (!m_silent) {
                socket->write("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                              "X-Same: yes\r\nContent-Length: "
                    + QByteArray::number(Body.size()) + "\r\n\r\n" + Body.toByteArray());
            }
        }
    }

    bool m_silent;
    QTcpServer m_server;
};

// Every cell of a table, row by row.
QStringList cells(QTableWidget *table)
{
    QStringList texts;
    for (int row = 0; row < table->rowCount(); ++row) {
        for (int column = 0; column < table->columnCount(); ++column)
            texts.append(table->item(row, column) ? table->item(row, column)->text() : QString());
    }
    return texts;
}

} // namespace

Q_DECLARE_METATYPE(FormInput)

class TestDialogs : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void formStartsEmptyWithPost();
    void formNamesEachProblem_data();
    void formNamesEachProblem();
    void formSavesWebhook();
    void formEditsWebhook();
    void formDuplicateAddsACopy();
    void formCancelStoresNothing();
    void formShowsStoreRefusal();

    void endpointRefusesBadKeys_data();
    void endpointRefusesBadKeys();
    void endpointCopiesUrlAndCurl();
    void endpointOffersKeyWhenNoneExists();
    void endpointHidesCreationWhenAKeyExists();

    void testRequestShowsAnswer_data();
    void testRequestShowsAnswer();
    void testRequestReportsUnreachableReceiver();
    void replayAndTestRequestShowTheSameAnswer();
    void sendingCanBeCancelled();

private:
    ConsoleContext context() const
    {
        return { m_fixture->settings(), m_fixture->engine(), m_fixture->executor() };
    }
    Webhook addWebhook(Webhook webhook)
    {
        auto added = m_fixture->store()->config().addWebhook(std::move(webhook));
        if (!added)
            qWarning("addWebhook: %s", qPrintable(added.error()));
        m_fixture->receiverFollows();
        return added ? added.value() : Webhook();
    }
    QString addKey(const QString &name)
    {
        auto added = m_fixture->store()->config().addKey(name);
        m_fixture->receiverFollows();
        return added ? added->secret : QString();
    }

    std::unique_ptr<ConsoleFixture> m_fixture;
};

void TestDialogs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestDialogs::init()
{
    m_fixture = std::make_unique<ConsoleFixture>();
    QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
}

void TestDialogs::cleanup()
{
    m_fixture.reset();
}

void TestDialogs::formStartsEmptyWithPost()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    dialog.show();
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Add webhook"));
    QAbstractItemModelTester tester(
        child<QTableWidget>(&dialog, QStringLiteral("headersTable"))->model());
    for (const QString &method : Webhook::knownMethods())
        QCOMPARE(child<QCheckBox>(&dialog, QStringLiteral("method_") + method)->isChecked(),
            method == QLatin1String("POST"));
    // An empty form cannot be saved, and says why.
    QVERIFY(!saveButton(&dialog)->isEnabled());
    QVERIFY(child<QLabel>(&dialog, QStringLiteral("nameProblem"))
                ->text()
                .contains(QStringLiteral("required")));
    QTest::keyClicks(
        child<QLineEdit>(&dialog, QStringLiteral("nameEdit")), QStringLiteral("Leads"));
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QVERIFY(child<QLabel>(&dialog, QStringLiteral("nameProblem"))->isHidden());
}

void TestDialogs::formNamesEachProblem_data()
{
    QTest::addColumn<FormInput>("input");
    QTest::addColumn<QString>("problemLabel");
    QTest::addColumn<QString>("problem");

    const FormInput valid;
    FormInput input = valid;
    input.name = QString();
    QTest::addRow("empty name") << input << "nameProblem"
                                << "Name is required";
    input = valid;
    input.name = QStringLiteral("   ");
    QTest::addRow("blank name") << input << "nameProblem"
                                << "Name is required";
    input = valid;
    input.name = QString(101, QLatin1Char('n'));
    QTest::addRow("name too long") << input << "nameProblem"
                                   << "at most 100 characters";
    input = valid;
    input.name = QStringLiteral("existing HOOK");
    QTest::addRow("duplicate name, other case") << input << "nameProblem"
                                                << "A webhook named 'existing HOOK' already exists";
    input = valid;
    input.description = QString(2001, QLatin1Char('d'));
    QTest::addRow("description too long") << input << "descriptionProblem"
                                          << "at most 2,000 characters";
    input = valid;
    input.methods.clear();
    QTest::addRow("no method") << input << "methodsProblem"
                               << "Choose at least one allowed method";
    input = valid;
    input.headers = { { QStringLiteral("X Token"), QStringLiteral("abc") } };
    QTest::addRow("header name with a space") << input << "headersProblem"
                                              << "'X Token' is not a valid header name";
    input = valid;
    input.headers = { { QStringLiteral("X-Token"), QString() } };
    QTest::addRow("header without value") << input << "headersProblem"
                                          << "needs a value (use * for any value)";
    input = valid;
    input.headers = { { QStringLiteral("X-Token"), QStringLiteral("a") },
        { QStringLiteral("x-token"), QStringLiteral("b") } };
    QTest::addRow("header twice") << input << "headersProblem"
                                  << "listed twice";
    input = valid;
    input.headers = { { QString(), QStringLiteral("orphan") } };
    QTest::addRow("header value without name") << input << "headersProblem"
                                               << "Row 1 has a value but no header name";
    input = valid;
    input.ips = { QStringLiteral("127.0.0.1"), QStringLiteral("10.0.0.0/33") };
    QTest::addRow("bad CIDR") << input << "ipProblem"
                              << "'10.0.0.0/33'";
    input = valid;
    input.ips = { QStringLiteral("300.1.2.3") };
    QTest::addRow("bad address") << input << "ipProblem"
                                 << "'300.1.2.3'";
}

void TestDialogs::formNamesEachProblem()
{
    QFETCH(FormInput, input);
    QFETCH(QString, problemLabel);
    QFETCH(QString, problem);
    Webhook existing;
    existing.name = QStringLiteral("Existing hook");
    addWebhook(existing);

    WebhookFormDialog dialog(context(), std::nullopt);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    fillForm(&dialog, input);
    auto *label = child<QLabel>(&dialog, problemLabel);
    QTRY_VERIFY2(label->text().contains(problem), qPrintable(label->text()));
    QVERIFY(label->isVisible());
    QVERIFY(!saveButton(&dialog)->isEnabled());
    // Asserting that nothing changes once the debounced name check is back: no event to wait for.
    QTest::qWait(400);
    QVERIFY(!saveButton(&dialog)->isEnabled());
    QVERIFY(label->text().contains(problem));

    fillForm(&dialog, FormInput());
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QVERIFY(label->isHidden());
    QVERIFY(label->text().isEmpty());
}

void TestDialogs::formSavesWebhook()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.show();
    FormInput input;
    input.methods = { QStringLiteral("POST"), QStringLiteral("PUT") };
    input.headers = { { QStringLiteral("X-Token"), QStringLiteral("*") },
        { QStringLiteral("X-Env"), QStringLiteral("prod") } };
    input.ips = { QStringLiteral("127.0.0.1"), QStringLiteral("10.0.0.0/8"),
        QStringLiteral("2001:db8::/32") };
    fillForm(&dialog, input);
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QTest::mouseClick(saveButton(&dialog), Qt::LeftButton);
    QTRY_COMPARE(accepted.count(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    const Webhook saved = dialog.savedWebhook();
    QVERIFY(isUuidV4(saved.id));
    const Webhook stored = storedWebhook(m_fixture->store(), saved.id);
    QCOMPARE(stored.id, saved.id);
    QCOMPARE(stored.name, input.name);
    QCOMPARE(stored.description, input.description);
    QCOMPARE(stored.methods, input.methods);
    QCOMPARE(stored.headerRules, input.headers);
    QCOMPARE(stored.ipWhitelist, input.ips);
    QVERIFY(stored.enabled);
    // The receiver already knows it: a request meeting the rules is accepted.
    const QString key = addKey(QStringLiteral("sender"));
    const HttpAnswer answer = sendRequest(
        m_fixture->endpoint(saved.id) + QStringLiteral("?api-key=") + key, "PUT",
        { { "X-Token", "anything" }, { "X-Env", "prod" }, { "Content-Type", "application/json" } },
        "{}");
    QCOMPARE(answer.status, 200);
}

void TestDialogs::formEditsWebhook()
{
    Webhook original;
    original.name = QStringLiteral("Leads");
    original.description = QStringLiteral("From the landing page");
    original.headerRules = { { QStringLiteral("X-Source"), QStringLiteral("site") } };
    original.ipWhitelist = { QStringLiteral("192.0.2.0/24") };
    original = addWebhook(original);
    QVERIFY(!original.id.isEmpty());

    WebhookFormDialog dialog(context(), original);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.show();
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Edit webhook"));
    QCOMPARE(child<QLineEdit>(&dialog, QStringLiteral("nameEdit"))->text(), original.name);
    QCOMPARE(child<QPlainTextEdit>(&dialog, QStringLiteral("descriptionEdit"))->toPlainText(),
        original.description);
    auto *headers = child<QTableWidget>(&dialog, QStringLiteral("headersTable"));
    QCOMPARE(headers->rowCount(), 1);
    QCOMPARE(headers->item(0, 0)->text(), QStringLiteral("X-Source"));
    QCOMPARE(headers->item(0, 1)->text(), QStringLiteral("site"));
    QCOMPARE(child<QPlainTextEdit>(&dialog, QStringLiteral("ipEdit"))->toPlainText(),
        QStringLiteral("192.0.2.0/24"));
    // Its own name is not a duplicate.
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());

    FormInput input;
    input.name = QStringLiteral("Leads v2");
    input.methods = { QStringLiteral("POST"), QStringLiteral("PATCH") };
    fillForm(&dialog, input);
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QTest::mouseClick(saveButton(&dialog), Qt::LeftButton);
    QTRY_COMPARE(accepted.count(), 1);

    QCOMPARE(dialog.savedWebhook().id, original.id);
    QCOMPARE(dialog.savedWebhook().name, input.name);
    const auto all = m_fixture->store()->config().webhooks();
    QVERIFY(all);
    QCOMPARE(all->size(), 1);
    const Webhook stored = all->first();
    QCOMPARE(stored.id, original.id);
    QCOMPARE(stored.name, input.name);
    QCOMPARE(stored.methods, input.methods);
    QVERIFY(stored.headerRules.isEmpty());
    QVERIFY(stored.ipWhitelist.isEmpty());
    QCOMPARE(stored.created, original.created);
}

void TestDialogs::formDuplicateAddsACopy()
{
    Webhook original;
    original.name = QStringLiteral("Orders");
    original.methods = { QStringLiteral("PUT") };
    original.headerRules = { { QStringLiteral("X-Token"), QStringLiteral("*") } };
    original = addWebhook(original);
    Webhook copy = original;
    copy.id.clear();
    copy.name = QStringLiteral("Orders (copy)");

    WebhookFormDialog dialog(context(), copy);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.show();
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Add webhook"));
    QVERIFY(child<QCheckBox>(&dialog, QStringLiteral("method_PUT"))->isChecked());
    QVERIFY(!child<QCheckBox>(&dialog, QStringLiteral("method_POST"))->isChecked());
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QTest::mouseClick(saveButton(&dialog), Qt::LeftButton);
    QTRY_COMPARE(accepted.count(), 1);

    QVERIFY(dialog.savedWebhook().id != original.id);
    const Webhook stored = storedWebhook(m_fixture->store(), dialog.savedWebhook().id);
    QCOMPARE(stored.name, copy.name);
    QCOMPARE(stored.methods, original.methods);
    QCOMPARE(stored.headerRules, original.headerRules);
    QCOMPARE(m_fixture->store()->config().webhooks()->size(), 2);
}

void TestDialogs::formCancelStoresNothing()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    QSignalSpy rejected(&dialog, &QDialog::rejected);
    dialog.show();
    fillForm(&dialog, FormInput());
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QTest::mouseClick(child<QPushButton>(&dialog, QStringLiteral("cancelButton")), Qt::LeftButton);
    QCOMPARE(rejected.count(), 1);
    QVERIFY(dialog.savedWebhook().id.isEmpty());
    m_fixture->executor()->waitForIdle();
    QCoreApplication::processEvents();
    QVERIFY(m_fixture->store()->config().webhooks()->isEmpty());
}

// The name was free when checked, then taken by someone else before Save: the store's refusal
// is shown in the dialog, which stays open and names the duplicate.
void TestDialogs::formShowsStoreRefusal()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.show();
    fillForm(&dialog, FormInput());
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    Webhook rival;
    rival.name = QStringLiteral("ORDERS");
    addWebhook(rival);
    QTest::mouseClick(saveButton(&dialog), Qt::LeftButton);
    auto *saveProblem = child<QLabel>(&dialog, QStringLiteral("saveProblem"));
    QTRY_VERIFY2(saveProblem->text().contains(QStringLiteral("Could not save the webhook")),
        qPrintable(saveProblem->text()));
    QVERIFY(saveProblem->text().contains(QStringLiteral("already exists")));
    QTRY_VERIFY(child<QLabel>(&dialog, QStringLiteral("nameProblem"))
                    ->text()
                    .contains(QStringLiteral("already exists")));
    QVERIFY(!saveButton(&dialog)->isEnabled());
    QCOMPARE(accepted.count(), 0);
    QVERIFY(dialog.isVisible());
    QCOMPARE(m_fixture->store()->config().webhooks()->size(), 1);
}

void TestDialogs::endpointRefusesBadKeys_data()
{
    QTest::addColumn<QString>("typed"); // "active" and "revoked" stand for those stored keys
    QTest::addColumn<QString>("problem");
    QTest::addRow("nothing typed") << QString() << "Enter an API key";
    QTest::addRow("unknown key") << "htk_notAKeyAtAll"
                                 << "does not match any API key";
    QTest::addRow("active key cut short") << "active-prefix"
                                          << "does not match any API key";
    QTest::addRow("revoked key") << "revoked"
                                 << "has been revoked";
    QTest::addRow("active key") << "active" << QString();
}

void TestDialogs::endpointRefusesBadKeys()
{
    QFETCH(QString, typed);
    QFETCH(QString, problem);
    const Webhook webhook = addWebhook(named(QStringLiteral("Orders")));
    const QString active = addKey(QStringLiteral("sender"));
    const QString revoked = addKey(QStringLiteral("old sender"));
    QVERIFY(m_fixture->store()->config().revokeKey(ApiKeys::prefixOf(revoked)).ok());
    if (typed == QLatin1String("active"))
        typed = active;
    else if (typed == QLatin1String("active-prefix"))
        typed = active.left(active.size() - 1);
    else if (typed == QLatin1String("revoked"))
        typed = revoked;

    EndpointDialog dialog(context(), webhook);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *keyEdit = child<QLineEdit>(&dialog, QStringLiteral("keyEdit"));
    QCOMPARE(keyEdit->echoMode(), QLineEdit::Password);
    child<QCheckBox>(&dialog, QStringLiteral("showKeyCheck"))->setChecked(true);
    QCOMPARE(keyEdit->echoMode(), QLineEdit::Normal);
    auto *endpoint = child<QLineEdit>(&dialog, QStringLiteral("endpointEdit"));
    QVERIFY(!endpoint->isVisible());

    enterKey(dialog, typed);
    auto *keyProblem = child<QLabel>(&dialog, QStringLiteral("keyProblem"));
    if (problem.isEmpty()) {
        QTRY_VERIFY(endpoint->isVisible());
        QCOMPARE(endpoint->text(),
            m_fixture->endpoint(webhook.id) + QStringLiteral("?api-key=") + active);
        QVERIFY(endpoint->isReadOnly());
        QVERIFY(keyProblem->text().isEmpty());
    } else {
        QTRY_VERIFY2(keyProblem->text().contains(problem), qPrintable(keyProblem->text()));
        QVERIFY(keyProblem->isVisible());
        QVERIFY(child<QPushButton>(&dialog, QStringLiteral("verifyButton"))->isEnabled());
        QVERIFY(!endpoint->isVisible());
        QVERIFY(endpoint->text().isEmpty());
    }
}

void TestDialogs::endpointCopiesUrlAndCurl()
{
    Webhook webhook;
    webhook.name = QStringLiteral("Orders");
    webhook.methods = { QStringLiteral("PUT"), QStringLiteral("POST") };
    webhook.headerRules = { { QStringLiteral("X-Token"), QStringLiteral("*") },
        { QStringLiteral("X-Note"), QStringLiteral("it's fine") } };
    webhook = addWebhook(webhook);
    const QString key = addKey(QStringLiteral("sender"));
    const QString bare = m_fixture->endpoint(webhook.id);
    const QString withKey = bare + QStringLiteral("?api-key=") + key;

    EndpointDialog dialog(context(), webhook);
    dialog.show();
    enterKey(dialog, key);
    auto *copy = child<QPushButton>(&dialog, QStringLiteral("copyButton"));
    QTRY_VERIFY(copy->isVisible());
    QGuiApplication::clipboard()->clear();

    const QString copyText = copy->text();
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(clipboardText(), withKey);
    QCOMPARE(copy->text(), QStringLiteral("Copied"));
    QVERIFY(!child<QLabel>(&dialog, QStringLiteral("copyStatus"))->text().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(copy->text(), copyText, 4000);

    QTest::mouseClick(
        child<QPushButton>(&dialog, QStringLiteral("copyWithoutKeyButton")), Qt::LeftButton);
    QCOMPARE(clipboardText(), bare);

    QTest::mouseClick(
        child<QPushButton>(&dialog, QStringLiteral("copyCurlButton")), Qt::LeftButton);
    const QString curl = clipboardText();
    QVERIFY2(curl.startsWith(QStringLiteral("curl -X PUT '") + withKey + QLatin1Char('\'')),
        qPrintable(curl));
    QVERIFY2(curl.contains(QStringLiteral("-H 'X-Token: test'")), qPrintable(curl));
    QVERIFY2(curl.contains(QStringLiteral("-H 'X-Note: it'\\''s fine'")), qPrintable(curl));
    QVERIFY2(
        curl.contains(QStringLiteral("-H 'Content-Type: application/json'")), qPrintable(curl));
    QVERIFY2(curl.contains(QStringLiteral("-d '{\"hello\":\"world\"}'")), qPrintable(curl));

    // The copied URL, with the header rules met, is accepted by the real receiver...
    const HttpAnswer answer = sendRequest(withKey, "PUT",
        { { "Content-Type", "application/json" }, { "X-Token", "t" }, { "X-Note", "it's fine" } },
        R"({"order":42})");
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.reason(), QStringLiteral("accepted"));
    // ...and so is the copied curl command, run by a shell as the user would.
    QProcess shell;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &proxy : { QStringLiteral("http_proxy"), QStringLiteral("HTTP_PROXY"),
             QStringLiteral("all_proxy"), QStringLiteral("ALL_PROXY") })
        environment.remove(proxy);
    shell.setProcessEnvironment(environment);
    QSignalSpy finished(&shell, &QProcess::finished);
    shell.start(QStringLiteral("/bin/sh"),
        { QStringLiteral("-c"), curl + QStringLiteral(" --silent --show-error") });
    QVERIFY(finished.wait(20000));
    const QByteArray out = shell.readAllStandardOutput();
    QVERIFY2(shell.exitCode() == 0, shell.readAllStandardError().constData());
    QCOMPARE(QJsonDocument::fromJson(out).object().value(QStringLiteral("status")).toString(),
        QStringLiteral("accepted"));
}

void TestDialogs::endpointOffersKeyWhenNoneExists()
{
    const Webhook webhook = addWebhook(named(QStringLiteral("Orders")));
    EndpointDialog dialog(context(), webhook);
    dialog.show();
    auto *create = child<QPushButton>(&dialog, QStringLiteral("createKeyButton"));
    QTRY_VERIFY(create->isVisible());
    auto *warning = child<QLabel>(&dialog, QStringLiteral("createdKeyWarning"));
    QVERIFY(!warning->isVisible());

    child<QLineEdit>(&dialog, QStringLiteral("keyNameEdit"))->setText(QStringLiteral("CI sender"));
    QTest::mouseClick(create, Qt::LeftButton);
    auto *keyEdit = child<QLineEdit>(&dialog, QStringLiteral("keyEdit"));
    QTRY_VERIFY(keyEdit->text().startsWith(QStringLiteral("htk_")));
    const QString key = keyEdit->text();
    // Shown once, in clear, with the warning to keep it now.
    QCOMPARE(keyEdit->echoMode(), QLineEdit::Normal);
    QVERIFY(warning->isVisible());
    QVERIFY(warning->text().contains(QStringLiteral("only time it is shown")));
    QVERIFY(!create->isEnabled());
    const auto keys = m_fixture->store()->config().keys();
    QVERIFY(keys);
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().name, QStringLiteral("CI sender"));
    QVERIFY(ApiKeys::constantTimeEquals(keys->first().hash, ApiKeys::hash(key.toLatin1())));

    // It opens the endpoint, and the receiver takes requests with it.
    QTest::mouseClick(child<QPushButton>(&dialog, QStringLiteral("verifyButton")), Qt::LeftButton);
    auto *endpoint = child<QLineEdit>(&dialog, QStringLiteral("endpointEdit"));
    QTRY_VERIFY(endpoint->isVisible());
    const HttpAnswer answer
        = sendRequest(endpoint->text(), "POST", { { "Content-Type", "application/json" } }, "{}");
    QCOMPARE(answer.status, 200);
}

void TestDialogs::endpointHidesCreationWhenAKeyExists()
{
    const Webhook webhook = addWebhook(named(QStringLiteral("Orders")));
    const QString revoked = addKey(QStringLiteral("old"));
    QVERIFY(m_fixture->store()->config().revokeKey(ApiKeys::prefixOf(revoked)).ok());
    {
        // Only revoked keys: creation is offered, and a nameless key gets a default name.
        EndpointDialog dialog(context(), webhook);
        dialog.show();
        auto *create = child<QPushButton>(&dialog, QStringLiteral("createKeyButton"));
        QTRY_VERIFY(create->isVisible());
        QTest::mouseClick(create, Qt::LeftButton);
        QTRY_VERIFY(child<QLineEdit>(&dialog, QStringLiteral("keyEdit"))
                        ->text()
                        .startsWith(QStringLiteral("htk_")));
        const auto keys = m_fixture->store()->config().keys();
        QCOMPARE(keys->size(), 2);
        QCOMPARE(keys->last().name,
            QStringLiteral("Console key ") + QDate::currentDate().toString(Qt::ISODate));
    }
    // Now a usable key exists: nothing to create.
    EndpointDialog dialog(context(), webhook);
    dialog.show();
    // The dialog's key lookup was queued first; the executor runs work in order, so once this
    // read's answer is back, so is the lookup's.
    bool lookedUp = false;
    m_fixture->executor()->read(
        &dialog, [](Store &) { return Status(); },
        [&lookedUp](const Status &) { lookedUp = true; });
    QTRY_VERIFY(lookedUp);
    QVERIFY(!child<QWidget>(&dialog, QStringLiteral("createKeyBox"))->isVisible());
    QVERIFY(!child<QPushButton>(&dialog, QStringLiteral("createKeyButton"))->isVisible());
}

void TestDialogs::testRequestShowsAnswer_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<bool>("withKey");
    QTest::addColumn<QString>("tokenValue"); // sent as X-Env, which the rule wants as "prod"
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("answer");
    QTest::addRow("accepted") << true << true << "prod" << 200 << "HTTP 200: accepted";
    QTest::addRow("disabled") << false << true << "prod" << 503
                              << "HTTP 503: rejected (webhook_disabled)";
    QTest::addRow("no key") << true << false << "prod" << 401
                            << "HTTP 401: rejected (missing_api_key)";
    QTest::addRow("header changed")
        << true << true << "dev" << 403 << "HTTP 403: rejected (header_mismatch)";
}

void TestDialogs::testRequestShowsAnswer()
{
    QFETCH(bool, enabled);
    QFETCH(bool, withKey);
    QFETCH(QString, tokenValue);
    QFETCH(int, status);
    QFETCH(QString, answer);
    Webhook webhook;
    webhook.name = QStringLiteral("Orders");
    webhook.methods = { QStringLiteral("PATCH"), QStringLiteral("POST") };
    webhook.headerRules = { { QStringLiteral("X-Token"), QStringLiteral("*") },
        { QStringLiteral("X-Env"), QStringLiteral("prod") } };
    webhook.enabled = enabled;
    webhook = addWebhook(webhook);
    const QString key = addKey(QStringLiteral("sender"));

    TestRequestDialog dialog(context(), webhook);
    dialog.show();
    auto *method = child<QComboBox>(&dialog, QStringLiteral("methodCombo"));
    QCOMPARE(method->count(), 2);
    QCOMPARE(method->itemText(0), QStringLiteral("PATCH"));
    QCOMPARE(method->itemText(1), QStringLiteral("POST"));
    auto *headers = child<QTableWidget>(&dialog, QStringLiteral("headersTable"));
    QAbstractItemModelTester tester(headers->model());
    QCOMPARE(headers->rowCount(), 3);
    QCOMPARE(headers->item(0, 0)->text(), QStringLiteral("X-Token"));
    QCOMPARE(headers->item(0, 1)->text(), QStringLiteral("test"));
    QCOMPARE(headers->item(1, 1)->text(), QStringLiteral("prod"));
    QCOMPARE(headers->item(2, 0)->text(), QStringLiteral("Content-Type"));
    QVERIFY(QJsonDocument::fromJson(
        child<QPlainTextEdit>(&dialog, QStringLiteral("bodyEdit"))->toPlainText().toUtf8())
                .isObject());

    headers->item(1, 1)->setText(tokenValue);
    if (withKey)
        child<QLineEdit>(&dialog, QStringLiteral("keyEdit"))->setText(key);
    auto *send = child<QPushButton>(&dialog, QStringLiteral("sendButton"));
    QTest::mouseClick(send, Qt::LeftButton);
    auto *answerLabel = child<QLabel>(&dialog, QStringLiteral("answerLabel"));
    QTRY_COMPARE(answerLabel->text(), answer);
    QVERIFY(send->isEnabled());

    // The request id shown is the logged request, with that answer.
    const QString idText = child<QLabel>(&dialog, QStringLiteral("loggedLink"))->text();
    const QRegularExpressionMatch match
        = QRegularExpression(QStringLiteral("request (\\d+)")).match(idText);
    QVERIFY2(match.hasMatch(), qPrintable(idText));
    RequestFilter filter;
    filter.webhookId = webhook.id;
    const auto logged = m_fixture->store()->queries().requests(filter);
    QVERIFY(logged);
    QCOMPARE(logged->size(), 1);
    QCOMPARE(logged->first().id, match.captured(1).toLongLong());
    QCOMPARE(logged->first().status, status);
    QCOMPARE(logged->first().method, QByteArrayLiteral("PATCH"));
}

void TestDialogs::testRequestReportsUnreachableReceiver()
{
    const Webhook webhook = addWebhook(named(QStringLiteral("Orders")));
    TestRequestDialog dialog(context(), webhook);
    dialog.show();
    m_fixture->engine()->stopReceiver();
    QTest::mouseClick(child<QPushButton>(&dialog, QStringLiteral("sendButton")), Qt::LeftButton);
    auto *answerLabel = child<QLabel>(&dialog, QStringLiteral("answerLabel"));
    QTRY_VERIFY2(answerLabel->text().startsWith(QStringLiteral("No response from")),
        qPrintable(answerLabel->text()));
    QVERIFY2(
        answerLabel->text().contains(QStringLiteral("refused")), qPrintable(answerLabel->text()));
    QVERIFY(answerLabel->text().contains(QStringLiteral("The receiver is not running")));
    QVERIFY(child<QPushButton>(&dialog, QStringLiteral("sendButton"))->isEnabled());
}

void TestDialogs::replayAndTestRequestShowTheSameAnswer()
{
    // Both dialogs send where the public base URL points: a server with one answer for all.
    SameAnswerServer server;
    QVERIFY(server.listen());
    m_fixture->settings()->setPublicBaseUrl(server.baseUrl());
    const Webhook webhook = addWebhook(named(QStringLiteral("Orders")));
    LoggedRequest logged;
    logged.id = 1;
    logged.method = "POST";
    logged.path = "/v1/data/webhook/" + webhook.id.toLatin1();
    logged.headers = { { "Content-Type", "application/json" } };
    logged.contentType = "application/json";
    logged.body = "{\"hello\":\"world\"}";

    TestRequestDialog test(context(), webhook);
    ReplayDialog replay(context(), logged);
    test.show();
    replay.show();
    QCOMPARE(child<QLabel>(&test, QStringLiteral("answerStatus"))->text(),
        child<QLabel>(&replay, QStringLiteral("answerStatus"))->text());
    QSignalSpy replayAnswered(&replay, &ReplayDialog::answered);
    QTest::mouseClick(child<QPushButton>(&test, QStringLiteral("sendButton")), Qt::LeftButton);
    QTest::mouseClick(child<QPushButton>(&replay, QStringLiteral("sendButton")), Qt::LeftButton);
    QTRY_COMPARE(replayAnswered.count(), 1);
    QCOMPARE(replayAnswered.first().at(0).toInt(), 401);
    auto *testStatus = child<QLabel>(&test, QStringLiteral("answerStatus"));
    QTRY_COMPARE(testStatus->text(), QStringLiteral("HTTP 401 Unauthorized"));
    QCOMPARE(server.received.size(), 2);
    for (const ParsedRequest &request : std::as_const(server.received))
        QCOMPARE(request.method, QByteArray("POST"));

    QCOMPARE(child<QLabel>(&replay, QStringLiteral("answerStatus"))->text(), testStatus->text());
    const QStringList headers = cells(child<QTableWidget>(&test, QStringLiteral("answerHeaders")));
    QVERIFY2(headers.contains(QStringLiteral("X-Same")), qPrintable(headers.join(u',')));
    QCOMPARE(cells(child<QTableWidget>(&replay, QStringLiteral("answerHeaders"))), headers);
    const QString body = child<QPlainTextEdit>(&test, QStringLiteral("answerBody"))->toPlainText();
    QVERIFY2(body.contains(QStringLiteral("\"reason\": \"missing_api_key\"")), qPrintable(body));
    QCOMPARE(child<QPlainTextEdit>(&replay, QStringLiteral("answerBody"))->toPlainText(), body);
    // The test dialog still says what the receiver made of it.
    QCOMPARE(child<QLabel>(&test, QStringLiteral("answerLabel"))->text(),
        QStringLiteral("HTTP 401: rejected (missing_api_key)"));
    QCOMPARE(
        child<QLabel>(&test, QStringLiteral("loggedLink"))->text(), QStringLiteral("Not logged."));
}

void TestDialogs::sendingCanBeCancelled()
{
    SameAnswerServer server(true);
    QVERIFY(server.listen());
    m_fixture->settings()->setPublicBaseUrl(server.baseUrl());
    const Webhook webhook = addWebhook(named(QStringLiteral("Orders")));
    TestRequestDialog dialog(context(), webhook);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *send = child<QPushButton>(&dialog, QStringLiteral("sendButton"));
    auto *cancel = child<QPushButton>(&dialog, QStringLiteral("cancelSendButton"));
    auto *progress = child<QProgressBar>(&dialog, QStringLiteral("sendProgress"));
    QVERIFY(!cancel->isVisible());
    QVERIFY(!progress->isVisible());

    QTest::mouseClick(send, Qt::LeftButton);
    QVERIFY(!send->isEnabled());
    QVERIFY(cancel->isVisible());
    QVERIFY(progress->isVisible());
    QTRY_COMPARE(server.received.size(), 1); // on its way, and no answer will come
    QTest::mouseClick(cancel, Qt::LeftButton);
    auto *status = child<QLabel>(&dialog, QStringLiteral("answerStatus"));
    QTRY_VERIFY2(status->text().startsWith(QStringLiteral("No response from ") + server.baseUrl()),
        qPrintable(status->text()));
    QVERIFY(send->isEnabled());
    QVERIFY(!cancel->isVisible());
    QVERIFY(!progress->isVisible());
    QVERIFY(child<QLabel>(&dialog, QStringLiteral("answerLabel"))
                ->text()
                .startsWith(QStringLiteral("No response from ")));
}

QTEST_MAIN(TestDialogs)
#include "tst_dialogs.moc"
