#include "ui/headertableeditor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Hooktrail {

HeaderTableEditor::HeaderTableEditor(QWidget *parent)
    : QWidget(parent), m_table(new QTableWidget(0, 2, this))
{
    m_table->setObjectName(QStringLiteral("headersTable"));
    m_table->setAccessibleName(tr("Request headers"));
    m_table->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setTabKeyNavigation(false);

    auto *add = new QPushButton(tr("&Add header"), this);
    add->setObjectName(QStringLiteral("addHeaderButton"));
    add->setAccessibleName(tr("Add header"));
    add->setAutoDefault(false);
    connect(add, &QPushButton::clicked, this, [this] {
        addHeader(QString(), QString());
        m_table->setFocus();
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    auto *remove = new QPushButton(tr("&Remove header"), this);
    remove->setObjectName(QStringLiteral("removeHeaderButton"));
    remove->setAccessibleName(tr("Remove the selected header"));
    remove->setAutoDefault(false);
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0)
            m_table->removeRow(m_table->currentRow());
    });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);
}

void HeaderTableEditor::addHeader(const QString &name, const QString &value)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(name));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
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
