// The signature header parsers (ARCHITECTURE §5.6) over arbitrary bytes: Stripe-Signature, the
// Standard Webhooks signature list, hex, base64 and timestamps; then every preset's verifier on
// headers built from the input. Input: a header value, optionally "\n" and a body.
#include "core/verification/signature.h"
#include "fuzzcheck.h"

using namespace Hooktrail;
using namespace Hooktrail::Signatures;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArray value = newline < 0 ? input : input.left(newline);
    const QByteArray body = newline < 0 ? QByteArray() : input.mid(newline + 1);

    if (const std::optional<StripeHeader> stripe = parseStripeHeader(value)) {
        FUZZ_CHECK(!stripe->v1.isEmpty() && stripe->v1.size() <= 16);
        FUZZ_CHECK(parseTimestamp(stripe->timestamp).has_value());
    }
    const QList<QByteArray> standard = parseStandardSignatures(value);
    FUZZ_CHECK(standard.size() <= 16);
    for (const QByteArray &signature : standard)
        FUZZ_CHECK(!signature.isEmpty());
    if (const std::optional<QByteArray> hex = decodeHex(value)) {
        FUZZ_CHECK(hex->size() * 2 == value.size());
        FUZZ_CHECK(hex->toHex() == value.toLower());
    }
    if (const std::optional<qint64> seconds = parseTimestamp(value))
        FUZZ_CHECK(*seconds >= 0 && QByteArray::number(*seconds).size() <= value.size());
    decodeBase64(value);

    // Each preset on the value under every header it reads: never verified by chance, never a
    // crash, and a detail for the log every time.
    const HeaderList headers { { "X-Hub-Signature-256", value }, { "Stripe-Signature", value },
        { "X-Shopify-Hmac-Sha256", value }, { "X-Slack-Signature", value },
        { "X-Slack-Request-Timestamp", value }, { "webhook-id", value },
        { "webhook-timestamp", value }, { "webhook-signature", value }, { "X-Signature", value },
        { "X-Time", value } };
    for (const SignaturePreset preset : allPresets()) {
        Verification verification;
        verification.preset = preset;
        verification.secrets = { QStringLiteral("whsec_c2VjcmV0LWZvci10aGUtZnV6emVy") };
        verification.hmac.timestampHeader = QStringLiteral("X-Time");
        const Verifier verifier(verification);
        const Outcome head = verifier.checkHead(headers, 1700000000);
        const Outcome whole = verifier.verify(headers, body, 1700000000);
        FUZZ_CHECK(!whole.verified());
        FUZZ_CHECK(!whole.detail.isEmpty());
        FUZZ_CHECK(head.verified() || head.verdict == whole.verdict);
    }
    return 0;
}
