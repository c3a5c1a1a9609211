// The detail pane's body tab: one request's body, pretty and highlighted as sent, JSON as a
// tree, a form as a table, binary content in hexadecimal; where a JSON or XML body breaks; find
// and copy. Large JSON is formatted off the GUI thread and appended as it comes.
#include "ui/bodyview.h"

#include "core/history/formdata.h"
#include "ui/bodyhighlighter.h"
#include "ui/findbar.h"
#include "ui/jsonprettyprinter.h"
#include "ui/jsontreemodel.h"
#include "ui/requestdetailview.h"
#include "ui/tones.h"

#include <QButtonGroup>
#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMimeData>
#include <QMutex>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedLayout>
#include <QTableWidget>
#include <QTextBlock>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <QWaitCondition>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>
#include <deque>

namespace Hooktrail {

namespace {

// Text a person can read: valid UTF-8 without control characters other than line breaks and tabs.
bool isReadableText(const QByteArray &bytes)
{
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7f)
            return false;
    }
    return isUtf8(bytes);
}

// Parts formatted ahead of the view: enough to keep it fed, few enough to bound the memory.
constexpr int MaxWaitingParts = 4;

QString dataSize(qsizetype bytes)
{
    return QLocale().formattedDataSize(bytes);
}

} // namespace

struct BodyView::TextPart
{
    QString text;
    qsizetype readUpTo = 0; // input bytes formatted once this part is shown
};

// Work on another thread for one request: the worker fills it, the GUI thread takes from it.
// The view drops its pointer to cancel; the worker holds its own until it stops.
struct BodyView::Job
{
    std::atomic_bool cancelled { false };
    std::atomic<qsizetype> done { 0 }; // input bytes read by the worker
    qsizetype total = 0;
    QMutex mutex;
    QWaitCondition room; // the worker waits while MaxWaitingParts wait
    std::deque<TextPart> parts;
    bool finished = false; // every part is in parts
    qsizetype shown = 0; // input bytes whose text is shown (GUI thread)

    void cancel()
    {
        QMutexLocker lock(&mutex);
        cancelled = true;
        room.wakeAll();
    }
};

