// JSON re-indented as sent, a part at a time, so a large body can be formatted off the GUI
// thread and shown as it comes.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Hooktrail {

// Key order, number spelling and string escapes stay as sent (a parse and re-serialise would
// sort keys and round numbers); only the space between tokens changes: four spaces an
// indentation level, "{}" and "[]" for empty ones. The input must be valid JSON (see
// ContentCheck::isValidJson); the text is only read while the printer lives.
class JsonPrettyPrinter final
{
public:
    explicit JsonPrettyPrinter(QByteArrayView json) : m_in(json) { }

    // Appends the next part as UTF-8 to out, stopping at a line break once out holds about
    // budget bytes (a part never ends inside a string or a UTF-8 sequence); false when all of
    // the input is out.
    bool next(QByteArray &out, qsizetype budget);
    qsizetype consumed() const { return m_pos; } // input bytes formatted so far
    bool atEnd() const { return m_pos >= m_in.size(); }

    static QByteArray format(QByteArrayView json);

private:
    void newline(QByteArray &out) const;

    QByteArrayView m_in;
    qsizetype m_pos = 0;
    int m_depth = 0;
};

} // namespace Hooktrail
