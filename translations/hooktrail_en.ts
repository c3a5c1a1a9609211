<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Hooktrail::AuthenticationSection</name>
    <message numerus="yes">
        <source>Secret %1: •••••••• (%n characters)</source>
        <translation>
            <numerusform>Secret %1: •••••••• (%n character)</numerusform>
            <numerusform>Secret %1: •••••••• (%n characters)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::BodyView</name>
    <message numerus="yes">
        <source>Form fields, decoded: %n</source>
        <translation>
            <numerusform>Form fields, decoded: %n</numerusform>
            <numerusform>Form fields, decoded: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::ConnectionsPage</name>
    <message numerus="yes">
        <source>Requests logged for it: %n. Keep them in the history, or delete them too?</source>
        <translation>
            <numerusform>Requests logged for it: %n. Keep them in the history, or delete them too?</numerusform>
            <numerusform>Requests logged for it: %n. Keep them in the history, or delete them too?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Webhooks imported: %n.</source>
        <translation>
            <numerusform>Webhooks imported: %n.</numerusform>
            <numerusform>Webhooks imported: %n.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::DeleteController</name>
    <message numerus="yes">
        <source>Delete the %Ln selected requests from the history?</source>
        <translation>
            <numerusform>Delete the selected request from the history?</numerusform>
            <numerusform>Delete the %Ln selected requests from the history?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete the %Ln requests matching the filter?</source>
        <translation>
            <numerusform>Delete the request matching the filter?</numerusform>
            <numerusform>Delete the %Ln requests matching the filter?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln requests deleted.</source>
        <translation>
            <numerusform>%Ln request deleted.</numerusform>
            <numerusform>%Ln requests deleted.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::DeliveriesView</name>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n attempt</numerusform>
            <numerusform>%n attempts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n destination(s): %1 delivered, %2 failed, %3 on their way.</source>
        <translation>
            <numerusform>%n destination: %1 delivered, %2 failed, %3 on its way.</numerusform>
            <numerusform>%n destinations: %1 delivered, %2 failed, %3 on their way.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>[%n bytes of binary content]</source>
        <translation>
            <numerusform>[%n byte of binary content]</numerusform>
            <numerusform>[%n bytes of binary content]</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::DeliveryWorker</name>
    <message numerus="yes">
        <source>gave up after %n attempt(s)</source>
        <translation>
            <numerusform>gave up after %n attempt</numerusform>
            <numerusform>gave up after %n attempts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::DestinationSection</name>
    <message numerus="yes">
        <source>Paused by itself after %n failure(s) in a row · probing</source>
        <translation>
            <numerusform>Paused by itself after %n failure in a row · probing</numerusform>
            <numerusform>Paused by itself after %n failures in a row · probing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n failure(s) in a row</source>
        <translation>
            <numerusform> · %n failure in a row</numerusform>
            <numerusform> · %n failures in a row</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::ExportController</name>
    <message numerus="yes">
        <source>%Ln requests exported to %1.</source>
        <translation>
            <numerusform>%Ln request exported to %1.</numerusform>
            <numerusform>%Ln requests exported to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::FindBar</name>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::HistoryPage</name>
    <message numerus="yes">
        <source>%n new</source>
        <translation>
            <numerusform>%n new</numerusform>
            <numerusform>%n new</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Show the %n new requests</source>
        <translation>
            <numerusform>Show the new request</numerusform>
            <numerusform>Show the %n new requests</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::HttpClient</name>
    <message numerus="yes">
        <source>Nothing came for %n second(s).</source>
        <translation>
            <numerusform>Nothing came for %n second.</numerusform>
            <numerusform>Nothing came for %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::RedeliverController</name>
    <message numerus="yes">
        <source>Deliver the %Ln accepted request(s) matching the filter again?</source>
        <translation>
            <numerusform>Deliver the %Ln accepted request matching the filter again?</numerusform>
            <numerusform>Deliver the %Ln accepted requests matching the filter again?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deliver the %Ln selected request(s) again?</source>
        <translation>
            <numerusform>Deliver the %Ln selected request again?</numerusform>
            <numerusform>Deliver the %Ln selected requests again?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Redelivery stopped after %Ln request(s): %1</source>
        <translation>
            <numerusform>Redelivery stopped after %Ln request: %1</numerusform>
            <numerusform>Redelivery stopped after %Ln requests: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Redelivery stopped: %1 of %2 requests scheduled again (%Ln delivery(s)).</source>
        <translation>
            <numerusform>Redelivery stopped: %1 of %2 requests scheduled again (%Ln delivery).</numerusform>
            <numerusform>Redelivery stopped: %1 of %2 requests scheduled again (%Ln deliveries).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln delivery(s) scheduled again.</source>
        <translation>
            <numerusform>%Ln delivery scheduled again.</numerusform>
            <numerusform>%Ln deliveries scheduled again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::ReplayDialog</name>
    <message numerus="yes">
        <source>The logged body is binary (%n byte(s)); it is sent as received.</source>
        <translation>
            <numerusform>The logged body is binary (%n byte); it is sent as received.</numerusform>
            <numerusform>The logged body is binary (%n bytes); it is sent as received.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::RequestDetailView</name>
    <message numerus="yes">
        <source>[%n bytes of binary content: see the Hex tab]</source>
        <translation>
            <numerusform>[%n byte of binary content: see the Hex tab]</numerusform>
            <numerusform>[%n bytes of binary content: see the Hex tab]</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::RequestTableModel</name>
    <message numerus="yes">
        <source>%n bytes (not all kept)</source>
        <translation>
            <numerusform>%n byte (not all kept)</numerusform>
            <numerusform>%n bytes (not all kept)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bytes</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::SettingsPage</name>
    <message numerus="yes">
        <source>%Ln day(s)</source>
        <translation>
            <numerusform>%Ln day</numerusform>
            <numerusform>%Ln days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln request(s)</source>
        <translation>
            <numerusform>%Ln request</numerusform>
            <numerusform>%Ln requests</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Apply and delete %Ln request(s) now?</source>
        <translation>
            <numerusform>Apply and delete %Ln request now?</numerusform>
            <numerusform>Apply and delete %Ln requests now?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %Ln request(s)</source>
        <translation>
            <numerusform>Delete %Ln request</numerusform>
            <numerusform>Delete %Ln requests</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Hooktrail::WebhookListModel</name>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation>
            <numerusform>%n d ago</numerusform>
            <numerusform>%n d ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Requests in the last 24 hours: %n. Each bar is one hour, the latest on the right.</source>
        <translation>
            <numerusform>Requests in the last 24 hours: %n. Each bar is one hour, the latest on the right.</numerusform>
            <numerusform>Requests in the last 24 hours: %n. Each bar is one hour, the latest on the right.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Requests in the last 24 hours: %n</source>
        <translation>
            <numerusform>Requests in the last 24 hours: %n</numerusform>
            <numerusform>Requests in the last 24 hours: %n</numerusform>
        </translation>
    </message>
</context>
</TS>
