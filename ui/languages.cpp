// The console's languages: which ship, and loading the one the user chose (or the system's).
#include "ui/languages.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QTranslator>

namespace Hooktrail::Languages {

QList<QPair<QString, QString>> available()
{
    return { { QStringLiteral("en"), QStringLiteral("English") },
        { QStringLiteral("fr"), QStringLiteral("Français") } };
}

QString install(const QString &code)
{
    // The translators of an earlier call go, so the last choice is the one in effect.
    // (A translator may be gone already, with the application that owned it.)
    static QList<QPointer<QTranslator>> installed;
    for (const QPointer<QTranslator> &translator : std::as_const(installed)) {
        if (translator) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }
    installed.clear();
    const auto load = [](const QLocale &locale, const QString &name, const QString &folder) {
        auto *translator = new QTranslator(QCoreApplication::instance());
        if (!translator->load(locale, name, QStringLiteral("_"), folder)) {
            delete translator;
            return false;
        }
        QCoreApplication::installTranslator(translator);
        installed.append(translator);
        return true;
    };

    const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
    const QString language = QLocale::languageToCode(locale.language());
    // Dates, numbers and sizes read in the language chosen ("2 décembre 2026", "8 octets"), not
    // in the system's when the two differ.
    QLocale::setDefault(locale);
    const QString i18n = QStringLiteral(":/i18n");
    if (language.isEmpty() || language == QStringLiteral("en")
        || !load(locale, QStringLiteral("hooktrail"), i18n)) {
        // The sources are English; its translation holds only the plural forms ("1 day",
        // "7 days").
        load(QLocale(QLocale::English), QStringLiteral("hooktrail"), i18n);
        return QStringLiteral("en");
    }
    // Qt's own strings (standard buttons such as Cancel, dialogs): Debian ships them in
    // qt6-translations-l10n, under QLibraryInfo's translations path.
    load(locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return language;
}

} // namespace Hooktrail::Languages
