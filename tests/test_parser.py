"""Unit tests of the set-wise parser: pseudonyms, data minimisation, value rules,
header handling, privacy of reasons, and row accounting over the whole corpus."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import duckdb
import pytest

from regie.ingest.errors import FileRejected
from regie.ingest.parse import Meta, Parsed, parse_file
from regie.pseudonym import Pseudonymiser
from regie.sources.catalog import (
    COA_KOPPELINGEN,
    DUO_PERSONEN,
    GEMEENTE_DOSSIERS,
    GEMEENTE_HANDHAVING,
    GEMEENTE_LEERROUTES,
)
from regie.sources.spec import Source

from corpus_fixtures import (
    BSN_1,
    BSN_2,
    BSN_3,
    BSN_4,
    BSN_5,
    DATUM,
    GM,
    Zone,
    corpus_files,
    landing_path,
    raw_table,
)

KEY = "k" * 40
DOSSIER_HEADER = (
    "klantnummer;bsn;woongemeente;doelgroep;wet;geslacht;geboortedatum;herkomstland;datum_dossier;"
    "datum_inschrijving_brp;datum_brede_intake;datum_leerbaarheidstoets;datum_pip;startklas;"
    "datum_uitstroom;reden_uitstroom\n"
)
LEERROUTE_HEADER = "klantnummer;leerroute;datum_start;datum_eind;taalaanbieder;reden_wijziging\n"


@pytest.fixture
def zone(tmp_path):
    z = Zone(tmp_path)
    yield z
    z.close()


def parse(tmp_path: Path, source: Source, data: str | bytes, key: str = KEY) -> Parsed:
    """Parse one file without a warehouse."""
    path = tmp_path / source.filename
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    meta = Meta(f"gemeente/{GM}/{DATUM}/{source.filename}", 1, dt.date(2024, 10, 31), GM)
    return parse_file(path, source, meta, Pseudonymiser(key))


def rows(parsed: Parsed, source: Source, *columns: str) -> list[tuple]:
    table = parsed.tables[f"raw.{source.table}"]
    return list(zip(*(table.column(c).to_pylist() for c in columns), strict=True))


def rejects(parsed: Parsed) -> dict[int, str]:
    return dict(
        zip(
            parsed.rejects.column("regelnummer").to_pylist(),
            parsed.rejects.column("reden").to_pylist(),
            strict=True,
        )
    )


def dossier(klant: str, bsn: str = "", geboren: str = "", dossier: str = "01-02-2024") -> str:
    return f"{klant};{bsn};GM0363;statushouder;Wi2021;V;{geboren};Syrië;{dossier};;;;;;;\n"


# --- pseudonyms ------------------------------------------------------------------


@pytest.mark.parametrize("key", ["k" * 40, "0123456789abcdef" * 4, "sleutel-" * 13 + "éxtra"])
def test_sql_hmac_equals_python_hmac(key):
    """Keys shorter than, equal to and longer than the SHA-256 block (64 bytes)."""
    pseudo = Pseudonymiser(key)
    values = [("bsn", BSN_1), ("bsn", BSN_2), ("vnummer", "12345678"), ("vnummer", "7"), ("bsn", "")]
    con = duckdb.connect()
    con.execute("create table ids (domain varchar, value varchar)")
    con.executemany("insert into ids values (?, ?)", values)
    sql_bsn = Pseudonymiser.sql("bsn", "value")
    sql_vnr = Pseudonymiser.sql("vnummer", "value")
    got = con.execute(
        f"select case domain when 'bsn' then {sql_bsn} else {sql_vnr} end from ids order by rowid",
        pseudo.sql_params(),
    ).fetchall()
    reference = [hmac.new(key.encode(), f"{d}:{v}".encode(), hashlib.sha256).hexdigest() for d, v in values]
    assert [g for (g,) in got] == reference
    assert reference == [pseudo.pseudonym(d, v) for d, v in values]
    # the same digits as BSN and as V-nummer give different pseudonyms
    assert pseudo.pseudonym("bsn", "990000011") != pseudo.pseudonym("vnummer", "990000011")
    # NULL in, NULL out
    assert con.execute(
        f"select {Pseudonymiser.sql('bsn', 'cast(null as varchar)')}", pseudo.sql_params()
    ).fetchone() == (None,)


def test_same_person_gets_same_persoon_id_in_csv_and_duo_jsonl(zone):
    zone.put(
        f"gemeente/{GM}/{DATUM}/dossiers.csv", DOSSIER_HEADER + dossier("K1001", f" {BSN_1} ", "15-03-1990")
    )
    zone.put(
        f"coa_tvs/{DATUM}/koppelingen.csv",
        "v_nummer;bsn;huishouden_id;gemeentecode;koppeldatum;status\n"
        f"0012345678;{BSN_1};H1;GM0363;01-01-2024;gehuisvest\n",
    )
    zone.put(
        f"duo/{DATUM}/personen.jsonl",
        f'{{"bsn": "{BSN_1}", "vNummer": 12345678, "wet": "Wi2021", '
        '"examens": [{"examendatum": "2024-05-01", "onderdeel": "KNM", "niveau": "A2", "resultaat": "Geslaagd"}]}\n',
    )
    results = zone.ingest()
    assert {r.status for r in results.values()} == {"geladen"}
    persoon = zone.pseudo.pseudonym("bsn", BSN_1)
    vnummer = zone.pseudo.pseudonym("vnummer", "12345678")
    assert zone.query("select persoon_id from raw.gemeente__dossiers") == [(persoon,)]
    assert zone.query("select persoon_id, vnummer_id from raw.coa_tvs__koppelingen") == [(persoon, vnummer)]
    assert zone.query("select persoon_id, vnummer_id from raw.duo__personen") == [(persoon, vnummer)]
    assert zone.query("select persoon_id from raw.duo__examens") == [(persoon,)]
    # and the numbers themselves are nowhere in the warehouse
    assert find_anywhere(zone, [BSN_1, "12345678", "15-03-1990", "1990-03-15"]) == []


def find_anywhere(zone: Zone, secrets: list[str]) -> list[str]:
    """Every table.column in raw and audit whose text contains one of the secrets."""
    columns: dict[str, list[str]] = {}
    for schema, table, column in zone.query(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ('raw', 'audit') order by ordinal_position"
    ):
        columns.setdefault(f"{schema}.{table}", []).append(column)
    hits = []
    for table, cols in columns.items():
        text = "concat_ws(chr(31), " + ", ".join(f'cast("{c}" as varchar)' for c in cols) + ")"
        where = " or ".join(f"contains({text}, ?)" for _ in secrets)
        if zone.query(f"select count(*) from {table} where {where}", secrets)[0][0]:
            for col in cols:
                for secret in secrets:
                    sql = f'select count(*) from {table} where contains(cast("{col}" as varchar), ?)'
                    if zone.query(sql, [secret])[0][0]:
                        hits.append(f"{table}.{col} holds {secret}")
    return hits


# --- birth date: an age and a year, never the date -------------------------------


def test_birth_date_becomes_birth_year_and_whole_years_on_dossier_date(zone):
    rel = zone.put(
        f"gemeente/{GM}/{DATUM}/dossiers.csv",
        DOSSIER_HEADER
        + dossier("K1", geboren="01-02-2000", dossier="01-02-2024")  # birthday on the dossier date
        + dossier("K2", geboren="02-02-2000", dossier="01-02-2024")  # birthday the day after
        + dossier("K3", geboren="29-02-2000", dossier="28-02-2023")  # leap-day birthday, not yet
        + dossier("K4", geboren="29-02-2000", dossier="01-03-2023")
        + dossier("K5", geboren="2000-02-01", dossier="2024-01-31")  # ISO, day before
        + dossier("K6", geboren="01-02-2024", dossier="01-02-2024")  # born that day
        + dossier("K7", geboren="", dossier="01-02-2024"),
    )
    zone.ingest()
    assert zone.raw("gemeente__dossiers", "klantnummer, geboortejaar, leeftijd_bij_dossier", rel) == [
        ("K1", 2000, 24),
        ("K2", 2000, 23),
        ("K3", 2000, 22),
        ("K4", 2000, 23),
        ("K5", 2000, 23),
        ("K6", 2024, 0),
        ("K7", None, None),
    ]
    names = [
        c
        for (c,) in zone.query(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'gemeente__dossiers'"
        )
    ]
    assert "geboortedatum" not in names
    assert {"geboortejaar", "leeftijd_bij_dossier"} <= set(names)
    # no date column holds a birth date either
    date_cols = [n for n in names if n.startswith("datum_")]
    for born in (dt.date(2000, 2, 1), dt.date(2000, 2, 2), dt.date(2000, 2, 29)):
        for col in date_cols:
            assert zone.query(f"select count(*) from raw.gemeente__dossiers where {col} = ?", [born]) == [
                (0,)
            ]
    assert find_anywhere(zone, ["01-02-2000", "02-02-2000", "29-02-2000", "2000-02-01"]) == []


# --- value rules ---------------------------------------------------------------


def test_booleans_j_and_n(tmp_path):
    parsed = parse(
        tmp_path,
        GEMEENTE_HANDHAVING,
        "klantnummer;datum;maatregel;bedrag;grond;verrekend_met_bijstand\n"
        "K1;01-05-2024;BOETE;10;PIP;J\n"
        "K2;01-05-2024;BOETE;10;PIP;N\n"
        "K3;01-05-2024;BOETE;10;PIP;j\n"
        "K4;01-05-2024;BOETE;10;PIP;n\n"
        "K5;01-05-2024;BOETE;10;PIP;\n"
        "K6;01-05-2024;BOETE;10;PIP;Ja\n"
        "K7;01-05-2024;BOETE;10;PIP;1\n",
    )
    assert rows(parsed, GEMEENTE_HANDHAVING, "klantnummer", "verrekend_met_bijstand") == [
        ("K1", True),
        ("K2", False),
        ("K3", True),
        ("K4", False),
        ("K5", None),
    ]
    assert rejects(parsed) == {
        7: "verrekend_met_bijstand 'Ja' is geen J of N",
        8: "verrekend_met_bijstand '1' is geen J of N",
    }


def test_json_booleans_are_true_and_false(tmp_path):
    parsed = parse(
        tmp_path,
        DUO_PERSONEN,
        f'{{"bsn": "{BSN_1}", "inburgeringsplicht": {{"indicatorInburgeringsplicht": true}}}}\n'
        f'{{"bsn": "{BSN_2}", "inburgeringsplicht": {{"indicatorInburgeringsplicht": false}}}}\n'
        f'{{"bsn": "{BSN_3}", "inburgeringsplicht": {{"indicatorInburgeringsplicht": "J"}}}}\n',
    )
    assert rows(parsed, DUO_PERSONEN, "_regelnummer", "plicht_indicator") == [(1, True), (2, False)]
    assert rejects(parsed) == {3: "plicht_indicator 'J' is geen true of false"}


def test_dates_dd_mm_jjjj_and_iso(tmp_path):
    lines = [
        "01-02-2024",  # 2: dd-mm-jjjj
        "2024-02-01",  # 3: ISO
        "1-2-2024",  # 4: without leading zeros
        "29-02-2024",  # 5: leap day
        "31-02-2024",  # 6: no such day
        "2024-02-30",  # 7: no such day, ISO
        "2024-2-1",  # 8: ISO needs two-digit month and day
        "01/02/2024",  # 9: slashes
        "20240201",  # 10: no separators
        "01-02-1899",  # 11: before 1900
        "01-02-24",  # 12: two-digit year
    ]
    data = LEERROUTE_HEADER + "".join(f"K{i};B1;{d};;;\n" for i, d in enumerate(lines, 2))
    parsed = parse(tmp_path, GEMEENTE_LEERROUTES, data)
    assert rows(parsed, GEMEENTE_LEERROUTES, "_regelnummer", "datum_start") == [
        (2, dt.date(2024, 2, 1)),
        (3, dt.date(2024, 2, 1)),
        (4, dt.date(2024, 2, 1)),
        (5, dt.date(2024, 2, 29)),
    ]
    expected = {n: d for n, d in enumerate(lines, 2) if n >= 6}
    expected[10] = "<getal>"  # 8 digits or more are never quoted: they could be a BSN
    assert rejects(parsed) == {
        n: f"datum_start '{d}' is geen geldige datum (dd-mm-jjjj)" for n, d in expected.items()
    }


def test_json_dates_are_iso_only(tmp_path):
    parsed = parse(
        tmp_path,
        DUO_PERSONEN,
        f'{{"bsn": "{BSN_1}", "pip": {{"dagtekeningPip": "2024-03-01"}}}}\n'
        f'{{"bsn": "{BSN_2}", "pip": {{"dagtekeningPip": "01-03-2024"}}}}\n',
    )
    assert rows(parsed, DUO_PERSONEN, "pip_dagtekening") == [(dt.date(2024, 3, 1),)]
    assert rejects(parsed) == {2: "pip_dagtekening '01-03-2024' is geen geldige datum (jjjj-mm-dd)"}


def test_header_names_are_case_insensitive_and_trimmed(tmp_path):
    parsed = parse(
        tmp_path,
        GEMEENTE_LEERROUTES,
        " KlantNummer ;LEERROUTE ;  Datum_Start;DATUM_EIND\t;Taalaanbieder;reden_wijziging  \n"
        "K1;b1;01-02-2024;2024-06-30; Taalhuis ;\n",
    )
    assert (parsed.missing_columns, parsed.extra_columns) == ([], [])
    assert rows(
        parsed, GEMEENTE_LEERROUTES, "klantnummer", "leerroute", "datum_start", "datum_eind", "taalaanbieder"
    ) == [("K1", "B1", dt.date(2024, 2, 1), dt.date(2024, 6, 30), "Taalhuis")]
    assert rejects(parsed) == {}


def test_exact_reader_gives_the_same_rows_as_the_fast_path(tmp_path):
    """A blank line sends the file to the line-exact reader; values must not differ."""
    body = [dossier("K1", BSN_1, "15-03-1990"), dossier("K2", BSN_2, "2000-02-01", "2024-03-11")]
    fast = parse(tmp_path, GEMEENTE_DOSSIERS, DOSSIER_HEADER + "".join(body))
    exact = parse(tmp_path, GEMEENTE_DOSSIERS, DOSSIER_HEADER + body[0] + "\n" + body[1])
    cols = [c for c in fast.tables["raw.gemeente__dossiers"].column_names if c != "_regelnummer"]
    assert rows(fast, GEMEENTE_DOSSIERS, *cols) == rows(exact, GEMEENTE_DOSSIERS, *cols)
    assert rows(exact, GEMEENTE_DOSSIERS, "_regelnummer") == [(2,), (4,)]


def test_identifying_values_are_never_quoted_in_reasons(tmp_path):
    bad_bsns = ["990000012", "99000001", "9900000111", "99000001A", "990 000 011", "000000000x"]
    bad_births = ["31-02-1990", "1990-13-01", "15/03/1990", "15-03-90", "geboren 1990"]
    data = DOSSIER_HEADER + "".join(dossier(f"K{i}", bsn=b) for i, b in enumerate(bad_bsns))
    data += "".join(dossier(f"G{i}", bsn=BSN_3, geboren=g) for i, g in enumerate(bad_births))
    parsed = parse(tmp_path, GEMEENTE_DOSSIERS, data)
    found = rejects(parsed)
    assert len(found) == len(bad_bsns) + len(bad_births)
    assert set(found.values()) == {
        "bsn is geen geldig BSN (9 cijfers die de elfproef doorstaan)",
        "geboortedatum is geen geldige datum",
    }
    # the last rows also share one BSN: duplicates are not at stake, every line differs
    bad_vnrs = ["V12345678", "12.345.678", "1234567890123", "-5"]
    koppel = "v_nummer;bsn;huishouden_id;gemeentecode;koppeldatum;status\n" + "".join(
        f"{v};{b};H{i};GM0363;01-01-2024;gekoppeld\n"
        for i, (v, b) in enumerate(zip(bad_vnrs, bad_bsns, strict=False))
    )
    parsed = parse(tmp_path, COA_KOPPELINGEN, koppel)
    kfound = rejects(parsed)
    assert set(kfound.values()) == {
        "v_nummer is geen geldig V-nummer (alleen cijfers); "
        "bsn is geen geldig BSN (9 cijfers die de elfproef doorstaan)"
    }
    jsonl = "".join(f'{{"bsn": "{b}", "vNummer": "{v}"}}\n' for b, v in zip(bad_bsns, bad_vnrs, strict=False))
    jfound = rejects(parse(tmp_path, DUO_PERSONEN, jsonl))
    assert set(jfound.values()) == {
        "bsn is geen geldig BSN (9 cijfers die de elfproef doorstaan); "
        "vNummer is geen geldig V-nummer (alleen cijfers)"
    }
    # a shifted row carries a BSN into a column that quotes bad values: masked
    shifted = DOSSIER_HEADER + f"K1;{BSN_1};{BSN_1};statushouder;Wi2021;V;;Syrië;01-02-2024;;;;;;;\n"
    sfound = rejects(parse(tmp_path, GEMEENTE_DOSSIERS, shifted))
    assert sfound == {2: "woongemeente '<getal>' is geen gemeentecode (GM en 4 cijfers)"}
    for reason in [*found.values(), *kfound.values(), *jfound.values(), *sfound.values()]:
        for value in [*bad_bsns, *bad_births, *bad_vnrs, BSN_1]:
            assert value not in reason


def test_file_without_header_row_never_has_its_values_quoted(tmp_path):
    """The first data row is read as the header; its BSN and birth date must not reach a message."""
    row = (
        f"K1;{BSN_1};GM0363;statushouder;Wi2021;V;15-03-1990;Syrië;01-02-2024;{{}};05-02-2024;12-02-2024;J\n"
    )
    with pytest.raises(FileRejected) as missing:
        parse(tmp_path, GEMEENTE_DOSSIERS, row.format("10-01-2024"))
    assert str(missing.value) == (
        "verplichte kolom ontbreekt in de kopregel: klantnummer, woongemeente, doelgroep, wet, datum_dossier "
        "(gevonden: k1, gm0363, statushouder, wi2021, v, j, "
        "7 namen die op gegevens lijken en niet worden herhaald (ontbreekt de kopregel?))"
    )
    with pytest.raises(FileRejected) as twice:
        parse(tmp_path, GEMEENTE_DOSSIERS, row.format("15-03-1990"))
    assert str(twice.value) == (
        "de kopregel noemt een kolom twee keer: "
        "1 naam die op gegevens lijkt en niet wordt herhaald (ontbreekt de kopregel?)"
    )


# --- row accounting over the whole corpus ----------------------------------------


def test_row_accounting_and_privacy_for_every_corpus_file(zone):
    """Every corpus file in its own delivery: rijen_in = rijen_geladen + rijen_afgewezen,
    and the counts match what is in raw and in audit.afgewezen_rijen."""
    names = corpus_files()
    assert len(names) >= 30
    start = dt.date(2024, 1, 1)
    paths = {}
    for i, name in enumerate(names):
        paths[name] = zone.put_corpus(
            name, landing_path(name, datum=(start + dt.timedelta(days=i)).isoformat())
        )
    zone.put_neighbours()
    results = zone.ingest()
    assert set(results) == set(paths.values()) | {n[0] for n in zone.neighbours}
    zone.assert_neighbours_loaded()
    statuses = {}
    for name, rel in paths.items():
        (entry,) = zone.ledger(rel)
        statuses[name] = entry["status"]
        assert entry["rijen_in"] == entry["rijen_geladen"] + entry["rijen_afgewezen"], name
        table = raw_table(rel)
        if entry["status"] == "geladen":
            (n_rejects,) = zone.query(
                "select count(*) from audit.afgewezen_rijen where path = ? and versie = ?",
                [rel, entry["versie"]],
            )[0]
            assert n_rejects == entry["rijen_afgewezen"], name
            assert zone.count(table, rel) == entry["rijen_geladen"], name
        else:
            assert (entry["rijen_in"], entry["rijen_geladen"], entry["rijen_afgewezen"]) == (0, 0, 0), name
    assert sorted(set(statuses.values())) == ["geladen", "quarantaine"]
    (total,) = zone.query(
        "select count(*) = sum(case when rijen_in = rijen_geladen + rijen_afgewezen then 1 else 0 end) "
        "from audit.bestanden"
    )[0]
    assert total
    # no BSN, V-nummer or birth date of the corpus in any reason or anywhere else
    secrets = [
        BSN_1,
        BSN_2,
        BSN_3,
        BSN_4,
        BSN_5,
        "990000012",
        "99000003",
        "12345678",
        "15-03-1990",
        "1985-07-04",
    ]
    assert find_anywhere(zone, secrets) == []
