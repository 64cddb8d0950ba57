#!/usr/bin/env python3
"""The conformance suite: every letterkit command through one table of cases.

Each row of TABLE below is one case for one command:

    COMMAND  CASE  WORDS...

WORDS are shell words (shlex) whose meaning depends on CASE (see the CASES
dictionary and each case's function). In WORDS these are substituted:
    {good}     a valid one-page letter PDF           {bad}   a failing letter
    {fixable}  a letter fix makes pass (NOTIFY on page 3)
    {missing}  a file that does not exist            {fifo}  a FIFO no one writes to
    {dir}      a folder of PDFs (see make_tree)       {file}  a regular file
    {new}      a folder that does not exist yet       {db}    scan's test signatures
    {tpl}      compose's template                     {csv}   compose's data
    {id}       a notification the sandbox has a PDF for (send, status, pdf rows)
Adding a command is adding its rows. "n/a" in place of WORDS says a case does
not apply to a command, and why: the row prints "n/a" and does not fail.

Every row prints PASS or FAIL with its command line and, on FAIL, what
differed; the script exits 1 if any row failed. CONFORMANCE_ONLY=check (or
"check,scan") runs only those commands' rows; CONFORMANCE_CASES=fifo,tty only
those cases. Needs LETTERKIT, SOURCE_ROOT, BUILD_ROOT; the rows of send,
status and pdf need NOTIFY_API_KEY and NOTIFY_BASE_URL (a running sandbox:
conformance.sh starts one), CONFORMANCE_ID for {id}.
"""
import json
import os
import pty
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request

