"""How a run ends: the exit statuses, and the exceptions that stop a run.

    0  ok
    1  the data or the page has a problem, or the run could not finish: nothing was published
    2  a usage error: a bad option, value or setting, a file that cannot be read, a folder that cannot be used

The command line turns each into one line on stderr and its status, in one place.
"""

from __future__ import annotations

import signal

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
PROG = "feedgen-unodc"


class Failure(Exception):
    """A run that cannot go on: the one line to print on stderr, and the exit status."""

    def __init__(self, line: str, code: int) -> None:
        super().__init__(line)
        self.line = line
        self.code = code


class Stopped(Exception):
    """The run was told to stop (SIGTERM, SIGHUP): it ends as a failure does, removing what it was writing."""

    def __init__(self, signum: int) -> None:
        self.name = signal.Signals(signum).name
        super().__init__(self.name)
