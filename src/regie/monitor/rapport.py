"""The monitor report of one gemeente: sections, figures and tables, rendered with Jinja2.

Every number in the report is a cell of a mart row that the gemeente may read, with small
counts hidden as in ``publiek`` (:mod:`regie.monitor.gegevens`); nothing is summed over
hidden cells. Each table carries ``data-mart`` and each cell ``data-kolom``, so the tests
can compare what a browser shows with the marts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from . import figuren
from .gegevens import Gegevens, Tabel

#: Dutch labels of mart columns (a column without one shows its own name).
LABELS = {
    "jaar": "Jaar",
    "halfjaar": "Half jaar",
    "periode": "Periode",
    "doelgroep": "Doelgroep",
    "geslacht": "Geslacht",
    "leeftijdsklasse": "Leeftijd",
    "aantal": "Aantal",
    "huishoudklasse": "Huishouden",
    "gekoppeld": "Gekoppeld",
    "gehuisvest": "Gehuisvest",
    "wachtend": "Wachtend",
    "mediaan_dagen_tot_huisvesting": "Mediaan dagen tot huisvesting",
    "binnen_10_weken": "Binnen 10 weken",
    "wachtend_langer_dan_10_weken": "Wacht > 10 weken",
    "stand_begin": "Achterstand begin",
    "taakstelling": "Taakstelling",
    "gerealiseerd": "Gerealiseerd",
    "volgens_tempo": "Volgens tempo",
    "maanden_verstreken": "Maanden verstreken",
    "stand_eind": "Achterstand eind",
    "stand_1_januari": "Achterstand 1 januari",
    "totale_taakstelling": "Totale taakstelling",
    "achterstand": "Achterstand",
    "interventieladder_trede": "Trede interventieladder",
    "inschrijvingen": "Ingeschreven in BRP",
    "pip_vastgesteld": "PIP vastgesteld",
    "pip_binnen_10_weken": "PIP binnen 10 weken",
    "pip_te_laat": "PIP te laat",
    "zonder_pip_termijn_verstreken": "Zonder PIP, termijn verstreken",
    "mediaan_dagen_tot_pip": "Mediaan dagen tot PIP",
    "leerroute": "Leerroute",
    "instroomjaar": "Instroomjaar",
    "van_leerroute": "Van",
    "naar_leerroute": "Naar",
    "reden": "Reden",
    "activiteit": "Activiteit",
    "aantal_personen": "Personen",
    "in_zroute": "In Z-route",
    "participatie_uren_mediaan": "Mediaan participatie-uren",
    "bereikt_800_uur": "800 uur bereikt",
    "nog_inburgeringsplichtig": "Nog inburgeringsplichtig",
    "elip": "ELIP",
    "asiel_cohort_0": "Asiel cohort 0",
    "asiel_cohort_1": "Asiel cohort 1",
    "asiel_cohort_2": "Asiel cohort 2",
    "gezinsmigranten": "Gezinsmigranten",
    "berekende_uitkering": "Berekende uitkering (EUR)",
    "toegekend": "Toegekend (EUR)",
    "kosten_realisatie": "Kosten (EUR)",
    "reserve_cumulatief": "Reserve (EUR)",
    "terug_te_betalen": "Terug te betalen (EUR)",
    "soort": "Soort",
    "gestart": "Gestart",
    "lopend_31_december": "Lopend 31 december",
    "afgerond": "Afgerond",
    "afgebroken": "Afgebroken",
    "mediaan_duur_dagen": "Mediaan duur (dagen)",
    "langer_dan_termijn": "Langer dan termijn",
    "kosten_totaal": "Kosten totaal (EUR)",
    "baten_totaal": "Baten totaal (EUR)",
    "saldo": "Saldo (EUR)",
    "termijn_lopend": "Termijn lopend",
    "eindigt_binnen_6_maanden_zonder_resultaat": "Eindigt < 6 mnd zonder resultaat",
    "termijn_verstreken_zonder_resultaat": "Verstreken zonder resultaat",
    "gemeente": "Gemeente",
    "woongemeente": "Gemeente",
}

#: Which delivered files each mart is made of (shown under its figures with their dates).
BRONNEN = {
    "fct_taakstelling_halfjaar": [("coa_tvs", "taakstelling"), ("coa_tvs", "koppelingen")],
    "fct_taakstelling_jaar": [("coa_tvs", "taakstelling"), ("provincie", "interventieladder")],
    "fct_huisvesting_doorlooptijd": [("coa_tvs", "koppelingen")],
    "fct_inburgeraars_instroom": [("gemeente", "dossiers"), ("duo", "personen")],
    "fct_pip_tijdigheid": [("gemeente", "dossiers"), ("duo", "personen")],
    "fct_leerroute_stand": [("gemeente", "leerroutes"), ("gemeente", "dossiers")],
    "fct_leerroute_wissel": [("gemeente", "leerroutes")],
    "fct_uitstroom": [("gemeente", "dossiers"), ("gemeente", "leerroutes")],
    "fct_participatie": [("gemeente", "activiteiten")],
    "fct_zroute_participatie": [("gemeente", "activiteiten"), ("gemeente", "leerroutes")],
    "fct_ondertussengroep": [("duo", "personen")],
    "fct_spuk": [("rijk", "spuk_beschikkingen"), ("coa_tvs", "koppelingen"), ("gemeente", "financien")],
    "fct_signalen": [
        ("coa_tvs", "taakstelling"),
        ("provincie", "interventieladder"),
        ("gemeente", "dossiers"),
    ],
    "fct_maatschappelijke_begeleiding": [("begeleiding", "trajecten")],
    "fct_kosten_baten": [("gemeente", "financien"), ("rijk", "spuk_beschikkingen")],
    "fct_inburgeringstermijn": [("duo", "personen")],
}

BRON_NAMEN = {
    "coa_tvs": "COA (TVS)",
    "duo": "DUO",
    "gemeente": "gemeentelijke registratie",
    "rijk": "Rijk (SPUK)",
    "provincie": "provincie",
    "begeleiding": "maatschappelijke begeleiding",
}

ERNST = {"urgent": "Urgent", "let_op": "Let op", "info": "Ter informatie"}
MAANDEN = "januari februari maart april mei juni juli augustus september oktober november december".split()


def datum_nl(d) -> str:
    if d is None or (isinstance(d, float) and math.isnan(d)):
        return "onbekend"
    if isinstance(d, pd.Timestamp | dt.datetime):
        d = d.date()
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def getal(v) -> str:
    """A Dutch number: 1.234 or 12,5; empty for a missing value."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, int) or (isinstance(v, float) and float(v).is_integer()):
        return f"{int(v):,}".replace(",", ".")
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if f.is_integer():
        return f"{int(f):,}".replace(",", ".")
    text = f"{f:,.2f}".rstrip("0")  # 59.5 -> 59,5; 876651.08 -> 876.651,08
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


