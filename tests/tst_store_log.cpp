// Tests for the request log in Store and the JSON form of a log entry, against a real SQLite
// file and, as tst_StoreLogPostgres, the same tests against a real PostgreSQL server.
#include "storetest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_StoreLog : public StoreTest
{
    Q_OBJECT
public:
    explicit tst_StoreLog(bool postgres = false) : StoreTest(u"store_log"_s, postgres) { }

private slots:
    // Request log
    void appendAssignsIncreasingIds();
    void roundTripsEveryField_data();
    void roundTripsEveryField();
    void roundTripsNonUtf8HeaderValues_data();
    void roundTripsNonUtf8HeaderValues();
    void appendRecordsKeyUse();
    void filterByWebhookAndOutcome();
    void pagesNewestFirst();
    void pageIdsAreTheRowsOfAPage_data();
    void pageIdsAreTheRowsOfAPage();
    void countRequests();
    void searchFindsTokensInHeadersAndBodies_data();
    void searchFindsTokensInHeadersAndBodies();

    // JSON form
    void toJsonFieldNames();
    void toJsonTimestamp_data();
    void toJsonTimestamp();
    void toJsonBodyEncoding_data();
    void toJsonBodyEncoding();
};

// The same tests on PostgreSQL, under a name of their own in the output.
class tst_StoreLogPostgres final : public tst_StoreLog
{
    Q_OBJECT
public:
    tst_StoreLogPostgres() : tst_StoreLog(true) { }
};

void tst_StoreLog::appendAssignsIncreasingIds()
{
    QList<LoggedRequest> first { newEntry(QString(), 404), newEntry(QString(), 404),
        newEntry(QString(), 404) };
    VERIFY_OK(m_store->log().append(first));
    QVERIFY(first[0].id > 0);
    QVERIFY(first[1].id > first[0].id);
    QVERIFY(first[2].id > first[1].id);

    QList<LoggedRequest> second { newEntry(QString(), 404) };
    VERIFY_OK(m_store->log().append(second));
    QVERIFY(second[0].id > first[2].id);

    QList<LoggedRequest> empty;
    VERIFY_OK(m_store->log().append(empty));
    QCOMPARE(*m_store->queries().countRequests(), qint64(4));

    // Ids are never reused, even after the newest row goes.
    m_store.reset();
    QString error;
    QVERIFY2(execRaw(m_location, u"DELETE FROM requests WHERE id = %1"_s.arg(second[0].id), &error),
        qPrintable(error));
    m_store = open();
    QVERIFY(m_store);
    QList<LoggedRequest> third { newEntry(QString(), 404) };
    VERIFY_OK(m_store->log().append(third));
    QVERIFY(third[0].id > second[0].id);
}

void tst_StoreLog::roundTripsEveryField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QString>("webhookId");

    const QString id = Webhook::newId();
    QByteArray everyByte;
    for (int i = 0; i < 256; ++i)
        everyByte.append(char(i));
    QTest::addRow("JSON body") << R"({"order":42,"note":"caf\u00e9"})"_ba
                               << "a=1&api-key=***"_ba << id;
    QTest::addRow("binary body") << "\x00\xff\xfe\x80\xc3(binary\x00"_ba
                                 << "x=%FF"_ba << id;
    QTest::addRow("every byte value") << everyByte << "q=1"_ba << id;
    QTest::addRow("Latin-1 body") << "caf\xe9"_ba << QByteArray() << id;
    QTest::addRow("UTF-8 body") << "caf\xc3\xa9 \xf0\x9f\x98\x80"_ba << QByteArray() << id;
    QTest::addRow("empty body and query, unknown webhook")
        << QByteArray() << QByteArray() << QString();
    QTest::addRow("large body") << QByteArray(1 << 20, '\xab') << "a=b"_ba << id;
}

