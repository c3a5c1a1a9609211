// Tests for what the command line writes: curl commands, text that reaches a terminal, and
// private files, driving the real hooktrail executable as child processes.
#include "clitest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_CliOutput final : public CliTest
{
    Q_OBJECT

private slots:
    void curlPrintsWhatTheConsoleCopies();
    void curlUnknownRequest();
    void outputNeverDrivesTheTerminal();
    void filesArePrivate();
};

void tst_CliOutput::curlPrintsWhatTheConsoleCopies()
{
    ensureLog();
    if (QTest::currentTestFailed())
        return;
    // The rows serve logged, and one no sender could get through HTTP but a log may hold.
    const QString dataDir = newDataDir();
    QList<LoggedRequest> rows { hostileRow() };
    QVERIFY(seedLog(dataDir, rows));
    const Settings settings(dataDir);

    QList<QPair<QString, qint64>> cases { { dataDir, rows.first().id } };
    for (const qint64 id : m_log.ids)
        cases.append({ m_log.dataDir, id });
    for (const auto &[folder, id] : cases) {
        const ProcessOutcome outcome = hooktrailIn(folder, { u"curl"_s, QString::number(id) });
        QVERIFY2(succeeded(outcome), describe(outcome));
        Result<std::unique_ptr<Store>> store
            = Store::openSqlite(QDir(folder).filePath(u"hooktrail.db"_s));
        VERIFY_OK(store);
        const Result<std::optional<LoggedRequest>> row = (*store)->queries().request(id);
        VERIFY_OK(row);
        QVERIFY(row->has_value());
        // The console copies CurlCommand::fromRequest with the base URL of the settings.
        QCOMPARE(
            text(outcome.out), CurlCommand::fromRequest(**row, Settings(folder).baseUrl()) + u'\n');
        QVERIFY(outcome.err.isEmpty());
        QVERIFY(!outcome.out.contains(m_log.key.toLatin1()));
        QVERIFY(std::all_of(outcome.out.begin(), outcome.out.end(),
            [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7f); }));
    }
    const ProcessOutcome hostile
        = hooktrailIn(dataDir, { u"curl"_s, QString::number(rows.first().id) });
    QVERIFY2(hostile.out.contains("--data-raw $'@/etc/passwd\\x1b[2J"), describe(hostile));
    QVERIFY2(hostile.out.startsWith("curl -X POST 'http://127.0.0.1:8484/v1/data/webhook/"),
        describe(hostile));
}

void tst_CliOutput::curlUnknownRequest()
{
    const QString dataDir = newDataDir();
    QList<LoggedRequest> rows { hostileRow() };
    QVERIFY(seedLog(dataDir, rows));
    const ProcessOutcome outcome
        = hooktrailIn(dataDir, { u"curl"_s, QString::number(rows.first().id + 1) });
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Failure));
    QVERIFY2(text(outcome.err)
                 .startsWith(u"hooktrail: no request with ID %1"_s.arg(rows.first().id + 1)),
        describe(outcome));
    QVERIFY(outcome.out.isEmpty());
}

