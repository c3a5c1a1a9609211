// A label that names what is wrong with a field, next to that field; hidden while all is well.
#include "ui/problemlabel.h"

#include <QEvent>
#include <QPainter>
#include <QTextLayout>

namespace Hooktrail {

ProblemLabel::ProblemLabel(const QString &objectName, QWidget *parent) : QLabel(parent)
{
    setObjectName(objectName);
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
    applyColour();
}

void ProblemLabel::setProblem(const QString &problem)
{
    setText(problem);
    if (m_reservedLines > 0) {
        // Shown empty rather than hidden: a form layout gives a hidden label's row no room,
        // whatever its size policy says.
        setToolTip(problem);
        setAccessibleDescription(problem);
        return;
    }
    setVisible(!problem.isEmpty());
}

void ProblemLabel::setProblems(const QStringList &problems)
{
    setProblem(problems.join(QLatin1Char('\n')));
}

void ProblemLabel::reserveLines(int lines)
{
    m_reservedLines = lines;
    // Painted here, line by line, so the text never asks for more room than is reserved.
    setTextInteractionFlags(Qt::NoTextInteraction);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setFixedHeight(reservedHeight());
    setVisible(true);
}

int ProblemLabel::reservedHeight() const
{
    return fontMetrics().lineSpacing() * m_reservedLines + contentsMargins().top()
        + contentsMargins().bottom();
}

QSize ProblemLabel::sizeHint() const
{
    if (m_reservedLines == 0)
        return QLabel::sizeHint();
    return { fontMetrics().averageCharWidth() * 20, reservedHeight() };
}

QSize ProblemLabel::minimumSizeHint() const
{
    if (m_reservedLines == 0)
        return QLabel::minimumSizeHint();
    return { fontMetrics().averageCharWidth() * 10, reservedHeight() };
}

bool ProblemLabel::hasHeightForWidth() const
{
    return m_reservedLines == 0 && QLabel::hasHeightForWidth();
}

void ProblemLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_updatingPalette)
        applyColour();
    if (event->type() == QEvent::FontChange && m_reservedLines > 0)
        setFixedHeight(reservedHeight());
}

// The problems wrapped at the label's width into the reserved lines, the last one ending in an
// ellipsis when more would follow.
void ProblemLabel::paintEvent(QPaintEvent *event)
{
    if (m_reservedLines == 0) {
        QLabel::paintEvent(event);
        return;
    }
    QPainter painter(this);
    painter.setPen(palette().color(QPalette::WindowText));
    const QRect area = contentsRect();
    const QFontMetrics metrics = fontMetrics();
    QString text = this->text();
    text.replace(QLatin1Char('\n'), QChar::LineSeparator);
    QTextLayout layout(text, font());
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.beginLayout();
    int y = area.top();
    for (int line = 0; line < m_reservedLines; ++line) {
        QTextLine textLine = layout.createLine();
        if (!textLine.isValid())
            break;
        textLine.setLineWidth(area.width());
        const QString lineText
            = text.mid(textLine.textStart(), textLine.textLength()).remove(QChar::LineSeparator);
        const bool last = line == m_reservedLines - 1;
        const bool more = textLine.textStart() + textLine.textLength() < text.size();
        // The rest of the text on the last line, cut with an ellipsis where it does not fit.
        const QString shown = last && more
            ? metrics.elidedText(QString(text.mid(textLine.textStart()))
                                     .replace(QChar::LineSeparator, QLatin1Char(' ')),
                Qt::ElideRight, area.width())
            : lineText;
        painter.drawText(QRect(area.left(), y, area.width(), metrics.lineSpacing()),
            Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, shown);
        y += metrics.lineSpacing();
    }
    layout.endLayout();
}

// No palette role means "error", so the red is chosen against the window colour: dark on a
// light background, light on a dark one, readable with either system palette.
void ProblemLabel::applyColour()
{
    m_updatingPalette = true;
    QPalette palette = parentWidget() ? parentWidget()->palette() : this->palette();
    const bool darkWindow = palette.color(QPalette::Window).lightness() < 128;
    palette.setColor(QPalette::WindowText, darkWindow ? QColor(255, 138, 128) : QColor(176, 0, 32));
    setPalette(palette);
    m_updatingPalette = false;
}

} // namespace Hooktrail