void tst_StoreLog::roundTripsEveryField()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, query);
    QFETCH(QString, webhookId);

    const Result<NewApiKey> key = m_store->config().addKey(u"ci"_s);
    VERIFY_OK(key);

    LoggedRequest entry;
    entry.receivedAtMicros = 1'712'345'678'901'234; // microseconds must survive
    entry.webhookId = webhookId;
    entry.method = "PATCH"_ba;
    entry.path = "/v1/data/webhook/"_ba + webhookId.toLatin1();
    entry.query = query;
    entry.httpVersion = "HTTP/1.0"_ba;
    // Arrival order, not sorted; a repeated name; characters JSON must escape.
    entry.headers = {
        { "Host"_ba, "127.0.0.1:8080"_ba },
        { "X-Zeta"_ba, "last letter first"_ba },
        { "Content-Type"_ba, "application/json"_ba },
        { "X-Api-Key"_ba, "***"_ba },
        { "x-zeta"_ba, "again"_ba },
        { "X-Quote"_ba, "say \"hi\" \\ back\tslash"_ba },
        { "X-Accent"_ba, "caf\xc3\xa9"_ba },
        { "X-Emoji"_ba, "\xf0\x9f\x98\x80 beyond the BMP"_ba },
        { "X-Empty"_ba, ""_ba },
        { "Accept"_ba, "*/*"_ba },
    };
    entry.body = body;
    entry.bodyTruncated = true;
    entry.bodySize = body.size() + 1000;
    entry.contentType = "application/json; charset=utf-8"_ba;
    entry.clientAddress = u"2001:db8::5"_s;
    entry.forwardedFor = u"10.1.2.3, 192.168.5.5"_s;
    entry.status = 415;
    entry.reason = "unsupported_media_type"_ba;
    entry.reasonDetail = u"Content-Type text/plain"_s;
    entry.handlingMicros = 1234;
    entry.instance = u"host-a:4242"_s;
    entry.apiKeyId = key->key.id;

    QList<LoggedRequest> batch { entry };
    VERIFY_OK(m_store->log().append(batch));
    QVERIFY(batch[0].id > 0);

    // Read back through a fresh connection, so nothing can come from a cache.
    m_store.reset();
    // An empty query is stored as empty text, not NULL, so SQL filters need no special case.
    QCOMPARE(rawValue(m_location,
                 m_postgres ? u"SELECT CASE WHEN query IS NULL THEN 'null' ELSE 'text' END "
                              "FROM requests"_s
                            : u"SELECT typeof(query) FROM requests"_s),
        u"text"_s);
    m_store = open();
    QVERIFY(m_store);
    const Result<QList<LoggedRequest>> read = m_store->queries().requests(RequestFilter());
    VERIFY_OK(read);
    QCOMPARE(read->size(), 1);
    const LoggedRequest &stored = read->first();
    QCOMPARE(stored.id, batch[0].id);
    QCOMPARE(stored.receivedAtMicros, entry.receivedAtMicros);
    QCOMPARE(stored.webhookId, entry.webhookId);
    QCOMPARE(stored.method, entry.method);
    QCOMPARE(stored.path, entry.path);
    QCOMPARE(stored.query, entry.query);
    QCOMPARE(stored.httpVersion, entry.httpVersion);
    QCOMPARE(stored.headers, entry.headers);
    QCOMPARE(stored.body.size(), entry.body.size());
    QVERIFY(stored.body == entry.body); // QCOMPARE would print a megabyte on failure
    QCOMPARE(stored.bodyTruncated, entry.bodyTruncated);
    QCOMPARE(stored.bodySize, entry.bodySize);
    QCOMPARE(stored.contentType, entry.contentType);
    QCOMPARE(stored.clientAddress, entry.clientAddress);
    QCOMPARE(stored.forwardedFor, entry.forwardedFor);
    QCOMPARE(stored.status, entry.status);
    QCOMPARE(stored.reason, entry.reason);
    QCOMPARE(stored.reasonDetail, entry.reasonDetail);
    QCOMPARE(stored.handlingMicros, entry.handlingMicros);
    QCOMPARE(stored.instance, entry.instance);
    QCOMPARE(stored.apiKeyId, entry.apiKeyId);
    QVERIFY(!stored.accepted());
}

