// The console's destinations (ARCHITECTURE §5.5): the section of the webhook form (add with
// validation, pause and resume, remove with confirmation, a test delivery over real HTTP) and
// the health the Webhooks page shows.
#include "core/delivery/forwarding.h"
#include "core/store/store.h"
#include "destinationserver.h"
#include "dialogtest.h"
#include "ui/destinationdialog.h"
#include "ui/destinationsection.h"
#include "ui/headertableeditor.h"
#include "ui/problemlabel.h"
#include "ui/webhookformdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QTreeWidget>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_DestinationsForm final : public DialogTest
{
    Q_OBJECT

private slots:
    void newWebhookAsksToSaveFirst();
    void addValidatesThenWrites();
    void pauseResumeAndRemove();
    void testDeliveryOverRealHttp();
    void healthIsShown();

private:
    Destination addDestination(const Webhook &webhook, const QString &url);
    QList<Destination> stored(const Webhook &webhook) const
    {
        const auto found = m_fixture->store()->deliveries().destinations(webhook.id);
        return found ? *found : QList<Destination>();
    }
};

Destination tst_DestinationsForm::addDestination(const Webhook &webhook, const QString &url)
{
    Destination destination;
    destination.webhookId = webhook.id;
    destination.name = u"app"_s;
    destination.url = url;
    destination.headers = { { u"X-Token"_s, u"t0k"_s } };
    const Result<Destination> added = m_fixture->store()->deliveries().addDestination(destination);
    if (!added)
        qWarning("%s", qPrintable(added.error()));
    return added ? *added : Destination();
}

void tst_DestinationsForm::newWebhookAsksToSaveFirst()
{
    WebhookFormDialog form(context(), std::nullopt);
    auto *section = child<DestinationSection>(&form, u"destinationSection"_s);
    QVERIFY(section);
    QVERIFY(child<QLabel>(section, u"destinationEmpty"_s)->text().contains(u"Save the webhook"_s));
    QVERIFY(!child<QPushButton>(section, u"addDestination"_s)->isEnabled());
}

void tst_DestinationsForm::addValidatesThenWrites()
{
    const Webhook webhook = addWebhook(named(u"orders"_s));
    WebhookFormDialog form(context(), webhook);
    auto *section = child<DestinationSection>(&form, u"destinationSection"_s);
    QTRY_VERIFY(
        child<QLabel>(section, u"destinationEmpty"_s)->text().contains(u"No destination"_s));
    auto *add = child<QPushButton>(section, u"addDestination"_s);
    QVERIFY(add->isEnabled());
    add->click();
    DestinationDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = section->findChild<DestinationDialog *>()) != nullptr);
    auto *url = child<QLineEdit>(dialog, u"destinationUrlEdit"_s);
    url->setText(u"ftp://files.example/x"_s);
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QVERIFY(dialog->isVisible()); // refused
    const QString problem = child<ProblemLabel>(dialog, u"urlProblem"_s)->text();
    QVERIFY2(problem.contains(u"http://"_s), qPrintable(problem));
    QVERIFY(stored(webhook).isEmpty());

    url->setText(u"http://127.0.0.1:3000/hooks"_s);
    child<QLineEdit>(dialog, u"destinationNameEdit"_s)->setText(u"Staging"_s);
    child<HeaderTableEditor>(dialog, u"destinationHeaders"_s)->addHeader(u"X-Token"_s, u"abc"_s);
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save)->click();
    QTRY_COMPARE(stored(webhook).size(), 1);
    const Destination saved = stored(webhook).first();
    QCOMPARE(saved.name, u"Staging"_s);
    QCOMPARE(saved.url, u"http://127.0.0.1:3000/hooks"_s);
    QCOMPARE(saved.headers.size(), 1);
    QCOMPARE(saved.timeoutMs, Destination::DefaultTimeoutMs);
    auto *list = child<QTreeWidget>(section, u"destinationList"_s);
    QTRY_COMPARE(list->topLevelItemCount(), 1);
    QCOMPARE(list->topLevelItem(0)->text(0), u"Staging"_s);
}

