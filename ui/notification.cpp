// A short message floating over a page, outside its layout: nothing under the pointer moves when
// it shows. A message goes by itself after a few seconds (or when the owner dismisses it, on a
// selection or page change); an error stays until the user closes it.
#include "ui/notification.h"

#include "ui/tones.h"

#include <QAccessible>
#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QToolButton>

namespace Hooktrail {

namespace {

constexpr int MaximumWidth = 720;

} // namespace

Notification::Notification(QWidget *page)
    : QFrame(page)
    , m_page(page)
    , m_text(new QLabel(this))
    , m_close(new QToolButton(this))
    , m_closeAction(new QAction(this))
    , m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("notification"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setFocusPolicy(Qt::NoFocus);

    m_text->setObjectName(QStringLiteral("notificationText"));
    m_text->setTextFormat(Qt::PlainText); // paths and errors may hold anything
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Escape closes it while the page has the focus; disabled while hidden, so the key stays
    // free for the rest of the page then.
    m_closeAction->setText(tr("Dismiss"));
    m_closeAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_closeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_closeAction->setToolTip(
        tr("Dismiss this message (%1)")
            .arg(m_closeAction->shortcut().toString(QKeySequence::NativeText)));
    m_closeAction->setEnabled(false);
    connect(m_closeAction, &QAction::triggered, this, &Notification::dismiss);
    page->addAction(m_closeAction);
    m_close->setObjectName(QStringLiteral("notificationClose"));
    m_closeAction->setIconText(QStringLiteral("✕")); // what the button shows
    m_close->setDefaultAction(m_closeAction);
    m_close->setAccessibleName(tr("Dismiss"));
    m_close->setAutoRaise(true);
    m_close->setFocusPolicy(Qt::TabFocus);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 6, 8);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);

    m_timer->setSingleShot(true);
    setTimeout(TimeoutMs);
    connect(m_timer, &QTimer::timeout, this, &Notification::dismissMessage);

    page->installEventFilter(this);
    applyColours();
    hide();
}

void Notification::setTimeout(int milliseconds)
{
    m_timer->setInterval(milliseconds);
}

QString Notification::text() const
{
    return isHidden() ? QString() : m_text->text();
}

void Notification::showMessage(const QString &text)
{
    present(Kind::Message, text);
}

void Notification::showError(const QString &text)
{
    present(Kind::Error, text);
}

void Notification::present(Kind kind, const QString &text)
{
    if (text.isEmpty()) {
        dismiss();
        return;
    }
    m_kind = kind;
    m_text->setText(text);
    setAccessibleName(kind == Kind::Error ? tr("Error") : tr("Notice"));
    setAccessibleDescription(text);
    m_text->setAccessibleName(text);
    applyColours();
    place();
    show();
    raise();
    m_closeAction->setEnabled(true);
    if (kind == Kind::Message && !underMouse())
        m_timer->start();
    else
        m_timer->stop();
    // Said by a screen reader without moving the focus from the table.
    QAccessibleEvent alert(this, QAccessible::Alert);
    QAccessible::updateAccessibility(&alert);
}

void Notification::dismissMessage()
{
    if (m_kind == Kind::Message)
        dismiss();
}

void Notification::dismiss()
{
    m_timer->stop();
    m_closeAction->setEnabled(false);
    if (isHidden())
        return;
    hide();
    emit dismissed();
}

// Bottom centre, as wide as the text needs within the page; the height follows the wrapping.
void Notification::place()
{
    const int available = m_page->width() - 2 * Margin;
    const QMargins margins = layout()->contentsMargins();
    // On one line when it fits: a wrapped label's own hint is narrow.
    const int wanted = m_text->fontMetrics().horizontalAdvance(m_text->text()) + margins.left()
        + margins.right() + layout()->spacing() + m_close->sizeHint().width() + 2 * frameWidth()
        + 2;
    const int width = std::max(std::min({ wanted, MaximumWidth, available }), 0);
    const int height = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width)
                                                     : sizeHint().height();
    setGeometry((m_page->width() - width) / 2, m_page->height() - height - Margin, width, height);
}

bool Notification::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_page) {
        if (event->type() == QEvent::Resize && !isHidden())
            place();
        else if (event->type() == QEvent::Hide)
            dismissMessage(); // the user went to another page
    }
    return QFrame::eventFilter(watched, event);
}

// Read while the pointer rests on it; the countdown starts again when it leaves.
void Notification::enterEvent(QEnterEvent *event)
{
    m_timer->stop();
    QFrame::enterEvent(event);
}

void Notification::leaveEvent(QEvent *event)
{
    if (m_kind == Kind::Message && !isHidden())
        m_timer->start();
    QFrame::leaveEvent(event);
}

void Notification::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_updatingPalette)
        applyColours();
}

// The page's own text and background colours swapped, so the message stands out from what it
// floats over with the contrast the desktop chose; an error on the "bad" tone.
void Notification::applyColours()
{
    m_updatingPalette = true;
    const QPalette page = m_page->palette();
    const QColor background = m_kind == Kind::Error
        ? Tones::colour(Tones::Tone::Bad, page, QPalette::Window)
        : page.color(QPalette::WindowText);
    const QColor foreground = page.color(QPalette::Window);
    QPalette palette = page;
    for (const QPalette::ColorRole role : { QPalette::Window, QPalette::Button })
        palette.setColor(role, background);
    for (const QPalette::ColorRole role :
        { QPalette::WindowText, QPalette::ButtonText, QPalette::Text })
        palette.setColor(role, foreground);
    setPalette(palette);
    m_updatingPalette = false;
}

} // namespace Hooktrail
