// The receiver's TLS (ARCHITECTURE §5.8) against `serve`, from outside: `tls self-signed`
// writes a pair curl and Python's ssl verify the receiver with; another authority is refused;
// TLS beside plain HTTP; a handshake that never comes is dropped by the header timeout; a
// renewed certificate is served without a restart.
#include "clitest.h"
#include "core/base/settings.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QSettings>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTcpSocket>

using namespace Hooktrail;
using namespace Hooktrail::TestSupport;
using namespace Qt::StringLiterals;

namespace {

struct Pair
{
    QString certificate;
    QString key;
};

ProcessOutcome run(const QString &program, const QStringList &arguments)
{
    return runHooktrail(arguments, QProcessEnvironment::systemEnvironment(), 30000, program);
}

// The certificate a TLS server presents, without verifying it; empty when no handshake.
QByteArray presentedDigest(quint16 port)
{
    QSslSocket socket;
    socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
    if (!socket.waitForEncrypted(10000))
        return {};
    return socket.peerCertificate().digest(QCryptographicHash::Sha256).toHex();
}

QByteArray fileDigest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll());
    return certificates.isEmpty() ? QByteArray()
                                  : certificates.front().digest(QCryptographicHash::Sha256).toHex();
}

} // namespace

class tst_Tls : public CliTest
{
    Q_OBJECT

private slots:
    void initTestCase();
    void selfSignedWritesAUsablePair();
    void curlAndPythonVerifyTheReceiver();
    void anotherAuthorityIsRefused();
    void tlsBesidePlain();
    void stalledHandshakeIsDropped();
    void renewedCertificateNeedsNoRestart();
    void badPairIsNamed();
    void useTurnsTheListenPortToTls();

private:
    Pair makePair(const QString &folder, const QString &host = u"localhost"_s);
    QString acceptedTarget() const
    {
        return u"/v1/data/webhook/%1?api-key=%2"_s.arg(m_provision.webhookId, m_provision.key);
    }

    QString m_dataDir;
    CliProvision m_provision;
    Pair m_pair;
};

void tst_Tls::initTestCase()
{
    CliTest::initTestCase();
    m_dataDir = newDataDir();
    m_provision = provisionViaCli(m_dataDir, u"tls"_s);
    QVERIFY2(m_provision.error.isEmpty(), qPrintable(m_provision.error));
    m_pair = makePair(m_root.filePath(u"pair"_s));
    QVERIFY(!m_pair.certificate.isEmpty());
}

Pair tst_Tls::makePair(const QString &folder, const QString &host)
{
    const ProcessOutcome made = hooktrailIn(m_dataDir,
        { u"tls"_s, u"self-signed"_s, u"--host"_s, host, u"--out"_s, folder, u"--force"_s });
    if (!succeeded(made)) {
        qWarning().noquote() << describe(made);
        return {};
    }
    return { QDir(folder).filePath(u"certificate.pem"_s), QDir(folder).filePath(u"key.pem"_s) };
}

void tst_Tls::selfSignedWritesAUsablePair()
{
    const QString folder = m_root.filePath(u"fresh"_s);
    const ProcessOutcome made = hooktrailIn(
        m_dataDir, { u"tls"_s, u"self-signed"_s, u"--host"_s, u"localhost"_s, u"--out"_s, folder });
    QVERIFY2(succeeded(made), (describe(made)));
    const QString certificatePath = QDir(folder).filePath(u"certificate.pem"_s);
    const QString keyPath = QDir(folder).filePath(u"key.pem"_s);
    QVERIFY(made.out.contains(certificatePath.toUtf8()));
    QCOMPARE(modeOf(keyPath), 0600u);
    QCOMPARE(modeOf(folder), 0700u);

    QFile file(certificatePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll());
    QCOMPARE(certificates.size(), 1);
    const auto names = certificates.front().subjectAlternativeNames();
    QVERIFY(names.values(QSsl::DnsEntry).contains(u"localhost"_s));
    QVERIFY(names.values(QSsl::IpAddressEntry).contains(u"127.0.0.1"_s));
    QVERIFY(certificates.front().expiryDate() > QDateTime::currentDateTimeUtc().addDays(360));
    QVERIFY(certificates.front().isSelfSigned());

    // Nothing is replaced unless asked; --force makes a new pair.
    const QByteArray before = fileDigest(certificatePath);
    const ProcessOutcome again = hooktrailIn(
        m_dataDir, { u"tls"_s, u"self-signed"_s, u"--host"_s, u"localhost"_s, u"--out"_s, folder });
    QCOMPARE(again.exitCode, int(CommandLine::Failure));
    QVERIFY2(again.err.contains("--force"), again.err.constData());
    QCOMPARE(fileDigest(certificatePath), before);
    QVERIFY(!makePair(folder).certificate.isEmpty());
    QVERIFY(fileDigest(certificatePath) != before);

    // A name that is no host name, or a lifetime out of range, is a usage error.
    for (const QStringList &bad : { QStringList { u"--host"_s, u"a,DNS:evil.test"_s },
             QStringList { u"--host"_s, u"localhost"_s, u"--days"_s, u"0"_s },
             QStringList { u"--days"_s, u"30"_s } }) {
        const ProcessOutcome refused
            = hooktrailIn(m_dataDir, QStringList { u"tls"_s, u"self-signed"_s } + bad);
        QVERIFY2(refused.exitCode == int(CommandLine::Usage), (describe(refused)));
    }
}

