// The Connections page's table of webhooks: settings from the store, traffic from the log.
#include "ui/webhooklistmodel.h"

#include "core/model/loggedrequest.h"
#include "ui/tones.h"

#include <QBrush>
#include <QDateTime>
#include <QGuiApplication>
#include <QLocale>
#include <QSet>
#include <limits>

namespace Hooktrail {

namespace {

bool sameSettings(const Webhook &a, const Webhook &b)
{
    return a.id == b.id && a.name == b.name && a.description == b.description
        && a.methods == b.methods && a.headerRules == b.headerRules
        && a.ipWhitelist == b.ipWhitelist && a.enabled == b.enabled && a.created == b.created
        && a.updated == b.updated;
}

QDateTime utcFromMicros(qint64 micros)
{
    return micros > 0 ? QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC) : QDateTime();
}

QString exactUtc(qint64 micros)
{
    return utcFromMicros(micros).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

int clampedInt(qint64 value)
{
    return int(std::clamp<qint64>(value, 0, std::numeric_limits<int>::max()));
}

WebhookActivity noActivity()
{
    WebhookActivity activity;
    activity.buckets = QList<int>(WebhookActivity::BucketCount, 0);
    return activity;
}

} // namespace

WebhookListModel::WebhookListModel(QObject *parent) : QAbstractTableModel(parent) { }

int WebhookListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int WebhookListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WebhookListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case StatusColumn:
        return tr("Status");
    case LastRequestColumn:
        return tr("Last request");
    case ActivityColumn:
        return tr("Last 24 h");
    default:
        return {};
    }
}

QHash<int, QByteArray> WebhookListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(WebhookIdRole, QByteArrayLiteral("webhookId"));
    names.insert(EnabledRole, QByteArrayLiteral("enabled"));
    names.insert(LastRequestRole, QByteArrayLiteral("lastRequest"));
    names.insert(Count24hRole, QByteArrayLiteral("count24h"));
    names.insert(BucketsRole, QByteArrayLiteral("buckets"));
    return names;
}

QString WebhookListModel::relativeTime(qint64 micros, qint64 nowMicros)
{
    if (micros <= 0)
        return tr("Never");
    const qint64 seconds = (nowMicros - micros) / 1000000;
    if (seconds < 60)
        return tr("just now");
    if (seconds < 3600)
        return tr("%n min ago", nullptr, int(seconds / 60));
    if (seconds < 24 * 3600)
        return tr("%n h ago", nullptr, int(seconds / 3600));
    // Abbreviated units, like "min" and "h", read right in English without a plural form.
    return tr("%n d ago", nullptr, clampedInt(seconds / (24 * 3600)));
}

QVariant WebhookListModel::displayData(const Row &row, int column) const
{
    switch (column) {
    case NameColumn:
        return row.webhook.name;
    case StatusColumn:
        return row.webhook.enabled ? tr("Enabled") : tr("Disabled");
    case LastRequestColumn:
        return relativeTime(
            row.activity.lastRequestMicros, m_nowMicros > 0 ? m_nowMicros : currentMicros());
    case ActivityColumn:
        return QLocale().toString(row.activity.count);
    default:
        return {};
    }
}

QVariant WebhookListModel::toolTipData(const Row &row, int column) const
{
    switch (column) {
    case NameColumn:
        return row.webhook.description.isEmpty() ? row.webhook.name : row.webhook.description;
    case StatusColumn:
        return row.webhook.enabled
            ? tr("Requests are checked and answered.")
            : tr("Requests are answered 503 (the sender retries later) and still logged.");
    case LastRequestColumn:
        return row.activity.lastRequestMicros > 0 ? exactUtc(row.activity.lastRequestMicros)
                                                  : tr("No request received yet");
    case ActivityColumn:
        return tr(
            "Requests in the last 24 hours: %n. Each bar is one hour, the latest on the right.",
            nullptr, clampedInt(row.activity.count));
    default:
        return {};
    }
}

QVariant WebhookListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::ToolTipRole:
        return toolTipData(row, index.column());
    case Qt::AccessibleTextRole:
        switch (index.column()) {
        case LastRequestColumn:
            return row.activity.lastRequestMicros > 0
                ? tr("Last request %1, %2")
                      .arg(displayData(row, LastRequestColumn).toString(),
                          exactUtc(row.activity.lastRequestMicros))
                : tr("No request received yet");
        case ActivityColumn:
            return tr("Requests in the last 24 hours: %n", nullptr, clampedInt(row.activity.count));
        default:
            return displayData(row, index.column());
        }
    case Qt::ForegroundRole:
        // An enabled webhook reads as working; a disabled one keeps the plain text colour and
        // an empty ring, nothing wrong but nothing taken.
        if (index.column() == StatusColumn && row.webhook.enabled)
            return QBrush(Tones::colour(Tones::Tone::Good, QGuiApplication::palette()));
        return {};
    case Qt::DecorationRole:
        if (index.column() == StatusColumn)
            return Tones::dot(row.webhook.enabled ? Tones::Tone::Good : Tones::Tone::Quiet,
                QGuiApplication::palette());
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ActivityColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case WebhookIdRole:
        return row.webhook.id;
    case EnabledRole:
        return row.webhook.enabled;
    case LastRequestRole:
        return utcFromMicros(row.activity.lastRequestMicros);
    case Count24hRole:
        return row.activity.count;
    case BucketsRole:
        return QVariant::fromValue(row.activity.buckets);
    default:
        return {};
    }
}

int WebhookListModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).webhook.id == id)
            return row;
    }
    return -1;
}

void WebhookListModel::setWebhooks(const QList<Webhook> &webhooks)
{
    QSet<QString> wanted;
    for (const Webhook &webhook : webhooks)
        wanted.insert(webhook.id);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!wanted.contains(m_rows.at(row).webhook.id)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }

    // The rows left must come in the same order as in the new list for inserts alone to get
    // there; the store orders by creation, so that holds unless the data changed under us.
    qsizetype next = 0;
    for (const Webhook &webhook : webhooks) {
        if (next < m_rows.size() && m_rows.at(next).webhook.id == webhook.id)
            ++next;
    }
    const auto activityOf = [this](const QString &id) {
        return m_activity.contains(id) ? m_activity.value(id) : noActivity();
    };
    if (next != m_rows.size()) {
        beginResetModel();
        m_rows.clear();
        for (const Webhook &webhook : webhooks)
            m_rows.append({ webhook, activityOf(webhook.id) });
        endResetModel();
        return;
    }

    int row = 0;
    for (const Webhook &webhook : webhooks) {
        if (row < m_rows.size() && m_rows.at(row).webhook.id == webhook.id) {
            if (!sameSettings(m_rows.at(row).webhook, webhook)) {
                m_rows[row].webhook = webhook;
                emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
        } else {
            beginInsertRows({}, row, row);
            m_rows.insert(row, { webhook, activityOf(webhook.id) });
            endInsertRows();
        }
        ++row;
    }
}

void WebhookListModel::setActivity(
    const QHash<QString, WebhookActivity> &activity, qint64 nowMicros)
{
    m_activity = activity;
    m_nowMicros = nowMicros;
    for (Row &row : m_rows) {
        const auto it = m_activity.constFind(row.webhook.id);
        row.activity = it != m_activity.cend() ? *it : noActivity();
    }
    // Every row: "3 min ago" moves on even where nothing new arrived.
    if (!m_rows.isEmpty())
        emit dataChanged(
            index(0, LastRequestColumn), index(int(m_rows.size()) - 1, ActivityColumn));
}

} // namespace Hooktrail
