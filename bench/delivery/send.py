#!/usr/bin/env python3
"""Sends POSTs at a steady rate over keep-alive connections: send.py URL RATE SECONDS [THREADS].
Prints how many were answered 2xx and how many were not."""
import http.client
import sys
import threading
import time
import urllib.parse

url, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 4
parts = urllib.parse.urlsplit(url)
target = parts.path + ("?" + parts.query if parts.query else "")
body = b'{"event":"order.created","id":12345,"data":"' + b"x" * 150 + b'"}'
counts = {"ok": 0, "bad": 0}
lock = threading.Lock()


def run(index):
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    interval = threads / rate
    start = time.monotonic() + index * interval / threads
    n = 0
    while True:
        due = start + n * interval
        if due - start > seconds:
            break
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        try:
            connection.request("POST", target, body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            ok = 200 <= response.status < 300
        except OSError:
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            ok = False
        with lock:
            counts["ok" if ok else "bad"] += 1
        n += 1


workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
print(counts["ok"], counts["bad"])
