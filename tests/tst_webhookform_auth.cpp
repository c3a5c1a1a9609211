// The webhook form's Authentication and Response sections (ARCHITECTURE §5.6), offscreen,
// against a real store and a real receiver on port 0: a signature chosen, a secret entered by
// Enter and never shown again, real signed requests answered as the form says; a response of
// the user's own chosen from a preset, validated as typed, and back to the contract's JSON.
#include "dialogtest.h"
#include "ui/webhookformdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageAuthenticationCode>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

QPushButton *saveButton(QWidget *dialog)
{
    return child<QPushButton>(dialog, u"saveButton"_s);
}

Webhook stored(Store *store, const QString &id)
{
    const auto found = store->config().webhook(id);
    return found && found.value() ? *found.value() : Webhook();
}

void choose(QComboBox *combo, int data)
{
    const int index = combo->findData(data);
    combo->setCurrentIndex(index);
    emit combo->activated(index);
}

// Every text a user can see in the dialog: labels, fields, list items, tool tips.
QStringList visibleTexts(QWidget *dialog)
{
    QStringList texts;
    for (const QLabel *label : dialog->findChildren<QLabel *>())
        texts << label->text() << label->toolTip();
    for (const QLineEdit *edit : dialog->findChildren<QLineEdit *>())
        texts << edit->displayText() << edit->toolTip();
    for (const QListWidget *list : dialog->findChildren<QListWidget *>()) {
        for (int i = 0; i < list->count(); ++i)
            texts << list->item(i)->text() << list->item(i)->toolTip();
    }
    return texts;
}

QByteArray githubSignature(const QByteArray &secret, const QByteArray &body)
{
    return "sha256="
        + QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestWebhookFormAuth final : public DialogTest
{
    Q_OBJECT

private slots:
    void defaultsKeepTheFormShort();
    void signatureWithASecretEnteredOnce();
    void responseFromAPresetAndBack();
    void responseProblemsAreNamed();
};

void TestWebhookFormAuth::defaultsKeepTheFormShort()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *mode = child<QComboBox>(&dialog, u"authModeCombo"_s);
    auto *response = child<QComboBox>(&dialog, u"responsePresetCombo"_s);
    QCOMPARE(mode->currentData().toInt(), int(AuthMode::Key));
    QCOMPARE(response->currentIndex(), 0);
    QVERIFY(!child<QComboBox>(&dialog, u"signaturePresetCombo"_s)->isVisible());
    QVERIFY(!child<QSpinBox>(&dialog, u"responseStatusSpin"_s)->isVisible());
    QWidget *fields = child<QScrollArea>(&dialog, u"formScrollArea"_s)->widget();
    const int shortHeight = fields->sizeHint().height();
    choose(mode, int(AuthMode::Signature));
    QVERIFY(child<QComboBox>(&dialog, u"signaturePresetCombo"_s)->isVisible());
    QVERIFY(fields->sizeHint().height() > shortHeight + 100);
    // With both sections open the form is taller than the screen: the fields scroll, and the
    // dialog, Save included, stays within the screen.
    choose(response, 4);
    QVERIFY(child<QSpinBox>(&dialog, u"responseStatusSpin"_s)->isVisible());
    dialog.adjustSize();
    const int room = dialog.screen()->availableGeometry().height();
    QVERIFY2(dialog.sizeHint().height() <= room,
        qPrintable(u"%1 > %2"_s.arg(dialog.sizeHint().height()).arg(room)));
    auto *scroll = child<QScrollArea>(&dialog, u"formScrollArea"_s);
    scroll->ensureWidgetVisible(child<QSpinBox>(&dialog, u"responseDelaySpin"_s));
    QVERIFY(child<QSpinBox>(&dialog, u"responseDelaySpin"_s)->visibleRegion().isEmpty() == false);
}

