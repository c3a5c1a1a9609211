// Tests for the command line's usage: errors, version and help, the global options and the
// data folder, driving the real hooktrail executable as a child process.
#include "clitest.h"

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_CliUsage final : public CliTest
{
    Q_OBJECT

private slots:
    void usageErrors_data();
    void usageErrors();
    void versionAndHelp_data();
    void versionAndHelp();
    void globalOptionAnywhere_data();
    void globalOptionAnywhere();
    void dataDirFromEnvironment();
    void unusableDataDir_data();
    void unusableDataDir();
    void speaksEnglishUnderAFrenchLocale();
};

void tst_CliUsage::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown command") << words(u"frobnicate") << u"unknown command 'frobnicate'"_s;
    QTest::newRow("unknown option")
        << words(u"webhook list --verbose") << u"unknown option --verbose"_s;
    QTest::newRow("webhook add without --name")
        << words(u"webhook add --description d") << u"webhook add needs --name"_s;
    QTest::newRow("key add without --name") << words(u"key add") << u"key add needs --name"_s;
    QTest::newRow("option without value")
        << words(u"webhook add --name") << u"--name needs a value"_s;
    QTest::newRow("option given twice")
        << words(u"key add --name a --name b") << u"--name given more than once"_s;
    QTest::newRow("unexpected argument")
        << words(u"webhook list extra") << u"unexpected argument 'extra'"_s;
    QTest::newRow("webhook without action") << words(u"webhook") << u"webhook needs a command"_s;
    QTest::newRow("unknown webhook action")
        << words(u"webhook rename") << u"unknown webhook command 'rename'"_s;
    QTest::newRow("edit without id")
        << words(u"webhook edit --name x") << u"webhook edit needs the webhook's ID"_s;
    QTest::newRow("edit without a change")
        << words(u"webhook edit 0b5f2a59-7d0e-4d36-9f1a-3c4e5d6f7a8b")
        << u"webhook edit needs an option to change"_s;
    QTest::newRow("flag with a value")
        << words(u"webhook add --name x --accept-any-content-type=yes")
        << u"--accept-any-content-type takes no value"_s;
    QTest::newRow("both content-type flags")
        << words(u"webhook edit 0b5f2a59-7d0e-4d36-9f1a-3c4e5d6f7a8b --accept-any-content-type "
                 u"--check-content-type")
        << u"give --accept-any-content-type or --check-content-type, not both"_s;
    QTest::newRow("show without id")
        << words(u"webhook show") << u"webhook show needs the webhook's ID"_s;
    QTest::newRow("revoke without prefix")
        << words(u"key revoke") << u"key revoke needs the key's PREFIX"_s;
    QTest::newRow("--limit abc") << words(u"log --limit abc")
                                 << u"--limit takes a positive whole number"_s;
    QTest::newRow("--limit 0") << words(u"log --limit 0")
                               << u"--limit takes a positive whole number"_s;
    QTest::newRow("--outcome maybe")
        << words(u"log --outcome maybe") << u"--outcome takes accepted or rejected"_s;
    QTest::newRow("--format xml") << words(u"log --format xml")
                                  << u"--format takes table or jsonl"_s;
    QTest::newRow("--since nonsense")
        << words(u"log --since yesterday") << u"--since takes a date (2026-11-29)"_s;
    QTest::newRow("--until bad unit") << words(u"log --until 5x") << u"--until takes a date"_s;
    QTest::newRow("--since impossible date")
        << words(u"log --since 2026-02-30") << u"--since takes a date"_s;
    QTest::newRow("--since an age before 1970")
        << words(u"log --since 999999999w") << u"--since takes a date"_s;
    QTest::newRow("--since after --until")
        << words(u"log --since 2026-11-30 --until 2026-11-29T23:00:00Z")
        << u"--since must be earlier than --until"_s;
    QTest::newRow("--status 42") << words(u"log --status 42") << u"--status takes an HTTP status"_s;
    QTest::newRow("--status abc") << words(u"log --status abc")
                                  << u"--status takes an HTTP status"_s;
    QTest::newRow("--reason with capitals")
        << words(u"log --reason Invalid-Key") << u"--reason takes a reason code"_s;
    QTest::newRow("--method with digits")
        << words(u"log --method P0ST") << u"--method takes an HTTP method"_s;
    QTest::newRow("--search empty") << words(u"log --search=") << u"--search needs some text"_s;
    QTest::newRow("export without --format")
        << words(u"export") << u"export needs --format har, jsonl or csv"_s;
    QTest::newRow("export --format xml")
        << words(u"export --format xml") << u"export needs --format har, jsonl or csv"_s;
    QTest::newRow("export -o without file")
        << words(u"export --format har -o") << u"--output needs a value"_s;
    QTest::newRow("export bad filter")
        << words(u"export --format csv --status 1000") << u"--status takes an HTTP status"_s;
    QTest::newRow("export extra argument")
        << words(u"export --format csv out.csv") << u"unexpected argument 'out.csv'"_s;
    QTest::newRow("export unknown option")
        << words(u"export --format csv --limit 3") << u"unknown option --limit"_s;
    QTest::newRow("curl without id")
        << words(u"curl") << u"curl needs the request's ID, a positive whole number"_s;
    QTest::newRow("curl id not a number")
        << words(u"curl abc") << u"curl needs the request's ID, a positive whole number"_s;
    QTest::newRow("curl id zero") << words(u"curl 0")
                                  << u"curl needs the request's ID, a positive whole number"_s;
    QTest::newRow("curl two ids") << words(u"curl 1 2") << u"unexpected argument '2'"_s;
    QTest::newRow("curl unknown option") << words(u"curl 1 --key k") << u"unknown option --key"_s;
    QTest::newRow("--listen nonsense")
        << words(u"serve --listen nonsense") << u"--listen takes ADDR:PORT"_s;
    QTest::newRow("--listen port out of range")
        << words(u"serve --listen 127.0.0.1:70000") << u"--listen takes ADDR:PORT"_s;
    QTest::newRow("--data-dir without value")
        << words(u"webhook list --data-dir") << u"--data-dir needs a folder"_s;
    QTest::newRow("--data-dir= empty")
        << words(u"--data-dir= webhook list") << u"--data-dir needs a folder"_s;
}

