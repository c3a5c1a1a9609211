// The console's icons: QIcon::fromTheme with a bundled SVG behind each, so a desktop without an
// icon theme (a bare X session, the offscreen platform) still shows them.
#include "ui/icons.h"

#include <QFile>
#include <QGuiApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QPixmapCache>
#include <QSvgRenderer>

namespace Hooktrail::Icons {

namespace {

// Draws a bundled SVG whose strokes are "currentColor" in the colour the palette gives text in
// that mode, at the moment of painting: a palette change (light to dark) needs no new icon.
class SvgIconEngine final : public QIconEngine
{
public:
    explicit SvgIconEngine(QByteArray svg) : m_svg(std::move(svg)), m_id(qHash(m_svg)) { }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        render(painter, rect, colourFor(mode));
    }

    // Buttons and the sidebar ask for their pixmap on every repaint (hover, focus): each SVG is
    // parsed once per size and colour, the result kept in Qt's pixmap cache (bounded, LRU).
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State) override
    {
        const QColor colour = colourFor(mode);
        const QString cacheKey = QStringLiteral("hooktrail-icon-%1-%2x%3-%4")
                                     .arg(m_id)
                                     .arg(size.width())
                                     .arg(size.height())
                                     .arg(colour.rgba());
        QPixmap pixmap;
        if (QPixmapCache::find(cacheKey, &pixmap))
            return pixmap;
        pixmap = QPixmap(size);
        pixmap.fill(Qt::transparent);
        {
            QPainter painter(&pixmap);
            painter.setRenderHint(QPainter::Antialiasing);
            render(&painter, QRect(QPoint(), size), colour);
        }
        QPixmapCache::insert(cacheKey, pixmap);
        return pixmap;
    }

    QPixmap scaledPixmap(
        const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        QPixmap scaled = pixmap(size * scale, mode, state);
        scaled.setDevicePixelRatio(scale);
        return scaled;
    }

    QIconEngine *clone() const override { return new SvgIconEngine(m_svg); }
    QString key() const override { return QStringLiteral("hooktrail-svg"); }
    bool isNull() override { return m_svg.isEmpty(); }

private:
    static QColor colourFor(QIcon::Mode mode)
    {
        const QPalette palette = QGuiApplication::palette();
        switch (mode) {
        case QIcon::Disabled:
            return palette.color(QPalette::Disabled, QPalette::ButtonText);
        case QIcon::Selected:
            return palette.color(QPalette::Active, QPalette::HighlightedText);
        case QIcon::Normal:
        case QIcon::Active:
            break;
        }
        return palette.color(QPalette::Active, QPalette::ButtonText);
    }

    void render(QPainter *painter, const QRect &rect, const QColor &colour) const
    {
        QByteArray svg = m_svg;
        svg.replace("currentColor", colour.name().toLatin1());
        QSvgRenderer renderer(svg);
        renderer.render(painter, QRectF(rect));
    }

    QByteArray m_svg;
    size_t m_id; // tells this SVG's pixmaps apart in the shared cache
};

QIcon themed(const char *themeName, const char *bundledName)
{
    return QIcon::fromTheme(QLatin1String(themeName), bundled(QLatin1String(bundledName)));
}

} // namespace

QIcon bundled(const QString &name)
{
    QFile file(QStringLiteral(":/hooktrail/icons/%1.svg").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QIcon(new SvgIconEngine(file.readAll()));
}

QIcon page(Page page)
{
    switch (page) {
    case Page::Connections:
        return themed("network-wired", "connections");
    case Page::History:
        return themed("document-open-recent", "history");
    case Page::Settings:
        return themed("preferences-system", "settings");
    }
    return {};
}

QIcon action(Action action)
{
    switch (action) {
    case Action::Add:
        return themed("list-add", "add");
    case Action::Edit:
        return themed("document-edit", "edit");
    case Action::Toggle:
        return themed("system-shutdown", "power");
    case Action::Duplicate:
        return themed("edit-duplicate", "duplicate");
    case Action::Delete:
        return themed("edit-delete", "delete");
    case Action::CopyEndpoint:
        return themed("insert-link", "link");
    case Action::SendTest:
        return themed("mail-send", "send");
    case Action::Import:
        return themed("document-import", "import");
    case Action::Export:
        return themed("document-export", "export");
    case Action::CopyCurl:
        return themed("utilities-terminal", "terminal");
    case Action::Replay:
        return themed("mail-forward", "replay");
    case Action::Refresh:
        return themed("view-refresh", "refresh");
    case Action::Find:
        return themed("edit-find", "find");
    case Action::Copy:
        return themed("edit-copy", "copy");
    case Action::CreateKey:
        return themed("dialog-password", "key");
    case Action::RevokeKey:
        return themed("action-unavailable", "revoke");
    }
    return {};
}

} // namespace Hooktrail::Icons
