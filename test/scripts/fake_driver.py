#!/usr/bin/env python3
"""A stand-in graded test driver for the tests of scripts/grade and scripts/stress.

It speaks the driver protocol (--list, [PASS]/[FAIL] lines, replay lines, Score and closing
line, --net/--seed/--gtest_filter) with four tests: Toy.Pass passes, Toy.Fail fails, Toy.Crash
prints 30 log lines then kills itself with SIGSEGV, Toy.Hang starts a child process (its pid is
written to $FAKE_DRIVER_PIDFILE when set) and sleeps forever. With $FAKE_DRIVER_FLAKY set it
also has Toy.Flaky, which fails when the seed is a multiple of 3. With $FAKE_DRIVER_REPORT_DIR
set, a failing test writes an HTML report there and names it in its failure, as the kv tests do
with their linearizability reports.
"""

import os
import re
import signal
import subprocess
import sys
import time

# gtest name, part, test name, points, virtual budget ms
TESTS = [("Toy.Pass", "A", "Passes", 5, 1000),
         ("Toy.Fail", "A", "Fails", 10, 2000),
         ("Toy.Crash", "B", "Crashes", 7, 1000),
         ("Toy.Hang", "B", "Hangs", 3, 500)]
if os.environ.get("FAKE_DRIVER_FLAKY"):
    TESTS.append(("Toy.Flaky", "C", "Flaky", 4, 1000))


def matches(gtest_filter, name):
    positive, _, negative = gtest_filter.partition("-")

    def any_match(patterns):
        for p in patterns.split(":"):
            if p and re.fullmatch(re.escape(p).replace(r"\*", ".*").replace(r"\?", "."), name):
                return True
        return False
    return (not positive or any_match(positive)) and not any_match(negative)


def main():
    opts = {"net": "sim", "seed": None, "gtest_filter": "*"}
    listing = False
    for arg in sys.argv[1:]:
        if arg == "--list":
            listing = True
        elif arg.startswith("--") and "=" in arg:
            key, value = arg[2:].split("=", 1)
            opts[key] = value
    if listing:
        for full, part, name, points, budget in TESTS:
            print("\t".join([full, "toy", part, name, str(points), str(budget)]))
        return 0
    seed = int(opts["seed"]) if opts["seed"] is not None else int.from_bytes(os.urandom(3), "big")
    print("fake driver: net %s, seed %d" % (opts["net"], seed), flush=True)
    earned = total = passed = failed = 0
    for full, part, name, points, _ in TESTS:
        if not matches(opts["gtest_filter"], full):
            continue
        print("[ RUN      ] %s" % full, flush=True)
        ok = True
        if full == "Toy.Crash":
            for i in range(30):
                print("[%d] [INFO] [n%d] log line %d" % (i * 1000, i % 3, i), file=sys.stderr,
                      flush=True)
            os.kill(os.getpid(), signal.SIGSEGV)
        elif full == "Toy.Hang":
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1000)"])
            pidfile = os.environ.get("FAKE_DRIVER_PIDFILE")
            if pidfile:
                with open(pidfile, "w") as f:
                    f.write(str(child.pid))
            print("waiting for a leader that never comes", file=sys.stderr, flush=True)
            while True:
                time.sleep(1000)
        elif full == "Toy.Fail" or (full == "Toy.Flaky" and seed % 3 == 0):
            ok = False
        total += points
        got = points if ok else 0
        earned += got
        line = "[%s] toy/%s %s  %d/%d pts  virt 0.100s  wall 0.001s  rpcs 3  seed %d" % (
            "PASS" if ok else "FAIL", part, name, got, points, seed)
        print(line)
        if ok:
            passed += 1
            print("[       OK ] %s (1 ms)" % full)
        else:
            failed += 1
            print("       expected 1 == 2 (fake_driver.py:%d)" % (70 + len(name)))
            report_dir = os.environ.get("FAKE_DRIVER_REPORT_DIR")
            if report_dir:
                report = os.path.join(report_dir, "lin-%s-%s-seed%d.html" % (full, opts["net"],
                                                                             seed))
                with open(report, "w") as f:
                    f.write("<!DOCTYPE html>\n")
                print("       history, failure and faults drawn in: %s" % report)
            print("       replay: %s --net=%s --seed=%d --gtest_filter=%s" % (
                sys.argv[0], opts["net"], seed, full))
            print("[  FAILED  ] %s (1 ms)" % full)
        sys.stdout.flush()
    print("Score: %d/%d points" % (earned, total))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