TABLE = r"""
# --- 1. an unknown option: exit 2, stdout empty, one line in lk_opt_error's format
address  unknown  --bogus
address  unknown  -Z
check    unknown  --bogus
check    unknown  -Z
fix      unknown  --bogus
fix      unknown  -Z
compose  unknown  --bogus
compose  unknown  -Z
scan     unknown  --bogus
scan     unknown  -Z
send     unknown  --bogus
send     unknown  -Z
status   unknown  --bogus
status   unknown  -Z
pdf      unknown  --bogus
pdf      unknown  -Z
encode   unknown  --bogus
encode   unknown  -Z
sandbox  unknown  --bogus
sandbox  unknown  -Z
run      unknown  --bogus
run      unknown  -Z
watch    unknown  --bogus
watch    unknown  -Z
explain  unknown  --bogus
explain  unknown  -Z
config   unknown  --bogus
config   unknown  -Z

# --- 2. --help and -h: exit 0, "usage: letterkit COMMAND" on stdout, nothing on stderr
address  help  --help
address  help  -h
check    help  --help
check    help  -h
fix      help  --help
fix      help  -h
compose  help  --help
compose  help  -h
scan     help  --help
scan     help  -h
send     help  --help
send     help  -h
status   help  --help
status   help  -h
pdf      help  --help
pdf      help  -h
encode   help  --help
encode   help  -h
sandbox  help  --help
sandbox  help  -h
run      help  --help
run      help  -h
watch    help  --help
watch    help  -h
explain  help  --help
explain  help  -h
config   help  --help
config   help  -h

# --- 3. --version: "letterkit COMMAND VERSION", then a line per library (regexps, each must match a line)
address  version  '^jansson \d'
check    version  '^MuPDF \d'  '^jansson \d'
fix      version  '^MuPDF \d'  '^jansson \d'
compose  version  '^libharu \d'  '^jansson \d'
scan     version  '^libclamav \d'  '(?i)\d+ signatures'  '^jansson \d'
send     version  '^libcurl \d'  '^jansson \d'
status   version  '^libcurl \d'  '^jansson \d'
pdf      version  '^libcurl \d'  '^jansson \d'
encode   version  '^libcurl \d'  '^jansson \d'
sandbox  version  '^libmicrohttpd \d'  '^jansson \d'
run      version  '^jansson \d'
watch    version  '^jansson \d'
explain  version  '^jansson \d'
config   version  '^jansson \d'

# --- 4. a bad number ("x"), and the same option with no value at the end
address  number  n/a  'address has no numeric option'
check    number  --max-seconds
fix      number  --min-scale
compose  number  --jobs
scan     number  n/a  'scan has no numeric option'
send     number  --timeout
status   number  --max-wait
pdf      number  --max-wait
encode   number  n/a  'encode has no numeric option'
sandbox  number  --port
run      number  --parallel
watch    number  --settle-ms
explain  number  n/a  'explain has no numeric option'
config   number  n/a  'config has no numeric option'

# --- 5. a missing file: exit 2, the file named; a good file after it is still done
address  missing  {missing}
check    missing  {missing} {good}
fix      missing  --output-dir {new} {missing} {good}
compose  missing  -t {tpl} -o {new} {missing}
scan     missing  --db {db} {missing} {good}
send     missing  {missing} {good}
status   missing  n/a  'status takes notification ids, not files'
pdf      missing  n/a  'pdf takes a notification id, not files'
encode   missing  {missing}
sandbox  missing  n/a  'sandbox takes no files'
run      missing  --db {db} {missing} {good}
watch    missing  --once {missing}
explain  missing  n/a  'explain takes codes, not files'
config   missing  n/a  'config reads no letters'

# --- 6. a folder: the PDFs in it, recursed, sorted by path; or refused, naming it
address  folder  refuse  {dir}
check    folder  take    --json {dir}
fix      folder  take    --output-dir {new} {dir}
compose  folder  refuse  -t {tpl} -o {new} {dir}
scan     folder  take    --json --db {db} {dir}
send     folder  take    {dir}
encode   folder  refuse  {dir}
run      folder  take    --db {db} {dir}

# --- 7. a FIFO with no writer as an input: no hang (10 s), exit 2, named
address  fifo  {fifo}
check    fifo  {fifo}
fix      fifo  --output-dir {new} {fifo}
compose  fifo  -t {tpl} -o {new} --csv {fifo}
scan     fifo  --db {db} {fifo}
send     fifo  {fifo}
encode   fifo  {fifo}
run      fifo  --db {db} {fifo}
watch    fifo  --once {fifo}
explain  fifo  n/a  'explain reads no input'
config   fifo  n/a  'config reads no letters'

# --- 8. a bad NDJSON line on stdin: exit 2, "<stdin>: line 1: ..." once, a record for it on stdout
#        (first word: the stage's object that holds the error, or - for anywhere in the record)
address  badline  -      --ndjson
check    badline  check  -
fix      badline  fix    --output-dir {new} -
compose  badline  -      -t {tpl} -o {new} --ndjson -
scan     badline  scan   --db {db} -
send     badline  send

# --- 9. a record without its field: exit 2, written back with the error, "<stdin>: line 1"
address  nofield  -      --ndjson
check    nofield  check  -
fix      nofield  fix    --output-dir {new} -
scan     nofield  scan   --db {db} -
send     nofield  send

# --- 10. a missing output folder is made; an unusable one is refused before any letter
#         made PATHS... -- ARGS   (a PATH ending in / is a folder that must not be empty)
#         refused ARGS            ({file} is a regular file: {file}/x cannot be made)
check    outdir  made     {new}/overlay/ {new}2/r.html {new}3/j.xml -- --overlay {new}/overlay --report {new}2/r.html --junit {new}3/j.xml {bad}
check    outdir  refused  --report {file}/r.html {good}
check    outdir  refused  --junit {file}/j.xml {good}
check    outdir  refused  --overlay {file}/overlay {bad}
fix      outdir  made     {new}/ -- --output-dir {new} {good}
fix      outdir  refused  --output-dir {file}/out {good}
fix      outdir  refused  --overlay {file}/overlay --output-dir {new} {good}
fix      outdir  made     {new}2/r.html -- --output-dir {new} --report {new}2/r.html {fixable}
fix      outdir  refused  --report {file}/r.html --output-dir {new} {good}
compose  outdir  made     {new}/ -- -t {tpl} -o {new} {csv}
compose  outdir  refused  -t {tpl} -o {file}/letters {csv}
run      outdir  made     {new}/r.ndjson -- --quiet --db {db} --results {new}/r.ndjson {good}
run      outdir  refused  --quiet --db {db} --results {file}/r.ndjson {good}
run      outdir  made     {new}/fixed/ -- --quiet --db {db} --fix --fix-dir {new}/fixed {fixable}
run      outdir  refused  --quiet --db {db} --fix --fix-dir {file}/fixed {good}
pdf      outdir  made     {new}/x.pdf -- {id} -o {new}/x.pdf --max-wait 30
pdf      outdir  refused  {id} -o {file}/x.pdf
sandbox  outdir  made     {new}/keys -- --port 0 --keys-out {new}/keys --quiet
sandbox  outdir  refused  --port 0 --keys-out {file}/keys --quiet

# --- 11. SIGTERM mid-batch: exit STATUS, "stopped by SIGTERM", no temporary file left
#         term STATUS HOW ARGS: HOW is pipe (records on a FIFO held open, term_mid_pipe's
#         way), lines (a big batch: once 20 lines are out), sent (the sandbox made slow),
#         hold (records on a FIFO held open, 2 s), filed (watch: once a letter is filed)
check    term  2  pipe   --json -
fix      term  2  pipe   --output-dir {new} -
scan     term  2  pipe   --json --db {db} -
compose  term  2  lines  -t {tpl} -o {new} --date 2026-11-23 {big}
send     term  2  sent   --parallel 2 --rate-limit 6000/60 {many}
run      term  2  hold   --quiet --db {db} --results results.ndjson -
# watch's own page and tests/faults/term-watch.sh: exit 0 when every letter filed passed.
watch    term  0  filed  --db {db} {inbox}

# --- 12. standard input a terminal and no files: exit 2 within a second, with a message
address  tty  --ndjson
check    tty
fix      tty  --output-dir {new}
scan     tty  --db {db}
send     tty

# --- 13. -o - is standard output
pdf      stdout  {id} -o - --max-wait 30

# --- 14. a misspelt key in letterkit.conf (--config FILE): exit 2 before any work, one line naming FILE:LINE
address  conf  {good}
check    conf  {good}
compose  conf  --template {tpl} --data {csv} -o {new}
scan     conf  --db {db} {good}
send     conf  {good}
status   conf  {id}
pdf      conf  {id} -o {new}
encode   conf  {good}
sandbox  conf
run      conf  {good}
watch    conf  --once {dir}
config   conf
fix      conf  --output-dir {new} {good}
explain  conf  content-outside-printable-area

# --- the driver itself (COMMAND -): expect STATUS STDOUT-REGEX STDERR-REGEX -- ARGS
-  expect  0  '^letterkit {version}\n$'  '^$'  -- --version
-  expect  0  '^usage: letterkit'  '^$'  -- --help
# --- explain: a code's text on stdout; an unknown code named in the usage format, exit 2
explain  expect  0  '^content-outside-printable-area \(check\)\n  something is printed'  '^$'  -- content-outside-printable-area
explain  expect  0  '(?m)^not-a-real-uk-postcode +the last line'  '^$'  -- --short
explain  expect  2  '^$'  "^letterkit explain: no explanation for the code 'bogus' \(see 'letterkit explain --help'\)\n$"  -- bogus
-  expect  0  '^usage: letterkit check'  '^$'  -- help check
-  expect  2  '^$'  '^letterkit: unknown option .--bogus. \(see .letterkit --help.\)\n$'  -- --bogus
-  expect  2  '^$'  '^letterkit: unknown option .-Z. \(see .letterkit --help.\)\n$'  -- -Z
-  expect  2  '^$'  '^letterkit: unknown command .no-such-command. \(see .letterkit --help.\)\n$'  -- no-such-command
-  expect  2  '^$'  '^letterkit: unknown command .no-such-command. \(see .letterkit --help.\)\n$'  -- help no-such-command
-  expect  2  '^$'  '^usage: letterkit'  --
"""

