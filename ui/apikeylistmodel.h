// The stored API keys as a table: prefix, name, created, last used and state.
#pragma once

#include "core/model/apikey.h"

#include <QAbstractTableModel>
#include <QList>

namespace Hooktrail {

class ApiKeyListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiKeyListModel)
public:
    enum Column {
        PrefixColumn,
        NameColumn,
        CreatedColumn,
        LastUsedColumn,
        StateColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole,
        PrefixRole,
        NameRole,
        CreatedRole, // QDateTime, UTC
        LastUsedRole, // QDateTime, UTC; null until first used
        RevokedRole, // bool
    };

    explicit ApiKeyListModel(QObject *parent = nullptr);

    // Replaces the list; hashes are not kept, the console has no use for them.
    void setKeys(const QList<ApiKey> &keys);
    const ApiKey &keyAt(int row) const { return m_keys.at(row); }
    int rowOfPrefix(const QString &prefix) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<ApiKey> m_keys;
};

} // namespace Hooktrail
