"""Run the scanning-station service: ``python serve.py`` is ``docfraud serve``.

Settings come from DOCFRAUD_* environment variables (see README, "The service").
"""

import sys

from docfraud.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
