"""Run one child process with a wall-clock limit and capture its output line by line.

Used by scripts/grade, scripts/stress and scripts/handout. The child runs in a session of its own
(its own process group), so when it hangs the whole group is killed with SIGKILL, and when it exits
any stray processes it left in its group are killed too. stdout and stderr are read through
separate pipes and cut into whole lines per stream, so a log line on stderr can never split a
result line on stdout (which happens when both are redirected to one file and stdout is buffered).
"""

import collections
import os
import selectors
import signal
import subprocess
import threading
import time

# After the child exits, how long to keep reading pipes that someone outside its group still holds.
_DRAIN_AFTER_EXIT_S = 2.0
# A "line" longer than this is cut, so a child printing without newlines cannot exhaust memory.
_MAX_LINE_BYTES = 64 * 1024


class RunResult:
    """What happened to one child process.

    returncode: as subprocess (negative = killed by that signal), timed_out: killed by us at the
    limit, wall_s: seconds from start to exit, tail: the last lines of stdout+stderr merged in
    arrival order (each whole).
    """

    def __init__(self, returncode, timed_out, wall_s, tail):
        self.returncode = returncode
        self.timed_out = timed_out
        self.wall_s = wall_s
        self.tail = tail

    @property
    def signal_name(self):
        """'SIGSEGV' when the child died of a signal (also for a shell's 128+N), else None."""
        code = self.returncode
        if code is None:
            return None
        if code < 0:
            return signal_name(-code)
        if code > 128 and code - 128 < 65:
            return signal_name(code - 128)
        return None


def signal_name(num):
    """The conventional name of signal number num ('SIGSEGV'), or 'signal N'."""
    try:
        return signal.Signals(num).name
    except ValueError:
        return "signal %d" % num


_live_lock = threading.Lock()
_live = set()  # process group ids of children still running
_stopping = False  # set by kill_all: run() starts nothing more


class Interrupted(Exception):
    """run() was called after kill_all()."""


def kill_all():
    """Kills the process groups of every child still running and makes later run() calls raise
    Interrupted (for Ctrl-C: children are in sessions of their own, so the terminal's SIGINT
    does not reach them)."""
    global _stopping
    with _live_lock:
        _stopping = True
        groups = list(_live)
    for pgid in groups:
        _kill_group(pgid)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt()


def install_signal_handlers():
    """Makes SIGTERM and SIGHUP raise KeyboardInterrupt in the main thread, like SIGINT, so the
    caller's cleanup (kill_all) runs. Call from the main thread."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_interrupt)


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _exited_unreaped(pid):
    """True when process pid has exited; leaves it a zombie, so its group id stays reserved."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def run(cmd, timeout_s, cwd=None, env=None, on_line=None, log_file=None, tail_lines=200):
    """Runs cmd (a list) with stdin closed and returns a RunResult.

    timeout_s: wall-clock limit in seconds; at the limit the child's whole process group gets
    SIGKILL and the result has timed_out=True. on_line(stream, text) is called for every complete
    line ('stdout' or 'stderr', text without the newline). log_file: an open text file that
    receives every line as it arrives. tail_lines: how many merged lines RunResult.tail keeps.
    """
    start = time.monotonic()
    with _live_lock:
        if _stopping:
            raise Interrupted("interrupted")
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        _live.add(proc.pid)
    tail = collections.deque(maxlen=tail_lines)
    partial = {}
    names = {}
    sel = selectors.DefaultSelector()
    for stream, name in ((proc.stdout, "stdout"), (proc.stderr, "stderr")):
        fd = stream.fileno()
        os.set_blocking(fd, False)
        sel.register(fd, selectors.EVENT_READ)
        partial[fd] = b""
        names[fd] = name

    def emit(fd, raw):
        text = raw.decode("utf-8", errors="replace").rstrip("\r")
        tail.append(text)
        if log_file is not None:
            log_file.write(text + "\n")
        if on_line is not None:
            on_line(names[fd], text)

    deadline = start + timeout_s
    timed_out = False
    exited_at = None
    while sel.get_map():
        now = time.monotonic()
        if exited_at is None and _exited_unreaped(proc.pid):
            exited_at = now
            _kill_group(proc.pid)  # stray children of a finished driver
        if exited_at is None and now >= deadline:
            timed_out = True
            _kill_group(proc.pid)
            exited_at = now
        if exited_at is not None and now - exited_at > _DRAIN_AFTER_EXIT_S:
            break
        wait_s = 0.2 if exited_at is not None else max(0.0, min(0.2, deadline - now))
        for key, _ in sel.select(wait_s):
            fd = key.fd
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            if not data:
                sel.unregister(fd)
                if partial[fd]:
                    emit(fd, partial[fd])
                    partial[fd] = b""
                continue
            buf = partial[fd] + data
            lines = buf.split(b"\n")
            partial[fd] = lines.pop()
            for raw in lines:
                emit(fd, raw)
            if len(partial[fd]) > _MAX_LINE_BYTES:
                emit(fd, partial[fd])
                partial[fd] = b""
    for fd in list(sel.get_map()):
        sel.unregister(fd)
        if partial[fd]:
            emit(fd, partial[fd])
    sel.close()
    proc.stdout.close()
    proc.stderr.close()
    # Both pipes closed: wait for the exit itself, still within the limit.
    while exited_at is None:
        if _exited_unreaped(proc.pid):
            exited_at = time.monotonic()
        elif time.monotonic() >= deadline:
            timed_out = True
            exited_at = time.monotonic()
        else:
            time.sleep(0.02)
    _kill_group(proc.pid)
    with _live_lock:
        _live.discard(proc.pid)
    returncode = proc.wait()
    wall_s = exited_at - start
    return RunResult(returncode, timed_out, wall_s, list(tail))
