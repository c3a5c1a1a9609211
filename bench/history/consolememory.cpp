// hooktrail-consolememory: the console's resident memory with the History page open on a large
// log. It starts the console as `hooktrail` does (engine, receiver, store thread, main window),
// opens History, drags the scroll bar to 50 % and 99 % of its range (timing until the rows shown
// there are loaded), scrolls through many pages, opens requests in the detail pane, applies a
// filter and a search, and prints VmRSS and VmHWM after each step.
// Usage: hooktrail-consolememory DATA_DIR [PAGES]
#include "core/base/settings.h"
#include "core/receiver/configcache.h"
#include "core/receiver/engine.h"
#include "core/store/storeexecutor.h"
#include "ui/historypage.h"
#include "ui/mainwindow.h"
#include "ui/requesttablemodel.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
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
        model->loadedCount(), double(statusField("VmRSS")) / 1024.0,
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

// Moves the scroll bar to `fraction` of its range, as a drag ending there does, and returns the
// ms until every row then on screen is loaded (-1 after 10 s).
double scrollTo(QTableView *table, const RequestTableModel *model, double fraction)
{
    QScrollBar *bar = table->verticalScrollBar();
    QElapsedTimer timer;
    timer.start();
    bar->setValue(int(bar->maximum() * fraction));
    const int first = table->rowAt(0);
    const int last = std::max(first, table->rowAt(table->viewport()->height() - 1));
    QDeadlineTimer deadline(10000);
    while (!(model->isLoaded(first) && model->isLoaded(last)) && !deadline.hasExpired())
        QApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    return deadline.hasExpired() ? -1 : double(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM",
        qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
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

    // The scroll bar dragged far down: the rows there load by an estimated key, not by paging
    // through everything above them. Three drags each, the median printed (target <= 50 ms).
    QTableView *table = history->table();
    for (const double fraction : { 0.5, 0.99 }) {
        QList<double> times;
        for (int i = 0; i < 3; ++i) {
            scrollTo(table, model, 0.0);
            settle(model);
            times.append(scrollTo(table, model, fraction));
            settle(model);
        }
        std::sort(times.begin(), times.end());
        std::printf("rows shown at %2.0f%% of the scroll range, loaded in %6.1f ms "
                    "(runs %.1f, %.1f, %.1f; row %d of %d shows id %lld)\n",
            fraction * 100, times.at(1), times.at(0), times.at(1), times.at(2), table->rowAt(0),
            model->rowCount(),
            model->isLoaded(table->rowAt(0)) ? model->requestAt(table->rowAt(0)).id : -1LL);
    }
    scrollTo(table, model, 0.0);
    settle(model);

    // Scrolling down page by page, as the Page Down key does.
    QScrollBar *bar = table->verticalScrollBar();
    for (int i = 0; i < pages; ++i) {
        bar->setValue(bar->value() + bar->pageStep());
        settle(model);
    }
    report(qPrintable(QStringLiteral("after scrolling %1 pages").arg(pages)), model);

    // The detail pane, on rows spread over what is loaded (bodies are read one at a time).
    for (int i = 0; i < 20; ++i) {
        const int row = model->firstLoadedRow() + model->loadedCount() * i / 20;
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
