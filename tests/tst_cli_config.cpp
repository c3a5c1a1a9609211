// Tests for the command line's webhook and key commands, driving the real hooktrail
// executable as a child process.
#include "clitest.h"

#include <QRandomGenerator>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

class tst_CliConfig final : public CliTest
{
    Q_OBJECT

private slots:
    void webhookAddPrintsJson();
    void webhookValidationListsEveryProblem_data();
    void webhookValidationListsEveryProblem();
    void webhookDuplicateName();
    void webhookUnknownId_data();
    void webhookUnknownId();
    void webhookLifecycle();
    void webhookAcceptsAnyContentType();
    void webhookEditChangesOnlyWhatIsGiven();
    void webhookAuthenticationAndResponse();
    void webhookAuthenticationUsageErrors_data();
    void webhookAuthenticationUsageErrors();
    void keyShownOnceNeverStored();
    void keyRevoke();
};

void tst_CliConfig::webhookAddPrintsJson()
{
    const QString dataDir = newDataDir();
    const ProcessOutcome outcome = hooktrailIn(dataDir,
        words(u"webhook add --name Orders --method post --method PUT --header X-Source=shop "
              u"--ip 10.0.0.0/8 --ip 2001:db8::/32 --description")
            << u"Shop orders"_s);
    QVERIFY2(succeeded(outcome), describe(outcome));
    QVERIFY2(outcome.err.isEmpty(), describe(outcome));

    QJsonParseError parseError;
    const QJsonObject webhook = QJsonDocument::fromJson(outcome.out, &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, describe(outcome));
    const QString id = webhook.value(u"id"_s).toString();
    static const QRegularExpression lowercaseUuidV4(
        u"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);
    QVERIFY2(lowercaseUuidV4.match(id).hasMatch(), qPrintable(id));
    QVERIFY(isUuidV4(id));
    // The endpoint as copied without a key: the key is never part of what is printed.
    QCOMPARE(
        webhook.value(u"endpoint"_s).toString(), u"http://127.0.0.1:8484/v1/data/webhook/"_s + id);
    QCOMPARE(webhook.value(u"name"_s).toString(), u"Orders"_s);
    QCOMPARE(webhook.value(u"description"_s).toString(), u"Shop orders"_s);
    QCOMPARE(webhook.value(u"methodsWhitelist"_s).toArray(), (QJsonArray { u"POST"_s, u"PUT"_s }));
    QCOMPARE(webhook.value(u"headersWhitelist"_s).toObject(),
        (QJsonObject { { u"X-Source"_s, u"shop"_s } }));
    QCOMPARE(webhook.value(u"ipAddressWhitelist"_s).toArray(),
        (QJsonArray { u"10.0.0.0/8"_s, u"2001:db8::/32"_s }));
    QCOMPARE(webhook.value(u"enabled"_s).toBool(false), true);
    QVERIFY(QDateTime::fromString(webhook.value(u"created"_s).toString(), Qt::ISODate).isValid());

    // Defaults: POST only, no header or IP rules.
    const ProcessOutcome plain = hooktrailIn(dataDir, words(u"webhook add --name Plain"));
    QVERIFY2(succeeded(plain), describe(plain));
    const QJsonObject plainWebhook = QJsonDocument::fromJson(plain.out).object();
    QCOMPARE(plainWebhook.value(u"methodsWhitelist"_s).toArray(), QJsonArray { u"POST"_s });
    QVERIFY(plainWebhook.value(u"headersWhitelist"_s).toObject().isEmpty());
    QVERIFY(plainWebhook.value(u"ipAddressWhitelist"_s).toArray().isEmpty());
    QVERIFY(plainWebhook.value(u"id"_s).toString() != id);
}

void tst_CliConfig::webhookValidationListsEveryProblem_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("fields"); // one per expected problem line, in order

    QTest::newRow("three bad fields") << (words(u"--method FOO --ip nonsense --name") << QString())
                                      << words(u"name methodsWhitelist ipAddressWhitelist");
    QTest::newRow("header without value and bad range")
        << words(u"--name ok --header NoEquals --ip 10.0.0.0/33")
        << words(u"headersWhitelist ipAddressWhitelist");
    QTest::newRow("every field at once")
        << (words(u"--method GET --method GET --header Bad(Name)=x --ip 300.1.1.1 --ip ::1/129")
               << u"--name"_s << QString(101, u'n') << u"--description"_s << QString(2001, u'd'))
        << words(u"name description methodsWhitelist headersWhitelist ipAddressWhitelist "
                 u"ipAddressWhitelist");
}

