#!/usr/bin/env python3
"""Start-up time (to the first answered /health, migrations included, on a
fresh SQLite data folder) and idle memory (RSS after start-up, and after the
demo portal served a few pages and sat idle) of a portal binary.

    cargo build --release && python3 bench/startup.py target/release/portal
    python3 bench/startup.py target/release/portal 5 postgres://postgres@127.0.0.1:5432/test

With a PostgreSQL URL as the third argument each run gets a fresh database
`portal_startup` on that server instead of SQLite (psql must be on PATH).
Prints one line per run and the medians. Linux only (reads /proc)."""
import os, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.parse, urllib.request

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/portal"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
pg = sys.argv[3] if len(sys.argv) > 3 else None

def fresh_pg_database():
    """A fresh, empty database `portal_startup` on the server of `pg`; its URL."""
    for sql in ["DROP DATABASE IF EXISTS portal_startup WITH (FORCE)", "CREATE DATABASE portal_startup"]:
        subprocess.run(["psql", pg, "-qc", sql], check=True, stdout=subprocess.DEVNULL)
    u = urllib.parse.urlsplit(pg)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/portal_startup", u.query, ""))

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def get(port, path, host="demo.localhost"):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": f"{host}:{port}"})
    try:
        with urllib.request.urlopen(req, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code

def serve(env):
    """`binary serve`, once it answers /health (30 s at most)."""
    port = int(env["PORTAL_BIND"].rsplit(":", 1)[1])
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "serve"], env=env, stderr=subprocess.DEVNULL)
    while True:
        try:
            if get(port, "/health") == 200:
                return p
        except OSError:
            pass
        if time.perf_counter() - t0 > 30:
            p.kill()
            raise SystemExit("no answer in 30 s")
        time.sleep(0.002)

starts, idle, after = [], [], []
for i in range(runs):
    data = tempfile.mkdtemp()
    port = free_port()
    env = dict(os.environ, PORTAL_DATA_DIR=data, PORTAL_BIND=f"127.0.0.1:{port}", PORTAL_LOG="warn")
    if pg:
        env["PORTAL_DATABASE_URL"] = fresh_pg_database()
    t0 = time.perf_counter()
    p = serve(env)
    took = (time.perf_counter() - t0) * 1000
    time.sleep(1.0)
    r1 = rss_kb(p.pid)
    p.terminate(); p.wait()
    # The demo portal: its data, a few pages, then idle.
    subprocess.run([binary, "demo", "--no-serve", "--json"], env=env, stdout=subprocess.DEVNULL, check=True)
    p = serve(env)
    for path in ["/login", "/login", "/password/forgot", "/static/../health"]:
        get(port, path)
    time.sleep(2.0)
    r2 = rss_kb(p.pid)
    p.terminate(); p.wait()
    shutil.rmtree(data, ignore_errors=True)
    starts.append(took); idle.append(r1 / 1024); after.append(r2 / 1024)
    print(f"run {i+1}: start-up {took:.0f} ms, idle RSS {r1/1024:.1f} MB, demo after pages {r2/1024:.1f} MB")
print(f"median: start-up {statistics.median(starts):.0f} ms, idle RSS {statistics.median(idle):.1f} MB, "
      f"demo after pages {statistics.median(after):.1f} MB ({runs} runs, {'PostgreSQL' if pg else 'SQLite'})")
