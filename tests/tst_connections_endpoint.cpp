// A webhook's endpoint from the Connections page without a manual: a key created right in the
// endpoint modal (shown once, copied, accepted by the receiver), the detail panel beside the
// list (endpoint without key, methods and rules, state, empty state, its fit in the window in
// English and French) and the id and endpoint in the edit form. Real store, real receiver on
// port 0, offscreen.
#include "connectionstest.h"
#include "core/endpoint/keyrule.h"
#include "core/store/store.h"
#include "dialogtest.h"
#include "ui/connectionspage.h"
#include "ui/endpointdialog.h"
#include "ui/languages.h"
#include "ui/mainwindow.h"
#include "ui/webhookdetailpanel.h"
#include "ui/webhookformdialog.h"
#include "ui/webhooklistmodel.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTableView>
#include <QtTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

QString clipboardText()
{
    return QGuiApplication::clipboard()->text();
}

// The widget's rectangle in ancestor's coordinates.
QRect rectIn(const QWidget *widget, const QWidget *ancestor)
{
    return QRect(widget->mapTo(ancestor, QPoint(0, 0)), widget->size());
}

} // namespace

class TestConnectionsEndpoint final : public DialogTest
{
    Q_OBJECT
private slots:
    void createKeyWhileAnotherExists();
    void createKeyVisibleWithoutScrolling();
    void panelShowsTheSelectedWebhook();
    void panelCopiesTheEndpointByShortcut();
    void panelReadsDisabledAndFollowsChanges();
    void panelFitsTheWindow_data();
    void panelFitsTheWindow();
    void editFormShowsIdAndEndpoint();

private:
    // The page over the fixture, shown at size; the caller waits for its list.
    std::unique_ptr<ConnectionsPage> showPage(const QSize &size)
    {
        auto page = std::make_unique<ConnectionsPage>(context());
        page->resize(size);
        page->show();
        if (!QTest::qWaitForWindowExposed(page.get()))
            qWarning("the page was not exposed");
        return page;
    }
};

// Creating a key from the endpoint modal while another key exists: shown once, with its own
// Copy, the endpoint then carrying it, and the receiver taking requests with it.
void TestConnectionsEndpoint::createKeyWhileAnotherExists()
{
    const Webhook webhook = addWebhook(named(u"Orders"_s));
    const QString existing = addKey(u"Older sender"_s);
    QVERIFY(!existing.isEmpty());

    EndpointDialog dialog(context(), webhook);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *create = child<QPushButton>(&dialog, u"createKeyButton"_s);
    auto *panel = child<QWidget>(&dialog, u"newKeyPanel"_s);
    QVERIFY(create && panel);
    QVERIFY(create->isVisible()); // offered although a usable key exists
    QVERIFY(!panel->isVisible());

    // Enter in the name field creates the key, as the button does.
    auto *name = child<QLineEdit>(&dialog, u"keyNameEdit"_s);
    dialog.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    name->setFocus();
    QTRY_VERIFY(name->hasFocus());
    QTest::keyClicks(name, u"Shop sender"_s);
    QTest::keyClick(name, Qt::Key_Return);
    QTRY_VERIFY(panel->isVisible());
    QVERIFY(child<QLabel>(&dialog, u"keyProblem"_s)->text().isEmpty()); // no Verify of an empty key
    const QString secret = child<QLineEdit>(&dialog, u"newKeyEdit"_s)->text();
    QVERIFY2(secret.startsWith(u"htk_"_s), qPrintable(secret));
    QVERIFY(secret != existing);

    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(child<QPushButton>(&dialog, u"copyKeyButton"_s), Qt::LeftButton);
    QCOMPARE(clipboardText(), secret);

    // The endpoint is shown with exactly that key, beside it.
    auto *endpoint = child<QLineEdit>(&dialog, u"endpointEdit"_s);
    QVERIFY(endpoint->isVisible());
    const QString expected = m_fixture->endpoint(webhook.id) + u'?' + Endpoint::keyQuery(secret);
    QCOMPARE(endpoint->text(), expected);
    QCOMPARE(dialog.endpointWithKey(), expected);

    // Stored under its name, only as a hash, and valid next to the older key.
    const auto keys = m_fixture->store()->config().keys();
    QVERIFY(keys);
    QCOMPARE(keys->size(), 2);
    QCOMPARE(keys->last().name, u"Shop sender"_s);
    const Endpoint::KeyMatch match = Endpoint::matchKey(secret.toUtf8(), *keys);
    QVERIFY(match.valid());
    QCOMPARE(match.id, keys->last().id);

    // The receiver opens the endpoint to it.
    const HttpAnswer answer
        = sendRequest(endpoint->text(), "POST", { { "Content-Type", "application/json" } }, "{}");
    QCOMPARE(answer.status, 200);

    // Shown once: the next modal does not show it again.
    EndpointDialog next(context(), webhook);
    next.show();
    QVERIFY(!child<QWidget>(&next, u"newKeyPanel"_s)->isVisible());
    for (const QLineEdit *edit : next.findChildren<QLineEdit *>())
        QVERIFY(!edit->text().contains(secret));
}

