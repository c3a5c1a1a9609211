// The Connections page's table of webhooks: settings from the store, traffic from the log.
#pragma once

#include "core/model/webhook.h"
#include "core/store/storetypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace Hooktrail {

class WebhookListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookListModel)
public:
    enum Column { NameColumn, StatusColumn, LastRequestColumn, ActivityColumn, ColumnCount };
    enum Role {
        WebhookIdRole = Qt::UserRole, // QString
        EnabledRole, // bool
        LastRequestRole, // QDateTime in UTC; invalid when none was ever received
        Count24hRole, // qint64
        BucketsRole, // QList<int>, WebhookActivity::BucketCount hours, oldest first
    };

    explicit WebhookListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Brings the rows to these webhooks with row inserts, removals and dataChanged, so the
    // view keeps its selection and scroll position; a reset only when the order itself changed.
    void setWebhooks(const QList<Webhook> &webhooks);
    // Updates the traffic columns in place; nowMicros is what "3 min ago" is measured from.
    void setActivity(const QHash<QString, WebhookActivity> &activity, qint64 nowMicros);

    const Webhook &webhookAt(int row) const { return m_rows.at(row).webhook; }
    int rowOf(const QString &id) const; // -1 when absent
    bool isEmpty() const { return m_rows.isEmpty(); }

    // "just now", "3 min ago", "2 h ago", "5 days ago"; "Never" for 0.
    static QString relativeTime(qint64 micros, qint64 nowMicros);

private:
    struct Row
    {
        Webhook webhook;
        WebhookActivity activity;
    };
    QVariant displayData(const Row &row, int column) const;
    QVariant toolTipData(const Row &row, int column) const;

    QList<Row> m_rows;
    QHash<QString, WebhookActivity> m_activity; // kept for rows that arrive after it
    qint64 m_nowMicros = 0;
};

} // namespace Hooktrail
