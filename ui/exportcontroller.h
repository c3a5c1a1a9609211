// Exporting logged requests from the console: the file dialog, the progress while the store
// thread writes, cancelling, and the outcome.
#pragma once

#include "core/history/requestexport.h"
#include "core/model/requestfilter.h"

#include <QObject>
#include <QPointer>
#include <functional>

class QProgressDialog;
class QWidget;

namespace Hooktrail {

class StoreExecutor;

class ExportController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportController)
public:
    // Dialogs open over parent, which also owns the controller.
    ExportController(StoreExecutor *store, QWidget *parent);

    // Asks where to save, and in which format (the file's suffix follows the format chosen).
    void chooseFile(const QString &title,
        const std::function<void(const QString &, RequestExport::Format)> &onChosen);
    // Writes the requests matching filter, or only ids when there are any, to path.
    void start(const QString &path, RequestExport::Format format, const RequestFilter &filter,
        const QList<qint64> &ids);
    bool isRunning() const;
    QProgressDialog *progress() const; // while an export runs

signals:
    void runningChanged();
    void message(const QString &message);
    void error(const QString &error);
    void finished(bool ok, const QString &message);

private:
    StoreExecutor *m_store;
    QWidget *m_parent;
    QPointer<QProgressDialog> m_progress;
};

} // namespace Hooktrail
