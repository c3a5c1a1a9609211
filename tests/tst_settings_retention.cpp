// The settings page's retention choices, the prompt before a retention deletes requests, the
// languages' plural forms and Qt's own strings, and the one-time key panel coming into view;
// against a real SQLite store and a real engine, offscreen.
#include "core/base/settings.h"
#include "core/receiver/engine.h"
#include "core/store/store.h"
#include "testsupport.h"
#include "ui/languages.h"
#include "ui/settingspage.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QStandardPaths>
#include <QtTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {
template<typename T> T *child(const QObject *root, const QString &name)
{
    return root->findChild<T *>(name);
}

LoggedRequest logged(qint64 receivedAtMicros)
{
    LoggedRequest request;
    request.receivedAtMicros = receivedAtMicros;
    request.method = "POST";
    request.path = "/v1/data/webhook/none";
    request.httpVersion = "HTTP/1.1";
    request.clientAddress = u"127.0.0.1"_s;
    request.status = 404;
    request.reason = "unknown_webhook";
    request.instance = u"test"_s;
    return request;
}

qint64 rowCount(Store &store)
{
    const Result<qint64> count = store.queries().countRequests();
    return count ? *count : -1;
}

// The open retention prompt, once the store has counted.
QMessageBox *waitForPrompt(const QWidget &page)
{
    QMessageBox *box = nullptr;
    const bool shown = QTest::qWaitFor(
        [&] {
            box = child<QMessageBox>(&page, u"retentionConfirmation"_s);
            return box && box->isVisible();
        },
        30000);
    return shown ? box : nullptr;
}

void chooseCustom(QComboBox *combo, QLineEdit *custom, const QString &text)
{
    combo->setCurrentIndex(combo->count() - 1);
    QVERIFY(custom->isVisibleTo(combo->window()));
    custom->selectAll();
    QTest::keyClicks(custom, text);
}

QString translated(const char *source, int n)
{
    return QCoreApplication::translate("Hooktrail::SettingsPage", source, nullptr, n);
}
} // namespace

