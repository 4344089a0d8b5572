"""Deterministic sample data for regie: a landing zone that tells the audit report's story.

    from regie.generate import generate, Manifest
    manifest = generate(pathlib.Path("landing"), seed=2025, gemeenten=0)
    manifest.to_json("manifest.json")

See docs/sample-data.md for what is in the data and why.
"""

from .core import generate
from .ids import elfproef
from .manifest import FileInfo, Manifest, PlantedReject

__all__ = ["generate", "Manifest", "FileInfo", "PlantedReject", "elfproef"]