void tst_StoreLog::roundTripsNonUtf8HeaderValues_data()
{
    QTest::addColumn<QByteArray>("bytes");

    QTest::addRow("Latin-1") << "caf\xe9"_ba;
    QTest::addRow("UTF-8") << "caf\xc3\xa9"_ba;
    QTest::addRow("Latin-1 that looks like UTF-8 when decoded") << "\xc3\xa9"_ba;
    QTest::addRow("invalid byte") << "a\xff"
                                     "b"_ba;
}

void tst_StoreLog::roundTripsNonUtf8HeaderValues()
{
    // HTTP allows obs-text (bytes 0x80-0xFF) in header values, and the parser passes it on;
    // the log must keep the bytes that were received (the request target is ASCII-only).
    QFETCH(QByteArray, bytes);

    LoggedRequest entry = newEntry(QString(), 404);
    entry.headers = { { "X-Raw"_ba, bytes }, { "X-Plain"_ba, "ascii"_ba } };
    entry.contentType = "text/plain; x="_ba + bytes;
    QList<LoggedRequest> batch { entry };
    VERIFY_OK(m_store->log().append(batch));

    const Result<QList<LoggedRequest>> read = m_store->queries().requests(RequestFilter());
    VERIFY_OK(read);
    QCOMPARE(read->size(), 1);
    const LoggedRequest &stored = read->first();
    QCOMPARE(stored.headers.size(), qsizetype(2));
    QCOMPARE(stored.headers.value(0).second.toHex(), bytes.toHex());
    QCOMPARE(stored.contentType.toHex(), entry.contentType.toHex());
}

void tst_StoreLog::appendRecordsKeyUse()
{
    const Result<NewApiKey> used = m_store->config().addKey(u"used"_s);
    const Result<NewApiKey> unused = m_store->config().addKey(u"unused"_s);
    VERIFY_OK(used);
    VERIFY_OK(unused);

    const qint64 t1 = 1'712'000'000'123'456;
    const qint64 t2 = t1 + 5'000'000;
    QList<LoggedRequest> batch { newEntry(QString(), 200, t1), newEntry(QString(), 200, t2),
        newEntry(QString(), 404, t2 + 1'000'000) };
    batch[0].apiKeyId = used->key.id;
    batch[1].apiKeyId = used->key.id;
    VERIFY_OK(m_store->log().append(batch));

    const auto lastUsed = [&](qint64 id) {
        const QList<ApiKey> keys = m_store->config().keys().value();
        for (const ApiKey &key : keys) {
            if (key.id == id)
                return key.lastUsed;
        }
        return QDateTime();
    };
    QVERIFY(lastUsed(used->key.id).isValid());
    QCOMPARE(lastUsed(used->key.id).toMSecsSinceEpoch(), t2 / 1000);
    QVERIFY(lastUsed(unused->key.id).isNull());

    // A late-arriving batch with an older time does not move last use back.
    QList<LoggedRequest> older { newEntry(QString(), 200, t1 - 1'000'000) };
    older[0].apiKeyId = used->key.id;
    VERIFY_OK(m_store->log().append(older));
    QCOMPARE(lastUsed(used->key.id).toMSecsSinceEpoch(), t2 / 1000);
}

