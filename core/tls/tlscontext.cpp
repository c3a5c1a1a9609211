// The receiver's TLS: ARCHITECTURE §5.8.
#include "core/tls/tlscontext.h"

#include "core/base/logging.h"
#include "core/tls/certificates.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace Hooktrail {

namespace {

constexpr qint64 MaxPemBytes = 1024 * 1024;
constexpr int SettleMs = 250;

Result<QByteArray> readPem(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(
            QCoreApplication::translate("Hooktrail::TlsContext", "cannot read %1: %2")
                .arg(QDir::toNativeSeparators(path), file.errorString()));
    if (file.size() > MaxPemBytes)
        return Result<QByteArray>::failure(QCoreApplication::translate(
            "Hooktrail::TlsContext", "%1 is larger than 1 MiB; it is not a PEM file")
                                               .arg(path));
    return file.readAll();
}

} // namespace

Result<QSslConfiguration> TlsContext::load(const QString &certificateFile, const QString &keyFile)
{
    using Failure = Result<QSslConfiguration>;
    if (!QSslSocket::supportsSsl())
        return Failure::failure(tr("this system's Qt has no TLS backend (OpenSSL 3 is needed)"));
    const Result<QByteArray> certificateBytes = readPem(certificateFile);
    if (!certificateBytes)
        return Failure::failure(certificateBytes.error());
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certificateBytes, QSsl::Pem);
    if (chain.isEmpty() || chain.front().isNull())
        return Failure::failure(
            tr("%1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)").arg(certificateFile));
    const Result<QByteArray> keyBytes = readPem(keyFile);
    if (!keyBytes)
        return Failure::failure(keyBytes.error());
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Ec, QSsl::Rsa, QSsl::Dsa }) {
        key = QSslKey(*keyBytes, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return Failure::failure(
            tr("%1 holds no unencrypted PEM private key (EC or RSA)").arg(keyFile));
    if (!Certificates::keyMatches(*certificateBytes, *keyBytes))
        return Failure::failure(tr("the key in %1 is not the key of the certificate in %2")
                                    .arg(keyFile, certificateFile));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (chain.front().expiryDate() < now)
        qCWarning(lcReceiver).noquote() << "the certificate in" << certificateFile << "expired on"
                                        << chain.front().expiryDate().toString(Qt::ISODate);

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // senders have no certificates
    return configuration;
}

TlsContext::TlsContext(
    QString certificateFile, QString keyFile, QSslConfiguration configuration, QObject *parent)
    : QObject(parent)
    , m_certificateFile(std::move(certificateFile))
    , m_keyFile(std::move(keyFile))
    , m_configuration(std::move(configuration))
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(SettleMs);
    connect(&m_settle, &QTimer::timeout, this, [this] {
        const Result<bool> changed = reload();
        if (!changed) {
            qCWarning(lcReceiver).noquote()
                << "the TLS certificate was not reloaded:" << changed.error();
            emit reloadFailed(changed.error());
        } else if (*changed) {
            qCInfo(lcReceiver).noquote() << "TLS certificate reloaded from" << m_certificateFile;
            emit reloaded();
        }
    });
    // Files replaced by rename leave the watch: the folders tell of the new ones.
    const auto changed = [this] {
        watch();
        m_settle.start();
    };
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, changed);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, changed);
    watch();
}

void TlsContext::watch()
{
    for (const QString &path : { m_certificateFile, m_keyFile }) {
        if (!m_watcher.files().contains(path) && QFileInfo::exists(path))
            m_watcher.addPath(path);
        const QString folder = QFileInfo(path).absolutePath();
        if (!m_watcher.directories().contains(folder))
            m_watcher.addPath(folder);
    }
}

QSslConfiguration TlsContext::configuration() const
{
    std::lock_guard lock(m_mutex);
    return m_configuration;
}

Result<bool> TlsContext::reload()
{
    Result<QSslConfiguration> loaded = load(m_certificateFile, m_keyFile);
    if (!loaded)
        return Result<bool>::failure(loaded.error());
    std::lock_guard lock(m_mutex);
    if (m_configuration.localCertificateChain() == loaded->localCertificateChain()
        && m_configuration.privateKey() == loaded->privateKey())
        return false;
    m_configuration = std::move(loaded).value();
    return true;
}

} // namespace Hooktrail
