// Deleting logged requests from the console: counting what a filter matches, asking first, and
// the store work.
#pragma once

#include "core/model/requestfilter.h"

#include <QObject>
#include <QPointer>

class QMessageBox;
class QWidget;

namespace Hooktrail {

class StoreExecutor;

class DeleteController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeleteController)
public:
    // The confirmation opens over parent, which also owns the controller.
    DeleteController(StoreExecutor *store, QWidget *parent);

    // Each asks first, saying how many rows go; deleted() follows the confirmation.
    void deleteIds(const QList<qint64> &ids);
    void deleteMatching(const RequestFilter &filter);
    QMessageBox *confirmation() const; // while one is open

signals:
    void message(const QString &message);
    void error(const QString &error);
    // ids: the ones deleted, or empty when the rows matching a filter were.
    void deleted(const QList<qint64> &ids, qint64 rows);

private:
    void askToDelete(const QString &text, const std::function<void()> &onConfirm);
    void run(const RequestFilter &filter, const QList<qint64> &ids);

    StoreExecutor *m_store;
    QWidget *m_parent;
    QPointer<QMessageBox> m_confirmation;
};

} // namespace Hooktrail