void tst_StoreLog::filterByWebhookAndOutcome()
{
    const QString a = Webhook::newId();
    const QString b = Webhook::newId();
    QList<LoggedRequest> batch { newEntry(a, 200), newEntry(a, 403), newEntry(b, 200),
        newEntry(QString(), 404), newEntry(a, 200), newEntry(b, 503), newEntry(a, 201) };
    VERIFY_OK(m_store->log().append(batch));
    const auto id = [&](int index) { return batch[index].id; };

    struct Case
    {
        const char *name;
        QString webhookId;
        RequestFilter::Outcome outcome;
        QList<qint64> expected;
    };
    const QList<Case> cases {
        { "all", QString(), RequestFilter::Outcome::Any,
            { id(6), id(5), id(4), id(3), id(2), id(1), id(0) } },
        { "webhook a", a, RequestFilter::Outcome::Any, { id(6), id(4), id(1), id(0) } },
        { "webhook b", b, RequestFilter::Outcome::Any, { id(5), id(2) } },
        { "accepted", QString(), RequestFilter::Outcome::Accepted, { id(6), id(4), id(2), id(0) } },
        { "rejected", QString(), RequestFilter::Outcome::Rejected, { id(5), id(3), id(1) } },
        { "webhook a accepted", a, RequestFilter::Outcome::Accepted, { id(6), id(4), id(0) } },
        { "webhook b rejected", b, RequestFilter::Outcome::Rejected, { id(5) } },
        { "unknown webhook", Webhook::newId(), RequestFilter::Outcome::Any, {} },
    };
    for (const Case &c : cases) {
        RequestFilter filter;
        filter.webhookId = c.webhookId;
        filter.outcome = c.outcome;
        const Result<QList<LoggedRequest>> read = m_store->queries().requests(filter);
        VERIFY_OK(read);
        QVERIFY2(idsOf(*read) == c.expected, c.name);
        for (const LoggedRequest &entry : *read) {
            if (!c.webhookId.isEmpty())
                QCOMPARE(entry.webhookId, c.webhookId);
        }
    }
}

