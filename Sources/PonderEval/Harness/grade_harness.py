"""Ponder's trusted grading harness for one code candidate (see CodeGrader.swift).

Protocol. Standard input carries one JSON object and is then closed:
    {"token": 32 hex chars, "prompt": str, "test": str, "entryPoint": str,
     "candidate": str (the code the candidate process runs), "budgetSeconds": float,
     "outputLimit": int (bytes of candidate output before it is killed)}
The harness makes itself non-dumpable (so a same-user process cannot read its memory or open
its /proc entries), runs the candidate in a separate Python process whose output is drained and
discarded, execs the dataset's prompt and test here, and calls check(proxy): each proxy call
pickles the arguments to the candidate process, which calls the entry point and pickles the result
back; results are loaded by an unpickler that refuses every class, so only builtin values come
back. Only when check returns normally and the candidate process stayed healthy does the harness
print "PONDER-PASS <token>" as its last line of stdout and exit 0; otherwise it says why on
stderr and exits 1 (2 for a malformed request).
"""

import builtins
import ctypes
import io
import json
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback

PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4
NOBODY = 65534
FRAME = struct.Struct(">I")
MESSAGE_LIMIT = 16 << 20
REQUEST_LIMIT = 64 << 20
KEPT_OUTPUT = 2048

# Exceptions a test may expect from the candidate; they are re-raised as (subclasses of) the same
# builtin type. Everything else, and StopIteration in particular (it would end a test's map()
# early), becomes a plain CandidateError.
MIRRORED_EXCEPTIONS = (
    "ValueError", "TypeError", "KeyError", "IndexError", "LookupError",
    "ZeroDivisionError", "ArithmeticError", "OverflowError", "AttributeError",
)

# The candidate process (run with -c, so it needs no file): reads its source, defines it, then
# answers calls until its pipe closes. Whatever it prints goes to the drained pipe.
CHILD_SOURCE = r'''
import os, struct, sys
import _pickle as pickle  # the C module alone starts faster than pickle.py
FRAME = struct.Struct(">I")
requests, replies = int(sys.argv[1]), int(sys.argv[2])

def read_exactly(count):
    data = b""
    while len(data) < count:
        chunk = os.read(requests, count - len(data))
        if not chunk:
            raise SystemExit(0)
        data += chunk
    return data

def receive():
    return pickle.loads(read_exactly(FRAME.unpack(read_exactly(FRAME.size))[0]))

def send(message):
    try:
        data = pickle.dumps(message, protocol=5)
    except BaseException as error:
        data = pickle.dumps(("error", "PicklingError", "the result cannot be sent back: %r" % (error,)))
    data = FRAME.pack(len(data)) + data
    while data:
        data = data[os.write(replies, data):]

def failure(error):
    import traceback
    traceback.print_exc()
    return ("error", type(error).__name__, str(error)[:1000])

source, entry_point = receive()
namespace = {"__name__": "__candidate__"}
try:
    exec(compile(source, "<candidate>", "exec"), namespace)
    function = namespace[entry_point]
    if not callable(function):
        raise TypeError("%s is not a function" % entry_point)
except BaseException as error:
    send(failure(error))
    raise SystemExit(0)
send(("ready",))
while True:
    args, kwargs = receive()
    try:
        send(("ok", function(*args, **kwargs)))
    except BaseException as error:
        send(failure(error))
'''


class HarnessError(Exception):
    """The request itself is malformed (exit status 2)."""


class CandidateError(Exception):
    """A call into the candidate failed: it raised, died, timed out or broke the protocol."""


