// The history's detail pane: one logged request as overview, headers, query, body (pretty and
// highlighted), raw text, hex and the response that was sent. Secrets show as stored: redacted.
#pragma once

#include "core/model/loggedrequest.h"

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
class RequestSummary;

class RequestDetailView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestDetailView)
public:
    enum Tab { OverviewTab, HeadersTab, QueryTab, BodyTab, RawTab, HexTab, AnswerTab };
    enum class BodyKind { Empty, Json, Xml, Form, Text, Binary };

    // Past this many bytes the body, raw and hex views show the start and a "Show all" button,
    // so selecting a 10 MiB request does not freeze the window.
    static constexpr qsizetype PrettyLimit = 256 * 1024;
    static constexpr qsizetype HexLimit = 64 * 1024;
    // Larger texts are shown without colours: highlighting runs over the whole document at once.
    static constexpr qsizetype HighlightLimit = 1024 * 1024;

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
    BodyHighlighter *highlighter() const { return m_highlighter; }
    bool isTruncated() const; // the current tab's view shows only the start
    void showAll();

    static BodyKind classifyBody(const LoggedRequest &request);
    // JSON re-indented as sent: key order and number spelling kept (a parse and re-serialise
    // would sort keys and round numbers). The input must be valid JSON.
    static QString prettyJson(QByteArrayView json);
    // Indented XML; nullopt when the text is not well-formed.
    static std::optional<QString> prettyXml(QByteArrayView xml);
    // Offset, 16 bytes in hex, and their printable ASCII.
    static QString hexDump(QByteArrayView bytes);
    static QString formatMicros(qint64 micros);

signals:
    void copied(const QString &message); // says what went to the clipboard

private:
    struct TextPane;
    QWidget *buildContent();
    QWidget *buildOverviewTab();
    QWidget *buildBodyTab();
    void setUpAnswer();
    static void setUpPairs(QTableWidget *table, const QString &objectName,
        const QString &accessibleName, const QString &nameHeader);
    TextPane *makeTextPane(const QString &objectName, const QString &accessibleName);
    void addOverviewRow(const QString &key, const QString &label);
    void setOverview(const QString &key, const QString &value);
    void renderTab(int tab);
    void renderBody();
    void renderRaw();
    void renderHex();
    void renderAnswer();
    static void fillPairs(QTableWidget *table, const QList<QPair<QString, QString>> &pairs);

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
    TextPane *m_body;
    QTableWidget *m_form;
    TextPane *m_raw;
    TextPane *m_hex;
    QPlainTextEdit *m_answer;
    BodyHighlighter *m_highlighter;

    std::optional<LoggedRequest> m_request;
    Context m_context;
    BodyKind m_bodyKind = BodyKind::Empty;
    bool m_showAll = false;
    quint32 m_rendered = 0; // one bit per Tab, for the current request
};

} // namespace Hooktrail
