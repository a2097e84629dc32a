"""Logging filters named in ``settings.LOGGING``."""

import logging


class OneLineWarning(logging.Filter):
    """Log a record as one warning line, without its traceback.

    For noise that says nothing about the code: a scanner sending a wrong ``Host`` header
    would otherwise write an error with a full traceback on every request.
    """

    def filter(self, record):
        record.levelno = logging.WARNING
        record.levelname = logging.getLevelName(logging.WARNING)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
