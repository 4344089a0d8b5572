"""Every rule the checks share with the marts is defined once.

The registration checks judge the dbt models ``kwaliteit.*``
(``dbt_project/models/kwaliteit/``), built from staging with the macros and seeds
of the marts. These tests fail when a rule gets a second definition:

- the route in force: the checks' ``personen_leerroute`` against
  ``int_leerroute_op_peildatum``, row by row, on a landing zone where the two
  readings that were once in use (earliest open route, latest started route) differ;
- the doelgroep: the checks' against the marts' (``int_dossiers``), per klant;
- the delivery choice: no Python module of the checks selects deliveries from the
  ledger; the check models read staging's choice (``stg_audit__bestanden``);
- legal terms and code mappings: no Python module of the checks (nor a model outside
  the seed) types a number of seed ``ref_normen``, a DUO route or a doelgroep mapping;
  lists that Python and SQL both need are held equal here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from regie import normen
from regie.config import Settings
from regie.ingest.landing import EARLIEST_LEVERDATUM
from regie.quality import gegevens
from regie.quality.catalogus import load_checks
from regie.sources.catalog import SOURCES
from regie.transform import run_dbt
from regie.transform.project import project_dir
from regie.warehouse import connect

from conftest import TEST_KEY
from quality_support import PEILDATUM, ingest, scenario

ROOT = Path(__file__).resolve().parents[1]
QUALITY = ROOT / "src" / "regie" / "quality"
PROJECT = project_dir()
MODELS = PROJECT / "models"


# --- on data: the checks' rules against the marts' ------------------------------------


@pytest.fixture(scope="module")
def gebouwd(tmp_path_factory):
    """The checks' scenario, ingested; the candidate check tables and the intermediate models
    that define the route in force and the doelgroep, built from the same staging."""
    root = tmp_path_factory.mktemp("definities")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
        mp.delenv("REGIE_PSEUDONIEM_SLEUTEL_BESTAND", raising=False)
        scenario(root / "landing")
        ingest(root / "landing", root / "home", root / "wh.duckdb")
    settings = Settings.resolve(
        {"warehouse": str(root / "wh.duckdb"), "home": str(root / "home"), "peildatum": PEILDATUM}
    )
    result = run_dbt(
        settings,
        [
            "build",
            "--select",
            "+kwaliteit",
            "+int_leerroute_op_peildatum",
            "+int_dossiers",
            "--exclude-resource-type",
            "test",
            "--exclude-resource-type",
            "unit_test",
        ],  # fmt: skip
        extra_vars={"kwaliteit_keuze": "kandidaat"},
        target_path=settings.home / "dbt" / "target_definities",
    )
    assert result.ok, result.output[-3000:]
    return settings


def test_the_checks_route_in_force_is_the_marts_route_in_force(gebouwd):
    """Per klant (of a person with one klantnummer), the route the checks judge is the route
    int_leerroute_op_peildatum counts, wherever the mart counts one."""
    with connect(gebouwd.warehouse, read_only=True) as wh:
        eenduidig = (
            "select persoon_sleutel from intermediate.int_leerroute_perioden group by persoon_sleutel "
            "having count(distinct uitvoerder || '/' || klantnummer) = 1"
        )
        marts = set(
            wh.query(
                "select uitvoerder, klantnummer, leerroute, datum_start from intermediate.int_leerroute_op_peildatum "
                f"where persoon_sleutel in ({eenduidig})"
            )
        )
        # the checks' rows the mart counts: the route has not ended, nor has the dossier, by the
        # peildatum (every municipal file of the scenario is delivered on the peildatum)
        checks = set(
            wh.query(
                "select p.uitvoerder, p.klantnummer, p.leerroute_in_kracht, p.datum_start "
                "from kwaliteit_kandidaat.personen_leerroute p "
                "join kwaliteit_kandidaat.dossiers d on d.uitvoerder = p.uitvoerder and d.klantnummer = p.klantnummer "
                "where (p.datum_eind is null or p.datum_eind >= cast(? as date)) "
                "and (d.datum_uitstroom is null or d.datum_uitstroom >= cast(? as date)) "
                f"and p.klantnummer in (select klantnummer from intermediate.int_leerroute_perioden "
                f"where persoon_sleutel in ({eenduidig}))",
                (PEILDATUM, PEILDATUM),
            )
        )
        leverdata = {
            str(r[0])[:10]
            for r in wh.query("select distinct leverdatum from kwaliteit_kandidaat.personen_leerroute")
        }
        # the landing zone has a klant on two open routes: "the earliest open route" and "the
        # latest started route" differ for it, so a second reading of the rule shows here
        twee_open = wh.query(
            "select count(*) from (select uitvoerder, klantnummer from staging_kandidaat.stg_gemeente__leerroutes "
            "where datum_eind is null group by uitvoerder, klantnummer having count(*) > 1) t"
        )[0][0]
    assert leverdata == {PEILDATUM}
    assert twee_open >= 1
    assert len(marts) > 20
    assert sorted(checks - marts) == [] and sorted(marts - checks) == []


def test_the_checks_doelgroep_is_the_marts_doelgroep(gebouwd):
    with connect(gebouwd.warehouse, read_only=True) as wh:
        rows = wh.query(
            "select k.uitvoerder, k.klantnummer, k.doelgroep, m.doelgroep "
            "from kwaliteit_kandidaat.leerroutes k join intermediate.int_dossiers m "
            "on m.uitvoerder = k.uitvoerder and m.klantnummer = k.klantnummer"
        )
        fines = wh.query(
            "select count(*) from kwaliteit_kandidaat.handhaving k join intermediate.int_dossiers m "
            "on m.uitvoerder = k.uitvoerder and m.klantnummer = k.klantnummer "
            "where k.doelgroep is distinct from m.doelgroep"
        )[0][0]
    assert {r[2] for r in rows} == {"statushouder", "gezinsmigrant"}
    assert [r for r in rows if r[2] != r[3]] == []
    assert fines == 0


def test_every_check_table_has_the_columns_its_expectations_name_and_no_identifier(gebouwd):
    """kwaliteit.<tabel> (here: its candidate twin) holds every column an expectation reads
    (its arguments, its row condition, its sentence), the standard columns, and no column
    that identifies a person."""
    wanted: dict[str, set[str]] = {naam: set(gegevens.STANDAARD_KOLOMMEN) for naam in gegevens.TABELLEN}
    for c in load_checks():
        for v in c.verwachtingen:
            kwargs = v.gx.configuration.kwargs
            cols = {kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs}
            cols |= set(kwargs.get("column_list") or [])
            cond = getattr(v.gx, "row_condition", None)
            if cond is not None:
                cols |= set(re.findall(r"[a-z_][a-z0-9_]*", str(cond))) & _alle_kolommen(gebouwd)
            cols |= set(re.findall(r"\{([a-z_0-9]+)", v.bevinding))
            wanted[v.tabel] |= cols
    with connect(gebouwd.warehouse, read_only=True) as wh:
        for naam in gegevens.TABELLEN:
            rel = gegevens.relatie(naam, "kandidaat")
            schema, table = rel.split(".")
            have = {
                r[0]
                for r in wh.query(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                    (schema, table),
                )
            }
            assert wanted[naam] <= have, f"{rel} lacks {sorted(wanted[naam] - have)}"
            assert not have & gegevens.VERBODEN_KOLOMMEN, rel
            assert wh.query(f"select count(*) - count(distinct rij), min(rij) from {rel}")[0][0] == 0


def _alle_kolommen(settings) -> set[str]:
    with connect(settings.warehouse, read_only=True) as wh:
        return {
            r[0]
            for r in wh.query(
                "select column_name from information_schema.columns where table_schema = 'kwaliteit_kandidaat'"
            )
        }


# --- in the code: no second definition ---------------------------------------------------

#: the legal numbers of seed ref_normen that no other place may type (small numbers such as
#: 2 conversations or 6 months are everywhere in code for other reasons)
NORMEN = {int(v) for v in normen.alle().values() if v >= 28 and v == v.to_integral_value()}
#: a number that equals a norm by coincidence, with the reason
TOEVAL = {("contacten.py", 365): "the longest deadline a contacts file may set, not a legal term"}


def _python_modules():
    return sorted(QUALITY.glob("*.py")) + sorted((ROOT / "expectations").glob("*.py"))


def test_no_python_module_of_the_checks_types_a_legal_number():
    found = []
    for path in _python_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and type(node.value) in (int, float)
                and node.value in NORMEN
                and (path.name, node.value) not in TOEVAL
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value}")
    assert found == [], "read it from seed ref_normen (regie.normen)"


def test_no_model_types_a_legal_number():
    found = []
    for path in sorted(MODELS.rglob("*.sql")) + sorted((PROJECT / "macros").glob("*.sql")):
        text = re.sub(
            r"\{#.*?#\}",
            lambda m: "\n" * m.group(0).count("\n"),
            path.read_text(encoding="utf-8"),
            flags=re.S,
        )
        for i, line in enumerate(text.splitlines(), 1):
            code = line.split("--")[0]  # comments may name a number; code may not
            for n in NORMEN:
                if re.search(rf"(?<![\w.'-]){n}(?![\w.'-])", code):
                    found.append(f"{path.relative_to(PROJECT)}:{i}: {line.strip()}")
    assert found == [], "use norm('...') (seed ref_normen)"


def test_no_python_module_of_the_checks_maps_codes():
    """DUO's route + niveau and the doelgroep are mapped in macros/codes.sql only."""
    found = []
    for path in _python_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple) and len(node.elts) == 2:
                a, b = node.elts
                if (
                    isinstance(a, ast.Constant)
                    and a.value in ("B", "O", "Z")
                    and isinstance(b, ast.Constant)
                    and b.value in ("A2", "B1", None)
                ):
                    found.append(f"{path.name}:{node.lineno}: DUO route {a.value}+{b.value}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value.lower().startswith(("asiel", "vergunninghouder", "overig")):
                    found.append(f"{path.name}:{node.lineno}: doelgroep {node.value!r}")
    assert found == []


def test_the_delivery_choice_is_made_by_staging_only():
    """No Python module of the checks ranks the ledger's deliveries: the check tables and the
    gate read stg_audit__bestanden (and stg_audit__vervangingen), made by macro and model once."""
    ranking = re.compile(r"order\s+by\s+(versie|leverdatum)\s+desc", re.IGNORECASE)
    found = [
        f"{path.name}:{i}"
        for path in _python_modules()
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ranking.search(line)
    ]
    assert found == []
    # and among the models: the highest version per path and the latest delivery are ranked in
    # stg_audit__bestanden only (kwaliteit.bestanden ranks delivery *attempts*, loaded or not)
    ranked = {
        str(p.relative_to(MODELS))
        for p in MODELS.rglob("*.sql")
        if re.search(r"partition by path\s+order by versie desc", p.read_text(encoding="utf-8"))
    }
    assert ranked == {"staging/stg_audit__bestanden.sql"}


def test_the_route_in_force_has_one_definition():
    macro = "leerroute_in_kracht_rang("
    users = {
        str(p.relative_to(MODELS)) for p in MODELS.rglob("*.sql") if macro in p.read_text(encoding="utf-8")
    }
    assert users == {
        "intermediate/int_leerroute_op_peildatum.sql",  # per person at the peildatum
        "marts/fct_uitstroom.sql",  # per klant at the uitstroom
        "kwaliteit/kw_personen_leerroute.sql",  # per klant at the delivery date
    }
    # no model orders routes by their start on its own
    own = [
        str(p.relative_to(MODELS))
        for p in MODELS.rglob("*.sql")
        if re.search(r"order by[^)]*datum_start desc", p.read_text(encoding="utf-8"))
    ]
    assert own == []


def test_lists_python_and_sql_both_need_are_equal():
    # the term of a begeleiding trajectory per soort (macro traject_termijn_dagen)
    macro = (PROJECT / "macros" / "normen.sql").read_text(encoding="utf-8")
    body = macro[macro.index("macro traject_termijn_dagen") :]
    assert (
        dict(re.findall(r"when '(\w+)' then \{\{ norm\('(\w+)'\) \}\}", body))
        == gegevens.TRAJECT_TERMIJN_NORM
    )
    project = yaml.safe_load((PROJECT / "dbt_project.yml").read_text(encoding="utf-8"))
    # the earliest plausible delivery date
    assert str(project["vars"]["vroegste_leverdatum"]) == EARLIEST_LEVERDATUM.isoformat()
    # the columns of kind gemeentecode (kwaliteit.gemeentecodes)
    registers = {"duo", "coa_tvs"}
    catalog = [
        {"tabel": s.table, "kolom": c.target, "register": "ja" if s.bron in registers else "nee"}
        for s in SOURCES
        for c in s.columns
        if c.kind == "gemeentecode"
    ]
    assert project["vars"]["kwaliteit_gemeentecode_kolommen"] == catalog


def test_every_check_table_is_one_model_named_in_one_place():
    files = {p.stem: p for p in (MODELS / "kwaliteit").glob("*.sql")}
    assert set(files) == {t.model for t in gegevens.TABELLEN.values()}
    for naam, t in gegevens.TABELLEN.items():
        assert f"alias='{naam}'" in files[t.model].read_text(encoding="utf-8"), t.model
        assert gegevens.RELATIES[naam] == f"kwaliteit.{naam}"
    docs = yaml.safe_load((MODELS / "kwaliteit" / "_kwaliteit.yml").read_text(encoding="utf-8"))
    assert {m["name"] for m in docs["models"]} == set(files)


def test_a_second_route_rule_would_be_seen(gebouwd, tmp_path):
    """The row-by-row comparison bites: the earlier reading of "the route in force" (the
    earliest open route) gives another route for a klant of the landing zone."""
    with connect(gebouwd.warehouse, read_only=True) as wh:
        vroegste_open = set(
            wh.query(
                "select uitvoerder, klantnummer, min(datum_start) from staging_kandidaat.stg_gemeente__leerroutes "
                "where datum_eind is null group by uitvoerder, klantnummer"
            )
        )
        checks = set(
            wh.query(
                "select uitvoerder, klantnummer, datum_start from kwaliteit_kandidaat.personen_leerroute where route_open"
            )
        )
    assert vroegste_open - checks, "no klant where the two readings differ: the comparison would not bite"


def test_which_fines_the_law_limits_is_defined_once():
    """The fines that count towards the maxima (PVT, MAP, LEERROUTE) and the leerroute fine a
    gezinsmigrant may not get: macros/handhaving.sql, used by fct_handhaving and the checks."""
    grounds = re.compile(r"\(\s*'PVT',\s*'MAP',\s*'LEERROUTE'\s*\)")
    typed = {
        str(p.relative_to(PROJECT))
        for p in sorted(MODELS.rglob("*.sql")) + sorted((PROJECT / "macros").glob("*.sql"))
        if grounds.search(p.read_text(encoding="utf-8"))
    }
    assert typed == {"macros/handhaving.sql"}
    for model in ("marts/fct_handhaving.sql", "kwaliteit/kw_handhaving.sql"):
        text = (MODELS / model).read_text(encoding="utf-8")
        assert "boete_telt_voor_maximum(" in text and "leerrouteboete_gezinsmigrant(" in text, model
    python = [
        path.name
        for path in _python_modules()
        if re.search(
            r"[\"']PVT[\"'],\s*[\"']MAP[\"'],\s*[\"']LEERROUTE[\"']", path.read_text(encoding="utf-8")
        )
    ]
    assert python == []
