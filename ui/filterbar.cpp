// The History page's filter bar: webhook, outcome, reason, method, status, time range, delivery
// and search, read as one RequestFilter.
#include "ui/filterbar.h"

#include "core/endpoint/answer.h"
#include "core/endpoint/reasontext.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTimer>

namespace Hooktrail {

namespace {

constexpr qint64 HourMicros = qint64(3600) * 1000000;

qint64 microsOf(const QDateTime &time)
{
    return time.toMSecsSinceEpoch() * 1000;
}

} // namespace

FilterBar::FilterBar(QWidget *parent) : QWidget(parent), m_searchTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("filterBar"));
    QWidget *bar = this;
    const auto combo = [bar](const QString &objectName, const QString &accessibleName) {
        auto *box = new QComboBox(bar);
        box->setObjectName(objectName);
        box->setAccessibleName(accessibleName);
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        return box;
    };
    m_webhook = combo(QStringLiteral("webhookFilter"), tr("Webhook"));
    m_webhook->addItem(tr("All webhooks"), QString());

    m_outcome = combo(QStringLiteral("outcomeFilter"), tr("Outcome"));
    m_outcome->addItem(tr("Any outcome"), int(RequestFilter::Outcome::Any));
    m_outcome->addItem(tr("Accepted"), int(RequestFilter::Outcome::Accepted));
    m_outcome->addItem(tr("Rejected"), int(RequestFilter::Outcome::Rejected));

    m_reason = combo(QStringLiteral("reasonFilter"), tr("Reason"));
    m_reason->setToolTip(tr("Why the receiver accepted or refused the request"));
    m_reason->addItem(tr("Any reason"), QByteArray());
    for (const char *code : Endpoint::LoggedReasons)
        m_reason->addItem(Endpoint::reasonWithCode(code), QByteArray(code));
    // The box as wide as a short reason; its list opens as wide as the longest, code included.
    m_reason->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_reason->setMinimumContentsLength(16);

    m_method = combo(QStringLiteral("methodFilter"), tr("Method"));
    m_method->addItem(tr("Any method"), QByteArray());
    for (const char *method : { "POST", "PUT", "PATCH", "GET", "DELETE", "HEAD", "OPTIONS" })
        m_method->addItem(QString::fromLatin1(method), QByteArray(method));

    m_status = new QSpinBox(bar);
    m_status->setObjectName(QStringLiteral("statusFilter"));
    m_status->setAccessibleName(tr("Status"));
    m_status->setToolTip(tr("An exact HTTP status, such as 401; the lowest value means any"));
    m_status->setRange(0, 599);
    m_status->setSpecialValueText(tr("Any status"));

    m_range = combo(QStringLiteral("rangeFilter"), tr("Time range"));
    m_range->addItem(tr("All time"), int(TimeRange::All));
    m_range->addItem(tr("Last hour"), int(TimeRange::LastHour));
    m_range->addItem(tr("Last 24 hours"), int(TimeRange::LastDay));
    m_range->addItem(tr("Last 7 days"), int(TimeRange::LastWeek));
    m_range->addItem(tr("Custom range"), int(TimeRange::Custom));

    const auto timeEdit = [bar](const QString &objectName, const QString &accessibleName) {
        auto *edit = new QDateTimeEdit(bar);
        edit->setObjectName(objectName);
        edit->setAccessibleName(accessibleName);
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setTimeSpec(Qt::LocalTime);
        return edit;
    };
    m_since = timeEdit(QStringLiteral("sinceEdit"), tr("From"));
    m_since->setToolTip(tr("Requests received at or after this time"));
    m_until = timeEdit(QStringLiteral("untilEdit"), tr("Until"));
    m_until->setToolTip(tr("Requests received before this time"));

    // A request's deliveries together: the highest of their states (ARCHITECTURE §5.5).
    m_delivery = combo(QStringLiteral("deliveryFilter"), tr("Delivery"));
    m_delivery->setToolTip(tr("How the request's deliveries to its destinations stand"));
    m_delivery->addItem(tr("Any delivery"), -1);
    for (const DeliveryState state : { DeliveryState::Delivered, DeliveryState::Pending,
             DeliveryState::Retrying, DeliveryState::Failed })
        m_delivery->addItem(deliveryStateText(state), int(state));
    m_delivery->addItem(tr("Not delivered anywhere"), int(DeliveryState::None));

    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_search->setAccessibleName(tr("Search headers and bodies"));
    m_search->setPlaceholderText(tr("Search headers and bodies"));
    m_search->setToolTip(tr("Words to find in headers and bodies; every word must occur"));
    m_search->setClearButtonEnabled(true);

    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(SearchDelayMs);
    connect(m_searchTimer, &QTimer::timeout, this, &FilterBar::emitChanged);
    for (QComboBox *box : { m_webhook, m_outcome, m_reason, m_method, m_delivery })
        connect(box, &QComboBox::currentIndexChanged, this, &FilterBar::emitChanged);
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        updateTimeEdits();
        emitChanged();
    });
    // Typed values arrive a character at a time: they wait for a pause, like the search.
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_status, &QSpinBox::valueChanged, m_searchTimer, qOverload<>(&QTimer::start));
    for (QDateTimeEdit *edit : { m_since, m_until })
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, [this] {
            if (TimeRange(m_range->currentData().toInt()) == TimeRange::Custom)
                m_searchTimer->start();
        });

    auto *layout = new QGridLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    const auto labelled = [bar](const QString &text, QWidget *buddy) {
        auto *label = new QLabel(text, bar);
        label->setBuddy(buddy);
        return label;
    };
    layout->addWidget(labelled(tr("&Webhook:"), m_webhook), 0, 0);
    layout->addWidget(m_webhook, 0, 1);
    layout->addWidget(labelled(tr("&Outcome:"), m_outcome), 0, 2);
    layout->addWidget(m_outcome, 0, 3);
    layout->addWidget(labelled(tr("&Reason:"), m_reason), 0, 4);
    layout->addWidget(m_reason, 0, 5);
    layout->addWidget(labelled(tr("&Method:"), m_method), 0, 6);
    layout->addWidget(m_method, 0, 7);
    layout->addWidget(labelled(tr("S&tatus:"), m_status), 0, 8);
    layout->addWidget(m_status, 0, 9);
    layout->addWidget(labelled(tr("T&ime:"), m_range), 1, 0);
    layout->addWidget(m_range, 1, 1);
    layout->addWidget(labelled(tr("&From:"), m_since), 1, 2);
    layout->addWidget(m_since, 1, 3);
    layout->addWidget(labelled(tr("U&ntil:"), m_until), 1, 4);
    layout->addWidget(m_until, 1, 5);
    layout->addWidget(labelled(tr("De&livery:"), m_delivery), 1, 6);
    layout->addWidget(m_delivery, 1, 7);
    layout->addWidget(labelled(tr("&Search:"), m_search), 1, 8);
    layout->addWidget(m_search, 1, 9);
    for (const int column : { 1, 3, 5, 7, 9 })
        layout->setColumnStretch(column, 1);

    setTabOrder(m_webhook, m_outcome);
    setTabOrder(m_outcome, m_reason);
    setTabOrder(m_reason, m_method);
    setTabOrder(m_method, m_status);
    setTabOrder(m_status, m_range);
    setTabOrder(m_range, m_since);
    setTabOrder(m_since, m_until);
    setTabOrder(m_until, m_delivery);
    setTabOrder(m_delivery, m_search);
    updateTimeEdits();
}

