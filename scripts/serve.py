"""Run Målbilde as a service: N app processes on one shared store, behind nginx with sticky
sessions (README «Flere prosesser»).

    .venv/bin/python scripts/serve.py --processes 2 [--port 8501] [--listen 127.0.0.1] [--db FILE]

Each process is `streamlit run dashboard/app.py` on its own loopback port with
MALBILDE_SHARED_STORE=1 (dashboard/store/shared.py). nginx (Debian's `nginx`) listens on
--listen:--port and sends every request of a browser to the same process: a cookie
(`malbilde_route`) set on the first answer picks the process by a consistent hash, so the
websocket, uploads and downloads of one session all reach the process that holds it. Stops
everything on Ctrl+C or SIGTERM, and when any process dies.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NGINX_CONF = """
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_max_body_size {body_mb}m;
  client_body_temp_path {run}/tmp/body;
  proxy_temp_path {run}/tmp/proxy;
  fastcgi_temp_path {run}/tmp/fastcgi;
  uwsgi_temp_path {run}/tmp/uwsgi;
  scgi_temp_path {run}/tmp/scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  # sticky sessions: the browser's route cookie, or a new random one on its first request
  map $cookie_malbilde_route $malbilde_route {{ "" $request_id; default $cookie_malbilde_route; }}
  upstream malbilde {{
    hash $malbilde_route consistent;
{servers}
  }}
  server {{
    listen {listen}:{port};
    location / {{
      proxy_pass http://malbilde;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 1d;
      proxy_buffering off;
      add_header Set-Cookie "malbilde_route=$malbilde_route; Path=/; HttpOnly; SameSite=Lax" always;
    }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if not found:
        sys.exit(
            "nginx er ikke installert. Installer Debians pakke (apt-get install nginx-light) og "
            "prøv igjen."
        )
    return found


def nginx_conf(run: Path, ports: list[int], listen: str, port: int, body_mb: int) -> Path:
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(run / "tmp" / sub, 0o777)  # nginx's workers run as nobody when started as root
    os.chmod(run / "tmp", 0o755)
    os.chmod(run, 0o755)
    conf = run / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            run=run,
            user="user nobody nogroup;" if os.geteuid() == 0 else "",
            body_mb=body_mb + 5,
            servers="\n".join(f"    server 127.0.0.1:{p};" for p in ports),
            listen=listen,
            port=port,
        ),
        encoding="utf-8",
    )
    return conf


def start_app(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py")]
    cmd += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    cmd += ["--server.headless", "true", "--server.fileWatcherType", "none"]
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115
    )


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: prosessen stoppet (kode {proc.returncode})")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} svarte ikke innen {timeout:.0f} s")


def main() -> int:
    from dashboard.config import Settings
    from dashboard.store import shared

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--listen", default="127.0.0.1", help="nginx's address (default loopback)")
    parser.add_argument("--db", help="the database (default $MALBILDE_DB or data/malbilde.duckdb)")
    parser.add_argument("--run-dir", help="nginx's config, pid and logs (default a temporary one)")
    args = parser.parse_args()
    settings = Settings.from_env(args.db)
    if not settings.db_path.exists():
        sys.exit(
            f"Fant ingen database {settings.db_path}. Lag demodata (python -m dashboard demo) "
            "eller importer arbeidsbøker først."
        )
    shared.current_snapshot(settings.db_path)  # publish the first snapshot before anyone reads
    run = Path(args.run_dir or tempfile.mkdtemp(prefix="malbilde-serve-"))
    run.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        MALBILDE_DB=str(settings.db_path),
        MALBILDE_SHARED_STORE="1",
        MALBILDE_LISTEN=args.listen,  # the address users reach: local mode judges exposure by it
        STREAMLIT_SERVER_COOKIE_SECRET=os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
        or secrets.token_hex(32),  # one secret for all processes (sign-in cookies)
    )
    ports = [free_port() for _ in range(args.processes)]
    procs: list[subprocess.Popen] = []

    def stop(*_: object) -> None:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for i, port in enumerate(ports):
            procs.append(start_app(port, env, run / f"app-{i + 1}.log"))
        for port, proc in zip(ports, procs, strict=True):
            wait_healthy(f"http://127.0.0.1:{port}", proc)
        conf = nginx_conf(run, ports, args.listen, args.port, settings.max_upload_mb)
        nginx = subprocess.Popen(
            [nginx_binary(), "-c", str(conf), "-p", str(run), "-g", "daemon off;"]
        )
        procs.append(nginx)
        host = "127.0.0.1" if args.listen in ("0.0.0.0", "::", "") else args.listen
        wait_healthy(f"http://{host}:{args.port}", nginx, timeout=30)  # the proxy answers
        (run / "backends.txt").write_text("\n".join(map(str, ports)) + "\n", encoding="utf-8")
        print(
            f"Målbilde kjører på http://{args.listen}:{args.port} med {args.processes} "
            f"prosesser ({', '.join(map(str, ports))}); logger i {run}",
            flush=True,
        )
        while all(proc.poll() is None for proc in procs):
            time.sleep(0.5)
        dead = next(p for p in procs if p.poll() is not None)
        print(f"En prosess stoppet (kode {dead.returncode}); stopper alle.", file=sys.stderr)
        return 1
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
