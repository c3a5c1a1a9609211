// The Connections page's copies of webhooks: Duplicate (the state kept, the copy's endpoint
// offered) and import/export through the preview (added, renamed, skipped; ids kept or not),
// against a real store and receiver.
#include "connectionstest.h"
#include "core/history/webhooktransfer.h"
#include "core/store/store.h"
#include "ui/endpointdialog.h"
#include "ui/importpreviewdialog.h"
#include "ui/webhookformdialog.h"
#include "ui/webhooklistmodel.h"

#include <QCheckBox>
#include <QDir>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>

using namespace Hooktrail;
using namespace Qt::StringLiterals;

namespace {

using Console = TestSupport::ConnectionsConsole;
using TestSupport::idsOf;
using TestSupport::namesOf;
using TestSupport::ruledWebhook;
using TestSupport::waitForChild;
using TestSupport::webhookNamed;

// The settings a user edits, without id and timestamps.
QJsonObject settingsOf(Webhook webhook, const QString &name = {})
{
    if (!name.isEmpty())
        webhook.name = name;
    return webhook.toJson(false);
}

// The preview's lines as "name | methods | what happens".
QStringList previewLines(ImportPreviewDialog *preview)
{
    auto *table = preview->findChild<QTableWidget *>(u"importPreviewTable"_s);
    QStringList lines;
    for (int row = 0; table && row < table->rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < table->columnCount(); ++column)
            cells.append(table->item(row, column)->text());
        lines.append(cells.join(u" | "_s));
    }
    return lines;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(bytes) == bytes.size();
}

// Opens the preview of path and confirms it, ids kept or not; the page's importFinished
// arguments, or nothing when the preview did not show or the import did not finish.
std::optional<QList<QVariant>> importThroughPreview(
    Console &console, const QString &path, std::optional<bool> keepIds = std::nullopt)
{
    QSignalSpy finished(console.page.get(), &ConnectionsPage::importFinished);
    console.page->importFrom(path);
    auto *preview = waitForChild<ImportPreviewDialog>(console.page.get());
    if (!preview)
        return std::nullopt;
    if (keepIds)
        preview->findChild<QCheckBox *>(u"keepIdsCheckBox"_s)->setChecked(*keepIds);
    auto *import = preview->findChild<QPushButton *>(u"importButton"_s);
    if (!import || !import->isEnabled())
        return std::nullopt;
    import->click();
    if (!finished.wait(5000))
        return std::nullopt;
    return finished.first();
}

} // namespace

class tst_ConnectionsTransfer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void duplicateCopiesTheRules();
    void duplicateKeepsTheDisabledState();
    void exportDeleteImportKeepsEndpoints();
    void previewSaysWhatHappensAndCancelAddsNothing();
    void exportThenImportWithNewIds();
    void importReportsProblems();
};

void tst_ConnectionsTransfer::duplicateCopiesTheRules()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    const std::optional<Webhook> original = console.add(ruledWebhook(u"Orders"_s));
    QVERIFY(original);
    QTRY_COMPARE(console.page->model()->rowCount(), 1);
    console.page->selectWebhook(original->id);

    console.page->duplicateSelected();
    auto *form = waitForChild<WebhookFormDialog>(console.page.get());
    QVERIFY(form);
    QCOMPARE(form->windowTitle(), u"Duplicate webhook"_s);
    QCOMPARE(form->findChild<QLineEdit *>(u"nameEdit"_s)->text(), u"Copy of Orders"_s);
    QVERIFY(!form->findChild<QLabel *>(u"copyStateLabel"_s)); // enabled: nothing to point out
    auto *save = form->findChild<QPushButton *>(u"saveButton"_s);
    QVERIFY(save);
    QTRY_VERIFY(save->isEnabled());
    save->click();
    QTRY_COMPARE(console.page->model()->rowCount(), 2);

    const int row = console.page->model()->rowCount() - 1;
    const Webhook copy = console.page->model()->webhookAt(row);
    QCOMPARE(copy.name, u"Copy of Orders"_s);
    QVERIFY(copy.id != original->id);
    QCOMPARE(settingsOf(copy), settingsOf(*original, u"Copy of Orders"_s));
    const std::optional<Webhook> stored = *console.db->config().webhook(copy.id);
    QVERIFY(stored);
    QCOMPARE(settingsOf(*stored), settingsOf(copy));
    QTRY_COMPARE(console.page->selectedWebhook()->id, copy.id); // the new one is selected
    // Its endpoint is offered, as after Add more: the copy's own, not the original's.
    auto *endpoint = waitForChild<EndpointDialog>(console.page.get());
    QVERIFY(endpoint);
    QCOMPARE(endpoint->endpointWithoutKey(), console.fixture.endpoint(copy.id));
    endpoint->reject();
    QTRY_VERIFY(!console.page->findChild<EndpointDialog *>());

    // A second copy of the same webhook gets a name of its own.
    console.page->selectWebhook(original->id);
    console.page->duplicateSelected();
    QTRY_VERIFY(console.page->findChildren<WebhookFormDialog *>().size() == 1
        && console.page->findChild<WebhookFormDialog *>()->isVisible());
    QCOMPARE(console.page->findChild<WebhookFormDialog *>()
                 ->findChild<QLineEdit *>(u"nameEdit"_s)
                 ->text(),
        u"Copy of Orders (2)"_s);
}

