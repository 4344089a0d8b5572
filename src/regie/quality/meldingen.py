"""The mail each gemeente gets after a run: its scorecard, what changed, its records.

One mail per recipient gemeente, only when there is something to say: a
failing record it may read, or a count that changed since the previous run
(a problem solved is news too). An uitvoerder's mail covers the inburgering
of the gemeenten it executes for as well; every other gemeente reads only its
own records (see :mod:`regie.quality.contacten`).

The attachment is a CSV (``;``, UTF-8 with BOM, opens in Excel) with one row
per failing record, named by the gemeente's own klantnummer or, where the
gemeente has none (a person COA housed without a dossier, a half year of the
taakstelling, a rejected file line), by another kenmerk. It never holds a BSN,
a V-nummer, a birth date or a pseudonym: the findings table has none of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pandas as pd

from ..warehouse import Warehouse
from . import resultaten, schema
from .contacten import Contacten, mag_lezen
from .gegevens import query_frame
from .scorecard import Kaart, _getal, blokkades_van_run, gemeentenamen, kaart_tekst, kaarten

CSV_KOLOMMEN = (
    "gemeentecode",
    "gemeente",
    "controle",
    "omschrijving",
    "ernst",
    "klantnummer",
    "kenmerk",
    "bestand",
    "regel",
    "bevinding",
    "nieuw",
)


@dataclass
class Melding:
    ontvanger: str
    naam: str | None
    aan: tuple[str, ...]
    onderwerp: str
    tekst: str
    bijlage_naam: str
    bijlage: bytes
    gemeenten: tuple[str, ...]  # whose records the mail holds
    bevindingen: int
    csv_rijen: list[dict] = field(default_factory=list)


def _datum(d) -> str:
    if d is None:
        return "onbekend"
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return d.strftime("%d-%m-%Y")


def _s(v) -> str:
    return v if isinstance(v, str) else ""


def _beperk(k: Kaart, domeinen: dict[str, str]) -> Kaart:
    """An executed-for gemeente's card as its uitvoerder sees it: inburgering checks only."""
    regels = [r for r in k.regels if domeinen.get(r.controle) == "inburgering"]
    return Kaart(k.gemeentecode, k.naam, regels, k.bron, None, k.blokkades)


#: A cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection).
FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r")


