"""The bad-input corpus: every way a delivery can go wrong, and its exact outcome.

Each test delivers one corpus file (``tests/corpus``) together with good
neighbour files, runs ingestion over the whole landing zone, and checks the
ledger status, the row counts, the exact reason per rejected line or the
quarantine, and that everything else in the landing zone still loaded.
Large and binary inputs are generated here, not committed.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from corpus_fixtures import BSN_1, BSN_2, BSN_3, DATUM, GM, Zone, corpus_bytes, landing_path

DOSSIERS = "gemeente__dossiers"
LEERROUTES = "gemeente__leerroutes"


@pytest.fixture
def zone(tmp_path):
    z = Zone(tmp_path)
    yield z
    z.close()


def deliver(zone: Zone, name: str) -> str:
    """The corpus file plus the neighbours in the landing zone; one ingestion run."""
    zone.put_neighbours(landing_path(name))
    relpath = zone.put_corpus(name)
    zone.ingest()
    zone.assert_neighbours_loaded()
    return relpath


def counts(entry: dict) -> tuple[str, int, int, int]:
    return entry["status"], entry["rijen_in"], entry["rijen_geladen"], entry["rijen_afgewezen"]


def only(zone: Zone, relpath: str) -> dict:
    (entry,) = zone.ledger(relpath)
    return entry


# --- the file as a whole ---------------------------------------------------------


def test_wrong_separator_comma_is_quarantined(zone):
    rel = deliver(zone, "dossiers_wrong_separator.csv")
    zone.assert_quarantined(
        rel,
        "verkeerd scheidingsteken: de kopregel is gescheiden met komma (,); regie verwacht een puntkomma (;)",
        corpus_bytes("dossiers_wrong_separator.csv"),
    )


def test_windows_1252_without_bom_loads_with_correct_values(zone):
    rel = deliver(zone, "leerroutes_windows1252.csv")
    entry = only(zone, rel)
    assert counts(entry) == ("geladen", 2, 2, 0)
    assert entry["encoding"] == "cp1252"
    assert zone.raw(LEERROUTES, "taalaanbieder, reden_wijziging", rel) == [
        ("Taalhuis Curaçao", None),
        ("Taalschool Côte d’Ivoire", "eigen bijdrage € 1.250 – vervalt"),
    ]


def test_utf8_with_bom_loads_and_first_column_is_recognised(zone):
    rel = deliver(zone, "dossiers_utf8_bom.csv")
    entry = only(zone, rel)
    assert counts(entry) == ("geladen", 2, 2, 0)
    assert entry["encoding"] == "utf-8-sig"
    assert entry["ontbrekende_kolommen"] is None and entry["extra_kolommen"] is None
    assert zone.raw(DOSSIERS, "klantnummer, herkomstland", rel) == [("K1001", "Syrië"), ("K1002", "Eritrea")]


def test_bytes_neither_utf8_nor_cp1252_are_quarantined(zone):
    data = corpus_bytes("dossiers_undecodable_bytes.csv")
    position = data.index(b"\x81") + 1
    rel = deliver(zone, "dossiers_undecodable_bytes.csv")
    zone.assert_quarantined(
        rel,
        f"onleesbare tekens: het bestand is geen UTF-8 en geen Windows-1252 (byte {position} kan in geen van beide)",
        data,
    )


def test_utf8_bom_with_cp1252_bytes_rejects_the_rows_with_those_bytes(zone):
    """The BOM says UTF-8, one byte says Windows-1252: the file is UTF-8, the row with the
    stray byte is rejected (never the whole file re-read as Windows-1252)."""
    rel = deliver(zone, "leerroutes_utf8_bom_with_cp1252_bytes.csv")
    entry = only(zone, rel)
    assert counts(entry) == ("geladen", 1, 0, 1)
    assert entry["encoding"] == "utf-8-sig"
    assert zone.rejects(rel) == {
        2: "regel bevat tekens die geen UTF-8 zijn (de rest van het bestand is UTF-8); "
        "lever deze regel opnieuw aan in UTF-8"
    }


def test_utf16_excel_unicode_text_is_quarantined(zone):
    """Excel's "Unicode text" export is UTF-16: every other byte is NUL."""
    data = "\ufeffklantnummer;leerroute;datum_start\r\nK1001;B1;01-02-2024\r\n".encode("utf-16-le")
    rel = f"gemeente/{GM}/{DATUM}/leerroutes.csv"
    zone.put_neighbours(rel)
    zone.put(rel, data)
    zone.ingest()
    zone.assert_neighbours_loaded()
    zone.assert_quarantined(
        rel,
        "het bestand bevat binaire gegevens (NUL-tekens): is het een Excel- of ander binair bestand "
        "in plaats van tekst?",
        data,
    )


