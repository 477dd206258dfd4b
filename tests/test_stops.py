"""designer.stops: the one place headless code ignores Ctrl-C and kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from designer.stops import STOPS, stops_ignored


def test_stops_are_ignored_inside_and_the_handlers_come_back():
    def mine(signum, frame):
        pass

    before = {s: signal.signal(s, mine) for s in STOPS}
    try:
        with stops_ignored():
            assert all(signal.getsignal(s) is signal.SIG_IGN for s in STOPS)
            os.kill(os.getpid(), signal.SIGINT)  # ignored: no KeyboardInterrupt, no handler call
        assert all(signal.getsignal(s) is mine for s in STOPS)
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def test_outside_the_main_thread_nothing_changes():
    seen = []

    def look():
        with stops_ignored():
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    assert seen == [signal.getsignal(signal.SIGINT)]


def test_a_worker_that_ignores_stops_outlives_ctrl_c_and_kill():
    code = (
        "import os, signal, sys, time\n"
        "from designer.stops import ignore_stops\n"
        "ignore_stops()\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "time.sleep(0.1)\n"
        "print('alive')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "alive"
