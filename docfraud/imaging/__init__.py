"""Image handling: safe ingestion (:mod:`.load`), frame geometry (:mod:`.geometry`).

Submodules are imported explicitly (``from docfraud.imaging.load import load_path``) so that
geometry users do not pay for the decoders.
"""
