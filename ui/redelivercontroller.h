// Redelivering from the console (ARCHITECTURE §5.5): the selected requests or every one the
// filter matches, counted and asked for first, scheduled a chunk at a time with progress.
#pragma once

#include "core/model/requestfilter.h"

#include <QMessageBox>
#include <QObject>
#include <QPointer>
#include <QProgressDialog> // QPointer's members need the whole class

class QWidget;

namespace Hooktrail {

class Deliverer;
class StoreExecutor;

class RedeliverController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RedeliverController)
public:
    // Requests scheduled per store write: the progress moves, and the deliverer and the log
    // writer get the database between chunks.
    static constexpr int ChunkSize = 500;

    // The confirmation and the progress open over parent, which also owns the controller.
    RedeliverController(StoreExecutor *store, QWidget *parent);

    // Told when deliveries are scheduled, so it looks at once instead of at its next poll.
    void setDeliverer(Deliverer *deliverer);

    // Each asks first, saying how many requests go again; only accepted requests are delivered
    // (the caller passes those). redelivered() follows the last chunk.
    void redeliverIds(const QList<qint64> &acceptedIds);
    void redeliverMatching(const RequestFilter &filter);
    QMessageBox *confirmation() const { return m_confirmation; }
    QProgressDialog *progress() const { return m_progress; }
    bool isRunning() const { return m_run.running; }

signals:
    void message(const QString &message);
    void error(const QString &error);
    // Deliveries were scheduled (also after Stop, for what was done).
    void redelivered(qint64 deliveries);

private:
    void ask(qint64 count, bool matching, const std::function<void()> &onConfirm);
    void start(qint64 total);
    void step();
    void finish(const QString &error = {});

    // One redelivery under way: a list of ids, or a filter read a chunk at a time below beforeId.
    struct Run
    {
        bool running = false;
        bool stopped = false;
        bool matching = false;
        QList<qint64> ids;
        RequestFilter filter;
        qint64 total = 0; // requests counted when asked
        qint64 done = 0; // requests scheduled again so far
        qint64 deliveries = 0; // deliveries scheduled so far
    };

    StoreExecutor *m_store;
    QWidget *m_parent;
    QPointer<Deliverer> m_deliverer;
    QPointer<QMessageBox> m_confirmation;
    QPointer<QProgressDialog> m_progress;
    Run m_run;
};

} // namespace Hooktrail
