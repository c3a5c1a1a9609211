// The detail pane's Deliveries tab: a request's delivery to each destination of its webhook,
// every attempt under it, and the answer the destination gave (ARCHITECTURE §5.5).
#pragma once

#include "core/model/destination.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace Hooktrail {

class DeliveriesView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveriesView)
public:
    enum Column { DestinationColumn, ResultColumn, TimeColumn, DurationColumn, ColumnCount };

    explicit DeliveriesView(QWidget *parent = nullptr);

    // The request whose deliveries come next; shows that they are being read.
    void setRequest(qint64 requestId, bool accepted);
    // Its deliveries, in the order written, with their attempts. Shown again as the deliverer
    // moves on, the first destination's latest attempt stays selected, or the row the user chose.
    void setDeliveries(const QList<Delivery> &deliveries);
    void setError(const QString &error);

    qint64 requestId() const { return m_requestId; }
    int count() const { return int(m_deliveries.size()); }
    const QList<Delivery> &deliveries() const { return m_deliveries; }
    // Every delivery and attempt as lines of text, then the answer shown: the tab copied.
    QString text() const;

    QTreeWidget *tree() const { return m_tree; }
    QPlainTextEdit *answer() const { return m_answer; }
    QPushButton *redeliverButton() const { return m_redeliver; }

    // "200", "503 after 1.2 s", "Timed out after 10 s": how one attempt ended.
    static QString attemptResult(const DeliveryAttempt &attempt);
    // The destination's answer as text: status, headers, then the body kept (its first 64 KiB),
    // or the error when no answer came.
    static QString answerText(const DeliveryAttempt &attempt);

signals:
    // "Deliver again": the request to every destination of its webhook.
    void redeliverRequested(qint64 requestId);

private:
    void showSelected();
    QTreeWidgetItem *itemFor(const Delivery &delivery);
    QTreeWidgetItem *latestItem() const; // the first destination's latest attempt

    QLabel *m_summary;
    QPushButton *m_redeliver;
    QTreeWidget *m_tree;
    QPlainTextEdit *m_answer;
    QList<Delivery> m_deliveries;
    qint64 m_requestId = 0;
    bool m_accepted = false;
    // Until the user picks another, the latest attempt stays selected as new ones arrive.
    bool m_followLatest = true;
};

} // namespace Hooktrail
