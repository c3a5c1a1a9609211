// The user's settings, typed, kept in hooktrail.ini in the data folder.
#include "core/base/settings.h"

#include "core/base/logging.h"
#include "core/base/privatefiles.h"
#include "core/endpoint/route.h"
#include "core/store/store.h"

#include <QDir>
#include <QStandardPaths>
#include <QUrl>

namespace Hooktrail {

Settings::Settings(const QString &dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(dataDir)
    , m_settings(QDir(dataDir).filePath(QStringLiteral("hooktrail.ini")), QSettings::IniFormat)
{
    // Every request is in the data folder: a folder others may enter (from before Hooktrail
    // made it 0700, or made by hand) is closed now, and said once, since it stays closed.
    if (const std::optional<unsigned> was = PrivateFiles::restrict(m_dataDir))
        qCInfo(lcConfig, "made the data folder %s private (it was %s)", qPrintable(m_dataDir),
            qPrintable(PrivateFiles::modeText(*was)));
    PrivateFiles::restrict(m_settings.fileName());
}

QString Settings::resolveDataDir(const QString &fromCommandLine)
{
    if (!fromCommandLine.isEmpty())
        return QDir(fromCommandLine).absolutePath();
    const QString fromEnvironment = qEnvironmentVariable("HOOKTRAIL_DATA_DIR");
    if (!fromEnvironment.isEmpty())
        return QDir(fromEnvironment).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString Settings::databasePath() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("hooktrail.db"));
}

QString Settings::database() const
{
    if (!m_database.isEmpty())
        return m_database;
    const QString fromEnvironment = qEnvironmentVariable("HOOKTRAIL_DATABASE");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString chosen = sharedDatabase();
    return chosen.isEmpty() ? databasePath() : chosen;
}

QString Settings::sharedDatabase() const
{
    const QString url = m_settings.value(QStringLiteral("database/url")).toString().trimmed();
    return sharedDatabaseProblem(url).isEmpty() ? url : QString();
}

void Settings::setSharedDatabase(const QString &url)
{
    // Never a password in the file: sharedDatabaseProblem() refuses one.
    if (sharedDatabaseProblem(url).isEmpty())
        set(QStringLiteral("database/url"), url.trimmed());
}

QString Settings::sharedDatabaseProblem(const QString &url)
{
    const QString text = url.trimmed();
    if (text.isEmpty())
        return {};
    // The password first: one with a '/' or '?' also makes the URL look malformed, and the
    // user must hear what matters (postgresql://u:pa/ss@h/db, ?password=...).
    if (Store::isPostgresUrl(text) && Store::urlHasPassword(text))
        return tr("Leave the password out: it would be stored in clear. Give it through "
                  "PGPASSWORD or ~/.pgpass instead.");
    const QUrl parsed(text, QUrl::StrictMode);
    if (!Store::isPostgresUrl(text) || !parsed.isValid() || parsed.host().isEmpty()
        || parsed.path().size() < 2 || parsed.path().mid(1).contains(u'/'))
        return tr("Expected postgresql://user@host[:port]/database.");
    return {};
}

QString Settings::describeDatabase() const
{
    const QString location = database();
    if (Store::isPostgresUrl(location))
        return QStringLiteral("database %1").arg(Store::redactedUrl(location));
    if (location == databasePath())
        return QStringLiteral("data folder %1").arg(m_dataDir);
    return QStringLiteral("database file %1").arg(location);
}

QString Settings::databaseForDisplay() const
{
    const QString location = database();
    return Store::isPostgresUrl(location) ? Store::redactedUrl(location) : location;
}

void Settings::set(const QString &key, const QVariant &value)
{
    set({ { key, value } });
}

void Settings::set(const QList<QPair<QString, QVariant>> &values)
{
    if (store(values))
        emit changed();
}

bool Settings::store(const QList<QPair<QString, QVariant>> &values)
{
    bool differs = false;
    for (const auto &[key, value] : values) {
        if (m_settings.value(key) == value)
            continue;
        m_settings.setValue(key, value);
        differs = true;
    }
    if (!differs)
        return false;
    // QSettings would create a missing folder open to others; the file keeps its mode after.
    PrivateFiles::createFolder(m_dataDir);
    m_settings.sync();
    PrivateFiles::restrict(m_settings.fileName());
    return true;
}

void Settings::setState(const QString &key, const QVariant &value)
{
    store({ { key, value } });
}

QHostAddress Settings::listenAddress() const
{
    QHostAddress address;
    if (!address.setAddress(m_settings.value(QStringLiteral("receiver/address")).toString()))
        return QHostAddress::LocalHost;
    return address;
}

quint16 Settings::listenPort() const
{
    bool ok = false;
    const uint port = m_settings.value(QStringLiteral("receiver/port"), 8484).toUInt(&ok);
    return ok && port <= 65535 ? quint16(port) : quint16(8484);
}

void Settings::setListen(const QHostAddress &address, quint16 port)
{
    // One change, even when only the address moved: the receiver restarts on changed().
    set({ { QStringLiteral("receiver/address"), address.toString() },
        { QStringLiteral("receiver/port"), port } });
}

QString Settings::publicBaseUrl() const
{
    return m_settings.value(QStringLiteral("receiver/publicBaseUrl")).toString();
}

void Settings::setPublicBaseUrl(const QString &url)
{
    QString trimmed = url.trimmed();
    while (trimmed.endsWith(u'/'))
        trimmed.chop(1);
    set(QStringLiteral("receiver/publicBaseUrl"), trimmed);
}

qint64 Settings::maxBodyBytes() const
{
    return m_settings.value(QStringLiteral("receiver/maxBodyBytes"), 10 * 1024 * 1024).toLongLong();
}

void Settings::setMaxBodyBytes(qint64 bytes)
{
    set(QStringLiteral("receiver/maxBodyBytes"), bytes);
}

int Settings::idleTimeoutMs() const
{
    return m_settings.value(QStringLiteral("receiver/idleTimeoutMs"), 30000).toInt();
}

void Settings::setIdleTimeoutMs(int ms)
{
    set(QStringLiteral("receiver/idleTimeoutMs"), ms);
}

int Settings::headerTimeoutMs() const
{
    return m_settings.value(QStringLiteral("receiver/headerTimeoutMs"), 10000).toInt();
}

int Settings::maxConnections() const
{
    return m_settings.value(QStringLiteral("receiver/maxConnections"), 1000).toInt();
}

QStringList Settings::trustedProxies() const
{
    return m_settings.value(QStringLiteral("receiver/trustedProxies")).toStringList();
}

void Settings::setTrustedProxies(const QStringList &proxies)
{
    set(QStringLiteral("receiver/trustedProxies"), proxies);
}

int Settings::retentionDays() const
{
    return m_settings.value(QStringLiteral("retention/days"), 0).toInt();
}

qint64 Settings::retentionCount() const
{
    return m_settings.value(QStringLiteral("retention/count"), 0).toLongLong();
}

void Settings::setRetention(int days, qint64 count)
{
    set({ { QStringLiteral("retention/days"), days },
        { QStringLiteral("retention/count"), count } });
}

qint64 Settings::keepFreeBytes() const
{
    bool ok = false;
    const qint64 bytes
        = m_settings.value(QStringLiteral("storage/keepFreeBytes"), DefaultKeepFreeBytes)
              .toLongLong(&ok);
    return ok ? std::max<qint64>(0, bytes) : DefaultKeepFreeBytes;
}

void Settings::setKeepFreeBytes(qint64 bytes)
{
    set(QStringLiteral("storage/keepFreeBytes"), std::max<qint64>(0, bytes));
}

bool Settings::parseListen(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':'))
        return false;
    bool ok = false;
    const uint value = text.mid(colon + 1).toUInt(&ok);
    if (!ok || value > 65535 || !address->setAddress(host))
        return false;
    *port = quint16(value);
    return true;
}

