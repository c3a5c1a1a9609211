// Signs a request body the way each provider's own library does, for tst_signature to send to
// a real receiver. Prints the signature headers as a JSON object.
//   node sign.mjs PROVIDER SECRET BODY_FILE [UNIX_SECONDS] [MESSAGE_ID]
//   node sign.mjs hmac SECRET BODY_FILE UNIX_SECONDS - ALGORITHM ENCODING PREFIX HEADER [TIMESTAMP_HEADER TEMPLATE]
// PROVIDER: github, stripe, standard, svix (their npm libraries), slack, shopify (their
// documented computation, with Node's crypto), hmac (a generic scheme, with Node's crypto).
import { readFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { sign as githubSign } from "@octokit/webhooks-methods";
import Stripe from "stripe";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";

const [provider, secret, bodyFile, seconds, messageId, ...generic] = process.argv.slice(2);
if (!provider || secret === undefined || !bodyFile) {
    process.stderr.write("usage: node sign.mjs PROVIDER SECRET BODY_FILE [UNIX_SECONDS] [MESSAGE_ID]\n");
    process.exit(2);
}
const body = readFileSync(bodyFile).toString("utf8");
const timestamp = seconds ? Number(seconds) : Math.floor(Date.now() / 1000);
const id = messageId || "msg_hooktrail_test";

let headers;
switch (provider) {
case "github":
    headers = { "X-Hub-Signature-256": await githubSign(secret, body) };
    break;
case "stripe": {
    const stripe = new Stripe("sk_test_hooktrail");
    headers = {
        "Stripe-Signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }),
    };
    break;
}
case "standard":
    headers = {
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": new StandardWebhook(secret).sign(id, new Date(timestamp * 1000), body),
    };
    break;
case "svix":
    headers = {
        "svix-id": id,
        "svix-timestamp": String(timestamp),
        "svix-signature": new SvixWebhook(secret).sign(id, new Date(timestamp * 1000), body),
    };
    break;
case "slack": // https://api.slack.com/authentication/verifying-requests-from-slack
    headers = {
        "X-Slack-Request-Timestamp": String(timestamp),
        "X-Slack-Signature": "v0=" + createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex"),
    };
    break;
case "shopify": // https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook
    headers = { "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body, "utf8").digest("base64") };
    break;
case "hmac": {
    const [algorithm, encoding, prefix, header, timestampHeader, template] = generic;
    const payload = timestampHeader
        ? template.replaceAll("{timestamp}", String(timestamp)).replace("{body}", body)
        : body;
    headers = { [header]: prefix + createHmac(algorithm, secret).update(payload, "utf8").digest(encoding) };
    if (timestampHeader)
        headers[timestampHeader] = String(timestamp);
    break;
}
default:
    process.stderr.write(`sign.mjs: unknown provider '${provider}'\n`);
    process.exit(2);
}
process.stdout.write(JSON.stringify(headers) + "\n");
