// application/x-www-form-urlencoded text (a form body or a query string), decoded for display.
#include "core/history/formdata.h"

#include "core/model/loggedrequest.h"

namespace Hooktrail {

namespace {

QString decodeFormPart(QByteArray part)
{
    part.replace('+', ' ');
    return receivedText(QByteArray::fromPercentEncoding(part));
}

} // namespace

QList<QPair<QString, QString>> formFields(QByteArrayView encoded)
{
    QList<QPair<QString, QString>> fields;
    for (const QByteArray &part : encoded.toByteArray().split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype equals = part.indexOf('=');
        if (equals < 0)
            fields.append({ decodeFormPart(part), QString() });
        else
            fields.append(
                { decodeFormPart(part.left(equals)), decodeFormPart(part.mid(equals + 1)) });
    }
    return fields;
}

} // namespace Hooktrail
