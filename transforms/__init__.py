"""Pure-Python extraction: documents -> report metadata and canonical indicator values.

`transforms.extract(doc)` parses one SourceDocument into a ParsedReport (see
transforms/README.md). The name is both the function and its module: `extract.extract`
points back to the function, so `transforms.extract.extract(doc)` works as well.
"""

from transforms.extract import extract

extract.extract = extract  # type: ignore[attr-defined]

__all__ = ["extract"]