void TestWebhookFormAuth::signatureWithASecretEnteredOnce()
{
    const QByteArray secret = "form-secret-8f3a61c2";
    WebhookFormDialog dialog(context(), std::nullopt);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClicks(child<QLineEdit>(&dialog, u"nameEdit"_s), u"GitHub pushes"_s);
    choose(child<QComboBox>(&dialog, u"authModeCombo"_s), int(AuthMode::Signature));
    choose(child<QComboBox>(&dialog, u"signaturePresetCombo"_s), int(SignaturePreset::GitHub));
    QVERIFY(child<QLabel>(&dialog, u"signatureHint"_s)->text().contains(u"X-Hub-Signature-256"_s));
    // No secret yet: named, and Save held back.
    auto *problem = child<QLabel>(&dialog, u"authenticationProblem"_s);
    QTRY_VERIFY2(problem->text().contains(u"Add the secret"_s), qPrintable(problem->text()));
    QVERIFY(!saveButton(&dialog)->isEnabled());
    QVERIFY(!child<QSpinBox>(&dialog, u"toleranceSpin"_s)->isVisible()); // GitHub signs no time

    auto *entry = child<QLineEdit>(&dialog, u"secretEdit"_s);
    QCOMPARE(entry->echoMode(), QLineEdit::Password);
    entry->setFocus();
    QTest::keyClicks(entry, QString::fromLatin1(secret));
    QTest::keyClick(entry, Qt::Key_Return); // adds it; does not save the form
    QCOMPARE(accepted.count(), 0);
    QVERIFY(entry->text().isEmpty());
    auto *list = child<QListWidget>(&dialog, u"secretList"_s);
    QCOMPARE(list->count(), 1);
    QVERIFY(list->item(0)->text().startsWith(u"Secret 1"_s));
    for (const QString &text : visibleTexts(&dialog))
        QVERIFY2(!text.contains(QString::fromLatin1(secret)), qPrintable(text));
    QTRY_VERIFY(problem->text().isEmpty());
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QTest::mouseClick(saveButton(&dialog), Qt::LeftButton);
    QTRY_COMPARE(accepted.count(), 1);
    const Webhook saved = stored(m_fixture->store(), dialog.savedWebhook().id);
    QCOMPARE(saved.authentication, AuthMode::Signature);
    QCOMPARE(saved.verification.preset, SignaturePreset::GitHub);
    QCOMPARE(saved.verification.secrets, QStringList { QString::fromLatin1(secret) });

    // The receiver verifies as the form says: no key needed, the signature is.
    m_fixture->receiverFollows();
    const QString url = m_fixture->endpoint(saved.id);
    const QByteArray body = R"({"ref":"refs/heads/main"})";
    const QList<QPair<QByteArray, QByteArray>> json { { "Content-Type", "application/json" } };
    QCOMPARE(sendRequest(url, "POST",
                 json
                     + QList<QPair<QByteArray, QByteArray>> { { "X-Hub-Signature-256",
                         githubSignature(secret, body) } },
                 body)
                 .status,
        200);
    QCOMPARE(sendRequest(url, "POST",
                 json
                     + QList<QPair<QByteArray, QByteArray>> { { "X-Hub-Signature-256",
                         githubSignature("other", body) } },
                 body)
                 .status,
        401);

    // Edited again: the secret is there (one, masked), nowhere in view, and rotation adds a
    // second one; removing the first leaves the second.
    WebhookFormDialog edit(context(), saved);
    QSignalSpy editAccepted(&edit, &QDialog::accepted);
    edit.show();
    QVERIFY(QTest::qWaitForWindowExposed(&edit));
    auto *editList = child<QListWidget>(&edit, u"secretList"_s);
    QCOMPARE(editList->count(), 1);
    for (const QString &text : visibleTexts(&edit))
        QVERIFY2(!text.contains(QString::fromLatin1(secret)), qPrintable(text));
    auto *editEntry = child<QLineEdit>(&edit, u"secretEdit"_s);
    editEntry->setFocus();
    QTest::keyClicks(editEntry, u"rotated-secret-2"_s);
    QTest::mouseClick(child<QPushButton>(&edit, u"addSecretButton"_s), Qt::LeftButton);
    QCOMPARE(editList->count(), 2);
    editList->setCurrentRow(0);
    QTest::mouseClick(child<QPushButton>(&edit, u"removeSecretButton"_s), Qt::LeftButton);
    QCOMPARE(editList->count(), 1);
    QTRY_VERIFY(saveButton(&edit)->isEnabled());
    QTest::mouseClick(saveButton(&edit), Qt::LeftButton);
    QTRY_COMPARE(editAccepted.count(), 1);
    QCOMPARE(stored(m_fixture->store(), saved.id).verification.secrets,
        QStringList { u"rotated-secret-2"_s });
}