def test_truncated_last_row_without_newline_is_quarantined(zone):
    rel = deliver(zone, "dossiers_truncated_last_row.csv")
    zone.assert_quarantined(
        rel,
        "het bestand is afgebroken: de laatste regel (3) heeft 4 van de 16 velden en eindigt zonder regeleinde",
        corpus_bytes("dossiers_truncated_last_row.csv"),
    )


def test_truncated_inside_quoted_field_is_quarantined(zone):
    rel = deliver(zone, "dossiers_truncated_in_quoted_field.csv")
    zone.assert_quarantined(
        rel,
        "het bestand is afgebroken: regel 3 eindigt midden in een veld tussen aanhalingstekens",
        corpus_bytes("dossiers_truncated_in_quoted_field.csv"),
    )


def test_missing_required_column_is_quarantined_and_named(zone):
    rel = deliver(zone, "dossiers_missing_required_column.csv")
    zone.assert_quarantined(
        rel,
        "verplichte kolom ontbreekt in de kopregel: woongemeente (gevonden: klantnummer, bsn, doelgroep, wet, "
        "geslacht, geboortedatum, herkomstland, datum_dossier, datum_inschrijving_brp, datum_brede_intake, "
        "datum_leerbaarheidstoets, datum_pip, startklas, datum_uitstroom, reden_uitstroom)",
        corpus_bytes("dossiers_missing_required_column.csv"),
    )


def test_file_without_header_row_is_quarantined_without_repeating_its_values(zone):
    rel = deliver(zone, "dossiers_no_header_row.csv")
    reason = (
        "verplichte kolom ontbreekt in de kopregel: klantnummer, woongemeente, doelgroep, wet, datum_dossier "
        "(gevonden: k1001, gm0363, statushouder, wi2021, v, j, verhuisd, "
        "9 namen die op gegevens lijken en niet worden herhaald (ontbreekt de kopregel?))"
    )
    zone.assert_quarantined(rel, reason, corpus_bytes("dossiers_no_header_row.csv"))
    # the first data row held a BSN and a birth date: neither may be quoted anywhere
    note = (zone.places.quarantine / (rel + ".reden.txt")).read_text(encoding="utf-8")
    for secret in (BSN_1, "15-03-1990"):
        assert secret not in reason and secret not in note


def test_missing_optional_column_loads_and_is_reported(zone):
    rel = deliver(zone, "dossiers_missing_optional_columns.csv")
    entry = only(zone, rel)
    assert counts(entry) == ("geladen", 2, 2, 0)
    assert entry["ontbrekende_kolommen"] == "herkomstland,startklas"
    assert (
        entry["reden"] == "ontbrekende (niet verplichte) kolommen, geladen als leeg: herkomstland, startklas"
    )
    assert zone.raw(DOSSIERS, "klantnummer, herkomstland, startklas", rel) == [
        ("K1001", None, None),
        ("K1002", None, None),
    ]


