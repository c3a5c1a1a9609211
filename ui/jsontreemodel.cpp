// A JSON body as a tree of keys, values and types, in the order sent, for the body tab's tree.
#include "ui/jsontreemodel.h"

#include <algorithm>

namespace Hooktrail {

namespace {

using Node = JsonTreeModel::Node;
using Type = JsonTreeModel::Type;

// Reads a text ContentCheck::isValidJson accepted, so it checks nothing itself; it only stops
// early, at MaxNodes or when cancelled.
class TreeBuilder
{
public:
    TreeBuilder(QByteArrayView json, JsonTreeModel::Tree &tree, const std::atomic_bool *cancel,
        std::atomic<qsizetype> *progress)
        : m_begin(json.data())
        , m_p(json.data())
        , m_end(json.data() + json.size())
        , m_tree(tree)
        , m_cancel(cancel)
        , m_progress(progress)
    { }

    void run()
    {
        skipSpace();
        if (m_p == m_end)
            return;
        if (*m_p == '{' || *m_p == '[') {
            // A container's members are the top-level rows; a lone scalar is one row.
            const bool object = *m_p == '{';
            ++m_p;
            members(&m_tree.root, object);
        } else {
            Node *node = add(&m_tree.root, QString());
            if (node)
                value(node);
        }
    }

private:
    bool stopped() const { return m_tree.cut || m_tree.cancelled; }

    Node *add(Node *parent, QString key)
    {
        if (m_tree.nodes >= JsonTreeModel::MaxNodes) {
            m_tree.cut = true;
            return nullptr;
        }
        if ((++m_tree.nodes & 0x3ff) == 0) { // now and then: cheap enough, often enough
            if (m_progress)
                m_progress->store(m_p - m_begin, std::memory_order_relaxed);
            if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
                m_tree.cancelled = true;
                return nullptr;
            }
        }
        auto node = std::make_unique<Node>();
        node->key = std::move(key);
        node->parent = parent;
        node->row = int(parent->children.size());
        parent->children.push_back(std::move(node));
        return parent->children.back().get();
    }
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }
    // After the opening bracket: the members up to and past the closing one.
    void members(Node *node, bool object)
    {
        const char close = object ? '}' : ']';
        skipSpace();
        int index = 0;
        while (m_p < m_end && *m_p != close && !stopped()) {
            QString key = object ? string() : QStringLiteral("[%1]").arg(index);
            ++index;
            if (object) {
                skipSpace();
                if (m_p < m_end)
                    ++m_p; // ':'
                skipSpace();
            }
            Node *child = add(node, std::move(key));
            if (!child)
                return;
            value(child);
            skipSpace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                skipSpace();
            }
        }
        if (m_p < m_end)
            ++m_p;
    }
    void value(Node *node)
    {
        if (m_p == m_end)
            return;
        switch (*m_p) {
        case '{':
        case '[':
            node->type = *m_p == '{' ? Type::Object : Type::Array;
            ++m_p;
            members(node, node->type == Type::Object);
            return;
        case '"':
            node->type = Type::String;
            node->value = string();
            return;
        default:
            break;
        }
        const char *start = m_p;
        while (m_p < m_end && *m_p != ',' && *m_p != '}' && *m_p != ']' && *m_p != ' '
            && *m_p != '\t' && *m_p != '\n' && *m_p != '\r')
            ++m_p;
        const QByteArrayView token(start, m_p - start);
        node->type = token == "null"              ? Type::Null
            : token == "true" || token == "false" ? Type::Boolean
                                                  : Type::Number;
        node->value = elided(QString::fromLatin1(token));
    }
    // A string token, its escapes decoded, at most MaxTextChars characters kept.
    QString string()
    {
        ++m_p; // the opening quote
        const char *start = m_p;
        bool escaped = false;
        while (m_p < m_end && *m_p != '"') {
            if (*m_p == '\\') {
                escaped = true;
                ++m_p;
            }
            ++m_p;
        }
        m_p = std::min(m_p, m_end);
        const QByteArrayView raw(start, m_p - start);
        if (m_p < m_end)
            ++m_p; // the closing quote
        // Enough bytes for MaxTextChars characters and a few escapes; the rest is never shown.
        const QByteArrayView kept
            = raw.first(std::min<qsizetype>(raw.size(), JsonTreeModel::MaxTextChars * 6));
        return elided(escaped ? unescape(kept) : QString::fromUtf8(kept), kept.size() < raw.size());
    }
    static QString unescape(QByteArrayView raw)
    {
        QString out;
        out.reserve(raw.size());
        qsizetype plainFrom = 0;
        for (qsizetype i = 0; i < raw.size(); ++i) {
            if (raw.at(i) != '\\')
                continue;
            out += QString::fromUtf8(raw.sliced(plainFrom, i - plainFrom));
            if (++i >= raw.size())
                break;
            const char e = raw.at(i);
            switch (e) {
            case 'b':
                out += u'\b';
                break;
            case 'f':
                out += u'\f';
                break;
            case 'n':
                out += u'\n';
                break;
            case 'r':
                out += u'\r';
                break;
            case 't':
                out += u'\t';
                break;
            case 'u':
                if (i + 4 < raw.size()) {
                    out += QChar(
                        char16_t(QByteArray(raw.sliced(i + 1, 4).data(), 4).toUShort(nullptr, 16)));
                    i += 4;
                }
                break;
            default: // '"', '\\', '/'
                out += QLatin1Char(e);
            }
            plainFrom = i + 1;
        }
        if (plainFrom < raw.size())
            out += QString::fromUtf8(raw.sliced(plainFrom));
        return out;
    }
    static QString elided(QString text, bool longer = false)
    {
        if (text.size() > JsonTreeModel::MaxTextChars || longer) {
            text.truncate(JsonTreeModel::MaxTextChars);
            text += u'…';
        }
        return text;
    }

    const char *m_begin;
    const char *m_p;
    const char *m_end;
    JsonTreeModel::Tree &m_tree;
    const std::atomic_bool *m_cancel;
    std::atomic<qsizetype> *m_progress;
};

} // namespace

