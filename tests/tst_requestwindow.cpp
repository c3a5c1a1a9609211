// The history table's loaded window on its own: estimates, placing and moving the loaded run,
// live rows and removals, over a log of ids held in memory and a listener that plays the view.
#include "ui/requestwindow.h"

#include <QTest>
#include <algorithm>

using namespace Hooktrail;

namespace {

// Every matching id, newest first, answering reads as the store does for the model.
struct Log
{
    QList<qint64> ids;

    static Log of(std::initializer_list<std::pair<qint64, qint64>> runs) // (newest, oldest) each
    {
        Log log;
        for (const auto &[newest, oldest] : runs) {
            for (qint64 id = newest; id >= oldest; --id)
                log.ids.append(id);
        }
        return log;
    }
    static Log stepped(qint64 newest, int count, int step)
    {
        Log log;
        for (int i = 0; i < count; ++i)
            log.ids.append(newest - qint64(i) * step);
        return log;
    }
    qint64 newest() const { return ids.constFirst(); }
    qint64 oldest() const { return ids.constLast(); }
    int rowOf(qint64 id) const { return int(ids.indexOf(id)); }

    QList<LoggedRequest> read(qint64 beforeId, qint64 afterId, bool oldestFirst, int limit) const
    {
        QList<LoggedRequest> rows;
        QList<qint64> order = ids;
        if (oldestFirst)
            std::reverse(order.begin(), order.end());
        for (qint64 id : std::as_const(order)) {
            if ((beforeId > 0 && id >= beforeId) || id <= afterId)
                continue;
            if (rows.size() == limit)
                break;
            LoggedRequest request;
            request.id = id;
            rows.append(request);
        }
        return rows;
    }
    QList<LoggedRequest> page() const { return read(0, 0, false, RequestWindow::PageSize); }

    struct Answer
    {
        QList<LoggedRequest> rows;
        bool atTop = false;
        bool atBottom = false;
    };
    // What the model's reads find for a load: next to the window, or where it jumps.
    Answer answer(const RequestWindow::Load &load, qint64 watermark) const
    {
        Answer answer;
        answer.rows = read(load.beforeId, load.afterId, load.oldestFirst, load.limit);
        const bool short_ = answer.rows.size() < load.limit;
        if (load.kind != RequestWindow::Load::Kind::Jump) {
            if (load.oldestFirst) {
                std::reverse(answer.rows.begin(), answer.rows.end());
                answer.atTop = short_;
            } else {
                answer.atBottom = short_;
            }
            return answer;
        }
        answer.atTop = load.beforeId > watermark;
        answer.atBottom = short_;
        if (answer.atBottom && !answer.atTop) {
            const int limit = load.limit - int(answer.rows.size());
            QList<LoggedRequest> more = read(watermark + 1, load.beforeId - 1, true, limit);
            answer.atTop = more.size() < limit;
            std::reverse(more.begin(), more.end());
            answer.rows = more + answer.rows;
        }
        return answer;
    }
};

// Plays a view: checks every signal against the rows it knows, and keeps rows (a selection)
// through inserts, removals and moves, as persistent indexes do.
class View final : public RequestWindow::Listener
{
public:
    int rows = 0;
    qint64 total = -1;
    QList<int> kept;
    int moves = 0;
    QString problem; // the first inconsistency seen