void tst_StoreLog::pagesNewestFirst()
{
    QList<LoggedRequest> batch;
    for (int i = 0; i < 25; ++i)
        batch.append(newEntry(QString(), i % 2 ? 200 : 404, 1'700'000'000'000'000 + i));
    VERIFY_OK(m_store->log().append(batch));
    const qint64 newest = batch.last().id;
    const qint64 oldest = batch.first().id;
    QCOMPARE(newest - oldest, qint64(24));

    RequestFilter filter;
    filter.limit = 10;
    QList<qint64> seen;
    QList<qsizetype> pageSizes;
    for (int page = 0; page < 10; ++page) {
        const Result<QList<LoggedRequest>> read = m_store->queries().requests(filter);
        VERIFY_OK(read);
        if (read->isEmpty())
            break;
        pageSizes.append(read->size());
        seen += idsOf(*read);
        filter.beforeId = read->last().id;
    }
    QCOMPARE(pageSizes, QList<qsizetype>({ 10, 10, 5 }));
    QCOMPARE(seen, range(newest, oldest));

    // Paging composes with the other filters.
    RequestFilter accepted;
    accepted.outcome = RequestFilter::Outcome::Accepted;
    accepted.beforeId = oldest + 10;
    accepted.limit = 3;
    const Result<QList<LoggedRequest>> read = m_store->queries().requests(accepted);
    VERIFY_OK(read);
    QCOMPARE(idsOf(*read), QList<qint64>({ oldest + 9, oldest + 7, oldest + 5 }));

    RequestFilter none;
    none.limit = 0;
    QVERIFY(m_store->queries().requests(none)->isEmpty());
}

void tst_StoreLog::pageIdsAreTheRowsOfAPage_data()
{
    QTest::addColumn<RequestFilter>("filter");
    const qint64 base = 1'700'000'000'000'000;
    RequestFilter newest;
    newest.limit = 7;
    QTest::addRow("newest first") << newest;
    RequestFilter range = newest;
    range.sinceMicros = base + 5;
    range.untilMicros = base + 20;
    QTest::addRow("a time range") << range;
    RequestFilter upwards = range;
    upwards.oldestFirst = true;
    upwards.afterId = 3; // an offset from the first id, made absolute in the test
    QTest::addRow("oldest first above an id") << upwards;
    RequestFilter search = newest;
    search.search = u"token"_s;
    search.limit = 9;
    QTest::addRow("a search, partly indexed") << search;
}

// RequestQueries::pageIds serves deletion by filter as well as requests(): the ids it gives are
// those of the page requests() reads, in its order, as the filter defines them.
void tst_StoreLog::pageIdsAreTheRowsOfAPage()
{
    QFETCH(RequestFilter, filter);
    const qint64 base = 1'700'000'000'000'000;
    QList<LoggedRequest> batch;
    for (int i = 0; i < 30; ++i) {
        // Every fifth row stamped as if the clock had been set back: ids and times disagree.
        LoggedRequest entry = newEntry(QString(), 200, base + (i % 5 == 4 ? i - 8 : i));
        entry.body = i % 3 ? "alpha token"_ba : "beta"_ba;
        batch.append(entry);
    }
    VERIFY_OK(m_store->log().append(batch));
    VERIFY_OK(m_store->search().indexPending(12)); // the rest is matched as it is read
    if (filter.afterId)
        filter.afterId += batch.first().id;

    QList<qint64> expected;
    for (const LoggedRequest &entry : batch) {
        if ((filter.sinceMicros && entry.receivedAtMicros < filter.sinceMicros)
            || (filter.untilMicros && entry.receivedAtMicros >= filter.untilMicros)
            || (filter.afterId && entry.id <= filter.afterId)
            || (!filter.search.isEmpty() && !entry.body.contains("token")))
            continue;
        expected.append(entry.id);
    }
    if (!filter.oldestFirst)
        std::reverse(expected.begin(), expected.end());
    expected = expected.mid(0, filter.limit);

    const Result<QList<qint64>> ids = m_store->queries().pageIds(filter, filter.limit);
    VERIFY_OK(ids);
    QCOMPARE(*ids, expected);
    const Result<QList<LoggedRequest>> page = m_store->queries().requests(filter);
    VERIFY_OK(page);
    QCOMPARE(idsOf(*page), expected);
}

void tst_StoreLog::countRequests()
{
    const QString a = Webhook::newId();
    const QString b = Webhook::newId();
    QList<LoggedRequest> batch { newEntry(a, 200), newEntry(a, 403), newEntry(b, 200),
        newEntry(QString(), 404) };
    VERIFY_OK(m_store->log().append(batch));
    QCOMPARE(*m_store->queries().countRequests(), qint64(4));
    QCOMPARE(*m_store->queries().countRequests(a), qint64(2));
    QCOMPARE(*m_store->queries().countRequests(b), qint64(1));
    QCOMPARE(*m_store->queries().countRequests(Webhook::newId()), qint64(0));
}

void tst_StoreLog::toJsonFieldNames()
{
    LoggedRequest entry = newEntry(Webhook::newId(), 200);
    entry.id = 42;
    entry.query = "a=1"_ba;
    entry.headers = { { "Host"_ba, "x"_ba }, { "Content-Type"_ba, "application/json"_ba } };
    entry.body = "{}"_ba;
    entry.bodySize = 2;
    entry.contentType = "application/json"_ba;
    entry.forwardedFor = u"10.0.0.1"_s;
    entry.reasonDetail = u"detail"_s;
    entry.handlingMicros = 17;

    const QJsonObject json = entry.toJson();
    QStringList keys = json.keys();
    keys.sort();
    QStringList expected { u"id"_s, u"receivedAt"_s, u"webhookId"_s, u"method"_s, u"path"_s,
        u"query"_s, u"httpVersion"_s, u"headers"_s, u"body"_s, u"bodyEncoding"_s,
        u"bodyTruncated"_s, u"bodySize"_s, u"contentType"_s, u"clientAddress"_s, u"forwardedFor"_s,
        u"status"_s, u"reason"_s, u"reasonDetail"_s, u"handlingMicros"_s, u"instance"_s };
    expected.sort();
    QCOMPARE(keys, expected);

    QCOMPARE(json.value(u"id"_s).toInteger(), qint64(42));
    QCOMPARE(json.value(u"webhookId"_s).toString(), entry.webhookId);
    QCOMPARE(json.value(u"method"_s).toString(), u"POST"_s);
    QCOMPARE(json.value(u"query"_s).toString(), u"a=1"_s);
    QCOMPARE(json.value(u"httpVersion"_s).toString(), u"HTTP/1.1"_s);
    QCOMPARE(json.value(u"headers"_s).toArray(),
        QJsonArray({ QJsonArray { u"Host"_s, u"x"_s },
            QJsonArray { u"Content-Type"_s, u"application/json"_s } }));
    QCOMPARE(json.value(u"body"_s).toString(), u"{}"_s);
    QCOMPARE(json.value(u"bodyEncoding"_s).toString(), u"utf8"_s);
    QCOMPARE(json.value(u"bodyTruncated"_s).toBool(true), false);
    QCOMPARE(json.value(u"bodySize"_s).toInteger(), qint64(2));
    QCOMPARE(json.value(u"contentType"_s).toString(), u"application/json"_s);
    QCOMPARE(json.value(u"clientAddress"_s).toString(), u"127.0.0.1"_s);
    QCOMPARE(json.value(u"forwardedFor"_s).toString(), u"10.0.0.1"_s);
    QCOMPARE(json.value(u"status"_s).toInt(), 200);
    QCOMPARE(json.value(u"reason"_s).toString(), u"accepted"_s);
    QCOMPARE(json.value(u"reasonDetail"_s).toString(), u"detail"_s);
    QCOMPARE(json.value(u"handlingMicros"_s).toInteger(), qint64(17));
    QCOMPARE(json.value(u"instance"_s).toString(), u"test"_s);

    // Unknown webhook: null, not an empty string; empty query: an empty string.
    LoggedRequest unknown = newEntry(QString(), 404);
    const QJsonObject unknownJson = unknown.toJson();
    QVERIFY(unknownJson.value(u"webhookId"_s).isNull());
    QVERIFY(unknownJson.value(u"query"_s).isString());
    QCOMPARE(unknownJson.value(u"query"_s).toString(), QString());
    QCOMPARE(unknownJson.keys().size(), qsizetype(20));
}

void tst_StoreLog::toJsonTimestamp_data()
{
    QTest::addColumn<qint64>("micros");
    QTest::addColumn<QString>("text");

    QTest::addRow("epoch") << qint64(0) << u"1970-01-01T00:00:00.000000Z"_s;
    QTest::addRow("one microsecond") << qint64(1) << u"1970-01-01T00:00:00.000001Z"_s;
    QTest::addRow("recent") << qint64(1'700'000'000'123'456) << u"2023-11-14T22:13:20.123456Z"_s;
    QTest::addRow("whole second") << qint64(1'700'000'000'000'000)
                                  << u"2023-11-14T22:13:20.000000Z"_s;
    QTest::addRow("last microsecond of a day")
        << qint64(86'400'000'000 - 1) << u"1970-01-01T23:59:59.999999Z"_s;
}

void tst_StoreLog::toJsonTimestamp()
{
    QFETCH(qint64, micros);
    QFETCH(QString, text);

    LoggedRequest entry = newEntry(QString(), 404, micros);
    const QString receivedAt = entry.toJson().value(u"receivedAt"_s).toString();
    QCOMPARE(receivedAt, text);
    static const QRegularExpression shape(
        u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$"_s);
    QVERIFY(shape.match(receivedAt).hasMatch());
    QCOMPARE(LoggedRequest::formatTimestamp(micros), text);
}

void tst_StoreLog::toJsonBodyEncoding_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("encoding");

    QTest::addRow("empty") << QByteArray() << u"utf8"_s;
    QTest::addRow("ASCII JSON") << R"({"a":1})"_ba << u"utf8"_s;
    QTest::addRow("UTF-8") << "caf\xc3\xa9 \xf0\x9f\x98\x80"_ba << u"utf8"_s;
    QTest::addRow("Latin-1") << "caf\xe9"_ba << u"base64"_s;
    QTest::addRow("binary") << "\x00\xff\xfe\x80"_ba << u"base64"_s;
    QTest::addRow("truncated UTF-8 sequence") << "abc\xe2\x82"_ba << u"base64"_s;
    QTest::addRow("UTF-8 encoded surrogate") << "\xed\xa0\x80"_ba << u"base64"_s;
}

void tst_StoreLog::toJsonBodyEncoding()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, encoding);

    LoggedRequest entry = newEntry(QString(), 200);
    entry.body = body;
    entry.bodySize = body.size();
    const QJsonObject json = entry.toJson();
    QCOMPARE(json.value(u"bodyEncoding"_s).toString(), encoding);
    const QString text = json.value(u"body"_s).toString();
    const QByteArray decoded = encoding == u"base64"_s
        ? QByteArray::fromBase64(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors)
        : text.toUtf8();
    QCOMPARE(decoded, body);
}

void tst_StoreLog::searchFindsTokensInHeadersAndBodies_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QList<int>>("expected"); // indexes into the rows logged below
    QTest::addColumn<bool>("indexed");
    // Answered by the FTS index (caught up first), or by reading the rows it has not reached.
    for (const bool indexed : { true, false }) {
        const char *part = indexed ? "indexed" : "pending";
        QTest::addRow("%s (%s)", "a token in a header", part)
            << u"zebra"_s << QList<int> { 0 } << indexed;
        QTest::addRow("%s (%s)", "a hyphenated value", part)
            << u"zebra-42"_s << QList<int> { 0 } << indexed;
        QTest::addRow("%s (%s)", "a JSON string", part)
            << u"pineapple"_s << QList<int> { 1 } << indexed;
        QTest::addRow("%s (%s)", "two words, any order", part)
            << u"pie pineapple"_s << QList<int> { 1 } << indexed;
        QTest::addRow("%s (%s)", "case does not matter", part)
            << u"PINEAPPLE"_s << QList<int> { 1 } << indexed;
        QTest::addRow("%s (%s)", "a JSON number", part)
            << u"12345"_s << QList<int> { 2 } << indexed;
        QTest::addRow("%s (%s)", "one word missing", part)
            << u"pineapple zebra"_s << QList<int> {} << indexed;
        QTest::addRow("%s (%s)", "nowhere", part) << u"banana"_s << QList<int> {} << indexed;
        QTest::addRow("%s (%s)", "a word in two rows", part)
            << u"shared"_s << QList<int> { 0, 2 } << indexed;
        QTest::addRow("%s (%s)", "no word at all", part) << u"--"_s << QList<int> {} << indexed;
    }
}

void tst_StoreLog::searchFindsTokensInHeadersAndBodies()
{
    QFETCH(QString, search);
    QFETCH(QList<int>, expected);
    QList<LoggedRequest> batch { newEntry(QString(), 200), newEntry(QString(), 200),
        newEntry(QString(), 200), newEntry(QString(), 200) };
    batch[0].headers = { { "X-Trace", "zebra-42" }, { "X-Note", "shared" } };
    batch[1].body = R"({"note":"pineapple pie","n":7})";
    batch[2].body = "{\"order\":12345,\"tag\":\"shared\"}";
    batch[3].body = QByteArray("\x00\xff\x01binary", 9);
    VERIFY_OK(m_store->log().append(batch));
    QFETCH(bool, indexed);
    if (indexed)
        QCOMPARE(
            *m_store->search().indexPending(100), m_postgres ? qint64(0) : qint64(batch.size()));

    RequestFilter filter;
    filter.search = search;
    const Result<QList<LoggedRequest>> found = m_store->queries().requestSummaries(filter);
    VERIFY_OK(found);
    QList<qint64> wanted;
    for (int index : expected)
        wanted.prepend(batch.at(index).id); // newest first
    QCOMPARE(idsOf(*found), wanted);
    const Result<qint64> count = m_store->queries().countRequests(filter);
    VERIFY_OK(count);
    QCOMPARE(*count, qint64(expected.size()));
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    tst_StoreLog sqlite;
    tst_StoreLogPostgres postgres;
    int status = QTest::qExec(&sqlite, argc, argv);
    status |= QTest::qExec(&postgres, argc, argv);
    return status;
}
#include "tst_store_log.moc"
