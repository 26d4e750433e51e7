"""A long parse in a worker thread lets the event loop in between its pieces.

CPython's interpreter lock: a thread that wants it waits up to the switch
interval (5 ms) before the holder is made to let go. The event loop lets go
of it at each of its steps (it polls for I/O even when it does not wait),
so a worker busy without a pause makes every step of the loop wait again:
a task sleeping 1 ms woke 10-20 ms late while a 60 KB Wiwiz log was read
(benchmarks/history.py). A worker that sleeps a moment between pieces
hands the lock over at once, and the loop's steps go on.
"""

from __future__ import annotations

import time
from typing import Final

# How long a worker lets go of the lock between two pieces of a long parse:
# long enough for the loop's thread to wake and take it.
PAUSE: Final = 0.0005


def let_the_loop_in() -> None:
    """From a worker thread, between two pieces of work: the loop takes a turn."""
    time.sleep(PAUSE)
