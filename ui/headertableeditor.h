// An editable table of headers with Add and Remove buttons: the request headers of the dialogs
// that send a request (Send test request, Replay…) and the required headers of the webhook
// form. Rows whose name is empty are not headers.
#pragma once

#include <QList>
#include <QPair>
#include <QWidget>

class QPushButton;
class QTableWidget;

namespace Hooktrail {

class HeaderTableEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeaderTableEditor)
public:
    explicit HeaderTableEditor(QWidget *parent = nullptr);

    // A row as given, without an edited() signal.
    void addHeader(const QString &name, const QString &value);
    // What Add header does: an empty row at the end, its name cell current and open for typing.
    void startNewHeader();
    // Name (trimmed) and value of every row with a name, top to bottom.
    QList<QPair<QString, QString>> headers() const;
    // The table itself: for a label's buddy, a tool tip, or reading and editing cells in place.
    QTableWidget *table() const { return m_table; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }

signals:
    // A cell changed or a row was removed by the user.
    void edited();

private:
    void removeSelectedRows();

    QTableWidget *m_table;
    QPushButton *m_add;
    QPushButton *m_remove;
};

} // namespace Hooktrail
