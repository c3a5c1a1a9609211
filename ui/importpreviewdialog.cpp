// What an import of webhook settings will do, shown before anything is written: one line per
// webhook in the file (added, renamed or skipped and why) and the choice to keep their ids.
#include "ui/importpreviewdialog.h"

#include "ui/tones.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Hooktrail {

using WebhookTransfer::Step;

ImportPreviewDialog::ImportPreviewDialog(
    const QString &path, WebhookTransfer::Parsed parsed, QList<Webhook> stored, QWidget *parent)
    : QDialog(parent)
    , m_parsed(std::move(parsed))
    , m_stored(std::move(stored))
    , m_summary(new QLabel(this))
    , m_table(new QTableWidget(this))
    , m_keepIds(new QCheckBox(tr("&Keep ids (endpoints stay the same)"), this))
{
    setWindowTitle(tr("Import webhooks"));
    auto *intro = new QLabel(
        tr("From %1. Nothing is added until you click Import.").arg(QDir::toNativeSeparators(path)),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);

    // On when the file has ids: it was exported with them so that its webhooks can come back
    // where senders already post; a copy under new ids is the choice to make on purpose.
    m_keepIds->setObjectName(QStringLiteral("keepIdsCheckBox"));
    m_keepIds->setChecked(m_parsed.hasIds());
    m_keepIds->setEnabled(m_parsed.hasIds());
    m_keepIds->setToolTip(m_parsed.hasIds()
            ? tr("Each webhook keeps the id it has in the file, so its endpoint URL is the one "
                 "senders already use. A webhook whose id is here already is skipped.")
            : tr("The file has no ids (it was exported by an earlier Hooktrail): each webhook "
                 "gets a new id and a new endpoint URL."));
    connect(m_keepIds, &QCheckBox::toggled, this, &ImportPreviewDialog::refresh);

    m_summary->setObjectName(QStringLiteral("importSummaryLabel"));
    m_summary->setWordWrap(true);
    buildTable();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_import->setObjectName(QStringLiteral("importButton"));
    m_import->setDefault(true);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_keepIds);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    resize(720, 420);
    refresh();
}

ImportPreviewDialog::~ImportPreviewDialog() = default;

bool ImportPreviewDialog::keepIds() const
{
    return m_keepIds->isChecked();
}

void ImportPreviewDialog::buildTable()
{
    m_table->setObjectName(QStringLiteral("importPreviewTable"));
    m_table->setAccessibleName(tr("Webhooks in the file"));
    m_table->setColumnCount(ColumnCount);
    m_table->setHorizontalHeaderLabels({ tr("Webhook"), tr("Methods"), tr("What happens") });
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(MethodsColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(OutcomeColumn, QHeaderView::Stretch);
}

QString ImportPreviewDialog::outcomeText(const Step &step)
{
    if (step.action == Step::Action::Skip)
        return tr("Skipped: %1").arg(step.reason);
    if (step.renamed)
        return step.keepsId
            ? tr("Added as “%1” (the name is in use), same endpoint").arg(step.webhook.name)
            : tr("Added as “%1” (the name is in use), new endpoint").arg(step.webhook.name);
    return step.keepsId ? tr("Added, same endpoint") : tr("Added, new endpoint");
}

void ImportPreviewDialog::refresh()
{
    m_steps = WebhookTransfer::plan(m_parsed, m_stored, keepIds());
    m_table->setRowCount(int(m_steps.size()));
    int added = 0;
    int renamed = 0;
    for (int row = 0; row < m_steps.size(); ++row) {
        const Step &step = m_steps.at(row);
        const QString name = step.entry.name.isEmpty()
            ? tr("(webhook %1 of the file, unnamed)").arg(step.entry.position)
            : step.entry.name;
        const QString outcome = outcomeText(step);
        auto *nameItem = new QTableWidgetItem(name);
        nameItem->setToolTip(step.entry.id.isEmpty() ? tr("No id in the file")
                                                     : tr("Id in the file: %1").arg(step.entry.id));
        auto *outcomeItem = new QTableWidgetItem(outcome);
        outcomeItem->setToolTip(outcome); // a long reason does not fit the column
        // Green for what is added; an invalid entry reads as a problem, one already here as
        // nothing wrong.
        const Tones::Tone tone = step.action == Step::Action::Add ? Tones::Tone::Good
            : step.entry.problems.isEmpty()                       ? Tones::Tone::Quiet
                                                                  : Tones::Tone::Bad;
        outcomeItem->setIcon(Tones::dot(tone, palette()));
        m_table->setItem(row, NameColumn, nameItem);
        m_table->setItem(row, MethodsColumn,
            new QTableWidgetItem(step.entry.methods.join(QStringLiteral(", "))));
        m_table->setItem(row, OutcomeColumn, outcomeItem);
        if (step.action == Step::Action::Add)
            ++added;
        if (step.renamed)
            ++renamed;
    }
    const int skipped = int(m_steps.size()) - added;
    m_summary->setText(tr("Webhooks in the file: %1. To add: %2 (renamed: %3). Skipped: %4.")
                           .arg(m_steps.size())
                           .arg(added)
                           .arg(renamed)
                           .arg(skipped));
    m_import->setEnabled(added > 0);
    m_import->setToolTip(added > 0 ? QString() : tr("Nothing in the file can be added."));
}

} // namespace Hooktrail
