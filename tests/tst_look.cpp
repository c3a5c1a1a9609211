// How the console looks: icons without a desktop theme, status in colour as well as words,
// column titles never cut at 1280×800, the endpoint URL shown whole.
#include "core/model/apikey.h"
#include "core/store/configtables.h"
#include "core/store/logappender.h"
#include "core/store/store.h"
#include "testsupport.h"
#include "ui/apikeylistmodel.h"
#include "ui/endpointdialog.h"
#include "ui/historypage.h"
#include "ui/icons.h"
#include "ui/languages.h"
#include "ui/mainwindow.h"
#include "ui/requesttablemodel.h"
#include "ui/tones.h"
#include "ui/webhookformdialog.h"
#include "ui/webhooklistmodel.h"

#include <QAbstractItemModelTester>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSet>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleOptionFrame>
#include <QTemporaryFile>
#include <QToolBar>
#include <QToolButton>
#include <QTranslator>
#include <QtTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

// Whether the icon draws anything at 16×16 (a null or blank icon draws nothing).
bool drawsSomething(const QIcon &icon)
{
    if (icon.isNull())
        return false;
    const QImage image = icon.pixmap(16, 16).toImage().convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (qAlpha(image.pixel(x, y)) > 64)
                return true;
        }
    }
    return false;
}

QImage imageOf(const QVariant &decoration)
{
    return decoration.value<QIcon>().pixmap(16, 16).toImage();
}

LoggedRequest logged(int status, const QByteArray &reason)
{
    LoggedRequest request;
    request.receivedAtMicros = QDateTime::currentMSecsSinceEpoch() * 1000;
    request.method = "POST";
    request.path = "/v1/data/webhook/none";
    request.httpVersion = "HTTP/1.1";
    request.clientAddress = u"127.0.0.1"_s;
    request.status = status;
    request.reason = reason;
    request.instance = u"test"_s;
    return request;
}