bool Settings::apiEnabled() const
{
    return m_settings.value(QStringLiteral("api/enabled"), false).toBool();
}

QString Settings::apiListen() const
{
    const QString listen = m_settings.value(QStringLiteral("api/listen")).toString().trimmed();
    return listen.isEmpty() ? QString::fromLatin1(DefaultApiListen) : listen;
}

bool Settings::apiMetricsNeedToken() const
{
    return m_settings.value(QStringLiteral("api/metricsNeedToken"), true).toBool();
}

void Settings::setApi(bool enabled, const QString &listen, bool metricsNeedToken)
{
    set({ { QStringLiteral("api/enabled"), enabled },
        { QStringLiteral("api/listen"), listen.trimmed() },
        { QStringLiteral("api/metricsNeedToken"), metricsNeedToken } });
}

QString Settings::language() const
{
    return m_settings.value(QStringLiteral("ui/language")).toString();
}

void Settings::setLanguage(const QString &language)
{
    set(QStringLiteral("ui/language"), language);
}

QString Settings::tlsCertificateFile() const
{
    return m_settings.value(QStringLiteral("receiver/tlsCertificate")).toString();
}

QString Settings::tlsKeyFile() const
{
    return m_settings.value(QStringLiteral("receiver/tlsKey")).toString();
}

