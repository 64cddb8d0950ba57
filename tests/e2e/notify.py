#!/usr/bin/env python3
"""watch and sandbox as Type=notify services: READY=1 on $NOTIFY_SOCKET once they
serve (a path socket and an abstract one), STOPPING=1 on SIGTERM, then a clean
exit 0 well within a unit's stop timeout; nothing sent without NOTIFY_SOCKET."""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

LETTERKIT = os.environ["LETTERKIT"]
DB = os.path.join(os.environ["SOURCE_ROOT"], "specimens", "clamav")
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL", msg, file=sys.stderr)


def service(name, args, address, work):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + address[1:] if address.startswith("@") else address)
    sock.settimeout(20)
    env = dict(os.environ, NOTIFY_SOCKET=address)
    p = subprocess.Popen([LETTERKIT] + args, env=env, cwd=work, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    try:
        msg = sock.recv(4096)
        if msg != b"READY=1":
            fail("%s: first message %r, want READY=1" % (name, msg))
        if p.poll() is not None:
            fail("%s: exited %d after READY=1" % (name, p.returncode))
        start = time.monotonic()
        p.send_signal(signal.SIGTERM)
        msg = sock.recv(4096)
        if msg != b"STOPPING=1":
            fail("%s: after SIGTERM %r, want STOPPING=1" % (name, msg))
        code = p.wait(timeout=30)
        took = time.monotonic() - start
        if code != 0:
            fail("%s: exit %d after SIGTERM, want 0; stderr %r" % (name, code, p.stderr.read()))
        if took > 10:   # the units' TimeoutStopSec is 30 s
            fail("%s: took %.1f s to stop" % (name, took))
        print("%s: READY=1, STOPPING=1, exit %d %.2f s after SIGTERM" % (name, code, took))
    except socket.timeout:
        fail("%s: no message within 20 s" % name)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stderr.close()
        sock.close()


with tempfile.TemporaryDirectory() as work:
    inbox = os.path.join(work, "inbox")
    os.mkdir(inbox)
    service("watch", ["watch", "--quiet", "--db", DB, inbox], os.path.join(work, "notify"), work)
    service("sandbox", ["sandbox", "--port", "0", "--quiet", "--keys-out", os.path.join(work, "keys")],
            "@letterkit-test-%d" % os.getpid(), work)
    # Without NOTIFY_SOCKET: the same clean stop, and no socket needed.
    env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}
    p = subprocess.Popen([LETTERKIT, "watch", "--quiet", "--db", DB, inbox], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    p.send_signal(signal.SIGTERM)
    if p.wait(timeout=30) != 0:
        fail("watch without NOTIFY_SOCKET: exit %d after SIGTERM" % p.returncode)
sys.exit(1 if failures else 0)