class TestSettingsRetention : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCOMPARE(Languages::install(u"en"_s), u"en"_s);
    }
    void cleanup() { Languages::install(u"en"_s); }

    void retentionDeletesOnlyOnceConfirmed()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        // As the console runs it: a stored retention applies at once.
        Settings *settings = console.settings();
        Engine *engine = console.engine();
        QObject::connect(settings, &Settings::changed, engine, [settings, engine] {
            engine->setRetention(settings->retentionDays(), settings->retentionCount());
        });
        const qint64 now = QDateTime::currentMSecsSinceEpoch() * 1000;
        QList<LoggedRequest> batch;
        for (int i = 0; i < 20; ++i)
            batch.append(logged(now - (20 - i) * 1000000));
        QVERIFY(console.store()->log().append(batch));
        QCOMPARE(rowCount(*console.store()), qint64(20));

        SettingsPage page({ settings, engine, console.executor() });
        page.show();
        auto *count = child<QComboBox>(&page, u"retentionCountCombo"_s);
        auto *countEdit = child<QLineEdit>(&page, u"retentionCountEdit"_s);
        auto *apply = child<QPushButton>(&page, u"applyButton"_s);
        auto *status = child<QLabel>(&page, u"applyStatusLabel"_s);
        QVERIFY(count && countEdit && apply && status);
        QVERIFY(!countEdit->isVisible());

        // Keeping at most 1,000 deletes none of the 20: stored without a prompt.
        count->setCurrentIndex(count->findData(1000));
        QCOMPARE(count->currentText(), u"%1 requests"_s.arg(QLocale().toString(1000)));
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(settings->retentionCount(), qint64(1000), 30000);
        QVERIFY(!child<QMessageBox>(&page, u"retentionConfirmation"_s));
        QCOMPARE(status->text(), u"Saved."_s);

        // Keeping at most 1 deletes 19: asked first, and Cancel keeps all and stores nothing.
        chooseCustom(count, countEdit, u"1"_s);
        QVERIFY(apply->isEnabled());
        QTest::mouseClick(apply, Qt::LeftButton);
        QVERIFY(!apply->isEnabled()); // no second Apply while the store counts
        QMessageBox *box = waitForPrompt(page);
        QVERIFY(box);
        QCOMPARE(box->text(), u"Apply and delete 19 requests now?"_s);
        auto *remove = child<QPushButton>(box, u"deleteRequestsButton"_s);
        QVERIFY(remove);
        QCOMPARE(remove->text(), u"Delete 19 requests"_s);
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        QCOMPARE(settings->retentionCount(), qint64(1000)); // nothing stored while asking
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!child<QMessageBox>(&page, u"retentionConfirmation"_s));
        QCOMPARE(settings->retentionCount(), qint64(1000));
        console.executor()->waitForIdle();
        QCOMPARE(rowCount(*console.store()), qint64(20));
        QCOMPARE(status->text(), u"Not applied: no request was deleted."_s);
        QVERIFY(page.hasChanges()); // the choice stays, to apply or revert

        // Agreeing stores it, and the retention deletes exactly the 19 oldest.
        QTest::mouseClick(apply, Qt::LeftButton);
        box = waitForPrompt(page);
        QVERIFY(box);
        QTest::mouseClick(child<QPushButton>(box, u"deleteRequestsButton"_s), Qt::LeftButton);
        QCOMPARE(settings->retentionCount(), qint64(1));
        QTRY_COMPARE_WITH_TIMEOUT(rowCount(*console.store()), qint64(1), 30000);
        const Result<QList<LoggedRequest>> left = console.store()->queries().requests({});
        QVERIFY(left && left->size() == 1);
        QCOMPARE(left->first().receivedAtMicros, batch.last().receivedAtMicros);
        QVERIFY(!page.hasChanges());
    }

    void customRetentionMustBeANumber()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        auto *days = child<QComboBox>(&page, u"retentionDaysCombo"_s);
        auto *daysEdit = child<QLineEdit>(&page, u"retentionDaysEdit"_s);
        auto *apply = child<QPushButton>(&page, u"applyButton"_s);
        QVERIFY(days && daysEdit && apply);
        page.show();
        for (const QString &wrong : { u""_s, u"0"_s, u"abc"_s, u"36501"_s }) {
            chooseCustom(days, daysEdit, wrong);
            QVERIFY2(!apply->isEnabled(), qPrintable(wrong));
            QVERIFY(page.findChild<QLabel *>(u"retentionProblem"_s)->isVisible());
        }
        chooseCustom(days, daysEdit, u"14"_s);
        QVERIFY(apply->isEnabled());
        page.apply(); // an empty history: nothing to delete, nothing to ask
        QTRY_COMPARE_WITH_TIMEOUT(console.settings()->retentionDays(), 14, 30000);
        // A stored number that is no preset shows as Custom with that number.
        SettingsPage again({ console.settings(), console.engine(), console.executor() });
        QCOMPARE(child<QComboBox>(&again, u"retentionDaysCombo"_s)->currentData().toInt(), -1);
        QCOMPARE(child<QLineEdit>(&again, u"retentionDaysEdit"_s)->text(), u"14"_s);
    }

    void wheelNeverChangesRetention()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const auto wheel = [](QWidget *target, int steps) {
            const QPointF at = QRectF(target->rect()).center();
            QWheelEvent event(at, target->mapToGlobal(at), QPoint(), QPoint(0, 120 * steps),
                Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(target, &event);
        };
        // The same wheel turns an ordinary choice box: the test can tell.
        QComboBox plain;
        plain.addItems({ u"a"_s, u"b"_s, u"c"_s });
        plain.setCurrentIndex(1);
        wheel(&plain, -1);
        QVERIFY(plain.currentIndex() != 1);

        for (const QString &name : { u"retentionDaysCombo"_s, u"retentionCountCombo"_s }) {
            auto *combo = child<QComboBox>(&page, name);
            QVERIFY(combo);
            combo->setFocus();
            for (const int steps : { -1, -3, 1, 3 }) {
                wheel(combo, steps);
                QCOMPARE(combo->currentIndex(), 0);
            }
        }
        QVERIFY(!page.hasChanges());
        QCOMPARE(console.settings()->retentionDays(), 0);
        QCOMPARE(console.settings()->retentionCount(), qint64(0));
    }

    void choicesReadInEachLanguage_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("oneDay");
        QTest::addColumn<QString>("sevenDays");
        QTest::addColumn<QString>("oneRequest");
        QTest::addColumn<QString>("thousandRequests");
        // Numbers are written as the language writes them: "1,000", "1 000".
        QTest::newRow("en") << u"en"_s << u"1 day"_s << u"7 days"_s << u"1 request"_s
                            << u"1,000 requests"_s;
        QTest::newRow("fr") << u"fr"_s << u"1 jour"_s << u"7 jours"_s << u"1 requête"_s
                            << u"1\u202f000 requêtes"_s;
    }

    void choicesReadInEachLanguage()
    {
        QFETCH(QString, language);
        QFETCH(QString, oneDay);
        QFETCH(QString, sevenDays);
        QFETCH(QString, oneRequest);
        QFETCH(QString, thousandRequests);
        QCOMPARE(Languages::install(language), language);
        QCOMPARE(translated("%Ln day(s)", 1), oneDay);
        QCOMPARE(translated("%Ln day(s)", 7), sevenDays);
        QCOMPARE(translated("%Ln request(s)", 1), oneRequest);
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        auto *days = child<QComboBox>(&page, u"retentionDaysCombo"_s);
        auto *count = child<QComboBox>(&page, u"retentionCountCombo"_s);
        QCOMPARE(days->itemText(days->findData(7)), sevenDays);
        QCOMPARE(count->itemText(count->findData(1000)), thousandRequests);
    }

    void qtStringsInFrench()
    {
        QCOMPARE(Languages::install(u"fr"_s), u"fr"_s);
        QDialogButtonBox buttons(QDialogButtonBox::Cancel);
        QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), u"Annuler"_s);
        Languages::install(u"en"_s); // a second choice replaces the first
        QDialogButtonBox english(QDialogButtonBox::Cancel);
        QCOMPARE(english.button(QDialogButtonBox::Cancel)->text(), u"Cancel"_s);
    }

    void newKeyPanelComesIntoView()
    {
        ConsoleFixture console;
        QVERIFY2(console.start(), qPrintable(console.error()));
        SettingsPage page({ console.settings(), console.engine(), console.executor() });
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *scroll = child<QScrollArea>(&page, u"settingsScrollArea"_s);
        auto *name = child<QLineEdit>(&page, u"keyNameEdit"_s);
        auto *panel = child<QWidget>(&page, u"newKeyPanel"_s);
        QVERIFY(scroll && name && panel);
        // The page is taller than the window: the panel would open below its bottom.
        QVERIFY(scroll->widget()->height() > scroll->viewport()->height());
        scroll->ensureWidgetVisible(name);
        QTest::keyClicks(name, u"Shop"_s);
        QTest::mouseClick(child<QPushButton>(&page, u"createKeyButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible(), 30000);
        const QRect viewport = scroll->viewport()->rect();
        QTRY_VERIFY(viewport.contains(
            QRect(panel->mapTo(scroll->viewport(), QPoint(0, 0)), panel->size())));
        QCOMPARE(QApplication::focusWidget(), child<QWidget>(&page, u"copyKeyButton"_s));
    }
};

QTEST_MAIN(TestSettingsRetention)
#include "tst_settings_retention.moc"