BodyView::BodyView(QWidget *parent)
    : QWidget(parent)
    , m_info(new QLabel(this))
    , m_textButton(new QToolButton(this))
    , m_treeButton(new QToolButton(this))
    , m_expandAll(new QToolButton(this))
    , m_collapseAll(new QToolButton(this))
    , m_showAllButton(new QPushButton(tr("Show &all"), this))
    , m_copyBody(new QToolButton(this))
    , m_problemLabel(new QLabel(this))
    , m_progressRow(new QWidget(this))
    , m_progress(new QProgressBar(m_progressRow))
    , m_cancel(new QPushButton(tr("Cancel"), m_progressRow))
    , m_text(new QPlainTextEdit(this))
    , m_form(new QTableWidget(0, 2, this))
    , m_tree(new QTreeView(this))
    , m_highlighter(new BodyHighlighter(m_text->document()))
{
    m_find = new FindBar(m_text, this);
    m_text->setObjectName(QStringLiteral("bodyText"));
    m_text->setAccessibleName(tr("Body"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    RequestDetailView::setUpPairs(
        m_form, QStringLiteral("formTable"), tr("Form fields"), tr("Field"));
    m_tree->setObjectName(QStringLiteral("bodyTree"));
    m_tree->setAccessibleName(tr("Body as a tree"));
    m_tree->setUniformRowHeights(true); // a long tree scrolls without measuring every row
    m_tree->setAlternatingRowColors(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->header()->setDefaultSectionSize(220);
    m_tree->header()->setStretchLastSection(true);
    m_tree->installEventFilter(this);
    m_form->installEventFilter(this);

    auto *views = new QWidget(this);
    m_stack = new QStackedLayout(views);
    m_stack->addWidget(m_text);
    m_stack->addWidget(m_form);
    m_stack->addWidget(m_tree);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(buildTopRow());
    layout->addWidget(m_problemLabel);
    layout->addWidget(buildProgressRow());
    layout->addWidget(m_find);
    layout->addWidget(views, 1);

    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, &BodyView::updateProgress);
    // Two workers: the text and the tree of one body can be under way at once.
    m_pool.setMaxThreadCount(2);
    reset();
}

BodyView::~BodyView()
{
    stopJobs();
    m_pool.waitForDone(); // the workers post to this object until they return
}

QWidget *BodyView::buildTopRow()
{
    m_info->setObjectName(QStringLiteral("bodyTextInfo"));
    m_info->setWordWrap(true);
    m_info->setForegroundRole(QPalette::PlaceholderText);

    auto *modes = new QButtonGroup(this);
    const auto setUpMode = [modes](QToolButton *button, const QString &name, const QString &text,
                               const QString &tip) {
        button->setObjectName(name);
        button->setText(text);
        button->setToolTip(tip);
        button->setCheckable(true);
        button->setAutoRaise(true);
        modes->addButton(button);
    };
    setUpMode(m_textButton, QStringLiteral("bodyTextMode"), tr("Text"),
        tr("The body as text, JSON and XML indented"));
    setUpMode(m_treeButton, QStringLiteral("bodyTreeMode"), tr("Tree"),
        tr("A JSON body as a tree of keys, values and types"));
    connect(m_textButton, &QToolButton::clicked, this, [this] { setMode(Mode::Text); });
    connect(m_treeButton, &QToolButton::clicked, this, [this] { setMode(Mode::Tree); });

    m_expandAll->setObjectName(QStringLiteral("bodyExpandAll"));
    m_expandAll->setText(tr("Expand all"));
    m_expandAll->setAutoRaise(true);
    connect(m_expandAll, &QToolButton::clicked, m_tree, &QTreeView::expandAll);
    m_collapseAll->setObjectName(QStringLiteral("bodyCollapseAll"));
    m_collapseAll->setText(tr("Collapse all"));
    m_collapseAll->setAutoRaise(true);
    connect(m_collapseAll, &QToolButton::clicked, m_tree, &QTreeView::collapseAll);

    m_showAllButton->setObjectName(QStringLiteral("bodyTextShowAll"));
    m_showAllButton->setAccessibleName(tr("Show all of %1").arg(tr("Body")));
    m_showAllButton->setToolTip(tr("Show the whole content; a very large one takes a moment"));
    m_showAllButton->setAutoDefault(false);
    connect(m_showAllButton, &QPushButton::clicked, this, [this] {
        if (!m_stopped) {
            emit showAllRequested();
            return;
        }
        m_textShown = false; // formatting was stopped: start it again
        renderText();
    });

    m_copyBody->setObjectName(QStringLiteral("copyBodyButton"));
    m_copyBody->setText(tr("Copy body"));
    m_copyBody->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    m_copyBody->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_copyBody->setAutoRaise(true);
    m_copyBody->setToolTip(
        tr("Copy the body exactly as received (Copy tab copies it as shown, indented)"));
    connect(m_copyBody, &QToolButton::clicked, this, &BodyView::copyBody);

    m_problemLabel->setObjectName(QStringLiteral("bodyProblem"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setTextFormat(Qt::PlainText);
    m_problemLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_info, 1);
    layout->addWidget(m_textButton);
    layout->addWidget(m_treeButton);
    layout->addWidget(m_expandAll);
    layout->addWidget(m_collapseAll);
    layout->addWidget(m_showAllButton);
    layout->addWidget(m_copyBody);
    return row;
}

QWidget *BodyView::buildProgressRow()
{
    m_progressRow->setObjectName(QStringLiteral("bodyProgressRow"));
    m_progress->setObjectName(QStringLiteral("bodyProgress"));
    m_progress->setRange(0, 1000);
    m_cancel->setObjectName(QStringLiteral("bodyCancel"));
    m_cancel->setToolTip(tr("Stop formatting; what is shown so far stays"));
    m_cancel->setAutoDefault(false);
    connect(m_cancel, &QPushButton::clicked, this, &BodyView::cancel);
    auto *layout = new QHBoxLayout(m_progressRow);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_progress, 1);
    layout->addWidget(m_cancel);
    m_progressRow->hide();
    return m_progressRow;
}

void BodyView::reset()
{
    stopJobs();
    m_request.reset();
    m_kind = BodyKind::Empty;
    m_showAll = false;
    m_textShown = false;
    m_treeShown = false;
    m_truncated = false;
    m_stopped = false;
    m_problem.reset();
    // Emptied first: turning the colours off on a long text would recolour every line.
    m_text->clear();
    m_highlighter->setLanguage(BodyHighlighter::Language::None);
    m_text->setExtraSelections({});
    m_find->textChanged();
    if (m_treeModel) {
        QItemSelectionModel *selection = m_tree->selectionModel();
        m_tree->setModel(nullptr);
        delete selection;
        m_treeModel.reset();
    }
    m_textNote.clear();
    m_treeNote.clear();
    m_partsShown = 0;
    showNote();
    m_showAllButton->hide();
    m_problemLabel->hide();
    m_progressRow->hide();
    m_copyBody->setEnabled(false);
}

void BodyView::render(const LoggedRequest &request, BodyKind kind, bool showAll)
{
    reset();
    m_request = request;
    m_kind = kind;
    m_showAll = showAll;
    m_copyBody->setEnabled(!request.body.isEmpty());
    m_treeButton->setEnabled(kind == BodyKind::Json);
    showProblem();
    showMode();
}

QString BodyView::text()
{
    if (m_request && !m_textShown)
        renderText(); // the tree is shown: the text is made when asked for
    return m_text->toPlainText();
}

bool BodyView::showsTree() const
{
    return m_mode == Mode::Tree && m_kind == BodyKind::Json;
}

void BodyView::setMode(Mode mode)
{
    m_mode = mode;
    if (m_request)
        showMode();
}

void BodyView::showMode()
{
    const bool tree = showsTree();
    m_textButton->setChecked(!tree);
    m_treeButton->setChecked(tree);
    m_expandAll->setVisible(tree);
    m_collapseAll->setVisible(tree);
    if (tree) {
        m_find->hide();
        m_stack->setCurrentWidget(m_tree);
        if (!m_treeShown)
            startTreeJob();
    } else {
        if (!m_textShown)
            renderText();
        m_stack->setCurrentWidget(m_textPage);
    }
    // The notes and Show all belong to the view shown.
    showNote();
    m_showAllButton->setVisible(!tree && (m_truncated || m_stopped) && !m_textJob);
    updateProgress();
}

void BodyView::renderText()
{
    m_textShown = true;
    m_stopped = false;
    const LoggedRequest &request = *m_request;
    const QByteArray &bytes = request.body;
    const bool cut = !m_showAll && bytes.size() > PrettyLimit;
    const QByteArray shown = cut ? bytes.left(PrettyLimit) : bytes;
    QString note;
    QString text;
    BodyHighlighter::Language language = BodyHighlighter::Language::None;

    const bool formTable = m_kind == BodyKind::Form && !cut;
    m_textPage = formTable ? static_cast<QWidget *>(m_form) : m_text;
    bool background = false;
    switch (m_kind) {
    case BodyKind::Empty:
        note = tr("No body.");
        break;
    case BodyKind::Json:
        // Cut JSON does not parse: the start is shown as sent.
        background = !cut && bytes.size() > BackgroundLimit;
        if (!background)
            text = cut ? QString::fromUtf8(shown) : prettyJson(bytes);
        language = BodyHighlighter::Language::Json;
        break;
    case BodyKind::Xml:
        background = !cut && bytes.size() > BackgroundLimit;
        if (!background) {
            const std::optional<QString> pretty = cut ? std::nullopt : prettyXml(bytes);
            text = pretty ? *pretty : QString::fromUtf8(shown);
        }
        language = BodyHighlighter::Language::Xml;
        break;
    case BodyKind::Form:
        if (!cut)
            RequestDetailView::fillPairs(m_form, formFields(bytes));
        text = receivedText(shown);
        note = tr("Form fields, decoded: %n", nullptr, m_form->rowCount());
        break;
    case BodyKind::Text:
        text = receivedText(shown);
        if (m_problem)
            note = tr("Shown as received.");
        break;
    case BodyKind::Binary:
        text = hexDump(cut ? QByteArrayView(bytes).first(HexLimit) : QByteArrayView(bytes));
        note = tr("Binary content (%1), shown in hexadecimal.").arg(dataSize(bytes.size()));
        break;
    }
    if (cut) {
        note = tr("Showing the first %1 of %2, as received.")
                   .arg(dataSize(m_kind == BodyKind::Binary ? HexLimit : PrettyLimit),
                       dataSize(bytes.size()));
    }
    if (request.bodyTruncated) {
        note += (note.isEmpty() ? QString() : QStringLiteral(" "))
            + tr("The receiver kept %1 of the %2 sent.")
                  .arg(dataSize(bytes.size()), dataSize(request.bodySize));
    }
    // Colours are added block by block as text arrives; past the limit lines stay plain.
    m_highlighter->setLanguage(BodyHighlighter::Language::None);
    m_highlighter->setLimit(int(HighlightLimit));
    if (background) {
        setText({}, note, false);
        m_highlighter->setLanguage(language);
        startTextJob();
        return;
    }
    setText(text, note, cut);
    m_highlighter->setLanguage(language);
    if (m_problem) {
        // The cursor on the spot, marked, so the eye lands where the body breaks.
        const QTextBlock block = m_text->document()->findBlockByNumber(m_problem->line - 1);
        if (!block.isValid()) {
            m_textNote += QLatin1Char(' ') + tr("That place is past the part shown.");
            showNote();
            return;
        }
        const QString line = block.text();
        int offset = 0;
        for (int column = 1; column < m_problem->column && offset < line.size(); ++column)
            offset += line.at(offset).isHighSurrogate() ? 2 : 1;
        QTextCursor cursor(block);
        cursor.setPosition(block.position() + offset);
        m_text->setTextCursor(cursor);
        QTextEdit::ExtraSelection mark;
        mark.cursor = cursor;
        mark.cursor.movePosition(
            offset < line.size() ? QTextCursor::NextCharacter : QTextCursor::PreviousCharacter,
            QTextCursor::KeepAnchor);
        QColor colour = Tones::colour(Tones::Tone::Bad, palette());
        colour.setAlpha(90);
        mark.format.setBackground(colour);
        m_text->setExtraSelections({ mark });
        m_text->centerCursor();
    }
}

void BodyView::setText(const QString &content, const QString &note, bool truncated)
{
    m_truncated = truncated;
    m_text->setPlainText(content);
    m_find->textChanged();
    m_find->recount();
    m_textNote = note;
    showNote();
    m_showAllButton->setVisible(truncated);
}

void BodyView::showNote()
{
    const QString &note = showsTree() ? m_treeNote : m_textNote;
    m_info->setText(note);
    m_info->setVisible(!note.isEmpty());
}

void BodyView::showProblem()
{
    const LoggedRequest &request = *m_request;
    m_problem.reset();
    // A body the receiver cut does not parse either; that is said by the note, not here.
    if (m_kind != BodyKind::Text || request.bodyTruncated)
        return;
    QString label;
    switch (ContentCheck::classify(request.contentType)) {
    case MediaKind::Json:
        m_problem = ContentCheck::jsonProblem(request.body);
        if (m_problem)
            label = tr("Not valid JSON: %1").arg(describe(*m_problem));
        break;
    case MediaKind::Xml:
        m_problem = ContentCheck::xmlProblem(request.body);
        if (m_problem)
            label = tr("Not well-formed XML: %1").arg(describe(*m_problem));
        break;
    default:
        break;
    }
    QPalette palette = m_problemLabel->palette();
    palette.setColor(
        QPalette::WindowText, Tones::colour(Tones::Tone::Bad, palette, QPalette::Window));
    m_problemLabel->setPalette(palette);
    m_problemLabel->setText(label);
    m_problemLabel->setVisible(m_problem.has_value());
}

QString BodyView::describe(const BodyProblem &problem)
{
    using What = BodyProblem::What;
    QString what;
    switch (problem.what) {
    case What::ExpectedValue:
        what = tr("expected a value (object, array, string, number, true, false or null)");
        break;
    case What::ExpectedKey:
        what = tr("expected an object key in double quotes");
        break;
    case What::ExpectedColon:
        what = tr("expected ':' after an object key");
        break;
    case What::ExpectedCommaOrBrace:
        what = tr("expected ',' or '}' after an object member");
        break;
    case What::ExpectedCommaOrBracket:
        what = tr("expected ',' or ']' after an array element");
        break;
    case What::TrailingComma:
        what = tr("expected another element after ',' (JSON has no trailing commas)");
        break;
    case What::ExpectedLiteral:
        what = tr("expected true, false or null");
        break;
    case What::ExpectedDigit:
        what = tr("expected a digit in a number");
        break;
    case What::UnclosedString:
        what = tr("a string starts here and is never closed");
        break;
    case What::ControlCharacter:
        what = tr("a control character in a string must be escaped");
        break;
    case What::BadEscape:
        what = tr("an unknown escape sequence in a string");
        break;
    case What::BadUnicodeEscape:
        what = tr("expected four hexadecimal digits after \\u");
        break;
    case What::InvalidUtf8:
        what = tr("a string holds bytes that are not UTF-8");
        break;
    case What::TooDeep:
        what = tr("nested more than %1 levels deep").arg(ContentCheck::MaxJsonDepth);
        break;
    case What::ContentAfterValue:
        what = tr("expected the end of the body after the JSON value");
        break;
    case What::NoRootElement:
        what = tr("expected a root element");
        break;
    case What::UnclosedElement:
        what = tr("an element is not closed");
        break;
    case What::ContentAfterRoot:
        what = tr("expected the end of the body after the root element");
        break;
    case What::MismatchedEndTag:
        what = tr("an end tag does not match the element it closes");
        break;
    case What::NotWellFormedXml:
        what = tr("the XML is not well-formed here");
        break;
    }
    if (problem.atEnd && problem.what != What::UnclosedString)
        what = tr("%1, found the end of the body").arg(what);
    return tr("line %1, column %2: %3")
        .arg(QLocale().toString(problem.line), QLocale().toString(problem.column), what);
}

void BodyView::startTextJob()
{
    auto job = std::make_shared<Job>();
    job->total = m_request->body.size();
    m_textJob = job;
    // The bytes are shared, not copied, and only read while the worker runs.
    if (m_kind == BodyKind::Xml) {
        m_pool.start([this, job, body = m_request->body] {
            // The XML writer wants the whole document: formatted in one go, shown in parts.
            const std::optional<QString> pretty = prettyXml(body);
            const QString all = pretty ? *pretty : QString::fromUtf8(body);
            for (qsizetype from = 0; from < all.size() && !job->cancelled;) {
                qsizetype to = std::min(all.size(), from + PartBytes);
                if (to < all.size() && all.at(to - 1).isHighSurrogate())
                    ++to; // a character is never cut in two
                offer(job, { all.mid(from, to - from), body.size() * to / all.size() },
                    to == all.size());
                from = to;
            }
        });
    } else {
        m_pool.start([this, job, body = m_request->body] {
            JsonPrettyPrinter printer(body);
            bool more = true;
            while (more && !job->cancelled) {
                QByteArray out;
                more = printer.next(out, PartBytes);
                offer(job, { QString::fromUtf8(out), printer.consumed() }, !more);
            }
        });
    }
    setBusy();
}

// On the worker's thread: queues a part, waiting while enough wait already, and wakes the view
// when it had nothing to take.
void BodyView::offer(const std::shared_ptr<Job> &job, TextPart part, bool last)
{
    job->done = part.readUpTo;
    QMutexLocker lock(&job->mutex);
    while (job->parts.size() >= MaxWaitingParts && !job->cancelled)
        job->room.wait(&job->mutex);
    const bool wasEmpty = job->parts.empty();
    job->parts.push_back(std::move(part));
    job->finished = last;
    if (wasEmpty) {
        QMetaObject::invokeMethod(
            this,
            [this, job] {
                if (job == m_textJob)
                    queueTakeParts();
            },
            Qt::QueuedConnection);
    }
}

// One part per turn of the event loop, so input and painting go on between parts.
void BodyView::queueTakeParts()
{
    if (m_partQueued)
        return;
    m_partQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_partQueued = false;
            takeParts();
        },
        Qt::QueuedConnection);
}

