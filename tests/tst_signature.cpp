// Signature verification (ARCHITECTURE §5.6) against the providers' own signing libraries from
// npm (tests/signing, installed by scripts/install-deps.sh test), over real loopback HTTP to a
// real receiver on a real SQLite log: a valid signature accepted, one flipped byte of the body,
// a wrong secret, a missing header and a stale timestamp each refused with their reason, and
// secrets rotated. Also the published GitHub test vector, the generic HMAC scheme, the order of
// the checks, and that a secret shows nowhere but its own column.
#include "core/history/requestexport.h"
#include "core/history/webhooktransfer.h"
#include "core/verification/signature.h"
#include "receivertest.h"
#include "sqltestsupport.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryFile>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

const QByteArray Body = R"({"id":"evt_1042","type":"invoice.paid","amount":4200,"note":"café"})"_ba;

QString randomSecret(const QString &provider)
{
    QByteArray bytes(24, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), 6);
    if (provider == u"standard" || provider == u"svix")
        return u"whsec_"_s + QString::fromLatin1(bytes.toBase64());
    return u"test-secret-"_s + QString::fromLatin1(bytes.toHex());
}

struct Signed
{
    HeaderList headers;
    QString error;
    explicit operator bool() const { return error.isEmpty(); }
};

// The headers the provider's library puts on `body` signed with `secret` at `seconds`.
Signed sign(const QString &provider, const QString &secret, const QByteArray &body,
    qint64 seconds = 0, const QStringList &generic = {})
{
    Signed out;
    const QString script = QStringLiteral(QT_TESTCASE_SOURCEDIR "/signing/sign.mjs");
    if (!QFile::exists(QStringLiteral(QT_TESTCASE_SOURCEDIR "/signing/node_modules"))) {
        out.error = u"the signing libraries are not installed: run scripts/install-deps.sh test"_s;
        return out;
    }
    QTemporaryFile file;
    if (!file.open() || file.write(body) != body.size() || !file.flush()) {
        out.error = u"cannot write the body to sign"_s;
        return out;
    }
    QProcess node;
    const qint64 at = seconds ? seconds : QDateTime::currentSecsSinceEpoch();
    QStringList arguments { script, provider, secret, file.fileName(), QString::number(at) };
    if (!generic.isEmpty())
        arguments += QStringList { u"-"_s } + generic;
    node.start(u"node"_s, arguments);
    if (!node.waitForFinished(60000) || node.exitStatus() != QProcess::NormalExit
        || node.exitCode() != 0) {
        out.error = u"node sign.mjs %1 failed: %2 %3"_s.arg(
            provider, node.errorString(), QString::fromUtf8(node.readAllStandardError()));
        return out;
    }
    const QJsonObject json = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
    for (auto it = json.begin(); it != json.end(); ++it)
        out.headers.append({ it.key().toLatin1(), it.value().toString().toLatin1() });
    if (out.headers.isEmpty())
        out.error = u"node sign.mjs %1 printed no header"_s.arg(provider);
    return out;
}

QByteArray headerLines(const HeaderList &headers)
{
    QByteArray out = "Content-Type: application/json\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    return out;
}

// The provider's preset and the header without which the request is unsigned.
struct Provider
{
    SignaturePreset preset;
    QByteArray signatureHeader;
    bool timestamped;
};

Provider providerOf(const QString &name)
{
    if (name == u"github")
        return { SignaturePreset::GitHub, "X-Hub-Signature-256", false };
    if (name == u"stripe")
        return { SignaturePreset::Stripe, "Stripe-Signature", true };
    if (name == u"shopify")
        return { SignaturePreset::Shopify, "X-Shopify-Hmac-Sha256", false };
    if (name == u"slack")
        return { SignaturePreset::Slack, "X-Slack-Signature", true };
    if (name == u"svix")
        return { SignaturePreset::Standard, "svix-signature", true };
    return { SignaturePreset::Standard, "webhook-signature", true };
}

} // namespace

