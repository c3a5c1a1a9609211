// The fixture the dialog tests derive from: a console context over a real SQLite store and a
// running receiver, and the webhooks and keys a test adds through it.
#pragma once

#include "testsupport.h"
#include "ui/consolecontext.h"

#include <QApplication>
#include <QObject>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <memory>

namespace Hooktrail::TestSupport {

template<typename T> T *child(QWidget *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no child %s", qPrintable(name));
    return found;
}

inline Webhook named(const QString &name)
{
    Webhook webhook;
    webhook.name = name;
    return webhook;
}

// Add header opens the new last row's name cell for typing, the focus in its editor: what is
// typed and Return put the name there. The dialog's window must be active.
inline void verifyAddHeaderEditsTheNewName(QWidget *dialog, const QString &name)
{
    auto *table = child<QTableWidget>(dialog, QStringLiteral("headersTable"));
    const int rows = table->rowCount();
    QTest::mouseClick(
        child<QPushButton>(dialog, QStringLiteral("addHeaderButton")), Qt::LeftButton);
    QCOMPARE(table->rowCount(), rows + 1);
    const QModelIndex cell = table->model()->index(rows, 0);
    QCOMPARE(table->currentIndex(), cell);
    QWidget *editor = table->indexWidget(cell);
    QVERIFY2(editor, "the new name cell is not being edited");
    QTRY_COMPARE(QApplication::focusWidget(), editor);
    QTest::keyClicks(editor, name);
    QTest::keyClick(editor, Qt::Key_Return); // commits by a queued call
    QTRY_COMPARE(table->item(rows, 0)->text(), name);
    QTRY_VERIFY(!table->indexWidget(cell));
}

class DialogTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        m_fixture = std::make_unique<ConsoleFixture>();
        QVERIFY2(m_fixture->start(), qPrintable(m_fixture->error()));
    }
    void cleanup() { m_fixture.reset(); }

protected:
    ConsoleContext context() const
    {
        return { m_fixture->settings(), m_fixture->engine(), m_fixture->executor() };
    }
    // Added and known to the receiver.
    Webhook addWebhook(Webhook webhook)
    {
        auto added = m_fixture->store()->config().addWebhook(std::move(webhook));
        if (!added)
            qWarning("addWebhook: %s", qPrintable(added.error()));
        m_fixture->receiverFollows();
        return added ? added.value() : Webhook();
    }
    QString addKey(const QString &name)
    {
        auto added = m_fixture->store()->config().addKey(name);
        m_fixture->receiverFollows();
        return added ? added->secret : QString();
    }

    std::unique_ptr<ConsoleFixture> m_fixture;
};

} // namespace Hooktrail::TestSupport
