// Status colours chosen against the palette in use, so they stay readable on light and dark
// desktops; the views keep the words and add the colour.
#include "ui/tones.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>
#include <cmath>

namespace Hooktrail::Tones {

namespace {

double luminance(const QColor &colour)
{
    const auto channel = [](double value) {
        return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF());
}

bool isDark(const QColor &colour)
{
    return luminance(colour) < 0.2;
}

} // namespace

double contrast(const QColor &a, const QColor &b)
{
    const double first = luminance(a) + 0.05;
    const double second = luminance(b) + 0.05;
    return first > second ? first / second : second / first;
}

std::optional<Tone> ofDelivery(DeliveryState state)
{
    switch (state) {
    case DeliveryState::Delivered:
        return Tone::Good;
    case DeliveryState::Pending:
    case DeliveryState::Retrying:
        return Tone::Waiting;
    case DeliveryState::Failed:
        return Tone::Bad;
    case DeliveryState::None:
        break;
    }
    return std::nullopt;
}

QColor colour(Tone tone, const QPalette &palette, QPalette::ColorRole background)
{
    const bool dark = isDark(palette.color(background));
    switch (tone) {
    case Tone::Good:
        return dark ? QColor(0x56, 0xd3, 0x64) : QColor(0x1a, 0x7f, 0x37);
    case Tone::Bad:
        return dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc2, 0x1f, 0x2b);
    case Tone::Waiting:
        return dark ? QColor(0xf0, 0xa4, 0x4b) : QColor(0x8a, 0x4b, 0x00);
    case Tone::Quiet:
        break;
    }
    return palette.color(QPalette::PlaceholderText);
}

QColor methodColour(QByteArrayView method, const QPalette &palette, QPalette::ColorRole background)
{
    struct Shades
    {
        const char *method;
        QRgb onLight;
        QRgb onDark;
    };
    static constexpr Shades shades[] = {
        { "GET", qRgb(0x0b, 0x5c, 0xad), qRgb(0x6c, 0xb6, 0xff) },
        { "POST", qRgb(0x1a, 0x7f, 0x37), qRgb(0x56, 0xd3, 0x64) },
        { "PUT", qRgb(0x8a, 0x4b, 0x00), qRgb(0xf0, 0xa4, 0x4b) },
        { "PATCH", qRgb(0x6f, 0x42, 0xc1), qRgb(0xd2, 0xa8, 0xff) },
        { "DELETE", qRgb(0xc2, 0x1f, 0x2b), qRgb(0xff, 0x7b, 0x72) },
    };
    const bool dark = isDark(palette.color(background));
    for (const Shades &shade : shades) {
        if (method == QByteArrayView(shade.method))
            return QColor(dark ? shade.onDark : shade.onLight);
    }
    return palette.color(QPalette::Text);
}

QIcon dot(Tone tone, const QPalette &palette)
{
    const QColor fill = colour(tone, palette);
    // data() is asked for on every paint: one icon per colour, drawn once.
    static QHash<QRgb, QIcon> cache;
    const QRgb key = fill.rgba() ^ (tone == Tone::Quiet ? 1u : 0u);
    if (const auto found = cache.constFind(key); found != cache.constEnd())
        return *found;
    QIcon icon;
    for (const int side : { 16, 32 }) {
        QPixmap pixmap(side, side);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const qreal radius = side * 0.22;
        const QRectF circle(side / 2.0 - radius, side / 2.0 - radius, 2 * radius, 2 * radius);
        if (tone == Tone::Quiet) {
            painter.setPen(QPen(fill, side / 10.0));
            painter.setBrush(Qt::NoBrush);
        } else {
            painter.setPen(Qt::NoPen);
            painter.setBrush(fill);
        }
        painter.drawEllipse(circle);
        painter.end();
        icon.addPixmap(pixmap);
    }
    cache.insert(key, icon);
    return icon;
}

} // namespace Hooktrail::Tones
