<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Hooktrail::ApiKeyListModel</name>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests with this key are refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Hooktrail::ConnectionsPage</name>
    <message>
        <source>The database cannot be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add more webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a webhook: an address other services send data to (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A webhook is an address that other services send data to; Hooktrail keeps every request it receives. Click Add more to create one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No database is available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected webhook&apos;s settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disa&amp;ble</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enable or disable the selected webhook; a disabled webhook answers 503 so senders retry later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a new webhook with the same rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected webhook, keeping its logged requests or not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the endpoint URL with your API key, ready to copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;test request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a request to the selected webhook through the running receiver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add webhooks from a settings JSON file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save every webhook&apos;s settings to a JSON file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ena&amp;ble</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The webhooks cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recent activity cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be changed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is enabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is disabled: its requests are answered 503 and logged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The logged requests of “%1” cannot be counted: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the webhook “%1”? Senders then get 404 unknown_webhook.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Requests logged for it: %n. Keep them in the history, or delete them too?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Delete, &amp;keep requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete &amp;with its requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No request was logged for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be deleted: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” and its logged requests are deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is deleted; its logged requests stay in the history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (imported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (imported %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” became “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Webhooks imported: %n.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Names already in use got a suffix: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not imported:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The webhooks are exported to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import webhooks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export webhooks</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Hooktrail::EndpointDialog</name>
    <message>
        <source>Endpoint of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Enter your API key&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The endpoint of “%1” is shown with your key integrated, ready to paste into the sender. Keys are checked against the stored ones and never saved here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The whole key, starting with htk_, as shown when it was created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sho&amp;w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the key in clear text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the new key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Says who or what uses the key; shown in the key list and the history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Console key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create an API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send requests for “%1” to this address. It carries your API key: share it only with the sender.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the endpoint with the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the endpoint URL, key included, to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;without key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the endpoint without the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For senders that send the key in an X-Api-Key header.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as c&amp;url</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as curl command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A curl command that sends a sample request meeting this webhook&apos;s rules.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The endpoint with your key is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The endpoint without the key is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The curl command is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This webhook is disabled: the receiver answers 503 until it is enabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No database is available: API keys cannot be checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database cannot be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API keys cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no API key yet. Create one now; senders need it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every API key has been revoked. Create a new one now; senders need it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an API key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This key has been revoked: it no longer opens any endpoint. Use another key, or create one in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This key does not match any API key. Check that you copied all of it, starting with htk_.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key could not be created: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store this key now, e.g. in a password manager: this is the only time it is shown. Only its hash is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Hooktrail::HistoryPage</name>
    <message>
        <source>history</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Hooktrail::KeysManager</name>
    <message>
        <source>&amp;Create key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revoke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;opy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Senders prove who they are with an API key, in the api-key query parameter or an X-Api-Key header. Hooktrail stores only a hash of each key, so a key is shown once, when it is created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the new key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. the sender that will use it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New key &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creates a key with this name and shows it once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refuses every request that uses the selected key from now on (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem with API keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy this key now; Hooktrail keeps only its hash and cannot show it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the new key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Puts the whole key on the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done with the new key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hides the key; it cannot be shown again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database cannot be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keys cannot be listed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the key a name, e.g. the sender that will use it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key could not be created: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke key %1 (%2)? Senders using it will be refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key stays listed, and the history keeps showing which requests used it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key %1 could not be revoked: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New key “%1”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Hooktrail::MainWindow</name>
    <message>
        <source>Hooktrail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiver state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests in the last minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not receiving: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the port in Settings; the history stays readable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests in the last minute: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Hooktrail::SettingsPage</name>
    <message>
        <source>Enter the address to listen on, e.g. 127.0.0.1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IP address. Use 127.0.0.1 for this computer only, or 0.0.0.0 or :: for every network interface.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The public base URL must start with http:// or https://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The public base URL needs a host name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The public base URL cannot hold a user name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The public base URL cannot have a query (?…): the endpoint adds its own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The public base URL cannot have a fragment (#…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1, &apos;%2&apos;: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiver state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the receiver is not receiving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>127.0.0.1 accepts requests from this computer only; 0.0.0.0 (IPv4) or :: (IPv6) from every network interface.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 (any free port)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The TCP port senders connect to. 0 lets the system pick a free port; the status bar then shows which.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 means any free port. The receiver restarts when you apply a new address, port, limit or proxy list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set this when senders reach the receiver through a reverse proxy or tunnel: every copied endpoint starts with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>http(s)://host[:port][/path], without a query. Empty: the listen address and port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body size limit in MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Larger bodies are refused with 413 payload_too_large as soon as the limit is passed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle timeout in seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A kept-alive connection with nothing to do is closed after this long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trusted proxies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 10.0.0.0/8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client address of a request from one of these is taken from its X-Forwarded-For header.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One address or CIDR range per line. Empty: X-Forwarded-For is never used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen &amp;address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public &amp;base URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B&amp;ody size limit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Idle timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trusted proxies:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep requests for this many days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forever</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older requests are deleted from the history. 0 keeps them forever.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep at most this many requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Beyond this many, the oldest requests are deleted. 0: no limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep requests &amp;for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep at &amp;most:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing else is ever deleted from the history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language of the console; the system&apos;s unless chosen here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes effect when Hooktrail restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Puts the stored settings back into the fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;pply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stores the changes (Ctrl+S); the receiver restarts if its settings changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix the problems named above to apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes not applied yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. The new language is used when Hooktrail restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restarting the receiver…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not receiving.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Choose another address or port (0: any free port) and apply again; the history stays readable meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Hooktrail::TestRequestDialog</name>
    <message>
        <source>Send test request to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends a request to %1 through the running receiver. It is checked like any other and appears in the History.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filled from the webhook&apos;s header rules; change them to see a rejection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent as the api-key query parameter; leave empty to see the request refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sho&amp;w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request body, sent as typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Headers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Body:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the test request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: &apos;%1&apos; is not a valid header name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer from %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer from %1: %2. The receiver is not running; check the port in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1 %2 (not an answer from Hooktrail&apos;s receiver)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP %1: %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logged as request %1; it is in the History.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not logged.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Hooktrail::WebhookFormDialog</name>
    <message>
        <source>Edit webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name you will recognise the webhook by; unique, up to 100 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional notes: who sends to this webhook and why (up to 2,000 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept %1 requests; other methods are answered 405.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed &amp;methods:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headers whitelist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headers every request must carry. Names match in any case; values match exactly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add header rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove selected header rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A value of * accepts any value, as long as the header is present. Every rule must hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Headers whitelist:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP whitelist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One IPv4 or IPv6 address or CIDR range per line, e.g. 203.0.113.7 or 10.0.0.0/8. Empty: any address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;IP whitelist:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save Webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row %1 has a value but no header name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No database is available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database cannot be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A webhook named &apos;%1&apos; already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking that the name is free…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix the problems shown above to save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The webhook was deleted meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the webhook: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Hooktrail::WebhookListModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests are checked and answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests are answered 503 (the sender retries later) and still logged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No request received yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Requests in the last 24 hours: %n. Each bar is one hour, the latest on the right.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Last request %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Requests in the last 24 hours: %n</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IpRange</name>
    <message>
        <source>empty address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an IPv4 or IPv6 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prefix length must be 0 to %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Hooktrail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data folder %1 cannot be used:
%2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Webhook</name>
    <message>
        <source>Name is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name must be at most 100 characters (it has %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description must be at most 2,000 characters (it has %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one allowed method.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an allowed method (POST, PUT, PATCH, GET, DELETE).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is listed twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid header name (letters, digits and !#$%&amp;&apos;*+-.^_`|~ only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header &apos;%1&apos; is listed twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Header &apos;%1&apos; needs a value (use * for any value).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The value for header &apos;%1&apos; has control characters or surrounding spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos;: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown key &apos;%1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a list of strings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;name&apos; must be a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;description&apos; must be a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The value for header &apos;%1&apos; must be a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;headersWhitelist&apos; must be an object of header names to values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;enabled&apos; must be true or false.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WebhookTransfer</name>
    <message>
        <source>The file is not valid JSON: %1 at offset %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file must hold a webhook settings object or a list of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>webhook %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>webhook %1: %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be an object of webhook settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is also the name of webhook %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