LETTERKIT = os.environ["LETTERKIT"]
SOURCE_ROOT = os.environ["SOURCE_ROOT"]
BUILD_ROOT = os.environ["BUILD_ROOT"]
GEN = os.path.join(BUILD_ROOT, "specimens", "generated")
DB = os.environ.get("LETTERKIT_CLAMAV_DB") or os.path.join(SOURCE_ROOT, "specimens", "clamav")
COMPOSE = os.path.join(SOURCE_ROOT, "specimens", "compose")
HANG = 10  # seconds after which a command is killed and the row fails
TTY_SECONDS = float(os.environ.get("CONFORMANCE_TTY_SECONDS", "1"))


def project_version():
    with open(os.path.join(SOURCE_ROOT, "meson.build"), encoding="utf-8") as f:
        m = re.search(r"version:\s*'([^']+)'", f.read())
    return m.group(1)


VERSION = project_version()


class Fail(Exception):
    pass


class Row:
    def __init__(self, n, cmd, case, words):
        self.n, self.cmd, self.case, self.words = n, cmd, case, words
        self.dir = None
        self.argv = []

    def where(self):
        return os.path.join(self.dir, "new-%d" % self.n)

    def sub(self, words, extra=None):
        s = dict(self.subst)
        s.update(extra or {})
        return [w.format(**s) for w in words]


def make_tree(top):
    """A folder of letters: what check DIR must take, in order, and what it must not."""
    want = ["a/c.PDF", "b.pdf", "z/y/x.pdf"]
    skip = [".hidden.pdf", "notes.txt", "a/.d.pdf", "z/README"]
    for p in want + skip:
        path = os.path.join(top, p)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copyfile(os.path.join(GEN, "valid-1-page.pdf"), path)
    return [os.path.join(top, p) for p in want], [os.path.join(top, p) for p in skip]