void tst_CliConfig::webhookValidationListsEveryProblem()
{
    QFETCH(QStringList, options);
    QFETCH(QStringList, fields);

    const QString dataDir = newDataDir();
    const ProcessOutcome outcome = hooktrailIn(dataDir, words(u"webhook add") + options);
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Usage));
    QVERIFY2(outcome.out.isEmpty(), describe(outcome));

    QStringList lines = nonEmptyLines(outcome.err);
    QVERIFY2(!lines.isEmpty() && lines.takeFirst() == u"hooktrail: the webhook is not valid:"_s,
        describe(outcome));
    QStringList problemFields;
    for (const QString &line : std::as_const(lines)) {
        QVERIFY2(line.startsWith(u"  "_s), qPrintable(line));
        problemFields.append(line.trimmed().section(u':', 0, 0));
    }
    QCOMPARE(problemFields, fields);

    // Nothing half-valid was stored.
    QCOMPARE(nonEmptyLines(hooktrailIn(dataDir, words(u"webhook list")).out).size(), 1);
}

void tst_CliConfig::webhookDuplicateName()
{
    const QString dataDir = newDataDir();
    const ProcessOutcome first = hooktrailIn(dataDir, words(u"webhook add --name Orders"));
    QVERIFY2(succeeded(first), describe(first));

    // Names are unique case-insensitively.
    const ProcessOutcome second = hooktrailIn(dataDir, words(u"webhook add --name ORDERS"));
    QVERIFY2(second.exited, describe(second));
    QCOMPARE(second.exitCode, int(CommandLine::Usage));
    QVERIFY2(text(second.err).contains(u"  name: A webhook named 'ORDERS' already exists."_s),
        describe(second));

    QCOMPARE(nonEmptyLines(hooktrailIn(dataDir, words(u"webhook list")).out).size(), 2);
}

void tst_CliConfig::webhookUnknownId_data()
{
    QTest::addColumn<QString>("action");
    for (const char *action : { "show", "enable", "disable", "remove" })
        QTest::newRow(action) << QString::fromLatin1(action);
}

void tst_CliConfig::webhookUnknownId()
{
    QFETCH(QString, action);

    const QString dataDir = newDataDir();
    const CliProvision provision = provisionViaCli(dataDir, u"Existing"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    const QString unknownId = Webhook::newId();

    const ProcessOutcome outcome = hooktrailIn(dataDir, { u"webhook"_s, action, unknownId });
    QVERIFY2(outcome.exited, describe(outcome));
    QCOMPARE(outcome.exitCode, int(CommandLine::Failure));
    QVERIFY2(text(outcome.err).contains(u"no webhook with ID "_s + unknownId), describe(outcome));
    QVERIFY2(outcome.out.isEmpty(), describe(outcome));

    // The existing webhook is untouched.
    const QStringList lines = nonEmptyLines(hooktrailIn(dataDir, words(u"webhook list")).out);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(1).startsWith(provision.webhookId + u"  enabled"_s), qPrintable(lines.at(1)));
}

void tst_CliConfig::webhookLifecycle()
{
    const QString dataDir = newDataDir();
    const ProcessOutcome added = hooktrailIn(dataDir, words(u"webhook add --name Life"));
    QVERIFY2(succeeded(added), describe(added));
    const QString id = QJsonDocument::fromJson(added.out).object().value(u"id"_s).toString();

    const auto listRow = [&]() {
        const QStringList lines = nonEmptyLines(hooktrailIn(dataDir, words(u"webhook list")).out);
        return lines.size() == 2 ? lines.at(1).simplified() : QString();
    };
    const auto shownEnabled = [&]() {
        const ProcessOutcome shown = hooktrailIn(dataDir, { u"webhook"_s, u"show"_s, id });
        const QJsonObject object = QJsonDocument::fromJson(shown.out).object();
        return object.value(u"id"_s).toString() == id && object.value(u"enabled"_s).toBool();
    };
    QCOMPARE(listRow(), id + u" enabled POST checked key Life"_s);
    QVERIFY(shownEnabled());

    ProcessOutcome changed = hooktrailIn(dataDir, { u"webhook"_s, u"disable"_s, id });
    QVERIFY2(succeeded(changed), describe(changed));
    QCOMPARE(listRow(), id + u" disabled POST checked key Life"_s);
    QVERIFY(!shownEnabled());

    // IDs are taken in any case; they are stored lowercase.
    changed = hooktrailIn(dataDir, { u"webhook"_s, u"enable"_s, id.toUpper() });
    QVERIFY2(succeeded(changed), describe(changed));
    QCOMPARE(listRow(), id + u" enabled POST checked key Life"_s);
    QVERIFY(shownEnabled());

    changed = hooktrailIn(dataDir, { u"webhook"_s, u"remove"_s, id });
    QVERIFY2(succeeded(changed), describe(changed));
    QCOMPARE(listRow(), QString());
    const ProcessOutcome shown = hooktrailIn(dataDir, { u"webhook"_s, u"show"_s, id });
    QCOMPARE(shown.exitCode, int(CommandLine::Failure));
}