// In a 1280×800 window, the modal that follows Save Webhook shows the key creation without any
// scrolling: the dialog fits the window's height and the box lies inside the dialog, before and
// after the key is created.
void TestConnectionsEndpoint::createKeyVisibleWithoutScrolling()
{
    const Webhook webhook = addWebhook(ruledWebhook(u"Orders"_s));
    addKey(u"Older sender"_s);
    QWidget window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *dialog = new EndpointDialog(context(), webhook, &window);
    dialog->open();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QVERIFY(dialog->findChildren<QScrollArea *>().isEmpty());

    QVERIFY(dialog->frameGeometry().height() <= 800);
    QVERIFY(dialog->frameGeometry().width() <= 1280);
    auto *box = child<QWidget>(dialog, u"createKeyBox"_s);
    auto *create = child<QPushButton>(dialog, u"createKeyButton"_s);
    auto *name = child<QLineEdit>(dialog, u"keyNameEdit"_s);
    for (QWidget *widget : { box, static_cast<QWidget *>(create), static_cast<QWidget *>(name) }) {
        QVERIFY(widget->isVisible());
        QVERIFY2(dialog->rect().contains(rectIn(widget, dialog)), qPrintable(widget->objectName()));
    }

    QTest::mouseClick(create, Qt::LeftButton);
    auto *panel = child<QWidget>(dialog, u"newKeyPanel"_s);
    QTRY_VERIFY(panel->isVisible());
    QTRY_VERIFY(dialog->rect().contains(rectIn(panel, dialog)));
    QVERIFY(dialog->frameGeometry().height() <= 800);
    QVERIFY(dialog->frameGeometry().width() <= 1280);
    for (const char *objectName : { "copyKeyButton", "endpointEdit", "copyButton" }) {
        auto *widget = child<QWidget>(dialog, QString::fromLatin1(objectName));
        QVERIFY2(dialog->rect().contains(rectIn(widget, dialog)), objectName);
    }
}

// Selecting a webhook shows its endpoint without key, its methods and rules; the copy button
// puts exactly that URL on the clipboard; nothing selected is the empty state.
void TestConnectionsEndpoint::panelShowsTheSelectedWebhook()
{
    const Webhook ruled = addWebhook(ruledWebhook(u"Orders"_s));
    Webhook any = named(u"Uploads"_s);
    any.acceptAnyContentType = true;
    any = addWebhook(any);
    const auto page = showPage(QSize(1280, 800));
    QTRY_COMPARE(page->model()->rowCount(), 2);
    WebhookDetailPanel *panel = page->detailPanel();
    auto *empty = child<QLabel>(panel, u"detailEmptyState"_s);
    auto *endpoint = child<QLineEdit>(panel, u"detailEndpointEdit"_s);
    QVERIFY(empty && endpoint);
    QVERIFY(empty->isVisible());
    QVERIFY(!endpoint->isVisible());
    QVERIFY(!panel->webhook());

    page->selectWebhook(ruled.id);
    QVERIFY(endpoint->isVisible());
    QVERIFY(!empty->isVisible());
    QCOMPARE(endpoint->text(), m_fixture->endpoint(ruled.id));
    QVERIFY(!endpoint->text().contains(u"api-key"_s, Qt::CaseInsensitive));
    const auto text = [&panel](const char *name) {
        return child<QLabel>(panel, QString::fromLatin1(name))->text();
    };
    QCOMPARE(text("detailName"), u"Orders"_s);
    QCOMPARE(text("detailId"), ruled.id);
    QCOMPARE(text("detailMethods"), u"POST, PUT"_s);
    QCOMPARE(text("detailHeaders"), u"X-Shop: main\nX-Signature: any value"_s);
    QCOMPARE(text("detailAddresses"), u"10.0.0.0/8\n2001:db8::/32"_s);
    QCOMPARE(text("detailDescription"), u"Orders from the shop"_s);
    QVERIFY(text("detailContentType").contains(u"well-formed"_s));
    QVERIFY(text("detailState").startsWith(u"Enabled"_s));
    QVERIFY(text("detailKeys").contains(u"X-Api-Key"_s));
    // No key yet: the panel says where one comes from; a key made in the console counts.
    QTRY_VERIFY(text("detailKeys").contains(u"no usable key yet"_s));
    bool created = false;
    m_fixture->executor()->write(
        page.get(), [](Store &store) { return store.config().addKey(u"Shop sender"_s); },
        [&created](const Result<NewApiKey> &key) { created = key.ok(); });
    QTRY_VERIFY(created);
    QTRY_VERIFY(text("detailKeys").contains(u"Usable keys: 1"_s));
    QVERIFY(!text("detailKeys").contains(u"no usable key yet"_s));
    // One made elsewhere, on another connection as the command line would: it counts too.
    QVERIFY(m_fixture->store()->config().addKey(u"CLI sender"_s));
    QTRY_VERIFY_WITH_TIMEOUT(text("detailKeys").contains(u"Usable keys: 2"_s), 10000);

    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(child<QPushButton>(panel, u"detailCopyButton"_s), Qt::LeftButton);
    QCOMPARE(clipboardText(), m_fixture->endpoint(ruled.id));

    // Another webhook: its own endpoint and rules, none of the first one's.
    page->selectWebhook(any.id);
    QCOMPARE(endpoint->text(), m_fixture->endpoint(any.id));
    QCOMPARE(text("detailMethods"), u"POST"_s);
    QCOMPARE(text("detailHeaders"), u"None"_s);
    QCOMPARE(text("detailAddresses"), u"Any address"_s);
    QVERIFY(text("detailContentType").contains(u"any content type"_s));

    // "Copy with key…" opens the endpoint modal for it.
    QTest::mouseClick(child<QPushButton>(panel, u"detailCopyWithKeyButton"_s), Qt::LeftButton);
    EndpointDialog *modal = nullptr;
    QTRY_VERIFY((modal = page->findChild<EndpointDialog *>()) && modal->isVisible());
    QCOMPARE(modal->endpointWithoutKey(), m_fixture->endpoint(any.id));
    modal->reject();

    page->table()->clearSelection();
    QVERIFY(empty->isVisible());
    QVERIFY(!endpoint->isVisible());
    QVERIFY(!panel->webhook());
}

