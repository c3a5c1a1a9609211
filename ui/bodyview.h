// The detail pane's body tab: one request's body, pretty and highlighted as sent, a form as a
// table, binary content in hexadecimal.
#pragma once

#include "core/model/loggedrequest.h"

#include <QWidget>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace Hooktrail {

class BodyHighlighter;

class BodyView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BodyView)
public:
    enum class BodyKind { Empty, Json, Xml, Form, Text, Binary };

    // Past this many bytes the body, raw and hex views show the start and a "Show all" button,
    // so selecting a 10 MiB request does not freeze the window.
    static constexpr qsizetype PrettyLimit = 256 * 1024;
    static constexpr qsizetype HexLimit = 64 * 1024;
    // Larger texts are shown without colours: highlighting runs over the whole document at once.
    static constexpr qsizetype HighlightLimit = 1024 * 1024;

    explicit BodyView(QWidget *parent = nullptr);
    ~BodyView() override;

    // Shows the body of request, classified as kind; showAll lifts PrettyLimit.
    void render(const LoggedRequest &request, BodyKind kind, bool showAll);
    QString text() const; // as shown
    bool isTruncated() const { return m_truncated; } // only the start is shown
    BodyHighlighter *highlighter() const { return m_highlighter; }

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

private:
    void setText(const QString &content, const QString &note, bool truncated);

    QLabel *m_info;
    QPushButton *m_showAll;
    QPlainTextEdit *m_text;
    QTableWidget *m_form;
    BodyHighlighter *m_highlighter;
    bool m_truncated = false;
};

} // namespace Hooktrail