void BodyView::takeParts()
{
    const std::shared_ptr<Job> job = m_textJob;
    if (!job)
        return;
    TextPart part;
    bool last = false;
    bool more = false;
    {
        QMutexLocker lock(&job->mutex);
        if (job->parts.empty())
            return; // the worker queues another call with its next part
        part = std::move(job->parts.front());
        job->parts.pop_front();
        last = job->finished && job->parts.empty();
        more = !job->parts.empty();
        job->room.wakeAll();
    }
    if (more)
        queueTakeParts();
    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(part.text);
    job->shown = part.readUpTo;
    ++m_partsShown;
    updateProgress();
    if (last)
        finishTextJob();
}

void BodyView::finishTextJob()
{
    m_textJob.reset();
    updateProgress();
    m_find->recount();
    emit finished();
}

void BodyView::startTreeJob()
{
    m_treeShown = true;
    const QByteArray body = m_request->body;
    const auto show = [this](std::shared_ptr<const JsonTreeModel::Tree> tree) {
        auto model = std::make_unique<JsonTreeModel>(std::move(tree));
        QItemSelectionModel *selection = m_tree->selectionModel();
        m_tree->setModel(model.get());
        delete selection;
        m_treeModel = std::move(model);
        m_tree->expandToDepth(0);
        m_treeNote = m_treeModel->tree().cut
            ? tr("The tree shows the first %1 values; the text shows them all.")
                  .arg(QLocale().toString(JsonTreeModel::MaxNodes))
            : QString();
        showNote();
    };
    if (body.size() <= BackgroundLimit) {
        show(JsonTreeModel::build(body));
        return;
    }
    auto job = std::make_shared<Job>();
    job->total = body.size();
    m_treeJob = job;
    m_pool.start([this, job, body, show] {
        std::shared_ptr<JsonTreeModel::Tree> tree
            = JsonTreeModel::build(body, &job->cancelled, &job->done);
        QMetaObject::invokeMethod(
            this,
            [this, job, tree, show] {
                if (job != m_treeJob)
                    return;
                m_treeJob.reset();
                show(tree);
                updateProgress();
                emit finished();
            },
            Qt::QueuedConnection);
    });
    setBusy();
}