// --accept-any-content-type on add, and edit turning it off and on: show and list say it.
void tst_CliConfig::webhookAcceptsAnyContentType()
{
    const QString dataDir = newDataDir();
    const ProcessOutcome added
        = hooktrailIn(dataDir, words(u"webhook add --name Raw --accept-any-content-type"));
    QVERIFY2(succeeded(added), describe(added));
    const QString id = QJsonDocument::fromJson(added.out).object().value(u"id"_s).toString();
    QCOMPARE(QJsonDocument::fromJson(added.out).object().value(u"acceptAnyContentType"_s),
        QJsonValue(true));
    const ProcessOutcome plain = hooktrailIn(dataDir, words(u"webhook add --name Plain"));
    QVERIFY2(succeeded(plain), describe(plain));
    QCOMPARE(QJsonDocument::fromJson(plain.out).object().value(u"acceptAnyContentType"_s),
        QJsonValue(false));

    const auto shown = [&]() {
        const ProcessOutcome outcome = hooktrailIn(dataDir, { u"webhook"_s, u"show"_s, id });
        return QJsonDocument::fromJson(outcome.out).object().value(u"acceptAnyContentType"_s);
    };
    const auto listed = [&]() {
        QStringList lines = nonEmptyLines(hooktrailIn(dataDir, words(u"webhook list")).out);
        for (QString &line : lines)
            line = line.simplified();
        return lines;
    };
    QCOMPARE(shown(), QJsonValue(true));
    QStringList lines = listed();
    QCOMPARE(lines.value(0), u"ID STATE METHODS CONTENT AUTH NAME"_s);
    QCOMPARE(lines.value(1), id + u" enabled POST any key Raw"_s);
    QVERIFY2(
        lines.value(2).endsWith(u" enabled POST checked key Plain"_s), qPrintable(lines.value(2)));

    ProcessOutcome edited
        = hooktrailIn(dataDir, { u"webhook"_s, u"edit"_s, id, u"--check-content-type"_s });
    QVERIFY2(succeeded(edited), describe(edited));
    QCOMPARE(QJsonDocument::fromJson(edited.out).object().value(u"acceptAnyContentType"_s),
        QJsonValue(false));
    QCOMPARE(shown(), QJsonValue(false));
    QCOMPARE(listed().value(1), id + u" enabled POST checked key Raw"_s);

    edited = hooktrailIn(dataDir, { u"webhook"_s, u"edit"_s, id, u"--accept-any-content-type"_s });
    QVERIFY2(succeeded(edited), describe(edited));
    QCOMPARE(shown(), QJsonValue(true));

    // Bad use is a usage error, and changes nothing.
    for (const QStringList &bad : { QStringList { u"--accept-any-content-type=no"_s },
             QStringList { u"--accept-any-content-type"_s, u"--check-content-type"_s },
             QStringList {} }) {
        const ProcessOutcome refused
            = hooktrailIn(dataDir, QStringList { u"webhook"_s, u"edit"_s, id } + bad);
        QVERIFY2(refused.exited, describe(refused));
        QCOMPARE(refused.exitCode, int(CommandLine::Usage));
        QVERIFY2(refused.out.isEmpty(), describe(refused));
    }
    const ProcessOutcome onAdd
        = hooktrailIn(dataDir, words(u"webhook add --name Other --check-content-type"));
    QCOMPARE(onAdd.exitCode, int(CommandLine::Usage));
    QVERIFY2(text(onAdd.err).contains(u"unknown option --check-content-type"_s), describe(onAdd));
    QCOMPARE(shown(), QJsonValue(true));
    QCOMPARE(listed().size(), 3);
}

