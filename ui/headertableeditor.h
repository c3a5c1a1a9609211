// An editable table of request headers with Add and Remove buttons, as the dialogs that send a
// request (Send test request, Replay…) show it. Rows whose name is empty are not headers.
#pragma once

#include <QList>
#include <QPair>
#include <QWidget>

class QTableWidget;

namespace Hooktrail {

class HeaderTableEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeaderTableEditor)
public:
    explicit HeaderTableEditor(QWidget *parent = nullptr);

    void addHeader(const QString &name, const QString &value);
    // Name (trimmed) and value of every row with a name, top to bottom.
    QList<QPair<QString, QString>> headers() const;
    // The table itself: for a label's buddy, a tool tip, or editing values in place.
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace Hooktrail