@dataclass
class Cel:
    kolom: str
    tekst: str
    verborgen: bool = False
    getal: bool = False


@dataclass
class HtmlTabel:
    mart: str
    kolommen: list[tuple[str, str]]  # (column, label)
    rijen: list[tuple[str, list[Cel]]]  # (gemeentecode of the row, cells)
    gemeente_kolom: str


@dataclass
class Figuur:
    titel: str
    mart: str
    svg: Markup | None
    tabel: HtmlTabel | None
    bronnen: str
    toelichting: str = ""


@dataclass
class Sectie:
    titel: str
    inleiding: str = ""
    figuren: list[Figuur] = field(default_factory=list)


def _bronnen(g: Gegevens, mart: str) -> str:
    lev = g.leveringen
    delen = []
    for bron, entiteit in BRONNEN.get(mart, []):
        rows = lev[(lev["bron"] == bron) & (lev["entiteit"] == entiteit)] if len(lev) else lev
        naam = f"{BRON_NAMEN.get(bron, bron)}, {entiteit}"
        if rows is None or rows.empty:
            delen.append(f"{naam}: geen levering")
            continue
        datums = sorted({d for d in rows["leverdatum"].tolist() if d is not None and not pd.isna(d)})
        tekst = ", ".join(datum_nl(d) for d in datums) or "geen bruikbare levering"
        if bool(rows["tegengehouden"].any()):
            tekst += " (nieuwere levering tegengehouden)"
        delen.append(f"{naam}: geleverd {tekst}")
    return f"Peildatum {datum_nl(g.peildatum)}. Bronnen: " + ("; ".join(delen) if delen else "-") + "."


