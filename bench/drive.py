#!/usr/bin/env python3
"""The page benchmark (run through bench/run): wrk against the bare-stack
baseline and against the QDC portal's logged-in invoice list, each on
SQLite and PostgreSQL, with 1,000 and with 1,000,000 invoices.

For each database: a fresh database, `qdc demo --json --no-serve` (the
demo tenant, its customers and logins, an API token), `qdc serve`, then
invoices for the demo login's customer through the back-office API
(POST /api/admin/v1/invoices/sync, 10,000 a call) up to the size, a login
with customer number + e-mail + password, and wrk on GET /invoices with
that session. The baseline gets a table of the same size on the same
database server. Prints req/s, p50, p99 and the ratio portal/baseline as
a Markdown table, and the machine it ran on.

Only the standard library: it runs wherever python3 does.
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

# The QDC demo: its host and the external id of the first demo login's
# customer (examples/qdc/demo.rs); `host_of` reads the host from the demo.
HOST = "qdc.localhost"
CUSTOMER = "qdc-c1"
PER_CALL = 10_000
METRICS_TOKEN = "bench-metrics-token-0123456789"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what):
    for _ in range(600):
        if proc.poll() is not None:
            sys.exit(f"{what} stopped (exit {proc.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{what} did not listen on port {port}")


def stop(proc):
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    h = {"Host": HOST}
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r.getheader("set-cookie", ""), r.msg.get_all("set-cookie") or [], data


def cookies_from(set_cookies, jar):
    for c in set_cookies:
        name, _, rest = c.split(";")[0].partition("=")
        jar[name.strip()] = rest.strip()
    return jar


def login(port, info):
    """A session cookie for the demo login (customer number + e-mail)."""
    jar = {}
    st, _, sc, page = request(port, "GET", "/login")
    assert st == 200, st
    cookies_from(sc, jar)
    token = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
    l = info["logins"][0]
    form = urllib.parse.urlencode(
        {"_csrf": token, "next": "/", "customer_number": l["customer_number"],
         "login": l.get("login") or l["email"], "password": l["password"]})
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    st, _, sc, body = request(port, "POST", "/login", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert st == 303, (st, body[:500])
    cookies_from(sc, jar)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    st, _, _, page = request(port, "GET", "/invoices", headers={"Cookie": cookie})
    rows = len(set(re.findall(rb'href="/invoices/(\d+)"', page)))
    assert st == 200 and rows == 20, (st, rows)
    return cookie


def invoice_batch(start, end):
    invoices = []
    for i in range(start, end):
        day = i % 3650
        y, d = 2016 + day // 365, day % 365
        issued = f"{y}-{1 + d // 31 % 12:02d}-{1 + d % 28:02d}"
        invoices.append({
            "external_id": f"B{i}", "customer_external_id": CUSTOMER,
            "number": f"B{i:07d}", "issued_on": issued,
            "total_cents": 12_100 + i % 977, "vat_cents": 2_100,
            "status": "open" if i % 10 == 0 else "paid",
            "lines": [{"description": "Webhosting Pro", "unit_cents": 10_000,
                       "total_cents": 10_000, "vat_percent": 21}]})
    return json.dumps({"invoices": invoices})


def seed(port, token, have, want):
    t0 = time.monotonic()
    for start in range(have, want, PER_CALL):
        body = invoice_batch(start, min(want, start + PER_CALL))
        st, _, _, r = request(port, "POST", "/api/admin/v1/invoices/sync", body, {
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        assert st == 200, (st, r[:500])
        counts = json.loads(r)["counts"]
        assert counts.get("invalid", 0) == 0, counts
    return time.monotonic() - t0


def cpu_seconds(pid):
    """User + system CPU time of a process so far (from /proc)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds():
    """CPU time of every PostgreSQL server process so far (0 without one).

    A page's cost on PostgreSQL is also the server's: the baseline's one
    statement a page against the portal's two."""
    total = 0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                head, tail = f.read().rsplit(")", 1)
        except OSError:
            continue
        if head.split("(", 1)[1].startswith("postgres"):
            fields = tail.split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def statements(port):
    """The portal's `portal_db_statements_total` (None if it has none)."""
    try:
        st, _, _, body = request(port, "GET", "/metrics",
                                 headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    except OSError:
        return None
    m = re.search(rb"^portal_db_statements_total (\d+)", body, re.M) if st == 200 else None
    return int(m.group(1)) if m else None


def wrk(port, path, cookie, args, pid=None, profile=False, metrics=True):
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--latency",
           "-H", f"Host: {HOST}"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    url = f"http://127.0.0.1:{port}{path}"
    subprocess.run(cmd + ["-d", "2s", url], check=True, capture_output=True)  # warm-up
    cpu0, stmts0 = cpu_seconds(pid), statements(port) if pid and metrics else None
    db0 = server_cpu_seconds()
    perf = None
    if pid and metrics and args.perf and profile:
        # A profile of the portal during the measured run (perf report -i FILE).
        perf = subprocess.Popen(["perf", "record", "-F", "999", "--call-graph", args.perf_call_graph,
                                 "-p", str(pid),
                                 "-o", args.perf], stderr=subprocess.DEVNULL)
    out = subprocess.run(cmd + ["-d", f"{args.duration}s", url], check=True,
                         capture_output=True, text=True).stdout
    cpu1, stmts1 = cpu_seconds(pid), statements(port) if pid and metrics else None
    db1 = server_cpu_seconds()
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait(60)
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        sys.exit(f"wrk saw error responses on {path}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    per = {"rps": rps, "p50": pct(50), "p99": pct(99), "db_cpu_ms": (db1 - db0) * 1000 / total}
    if pid:
        # The counter is read before a scrape's own few statements, so
        # the first scrape adds those (3 in some 30,000 requests).
        per["cpu_ms"] = (cpu1 - cpu0) * 1000 / total
        if stmts0 is not None and stmts1 is not None:
            per["queries"] = (stmts1 - stmts0) / total
    return per


def median_round(rounds):
    """Each figure's median over the rounds, and the ratio of each round."""
    def med(xs):
        xs = sorted(xs)
        return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2
    out = {}
    for side in ("portal", "baseline"):
        keys = rounds[0][side].keys()
        out[side] = {k: med([r[side][k] for r in rounds]) for k in keys}
    out["ratios"] = [r["portal"]["rps"] / r["baseline"]["rps"] for r in rounds]
    out["ratio"] = med(out["ratios"])
    return out


def pg_database(base, name):
    """A fresh database `name` on the server of `base`; its URL."""
    subprocess.run(["psql", base, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", base, "-qc", f"CREATE DATABASE {name}"], check=True)
    u = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, f"/{name}", u.query, ""))


def run_db(kind, args, work):
    if kind == "sqlite":
        portal_url = f"sqlite://{work}/portal.db"
        base_url = f"sqlite://{work}/baseline.db"
    else:
        portal_url = pg_database(args.pg, "portal_bench_portal")
        base_url = pg_database(args.pg, "portal_bench_baseline")
    port = free_port()
    env = dict(os.environ, PORTAL_DATABASE_URL=portal_url, PORTAL_DATA_DIR=work,
               PORTAL_BIND=f"127.0.0.1:{port}", PORTAL_LOG=args.log,
               PORTAL_METRICS_TOKEN=METRICS_TOKEN)
    env.pop("PORTAL_CONFIG", None)
    demo = subprocess.run([args.qdc, "demo", "--json", "--no-serve"], env=env,
                          check=True, capture_output=True, text=True)
    info = json.loads(demo.stdout.strip().splitlines()[-1])
    demo_host = urllib.parse.urlsplit(info["login_url"]).hostname
    if demo_host != HOST:
        sys.exit(f"the demo answers on {demo_host}, the benchmark expects {HOST}")
    results = []
    have = 0
    server = subprocess.Popen([args.qdc, "serve"], env=env, stdout=subprocess.DEVNULL)
    try:
        wait_port(port, server, "the portal")
        for size in args.sizes:
            took = seed(port, info["api_token"], have, size)
            print(f"[{kind}] {size - have} invoices synced in {took:.1f} s", file=sys.stderr)
            have = size
            cookie = login(port, info)
            bport = free_port()
            baseline = subprocess.Popen([args.baseline, base_url, str(size), f"127.0.0.1:{bport}"],
                                        stdout=subprocess.DEVNULL)
            rounds = []
            try:
                wait_port(bport, baseline, "the baseline")
                # Portal and baseline take turns, so a slow minute of a
                # shared machine falls on both; the table takes the median.
                for n in range(args.rounds):
                    portal = wrk(port, args.path, cookie, args, server.pid, profile=n == 0)
                    base = wrk(bport, "/", None, args, baseline.pid, metrics=False)
                    rounds.append({"portal": portal, "baseline": base})
                    print(f"[{kind}] {size} round {n + 1}: portal {portal}, baseline {base}",
                          file=sys.stderr)
            finally:
                stop(baseline)
            results.append({"db": kind, "invoices": size, **median_round(rounds)})
    finally:
        stop(server)
    return results


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    wrk_v = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    wrk_v = (wrk_v.stdout or wrk_v.stderr).splitlines()[0] if (wrk_v.stdout or wrk_v.stderr) else "wrk"
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu}), {mem} RAM, {platform.system()} {platform.release()}; "
            f"{wrk_v.strip()}; {pg}")


