// The history table's first column widths, before the user's own are restored.
#pragma once

class QTableView;

namespace Hooktrail::HistoryColumns {

// Widths for what each column typically holds, measured in the table's font (the model is lazy:
// no ResizeToContents over millions of rows), never narrower than the column's title in the
// language in use.
void setInitialWidths(QTableView *table);

} // namespace Hooktrail::HistoryColumns
