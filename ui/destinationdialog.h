// Adding or editing one destination of a webhook (ARCHITECTURE §5.5): its name, URL, headers,
// timeout and retry policy, checked as the user types like the webhook form, each problem
// shown next to its field once it was changed or left, or Save was tried.
#pragma once

#include "core/model/destination.h"

#include <QDialog>
#include <QMap>
#include <QSet>

class QCheckBox;
class QDialogButtonBox;
class QLineEdit;
class QSpinBox;

namespace Hooktrail {

class HeaderTableEditor;
class ProblemLabel;

class DestinationDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DestinationDialog)
public:
    // A destination with an id to edit it; without one to add it to its webhookId.
    explicit DestinationDialog(const Destination &destination, QWidget *parent = nullptr);

    // The destination as the form has it (valid once the dialog is accepted).
    Destination destination() const;

private:
    void touch(const QString &field);
    void validate();
    void save();

    Destination m_base;
    QLineEdit *m_name;
    QLineEdit *m_url;
    HeaderTableEditor *m_headers;
    QSpinBox *m_timeout;
    QSpinBox *m_attempts;
    QSpinBox *m_maxAge;
    QCheckBox *m_forwardPath;
    QMap<QString, ProblemLabel *> m_problems; // by validateDestination's field
    QSet<QString> m_touched;
    bool m_saveTried = false;
    QDialogButtonBox *m_buttons;
};

} // namespace Hooktrail