void Settings::setTls(const QString &certificateFile, const QString &keyFile)
{
    set({ { QStringLiteral("receiver/tlsCertificate"), certificateFile.trimmed() },
        { QStringLiteral("receiver/tlsKey"), keyFile.trimmed() } });
}

QString Settings::baseUrl(quint16 actualPort) const
{
    const QString configured = publicBaseUrl();
    return configured.isEmpty() ? defaultBaseUrl(actualPort) : configured;
}

QString Settings::baseUrl(quint16 actualPort, const QString &scheme) const
{
    const QString configured = publicBaseUrl();
    return configured.isEmpty() ? defaultBaseUrl(actualPort, scheme) : configured;
}

QString Settings::defaultBaseUrl(quint16 actualPort) const
{
    return defaultBaseUrl(actualPort,
        tlsCertificateFile().isEmpty() ? QStringLiteral("http") : QStringLiteral("https"));
}

QString Settings::defaultBaseUrl(quint16 actualPort, const QString &scheme) const
{
    QHostAddress address = listenAddress();
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4)
        address = QHostAddress::LocalHost;
    else if (address == QHostAddress::AnyIPv6)
        address = QHostAddress::LocalHostIPv6;
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(address.toString())
        : address.toString();
    return QStringLiteral("%1://%2:%3")
        .arg(scheme, host)
        .arg(actualPort ? actualPort : listenPort());
}

QString Settings::endpoint(const QString &webhookId, quint16 actualPort) const
{
    return baseUrl(actualPort) + Endpoint::routeOf(webhookId);
}

ReceiverOptions Settings::receiverOptions() const
{
    ReceiverOptions options;
    options.address = listenAddress();
    options.port = listenPort();
    options.maxBodyBytes = maxBodyBytes();
    options.idleTimeoutMs = idleTimeoutMs();
    options.headerTimeoutMs = headerTimeoutMs();
    options.maxConnections = maxConnections();
    for (const QString &proxy : trustedProxies()) {
        if (auto range = IpRange::parse(proxy))
            options.trustedProxies.append(*range);
    }
    options.tlsCertificateFile = tlsCertificateFile();
    options.tlsKeyFile = tlsKeyFile();
    return options;
}

QByteArray Settings::windowGeometry() const
{
    return m_settings.value(QStringLiteral("window/geometry")).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray &geometry)
{
    setState(QStringLiteral("window/geometry"), geometry);
}

int Settings::windowPage() const
{
    return m_settings.value(QStringLiteral("window/page"), 0).toInt();
}

void Settings::setWindowPage(int page)
{
    setState(QStringLiteral("window/page"), page);
}

QByteArray Settings::historySplitterState() const
{
    return m_settings.value(QStringLiteral("history/splitter")).toByteArray();
}

void Settings::setHistorySplitterState(const QByteArray &state)
{
    setState(QStringLiteral("history/splitter"), state);
}

QByteArray Settings::historyColumnsState() const
{
    return m_settings.value(QStringLiteral("history/columns")).toByteArray();
}

void Settings::setHistoryColumnsState(const QByteArray &state)
{
    setState(QStringLiteral("history/columns"), state);
}

} // namespace Hooktrail
