// The French translation ships complete: lrelease finds nothing unfinished, every message keeps
// its source's placeholders and mnemonic, and the console shows French once it is installed.
#include "core/model/webhook.h"
#include "core/receiver/engine.h"
#include "core/store/storeexecutor.h"
#include "testsupport.h"
#include "ui/connectionspage.h"
#include "ui/languages.h"
#include "ui/mainwindow.h"
#include "ui/webhookformdialog.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <algorithm>

using namespace Hooktrail;

namespace {

const QString TsFile = QStringLiteral(HOOKTRAIL_TS_FILE);

// %1..%9 and %n (with or without the L locale flag), sorted and without repeats.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%L?([1-9]|n)"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found.append(it.next().captured(1));
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
}

// A keyboard mnemonic: an '&' before a letter, not the escaped "&&".
bool hasMnemonic(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("(?<!&)&\\p{L}"));
    return text.contains(pattern);
}

// Texts that read the same in French; anything else identical to its source was left in English.
// Words French shares with English, and texts with no words at all (placeholders and
// punctuation, "%1 — %2"), which cannot be left in English.
bool sameInFrench(const QString &source)
{
    static const QStringList words { QStringLiteral("Hooktrail"), QStringLiteral("Webhooks"),
        QStringLiteral("Pages"), QStringLiteral("Port"), QStringLiteral("Description"),
        QStringLiteral("Active"), QStringLiteral(" s"), QStringLiteral("Webhook"),
        QStringLiteral("Client"), QStringLiteral("HTTP %1 %2"), QStringLiteral("Type"),
        QStringLiteral("Destinations"), QStringLiteral("URL"), QStringLiteral("Destination"),
        QStringLiteral("HTTP %1") };
    static const QRegularExpression placeholder(QStringLiteral("%[0-9]+"));
    const QString withoutPlaceholders = QString(source).remove(placeholder);
    const bool hasWords = std::any_of(withoutPlaceholders.cbegin(), withoutPlaceholders.cend(),
        [](QChar c) { return c.isLetter(); });
    return !hasWords || words.contains(source);
}

struct TsMessage
{
    QString context;
    QString source;
    QString type; // the translation's type attribute; empty when finished
    QStringList translations; // one, or one per plural form
    bool numerus = false;
};

QList<TsMessage> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<TsMessage> messages;
    QString context;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("name")) {
            context = xml.readElementText();
            continue;
        }
        if (xml.name() != QLatin1String("message"))
            continue;
        TsMessage message;
        message.context = context;
        message.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        while (xml.readNextStartElement()) {
            if (xml.name() == QLatin1String("source")) {
                message.source = xml.readElementText();
            } else if (xml.name() == QLatin1String("translation")) {
                message.type = xml.attributes().value(QLatin1String("type")).toString();
                if (!message.numerus) {
                    message.translations.append(xml.readElementText());
                    continue;
                }
                while (xml.readNextStartElement())
                    message.translations.append(xml.readElementText());
            } else {
                xml.skipCurrentElement();
            }
        }
        messages.append(message);
    }
    if (xml.hasError())
        *error = QStringLiteral("%1 at line %2").arg(xml.errorString()).arg(xml.lineNumber());
    return messages;
}

} // namespace

Q_DECLARE_METATYPE(TsMessage)

