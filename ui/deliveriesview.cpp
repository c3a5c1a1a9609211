// The detail pane's Deliveries tab (see the header).
#include "ui/deliveriesview.h"

#include "ui/requestdetailview.h"
#include "ui/tones.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace Hooktrail {

namespace {

constexpr int DeliveryIdRole = Qt::UserRole; // qint64, on every row
constexpr int AttemptRole = Qt::UserRole + 1; // int: the attempt's number, 0 on a delivery's row

QString timeText(qint64 micros)
{
    if (micros <= 0)
        return {};
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(micros / 1000).toLocalTime(),
        QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

// Text the destination chose, shown as text only where it is text.
bool looksBinary(QByteArrayView bytes)
{
    return std::any_of(bytes.begin(), bytes.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 && u != '\t' && u != '\n' && u != '\r';
    });
}

} // namespace

DeliveriesView::DeliveriesView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_redeliver(new QPushButton(tr("Deliver a&gain"), this))
    , m_tree(new QTreeWidget(this))
    , m_answer(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("deliveriesView"));
    m_summary->setObjectName(QStringLiteral("deliveriesSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_redeliver->setObjectName(QStringLiteral("redeliverRequestButton"));
    m_redeliver->setToolTip(
        tr("Deliver this request again to every destination of its webhook, now"));
    connect(m_redeliver, &QPushButton::clicked, this, [this] {
        if (m_requestId > 0)
            emit redeliverRequested(m_requestId);
    });

    m_tree->setObjectName(QStringLiteral("deliveriesTree"));
    m_tree->setAccessibleName(tr("Deliveries and their attempts"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({ tr("Destination"), tr("Result"), tr("Time"), tr("Duration") });
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(DestinationColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(ResultColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(TimeColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(DurationColumn, QHeaderView::ResizeToContents);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *current) {
        m_followLatest = current == latestItem(); // the user's choice, when another row
        showSelected();
    });

    m_answer->setObjectName(QStringLiteral("deliveryAnswer"));
    m_answer->setAccessibleName(tr("The destination's answer"));
    m_answer->setReadOnly(true);
    m_answer->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_answer->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_answer->setPlaceholderText(tr("Select an attempt to see the destination's answer."));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(m_tree);
    split->addWidget(m_answer);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_redeliver);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    setRequest(0, false);
}

void DeliveriesView::setRequest(qint64 requestId, bool accepted)
{
    m_requestId = requestId;
    m_accepted = accepted;
    m_followLatest = true;
    m_deliveries.clear();
    m_tree->clear();
    m_answer->clear();
    m_summary->setText(requestId > 0 ? tr("Reading deliveries…") : QString());
    m_redeliver->setEnabled(false);
}

void DeliveriesView::setError(const QString &error)
{
    m_summary->setText(tr("The deliveries could not be read: %1").arg(error));
}

QTreeWidgetItem *DeliveriesView::itemFor(const Delivery &delivery)
{
    auto *item = new QTreeWidgetItem;
    item->setData(0, DeliveryIdRole, delivery.id);
    item->setData(0, AttemptRole, 0);
    item->setText(DestinationColumn,
        delivery.destinationName.isEmpty() ? delivery.destinationId : delivery.destinationName);
    item->setToolTip(DestinationColumn, delivery.destinationId);
    QString result = deliveryStateText(delivery.state);
    if (delivery.nextAttemptMicros > 0 && delivery.state == DeliveryState::Retrying)
        result = tr("%1, next at %2").arg(result, timeText(delivery.nextAttemptMicros));
    item->setText(ResultColumn, result);
    if (const auto tone = Tones::ofDelivery(delivery.state)) {
        const QPalette palette = m_tree->palette();
        item->setForeground(ResultColumn, Tones::colour(*tone, palette));
        item->setIcon(ResultColumn, Tones::dot(*tone, palette));
    }
    item->setText(TimeColumn,
        timeText(delivery.finishedMicros > 0 ? delivery.finishedMicros : delivery.createdMicros));
    item->setText(DurationColumn, tr("%n attempt(s)", nullptr, delivery.attempts));
    for (const DeliveryAttempt &attempt : delivery.attemptList) {
        auto *child = new QTreeWidgetItem(item);
        child->setData(0, DeliveryIdRole, delivery.id);
        child->setData(0, AttemptRole, attempt.number);
        child->setText(DestinationColumn, tr("Attempt %1").arg(attempt.number));
        child->setText(ResultColumn, attemptResult(attempt));
        child->setToolTip(ResultColumn, attempt.error);
        child->setText(TimeColumn, timeText(attempt.startedMicros));
        child->setText(DurationColumn, RequestDetailView::formatMicros(attempt.durationMicros));
        const bool good = attempt.error.isEmpty() && attempt.status >= 200 && attempt.status < 300;
        child->setForeground(ResultColumn,
            Tones::colour(good ? Tones::Tone::Good : Tones::Tone::Bad, m_tree->palette()));
    }
    return item;
}

void DeliveriesView::setDeliveries(const QList<Delivery> &deliveries)
{
    // What was selected stays selected, so a tab open while attempts arrive keeps its place.
    qint64 selectedDelivery = 0;
    int selectedAttempt = -1;
    if (const QTreeWidgetItem *current = m_tree->currentItem()) {
        selectedDelivery = current->data(0, DeliveryIdRole).toLongLong();
        selectedAttempt = current->data(0, AttemptRole).toInt();
    }
    m_deliveries = deliveries;
    const QSignalBlocker blocker(m_tree);
    m_tree->clear();
    QTreeWidgetItem *select = nullptr;
    for (const Delivery &delivery : deliveries) {
        QTreeWidgetItem *item = itemFor(delivery);
        m_tree->addTopLevelItem(item);
        item->setExpanded(true);
        if (delivery.id == selectedDelivery) {
            select = item;
            for (int i = 0; i < item->childCount(); ++i) {
                if (item->child(i)->data(0, AttemptRole).toInt() == selectedAttempt)
                    select = item->child(i);
            }
        }
    }
    // First shown: the first destination's latest attempt, the answer people look for.
    if (!select || m_followLatest)
        select = latestItem();
    m_tree->setCurrentItem(select);
    showSelected();

    qsizetype delivered = 0;
    qsizetype failed = 0;
    for (const Delivery &delivery : deliveries) {
        delivered += delivery.state == DeliveryState::Delivered;
        failed += delivery.state == DeliveryState::Failed;
    }
    const int total = int(deliveries.size());
    if (!m_accepted)
        m_summary->setText(tr("Rejected requests are not delivered."));
    else if (total == 0)
        m_summary->setText(tr("Not delivered: its webhook had no destination when it arrived. "
                              "“Deliver again” sends it to the destinations it has now."));
    else
        m_summary->setText(
            tr("%n destination(s): %1 delivered, %2 failed, %3 on their way.", nullptr, total)
                .arg(delivered)
                .arg(failed)
                .arg(total - delivered - failed));
    m_redeliver->setEnabled(m_accepted && m_requestId > 0);
}

QTreeWidgetItem *DeliveriesView::latestItem() const
{
    if (m_tree->topLevelItemCount() == 0)
        return nullptr;
    QTreeWidgetItem *first = m_tree->topLevelItem(0);
    return first->childCount() > 0 ? first->child(first->childCount() - 1) : first;
}

void DeliveriesView::showSelected()
{
    const QTreeWidgetItem *current = m_tree->currentItem();
    if (!current) {
        m_answer->clear();
        return;
    }
    const qint64 deliveryId = current->data(0, DeliveryIdRole).toLongLong();
    int number = current->data(0, AttemptRole).toInt();
    const auto delivery = std::find_if(m_deliveries.cbegin(), m_deliveries.cend(),
        [deliveryId](const Delivery &d) { return d.id == deliveryId; });
    if (delivery == m_deliveries.cend())
        return;
    if (number == 0 && !delivery->attemptList.isEmpty())
        number = delivery->attemptList.constLast().number; // a delivery shows its last answer
    for (const DeliveryAttempt &attempt : delivery->attemptList) {
        if (attempt.number == number) {
            m_answer->setPlainText(answerText(attempt));
            return;
        }
    }
    m_answer->setPlainText(tr("No attempt yet."));
}

QString DeliveriesView::attemptResult(const DeliveryAttempt &attempt)
{
    if (!attempt.error.isEmpty())
        return attempt.status > 0 ? tr("%1: %2").arg(attempt.status).arg(attempt.error)
                                  : attempt.error;
    return tr("HTTP %1").arg(attempt.status);
}

QString DeliveriesView::answerText(const DeliveryAttempt &attempt)
{
    if (attempt.status == 0)
        return tr("No answer: %1").arg(attempt.error);
    QString text = tr("HTTP %1").arg(attempt.status) + QLatin1Char('\n');
    for (const auto &[name, value] : attempt.responseHeaders)
        text += receivedText(name) + QStringLiteral(": ") + receivedText(value) + QLatin1Char('\n');
    text += QLatin1Char('\n');
    if (looksBinary(attempt.responseBody))
        text += tr("[%n bytes of binary content]", nullptr, int(attempt.responseBody.size()));
    else
        text += receivedText(attempt.responseBody);
    if (attempt.responseCut)
        text += QLatin1Char('\n')
            + tr("[Only the first %1 of the answer are kept.]")
                  .arg(QLocale().formattedDataSize(DeliveryAttempt::KeptAnswerBytes));
    if (!attempt.error.isEmpty())
        text += QLatin1Char('\n') + attempt.error;
    return text;
}

QString DeliveriesView::text() const
{
    QStringList lines { m_summary->text() };
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_tree->topLevelItem(i);
        const auto line = [](const QTreeWidgetItem *row, const QString &indent) {
            QStringList cells;
            for (int column = 0; column < ColumnCount; ++column)
                cells << row->text(column);
            return indent + cells.join(QStringLiteral("  "));
        };
        lines << line(item, QString());
        for (int j = 0; j < item->childCount(); ++j)
            lines << line(item->child(j), QStringLiteral("  "));
    }
    if (!m_answer->toPlainText().isEmpty())
        lines << QString() << m_answer->toPlainText();
    return lines.join(QLatin1Char('\n'));
}

} // namespace Hooktrail