class BuiltinsOnlyUnpickler(pickle.Unpickler):
    """Loads only what pickle builds without naming a class: None, bool, int, float, str, bytes,
    bytearray, tuple, list, dict, set, frozenset. Every global (and so every REDUCE, BUILD, NEWOBJ
    or extension code) is refused, so a reply cannot construct an object with its own __eq__."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError("refused to load %s.%s" % (module, name))

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("refused a persistent id")


def make_non_dumpable():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 or libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise HarnessError("prctl(PR_SET_DUMPABLE, 0) failed: errno %d" % ctypes.get_errno())


def mirrored(name, message):
    base = getattr(builtins, name, None) if name in MIRRORED_EXCEPTIONS else None
    if base is None:
        return CandidateError("%s: %s" % (name, message))
    return type("Candidate" + name, (CandidateError, base), {})("%s: %s" % (name, message))


class Candidate:
    """The untrusted process and the pipes to it."""

    def __init__(self, source, entry_point, deadline, output_limit):
        self.deadline = deadline
        self.output_limit = output_limit
        self.broken = None
        self.output = bytearray()
        self.output_total = 0
        self.pending = b""
        request_read, self.requests = os.pipe()
        self.replies, reply_write = os.pipe()
        os.set_blocking(self.requests, False)
        work = os.path.abspath("candidate")
        os.mkdir(work, 0o700)
        identity = {}
        if os.geteuid() == 0:
            # Root keeps CAP_SYS_PTRACE, which overrides non-dumpable: the candidate runs as nobody.
            os.chown(work, NOBODY, NOBODY)
            identity = {"user": NOBODY, "group": NOBODY, "extra_groups": []}
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-u", "-c", CHILD_SOURCE, str(request_read), str(reply_write)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            pass_fds=(request_read, reply_write), close_fds=True, cwd=work,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": work}, **identity)
        os.close(request_read)
        os.close(reply_write)
        self.drainer = threading.Thread(target=self.drain, daemon=True)
        self.drainer.start()
        self.send((source, entry_point))
        reply = self.receive("defining the candidate")
        if reply != ("ready",):
            self.fail_reply(reply, "defining the candidate")

    def drain(self):
        """Reads and discards the candidate's stdout and stderr, keeping the first bytes for the
        report; past `output_limit` bytes the candidate is killed."""
        stream = self.process.stdout
        while True:
            chunk = stream.read1(65536)
            if not chunk:
                return
            self.output_total += len(chunk)
            if len(self.output) < KEPT_OUTPUT:
                self.output += chunk[:KEPT_OUTPUT - len(self.output)]
            if self.output_total > self.output_limit:
                self.kill("wrote more than %d bytes of output" % self.output_limit)
                return

    def kill(self, reason):
        if self.broken is None:
            self.broken = reason
        try:
            self.process.kill()
        except OSError:
            pass

    def remaining(self, doing):
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.kill("timed out while %s" % doing)
            raise CandidateError("the candidate timed out while %s" % doing)
        return left

    def send(self, message):
        data = pickle.dumps(message, protocol=5)
        data = FRAME.pack(len(data)) + data
        while data:
            if self.broken is not None:
                raise CandidateError("the candidate process is gone: %s" % self.broken)
            _, writable, _ = select.select([], [self.requests], [], self.remaining("receiving arguments"))
            if writable:
                try:
                    data = data[os.write(self.requests, data):]
                except BlockingIOError:
                    continue
                except OSError as error:
                    self.kill("closed its input (%s)" % error)

    def read_exactly(self, count, doing):
        while len(self.pending) < count:
            if self.broken is not None:
                raise CandidateError("the candidate process is gone: %s" % self.broken)
            readable, _, _ = select.select([self.replies], [], [], self.remaining(doing))
            if readable:
                chunk = os.read(self.replies, max(65536, count - len(self.pending)))
                if not chunk:
                    try:
                        status = self.process.wait(0.2)
                    except subprocess.TimeoutExpired:
                        status = "unknown"
                    self.kill("exited (status %s) while %s" % (status, doing))
                self.pending += chunk
        data, self.pending = self.pending[:count], self.pending[count:]
        return data

    def receive(self, doing):
        (length,) = FRAME.unpack(self.read_exactly(FRAME.size, doing))
        if length > MESSAGE_LIMIT:
            self.kill("sent a %d-byte reply (limit %d)" % (length, MESSAGE_LIMIT))
            raise CandidateError("the candidate's reply is too large")
        data = self.read_exactly(length, doing)
        try:
            return BuiltinsOnlyUnpickler(io.BytesIO(data)).load()
        except Exception as error:
            self.kill("sent a reply that is not plain data (%s)" % error)
            raise CandidateError("the candidate's reply is not plain data: %s" % error)

    def fail_reply(self, reply, doing):
        if isinstance(reply, tuple) and len(reply) == 3 and reply[0] == "error":
            raise mirrored(str(reply[1])[:100], str(reply[2])[:1000])
        self.kill("broke the protocol while %s" % doing)
        raise CandidateError("the candidate broke the protocol while %s" % doing)

    def call(self, *args, **kwargs):
        self.send((args, kwargs))
        reply = self.receive("running a call")
        if isinstance(reply, tuple) and len(reply) == 2 and reply[0] == "ok":
            return reply[1]
        self.fail_reply(reply, "running a call")

    def close(self):
        """Kills the candidate process and collects the rest of its output (briefly: a grandchild
        may hold the pipe open)."""
        try:
            self.process.kill()
            self.process.wait(1)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.drainer.join(0.2)


def read_request():
    data = sys.stdin.buffer.read(REQUEST_LIMIT + 1)
    if len(data) > REQUEST_LIMIT:
        raise HarnessError("the request is over %d bytes" % REQUEST_LIMIT)
    # The request channel is closed before the candidate exists; fd 0 becomes /dev/null.
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    try:
        request = json.loads(data)
        token = request["token"]
        fields = (request["prompt"], request["test"], request["entryPoint"], request["candidate"])
        budget, limit = float(request["budgetSeconds"]), int(request["outputLimit"])
    except (ValueError, KeyError, TypeError) as error:
        raise HarnessError("malformed request: %r" % (error,))
    if not (isinstance(token, str) and len(token) == 32 and all(c in "0123456789abcdef" for c in token)):
        raise HarnessError("the token must be 32 lowercase hex digits")
    if not all(isinstance(field, str) for field in fields):
        raise HarnessError("prompt, test, entryPoint and candidate must be strings")
    return token, fields, budget, limit


def compile_prompt(prompt):
    """The prompt as code. HumanEval's prompts end in the stub's docstring and compile alone; one
    that ends right after `def f(...):` gets a `pass` body (the proxy replaces the stub anyway)."""
    try:
        return compile(prompt, "<prompt>", "exec")
    except SyntaxError:
        return compile(prompt.rstrip() + "\n    pass\n", "<prompt>", "exec")


def test_line(error, test):
    """Where in the task's test the failure surfaced, as " (test line N: source)"."""
    lines = test.splitlines()
    where = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == "<test>"]
    if not where or not 0 < where[-1].lineno <= len(lines):
        return ""
    return " (test line %d: %s)" % (where[-1].lineno, lines[where[-1].lineno - 1].strip()[:200])