void tst_CliUsage::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);

    // A usage error is caught before anything is opened: the data folder is not even created.
    const QString dataDir = newDataDir();
    QProcessEnvironment environment = m_environment;
    environment.insert(u"HOOKTRAIL_DATA_DIR"_s, dataDir);
    // Short timeout: a `serve` that wrongly accepted its arguments would otherwise run on.
    const ProcessOutcome outcome = runHooktrail(arguments, environment, 10000);

    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Usage));
    QVERIFY2(text(outcome.err).startsWith(u"hooktrail: "_s + message), describe(outcome));
    QVERIFY2(text(outcome.err).contains(CommandLine::usage()), describe(outcome));
    QVERIFY2(outcome.out.isEmpty(), describe(outcome));
    QVERIFY(!QFileInfo::exists(dataDir));
}

void tst_CliUsage::versionAndHelp_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");

    const QString version = u"hooktrail %1\n"_s.arg(QStringLiteral(HOOKTRAIL_VERSION));
    QTest::newRow("--version") << words(u"--version") << version;
    QTest::newRow("--version after a command") << words(u"key list --version") << version;
    QTest::newRow("--help") << words(u"--help") << CommandLine::usage();
    QTest::newRow("-h") << words(u"-h") << CommandLine::usage();
    QTest::newRow("--help after a command") << words(u"webhook add --help") << CommandLine::usage();
}

void tst_CliUsage::versionAndHelp()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);

    const ProcessOutcome outcome = hooktrail(arguments);
    QVERIFY2(succeeded(outcome), describe(outcome));
    QCOMPARE(text(outcome.out), expected);
    QCOMPARE(text(outcome.err), QString());
}

void tst_CliUsage::globalOptionAnywhere_data()
{
    QTest::addColumn<QStringList>("arguments"); // {DIR} stands for the data folder

    QTest::newRow("last") << words(u"key add --name ci --data-dir {DIR}");
    QTest::newRow("first") << words(u"--data-dir {DIR} key add --name ci");
    QTest::newRow("between command and action") << words(u"key --data-dir {DIR} add --name ci");
    QTest::newRow("between action and its option") << words(u"key add --data-dir {DIR} --name ci");
    QTest::newRow("inline form") << words(u"key add --name ci --data-dir={DIR}");
}

void tst_CliUsage::globalOptionAnywhere()
{
    QFETCH(QStringList, arguments);

    const QString dataDir = newDataDir();
    const ProcessOutcome added = hooktrail(replaced(arguments, u"{DIR}"_s, dataDir));
    QVERIFY2(succeeded(added), describe(added));
    QVERIFY(text(added.out).startsWith(u"htk_"_s));
    QVERIFY(QFileInfo::exists(QDir(dataDir).filePath(u"hooktrail.db"_s)));

    const ProcessOutcome listed = hooktrailIn(dataDir, words(u"key list"));
    QVERIFY2(succeeded(listed), describe(listed));
    const QStringList lines = nonEmptyLines(listed.out);
    QCOMPARE(lines.size(), 2); // header and the one key
    QVERIFY2(lines.at(1).endsWith(u" ci"_s), qPrintable(lines.at(1)));
}

