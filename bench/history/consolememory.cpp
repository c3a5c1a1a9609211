// hooktrail-consolememory: the console's resident memory with the History page open on a large
// log. It starts the console as `hooktrail` does (engine, receiver, store thread, main window),
// opens History, scrolls through many pages, opens requests in the detail pane, applies a filter
// and a search, and prints VmRSS and VmHWM after each step.
// Usage: hooktrail-consolememory DATA_DIR [PAGES]
#include "engine.h"
#include "historypage.h"
#include "mainwindow.h"
#include "requesttablemodel.h"
#include "settings.h"
#include "storeexecutor.h"
#include "configcache.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <cstdio>

using namespace Hooktrail;

namespace {

qint64 statusField(const char *name)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(name) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong(); // kB
    }
    return -1;
}

void report(const char *step, const RequestTableModel *model)
{
    std::printf("%-44s rows loaded %7d   VmRSS %7.1f MiB   VmHWM %7.1f MiB\n", step,
        model->rowCount(), double(statusField("VmRSS")) / 1024.0,
        double(statusField("VmHWM")) / 1024.0);
    std::fflush(stdout);
}

// Runs the event loop until the model has nothing in flight (or 60 s passed).
bool settle(const RequestTableModel *model)
{
    QDeadlineTimer deadline(60000);
    do {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    } while ((model->isLoading() || model->totalCount() < 0) && !deadline.hasExpired());
    QApplication::processEvents(QEventLoop::AllEvents, 50);
    return !deadline.hasExpired();
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2 || args.size() > 3) {
        std::fprintf(stderr, "usage: hooktrail-consolememory DATA_DIR [PAGES]\n");
        return 2;
    }
    const int pages = args.size() == 3 ? std::max(1, args[2].toInt()) : 50;
    Settings settings(args[1]);
    settings.setListen(QHostAddress(QHostAddress::LocalHost), 0);
    Engine engine(Engine::sqliteFactory(settings.databasePath()));
    if (const Status status = engine.open(); !status) {
        std::fprintf(stderr, "consolememory: %s\n", qPrintable(status.error()));
        return 1;
    }
    StoreExecutor store(engine.storeFactory());
    store.setAfterWrite([&engine] { engine.config()->refresh(); });
    MainWindow window({ &settings, &engine, &store });
    window.startReceiver();
    window.show();
    window.showPage(MainWindow::Page::History);
    HistoryPage *history = window.historyPage();
    RequestTableModel *model = history->model();
    if (!settle(model)) {
        std::fprintf(stderr, "consolememory: the first page did not load\n");
        return 1;
    }
    report("History open, first page", model);

    // Scrolling down: the view fetches a page each time it reaches the end.
    QTableView *table = history->table();
    for (int i = 0; i < pages && model->canFetchMore({}); ++i) {
        table->scrollToBottom();
        settle(model);
    }
    report(qPrintable(QStringLiteral("after scrolling %1 pages").arg(pages)), model);

    // The detail pane, on rows spread over what is loaded (bodies are read one at a time).
    for (int i = 0; i < 20; ++i) {
        const int row = model->rowCount() * i / 20;
        history->selectRequest(model->requestAt(row).id);
        settle(model);
    }
    report("after opening 20 requests in the detail pane", model);

    // A filter and a search: each reloads the table from its first page.
    RequestFilter filter = history->currentFilter();
    filter.outcome = RequestFilter::Outcome::Rejected;
    model->setFilter(filter);
    settle(model);
    report("filter: rejected", model);
    filter = RequestFilter();
    filter.search = QStringLiteral("order");
    model->setFilter(filter);
    settle(model);
    report("search: a token in every body", model);
    engine.close();
    return 0;
}