// A copy of a disabled webhook is disabled: the form says so before Save, the row shows it,
// the page's message says it, and the endpoint offered is the copy's.
void tst_ConnectionsTransfer::duplicateKeepsTheDisabledState()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    const std::optional<Webhook> original = console.add(webhookNamed(u"Paused"_s, false));
    QVERIFY(original);
    QTRY_COMPARE(console.page->model()->rowCount(), 1);
    console.page->selectWebhook(original->id);

    console.page->duplicateSelected();
    auto *form = waitForChild<WebhookFormDialog>(console.page.get());
    QVERIFY(form);
    auto *state = form->findChild<QLabel *>(u"copyStateLabel"_s);
    QVERIFY(state && state->isVisible());
    QVERIFY2(state->text().contains(u"disabled"_s), qPrintable(state->text()));
    auto *save = form->findChild<QPushButton *>(u"saveButton"_s);
    QTRY_VERIFY(save->isEnabled());
    save->click();

    auto *endpoint = waitForChild<EndpointDialog>(console.page.get());
    QVERIFY(endpoint);
    QTRY_COMPARE(console.page->model()->rowCount(), 2);
    const Webhook copy = console.page->model()->webhookAt(1);
    QCOMPARE(copy.name, u"Copy of Paused"_s);
    QVERIFY(!copy.enabled);
    QVERIFY(!console.db->config().webhook(copy.id).value()->enabled);
    QCOMPARE(endpoint->endpointWithoutKey(), console.fixture.endpoint(copy.id));
    QVERIFY(endpoint->endpointWithoutKey() != console.fixture.endpoint(original->id));

    const QModelIndex status = console.page->model()->index(1, WebhookListModel::StatusColumn);
    QCOMPARE(status.data().toString(), u"Disabled"_s);
    QCOMPARE(status.data(WebhookListModel::EnabledRole).toBool(), false);
    QTRY_COMPARE(console.page->selectedWebhook()->id, copy.id);
    auto *message = console.page->findChild<QLabel *>(u"messageLabel"_s);
    QVERIFY(message && message->isVisible());
    QVERIFY2(message->text().contains(u"“Copy of Paused” is added, disabled like “Paused”"_s),
        qPrintable(message->text()));
}

// The restore: export, delete, import keeping ids (on by default for a file with ids). The
// webhooks come back under the same ids, so the same endpoint URLs reach them: the receiver
// answers them again instead of 404 unknown_webhook.
void tst_ConnectionsTransfer::exportDeleteImportKeepsEndpoints()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    QVERIFY(console.add(ruledWebhook(u"Orders"_s)));
    QVERIFY(console.add(webhookNamed(u"Paused"_s, false)));
    const QList<Webhook> before = console.stored();
    QStringList endpoints;
    for (const Webhook &webhook : before)
        endpoints.append(console.fixture.endpoint(webhook.id));
    QTRY_COMPARE(console.page->model()->rowCount(), 2);

    const QString path = console.filePath(u"webhooks.json"_s);
    QSignalSpy exported(console.page.get(), &ConnectionsPage::exportFinished);
    console.page->exportTo(path);
    QVERIFY(exported.wait(5000));
    QVERIFY2(exported.first().at(0).toBool(), qPrintable(exported.first().at(1).toString()));
    for (const Webhook &webhook : before)
        console.page->removeWebhook(webhook.id, false);
    QTRY_COMPARE(console.page->model()->rowCount(), 0);
    QTRY_COMPARE(TestSupport::sendRequest(endpoints.first(), "POST").status, 404);

    QSignalSpy finished(console.page.get(), &ConnectionsPage::importFinished);
    console.page->importFrom(path);
    auto *preview = waitForChild<ImportPreviewDialog>(console.page.get());
    QVERIFY(preview);
    auto *keepIds = preview->findChild<QCheckBox *>(u"keepIdsCheckBox"_s);
    QVERIFY(keepIds && keepIds->isEnabled() && keepIds->isChecked());
    QCOMPARE(previewLines(preview),
        (QStringList { u"Orders | POST, PUT | Added, same endpoint"_s,
            u"Paused | POST | Added, same endpoint"_s }));
    preview->findChild<QPushButton *>(u"importButton"_s)->click();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().at(0).toInt(), 2);

    const QList<Webhook> after = console.stored();
    QCOMPARE(idsOf(after), idsOf(before));
    for (int i = 0; i < after.size(); ++i) {
        QCOMPARE(settingsOf(after.at(i)), settingsOf(before.at(i)));
        QCOMPARE(console.fixture.endpoint(after.at(i).id), endpoints.at(i));
    }
    QTRY_COMPARE(console.page->model()->rowCount(), 2);
    // The old URLs reach them again: Orders refuses this address (403), Paused is disabled (503).
    QTRY_COMPARE(TestSupport::sendRequest(endpoints.at(0), "POST").status, 403);
    QTRY_COMPARE(TestSupport::sendRequest(endpoints.at(1), "POST").status, 503);

    // And a webhook added afterwards gets an id and an endpoint of its own.
    const std::optional<Webhook> later = console.add(webhookNamed(u"Later"_s));
    QVERIFY(later);
    QVERIFY(!idsOf(before).contains(later->id));
    QCOMPARE(console.stored().size(), 3);
}

