// Certificates Qt cannot make: ARCHITECTURE §5.8. OpenSSL is the library Qt's own TLS backend
// uses on Debian, so this adds no library the receiver does not load already.
#include "core/tls/certificates.h"

#include "core/base/privatefiles.h"
#include "core/base/savetofile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRegularExpression>

#include <memory>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace Hooktrail::Certificates {

namespace {

template<typename T, void (*Free)(T *)> struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

QString tr(const char *text)
{
    return QCoreApplication::translate("Hooktrail::Certificates", text);
}

// OpenSSL's own words for its last error, for a message that says more than "failed".
QString openSslError(const char *what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    char text[256] = {};
    if (code != 0)
        ERR_error_string_n(code, text, sizeof text);
    return code != 0 ? QStringLiteral("%1: %2").arg(QLatin1String(what), QLatin1String(text))
                     : QLatin1String(what);
}

QByteArray contents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, qsizetype(size)) : QByteArray();
}

bool addExtension(X509 *certificate, X509V3_CTX *context, int nid, const QByteArray &value)
{
    const Extension extension(X509V3_EXT_conf_nid(nullptr, context, nid, value.constData()));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

} // namespace

QString hostProblem(const QString &host)
{
    if (host.isEmpty())
        return tr("name the host the certificate is for, e.g. --host localhost");
    if (QHostAddress address; address.setAddress(host))
        return {};
    // RFC 1123 labels, and a leading "*." for a wildcard: nothing else reaches OpenSSL's
    // extension syntax, where a comma would start another name.
    static const QRegularExpression name(QStringLiteral(
        R"(^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$)"));
    if (host.size() > 253 || !name.match(host).hasMatch())
        return tr("'%1' is neither a host name (letters, digits, '-' and '.') nor an IP address")
            .arg(host);
    return {};
}

Result<SelfSigned> makeSelfSigned(const QString &host, int days)
{
    using Failure = Result<SelfSigned>;
    if (const QString problem = hostProblem(host); !problem.isEmpty())
        return Failure::failure(problem);
    if (days < 1 || days > 3650)
        return Failure::failure(tr("a certificate lasts 1 to 3650 days"));

    const Key key(EVP_EC_gen("P-256"));
    if (!key)
        return Failure::failure(openSslError("cannot make an EC key"));
    const Certificate certificate(X509_new());
    if (!certificate || X509_set_version(certificate.get(), 2) != 1)
        return Failure::failure(openSslError("cannot make a certificate"));

    // A random positive 128-bit serial: two certificates made for the same host never share one.
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return Failure::failure(openSslError("no random bytes"));
    serial[0] &= 0x7f;
    BIGNUM *number = BN_bin2bn(serial, sizeof serial, nullptr);
    const bool serialSet
        = number && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate.get()));
    BN_free(number);
    if (!serialSet)
        return Failure::failure(openSslError("cannot set the serial number"));

    // From an hour ago: a client whose clock is a little behind accepts it at once.
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), long(days) * 24 * 3600);
    X509_NAME *name = X509_get_subject_name(certificate.get());
    const QByteArray commonName = host.toUtf8().left(64);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
        reinterpret_cast<const unsigned char *>("Hooktrail (self-signed, for testing)"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
        reinterpret_cast<const unsigned char *>(commonName.constData()), -1, -1, 0);
    X509_set_issuer_name(certificate.get(), name);
    X509_set_pubkey(certificate.get(), key.get());

    QByteArray names;
    if (QHostAddress address; address.setAddress(host))
        names = "IP:" + address.toString().toLatin1();
    else
        names = "DNS:" + host.toLatin1();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        names += ",IP:127.0.0.1,IP:::1";
    X509V3_CTX context;
    X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
    const bool extended = addExtension(certificate.get(), &context, NID_basic_constraints,
                              "critical,CA:TRUE,pathlen:0")
        && addExtension(
            certificate.get(), &context, NID_key_usage, "critical,digitalSignature,keyCertSign")
        && addExtension(certificate.get(), &context, NID_ext_key_usage, "serverAuth")
        && addExtension(certificate.get(), &context, NID_subject_key_identifier, "hash")
        && addExtension(certificate.get(), &context, NID_subject_alt_name, names);
    if (!extended)
        return Failure::failure(openSslError("cannot add the certificate's extensions"));
    if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0)
        return Failure::failure(openSslError("cannot sign the certificate"));

    const Bio certificateBio(BIO_new(BIO_s_mem()));
    const Bio keyBio(BIO_new(BIO_s_mem()));
    if (!certificateBio || !keyBio
        || PEM_write_bio_X509(certificateBio.get(), certificate.get()) != 1
        || PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1)
        return Failure::failure(openSslError("cannot write PEM"));
    return SelfSigned { contents(certificateBio.get()), contents(keyBio.get()) };
}

Result<Written> writeSelfSigned(const QString &host, int days, const QString &folder, bool replace)
{
    using Failure = Result<Written>;
    const Result<SelfSigned> made = makeSelfSigned(host, days);
    if (!made)
        return Failure::failure(made.error());
    if (!PrivateFiles::createFolder(folder))
        return Failure::failure(
            tr("cannot create the folder %1").arg(QDir::toNativeSeparators(folder)));
    const QDir dir(folder);
    const Written written { dir.absoluteFilePath(QStringLiteral("certificate.pem")),
        dir.absoluteFilePath(QStringLiteral("key.pem")) };
    for (const QString &path : { written.certificateFile, written.keyFile }) {
        if (!replace && QFileInfo::exists(path))
            return Failure::failure(
                tr("%1 exists; --force replaces it").arg(QDir::toNativeSeparators(path)));
    }
    const auto bytes = [](const QByteArray &pem) {
        return [pem](QIODevice &device) {
            return device.write(pem) == pem.size() ? Status()
                                                   : Status::failure(device.errorString());
        };
    };
    // The key first: a certificate whose key is not beside it is of no use, and the watcher of
    // a running receiver reads the pair when the certificate changes.
    if (const Status status = SaveToFile::save(written.keyFile, bytes(made->keyPem)); !status)
        return Failure::failure(status.error());
    if (const Status status
        = SaveToFile::save(written.certificateFile, bytes(made->certificatePem));
        !status)
        return Failure::failure(status.error());
    QFile::setPermissions(written.certificateFile,
        QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    return written;
}

bool keyMatches(const QByteArray &certificatePem, const QByteArray &keyPem)
{
    const Bio certificateBio(
        BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size())));
    const Bio keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    if (!certificateBio || !keyBio)
        return false;
    const Certificate certificate(
        PEM_read_bio_X509(certificateBio.get(), nullptr, nullptr, nullptr));
    // An empty passphrase: an encrypted key fails here rather than prompt on the terminal.
    static char empty[] = "";
    const Key key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, empty));
    const bool matches
        = certificate && key && X509_check_private_key(certificate.get(), key.get()) == 1;
    ERR_clear_error();
    return matches;
}

} // namespace Hooktrail::Certificates
