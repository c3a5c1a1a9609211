// A label that names what is wrong with a field, next to that field; hidden while all is well.
#pragma once

#include <QLabel>

namespace Hooktrail {

class ProblemLabel final : public QLabel
{
    Q_DISABLE_COPY_MOVE(ProblemLabel)
public:
    ProblemLabel(const QString &objectName, QWidget *parent = nullptr);

    // An empty problem hides the label, unless it reserves its lines.
    void setProblem(const QString &problem);
    void setProblems(const QStringList &problems);

    // Keeps room for this many lines whether a problem shows or not (the label stays visible,
    // empty while all is well), so the dialog around it neither grows nor moves its fields as
    // problems come and go. Text past the room ends in an ellipsis; the whole of it is in the
    // tool tip and the accessible description.
    void reserveLines(int lines);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override;

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void applyColour();
    int reservedHeight() const;
    bool m_updatingPalette = false;
    int m_reservedLines = 0;
};

} // namespace Hooktrail
