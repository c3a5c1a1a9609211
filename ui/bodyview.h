// The detail pane's body tab: one request's body, pretty and highlighted as sent, JSON as a
// tree, a form as a table, binary content in hexadecimal; where a JSON or XML body breaks; find
// and copy. Large JSON is formatted off the GUI thread and appended as it comes.
#pragma once

#include "core/model/loggedrequest.h"
#include "core/receiver/contentcheck.h"

#include <QThreadPool>
#include <QTimer>
#include <QWidget>
#include <memory>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedLayout;
class QTableWidget;
class QToolButton;
class QTreeView;

namespace Hooktrail {

class BodyHighlighter;
class FindBar;
class JsonTreeModel;

class BodyView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BodyView)
public:
    enum class BodyKind { Empty, Json, Xml, Form, Text, Binary };
    enum class Mode { Text, Tree };

    // Past this many bytes the body, raw and hex views show the start and a "Show all" button,
    // so selecting a 10 MiB request costs nothing until asked.
    static constexpr qsizetype PrettyLimit = 256 * 1024;
    static constexpr qsizetype HexLimit = 64 * 1024;
    // JSON and XML past this many bytes are formatted, and a JSON tree built, off the GUI
    // thread; the text is appended a part at a time, each part coloured as it is added.
    static constexpr qsizetype BackgroundLimit = 1024 * 1024;
    static constexpr qsizetype PartBytes = 128 * 1024;
    // Lines past this many characters stay plain: colours cost memory for every line shown.
    static constexpr qsizetype HighlightLimit = 8 * 1024 * 1024;

    explicit BodyView(QWidget *parent = nullptr);
    ~BodyView() override;

    // Shows the body of request, classified as kind; showAll lifts PrettyLimit.
    void render(const LoggedRequest &request, BodyKind kind, bool showAll);
    // Forgets the request shown: stops any formatting or tree still being built.
    void reset();
    QString text(); // as shown in the text view, made if the tree is shown
    // Only the start is shown: cut at PrettyLimit, still being formatted, or stopped.
    bool isTruncated() const { return m_truncated || m_stopped || m_textJob; }
    bool isBusy() const { return m_textJob || m_treeJob; } // formatting or building the tree
    int partsShown() const { return m_partsShown; } // of the text formatted in the background
    void cancel(); // stops what is being formatted or built; what is shown stays

    Mode mode() const { return m_mode; }
    void setMode(Mode mode); // the tree is offered for JSON; other bodies show as text
    // Where a JSON or XML body stops being well-formed; nullopt for the others.
    const std::optional<BodyProblem> &problem() const { return m_problem; }
    // "line 3, column 14: expected ':' after an object key", in the user's language.
    static QString describe(const BodyProblem &problem);

    void openFind(); // Ctrl+F in the body tab
    void copyBody(); // the body as received, not as shown

    BodyHighlighter *highlighter() const { return m_highlighter; }
    QPlainTextEdit *textView() const { return m_text; }
    QTreeView *treeView() const { return m_tree; }
    JsonTreeModel *treeModel() const { return m_treeModel.get(); }
    FindBar *findBar() const { return m_find; }
    QProgressBar *progressBar() const { return m_progress; }

    static BodyKind classifyBody(const LoggedRequest &request);
    // JSON re-indented as sent: key order and number spelling kept (a parse and re-serialise
    // would sort keys and round numbers). The input must be valid JSON.
    static QString prettyJson(QByteArrayView json);
    // Indented XML; nullopt when the text is not well-formed.
    static std::optional<QString> prettyXml(QByteArrayView xml);
    // Offset, 16 bytes in hex, and their printable ASCII.
    static QString hexDump(QByteArrayView bytes);

signals:
    void showAllRequested();
    void copied(const QString &message); // says what went to the clipboard
    void finished(); // a part formatted in the background is all shown, or the tree built

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Job;
    struct TextPart;
    void queueTakeParts();
    QWidget *buildTopRow();
    QWidget *buildProgressRow();
    bool showsTree() const; // the tree is chosen and the body is JSON
    void showMode();
    void renderText();
    void setText(const QString &content, const QString &note, bool truncated);
    void showNote();
    void showProblem();
    void startTextJob();
    void startTreeJob();
    void offer(const std::shared_ptr<Job> &job, TextPart part, bool last);
    void takeParts(); // the GUI thread's side of formatting in the background
    void updateProgress();
    void finishTextJob();
    void stopJobs();
    void setBusy();

    QLabel *m_info;
    QToolButton *m_textButton;
    QToolButton *m_treeButton;
    QToolButton *m_expandAll;
    QToolButton *m_collapseAll;
    QPushButton *m_showAllButton;
    QToolButton *m_copyBody;
    QLabel *m_problemLabel;
    QWidget *m_progressRow;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    FindBar *m_find;
    QStackedLayout *m_stack;
    QPlainTextEdit *m_text;
    QTableWidget *m_form;
    QTreeView *m_tree;
    QWidget *m_textPage = nullptr; // the text, or the form's table
    BodyHighlighter *m_highlighter;
    std::unique_ptr<JsonTreeModel> m_treeModel;
    QThreadPool m_pool;
    // A takeParts() is queued. One at a time, each queueing the next, takes one part per turn
    // of the event loop: events queued while the loop delivers them wait for its next turn,
    // where a zero-interval timer may fire twice in one turn.
    bool m_partQueued = false;
    QTimer m_progressTimer;

    std::optional<LoggedRequest> m_request;
    BodyKind m_kind = BodyKind::Empty;
    bool m_showAll = false;
    Mode m_mode = Mode::Text;
    bool m_textShown = false; // renderText() ran for this request
    bool m_treeShown = false; // the tree was built, or is being built, for this request
    bool m_truncated = false;
    bool m_stopped = false; // formatting was cancelled part-way
    std::optional<BodyProblem> m_problem;
    QString m_textNote;
    QString m_treeNote;
    int m_partsShown = 0;
    std::shared_ptr<Job> m_textJob;
    std::shared_ptr<Job> m_treeJob;
};

} // namespace Hooktrail
