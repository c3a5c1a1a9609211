// The console's languages: which ship, and loading the one the user chose (or the system's).
#include "ui/languages.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace Hooktrail::Languages {

QList<QPair<QString, QString>> available()
{
    return { { QStringLiteral("en"), QStringLiteral("English") },
        { QStringLiteral("fr"), QStringLiteral("Français") } };
}

QString install(const QString &code)
{
    const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
    const QString language = QLocale::languageToCode(locale.language());
    if (language == QStringLiteral("en") || language.isEmpty())
        return QStringLiteral("en");
    auto *own = new QTranslator(QCoreApplication::instance());
    if (!own->load(
            locale, QStringLiteral("hooktrail"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete own;
        return QStringLiteral("en");
    }
    QCoreApplication::installTranslator(own);
    // Qt's own strings (standard buttons, dialogs), when the system has them.
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return language;
}

} // namespace Hooktrail::Languages
