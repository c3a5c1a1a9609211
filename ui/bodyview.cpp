// The detail pane's body tab: one request's body, pretty and highlighted as sent, a form as a
// table, binary content in hexadecimal.
#include "ui/bodyview.h"

#include "core/history/formdata.h"
#include "core/receiver/contentcheck.h"
#include "ui/bodyhighlighter.h"
#include "ui/requestdetailview.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

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

} // namespace

BodyView::BodyView(QWidget *parent)
    : QWidget(parent)
    , m_info(new QLabel(this))
    , m_showAll(new QPushButton(tr("Show &all"), this))
    , m_text(new QPlainTextEdit(this))
    , m_form(new QTableWidget(0, 2, this))
    , m_highlighter(new BodyHighlighter(m_text->document()))
{
    m_info->setObjectName(QStringLiteral("bodyTextInfo"));
    m_info->setWordWrap(true);
    m_info->setForegroundRole(QPalette::PlaceholderText);
    m_showAll->setObjectName(QStringLiteral("bodyTextShowAll"));
    m_showAll->setAccessibleName(tr("Show all of %1").arg(tr("Body")));
    m_showAll->setToolTip(tr("Show the whole content; a very large one takes a moment"));
    m_showAll->setAutoDefault(false);
    connect(m_showAll, &QPushButton::clicked, this, &BodyView::showAllRequested);
    m_text->setObjectName(QStringLiteral("bodyText"));
    m_text->setAccessibleName(tr("Body"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    RequestDetailView::setUpPairs(
        m_form, QStringLiteral("formTable"), tr("Form fields"), tr("Field"));
    m_form->hide();

    auto *infoRow = new QHBoxLayout;
    infoRow->addWidget(m_info, 1);
    infoRow->addWidget(m_showAll);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(infoRow);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_form, 1);
    setText({}, {}, false);
}

BodyView::~BodyView() = default;

QString BodyView::text() const
{
    return m_text->toPlainText();
}

void BodyView::setText(const QString &content, const QString &note, bool truncated)
{
    m_truncated = truncated;
    m_text->setPlainText(content);
    m_info->setText(note);
    m_info->setVisible(!note.isEmpty());
    m_showAll->setVisible(truncated);
}

void BodyView::render(const LoggedRequest &request, BodyKind kind, bool showAll)
{
    const QByteArray &bytes = request.body;
    const bool cut = !showAll && bytes.size() > PrettyLimit;
    const QByteArray shown = cut ? bytes.left(PrettyLimit) : bytes;
    QString note;
    QString text;
    BodyHighlighter::Language language = BodyHighlighter::Language::None;

    const bool formTable = kind == BodyKind::Form && !cut;
    m_form->setVisible(formTable);
    m_text->setVisible(!formTable);
    switch (kind) {
    case BodyKind::Empty:
        note = tr("No body.");
        break;
    case BodyKind::Json:
        // Cut JSON does not parse: the start is shown as sent.
        text = cut ? QString::fromUtf8(shown) : prettyJson(bytes);
        language = BodyHighlighter::Language::Json;
        break;
    case BodyKind::Xml:
        if (const std::optional<QString> pretty = cut ? std::nullopt : prettyXml(bytes))
            text = *pretty;
        else
            text = QString::fromUtf8(shown);
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
        if (ContentCheck::classify(request.contentType) == MediaKind::Json)
            note = tr("Not valid JSON: shown as received.");
        else if (ContentCheck::classify(request.contentType) == MediaKind::Xml)
            note = tr("Not well-formed XML: shown as received.");
        break;
    case BodyKind::Binary:
        text = hexDump(cut ? QByteArrayView(bytes).first(HexLimit) : QByteArrayView(bytes));
        note = tr("Binary content (%1), shown in hexadecimal.")
                   .arg(QLocale().formattedDataSize(bytes.size()));
        break;
    }
    if (cut) {
        note = tr("Showing the first %1 of %2, as received.")
                   .arg(QLocale().formattedDataSize(
                            kind == BodyKind::Binary ? HexLimit : PrettyLimit),
                       QLocale().formattedDataSize(bytes.size()));
    }
    if (request.bodyTruncated) {
        note += (note.isEmpty() ? QString() : QStringLiteral(" "))
            + tr("The receiver kept %1 of the %2 sent.")
                  .arg(QLocale().formattedDataSize(bytes.size()),
                      QLocale().formattedDataSize(request.bodySize));
    }
    // Colouring runs over the whole document at once: past a size, plain text stays responsive.
    m_highlighter->setLanguage(BodyHighlighter::Language::None);
    setText(text, note, cut);
    if (text.size() <= HighlightLimit)
        m_highlighter->setLanguage(language);
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
    const QString in = QString::fromUtf8(json);
    QString out;
    out.reserve(in.size() * 2);
    int depth = 0;
    const auto newline = [&out, &depth] {
        out += QLatin1Char('\n');
        out += QString(depth * 4, QLatin1Char(' '));
    };
    const qsizetype size = in.size();
    for (qsizetype i = 0; i < size; ++i) {
        const QChar c = in.at(i);
        switch (c.unicode()) {
        case u'"': {
            qsizetype end = i + 1;
            while (end < size && in.at(end) != u'"')
                end += in.at(end) == u'\\' ? 2 : 1;
            out += QStringView(in).mid(i, std::min(end, size - 1) - i + 1);
            i = end;
            break;
        }
        case u'{':
        case u'[': {
            qsizetype next = i + 1;
            while (next < size && in.at(next).isSpace())
                ++next;
            const QChar close = c == u'{' ? u'}' : u']';
            if (next < size && in.at(next) == close) { // empty: stays "{}" or "[]"
                out += c;
                out += close;
                i = next;
                break;
            }
            out += c;
            ++depth;
            newline();
            break;
        }
        case u'}':
        case u']':
            --depth;
            newline();
            out += c;
            break;
        case u',':
            out += c;
            newline();
            break;
        case u':':
            out += QStringLiteral(": ");
            break;
        case u' ':
        case u'\t':
        case u'\n':
        case u'\r':
            break; // insignificant outside strings
        default:
            out += c;
        }
    }
    return out;
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
