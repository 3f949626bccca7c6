"""Retrain docfraud's models from the project's own generated data (same as ``docfraud train``).

    .venv/bin/python train.py                    # every model into models/ (~45 min on 2 cores)
    .venv/bin/python train.py --only tamper      # one model
    .venv/bin/python train.py --quick            # every model in ~1.5 min (CI), not into models/
    .venv/bin/python train.py --only fusion --labelled cases/   # with confirmed cases

Each model is evaluated on data it never saw and written to models/ with its sha256 in
models/manifest.json and a model card (<version>.md). Deterministic for a seed.
"""

import sys

from docfraud.cli import main

if __name__ == "__main__":
    sys.exit(main(["train", *sys.argv[1:]]))
