#!/usr/bin/env python3
"""on-a-terminal.py [ENV=VALUE...] -- CMD...: runs CMD with its standard
output and error on a pseudo-terminal and NDJSON lines from our standard
input fed to its standard input one at a time, with a pause of 1.3 s before
the last (long enough for a progress line to appear), and writes everything
CMD wrote to the terminal, byte for byte, to our standard output. Exits
with CMD's status."""
import os
import pty
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from terminal import read_all  # noqa: E402

args = sys.argv[1:]
env = dict(os.environ, TERM="xterm")
env.pop("NO_COLOR", None)
while args and args[0] != "--":
    key, _, value = args.pop(0).partition("=")
    env[key] = value
cmd = args[1:]
lines = sys.stdin.buffer.read().splitlines(keepends=True)
master, slave = pty.openpty()
p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=slave, stderr=slave, env=env)
os.close(slave)
for i, line in enumerate(lines):
    if i == len(lines) - 1 and i > 0:
        time.sleep(1.3)
    p.stdin.write(line)
    p.stdin.flush()
p.stdin.close()
sys.stdout.buffer.write(read_all(master))
sys.exit(p.wait())
