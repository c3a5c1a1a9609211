// What an import of webhook settings will do, shown before anything is written: one line per
// webhook in the file (added, renamed or skipped and why) and the choice to keep their ids.
#pragma once

#include "core/history/webhooktransfer.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace Hooktrail {

class ImportPreviewDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportPreviewDialog)
public:
    enum Column { NameColumn, MethodsColumn, OutcomeColumn, ColumnCount };

    // stored: the webhooks there are now, which decide renames and what is already here.
    ImportPreviewDialog(const QString &path, WebhookTransfer::Parsed parsed, QList<Webhook> stored,
        QWidget *parent = nullptr);
    ~ImportPreviewDialog() override;

    const WebhookTransfer::Parsed &parsed() const { return m_parsed; }
    bool keepIds() const;
    const QList<WebhookTransfer::Step> &steps() const { return m_steps; }

    // The "What happens" text of a step, as its line says it.
    static QString outcomeText(const WebhookTransfer::Step &step);

private:
    void buildTable();
    void refresh(); // plans again (the ids choice changed) and fills the lines in

    WebhookTransfer::Parsed m_parsed;
    QList<Webhook> m_stored;
    QList<WebhookTransfer::Step> m_steps;
    QLabel *m_summary;
    QTableWidget *m_table;
    QCheckBox *m_keepIds;
    QPushButton *m_import = nullptr;
};

} // namespace Hooktrail
