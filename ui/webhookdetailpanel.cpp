// The side panel of the Connections page: the selected webhook at a glance, its endpoint
// (without key) ready to copy, its methods and every rule a request must meet.
#include "ui/webhookdetailpanel.h"
#include "ui/destinationsection.h"

#include "core/base/settings.h"
#include "core/model/apikey.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/store/store.h"
#include "core/store/storeexecutor.h"
#include "ui/copyfeedback.h"
#include "ui/endpointurl.h"
#include "ui/icons.h"
#include "ui/tones.h"

#include <QAction>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace Hooktrail {

namespace {
// Wide enough for a whole endpoint on most base URLs, never the whole of a 1920 px window.
constexpr int MaximumWidth = 680;
constexpr int MinimumWidth = 300;
// Around the endpoint's text: the line edit's frame, margins and cursor, with room to spare.
constexpr int EndpointPadding = 32;
// An id as long as every id, for the width an endpoint needs before one is shown.
const char *const SampleId = "00000000-0000-4000-8000-000000000000";

QLabel *valueLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText); // names and rules are the user's text, never markup
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}
} // namespace

WebhookDetailPanel::WebhookDetailPanel(const ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_pages(new QStackedWidget(this))
{
    setObjectName(QStringLiteral("webhookDetailPanel"));
    setAccessibleName(tr("Selected webhook"));
    setMinimumWidth(MinimumWidth);
    setMaximumWidth(MaximumWidth);
    m_pages->addWidget(buildEmptyPage());
    m_pages->addWidget(buildDetailPage());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);
    // The endpoint follows the public base URL and the listen port.
    if (m_context.settings)
        connect(m_context.settings, &Settings::changed, this, &WebhookDetailPanel::fill);
    // Keys made or revoked in the console, or by another process (the command line): the
    // receiver's configuration cache hears of those.
    if (m_context.store)
        connect(m_context.store, &StoreExecutor::written, this, &WebhookDetailPanel::readKeys);
    if (m_context.engine && m_context.engine->config())
        connect(m_context.engine->config(), &ConfigCache::changed, this,
            &WebhookDetailPanel::readKeys, Qt::QueuedConnection);
    showKeyRule();
    readKeys();
}

void WebhookDetailPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    readKeys();
}

// Every webhook takes the same keys: how many are usable tells a new user whether there is one
// to send with, or that Copy with key… makes one.
void WebhookDetailPanel::readKeys()
{
    if (!m_context.store)
        return;
    m_context.store->read(
        this, [](Store &store) { return store.config().keys(); },
        [this](const Result<QList<ApiKey>> &keys) {
            if (!keys) {
                m_activeKeys = -1;
            } else {
                m_activeKeys = int(std::count_if(
                    keys->begin(), keys->end(), [](const ApiKey &key) { return !key.revoked; }));
            }
            showKeyRule();
        });
}

void WebhookDetailPanel::showKeyRule()
{
    QString text = tr("Required: any key not revoked, in the api-key query parameter or the "
                      "X-Api-Key header");
    if (m_activeKeys == 0)
        text += QLatin1Char('\n') + tr("There is no usable key yet: Copy with key… creates one.");
    else if (m_activeKeys > 0)
        text += QLatin1Char('\n') + tr("Usable keys: %1").arg(m_activeKeys);
    m_keys->setText(text);
}

QWidget *WebhookDetailPanel::buildEmptyPage()
{
    auto *empty = new QLabel(
        tr("Select a webhook to see its endpoint and the rules its requests must meet."), this);
    empty->setObjectName(QStringLiteral("detailEmptyState"));
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    empty->setForegroundRole(QPalette::PlaceholderText);
    return empty;
}

QWidget *WebhookDetailPanel::buildDetailPage()
{
    auto *page = new QWidget(this);
    m_name = valueLabel(QStringLiteral("detailName"), page);
    QFont nameFont = m_name->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.2);
    m_name->setFont(nameFont);
    m_state = valueLabel(QStringLiteral("detailState"), page);

    m_endpointEdit = new QLineEdit(page);
    m_endpointEdit->setObjectName(QStringLiteral("detailEndpointEdit"));
    m_endpointEdit->setAccessibleName(tr("Endpoint URL without key"));
    m_endpointEdit->setReadOnly(true);
    m_copy = new QPushButton(Icons::action(Icons::Action::Copy), tr("Co&py"), page);
    m_copy->setObjectName(QStringLiteral("detailCopyButton"));
    m_copy->setAccessibleName(tr("Copy the endpoint without key"));
    // An action of the page rather than the button's own shortcut: a button's text change (its
    // "Copied" feedback) resets its shortcut to the text's mnemonic. Active while the page
    // shows, that is while a webhook is selected.
    m_copyAction = new QAction(tr("Copy endpoint without key"), page);
    m_copyAction->setObjectName(QStringLiteral("detailCopyAction"));
    m_copyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_copyAction->setShortcutContext(Qt::WindowShortcut);
    page->addAction(m_copyAction);
    m_copy->setToolTip(
        tr("Copy the endpoint URL, without key, to the clipboard (%1); senders then give the key "
           "in an X-Api-Key header")
            .arg(m_copyAction->shortcut().toString(QKeySequence::NativeText)));
    connect(m_copy, &QPushButton::clicked, this, &WebhookDetailPanel::copyEndpoint);
    connect(m_copyAction, &QAction::triggered, this, &WebhookDetailPanel::copyEndpoint);
    m_copyWithKey = new QPushButton(tr("Copy with &key…"), page);
    m_copyWithKey->setObjectName(QStringLiteral("detailCopyWithKeyButton"));
    m_copyWithKey->setAccessibleName(tr("Copy the endpoint with a key"));
    m_copyWithKey->setToolTip(tr("Asks for an API key, or creates one, and shows the endpoint "
                                 "with it, ready to copy"));
    connect(m_copyWithKey, &QPushButton::clicked, this, &WebhookDetailPanel::copyWithKeyRequested);
    auto *copyRow = new QHBoxLayout;
    copyRow->addWidget(m_copy);
    copyRow->addWidget(m_copyWithKey);
    copyRow->addStretch();
    auto *endpointLabel = new QLabel(tr("E&ndpoint (without key):"), page);
    endpointLabel->setBuddy(m_endpointEdit);

    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_id = addValueRow(form, tr("Id:"), QStringLiteral("detailId"));
    m_id->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_description = addValueRow(form, tr("Description:"), QStringLiteral("detailDescription"));
    m_methods = addValueRow(form, tr("Methods:"), QStringLiteral("detailMethods"));
    m_contentType = addValueRow(form, tr("Content type:"), QStringLiteral("detailContentType"));
    m_headers = addValueRow(form, tr("Required headers:"), QStringLiteral("detailHeaders"));
    m_addresses = addValueRow(form, tr("Allowed IP addresses:"), QStringLiteral("detailAddresses"));
    m_keys = addValueRow(form, tr("API key:"), QStringLiteral("detailKeys"));

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_name);
    layout->addWidget(m_state);
    // The endpoint as wide as the panel, above the rules: it is what the panel is for.
    layout->addWidget(endpointLabel);
    layout->addWidget(m_endpointEdit);
    layout->addLayout(copyRow);
    layout->addLayout(form);
    // Where its accepted requests go, and how that goes (ARCHITECTURE §5.5).
    m_destinations = new DestinationSection(m_context, DestinationSection::Mode::HealthOnly, page);
    layout->addWidget(m_destinations);
    layout->addStretch();
    return page;
}