// Before anything is written the preview lists every webhook of the file with what will
// happen to it, following the ids choice; Cancel then leaves the store as it was.
void tst_ConnectionsTransfer::previewSaysWhatHappensAndCancelAddsNothing()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    const std::optional<Webhook> orders = console.add(webhookNamed(u"Orders"_s));
    QVERIFY(orders && console.add(webhookNamed(u"Leads"_s)));
    const QList<Webhook> before = console.stored();
    const QString path = console.filePath(u"mixed.json"_s);
    QVERIFY(writeFile(path,
        QStringLiteral(R"([{"name": "Orders", "id": "%1"},
                           {"name": "leads", "methodsWhitelist": ["PUT"]},
                           {"name": "Invoices", "methodsWhitelist": ["POST", "PATCH"],
                            "id": "%2"},
                           {"name": "Bad IP", "ipAddressWhitelist": ["300.1.2.3"]}])")
            .arg(orders->id, Webhook::newId())
            .toUtf8()));

    console.page->importFrom(path);
    auto *preview = waitForChild<ImportPreviewDialog>(console.page.get());
    QVERIFY(preview);
    QCOMPARE(preview->windowModality(), Qt::WindowModal);
    const QStringList kept = previewLines(preview);
    QCOMPARE(kept.size(), 4);
    QCOMPARE(kept.at(0), u"Orders | POST | Skipped: already here"_s);
    QCOMPARE(kept.at(1),
        u"leads | PUT | Added as “leads (imported)” (the name is in use), new endpoint"_s);
    QCOMPARE(kept.at(2), u"Invoices | POST, PATCH | Added, same endpoint"_s);
    QVERIFY2(kept.at(3).startsWith(u"Bad IP | POST | Skipped: ipAddressWhitelist: "_s),
        qPrintable(kept.at(3)));
    auto *summary = preview->findChild<QLabel *>(u"importSummaryLabel"_s);
    QCOMPARE(summary->text(), u"Webhooks in the file: 4. To add: 2 (renamed: 1). Skipped: 2."_s);
    QVERIFY(preview->findChild<QPushButton *>(u"importButton"_s)->isEnabled());

    // Without ids the first one is no longer "already here": a renamed copy with a new id.
    preview->findChild<QCheckBox *>(u"keepIdsCheckBox"_s)->setChecked(false);
    const QStringList fresh = previewLines(preview);
    QCOMPARE(fresh.at(0),
        u"Orders | POST | Added as “Orders (imported)” (the name is in use), new endpoint"_s);
    QCOMPARE(fresh.at(1),
        u"leads | PUT | Added as “leads (imported)” (the name is in use), new endpoint"_s);
    QCOMPARE(fresh.at(2), u"Invoices | POST, PATCH | Added, new endpoint"_s);
    QVERIFY(QStringView(fresh.at(3)).startsWith(u"Bad IP | POST | Skipped"));

    QSignalSpy finished(console.page.get(), &ConnectionsPage::importFinished);
    QPointer<ImportPreviewDialog> guard(preview);
    preview->findChild<QPushButton *>(u"cancelButton"_s)->click();
    QTRY_VERIFY(!guard);
    QCOMPARE(console.stored().size(), before.size());
    QCOMPARE(idsOf(console.stored()), idsOf(before));
    QCOMPARE(finished.count(), 0);
}