def report(verdict, reason, candidate=None):
    sys.stderr.write("ponder-harness: %s %s\n" % (verdict, reason))
    if candidate is not None and candidate.output:
        excerpt = bytes(candidate.output).decode("utf-8", "replace")
        sys.stderr.write("ponder-harness: candidate output (%d bytes, first %d):\n%s\n"
                         % (candidate.output_total, len(candidate.output), excerpt))
    sys.stderr.flush()


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    # Only the pass line goes to stdout; whatever the task's own code prints goes to stderr.
    verdict_stream, sys.stdout = sys.stdout, sys.stderr
    try:
        make_non_dumpable()
        token, (prompt, test, entry_point, source), budget, limit = read_request()
        deadline = time.monotonic() + budget
        # The dataset's prompt (helpers such as HumanEval/32's poly) and tests are trusted and run
        # here; the candidate never sees them.
        namespace = {"__name__": "__ponder_test__"}
        exec(compile_prompt(prompt), namespace)
        exec(compile(test, "<test>", "exec"), namespace)
        check = namespace.get("check")
        if not callable(check):
            raise HarnessError("the test code defines no check(candidate)")
    except HarnessError as error:
        report("ERROR", str(error))
        return 2
    except BaseException as error:
        report("ERROR", "the task's prompt or test does not run: %s: %s" % (type(error).__name__, error))
        return 2

    candidate = None
    try:
        candidate = Candidate(source, entry_point, deadline, limit)

        def proxy(*args, **kwargs):
            return candidate.call(*args, **kwargs)

        proxy.__name__ = proxy.__qualname__ = entry_point
        # Tests may name the entry point directly (HumanEval/33 compares with sort_third itself).
        namespace[entry_point] = proxy
        check(proxy)
        if candidate.broken is not None:
            raise CandidateError("the candidate process %s" % candidate.broken)
    except BaseException as error:
        if candidate is not None:
            candidate.close()
        report("FAIL", "%s: %s%s" % (type(error).__name__, error, test_line(error, test)), candidate)
        return 1
    candidate.close()
    verdict_stream.write("PONDER-PASS %s\n" % token)
    verdict_stream.flush()
    return 0


if __name__ == "__main__":
    status = main()
    sys.__stdout__.flush()
    sys.stderr.flush()
    os._exit(status)