void FilterBar::updateTimeEdits()
{
    const auto range = TimeRange(m_range->currentData().toInt());
    const bool custom = range == TimeRange::Custom;
    m_since->setEnabled(custom);
    m_until->setEnabled(custom);
    if (custom)
        return;
    // The presets show what they mean, ready to be adjusted as a custom range.
    const QDateTime now = QDateTime::currentDateTime();
    const QSignalBlocker blockSince(m_since);
    const QSignalBlocker blockUntil(m_until);
    switch (range) {
    case TimeRange::LastHour:
        m_since->setDateTime(now.addSecs(-3600));
        break;
    case TimeRange::LastDay:
        m_since->setDateTime(now.addDays(-1));
        break;
    case TimeRange::LastWeek:
        m_since->setDateTime(now.addDays(-7));
        break;
    default:
        m_since->setDateTime(now.addDays(-1));
        break;
    }
    // A preset ends now: the edit shows minutes, and its end is exclusive, so the next whole
    // minute, which keeps this minute's requests when the preset becomes a custom range.
    QDateTime end = now;
    end.setTime(QTime(now.time().hour(), now.time().minute()));
    m_until->setDateTime(end.addSecs(60));
}

void FilterBar::setTimeRange(TimeRange range)
{
    m_range->setCurrentIndex(m_range->findData(int(range)));
}