// A file without ids (written before they travelled), imported twice into the folder it came
// from: names in use get " (imported)", then " (imported 2)"; nothing lost, nothing
// overwritten. Into an empty folder it gives the same settings under the same names.
void tst_ConnectionsTransfer::exportThenImportWithNewIds()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    const std::optional<Webhook> orders = console.add(ruledWebhook(u"Orders"_s));
    const std::optional<Webhook> stopped = console.add(webhookNamed(u"Paused"_s, false));
    QVERIFY(orders && stopped);
    const QString path = console.filePath(u"old.json"_s);
    QVERIFY(writeFile(
        path, QJsonDocument(QJsonArray { settingsOf(*orders), settingsOf(*stopped) }).toJson()));

    Console empty;
    QVERIFY2(empty.start(&error), qPrintable(error));
    empty.page->importFrom(path);
    auto *preview = waitForChild<ImportPreviewDialog>(empty.page.get());
    QVERIFY(preview);
    auto *keepIds = preview->findChild<QCheckBox *>(u"keepIdsCheckBox"_s);
    QVERIFY(!keepIds->isChecked() && !keepIds->isEnabled()); // nothing to keep
    preview->reject();
    const std::optional<QList<QVariant>> intoEmpty = importThroughPreview(empty, path);
    QVERIFY(intoEmpty);
    QCOMPARE(intoEmpty->at(0).toInt(), 2);
    QVERIFY(intoEmpty->at(1).toStringList().isEmpty());
    QVERIFY(intoEmpty->at(2).toStringList().isEmpty());
    const QList<Webhook> copied = empty.stored();
    QCOMPARE(settingsOf(copied.at(0)), settingsOf(*orders));
    QCOMPARE(settingsOf(copied.at(1)), settingsOf(*stopped));

    for (int round = 1; round <= 2; ++round) {
        const std::optional<QList<QVariant>> imported = importThroughPreview(console, path);
        QVERIFY(imported);
        QCOMPARE(imported->at(0).toInt(), 2);
        QCOMPARE(imported->at(1).toStringList().size(), 2);
        QVERIFY(imported->at(2).toStringList().isEmpty());
    }
    const QList<Webhook> all = console.stored();
    QCOMPARE(namesOf(all),
        (QStringList { u"Orders"_s, u"Paused"_s, u"Orders (imported)"_s, u"Paused (imported)"_s,
            u"Orders (imported 2)"_s, u"Paused (imported 2)"_s }));
    QCOMPARE(settingsOf(all.at(4)), settingsOf(*orders, u"Orders (imported 2)"_s));
    const QStringList ids = idsOf(all);
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 6);
    QTRY_COMPARE(console.page->model()->rowCount(), 6);
    // The last one added is selected, so the list shows where the import went.
    QTRY_VERIFY(console.page->selectedWebhook()
        && console.page->selectedWebhook()->name == u"Paused (imported 2)"_s);
}

void tst_ConnectionsTransfer::importReportsProblems()
{
    Console console;
    QString error;
    QVERIFY2(console.start(&error), qPrintable(error));
    const QString path = console.filePath(u"mixed.json"_s);
    QVERIFY(writeFile(path, R"([{"name": "Good", "methodsWhitelist": ["POST"]},
                   {"name": "", "methodsWhitelist": ["POST"]},
                   {"name": "Bad IP", "ipAddressWhitelist": ["300.1.2.3"]}])"));

    const std::optional<QList<QVariant>> imported = importThroughPreview(console, path);
    QVERIFY(imported);
    QCOMPARE(imported->at(0).toInt(), 1);
    QCOMPARE(imported->at(2).toStringList().size(), 2);
    QCOMPARE(namesOf(console.stored()), QStringList { u"Good"_s });
    auto *problems = console.page->findChild<QLabel *>(u"errorLabel"_s);
    QVERIFY(problems && problems->isVisible());
    QVERIFY(problems->text().contains(u"Webhooks imported: 1."_s));

    // A file that cannot be read, or is not JSON, has no preview: the page says why at once.
    QSignalSpy missing(console.page.get(), &ConnectionsPage::importFinished);
    console.page->importFrom(console.filePath(u"absent.json"_s));
    QVERIFY(missing.wait(5000));
    QCOMPARE(missing.first().at(0).toInt(), 0);
    QCOMPARE(missing.first().at(2).toStringList().size(), 1);
    const QString broken = console.filePath(u"broken.json"_s);
    QVERIFY(writeFile(broken, "[{"));
    QSignalSpy notJson(console.page.get(), &ConnectionsPage::importFinished);
    console.page->importFrom(broken);
    QVERIFY(notJson.wait(5000));
    QVERIFY2(notJson.first().at(2).toStringList().value(0).contains(u"not valid JSON"_s),
        qPrintable(notJson.first().at(2).toStringList().join(u'\n')));
    for (const ImportPreviewDialog *preview : console.page->findChildren<ImportPreviewDialog *>())
        QVERIFY(!preview->isVisible()); // the one confirmed above, not deleted yet at most
}

QTEST_MAIN(tst_ConnectionsTransfer)
#include "tst_connections_transfer.moc"
