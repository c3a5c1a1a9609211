// Every reason a request can be logged with reads as words, in English and in French, and a code
// Hooktrail does not know is shown as a plain code rather than trusted.
#include "core/endpoint/answer.h"
#include "core/endpoint/reasontext.h"

#include <QLocale>
#include <QSet>
#include <QTranslator>
#include <QtTest>

using namespace Hooktrail;

class TestReasons : public QObject
{
    Q_OBJECT

private slots:
    void everyLoggedReasonHasItsOwnWords()
    {
        QSet<QString> texts;
        for (const char *code : Endpoint::LoggedReasons) {
            const QString text = Endpoint::reasonText(code);
            QVERIFY2(!text.isEmpty(), code);
            QVERIFY2(text != QLatin1String(code), code);
            QVERIFY2(Endpoint::isKnownReason(code), code);
            texts.insert(text);
        }
        QCOMPARE(texts.size(), qsizetype(std::size(Endpoint::LoggedReasons)));
        QCOMPARE(Endpoint::reasonText("invalid_api_key"), QStringLiteral("Wrong API key"));
        QCOMPARE(Endpoint::reasonText("missing_api_key"), QStringLiteral("No API key"));
    }

    void unknownCodeIsShownPlainNotTrusted()
    {
        QVERIFY(!Endpoint::isKnownReason("made_up"));
        QCOMPARE(Endpoint::reasonText("made_up"), QStringLiteral("Other reason (made_up)"));
        const QString hostile = Endpoint::reasonText(QByteArrayView("a\x1b[31m\n<b>", 10));
        QVERIFY(!hostile.contains(QChar(0x1b)));
        QVERIFY(!hostile.contains(QChar(u'\n')));
        QVERIFY(!Endpoint::reasonText(QByteArray(500, 'x')).contains(QString(100, u'x')));
        QVERIFY(!Endpoint::reasonText({}).isEmpty());
    }

    void reasonsSpeakFrench()
    {
        // The shipped French translation, installed for this test only.
        QTranslator french;
        QVERIFY(french.load(QLocale(QStringLiteral("fr")), QStringLiteral("hooktrail"),
            QStringLiteral("_"), QStringLiteral(":/i18n")));
        QVERIFY(QCoreApplication::installTranslator(&french));
        QCOMPARE(Endpoint::reasonText("invalid_api_key"), QStringLiteral("Clé API incorrecte"));
        for (const char *code : Endpoint::LoggedReasons) {
            const QString text = Endpoint::reasonText(code);
            QVERIFY2(!text.isEmpty() && text != QLatin1String(code), code);
        }
        QCoreApplication::removeTranslator(&french);
        QCOMPARE(Endpoint::reasonText("invalid_api_key"), QStringLiteral("Wrong API key"));
    }
};

QTEST_MAIN(TestReasons)
#include "tst_reasons.moc"
