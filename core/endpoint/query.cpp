// The query of a request target, read one way for every reader of it (ARCHITECTURE §5.2).
#include "core/endpoint/query.h"

namespace Hooktrail::Endpoint {

QByteArray decodeQueryComponent(QByteArrayView component)
{
    QByteArray decoded = component.toByteArray();
    decoded.replace('+', ' ');
    return QByteArray::fromPercentEncoding(decoded);
}

QList<QueryField> queryFields(QByteArrayView query)
{
    QList<QueryField> fields;
    fields.reserve(query.count('&') + 1);
    qsizetype start = 0;
    while (start <= query.size()) {
        qsizetype end = query.indexOf('&', start);
        if (end < 0)
            end = query.size();
        QueryField field;
        field.raw = query.sliced(start, end - start);
        const qsizetype eq = field.raw.indexOf('=');
        field.hasValue = eq >= 0;
        field.rawName = field.hasValue ? field.raw.first(eq) : field.raw;
        if (field.hasValue)
            field.rawValue = field.raw.sliced(eq + 1);
        fields.append(field);
        start = end + 1;
    }
    return fields;
}

QByteArray queryValue(QByteArrayView query, QByteArrayView name)
{
    for (const QueryField &field : queryFields(query)) {
        if (field.name() == name)
            return field.value();
    }
    return {};
}

} // namespace Hooktrail::Endpoint
