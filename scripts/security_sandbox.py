#!/usr/bin/env python3
"""Attacks the code sandbox through the real command line, the way a model-written program would.

    scripts/security_sandbox.py ./ponder

For every isolating level that `ponder sandbox check` reports available (at least one must be),
and for `--sandbox auto`, each probe below runs a Python program with
`ponder sandbox run --sandbox LEVEL FILE.py` and prints one line, `PASS <level> <probe>: <what
happened>` or `FAIL ...`. It also checks that `--sandbox process` prints its warning. Exits 1 on
any FAIL. Python 3 standard library only; the probes are bounded to about 110 s in all (the first
`ponder sandbox check` may build the release binary first, which is not counted). See
docs/SECURITY.md.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

BUDGET_SECONDS = 110
ISOLATING = ["bubblewrap", "namespaces"]
TOP_LEVEL = {"bin", "sbin", "lib", "lib64", "lib32", "libx32", "dev", "proc", "sandbox", "tmp", "usr"}

failures = 0
deadline = None


def report(ok, level, probe, detail):
    global failures
    if not ok:
        failures += 1
    print(f"{'PASS' if ok else 'FAIL'} {level} {probe}: {detail}", flush=True)


def remaining(cap):
    return max(1.0, min(cap, deadline - time.monotonic()))


def run_program(ponder, level, source, work, extra=(), env=None, cap=30):
    """Runs `source` in the sandbox; returns (exit code, stdout, stderr, termination line)."""
    path = os.path.join(work, f"probe-{uuid.uuid4().hex[:8]}.py")
    with open(path, "w") as handle:
        handle.write(source)
    try:
        done = subprocess.run([ponder, "sandbox", "run", "--sandbox", level, *extra, path],
                              capture_output=True, text=True, timeout=remaining(cap), env=env)
    except subprocess.TimeoutExpired:
        return None, "", "timed out in the security check", ""
    finally:
        os.unlink(path)
    lines = done.stderr.rstrip("\n").split("\n")
    final = lines[-1] if lines and lines[-1].startswith("termination: ") else ""
    return done.returncode, done.stdout, done.stderr, final


def pgrep(marker):
    done = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    return [line for line in done.stdout.split() if line]


def sleeper(marker, exit_after):
    return f"""
import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv('/usr/bin/sleep', ['{marker}', '30'])
    os._exit(0)
time.sleep({exit_after})
print('parent done')
"""


def probes(ponder, level, work, repo):
    # 1. What / holds.
    code, out, err, final = run_program(ponder, level, "import os\nprint(' '.join(sorted(os.listdir('/'))))", work)
    entries = set(out.split())
    ok = code == 0 and entries <= TOP_LEVEL and {"usr", "sandbox", "tmp", "proc", "dev"} <= entries
    report(ok, level, "root-listing", f"/ holds {sorted(entries)}" + ("" if ok else f" ({final or err.strip()[-200:]})"))

    # 2. Host files and directories.
    host_file = os.path.join(tempfile.gettempdir(), f"ponder-visible-{uuid.uuid4().hex}")
    with open(host_file, "w") as handle:
        handle.write("host")
    paths = ["/etc/passwd", "/etc", "/home", "/root", repo, os.path.dirname(repo), host_file]
    source = f"import os\nfor p in {paths!r}:\n    print(p, os.path.exists(p))\nprint('tmp', os.listdir('/tmp'))"
    code, out, err, final = run_program(ponder, level, source, work)
    os.unlink(host_file)
    visible = [p for p in paths if f"{p} True" in out]
    ok = code == 0 and not visible and "tmp []" in out
    report(ok, level, "host-files", "none of /etc/passwd, /home, /root, the checkout, its parent, a host /tmp file visible; /tmp empty"
           if ok else f"visible: {visible}; {out.strip()[-200:]} {final}")

    # 3. A write to /tmp stays inside.
    name = f"pp-out-{uuid.uuid4().hex}"
    code, out, err, final = run_program(ponder, level, f"open('/tmp/{name}', 'w').write('x')\nprint('wrote')", work)
    leaked = os.path.exists(f"/tmp/{name}") or os.path.exists(os.path.join(tempfile.gettempdir(), name))
    report(code == 0 and "wrote" in out and not leaked, level, "tmp-write",
           f"wrote /tmp/{name[:14]}… inside, host has it: {leaked}")

    # 4. The caller's environment.
    secret = f"ponder-secret-{uuid.uuid4().hex}"
    env = dict(os.environ, PONDER_SECURITY_SECRET=secret)
    source = f"""
