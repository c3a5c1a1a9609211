// The console's dialogs against a real store and receiver: the API-key endpoint modal, the test
// request dialog and, with it, the replay dialog's answer view (the webhook form has
// tst_webhookform).
#include "core/http/httprequestparser.h"
#include "dialogtest.h"
#include "ui/endpointdialog.h"
#include "ui/replaydialog.h"
#include "ui/testrequestdialog.h"

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

class TestDialogs : public DialogTest
{
    Q_OBJECT
private slots:
    void endpointRefusesBadKeys_data();
    void endpointRefusesBadKeys();
    void endpointCopiesUrlAndCurl();
    void endpointOffersKeyWhenNoneExists();
    void endpointOffersCreationWhateverTheKeys();

    void testRequestShowsAnswer_data();
    void testRequestShowsAnswer();
    void testRequestReportsUnreachableReceiver();
    void testRequestAddHeaderEditsTheNewName();
    void replayAndTestRequestShowTheSameAnswer();
    void sendingCanBeCancelled();
};

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
    auto *intro = child<QLabel>(&dialog, QStringLiteral("createKeyIntro"));
    QVERIFY(create->isVisible());
    // Once the lookup found no key, the box says so and the focus waits in the key's name.
    QTRY_VERIFY(intro->text().contains(QStringLiteral("no API key yet")));
    auto *panel = child<QWidget>(&dialog, QStringLiteral("newKeyPanel"));
    QVERIFY(!panel->isVisible());

    child<QLineEdit>(&dialog, QStringLiteral("keyNameEdit"))->setText(QStringLiteral("CI sender"));
    QTest::mouseClick(create, Qt::LeftButton);
    QTRY_VERIFY(panel->isVisible());
    const QString key = child<QLineEdit>(&dialog, QStringLiteral("newKeyEdit"))->text();
    QVERIFY(key.startsWith(QStringLiteral("htk_")));
    // Shown once, in clear, with the warning to keep it now.
    QVERIFY(child<QLabel>(&dialog, QStringLiteral("newKeyWarning"))
                ->text()
                .contains(QStringLiteral("cannot show it again")));
    const auto keys = m_fixture->store()->config().keys();
    QVERIFY(keys);
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().name, QStringLiteral("CI sender"));
    QVERIFY(ApiKeys::constantTimeEquals(keys->first().hash, ApiKeys::hash(key.toLatin1())));

    // The endpoint opens with it at once, and the receiver takes requests with it.
    auto *endpoint = child<QLineEdit>(&dialog, QStringLiteral("endpointEdit"));
    QVERIFY(endpoint->isVisible());
    QVERIFY(endpoint->text().endsWith(key));
    const HttpAnswer answer
        = sendRequest(endpoint->text(), "POST", { { "Content-Type", "application/json" } }, "{}");
    QCOMPARE(answer.status, 200);
}

void TestDialogs::endpointOffersCreationWhateverTheKeys()
{
    const Webhook webhook = addWebhook(named(QStringLiteral("Orders")));
    const QString revoked = addKey(QStringLiteral("old"));
    QVERIFY(m_fixture->store()->config().revokeKey(ApiKeys::prefixOf(revoked)).ok());
    {
        // Only revoked keys: the box says so, and a nameless key gets a default name.
        EndpointDialog dialog(context(), webhook);
        dialog.show();
        QTRY_VERIFY(child<QLabel>(&dialog, QStringLiteral("createKeyIntro"))
                        ->text()
                        .contains(QStringLiteral("revoked")));
        QTest::mouseClick(
            child<QPushButton>(&dialog, QStringLiteral("createKeyButton")), Qt::LeftButton);
        QTRY_VERIFY(child<QWidget>(&dialog, QStringLiteral("newKeyPanel"))->isVisible());
        const auto keys = m_fixture->store()->config().keys();
        QCOMPARE(keys->size(), 2);
        QCOMPARE(keys->last().name,
            QStringLiteral("Console key ") + QDate::currentDate().toString(Qt::ISODate));
    }
    // A usable key exists now: creation is still offered, the intro no longer says none is.
    EndpointDialog dialog(context(), webhook);
    dialog.show();
    // The dialog's key lookup was queued first; the executor runs work in order, so once this
    // read's answer is back, so is the lookup's.
    bool lookedUp = false;
    m_fixture->executor()->read(
        &dialog, [](Store &) { return Status(); },
        [&lookedUp](const Status &) { lookedUp = true; });
    QTRY_VERIFY(lookedUp);
    QVERIFY(child<QPushButton>(&dialog, QStringLiteral("createKeyButton"))->isVisible());
    const QString intro = child<QLabel>(&dialog, QStringLiteral("createKeyIntro"))->text();
    QVERIFY2(intro.contains(QStringLiteral("No key at hand")), qPrintable(intro));
}

void TestDialogs::testRequestShowsAnswer_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<bool>("withKey");
    QTest::addColumn<QString>("tokenValue"); // sent as X-Env, which the rule wants as "prod"
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("answer");
    QTest::addRow("accepted") << true << true << "prod" << 200 << "HTTP 200 OK — Accepted";
    QTest::addRow("disabled")
        << false << true << "prod" << 503
        << "HTTP 503 Service Unavailable — Rejected: Webhook disabled (webhook_disabled)";
    QTest::addRow("no key") << true << false << "prod" << 401
                            << "HTTP 401 Unauthorized — Rejected: No API key (missing_api_key)";
    QTest::addRow("header changed")
        << true << true << "dev" << 403
        << "HTTP 403 Forbidden — Rejected: Required header missing or wrong (header_mismatch)";
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
    // The status line says, in words, what the receiver made of the request; the line below it
    // has nothing to add.
    QTRY_COMPARE(child<QLabel>(&dialog, QStringLiteral("answerStatus"))->text(), answer);
    QCOMPARE(child<QLabel>(&dialog, QStringLiteral("answerLabel"))->text(), QString());
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
    QTRY_COMPARE(testStatus->text(),
        QStringLiteral("HTTP 401 Unauthorized — Rejected: No API key (missing_api_key)"));
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
    // What the receiver made of it is said once, in the status line.
    QCOMPARE(child<QLabel>(&test, QStringLiteral("answerLabel"))->text(), QString());
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

void TestDialogs::testRequestAddHeaderEditsTheNewName()
{
    const Webhook webhook = addWebhook(named(QStringLiteral("Orders")));
    TestRequestDialog dialog(context(), webhook);
    dialog.show();
    dialog.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    verifyAddHeaderEditsTheNewName(&dialog, QStringLiteral("X-Trace"));
}

QTEST_MAIN(TestDialogs)
#include "tst_dialogs.moc"
