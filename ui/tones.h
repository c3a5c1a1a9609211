// Colours that say how a request or a state went, beside the text that says it in words.
#pragma once

#include "core/model/deliverystate.h"

#include <QByteArrayView>
#include <QColor>
#include <QIcon>
#include <QPalette>
#include <optional>

namespace Hooktrail::Tones {

enum class Tone {
    Good, // accepted, enabled, active
    Bad, // rejected, revoked
    Quiet, // disabled: nothing wrong, nothing flowing
    Waiting, // not there yet: a delivery pending or being retried
};

// How a delivery stands (ARCHITECTURE §5.5): delivered good, pending and retrying waiting,
// failed bad; none has no tone.
std::optional<Tone> ofDelivery(DeliveryState state);

// A text colour for the tone with a contrast of at least 4.5:1 (WCAG AA) against the palette's
// `background` role: a darker shade on a light background, a lighter one on a dark background.
// Quiet is the palette's own placeholder colour.
QColor colour(Tone tone, const QPalette &palette, QPalette::ColorRole background = QPalette::Base);

// A text colour per HTTP method (GET, POST, PUT, PATCH, DELETE each their own; any other the
// palette's text colour), with the same contrast as colour(): the method's name stays the text.
QColor methodColour(QByteArrayView method, const QPalette &palette,
    QPalette::ColorRole background = QPalette::Base);

// A small filled dot of the tone's colour (a ring for Quiet), for a view's DecorationRole.
QIcon dot(Tone tone, const QPalette &palette);

// WCAG 2 contrast ratio of two colours, 1 to 21.
double contrast(const QColor &a, const QColor &b);

} // namespace Hooktrail::Tones