def test_extra_columns_are_kept_in_extra_json_and_reported(zone):
    rel = deliver(zone, "leerroutes_extra_columns.csv")
    entry = only(zone, rel)
    assert counts(entry) == ("geladen", 2, 2, 0)
    assert entry["extra_kolommen"] == "opmerking,casemanager"
    assert entry["reden"] == "extra kolommen bewaard in _extra: opmerking, casemanager"
    rows = zone.raw(LEERROUTES, "klantnummer, _extra", rel)
    assert [(k, json.loads(e) if e else e) for k, e in rows] == [
        ("K1001", {"opmerking": "belt terug", "casemanager": "Jansen"}),
        ("K1002", None),  # no value in either extra column
    ]


def test_trailing_separator_on_every_line_loads(zone):
    # Excel writes a ';' after the last column: an unnamed extra column, not an error.
    rel = deliver(zone, "leerroutes_trailing_separator.csv")
    entry = only(zone, rel)
    assert counts(entry) == ("geladen", 2, 2, 0)
    assert entry["extra_kolommen"] == "kolom_7"
    assert zone.raw(LEERROUTES, "klantnummer, taalaanbieder, _extra", rel) == [
        ("K1001", "Taalhuis", None),  # nothing in the extra column: nothing kept
        ("K1002", "Taalschool", None),
    ]


def test_extra_column_named_like_an_internal_column_loads(zone, tmp_path):
    rel = "gemeente/GM1916/2024-10-31/leerroutes.csv"
    zone.put_neighbours(rel)
    zone.put(rel, "klantnummer;leerroute;datum_start;_regel;_eerste;_reden\nK1;B1;01-02-2024;x;y;z\n")
    zone.ingest()
    zone.assert_neighbours_loaded()
    entry = only(zone, rel)
    assert counts(entry) == ("geladen", 1, 1, 0)
    assert entry["extra_kolommen"] == "_regel,_eerste,_reden"
    assert zone.raw(LEERROUTES, "_regelnummer, _extra", rel) == [
        (2, '{"_regel":"x","_eerste":"y","_reden":"z"}')
    ]


def test_files_in_hidden_folders_are_left_alone(zone):
    zone.put_neighbours()
    hidden = zone.put("duo/.upload/personen.jsonl", '{"bsn": "999999990"}\n')
    zone.ingest()
    zone.assert_neighbours_loaded()
    assert zone.ledger(hidden) == []
    assert (zone.places.landing / hidden).exists()


def test_empty_0_byte_file_is_quarantined(zone):
    rel = deliver(zone, "leerroutes_empty_0_bytes.csv")
    zone.assert_quarantined(rel, "leeg bestand: 0 bytes, geen kopregel en geen gegevens", b"")


def test_header_only_loads_with_0_rows(zone):
    rel = deliver(zone, "leerroutes_header_only.csv")
    entry = only(zone, rel)
    assert counts(entry) == ("geladen", 0, 0, 0)
    assert entry["versie"] == 1 and entry["reden"] is None
    assert zone.count(LEERROUTES, rel) == 0


def test_file_in_unknown_place_is_quarantined(zone):
    rel = landing_path("other_unknown_file.csv")
    assert rel == f"duo/{DATUM}/other.csv"
    rel = deliver(zone, "other_unknown_file.csv")
    zone.assert_quarantined(
        rel,
        "onbekend bestand: regie kent geen 'other.csv' voor bron duo",
        corpus_bytes("other_unknown_file.csv"),
    )
    assert only(zone, rel)["bron"] == "duo" and only(zone, rel)["entiteit"] is None


def test_binary_file_renamed_csv_is_quarantined(zone):
    # what an .xlsx looks like: a zip archive, full of NUL bytes
    data = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 4
    rel = f"gemeente/{GM}/{DATUM}/dossiers.csv"
    zone.put_neighbours(rel)
    zone.put(rel, data)
    zone.ingest()
    zone.assert_neighbours_loaded()
    zone.assert_quarantined(
        rel,
        "het bestand bevat binaire gegevens (NUL-tekens): is het een Excel- of ander binair bestand "
        "in plaats van tekst?",
        data,
    )


def test_truncated_last_json_line_is_quarantined(zone):
    rel = deliver(zone, "personen_truncated_last_line.jsonl")
    zone.assert_quarantined(
        rel,
        "het bestand is afgebroken: de laatste regel (2) is geen volledige JSON en eindigt zonder regeleinde",
        corpus_bytes("personen_truncated_last_line.jsonl"),
    )


