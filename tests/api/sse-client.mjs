// A real Server-Sent Events client (the eventsource package) for the tests of GET /api/v1/events.
//   node sse-client.mjs URL TOKEN COUNT TIMEOUT_MS
// Connects sending "Authorization: Bearer TOKEN"; prints {"open": true} once connected, then each
// event as one JSON line {"id": "...", "event": "...", "data": <its data, parsed as JSON>}.
// Exit 0 after COUNT events; 1 when TIMEOUT_MS pass first, or on an error, printed as
// {"error": {"message": "...", "status": N}} (status when the server answered one); 2 on bad usage.
import EventSource from "eventsource";

const usage = "usage: node sse-client.mjs URL TOKEN COUNT TIMEOUT_MS\n";
const [url, token, countText, timeoutText, ...extra] = process.argv.slice(2);
const count = Number(countText);
const timeoutMs = Number(timeoutText);
if (!url || token === undefined || extra.length > 0 || !Number.isInteger(count) || count < 0
    || !Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    process.stderr.write(usage);
    process.exit(2);
}

let received = 0;
let done = false;
const source = new EventSource(url, { headers: { Authorization: `Bearer ${token}` } });

function print(object) {
    process.stdout.write(JSON.stringify(object) + "\n");
}

// Prints the last line and exits once it is written; nothing after the first call.
function finish(code, object) {
    if (done)
        return;
    done = true;
    source.close(); // no reconnection
    clearTimeout(timer);
    if (object?.error)
        process.stderr.write(`sse-client: ${object.error.message}\n`);
    process.stdout.write(object ? JSON.stringify(object) + "\n" : "", () => process.exit(code));
}

const timer = setTimeout(() => {
    finish(1, { error: { message: `timeout after ${timeoutMs} ms, ${received} of ${count} events received` } });
}, timeoutMs);

source.onopen = () => {
    if (done)
        return;
    print({ open: true });
    if (count === 0)
        finish(0);
};

// The library gives a status for an HTTP answer other than 200 (and then gives up, or retries
// after 500, 502, 503 and 504); a message for a connection that failed or closed.
source.onerror = (event) => {
    const error = { message: event?.message || (event?.status ? `HTTP ${event.status}` : "the connection closed") };
    if (event?.status !== undefined)
        error.status = event.status;
    finish(1, { error });
};

// The API names its events "request"; an event without a name ("message") is reported too.
function onEvent(event) {
    if (done)
        return;
    let data;
    try {
        data = JSON.parse(event.data);
    } catch (error) {
        finish(1, { error: { message: `event ${event.lastEventId}'s data is not JSON: ${error.message}` } });
        return;
    }
    print({ id: event.lastEventId, event: event.type, data });
    if (++received >= count)
        finish(0);
}
source.addEventListener("request", onEvent);
source.addEventListener("message", onEvent);
