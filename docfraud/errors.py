"""The error tree. Every error carries a stable ``code`` that tools and tests rely on.

A forged document is data (findings), not an exception: these errors are for input docfraud
cannot analyse, missing dependencies and bad configuration.
"""

from __future__ import annotations


class DocfraudError(Exception):
    """Base error with a stable code, an HTTP status and a CLI exit code."""

    http_status: int = 500
    exit_code: int = 1

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class InputError(DocfraudError):
    """The input cannot be analysed: empty, truncated, corrupt, unsupported or over a limit."""

    http_status = 422
    exit_code = 2


class DependencyError(DocfraudError):
    """A required external component (tesseract, a model artifact) is missing or broken."""

    http_status = 503
    exit_code = 3


class ConfigError(DocfraudError):
    """The configuration is invalid."""

    http_status = 500
    exit_code = 4


# Stable input error codes (docs/findings.md lists them with their meaning).
INPUT_EMPTY = "INPUT.EMPTY"
INPUT_UNREADABLE = "INPUT.UNREADABLE"
INPUT_TRUNCATED = "INPUT.TRUNCATED"
INPUT_UNSUPPORTED_TYPE = "INPUT.UNSUPPORTED_TYPE"
INPUT_TOO_LARGE = "INPUT.TOO_LARGE"
INPUT_TOO_MANY_PIXELS = "INPUT.TOO_MANY_PIXELS"
INPUT_TOO_MANY_PAGES = "INPUT.TOO_MANY_PAGES"
INPUT_NOT_FOUND = "INPUT.NOT_FOUND"
DEP_TESSERACT_MISSING = "DEP.TESSERACT_MISSING"
CONFIG_INVALID = "CONFIG.INVALID"
CONFIG_OUTPUT_UNWRITABLE = "CONFIG.OUTPUT_UNWRITABLE"
CONFIG_CALIBRATION_INVALID = "CONFIG.CALIBRATION_INVALID"
CONFIG_LABELS_INVALID = "CONFIG.LABELS_INVALID"
INPUT_DECODE_TIMEOUT = "INPUT.DECODE_TIMEOUT"