    void beginInsert(int first, int last) override
    {
        check(first >= 0 && first <= rows && last >= first, "insert out of range");
        m_pending = last - first + 1;
        for (int &row : kept) {
            if (row >= first)
                row += m_pending;
        }
    }
    void endInsert() override { rows += m_pending; }
    void beginRemove(int first, int last) override
    {
        check(first >= 0 && last < rows && last >= first, "remove out of range");
        m_pending = last - first + 1;
        QList<int> still;
        for (int row : std::as_const(kept)) {
            if (row < first)
                still.append(row);
            else if (row > last)
                still.append(row - m_pending);
        }
        kept = still;
    }
    void endRemove() override { rows -= m_pending; }
    bool aboutToMove(int oldStart, int oldEnd, const std::function<int(int)> &newRowOf) override
    {
        m_moved = kept;
        bool any = false;
        for (int &row : m_moved) {
            if (row < oldStart || row >= oldEnd)
                continue;
            const int to = newRowOf(row);
            if (to >= 0 && to != row) {
                row = to;
                any = true;
            }
        }
        return any;
    }
    void moved() override
    {
        kept = m_moved;
        ++moves;
    }
    void changed(int first, int end) override
    {
        check(first >= 0 && end <= rows && first < end, "change out of range");
    }
    void totalChanged(qint64 value) override { total = value; }

private:
    void check(bool ok, const char *what)
    {
        if (!ok && problem.isEmpty())
            problem = QString::fromLatin1(what);
    }
    int m_pending = 0;
    QList<int> m_moved;
};

// A window over a log, first page and count loaded, as the model has it once both arrive.
struct Fixture
{
    explicit Fixture(const Log &from) : log(from)
    {
        window.setFirstPage(log.page(), log.newest());
        window.setCounted(log.ids.size(), log.oldest());
    }
    // Loads what a view showing first..last asks for; false when nothing was to load.
    bool show(int first, int last)
    {
        const RequestWindow::Load load = window.loadFor(first, last);
        if (load.kind == RequestWindow::Load::Kind::None)
            return false;
        const Log::Answer answer = log.answer(load, window.watermark());
        return window.loaded(load, answer.rows, answer.atTop, answer.atBottom);
    }
    // Every loaded row holds the request the log has there.
    bool runInItsTruePlace() const
    {
        for (int row = window.start(); row < window.end(); ++row) {
            if (window.at(row).id != log.ids.at(row))
                return false;
        }
        return true;
    }
    Log log;
    View view;
    RequestWindow window { view };
};

QList<qint64> idsOf(const QList<LoggedRequest> &rows)
{
    QList<qint64> ids;
    for (const LoggedRequest &request : rows)
        ids.append(request.id);
    return ids;
}

} // namespace

class tst_RequestWindow : public QObject
{
    Q_OBJECT
private slots:
    void firstPageAndCount();
    void estimate_data();
    void estimate();
    void estimateWithoutAnchors();
    void loadNextToTheWindowExtendsIt_data();
    void loadNextToTheWindowExtendsIt();
    void jumpPlacesTheRunWhereTheEstimateSays();
    void runMovesToTheTopWhenTheEstimateWasOff();
    void runMovesToTheBottomWhenTheEstimateWasOff();
    void jumpPastTheOldestRowLandsAtTheBottom();
    void liveRowsJoinTheWindowAtTheTop();
    void liveRowsWhileAwayMoveTheWindowDown();
    void removals_data();
    void removals();
    void resetForgetsEverything();
};

void tst_RequestWindow::firstPageAndCount()
{
    const Log log = Log::of({ { 1000, 1 } });
    View view;
    RequestWindow window(view);
    window.setFirstPage(log.page(), log.newest());
    // Before the count, the table is the loaded rows.
    QCOMPARE(window.rowCount(), RequestWindow::PageSize);
    QCOMPARE(view.rows, RequestWindow::PageSize);
    QCOMPARE(window.total(), -1);
    QVERIFY(window.atTop() && !window.atBottom());
    QVERIFY(window.setCounted(1000, 1));
    QCOMPARE(window.total(), 1000);
    QCOMPARE(view.total, 1000);
    QCOMPARE(window.rowCount(), 1000); // a placeholder for every row not loaded
    QCOMPARE(view.rows, 1000);
    QVERIFY(window.isLoaded(99) && !window.isLoaded(100));
    QCOMPARE(window.rowOfId(901), 99);
    QCOMPARE(window.rowOfId(900), -1);
    QVERIFY(view.problem.isEmpty());

    // A short first page is everything: the count changes nothing.
    const Log few = Log::of({ { 40, 1 } });
    View fewView;
    RequestWindow all(fewView);
    all.setFirstPage(few.page(), few.newest());
    QVERIFY(!all.setCounted(55, 1)); // rows the count saw and the page did not: the rows win
    QCOMPARE(all.total(), 40);
    QVERIFY(all.allLoaded());
}

void tst_RequestWindow::estimate_data()
{
    QTest::addColumn<int>("step"); // between neighbouring ids
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("counted");
    QTest::addColumn<int>("row");
    QTest::addColumn<qint64>("expected");
    // Ids 1..1000: between the page's last row (99, 901) and the oldest (999, 1).
    QTest::addRow("dense, middle") << 1 << 1000 << true << 500 << qint64(500);
    QTest::addRow("dense, next to the window") << 1 << 1000 << true << 100 << qint64(900);
    QTest::addRow("dense, last row") << 1 << 1000 << true << 999 << qint64(1);
    QTest::addRow("dense, in the window") << 1 << 1000 << true << 50 << qint64(950);
    // Every other id: the gap comes from the anchors, not from counting rows.
    QTest::addRow("gaps of two, middle") << 2 << 1000 << true << 500 << qint64(1000);
    QTest::addRow("gaps of ten, middle") << 10 << 1000 << true << 550 << qint64(4500);
    // Before the count: one id a row below the window, never under 1.
    QTest::addRow("uncounted, below the window") << 2 << 1000 << false << 150 << qint64(1751);
    QTest::addRow("uncounted, far below") << 2 << 1000 << false << 5000 << qint64(1);
}