// As wide as a whole endpoint, within bounds, whatever the webhook shown: the list beside takes
// the rest, and does not change width as the selection moves.
QSize WebhookDetailPanel::sizeHint() const
{
    QSize hint = QWidget::sizeHint();
    const QString sample = endpointWithoutKey(m_context, QString::fromLatin1(SampleId));
    const int needed = m_endpointEdit->fontMetrics().horizontalAdvance(sample) + EndpointPadding;
    hint.setWidth(std::clamp(needed, MinimumWidth, MaximumWidth));
    return hint;
}

QLabel *WebhookDetailPanel::addValueRow(
    QFormLayout *form, const QString &label, const QString &objectName)
{
    QLabel *value = valueLabel(objectName, this);
    form->addRow(label, value);
    return value;
}

void WebhookDetailPanel::showWebhook(const std::optional<Webhook> &webhook)
{
    const bool same = webhook.has_value() == m_webhook.has_value()
        && (!webhook || webhook->toJson(true) == m_webhook->toJson(true));
    if (same)
        return;
    m_webhook = webhook;
    fill();
}

QString WebhookDetailPanel::endpoint() const
{
    return m_webhook ? endpointWithoutKey(m_context, m_webhook->id) : QString();
}

void WebhookDetailPanel::fill()
{
    m_pages->setCurrentIndex(m_webhook ? 1 : 0);
    if (!m_webhook)
        return;
    const Webhook &webhook = *m_webhook;
    m_name->setText(webhook.name);
    // In words and in colour: a disabled webhook must not pass for a working one.
    m_state->setText(webhook.enabled
            ? tr("Enabled: requests that meet its rules are accepted")
            : tr("Disabled: every request is answered 503 until it is enabled"));
    QPalette statePalette = palette();
    statePalette.setColor(QPalette::WindowText,
        Tones::colour(
            webhook.enabled ? Tones::Tone::Good : Tones::Tone::Bad, palette(), QPalette::Window));
    m_state->setPalette(statePalette);
    m_state->setProperty("webhookEnabled", webhook.enabled);
    m_id->setText(webhook.id);
    m_endpointEdit->setText(endpoint());
    m_endpointEdit->setToolTip(m_endpointEdit->text());
    m_endpointEdit->setCursorPosition(0);
    m_description->setText(webhook.description.isEmpty() ? tr("None") : webhook.description);
    m_methods->setText(methodsText(webhook));
    m_contentType->setText(contentTypeText(webhook));
    m_headers->setText(headersText(webhook));
    m_addresses->setText(addressesText(webhook));
    m_destinations->setWebhook(webhook.id);
}

void WebhookDetailPanel::copyEndpoint()
{
    if (m_webhook)
        CopyFeedback::copy(m_copy, endpoint());
}

QString WebhookDetailPanel::methodsText(const Webhook &webhook)
{
    return webhook.methods.join(QStringLiteral(", "));
}

QString WebhookDetailPanel::contentTypeText(const Webhook &webhook)
{
    return webhook.acceptAnyContentType
        ? tr("Accepts any content type, or none, kept as sent without checks")
        : tr("JSON, XML or form bodies (or none); JSON and XML must be well-formed");
}

QString WebhookDetailPanel::headersText(const Webhook &webhook)
{
    if (webhook.headerRules.isEmpty())
        return tr("None");
    QStringList lines;
    for (const HeaderRule &rule : webhook.headerRules)
        lines.append(rule.value == QLatin1String("*") ? tr("%1: any value").arg(rule.name)
                                                      : tr("%1: %2").arg(rule.name, rule.value));
    return lines.join(QLatin1Char('\n'));
}

QString WebhookDetailPanel::addressesText(const Webhook &webhook)
{
    return webhook.ipWhitelist.isEmpty() ? tr("Any address")
                                         : webhook.ipWhitelist.join(QLatin1Char('\n'));
}

} // namespace Hooktrail
