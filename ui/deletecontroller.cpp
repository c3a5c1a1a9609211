// Deleting logged requests from the console: counting what a filter matches, asking first, and
// the store work.
#include "ui/deletecontroller.h"

#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/confirmation.h"

#include <QLocale>
#include <QWidget>

namespace Hooktrail {

namespace {

struct DeletionCount
{
    RequestFilter filter; // bounded by the newest id at counting time: only what was counted goes
    qint64 count = 0;
};

} // namespace

DeleteController::DeleteController(StoreExecutor *store, QWidget *parent)
    : QObject(parent), m_store(store), m_parent(parent)
{ }

QMessageBox *DeleteController::confirmation() const
{
    return m_confirmation;
}

void DeleteController::askToDelete(const QString &text, const std::function<void()> &onConfirm)
{
    if (m_confirmation)
        return;
    Confirmation box(m_parent, QStringLiteral("deleteConfirmation"), tr("Delete requests"), text,
        tr("Deleted requests cannot be brought back."));
    box.addAction(
        tr("&Delete"), QMessageBox::DestructiveRole, QStringLiteral("deleteButton"), onConfirm);
    m_confirmation = box.open();
}

void DeleteController::deleteIds(const QList<qint64> &ids)
{
    if (ids.isEmpty() || !m_store)
        return;
    const int count = int(ids.size());
    askToDelete(count == 1
            ? tr("Delete the selected request from the history?")
            : tr("Delete the %Ln selected requests from the history?", nullptr, count),
        [this, ids] { run({}, ids); });
}

void DeleteController::deleteMatching(const RequestFilter &matching)
{
    if (!m_store || m_confirmation)
        return;
    RequestFilter filter = matching;
    m_store->read(
        this,
        [filter](Store &store) mutable -> Result<DeletionCount> {
            const Result<qint64> newest = store.queries().newestRequestId();
            if (!newest)
                return Result<DeletionCount>::failure(newest.error());
            filter.beforeId = *newest + 1;
            const Result<qint64> count = store.queries().countRequests(filter);
            if (!count)
                return Result<DeletionCount>::failure(count.error());
            DeletionCount counted;
            counted.filter = filter;
            counted.count = *count;
            return counted;
        },
        [this](const Result<DeletionCount> &counted) {
            if (!counted) {
                emit error(tr("The requests cannot be counted: %1").arg(counted.error()));
                return;
            }
            if (counted->count == 0) {
                emit message(tr("No request matches the filter: nothing to delete."));
                return;
            }
            const int count = int(std::min<qint64>(counted->count, INT_MAX));
            askToDelete(count == 1
                    ? tr("Delete the request matching the filter?")
                    : tr("Delete the %Ln requests matching the filter?", nullptr, count),
                [this, filter = counted->filter] { run(filter, {}); });
        });
}

void DeleteController::run(const RequestFilter &filter, const QList<qint64> &ids)
{
    m_store->write(
        this,
        [filter, ids](Store &store) {
            return ids.isEmpty() ? store.retention().deleteRequests(filter)
                                 : store.retention().deleteRequests(ids);
        },
        [this, ids](const Result<qint64> &removed) {
            if (!removed) {
                emit error(tr("The requests cannot be deleted: %1").arg(removed.error()));
                return;
            }
            // The rows go first: the message is about the table as it is now.
            emit deleted(ids, *removed);
            const int count = int(std::min<qint64>(*removed, INT_MAX));
            emit message(count == 1 ? tr("1 request deleted.")
                                    : tr("%Ln requests deleted.", nullptr, count));
        });
}

} // namespace Hooktrail
