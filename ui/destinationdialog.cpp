// Adding or editing one destination of a webhook (ARCHITECTURE §5.5).
#include "ui/destinationdialog.h"

#include "ui/headertableeditor.h"
#include "ui/problemlabel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace Hooktrail {

namespace {
QSpinBox *spinBox(const QString &objectName, int minimum, int maximum, int value,
    const QString &suffix, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(objectName);
    box->setRange(minimum, maximum);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}
} // namespace

DestinationDialog::DestinationDialog(const Destination &destination, QWidget *parent)
    : QDialog(parent), m_base(destination)
{
    setWindowTitle(destination.id.isEmpty() ? tr("Add destination") : tr("Edit destination"));
    auto *form = new QFormLayout;
    const auto addField = [&](const QString &label, QWidget *field, const QString &key, int lines) {
        auto *caption = new QLabel(label, this);
        caption->setBuddy(field);
        form->addRow(caption, field);
        auto *problem = new ProblemLabel(key + QStringLiteral("Problem"), this);
        problem->reserveLines(lines);
        form->addRow(QString(), problem);
        m_problems.insert(key, problem);
    };

    m_name = new QLineEdit(destination.name, this);
    m_name->setObjectName(QStringLiteral("destinationNameEdit"));
    m_name->setPlaceholderText(tr("e.g. Staging app"));
    m_name->setMaxLength(200);
    addField(tr("&Name:"), m_name, QStringLiteral("name"), 1);

    m_url = new QLineEdit(destination.url, this);
    m_url->setObjectName(QStringLiteral("destinationUrlEdit"));
    m_url->setPlaceholderText(QStringLiteral("http://localhost:3000/hooks"));
    m_url->setToolTip(tr("Where each accepted request is delivered: an http:// or https:// URL."));
    addField(tr("&URL:"), m_url, QStringLiteral("url"), 1);

    m_headers = new HeaderTableEditor(this);
    m_headers->setObjectName(QStringLiteral("destinationHeaders"));
    m_headers->table()->setToolTip(
        tr("Added to every delivery, e.g. a token the destination expects."));
    for (const auto &[name, value] : destination.headers)
        m_headers->addHeader(name, value);
    addField(tr("Headers to &add:"), m_headers, QStringLiteral("headers"), 2);

    m_timeout = spinBox(QStringLiteral("destinationTimeout"), 1, Destination::MaxTimeoutMs / 1000,
        destination.timeoutMs / 1000, tr(" s"), this);
    m_timeout->setToolTip(tr("An attempt with no complete answer by then is retried."));
    addField(tr("&Timeout:"), m_timeout, QStringLiteral("timeout"), 1);
    m_attempts = spinBox(QStringLiteral("destinationAttempts"), 1, Destination::MaxAttemptsLimit,
        destination.maxAttempts, QString(), this);
    m_attempts->setToolTip(tr("408, 429, 5xx answers, timeouts and refused connections are "
                              "retried, with a growing random pause, up to this many attempts."));
    addField(tr("Maximum &attempts:"), m_attempts, QStringLiteral("maxAttempts"), 1);
    m_maxAge = spinBox(QStringLiteral("destinationMaxAge"), 1,
        int(Destination::MaxAgeLimitSeconds / 3600), int(destination.maxAgeSeconds / 3600),
        tr(" h"), this);
    m_maxAge->setToolTip(tr("A delivery not made by then is given up."));
    addField(tr("Give up &after:"), m_maxAge, QStringLiteral("maxAge"), 1);

    m_forwardPath = new QCheckBox(tr("&Forward the query (without the API key)"), this);
    m_forwardPath->setObjectName(QStringLiteral("destinationForwardPath"));
    m_forwardPath->setChecked(destination.forwardPath);
    form->addRow(QString(), m_forwardPath);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &DestinationDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);

    connect(m_name, &QLineEdit::textEdited, this, [this] { touch(QStringLiteral("name")); });
    connect(m_name, &QLineEdit::editingFinished, this, [this] { touch(QStringLiteral("name")); });
    connect(m_url, &QLineEdit::textEdited, this, [this] { touch(QStringLiteral("url")); });
    connect(m_url, &QLineEdit::editingFinished, this, [this] { touch(QStringLiteral("url")); });
    connect(
        m_headers, &HeaderTableEditor::edited, this, [this] { touch(QStringLiteral("headers")); });
    setMinimumWidth(480);
    m_url->setFocus();
    if (!destination.id.isEmpty() || !destination.url.isEmpty())
        m_name->setFocus();
}

Destination DestinationDialog::destination() const
{
    Destination out = m_base;
    out.name = m_name->text().trimmed();
    out.url = m_url->text().trimmed();
    if (out.name.isEmpty())
        out.name = QUrl(out.url).host(); // what the store names it too
    out.headers = m_headers->headers();
    out.timeoutMs = m_timeout->value() * 1000;
    out.maxAttempts = m_attempts->value();
    out.maxAgeSeconds = qint64(m_maxAge->value()) * 3600;
    out.forwardPath = m_forwardPath->isChecked();
    return out;
}

void DestinationDialog::touch(const QString &field)
{
    m_touched.insert(field);
    validate();
}

void DestinationDialog::validate()
{
    QMap<QString, QStringList> byField;
    for (const FieldProblem &problem : validateDestination(destination()))
        byField[problem.field].append(problem.message);
    for (auto it = m_problems.cbegin(); it != m_problems.cend(); ++it) {
        const bool shown = m_saveTried || m_touched.contains(it.key());
        it.value()->setProblems(shown ? byField.value(it.key()) : QStringList());
    }
}

void DestinationDialog::save()
{
    m_saveTried = true;
    validate();
    const QList<FieldProblem> problems = validateDestination(destination());
    if (!problems.isEmpty()) {
        if (problems.first().field == u"url")
            m_url->setFocus();
        else if (problems.first().field == u"name")
            m_name->setFocus();
        return;
    }
    accept();
}

} // namespace Hooktrail