// --verify and the secrets (from a file, from standard input), then a response of its own and
// back to the contract's: what `show` prints says each, and never a secret.
void tst_CliConfig::webhookAuthenticationAndResponse()
{
    const QString dataDir = newDataDir();
    const QString secret = u"cli-secret-%1"_s.arg(QRandomGenerator::global()->generate());
    const QString secretFile = m_root.filePath(u"secret.txt"_s);
    {
        QFile file(secretFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(secret.toUtf8() + "\n");
    }
    const ProcessOutcome added = hooktrailIn(dataDir,
        { u"webhook"_s, u"add"_s, u"--name"_s, u"GitHub"_s, u"--verify"_s, u"github"_s,
            u"--secret-file"_s, secretFile });
    QVERIFY2(succeeded(added), describe(added));
    QJsonObject json = QJsonDocument::fromJson(added.out).object();
    const QString id = json.value(u"id"_s).toString();
    QCOMPARE(json.value(u"authentication"_s).toString(), u"signature"_s);
    QCOMPARE(json.value(u"verification"_s).toObject().value(u"preset"_s).toString(), u"github"_s);
    QCOMPARE(json.value(u"verification"_s).toObject().value(u"secretCount"_s).toInt(), 1);
    QVERIFY(!added.out.contains(secret.toUtf8()));

    // Stored as read (the line end dropped): the store's own reading has it.
    {
        auto store = Store::openSqlite(QDir(dataDir).filePath(u"hooktrail.db"_s));
        QVERIFY2(store.ok(), qPrintable(store.error()));
        const Webhook stored = (*store)->config().webhook(id)->value();
        QCOMPARE(stored.verification.secrets, QStringList { secret });
    }

    // A second secret from standard input, with key+signature and Stripe: the secrets given
    // replace the list.
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.start(hooktrailBinary(),
        { u"webhook"_s, u"edit"_s, id, u"--auth"_s, u"key+signature"_s, u"--verify"_s, u"stripe"_s,
            u"--secret-file"_s, secretFile, u"--secret-file"_s, u"-"_s, u"--tolerance"_s, u"2m"_s,
            u"--data-dir"_s, dataDir });
    QVERIFY(process.waitForStarted());
    process.write("whsec_from_stdin\n");
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished());
    const QByteArray out = process.readAllStandardOutput();
    QCOMPARE(process.exitCode(), 0);
    json = QJsonDocument::fromJson(out).object();
    QCOMPARE(json.value(u"authentication"_s).toString(), u"key+signature"_s);
    const QJsonObject verification = json.value(u"verification"_s).toObject();
    QCOMPARE(verification.value(u"preset"_s).toString(), u"stripe"_s);
    QCOMPARE(verification.value(u"secretCount"_s).toInt(), 2);
    QCOMPARE(verification.value(u"tolerance"_s).toInt(), 120);
    QVERIFY(!out.contains("whsec_from_stdin") && !out.contains(secret.toUtf8()));

    const QString bodyFile = m_root.filePath(u"body.txt"_s);
    {
        QFile file(bodyFile);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("failed {{requestId}}");
    }
    ProcessOutcome edited = hooktrailIn(dataDir,
        { u"webhook"_s, u"edit"_s, id, u"--response-status"_s, u"500"_s, u"--response-body"_s,
            u"@"_s + bodyFile, u"--response-header"_s, u"X-Test=yes"_s, u"--response-delay"_s,
            u"1500ms"_s });
    QVERIFY2(succeeded(edited), describe(edited));
    const QJsonObject response
        = QJsonDocument::fromJson(edited.out).object().value(u"response"_s).toObject();
    QCOMPARE(response.value(u"status"_s).toInt(), 500);
    QCOMPARE(response.value(u"body"_s).toString(), u"failed {{requestId}}"_s);
    QCOMPARE(response.value(u"delayMs"_s).toInt(), 1500);
    QCOMPARE(response.value(u"headers"_s).toArray(),
        (QJsonArray { QJsonArray { u"X-Test"_s, u"yes"_s } }));
    // Authentication unchanged by an edit of the response.
    QCOMPARE(QJsonDocument::fromJson(edited.out).object().value(u"authentication"_s).toString(),
        u"key+signature"_s);

    QStringList lines = nonEmptyLines(hooktrailIn(dataDir, words(u"webhook list")).out);
    QCOMPARE(
        lines.value(1).simplified(), id + u" enabled POST checked key+signature:stripe GitHub"_s);

    edited = hooktrailIn(dataDir, { u"webhook"_s, u"edit"_s, id, u"--contract-response"_s });
    QVERIFY2(succeeded(edited), describe(edited));
    QVERIFY(!QJsonDocument::fromJson(edited.out).object().contains(u"response"_s));
    edited = hooktrailIn(dataDir, { u"webhook"_s, u"edit"_s, id, u"--auth"_s, u"key"_s });
    QVERIFY2(succeeded(edited), describe(edited));
    QVERIFY(!QJsonDocument::fromJson(edited.out).object().contains(u"verification"_s));

    // The help says why --secret-file.
    const ProcessOutcome help = hooktrail({ u"--help"_s });
    QVERIFY2(text(help.out).contains(u"other users see it in ps"_s), describe(help));
}