void BodyView::setBusy()
{
    m_showAllButton->hide();
    m_progressTimer.start();
    updateProgress();
}

void BodyView::updateProgress()
{
    const bool tree = showsTree();
    const std::shared_ptr<Job> &job = tree ? m_treeJob : m_textJob;
    if (!m_textJob && !m_treeJob)
        m_progressTimer.stop();
    m_progressRow->setVisible(bool(job));
    if (!job)
        return;
    // The text's progress is what is shown, not what the worker has read ahead.
    const qsizetype done = tree ? qsizetype(job->done) : job->shown;
    m_progress->setValue(int(job->total > 0 ? done * 1000 / job->total : 0));
    m_progress->setFormat(tree ? tr("Building the tree of %1: %p%").arg(dataSize(job->total))
                               : tr("Formatting %1: %p%").arg(dataSize(job->total)));
}

void BodyView::cancel()
{
    if (showsTree() && m_treeJob) {
        m_treeJob->cancel();
        m_treeJob.reset();
        m_treeShown = false;
        setMode(Mode::Text);
        return;
    }
    if (!m_textJob)
        return;
    const qsizetype stoppedAt = m_textJob->shown;
    m_textJob->cancel();
    m_textJob.reset();
    m_stopped = true;
    m_textNote = tr("Stopped: showing the part formatted so far, %1 of the %2 body.")
                     .arg(dataSize(stoppedAt), dataSize(m_request->body.size()));
    showNote();
    m_showAllButton->show();
    updateProgress();
    m_find->recount();
}