// What a sender wrote reaches a terminal with its control characters escaped: the table and
// JSON Lines always (the JSON means the same), an export when standard output is a terminal.
void tst_CliOutput::outputNeverDrivesTheTerminal()
{
    const QString dataDir = newDataDir();
    LoggedRequest imported = hostileRow();
    imported.method = "GET\x1b[2J\xc2\x9b"
                      "1m"; // no HTTP method is so, an old log may be
    QList<LoggedRequest> rows { hostileRow(), imported };
    QVERIFY(seedLog(dataDir, rows));
    const auto controls = [](const QByteArray &bytes) {
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            const auto c = static_cast<unsigned char>(bytes[i]);
            if (c == 0x1b || c == 0x07 || c == 0x03 || c == 0x7f
                || (c == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n'))
                || (c == 0xc2 && i + 1 < bytes.size()
                    && static_cast<unsigned char>(bytes[i + 1]) < 0xa0
                    && static_cast<unsigned char>(bytes[i + 1]) >= 0x80))
                return true;
        }
        return false;
    };

    const ProcessOutcome table = hooktrailIn(dataDir, words(u"log"));
    QVERIFY2(succeeded(table), describe(table));
    QVERIFY2(!controls(table.out), table.out.toHex().constData());
    QVERIFY2(table.out.contains("GET\\u001b[2J\\u009b1m"), table.out.constData());

    const ProcessOutcome jsonl = hooktrailIn(dataDir, words(u"log --format jsonl"));
    QVERIFY2(succeeded(jsonl), describe(jsonl));
    QVERIFY2(!controls(jsonl.out), jsonl.out.toHex().constData());
    const QList<QByteArray> lines = jsonl.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject newest = QJsonDocument::fromJson(lines.first()).object();
    QCOMPARE(newest.value(u"method"_s).toString(), QString::fromUtf8(imported.method));
    QCOMPARE(newest.value(u"headers"_s).toArray().at(2).toArray().at(1).toString(),
        QString::fromUtf8(imported.headers.at(2).second));

    for (const QString &format : { u"csv"_s, u"jsonl"_s, u"har"_s }) {
        const QStringList arguments { u"export"_s, u"--format"_s, format, u"--data-dir"_s,
            dataDir };
        const ProcessOutcome shown = runOnTerminal(arguments, m_environment);
        QVERIFY2(shown.exited && shown.exitCode == 0, describe(shown));
        QVERIFY2(shown.out.contains(format == u"csv"_s ? "@/etc/passwd\\u001b[2J" : "\\u001b[2J"),
            shown.out.constData());
        QVERIFY2(!controls(shown.out), shown.out.toHex().constData());
        // Into a pipe or a file, the export is the data exactly.
        const ProcessOutcome piped = hooktrail(arguments);
        QVERIFY2(succeeded(piped), describe(piped));
        if (format == u"csv"_s)
            QVERIFY(piped.out.contains(rows.first().body));
    }
}

void tst_CliOutput::filesArePrivate()
{
    // A new data folder is the user's alone, and so is the log in it.
    const QString dataDir = newDataDir();
    const ProcessOutcome added = hooktrailIn(dataDir, words(u"webhook add --name private"));
    QVERIFY2(succeeded(added), describe(added));
    QCOMPARE(modeOf(dataDir), 0700u);
    const QString database = QDir(dataDir).filePath(u"hooktrail.db"_s);
    QCOMPARE(modeOf(database), 0600u);
    for (const QString &suffix : { u"-wal"_s, u"-shm"_s }) {
        if (QFileInfo::exists(database + suffix))
            QCOMPARE(modeOf(database + suffix), 0600u);
    }
    QVERIFY2(!text(added.err).contains(u"private"_s), describe(added));

    // An export holds bodies: 0600, even over a file that was open to others.
    const QString exported = m_root.filePath(u"private-export.har"_s);
    for (int run = 0; run < 2; ++run) {
        const ProcessOutcome written
            = hooktrailIn(dataDir, { u"export"_s, u"--format"_s, u"har"_s, u"-o"_s, exported });
        QVERIFY2(succeeded(written), describe(written));
        QCOMPARE(modeOf(exported), 0600u);
        QVERIFY(::chmod(QFile::encodeName(exported).constData(), 0644) == 0);
    }

    // A folder made open before (by an older Hooktrail or by hand) is closed, and said once.
    QVERIFY(::chmod(QFile::encodeName(dataDir).constData(), 0755) == 0);
    QVERIFY(::chmod(QFile::encodeName(database).constData(), 0644) == 0);
    const ProcessOutcome first = hooktrailIn(dataDir, words(u"webhook list"));
    QVERIFY2(succeeded(first), describe(first));
    QVERIFY2(text(first.err).contains(u"made the data folder %1 private (it was 0755)"_s.arg(
                 QDir(dataDir).absolutePath())),
        describe(first));
    QCOMPARE(modeOf(dataDir), 0700u);
    QCOMPARE(modeOf(database), 0600u);
    const ProcessOutcome second = hooktrailIn(dataDir, words(u"webhook list"));
    QVERIFY2(succeeded(second), describe(second));
    QVERIFY2(!text(second.err).contains(u"private"_s), describe(second));
}

QTEST_GUILESS_MAIN(tst_CliOutput)
#include "tst_cli_output.moc"
