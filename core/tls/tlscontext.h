// The receiver's TLS (ARCHITECTURE §5.8): a certificate and key read from PEM files, handed to
// every new connection, and read again when the files change, so a renewed certificate needs
// no restart. Connections already open keep the one they began with.
#pragma once

#include "core/base/result.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <mutex>

namespace Hooktrail {

class TlsContext final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsContext)
public:
    // A server configuration from the two files: TLS 1.2 or later, no client certificates.
    // The error names the file and what is wrong with it.
    static Result<QSslConfiguration> load(const QString &certificateFile, const QString &keyFile);

    TlsContext(QString certificateFile, QString keyFile, QSslConfiguration configuration,
        QObject *parent = nullptr);

    // What a connection accepted now is given; any thread.
    QSslConfiguration configuration() const;
    QString certificateFile() const { return m_certificateFile; }
    QString keyFile() const { return m_keyFile; }

    // Reads the files again now: whether they held another certificate or key. On failure the
    // configuration in use stays.
    Result<bool> reload();

signals:
    void reloaded();
    void reloadFailed(const QString &error);

private:
    void watch();

    const QString m_certificateFile;
    const QString m_keyFile;
    mutable std::mutex m_mutex;
    QSslConfiguration m_configuration;
    QFileSystemWatcher m_watcher;
    QTimer m_settle; // renewals write two files, often by rename: read them once both are down
};

} // namespace Hooktrail
