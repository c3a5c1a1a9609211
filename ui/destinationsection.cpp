// A webhook's destinations, in the webhook form and on the Webhooks page (ARCHITECTURE §5.5).
#include "ui/destinationsection.h"

#include "core/delivery/deliverer.h"
#include "core/delivery/forwarding.h"
#include "core/http/httpclient.h"
#include "core/receiver/engine.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/confirmation.h"
#include "ui/destinationdialog.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Hooktrail {

DestinationSection::DestinationSection(const ConsoleContext &context, Mode mode, QWidget *parent)
    : QGroupBox(tr("Destinations"), parent), m_context(context), m_mode(mode)
{
    setObjectName(QStringLiteral("destinationSection"));
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("destinationList"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({ tr("Name"), tr("URL"), tr("State") });
    m_list->header()->setStretchLastSection(true);
    m_list->setAccessibleName(tr("Destinations"));
    m_list->setMaximumHeight(m_list->fontMetrics().lineSpacing() * 7);
    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("destinationEmpty"));
    m_empty->setWordWrap(true);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("destinationStatus"));
    m_status->setTextFormat(Qt::PlainText); // a destination's reason phrase is not markup
    m_status->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
    layout->addWidget(m_list);
    if (m_mode == Mode::Editable) {
        auto *buttons = new QHBoxLayout;
        const auto button = [&](const QString &text, const QString &name, auto slot) {
            auto *b = new QPushButton(text, this);
            b->setObjectName(name);
            b->setAutoDefault(false);
            connect(b, &QPushButton::clicked, this, slot);
            buttons->addWidget(b);
            return b;
        };
        m_add = button(
            tr("Add &destination…"), QStringLiteral("addDestination"), &DestinationSection::add);
        m_edit = button(tr("Edit…"), QStringLiteral("editDestination"), &DestinationSection::edit);
        m_pause = button(
            tr("Pause"), QStringLiteral("pauseDestination"), &DestinationSection::togglePause);
        m_remove = button(
            tr("Remove…"), QStringLiteral("removeDestination"), &DestinationSection::remove);
        m_test = button(tr("Send a &test delivery"), QStringLiteral("testDestination"),
            &DestinationSection::sendTest);
        buttons->addStretch();
        layout->addLayout(buttons);
        connect(
            m_list, &QTreeWidget::itemSelectionChanged, this, &DestinationSection::updateButtons);
        connect(m_list, &QTreeWidget::itemDoubleClicked, this, &DestinationSection::edit);
    }
    layout->addWidget(m_status);
    if (m_context.engine && m_context.engine->deliverer())
        connect(m_context.engine->deliverer(), &Deliverer::destinationHealthChanged, this,
            [this](const QString &id) {
                for (const Destination &destination : std::as_const(m_destinations)) {
                    if (destination.id == id) {
                        reload();
                        return;
                    }
                }
            });
    setWebhook({});
}

DestinationSection::~DestinationSection() = default;

QString DestinationSection::healthText(const Destination &destination)
{
    if (!destination.enabled)
        return tr("Paused: deliveries wait until it is resumed");
    if (destination.breakerOpen)
        return tr("Paused by itself after %n failure(s) in a row · probing", nullptr,
            destination.failuresInRow);
    const QLocale locale;
    QString text = tr("Delivering");
    if (destination.lastSuccessMicros)
        text += tr(" · last success %1")
                    .arg(locale.toString(
                        QDateTime::fromMSecsSinceEpoch(destination.lastSuccessMicros / 1000),
                        QLocale::ShortFormat));
    if (destination.failuresInRow > 0)
        text += tr(" · %n failure(s) in a row", nullptr, destination.failuresInRow);
    return text;
}

void DestinationSection::setWebhook(const QString &webhookId)
{
    m_webhookId = webhookId;
    m_status->clear();
    reload();
}

void DestinationSection::reload()
{
    if (m_webhookId.isEmpty() || !m_context.store) {
        m_destinations.clear();
        m_list->clear();
        m_list->hide();
        m_empty->setText(m_mode == Mode::Editable
                ? tr("Save the webhook first; then add where its requests are delivered.")
                : tr("No webhook selected."));
        m_empty->show();
        updateButtons();
        emit loaded();
        return;
    }
    const QString webhookId = m_webhookId;
    m_context.store->read(
        this, [webhookId](Store &store) { return store.deliveries().destinations(webhookId); },
        [this, webhookId](const Result<QList<Destination>> &found) {
            if (webhookId != m_webhookId)
                return;
            if (!found) {
                m_status->setText(tr("The destinations cannot be read: %1").arg(found.error()));
                return;
            }
            const QString current = selected() ? selected()->id : QString();
            m_destinations = *found;
            m_list->clear();
            for (const Destination &destination : std::as_const(m_destinations)) {
                auto *item = new QTreeWidgetItem(
                    m_list, { destination.name, destination.url, healthText(destination) });
                item->setData(0, Qt::UserRole, destination.id);
                item->setToolTip(2,
                    destination.lastError.isEmpty()
                        ? healthText(destination)
                        : tr("%1\nLast error: %2")
                              .arg(healthText(destination), destination.lastError));
                if (destination.id == current)
                    item->setSelected(true);
            }
            m_list->setVisible(!m_destinations.isEmpty());
            m_empty->setVisible(m_destinations.isEmpty());
            m_empty->setText(tr("No destination: accepted requests are kept, not delivered "
                                "onward."));
            updateButtons();
            emit loaded();
        });
}

