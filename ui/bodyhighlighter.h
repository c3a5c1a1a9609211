// Syntax colours for request bodies shown in the history: JSON and XML, from the palette.
#pragma once

#include <QPalette>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <limits>

namespace Hooktrail {

class BodyHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BodyHighlighter)
public:
    enum class Language { None, Json, Xml };

    explicit BodyHighlighter(QTextDocument *document);

    Language language() const { return m_language; }
    void setLanguage(Language language); // rehighlights
    // Colours follow the palette, so light and dark themes both stay readable.
    void setPalette(const QPalette &palette);
    // Lines that start past this position in the document stay plain: every coloured line
    // costs time as it is added and memory for as long as it is shown.
    void setLimit(int position) { m_limit = position; }
    int limit() const { return m_limit; }

protected:
    void highlightBlock(const QString &text) override;

private:
    enum Kind {
        Key,
        String,
        Number,
        Literal,
        Punctuation,
        Tag,
        Attribute,
        Value,
        Comment,
        KindCount
    };
    enum XmlState { XmlText = -1, XmlComment = 1, XmlInTag = 2, XmlCData = 3 };
    void highlightJson(const QString &text);
    void highlightXml(const QString &text);
    void mark(int start, int length, Kind kind);

    Language m_language = Language::None;
    int m_limit = std::numeric_limits<int>::max();
    QTextCharFormat m_formats[KindCount];
};

} // namespace Hooktrail