void tst_RequestWindow::estimate()
{
    QFETCH(int, step);
    QFETCH(int, count);
    QFETCH(bool, counted);
    QFETCH(int, row);
    QFETCH(qint64, expected);
    const Log log = Log::stepped(qint64(count) * step, count, step);
    View view;
    RequestWindow window(view);
    window.setFirstPage(log.page(), log.newest());
    if (counted)
        window.setCounted(count, log.oldest());
    QCOMPARE(window.estimateId(row), expected);
}

void tst_RequestWindow::estimateWithoutAnchors()
{
    // An empty first page knows only the watermark: one id a row below it.
    View view;
    RequestWindow window(view);
    window.setFirstPage({}, 50);
    QCOMPARE(window.estimateId(10), qint64(40));
    QCOMPARE(window.estimateId(80), qint64(1));
}

void tst_RequestWindow::loadNextToTheWindowExtendsIt_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("anchorId");
    QTest::addColumn<int>("limit");
    // The window holds rows 0..99 (ids 10000..9901) of 10000.
    QTest::addRow("loaded") << 10 << 40 << int(RequestWindow::Load::Kind::None) << qint64(0) << 0;
    QTest::addRow("across the end")
        << 90 << 120 << int(RequestWindow::Load::Kind::Below) << qint64(9901) << 100;
    QTest::addRow("within reach below")
        << 300 << 399 << int(RequestWindow::Load::Kind::Below) << qint64(9901) << 350;
    QTest::addRow("out of reach") << 401 << 430 << int(RequestWindow::Load::Kind::Jump) << qint64(0)
                                  << 130;
}

void tst_RequestWindow::loadNextToTheWindowExtendsIt()
{
    QFETCH(int, first);
    QFETCH(int, last);
    QFETCH(int, kind);
    QFETCH(qint64, anchorId);
    QFETCH(int, limit);
    Fixture fixture(Log::of({ { 10000, 1 } }));
    const RequestWindow::Load load = fixture.window.loadFor(first, last);
    QCOMPARE(int(load.kind), kind);
    QCOMPARE(load.limit, limit);
    if (load.kind == RequestWindow::Load::Kind::Below) {
        QCOMPARE(load.anchorId, anchorId);
        QCOMPARE(load.beforeId, anchorId); // by key, right below the window's last id
        QVERIFY(!load.oldestFirst);
        const Log::Answer answer = fixture.log.answer(load, fixture.window.watermark());
        QVERIFY(fixture.window.loaded(load, answer.rows, answer.atTop, answer.atBottom));
        QCOMPARE(fixture.window.start(), 0);
        QCOMPARE(fixture.window.end(), 100 + limit);
        QVERIFY(fixture.runInItsTruePlace());
    }
    QVERIFY(fixture.view.problem.isEmpty());
}

void tst_RequestWindow::jumpPlacesTheRunWhereTheEstimateSays()
{
    Fixture fixture(Log::of({ { 10000, 1 } }));
    const RequestWindow::Load load = fixture.window.loadFor(5000, 5029);
    QCOMPARE(load.kind, RequestWindow::Load::Kind::Jump);
    QCOMPARE(load.row, 4950); // a margin above what the view shows
    QCOMPARE(load.limit, 30 + 2 * 50);
    QCOMPARE(load.beforeId, qint64(5051)); // estimated id at row 4950, and those below
    const Log::Answer answer = fixture.log.answer(load, fixture.window.watermark());
    QVERIFY(!answer.atTop && !answer.atBottom);
    QVERIFY(fixture.window.loaded(load, answer.rows, answer.atTop, answer.atBottom));
    QCOMPARE(fixture.window.start(), 4950);
    QCOMPARE(fixture.window.rows().size(), 130);
    QVERIFY(fixture.window.isLoaded(5000) && fixture.window.isLoaded(5029));
    QVERIFY(fixture.runInItsTruePlace());
    QCOMPARE(fixture.window.rowCount(), 10000);
    QVERIFY(!fixture.window.isLoaded(0)); // the first page gave way
    QCOMPARE(fixture.view.rows, 10000);
    QVERIFY(fixture.view.problem.isEmpty());
}

