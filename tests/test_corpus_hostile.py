"""Hostile and careless deliveries: no crash, no leak, no silent corruption.

Each case puts something an attacker or a careless deliverer could put in the
landing zone next to good neighbour files, runs ingestion over the whole zone
(as the DAGs do), and checks the exact outcome, that the ledger balances
(``rijen_in = rijen_geladen + rijen_afgewezen`` for every row) and that the
neighbours loaded. Where the case carries a secret (a BSN, a birth date, a
key), it is looked for in every place a person could read: the ledger, the
rejected rows, raw, the archive index, the quarantine's names and reasons, and
the log. All data is fake; the inputs are made here, not committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
from pathlib import Path

import pytest

import regie.ingest.load as load_module
from regie.ingest.landing import list_files
from regie.ingest.load import load_file, new_files
from regie.warehouse.duckdb_backend import DuckDBWarehouse

from corpus_fixtures import BSN_1, BSN_2, DATUM, GM, Zone
from privacy import warehouse_strings

DOSSIERS_KOP = (
    "klantnummer;bsn;woongemeente;doelgroep;wet;geslacht;geboortedatum;herkomstland;datum_dossier;"
    "datum_inschrijving_brp;datum_brede_intake;datum_leerbaarheidstoets;datum_pip;startklas;"
    "datum_uitstroom;reden_uitstroom\n"
)
ROUTES_KOP = "klantnummer;leerroute;datum_start;datum_eind;taalaanbieder;reden_wijziging\n"
ROUTES = f"gemeente/{GM}/{DATUM}/leerroutes.csv"
DOSSIERS = f"gemeente/{GM}/{DATUM}/dossiers.csv"
DUO = f"duo/{DATUM}/personen.jsonl"
KEY_TEXT = "7f3a9c0e5b1d2f4a6c8e0b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a"

LINK = (
    "dit is een koppeling (symbolische link) naar een ander bestand of een andere map; regie volgt "
    "geen koppelingen en heeft het doel niet gelezen. Zet het bestand zelf in de aanleverzone"
)
VANISHED = (
    "het bestand verdween uit de aanleverzone voordat regie het kon lezen (weggehaald of hernoemd "
    "tijdens de run); er is niets gelezen. Lever het opnieuw aan als het nog nodig is"
)
SPECIAL = (
    "dit is geen gewoon bestand (maar bijvoorbeeld een named pipe of socket); regie heeft het niet "
    "gelezen. Zet een gewoon bestand in de aanleverzone"
)
STRAY = "regel bevat tekens die geen UTF-8 zijn (de rest van het bestand is UTF-8); lever deze regel opnieuw aan in UTF-8"
BOM = "regel bevat een onzichtbaar BOM-teken (U+FEFF) midden in de gegevens"


def looks_like_bsn(column: str) -> str:
    return f"{column} bevat een nummer dat op een BSN lijkt (9 cijfers, elfproef); regie slaat het niet op"


@pytest.fixture
def zone(tmp_path):
    z = Zone(tmp_path)
    yield z
    z.close()


def counts(entry: dict) -> tuple[str, int, int, int]:
    return entry["status"], entry["rijen_in"], entry["rijen_geladen"], entry["rijen_afgewezen"]


def only(zone: Zone, path: str) -> dict:
    (entry,) = zone.ledger(path)
    return entry


def run(zone: Zone, case: str, data: bytes | str | None = None) -> None:
    """Neighbours next to ``case`` (written unless ``data`` is None), one ingestion, and the
    checks every hostile case shares."""
    zone.put_neighbours(case)
    if data is not None:
        zone.put(case, data)
    zone.ingest()
    check_shared(zone)


def check_shared(zone: Zone) -> None:
    zone.assert_neighbours_loaded()
    assert zone.query(
        "select count(*) from audit.bestanden where rijen_in <> rijen_geladen + rijen_afgewezen"
    ) == [(0,)]
    index = (zone.places.archive / "index.tsv").read_text(encoding="utf-8").splitlines()
    assert all(len(line.split("\t")) == 3 for line in index), "an index line was forged"
    assert private(zone.places.archive) and private(zone.places.quarantine)


def private(folder: Path) -> bool:
    """Every folder below 0700 and every file 0600 (a folder that does not exist is fine)."""
    if not folder.exists():
        return True
    for root, dirs, files in os.walk(folder):
        for d in [root, *(os.path.join(root, x) for x in dirs)]:
            if stat.S_IMODE(os.lstat(d).st_mode) != 0o700:
                return False
        for f in files:
            if stat.S_IMODE(os.lstat(os.path.join(root, f)).st_mode) != 0o600:
                return False
    return True


def leaks(zone: Zone, secret: str, log: str = "") -> list[str]:
    """Where ``secret`` can be read outside the archive's and quarantine's stored bytes."""
    found = [where for where, value in warehouse_strings(zone.wh) if secret in str(value)]
    home = zone.places.home
    for path in home.rglob("*"):
        rel = path.relative_to(home).as_posix()
        if secret in rel:
            found.append(f"name: {rel}")
        stored = rel.startswith("archive/sha256/") or (
            rel.startswith("quarantine/") and not rel.endswith(".reden.txt")
        )
        if path.is_file() and not stored and secret in path.read_bytes().decode("utf-8", "replace"):
            found.append(rel)
    if secret in log:
        found.append("log")
    return found


def reden_txt(zone: Zone) -> list[Path]:
    return sorted(zone.places.quarantine.rglob("*.reden.txt"))


# --- leaks --------------------------------------------------------------------------------------


def test_a_bsn_in_a_file_name_is_masked_in_ledger_index_quarantine_and_log(zone, caplog):
    caplog.set_level("INFO", logger="regie")
    case = f"gemeente/{GM}/{DATUM}/dossiers {BSN_1}.csv"
    run(zone, case, DOSSIERS_KOP)
    shown = f"gemeente/{GM}/{DATUM}/dossiers <getal>.csv"
    entry = only(zone, shown)
    assert counts(entry) == ("quarantaine", 0, 0, 0)
    assert entry["reden"] == "onbekend bestand: regie kent geen 'dossiers <getal>.csv' voor bron gemeente"
    assert (zone.places.quarantine / f"gemeente/{GM}/{DATUM}/dossiers_NNNN.csv").read_text() == DOSSIERS_KOP
    assert leaks(zone, BSN_1, caplog.text) == []
    assert not (zone.places.landing / case).exists()


def test_a_newline_in_a_file_name_cannot_forge_an_index_line(zone):
    case = f"duo/{DATUM}/personen.jsonl\n{'0' * 64}\tduo/{DATUM}/x"
    run(zone, case, '{"bsn": "990000011"}\n')
    (entry,) = zone.query("select path, status from audit.bestanden where status = 'quarantaine'")
    assert entry == (f"duo/{DATUM}/personen.jsonl?<verborgen>?duo/{DATUM}/x", "quarantaine")
    index = (zone.places.archive / "index.tsv").read_text(encoding="utf-8").splitlines()
    assert len(index) == len(zone.neighbours) + 1


def test_a_link_to_the_key_file_is_not_followed_and_the_key_is_nowhere(zone, tmp_path, caplog):
    caplog.set_level("INFO", logger="regie")
    key = tmp_path / "geheim" / "pseudoniem.key"
    key.parent.mkdir()
    key.write_text(KEY_TEXT + "\n")
    zone.put_neighbours(DOSSIERS)
    (zone.places.landing / DOSSIERS).parent.mkdir(parents=True, exist_ok=True)
    (zone.places.landing / DOSSIERS).symlink_to(key)
    zone.ingest()
    check_shared(zone)
    entry = only(zone, DOSSIERS)
    assert counts(entry) == ("quarantaine", 0, 0, 0)
    assert (entry["reden"], entry["sha256"], entry["archief"]) == (LINK, None, None)
    assert not (zone.places.landing / DOSSIERS).is_symlink(), "the link leaves the landing zone"
    assert key.read_text() == KEY_TEXT + "\n", "its target is untouched"
    assert leaks(zone, KEY_TEXT[:16], caplog.text) == []
    assert not any(
        KEY_TEXT[:16] in p.read_bytes().decode() for p in zone.places.home.rglob("*") if p.is_file()
    )
    assert [p.name for p in reden_txt(zone)] == ["dossiers.csv.reden.txt"]


@pytest.mark.parametrize(
    ("column", "row"),
    [
        ("klantnummer", f"{BSN_2};;GM0363;statushouder;Wi2021;;;Syrië;01-02-2024;;;;;;;"),
        ("herkomstland", f"K1003;;GM0363;statushouder;Wi2021;;;zie BSN {BSN_2} in brief;01-02-2024;;;;;;;"),
    ],
)
def test_a_bsn_typed_into_a_text_field_rejects_the_row_and_is_never_stored(zone, column, row):
    good = "K1001;;GM0363;statushouder;Wi2021;V;;Eritrea;01-02-2024;;;;;;;\n"
    run(zone, DOSSIERS, DOSSIERS_KOP + good + row + "\n")
    assert counts(only(zone, DOSSIERS)) == ("geladen", 2, 1, 1)
    assert zone.rejects(DOSSIERS) == {3: looks_like_bsn(column)}
    assert leaks(zone, BSN_2) == []


def test_a_bsn_in_an_extra_column_rejects_the_row(zone):
    text = (
        ROUTES_KOP.strip()
        + ";opmerking\nK1;B1;01-02-2024;;;;belt terug\nK2;B1;01-02-2024;;;;bsn "
        + BSN_2
        + "\n"
    )
    run(zone, ROUTES, text)
    assert counts(only(zone, ROUTES)) == ("geladen", 2, 1, 1)
    assert zone.rejects(ROUTES) == {3: looks_like_bsn("opmerking")}
    assert leaks(zone, BSN_2) == []


def test_a_bsn_in_a_duo_text_field_rejects_the_line(zone):
    lines = (
        f'{{"bsn": "{BSN_1}", "wet": "Wi2021"}}\n'
        f'{{"bsn": "{BSN_1[:-1]}6", "inburgeringsplicht": {{"redenGeenInburgeringsplicht": "zie {BSN_2}"}}}}\n'
    )
    run(zone, DUO, lines)
    assert counts(only(zone, DUO)) == ("geladen", 2, 1, 1)
    rejects = zone.rejects(DUO)
    assert rejects[2].endswith(looks_like_bsn("plicht_reden_geen"))
    assert leaks(zone, BSN_2) == []


# --- crashes that blocked good data ----------------------------------------------------------


def test_a_200_kb_header_line_is_quarantined(zone):
    run(zone, ROUTES, "klantnummer;" + "x" * 200_000 + "\nK1;B1\n")
    assert counts(only(zone, ROUTES)) == ("quarantaine", 0, 0, 0)
    assert only(zone, ROUTES)["reden"] == (
        "de kopregel is langer dan 65.536 tekens; regie verwacht een kopregel met kolomnamen "
        "(ontbreekt het regeleinde, of is het geen CSV-bestand?)"
    )


def test_a_50_mb_file_without_a_line_end_is_quarantined(zone):
    run(zone, ROUTES, b"K1;B1;01-02-2024;" * (50 * 1024 * 1024 // 17))
    assert only(zone, ROUTES)["status"] == "quarantaine"
    assert only(zone, ROUTES)["reden"].startswith("de kopregel is langer dan 65.536 tekens")


def test_a_line_longer_than_64_mib_is_quarantined(zone):
    run(zone, ROUTES, ROUTES_KOP + "K1;B1;01-02-2024;;;" + "x" * (65 * 1024 * 1024) + "\n")
    assert only(zone, ROUTES)["reden"] == (
        "regel 2 is langer dan 67.174.400 bytes (is het regeleinde weggevallen?); regie leest regels tot 64 MiB"
    )


def test_a_254_character_name_is_quarantined_under_a_safe_name(zone):
    name = "x" * 250 + ".csv"
    case = f"rijk/{DATUM}/{name}"
    run(zone, case, "a;b\n")
    entry = only(zone, case)
    assert entry["reden"] == f"onbekend bestand: regie kent geen '{name}' voor bron rijk"
    (note,) = reden_txt(zone)
    assert note.name == "x" * 120 + ".reden.txt"
    assert note.with_name("x" * 120).read_text() == "a;b\n"


def test_a_file_removed_after_discovery_gets_a_row_and_its_delivery_loads(zone):
    zone.put_neighbours(ROUTES)
    zone.put(ROUTES, ROUTES_KOP + "K1;B1;01-02-2024;;;\n")
    todo = []
    for family in ("gemeente", "rijk_provincie"):
        todo += new_files(list_files(zone.places.landing, family), zone.places, zone.wh)
    (zone.places.landing / ROUTES).unlink()  # gone between discovery and loading
    for rel in todo:
        load_file(rel, zone.places, zone.wh, zone.pseudo, "test-run")
    check_shared(zone)
    assert counts(only(zone, ROUTES)) == ("quarantaine", 0, 0, 0)
    assert only(zone, ROUTES)["reden"] == VANISHED
    assert reden_txt(zone) == []


# --- silent corruption -------------------------------------------------------------------------


def test_one_windows_1252_byte_in_a_utf8_file_rejects_that_row_only(zone):
    data = (ROUTES_KOP + "K1;B1;01-02-2024;;Taalhuis Australië;\n").encode() + b"K2;B1;01-02-2024;;Caf\xe9;\n"
    run(zone, ROUTES, data)
    entry = only(zone, ROUTES)
    assert counts(entry) == ("geladen", 2, 1, 1) and entry["encoding"] == "utf-8"
    assert zone.raw("gemeente__leerroutes", "taalaanbieder", ROUTES) == [("Taalhuis Australië",)]
    assert zone.rejects(ROUTES) == {3: STRAY}


def test_a_byte_order_mark_inside_a_klantnummer_rejects_the_row(zone):
    run(zone, ROUTES, ROUTES_KOP + "K1;B1;01-02-2024;;;\nK\ufeff2;B1;01-02-2024;;;\n")
    assert counts(only(zone, ROUTES)) == ("geladen", 2, 1, 1)
    assert zone.rejects(ROUTES) == {3: BOM}
    assert zone.raw("gemeente__leerroutes", "klantnummer", ROUTES) == [("K1",)]


class _SwapsWhileParsing(DuckDBWarehouse):
    """A warehouse through which we see a deliverer replace the file while regie parses it."""

    def __init__(self, path, swap) -> None:
        super().__init__(path)
        self.swap = swap

    @contextlib.contextmanager
    def released(self):
        with super().released():
            self.swap()
            yield


def test_a_file_replaced_between_hashing_and_parsing_loads_what_was_hashed(zone, tmp_path, monkeypatch):
    monkeypatch.setattr(load_module, "RELEASE_ABOVE_BYTES", 0)  # every file parsed while released
    v1 = ROUTES_KOP + "K1;B1;01-02-2024;;;\n"
    v2 = ROUTES_KOP + "K9;Z;01-03-2024;;;\nK8;Z;01-03-2024;;;\n"

    def swap():
        path = zone.places.landing / ROUTES
        if path.read_text() == v1:
            path.write_text(v2)

    zone.wh.close()
    zone.wh = _SwapsWhileParsing(tmp_path / "warehouse.duckdb", swap)
    run(zone, ROUTES, v1)
    (entry,) = zone.ledger(ROUTES)
    assert counts(entry) == ("geladen", 1, 1, 0)
    assert (zone.places.home / entry["archief"]).read_text() == v1
    assert zone.raw("gemeente__leerroutes", "klantnummer", ROUTES) == [("K1",)]
    # the new bytes stay in the landing zone and are the next version
    zone.touch_later(ROUTES)
    zone.ingest()
    assert [(e["versie"], *counts(e)) for e in zone.ledger(ROUTES)] == [
        (1, "geladen", 1, 1, 0),
        (2, "geladen", 2, 2, 0),
    ]


# --- trust in the landing zone -----------------------------------------------------------------


def test_a_link_to_a_file_outside_the_landing_zone_is_not_loaded(zone, tmp_path):
    outside = tmp_path / "elders.csv"
    outside.write_text(ROUTES_KOP + "K1;B1;01-02-2024;;;\n")
    zone.put_neighbours(ROUTES)
    (zone.places.landing / ROUTES).parent.mkdir(parents=True, exist_ok=True)
    (zone.places.landing / ROUTES).symlink_to(outside)
    zone.ingest()
    check_shared(zone)
    assert (only(zone, ROUTES)["status"], only(zone, ROUTES)["reden"]) == ("quarantaine", LINK)
    assert zone.count("gemeente__leerroutes", ROUTES) == 0
    assert outside.exists()


def test_a_linked_gemeente_folder_gets_a_ledger_row_and_is_not_entered(zone, tmp_path):
    outside = tmp_path / "andere_gemeente"
    (outside / DATUM).mkdir(parents=True)
    (outside / DATUM / "leerroutes.csv").write_text(ROUTES_KOP + "K1;B1;01-02-2024;;;\n")
    zone.put_neighbours(ROUTES)
    (zone.places.landing / "gemeente" / "GM0344").symlink_to(outside, target_is_directory=True)
    zone.ingest()
    check_shared(zone)
    assert (only(zone, "gemeente/GM0344")["status"], only(zone, "gemeente/GM0344")["reden"]) == (
        "quarantaine",
        LINK,
    )
    assert zone.query("select count(*) from audit.bestanden where path like 'gemeente/GM0344/%'") == [(0,)]
    assert (outside / DATUM / "leerroutes.csv").exists()


# --- values that are plausible but suspect -----------------------------------------------------


def test_a_10000_column_file_is_quarantined(zone):
    run(zone, ROUTES, ";".join(f"k{i}" for i in range(10_000)) + "\n" + ";" * 9_999 + "\n")
    assert (
        only(zone, ROUTES)["reden"] == "de kopregel heeft 10.000 kolommen; regie leest hooguit 500 kolommen"
    )


# --- the same bytes again --------------------------------------------------------------------


def test_the_same_bytes_under_a_later_delivery_date_load_once(zone):
    first = "coa_tvs/2024-10-31/taakstelling.csv"
    again = "coa_tvs/2024-11-01/taakstelling.csv"
    text = "gemeentecode;gemeentenaam;periode;stand_begin;taakstelling;gerealiseerd;peildatum\nGM0363;A;2024-II;1;2;3;\n"
    zone.put(first, text)
    zone.put(again, text)
    run(zone, first)
    assert counts(only(zone, first)) == ("geladen", 1, 1, 0)
    entry = only(zone, again)
    assert counts(entry) == ("duplicaat", 0, 0, 0) and entry["versie"] is None
    assert (
        entry["reden"] == f"zelfde inhoud als de levering van 31-10-2024 ({first}, versie 1); niets geladen"
    )
    assert zone.query("select count(*) from raw.coa_tvs__taakstelling") == [(1,)]


# --- more of our own ---------------------------------------------------------------------------


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(zone):
    zone.put_neighbours(ROUTES)
    (zone.places.landing / ROUTES).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(zone.places.landing / ROUTES)
    zone.ingest()
    check_shared(zone)
    assert (only(zone, ROUTES)["status"], only(zone, ROUTES)["reden"]) == ("quarantaine", SPECIAL)
    assert not (zone.places.landing / ROUTES).exists()


def test_a_dangling_link_is_refused(zone, tmp_path):
    zone.put_neighbours(ROUTES)
    (zone.places.landing / ROUTES).parent.mkdir(parents=True, exist_ok=True)
    (zone.places.landing / ROUTES).symlink_to(tmp_path / "bestaat-niet.csv")
    zone.ingest()
    check_shared(zone)
    assert (only(zone, ROUTES)["status"], only(zone, ROUTES)["reden"]) == ("quarantaine", LINK)


def test_a_link_to_another_landing_file_is_refused_and_the_file_itself_loads_once(zone):
    zone.put_neighbours(ROUTES)
    target = zone.places.landing / zone.neighbours[0][0]
    (zone.places.landing / ROUTES).symlink_to(target)
    zone.ingest()
    check_shared(zone)  # the neighbour the link points at loaded once, as itself
    assert only(zone, ROUTES)["reden"] == LINK and target.exists()


def test_a_linked_source_folder_gets_a_ledger_row(zone, tmp_path):
    (tmp_path / "prov" / DATUM).mkdir(parents=True)
    (tmp_path / "prov" / DATUM / "interventieladder.csv").write_text(
        "gemeentecode;datum;trede\nGM0363;01-01-2024;2a\n"
    )
    zone.put_neighbours(ROUTES)
    (zone.places.landing / "provincie").symlink_to(tmp_path / "prov", target_is_directory=True)
    zone.ingest()
    check_shared(zone)
    assert (only(zone, "provincie")["status"], only(zone, "provincie")["reden"]) == ("quarantaine", LINK)


def test_a_tab_in_a_gemeente_folder_name_is_masked(zone):
    case = f"gemeente/GM\t0363/{DATUM}/leerroutes.csv"
    run(zone, case, ROUTES_KOP)
    entry = only(zone, f"gemeente/GM?0363/{DATUM}/leerroutes.csv")
    assert entry["reden"] == (
        "map 'GM?0363' is geen gemeentecode (GM en 4 cijfers), zoals gemeente/GM1916/2024-10-31/dossiers.csv"
    )


def test_digits_in_a_date_folder_are_masked(zone):
    case = f"duo/{BSN_1}/personen.jsonl"
    run(zone, case, '{"bsn": "990000011"}\n')
    entry = only(zone, "duo/<getal>/personen.jsonl")
    assert entry["reden"] == "map '<getal>' is geen leverdatum (jjjj-mm-dd)"
    assert leaks(zone, BSN_1) == []


@pytest.mark.parametrize("cell", [BSN_1, "15-03-1990", KEY_TEXT])
def test_an_extra_header_cell_that_looks_like_data_is_known_by_its_position(zone, cell):
    text = ROUTES_KOP.strip() + f";{cell}\nK1;B1;01-02-2024;;;;ja\n"
    run(zone, ROUTES, text)
    entry = only(zone, ROUTES)
    assert counts(entry) == ("geladen", 1, 1, 0)
    assert (entry["extra_kolommen"], entry["reden"]) == (
        "kolom_7",
        "extra kolommen bewaard in _extra: kolom_7",
    )
    assert zone.raw("gemeente__leerroutes", "_extra", ROUTES) == [('{"kolom_7":"ja"}',)]
    assert leaks(zone, cell) == []


@pytest.mark.parametrize("value", [KEY_TEXT, "pW9x7Qz2Lm4Nv8Rt6Ys1Ab3Cd5"])
def test_a_key_or_password_in_a_code_field_is_never_quoted(zone, value):
    run(zone, ROUTES, ROUTES_KOP + f"K1;{value};01-02-2024;;;\n")
    assert zone.rejects(ROUTES) == {
        2: "leerroute '<verborgen>' is geen bekende waarde (B1, A2, OND, Z, Z-A2)"
    }
    assert leaks(zone, value[:12]) == []


def test_a_copy_of_the_key_delivered_as_a_file_is_not_repeated(zone):
    run(zone, ROUTES, KEY_TEXT + "\n")
    assert only(zone, ROUTES)["reden"] == (
        "verplichte kolom ontbreekt in de kopregel: klantnummer, leerroute, datum_start (gevonden: 1 naam die "
        "op gegevens lijkt en niet wordt herhaald (ontbreekt de kopregel?))"
    )
    assert leaks(zone, KEY_TEXT[:16]) == []


@pytest.mark.parametrize("klantnummer", ["990000012", "K9900000110", "12345678"])
def test_numbers_that_are_no_bsn_in_a_text_field_load(zone, klantnummer):
    run(zone, ROUTES, ROUTES_KOP + f"{klantnummer};B1;01-02-2024;;;\n")
    assert counts(only(zone, ROUTES)) == ("geladen", 1, 1, 0)
    assert zone.raw("gemeente__leerroutes", "klantnummer", ROUTES) == [(klantnummer,)]


def test_a_stray_byte_in_a_utf8_json_line_rejects_that_line(zone):
    data = (
        f'{{"bsn": "{BSN_1}", "doelgroep": {{"gedetailleerdeDoelgroep": "Eritreeër"}}}}\n'.encode()
        + f'{{"bsn": "{BSN_2}", "doelgroep": {{"gedetailleerdeDoelgroep": "Caf'.encode()
        + b'\xe9"}}\n'
    )
    run(zone, DUO, data)
    assert counts(only(zone, DUO)) == ("geladen", 2, 1, 1)
    assert zone.rejects(DUO) == {2: STRAY}


def test_a_second_file_pasted_below_the_first_rejects_its_header_line(zone):
    run(zone, ROUTES, ROUTES_KOP + "K1;B1;01-02-2024;;;\n\ufeff" + ROUTES_KOP + "K2;B1;01-02-2024;;;\n")
    assert counts(only(zone, ROUTES)) == ("geladen", 3, 2, 1)
    assert zone.rejects(ROUTES) == {
        3: "leerroute 'leerroute' is geen bekende waarde (B1, A2, OND, Z, Z-A2); datum_start 'datum_start' is "
        "geen geldige datum (dd-mm-jjjj); datum_eind 'datum_eind' is geen geldige datum (dd-mm-jjjj); " + BOM
    }


def test_a_stray_byte_in_the_header_of_a_utf8_file_quarantines_it(zone):
    data = b"klantnummer;leerroute;datum_start;taalaanbieder\xe9\n" + "K1;B1;01-02-2024;Curaçao\n".encode()
    run(zone, ROUTES, data)
    assert only(zone, ROUTES)["reden"] == (
        "de kopregel bevat tekens die geen UTF-8 zijn; lever het bestand geheel in UTF-8 aan"
    )


def test_a_windows_1252_file_with_a_single_high_byte_still_loads_as_windows_1252(zone):
    run(zone, ROUTES, (ROUTES_KOP + "K1;B1;01-02-2024;;Caf\xe9;\n").encode("cp1252"))
    entry = only(zone, ROUTES)
    assert counts(entry) == ("geladen", 1, 1, 0) and entry["encoding"] == "cp1252"
    assert zone.raw("gemeente__leerroutes", "taalaanbieder", ROUTES) == [("Café",)]


@pytest.mark.parametrize(("width", "status"), [(500, "geladen"), (501, "quarantaine")])
def test_at_most_500_columns(zone, width, status):
    header = ROUTES_KOP.strip().split(";") + [f"extra_{i}" for i in range(width - 6)]
    run(zone, ROUTES, ";".join(header) + "\nK1;B1;01-02-2024" + ";" * (width - 3) + "\n")
    assert only(zone, ROUTES)["status"] == status


def test_the_same_bytes_after_a_different_delivery_are_a_new_snapshot(zone):
    kop = "gemeentecode;gemeentenaam;periode;stand_begin;taakstelling;gerealiseerd\n"
    a, b = kop + "GM0363;A;2024-II;1;2;3\n", kop + "GM0363;A;2024-II;1;2;4\n"
    for datum, text in (("2024-09-30", a), ("2024-10-31", b), ("2024-11-30", a)):
        zone.put(f"coa_tvs/{datum}/taakstelling.csv", text)
    run(zone, "coa_tvs/2024-11-30/taakstelling.csv")
    assert zone.query(
        "select leverdatum, status from audit.bestanden where entiteit = 'taakstelling' order by 1"
    ) == [
        (dt.date(2024, 9, 30), "geladen"),
        (dt.date(2024, 10, 31), "geladen"),
        (dt.date(2024, 11, 30), "geladen"),
    ]


def test_the_same_bytes_from_another_gemeente_are_its_own_delivery(zone):
    text = ROUTES_KOP + "K1;B1;01-02-2024;;;\n"
    run(zone, ROUTES, text)
    other = f"gemeente/GM0344/{DATUM}/leerroutes.csv"
    zone.put(other, text)
    zone.ingest()
    assert counts(only(zone, other)) == ("geladen", 1, 1, 0)


def test_the_same_bytes_under_an_earlier_date_arriving_later_load(zone):
    text = "gemeentecode;gemeentenaam;periode;stand_begin;taakstelling;gerealiseerd\nGM0363;A;2024-II;1;2;3\n"
    run(zone, "coa_tvs/2024-11-30/taakstelling.csv", text)
    zone.put("coa_tvs/2024-10-31/taakstelling.csv", text)
    zone.ingest()
    assert counts(only(zone, "coa_tvs/2024-10-31/taakstelling.csv")) == ("geladen", 1, 1, 0)


def test_a_control_character_in_a_quoted_value_is_shown_as_a_question_mark(zone):
    run(zone, ROUTES, ROUTES_KOP + "K1;B\x0b1;01-02-2024;;;\n")
    assert zone.rejects(ROUTES) == {2: "leerroute 'B?1' is geen bekende waarde (B1, A2, OND, Z, Z-A2)"}


def test_the_same_bad_path_twice_keeps_both_in_quarantine(zone):
    case = f"rijk/{DATUM}/notities.txt"
    run(zone, case, "eerste\n")
    zone.put(case, "tweede\n")
    zone.ingest()
    check_shared(zone)
    assert [e["status"] for e in zone.ledger(case)] == ["quarantaine", "quarantaine"]
    kept = sorted(
        p.read_text() for p in (zone.places.quarantine / "rijk" / DATUM).iterdir() if "reden" not in p.name
    )
    assert kept == ["eerste\n", "tweede\n"]
    assert len(reden_txt(zone)) == 2


def test_a_bad_file_replaced_while_regie_read_it_leaves_the_new_file_for_the_next_run(
    zone, tmp_path, monkeypatch
):
    monkeypatch.setattr(load_module, "RELEASE_ABOVE_BYTES", 0)
    bad = "klantnummer,leerroute,datum_start\nK1,B1,01-02-2024\n"
    good = ROUTES_KOP + "K1;B1;01-02-2024;;;\n"

    def swap():
        path = zone.places.landing / ROUTES
        if path.read_text() == bad:
            path.write_text(good)

    zone.wh.close()
    zone.wh = _SwapsWhileParsing(tmp_path / "warehouse.duckdb", swap)
    run(zone, ROUTES, bad)
    assert only(zone, ROUTES)["status"] == "quarantaine"
    assert (zone.places.landing / ROUTES).read_text() == good, "the new file stays"
    zone.ingest()
    assert [e["status"] for e in zone.ledger(ROUTES)] == ["quarantaine", "geladen"]


def test_archive_and_quarantine_are_owner_only_even_when_they_existed_open(zone):
    for folder in (zone.places.archive, zone.places.quarantine):
        folder.mkdir(parents=True, mode=0o755)
        os.chmod(folder, 0o755)
    run(zone, f"rijk/{DATUM}/notities.txt", "x\n")
    assert stat.S_IMODE(zone.places.archive.stat().st_mode) == 0o700
    assert stat.S_IMODE(zone.places.quarantine.stat().st_mode) == 0o700
