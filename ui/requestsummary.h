// The line atop the history's detail pane: the request at a glance — method, status, why, when
// and how big — before any tab is read.
#pragma once

#include "core/model/loggedrequest.h"

#include <QWidget>

class QLabel;

namespace Hooktrail {

class RequestSummary final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestSummary)
public:
    // Past this many characters a method is cut: a sender chooses it.
    static constexpr int MethodLength = 16;

    explicit RequestSummary(QWidget *parent = nullptr);

    void setRequest(const LoggedRequest &request);

    QString method() const;
    QString status() const; // "401 Unauthorized"
    QString reason() const;
    QString time() const;
    QString size() const;
    QString text() const; // every part, as one line

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyColours();
    void elideReason();

    QLabel *m_method;
    QLabel *m_status;
    QLabel *m_reason;
    QLabel *m_time;
    QLabel *m_size;
    QByteArray m_methodCode; // as received: its colour
    QString m_reasonText; // whole; the label may show it cut
    bool m_accepted = false;
    bool m_updatingStyle = false;
};

} // namespace Hooktrail
