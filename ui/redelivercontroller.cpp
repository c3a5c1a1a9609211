// Redelivering from the console (see the header).
#include "ui/redelivercontroller.h"

#include "core/delivery/deliverer.h"
#include "core/store/deliverytables.h"
#include "core/store/requestqueries.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/confirmation.h"

#include <QLocale>
#include <QProgressDialog>
#include <QWidget>
#include <climits>

namespace Hooktrail {

namespace {

struct Counted
{
    RequestFilter filter; // bounded by the newest id at counting time: only what was counted goes
    qint64 count = 0;
};

struct Chunk
{
    qint64 requests = 0; // taken from the list or read from the filter; 0: the filter is done
    qint64 deliveries = 0;
    qint64 lastId = 0;
};

int clamped(qint64 value)
{
    return int(std::min<qint64>(value, INT_MAX));
}

} // namespace

RedeliverController::RedeliverController(StoreExecutor *store, QWidget *parent)
    : QObject(parent), m_store(store), m_parent(parent)
{ }

void RedeliverController::setDeliverer(Deliverer *deliverer)
{
    m_deliverer = deliverer;
}

void RedeliverController::ask(qint64 count, bool matching, const std::function<void()> &onConfirm)
{
    const int n = clamped(count);
    const QString text = matching
        ? tr("Deliver the %Ln accepted request(s) matching the filter again?", nullptr, n)
        : tr("Deliver the %Ln selected request(s) again?", nullptr, n);
    Confirmation box(m_parent, QStringLiteral("redeliverConfirmation"), tr("Redeliver requests"),
        text,
        tr("Every destination of their webhooks receives them once more, with the same "
           "X-Hooktrail-Request-Id; deliveries already on their way finish first."));
    box.addAction(
        tr("&Redeliver"), QMessageBox::AcceptRole, QStringLiteral("redeliverButton"), onConfirm);
    m_confirmation = box.open();
}

void RedeliverController::redeliverIds(const QList<qint64> &acceptedIds)
{
    if (!m_store || m_confirmation || m_run.running)
        return;
    if (acceptedIds.isEmpty()) {
        emit message(tr("Only accepted requests are delivered: nothing to redeliver."));
        return;
    }
    ask(acceptedIds.size(), false, [this, acceptedIds] {
        m_run = {};
        m_run.ids = acceptedIds;
        start(acceptedIds.size());
    });
}

void RedeliverController::redeliverMatching(const RequestFilter &matching)
{
    if (!m_store || m_confirmation || m_run.running)
        return;
    if (matching.outcome == RequestFilter::Outcome::Rejected) {
        emit message(tr("Only accepted requests are delivered: the filter shows rejected ones."));
        return;
    }
    RequestFilter filter = matching;
    filter.outcome = RequestFilter::Outcome::Accepted; // only accepted requests are delivered
    filter.limit = 0;
    m_store->read(
        this,
        [filter](Store &store) mutable -> Result<Counted> {
            const Result<qint64> newest = store.queries().newestRequestId();
            if (!newest)
                return Result<Counted>::failure(newest.error());
            // Rows that arrive while this runs have their own deliveries already.
            filter.beforeId = *newest + 1;
            const Result<qint64> count = store.queries().countRequests(filter);
            if (!count)
                return Result<Counted>::failure(count.error());
            return Counted { filter, *count };
        },
        [this](const Result<Counted> &counted) {
            if (!counted) {
                emit error(tr("The requests cannot be counted: %1").arg(counted.error()));
                return;
            }
            if (counted->count == 0) {
                emit message(tr("No accepted request matches the filter: nothing to redeliver."));
                return;
            }
            ask(counted->count, true, [this, counted = *counted] {
                m_run = {};
                m_run.matching = true;
                m_run.filter = counted.filter;
                start(counted.count);
            });
        });
}

void RedeliverController::start(qint64 total)
{
    m_run.running = true;
    m_run.total = total;
    // Shown only when it takes a while; Stop ends it between two chunks.
    m_progress = new QProgressDialog(
        tr("Scheduling deliveries…"), tr("Stop"), 0, clamped(total), m_parent);
    m_progress->setObjectName(QStringLiteral("redeliverProgress"));
    m_progress->setWindowTitle(tr("Redeliver requests"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(500);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_progress, &QProgressDialog::canceled, this, [this] { m_run.stopped = true; });
    m_progress->setValue(0);
    step();
}

void RedeliverController::step()
{
    if (m_run.stopped || (m_progress && m_progress->wasCanceled())) {
        m_run.stopped = true;
        finish();
        return;
    }
    QList<qint64> ids;
    if (!m_run.matching) {
        ids = m_run.ids.mid(m_run.done, ChunkSize);
        if (ids.isEmpty()) {
            finish();
            return;
        }
    }
    const RequestFilter filter = m_run.filter;
    m_store->write(
        this,
        [ids, filter](Store &store) -> Result<Chunk> {
            QList<qint64> chunk = ids;
            if (chunk.isEmpty()) {
                const Result<QList<qint64>> page = store.queries().pageIds(filter, ChunkSize);
                if (!page)
                    return Result<Chunk>::failure(page.error());
                chunk = *page;
                if (chunk.isEmpty())
                    return Chunk {};
            }
            const Result<qint64> scheduled = store.deliveries().redeliver(chunk);
            if (!scheduled)
                return Result<Chunk>::failure(scheduled.error());
            return Chunk { chunk.size(), *scheduled, chunk.constLast() };
        },
        [this](const Result<Chunk> &chunk) {
            if (!chunk) {
                finish(chunk.error());
                return;
            }
            if (chunk->requests == 0) {
                finish();
                return;
            }
            m_run.done += chunk->requests;
            m_run.deliveries += chunk->deliveries;
            if (m_run.matching)
                m_run.filter.beforeId = chunk->lastId; // pages go newest first
            if (m_deliverer)
                m_deliverer->wake();
            if (m_progress) {
                m_progress->setValue(clamped(std::min(m_run.done, m_run.total)));
                m_progress->setLabelText(
                    tr("Scheduling deliveries… %1 of %2 requests")
                        .arg(QLocale().toString(m_run.done), QLocale().toString(m_run.total)));
            }
            step();
        });
}

void RedeliverController::finish(const QString &failure)
{
    const Run run = m_run;
    m_run = {};
    if (m_progress) {
        m_progress->disconnect(this); // closing it says "canceled"
        m_progress->close();
    }
    if (run.deliveries > 0 || run.done > 0)
        emit redelivered(run.deliveries);
    if (!failure.isEmpty()) {
        emit error(tr("Redelivery stopped after %Ln request(s): %1", nullptr, clamped(run.done))
                       .arg(failure));
        return;
    }
    const int deliveries = clamped(run.deliveries);
    if (run.stopped)
        emit message(tr("Redelivery stopped: %1 of %2 requests scheduled again (%Ln "
                        "delivery(s)).",
            nullptr, deliveries)
                         .arg(QLocale().toString(run.done), QLocale().toString(run.total)));
    else if (deliveries == 0)
        emit message(tr("Nothing to redeliver: their webhooks have no destination."));
    else
        emit message(tr("%Ln delivery(s) scheduled again.", nullptr, deliveries));
}

} // namespace Hooktrail
