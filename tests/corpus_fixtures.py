"""Shared helpers for the bad-input corpus and the parser tests.

A :class:`Zone` is a landing zone, regie's home and a DuckDB warehouse in a
temporary directory, with a fixed test key. Corpus files (``tests/corpus``)
are copied into the landing zone at the path their name points to (the part
before the first ``_``: ``dossiers_crlf_line_endings.csv`` becomes
``gemeente/GM0363/<date>/dossiers.csv``). Every corpus test also delivers a
few good "neighbour" files (one in the same source family, for gemeente files
in the same delivery folder, and one of another family), runs ingestion over
the whole landing zone the way the DAGs do (discover, then load each file),
and checks that the neighbours loaded in full whatever happened to the bad
file.

All data is fake: BSNs start with 99 and pass the elfproef.
"""

from __future__ import annotations

import os
from pathlib import Path

from regie.ingest.landing import list_files
from regie.ingest.load import Places, load_file, new_files
from regie.pseudonym import Pseudonymiser
from regie.sources.catalog import FAMILIES
from regie.warehouse import LedgerRow, connect

CORPUS = Path(__file__).parent / "corpus"
KEY = "k" * 40
DATUM = "2024-10-31"
GM = "GM0363"

#: Fake BSNs that pass the elfproef (9*d1 + 8*d2 + ... + 2*d8 - d9 = 0 mod 11).
BSN_1, BSN_2, BSN_3, BSN_4, BSN_5 = "990000011", "990000023", "990000035", "990000047", "990000059"

#: Where a corpus file lands, by the part of its name before the first "_".
TEMPLATES = {
    "dossiers": "gemeente/{gm}/{datum}/dossiers.csv",
    "leerroutes": "gemeente/{gm}/{datum}/leerroutes.csv",
    "activiteiten": "gemeente/{gm}/{datum}/activiteiten.csv",
    "handhaving": "gemeente/{gm}/{datum}/handhaving.csv",
    "financien": "gemeente/{gm}/{datum}/financien.csv",
    "personen": "duo/{datum}/personen.jsonl",
    "taakstelling": "coa_tvs/{datum}/taakstelling.csv",
    "other": "duo/{datum}/other.csv",
    "trajecten": "begeleiding/VWN/{datum}/trajecten.csv",
}

#: Good files to deliver next to a corpus case, by bron: (path, content, rows).
NEIGHBOURS: dict[str, tuple[str, str, int]] = {
    "gemeente": (
        f"gemeente/{GM}/{DATUM}/uitkomsten.csv",
        "klantnummer;soort;datum_start;datum_eind;uren_per_week\n"
        "K1001;BETAALD_WERK;01-06-2024;;24\n"
        "K1002;VRIJWILLIGERSWERK;2024-07-01;2024-09-30;4,5\n",
        2,
    ),
    "coa_tvs": (
        f"coa_tvs/{DATUM}/koppelingen.csv",
        "v_nummer;bsn;huishouden_id;huishoudgrootte;gemeentecode;koppeldatum;status;huisvestingsdatum;"
        "woningtype;nareiziger;opvanglocatie;geboortejaar;geslacht;herkomstland\n"
        f"12345678;{BSN_4};H1;2;GM0363;01-03-2024;gehuisvest;15-04-2024;zelfstandig;N;Ter Apel;1991;M;Syrië\n"
        "12345679;;H1;2;GM0363;01-03-2024;gekoppeld;;;J;Ter Apel;2015;V;Syrië\n",
        2,
    ),
    "duo": (
        "duo/2024-09-30/personen.jsonl",
        f'{{"bsn": "{BSN_4}", "vNummer": 12345678, "gemeentecode": "0363", "wet": "Wi2021"}}\n'
        f'{{"bsn": "{BSN_5}", "gemeentecode": "0344", "wet": "Wi2013"}}\n',
        2,
    ),
    "begeleiding": (
        f"begeleiding/VWA/{DATUM}/trajecten.csv",
        "gemeentecode;bsn;v_nummer;soort;datum_start;datum_eind;status;verlengd_tot\n"
        f"GM0363;{BSN_5};;FINANCIEEL_ONTZORGEN;01-05-2024;31-10-2024;afgerond;\n",
        1,
    ),
    "rijk": (
        f"rijk/{DATUM}/spuk_beschikkingen.csv",
        "gemeentecode;jaar;regeling;soort;bedrag;datum_beschikking\nGM0363;2024;G10;VOORLOPIG;1.234.567,89;15-01-2024\n",
        1,
    ),
}


def landing_path(corpus_name: str, datum: str = DATUM, gm: str = GM) -> str:
    """The landing path a corpus file is delivered at."""
    return TEMPLATES[corpus_name.split("_", 1)[0]].format(gm=gm, datum=datum)


def raw_table(relpath: str) -> str:
    """The raw table (without schema) a landing file of a known source fills."""
    bron, name = relpath.split("/", 1)[0], relpath.rsplit("/", 1)[1]
    return f"{bron}__{name.split('.', 1)[0]}"


def corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".jsonl"))


class Zone:
    """A landing zone with its home and warehouse, and ways to look at the result."""

    def __init__(self, root: Path, key: str = KEY) -> None:
        self.places = Places(root / "landing", root / "home")
        self.places.landing.mkdir(parents=True)
        self.pseudo = Pseudonymiser(key)
        self.wh = connect(str(root / "warehouse.duckdb"))
        self.wh.ensure_schema()
        self.neighbours: list[tuple[str, str, int]] = []

    def close(self) -> None:
        self.wh.close()

    # -- delivering ---------------------------------------------------------
    def put(self, relpath: str, data: bytes | str) -> str:
        path = self.places.landing / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return relpath

    def put_corpus(self, name: str, relpath: str | None = None) -> str:
        return self.put(relpath or landing_path(name), corpus_bytes(name))

    def put_neighbours(self, case: str | None = None) -> None:
        """Good files next to the case at ``case``: one of its own bron, one of another
        (all of them without a case)."""
        if case is None:
            self.neighbours = list(NEIGHBOURS.values())
        else:
            bron = case.split("/", 1)[0]
            self.neighbours = [NEIGHBOURS[bron], NEIGHBOURS["rijk" if bron != "rijk" else "gemeente"]]
        for relpath, text, _ in self.neighbours:
            self.put(relpath, text)

    def touch_later(self, relpath: str) -> None:
        """Move the file's mtime on, as a re-write a moment later would."""
        path = self.places.landing / relpath
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))

    # -- loading ------------------------------------------------------------
    def ingest(self) -> dict[str, LedgerRow]:
        """One run over the whole landing zone, family by family, as the DAGs do."""
        out: dict[str, LedgerRow] = {}
        for family in FAMILIES:
            todo = new_files(list_files(self.places.landing, family), self.places, self.wh)
            for relpath in todo:
                out[relpath] = load_file(relpath, self.places, self.wh, self.pseudo, "test-run")
        return out

    # -- looking ------------------------------------------------------------
    def query(self, sql: str, params: tuple | list | None = None) -> list[tuple]:
        return self.wh.query(sql, params)

    def ledger(self, relpath: str) -> list[dict]:
        """Every audit.bestanden row of a path, oldest first."""
        return self.wh.query_arrow(
            "select * from audit.bestanden where path = ? order by geladen_op, versie nulls first", [relpath]
        ).to_pylist()

    def rejects(self, relpath: str, versie: int | None = None) -> dict[int, str]:
        """regelnummer -> reden from audit.afgewezen_rijen."""
        sql = "select regelnummer, reden from audit.afgewezen_rijen where path = ?"
        params: list = [relpath]
        if versie is not None:
            sql += " and versie = ?"
            params.append(versie)
        return dict(self.query(sql + " order by regelnummer", params))

    def raw(self, table: str, columns: str, relpath: str) -> list[tuple]:
        """Selected raw columns of one file's rows, in version and line order."""
        return self.query(
            f"select {columns} from raw.{table} where _bestand = ? order by _versie, _regelnummer", [relpath]
        )

    def count(self, table: str, relpath: str) -> int:
        return self.query(f"select count(*) from raw.{table} where _bestand = ?", [relpath])[0][0]

    def lines_loaded(self, table: str, relpath: str) -> list[int]:
        return [r[0] for r in self.raw(table, "_regelnummer", relpath)]

    # -- checks shared by every corpus case -------------------------------
    def assert_neighbours_loaded(self) -> None:
        """Every neighbour file loaded once, with all its rows, none rejected."""
        assert self.neighbours, "no neighbours were delivered"
        for relpath, _, rows in self.neighbours:
            (entry,) = self.ledger(relpath)
            assert (entry["status"], entry["versie"]) == ("geladen", 1), relpath
            assert (entry["rijen_in"], entry["rijen_geladen"], entry["rijen_afgewezen"]) == (rows, rows, 0)
            assert self.count(raw_table(relpath), relpath) == rows, relpath
            assert (self.places.landing / relpath).exists()

    def assert_quarantined(self, relpath: str, reason: str, original: bytes) -> None:
        """Ledger says quarantaine with this exact reason; the file moved out with a .reden.txt."""
        (entry,) = self.ledger(relpath)
        assert entry["status"] == "quarantaine"
        assert entry["reden"] == reason
        assert (entry["rijen_in"], entry["rijen_geladen"], entry["rijen_afgewezen"]) == (0, 0, 0)
        assert entry["versie"] is None
        assert not (self.places.landing / relpath).exists(), "the file must leave the landing zone"
        moved = self.places.quarantine / relpath
        assert moved.read_bytes() == original
        note = moved.with_name(moved.name + ".reden.txt")
        assert note.exists()
        assert f"Reden: {reason}\n" in note.read_text(encoding="utf-8")
        assert self.rejects(relpath) == {}
        # nothing of it reached raw
        for (table,) in self.query(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ):
            assert self.count(table, relpath) == 0, table


def corpus_bytes(name: str) -> bytes:
    return (CORPUS / name).read_bytes()