void tst_RequestWindow::runMovesToTheTopWhenTheEstimateWasOff()
{
    // Rows 0..99 are ids 10000..9901, rows 100..999 ids 900..1: interpolating puts id 6040 at
    // row 450, where the log has id 550.
    Fixture fixture(Log::of({ { 10000, 9901 }, { 900, 1 } }));
    QVERIFY(fixture.show(500, 529));
    QCOMPARE(fixture.window.start(), 450);
    QCOMPARE(fixture.window.at(450).id, qint64(900)); // truly at row 100
    QVERIFY(!fixture.runInItsTruePlace());
    const int selected = fixture.window.rowOfId(850);
    fixture.view.kept = { selected };

    // Scrolling up reaches the newest rows: the run moves to its true place, and the selected
    // row stays on its request.
    int loads = 0;
    while (!fixture.window.atTop() && loads++ < 20)
        QVERIFY(fixture.show(fixture.window.start() - 30, fixture.window.start() - 1));
    QVERIFY(fixture.window.atTop());
    QCOMPARE(fixture.window.start(), 0);
    QVERIFY(fixture.runInItsTruePlace());
    QCOMPARE(fixture.window.rowOfId(900), 100);
    QCOMPARE(fixture.window.rowCount(), 1000);
    QCOMPARE(fixture.view.kept, QList<int>({ fixture.log.rowOf(850) }));
    QVERIFY(fixture.view.moves > 0);
    QVERIFY(fixture.view.problem.isEmpty());
}

void tst_RequestWindow::runMovesToTheBottomWhenTheEstimateWasOff()
{
    Fixture fixture(Log::of({ { 10000, 9901 }, { 900, 1 } }));
    QVERIFY(fixture.show(500, 529));
    QVERIFY(!fixture.runInItsTruePlace());
    fixture.view.kept = { fixture.window.rowOfId(800) };

    // Scrolling down reaches the oldest row: the run ends at the last row, where it belongs.
    int loads = 0;
    while (!fixture.window.atBottom() && loads++ < 20)
        QVERIFY(fixture.show(fixture.window.end(), fixture.window.end() + 29));
    QVERIFY(fixture.window.atBottom());
    QCOMPARE(fixture.window.end(), 1000);
    QCOMPARE(fixture.window.start(), 100);
    QVERIFY(fixture.runInItsTruePlace());
    QCOMPARE(fixture.window.rowCount(), 1000);
    QCOMPARE(fixture.view.kept, QList<int>({ fixture.log.rowOf(800) }));
    QVERIFY(fixture.view.problem.isEmpty());
}

void tst_RequestWindow::jumpPastTheOldestRowLandsAtTheBottom()
{
    // Sparse ids above, dense below: the estimate at row 900 (id 992) is past every id but the
    // last hundred, so the rows just above them complete the run, at the bottom.
    Log log = Log::stepped(10000, 900, 10);
    log.ids += Log::of({ { 100, 1 } }).ids;
    Fixture fixture(log);
    const RequestWindow::Load load = fixture.window.loadFor(950, 979);
    QCOMPARE(load.kind, RequestWindow::Load::Kind::Jump);
    QCOMPARE(load.beforeId, qint64(993));
    const Log::Answer answer = fixture.log.answer(load, fixture.window.watermark());
    QVERIFY(answer.atBottom && !answer.atTop);
    QVERIFY(fixture.window.loaded(load, answer.rows, answer.atTop, answer.atBottom));
    QCOMPARE(fixture.window.end(), 1000);
    QCOMPARE(fixture.window.start(), 1000 - int(answer.rows.size()));
    QVERIFY(fixture.runInItsTruePlace());
    QVERIFY(fixture.window.isLoaded(950) && fixture.window.isLoaded(979));
    QVERIFY(fixture.view.problem.isEmpty());
}

void tst_RequestWindow::liveRowsJoinTheWindowAtTheTop()
{
    Fixture fixture(Log::of({ { 1000, 1 } }));
    QList<LoggedRequest> newer = Log::of({ { 1010, 1001 } }).read(0, 0, false, 100);
    newer.append(fixture.window.at(0)); // already loaded: not twice
    QCOMPARE(fixture.window.insertNewer(newer, 1010), 10);
    QCOMPARE(fixture.window.start(), 0);
    QCOMPARE(fixture.window.at(0).id, qint64(1010));
    QCOMPARE(fixture.window.at(10).id, qint64(1000));
    QCOMPARE(fixture.window.rowCount(), 1010);
    QCOMPARE(fixture.window.total(), 1010);
    QCOMPARE(fixture.window.watermark(), qint64(1010));
    QCOMPARE(fixture.window.insertedAtTop(), qint64(10));
    QCOMPARE(fixture.view.rows, 1010);
    QVERIFY(fixture.view.problem.isEmpty());
}