// The panel's copy has a shortcut, named in its tool tip.
void TestConnectionsEndpoint::panelCopiesTheEndpointByShortcut()
{
    const Webhook webhook = addWebhook(named(u"Orders"_s));
    const auto page = showPage(QSize(1280, 800));
    QTRY_COMPARE(page->model()->rowCount(), 1);
    page->selectWebhook(webhook.id);
    page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(page.get()));
    page->table()->setFocus();
    auto *copy = child<QPushButton>(page->detailPanel(), u"detailCopyButton"_s);
    const QKeySequence shortcut(Qt::CTRL | Qt::Key_L);
    QVERIFY(copy->toolTip().contains(shortcut.toString(QKeySequence::NativeText)));

    QGuiApplication::clipboard()->clear();
    QTest::keySequence(page->table(), shortcut);
    QCOMPARE(clipboardText(), m_fixture->endpoint(webhook.id));
    // Again once the button has shown its "Copied" feedback.
    QTest::mouseClick(copy, Qt::LeftButton);
    QGuiApplication::clipboard()->clear();
    QTest::keySequence(page->table(), shortcut);
    QCOMPARE(clipboardText(), m_fixture->endpoint(webhook.id));

    // Nothing selected: nothing to copy, the clipboard is left alone.
    page->table()->clearSelection();
    QGuiApplication::clipboard()->setText(u"kept"_s);
    QTest::keySequence(page->table(), shortcut);
    QCOMPARE(clipboardText(), u"kept"_s);
}

// A disabled webhook reads disabled, in words; enabling it from the page changes the panel.
void TestConnectionsEndpoint::panelReadsDisabledAndFollowsChanges()
{
    Webhook draft = named(u"Paused"_s);
    draft.enabled = false;
    const Webhook webhook = addWebhook(draft);
    const auto page = showPage(QSize(1280, 800));
    QTRY_COMPARE(page->model()->rowCount(), 1);
    page->selectWebhook(webhook.id);
    auto *state = child<QLabel>(page->detailPanel(), u"detailState"_s);
    QVERIFY(state->text().startsWith(u"Disabled"_s));
    QVERIFY(state->text().contains(u"503"_s));
    QCOMPARE(state->property("webhookEnabled").toBool(), false);

    page->toggleSelected();
    QTRY_VERIFY(state->text().startsWith(u"Enabled"_s));
    QCOMPARE(state->property("webhookEnabled").toBool(), true);
    QVERIFY(page->detailPanel()->webhook()->enabled);
}