void BodyView::stopJobs()
{
    for (std::shared_ptr<Job> *job : { &m_textJob, &m_treeJob }) {
        if (*job) {
            (*job)->cancel();
            job->reset();
        }
    }
    m_progressTimer.stop();
}

void BodyView::openFind()
{
    if (showsTree())
        setMode(Mode::Text); // find works on the text
    m_stack->setCurrentWidget(m_text);
    m_find->open();
}

void BodyView::copyBody()
{
    if (!m_request || m_request->body.isEmpty())
        return;
    // The bytes themselves for a program that takes them, and as text for everything else.
    auto *mime = new QMimeData;
    mime->setText(receivedText(m_request->body));
    mime->setData(QStringLiteral("application/octet-stream"), m_request->body);
    QGuiApplication::clipboard()->setMimeData(mime);
    QString message = tr("Body copied as received (%1).").arg(dataSize(m_request->body.size()));
    if (m_request->bodyTruncated)
        message += QLatin1Char(' ')
            + tr("The receiver kept only this part of the %1 sent.")
                  .arg(dataSize(m_request->bodySize));
    emit copied(message);
}

// In the tree and the form's table, Ctrl+F finds in the text (the find bar takes it there).
bool BodyView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Find)) {
            if (event->type() == QEvent::KeyPress)
                openFind();
            else
                event->accept();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

BodyView::BodyKind BodyView::classifyBody(const LoggedRequest &request)
{
    const QByteArray &body = request.body;
    if (body.isEmpty())
        return BodyKind::Empty;
    if (!isReadableText(body))
        return BodyKind::Binary;
    if (request.bodyTruncated)
        return BodyKind::Text; // a cut document does not parse
    switch (ContentCheck::classify(request.contentType)) {
    case MediaKind::Json:
        return ContentCheck::isValidJson(body) ? BodyKind::Json : BodyKind::Text;
    case MediaKind::Xml:
        return ContentCheck::isWellFormedXml(body) ? BodyKind::Xml : BodyKind::Text;
    case MediaKind::Form:
        return BodyKind::Form;
    case MediaKind::Unsupported:
        break;
    }
    return BodyKind::Text;
}

QString BodyView::prettyJson(QByteArrayView json)
{
    return QString::fromUtf8(JsonPrettyPrinter::format(json));
}

std::optional<QString> BodyView::prettyXml(QByteArrayView xml)
{
    QXmlStreamReader reader(xml.toByteArray());
    QString out;
    QXmlStreamWriter writer(&out);
    writer.setAutoFormatting(true);
    writer.setAutoFormattingIndent(2);
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.hasError())
            return std::nullopt;
        switch (reader.tokenType()) {
        case QXmlStreamReader::StartDocument:
            if (reader.documentVersion().isEmpty())
                continue; // no declaration was sent: none is added
            break;
        case QXmlStreamReader::Characters:
            if (reader.isWhitespace())
                continue; // the old indentation; auto-formatting brings its own
            break;
        default:
            break;
        }
        writer.writeCurrentToken(reader);
    }
    if (reader.hasError())
        return std::nullopt;
    return out.trimmed();
}

QString BodyView::hexDump(QByteArrayView bytes)
{
    static constexpr char Digits[] = "0123456789abcdef";
    QByteArray out;
    out.reserve((bytes.size() / 16 + 1) * 78);
    for (qsizetype offset = 0; offset < bytes.size(); offset += 16) {
        out += QByteArray::number(offset, 16).rightJustified(8, '0');
        out += "  ";
        const qsizetype count = std::min<qsizetype>(16, bytes.size() - offset);
        for (qsizetype i = 0; i < 16; ++i) {
            if (i < count) {
                const auto byte = static_cast<unsigned char>(bytes.at(offset + i));
                out += Digits[byte >> 4];
                out += Digits[byte & 0xf];
                out += ' ';
            } else {
                out += "   ";
            }
            if (i == 7)
                out += ' ';
        }
        out += " |";
        for (qsizetype i = 0; i < count; ++i) {
            const char c = bytes.at(offset + i);
            out += c >= 0x20 && c < 0x7f ? c : '.';
        }
        out += "|\n";
    }
    return QString::fromLatin1(out);
}

} // namespace Hooktrail
