// The stored API keys as a table: prefix, name, created, last used and state.
#include "ui/apikeylistmodel.h"

#include "ui/tones.h"

#include <QBrush>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

namespace Hooktrail {

namespace {
QString formatTime(const QDateTime &time)
{
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}
} // namespace

ApiKeyListModel::ApiKeyListModel(QObject *parent) : QAbstractTableModel(parent) { }

void ApiKeyListModel::setKeys(const QList<ApiKey> &keys)
{
    beginResetModel();
    m_keys = keys;
    for (ApiKey &key : m_keys)
        key.hash.clear();
    endResetModel();
}

int ApiKeyListModel::rowOfPrefix(const QString &prefix) const
{
    for (int row = 0; row < m_keys.size(); ++row) {
        if (m_keys.at(row).prefix == prefix)
            return row;
    }
    return -1;
}

int ApiKeyListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_keys.size());
}

int ApiKeyListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ApiKeyListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ApiKey &key = m_keys.at(index.row());
    switch (role) {
    case IdRole:
        return key.id;
    case PrefixRole:
        return key.prefix;
    case NameRole:
        return key.name;
    case CreatedRole:
        return key.created;
    case LastUsedRole:
        return key.lastUsed;
    case RevokedRole:
        return key.revoked;
    case Qt::DisplayRole:
        switch (index.column()) {
        case PrefixColumn:
            return key.prefix;
        case NameColumn:
            return key.name;
        case CreatedColumn:
            return formatTime(key.created);
        case LastUsedColumn:
            return key.lastUsed.isValid() ? formatTime(key.lastUsed) : tr("Never");
        case StateColumn:
            return key.revoked ? tr("Revoked") : tr("Active");
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == CreatedColumn)
            return QLocale().toString(key.created.toLocalTime(), QLocale::LongFormat);
        if (index.column() == LastUsedColumn && key.lastUsed.isValid())
            return QLocale().toString(key.lastUsed.toLocalTime(), QLocale::LongFormat);
        if (index.column() == StateColumn && key.revoked)
            return tr("Requests with this key are refused.");
        break;
    case Qt::ForegroundRole:
        // The state says itself in colour too: green while in use, red once revoked.
        if (index.column() == StateColumn)
            return QBrush(Tones::colour(
                key.revoked ? Tones::Tone::Bad : Tones::Tone::Good, QGuiApplication::palette()));
        // A revoked key stays listed (the history refers to it) but reads as inactive.
        if (key.revoked)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        break;
    case Qt::DecorationRole:
        if (index.column() == StateColumn)
            return Tones::dot(
                key.revoked ? Tones::Tone::Bad : Tones::Tone::Good, QGuiApplication::palette());
        break;
    case Qt::FontRole:
        if (index.column() == PrefixColumn)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        break;
    }
    return {};
}

QVariant ApiKeyListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PrefixColumn:
        return tr("Prefix");
    case NameColumn:
        return tr("Name");
    case CreatedColumn:
        return tr("Created");
    case LastUsedColumn:
        return tr("Last used");
    case StateColumn:
        return tr("State");
    }
    return {};
}

QHash<int, QByteArray> ApiKeyListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "id");
    names.insert(PrefixRole, "prefix");
    names.insert(NameRole, "name");
    names.insert(CreatedRole, "created");
    names.insert(LastUsedRole, "lastUsed");
    names.insert(RevokedRole, "revoked");
    return names;
}

} // namespace Hooktrail