def setup(row):
    row.dir = tempfile.mkdtemp(prefix="row%d-" % row.n, dir=WORK)
    d = row.dir
    good = os.path.join(d, "good.pdf")
    shutil.copyfile(os.path.join(GEN, "valid-1-page.pdf"), good)
    bad = os.path.join(d, "bad.pdf")
    shutil.copyfile(os.path.join(GEN, "outside-left-margin-by-1mm.pdf"), bad)
    fixable = os.path.join(d, "fixable.pdf")
    shutil.copyfile(os.path.join(GEN, "notify-tag-on-page-3.pdf"), fixable)
    afile = os.path.join(d, "a-file")
    with open(afile, "w") as f:
        f.write("a regular file\n")
    fifo = os.path.join(d, "a-fifo")
    os.mkfifo(fifo)
    row.want_tree, row.skip_tree = make_tree(os.path.join(d, "letters"))
    row.subst = {
        "good": good, "bad": bad, "fixable": fixable, "missing": os.path.join(d, "no-such-letter.pdf"),
        "fifo": fifo, "dir": os.path.join(d, "letters"), "file": afile, "new": row.where(),
        "db": DB, "tpl": os.path.join(COMPOSE, "letter.conf"),
        "csv": os.path.join(COMPOSE, "people.csv"), "id": os.environ.get("CONFORMANCE_ID", "no-id"),
        "version": re.escape(VERSION), "big": "{big}", "many": "{many}", "inbox": "{inbox}",
    }


def env():
    e = dict(os.environ)
    e.setdefault("LETTERKIT_CLAMAV_DB", DB)
    e.pop("NO_COLOR", None)
    return e


