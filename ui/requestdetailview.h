// The history's detail pane: one logged request as overview, headers, query, body (pretty and
// highlighted), raw text, hex, the response that was sent and its deliveries onward. Secrets show
// as stored: redacted.
#pragma once

#include "core/model/destination.h"
#include "core/model/loggedrequest.h"
#include "ui/bodyview.h"

#include <QPair>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedLayout;
class QAction;
class QTabWidget;
class QTableWidget;
class QToolButton;

namespace Hooktrail {

class BodyHighlighter;
class DeliveriesView;
class RequestSummary;

class RequestDetailView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestDetailView)
public:
    enum Tab {
        OverviewTab,
        HeadersTab,
        QueryTab,
        BodyTab,
        RawTab,
        HexTab,
        AnswerTab,
        DeliveriesTab
    };
    using BodyKind = BodyView::BodyKind;

    // The raw and hex views cut where the body view does.
    static constexpr qsizetype PrettyLimit = BodyView::PrettyLimit;
    static constexpr qsizetype HexLimit = BodyView::HexLimit;

    // What the request alone does not say, looked up by the page.
    struct Context
    {
        QString webhookName; // empty: unknown or gone
        QString apiKey; // "htk_abcd… (name)"; empty when the request matched no stored key
        QByteArray allow; // the Allow header a 405 carried: the webhook's methods
        int retryAfterSeconds = 0; // the Retry-After a 503 carried
    };

    explicit RequestDetailView(QWidget *parent = nullptr);
    ~RequestDetailView() override;

    void setRequest(const LoggedRequest &request, const Context &context);
    // No request: a message in place of the tabs ("Select a request", an error, ...).
    void clear(const QString &message = {});
    const std::optional<LoggedRequest> &request() const { return m_request; }
    // The request's deliveries (read with it, and again as the deliverer moves them on).
    void setDeliveries(const QList<Delivery> &deliveries);
    DeliveriesView *deliveriesView() const { return m_deliveries; }

    QTabWidget *tabs() const { return m_tabs; }
    RequestSummary *summary() const { return m_summary; }
    // Copies the current tab's content as text; the button beside the tabs and its shortcut.
    void copyCurrentTab();
    QToolButton *copyButton() const { return m_copyButton; }
    QAction *copyAction() const { return m_copyAction; }
    // A tab's content as text: what copyCurrentTab() puts on the clipboard.
    QString tabContent(int tab);
    // The texts of the views, rendered on demand (each view renders when first shown).
    QString bodyText();
    QString rawText();
    QString hexText();
    QString answerText();
    QString overviewText() const; // every overview line, "Label: value"
    BodyKind bodyKind() const { return m_bodyKind; }
    BodyView *bodyView() const { return m_bodyView; }
    BodyHighlighter *highlighter() const { return m_bodyView->highlighter(); }
    bool isTruncated() const; // the current tab's view shows only the start
    void showAll();

    static BodyKind classifyBody(const LoggedRequest &request)
    {
        return BodyView::classifyBody(request);
    }
    static QString formatMicros(qint64 micros);
    // A two-column table of names and values, read-only; its rows.
    static void setUpPairs(QTableWidget *table, const QString &objectName,
        const QString &accessibleName, const QString &nameHeader);
    static void fillPairs(QTableWidget *table, const QList<QPair<QString, QString>> &pairs);

signals:
    void copied(const QString &message); // says what went to the clipboard

private:
    struct TextPane;
    QWidget *buildContent();
    QWidget *buildOverviewTab();
    void setUpAnswer();
    TextPane *makeTextPane(const QString &objectName, const QString &accessibleName);
    void addOverviewRow(const QString &key, const QString &label);
    void setOverview(const QString &key, const QString &value);
    void renderTab(int tab);
    void renderBody();
    void renderRaw();
    void renderHex();
    void renderAnswer();

    std::vector<std::unique_ptr<TextPane>> m_panes;
    QStackedLayout *m_stack;
    QLabel *m_placeholder;
    QTabWidget *m_tabs;
    RequestSummary *m_summary;
    QAction *m_copyAction;
    QToolButton *m_copyButton;
    QWidget *m_overview;
    QList<QPair<QString, QLabel *>> m_overviewLabels; // key, value label, in display order
    QTableWidget *m_headers;
    QTableWidget *m_query;
    BodyView *m_bodyView;
    TextPane *m_raw;
    TextPane *m_hex;
    QPlainTextEdit *m_answer;
    DeliveriesView *m_deliveries;

    std::optional<LoggedRequest> m_request;
    Context m_context;
    BodyKind m_bodyKind = BodyKind::Empty;
    bool m_showAll = false;
    quint32 m_rendered = 0; // one bit per Tab, for the current request
};

} // namespace Hooktrail