# --- rows rejected, the rest of the file loads ---------------------------------


def test_impossible_date_31_02_rejects_the_row(zone):
    rel = deliver(zone, "dossiers_impossible_date_31_02.csv")
    assert counts(only(zone, rel)) == ("geladen", 3, 2, 1)
    assert zone.rejects(rel) == {3: "datum_dossier '31-02-2024' is geen geldige datum (dd-mm-jjjj)"}
    assert zone.lines_loaded(DOSSIERS, rel) == [2, 4]


def test_decimal_point_is_rejected_decimal_comma_loads(zone):
    rel = deliver(zone, "financien_decimal_point_vs_comma.csv")
    assert counts(only(zone, rel)) == ("geladen", 4, 3, 1)
    assert zone.rejects(rel) == {
        3: "bedrag '8870.51' is geen bedrag in Nederlandse notatie (komma voor decimalen, hooguit 2, "
        "punt alleen voor duizendtallen, zoals 8.870,51)"
    }
    assert zone.raw("gemeente__financien", "_regelnummer, post, bedrag", rel) == [
        (2, "LEERROUTES", Decimal("8870.51")),
        (4, "GEMEENTEFONDS", Decimal("1250.00")),
        (5, "TOLKEN", Decimal("-12.50")),
    ]


def test_invalid_bsn_is_rejected_without_quoting_it(zone):
    rel = deliver(zone, "dossiers_invalid_bsn_elfproef.csv")
    assert counts(only(zone, rel)) == ("geladen", 4, 2, 2)
    reason = "bsn is geen geldig BSN (9 cijfers die de elfproef doorstaan)"
    rejects = zone.rejects(rel)
    assert rejects == {3: reason, 4: reason}
    for text in rejects.values():
        assert "990000012" not in text and "99000003" not in text
    # a valid BSN becomes a pseudonym, an empty one stays empty
    assert zone.raw(DOSSIERS, "_regelnummer, persoon_id", rel) == [
        (2, zone.pseudo.pseudonym("bsn", BSN_1)),
        (5, None),
    ]


def test_birth_date_after_dossier_date_is_rejected(zone):
    rel = deliver(zone, "dossiers_birth_date_after_dossier_date.csv")
    assert counts(only(zone, rel)) == ("geladen", 3, 2, 1)
    assert zone.rejects(rel) == {3: "geboortedatum ligt na datum_dossier"}
    assert zone.lines_loaded(DOSSIERS, rel) == [2, 4]


def test_unknown_code_value_is_rejected(zone):
    rel = deliver(zone, "leerroutes_unknown_code_b2.csv")
    assert counts(only(zone, rel)) == ("geladen", 3, 2, 1)
    assert zone.rejects(rel) == {3: "leerroute 'B2' is geen bekende waarde (B1, A2, OND, Z, Z-A2)"}
    # codes match case-insensitively and are stored as listed
    assert zone.raw(LEERROUTES, "_regelnummer, leerroute", rel) == [(2, "B1"), (4, "Z-A2")]


def test_bare_4_digit_gemeentecode_is_normalised(zone):
    rel = deliver(zone, "taakstelling_bare_gemeentecode.csv")
    assert counts(only(zone, rel)) == ("geladen", 3, 2, 1)
    assert zone.rejects(rel) == {4: "gemeentecode '363' is geen gemeentecode (GM en 4 cijfers)"}
    assert zone.raw("coa_tvs__taakstelling", "gemeentecode, periode, stand_begin, taakstelling", rel) == [
        ("GM0363", "2024-II", 12, 1158),
        ("GM0344", "2024-II", -3, 420),
    ]


