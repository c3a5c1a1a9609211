// Find within a text view: a field, next and previous, "3 of 12", Esc to close.
#pragma once

#include <QList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QToolButton;

namespace Hooktrail {

class FindBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindBar)
public:
    // Counting stops here: the label says "1 of 10000+" rather than walking a huge body twice.
    static constexpr int MaxMatches = 10'000;

    explicit FindBar(QPlainTextEdit *editor, QWidget *parent = nullptr);

    void open(); // shows the bar, the field focused with its text selected
    void close();
    void findNext();
    void findPrevious();
    // The text changed under the bar (replaced, or appended to): the matches are counted again
    // on the next step, or by recount().
    void textChanged();
    void recount(); // the count only, the selection left where it is

    QLineEdit *field() const { return m_field; }
    QLabel *countLabel() const { return m_count; }
    int matchCount() const { return int(m_matches.size()); }
    int currentMatch() const { return m_current; } // 0-based; -1: none

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void collect(); // every match of the field's text
    void search(); // collect(), then select the match at or after the cursor
    void step(int direction);
    void select(int match);
    void updateCount();

    QPlainTextEdit *m_editor;
    QLineEdit *m_field;
    QToolButton *m_previous;
    QToolButton *m_next;
    QLabel *m_count;
    QToolButton *m_close;
    QList<qsizetype> m_matches; // positions in the document
    int m_current = -1;
    bool m_stale = true;
};

} // namespace Hooktrail
