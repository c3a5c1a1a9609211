// Importing webhook settings from a JSON file someone was sent: every webhook the import
// accepts is valid, exporting and importing it again gives the same settings and id, and the
// import's plan adds every valid entry into an empty store and none under an id already there.
// Input: the file.
#include "core/history/webhooktransfer.h"
#include "fuzzcheck.h"

using namespace Hooktrail;

namespace {

bool sameSettings(const Webhook &a, const Webhook &b)
{
    return a.name == b.name && a.description == b.description && a.methods == b.methods
        && a.headerRules == b.headerRules && a.ipWhitelist == b.ipWhitelist
        && a.enabled == b.enabled && a.id == b.id;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const WebhookTransfer::Parsed parsed = WebhookTransfer::parse(input);
    for (const Webhook &webhook : parsed.webhooks)
        FUZZ_CHECK(validateWebhook(webhook).isEmpty());
    if (parsed.webhooks.isEmpty())
        return 0;

    const WebhookTransfer::Parsed again
        = WebhookTransfer::parse(WebhookTransfer::exportJson(parsed.webhooks));
    FUZZ_CHECK(again.problems.isEmpty());
    FUZZ_CHECK(again.webhooks.size() == parsed.webhooks.size());
    for (qsizetype i = 0; i < parsed.webhooks.size(); ++i)
        FUZZ_CHECK(sameSettings(parsed.webhooks.at(i), again.webhooks.at(i)));

    using Step = WebhookTransfer::Step;
    for (const Step &step : WebhookTransfer::plan(parsed, {}, false))
        FUZZ_CHECK((step.action == Step::Action::Add) == step.entry.problems.isEmpty()
            && !step.renamed && step.webhook.id.isEmpty());
    for (const Step &step : WebhookTransfer::plan(parsed, parsed.webhooks, true))
        FUZZ_CHECK(step.action == Step::Action::Skip || step.entry.id.isEmpty());
    return 0;
}
