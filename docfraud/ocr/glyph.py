"""GlyphRecognizer: classify each fixed-pitch MRZ cell with the trained GlyphNet (torch)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch

from docfraud.artifacts import DEFAULT_MODELS_DIR, verified_path
from docfraud.mrz.locate import MrzLine
from docfraud.ocr.cells import extract_cells
from docfraud.ocr.glyphnet import GlyphNet, GlyphNetConfig, for_inference
from docfraud.ocr.recognizer import LineReading

ARTIFACT_NAME = "mrz_glyphnet"
TOP_K = 3


class GlyphRecognizer:
    def __init__(self, net: GlyphNet, labels: str, version: str) -> None:
        self._net = for_inference(net)
        self._labels = labels
        self._version = version

    @classmethod
    def load(cls, models_dir: Path = DEFAULT_MODELS_DIR) -> GlyphRecognizer:
        """Load the hash-checked artifact (``weights_only=True``: no unpickling of code)."""
        path, entry = verified_path(ARTIFACT_NAME, models_dir)
        net_cfg = dict(entry.get("net", {}))
        c1, c2, c3 = (int(c) for c in net_cfg["channels"])
        config = GlyphNetConfig(channels=(c1, c2, c3), classes=int(net_cfg["classes"]))
        net = GlyphNet(config)
        net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        return cls(net, str(entry["labels"]), str(entry["version"]))

    @property
    def version(self) -> str:
        return self._version

    @property
    def reads_cells(self) -> bool:
        return True

    def probabilities(
        self, gray: npt.NDArray[np.uint8], lines: Sequence[MrzLine], count: int, margin: int = 0
    ) -> npt.NDArray[np.float32]:
        """(lines, count + 2·margin, 37) class probabilities for every cell."""
        cells = np.concatenate([extract_cells(gray, line, count, margin) for line in lines])
        with torch.inference_mode():
            batch = torch.from_numpy(cells).unsqueeze(1)
            logits = self._net(batch.contiguous(memory_format=torch.channels_last))
            probs = torch.softmax(logits, dim=1).numpy()
        return probs.reshape(len(lines), count + 2 * margin, -1).astype(np.float32)

    def read_lines(
        self, gray: npt.NDArray[np.uint8], lines: Sequence[MrzLine], count: int, margin: int = 0
    ) -> tuple[LineReading, ...]:
        probs = self.probabilities(gray, lines, count, margin)
        return tuple(self._to_reading(p) for p in probs)

    def _to_reading(self, probs: npt.NDArray[np.float32]) -> LineReading:
        """The best ``TOP_K`` characters of each cell, their probabilities rounded to 4 places
        (in one numpy call each: this runs on every line of every candidate read)."""
        order = np.argsort(-probs, axis=1)[:, :TOP_K]
        top = np.round(np.take_along_axis(probs, order, axis=1).astype(np.float64), 4).tolist()
        chars = [[self._labels[i] for i in row] for row in order.tolist()]
        text = "".join(row[0] for row in chars)
        conf = tuple(row[0] for row in top)
        alts = tuple(tuple(zip(c, p, strict=True)) for c, p in zip(chars, top, strict=True))
        return LineReading(text, conf, alts)
