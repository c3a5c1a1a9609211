// Tests for "copy as curl": the command's text, secrets kept out of it, and the command replayed
// by a shell against a real receiver, every byte quoted.
#include "core/history/curlcommand.h"
#include "core/history/requestexport.h"
#include "exporttest.h"
#include "sqltestsupport.h"
#include "testsupport.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

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

class tst_ExportCurl : public ExportTest
{
    Q_OBJECT

private slots:
    void curlCommandText_data();
    void curlCommandText();
    void secretsStayRedacted();
    void curlReplaysTheRequest_data();
    void curlReplaysTheRequest();
    void curlQuotesEveryByte_data();
    void curlQuotesEveryByte();
};

void tst_ExportCurl::curlCommandText_data()
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

void tst_ExportCurl::curlCommandText()
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

void tst_ExportCurl::secretsStayRedacted()
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

void tst_ExportCurl::curlReplaysTheRequest_data()
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

void tst_ExportCurl::curlReplaysTheRequest()
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

void tst_ExportCurl::curlQuotesEveryByte_data()
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
void tst_ExportCurl::curlQuotesEveryByte()
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

QTEST_GUILESS_MAIN(tst_ExportCurl)
#include "tst_export_curl.moc"