def test_duplicate_rows_reject_every_later_copy(zone):
    rel = deliver(zone, "leerroutes_duplicate_rows.csv")
    assert counts(only(zone, rel)) == ("geladen", 5, 3, 2)
    assert zone.rejects(rel) == {
        4: "dubbele regel: gelijk aan regel 2",
        6: "dubbele regel: gelijk aan regel 2",
    }
    assert zone.lines_loaded(LEERROUTES, rel) == [2, 3, 5]


def test_rows_with_too_many_or_too_few_fields_are_rejected(zone):
    rel = deliver(zone, "leerroutes_too_many_fields.csv")
    assert counts(only(zone, rel)) == ("geladen", 4, 2, 2)
    assert zone.rejects(rel) == {
        3: "regel heeft 7 velden, de kopregel 6",
        5: "regel heeft 4 velden, de kopregel 6",
    }
    assert zone.lines_loaded(LEERROUTES, rel) == [2, 4]


def test_quoted_field_with_newline_keeps_physical_line_numbers(zone):
    rel = deliver(zone, "leerroutes_quoted_field_with_newline.csv")
    assert counts(only(zone, rel)) == ("geladen", 4, 3, 1)
    # the record on lines 2-3 is line 2; the next records are lines 4, 5, 6
    assert zone.rejects(rel) == {5: "leerroute 'B2' is geen bekende waarde (B1, A2, OND, Z, Z-A2)"}
    assert zone.raw(LEERROUTES, "_regelnummer, taalaanbieder, reden_wijziging", rel) == [
        (2, "Taalhuis", "verhuisd\nnaar Utrecht"),
        (4, "Taalhuis", None),
        (6, "Taal;huis", None),
    ]


def test_crlf_line_endings_load_without_carriage_returns(zone):
    data = corpus_bytes("dossiers_crlf_line_endings.csv")
    assert data.count(b"\r\n") == 4 and data.count(b"\n") == 4
    rel = deliver(zone, "dossiers_crlf_line_endings.csv")
    assert counts(only(zone, rel)) == ("geladen", 3, 3, 0)
    assert zone.raw(
        DOSSIERS, "_regelnummer, klantnummer, startklas, datum_uitstroom, reden_uitstroom", rel
    ) == [
        (2, "K1001", True, None, None),
        (3, "K1002", False, None, None),
        (4, "K1003", None, dt.date(2024, 9, 1), "diploma"),
    ]


