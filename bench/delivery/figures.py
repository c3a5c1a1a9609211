#!/usr/bin/env python3
"""Reads delivery figures from a Hooktrail SQLite database, read-only.
figures.py DB unfinished            deliveries not ended (pending or retrying)
figures.py DB latency AFTER_ID      p50 and p99 in ms of receipt to delivered (the first 2xx
                                    attempt's end) for requests with id > AFTER_ID, and their count
figures.py DB delivered             deliveries delivered
figures.py DB maxid                 the newest request id"""
import sqlite3
import sys

db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=30)
what = sys.argv[2]
if what == "unfinished":
    print(db.execute("SELECT COUNT(*) FROM deliveries WHERE state IN (2, 3)").fetchone()[0])
elif what == "delivered":
    print(db.execute("SELECT COUNT(*) FROM deliveries WHERE state = 1").fetchone()[0])
elif what == "maxid":
    print(db.execute("SELECT COALESCE(MAX(id), 0) FROM requests").fetchone()[0])
elif what == "latency":
    rows = db.execute(
        "SELECT MIN(a.started_at + a.duration_micros) - r.received_at FROM requests r "
        "JOIN deliveries d ON d.request_id = r.id JOIN delivery_attempts a ON a.delivery_id = d.id "
        "WHERE r.id > ? AND a.status BETWEEN 200 AND 299 GROUP BY r.id",
        (int(sys.argv[3]),)).fetchall()
    values = sorted(row[0] / 1000.0 for row in rows)
    if not values:
        print("0 0 0")
    else:
        def pick(p):
            return values[min(len(values) - 1, int(p * len(values)))]
        print("%.2f %.2f %d" % (pick(0.50), pick(0.99), len(values)))
