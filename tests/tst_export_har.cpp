// Tests for the HAR 1.2 export: checked against the HAR schema by a validator that is itself
// tested, and the content of each entry.
#include "core/history/requestexport.h"
#include "exporttest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

// A JSON Schema validator for the keywords the HAR schema uses: $ref (to #/definitions),
// type, enum, minimum, format (date-time, uri), required, properties, patternProperties,
// additionalProperties, items and oneOf. Returns every problem, each with its JSON path.
class SchemaValidator
{
public:
    explicit SchemaValidator(QJsonObject root) : m_root(std::move(root)) { }

    QStringList validate(const QJsonValue &value) const
    {
        QStringList problems;
        check(value, m_root, u"$"_s, problems);
        return problems;
    }

private:
    static bool hasType(const QJsonValue &value, const QString &type)
    {
        if (type == u"object"_s)
            return value.isObject();
        if (type == u"array"_s)
            return value.isArray();
        if (type == u"string"_s)
            return value.isString();
        if (type == u"number"_s)
            return value.isDouble();
        if (type == u"integer"_s)
            return value.isDouble() && value.toDouble() == std::floor(value.toDouble());
        if (type == u"boolean"_s)
            return value.isBool();
        if (type == u"null"_s)
            return value.isNull();
        return false;
    }

    static bool hasFormat(const QString &text, const QString &format)
    {
        if (format == u"date-time"_s) {
            // ISO 8601 with a date, a time and a zone (Z or an offset).
            static const QRegularExpression shape(
                u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)$"_s);
            return shape.match(text).hasMatch()
                && QDateTime::fromString(text, Qt::ISODateWithMs).isValid();
        }
        if (format == u"uri"_s) {
            const QUrl url(text, QUrl::StrictMode);
            return url.isValid() && !url.scheme().isEmpty() && !url.host().isEmpty();
        }
        return true;
    }

    QJsonObject resolve(const QString &reference) const
    {
        const QString prefix = u"#/definitions/"_s;
        if (!reference.startsWith(prefix))
            return {};
        return m_root.value(u"definitions"_s)
            .toObject()
            .value(reference.mid(prefix.size()))
            .toObject();
    }

    void check(const QJsonValue &value, const QJsonObject &schema, const QString &path,
        QStringList &problems) const
    {
        if (schema.contains(u"$ref"_s)) {
            const QJsonObject target = resolve(schema.value(u"$ref"_s).toString());
            if (target.isEmpty())
                problems << path + u": unresolved $ref "_s + schema.value(u"$ref"_s).toString();
            else
                check(value, target, path, problems);
            return;
        }
        if (schema.contains(u"oneOf"_s)) {
            int matches = 0;
            for (const QJsonValue &option : schema.value(u"oneOf"_s).toArray()) {
                QStringList optionProblems;
                check(value, option.toObject(), path, optionProblems);
                matches += optionProblems.isEmpty() ? 1 : 0;
            }
            if (matches != 1)
                problems << path
                        + u": matches %1 of the oneOf schemas, not exactly one"_s.arg(matches);
        }
        if (schema.contains(u"type"_s)) {
            const QJsonValue type = schema.value(u"type"_s);
            QStringList types;
            if (type.isArray()) {
                for (const QJsonValue &name : type.toArray())
                    types << name.toString();
            } else {
                types << type.toString();
            }
            if (std::none_of(types.begin(), types.end(),
                    [&](const QString &name) { return hasType(value, name); })) {
                problems << path + u": expected "_s + types.join(u" or "_s);
                return;
            }
        }
        if (schema.contains(u"enum"_s) && !schema.value(u"enum"_s).toArray().contains(value))
            problems << path + u": not one of the allowed values"_s;
        if (schema.contains(u"minimum"_s) && value.isDouble()
            && value.toDouble() < schema.value(u"minimum"_s).toDouble())
            problems << path
                    + u": below the minimum %1"_s.arg(schema.value(u"minimum"_s).toDouble());
        if (schema.contains(u"format"_s) && value.isString()
            && !hasFormat(value.toString(), schema.value(u"format"_s).toString()))
            problems << path + u": not a valid "_s + schema.value(u"format"_s).toString();
        if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (const QJsonValue &name : schema.value(u"required"_s).toArray()) {
                if (!object.contains(name.toString()))
                    problems << path + u": missing required property "_s + name.toString();
            }
            const QJsonObject properties = schema.value(u"properties"_s).toObject();
            const QJsonObject patterns = schema.value(u"patternProperties"_s).toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                const QString childPath = path + u'.' + it.key();
                if (properties.contains(it.key())) {
                    check(it.value(), properties.value(it.key()).toObject(), childPath, problems);
                    continue;
                }
                bool matched = false;
                for (auto pattern = patterns.begin(); pattern != patterns.end(); ++pattern) {
                    if (QRegularExpression(pattern.key()).match(it.key()).hasMatch()) {
                        check(it.value(), pattern.value().toObject(), childPath, problems);
                        matched = true;
                    }
                }
                if (!matched && schema.value(u"additionalProperties"_s) == QJsonValue(false))
                    problems << childPath + u": not allowed here (custom fields start with _)"_s;
            }
        }
        if (value.isArray() && schema.contains(u"items"_s)) {
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                check(array.at(i), schema.value(u"items"_s).toObject(), path + u"[%1]"_s.arg(i),
                    problems);
        }
    }

    QJsonObject m_root;
};

