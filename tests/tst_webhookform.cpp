// The webhook form against a real store and receiver: what it saves, the problems it names and
// when, a layout that stays put as they come and go, and its header rows.
#include "dialogtest.h"
#include "ui/webhookformdialog.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;

namespace {

const QStringList ProblemLabels { QStringLiteral("nameProblem"),
    QStringLiteral("descriptionProblem"), QStringLiteral("methodsProblem"),
    QStringLiteral("headersProblem"), QStringLiteral("ipProblem"), QStringLiteral("saveProblem") };

// What a user types into the webhook form.
struct FormInput
{
    QString name = QStringLiteral("Orders");
    QString description = QStringLiteral("Shop orders");
    QStringList methods { QStringLiteral("POST") };
    QList<HeaderRule> headers;
    QStringList ips;
};

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

} // namespace

Q_DECLARE_METATYPE(FormInput)

class TestWebhookForm : public DialogTest
{
    Q_OBJECT
private slots:
    void formOpensWithoutProblems();
    void formNamesAProblemOnceTheFieldIsLeftOrCleared();
    void formNamesEachProblem_data();
    void formNamesEachProblem();
    void formKeepsItsLayoutAsProblemsComeAndGo();
    void formAddHeaderEditsTheNewName();
    void formSavesWebhook();
    void formSavesAcceptAnyContentType();
    void formEditsWebhook();
    void formDuplicateAddsACopy();
    void formCancelStoresNothing();
    void formShowsStoreRefusal();
};

// An empty Add dialog names no problem, not even the missing name: the user has not been at
// any field yet. Save then names what is missing, stores nothing and puts the cursor there.
void TestWebhookForm::formOpensWithoutProblems()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    // The cursor starts elsewhere, without the name having had it (leaving it would name its
    // problem before Save).
    child<QPlainTextEdit>(&dialog, QStringLiteral("descriptionEdit"))->setFocus();
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Add webhook"));
    QAbstractItemModelTester tester(
        child<QTableWidget>(&dialog, QStringLiteral("headersTable"))->model());
    for (const QString &method : Webhook::knownMethods())
        QCOMPARE(child<QCheckBox>(&dialog, QStringLiteral("method_") + method)->isChecked(),
            method == QLatin1String("POST"));
    for (const QString &name : ProblemLabels) {
        QVERIFY2(child<QLabel>(&dialog, name)->text().isEmpty(), qPrintable(name));
    }
    auto *ip = child<QPlainTextEdit>(&dialog, QStringLiteral("ipEdit"));
    QVERIFY2(ip->placeholderText().contains(QStringLiteral("203.0.113.7"))
            && ip->placeholderText().contains(QStringLiteral("10.0.0.0/8")),
        qPrintable(ip->placeholderText()));
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());

    auto *name = child<QLineEdit>(&dialog, QStringLiteral("nameEdit"));
    QVERIFY(dialog.focusWidget() != name);
    QTest::mouseClick(saveButton(&dialog), Qt::LeftButton);
    auto *nameProblem = child<QLabel>(&dialog, QStringLiteral("nameProblem"));
    QVERIFY2(nameProblem->text().contains(QStringLiteral("Name is required")),
        qPrintable(nameProblem->text()));
    QVERIFY(!saveButton(&dialog)->isEnabled());
    QCOMPARE(dialog.focusWidget(), name);
    QVERIFY(dialog.isVisible());
    m_fixture->executor()->waitForIdle();
    QVERIFY(m_fixture->store()->config().webhooks()->isEmpty());

    QTest::keyClicks(name, QStringLiteral("Leads"));
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QVERIFY(nameProblem->text().isEmpty());
}

// Typing then clearing the name, or leaving it empty, names the problem at once.
void TestWebhookForm::formNamesAProblemOnceTheFieldIsLeftOrCleared()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    dialog.show();
    dialog.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    auto *name = child<QLineEdit>(&dialog, QStringLiteral("nameEdit"));
    auto *nameProblem = child<QLabel>(&dialog, QStringLiteral("nameProblem"));
    name->setFocus();
    QTRY_VERIFY(name->hasFocus());
    QVERIFY(nameProblem->text().isEmpty());
    QTest::keyClick(name, Qt::Key_Tab);
    QTRY_VERIFY(!name->hasFocus());
    QVERIFY2(nameProblem->text().contains(QStringLiteral("Name is required")),
        qPrintable(nameProblem->text()));
    // Another field not yet left keeps quiet.
    QVERIFY(child<QLabel>(&dialog, QStringLiteral("ipProblem"))->text().isEmpty());

    WebhookFormDialog second(context(), std::nullopt);
    second.show();
    QVERIFY(QTest::qWaitForWindowExposed(&second));
    auto *secondName = child<QLineEdit>(&second, QStringLiteral("nameEdit"));
    QTest::keyClicks(secondName, QStringLiteral("A"));
    QVERIFY(child<QLabel>(&second, QStringLiteral("nameProblem"))->text().isEmpty());
    QTest::keyClick(secondName, Qt::Key_Backspace);
    QVERIFY(child<QLabel>(&second, QStringLiteral("nameProblem"))
                ->text()
                .contains(QStringLiteral("Name is required")));
}