class tst_Signature final : public ReceiverTest
{
    Q_OBJECT

private slots:
    void githubPublishedVector();
    void providers_data();
    void providers();
    void rotation_data();
    void rotation();
    void genericHmac_data();
    void genericHmac();
    void keyAndSignature();
    void signatureComesBeforeHeaderRulesAndContent();
    void unsignedWebhookWithoutSecretRefuses();
    void secretsShowNowhereButTheirColumn();

private:
    Webhook addSigned(const QString &name, SignaturePreset preset, const QStringList &secrets,
        AuthMode mode = AuthMode::Signature);
    std::optional<HttpAnswer> post(
        const QString &hook, const QByteArray &lines, const QByteArray &body, bool withKey = false);
};

Webhook tst_Signature::addSigned(
    const QString &name, SignaturePreset preset, const QStringList &secrets, AuthMode mode)
{
    Webhook webhook;
    webhook.name = name;
    webhook.authentication = mode;
    webhook.verification.preset = preset;
    webhook.verification.secrets = secrets;
    const QList<FieldProblem> problems = validateWebhook(webhook);
    if (!problems.isEmpty())
        qWarning() << "invalid webhook:" << problems.first().message; // (not empty here)
    const Result<Webhook> added = m_store->config().addWebhook(webhook);
    if (!added.ok())
        qWarning() << added.error();
    m_hooks.insert(name, added.ok() ? *added : webhook);
    m_engine->config()->refresh();
    return m_hooks.value(name);
}

std::optional<HttpAnswer> tst_Signature::post(
    const QString &hook, const QByteArray &lines, const QByteArray &body, bool withKey)
{
    RawHttpClient client(port());
    if (!client.connectToServer())
        return std::nullopt;
    client.send(
        httpRequest("POST", target(hook, withKey ? keyQuery() : QByteArray()), lines, body));
    return client.readAnswer(10000);
}

void tst_Signature::githubPublishedVector()
{
    // docs.github.com, "Validating webhook deliveries": the secret and payload given there and
    // the signature they must give.
    const QString secret = u"It's a Secret to Everybody"_s;
    const QByteArray payload = "Hello, World!";
    const QByteArray expected
        = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    const Signed library = sign(u"github"_s, secret, payload);
    QVERIFY2(library, qPrintable(library.error));
    QCOMPARE(library.headers.first().second, expected);

    Verification verification;
    verification.preset = SignaturePreset::GitHub;
    verification.secrets = { secret };
    const Signatures::Verifier verifier(verification);
    const HeaderList headers { { "X-Hub-Signature-256", expected } };
    const Signatures::Outcome outcome = verifier.verify(headers, payload, 0);
    QVERIFY2(outcome.verified(), qPrintable(outcome.detail));
    QVERIFY(!verifier.verify(headers, "Hello, World?", 0).verified());
}

void tst_Signature::providers_data()
{
    QTest::addColumn<QString>("provider");
    for (const char *name : { "github", "stripe", "shopify", "slack", "standard", "svix" })
        QTest::newRow(name) << QString::fromLatin1(name);
}