void tst_CliConfig::webhookAuthenticationUsageErrors_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown scheme") << u"--verify acme --secret s"_s << u"--verify takes"_s;
    QTest::newRow("unknown mode") << u"--auth token"_s << u"--auth takes"_s;
    QTest::newRow("no secret") << u"--verify slack"_s << u"secrets: Add the secret"_s;
    QTest::newRow("not a standard secret")
        << u"--verify standard --secret not-base64!"_s << u"Secret 1 is not a Standard"_s;
    QTest::newRow("status") << u"--response-status 99"_s << u"from 100 to 599"_s;
    QTest::newRow("status text") << u"--response-status ok"_s << u"--response-status takes"_s;
    QTest::newRow("delay") << u"--response-delay 31s"_s << u"from 0 to 30 seconds"_s;
    QTest::newRow("framing header")
        << u"--response-header Content-Length=3"_s << u"Content-Length is set by Hooktrail"_s;
    QTest::newRow("tolerance") << u"--verify stripe --secret s --tolerance soon"_s
                               << u"--tolerance takes"_s;
    QTest::newRow("algorithm") << u"--verify hmac --secret s --hmac-algorithm md5"_s
                               << u"--hmac-algorithm takes"_s;
    QTest::newRow("missing file") << u"--verify github --secret-file /nonexistent/secret"_s
                                  << u"cannot read the secret file"_s;
}

// Each is refused with exit 2 and a message naming what is wrong; nothing is added, and no
// secret is quoted back.
void tst_CliConfig::webhookAuthenticationUsageErrors()
{
    QFETCH(QString, line);
    QFETCH(QString, message);
    const QString dataDir = newDataDir();
    const ProcessOutcome refused = hooktrailIn(dataDir, words(u"webhook add --name Bad "_s + line));
    QVERIFY2(refused.exited, describe(refused));
    QCOMPARE(refused.exitCode, int(CommandLine::Usage));
    QVERIFY2(text(refused.err).contains(message), describe(refused));
    QVERIFY2(!text(refused.err).contains(u"not-base64!"_s), describe(refused));
    QVERIFY(refused.out.isEmpty());
    const ProcessOutcome listed = hooktrailIn(dataDir, words(u"webhook list"));
    QCOMPARE(nonEmptyLines(listed.out).size(), 1);
}

