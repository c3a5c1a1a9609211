// application/x-www-form-urlencoded text (a form body or a query string), decoded for display.
#include "core/history/formdata.h"

#include "core/endpoint/query.h"
#include "core/model/loggedrequest.h"

namespace Hooktrail {

QList<QPair<QString, QString>> formFields(QByteArrayView encoded)
{
    QList<QPair<QString, QString>> fields;
    for (const Endpoint::QueryField &field : Endpoint::queryFields(encoded)) {
        if (!field.raw.isEmpty())
            fields.append({ receivedText(field.name()), receivedText(field.value()) });
    }
    return fields;
}

} // namespace Hooktrail