// The dialog keeps its size and every field its place as problems appear and go: each
// problem line keeps its room while empty.
void TestWebhookForm::formKeepsItsLayoutAsProblemsComeAndGo()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *ip = child<QPlainTextEdit>(&dialog, QStringLiteral("ipEdit"));
    QList<QWidget *> fields { child<QPlainTextEdit>(&dialog, QStringLiteral("descriptionEdit")),
        child<QCheckBox>(&dialog, QStringLiteral("method_POST")),
        child<QTableWidget>(&dialog, QStringLiteral("headersTable")), ip,
        child<QCheckBox>(&dialog, QStringLiteral("anyContentTypeCheck")), saveButton(&dialog) };
    const auto settle = [&dialog] {
        QCoreApplication::sendPostedEvents();
        dialog.layout()->activate();
    };
    // Where each field is in the form's content: the fields scroll (the focus moving down
    // brings its field into view), which moves no field within the form.
    QWidget *content = child<QScrollArea>(&dialog, QStringLiteral("formScrollArea"))->widget();
    const auto places = [&] {
        QList<QRect> rects;
        for (QWidget *field : std::as_const(fields)) {
            QWidget *frame = content->isAncestorOf(field) ? content : &dialog;
            rects.append(QRect(field->mapTo(frame, QPoint(0, 0)), field->size()));
        }
        return rects;
    };
    settle();
    const QSize size = dialog.size();
    const QSize hint = dialog.sizeHint();
    const QList<QRect> before = places();

    auto *name = child<QLineEdit>(&dialog, QStringLiteral("nameEdit"));
    QTest::keyClicks(name, QStringLiteral("A"));
    QTest::keyClick(name, Qt::Key_Backspace);
    FormInput bad;
    bad.name.clear();
    bad.headers = { { QStringLiteral("X Token"), QString() } };
    setHeaderRows(&dialog, bad.headers);
    ip->setPlainText(QStringLiteral("10.0.0.0/33\n300.1.2.3"));
    settle();
    for (const char *label : { "nameProblem", "headersProblem", "ipProblem" })
        QVERIFY2(!child<QLabel>(&dialog, QString::fromLatin1(label))->text().isEmpty(), label);
    QCOMPARE(dialog.size(), size);
    QCOMPARE(dialog.sizeHint(), hint);
    QCOMPARE(places(), before);

    fillForm(&dialog, FormInput());
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    settle();
    QVERIFY(child<QLabel>(&dialog, QStringLiteral("ipProblem"))->text().isEmpty());
    QCOMPARE(dialog.size(), size);
    QCOMPARE(places(), before);
}

// Add header puts the cursor in the new row's name cell, editing, below the rows already there.
void TestWebhookForm::formAddHeaderEditsTheNewName()
{
    Webhook existing = named(QStringLiteral("Orders"));
    existing.headerRules = { { QStringLiteral("X-Source"), QStringLiteral("shop") } };
    existing = addWebhook(existing);
    WebhookFormDialog dialog(context(), existing);
    dialog.show();
    dialog.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    verifyAddHeaderEditsTheNewName(&dialog, QStringLiteral("X-Env"));
    if (QTest::currentTestFailed())
        return;
    auto *table = child<QTableWidget>(&dialog, QStringLiteral("headersTable"));
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("X-Source"));
}

// Off by default; on, the webhook takes a text body the contract refuses, until it is turned
// off again in the Edit dialog.
void TestWebhookForm::formSavesAcceptAnyContentType()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.show();
    auto *any = child<QCheckBox>(&dialog, QStringLiteral("anyContentTypeCheck"));
    QVERIFY(!any->isChecked());
    QVERIFY2(any->toolTip().contains(QStringLiteral("415"))
            && any->toolTip().contains(QStringLiteral("exactly as sent")),
        qPrintable(any->toolTip()));
    fillForm(&dialog, FormInput());
    any->setChecked(true);
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QTest::mouseClick(saveButton(&dialog), Qt::LeftButton);
    QTRY_COMPARE(accepted.count(), 1);
    const Webhook saved = dialog.savedWebhook();
    QVERIFY(storedWebhook(m_fixture->store(), saved.id).acceptAnyContentType);

    const QString key = addKey(QStringLiteral("sender"));
    const QString url = m_fixture->endpoint(saved.id) + QStringLiteral("?api-key=") + key;
    const QList<QPair<QByteArray, QByteArray>> text { { "Content-Type", "text/plain" } };
    QCOMPARE(sendRequest(url, "POST", text, "plain words").status, 200);

    WebhookFormDialog edit(context(), saved);
    QSignalSpy editAccepted(&edit, &QDialog::accepted);
    edit.show();
    auto *editAny = child<QCheckBox>(&edit, QStringLiteral("anyContentTypeCheck"));
    QVERIFY(editAny->isChecked());
    editAny->setChecked(false);
    QTRY_VERIFY(saveButton(&edit)->isEnabled());
    QTest::mouseClick(saveButton(&edit), Qt::LeftButton);
    QTRY_COMPARE(editAccepted.count(), 1);
    QVERIFY(!storedWebhook(m_fixture->store(), saved.id).acceptAnyContentType);
    m_fixture->receiverFollows();
    QCOMPARE(sendRequest(url, "POST", text, "plain words").status, 415);
}

