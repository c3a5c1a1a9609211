// The history's table of logged requests: loaded lazily by key, newest first, following new
// rows as the log writer commits them.
#pragma once

#include "core/base/result.h"
#include "core/model/loggedrequest.h"
#include "core/model/requestfilter.h"
#include "ui/requestwindow.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <memory>

class QTimer;

namespace Hooktrail {

class LogWriter;
class StoreExecutor;

// The table has a row for every matching request (the scroll bar spans the total), but only one
// contiguous window of them is loaded at a time (RequestWindow places it); the others are
// placeholders until the view asks for the rows it shows (ensureLoaded(), not data(): asking for
// one cell, as accessibility or a model tester does, must not move the window). Loads go by key,
// never by OFFSET. Until the count is known the table holds the loaded rows only and grows by
// fetchMore().
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
        DeliveryColumn, // the request's deliveries together (ARCHITECTURE §5.5)
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
        DeliveryRole, // int: DeliveryState
    };

    static constexpr int PageSize = RequestWindow::PageSize;
    // Live loads coalesce: at most one every LiveIntervalMs however fast rows are committed.
    static constexpr int LiveIntervalMs = 100;
    // More new rows than this at once leave a gap that live loading does not fill: see
    // liveOverflow().
    static constexpr int LiveLimit = 5000;
    // Rows written by other processes raise no signal here; they are looked for this often.
    static constexpr int PollIntervalMs = 5000;
    static constexpr int WindowLimit = RequestWindow::WindowLimit;
    static constexpr int Reach = RequestWindow::Reach;

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
    // Reads the delivery state of these loaded requests again (all loaded ones when empty), soon:
    // the deliverer recorded attempts, or a redelivery scheduled them. Asks made together share
    // one read.
    void refreshDeliveries(const QList<qint64> &requestIds = {});

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // The request at a loaded row (body left empty); see isLoaded().
    const LoggedRequest &requestAt(int row) const { return m_window.at(row); }
    bool isLoaded(int row) const { return m_window.isLoaded(row); }
    int loadedCount() const { return int(m_window.rows().size()); }
    int firstLoadedRow() const { return m_window.start(); } // the loaded rows are one run
    int rowOfId(qint64 id) const { return m_window.rowOfId(id); } // -1 when not loaded
    // Asks for these rows to be loaded: what a view shows. Asks made together share one load.
    void ensureLoaded(int first, int last);
    // After the store deleted these ids (removedInStore rows in all): removes their rows.
    void removeIds(const QList<qint64> &ids, qint64 removedInStore);
    // Counts the matching rows again, soon, and removes the loaded rows that are gone: after
    // deletions this model did not make (retention, a webhook deleted with its history). Asks made
    // together share one count.
    void recount();
    // Unloads rows from `rows` on, to bound memory while new rows keep arriving at the top.
    void trimTo(int rows) { m_window.trimTo(rows); }

    qint64 totalCount() const { return m_window.total(); } // -1 while unknown
    bool isLoading() const { return m_loading.fetching || m_loading.newer; }
    bool allLoaded() const { return m_window.allLoaded(); }
    QString lastError() const { return m_loading.error; }
    QString webhookName(const QString &id) const;

signals:
    // Rows reached the model: the first page after a filter change, a page next to the loaded
    // ones, or a window placed where the user jumped to.
    void pageLoaded(int rows);
    void newerLoaded(int rows); // rows inserted at the top by live loading
    void totalCountChanged(qint64 count);
    // A recount found rows deleted by something else than removeIds() (see recount()).
    void removedElsewhere(qint64 count);
    void loadFailed(const QString &error);
    // More than LiveLimit rows arrived between two live loads: live loading stops until
    // reload(), which the page does at once when the user is at the top.
    void liveOverflow();

private:
    struct FirstPage;
    struct NewerRows;
    struct Counted;
    struct Window;
    class Changes;
    void loadWanted();
    void load(const RequestWindow::Load &load);
    void windowLoaded(const Result<Window> &loaded);
    void fail(const QString &error);
    void scheduleNewer();
    QVariant displayData(const LoggedRequest &request, int column) const;
    QVariant toolTipData(const LoggedRequest &request, int column) const;
    void readDeliveries();

    // What loads are under way for the current filter; a new filter starts from {}.
    struct Loading
    {
        int wantFirst = -1; // rows a view asked for and found unloaded
        int wantLast = -1;
        QString error;
        bool fetching = false;
        bool newer = false; // a live load is running
        bool newerAgain = false; // a commit arrived while a live load was running
        bool liveSuspended = false;
        bool recounting = false; // a recount is running
        bool recountAgain = false; // asked for while one was running
    };
    struct Recounted;
    void startRecount();
    void recounted(const Result<Recounted> &recounted, quint64 totalSerial);

    StoreExecutor *m_store;
    RequestFilter m_filter;
    std::unique_ptr<Changes> m_changes; // tells the views what m_window does
    RequestWindow m_window;
    Loading m_loading;
    QHash<QString, QString> m_webhookNames;
    QTimer *m_liveTimer;
    QTimer *m_pollTimer;
    QTimer *m_loadTimer;
    QTimer *m_recountTimer;
    QTimer *m_deliveryTimer;
    QSet<qint64> m_deliveryIds; // to read again; empty with m_deliveryAll
    bool m_deliveryAll = false;
    quint64 m_totalSerial = 0; // bumped whenever the total changes: a recount from before is stale
    int m_askedFirst = -1; // what the load in flight was for
    int m_askedLast = -1;
    quint64 m_generation = 0; // bumped by every filter change; older results are dropped
};

} // namespace Hooktrail
