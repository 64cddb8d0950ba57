"""terminal.py: what the tests' terminal runners share (imported, not run)."""
import os


def read_all(master):
    """Everything written to the pseudo-terminal whose master side is `master`,
    until the other side is closed by every process holding it."""
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:   # EIO: the other side closed
            break
        if not chunk:
            break
        seen += chunk
    return seen
