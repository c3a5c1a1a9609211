// A key just created, shown once with its Copy button: in Settings' keys manager and in the
// endpoint modal alike, so both say the same about keeping it.
#pragma once

#include <QFrame>

class QLabel;
class QLineEdit;
class QPushButton;

namespace Hooktrail {

class NewKeyPanel final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NewKeyPanel)
public:
    // With a Done button, the key can be put away before the panel's owner goes.
    enum class Dismiss { Offered, NotOffered };
    explicit NewKeyPanel(Dismiss dismiss, QWidget *parent = nullptr);

    // Shows the key and moves the focus to its Copy button.
    void present(const QString &secret, const QString &name);
    QString secret() const;
    QPushButton *copyButton() const { return m_copyButton; }
    QPushButton *doneButton() const { return m_doneButton; } // null without Dismiss::Offered

signals:
    void dismissed(); // Done was clicked: the key is gone from the panel

private:
    void copy();
    void dismiss();

    QLabel *m_title;
    QLineEdit *m_secretEdit;
    QPushButton *m_copyButton;
    QPushButton *m_doneButton = nullptr;
    QLabel *m_copyFeedback;
};

} // namespace Hooktrail
