// A webhook's destinations, in the webhook form and on the Webhooks page (ARCHITECTURE §5.5):
// each with its state and health, and Add, Edit, Pause or Resume, Remove and Send a test
// delivery. Changes apply at once, through the store executor.
#pragma once

#include "core/base/result.h"
#include "core/model/destination.h"
#include "ui/consolecontext.h"

#include <QElapsedTimer>
#include <QGroupBox>
#include <functional>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace Hooktrail {

class HttpClient;
class Store;

class DestinationSection final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DestinationSection)
public:
    enum class Mode { Editable, HealthOnly };
    DestinationSection(const ConsoleContext &context, Mode mode, QWidget *parent = nullptr);
    ~DestinationSection() override;

    // Shows this webhook's destinations (none for an empty id: a webhook not saved yet).
    void setWebhook(const QString &webhookId);
    void reload();
    QList<Destination> destinations() const { return m_destinations; }

    // What a person reads of a destination's health: "Delivering · last success 12:04",
    // "Paused", "Paused by itself after 10 failures in a row · probing".
    static QString healthText(const Destination &destination);

signals:
    void loaded(); // after each reload, for tests

private:
    Destination *selected();
    void updateButtons();
    void add();
    void edit();
    void togglePause();
    void remove();
    void sendTest();
    void write(std::function<Status(Store &)> work, const QString &failure);

    ConsoleContext m_context;
    Mode m_mode;
    QString m_webhookId;
    QList<Destination> m_destinations;
    QTreeWidget *m_list;
    QLabel *m_empty;
    QPushButton *m_add = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_status;
    HttpClient *m_client = nullptr;
    QElapsedTimer m_testTimer;
};

} // namespace Hooktrail
