// Syntax colours for request bodies shown in the history: JSON and XML, from the palette.
#include "ui/bodyhighlighter.h"

#include <QGuiApplication>
#include <QTextBlock>

namespace Hooktrail {

namespace {

bool isXmlNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u':' || c == u'-' || c == u'.';
}

// A colour between two others, so secondary text is readable on any background.
QColor blend(const QColor &a, const QColor &b, qreal towardsB)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * towardsB),
        float(a.greenF() + (b.greenF() - a.greenF()) * towardsB),
        float(a.blueF() + (b.blueF() - a.blueF()) * towardsB));
}

} // namespace

BodyHighlighter::BodyHighlighter(QTextDocument *document) : QSyntaxHighlighter(document)
{
    setPalette(QGuiApplication::palette());
}

void BodyHighlighter::setLanguage(Language language)
{
    if (language == m_language)
        return;
    m_language = language;
    rehighlight();
}

void BodyHighlighter::setPalette(const QPalette &palette)
{
    const QColor text = palette.color(QPalette::Text);
    const QColor base = palette.color(QPalette::Base);
    // Link colours are chosen by themes to stand out from Base in both light and dark schemes.
    const QColor link = palette.color(QPalette::Link);
    const QColor visited = palette.color(QPalette::LinkVisited);
    const QColor muted = blend(text, base, 0.45);

    for (QTextCharFormat &format : m_formats)
        format = QTextCharFormat();
    m_formats[Key].setForeground(link);
    m_formats[Key].setFontWeight(QFont::DemiBold);
    m_formats[String].setForeground(visited);
    m_formats[Number].setForeground(blend(link, text, 0.35));
    m_formats[Literal].setForeground(blend(visited, text, 0.35));
    m_formats[Literal].setFontWeight(QFont::DemiBold);
    m_formats[Punctuation].setForeground(muted);
    m_formats[Tag].setForeground(link);
    m_formats[Attribute].setForeground(blend(link, text, 0.35));
    m_formats[Value].setForeground(visited);
    m_formats[Comment].setForeground(muted);
    m_formats[Comment].setFontItalic(true);
    if (m_language != Language::None)
        rehighlight();
}

void BodyHighlighter::mark(int start, int length, Kind kind)
{
    if (length > 0)
        setFormat(start, length, m_formats[kind]);
}

void BodyHighlighter::highlightBlock(const QString &text)
{
    if (currentBlock().position() >= m_limit)
        return;
    switch (m_language) {
    case Language::Json:
        highlightJson(text);
        break;
    case Language::Xml:
        highlightXml(text);
        break;
    case Language::None:
        break;
    }
}

// JSON keeps every string on one line, so each line is scanned on its own.
void BodyHighlighter::highlightJson(const QString &text)
{
    const int size = int(text.size());
    int i = 0;
    while (i < size) {
        const QChar c = text.at(i);
        if (c == u'"') {
            int end = i + 1;
            while (end < size && text.at(end) != u'"')
                end += text.at(end) == u'\\' ? 2 : 1;
            end = std::min(end + 1, size);
            int next = end;
            while (next < size && text.at(next).isSpace())
                ++next;
            mark(i, end - i, next < size && text.at(next) == u':' ? Key : String);
            i = end;
        } else if (c == u'-' || c.isDigit()) {
            int end = i + 1;
            while (end < size
                && (text.at(end).isDigit() || text.at(end) == u'.' || text.at(end) == u'e'
                    || text.at(end) == u'E' || text.at(end) == u'+' || text.at(end) == u'-'))
                ++end;
            mark(i, end - i, Number);
            i = end;
        } else if (c.isLetter()) {
            int end = i + 1;
            while (end < size && text.at(end).isLetter())
                ++end;
            mark(i, end - i, Literal); // true, false, null
            i = end;
        } else {
            if (QStringView(u"{}[]:,").contains(c))
                mark(i, 1, Punctuation);
            ++i;
        }
    }
}

// XML comments, CDATA and tags can span lines: the block state carries where a line ends.
void BodyHighlighter::highlightXml(const QString &text)
{
    const int size = int(text.size());
    int state = previousBlockState();
    int i = 0;
    const auto closeOf = [](int inState) {
        return inState == XmlComment ? QStringLiteral("-->") : QStringLiteral("]]>");
    };
    while (i < size) {
        if (state == XmlComment || state == XmlCData) {
            const int end = int(text.indexOf(closeOf(state), i));
            const int stop = end < 0 ? size : end + 3;
            mark(i, stop - i, state == XmlComment ? Comment : Value);
            i = stop;
            if (end >= 0)
                state = XmlText;
            continue;
        }
        if (state == XmlInTag) {
            const QChar c = text.at(i);
            if (c.isSpace()) {
                ++i;
            } else if (c == u'>'
                || ((c == u'/' || c == u'?') && i + 1 < size && text.at(i + 1) == u'>')) {
                const int length = c == u'>' ? 1 : 2;
                mark(i, length, Tag);
                i += length;
                state = XmlText;
            } else if (c == u'"' || c == u'\'') {
                int end = int(text.indexOf(c, i + 1));
                end = end < 0 ? size : end + 1;
                mark(i, end - i, Value);
                i = end;
            } else if (c == u'=') {
                mark(i, 1, Punctuation);
                ++i;
            } else {
                int end = i;
                while (end < size && isXmlNameChar(text.at(end)))
                    ++end;
                end = std::max(end, i + 1);
                mark(i, end - i, Attribute);
                i = end;
            }
            continue;
        }
        // Text between tags: only the markup and entity references are coloured.
        const QChar c = text.at(i);
        if (c == u'&') {
            int end = int(text.indexOf(u';', i));
            end = end < 0 ? i + 1 : end + 1;
            mark(i, end - i, Literal);
            i = end;
        } else if (c == u'<') {
            if (QStringView(text).mid(i).startsWith(u"<!--")) {
                state = XmlComment;
            } else if (QStringView(text).mid(i).startsWith(u"<![CDATA[")) {
                mark(i, 9, Tag);
                i += 9;
                state = XmlCData;
            } else {
                int end = i + 1;
                if (end < size
                    && (text.at(end) == u'/' || text.at(end) == u'?' || text.at(end) == u'!'))
                    ++end;
                while (end < size && isXmlNameChar(text.at(end)))
                    ++end;
                mark(i, end - i, Tag);
                i = end;
                state = XmlInTag;
            }
        } else {
            ++i;
        }
    }
    setCurrentBlockState(state);
}

} // namespace Hooktrail
