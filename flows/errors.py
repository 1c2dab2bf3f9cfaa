"""The project's error base: every expected failure is a JatsflowError with a one-line message.

The CLI catches JatsflowError and prints its message instead of a traceback; anything else is a bug.
"""


class JatsflowError(Exception):
    """An expected failure (bad input, refused input, missing tool) with a one-line message."""


class UsageError(JatsflowError):
    """An option or argument that cannot work (a negative limit, no such port): exit code 2."""