void tst_Tls::curlAndPythonVerifyTheReceiver()
{
    ServeProcess serve;
    QVERIFY2(serve.start(m_dataDir, 15000,
                 { u"--tls-cert"_s, m_pair.certificate, u"--tls-key"_s, m_pair.key }),
        qPrintable(serve.error()));
    QVERIFY2(serve.output().contains("with TLS (endpoints: https://"), serve.output().constData());
    const QString url = u"https://localhost:%1%2"_s.arg(serve.port()).arg(acceptedTarget());

    const ProcessOutcome curl = run(u"curl"_s,
        { u"-sS"_s, u"--cacert"_s, m_pair.certificate, u"-H"_s, u"content-type: application/json"_s,
            u"--data-binary"_s, u"{\"via\":\"curl\"}"_s, u"-w"_s, u"\n%{http_code}"_s, url });
    QVERIFY2(curl.exitCode == 0, (describe(curl)));
    QVERIFY2(curl.out.contains("\"accepted\"") && curl.out.endsWith("\n200"), curl.out.constData());

    const QString script = uR"(
import json, ssl, sys, urllib.request
context = ssl.create_default_context(cafile=sys.argv[1])
context.minimum_version = ssl.TLSVersion.TLSv1_2
request = urllib.request.Request(sys.argv[2], data=b'{"via":"python"}', method="POST",
                                 headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request, context=context, timeout=10) as answer:
    print(answer.status, json.load(answer)["status"])
)"_s;
    const ProcessOutcome python = run(u"python3"_s, { u"-c"_s, script, m_pair.certificate, url });
    QVERIFY2(python.exitCode == 0, (describe(python)));
    QCOMPARE(python.out.trimmed(), QByteArray("200 accepted"));

    // Both are in the log, with the bodies they sent.
    const ProcessOutcome log
        = hooktrailIn(m_dataDir, { u"log"_s, u"--search"_s, u"via"_s, u"--format"_s, u"jsonl"_s });
    QVERIFY2(succeeded(log), (describe(log)));
    QCOMPARE(nonEmptyLines(log.out).size(), 2);
    QCOMPARE(serve.stop(), int(CommandLine::Success));
}

void tst_Tls::anotherAuthorityIsRefused()
{
    const Pair other = makePair(m_root.filePath(u"other"_s));
    const auto logged = [this] {
        return nonEmptyLines(
            hooktrailIn(m_dataDir, { u"log"_s, u"--format"_s, u"jsonl"_s, u"--limit"_s, u"1000"_s })
                .out)
            .size();
    };
    const qsizetype before = logged();
    ServeProcess serve;
    QVERIFY2(serve.start(m_dataDir, 15000,
                 { u"--tls-cert"_s, m_pair.certificate, u"--tls-key"_s, m_pair.key }),
        qPrintable(serve.error()));
    const QString url = u"https://localhost:%1%2"_s.arg(serve.port()).arg(acceptedTarget());
    // curl's 60: the peer's certificate cannot be verified with the given authority.
    const ProcessOutcome wrongAuthority
        = run(u"curl"_s, { u"-sS"_s, u"--cacert"_s, other.certificate, u"-d"_s, u"{}"_s, url });
    QCOMPARE(wrongAuthority.exitCode, 60);
    const ProcessOutcome systemAuthorities = run(u"curl"_s, { u"-sS"_s, u"-d"_s, u"{}"_s, url });
    QCOMPARE(systemAuthorities.exitCode, 60);
    // The right authority for the wrong name: the certificate is for localhost.
    const ProcessOutcome wrongName = run(u"curl"_s,
        { u"-sS"_s, u"--cacert"_s, m_pair.certificate, u"--resolve"_s,
            u"elsewhere.test:%1:127.0.0.1"_s.arg(serve.port()), u"-d"_s, u"{}"_s,
            u"https://elsewhere.test:%1%2"_s.arg(serve.port()).arg(acceptedTarget()) });
    QCOMPARE(wrongName.exitCode, 60);
    // Plain HTTP to the TLS port: no answer, no row.
    const ProcessOutcome plain = run(u"curl"_s,
        { u"-sS"_s, u"-d"_s, u"{}"_s,
            u"http://127.0.0.1:%1%2"_s.arg(serve.port()).arg(acceptedTarget()) });
    QVERIFY(plain.exitCode != 0);
    QCOMPARE(serve.stop(), int(CommandLine::Success));
    // No request got through a handshake the client refused, nor past one never made.
    QCOMPARE(logged(), before);
}

