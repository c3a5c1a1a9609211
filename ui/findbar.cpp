// Find within a text view: a field, next and previous, "3 of 12", Esc to close.
#include "ui/findbar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QToolButton>

#include <algorithm>

namespace Hooktrail {

FindBar::FindBar(QPlainTextEdit *editor, QWidget *parent)
    : QWidget(parent)
    , m_editor(editor)
    , m_field(new QLineEdit(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_count(new QLabel(this))
    , m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("findBar"));
    m_field->setObjectName(QStringLiteral("findField"));
    m_field->setAccessibleName(tr("Find in the body"));
    m_field->setPlaceholderText(tr("Find in the body"));
    m_field->setClearButtonEnabled(true);
    m_field->installEventFilter(this);
    m_editor->installEventFilter(this);
    m_previous->setObjectName(QStringLiteral("findPrevious"));
    m_previous->setText(tr("Previous"));
    m_previous->setIcon(QIcon::fromTheme(QStringLiteral("go-up")));
    m_previous->setToolTip(tr("Previous match (Shift+Enter, Shift+F3)"));
    m_previous->setAutoRaise(true);
    m_next->setObjectName(QStringLiteral("findNext"));
    m_next->setText(tr("Next"));
    m_next->setIcon(QIcon::fromTheme(QStringLiteral("go-down")));
    m_next->setToolTip(tr("Next match (Enter, F3)"));
    m_next->setAutoRaise(true);
    m_count->setObjectName(QStringLiteral("findCount"));
    m_count->setForegroundRole(QPalette::PlaceholderText);
    m_close->setObjectName(QStringLiteral("findClose"));
    m_close->setText(tr("Close"));
    m_close->setIcon(QIcon::fromTheme(QStringLiteral("window-close")));
    m_close->setToolTip(tr("Close the find bar (Esc)"));
    m_close->setAutoRaise(true);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_count);
    layout->addWidget(m_close);

    connect(m_field, &QLineEdit::textChanged, this, [this] {
        m_stale = true;
        search();
    });
    connect(m_previous, &QToolButton::clicked, this, &FindBar::findPrevious);
    connect(m_next, &QToolButton::clicked, this, &FindBar::findNext);
    connect(m_close, &QToolButton::clicked, this, &FindBar::close);
    hide();
}

void FindBar::open()
{
    show();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
    if (m_stale)
        search();
}

void FindBar::close()
{
    hide();
    m_editor->setFocus(Qt::OtherFocusReason);
}

void FindBar::findNext()
{
    step(1);
}

void FindBar::findPrevious()
{
    step(-1);
}

void FindBar::textChanged()
{
    m_stale = true;
    m_matches.clear();
    m_current = -1;
    updateCount();
}

void FindBar::recount()
{
    if (!isVisible() || m_field->text().isEmpty())
        return;
    collect();
    const qsizetype from = m_editor->textCursor().selectionStart();
    const auto at = std::lower_bound(m_matches.cbegin(), m_matches.cend(), from);
    m_current = at != m_matches.cend() && *at == from ? int(at - m_matches.cbegin()) : -1;
    updateCount();
}

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    const bool press = event->type() == QEvent::KeyPress;
    if (watched == m_editor && (press || event->type() == QEvent::ShortcutOverride)) {
        // Ctrl+F and F3 in the text are its own, not the window's: taking the shortcut
        // override makes them arrive as key presses.
        auto *key = static_cast<QKeyEvent *>(event);
        const bool find = key->matches(QKeySequence::Find);
        const bool next = key->key() == Qt::Key_F3;
        const bool escape = key->key() == Qt::Key_Escape && isVisible();
        if (!find && !next && !escape)
            return QWidget::eventFilter(watched, event);
        if (!press) {
            event->accept();
            return true;
        }
        if (find || (next && !isVisible()))
            open();
        else if (next)
            step(key->modifiers() & Qt::ShiftModifier ? -1 : 1);
        else
            close();
        return true;
    }
    if (watched == m_field && (press || event->type() == QEvent::ShortcutOverride)) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool shift = key->modifiers() & Qt::ShiftModifier;
        const bool ours = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter
            || key->key() == Qt::Key_F3 || key->key() == Qt::Key_Escape;
        // Taken before any shortcut of the window's, so the keys act on the bar.
        if (!press) {
            if (ours)
                event->accept();
            return ours;
        }
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_F3:
            step(shift ? -1 : 1);
            return true;
        case Qt::Key_Escape:
            close();
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::collect()
{
    m_stale = false;
    m_matches.clear();
    m_current = -1;
    const QString needle = m_field->text();
    if (needle.isEmpty())
        return;
    // One pass over the plain text: its positions are the document's, one per character and
    // one per line break.
    const QString text = m_editor->document()->toPlainText();
    for (qsizetype at = text.indexOf(needle, 0, Qt::CaseInsensitive);
         at >= 0 && m_matches.size() < MaxMatches;
         at = text.indexOf(needle, at + needle.size(), Qt::CaseInsensitive))
        m_matches.append(at);
}

void FindBar::search()
{
    collect();
    // The match at or after the cursor, so typing moves forward from where the reader is.
    const qsizetype from = m_editor->textCursor().selectionStart();
    const auto at = std::lower_bound(m_matches.cbegin(), m_matches.cend(), from);
    select(m_matches.isEmpty() ? -1 : at == m_matches.cend() ? 0 : int(at - m_matches.cbegin()));
}

// From the cursor rather than from the last match's number: the text may have changed since.
void FindBar::step(int direction)
{
    if (m_stale)
        collect();
    if (m_matches.isEmpty()) {
        updateCount();
        return;
    }
    const int count = int(m_matches.size());
    const qsizetype from = m_editor->textCursor().selectionStart();
    int match;
    if (direction > 0) {
        const auto after = std::upper_bound(m_matches.cbegin(), m_matches.cend(), from);
        match = after == m_matches.cend() ? 0 : int(after - m_matches.cbegin());
    } else {
        const auto at = std::lower_bound(m_matches.cbegin(), m_matches.cend(), from);
        match = at == m_matches.cbegin() ? count - 1 : int(at - m_matches.cbegin()) - 1;
    }
    select(match);
}

void FindBar::select(int match)
{
    m_current = match;
    if (match >= 0) {
        QTextCursor cursor(m_editor->document());
        cursor.setPosition(int(m_matches.at(match)));
        cursor.setPosition(
            int(m_matches.at(match) + m_field->text().size()), QTextCursor::KeepAnchor);
        m_editor->setTextCursor(cursor);
        m_editor->centerCursor();
    }
    updateCount();
}

void FindBar::updateCount()
{
    if (m_field->text().isEmpty()) {
        m_count->clear();
        return;
    }
    if (m_matches.isEmpty()) {
        m_count->setText(m_stale ? QString() : tr("No matches"));
        return;
    }
    if (m_current < 0) {
        m_count->setText(m_matches.size() >= MaxMatches
                ? tr("%1+ matches").arg(QLocale().toString(MaxMatches))
                : tr("%n match(es)", nullptr, int(m_matches.size())));
        return;
    }
    const QString total = m_matches.size() >= MaxMatches
        ? tr("%1+").arg(QLocale().toString(MaxMatches))
        : QLocale().toString(m_matches.size());
    m_count->setText(tr("%1 of %2").arg(QLocale().toString(m_current + 1), total));
}

} // namespace Hooktrail
