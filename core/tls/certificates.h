// Certificates for the receiver's TLS that Qt has no API for (ARCHITECTURE §5.8): a
// self-signed certificate for local testing, and whether a key is a certificate's.
#pragma once

#include "core/base/result.h"

#include <QByteArray>
#include <QString>

namespace Hooktrail::Certificates {

struct SelfSigned
{
    QByteArray certificatePem;
    QByteArray keyPem; // unencrypted PKCS#8
};

// A host name ("localhost", "hooks.example.test") or an IP address, as a certificate names it;
// an empty string when it is fit, else what is wrong with it.
QString hostProblem(const QString &host);

// An ECDSA P-256 key and a certificate for `host` signed by that key, valid from an hour ago
// for `days` days: subjectAltName the host (and 127.0.0.1 and ::1 for localhost), for servers
// (extendedKeyUsage serverAuth), and its own authority, so a client that trusts this one file
// (curl --cacert, Python's ssl cafile) verifies the receiver with it.
Result<SelfSigned> makeSelfSigned(const QString &host, int days);

// makeSelfSigned() written to FOLDER/certificate.pem (0644) and FOLDER/key.pem (0600, never
// readable by others, not even for a moment), the folder created 0700 when missing. Existing
// files are replaced only with `replace`; else the error names them.
struct Written
{
    QString certificateFile;
    QString keyFile;
};
Result<Written> writeSelfSigned(const QString &host, int days, const QString &folder, bool replace);

// Whether the private key in keyPem belongs to the first certificate in certificatePem.
bool keyMatches(const QByteArray &certificatePem, const QByteArray &keyPem);

} // namespace Hooktrail::Certificates
