// What a text search means: terms, the searchable text of a row, and matching without an index.
#include "core/store/searchtext.h"

#include <QRegularExpression>
#include <algorithm>
#include <cstring>

namespace Hooktrail {

namespace {

// The ASCII bytes: a letter or digit folded to lower case, anything else 0 (a separator).
struct AsciiFold
{
    char folded[128] {};
    constexpr AsciiFold()
    {
        for (int c = '0'; c <= '9'; ++c)
            folded[c] = char(c);
        for (int c = 'a'; c <= 'z'; ++c)
            folded[c] = char(c);
        for (int c = 'A'; c <= 'Z'; ++c)
            folded[c] = char(c - 'A' + 'a');
    }
};
constexpr AsciiFold Ascii;

void separate(std::string &out)
{
    if (out.back() != ' ')
        out += ' ';
}

// A run of non-ASCII bytes, through searchableText() (invalid UTF-8 becomes U+FFFD, a separator).
void appendUnicodeRun(std::string &out, const char *data, qsizetype size)
{
    const QByteArray folded = searchableText(QString::fromUtf8(data, size)).toCaseFolded().toUtf8();
    for (const char c : folded) {
        if (c == ' ')
            separate(out);
        else
            out += (uchar(c) < 0x80 ? Ascii.folded[uchar(c)] : c);
    }
}

// Appends the tokens of the text, each followed by one space; `out` ends with a space on entry.
// ASCII, nearly all of what webhooks send, goes byte by byte; only the rest through Unicode.
void appendTokens(std::string &out, const char *data, qsizetype size)
{
    qsizetype i = 0;
    while (i < size) {
        const uchar c = uchar(data[i]);
        if (c < 0x80) {
            if (const char folded = Ascii.folded[c])
                out += folded;
            else
                separate(out);
            ++i;
            continue;
        }
        qsizetype end = i + 1;
        while (end < size && uchar(data[end]) >= 0x80)
            ++end;
        appendUnicodeRun(out, data + i, end - i);
        i = end;
    }
    separate(out);
}

} // namespace

QStringList searchTerms(const QString &search, bool *hasTerms)
{
    QStringList terms;
    bool any = false;
    for (const QString &term :
        search.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        any = true;
        if (std::any_of(term.begin(), term.end(), [](QChar c) { return c.isLetterOrNumber(); }))
            terms.append(term);
    }
    *hasTerms = any;
    return terms;
}

QString searchableText(const QString &text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.category() == QChar::Mark_NonSpacing)
            continue;
        out.append(c.isLetterOrNumber() ? c : QChar(u' '));
    }
    return out;
}

SearchMatcher::SearchMatcher(const QString &search)
{
    bool hasTerms = false;
    for (const QString &term : searchTerms(search, &hasTerms)) {
        const QByteArray utf8 = term.toUtf8();
        std::string phrase = " ";
        appendTokens(phrase, utf8.constData(), utf8.size());
        m_phrases.push_back(std::move(phrase));
    }
}

bool SearchMatcher::matches(
    const char *headers, qsizetype headersSize, const char *body, qsizetype bodySize)
{
    if (m_phrases.empty())
        return false;
    m_text.assign(1, ' ');
    appendTokens(m_text, headers, headersSize);
    // FTS5 keeps headers and body in two columns: no phrase runs from one into the other, and
    // no token or phrase holds a '|'.
    m_text += "| ";
    appendTokens(m_text, body, std::min(bodySize, SearchedBodyBytes));
    return std::all_of(m_phrases.begin(), m_phrases.end(), [this](const std::string &phrase) {
        // A phrase with no token (none can be made from a term with a letter or digit) would
        // match anything; FTS5 matches nothing with it.
        return phrase.size() > 1
            && memmem(m_text.data(), m_text.size(), phrase.data(), phrase.size()) != nullptr;
    });
}

} // namespace Hooktrail
