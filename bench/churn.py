#!/usr/bin/env python3
"""Kept sessions while other visitors log in and out (issue 22).

A session kept by the process (`auth::session_keep`) is checked per page
by a probe. Until `0015_kept_sessions_by_row` every logout on the tenant
changed the number the probe reads, so one visitor's logout sent every
other kept session of the tenant through a full look-up (probe and the
session's join: three statements a page instead of two). A benchmark of
one session at full speed cannot show that (its pages are a hundred
times more frequent than logouts); this one is a tenant's day in small:
`--sessions` visitors each reading the invoice list once every
`--period` seconds, while other visitors log in and out at `--rate` a
second. It prints the statements per page of the steady visitors (the
other visitors' statements per login and logout, and the background
workers' a second, are counted first on their own and taken off; a
window can hold one cycle partly, about 0.01 a page, and each steady
session's once-a-minute full look-up with its refresh adds about 0.03):

    python3 bench/churn.py <qdc binary> [--db postgres|sqlite]

Only the standard library.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import drive


def csrf_of(port, cookie):
    st, _, _, page = drive.request(port, "GET", "/invoices", headers={"Cookie": cookie})
    assert st == 200, st
    return re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()


def cycle(port, info):
    """One other visitor: log in, two pages, log out."""
    cookie = drive.login(port, info)
    token = csrf_of(port, cookie)
    st, _, _, _ = drive.request(port, "POST", "/logout", urllib.parse.urlencode({"_csrf": token}), {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert st == 303, st


def churn(port, info, rate, stop, done):
    gap = 1.0 / rate
    while not stop.is_set():
        t = time.monotonic()
        cycle(port, info)
        done.append(1)
        left = gap - (time.monotonic() - t)
        if left > 0:
            stop.wait(left)


def reader(port, cookies, period, stop, pages):
    """Each cookie's invoice list once every `period` seconds."""
    gap = period / len(cookies)
    i = 0
    while not stop.is_set():
        t = time.monotonic()
        st, _, _, _ = drive.request(port, "GET", "/invoices", headers={"Cookie": cookies[i % len(cookies)]})
        assert st == 200, st
        pages.append(1)
        i += 1
        left = gap - (time.monotonic() - t)
        if left > 0:
            stop.wait(left)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("qdc")
    ap.add_argument("--db", default="postgres", choices=["postgres", "sqlite"])
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/test")
    ap.add_argument("--sessions", type=int, default=100)
    ap.add_argument("--period", type=float, default=1.0, help="seconds between a steady visitor's pages")
    ap.add_argument("--rate", type=float, default=2, help="other visitors' login+logout cycles a second")
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--threads", type=int, default=8, help="threads reading the steady visitors' pages")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="portal-churn-")
    url = (f"sqlite://{work}/portal.db" if args.db == "sqlite"
           else drive.pg_database(args.pg, "portal_bench_churn"))
    port = drive.free_port()
    env = dict(os.environ, PORTAL_DATABASE_URL=url, PORTAL_DATA_DIR=work,
               PORTAL_BIND=f"127.0.0.1:{port}", PORTAL_LOG="warn",
               PORTAL_METRICS_TOKEN=drive.METRICS_TOKEN)
    env.pop("PORTAL_CONFIG", None)
    demo = subprocess.run([args.qdc, "demo", "--json", "--no-serve"], env=env,
                          check=True, capture_output=True, text=True)
    info = json.loads(demo.stdout.strip().splitlines()[-1])
    server = subprocess.Popen([args.qdc, "serve"], env=env, stdout=subprocess.DEVNULL)
    try:
        drive.wait_port(port, server, "the portal")
        drive.seed(port, info["api_token"], 0, 1000)
        cookies = [drive.login(port, info) for _ in range(args.sessions)]
        if drive.statements(port) is None:
            sys.exit("the portal reports no portal_db_statements_total on /metrics")
        # The background workers' statements a second, without visitors.
        t0, before = time.monotonic(), drive.statements(port)
        time.sleep(5)
        background = (drive.statements(port) - before) / (time.monotonic() - t0)
        # A visitor's cycle's own statements, without load.
        t0, before = time.monotonic(), drive.statements(port)
        for _ in range(10):
            cycle(port, info)
        per_cycle = (drive.statements(port) - before - background * (time.monotonic() - t0)) / 10
        for rate in (0, args.rate):
            stop, done, pages = threading.Event(), [], []
            share = [cookies[i::args.threads] for i in range(args.threads)]
            threads = [threading.Thread(target=reader, args=(port, c, args.period, stop, pages))
                       for c in share if c]
            if rate:
                threads.append(threading.Thread(target=churn, args=(port, info, rate, stop, done)))
            for t in threads:
                t.start()
            time.sleep(2)  # every steady session seen (and kept) once
            t0, s0, c0, p0 = time.monotonic(), drive.statements(port), len(done), len(pages)
            time.sleep(args.duration)
            t1, s1, c1, p1 = time.monotonic(), drive.statements(port), len(done), len(pages)
            stop.set()
            for t in threads:
                t.join()
            page_statements = s1 - s0 - per_cycle * (c1 - c0) - background * (t1 - t0)
            print(f"{args.db}: {args.sessions} visitors, a page each every {args.period:g} s; "
                  f"other visitors {(c1 - c0) / args.duration:.1f} login+logout/s: "
                  f"{(p1 - p0) / args.duration:.0f} pages/s, "
                  f"{page_statements / (p1 - p0):.2f} statements/page "
                  f"(a login+logout: {per_cycle:.1f} statements)", flush=True)
    finally:
        drive.stop(server)


if __name__ == "__main__":
    sys.exit(main())