void tst_DestinationsForm::pauseResumeAndRemove()
{
    const Webhook webhook = addWebhook(named(u"orders"_s));
    const Destination destination = addDestination(webhook, u"http://127.0.0.1:3000/hooks"_s);
    WebhookFormDialog form(context(), webhook);
    form.show();
    auto *section = child<DestinationSection>(&form, u"destinationSection"_s);
    auto *list = child<QTreeWidget>(section, u"destinationList"_s);
    QTRY_COMPARE(list->topLevelItemCount(), 1);
    list->topLevelItem(0)->setSelected(true);
    auto *pause = child<QPushButton>(section, u"pauseDestination"_s);
    QCOMPARE(pause->text(), u"Pause"_s);
    pause->click();
    QTRY_VERIFY(!stored(webhook).first().enabled);
    QTRY_COMPARE(pause->text(), u"Resume"_s);
    QTRY_VERIFY(list->topLevelItem(0)->text(2).startsWith(u"Paused"_s));
    pause->click();
    QTRY_VERIFY(stored(webhook).first().enabled);

    child<QPushButton>(section, u"removeDestination"_s)->click();
    QMessageBox *box = nullptr;
    QTRY_VERIFY(
        (box = section->findChild<QMessageBox *>(u"removeDestinationConfirmation"_s)) != nullptr);
    QCOMPARE(stored(webhook).size(), 1); // nothing yet: it asks first
    child<QPushButton>(box, u"confirmRemoveDestination"_s)->click();
    QTRY_VERIFY(stored(webhook).isEmpty());
    QTRY_COMPARE(list->topLevelItemCount(), 0);
    Q_UNUSED(destination);
}

void tst_DestinationsForm::testDeliveryOverRealHttp()
{
    DestinationServer server;
    QVERIFY(server.listen());
    server.respond([](const ParsedRequest &, int) {
        DestinationServer::Answer answer;
        answer.status = 204;
        return answer;
    });
    const Webhook webhook = addWebhook(named(u"orders"_s));
    addDestination(webhook, server.url());
    WebhookFormDialog form(context(), webhook);
    auto *section = child<DestinationSection>(&form, u"destinationSection"_s);
    auto *list = child<QTreeWidget>(section, u"destinationList"_s);
    QTRY_COMPARE(list->topLevelItemCount(), 1);
    list->topLevelItem(0)->setSelected(true);
    child<QPushButton>(section, u"testDestination"_s)->click();
    auto *status = child<QLabel>(section, u"destinationStatus"_s);
    QTRY_VERIFY2(status->text().contains(u"HTTP 204"_s), qPrintable(status->text()));
    QVERIFY(status->text().contains(u"accepted"_s));
    QCOMPARE(status->textFormat(), Qt::PlainText);
    QCOMPARE(server.received.size(), 1);
    QCOMPARE(server.received.first().header("x-token"), "t0k"_ba);
    QCOMPARE(server.received.first().header(Forwarding::RequestIdHeader), "0"_ba);
    // Nothing listens: said, not hung.
    server.close();
    child<QPushButton>(section, u"testDestination"_s)->click();
    QTRY_VERIFY2(status->text().contains(u"failed"_s), qPrintable(status->text()));
}

void tst_DestinationsForm::healthIsShown()
{
    const Webhook webhook = addWebhook(named(u"orders"_s));
    const Destination destination = addDestination(webhook, u"http://127.0.0.1:9/x"_s);
    // A failure with a breaker that opens at the first: the destination pauses by itself.
    DeliveryTables::Finished failed;
    failed.job.destination = destination;
    failed.attempt.number = 1;
    failed.attempt.startedMicros = currentMicros();
    failed.attempt.status = 503;
    failed.attempt.owner = u"test"_s;
    failed.outcome.state = DeliveryState::Retrying;
    BreakerPolicy policy;
    policy.failuresToOpen = 1;
    QVERIFY(m_fixture->store()->deliveries().record({ failed }, policy));
    DestinationSection panel(context(), DestinationSection::Mode::HealthOnly);
    panel.setWebhook(webhook.id);
    auto *list = child<QTreeWidget>(&panel, u"destinationList"_s);
    QTRY_COMPARE(list->topLevelItemCount(), 1);
    QVERIFY2(list->topLevelItem(0)->text(2).contains(u"Paused by itself after 1 failure"_s),
        qPrintable(list->topLevelItem(0)->text(2)));
    QVERIFY(list->topLevelItem(0)->toolTip(2).contains(u"HTTP 503"_s));
    QVERIFY(!panel.findChild<QPushButton *>(u"addDestination"_s)); // the page only shows
    // Resumed, it delivers again.
    QVERIFY(m_fixture->store()->deliveries().setDestinationEnabled(destination.id, true));
    panel.reload();
    QTRY_VERIFY(
        list->topLevelItem(0) && list->topLevelItem(0)->text(2).startsWith(u"Delivering"_s));
}

QTEST_MAIN(tst_DestinationsForm)
#include "tst_destinations_form.moc"
