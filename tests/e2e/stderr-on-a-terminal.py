#!/usr/bin/env python3
"""stderr-on-a-terminal.py TERMFILE CMD...: runs CMD with its standard error
on a pseudo-terminal (TERM=xterm), its standard input /dev/null and its
standard output ours (redirect it to a file, not a pipe nobody reads), and
writes everything CMD wrote to the terminal, byte for byte, to TERMFILE.
Exits with CMD's status. For the tests of progress lines, which a command
shows only when standard error is a terminal."""
import os
import pty
import subprocess
import sys

from terminal import read_all

termfile, cmd = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stderr=slave, env=dict(os.environ, TERM="xterm"))
os.close(slave)
with open(termfile, "wb") as f:
    f.write(read_all(master))
sys.exit(p.wait())
