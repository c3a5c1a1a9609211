// The fixture the export tests derive from: a store on a real SQLite file in a temporary
// folder, holding rows with everything that is hard to export, and the export of them.
#pragma once

#include "core/history/requestexport.h"
#include "core/store/store.h"
#include "sqltestsupport.h"

#include <QBuffer>
#include <QObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace Hooktrail::TestSupport {

using namespace Qt::StringLiterals;

inline const QString WebhookA = u"aaaaaaaa-0000-4000-8000-000000000001"_s;

inline LoggedRequest baseEntry(qint64 receivedAt)
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
inline QList<LoggedRequest> awkwardRows()
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

class ExportTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

protected:
    QByteArray exportAll(RequestExport::Format format, const RequestFilter &filter = {},
        const QList<qint64> &ids = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;
    QList<LoggedRequest> m_rows; // as appended, ids set
};

inline void ExportTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

inline void ExportTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto opened = Store::openSqlite(m_dir->filePath(u"hooktrail.db"_s));
    VERIFY_OK(opened);
    m_store = std::move(opened).value();
    m_rows = awkwardRows();
    VERIFY_OK(m_store->log().append(m_rows));
}

inline void ExportTest::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

inline QByteArray ExportTest::exportAll(
    RequestExport::Format format, const RequestFilter &filter, const QList<qint64> &ids)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const Status status = RequestExport::write(*m_store, format, filter, ids, buffer);
    if (!status)
        qWarning("export failed: %s", qPrintable(status.error()));
    return status ? buffer.data() : QByteArray();
}

} // namespace Hooktrail::TestSupport
