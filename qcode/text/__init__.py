"""Text handling: normalisation, offsets, grapheme boundaries and segmentation into units."""

from qcode.text.normalize import normalize, text_hash

__all__ = ["normalize", "text_hash"]
