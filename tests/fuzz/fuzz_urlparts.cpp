// Path, query and form decoding over arbitrary bytes: the webhook id in a path, a query
// parameter (where admission finds the API key), the key's redaction in the log, and the
// x-www-form-urlencoded fields the console shows. Input: a path, a query string or a form body.
#include "core/endpoint/keyrule.h"
#include "core/endpoint/route.h"
#include "core/history/formdata.h"
#include "core/model/loggedrequest.h"
#include "core/model/webhook.h"
#include "fuzzcheck.h"

using namespace Hooktrail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));

    const QString id = Endpoint::webhookIdFromPath(input);
    FUZZ_CHECK(id.isEmpty() || (isUuidV4(id) && input == "/v1/data/webhook/" + id.toLatin1()));

    // Admission and formFields (the console) read the same syntax: the first field named as
    // the key must decode to the same value in both.
    const QByteArray key = Endpoint::presentedKey(input, {});
    const QList<QPair<QString, QString>> fields = formFields(input);
    FUZZ_CHECK(fields.size() <= input.count('&') + 1);
    QString fieldKey;
    for (const auto &[name, value] : fields) {
        if (Endpoint::isKeyParameter(name.toUtf8())) {
            fieldKey = value;
            break;
        }
    }
    FUZZ_CHECK(receivedText(key) == fieldKey);

    // Whatever key admission would read from a query, the logged query holds only the mask.
    const QByteArray redacted = Redaction::redactQuery(input);
    const QByteArray loggedKey = Endpoint::presentedKey(redacted, {});
    FUZZ_CHECK(loggedKey.isEmpty() || loggedKey == Redaction::Mask);
    FUZZ_CHECK(key.isEmpty() || loggedKey == Redaction::Mask);
    return 0;
}