void TestConnectionsEndpoint::panelFitsTheWindow_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QSize>("size");
    for (const QString &language : { u"en"_s, u"fr"_s }) {
        QTest::addRow("%s 1280x800", qPrintable(language)) << language << QSize(1280, 800);
        QTest::addRow("%s 1920x1080", qPrintable(language)) << language << QSize(1920, 1080);
    }
}

// In the console's window: beside the list, inside the window, the endpoint in full view at
// 1280×800; no part of it wider than 800 px at 1920, and the list keeps most of the room.
void TestConnectionsEndpoint::panelFitsTheWindow()
{
    QFETCH(QString, language);
    QFETCH(QSize, size);
    QCOMPARE(Languages::install(language), language);
    const auto restore = qScopeGuard([] { Languages::install(u"en"_s); });
    const Webhook webhook = addWebhook(ruledWebhook(u"Orders"_s));
    MainWindow window(context());
    window.resize(size);
    window.showPage(MainWindow::Page::Connections);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ConnectionsPage *page = window.connectionsPage();
    QTRY_COMPARE(page->model()->rowCount(), 1);
    page->selectWebhook(webhook.id);
    WebhookDetailPanel *panel = page->detailPanel();
    QTRY_VERIFY(window.rect().contains(rectIn(panel, &window)));
    const QRect table = rectIn(page->table(), &window);
    const QRect detail = rectIn(panel, &window);
    QVERIFY(detail.left() >= table.right()); // beside, not over or under
    QVERIFY(size.width() < 1920 || table.width() > detail.width());
    // The list's measured columns are not squeezed by the panel: its state, dot and word,
    // reads in full.
    const QModelIndex state = page->model()->index(0, WebhookListModel::StatusColumn);
    QTRY_VERIFY(page->table()->columnWidth(WebhookListModel::StatusColumn)
        >= page->table()->fontMetrics().horizontalAdvance(state.data().toString())
            + page->table()->iconSize().width());
    for (const QWidget *widget : panel->findChildren<QWidget *>()) {
        if (widget->isVisible())
            QVERIFY2(widget->width() <= 800, qPrintable(widget->objectName()));
    }
    auto *endpoint = child<QLineEdit>(panel, u"detailEndpointEdit"_s);
    QVERIFY(endpoint->width() > endpoint->fontMetrics().horizontalAdvance(endpoint->text()));
    for (const char *name :
        { "detailCopyButton", "detailCopyWithKeyButton", "detailKeys", "detailAddresses" }) {
        auto *widget = child<QWidget>(panel, QString::fromLatin1(name));
        QVERIFY2(window.rect().contains(rectIn(widget, &window)), name);
    }
}

// Editing shows the id and the endpoint, read-only, with a copy button; adding does not.
void TestConnectionsEndpoint::editFormShowsIdAndEndpoint()
{
    const Webhook webhook = addWebhook(ruledWebhook(u"Orders"_s));
    {
        WebhookFormDialog form(context(), webhook);
        form.show();
        auto *id = child<QLineEdit>(&form, u"formIdEdit"_s);
        auto *endpoint = child<QLineEdit>(&form, u"formEndpointEdit"_s);
        QVERIFY(id && endpoint);
        QCOMPARE(id->text(), webhook.id);
        QCOMPARE(endpoint->text(), m_fixture->endpoint(webhook.id));
        QVERIFY(id->isReadOnly() && endpoint->isReadOnly());
        QVERIFY(id->isVisible() && endpoint->isVisible());
        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(child<QPushButton>(&form, u"formEndpointCopyButton"_s), Qt::LeftButton);
        QCOMPARE(clipboardText(), m_fixture->endpoint(webhook.id));
        QTest::mouseClick(child<QPushButton>(&form, u"formIdCopyButton"_s), Qt::LeftButton);
        QCOMPARE(clipboardText(), webhook.id);
    }
    Webhook copy = webhook; // a duplicate: a new webhook with the same rules
    copy.id.clear();
    for (const std::optional<Webhook> &existing :
        { std::optional<Webhook>(), std::optional(copy) }) {
        WebhookFormDialog form(context(), existing);
        form.show();
        QVERIFY(!form.findChild<QLineEdit *>(u"formIdEdit"_s));
        QVERIFY(!form.findChild<QLineEdit *>(u"formEndpointEdit"_s));
        for (const QLineEdit *edit : form.findChildren<QLineEdit *>())
            QVERIFY(!edit->text().contains(u"/v1/data/webhook/"_s));
    }
}

QTEST_MAIN(TestConnectionsEndpoint)
#include "tst_connections_endpoint.moc"
