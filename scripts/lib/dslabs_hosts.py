"""Spreading a driver's seeds over machines with GNU parallel (scripts/stress --hosts).

The driver is copied into a fresh staging directory, /tmp/dslabs-stress-<uid>-<random>/, and
GNU parallel (Debian's `parallel`) ships that copy to every remote host at the same path
(--basefile; removed again by --cleanup) and runs one job per seed there:
    cd <staging dir> && exec env GTEST_COLOR=no ./<driver> --net=N --seed=S [filter] [args]
Hosts are parallel's: `--hosts :` is this machine; `--hosts FILE` is an --sshloginfile (one
login per line, `8/user@host` gives host 8 job slots, `:` is this machine). Remote hosts need
password-less ssh, rsync, /tmp, and the same Debian packages as this machine (the driver links
libevent, yaml-cpp and boost-context dynamically: scripts/install-deps). Each job's output comes
back through parallel (--results) and its exit through the job log; a job over the time limit
is killed (--timeout). Hosts that do not answer ssh at the start are left out (--filter-hosts);
one lost during the night fails its running seeds with exit 255. HTML reports are not brought back (replay the seed here to get them).
"""

import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import time

import dslabs_proc

POLL_S = 0.5


class HostsError(Exception):
    """parallel is missing, or it did not run every seed."""


def logins(hosts):
    """The sshlogins of --hosts (':' or a file), comments and blank lines left out."""
    if hosts == ":":
        return [":"]
    try:
        with open(hosts, encoding="utf-8") as f:
            lines = [line.split("#", 1)[0].strip() for line in f]
    except OSError as e:
        raise HostsError("cannot read the hosts file %s: %s" % (hosts, e))
    found = [line for line in lines if line]
    if not found:
        raise HostsError("the hosts file %s names no host" % hosts)
    return found


def has_remote(hosts):
    """True when a login is not this machine (':' with or without a slot count)."""
    return any(login.split("/")[-1] != ":" for login in logins(hosts))


def stage(driver):
    """Copies driver into a new staging dir; returns the staged path."""
    tmp = tempfile.mkdtemp(prefix="dslabs-stress-%d-" % os.getuid(), dir="/tmp")
    staged = os.path.join(tmp, os.path.basename(driver))
    shutil.copy2(driver, staged)
    return staged


def job_command(staged, driver_args):
    """The shell command of one job; parallel replaces {} by the seed."""
    quoted = " ".join(shlex.quote(a) for a in driver_args)
    return "cd %s && exec env GTEST_COLOR=no ./%s %s" % (
        shlex.quote(os.path.dirname(staged)), shlex.quote(os.path.basename(staged)), quoted)


def parallel_command(hosts, jobs, limit_s, staged, joblog, results, driver_args):
    """The GNU parallel command line that runs one job per seed read from stdin."""
    if shutil.which("parallel") is None:
        raise HostsError("GNU parallel is not installed (Debian package `parallel`: "
                         "scripts/install-deps)")
    cmd = ["parallel", "--will-cite", "--joblog", joblog, "--results", results + "/",
           "--timeout", "%d" % max(1, int(limit_s + 0.999)), "-j", str(jobs or "100%")]
    cmd += ["-S", ":"] if hosts == ":" else ["--sshloginfile", hosts]
    if has_remote(hosts):  # unreachable hosts dropped first, so they fail no seed
        cmd += ["--filter-hosts", "--basefile", staged, "--cleanup"]
    return cmd + [job_command(staged, driver_args)]


def _read_job(results, seed):
    """(stdout lines, stderr lines) of the job of seed."""
    out = []
    for stream in ("stdout", "stderr"):
        path = os.path.join(results, "1", str(seed), stream)
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                out.append(f.read().splitlines())
        except OSError:
            out.append([])
    return out


def _finished(joblog, seen):
    """New (seq, host, runtime, exitval, signal, seed) entries of parallel's job log."""
    try:
        with open(joblog, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")[1:-1]  # header; an unfinished last line
    except OSError:
        return []
    new = []
    for line in lines:
        cols = line.split("\t")
        if len(cols) < 9 or cols[0] in seen:
            continue
        seen.add(cols[0])
        seed = int(cols[8].split("--seed=", 1)[1].split()[0].strip("'"))
        new.append((cols[1], float(cols[3]), int(cols[6]), int(cols[7]), seed))
    return new


def run_seeds(driver, driver_args, seeds, hosts, jobs, limit_s, on_done):
    """Runs driver_args (with {} for the seed) once per seed over hosts.

    on_done(seed, host, stdout lines, stderr lines, RunResult) is called as each job ends,
    with the staged driver's path in the output replaced by driver. Raises HostsError when
    parallel fails or leaves seeds unrun; KeyboardInterrupt stops parallel and its jobs.
    """
    logins(hosts)  # a bad hosts file fails before anything is staged
    staged = stage(driver)
    work = tempfile.mkdtemp(prefix="dslabs-stress-parallel-")
    joblog, results = os.path.join(work, "joblog"), os.path.join(work, "results")
    done, seen = set(), set()
    err_path = os.path.join(work, "stderr")
    try:
        cmd = parallel_command(hosts, jobs, limit_s, staged, joblog, results, driver_args)
        with open(err_path, "w") as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=err, start_new_session=True,
                                    universal_newlines=True)
            try:
                proc.stdin.write("".join("%d\n" % s for s in seeds))
                proc.stdin.close()
                while True:
                    exited = proc.poll() is not None
                    for host, runtime, exitval, sig, seed in _finished(joblog, seen):
                        out, errs = _read_job(results, seed)
                        fix = [line.replace(staged, driver)
                               .replace("./" + os.path.basename(staged), driver) for line in out]
                        code = -sig if sig else exitval
                        res = dslabs_proc.RunResult(code, exitval == -1 and sig != 0,
                                                    runtime, (fix + errs)[-1:])
                        done.add(seed)
                        on_done(seed, host, fix, errs, res)
                    if exited:
                        break
                    time.sleep(POLL_S)
            except BaseException:
                _stop(proc)
                raise
        if len(done) != len(seeds):
            with open(err_path, errors="replace") as f:
                tail = f.read().strip().splitlines()[-15:]
            raise HostsError("parallel exited %d with %d of %d seeds run:\n%s" % (
                proc.returncode, len(done), len(seeds), "\n".join(tail)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(os.path.dirname(staged), ignore_errors=True)


def _stop(proc):
    """Stops parallel and its local jobs (its process group): TERM, then KILL."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=3)
            return
        except subprocess.TimeoutExpired:
            continue
