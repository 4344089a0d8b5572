"""Running the checks with Great Expectations.

One ephemeral GX context per run (nothing is written to disk: GX's Data Docs,
which load their styles and scripts from public CDNs, are replaced by regie's
own page of findings, regie.quality.pagina), one
pandas data asset and one suite per prepared table (``regie.<tabel>``), one
checkpoint per table. GX reports each failing row by its ``rij`` key; which
rows a check looked at (its population) is the row condition of the
expectation, evaluated here the way GX's pandas engine evaluates it.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .gegevens import TABELLEN, Gegevens
from .model import Controle

log = logging.getLogger("regie.quality")

_NULL_EXPECTATIONS = ("ExpectColumnValuesToNotBeNull", "ExpectColumnValuesToBeNull")


@dataclass
class Uitkomst:
    """What one expectation found."""

    controle: str
    volgnummer: int  # position in the check's list of expectations
    tabel: str
    populatie: np.ndarray  # rij keys of the rows the expectation judged
    afgekeurd: np.ndarray  # rij keys of the rows it failed
    fout: str | None = None  # GX could not evaluate the expectation


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
    return gx


def _context():
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    for site in list(ctx.list_data_docs_sites()):  # no Data Docs (see the module)
        ctx.delete_data_docs_site(site)
    return gx, ctx


def populatie(df: pd.DataFrame, expectation) -> tuple[np.ndarray, int]:
    """The rij keys of the rows an expectation judges: its row condition (evaluated as GX's
    pandas engine does, with DataFrame.eval), then GX's handling of missing values. Also the
    number of rows meeting the row condition, which GX reports as its element count."""
    from great_expectations.execution_engine import PandasExecutionEngine

    mask = np.ones(len(df), dtype=bool)
    cond = getattr(expectation, "row_condition", None)
    if cond is not None:
        mask &= df.eval(PandasExecutionEngine().condition_to_filter_clause(cond)).to_numpy(
            dtype=bool, na_value=False
        )
    kwargs = expectation.configuration.kwargs
    in_condition = int(mask.sum())
    if "column_A" in kwargs and "column_B" in kwargs:
        a, b = df[kwargs["column_A"]].notna().to_numpy(), df[kwargs["column_B"]].notna().to_numpy()
        how = kwargs.get("ignore_row_if", "both_values_are_missing")
        if how == "either_value_is_missing":
            mask &= a & b
        elif how == "both_values_are_missing":
            mask &= a | b
    elif "column" in kwargs and type(expectation).__name__ not in _NULL_EXPECTATIONS:
        mask &= df[kwargs["column"]].notna().to_numpy()
    return df["rij"].to_numpy(dtype="int64")[mask], in_condition


def valideer(
    controles: list[Controle],
    gegevens: Gegevens,
    run_naam: str | None = None,
) -> list[Uitkomst]:
    """Run every expectation of ``controles``."""
    gx, ctx = _context()
    per_tabel: dict[str, list[tuple[Controle, int]]] = defaultdict(list)
    for c in controles:
        for i, v in enumerate(c.verwachtingen):
            per_tabel[v.tabel].append((c, i))

    source = ctx.data_sources.add_pandas("regie")
    uitkomsten: list[Uitkomst] = []
    for tabel, members in per_tabel.items():
        df = gegevens.tabel(tabel)
        asset = source.add_dataframe_asset(tabel)
        batch = asset.add_batch_definition_whole_dataframe("levering_in_kracht")
        suite = gx.ExpectationSuite(
            name=f"regie.{tabel}",
            meta={"omschrijving": TABELLEN[tabel].omschrijving, "bron": TABELLEN[tabel].bron},
        )
        suite = ctx.suites.add(suite)
        keyed: dict[str, tuple[Controle, int]] = {}
        for c, i in members:
            exp = c.verwachtingen[i].gx
            key = f"{c.code}#{i}"
            exp.meta = {
                "controle": c.code,
                "naam": c.naam,
                "ernst": c.ernst,
                "categorie": c.categorie,
                "regie_verwachting": key,
            }
            exp.description = f"[{c.ernst}] {c.naam}"
            suite.add_expectation(exp)
            keyed[key] = (c, i)
        definition = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=tabel, data=batch, suite=suite)
        )
        checkpoint = ctx.checkpoints.add(
            gx.Checkpoint(
                name=f"regie.{tabel}",
                validation_definitions=[definition],
                actions=[],
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": ["rij"],
                    "return_unexpected_index_query": False,
                    "partial_unexpected_count": 20,
                },
            )
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = checkpoint.run(batch_parameters={"dataframe": df}, run_id=_run_id(gx, run_naam))
        for validation in result.run_results.values():
            for r in validation.results:
                c, i = keyed[r.expectation_config.meta["regie_verwachting"]]
                exp = c.verwachtingen[i].gx
                pop, in_condition = populatie(df, exp)
                info = r.exception_info or {}
                if info.get("raised_exception"):
                    message = str(info.get("exception_message") or "onbekende fout")
                    log.error("controle %s (%s) niet uitgevoerd: %s", c.code, tabel, message)
                    uitkomsten.append(Uitkomst(c.code, i, tabel, pop, np.array([], "int64"), message))
                    continue
                bad = np.array(
                    sorted({int(row["rij"]) for row in r.result.get("unexpected_index_list") or []}),
                    dtype="int64",
                )
                if not r.success and not len(bad) and r.result.get("unexpected_count"):
                    raise RuntimeError(f"{c.code}: GX meldt afgekeurde rijen zonder ze aan te wijzen")
                if len(np.setdiff1d(bad, pop)):
                    raise RuntimeError(f"{c.code}: afgekeurde rijen buiten de populatie van de controle")
                if r.result.get("element_count") not in (None, in_condition):
                    raise RuntimeError(
                        f"{c.code}: GX telt {r.result['element_count']} rijen onder de rijvoorwaarde, "
                        f"regie {in_condition}"
                    )
                uitkomsten.append(Uitkomst(c.code, i, tabel, pop, bad))
    return uitkomsten


def _run_id(gx, naam: str | None):
    if not naam:
        return None
    from great_expectations.core.run_identifier import RunIdentifier

    return RunIdentifier(run_name=naam)