import glob
hits, read = [], 0
for path in glob.glob('/proc/*/environ') + glob.glob('/proc/*/cmdline'):
    try:
        data = open(path, 'rb').read(); read += 1
        if b'{secret}' in data: hits.append(path)
    except OSError:
        pass
print('hits', hits, 'read', read)
"""
    code, out, err, final = run_program(ponder, level, source, work, env=env)
    report(code == 0 and "hits []" in out, level, "proc-environ", out.strip() or final)

    # 5. Unix sockets: a filesystem one in the host's /tmp (anyone may connect) and an abstract one.
    path = os.path.join(tempfile.gettempdir(), f"ponder-sock-{uuid.uuid4().hex[:8]}")
    abstract = f"ponder-abstract-{uuid.uuid4().hex}"
    listeners = []
    for address in (path, "\0" + abstract):
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(address)
        listener.listen(4)
        listeners.append(listener)
    os.chmod(path, 0o777)
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(4)
    port = tcp.getsockname()[1]
    source = f"""
import socket
for family, address in [(socket.AF_UNIX, {path!r}), (socket.AF_UNIX, '\\0{abstract}'), (socket.AF_INET, ('127.0.0.1', {port}))]:
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect(address); print('connected', address)
    except OSError as error:
        print('blocked', type(error).__name__)
"""
    code, out, err, final = run_program(ponder, level, source, work)
    for listener in listeners + [tcp]:
        listener.close()
    os.unlink(path)
    report(code == 0 and "connected" not in out and out.count("blocked") == 3, level, "sockets",
           "host /tmp socket, abstract socket, loopback TCP: " + ", ".join(out.split("\n")[:3]))

    # 6. The terminal.
    source = "import os\ntry:\n    os.open('/dev/tty', os.O_RDWR); print('opened')\nexcept OSError as e:\n    print('failed', e.strerror)"
    code, out, err, final = run_program(ponder, level, source, work)
    report(out.startswith("failed"), level, "dev-tty", out.strip() or final)

    # 7. A fork bomb.
    marker = f"pp-fork-{uuid.uuid4().hex}"
    source = f"""
import os
made = 0
for _ in range(300):
    try:
        if os.fork() == 0:
            os.execv('/usr/bin/sleep', ['{marker}', '20'])
        made += 1
    except OSError as error:
        print('fork failed:', error.strerror); break
print('forked', made)
"""
    code, out, err, final = run_program(ponder, level, source, work, extra=["--processes", "64"])
    made = int(out.split()[-1]) if out.split() and out.split()[-1].isdigit() else 999
    survivors = pgrep(marker)
    report(made < 300 and not survivors and "exited 0" in final, level, "fork-bomb",
           f"{made} of 300 forks succeeded, then {out.strip().splitlines()[0] if out.strip() else final}; survivors {len(survivors)}")

    # 8. Four children of 300 MiB under a 256 MiB limit.
    source = """
import os, sys, time
kids = []
for n in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            block = bytearray(300 << 20); print('allocated', flush=True); time.sleep(2); os._exit(0)
        except MemoryError:
            print('MemoryError', flush=True); os._exit(3)
    kids.append(pid)
statuses = [os.waitpid(pid, 0)[1] for pid in kids]
print('statuses', statuses)
sys.exit(1 if any(statuses) else 0)
"""
    code, out, err, final = run_program(ponder, level, source, work, extra=["--memory", "256"])
    ok = "allocated" not in out and ("memory-limit" in final or out.count("MemoryError") == 4)
    report(ok, level, "memory-children", f"{final or err.strip()[-200:]}; {out.strip().splitlines()[-1] if out.strip() else 'no output'}")

    # 9. Filling the scratch directory.
    marker = f"pp-fill-{uuid.uuid4().hex}"
    source = f"""
