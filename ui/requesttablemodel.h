// The history's table of logged requests: loaded lazily by key, newest first, following new
// rows as the log writer commits them.
#pragma once

#include "store.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

class QTimer;

namespace Hooktrail {

class LogWriter;
class StoreExecutor;

// Rows are loaded a page at a time: the view asks for more (canFetchMore/fetchMore) as the user
// scrolls, so rowCount() grows towards totalCount(), which the page shows ("N requests"). Paging
// by key (id < the last row's id) keeps every page as cheap as the first on millions of rows; a
// rowCount() of the total would need the id at any position, which only OFFSET could give.
class RequestTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestTableModel)
public:
    enum Column {
        TimeColumn,
        WebhookColumn,
        MethodColumn,
        PathColumn,
        ClientColumn,
        StatusColumn,
        OutcomeColumn,
        ContentTypeColumn,
        SizeColumn,
        ColumnCount
    };
    enum Role {
        RequestIdRole = Qt::UserRole, // qint64
        ReceivedAtRole, // QDateTime in UTC
        WebhookIdRole, // QString, empty when the path named no known webhook
        MethodRole, // QString
        StatusRole, // int
        OutcomeRole, // bool: accepted
        ReasonRole, // QString
        BodySizeRole, // qint64
    };

    static constexpr int PageSize = 100;
    // Live loads coalesce: at most one every LiveIntervalMs however fast rows are committed.
    static constexpr int LiveIntervalMs = 100;
    // More new rows than this at once leave a gap that live loading does not fill: see
    // liveOverflow().
    static constexpr int LiveLimit = 5000;
    // Rows written by other processes raise no signal here; they are looked for this often.
    static constexpr int PollIntervalMs = 5000;

    explicit RequestTableModel(StoreExecutor *store, QObject *parent = nullptr);
    ~RequestTableModel() override;

    // Empties the table and loads the first page and the count for this filter (its paging
    // fields are ignored). Results of loads started before are dropped when they arrive.
    void setFilter(const RequestFilter &filter);
    const RequestFilter &filter() const { return m_filter; }
    void reload() { setFilter(m_filter); }
    // New rows committed by this writer appear at the top.
    void follow(LogWriter *writer);
    // Looks for rows newer than the newest considered, now (normally coalesced and automatic).
    void loadNewer();
    void setWebhookNames(const QHash<QString, QString> &names);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    const LoggedRequest &requestAt(int row) const { return m_rows.at(row); } // body left empty
    int rowOfId(qint64 id) const; // -1 when not loaded
    // After the store deleted these ids (removedInStore rows in all): drops the loaded ones.
    void removeIds(const QList<qint64> &ids, qint64 removedInStore);
    // Drops loaded rows past `rows`, to bound memory while new rows keep arriving at the top.
    void trimTo(int rows);

    qint64 totalCount() const { return m_total; } // -1 while unknown
    bool isLoading() const { return m_fetching || m_loadingNewer; }
    bool allLoaded() const { return m_firstLoaded && m_atEnd; }
    QString lastError() const { return m_error; }
    QString webhookName(const QString &id) const;

signals:
    void pageLoaded(int rows); // a page reached the model (the first after a filter change too)
    void newerLoaded(int rows); // rows inserted at the top by live loading
    void totalCountChanged(qint64 count);
    void loadFailed(const QString &error);
    // More than LiveLimit rows arrived between two live loads: live loading stops until
    // reload(), which the page does at once when the user is at the top.
    void liveOverflow();

private:
    struct FirstPage;
    struct NewerRows;
    void appendRows(const QList<LoggedRequest> &rows);
    void setTotal(qint64 total);
    void fail(const QString &error);
    void scheduleNewer();
    QVariant displayData(const LoggedRequest &request, int column) const;
    QVariant toolTipData(const LoggedRequest &request, int column) const;

    StoreExecutor *m_store;
    RequestFilter m_filter;
    QList<LoggedRequest> m_rows; // newest first
    QSet<qint64> m_ids;
    QHash<QString, QString> m_webhookNames;
    QTimer *m_liveTimer;
    QTimer *m_pollTimer;
    quint64 m_generation = 0; // bumped by every filter change; older results are dropped
    qint64 m_watermark = 0; // every matching row up to this id is loaded or loadable by paging
    qint64 m_total = -1;
    QString m_error;
    bool m_firstLoaded = false;
    bool m_atEnd = false;
    bool m_fetching = false;
    bool m_loadingNewer = false;
    bool m_newerAgain = false; // a commit arrived while a live load was running
    bool m_liveSuspended = false;
};

} // namespace Hooktrail