def _tabel(
    g: Gegevens, t: Tabel, kolommen: list[str], gemeente_kolom: str, filter_=None, sort=None
) -> HtmlTabel:
    from ..publish.meta import specs

    spec = specs().get(t.naam)
    afgeleid = spec.afgeleid if spec else {}
    df = t.rijen
    df = df.assign(_pos=range(len(df)))
    if filter_ is not None:
        df = df[filter_(df)]
    if sort:
        df = df.sort_values(sort, kind="mergesort")
    rijen = []
    for _, row in df.iterrows():
        cellen = []
        for k in kolommen:
            pos = int(row["_pos"])
            v = row[k]
            hidden = (pos, k) in t.verborgen or any((pos, b) in t.verborgen for b in afgeleid.get(k, ()))
            if hidden:
                cellen.append(Cel(k, "*", True, True))
            elif k == gemeente_kolom:
                cellen.append(Cel(k, str(g.namen.get(v) or v)))
            elif k in ("halfjaar",):
                cellen.append(Cel(k, "I" if int(v) == 1 else "II"))
            elif isinstance(v, pd.Timestamp | dt.date):
                cellen.append(Cel(k, datum_nl(v)))
            elif (
                isinstance(v, int | float | Decimal)
                and not isinstance(v, bool)
                and k not in ("jaar", "instroomjaar")
            ):
                cellen.append(Cel(k, getal(v), getal=True))
            else:
                cellen.append(Cel(k, "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)))
        rijen.append((str(row[gemeente_kolom]), cellen))
    return HtmlTabel(t.naam, [(k, LABELS.get(k, k)) for k in kolommen], rijen, gemeente_kolom)


def _waarde(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _eigen(t: Tabel, kolom: str, gemeente: str):
    return lambda df: df[kolom] == gemeente


def secties(g: Gegevens) -> list[Sectie]:
    out: list[Sectie] = []
    code = g.gemeente

    def figuur(titel, mart, kolommen, kolom, svg=None, sort=None, filter_=None, toelichting=""):
        t = g.tabel(mart)
        if t is None:
            return None
        f = filter_ or _eigen(t, kolom, code)
        tabel = _tabel(g, t, kolommen, kolom, f, sort)
        return Figuur(titel, mart, Markup(svg) if svg else None, tabel, _bronnen(g, mart), toelichting)

    # --- signalen
    s = Sectie(
        "Signalen",
        "Wat aandacht vraagt voordat de provincie ingrijpt of geld verloren gaat. De regels, drempels en "
        "teksten staan in de configuratie van regie (ref_signaalregels).",
    )
    out.append(s)

    # --- huisvesting
    hj = g.tabel("fct_taakstelling_halfjaar")
    s = Sectie(
        "Taakstelling huisvesting statushouders",
        "De taakstelling per half jaar zoals het COA die publiceert, wat gerealiseerd is, het tempo dat "
        "nodig is (een zesde van de taakstelling per maand) en de achterstand.",
    )
    if hj is not None and not hj.leeg():
        eigen = hj.rijen[hj.rijen["gemeentecode"] == code].sort_values(["jaar", "halfjaar"]).tail(8)
        labels = [f"{int(r.jaar)}-{'I' if int(r.halfjaar) == 1 else 'II'}" for r in eigen.itertuples()]
        svg = figuren.staven(
            labels,
            {
                "Taakstelling": [_waarde(v) for v in eigen["taakstelling"]],
                "Volgens tempo": [_waarde(v) for v in eigen["volgens_tempo"]],
                "Gerealiseerd": [_waarde(v) for v in eigen["gerealiseerd"]],
            },
            "Taakstelling, tempo en realisatie per half jaar",
            "personen",
            lijn={"Achterstand eind": [_waarde(v) for v in eigen["stand_eind"]]},
        )
        keys = set(zip(eigen["jaar"], eigen["halfjaar"], strict=True))
        f = figuur(
            "Taakstelling per half jaar",
            "fct_taakstelling_halfjaar",
            ["jaar", "halfjaar", "stand_begin", "taakstelling", "gerealiseerd", "maanden_verstreken",
             "volgens_tempo", "stand_eind"],
            "gemeentecode",
            svg,
            ["jaar", "halfjaar"],
            lambda df: (df["gemeentecode"] == code)
            & pd.Series([(a, b) in keys for a, b in zip(df["jaar"], df["halfjaar"], strict=True)], index=df.index),
        )  # fmt: skip
        s.figuren.append(f)
    jt = g.tabel("fct_taakstelling_jaar")
    if jt is not None and not jt.leeg():
        s.figuren.append(
            figuur(
                "Taakstelling per jaar en interventieladder",
                "fct_taakstelling_jaar",
                [
                    "jaar",
                    "stand_1_januari",
                    "taakstelling",
                    "totale_taakstelling",
                    "gerealiseerd",
                    "achterstand",
                    "interventieladder_trede",
                ],
                "gemeentecode",
                sort=["jaar"],
            )  # fmt: skip
        )
    # regional comparison: publiek only
    pj = g.publiek.get("fct_taakstelling_jaar")
    if pj is not None and len(pj):
        laatste = int(pj["jaar"].max())
        regio = pj[pj["jaar"] == laatste].sort_values("gemeentecode")
        regio = regio[regio["gemeentecode"].isin(g.namen.keys())] if g.namen else regio
        pub = g.publiek.get("dim_gemeente")
        if pub is not None and len(pub):
            prov = pub.set_index("gemeentecode")["provincie"].to_dict()
            mijn = prov.get(code)
            regio = pj[(pj["jaar"] == laatste) & pj["gemeentecode"].map(lambda c: prov.get(c) == mijn)]
            namen = pub.set_index("gemeentecode")["gemeentenaam"].to_dict()
        else:
            namen = g.namen
        regio = regio.sort_values("gemeentecode")
        labels = [str(namen.get(c) or c) for c in regio["gemeentecode"]]
        svg = figuren.staven(
            labels,
            {"Achterstand": [_waarde(v) for v in regio["achterstand"]]},
            f"Achterstand eind {laatste} in de provincie (openbare cijfers)",
            "personen",
        )
        tabel_t = Tabel("fct_taakstelling_jaar", regio.reset_index(drop=True).assign(gemeente=labels))
        tabel = _tabel(g, tabel_t, ["gemeente", "jaar", "taakstelling", "gerealiseerd", "achterstand",
                                      "interventieladder_trede"], "gemeentecode")  # fmt: skip
        tabel.mart = "publiek.fct_taakstelling_jaar"
        s.figuren.append(
            Figuur(
                "Regionale vergelijking",
                "publiek.fct_taakstelling_jaar",
                Markup(svg),
                tabel,
                _bronnen(g, "fct_taakstelling_jaar"),
                "Uit de openbare cijfers (schema publiek), voor alle gemeenten in de provincie gelijk.",
            )
        )
    s.figuren = [f for f in s.figuren if f]
    out.append(s)

    s = Sectie(
        "Doorlooptijd huisvesting", "Van koppeling door het COA tot huisvesting, per half jaar van koppeling."
    )
    dl = g.tabel("fct_huisvesting_doorlooptijd")
    if dl is not None and not dl.leeg():
        recent = sorted(set(zip(dl.rijen["jaar"], dl.rijen["halfjaar"], strict=True)))[-4:]
        s.figuren.append(
            figuur(
                "Doorlooptijd van koppeling tot huisvesting (laatste vier halve jaren)",
                "fct_huisvesting_doorlooptijd",
                [
                    "jaar",
                    "halfjaar",
                    "huishoudklasse",
                    "gekoppeld",
                    "gehuisvest",
                    "wachtend",
                    "mediaan_dagen_tot_huisvesting",
                    "binnen_10_weken",
                    "wachtend_langer_dan_10_weken",
                ],
                "gemeentecode",
                sort=["jaar", "halfjaar", "huishoudklasse"],
                filter_=lambda df: (
                    (df["gemeentecode"] == code)
                    & pd.Series(
                        [(a, b) in recent for a, b in zip(df["jaar"], df["halfjaar"], strict=True)],
                        index=df.index,
                    )
                ),
            )  # fmt: skip
        )
    out.append(s)

    s = Sectie("Instroom", "Nieuwe inburgeraars per jaar van het dossier (inwoners van de gemeente).")
    ins = g.tabel("fct_inburgeraars_instroom")
    if ins is not None and not ins.leeg():
        jaren = sorted(ins.rijen["jaar"].unique())[-2:]
        s.figuren.append(
            figuur(
                "Instroom (laatste twee jaren)",
                "fct_inburgeraars_instroom",
                ["jaar", "doelgroep", "geslacht", "leeftijdsklasse", "aantal"],
                "woongemeente",
                sort=["jaar", "doelgroep", "geslacht", "leeftijdsklasse"],
                filter_=lambda df: (df["woongemeente"] == code) & df["jaar"].isin(jaren),
            )
        )
    out.append(s)

    s = Sectie(
        "Tijdigheid PIP",
        "Is het persoonlijk plan inburgering en participatie binnen tien weken na inschrijving in de BRP vastgesteld?",
    )
    pip = g.tabel("fct_pip_tijdigheid")
    if pip is not None and not pip.leeg():
        eigen = pip.rijen[pip.rijen["woongemeente"] == code].sort_values(["jaar", "doelgroep"])
        labels = [f"{int(r.jaar)} {r.doelgroep}" for r in eigen.itertuples()]
        svg = figuren.staven(
            labels,
            {
                "Binnen 10 weken": [_waarde(v) for v in eigen["pip_binnen_10_weken"]],
                "Te laat": [_waarde(v) for v in eigen["pip_te_laat"]],
                "Zonder PIP, termijn verstreken": [
                    _waarde(v) for v in eigen["zonder_pip_termijn_verstreken"]
                ],
            },
            "PIP's per jaar van inschrijving en doelgroep (* = onderdrukt)",
            "personen",
            breed=7.5,
        )
        s.figuren.append(
            figuur(
                "Tijdigheid PIP",
                "fct_pip_tijdigheid",
                [
                    "jaar",
                    "doelgroep",
                    "inschrijvingen",
                    "pip_vastgesteld",
                    "pip_binnen_10_weken",
                    "pip_te_laat",
                    "zonder_pip_termijn_verstreken",
                    "mediaan_dagen_tot_pip",
                ],
                "woongemeente",
                svg,
                ["jaar", "doelgroep"],
            )  # fmt: skip
        )
    out.append(s)

    s = Sectie("Leerroutes, wissels en uitstroom")
    for titel, mart, cols, sort in (
        ("Leerroute op de peildatum", "fct_leerroute_stand", ["doelgroep", "leerroute", "instroomjaar", "aantal"],
         ["doelgroep", "leerroute", "instroomjaar"]),
        ("Wissels van leerroute", "fct_leerroute_wissel", ["jaar", "doelgroep", "van_leerroute", "naar_leerroute", "aantal"],
         ["jaar", "doelgroep", "van_leerroute", "naar_leerroute"]),
        ("Uitstroom", "fct_uitstroom", ["jaar", "doelgroep", "leerroute", "reden", "aantal"],
         ["jaar", "doelgroep", "leerroute", "reden"]),
    ):  # fmt: skip
        if g.tabel(mart) is not None:
            s.figuren.append(figuur(titel, mart, cols, "woongemeente", sort=sort))
    out.append(s)

    s = Sectie("Participatie en Z-route")
    if g.tabel("fct_participatie") is not None:
        s.figuren.append(
            figuur(
                "Deelname aan activiteiten",
                "fct_participatie",
                ["jaar", "doelgroep", "activiteit", "aantal_personen"],
                "woongemeente",
                sort=["jaar", "doelgroep", "activiteit"],
            )  # fmt: skip
        )
    if g.tabel("fct_zroute_participatie") is not None:
        s.figuren.append(
            figuur(
                "Z-route op de peildatum",
                "fct_zroute_participatie",
                ["doelgroep", "in_zroute", "participatie_uren_mediaan", "bereikt_800_uur"],
                "woongemeente",
                sort=["doelgroep"],
            )  # fmt: skip
        )
    out.append(s)

    s = Sectie("Maatschappelijke begeleiding, kosten en baten")
    if g.tabel("fct_maatschappelijke_begeleiding") is not None:
        s.figuren.append(
            figuur(
                "Maatschappelijke begeleiding",
                "fct_maatschappelijke_begeleiding",
                [
                    "jaar",
                    "soort",
                    "gestart",
                    "lopend_31_december",
                    "afgerond",
                    "afgebroken",
                    "mediaan_duur_dagen",
                    "langer_dan_termijn",
                ],
                "gemeentecode",
                sort=["jaar", "soort"],
            )  # fmt: skip
        )
    if g.tabel("fct_kosten_baten") is not None:
        s.figuren.append(
            figuur(
                "Kosten en baten",
                "fct_kosten_baten",
                ["jaar", "kosten_totaal", "baten_totaal", "saldo"],
                "gemeentecode",
                sort=["jaar"],
            )  # fmt: skip
        )
    if g.tabel("fct_spuk") is not None:
        s.figuren.append(
            figuur(
                "SPUK-uitkering",
                "fct_spuk",
                [
                    "jaar",
                    "asiel_cohort_0",
                    "asiel_cohort_1",
                    "asiel_cohort_2",
                    "gezinsmigranten",
                    "berekende_uitkering",
                    "toegekend",
                    "kosten_realisatie",
                    "reserve_cumulatief",
                    "terug_te_betalen",
                ],
                "gemeentecode",
                sort=["jaar"],
            )  # fmt: skip
        )
    s.figuren = [f for f in s.figuren if f]
    if not s.figuren:
        s.inleiding = "Voor deze onderwerpen zijn (nog) geen cijfers gepubliceerd."
    out.append(s)

    opdrachtgevers = _opdrachtgevers(g)
    if opdrachtgevers:
        namen = ", ".join(str(n) for n in opdrachtgevers.values())
        s = Sectie(
            f"Uitvoering voor {namen}",
            f"{g.naam} voert de inburgering uit voor {namen}. Hun inwoners staan niet in de cijfers "
            "hierboven; hieronder hun PIP-tijdigheid en leerroutes, zoals die gemeenten ze zelf ook zien.",
        )
        andere = set(opdrachtgevers)
        for titel, mart, cols, sort in (
            ("Tijdigheid PIP", "fct_pip_tijdigheid",
             ["woongemeente", "jaar", "doelgroep", "inschrijvingen", "pip_vastgesteld", "pip_binnen_10_weken",
              "pip_te_laat", "zonder_pip_termijn_verstreken"], ["woongemeente", "jaar", "doelgroep"]),
            ("Leerroute op de peildatum", "fct_leerroute_stand",
             ["woongemeente", "doelgroep", "leerroute", "instroomjaar", "aantal"],
             ["woongemeente", "doelgroep", "leerroute", "instroomjaar"]),
        ):  # fmt: skip
            if g.tabel(mart) is not None:
                s.figuren.append(
                    figuur(
                        titel,
                        mart,
                        cols,
                        "woongemeente",
                        sort=sort,
                        filter_=lambda df: df["woongemeente"].isin(andere),
                    )  # fmt: skip
                )
        out.append(s)

    out.append(_kwaliteit(g))
    for sectie in out:
        sectie.figuren = [f for f in sectie.figuren if f is not None]
    return out


def _kwaliteit(g: Gegevens) -> Sectie:
    """The registration-quality score per run, as the scorecard computes it."""
    from ..quality.scorecard import Kaart, Regel

    s = Sectie(
        "Kwaliteit van de registratie",
        "De score is het gemiddelde, over de controles die voor de gemeente gelden, van het aandeel "
        "records dat de controle doorstaat (100 = alles goed), zoals in de scorecard.",
    )
    kw = g.tabel("fct_registratiekwaliteit")
    if kw is None or kw.leeg():
        s.inleiding += " Er zijn nog geen controles uitgevoerd."
        return s
    eigen = kw.rijen[kw.rijen["gemeentecode"] == g.gemeente]
    runs = []
    for op, rows in eigen.groupby("gecontroleerd_op", sort=True):
        kaart = Kaart(
            g.gemeente,
            g.naam,
            [Regel(r.controle, r.controle, r.ernst, "", int(r.gecontroleerd), int(r.afgekeurd), None)
             for r in rows.itertuples()],
        )  # fmt: skip
        runs.append(
            (op, kaart.score, int(rows["afgekeurd"].sum()), int((rows["afgekeurd"] > 0).sum()), len(rows))
        )
    runs = runs[-12:]
    labels = [pd.Timestamp(op).strftime("%d-%m-%Y %H:%M") for op, *_ in runs]
    svg = figuren.lijnen(
        labels, {"Score": [sc for _, sc, *_ in runs]}, "Score registratiekwaliteit per controle-run", "%"
    )
    rijen = [
        (g.gemeente, [
            Cel("gecontroleerd_op", datum_nl(op) + pd.Timestamp(op).strftime(" %H:%M")),
            Cel("score", (f"{sc:.1f}".replace(".", ",") + "%") if sc is not None else "", getal=True),
            Cel("afgekeurd", getal(af), getal=True),
            Cel("controles", f"{n_fout} van {n}", getal=True),
        ])
        for op, sc, af, n_fout, n in runs
    ]  # fmt: skip
    tabel = HtmlTabel(
        "fct_registratiekwaliteit",
        [("gecontroleerd_op", "Gecontroleerd op"), ("score", "Score"), ("afgekeurd", "Afgekeurde records"),
         ("controles", "Controles met afkeur")],
        rijen,
        "gemeentecode",
    )  # fmt: skip
    s.figuren.append(
        Figuur(
            "Score per run",
            "fct_registratiekwaliteit",
            Markup(svg),
            tabel,
            f"Peildatum {datum_nl(g.peildatum)}. Bron: de controles van regie op de leveringen hieronder.",
        )
    )
    return s


@dataclass
class Signaal:
    titel: str
    ernst: str
    ernst_label: str
    toelichting: str
    sinds: str
    waarde: str


def signalen(g: Gegevens) -> list[Signaal]:
    """The gemeente's signals; a small count of persons is hidden (text and value)."""
    from ..publish.meta import MartSpec
    from ..publish.onderdrukking import onderdruk

    t = g.tabel("fct_signalen")
    if t is None or t.leeg():
        return []
    df = t.rijen[t.rijen["gemeentecode"] == g.gemeente].reset_index(drop=True)
    personen = df[df["onderdrukken"].fillna(True).astype(bool)].reset_index(drop=True)
    verborgen: set[str] = set()
    if len(personen):
        spec = MartSpec(
            naam="fct_signalen", domein="signalen", gemeente_kolom="gemeentecode", tellingen=("waarde",)
        )
        uit = onderdruk(personen[["gemeentecode", "signaal", "waarde"]], spec, g.drempel)
        verborgen = {str(uit.rijen.at[i, "signaal"]) for i, _ in uit.verborgen}
    volgorde = {"urgent": 0, "let_op": 1, "info": 2}
    out = []
    for r in sorted(df.itertuples(), key=lambda r: (volgorde.get(r.ernst, 9), r.signaal)):
        hidden = r.signaal in verborgen
        out.append(
            Signaal(
                titel=r.titel,
                ernst=r.ernst,
                ernst_label=ERNST.get(r.ernst, r.ernst),
                toelichting=(
                    f"Het aantal is kleiner dan {g.drempel} en wordt daarom niet getoond."
                    if hidden
                    else r.toelichting
                ),
                sinds=datum_nl(r.sinds),
                waarde=("*" if hidden else getal(r.waarde)),
            )
        )
    return out


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("regie.monitor", "templates"), autoescape=select_autoescape(["html", "j2"])
    )
    env.filters["datum"] = datum_nl
    return env


def render(g: Gegevens, voor_pdf: bool = False) -> str:
    """The report as one self-contained HTML document (inline CSS and SVG, no external reference)."""
    return (
        _env()
        .get_template("rapport.html.j2")
        .render(
            g=g,
            secties=secties(g),
            signalen=signalen(g),
            gemaakt=dt.date.today(),
            voor_pdf=voor_pdf,
            uitvoerder_naam=g.uitvoerder_naam,
            andere_uitvoerder=g.uitvoerder and g.uitvoerder != g.gemeente,
            opdrachtgevers=sorted(c for c, u in _opdrachtgevers(g).items()),
        )
    )


def _opdrachtgevers(g: Gegevens) -> dict[str, str]:
    dim = g.tabel("dim_gemeente")
    if dim is None:
        return {}
    df = dim.rijen
    rows = df[(df["uitvoerder_gemeentecode"] == g.gemeente) & (df["gemeentecode"] != g.gemeente)]
    return dict(zip(rows["gemeentecode"], rows["gemeentenaam"], strict=True))
