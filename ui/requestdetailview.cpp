// The history's detail pane: one logged request as overview, headers, query, body (pretty and
// highlighted), raw text, hex and the response that was sent. Secrets show as stored: redacted.
#include "ui/requestdetailview.h"

#include "ui/requestoverview.h"

#include "core/endpoint/answer.h"
#include "core/endpoint/reasontext.h"
#include "core/history/formdata.h"
#include "ui/deliveriesview.h"
#include "ui/findbar.h"
#include "ui/requestsummary.h"
#include "ui/tones.h"

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedLayout>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Hooktrail {

namespace {

// The status line the receiver sent, e.g. "HTTP/1.1 401 Unauthorized".
QByteArray statusLineOf(const QByteArray &answer)
{
    return answer.left(answer.indexOf("\r\n"));
}

} // namespace

struct RequestDetailView::TextPane
{
    QWidget *widget = nullptr;
    QLabel *info = nullptr;
    QPushButton *showAll = nullptr;
    QPlainTextEdit *text = nullptr;
    FindBar *find = nullptr;
    bool truncated = false;

    void setText(const QString &content, const QString &note, bool isTruncated)
    {
        truncated = isTruncated;
        text->setPlainText(content);
        find->textChanged();
        info->setText(note);
        info->setVisible(!note.isEmpty());
        showAll->setVisible(isTruncated);
    }
};

RequestDetailView::RequestDetailView(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedLayout(this))
    , m_placeholder(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_summary(new RequestSummary(this))
    , m_copyAction(new QAction(this))
    , m_copyButton(new QToolButton(this))
    , m_overview(new QWidget)
    , m_headers(new QTableWidget(0, 2, this))
    , m_query(new QTableWidget(0, 2, this))
    , m_bodyView(new BodyView(this))
    , m_answer(new QPlainTextEdit(this))
    , m_deliveries(new DeliveriesView(this))
{
    m_placeholder->setObjectName(QStringLiteral("detailPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);

    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_tabs->setAccessibleName(tr("Request details"));
    m_tabs->setDocumentMode(true);

    m_tabs->addTab(buildOverviewTab(), tr("&Overview"));
    setUpPairs(m_headers, QStringLiteral("headersTable"), tr("Request headers"), tr("Header"));
    m_tabs->addTab(m_headers, tr("&Headers"));
    setUpPairs(m_query, QStringLiteral("queryTable"), tr("Query parameters"), tr("Parameter"));
    m_query->setToolTip(tr("The query string, percent-decoded"));
    m_tabs->addTab(m_query, tr("&Query"));

    connect(m_bodyView, &BodyView::showAllRequested, this, &RequestDetailView::showAll);
    connect(m_bodyView, &BodyView::copied, this, &RequestDetailView::copied);
    m_tabs->addTab(m_bodyView, tr("&Body"));
    m_raw = makeTextPane(QStringLiteral("rawText"), tr("Raw request"));
    m_tabs->addTab(m_raw->widget, tr("&Raw"));
    m_hex = makeTextPane(QStringLiteral("hexText"), tr("Body in hexadecimal"));
    m_tabs->addTab(m_hex->widget, tr("He&x"));

    setUpAnswer();
    m_tabs->addTab(m_answer, tr("Res&ponse"));
    m_tabs->addTab(m_deliveries, tr("Deli&veries"));

    connect(m_tabs, &QTabWidget::currentChanged, this, &RequestDetailView::renderTab);

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(buildContent());
    clear();
}

RequestDetailView::~RequestDetailView() = default;

// The summary above the tabs, and beside them the button that copies the tab shown.
QWidget *RequestDetailView::buildContent()
{
    m_copyAction->setObjectName(QStringLiteral("copyTabAction"));
    m_copyAction->setText(tr("Cop&y tab"));
    m_copyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C));
    // The page adds it too, so it works from the table as well as from the tabs.
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copyAction->setToolTip(tr("Copy this tab's content as text (%1)")
                                 .arg(m_copyAction->shortcut().toString(QKeySequence::NativeText)));
    m_copyAction->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    connect(m_copyAction, &QAction::triggered, this, &RequestDetailView::copyCurrentTab);
    addAction(m_copyAction);
    m_copyButton->setObjectName(QStringLiteral("copyTabButton"));
    m_copyButton->setDefaultAction(m_copyAction);
    m_copyButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_copyButton->setAutoRaise(true);
    m_copyButton->setAccessibleName(tr("Copy tab"));
    m_tabs->setCornerWidget(m_copyButton, Qt::TopRightCorner);

    auto *content = new QWidget(this);
    content->setObjectName(QStringLiteral("detailContent"));
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);
    return content;
}

QString RequestDetailView::tabContent(int tab)
{
    if (!m_request)
        return {};
    const auto pairs = [](const QTableWidget *table) {
        QStringList lines;
        for (int row = 0; row < table->rowCount(); ++row) {
            const QTableWidgetItem *name = table->item(row, 0);
            const QTableWidgetItem *value = table->item(row, 1);
            lines.append((name ? name->text() : QString()) + QStringLiteral(": ")
                + (value ? value->text() : QString()));
        }
        return lines.join(QLatin1Char('\n'));
    };
    switch (tab) {
    case OverviewTab:
        return m_summary->text() + QLatin1Char('\n') + overviewText();
    case HeadersTab:
        return pairs(m_headers);
    case QueryTab:
        return pairs(m_query);
    case BodyTab:
        return bodyText();
    case RawTab:
        return rawText();
    case HexTab:
        return hexText();
    case AnswerTab:
        return answerText();
    case DeliveriesTab:
        return m_deliveries->text();
    default:
        return {};
    }
}

void RequestDetailView::copyCurrentTab()
{
    if (!m_request)
        return;
    const int tab = m_tabs->currentIndex();
    QGuiApplication::clipboard()->setText(tabContent(tab));
    QString message;
    switch (tab) {
    case OverviewTab:
        message = tr("Overview copied.");
        break;
    case HeadersTab:
        message = tr("Headers copied.");
        break;
    case QueryTab:
        message = tr("Query parameters copied.");
        break;
    case BodyTab:
        message = tr("Body copied.");
        break;
    case RawTab:
        message = tr("Raw request copied.");
        break;
    case HexTab:
        message = tr("Hexadecimal view copied.");
        break;
    case AnswerTab:
        message = tr("Response copied.");
        break;
    case DeliveriesTab:
        message = tr("Deliveries copied.");
        break;
    default:
        break;
    }
    if (isTruncated())
        message += QLatin1Char(' ')
            + tr("Only the part shown was copied: “Show all” first to copy everything.");
    // The button says it worked where the user clicked, for a moment.
    m_copyAction->setText(tr("Copied"));
    QTimer::singleShot(1500, m_copyAction, [this] { m_copyAction->setText(tr("Cop&y tab")); });
    emit copied(message);
}

// Label/value lines, selectable so a value can be copied.
QWidget *RequestDetailView::buildOverviewTab()
{
    auto *overviewLayout = new QFormLayout(m_overview);
    overviewLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addOverviewRow(QStringLiteral("received"), tr("Received:"));
    addOverviewRow(QStringLiteral("id"), tr("Request id:"));
    addOverviewRow(QStringLiteral("webhook"), tr("Webhook:"));
    addOverviewRow(QStringLiteral("request"), tr("Request:"));
    addOverviewRow(QStringLiteral("client"), tr("Client:"));
    addOverviewRow(QStringLiteral("outcome"), tr("Outcome:"));
    addOverviewRow(QStringLiteral("status"), tr("Status:"));
    addOverviewRow(QStringLiteral("reason"), tr("Reason:"));
    addOverviewRow(QStringLiteral("detail"), tr("Detail:"));
    addOverviewRow(QStringLiteral("apiKey"), tr("API key:"));
    addOverviewRow(QStringLiteral("handling"), tr("Handling time:"));
    addOverviewRow(QStringLiteral("instance"), tr("Receiver:"));
    addOverviewRow(QStringLiteral("body"), tr("Body:"));
    for (const auto &[key, label] : std::as_const(m_overviewLabels))
        overviewLayout->addRow(label->property("caption").toString(), label);
    auto *overviewScroll = new QScrollArea(this);
    overviewScroll->setObjectName(QStringLiteral("overviewArea"));
    overviewScroll->setWidgetResizable(true);
    overviewScroll->setFrameShape(QFrame::NoFrame);
    overviewScroll->setWidget(m_overview);
    return overviewScroll;
}

void RequestDetailView::setUpPairs(QTableWidget *table, const QString &objectName,
    const QString &accessibleName, const QString &nameHeader)
{
    table->setObjectName(objectName);
    table->setAccessibleName(accessibleName);
    table->setHorizontalHeaderLabels({ nameHeader, tr("Value") });
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setTabKeyNavigation(false);
    table->setWordWrap(false);
}

void RequestDetailView::setUpAnswer()
{
    m_answer->setObjectName(QStringLiteral("answerText"));
    m_answer->setAccessibleName(tr("Response sent"));
    m_answer->setToolTip(tr("The response the receiver sent for this request"));
    m_answer->setReadOnly(true);
    m_answer->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_answer->setLineWrapMode(QPlainTextEdit::NoWrap);
}

RequestDetailView::TextPane *RequestDetailView::makeTextPane(
    const QString &objectName, const QString &accessibleName)
{
    auto pane = std::make_unique<TextPane>();
    pane->widget = new QWidget(this);
    pane->info = new QLabel(pane->widget);
    pane->info->setObjectName(objectName + QStringLiteral("Info"));
    pane->info->setWordWrap(true);
    pane->info->setForegroundRole(QPalette::PlaceholderText);
    pane->showAll = new QPushButton(tr("Show &all"), pane->widget);
    pane->showAll->setObjectName(objectName + QStringLiteral("ShowAll"));
    pane->showAll->setAccessibleName(tr("Show all of %1").arg(accessibleName));
    pane->showAll->setToolTip(tr("Show the whole content; a very large one takes a moment"));
    pane->showAll->setAutoDefault(false);
    connect(pane->showAll, &QPushButton::clicked, this, &RequestDetailView::showAll);
    pane->text = new QPlainTextEdit(pane->widget);
    pane->text->setObjectName(objectName);
    pane->text->setAccessibleName(accessibleName);
    pane->text->setReadOnly(true);
    pane->text->setLineWrapMode(QPlainTextEdit::NoWrap);
    pane->text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    pane->text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    auto *infoRow = new QHBoxLayout;
    infoRow->addWidget(pane->info, 1);
    infoRow->addWidget(pane->showAll);
    // Ctrl+F finds in the raw text and the hex dump as in the body.
    pane->find = new FindBar(pane->text, pane->widget);
    pane->find->setObjectName(objectName + QStringLiteral("FindBar"));
    auto *layout = new QVBoxLayout(pane->widget);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(infoRow);
    layout->addWidget(pane->find);
    layout->addWidget(pane->text, 1);
    m_panes.push_back(std::move(pane));
    return m_panes.back().get();
}

void RequestDetailView::addOverviewRow(const QString &key, const QString &label)
{
    auto *value = new QLabel(m_overview);
    value->setObjectName(key + QStringLiteral("Value"));
    value->setProperty("caption", label);
    value->setAccessibleName(QString(label).remove(QLatin1Char(':')));
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setWordWrap(true);
    m_overviewLabels.append({ key, value });
}

void RequestDetailView::setOverview(const QString &key, const QString &value)
{
    for (const auto &[name, label] : std::as_const(m_overviewLabels)) {
        if (name == key) {
            label->setText(value.isEmpty() ? tr("—") : value);
            return;
        }
    }
}

QString RequestDetailView::overviewText() const
{
    QStringList lines;
    for (const auto &[key, label] : m_overviewLabels)
        lines.append(label->property("caption").toString() + QLatin1Char(' ') + label->text());
    return lines.join(QLatin1Char('\n'));
}

void RequestDetailView::clear(const QString &message)
{
    m_request.reset();
    m_rendered = 0;
    m_bodyView->reset();
    m_deliveries->setRequest(0, false);
    m_tabs->setTabText(DeliveriesTab, tr("Deli&veries"));
    m_placeholder->setText(message.isEmpty() ? tr("Select a request to see it here.") : message);
    m_stack->setCurrentWidget(m_placeholder);
}

void RequestDetailView::setDeliveries(const QList<Delivery> &deliveries)
{
    if (!m_request)
        return;
    m_deliveries->setDeliveries(deliveries);
    m_tabs->setTabText(DeliveriesTab,
        deliveries.isEmpty() ? tr("Deli&veries") : tr("Deli&veries (%1)").arg(deliveries.size()));
}

void RequestDetailView::setRequest(const LoggedRequest &request, const Context &context)
{
    if (!m_request || m_request->id != request.id)
        m_deliveries->setRequest(request.id, request.accepted());
    m_request = request;
    m_context = context;
    m_bodyKind = classifyBody(request);
    m_showAll = false;
    m_rendered = 0;
    m_bodyView->reset(); // stops the last body's formatting, shown or not

    const QDateTime utc = QDateTime::fromMSecsSinceEpoch(request.receivedAtMicros / 1000, Qt::UTC);
    setOverview(QStringLiteral("received"),
        tr("%1 (%2)").arg(QLocale().toString(utc.toLocalTime(), QLocale::LongFormat),
            LoggedRequest::formatTimestamp(request.receivedAtMicros)));
    setOverview(QStringLiteral("id"), QString::number(request.id));
    if (request.webhookId.isEmpty())
        setOverview(QStringLiteral("webhook"), tr("None: the path named no known webhook"));
    else if (context.webhookName.isEmpty())
        setOverview(QStringLiteral("webhook"), tr("%1 (no longer exists)").arg(request.webhookId));
    else
        setOverview(
            QStringLiteral("webhook"), tr("%1 (%2)").arg(context.webhookName, request.webhookId));
    setOverview(QStringLiteral("request"),
        tr("%1 %2 %3")
            .arg(QString::fromLatin1(request.method), receivedText(request.path),
                QString::fromLatin1(request.httpVersion)));
    setOverview(QStringLiteral("client"),
        request.forwardedFor.isEmpty()
            ? request.clientAddress
            : tr("%1, forwarded for %2").arg(request.clientAddress, request.forwardedFor));
    setOverview(QStringLiteral("outcome"), request.accepted() ? tr("Accepted") : tr("Rejected"));
    const QByteArray statusLine
        = statusLineOf(Endpoint::answer(request.status, request.reason, request.id, true));
    setOverview(
        QStringLiteral("status"), QString::fromLatin1(statusLine.mid(9))); // after "HTTP/1.1 "
    // Outcome and status in the tone of the history's rows, against the window they sit on.
    const Tones::Tone tone = request.accepted() ? Tones::Tone::Good : Tones::Tone::Bad;
    for (const auto &[key, label] : std::as_const(m_overviewLabels)) {
        if (key != QLatin1String("outcome") && key != QLatin1String("status"))
            continue;
        QPalette palette = m_overview->palette();
        palette.setColor(QPalette::WindowText, Tones::colour(tone, palette, QPalette::Window));
        label->setPalette(palette);
    }
    setOverview(QStringLiteral("reason"), Endpoint::reasonWithCode(request.reason));
    setOverview(QStringLiteral("detail"), request.reasonDetail);
    setOverview(QStringLiteral("apiKey"), RequestOverview::keyText(request, context.apiKey));
    setOverview(QStringLiteral("handling"), formatMicros(request.handlingMicros));
    setOverview(QStringLiteral("instance"), request.instance);
    setOverview(QStringLiteral("body"), RequestOverview::bodyText(request));

    QList<QPair<QString, QString>> headers;
    for (const auto &[name, value] : request.headers)
        headers.append({ receivedText(name), receivedText(value) });
    fillPairs(m_headers, headers);
    fillPairs(m_query, formFields(request.query));
    m_tabs->setTabText(QueryTab,
        request.query.isEmpty() ? tr("&Query") : tr("&Query (%1)").arg(m_query->rowCount()));
    m_tabs->setTabText(HeadersTab, tr("&Headers (%1)").arg(m_headers->rowCount()));

    m_summary->setRequest(request);
    m_stack->setCurrentIndex(1);
    renderTab(m_tabs->currentIndex());
}

void RequestDetailView::fillPairs(QTableWidget *table, const QList<QPair<QString, QString>> &pairs)
{
    table->setRowCount(0);
    table->setRowCount(int(pairs.size()));
    for (int row = 0; row < pairs.size(); ++row) {
        auto *name = new QTableWidgetItem(pairs.at(row).first);
        auto *value = new QTableWidgetItem(pairs.at(row).second);
        value->setToolTip(pairs.at(row).second.left(1000));
        table->setItem(row, 0, name);
        table->setItem(row, 1, value);
    }
}

void RequestDetailView::renderTab(int tab)
{
    if (!m_request || tab < 0 || (m_rendered & (1u << tab)))
        return;
    m_rendered |= 1u << tab;
    switch (tab) {
    case BodyTab:
        renderBody();
        break;
    case RawTab:
        renderRaw();
        break;
    case HexTab:
        renderHex();
        break;
    case AnswerTab:
        renderAnswer();
        break;
    default:
        break; // filled by setRequest: small
    }
}

QString RequestDetailView::bodyText()
{
    renderTab(BodyTab);
    return m_bodyView->text();
}

QString RequestDetailView::rawText()
{
    renderTab(RawTab);
    return m_raw->text->toPlainText();
}

QString RequestDetailView::hexText()
{
    renderTab(HexTab);
    return m_hex->text->toPlainText();
}

QString RequestDetailView::answerText()
{
    renderTab(AnswerTab);
    return m_answer->toPlainText();
}

bool RequestDetailView::isTruncated() const
{
    switch (m_tabs->currentIndex()) {
    case BodyTab:
        return m_bodyView->isTruncated();
    case RawTab:
        return m_raw->truncated;
    case HexTab:
        return m_hex->truncated;
    default:
        return false;
    }
}

void RequestDetailView::showAll()
{
    if (!m_request || m_showAll)
        return;
    m_showAll = true;
    m_rendered &= ~((1u << BodyTab) | (1u << RawTab) | (1u << HexTab));
    renderTab(m_tabs->currentIndex());
}

void RequestDetailView::renderBody()
{
    m_bodyView->render(*m_request, m_bodyKind, m_showAll);
}

void RequestDetailView::renderRaw()
{
    const LoggedRequest &request = *m_request;
    QString raw
        = QString::fromLatin1(request.method) + QLatin1Char(' ') + receivedText(request.path);
    if (!request.query.isEmpty())
        raw += QLatin1Char('?') + receivedText(request.query);
    raw += QLatin1Char(' ') + QString::fromLatin1(request.httpVersion) + QLatin1Char('\n');
    for (const auto &[name, value] : request.headers)
        raw += receivedText(name) + QStringLiteral(": ") + receivedText(value) + QLatin1Char('\n');
    raw += QLatin1Char('\n');
    const bool cut = !m_showAll && request.body.size() > PrettyLimit;
    QString note;
    if (m_bodyKind == BodyKind::Binary) {
        raw += tr("[%n bytes of binary content: see the Hex tab]", nullptr,
            int(std::min<qsizetype>(request.body.size(), INT_MAX)));
    } else {
        raw += receivedText(cut ? request.body.left(PrettyLimit) : request.body);
        if (cut)
            note = tr("Showing the first %1 of the body.")
                       .arg(QLocale().formattedDataSize(PrettyLimit));
    }
    m_raw->setText(raw, note, cut && m_bodyKind != BodyKind::Binary);
}

void RequestDetailView::renderHex()
{
    const QByteArray &bytes = m_request->body;
    const bool cut = !m_showAll && bytes.size() > HexLimit;
    m_hex->setText(
        BodyView::hexDump(cut ? QByteArrayView(bytes).first(HexLimit) : QByteArrayView(bytes)),
        bytes.isEmpty() ? tr("No body.")
            : cut       ? tr("Showing the first %1 of %2.")
                        .arg(QLocale().formattedDataSize(HexLimit),
                            QLocale().formattedDataSize(bytes.size()))
                  : QString(),
        cut);
}

void RequestDetailView::renderAnswer()
{
    const LoggedRequest &request = *m_request;
    // The receiver's own answer function, so this shows what it wrote byte for byte, except
    // Connection, which depended on the connection (early refusals close it).
    const bool closes = request.status == 400 || request.status == 408 || request.status == 413
        || request.status == 431;
    const QByteArray answer = Endpoint::answer(request.status, request.reason, request.id, !closes,
        request.status == 405 ? QByteArrayView(m_context.allow) : QByteArrayView(),
        request.status == 503 ? m_context.retryAfterSeconds : 0, request.method == "HEAD");
    QString text = QString::fromLatin1(answer);
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    m_answer->setPlainText(text);
}

QString RequestDetailView::formatMicros(qint64 micros)
{
    if (micros < 1000)
        return tr("%1 µs").arg(micros);
    if (micros < 1000000)
        return tr("%1 ms").arg(QLocale().toString(double(micros) / 1000.0, 'f', 2));
    return tr("%1 s").arg(QLocale().toString(double(micros) / 1000000.0, 'f', 2));
}

} // namespace Hooktrail
