// The line atop the history's detail pane: the request at a glance — method, status, why, when
// and how big — before any tab is read.
#include "ui/requestsummary.h"

#include "core/endpoint/answer.h"
#include "core/endpoint/reasontext.h"
#include "ui/tones.h"

#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>

namespace Hooktrail {

namespace {

QLabel *part(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText); // never rich text: some parts come from the sender
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString chipStyle(const QColor &background, const QColor &text, const QColor &border)
{
    return QStringLiteral("QLabel { background: %1; color: %2; border: 1px solid %3; "
                          "border-radius: 3px; padding: 1px 6px; font-weight: bold; }")
        .arg(background.name(), text.name(), border.name());
}

} // namespace

RequestSummary::RequestSummary(QWidget *parent)
    : QWidget(parent)
    , m_method(part(this, QStringLiteral("summaryMethod")))
    , m_status(part(this, QStringLiteral("summaryStatus")))
    , m_reason(part(this, QStringLiteral("summaryReason")))
    , m_time(part(this, QStringLiteral("summaryTime")))
    , m_size(part(this, QStringLiteral("summarySize")))
{
    setObjectName(QStringLiteral("requestSummary"));
    setAccessibleName(tr("Request summary"));
    // The reason gives way first: its words are also in the overview.
    m_reason->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_reason->setMinimumWidth(fontMetrics().averageCharWidth() * 8);
    m_reason->installEventFilter(this);
    m_time->setForegroundRole(QPalette::PlaceholderText);
    m_size->setForegroundRole(QPalette::PlaceholderText);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_method);
    layout->addWidget(m_status);
    layout->addWidget(m_reason, 1);
    layout->addWidget(m_time);
    layout->addWidget(m_size);
    applyColours();
}

void RequestSummary::setRequest(const LoggedRequest &request)
{
    m_accepted = request.accepted();
    m_methodCode = request.method;
    QString method = QString::fromLatin1(request.method);
    m_method->setToolTip(method.size() > MethodLength ? method : QString());
    if (method.size() > MethodLength)
        method = method.left(MethodLength - 1) + QStringLiteral("…");
    m_method->setText(method);
    m_method->setAccessibleName(tr("Method: %1").arg(method));

    const QString status = QStringLiteral("%1 %2").arg(QString::number(request.status),
        QString::fromLatin1(Endpoint::reasonPhrase(request.status)));
    m_status->setText(status);
    m_status->setAccessibleName(request.accepted() ? tr("Accepted, status %1").arg(status)
                                                   : tr("Rejected, status %1").arg(status));
    m_status->setToolTip(request.accepted() ? tr("Accepted") : tr("Rejected"));

    const QString reason = Endpoint::reasonText(request.reason);
    m_reasonText = reason;
    elideReason();
    m_reason->setToolTip(Endpoint::reasonWithCode(request.reason));
    m_reason->setAccessibleName(tr("Reason: %1").arg(reason));

    const QDateTime local
        = QDateTime::fromMSecsSinceEpoch(request.receivedAtMicros / 1000, Qt::UTC).toLocalTime();
    m_time->setText(local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    m_time->setToolTip(QLocale().toString(local, QLocale::LongFormat));
    m_time->setAccessibleName(tr("Received: %1").arg(m_time->text()));

    m_size->setText(
        request.bodySize == 0 ? tr("No body") : QLocale().formattedDataSize(request.bodySize));
    m_size->setAccessibleName(tr("Body size: %1").arg(m_size->text()));
    applyColours();
}

QString RequestSummary::method() const
{
    return m_method->text();
}

QString RequestSummary::status() const
{
    return m_status->text();
}

QString RequestSummary::reason() const
{
    return m_reasonText;
}

QString RequestSummary::time() const
{
    return m_time->text();
}

QString RequestSummary::size() const
{
    return m_size->text();
}

QString RequestSummary::text() const
{
    return QStringList { method(), status(), reason(), time(), size() }.join(QStringLiteral(" · "));
}

bool RequestSummary::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_reason && event->type() == QEvent::Resize)
        elideReason(); // cut to the width the layout gave it
    return QWidget::eventFilter(watched, event);
}

void RequestSummary::elideReason()
{
    m_reason->setText(
        m_reason->fontMetrics().elidedText(m_reasonText, Qt::ElideRight, m_reason->width()));
}

void RequestSummary::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_updatingStyle)
        applyColours();
}

// The chip takes the tone of the history's rows as its background and the window's colour as
// its text: the pair has the contrast the tone is chosen for, in light and dark palettes.
void RequestSummary::applyColours()
{
    m_updatingStyle = true;
    const QPalette &colours = palette();
    const QColor tone = Tones::colour(
        m_accepted ? Tones::Tone::Good : Tones::Tone::Bad, colours, QPalette::Window);
    m_status->setStyleSheet(chipStyle(tone, colours.color(QPalette::Window), tone));
    m_method->setStyleSheet(chipStyle(colours.color(QPalette::AlternateBase),
        Tones::methodColour(m_methodCode, colours, QPalette::AlternateBase),
        colours.color(QPalette::Mid)));
    m_updatingStyle = false;
}

} // namespace Hooktrail