def onschadelijk(value):
    """A text cell a spreadsheet shows as text, never runs as a formula (OWASP's advice for
    CSV injection: a leading single quote before ``= + - @``, tab or carriage return, also
    after leading spaces; every cell is quoted). Numbers are left as they are."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULE_TEKENS):
        return "'" + value
    return value


def _csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(
        buf, fieldnames=CSV_KOLOMMEN, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL
    )
    w.writeheader()
    for r in rows:
        w.writerow({k: onschadelijk(v) for k, v in r.items()})
    return buf.getvalue().encode("utf-8-sig")


def stel_op(
    wh: Warehouse, run_id: str, contacten: Contacten, uitvoering: dict[str, set[str]]
) -> tuple[list[Melding], list[str]]:
    """The mails of a run, and the gemeenten that had nothing to say (no mail)."""
    ks, run, vorige = kaarten(wh, run_id)
    if run is None:
        return [], []
    namen = {**gemeentenamen(wh), **{c: x.naam for c, x in contacten.gemeenten.items() if x.naam}}
    catalog = query_frame(wh, f"select * from {schema.CONTROLES.qualified} order by volgorde")
    domeinen = dict(zip(catalog["controle"], catalog["domein"], strict=True))
    uitleg = dict(zip(catalog["controle"], catalog["uitleg"], strict=True))
    namen_controle = dict(zip(catalog["controle"], catalog["naam"], strict=True))
    kaart_van = {k.gemeentecode: k for k in ks if k.gemeentecode}
    nu = resultaten.bevindingen(wh, run_id)
    vorig = resultaten.bevindingen(wh, vorige.run_id) if vorige else nu.iloc[0:0]
    blokkades = blokkades_van_run(wh, run_id)

    ontvangers = sorted(set(kaart_van) | set(uitvoering) | set(contacten.gemeenten))
    meldingen: list[Melding] = []
    stil: list[str] = []
    for r in ontvangers:
        scope = [r] + sorted(uitvoering.get(r, set()) - {r})

        def zichtbaar(df: pd.DataFrame, ontvanger: str = r) -> pd.DataFrame:
            if not len(df):
                return df
            keep = [
                mag_lezen(ontvanger, g if isinstance(g, str) else None, d, uitvoering)
                for g, d in zip(df["gemeentecode"], df["domein"], strict=True)
            ]
            return df[keep]

        mijn = zichtbaar(nu)
        mijn_vorig = zichtbaar(vorig)
        cards = []
        for code in scope:
            k = kaart_van.get(code)
            if k is None:
                continue
            cards.append(k if code == r else _beperk(k, domeinen))
        veranderd = any(reg.veranderd for k in cards for reg in k.regels)
        if not len(mijn) and not veranderd:
            stil.append(r)
            continue

        oud = set(zip(mijn_vorig["gemeentecode"], mijn_vorig["controle"], mijn_vorig["sleutel"], strict=True))
        rows = []
        for b in mijn.itertuples():
            klant, kenmerk = _s(b.klantnummer), _s(b.kenmerk)
            rows.append(
                {
                    "gemeentecode": b.gemeentecode,
                    "gemeente": namen.get(b.gemeentecode, ""),
                    "controle": b.controle,
                    "omschrijving": namen_controle.get(b.controle, b.controle),
                    "ernst": b.ernst,
                    "klantnummer": klant,
                    "kenmerk": "" if kenmerk == klant else kenmerk,
                    "bestand": _s(b.bestand),
                    "regel": "" if pd.isna(b.regelnummer) else int(b.regelnummer),
                    "bevinding": _s(b.bevinding),
                    "nieuw": "ja" if (b.gemeentecode, b.controle, b.sleutel) not in oud else "nee",
                }
            )
        nu_keys = set(zip(mijn["gemeentecode"], mijn["controle"], mijn["sleutel"], strict=True))
        opgelost = len(oud - nu_keys)
        nieuw = sum(1 for x in rows if x["nieuw"] == "ja")
        naam = namen.get(r)
        titel = f"{naam} ({r})" if naam else r
        peil = _datum(run.peildatum)
        n = len(rows)
        onderwerp = f"regie: registratiekwaliteit {titel}, peildatum {peil}: " + (
            f"{_getal(n)} {'bevinding' if n == 1 else 'bevindingen'}" if n else "alle bevindingen opgelost"
        )
        bijlage_naam = f"bevindingen_{r}_{run.peildatum}.csv"
        tekst = _tekst(
            r,
            titel,
            scope,
            namen,
            cards,
            run,
            vorige,
            n,
            nieuw,
            opgelost,
            bijlage_naam,
            blokkades,
            uitleg,
            namen_controle,
            {x["controle"] for x in rows} | {reg.controle for k in cards for reg in k.falend()},
        )
        meldingen.append(
            Melding(
                r,
                naam,
                contacten.adressen(r),
                onderwerp,
                tekst,
                bijlage_naam,
                _csv(rows),
                tuple(c for c in scope if c in kaart_van or c == r),
                n,
                rows,
            )
        )
    return meldingen, stil


def _tekst(
    r,
    titel,
    scope,
    namen,
    cards,
    run,
    vorige,
    n,
    nieuw,
    opgelost,
    bijlage_naam,
    blokkades,
    uitleg,
    namen_controle,
    genoemd,
) -> str:
    anderen = [namen.get(c, c) for c in scope[1:]]
    lines = [
        f"Beste collega's van {titel},",
        "",
        f"regie heeft op {run.gecontroleerd_op:%d-%m-%Y} de registratie van inburgering en huisvesting "
        f"gecontroleerd (peildatum {_datum(run.peildatum)}).",
    ]
    if anderen:
        lines.append(
            "Als uitvoerder ontvangt u ook de bevindingen over de inburgering van "
            + " en ".join([", ".join(anderen[:-1]), anderen[-1]] if len(anderen) > 1 else anderen)
            + "."
        )
    lines += ["", "SCORE PER GEMEENTE", ""]
    for k in cards:
        lines += kaart_tekst(k, met_vorige=vorige is not None, breedte=56)
        lines.append("")
    lines.append("WAT IS VERANDERD")
    if vorige is None:
        lines.append("Dit is de eerste controle; er is nog niets om mee te vergelijken.")
    else:
        lines.append(
            f"Sinds de controle van {vorige.gecontroleerd_op:%d-%m-%Y}: {nieuw} nieuwe en {opgelost} opgeloste "
            f"{'bevinding' if nieuw + opgelost == 1 else 'bevindingen'}."
        )
        for k in cards:
            for reg in k.regels:
                if reg.veranderd:
                    lines.append(
                        f"  {k.titel}: {reg.naam}: {_getal(reg.vorige_afgekeurd)} -> {_getal(reg.afgekeurd)}"
                    )
    mine = blokkades[blokkades["gemeentecode"].isin(scope)] if len(blokkades) else blokkades
    if len(mine):
        lines += ["", "NIET BIJGEWERKT"]
        for b in mine.itertuples():
            lines.append(
                f"  {namen.get(b.gemeentecode, b.gemeentecode)}, bron {b.bron}: {b.besluit} "
                f"(blokkerende controle: {b.controles})."
            )
        lines.append("  De cijfers worden weer bijgewerkt zodra de blokkerende bevindingen zijn hersteld.")
    lines += [""]
    if n:
        lines.append(
            f"In de bijlage {bijlage_naam} staan de {_getal(n)} records om na te lopen, met uw klantnummer "
            "(of, waar u geen klantnummer heeft, een ander kenmerk). De bijlage bevat geen BSN, V-nummer of "
            "geboortedatum."
        )
    else:
        lines.append("Er staan geen records meer open; de bijlage is leeg.")
    lines += ["", "WAT DE CONTROLES BETEKENEN"]
    for code, text in uitleg.items():
        if code in genoemd:
            lines.append(f"- {namen_controle.get(code, code)}: {text}")
    lines += [
        "",
        "blokkerend: de gegevens kunnen niet kloppen; de cijfers uit die bron blijven staan op de vorige "
        "publicatie tot het is hersteld. waarschuwing: onvolledig of in strijd met een andere bron; de "
        "cijfers worden wel bijgewerkt.",
        "",
        "Met vriendelijke groet,",
        "regie",
    ]
    return "\n".join(lines) + "\n"


def als_email(m: Melding, afzender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = afzender
    msg["To"] = ", ".join(m.aan)
    msg["Subject"] = m.onderwerp
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=afzender.rsplit("@", 1)[-1].strip(">") or "regie.local")
    msg.set_content(m.tekst)
    msg.add_attachment(m.bijlage, maintype="text", subtype="csv", filename=m.bijlage_naam)
    return msg