void TestWebhookFormAuth::responseFromAPresetAndBack()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClicks(child<QLineEdit>(&dialog, u"nameEdit"_s), u"Retry test"_s);
    auto *preset = child<QComboBox>(&dialog, u"responsePresetCombo"_s);
    choose(preset, 3); // Fail with 500
    auto *status = child<QSpinBox>(&dialog, u"responseStatusSpin"_s);
    QVERIFY(status->isVisible());
    QCOMPARE(status->value(), 500);
    // Changing the preset's answer makes it the user's own.
    child<QSpinBox>(&dialog, u"responseDelaySpin"_s)->setValue(250);
    QCOMPARE(preset->currentData().toInt(), 4);
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
    QTest::mouseClick(saveButton(&dialog), Qt::LeftButton);
    QTRY_COMPARE(accepted.count(), 1);
    const Webhook saved = stored(m_fixture->store(), dialog.savedWebhook().id);
    QVERIFY(saved.response.has_value());
    QCOMPARE(saved.response->status, 500);
    QCOMPARE(saved.response->delayMs, 250);

    m_fixture->receiverFollows();
    const QString key = addKey(u"sender"_s);
    const QString url = m_fixture->endpoint(saved.id) + u"?api-key="_s + key;
    const QList<QPair<QByteArray, QByteArray>> json { { "Content-Type", "application/json" } };
    const HttpAnswer failed = sendRequest(url, "POST", json, "{}");
    QCOMPARE(failed.status, 500);
    QVERIFY2(failed.body.startsWith("Hooktrail was asked to fail"), failed.body.constData());

    WebhookFormDialog edit(context(), saved);
    QSignalSpy editAccepted(&edit, &QDialog::accepted);
    edit.show();
    QVERIFY(QTest::qWaitForWindowExposed(&edit));
    auto *editPreset = child<QComboBox>(&edit, u"responsePresetCombo"_s);
    QCOMPARE(editPreset->currentData().toInt(), 4);
    choose(editPreset, 0); // Hooktrail JSON
    QVERIFY(!child<QSpinBox>(&edit, u"responseStatusSpin"_s)->isVisible());
    QTRY_VERIFY(saveButton(&edit)->isEnabled());
    QTest::mouseClick(saveButton(&edit), Qt::LeftButton);
    QTRY_COMPARE(editAccepted.count(), 1);
    QVERIFY(!stored(m_fixture->store(), saved.id).response.has_value());
    m_fixture->receiverFollows();
    const HttpAnswer contract = sendRequest(url, "POST", json, "{}");
    QCOMPARE(contract.status, 200);
    QCOMPARE(contract.reason(), u"accepted"_s);
}

void TestWebhookFormAuth::responseProblemsAreNamed()
{
    WebhookFormDialog dialog(context(), std::nullopt);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClicks(child<QLineEdit>(&dialog, u"nameEdit"_s), u"Framing"_s);
    choose(child<QComboBox>(&dialog, u"responsePresetCombo"_s), 2); // Echo the id
    auto *table = child<QTableWidget>(&dialog, u"responseHeadersTable"_s);
    QTest::mouseClick(child<QPushButton>(&dialog, u"addResponseHeaderButton"_s), Qt::LeftButton);
    table->setCurrentItem(nullptr);
    table->item(0, 0)->setText(u"Content-Length"_s);
    table->item(0, 1)->setText(u"3"_s);
    auto *problem = child<QLabel>(&dialog, u"responseProblem"_s);
    QTRY_VERIFY2(problem->text().contains(u"Content-Length is set by Hooktrail"_s),
        qPrintable(problem->text()));
    QVERIFY(!saveButton(&dialog)->isEnabled());
    table->item(0, 0)->setText(u"X-Echo"_s);
    QTRY_VERIFY(problem->text().isEmpty());
    QTRY_VERIFY(saveButton(&dialog)->isEnabled());
}

QTEST_MAIN(TestWebhookFormAuth)
#include "tst_webhookform_auth.moc"