def run(row, args, stdin=subprocess.DEVNULL, timeout=HANG, input_bytes=None):
    argv = [LETTERKIT] + ([row.cmd] if row.cmd != "-" else []) + args
    row.argv = argv
    try:
        p = subprocess.run(argv, cwd=row.dir, env=env(), stdin=stdin if input_bytes is None else None,
                           input=input_bytes, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Fail("still running after %d s (killed)" % timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def short(s, n=300):
    s = s if len(s) <= n else s[:n] + "..."
    return repr(s)


def want_status(got, want, out, err):
    if got != want:
        raise Fail("exit %d, want %d; stdout %s; stderr %s" % (got, want, short(out), short(err)))


def one_line(err):
    lines = err.split("\n")
    if len(lines) != 2 or lines[1] != "":
        raise Fail("stderr is not exactly one line: %s" % short(err))
    return lines[0]


def prog(row):
    return "letterkit %s" % row.cmd


def usage_line(row, what):
    return "%s: %s (see '%s --help')" % (prog(row), what, prog(row))


def records(out):
    recs = []
    for line in out.splitlines():
        if not line.strip():
            continue
        try:
            recs.append(json.loads(line))
        except ValueError:
            raise Fail("stdout line is not JSON: %s" % short(line))
    return recs


def error_in(rec, key):
    """The error of record rec: in rec[key]["error"], or (key '-') anywhere."""
    if key != "-":
        obj = rec.get(key)
        return obj.get("error") if isinstance(obj, dict) else None
    if rec.get("error"):
        return rec["error"]
    for v in rec.values():
        if isinstance(v, dict) and v.get("error"):
            return v["error"]
    return None


# ---- the cases ---------------------------------------------------------------

def case_unknown(row):
    opt = row.words[0]
    code, out, err = run(row, [opt])
    want_status(code, 2, out, err)
    if out:
        raise Fail("stdout not empty: %s" % short(out))
    line = one_line(err)
    want = usage_line(row, "unknown option '%s'" % opt)
    if line != want:
        raise Fail("stderr %s, want %s" % (short(line), short(want)))


def case_help(row):
    code, out, err = run(row, [row.words[0]])
    want_status(code, 0, out, err)
    if not out.startswith("usage: %s" % prog(row)):
        raise Fail("stdout does not begin 'usage: %s': %s" % (prog(row), short(out, 80)))
    if err:
        raise Fail("stderr not empty: %s" % short(err))


def case_version(row):
    code, out, err = run(row, ["--version"])
    want_status(code, 0, out, err)
    lines = out.split("\n")
    first = "%s %s" % (prog(row), VERSION)
    if lines[0] != first:
        raise Fail("first line %s, want %s" % (short(lines[0]), short(first)))
    for rx in row.words:
        if not any(re.search(rx, l) for l in lines[1:]):
            raise Fail("no library line matching /%s/ in %s" % (rx, short(out)))
    if err:
        raise Fail("stderr not empty: %s" % short(err))


def case_number(row):
    opt = row.words[0]
    code, out, err = run(row, [opt, "x"])
    want_status(code, 2, out, err)
    line = one_line(err)
    rx = "^" + re.escape("%s: %s must be " % (prog(row), opt)) + ".+" + \
        re.escape(", not 'x' (see '%s --help')" % prog(row)) + "$"
    if not re.match(rx, line):
        raise Fail("stderr %s, want 'letterkit %s: %s must be ..., not 'x' (see ...)'" % (short(line), row.cmd, opt))
    code, out, err = run(row, [opt])
    want_status(code, 2, out, err)
    line = one_line(err)
    want = usage_line(row, "option %s needs a value" % opt)
    if line != want:
        raise Fail("with no value: stderr %s, want %s" % (short(line), short(want)))


def case_missing(row):
    args = row.sub(row.words)
    code, out, err = run(row, args)
    want_status(code, 2, out, err)
    missing = row.subst["missing"]
    if os.path.basename(missing) not in err:
        raise Fail("stderr does not name %s: %s" % (missing, short(err)))
    if "{good}" in row.words:
        good = row.subst["good"]
        if good not in out:
            raise Fail("the good file after it was not done: stdout %s" % short(out))


def case_folder(row):
    how, words = row.words[0], row.words[1:]
    args = row.sub(words)
    top = row.subst["dir"]
    code, out, err = run(row, args, timeout=60)
    if how == "refuse":
        want_status(code, 2, out, err)
        if not re.search(r"(?i)is a (directory|folder)", err) or top not in err:
            raise Fail("stderr does not say %s is a directory/folder: %s" % (top, short(err)))
        return
    want_status(code, 0, out, err)
    pos = []
    for p in row.want_tree:
        i = out.find(p)
        if i < 0:
            raise Fail("%s (in the folder) not done: stdout %s; stderr %s" % (p, short(out), short(err)))
        pos.append(i)
    if pos != sorted(pos):
        raise Fail("not in path order: %s" % [p for _, p in sorted(zip(pos, row.want_tree))])
    for p in row.skip_tree:
        if p in out:
            raise Fail("%s was taken (hidden or not a .pdf)" % p)


def case_fifo(row):
    args = row.sub(row.words)
    code, out, err = run(row, args)
    want_status(code, 2, out, err)
    if row.subst["fifo"] not in err:
        raise Fail("stderr does not name the FIFO: %s" % short(err))


def stdin_case(row, text, check_rec):
    key, words = row.words[0], row.words[1:]
    args = row.sub(words)
    code, out, err = run(row, args, input_bytes=text.encode())
    want_status(code, 2, out, err)
    recs = records(out)
    if len(recs) != 1 or not isinstance(recs[0], dict):
        raise Fail("want one record on stdout, got %s; stderr %s" % (short(out), short(err)))
    check_rec(recs[0])
    if not error_in(recs[0], key):
        where = "its \"%s\" object" % key if key != "-" else "it"
        raise Fail("no error in %s: %s" % (where, short(out)))
    return err


# The end-of-batch line of lk_summary.h ("29 of 39 letters failed: ..."), which a batch may end with.
SUMMARY = re.compile(r"^letterkit \S+: (no letters|the letter |all \d+ letters |\d+ of \d+ letters? )")


def without_summary(row, err):
    lines = err.split("\n")
    if len(lines) >= 3 and lines[-1] == "" and SUMMARY.match(lines[-2]) and lines[-2].startswith(prog(row)):
        return "\n".join(lines[:-2] + [""])
    return err


def case_badline(row):
    def rec_ok(rec):
        if rec.get("line") != 1:
            raise Fail("the record has no \"line\": 1: %s" % json.dumps(rec))
    err = stdin_case(row, "{not json\n", rec_ok)
    # "once": the message is one line; the summary line after it is not a second message.
    line = one_line(without_summary(row, err))
    if not line.startswith("%s: <stdin>: line 1: " % prog(row)):
        raise Fail("stderr %s, want '%s: <stdin>: line 1: ...'" % (short(line), prog(row)))


def case_nofield(row):
    def rec_ok(rec):
        if rec.get("id") != 1:
            raise Fail("the record was not written back: %s" % json.dumps(rec))
    err = stdin_case(row, '{"id":1}\n', rec_ok)
    if "<stdin>: line 1" not in err:
        raise Fail("stderr does not say '<stdin>: line 1': %s" % short(err))


def run_daemon(row, args, paths):
    """A server: started; with paths, those awaited (10 s) and the server stopped
    with SIGTERM (exit 0 wanted); without, it must exit by itself (10 s) before
    it says 'listening'."""
    argv = [LETTERKIT, row.cmd] + args
    row.argv = argv
    e = env()
    e["LETTERKIT_EXEC_DIR"] = os.environ.get("SANDBOX_DOUBLES", "")
    out_path, err_path = os.path.join(row.dir, "stdout"), os.path.join(row.dir, "stderr")
    with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
        p = subprocess.Popen(argv, cwd=row.dir, env=e, stdin=subprocess.DEVNULL, stdout=fo, stderr=fe)
    listening = lambda: b"listening" in open(out_path, "rb").read()
    if paths:
        wait_for(HANG, lambda: p.poll() is not None or all(os.path.exists(x) for x in paths))
    else:
        wait_for(HANG, lambda: p.poll() is not None or listening())
    served = p.poll() is None
    if served:
        p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=HANG)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        raise Fail("did not stop on SIGTERM")
    out, err = open(out_path, errors="replace").read(), open(err_path, errors="replace").read()
    if served and not paths:
        raise Fail("not refused: the server started (%s); stderr %s" % (short(out.strip()), short(err)))
    return p.returncode, out, err


def case_outdir(row):
    how = row.words[0]
    if how == "made":
        sep = row.words.index("--")
        paths = row.sub(row.words[1:sep])
        args = row.sub(row.words[sep + 1:])
        if row.cmd == "sandbox":
            code, out, err = run_daemon(row, args, [p.rstrip("/") for p in paths])
            want_status(code, 0, out, err)
        else:
            code, out, err = run(row, args, timeout=60)
            if code not in (0, 1):
                raise Fail("exit %d; stderr %s" % (code, short(err)))
        for p in paths:
            if p.endswith("/"):
                if not os.path.isdir(p) or not os.listdir(p):
                    raise Fail("folder %s not made, or empty; stderr %s" % (p, short(err)))
            elif not os.path.isfile(p):
                raise Fail("%s not made; stderr %s" % (p, short(err)))
        return
    args = row.sub(row.words[1:])
    if row.cmd == "sandbox":
        code, out, err = run_daemon(row, args, [])
    else:
        code, out, err = run(row, args, timeout=60)
    want_status(code, 2, out, err)
    if row.subst["file"] not in err:
        raise Fail("stderr does not name the path under %s: %s" % (row.subst["file"], short(err)))
    if out.strip():
        raise Fail("something was done before the refusal: stdout %s" % short(out))


def no_temp(top):
    left = []
    for base, dirs, files in os.walk(top):
        for f in files + dirs:
            if re.search(r"\.tmp(-|$)", f):
                left.append(os.path.join(base, f))
    if left:
        raise Fail("temporary files left: %s" % left[:5])


def sandbox_get(path):
    with urllib.request.urlopen(os.environ["NOTIFY_BASE_URL"] + path, timeout=10) as r:
        return r.read()


def sandbox_faults(body):
    req = urllib.request.Request(os.environ["NOTIFY_BASE_URL"] + "/_sandbox/faults",
                                 data=body.encode(), method="POST")
    urllib.request.urlopen(req, timeout=10).read()


def wait_for(seconds, pred):
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


def case_term(row):
    want, how, words = int(row.words[0]), row.words[1], row.words[2:]
    d = row.dir
    extra = {}
    n = 0
    if how == "lines":   # compose: a big batch
        with open(os.path.join(COMPOSE, "people.csv"), encoding="utf-8") as f:
            head, first = f.readline(), f.readline()
        big = os.path.join(d, "rows.csv")
        with open(big, "w", encoding="utf-8") as f:
            f.write(head + first * 1500)
        extra["big"] = big
    elif how == "sent":
        many = []
        for i in range(40):
            p = os.path.join(d, "t-%d.pdf" % i)
            with open(p, "w") as f:
                f.write("%%PDF-1.4\n%% a stand-in letter %s\n%%%%EOF\n" % p)
            many.append(p)
        extra["many"] = " ".join(many)
    elif how == "filed":
        inbox = os.path.join(d, "inbox")
        os.mkdir(inbox)
        n = 200
        old = time.time() - 3600
        for i in range(n):
            p = os.path.join(inbox, "w-%03d.pdf" % i)
            shutil.copyfile(os.path.join(GEN, "valid-1-page.pdf"), p)
            os.utime(p, (old, old))
        extra["inbox"] = inbox
    args = []
    for w in row.sub(words, extra):
        args += w.split(" ") if w == extra.get("many") else [w]
    argv = [LETTERKIT, row.cmd] + args
    row.argv = argv
    out_path, err_path = os.path.join(d, "stdout"), os.path.join(d, "stderr")
    fifo = None
    stdin = subprocess.DEVNULL
    if how in ("pipe", "hold"):
        fifo = os.path.join(d, "in")
        os.mkfifo(fifo)
    if how == "sent":
        sandbox_faults('{"slow_ms": 300}')
    try:
        with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
            if fifo:
                # term_mid_pipe's way: the command reads records from a FIFO held open.
                r = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
                w = open(fifo, "w")
                os.set_blocking(r, True)
                p = subprocess.Popen(argv, cwd=d, env=env(), stdin=r, stdout=fo, stderr=fe)
                os.close(r)
                names = ["valid-1-page", "valid-4-pages", "outside-left-margin-by-1mm", "valid-1-page"]
                for name in names:
                    w.write('{"file":"%s/%s.pdf"}\n' % (GEN, name))
                w.flush()
            else:
                p = subprocess.Popen(argv, cwd=d, env=env(), stdin=stdin, stdout=fo, stderr=fe)

            def lines():
                with open(out_path, "rb") as f:
                    return f.read().count(b"\n")
            if how == "pipe":
                ok = wait_for(30, lambda: lines() >= 4)
            elif how == "lines":
                ok = wait_for(30, lambda: lines() >= 20)
            elif how == "sent":
                ok = wait_for(30, lambda: open(out_path, "rb").read().count(b'"state":"sent"') >= 2)
            elif how == "hold":
                ok = wait_for(2, lambda: p.poll() is not None) or True
            elif how == "filed":
                passed = os.path.join(extra["inbox"], "passed")
                ok = wait_for(30, lambda: os.path.isdir(passed) and
                              sum(f.endswith(".pdf") for f in os.listdir(passed)) >= 1)
            if p.poll() is not None:
                raise Fail("ended (exit %d) before the signal: %s" % (p.returncode, short(open(err_path).read())))
            if not ok:
                p.kill()
                p.wait()
                raise Fail("did not get going within 30 s: %s" % short(open(err_path).read()))
            p.send_signal(signal.SIGTERM)
            try:
                code = p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                raise Fail("did not stop within 30 s of SIGTERM")
            if fifo:
                w.close()
    finally:
        if how == "sent":
            sandbox_faults("{}")
    out, err = open(out_path, errors="replace").read(), open(err_path, errors="replace").read()
    want_status(code, want, out, err)
    if "stopped by SIGTERM" not in err:
        raise Fail("stderr does not say 'stopped by SIGTERM': %s" % short(err[-300:]))
    if how == "filed":
        passed = os.path.join(extra["inbox"], "passed")
        if sum(f.endswith(".pdf") for f in os.listdir(passed)) >= n:
            raise Fail("every letter was filed: the signal came too late to prove anything")
    no_temp(d)


def case_tty(row):
    args = row.sub(row.words)
    argv = [LETTERKIT, row.cmd] + args
    row.argv = argv
    master, slave = pty.openpty()
    start = time.time()
    p = subprocess.Popen(argv, cwd=row.dir, env=env(), stdin=slave, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    os.close(slave)
    try:
        out, err = p.communicate(timeout=5)
        took = time.time() - start
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise Fail("waited in silence on the terminal (killed after 5 s)")
    finally:
        os.close(master)
    out, err = out.decode(errors="replace"), err.decode(errors="replace")
    want_status(p.returncode, 2, out, err)
    if not err.strip():
        raise Fail("no message on stderr")
    if took > TTY_SECONDS:
        raise Fail("took %.1f s, want under %g s" % (took, TTY_SECONDS))


def case_stdout(row):
    args = row.sub(row.words)
    code, out_s, err = run(row, args, timeout=60)
    if os.path.exists(os.path.join(row.dir, "-")):
        raise Fail("the PDF went to a file called '-' (exit %d), not to stdout" % code)
    want_status(code, 0, out_s, err)
    if not out_s.startswith("%PDF-"):
        raise Fail("stdout is not the PDF: %s" % short(out_s, 60))
    no_temp(row.dir)


def case_conf(row):
    conf = os.path.join(row.dir, "letterkit.conf")
    with open(conf, "w") as f:
        f.write("# a site's defaults\n[shared]\nstrcit = yes\n")
    code, out, err = run(row, ["--config", conf] + row.sub(row.words))
    want_status(code, 2, out, err)
    if out:
        raise Fail("stdout not empty: %s" % short(out))
    want = usage_line(row, "%s:3: unknown key 'strcit'" % conf)
    if one_line(err) != want:
        raise Fail("stderr %s, want %s" % (short(err), short(want)))
    if row.cmd == "compose" and os.path.exists(row.where()):
        raise Fail("the output folder was made before the configuration was read")


def case_expect(row):
    status, out_rx, err_rx = int(row.words[0]), row.words[1], row.words[2]
    args = row.sub(row.words[row.words.index("--") + 1:])
    out_rx = out_rx.replace("{version}", re.escape(VERSION))
    code, out, err = run(row, args)
    want_status(code, status, out, err)
    if not re.search(out_rx, out):
        raise Fail("stdout %s does not match /%s/" % (short(out), out_rx))
    if not re.search(err_rx, err):
        raise Fail("stderr %s does not match /%s/" % (short(err), err_rx))


CASES = {
    "unknown": case_unknown, "help": case_help, "version": case_version, "number": case_number,
    "missing": case_missing, "folder": case_folder, "fifo": case_fifo, "badline": case_badline,
    "nofield": case_nofield, "outdir": case_outdir, "term": case_term, "tty": case_tty,
    "stdout": case_stdout, "conf": case_conf, "expect": case_expect,
}
NEEDS_SANDBOX = {"send", "status", "pdf"}


def parse_table():
    rows = []
    for line in TABLE.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        cmd, case, rest = words[0], words[1], words[2:]
        if case not in CASES:
            sys.exit("conformance: unknown case %r in: %s" % (case, line))
        rows.append(Row(len(rows) + 1, cmd, case, rest))
    return rows


def main():
    global WORK
    only = {c for c in os.environ.get("CONFORMANCE_ONLY", "").split(",") if c}
    cases = {c for c in os.environ.get("CONFORMANCE_CASES", "").split(",") if c}
    WORK = tempfile.mkdtemp(prefix="conformance-", dir=os.environ.get("CONFORMANCE_TMP") or None)
    rows = [r for r in parse_table() if (not only or r.cmd in only or (r.cmd == "-" and "driver" in only))
            and (not cases or r.case in cases)]
    have_sandbox = bool(os.environ.get("NOTIFY_BASE_URL"))
    results = {}
    failed = 0
    for row in rows:
        label = "%s %s" % ("driver" if row.cmd == "-" else row.cmd, row.case)
        if row.words[:1] == ["n/a"]:
            print("n/a  %-18s %s" % (label, row.words[1] if len(row.words) > 1 else ""), flush=True)
            results.setdefault(row.case, {})[row.cmd] = "n/a"
            continue
        if row.cmd in NEEDS_SANDBOX and not have_sandbox:
            print("SKIP %-18s no sandbox (NOTIFY_BASE_URL unset)" % label, flush=True)
            continue
        setup(row)
        try:
            CASES[row.case](row)
            verdict, why = "PASS", ""
        except Fail as e:
            verdict, why = "FAIL", str(e)
        except Exception as e:  # a broken row is a failed row, with its reason
            verdict, why = "FAIL", "%s: %s" % (type(e).__name__, e)
        cmdline = " ".join(shlex.quote(a) for a in row.argv).replace(BUILD_ROOT + "/", "")
        cmdline = cmdline.replace(row.dir + "/", "") if row.dir else cmdline
        print("%s %-18s %s" % (verdict, label, cmdline), flush=True)
        if why:
            print("     %s" % why.replace(row.dir + "/", "") if row.dir else why, flush=True)
        prev = results.setdefault(row.case, {}).get(row.cmd)
        results[row.case][row.cmd] = "FAIL" if verdict == "FAIL" or prev == "FAIL" else "pass"
        failed += verdict == "FAIL"
        if verdict == "PASS":
            shutil.rmtree(row.dir, ignore_errors=True)
    # The table at a glance: a case per line, a command per column.
    cmds = []
    for r in rows:
        if r.cmd not in cmds:
            cmds.append(r.cmd)
    print("\n%-9s %s" % ("case", " ".join("%-7s" % ("driver" if c == "-" else c) for c in cmds)))
    for case in CASES:
        if case in results:
            print("%-9s %s" % (case, " ".join("%-7s" % results[case].get(c, "") for c in cmds)))
    print("\n%d of %d rows failed" % (failed, len([r for r in rows if r.words[:1] != ["n/a"]])))
    shutil.rmtree(WORK, ignore_errors=True) if not failed else None
    if failed and not os.environ.get("CONFORMANCE_TMP"):
        print("(the failed rows' folders are kept under %s)" % WORK)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