def server_cpu(r):
    """The database server's CPU per request, portal / baseline ("-" for SQLite)."""
    if r["db"] != "postgres":
        return "-"
    return f"{r['portal']['db_cpu_ms']:.3f} / {r['baseline']['db_cpu_ms']:.3f}"


def table(results, args):
    lines = [
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, after a 2 s warm-up; "
        "latencies in ms.",
        "",
        "| database | invoices | baseline req/s | p50 | p99 | portal req/s | p50 | p99 | ratio "
        "| CPU ms/req portal / baseline | queries/req | server CPU ms/req portal / baseline |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        b, p = r["baseline"], r["portal"]
        queries = f"{p['queries']:.2f}" if "queries" in p else "n/a"
        lines.append(
            f"| {r['db']} | {r['invoices']:,} | {b['rps']:,.0f} | {b['p50']:.2f} | {b['p99']:.2f} "
            f"| {p['rps']:,.0f} | {p['p50']:.2f} | {p['p99']:.2f} | {r['ratio']:.2f} "
            f"| {p['cpu_ms']:.3f} / {b['cpu_ms']:.3f} | {queries} | {server_cpu(r)} |")
    lines.append("")
    if args.rounds > 1:
        lines.append(f"Medians of {args.rounds} rounds (portal and baseline in turn); "
                     "the ratio of each round:")
        for r in results:
            ratios = ", ".join(f"{x:.2f}" for x in r["ratios"])
            lines.append(f"- {r['db']} {r['invoices']:,}: {ratios}")
        lines.append("")
    for db in sorted({r["db"] for r in results}):
        rs = [r for r in results if r["db"] == db]
        if len(rs) >= 2:
            lo, hi = rs[0], rs[-1]
            lines.append(
                f"- {db}: portal p99 at {hi['invoices']:,} / at {lo['invoices']:,} = "
                f"{hi['portal']['p99'] / lo['portal']['p99']:.2f}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qdc", required=True)
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--pg", default=os.environ.get("BENCH_POSTGRES_URL",
                                                   "postgres://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--dbs", default="sqlite,postgres")
    ap.add_argument("--path", default="/invoices",
                    help="the portal page wrk asks for (the table compares /invoices)")
    ap.add_argument("--sizes", default="1000,1000000")
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=3,
                    help="portal and baseline measured in turn this many times; "
                         "the table shows the medians")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--log", default="info")
    ap.add_argument("--perf", help="record a perf profile of the portal's measured run "
                    "to this file (needs perf; adds its own overhead to that run)")
    ap.add_argument("--perf-call-graph", default="fp",
                    help="perf's --call-graph: fp, or dwarf for a build without frame pointers")
    args = ap.parse_args()
    args.sizes = sorted(int(s) for s in args.sizes.split(","))
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    results = []
    for kind in args.dbs.split(","):
        with tempfile.TemporaryDirectory() as work:
            results += run_db(kind, args, work)
    print(f"Machine: {machine()}\n")
    print(table(results, args))


if __name__ == "__main__":
    main()