def test_10_mb_free_text_field_loads(zone):
    big = "lange toelichting " * (10 * 1024 * 1024 // 18 + 1)
    big = big[: 10 * 1024 * 1024]
    text = (
        "klantnummer;leerroute;datum_start;datum_eind;taalaanbieder;reden_wijziging\n"
        f"K1001;B1;01-02-2024;;Taalhuis;{big}\n"
        "K1002;Z;15-02-2024;;;\n"
    )
    rel = f"gemeente/{GM}/{DATUM}/leerroutes.csv"
    zone.put_neighbours(rel)
    zone.put(rel, text)
    zone.ingest()
    zone.assert_neighbours_loaded()
    assert counts(only(zone, rel)) == ("geladen", 2, 2, 0)
    assert zone.raw(LEERROUTES, "_regelnummer, length(reden_wijziging), md5(reden_wijziging)", rel) == [
        (2, 10 * 1024 * 1024, zone.query("select md5(?)", [big])[0][0]),
        (3, None, None),
    ]


# --- DUO JSON lines --------------------------------------------------------------


def test_broken_json_line_is_rejected(zone):
    rel = deliver(zone, "personen_broken_json_line.jsonl")
    assert counts(only(zone, rel)) == ("geladen", 3, 2, 1)
    assert zone.rejects(rel) == {2: "regel is geen geldige JSON"}
    assert zone.raw("duo__personen", "_regelnummer, persoon_id, gemeentecode", rel) == [
        (1, zone.pseudo.pseudonym("bsn", BSN_1), "GM0363"),
        (3, zone.pseudo.pseudonym("bsn", BSN_3), None),
    ]


def test_json_line_without_bsn_is_rejected(zone):
    rel = deliver(zone, "personen_without_bsn.jsonl")
    assert counts(only(zone, rel)) == ("geladen", 3, 2, 1)
    assert zone.rejects(rel) == {2: "bsn ontbreekt (verplicht veld)"}
    assert zone.lines_loaded("duo__personen", rel) == [1, 3]


def test_json_array_instead_of_object_is_rejected(zone):
    rel = deliver(zone, "personen_array_not_object.jsonl")
    assert counts(only(zone, rel)) == ("geladen", 3, 2, 1)
    assert zone.rejects(rel) == {2: "regel is geen JSON-object"}
    assert zone.lines_loaded("duo__personen", rel) == [1, 3]
    assert BSN_2 not in zone.rejects(rel)[2]


# --- delivering again ------------------------------------------------------------


def test_same_file_twice_is_a_duplicate_and_loads_once(zone):
    rel = deliver(zone, "activiteiten_delivered_twice.csv")
    assert counts(only(zone, rel)) == ("geladen", 2, 2, 0)
    # written again with the same bytes: discovery sees a touched file, the ledger a duplicate
    zone.put_corpus("activiteiten_delivered_twice.csv")
    zone.touch_later(rel)
    second = zone.ingest()
    assert list(second) == [rel], "only the re-written file is looked at again"
    first, again = zone.ledger(rel)
    assert counts(again) == ("duplicaat", 0, 0, 0)
    assert again["versie"] == 1 and again["sha256"] == first["sha256"]
    assert again["reden"] == "zelfde inhoud als versie 1 van dit bestand; niets geladen"
    assert zone.raw("gemeente__activiteiten", "_versie, _regelnummer", rel) == [(1, 2), (1, 3)]
    assert (zone.places.landing / rel).exists()
    zone.assert_neighbours_loaded()  # and they were not loaded twice either


def test_changed_redelivery_is_version_2_and_both_versions_stay_in_raw(zone):
    rel = deliver(zone, "handhaving_first_version.csv")
    zone.put_corpus("handhaving_changed_redelivery.csv")
    zone.touch_later(rel)
    zone.ingest()
    v1, v2 = zone.ledger(rel)
    assert (v1["versie"], *counts(v1)) == (1, "geladen", 2, 2, 0)
    assert (v2["versie"], *counts(v2)) == (2, "geladen", 3, 2, 1)
    assert v2["reden"] == "nieuwe versie 2: vervangt versie 1 (andere inhoud)"
    assert v1["sha256"] != v2["sha256"]
    assert zone.rejects(rel, versie=2) == {4: "verrekend_met_bijstand 'X' is geen J of N"}
    assert zone.rejects(rel, versie=1) == {}
    assert zone.raw("gemeente__handhaving", "_versie, _regelnummer, klantnummer, bedrag", rel) == [
        (1, 2, "K1001", None),
        (1, 3, "K1002", Decimal("250.00")),
        (2, 2, "K1001", None),
        (2, 3, "K1002", Decimal("250.00")),
    ]
    zone.assert_neighbours_loaded()


def test_fixed_redelivery_after_quarantine_loads_as_version_1(zone):
    rel = deliver(zone, "dossiers_wrong_separator.csv")
    assert only(zone, rel)["status"] == "quarantaine"
    zone.put_corpus("dossiers_utf8_bom.csv", rel)
    zone.ingest()
    bad, good = zone.ledger(rel)
    assert (bad["status"], good["status"], good["versie"]) == ("quarantaine", "geladen", 1)
    assert counts(good) == ("geladen", 2, 2, 0)


# --- begeleiding: a provider's trajectories ------------------------------------------

TRAJECTEN = "begeleiding__trajecten"


def test_trajecten_rows_breaking_a_rule_are_rejected_with_their_reason(zone):
    rel = deliver(zone, "trajecten_row_errors.csv")
    assert rel == "begeleiding/VWN/2024-10-31/trajecten.csv"
    entry = only(zone, rel)
    assert counts(entry) == ("geladen", 9, 2, 7)
    # the provider is who delivered: it is the ledger's deliverer, as a gemeente is for its exports
    assert (entry["bron"], entry["entiteit"], entry["uitvoerder"]) == ("begeleiding", "trajecten", "VWN")
    assert zone.rejects(rel) == {
        4: "datum_start '31-02-2024' is geen geldige datum (dd-mm-jjjj)",
        5: "soort 'BUDGETCOACHING' is geen bekende waarde "
        "(MAATSCHAPPELIJKE_BEGELEIDING, FINANCIEEL_ONTZORGEN, OMGAAN_MET_GELD)",
        6: "status 'gestopt' is geen bekende waarde (gestart, afgerond, afgebroken, verlengd)",
        7: "gemeentecode 'GM363' is geen gemeentecode (GM en 4 cijfers)",
        8: "bsn en v_nummer zijn allebei leeg (minstens een van beide is verplicht)",
        9: "bsn is geen geldig BSN (9 cijfers die de elfproef doorstaan)",
        10: "verlengd_tot 'xx-06-2024' is geen geldige datum (dd-mm-jjjj)",
    }
    # BSN and V-nummer become pseudonyms; a person not yet in the BRP has only the V-nummer
    assert zone.raw(
        TRAJECTEN,
        "_regelnummer, _aanbieder, gemeentecode, persoon_id, vnummer_id, soort, datum_start, datum_eind, "
        "status, verlengd_tot",
        rel,
    ) == [
        (
            2,
            "VWN",
            "GM0363",
            zone.pseudo.pseudonym("bsn", BSN_1),
            None,
            "MAATSCHAPPELIJKE_BEGELEIDING",
            dt.date(2023, 3, 1),
            dt.date(2024, 8, 31),
            "afgerond",
            None,
        ),
        (
            3,
            "VWN",
            "GM0363",
            None,
            zone.pseudo.pseudonym("vnummer", "87654321"),
            "FINANCIEEL_ONTZORGEN",
            dt.date(2024, 3, 1),
            None,
            "verlengd",
            dt.date(2024, 11, 30),
        ),
    ]


def test_trajecten_without_a_required_column_are_quarantined(zone):
    rel = deliver(zone, "trajecten_missing_required_column.csv")
    zone.assert_quarantined(
        rel,
        "verplichte kolom ontbreekt in de kopregel: soort (gevonden: gemeentecode, bsn, v_nummer, "
        "datum_start, datum_eind, status, verlengd_tot)",
        corpus_bytes("trajecten_missing_required_column.csv"),
    )


@pytest.mark.parametrize(
    ("relpath", "reason"),
    [
        (
            "begeleiding/2024-10-31/trajecten.csv",
            "bestand staat niet op een plek die regie kent: begeleiding/2024-10-31/trajecten.csv (verwacht "
            "<bron>/<jjjj-mm-dd>/<bestand>, gemeente/<GMxxxx>/<jjjj-mm-dd>/<bestand> of "
            "begeleiding/<aanbieder>/<jjjj-mm-dd>/<bestand>)",
        ),
        (
            "begeleiding/vluchtelingenwerk/2024-10-31/trajecten.csv",
            "map 'vluchtelingenwerk' is geen code van een aanbieder (hoofdletters en cijfers, 2 tot 20 "
            "tekens), zoals begeleiding/VWN/2024-10-31/trajecten.csv",
        ),
        ("begeleiding/VWN/31-10-2024/trajecten.csv", "map '31-10-2024' is geen leverdatum (jjjj-mm-dd)"),
        (
            "begeleiding/VWN/2024-10-31/dossiers.csv",
            "onbekend bestand: regie kent geen 'dossiers.csv' voor bron begeleiding",
        ),
    ],
)
def test_trajecten_in_the_wrong_place_are_quarantined(zone, relpath, reason):
    zone.put_neighbours("begeleiding/VWN/2024-10-31/trajecten.csv")
    data = corpus_bytes("trajecten_row_errors.csv")
    zone.put(relpath, data)
    zone.ingest()
    zone.assert_neighbours_loaded()
    zone.assert_quarantined(relpath, reason, data)
