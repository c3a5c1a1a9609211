// The history table's columns before the user's own layout is restored: their order, their first
// widths, and how a path too long for its column is cut.
#pragma once

class QTableView;

namespace Hooktrail::HistoryColumns {

// What tells requests apart comes first (time, webhook, outcome and beside it where it was
// delivered, status, method, path), so the list beside the detail shows it without scrolling;
// size, client and content type follow, also in the detail's overview. Widths fit what each column
// typically holds, measured in the table's font (the model is lazy: no ResizeToContents over
// millions of rows), never narrower than the column's title in the language in use. Paths are cut
// in the middle, keeping their start and their end (the webhook id and the suffix).
void setUp(QTableView *table);

} // namespace Hooktrail::HistoryColumns
