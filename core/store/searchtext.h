// What a text search means, in one place: the words of a search, the text of a row as the
// search sees it, and matching a row without an index.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <string>
#include <vector>

namespace Hooktrail {

// Bodies are searched up to their first MiB, wherever the search reads them.
constexpr qsizetype SearchedBodyBytes = 1024 * 1024;

// The words of a search, split at whitespace; words without a letter or digit match everything
// and are left out. *hasTerms: the search was not blank.
QStringList searchTerms(const QString &search, bool *hasTerms);

// Text as SQLite FTS5's unicode61 tokenizer sees it: diacritics gone, and every character that
// is not a letter or a digit a separator. Case is left as it is.
QString searchableText(const QString &text);

// Matches rows the way the FTS5 index does (every term a phrase of its tokens, all of them
// required, a phrase never spanning headers and body), reading the stored text directly: for the
// rows the index has not reached yet. Reusable across rows; not thread-safe.
class SearchMatcher final
{
public:
    // The search as typed (see searchTerms); a blank one matches nothing.
    explicit SearchMatcher(const QString &search);
    // The headers as the log stores them (JSON text), the body's bytes (the first MiB is read).
    bool matches(const char *headers, qsizetype headersSize, const char *body, qsizetype bodySize);

private:
    std::vector<std::string> m_phrases; // " token token " each, folded
    std::string m_text; // the row's tokens, reused
};

} // namespace Hooktrail
