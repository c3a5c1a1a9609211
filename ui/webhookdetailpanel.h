// The side panel of the Connections page: the selected webhook at a glance, its endpoint
// (without key) ready to copy, its methods and every rule a request must meet.
#pragma once

#include "core/model/webhook.h"
#include "ui/consolecontext.h"

#include <QWidget>
#include <optional>

class QAction;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace Hooktrail {

class DestinationSection;

class WebhookDetailPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookDetailPanel)
public:
    explicit WebhookDetailPanel(const ConsoleContext &context, QWidget *parent = nullptr);

    // nullopt: the empty state. The same webhook again changes nothing (the list refreshes its
    // activity every few seconds; a selection in the endpoint field survives that).
    void showWebhook(const std::optional<Webhook> &webhook);
    std::optional<Webhook> webhook() const { return m_webhook; }
    QString endpoint() const; // without key; empty in the empty state
    QSize sizeHint() const override;

signals:
    void copyWithKeyRequested(); // the endpoint modal, for the selected webhook

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildEmptyPage();
    QWidget *buildDetailPage();
    QLabel *addValueRow(QFormLayout *form, const QString &label, const QString &objectName);
    void fill();
    void copyEndpoint();
    void readKeys();
    void showKeyRule();
    // The rules in words, one per line where there are several.
    static QString methodsText(const Webhook &webhook);
    static QString contentTypeText(const Webhook &webhook);
    static QString headersText(const Webhook &webhook);
    static QString addressesText(const Webhook &webhook);

    ConsoleContext m_context;
    std::optional<Webhook> m_webhook;
    QStackedWidget *m_pages;
    QLabel *m_name = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_id = nullptr;
    QLineEdit *m_endpointEdit = nullptr;
    QPushButton *m_copy = nullptr;
    QAction *m_copyAction = nullptr;
    QPushButton *m_copyWithKey = nullptr;
    QLabel *m_description = nullptr;
    QLabel *m_methods = nullptr;
    QLabel *m_contentType = nullptr;
    QLabel *m_headers = nullptr;
    QLabel *m_addresses = nullptr;
    QLabel *m_keys = nullptr;
    DestinationSection *m_destinations = nullptr;
    int m_activeKeys = -1; // not revoked; -1 until read, or when they cannot be
};

} // namespace Hooktrail