QPalette darkPalette()
{
    QPalette palette;
    for (const auto group : { QPalette::Active, QPalette::Inactive, QPalette::Disabled }) {
        palette.setColor(group, QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        palette.setColor(group, QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        palette.setColor(group, QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        palette.setColor(group, QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        palette.setColor(group, QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        palette.setColor(group, QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    }
    return palette;
}

} // namespace

class TestLook : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void iconsWithoutTheme();
    void bundledIconsFollowThePalette();
    void requestOutcomeInColour();
    void statesInColour();
    void tonesReadOnLightAndDark();
    void headersFitAt1280x800_data();
    void headersFitAt1280x800();
    void endpointUrlShownWhole();
    void emptyHistorySaysWhatFillsIt();
    void noControlGrowsTo800At1920_data();
    void noControlGrowsTo800At1920();
    void shortcutsShownInTooltips();

private:
    ConsoleContext context() const
    {
        return { m_fixture->settings(), m_fixture->engine(), m_fixture->executor() };
    }

    std::unique_ptr<ConsoleFixture> m_fixture;
};

void TestLook::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // No icon theme at all, as on a bare X session or the offscreen platform.
    QIcon::setThemeSearchPaths({});
    QIcon::setFallbackSearchPaths({});
    QIcon::setThemeName(QString());
    QApplication::setStyle(u"Fusion"_s);
}

void TestLook::cleanup()
{
    QApplication::setPalette(QApplication::style()->standardPalette());
    for (QTranslator *translator : qApp->findChildren<QTranslator *>(Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
    m_fixture.reset();
}

void TestLook::iconsWithoutTheme()
{
    m_fixture = std::make_unique<ConsoleFixture>();
    QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
    MainWindow window(context());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    auto *sidebar = window.findChild<QListWidget *>();
    QVERIFY(sidebar);
    QCOMPARE(sidebar->count(), 3);
    for (int row = 0; row < sidebar->count(); ++row)
        QVERIFY2(
            drawsSomething(sidebar->item(row)->icon()), qPrintable(sidebar->item(row)->text()));

    // Every action of the Connections and History toolbars, and the buttons beside them.
    int checked = 0;
    for (const QString &name : { u"webhookActions"_s, u"historyActions"_s }) {
        auto *toolBar = window.findChild<QToolBar *>(name);
        QVERIFY2(toolBar, qPrintable(name));
        for (QAction *action : toolBar->actions()) {
            if (action->isSeparator())
                continue;
            QIcon icon = action->icon();
            if (auto *button = qobject_cast<QToolButton *>(toolBar->widgetForAction(action));
                icon.isNull() && button)
                icon = button->icon(); // the Export menu button
            QVERIFY2(drawsSomething(icon), qPrintable(name + u": "_s + action->text()));
            ++checked;
        }
    }
    QVERIFY(checked >= 13);
    for (const QString &name : { u"addMoreButton"_s, u"createKeyButton"_s, u"revokeKeyButton"_s }) {
        auto *button = window.findChild<QPushButton *>(name);
        QVERIFY2(button, qPrintable(name));
        QVERIFY2(drawsSomething(button->icon()), qPrintable(name));
    }
}

// The drawings take the palette's text colour: dark strokes on a light window, light on dark.
void TestLook::bundledIconsFollowThePalette()
{
    const auto strokeLightness = [] {
        const QImage image = Icons::action(Icons::Action::Add)
                                 .pixmap(24, 24)
                                 .toImage()
                                 .convertToFormat(QImage::Format_ARGB32);
        int lightest = -1;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                if (qAlpha(image.pixel(x, y)) == 255)
                    lightest = std::max(lightest, QColor(image.pixel(x, y)).lightness());
            }
        }
        return lightest;
    };
    const int onLight = strokeLightness();
    QApplication::setPalette(darkPalette());
    const int onDark = strokeLightness();
    QVERIFY2(onLight >= 0 && onLight < 100, qPrintable(QString::number(onLight)));
    QVERIFY2(onDark > 180, qPrintable(QString::number(onDark)));
}

void TestLook::requestOutcomeInColour()
{
    m_fixture = std::make_unique<ConsoleFixture>();
    QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
    QList<LoggedRequest> batch { logged(200, "accepted"), logged(401, "invalid_api_key") };
    QVERIFY(m_fixture->store()->log().append(batch));

    RequestTableModel model(m_fixture->executor());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFilter({});
    QTRY_COMPARE(model.rowCount(), 2);
    QTRY_VERIFY(model.index(1, 0).data(RequestTableModel::RequestIdRole).isValid());
    const int rejectedRow = model.index(0, 0).data(RequestTableModel::OutcomeRole).toBool() ? 1 : 0;
    const int acceptedRow = 1 - rejectedRow;
    const auto at
        = [&model](int row, int column, int role) { return model.index(row, column).data(role); };

    // The words stay as they were.
    QCOMPARE(at(acceptedRow, RequestTableModel::OutcomeColumn, Qt::DisplayRole).toString(),
        u"Accepted"_s);
    QCOMPARE(at(rejectedRow, RequestTableModel::OutcomeColumn, Qt::DisplayRole).toString(),
        u"Rejected: Wrong API key"_s);
    QCOMPARE(at(acceptedRow, RequestTableModel::StatusColumn, Qt::DisplayRole).toInt(), 200);
    QCOMPARE(at(rejectedRow, RequestTableModel::StatusColumn, Qt::DisplayRole).toInt(), 401);

    for (const int column :
        { int(RequestTableModel::StatusColumn), int(RequestTableModel::OutcomeColumn) }) {
        const QColor accepted = at(acceptedRow, column, Qt::ForegroundRole).value<QBrush>().color();
        const QColor rejected = at(rejectedRow, column, Qt::ForegroundRole).value<QBrush>().color();
        QVERIFY(accepted.isValid() && rejected.isValid());
        QVERIFY(accepted != rejected);
    }
    const QImage acceptedDot
        = imageOf(at(acceptedRow, RequestTableModel::OutcomeColumn, Qt::DecorationRole));
    const QImage rejectedDot
        = imageOf(at(rejectedRow, RequestTableModel::OutcomeColumn, Qt::DecorationRole));
    QVERIFY(!acceptedDot.isNull() && !rejectedDot.isNull());
    QVERIFY(acceptedDot != rejectedDot);
    QVERIFY(at(rejectedRow, RequestTableModel::MethodColumn, Qt::ForegroundRole).isValid());
    QCOMPARE(at(rejectedRow, RequestTableModel::MethodColumn, Qt::DisplayRole).toString(),
        QString::fromLatin1(batch.at(1).method));
    // Other columns keep the plain text colour.
    QVERIFY(!at(rejectedRow, RequestTableModel::PathColumn, Qt::ForegroundRole).isValid());
}

void TestLook::statesInColour()
{
    WebhookListModel webhooks;
    QAbstractItemModelTester webhookTester(
        &webhooks, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Webhook enabled;
    enabled.id = u"a"_s;
    enabled.name = u"On"_s;
    Webhook disabled = enabled;
    disabled.id = u"b"_s;
    disabled.name = u"Off"_s;
    disabled.enabled = false;
    webhooks.setWebhooks({ enabled, disabled });
    const QModelIndex on = webhooks.index(0, WebhookListModel::StatusColumn);
    const QModelIndex off = webhooks.index(1, WebhookListModel::StatusColumn);
    QCOMPARE(on.data().toString(), u"Enabled"_s);
    QCOMPARE(off.data().toString(), u"Disabled"_s);
    QVERIFY(imageOf(on.data(Qt::DecorationRole)) != imageOf(off.data(Qt::DecorationRole)));
    QVERIFY(!imageOf(off.data(Qt::DecorationRole)).isNull());

    ApiKeyListModel keys;
    QAbstractItemModelTester keyTester(
        &keys, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ApiKey active;
    active.prefix = u"htk_active01"_s;
    active.name = u"sender"_s;
    active.created = QDateTime::currentDateTimeUtc();
    ApiKey revoked = active;
    revoked.prefix = u"htk_revoked1"_s;
    revoked.revoked = true;
    keys.setKeys({ active, revoked });
    const QModelIndex live = keys.index(0, ApiKeyListModel::StateColumn);
    const QModelIndex dead = keys.index(1, ApiKeyListModel::StateColumn);
    QCOMPARE(live.data().toString(), u"Active"_s);
    QCOMPARE(dead.data().toString(), u"Revoked"_s);
    QVERIFY(live.data(Qt::ForegroundRole).value<QBrush>().color()
        != dead.data(Qt::ForegroundRole).value<QBrush>().color());
    QVERIFY(imageOf(live.data(Qt::DecorationRole)) != imageOf(dead.data(Qt::DecorationRole)));
}

// WCAG AA for text (4.5:1) against the view's background, with a light and a dark palette.
void TestLook::tonesReadOnLightAndDark()
{
    for (const QPalette &palette : { QApplication::style()->standardPalette(), darkPalette() }) {
        for (const auto tone : { Tones::Tone::Good, Tones::Tone::Bad, Tones::Tone::Waiting }) {
            for (const auto background : { QPalette::Base, QPalette::AlternateBase }) {
                const double ratio = Tones::contrast(
                    Tones::colour(tone, palette, background), palette.color(background));
                QVERIFY2(ratio >= 4.5, qPrintable(QString::number(ratio)));
            }
        }
        QVERIFY(
            Tones::colour(Tones::Tone::Good, palette) != Tones::colour(Tones::Tone::Bad, palette));
        // A delivery on its way reads apart from one done and one failed.
        QVERIFY(Tones::colour(Tones::Tone::Waiting, palette)
            != Tones::colour(Tones::Tone::Good, palette));
        QVERIFY(Tones::colour(Tones::Tone::Waiting, palette)
            != Tones::colour(Tones::Tone::Bad, palette));
        // Each method its own colour, as readable, in the table and on the summary's chip.
        QSet<QRgb> methods;
        for (const char *method : { "GET", "POST", "PUT", "PATCH", "DELETE" }) {
            for (const auto background : { QPalette::Base, QPalette::AlternateBase }) {
                const QColor colour = Tones::methodColour(method, palette, background);
                const double ratio = Tones::contrast(colour, palette.color(background));
                QVERIFY2(
                    ratio >= 4.5, qPrintable(u"%1: %2"_s.arg(QLatin1String(method)).arg(ratio)));
                if (background == QPalette::Base)
                    methods.insert(colour.rgb());
            }
        }
        QCOMPARE(methods.size(), 5);
        QCOMPARE(Tones::methodColour("OPTIONS", palette), palette.color(QPalette::Text));
    }
}

void TestLook::headersFitAt1280x800_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("en") << u"en"_s;
    QTest::newRow("fr") << u"fr"_s;
}

// Every title of every table shown on a page, and in the webhook form's header editor, is as
// wide as its text and the header's margins: "Enabled", never "Ena…".
void TestLook::headersFitAt1280x800()
{
    QFETCH(QString, language);
    QCOMPARE(Languages::install(language), language);
    m_fixture = std::make_unique<ConsoleFixture>();
    QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
    Webhook webhook;
    webhook.name = u"Payment notifications"_s;
    QVERIFY(m_fixture->store()->config().addWebhook(webhook));
    QVERIFY(m_fixture->store()->config().addKey(u"sender"_s));
    QList<LoggedRequest> batch { logged(200, "accepted"), logged(405, "method_not_allowed") };
    QVERIFY(m_fixture->store()->log().append(batch));

    int checked = 0;
    const auto checkHeaders = [&checked](QWidget *root, const QString &where) {
        for (QHeaderView *header : root->findChildren<QHeaderView *>()) {
            if (header->orientation() != Qt::Horizontal || !header->isVisible() || !header->model())
                continue;
            const QFontMetrics metrics(header->font());
            const int margin
                = header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
            for (int section = 0; section < header->count(); ++section) {
                if (header->isSectionHidden(section))
                    continue;
                const QString text
                    = header->model()->headerData(section, Qt::Horizontal).toString();
                const int needed = metrics.horizontalAdvance(text) + 2 * margin;
                if (header->sectionSize(section) < needed) {
                    QTest::qFail(qPrintable(u"%1: \"%2\" is %3 px wide, needs %4"_s.arg(where, text)
                                                .arg(header->sectionSize(section))
                                                .arg(needed)),
                        __FILE__, __LINE__);
                    return false;
                }
                ++checked;
            }
        }
        return true;
    };

    MainWindow window(context());
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    for (const auto page :
        { MainWindow::Page::Connections, MainWindow::Page::History, MainWindow::Page::Settings }) {
        window.showPage(page);
        QTest::qWait(200); // lists fill from the store thread; layouts settle
        QVERIFY(checkHeaders(&window, u"page %1"_s.arg(int(page))));
    }
    WebhookFormDialog form(context(), std::nullopt, &window);
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    QVERIFY(checkHeaders(&form, u"webhook form"_s));
    // Connections (4), History (9), keys (5), the form's header editor (2).
    QVERIFY2(checked >= 20, qPrintable(QString::number(checked)));
}

// The API-key modal shows the endpoint, key included, whole at its default size.
void TestLook::endpointUrlShownWhole()
{
    m_fixture = std::make_unique<ConsoleFixture>();
    QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
    Webhook webhook;
    webhook.name = u"Orders"_s;
    const auto added = m_fixture->store()->config().addWebhook(webhook);
    QVERIFY(added);
    const auto key = m_fixture->store()->config().addKey(u"sender"_s);
    QVERIFY(key);
    m_fixture->receiverFollows();

    EndpointDialog dialog(context(), added.value());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *keyEdit = dialog.findChild<QLineEdit *>(u"keyEdit"_s);
    QTest::keyClicks(keyEdit, key->secret);
    QTest::mouseClick(dialog.findChild<QPushButton *>(u"verifyButton"_s), Qt::LeftButton);
    auto *endpoint = dialog.findChild<QLineEdit *>(u"endpointEdit"_s);
    QTRY_VERIFY(endpoint->isVisible());
    QTest::qWait(50); // the dialog's new width is laid out

    const QString url = m_fixture->endpoint(added->id) + u"?api-key="_s + key->secret;
    QCOMPARE(endpoint->text(), url);
    QCOMPARE(endpoint->displayText(), url);
    // The room the line edit draws text in: its frame, text margins and own margin taken off.
    QStyleOptionFrame option;
    option.initFrom(endpoint);
    option.rect = endpoint->rect();
    option.lineWidth
        = endpoint->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, &option, endpoint);
    const QRect contents
        = endpoint->style()->subElementRect(QStyle::SE_LineEditContents, &option, endpoint);
    const QMargins margins = endpoint->textMargins();
    const int room = contents.width() - margins.left() - margins.right() - 2 * 2;
    const int needed = endpoint->fontMetrics().horizontalAdvance(url);
    QVERIFY2(room >= needed, qPrintable(u"%1 px for %2 px of URL"_s.arg(room).arg(needed)));
    // ...and the field itself inside the dialog, the dialog on the screen.
    const QPoint fieldRight = endpoint->mapTo(&dialog, endpoint->rect().topRight());
    QVERIFY2(fieldRight.x() < dialog.width(),
        qPrintable(
            u"field ends at %1 in a dialog %2 wide"_s.arg(fieldRight.x()).arg(dialog.width())));
    QVERIFY(dialog.screen()->availableGeometry().contains(dialog.geometry()));
}

void TestLook::emptyHistorySaysWhatFillsIt()
{
    m_fixture = std::make_unique<ConsoleFixture>();
    QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
    {
        HistoryPage page(context());
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *empty = page.findChild<QLabel *>(u"emptyHistoryLabel"_s);
        QVERIFY(empty);
        QTRY_VERIFY(empty->isVisible());
        QVERIFY2(
            empty->text().startsWith(u"No request has arrived yet."_s), qPrintable(empty->text()));
    }
    QList<LoggedRequest> batch { logged(200, "accepted") };
    QVERIFY(m_fixture->store()->log().append(batch));
    HistoryPage page(context());
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTRY_COMPARE(page.model()->totalCount(), qint64(1));
    QVERIFY(!page.findChild<QLabel *>(u"emptyHistoryLabel"_s)->isVisible());
}

void TestLook::noControlGrowsTo800At1920_data()
{
    headersFitAt1280x800_data();
}

// At 1920×1080 a field, a choice or a button stays the size of what it holds: none reaches
// 800 px, in either language, on any page.
void TestLook::noControlGrowsTo800At1920()
{
    QFETCH(QString, language);
    QCOMPARE(Languages::install(language), language);
    m_fixture = std::make_unique<ConsoleFixture>();
    QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
    Webhook webhook;
    webhook.name = u"Payment notifications"_s;
    QVERIFY(m_fixture->store()->config().addWebhook(webhook));
    QList<LoggedRequest> batch { logged(200, "accepted"), logged(401, "invalid_api_key") };
    QVERIFY(m_fixture->store()->log().append(batch));

    MainWindow window(context());
    window.resize(1920, 1080);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const auto isControl = [](QWidget *widget) {
        // A spin box's or a combo box's own line edit is part of it.
        if (qobject_cast<QLineEdit *>(widget))
            return !qobject_cast<QAbstractSpinBox *>(widget->parentWidget())
                && !qobject_cast<QComboBox *>(widget->parentWidget());
        return qobject_cast<QAbstractButton *>(widget) || qobject_cast<QComboBox *>(widget)
            || qobject_cast<QAbstractSpinBox *>(widget);
    };
    int checked = 0;
    for (const auto page :
        { MainWindow::Page::Connections, MainWindow::Page::History, MainWindow::Page::Settings }) {
        window.showPage(page);
        QTest::qWait(200); // lists fill from the store thread; layouts settle
        for (QWidget *control : window.findChildren<QWidget *>()) {
            if (!control->isVisible() || !isControl(control))
                continue;
            QVERIFY2(control->width() < 800,
                qPrintable(u"page %1: %2 \"%3\" is %4 px wide"_s.arg(int(page))
                               .arg(QString::fromLatin1(control->metaObject()->className()),
                                   control->objectName())
                               .arg(control->width())));
            ++checked;
        }
    }
    QVERIFY2(checked >= 30, qPrintable(QString::number(checked)));
}

// A key that does something is said where the thing is offered: in the tooltip of every
// toolbar action and button that has one, not only in a context menu.
void TestLook::shortcutsShownInTooltips()
{
    m_fixture = std::make_unique<ConsoleFixture>();
    QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
    MainWindow window(context());
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    int checked = 0;
    for (QToolBar *toolBar : window.findChildren<QToolBar *>()) {
        for (QAction *action : toolBar->actions()) {
            if (action->isSeparator() || action->shortcut().isEmpty())
                continue;
            const QString keys = action->shortcut().toString(QKeySequence::NativeText);
            QVERIFY2(action->toolTip().contains(keys),
                qPrintable(
                    u"%1: \"%2\" lacks %3"_s.arg(toolBar->objectName(), action->toolTip(), keys)));
            ++checked;
        }
    }
    for (QAbstractButton *button : window.findChildren<QAbstractButton *>()) {
        const QKeySequence shortcut = button->shortcut();
        // A mnemonic (the underlined letter) shows itself.
        if (shortcut.isEmpty() || shortcut == QKeySequence::mnemonic(button->text()))
            continue;
        if (auto *tool = qobject_cast<QToolButton *>(button); tool && tool->defaultAction())
            continue; // its action's tooltip, checked above
        const QString keys = shortcut.toString(QKeySequence::NativeText);
        QVERIFY2(button->toolTip().contains(keys),
            qPrintable(
                u"%1: \"%2\" lacks %3"_s.arg(button->objectName(), button->toolTip(), keys)));
        ++checked;
    }
    QVERIFY2(checked >= 12, qPrintable(QString::number(checked)));
}

// On a 1280×800 screen, the smallest the console is laid out for (offscreen's own is 800×600).
int main(int argc, char **argv)
{
    QTemporaryFile screens;
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if ((platform.isEmpty() || platform == "offscreen") && screens.open()) {
        screens.write(R"({"screens": [{"name": "look", "x": 0, "y": 0, "width": 1280,
            "height": 800, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
        screens.flush();
        qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + QFile::encodeName(screens.fileName()));
    }
    QApplication app(argc, argv);
    QTEST_SET_MAIN_SOURCE_PATH
    TestLook test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_look.moc"
