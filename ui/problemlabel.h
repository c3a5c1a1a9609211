// A label that names what is wrong with a field, next to that field; hidden while all is well.
#pragma once

#include <QLabel>

namespace Hooktrail {

class ProblemLabel final : public QLabel
{
    Q_DISABLE_COPY_MOVE(ProblemLabel)
public:
    ProblemLabel(const QString &objectName, QWidget *parent = nullptr);

    // An empty problem hides the label.
    void setProblem(const QString &problem);
    void setProblems(const QStringList &problems);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColour();
    bool m_updatingPalette = false;
};

} // namespace Hooktrail
