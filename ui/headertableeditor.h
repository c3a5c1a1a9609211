// An editable table of request headers with Add and Remove buttons, as the dialogs that send a
// request (Send test request, Replay…) show it. Rows whose name is empty are not headers.
#pragma once

#include <QList>
#include <QPair>
#include <QWidget>

class QNetworkRequest;
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
    // Sets the headers on the request, a repeated name's values joined as HTTP allows (the
    // client keeps one value per name). Returns the first name that is not an HTTP token, or
    // an empty string when all are valid; the request is not to be sent then.
    QString applyTo(QNetworkRequest *request) const;
    // The table itself: for a label's buddy, a tool tip, or editing values in place.
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace Hooktrail