void tst_RequestWindow::liveRowsWhileAwayMoveTheWindowDown()
{
    Fixture fixture(Log::of({ { 10000, 1 } }));
    QVERIFY(fixture.show(5000, 5029));
    const int start = fixture.window.start();
    const QList<qint64> before = idsOf(fixture.window.rows());
    fixture.view.kept = { 5010 };

    // A jump asked before the rows arrive, answered after: it lands below them too.
    const RequestWindow::Load pending = fixture.window.loadFor(8000, 8029);
    const Log::Answer answer = fixture.log.answer(pending, fixture.window.watermark());

    const QList<LoggedRequest> newer = Log::of({ { 10020, 10001 } }).read(0, 0, false, 100);
    QCOMPARE(fixture.window.insertNewer(newer, 10020), 20);
    // Placeholders above the window: it and the kept row move down, the rows stay as they were.
    QCOMPARE(fixture.window.start(), start + 20);
    QCOMPARE(idsOf(fixture.window.rows()), before);
    QCOMPARE(fixture.view.kept, QList<int>({ 5030 }));
    QCOMPARE(fixture.window.rowCount(), 10020);
    QCOMPARE(fixture.window.total(), 10020);
    QVERIFY(!fixture.window.contains(10020)); // live rows are not loaded while away

    QVERIFY(fixture.window.loaded(pending, answer.rows, answer.atTop, answer.atBottom));
    QCOMPARE(fixture.window.start(), pending.row + 20);
    QCOMPARE(fixture.window.rowOfId(10000 - 8000), 8000 + 20);
    QVERIFY(fixture.view.problem.isEmpty());
}

void tst_RequestWindow::removals_data()
{
    QTest::addColumn<int>("jumpTo"); // -1: the window stays at the top
    QTest::addColumn<QList<qint64>>("ids"); // loaded ids removed
    QTest::addColumn<qint64>("removedInStore"); // the ids and others not loaded
    QTest::addColumn<int>("startAfter");
    QTest::addRow("loaded rows, at the top")
        << -1 << QList<qint64>({ 1000, 950, 949 }) << qint64(3) << 0;
    QTest::addRow("loaded and elsewhere, at the top")
        << -1 << QList<qint64>({ 999 }) << qint64(10) << 0;
    // Away from the top, the rows not loaded go from below the window first: nothing above moves.
    QTest::addRow("elsewhere, fewer than below") << 500 << QList<qint64>() << qint64(50) << 450;
    // More than the placeholders below (one stays, for the rows known there): the rest above.
    QTest::addRow("elsewhere, more than below") << 500 << QList<qint64>() << qint64(600) << 269;
}

void tst_RequestWindow::removals()
{
    QFETCH(int, jumpTo);
    QFETCH(QList<qint64>, ids);
    QFETCH(qint64, removedInStore);
    QFETCH(int, startAfter);
    Fixture fixture(Log::of({ { 1000, 1 } }));
    if (jumpTo >= 0)
        QVERIFY(fixture.show(jumpTo, jumpTo + 29));
    const int loaded = int(fixture.window.rows().size());
    fixture.window.removeIds(ids, removedInStore);
    QCOMPARE(fixture.window.total(), 1000 - removedInStore);
    QCOMPARE(fixture.window.rowCount(), 1000 - int(removedInStore));
    QCOMPARE(fixture.view.rows, fixture.window.rowCount());
    QCOMPARE(fixture.window.rows().size(), loaded - ids.size());
    QCOMPARE(fixture.window.start(), startAfter);
    for (qint64 id : std::as_const(ids))
        QCOMPARE(fixture.window.rowOfId(id), -1);
    QVERIFY(fixture.view.problem.isEmpty());
}

void tst_RequestWindow::resetForgetsEverything()
{
    Fixture fixture(Log::of({ { 1000, 1 } }));
    QVERIFY(fixture.show(500, 529));
    fixture.window.reset();
    QCOMPARE(fixture.window.rowCount(), 0);
    QCOMPARE(fixture.window.total(), -1);
    QVERIFY(fixture.window.rows().isEmpty());
    QVERIFY(!fixture.window.firstLoaded());
    QVERIFY(fixture.window.atTop() && !fixture.window.atBottom());
    QCOMPARE(fixture.window.watermark(), qint64(0));
    QCOMPARE(fixture.window.estimateId(5), qint64(1));
    QVERIFY(!fixture.window.contains(700));
}

QTEST_APPLESS_MAIN(tst_RequestWindow)
#include "tst_requestwindow.moc"