void FilterBar::setCustomRange(const QDateTime &since, const QDateTime &until)
{
    const QDateTime from = since.addMSecs(-(since.time().msec()));
    QDateTime to = until.addMSecs(-(until.time().msec()));
    if (to < until)
        to = to.addSecs(1); // the end is exclusive: rounded up, it keeps the last request
    const bool wholeMinutes = from.time().second() == 0 && to.time().second() == 0;
    const QString format
        = wholeMinutes ? QStringLiteral("yyyy-MM-dd HH:mm") : QStringLiteral("yyyy-MM-dd HH:mm:ss");
    {
        const QSignalBlocker blockSince(m_since);
        const QSignalBlocker blockUntil(m_until);
        const QSignalBlocker blockRange(m_range);
        for (QDateTimeEdit *edit : { m_since, m_until })
            edit->setDisplayFormat(format);
        m_since->setDateTime(from);
        m_until->setDateTime(to);
        m_range->setCurrentIndex(m_range->findData(int(TimeRange::Custom)));
    }
    updateTimeEdits();
    m_searchTimer->stop();
    emitChanged();
}

RequestFilter FilterBar::filter() const
{
    RequestFilter filter;
    filter.webhookId = m_webhook->currentData().toString();
    filter.outcome = RequestFilter::Outcome(m_outcome->currentData().toInt());
    filter.reason = m_reason->currentData().toByteArray();
    filter.method = m_method->currentData().toByteArray();
    filter.status = m_status->value();
    filter.search = m_search->text().trimmed();
    if (const int delivery = m_delivery->currentData().toInt(); delivery >= 0)
        filter.delivery = DeliveryState(delivery);
    const qint64 now = currentMicros();
    switch (TimeRange(m_range->currentData().toInt())) {
    case TimeRange::All:
        break;
    case TimeRange::LastHour:
        filter.sinceMicros = now - HourMicros;
        break;
    case TimeRange::LastDay:
        filter.sinceMicros = now - 24 * HourMicros;
        break;
    case TimeRange::LastWeek:
        filter.sinceMicros = now - 7 * 24 * HourMicros;
        break;
    case TimeRange::Custom:
        filter.sinceMicros = microsOf(m_since->dateTime());
        filter.untilMicros = microsOf(m_until->dateTime());
        break;
    }
    return filter;
}

bool FilterBar::setWebhooks(const QList<Webhook> &webhooks)
{
    // Refilled without a filter change: the selected webhook stays selected.
    const QString selected = m_webhook->currentData().toString();
    const QSignalBlocker blocker(m_webhook);
    while (m_webhook->count() > 1)
        m_webhook->removeItem(1);
    for (const Webhook &webhook : webhooks) {
        if (webhook.enabled) {
            m_webhook->addItem(webhook.name, webhook.id);
            continue;
        }
        // Still listed, since its history stays; it reads disabled in words and in colour.
        m_webhook->addItem(tr("%1 (disabled)").arg(webhook.name), webhook.id);
        m_webhook->setItemData(m_webhook->count() - 1,
            m_webhook->palette().brush(QPalette::Disabled, QPalette::Text), Qt::ForegroundRole);
    }
    const int index = m_webhook->findData(selected);
    m_webhook->setCurrentIndex(std::max(0, index));
    return index >= 0 || selected.isEmpty();
}

void FilterBar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

QWidget *FilterBar::lastControl() const
{
    return m_search;
}

void FilterBar::cancelPending()
{
    m_searchTimer->stop();
}

void FilterBar::emitChanged()
{
    emit filterChanged(filter());
}

} // namespace Hooktrail
