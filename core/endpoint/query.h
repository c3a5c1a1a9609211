// The query of a request target, read one way for every reader of it (ARCHITECTURE §5.2).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Hooktrail::Endpoint {

// A component of a query, decoded: '+' read as a space, then percent-escapes undone. Bytes, not
// text: a sender may write any of them.
QByteArray decodeQueryComponent(QByteArrayView component);

// One '&'-separated part of a query, as sent. The views point into the query it was read from.
struct QueryField
{
    QByteArrayView raw; // the whole part
    QByteArrayView rawName; // up to the first '='
    QByteArrayView rawValue; // after it; empty when there is none
    bool hasValue = false; // an '=' follows the name

    QByteArray name() const { return decodeQueryComponent(rawName); }
    QByteArray value() const { return decodeQueryComponent(rawValue); }
};

// Every part, in order, empty ones included (so that joining the raw parts with '&' gives the
// query back byte for byte, and a rewrite keeps whatever it does not touch).
QList<QueryField> queryFields(QByteArrayView query);

// The query with the raw value of every field `select` picks set to `rawValue` (an '=' added
// where the field had none), every other byte as it was.
template<typename Select>
QByteArray replaceValues(QByteArrayView query, Select select, QByteArrayView rawValue)
{
    QByteArray out;
    out.reserve(query.size());
    bool first = true;
    for (const QueryField &field : queryFields(query)) {
        if (!first)
            out += '&';
        first = false;
        if (select(field)) {
            out += field.rawName;
            out += '=';
            out += rawValue;
        } else {
            out += field.raw;
        }
    }
    return out;
}

// The first value of the parameter whose decoded name is exactly `name`, decoded.
QByteArray queryValue(QByteArrayView query, QByteArrayView name);

} // namespace Hooktrail::Endpoint