import errno
chunk = b'x' * (1 << 20)
written, failure = 0, 'none'
try:
    for n in range(80):
        with open('/sandbox/{marker}-%d' % n, 'wb') as f:
            for _ in range(8):
                f.write(chunk); f.flush(); written += 1
except OSError as error:
    failure = errno.errorcode.get(error.errno, str(error.errno))
print(failure, written)
"""
    code, out, err, final = run_program(ponder, level, source, work, extra=["--scratch", "64", "--wall", "20"])
    fields = out.split()
    on_host = subprocess.run(["find", tempfile.gettempdir(), "-maxdepth", "3", "-name", f"{marker}*"],
                             capture_output=True, text=True).stdout.split()
    ok = len(fields) == 2 and fields[0] in ("ENOSPC", "EFBIG") and int(fields[1]) <= 64 and not on_host
    report(ok, level, "scratch-fill", f"640 MiB asked, {fields[1] if len(fields) == 2 else '?'} MiB written, then "
           f"{fields[0] if fields else final}; on the host: {len(on_host)} files")

    # 10. A setsid() grandchild.
    marker = f"pp-orphan-{uuid.uuid4().hex}"
    path = os.path.join(work, "orphan.py")
    with open(path, "w") as handle:
        handle.write(sleeper(marker, 1.5))
    child = subprocess.Popen([ponder, "sandbox", "run", "--sandbox", level, path],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = wait_for(marker, 8)
    try:
        out, err = child.communicate(timeout=remaining(20))
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
    time.sleep(0.3)
    survivors = pgrep(marker)
    report(seen and not survivors and "parent done" in out, level, "setsid-orphan",
           f"grandchild seen running: {seen}; alive after the job: {len(survivors)}")

    # 11. SIGKILL of ponder itself.
    marker = f"pp-parent-{uuid.uuid4().hex}"
    with open(path, "w") as handle:
        handle.write(sleeper(marker, 30))
    child = subprocess.Popen([ponder, "sandbox", "run", "--sandbox", level, "--wall", "60", path],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = wait_for(marker, 8)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    time.sleep(2)
    survivors = pgrep(marker)
    for pid in survivors:
        os.kill(int(pid), signal.SIGKILL)
    report(seen and not survivors, level, "sigkill-parent",
           f"sandboxed sleeper seen: {seen}; alive 2 s after kill -9 of ponder: {len(survivors)}")


def wait_for(marker, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pgrep(marker):
            return True
        time.sleep(0.05)
    return False


def main():
    global deadline
    if len(sys.argv) != 2:
        print(__doc__.strip().split("\n")[2].strip(), file=sys.stderr)
        return 2
    ponder = os.path.abspath(sys.argv[1])
    repo = os.path.dirname(os.path.realpath(ponder))
    # The first call may build the release binary.
    check = subprocess.run([ponder, "sandbox", "check"], capture_output=True, text=True, timeout=1800)
    print(check.stdout.strip(), flush=True)
    deadline = time.monotonic() + BUDGET_SECONDS
    available = [level for level in ISOLATING if f"level {level}: available" in check.stdout]
    if not available:
        report(False, "auto", "check", f"no isolating level available: {check.stdout.strip()} {check.stderr.strip()}")
        return 1
    report(check.returncode == 0, "auto", "check", f"isolating levels available: {', '.join(available)}")
    work = tempfile.mkdtemp(prefix="ponder-security-")
    try:
        for level in available + ["auto"]:
            probes(ponder, level, work, repo)
        code, out, err, final = run_program(ponder, "process", "print('hello')", work)
        warned = "WARNING" in err and "does not isolate" in err
        report(warned and out == "hello\n" and "isolation: process" in final, "process", "warning",
               err.strip().split("\n")[0] if warned else f"no warning: {err.strip()[-200:]}")
    finally:
        subprocess.run(["rm", "-rf", work])
    if time.monotonic() > deadline:
        report(False, "all", "time", f"the probes took more than {BUDGET_SECONDS} s")
    print(f"{'FAILED' if failures else 'passed'}: {failures} failing probe(s)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
