// The user's settings, typed, kept in hooktrail.ini in the data folder.
#pragma once

#include "core/receiver/receiveroptions.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QSettings>
#include <QString>

namespace Hooktrail {

class Settings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Settings)
public:
    explicit Settings(const QString &dataDir, QObject *parent = nullptr);

    // The data folder: --data-dir, else HOOKTRAIL_DATA_DIR, else the user's data location.
    static QString resolveDataDir(const QString &fromCommandLine);

    QString dataDir() const { return m_dataDir; }
    QString databasePath() const; // the SQLite file in the data folder
    // Where the data is: --database (setDatabase), else HOOKTRAIL_DATABASE, else the SQLite
    // file. A postgresql:// URL shares one database between receivers and consoles.
    QString database() const;
    void setDatabase(const QString &location) { m_database = location; }
    // database() fit to show: a URL without its password, or the file's path.
    QString databaseForDisplay() const;
    // For messages: "data folder DIR", "database file PATH" or "database URL" (no password).
    QString describeDatabase() const;

    QHostAddress listenAddress() const;
    quint16 listenPort() const;
    void setListen(const QHostAddress &address, quint16 port);
    QString publicBaseUrl() const; // empty: http://{listen address}:{port}
    void setPublicBaseUrl(const QString &url);
    qint64 maxBodyBytes() const;
    void setMaxBodyBytes(qint64 bytes);
    int idleTimeoutMs() const;
    void setIdleTimeoutMs(int ms);
    int headerTimeoutMs() const;
    int maxConnections() const;
    QStringList trustedProxies() const;
    void setTrustedProxies(const QStringList &proxies);
    // TLS on the listen port (ARCHITECTURE §5.8): PEM files; both empty: plain HTTP.
    QString tlsCertificateFile() const;
    QString tlsKeyFile() const;
    void setTls(const QString &certificateFile, const QString &keyFile);
    int retentionDays() const; // 0: keep forever
    qint64 retentionCount() const; // 0: no limit
    void setRetention(int days, qint64 count);
    // Free space the receiver leaves on the database's disk: below it, requests are refused
    // (503 storage_unavailable) rather than the disk filled. 0: no floor.
    qint64 keepFreeBytes() const;
    void setKeepFreeBytes(qint64 bytes);
    static constexpr qint64 DefaultKeepFreeBytes = 512LL * 1024 * 1024;
    // The local API (ARCHITECTURE §5.7): off unless turned on; on loopback by default.
    bool apiEnabled() const;
    QString apiListen() const; // ADDR:PORT, 127.0.0.1:8485 by default
    bool apiMetricsNeedToken() const; // on by default
    void setApi(bool enabled, const QString &listen, bool metricsNeedToken);
    static constexpr char DefaultApiListen[] = "127.0.0.1:8485";
    // ADDR:PORT, with [v6]:PORT for IPv6 (--listen, --api-listen, Settings → API).
    static bool parseListen(const QString &text, QHostAddress *address, quint16 *port);
    QString language() const; // empty: follow the system
    // The shared database chosen in Settings (a postgresql:// URL without a password), or
    // empty for the SQLite file; database() gives --database and HOOKTRAIL_DATABASE precedence.
    QString sharedDatabase() const;
    void setSharedDatabase(const QString &url);
    // What is wrong with url as a shared database, or empty (empty url: none, fine).
    static QString sharedDatabaseProblem(const QString &url);
    void setLanguage(const QString &language);

    // The base of every endpoint URL handed to users.
    QString baseUrl(quint16 actualPort = 0) const;
    // The same with the scheme the running receiver speaks (Receiver::endpointScheme()).
    QString baseUrl(quint16 actualPort, const QString &scheme) const;
    // What baseUrl() is when no public base URL is set: http://{listen address}:{port}, or
    // https:// when TLS is set.
    QString defaultBaseUrl(quint16 actualPort = 0) const;
    QString defaultBaseUrl(quint16 actualPort, const QString &scheme) const;
    QString endpoint(const QString &webhookId, quint16 actualPort = 0) const;
    ReceiverOptions receiverOptions() const;

    // How the console was left (window geometry, page, splitter and column layouts): kept in
    // the same file, but a change is not a setting, so it does not emit changed().
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    int windowPage() const;
    void setWindowPage(int page);
    QByteArray historySplitterState() const;
    void setHistorySplitterState(const QByteArray &state);
    QByteArray historyColumnsState() const;
    void setHistoryColumnsState(const QByteArray &state);

signals:
    void changed();

private:
    void set(const QString &key, const QVariant &value);
    // Stores several values and emits changed() once, if any of them differed.
    void set(const QList<QPair<QString, QVariant>> &values);
    // Stores what changed, privately, without changed().
    bool store(const QList<QPair<QString, QVariant>> &values);
    void setState(const QString &key, const QVariant &value);
    QString m_dataDir;
    QString m_database; // from the command line
    mutable QSettings m_settings;
};

} // namespace Hooktrail
