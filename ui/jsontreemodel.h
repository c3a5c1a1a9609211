// A JSON body as a tree of keys, values and types, in the order sent, for the body tab's tree.
#pragma once

#include <QAbstractItemModel>
#include <QByteArrayView>
#include <QString>
#include <atomic>
#include <memory>
#include <vector>

namespace Hooktrail {

class JsonTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonTreeModel)
public:
    enum Column { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    enum class Type { Object, Array, String, Number, Boolean, Null };

    // A hostile body cannot exhaust memory: past this many values the tree stops (the text
    // view still shows everything), and a key or a value shows at most MaxTextChars characters.
    // Nesting is bounded already by the JSON check (ContentCheck::MaxJsonDepth).
    static constexpr int MaxNodes = 100'000;
    static constexpr int MaxTextChars = 200;

    struct Node
    {
        QString key; // an object's member name, or "[index]" in an array
        QString value; // a string's text, a number or literal as sent; empty for containers
        Type type = Type::Null;
        int row = 0;
        Node *parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
    };
    struct Tree
    {
        Node root; // invisible: its children are the top-level rows
        int nodes = 0;
        bool cut = false; // stopped at MaxNodes
        bool cancelled = false;
    };

    // Builds the tree of a valid JSON text (ContentCheck::isValidJson); safe on any thread.
    // cancel is polled and progress (input bytes read) updated as it goes, when given.
    static std::shared_ptr<Tree> build(QByteArrayView json,
        const std::atomic_bool *cancel = nullptr, std::atomic<qsizetype> *progress = nullptr);

    explicit JsonTreeModel(std::shared_ptr<const Tree> tree, QObject *parent = nullptr);
    ~JsonTreeModel() override;

    const Tree &tree() const { return *m_tree; }
    static QString typeName(Type type);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const Node *nodeOf(const QModelIndex &index) const;

    std::shared_ptr<const Tree> m_tree;
};

} // namespace Hooktrail