SchemaValidator harValidator()
{
    QFile file(QFINDTESTDATA("data/har-1.2.schema.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read tests/data/har-1.2.schema.json");
    return SchemaValidator(QJsonDocument::fromJson(file.readAll()).object());
}

} // namespace

class tst_ExportHar : public ExportTest
{
    Q_OBJECT

private slots:
    void schemaValidatorRejects_data();
    void schemaValidatorRejects();
    void harValidatesAgainstSchema();
    void harEntryContent();
};

void tst_ExportHar::schemaValidatorRejects_data()
{
    // Each row breaks a valid export in one way; the validator must notice.
    QTest::addColumn<QString>(
        "path"); // where to change, dot-separated; entries.0 is the first entry
    QTest::addColumn<QJsonValue>("value"); // undefined: remove the field
    QTest::addColumn<QString>("problem");

    QTest::newRow("no version") << u"log.version"_s << QJsonValue(QJsonValue::Undefined)
                                << u"missing required property version"_s;
    QTest::newRow("wrong version")
        << u"log.version"_s << QJsonValue(u"1.1"_s) << u"not one of the allowed values"_s;
    QTest::newRow("no creator name") << u"log.creator.name"_s << QJsonValue(QJsonValue::Undefined)
                                     << u"missing required property name"_s;
    QTest::newRow("entries not an array")
        << u"log.entries"_s << QJsonValue(QJsonObject()) << u"expected array"_s;
    QTest::newRow("time as text") << u"log.entries.0.time"_s << QJsonValue(u"12"_s)
                                  << u"expected number"_s;
    QTest::newRow("negative time")
        << u"log.entries.0.time"_s << QJsonValue(-3) << u"below the minimum"_s;
    QTest::newRow("local date-time")
        << u"log.entries.0.startedDateTime"_s << QJsonValue(u"2023-11-14 22:13:20"_s)
        << u"not a valid date-time"_s;
    QTest::newRow("no request headers")
        << u"log.entries.0.request.headers"_s << QJsonValue(QJsonValue::Undefined)
        << u"missing required property headers"_s;
    QTest::newRow("header value a number")
        << u"log.entries.0.request.headers.0.value"_s << QJsonValue(7) << u"expected string"_s;
    QTest::newRow("fractional bodySize")
        << u"log.entries.0.request.bodySize"_s << QJsonValue(1.5) << u"expected integer"_s;
    QTest::newRow("no timings.send")
        << u"log.entries.0.timings.send"_s << QJsonValue(QJsonValue::Undefined)
        << u"missing required property send"_s;
    QTest::newRow("custom field without _")
        << u"log.entries.0.requestId"_s << QJsonValue(1) << u"not allowed here"_s;
    QTest::newRow("relative url") << u"log.entries.0.request.url"_s << QJsonValue(u"/v1/data"_s)
                                  << u"not a valid uri"_s;
    QTest::newRow("no content mimeType")
        << u"log.entries.0.response.content.mimeType"_s << QJsonValue(QJsonValue::Undefined)
        << u"missing required property mimeType"_s;
    QTest::newRow("cache not an object")
        << u"log.entries.0.cache"_s << QJsonValue(QJsonArray()) << u"expected object"_s;
}