void tst_Tls::tlsBesidePlain()
{
    ServeProcess serve;
    QVERIFY2(serve.start(m_dataDir, 15000,
                 { u"--tls-cert"_s, m_pair.certificate, u"--tls-key"_s, m_pair.key,
                     u"--listen-tls"_s, u"127.0.0.1:0"_s }),
        qPrintable(serve.error()));
    static const QRegularExpression tlsOn(
        uR"(and with TLS on 127\.0\.0\.1:(\d+) \(endpoints: https://127\.0\.0\.1:(\d+)/)"_s);
    const QRegularExpressionMatch match = tlsOn.match(QString::fromUtf8(serve.output()));
    QVERIFY2(match.hasMatch(), serve.output().constData());
    const quint16 tlsPort = match.captured(1).toUShort();
    QCOMPARE(match.captured(2).toUShort(), tlsPort);
    QVERIFY(tlsPort != serve.port());

    QCOMPARE(postOutcome(serve.port(), m_provision.webhookId, m_provision.key), u"200 accepted"_s);
    const ProcessOutcome curl = run(u"curl"_s,
        { u"-sS"_s, u"--cacert"_s, m_pair.certificate, u"-H"_s, u"content-type: application/json"_s,
            u"-d"_s, u"{}"_s, u"https://localhost:%1%2"_s.arg(tlsPort).arg(acceptedTarget()) });
    QVERIFY2(curl.exitCode == 0 && curl.out.contains("\"accepted\""), (describe(curl)));
    QVERIFY(presentedDigest(serve.port()).isEmpty()); // the plain port has no TLS
    QCOMPARE(serve.stop(), int(CommandLine::Success));
}

void tst_Tls::stalledHandshakeIsDropped()
{
    // Its own data folder: a short header timeout, a long idle one, to tell which one fired.
    const QString dataDir = newDataDir();
    {
        QVERIFY(QDir().mkpath(dataDir));
        QSettings settings(QDir(dataDir).filePath(u"hooktrail.ini"_s), QSettings::IniFormat);
        settings.setValue(u"receiver/headerTimeoutMs"_s, 1000);
        settings.setValue(u"receiver/idleTimeoutMs"_s, 30000);
    }
    ServeProcess serve;
    QVERIFY2(serve.start(dataDir, 15000,
                 { u"--tls-cert"_s, m_pair.certificate, u"--tls-key"_s, m_pair.key }),
        qPrintable(serve.error()));
    // One client says nothing; one sends the first bytes of a ClientHello and stops.
    QTcpSocket silent;
    QTcpSocket partial;
    silent.connectToHost(QHostAddress::LocalHost, serve.port());
    partial.connectToHost(QHostAddress::LocalHost, serve.port());
    QVERIFY(silent.waitForConnected(5000) && partial.waitForConnected(5000));
    partial.write(QByteArray::fromHex("160301020001"));
    QVERIFY(partial.waitForBytesWritten(5000));
    QElapsedTimer clock;
    clock.start();
    QVERIFY(
        silent.waitForDisconnected(20000) || silent.state() == QAbstractSocket::UnconnectedState);
    QVERIFY(
        partial.state() == QAbstractSocket::UnconnectedState || partial.waitForDisconnected(5000));
    const qint64 elapsed = clock.elapsed();
    // Dropped by the header timeout (1 s, checked by a sweep of a fifth of it), long before the
    // idle one (30 s) could have.
    QVERIFY2(elapsed >= 700 && elapsed < 15000, qPrintable(QString::number(elapsed)));
    // Meanwhile a proper client is served.
    QVERIFY(!presentedDigest(serve.port()).isEmpty());
    QCOMPARE(serve.stop(), int(CommandLine::Success));
}

