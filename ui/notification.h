// A short message floating over a page, outside its layout: nothing under the pointer moves when
// it shows. A message goes by itself after a few seconds (or when the owner dismisses it, on a
// selection or page change); an error stays until the user closes it.
#pragma once

#include <QFrame>

class QAction;
class QLabel;
class QTimer;
class QToolButton;

namespace Hooktrail {

class Notification final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Notification)
public:
    enum class Kind { Message, Error };
    static constexpr int TimeoutMs = 6000;
    static constexpr int Margin = 12; // from the page's edges

    // Floats over page, anchored at its bottom, and follows its size.
    explicit Notification(QWidget *page);

    void showMessage(const QString &text);
    void showError(const QString &text);
    // Hides a message, not an error: the user closes that one.
    void dismissMessage();
    void dismiss(); // either

    QString text() const;
    Kind kind() const { return m_kind; }
    bool isShown() const { return !isHidden(); }
    QToolButton *closeButton() const { return m_close; }
    void setTimeout(int milliseconds);

signals:
    void dismissed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void enterEvent(QEnterEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void present(Kind kind, const QString &text);
    void place();
    void applyColours();

    QWidget *m_page;
    QLabel *m_text;
    QToolButton *m_close;
    QAction *m_closeAction;
    QTimer *m_timer;
    Kind m_kind = Kind::Message;
    bool m_updatingPalette = false;
};

} // namespace Hooktrail