namespace {
// Sets (or removes, with an undefined value) the value at a dot path in a JSON document.
QJsonValue edited(const QJsonValue &node, QStringList path, const QJsonValue &value)
{
    if (path.isEmpty())
        return value;
    const QString key = path.takeFirst();
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        const int index = key.toInt();
        array[index] = edited(array.at(index), path, value);
        return array;
    }
    QJsonObject object = node.toObject();
    if (path.isEmpty() && value.isUndefined())
        object.remove(key);
    else
        object.insert(key, edited(object.value(key), path, value));
    return object;
}
} // namespace

void tst_ExportHar::schemaValidatorRejects()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, problem);
    const QJsonObject valid
        = QJsonDocument::fromJson(exportAll(RequestExport::Format::Har)).object();
    const SchemaValidator validator = harValidator();
    QVERIFY(validator.validate(valid).isEmpty());

    const QJsonValue broken = edited(valid, path.split(u'.'), value);
    const QStringList problems = validator.validate(broken);
    QVERIFY2(problems.join(u'\n').contains(problem), qPrintable(problems.join(u'\n')));
}

void tst_ExportHar::harValidatesAgainstSchema()
{
    const QByteArray har = exportAll(RequestExport::Format::Har);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(har, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QStringList problems = harValidator().validate(document.object());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));

    const QJsonObject log = document.object().value(u"log"_s).toObject();
    QCOMPARE(log.value(u"version"_s).toString(), u"1.2"_s);
    QCOMPARE(log.value(u"creator"_s).toObject().value(u"name"_s).toString(), u"Hooktrail"_s);
    QCOMPARE(log.value(u"creator"_s).toObject().value(u"version"_s).toString(),
        QStringLiteral(HOOKTRAIL_VERSION));
    const QJsonArray entries = log.value(u"entries"_s).toArray();
    QCOMPARE(entries.size(), m_rows.size());
    // Newest first, like the history.
    for (qsizetype i = 0; i < entries.size(); ++i)
        QCOMPARE(entries.at(i).toObject().value(u"_requestId"_s).toInteger(),
            m_rows.at(m_rows.size() - 1 - i).id);

    // An empty log is a valid HAR too.
    RequestFilter none;
    none.reason = "no_such_reason";
    const QJsonDocument empty
        = QJsonDocument::fromJson(exportAll(RequestExport::Format::Har, none));
    QVERIFY(harValidator().validate(empty.object()).isEmpty());
    QVERIFY(empty.object().value(u"log"_s).toObject().value(u"entries"_s).toArray().isEmpty());
}

