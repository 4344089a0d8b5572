"""Input problems that make a whole file unreadable."""

from __future__ import annotations


class FileRejected(Exception):
    """The file cannot be read as a whole; it goes to quarantine.

    The message is written for the person who delivered the file: what is
    wrong and, where possible, where. It never quotes identifying values.
    """
