"""What ``generate`` wrote: every file, its rows, encoding and planted faults."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class PlantedReject:
    line: int  # physical line in the file; the CSV header is line 1, the first JSONL line is 1
    kind: str  # bsn_elfproef | datum_ongeldig | waarde_onbekend | decimaal_punt | json_ongeldig


@dataclass
class FileInfo:
    rows: int  # data rows (CSV, header excluded) or lines (JSONL), planted rejects included
    encoding: str  # utf-8 | utf-8-sig | cp1252
    planted_rejects: list[PlantedReject] = field(default_factory=list)
    newline: str = "\n"
    source: str = ""  # duo | coa_tvs | gemeente | rijk | provincie
    entity: str = ""  # personen, taakstelling, dossiers, ...
    delivery: str = ""  # folder date, YYYY-MM-DD
    gemeentecode: str | None = None  # the GMxxxx folder of gemeente files


@dataclass
class Manifest:
    seed: int
    extra_gemeenten: int
    files: dict[str, FileInfo] = field(default_factory=dict)
    persons: int = 0
    identifiers: list[str] = field(default_factory=list)  # every BSN and V-nummer written
    birth_dates: list[str] = field(default_factory=list)  # every geboortedatum, as written
    planted_quality: list[dict] = field(default_factory=list)
    deliveries: dict[str, list[str]] = field(default_factory=dict)
    gemeenten: list[dict] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(f.rows for f in self.files.values())

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self, path: str | Path) -> None:
        Path(path).write_text(
            json.dumps(self.to_dict(), indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )

    @classmethod
    def from_json(cls, path: str | Path) -> Manifest:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        files = {
            k: FileInfo(**{**v, "planted_rejects": [PlantedReject(**r) for r in v["planted_rejects"]]})
            for k, v in data.pop("files").items()
        }
        return cls(files=files, **data)