void tst_Signature::providers()
{
    QFETCH(QString, provider);
    const Provider known = providerOf(provider);
    const QString secret = randomSecret(provider);
    addSigned(provider, known.preset, { secret });

    // A valid signature: accepted, and the log says which header verified.
    const Signed good = sign(provider, secret, Body);
    QVERIFY2(good, qPrintable(good.error));
    LoggedRequest row;
    checkAnswer(post(provider, headerLines(good.headers), Body), 200, u"accepted"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(
        row.reasonDetail.contains(QString::fromLatin1(known.signatureHeader), Qt::CaseInsensitive)
            && row.reasonDetail.contains(u"verified"_s),
        qPrintable(row.reasonDetail));
    QCOMPARE(row.body, Body); // byte for byte, as it was signed

    // One flipped byte of the body.
    QByteArray flipped = Body;
    flipped[8] = char(flipped[8] ^ 0x01);
    checkAnswer(
        post(provider, headerLines(good.headers), flipped), 401, u"invalid_signature"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(
        row.reasonDetail.contains(QString::fromLatin1(known.signatureHeader), Qt::CaseInsensitive),
        qPrintable(row.reasonDetail));
    QVERIFY2(row.reasonDetail.contains(presetTitle(known.preset)), qPrintable(row.reasonDetail));

    // Signed with another secret.
    const Signed wrong = sign(provider, randomSecret(provider), Body);
    QVERIFY2(wrong, qPrintable(wrong.error));
    checkAnswer(post(provider, headerLines(wrong.headers), Body), 401, u"invalid_signature"_s);
    if (QTest::currentTestFailed())
        return;

    // Without the signature header.
    HeaderList without;
    for (const auto &header : good.headers) {
        if (header.first.compare(known.signatureHeader, Qt::CaseInsensitive) != 0)
            without.append(header);
    }
    QCOMPARE(without.size(), good.headers.size() - 1);
    checkAnswer(post(provider, headerLines(without), Body), 401, u"missing_signature"_s, &row);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(
        row.reasonDetail.contains(QString::fromLatin1(known.signatureHeader), Qt::CaseInsensitive),
        qPrintable(row.reasonDetail));

    // A timestamp ten minutes old, outside the 300 s tolerance; four minutes old still passes.
    if (known.timestamped) {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const Signed stale = sign(provider, secret, Body, now - 600);
        QVERIFY2(stale, qPrintable(stale.error));
        checkAnswer(
            post(provider, headerLines(stale.headers), Body), 401, u"signature_expired"_s, &row);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(row.reasonDetail.contains(u"300 s"_s), qPrintable(row.reasonDetail));
        const Signed recent = sign(provider, secret, Body, now - 240);
        QVERIFY2(recent, qPrintable(recent.error));
        checkAnswer(post(provider, headerLines(recent.headers), Body), 200, u"accepted"_s);
    }
}

void tst_Signature::rotation_data()
{
    providers_data();
}

// Two secrets during a rotation: a request signed with either is accepted, a third refused;
// once the old one is removed, what it signed is refused.
void tst_Signature::rotation()
{
    QFETCH(QString, provider);
    const Provider known = providerOf(provider);
    const QString oldSecret = randomSecret(provider);
    const QString newSecret = randomSecret(provider);
    Webhook webhook = addSigned(provider, known.preset, { oldSecret, newSecret });
    for (const QString &secret : { oldSecret, newSecret }) {
        const Signed signedWith = sign(provider, secret, Body);
        QVERIFY2(signedWith, qPrintable(signedWith.error));
        checkAnswer(post(provider, headerLines(signedWith.headers), Body), 200, u"accepted"_s);
        if (QTest::currentTestFailed())
            return;
    }
    const Signed other = sign(provider, randomSecret(provider), Body);
    QVERIFY2(other, qPrintable(other.error));
    checkAnswer(post(provider, headerLines(other.headers), Body), 401, u"invalid_signature"_s);
    if (QTest::currentTestFailed())
        return;

    webhook.verification.secrets = { newSecret };
    VERIFY_OK(m_store->config().updateWebhook(webhook));
    m_engine->config()->refresh();
    const Signed old = sign(provider, oldSecret, Body);
    QVERIFY2(old, qPrintable(old.error));
    checkAnswer(post(provider, headerLines(old.headers), Body), 401, u"invalid_signature"_s);
}

void tst_Signature::genericHmac_data()
{
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("timestampHeader");
    QTest::addColumn<QString>("layout");
    QTest::newRow("sha1 hex, prefixed")
        << u"sha1"_s << u"hex"_s << u"sha1="_s << QString() << QString();
    QTest::newRow("sha256 hex") << u"sha256"_s << u"hex"_s << QString() << QString() << QString();
    QTest::newRow("sha512 base64, timestamped")
        << u"sha512"_s << u"base64"_s << u"v1="_s << u"X-Time"_s << u"{timestamp}:{body}"_s;
}

// The generic scheme, signed with Node's crypto.
void tst_Signature::genericHmac()
{
    QFETCH(QString, algorithm);
    QFETCH(QString, encoding);
    QFETCH(QString, prefix);
    QFETCH(QString, timestampHeader);
    QFETCH(QString, layout);
    Webhook webhook;
    webhook.name = u"generic"_s;
    webhook.authentication = AuthMode::Signature;
    webhook.verification.preset = SignaturePreset::Hmac;
    webhook.verification.secrets = { u"generic secret"_s };
    HmacScheme &hmac = webhook.verification.hmac;
    hmac.header = u"X-Signature"_s;
    QVERIFY(parseHmacAlgorithm(algorithm, &hmac.algorithm));
    QVERIFY(parseSignatureEncoding(encoding, &hmac.encoding));
    hmac.prefix = prefix;
    hmac.timestampHeader = timestampHeader;
    if (!layout.isEmpty())
        hmac.payloadTemplate = layout;
    const QList<FieldProblem> problems = validateWebhook(webhook);
    QVERIFY2(problems.isEmpty(), problems.isEmpty() ? "" : qPrintable(problems.first().message));
    const Result<Webhook> added = m_store->config().addWebhook(webhook);
    VERIFY_OK(added);
    m_hooks.insert(webhook.name, *added);
    m_engine->config()->refresh();

    QStringList generic { algorithm, encoding, prefix, hmac.header };
    if (!timestampHeader.isEmpty())
        generic += QStringList { timestampHeader, layout };
    const Signed good = sign(u"hmac"_s, u"generic secret"_s, Body, 0, generic);
    QVERIFY2(good, qPrintable(good.error));
    checkAnswer(post(webhook.name, headerLines(good.headers), Body), 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;
    const Signed wrong = sign(u"hmac"_s, u"another secret"_s, Body, 0, generic);
    QVERIFY2(wrong, qPrintable(wrong.error));
    checkAnswer(post(webhook.name, headerLines(wrong.headers), Body), 401, u"invalid_signature"_s);
    if (!timestampHeader.isEmpty()) {
        const Signed stale = sign(u"hmac"_s, u"generic secret"_s, Body,
            QDateTime::currentSecsSinceEpoch() - 3600, generic);
        QVERIFY2(stale, qPrintable(stale.error));
        checkAnswer(
            post(webhook.name, headerLines(stale.headers), Body), 401, u"signature_expired"_s);
    }
}

// key+signature asks for both, the key first (checks 6-7), then the signature (7b).
void tst_Signature::keyAndSignature()
{
    const QString secret = randomSecret(u"github"_s);
    addSigned(u"both"_s, SignaturePreset::GitHub, { secret }, AuthMode::KeyAndSignature);
    const Signed good = sign(u"github"_s, secret, Body);
    QVERIFY2(good, qPrintable(good.error));
    checkAnswer(post(u"both"_s, headerLines(good.headers), Body, false), 401, u"missing_api_key"_s);
    if (QTest::currentTestFailed())
        return;
    checkAnswer(post(u"both"_s, headerLines({}), Body, true), 401, u"missing_signature"_s);
    if (QTest::currentTestFailed())
        return;
    LoggedRequest row;
    checkAnswer(post(u"both"_s, headerLines(good.headers), Body, true), 200, u"accepted"_s, &row);
    QVERIFY(row.apiKeyId > 0);

    // Signature alone: no key is asked for, and one sent changes nothing.
    addSigned(u"alone"_s, SignaturePreset::GitHub, { secret });
    checkAnswer(post(u"alone"_s, headerLines(good.headers), Body, false), 200, u"accepted"_s);
    if (QTest::currentTestFailed())
        return;
    checkAnswer(post(u"alone"_s, headerLines({}), Body, true), 401, u"missing_signature"_s);
}

// A bad signature is the answer before a header rule (8) and the content checks (9-10) that
// also fail; with a good signature, those decide as before.
void tst_Signature::signatureComesBeforeHeaderRulesAndContent()
{
    const QString secret = randomSecret(u"github"_s);
    Webhook webhook = addSigned(u"ruled"_s, SignaturePreset::GitHub, { secret });
    webhook.headerRules = { { u"X-Source"_s, u"crm"_s } };
    VERIFY_OK(m_store->config().updateWebhook(webhook));
    m_engine->config()->refresh();

    const Signed good = sign(u"github"_s, secret, Body);
    QVERIFY2(good, qPrintable(good.error));
    const Signed wrong = sign(u"github"_s, randomSecret(u"github"_s), Body);
    QVERIFY2(wrong, qPrintable(wrong.error));
    checkAnswer(post(u"ruled"_s, headerLines(wrong.headers), Body), 401, u"invalid_signature"_s);
    if (QTest::currentTestFailed())
        return;
    checkAnswer(post(u"ruled"_s, headerLines(good.headers), Body), 403, u"header_mismatch"_s);
    if (QTest::currentTestFailed())
        return;
    checkAnswer(post(u"ruled"_s, headerLines(good.headers) + "X-Source: crm\r\n", Body), 200,
        u"accepted"_s);
    if (QTest::currentTestFailed())
        return;

    const QByteArray broken = "{\"id\": ";
    const Signed brokenSigned = sign(u"github"_s, secret, broken);
    QVERIFY2(brokenSigned, qPrintable(brokenSigned.error));
    const Signed brokenWrong = sign(u"github"_s, randomSecret(u"github"_s), broken);
    QVERIFY2(brokenWrong, qPrintable(brokenWrong.error));
    const QByteArray rule = "X-Source: crm\r\n";
    checkAnswer(post(u"ruled"_s, headerLines(brokenWrong.headers) + rule, broken), 401,
        u"invalid_signature"_s);
    if (QTest::currentTestFailed())
        return;
    checkAnswer(
        post(u"ruled"_s, headerLines(brokenSigned.headers) + rule, broken), 400, u"invalid_json"_s);
}

// A webhook whose settings were imported (secrets never travel) refuses every signed request
// until a secret is added, and says why in the log.
void tst_Signature::unsignedWebhookWithoutSecretRefuses()
{
    Webhook webhook;
    webhook.name = u"imported"_s;
    webhook.authentication = AuthMode::Signature;
    webhook.verification.preset = SignaturePreset::GitHub;
    QVERIFY(!validateWebhook(webhook).isEmpty()); // the form and the CLI ask for a secret
    QVERIFY(validateWebhook(webhook, false).isEmpty()); // an import may leave it for later
    const Result<Webhook> added = m_store->config().addWebhook(webhook);
    VERIFY_OK(added);
    m_hooks.insert(webhook.name, *added);
    m_engine->config()->refresh();
    const Signed any = sign(u"github"_s, u"whatever"_s, Body);
    QVERIFY2(any, qPrintable(any.error));
    LoggedRequest row;
    checkAnswer(
        post(webhook.name, headerLines(any.headers), Body), 401, u"invalid_signature"_s, &row);
    QVERIFY2(row.reasonDetail.contains(u"no secret"_s), qPrintable(row.reasonDetail));
}

namespace {
QMutex g_messagesMutex;
QStringList g_messages;
void collect(QtMsgType, const QMessageLogContext &, const QString &message)
{
    QMutexLocker lock(&g_messagesMutex);
    g_messages.append(message);
}
} // namespace

// The secrets are in the webhooks.secrets column and nowhere else: not in the log's rows, an
// export, a settings export, the debug output, another column of the database, or a message
// about a bad secret.
void tst_Signature::secretsShowNowhereButTheirColumn()
{
    QLoggingCategory::setFilterRules(u"hooktrail.*=true"_s);
    g_messages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(collect);
    const QString secret = randomSecret(u"stripe"_s);
    const QString retired = randomSecret(u"stripe"_s);
    Webhook webhook = addSigned(u"stripe"_s, SignaturePreset::Stripe, { retired, secret });
    const Signed good = sign(u"stripe"_s, secret, Body);
    QVERIFY2(good, qPrintable(good.error));
    checkAnswer(post(u"stripe"_s, headerLines(good.headers), Body), 200, u"accepted"_s);
    checkAnswer(
        post(u"stripe"_s, headerLines(good.headers), Body + " "), 401, u"invalid_signature"_s);
    webhook.verification.secrets = { secret };
    VERIFY_OK(m_store->config().updateWebhook(webhook));
    m_engine->config()->refresh();
    // A secret with a problem is named by its place, never quoted.
    Webhook bad = webhook;
    bad.verification.secrets = { secret + u" "_s };
    const QList<FieldProblem> problems = validateWebhook(bad);
    QVERIFY(!problems.isEmpty());
    m_engine.reset(); // every thread's messages are in
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    QVERIFY(!QTest::currentTestFailed());

    const auto holds
        = [&](const QString &text) { return text.contains(secret) || text.contains(retired); };
    for (const FieldProblem &problem : problems)
        QVERIFY2(!holds(problem.message), qPrintable(problem.message));
    {
        QMutexLocker lock(&g_messagesMutex);
        QVERIFY(!g_messages.isEmpty());
        for (const QString &message : std::as_const(g_messages))
            QVERIFY2(!holds(message), qPrintable(message));
    }
    for (const LoggedRequest &row : allRows())
        QVERIFY(!holds(QString::fromUtf8(QJsonDocument(row.toJson()).toJson())));
    for (const RequestExport::Format format :
        { RequestExport::Format::Har, RequestExport::Format::Jsonl, RequestExport::Format::Csv }) {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        VERIFY_OK(RequestExport::write(*m_store, format, RequestFilter {}, {}, buffer));
        QVERIFY(!buffer.data().isEmpty());
        QVERIFY(!holds(QString::fromUtf8(buffer.data())));
    }
    const Result<QList<Webhook>> webhooks = m_store->config().webhooks();
    VERIFY_OK(webhooks);
    const QByteArray settings = WebhookTransfer::exportJson(*webhooks);
    QVERIFY(settings.contains("\"stripe\"")); // the preset travels…
    QVERIFY(!holds(QString::fromUtf8(settings))); // …its secrets do not
    QVERIFY(!holds(QString::fromUtf8(QJsonDocument(webhooks->last().toJson(true)).toJson())));

    // Every column of every table but webhooks.secrets.
    const QString path = m_dir->filePath(u"hooktrail.db"_s);
    const QString connection = u"signature_raw"_s;
    int secretColumns = 0;
    {
        QSqlDatabase db = addRawDatabase(path, connection);
        QVERIFY(db.open());
        QSqlQuery tables(db);
        QVERIFY(tables.exec(u"SELECT name FROM sqlite_master WHERE type = 'table'"_s));
        QStringList names;
        while (tables.next())
            names.append(tables.value(0).toString());
        QVERIFY(names.contains(u"webhooks"_s));
        for (const QString &table : std::as_const(names)) {
            QSqlQuery rows(db);
            if (!rows.exec(u"SELECT * FROM \"%1\""_s.arg(table)))
                continue; // FTS shadow tables without content
            while (rows.next()) {
                const QSqlRecord record = rows.record();
                for (int i = 0; i < record.count(); ++i) {
                    const QString text = QString::fromUtf8(rows.value(i).toByteArray());
                    if (!holds(text))
                        continue;
                    QVERIFY2(table == u"webhooks" && record.fieldName(i) == u"secrets",
                        qPrintable(u"%1.%2 holds a secret"_s.arg(table, record.fieldName(i))));
                    ++secretColumns;
                }
            }
        }
    }
    QSqlDatabase::removeDatabase(connection);
    QCOMPARE(secretColumns, 1);
}

QTEST_GUILESS_MAIN(tst_Signature)
#include "tst_signature.moc"
