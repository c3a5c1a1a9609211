// An editable table of headers with Add and Remove buttons (see headertableeditor.h).
#include "ui/headertableeditor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace Hooktrail {

HeaderTableEditor::HeaderTableEditor(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 2, this))
    , m_add(new QPushButton(tr("&Add header"), this))
    , m_remove(new QPushButton(tr("&Remove header"), this))
{
    m_table->setObjectName(QStringLiteral("headersTable"));
    m_table->setAccessibleName(tr("Request headers"));
    m_table->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false);
    connect(m_table, &QTableWidget::itemChanged, this, &HeaderTableEditor::edited);

    m_add->setObjectName(QStringLiteral("addHeaderButton"));
    m_add->setAccessibleName(tr("Add header"));
    m_add->setAutoDefault(false);
    connect(m_add, &QPushButton::clicked, this, &HeaderTableEditor::startNewHeader);
    m_remove->setObjectName(QStringLiteral("removeHeaderButton"));
    m_remove->setAccessibleName(tr("Remove the selected headers"));
    m_remove->setAutoDefault(false);
    m_remove->setEnabled(false);
    connect(m_remove, &QPushButton::clicked, this, &HeaderTableEditor::removeSelectedRows);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
        [this] { m_remove->setEnabled(!m_table->selectedItems().isEmpty()); });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);
}

void HeaderTableEditor::addHeader(const QString &name, const QString &value)
{
    const QSignalBlocker block(m_table);
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(name));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
}

// The cell is made current before the table takes the focus: focusing a table with no current
// cell makes the first row current, and the editor would open on a row the user does not see
// selected. The editor is opened last, so it is what has the focus.
void HeaderTableEditor::startNewHeader()
{
    addHeader(QString(), QString());
    const int row = m_table->rowCount() - 1;
    m_table->setCurrentCell(row, 0);
    m_table->scrollToItem(m_table->item(row, 0));
    m_table->setFocus(Qt::OtherFocusReason);
    m_table->editItem(m_table->item(row, 0));
}

void HeaderTableEditor::removeSelectedRows()
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : rows)
        m_table->removeRow(row);
    if (!rows.isEmpty())
        emit edited();
}

QList<QPair<QString, QString>> HeaderTableEditor::headers() const
{
    QList<QPair<QString, QString>> headers;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *name = m_table->item(row, 0);
        const QTableWidgetItem *value = m_table->item(row, 1);
        const QString nameText = name ? name->text().trimmed() : QString();
        if (!nameText.isEmpty())
            headers.append({ nameText, value ? value->text() : QString() });
    }
    return headers;
}

} // namespace Hooktrail
