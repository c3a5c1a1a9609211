// Exporting logged requests from the console: the file dialog, the progress while the store
// thread writes, cancelling, and the outcome.
#include "ui/exportcontroller.h"

#include "core/base/savetofile.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"

#include <QDir>
#include <QFileDialog>
#include <QLocale>
#include <QProgressDialog>
#include <QTimer>
#include <atomic>
#include <memory>

namespace Hooktrail {

namespace {

constexpr int ProgressPollMs = 100;

// Shared between the GUI thread, which shows and may cancel, and the store thread, which writes.
struct ExportProgress
{
    std::atomic<qint64> done { 0 };
    std::atomic<qint64> total { -1 };
    std::atomic<bool> cancel { false };
};

struct ExportOutcome
{
    bool cancelled = false;
    qint64 rows = 0;
};

} // namespace

ExportController::ExportController(StoreExecutor *store, QWidget *parent)
    : QObject(parent), m_store(store), m_parent(parent)
{ }

bool ExportController::isRunning() const
{
    return m_progress;
}

QProgressDialog *ExportController::progress() const
{
    return m_progress;
}

void ExportController::chooseFile(const QString &title,
    const std::function<void(const QString &, RequestExport::Format)> &onChosen)
{
    const QString har = tr("HAR 1.2 (*.har)");
    const QString jsonl = tr("JSON Lines (*.jsonl)");
    const QString csv = tr("CSV (*.csv)");
    auto *dialog = new QFileDialog(m_parent, title);
    dialog->setObjectName(QStringLiteral("exportFileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilters({ har, jsonl, csv });
    dialog->setDefaultSuffix(QStringLiteral("har"));
    dialog->selectFile(QStringLiteral("requests.har"));
    connect(
        dialog, &QFileDialog::filterSelected, dialog, [dialog, har, jsonl](const QString &filter) {
            const QString suffix = filter == har ? QStringLiteral("har")
                : filter == jsonl                ? QStringLiteral("jsonl")
                                                 : QStringLiteral("csv");
            dialog->setDefaultSuffix(suffix);
            dialog->selectFile(QStringLiteral("requests.") + suffix);
        });
    connect(dialog, &QFileDialog::fileSelected, this,
        [dialog, har, jsonl, onChosen](const QString &path) {
            const QString filter = dialog->selectedNameFilter();
            const RequestExport::Format format = filter == har ? RequestExport::Format::Har
                : filter == jsonl                              ? RequestExport::Format::Jsonl
                                                               : RequestExport::Format::Csv;
            onChosen(path, format);
        });
    dialog->open();
}

void ExportController::start(const QString &path, RequestExport::Format format,
    const RequestFilter &filter, const QList<qint64> &ids)
{
    if (!m_store || m_progress)
        return;
    auto progress = std::make_shared<ExportProgress>();

    auto *dialog = new QProgressDialog(tr("Exporting requests…"), tr("Cancel"), 0, 0, m_parent);
    dialog->setObjectName(QStringLiteral("exportProgress"));
    dialog->setWindowTitle(tr("Export"));
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    dialog->setMinimumDuration(0);
    m_progress = dialog;
    auto *poll = new QTimer(dialog);
    connect(poll, &QTimer::timeout, dialog, [dialog, progress] {
        const qint64 total = progress->total.load();
        if (total > 0) {
            // Counts as permille: a range of ints cannot hold every row count.
            dialog->setMaximum(1000);
            dialog->setValue(int(progress->done.load() * 1000 / total));
            dialog->setLabelText(
                tr("Exporting requests: %1 of %2…")
                    .arg(QLocale().toString(progress->done.load()), QLocale().toString(total)));
        }
    });
    poll->start(ProgressPollMs);
    connect(dialog, &QProgressDialog::canceled, dialog, [progress, dialog] {
        progress->cancel = true;
        dialog->setLabelText(tr("Cancelling…"));
    });
    dialog->open();
    emit runningChanged();

    m_store->read(
        this,
        [path, format, filter, ids, progress](Store &store) -> Result<ExportOutcome> {
            ExportOutcome outcome;
            const Status status = SaveToFile::save(path, [&](QIODevice &file) {
                const Status written = RequestExport::write(
                    store, format, filter, ids, file, [progress](qint64 done, qint64 total) {
                        progress->done = done;
                        progress->total = total;
                        return !progress->cancel.load();
                    });
                // Nothing half-written replaces an existing file.
                return progress->cancel.load() ? Status::failure(tr("cancelled")) : written;
            });
            outcome.rows = progress->done.load();
            if (progress->cancel.load())
                outcome.cancelled = true;
            else if (!status)
                return Result<ExportOutcome>::failure(status.error());
            return outcome;
        },
        [this, path](const Result<ExportOutcome> &outcome) {
            if (QProgressDialog *finished = m_progress) {
                m_progress = nullptr;
                finished->hide();
                finished->deleteLater();
            }
            emit runningChanged();
            if (!outcome) {
                emit error(tr("Export failed: %1").arg(outcome.error()));
                emit finished(false, outcome.error());
            } else if (outcome->cancelled) {
                emit message(tr("Export cancelled; no file was written."));
                emit finished(false, tr("cancelled"));
            } else {
                // Qt has no English plural forms without a translation: one is said apart.
                const int rows = int(std::min<qint64>(outcome->rows, INT_MAX));
                const QString file = QDir::toNativeSeparators(path);
                const QString text = rows == 1
                    ? tr("1 request exported to %1.").arg(file)
                    : tr("%Ln requests exported to %1.", nullptr, rows).arg(file);
                emit message(text);
                emit finished(true, text);
            }
        });
}

} // namespace Hooktrail
