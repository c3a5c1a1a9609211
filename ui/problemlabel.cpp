// A label that names what is wrong with a field, next to that field; hidden while all is well.
#include "ui/problemlabel.h"

#include <QEvent>

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
    setVisible(!problem.isEmpty());
}

void ProblemLabel::setProblems(const QStringList &problems)
{
    setProblem(problems.join(QLatin1Char('\n')));
}

void ProblemLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_updatingPalette)
        applyColour();
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