Destination *DestinationSection::selected()
{
    const QList<QTreeWidgetItem *> items = m_list->selectedItems();
    if (items.isEmpty())
        return nullptr;
    const QString id = items.first()->data(0, Qt::UserRole).toString();
    for (Destination &destination : m_destinations) {
        if (destination.id == id)
            return &destination;
    }
    return nullptr;
}

void DestinationSection::updateButtons()
{
    if (m_mode != Mode::Editable)
        return;
    const Destination *current = selected();
    m_add->setEnabled(!m_webhookId.isEmpty());
    for (QPushButton *button : { m_edit, m_pause, m_remove, m_test })
        button->setEnabled(current != nullptr);
    m_pause->setText(current && !current->enabled ? tr("Resume") : tr("Pause"));
    m_test->setEnabled(current && !m_client);
}

void DestinationSection::write(std::function<Status(Store &)> work, const QString &failure)
{
    m_context.store->write(this, std::move(work), [this, failure](const Status &done) {
        if (!done)
            m_status->setText(failure.arg(done.error()));
        reload();
    });
}

void DestinationSection::add()
{
    Destination fresh;
    fresh.webhookId = m_webhookId;
    auto *dialog = new DestinationDialog(fresh, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const Destination destination = dialog->destination();
        m_context.store->write(
            this,
            [destination](Store &store) -> Status {
                const Result<Destination> added = store.deliveries().addDestination(destination);
                return added ? Status() : Status::failure(added.error());
            },
            [this, name = destination.name](const Status &done) {
                m_status->setText(done
                        ? tr("“%1” added: accepted requests are delivered to it "
                             "from now on.")
                              .arg(name)
                        : tr("The destination cannot be added: %1").arg(done.error()));
                reload();
            });
    });
    dialog->open();
}

void DestinationSection::edit()
{
    const Destination *current = selected();
    if (!current || m_mode != Mode::Editable)
        return;
    auto *dialog = new DestinationDialog(*current, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const Destination destination = dialog->destination();
        write([destination](
                  Store &store) { return store.deliveries().updateDestination(destination); },
            tr("The destination cannot be saved: %1"));
    });
    dialog->open();
}

void DestinationSection::togglePause()
{
    const Destination *current = selected();
    if (!current)
        return;
    const QString id = current->id;
    const bool resume = !current->enabled;
    write(
        [id, resume](Store &store) { return store.deliveries().setDestinationEnabled(id, resume); },
        resume ? tr("The destination cannot be resumed: %1")
               : tr("The destination cannot be paused: %1"));
}

void DestinationSection::remove()
{
    const Destination *current = selected();
    if (!current)
        return;
    const QString id = current->id;
    Confirmation confirmation(this, QStringLiteral("removeDestinationConfirmation"),
        tr("Remove destination"), tr("Remove “%1”?").arg(current->name),
        tr("Its delivery history goes with it; requests waiting for it are not delivered."));
    confirmation.addAction(tr("Remove"), QMessageBox::DestructiveRole,
        QStringLiteral("confirmRemoveDestination"), [this, id] {
            write([id](Store &store) { return store.deliveries().removeDestination(id); },
                tr("The destination cannot be removed: %1"));
        });
    confirmation.open();
}

void DestinationSection::sendTest()
{
    const Destination *current = selected();
    if (!current || m_client)
        return;
    const OutgoingRequest request = Forwarding::testRequest(*current, Deliverer::processOwner());
    if (const QString problem = HttpClient::problem(request); !problem.isEmpty()) {
        m_status->setText(tr("The test delivery cannot be sent: %1").arg(problem));
        return;
    }
    m_client = new HttpClient(this);
    m_client->setTimeout(current->timeoutMs);
    m_client->setMaxBodyBytes(DeliveryAttempt::KeptAnswerBytes);
    m_status->setText(tr("Sending a test delivery to %1…").arg(current->url));
    m_testTimer.start();
    connect(m_client, &HttpClient::finished, this, [this](const Result<HttpResponse> &response) {
        const qint64 ms = m_testTimer.elapsed();
        m_client->deleteLater();
        m_client = nullptr;
        if (!response) {
            m_status->setText(tr("Test delivery failed: %1").arg(response.error()));
        } else {
            const QString line = tr("HTTP %1 %2 in %3 ms")
                                     .arg(response->status)
                                     .arg(QString::fromLatin1(response->reasonPhrase))
                                     .arg(ms);
            m_status->setText(
                Forwarding::verdict(response->status) == Forwarding::Verdict::Delivered
                    ? tr("Test delivery accepted: %1").arg(line)
                    : tr("Test delivery refused: %1").arg(line));
        }
        updateButtons();
    });
    m_client->send(request);
    updateButtons();
}

} // namespace Hooktrail