std::shared_ptr<JsonTreeModel::Tree> JsonTreeModel::build(
    QByteArrayView json, const std::atomic_bool *cancel, std::atomic<qsizetype> *progress)
{
    auto tree = std::make_shared<Tree>();
    TreeBuilder(json, *tree, cancel, progress).run();
    if (progress)
        progress->store(json.size());
    return tree;
}

JsonTreeModel::JsonTreeModel(std::shared_ptr<const Tree> tree, QObject *parent)
    : QAbstractItemModel(parent), m_tree(std::move(tree))
{ }

JsonTreeModel::~JsonTreeModel() = default;

QString JsonTreeModel::typeName(Type type)
{
    switch (type) {
    case Type::Object:
        return tr("object");
    case Type::Array:
        return tr("array");
    case Type::String:
        return tr("string");
    case Type::Number:
        return tr("number");
    case Type::Boolean:
        return tr("boolean");
    case Type::Null:
        return QStringLiteral("null"); // JSON's own word, in every language
    }
    return {};
}

const JsonTreeModel::Node *JsonTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<const Node *>(index.internalPointer()) : &m_tree->root;
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    const Node *node = nodeOf(parent);
    if (row < 0 || row >= int(node->children.size()))
        return {};
    return createIndex(row, column, node->children.at(size_t(row)).get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *parentNode = nodeOf(child)->parent;
    if (!parentNode || parentNode == &m_tree->root)
        return {};
    return createIndex(parentNode->row, 0, const_cast<Node *>(parentNode));
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeOf(index);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case KeyColumn:
            return node->key;
        case ValueColumn:
            // A container shows its size, the way it was sent: {3}, [12].
            if (node->type == Type::Object)
                return QStringLiteral("{%1}").arg(node->children.size());
            if (node->type == Type::Array)
                return QStringLiteral("[%1]").arg(node->children.size());
            if (node->type == Type::String)
                return QStringLiteral("\"%1\"").arg(node->value);
            return node->value;
        case TypeColumn:
            return typeName(node->type);
        default:
            return {};
        }
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case ValueColumn:
        return tr("Value");
    case TypeColumn:
        return tr("Type");
    default:
        return {};
    }
}

} // namespace Hooktrail