void TestWebhookForm::formNamesEachProblem_data()
{
    QTest::addColumn<FormInput>("input");
    QTest::addColumn<QString>("problemLabel");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<bool>("onSave"); // a field left as it was: named once Save is tried

    const FormInput valid;
    FormInput input = valid;
    input.name = QString();
    QTest::addRow("empty name") << input << "nameProblem"
                                << "Name is required" << true;
    input = valid;
    input.name = QStringLiteral("   ");
    QTest::addRow("blank name") << input << "nameProblem"
                                << "Name is required" << false;
    input = valid;
    input.name = QString(101, QLatin1Char('n'));
    QTest::addRow("name too long") << input << "nameProblem"
                                   << "at most 100 characters" << false;
    input = valid;
    input.name = QStringLiteral("existing HOOK");
    QTest::addRow("duplicate name, other case")
        << input << "nameProblem"
        << "A webhook named 'existing HOOK' already exists" << false;
    input = valid;
    input.description = QString(2001, QLatin1Char('d'));
    QTest::addRow("description too long") << input << "descriptionProblem"
                                          << "at most 2,000 characters" << false;
    input = valid;
    input.methods.clear();
    QTest::addRow("no method") << input << "methodsProblem"
                               << "Choose at least one allowed method" << false;
    input = valid;
    input.headers = { { QStringLiteral("X Token"), QStringLiteral("abc") } };
    QTest::addRow("header name with a space") << input << "headersProblem"
                                              << "'X Token' is not a valid header name" << false;
    input = valid;
    input.headers = { { QStringLiteral("X-Token"), QString() } };
    QTest::addRow("header without value") << input << "headersProblem"
                                          << "needs a value (use * for any value)" << false;
    input = valid;
    input.headers = { { QStringLiteral("X-Token"), QStringLiteral("a") },
        { QStringLiteral("x-token"), QStringLiteral("b") } };
    QTest::addRow("header twice") << input << "headersProblem"
                                  << "listed twice" << false;
    input = valid;
    input.headers = { { QString(), QStringLiteral("orphan") } };
    QTest::addRow("header value without name") << input << "headersProblem"
                                               << "Row 1 has a value but no header name" << false;
    input = valid;
    input.ips = { QStringLiteral("127.0.0.1"), QStringLiteral("10.0.0.0/33") };
    QTest::addRow("bad CIDR") << input << "ipProblem"
                              << "'10.0.0.0/33'" << false;
    input = valid;
    input.ips = { QStringLiteral("300.1.2.3") };
    QTest::addRow("bad address") << input << "ipProblem"
                                 << "'300.1.2.3'" << false;
}

void TestWebhookForm::formNamesEachProblem()
{
    QFETCH(FormInput, input);
    QFETCH(QString, problemLabel);
    QFETCH(QString, problem);
    QFETCH(bool, onSave);
    Webhook existing;
    existing.name = QStringLiteral("Existing hook");
    addWebhook(existing);

    WebhookFormDialog dialog(context(), std::nullopt);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    fillForm(&dialog, input);
    auto *label = child<QLabel>(&dialog, problemLabel);
    if (onSave) {
        QTRY_VERIFY(saveButton(&dialog)->isEnabled());
        QVERIFY(label->text().isEmpty());
        QTest::mouseClick(saveButton(&dialog), Qt::LeftButton);
    }
    QTRY_VERIFY2(label->text().contains(problem), qPrintable(label->text()));
    QVERIFY(label->isVisible());
    QVERIFY(!saveButton(&dialog)->isEnabled());
    // Asserting that nothing changes once the debounced name check is back: no event to wait for.
    QTest::qWait(400);
    QVERIFY(!saveButton(&dialog)->isEnabled());
    QVERIFY(label->text().contains(problem));

    fillForm(&dialog, FormInput());
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QVERIFY(label->text().isEmpty());
}

void TestWebhookForm::formSavesWebhook()
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

void TestWebhookForm::formEditsWebhook()
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

void TestWebhookForm::formDuplicateAddsACopy()
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
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Duplicate webhook"));
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

void TestWebhookForm::formCancelStoresNothing()
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
void TestWebhookForm::formShowsStoreRefusal()
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

QTEST_MAIN(TestWebhookForm)
#include "tst_webhookform.moc"