void tst_Tls::renewedCertificateNeedsNoRestart()
{
    const QString folder = m_root.filePath(u"renewed"_s);
    const Pair pair = makePair(folder);
    QVERIFY(!pair.certificate.isEmpty());
    ServeProcess serve;
    QVERIFY2(serve.start(
                 m_dataDir, 15000, { u"--tls-cert"_s, pair.certificate, u"--tls-key"_s, pair.key }),
        qPrintable(serve.error()));
    const QByteArray first = presentedDigest(serve.port());
    QCOMPARE(first, fileDigest(pair.certificate));
    // A connection opened before the renewal keeps working after it.
    QSslSocket open;
    open.setPeerVerifyMode(QSslSocket::VerifyNone);
    open.connectToHostEncrypted(u"127.0.0.1"_s, serve.port());
    QVERIFY(open.waitForEncrypted(10000));

    QVERIFY(!makePair(folder).certificate.isEmpty()); // the same files, a new certificate
    const QByteArray renewed = fileDigest(pair.certificate);
    QVERIFY(renewed != first);
    QByteArray presented;
    QTRY_VERIFY_WITH_TIMEOUT((presented = presentedDigest(serve.port())) == renewed, 15000);

    open.write("POST " + acceptedTarget().toLatin1()
        + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
    QTRY_VERIFY_WITH_TIMEOUT(open.bytesAvailable() > 0 || !open.waitForReadyRead(100), 10000);
    QVERIFY(open.readAll().startsWith("HTTP/1.1 200"));
    QCOMPARE(serve.stop(), int(CommandLine::Success));
}

void tst_Tls::badPairIsNamed()
{
    const Pair other = makePair(m_root.filePath(u"mismatch"_s));
    // A key that is not the certificate's, a file that is no certificate, one missing.
    const QList<std::pair<QStringList, QByteArray>> cases {
        { { u"--tls-cert"_s, m_pair.certificate, u"--tls-key"_s, other.key },
            "is not the key of the certificate" },
        { { u"--tls-cert"_s, m_pair.key, u"--tls-key"_s, m_pair.key }, "holds no PEM certificate" },
        { { u"--tls-cert"_s, m_root.filePath(u"missing.pem"_s), u"--tls-key"_s, m_pair.key },
            "cannot read" },
    };
    for (const auto &[arguments, message] : cases) {
        const ProcessOutcome refused = hooktrailIn(
            m_dataDir, QStringList { u"serve"_s, u"--listen"_s, u"127.0.0.1:0"_s } + arguments);
        QCOMPARE(refused.exitCode, int(CommandLine::Failure));
        QVERIFY2(refused.err.contains(message), refused.err.constData());
    }
    const ProcessOutcome alone
        = hooktrailIn(m_dataDir, { u"serve"_s, u"--tls-cert"_s, m_pair.certificate });
    QCOMPARE(alone.exitCode, int(CommandLine::Usage));
    const ProcessOutcome besideNothing
        = hooktrailIn(m_dataDir, { u"serve"_s, u"--listen-tls"_s, u"127.0.0.1:0"_s });
    QCOMPARE(besideNothing.exitCode, int(CommandLine::Usage));
}

void tst_Tls::useTurnsTheListenPortToTls()
{
    // --use stores the pair in the settings: serve speaks TLS with no option of its own.
    const QString dataDir = newDataDir();
    const ProcessOutcome made = hooktrailIn(
        dataDir, { u"tls"_s, u"self-signed"_s, u"--host"_s, u"127.0.0.1"_s, u"--use"_s });
    QVERIFY2(succeeded(made), describe(made));
    const QString certificate = QDir(dataDir).filePath(u"tls/certificate.pem"_s);
    QCOMPARE(Settings(dataDir).tlsCertificateFile(), certificate);
    ServeProcess serve;
    QVERIFY2(serve.start(dataDir), qPrintable(serve.error()));
    QVERIFY2(serve.output().contains("with TLS (endpoints: https://127.0.0.1:"),
        serve.output().constData());
    QCOMPARE(presentedDigest(serve.port()), fileDigest(certificate));
    // The certificate names the address itself, so curl verifies it by IP.
    const ProcessOutcome curl = run(u"curl"_s,
        { u"-sS"_s, u"-o"_s, u"/dev/null"_s, u"-w"_s, u"%{http_code}"_s, u"--cacert"_s, certificate,
            u"-d"_s, u"{}"_s, u"https://127.0.0.1:%1/v1/data/webhook/none"_s.arg(serve.port()) });
    QVERIFY2(curl.exitCode == 0, describe(curl));
    QCOMPARE(curl.out, QByteArray("404"));
    QCOMPARE(serve.stop(), int(CommandLine::Success));
}

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_tls.moc"