void tst_ExportHar::harEntryContent()
{
    const QJsonArray entries = QJsonDocument::fromJson(exportAll(RequestExport::Format::Har))
                                   .object()
                                   .value(u"log"_s)
                                   .toObject()
                                   .value(u"entries"_s)
                                   .toArray();
    QHash<qint64, QJsonObject> byId;
    for (const QJsonValue &entry : entries)
        byId.insert(entry.toObject().value(u"_requestId"_s).toInteger(), entry.toObject());

    const LoggedRequest &json = m_rows.at(0);
    QJsonObject entry = byId.value(json.id);
    QCOMPARE(entry.value(u"startedDateTime"_s).toString(), u"2023-11-14T22:13:20.123456Z"_s);
    QCOMPARE(entry.value(u"time"_s).toDouble(), 1.234);
    QCOMPARE(entry.value(u"timings"_s).toObject().value(u"wait"_s).toDouble(), 1.234);
    QCOMPARE(entry.value(u"_webhookId"_s).toString(), WebhookA);
    QCOMPARE(entry.value(u"_reason"_s).toString(), u"accepted"_s);
    QCOMPARE(entry.value(u"_clientAddress"_s).toString(), u"203.0.113.9"_s);
    QJsonObject request = entry.value(u"request"_s).toObject();
    QCOMPARE(request.value(u"method"_s).toString(), u"POST"_s);
    QCOMPARE(request.value(u"url"_s).toString(),
        u"http://127.0.0.1:8484/v1/data/webhook/"_s + WebhookA
            + u"?api-key=***&a=1%202&b=x+y&flag"_s);
    QCOMPARE(request.value(u"httpVersion"_s).toString(), u"HTTP/1.1"_s);
    const QJsonArray query = request.value(u"queryString"_s).toArray();
    const auto pair = [](const QString &name, const QString &value) {
        return QJsonObject { { u"name"_s, name }, { u"value"_s, value } };
    };
    QCOMPARE(query,
        (QJsonArray { pair(u"api-key"_s, u"***"_s), pair(u"a"_s, u"1 2"_s), pair(u"b"_s, u"x y"_s),
            pair(u"flag"_s, QString()) }));
    QJsonArray headers;
    for (const auto &[name, value] : json.headers)
        headers.append(pair(QString::fromUtf8(name), QString::fromUtf8(value)));
    QCOMPARE(request.value(u"headers"_s).toArray(), headers);
    QCOMPARE(request.value(u"bodySize"_s).toInteger(), json.bodySize);
    QJsonObject postData = request.value(u"postData"_s).toObject();
    QCOMPARE(postData.value(u"mimeType"_s).toString(), u"application/json"_s);
    QCOMPARE(postData.value(u"text"_s).toString(), QString::fromUtf8(json.body));
    QVERIFY(!postData.contains(u"_bodyEncoding"_s));
    QJsonObject response = entry.value(u"response"_s).toObject();
    QCOMPARE(response.value(u"status"_s).toInt(), 200);
    QCOMPARE(response.value(u"statusText"_s).toString(), u"OK"_s);
    const QJsonObject content = response.value(u"content"_s).toObject();
    QCOMPARE(content.value(u"mimeType"_s).toString(), u"application/json"_s);
    const QByteArray answer = "{\"status\":\"accepted\",\"reason\":\"accepted\",\"requestId\":"
        + QByteArray::number(json.id) + '}';
    QCOMPARE(content.value(u"text"_s).toString().toUtf8(), answer);
    QCOMPARE(content.value(u"size"_s).toInteger(), answer.size());

    const LoggedRequest &binary = m_rows.at(1);
    entry = byId.value(binary.id);
    request = entry.value(u"request"_s).toObject();
    QCOMPARE(
        request.value(u"url"_s).toString(), u"http://example.test/v1/data/webhook/"_s + WebhookA);
    postData = request.value(u"postData"_s).toObject();
    QCOMPARE(postData.value(u"_bodyEncoding"_s).toString(), u"base64"_s);
    QCOMPARE(QByteArray::fromBase64(postData.value(u"text"_s).toString().toLatin1()), binary.body);
    response = entry.value(u"response"_s).toObject();
    QCOMPARE(response.value(u"status"_s).toInt(), 415);
    QCOMPARE(response.value(u"statusText"_s).toString(), u"Unsupported Media Type"_s);
    QCOMPARE(QJsonDocument::fromJson(
                 response.value(u"content"_s).toObject().value(u"text"_s).toString().toUtf8())
                 .object(),
        (QJsonObject { { u"status"_s, u"rejected"_s }, { u"reason"_s, u"unsupported_media_type"_s },
            { u"requestId"_s, binary.id } }));

    entry = byId.value(m_rows.at(2).id);
    request = entry.value(u"request"_s).toObject();
    QCOMPARE(request.value(u"url"_s).toString(), u"http://127.0.0.1/nowhere"_s); // no Host header
    QVERIFY(!request.contains(u"postData"_s));
    QCOMPARE(request.value(u"bodySize"_s).toInteger(), 0);
    QVERIFY(entry.value(u"_webhookId"_s).isNull());
    QCOMPARE(entry.value(u"_forwardedFor"_s).toString(), u"198.51.100.7"_s);

    entry = byId.value(m_rows.at(3).id);
    postData = entry.value(u"request"_s).toObject().value(u"postData"_s).toObject();
    QCOMPARE(postData.value(u"_bodyTruncated"_s).toBool(), true);
    QCOMPARE(postData.value(u"text"_s).toString(), u"<order id=\"1\">café</order>"_s);
    QCOMPARE(entry.value(u"request"_s).toObject().value(u"bodySize"_s).toInteger(), 20'000'000);
}

QTEST_GUILESS_MAIN(tst_ExportHar)
#include "tst_export_har.moc"