class TestTranslations : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCOMPARE(Languages::install(QStringLiteral("fr")), QStringLiteral("fr"));
    }

    void lreleaseFindsNothingUnfinished()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcess lrelease;
        lrelease.setProcessChannelMode(QProcess::MergedChannels);
        lrelease.start(QStringLiteral(HOOKTRAIL_LRELEASE),
            { TsFile, QStringLiteral("-qm"), dir.filePath(QStringLiteral("fr.qm")) });
        QVERIFY2(lrelease.waitForFinished(30000), qPrintable(lrelease.errorString()));
        const QString output = QString::fromLocal8Bit(lrelease.readAll());
        QCOMPARE(lrelease.exitCode(), 0);
        const QRegularExpression counts(QStringLiteral(
            "Generated (\\d+) translation\\(s\\) \\((\\d+) finished and (\\d+) unfinished\\)"));
        const QRegularExpressionMatch match = counts.match(output);
        QVERIFY2(match.hasMatch(), qPrintable(output));
        QVERIFY2(match.captured(1).toInt() > 0, qPrintable(output));
        QCOMPARE(match.captured(2), match.captured(1));
        QCOMPARE(match.captured(3), QStringLiteral("0"));
        QVERIFY2(!output.contains(QStringLiteral("untranslated")), qPrintable(output));
    }

    void messageIsTranslated_data()
    {
        QTest::addColumn<TsMessage>("message");
        QString error;
        const QList<TsMessage> messages = readTs(TsFile, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!messages.isEmpty());
        for (const TsMessage &message : messages)
            QTest::addRow("%s: %s", qPrintable(message.context),
                qPrintable(
                    QString(message.source).replace(QLatin1Char('\n'), QStringLiteral("\\n"))))
                << message;
    }

    void messageIsTranslated()
    {
        QFETCH(TsMessage, message);
        // unfinished, vanished and obsolete entries are not shipped as they should be.
        QCOMPARE(message.type, QString());
        // French has two plural forms: one for 0 and 1, one for the rest.
        QCOMPARE(message.translations.size(), message.numerus ? 2 : 1);
        for (const QString &translation : std::as_const(message.translations)) {
            QVERIFY(!translation.trimmed().isEmpty());
            QCOMPARE(placeholders(translation), placeholders(message.source));
            QCOMPARE(hasMnemonic(translation), hasMnemonic(message.source));
            if (!sameInFrench(message.source))
                QVERIFY2(translation != message.source, "left in English");
        }
    }

    void translatesAtRunTime_data()
    {
        QTest::addColumn<QByteArray>("context");
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("expected");
        QTest::addRow("sidebar") << QByteArrayLiteral("Hooktrail::MainWindow")
                                 << QByteArrayLiteral("History") << -1
                                 << QStringLiteral("Historique");
        QTest::addRow("core validation")
            << QByteArrayLiteral("Hooktrail::Webhook") << QByteArrayLiteral("Name is required.")
            << -1 << QStringLiteral("Le nom est obligatoire.");
        QTest::addRow("core store refusal")
            << QByteArrayLiteral("Hooktrail::ConfigTables")
            << QByteArrayLiteral("a webhook named '%1' already exists") << -1
            << QStringLiteral("un webhook nommé «\u00a0%1\u00a0» existe déjà");
        QTest::addRow("plural, one")
            << QByteArrayLiteral("Hooktrail::WebhookListModel") << QByteArrayLiteral("%n d ago")
            << 1 << QStringLiteral("il y a 1 jour");
        QTest::addRow("plural, zero")
            << QByteArrayLiteral("Hooktrail::WebhookListModel") << QByteArrayLiteral("%n d ago")
            << 0 << QStringLiteral("il y a 0 jour");
        QTest::addRow("plural, many")
            << QByteArrayLiteral("Hooktrail::WebhookListModel") << QByteArrayLiteral("%n d ago")
            << 3 << QStringLiteral("il y a 3 jours");
    }

    void translatesAtRunTime()
    {
        QFETCH(QByteArray, context);
        QFETCH(QByteArray, source);
        QFETCH(int, count);
        QFETCH(QString, expected);
        QCOMPARE(
            QCoreApplication::translate(context.constData(), source.constData(), nullptr, count),
            expected);
    }

    void coreValidationSpeaksFrench()
    {
        Webhook nameless;
        const QList<FieldProblem> problems = validateWebhook(nameless);
        const bool found
            = std::any_of(problems.cbegin(), problems.cend(), [](const FieldProblem &problem) {
                  return problem.field == QStringLiteral("name")
                      && problem.message == QStringLiteral("Le nom est obligatoire.");
              });
        QVERIFY(found);
    }

    // The store's refusal reaches the form in French: the name was free when checked, then
    // taken before Save.
    void storeRefusalOnTheFormSpeaksFrench()
    {
        TestSupport::ConsoleFixture console;
        QVERIFY2(console.start(TestSupport::ConsoleFixture::ReceiverStart::Later),
            qPrintable(console.error()));
        WebhookFormDialog dialog(
            { console.settings(), console.engine(), console.executor() }, std::nullopt);
        dialog.show();
        QTest::keyClicks(
            dialog.findChild<QLineEdit *>(QStringLiteral("nameEdit")), QStringLiteral("Orders"));
        auto *save = dialog.findChild<QPushButton *>(QStringLiteral("saveButton"));
        QTRY_VERIFY(save->isEnabled());
        Webhook rival;
        rival.name = QStringLiteral("ORDERS");
        rival.methods = { QStringLiteral("POST") };
        QVERIFY(console.store()->config().addWebhook(rival));
        QTest::mouseClick(save, Qt::LeftButton);
        auto *problem = dialog.findChild<QLabel *>(QStringLiteral("saveProblem"));
        QTRY_VERIFY2(problem->text().startsWith(QStringLiteral("Impossible d’enregistrer")),
            qPrintable(problem->text()));
        QVERIFY2(problem->text().contains(
                     QStringLiteral("un webhook nommé «\u00a0Orders\u00a0» existe déjà")),
            qPrintable(problem->text()));
    }

    // A database that cannot be opened is explained in French, the store's reason included.
    void unusableDatabaseSpeaksFrench()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile blocker(dir.filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        Settings settings(dir.filePath(QStringLiteral("settings")));
        StoreExecutor executor(
            Engine::factoryFor(dir.filePath(QStringLiteral("blocker/data/hooktrail.db"))));
        ConnectionsPage page({ &settings, nullptr, &executor });
        page.show();
        auto *error = page.findChild<QLabel *>(QStringLiteral("errorLabel"));
        QTRY_VERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral(
                     "Impossible d’ouvrir la base de données\u00a0: impossible de créer le "
                     "dossier de données %1")
                                            .arg(dir.filePath(QStringLiteral("blocker/data")))),
            qPrintable(error->text()));
        executor.waitForIdle();
    }

    void mainWindowSpeaksFrench()
    {
        TestSupport::ConsoleFixture console;
        QVERIFY2(console.start(TestSupport::ConsoleFixture::ReceiverStart::Later),
            qPrintable(console.error()));
        MainWindow window({ console.settings(), console.engine(), console.executor() });
        QVERIFY(window.startReceiver());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        const QList<QListWidget *> lists = window.findChildren<QListWidget *>();
        const auto sidebar
            = std::find_if(lists.cbegin(), lists.cend(), [](const QListWidget *list) {
                  return list->accessibleName() == QStringLiteral("Pages");
              });
        QVERIFY(sidebar != lists.cend());
        QStringList pages;
        for (int row = 0; row < (*sidebar)->count(); ++row)
            pages.append((*sidebar)->item(row)->text());
        QCOMPARE(pages,
            QStringList({ QStringLiteral("Webhooks"), QStringLiteral("Historique"),
                QStringLiteral("Paramètres") }));

        QVERIFY2(
            window.receiverState().startsWith(QStringLiteral("Réception sur http://127.0.0.1:")),
            qPrintable(window.receiverState()));
        const QList<QAction *> actions = window.findChildren<QAction *>();
        QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
            [](const QAction *action) { return action->text() == QStringLiteral("&Modifier"); }));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