void tst_CliUsage::dataDirFromEnvironment()
{
    const QString fromEnvironment = newDataDir();
    const QString fromOption = newDataDir();
    QProcessEnvironment environment = m_environment;
    environment.insert(u"HOOKTRAIL_DATA_DIR"_s, fromEnvironment);

    const ProcessOutcome viaEnvironment
        = runHooktrail(words(u"webhook add --name env-hook"), environment);
    QVERIFY2(succeeded(viaEnvironment), describe(viaEnvironment));
    // --data-dir wins over the environment.
    const ProcessOutcome viaOption = runHooktrail(
        words(u"webhook add --name flag-hook --data-dir") << fromOption, environment);
    QVERIFY2(succeeded(viaOption), describe(viaOption));

    const QString inEnvironmentDir = text(hooktrailIn(fromEnvironment, words(u"webhook list")).out);
    const QString inOptionDir = text(hooktrailIn(fromOption, words(u"webhook list")).out);
    QVERIFY2(inEnvironmentDir.contains(u"env-hook"_s), qPrintable(inEnvironmentDir));
    QVERIFY2(!inEnvironmentDir.contains(u"flag-hook"_s), qPrintable(inEnvironmentDir));
    QVERIFY2(inOptionDir.contains(u"flag-hook"_s), qPrintable(inOptionDir));
    QVERIFY2(!inOptionDir.contains(u"env-hook"_s), qPrintable(inOptionDir));
}

void tst_CliUsage::unusableDataDir_data()
{
    QTest::addColumn<QString>("relativePath"); // below the test's root, where "file" is a file
    QTest::addColumn<QStringList>("arguments");

    const QStringList commands[] = {
        words(u"webhook list"),
        words(u"webhook add --name x"),
        words(u"key add --name x"),
        words(u"log --format jsonl"),
        words(u"serve --listen 127.0.0.1:0"),
    };
    for (const QString &path : { u"file"_s, u"file/below"_s }) {
        for (const QStringList &command : commands) {
            QTest::addRow("%s in %s", qPrintable(command.mid(0, 2).join(u' ')), qPrintable(path))
                << path << command;
        }
    }
}

void tst_CliUsage::unusableDataDir()
{
    QFETCH(QString, relativePath);
    QFETCH(QStringList, arguments);

    // Tests run as root, which writes through missing permissions but not through a file.
    QFile regularFile(m_root.filePath(u"file"_s));
    QVERIFY(regularFile.open(QIODevice::WriteOnly));
    regularFile.close();
    const QString dataDir = m_root.filePath(relativePath);

    const ProcessOutcome outcome
        = runHooktrail(arguments << u"--data-dir"_s << dataDir, m_environment, 10000);
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Failure));
    QVERIFY2(text(outcome.err).contains(u"data folder %1 is unusable"_s.arg(dataDir)),
        describe(outcome));
    QVERIFY2(!text(outcome.err).contains(u"Usage:"_s), describe(outcome));
    QVERIFY(QFileInfo(regularFile.fileName()).isFile());
}

// The command line is for scripts and logs: it installs no translator, so even the core's
// messages, which the console shows in French, stay English whatever the user's locale.
void tst_CliUsage::speaksEnglishUnderAFrenchLocale()
{
    QFile regularFile(m_root.filePath(u"file"_s));
    QVERIFY(regularFile.open(QIODevice::WriteOnly));
    regularFile.close();
    const QString dataDir = m_root.filePath(u"file/below"_s);
    QProcessEnvironment environment = m_environment;
    for (const QString &name : { u"LANG"_s, u"LC_ALL"_s, u"LC_MESSAGES"_s })
        environment.insert(name, u"fr_FR.UTF-8"_s);
    environment.insert(u"LANGUAGE"_s, u"fr"_s);

    const ProcessOutcome outcome
        = runHooktrail(words(u"webhook list --data-dir") << dataDir, environment, 10000);
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Failure));
    QVERIFY2(text(outcome.err).contains(u"cannot create the data folder %1"_s.arg(dataDir)),
        describe(outcome));
    QVERIFY2(!text(outcome.err).contains(u"impossible"_s), describe(outcome));
}

QTEST_GUILESS_MAIN(tst_CliUsage)
#include "tst_cli_usage.moc"