void tst_CliConfig::webhookEditChangesOnlyWhatIsGiven()
{
    const QString dataDir = newDataDir();
    const ProcessOutcome added = hooktrailIn(dataDir,
        words(u"webhook add --name Orders --method PUT --header X-Source=shop --ip 10.0.0.0/8"));
    QVERIFY2(succeeded(added), describe(added));
    const QString id = QJsonDocument::fromJson(added.out).object().value(u"id"_s).toString();
    QVERIFY2(succeeded(hooktrailIn(dataDir, words(u"webhook add --name Taken"))), "second add");

    const ProcessOutcome edited = hooktrailIn(dataDir,
        QStringList { u"webhook"_s, u"edit"_s, id.toUpper() } + words(u"--name Orders-v2 --ip"));
    QVERIFY2(!succeeded(edited), "--ip needs a value");
    const ProcessOutcome renamed = hooktrailIn(dataDir,
        { u"webhook"_s, u"edit"_s, id, u"--name"_s, u"Orders v2"_s, u"--ip"_s, QString() });
    QVERIFY2(succeeded(renamed), describe(renamed));
    const QJsonObject webhook = QJsonDocument::fromJson(renamed.out).object();
    QCOMPARE(webhook.value(u"id"_s).toString(), id);
    QCOMPARE(webhook.value(u"name"_s).toString(), u"Orders v2"_s);
    QCOMPARE(webhook.value(u"methodsWhitelist"_s).toArray(), QJsonArray { u"PUT"_s });
    QCOMPARE(webhook.value(u"headersWhitelist"_s).toObject(),
        (QJsonObject { { u"X-Source"_s, u"shop"_s } }));
    QVERIFY(webhook.value(u"ipAddressWhitelist"_s).toArray().isEmpty());

    // The same checks as add: every problem named, nothing stored.
    const ProcessOutcome refused = hooktrailIn(dataDir,
        { u"webhook"_s, u"edit"_s, id, u"--name"_s, u"TAKEN"_s, u"--method"_s, u"TRACE"_s });
    QCOMPARE(refused.exitCode, int(CommandLine::Usage));
    QVERIFY2(text(refused.err).contains(u"  name: A webhook named 'TAKEN' already exists."_s),
        describe(refused));
    QVERIFY2(text(refused.err).contains(u"  methodsWhitelist: "_s), describe(refused));
    const ProcessOutcome shown = hooktrailIn(dataDir, { u"webhook"_s, u"show"_s, id });
    QCOMPARE(
        QJsonDocument::fromJson(shown.out).object().value(u"name"_s).toString(), u"Orders v2"_s);

    const ProcessOutcome unknown
        = hooktrailIn(dataDir, { u"webhook"_s, u"edit"_s, Webhook::newId(), u"--name"_s, u"X"_s });
    QCOMPARE(unknown.exitCode, int(CommandLine::Failure));
}

void tst_CliConfig::keyShownOnceNeverStored()
{
    const QString dataDir = newDataDir();
    const ProcessOutcome added = hooktrailIn(dataDir, words(u"key add --name ci"));
    QVERIFY2(succeeded(added), describe(added));

    // stdout holds the key and nothing else, so `KEY=$(hooktrail key add ...)` works.
    static const QRegularExpression keyLine(u"^htk_[A-Za-z0-9_-]{43}\n$"_s);
    QVERIFY2(keyLine.match(text(added.out)).hasMatch(), describe(added));
    const QString secret = text(added.out).trimmed();
    const QString prefix = ApiKeys::prefixOf(secret);
    QVERIFY2(!text(added.err).contains(secret), describe(added));
    QVERIFY2(text(added.err).contains(prefix), describe(added));

    const ProcessOutcome listed = hooktrailIn(dataDir, words(u"key list"));
    QVERIFY2(succeeded(listed), describe(listed));
    const QStringList lines = nonEmptyLines(listed.out);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(1).startsWith(prefix + u"  active"_s), qPrintable(lines.at(1)));
    QVERIFY(!text(listed.out).contains(secret));

    // Neither the key nor any part of it past the visible prefix is in any file of the folder.
    QVERIFY(QFileInfo::exists(QDir(dataDir).filePath(u"hooktrail.db"_s)));
    QVERIFY(!folderContains(dataDir, secret.toLatin1()));
    QVERIFY(!folderContains(dataDir, secret.mid(prefix.size()).toLatin1()));
    QVERIFY(folderContains(dataDir, prefix.toLatin1())); // the scan does see what is stored
}

void tst_CliConfig::keyRevoke()
{
    const QString dataDir = newDataDir();
    const CliProvision provision = provisionViaCli(dataDir, u"revocable"_s);
    QVERIFY2(provision.error.isEmpty(), qPrintable(provision.error));
    const QString prefix = ApiKeys::prefixOf(provision.key);

    const ProcessOutcome unknown = hooktrailIn(dataDir, words(u"key revoke htk_unknown"));
    QVERIFY2(unknown.exited, describe(unknown));
    QCOMPARE(unknown.exitCode, int(CommandLine::Failure));
    QVERIFY2(unknown.out.isEmpty(), describe(unknown));

    const ProcessOutcome revoked = hooktrailIn(dataDir, words(u"key revoke") << prefix);
    QVERIFY2(succeeded(revoked), describe(revoked));
    const QStringList lines = nonEmptyLines(hooktrailIn(dataDir, words(u"key list")).out);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(1).startsWith(prefix + u"  revoked"_s), qPrintable(lines.at(1)));
}

QTEST_GUILESS_MAIN(tst_CliConfig)
#include "tst_cli_config.moc"
