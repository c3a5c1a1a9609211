// The History page's filter bar: webhook, outcome, reason, method, status, time range, delivery
// and search, read as one RequestFilter.
#pragma once

#include "core/model/loggedrequest.h"
#include "core/model/requestfilter.h"
#include "core/model/webhook.h"

#include <QWidget>

class QComboBox;
class QDateTime;
class QDateTimeEdit;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace Hooktrail {

class FilterBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilterBar)
public:
    enum class TimeRange { All, LastHour, LastDay, LastWeek, Custom };
    static constexpr int SearchDelayMs = 300;

    explicit FilterBar(QWidget *parent = nullptr);

    // The filter the bar shows, its time range taken from now.
    RequestFilter filter() const;
    void setTimeRange(TimeRange range);
    // A custom range [since, until), to the second (the chart's selection); the edits show
    // seconds when the range needs them.
    void setCustomRange(const QDateTime &since, const QDateTime &until);
    // Refills the webhook choice, keeping the one selected; false when that one is gone (the
    // bar then shows every webhook).
    bool setWebhooks(const QList<Webhook> &webhooks);
    void focusSearch();
    QWidget *lastControl() const; // for the tab order after the bar
    // Drops a change waiting for a pause: it is being applied now.
    void cancelPending();

signals:
    // Edits apply by themselves; typed ones (search, status, custom times) after a short pause.
    void filterChanged(const RequestFilter &filter);

private:
    void updateTimeEdits();
    void emitChanged();

    QComboBox *m_webhook = nullptr;
    QComboBox *m_outcome = nullptr;
    QComboBox *m_reason = nullptr;
    QComboBox *m_method = nullptr;
    QSpinBox *m_status = nullptr;
    QComboBox *m_range = nullptr;
    QDateTimeEdit *m_since = nullptr;
    QDateTimeEdit *m_until = nullptr;
    QComboBox *m_delivery = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchTimer;
};

} // namespace Hooktrail
