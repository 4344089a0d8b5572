"""The mail each gemeente gets when something changed: its findings, its signals, its scorecard.

One mail per recipient gemeente, and only when something changed since the
last mail it *received* (``audit.meldingen``, status ``verzonden``): a finding
that is new or solved, a delivery held back or released, a signal
(``marts.fct_signalen``) that starts, stops or changes severity. What the mail
is about is summed up in a fingerprint (:func:`vingerafdruk`); the same
fingerprint as the last delivered mail means there is nothing new to say, so
a rerun, or a new delivery that changes nothing for this gemeente, sends
nothing. A gemeente that never received a mail and has nothing to report gets
none either.

An uitvoerder's mail covers the inburgering of the gemeenten it executes for
as well; every other gemeente reads only its own records
(:func:`regie.quality.contacten.mag_lezen`). Signals are the gemeente's own.

The figures come from the scorecard (:mod:`regie.quality.scorecard`): a
card's headline is the scorecard's own :func:`~regie.quality.scorecard.kop`.
A gemeente whose card the recipient may only partly read (the inburgering of
a gemeente it executes for) is shown with those checks' counts and without a
score: a score over part of the checks was how "99,6%; 2 van 14" once stood
in a mail beside "99,7%; 2 van 18" on the scorecard for the same gemeente.

The mail is written for the employee who has to fix the records: Dutch names
of the checks (never their codes), a deadline and a person to ask
(``hersteltermijn_dagen`` and ``antwoord_aan`` in the contacts file), lines
that fit a mail window, HTML with the same text as plain-text alternative.

The attachment is a CSV (``;``, UTF-8 with BOM, opens in Excel) with one row
per failing record, named by the klantnummer and the organisation whose
klantnummer it is (a commissioning gemeente's records carry its uitvoerder's
klantnummers) or, where there is none (a person COA housed without a dossier,
a half year of the taakstelling, a rejected file line), by another kenmerk.
It never holds a BSN, a V-nummer, a birth date or a pseudonym: the findings
table has none of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..warehouse import Warehouse, work_schema
from . import resultaten, schema
from .contacten import Contacten, mag_lezen
from .gegevens import referentie_uitvoerders
from .scorecard import Kaart, Regel, blokkades_van_run, gemeentenamen, getal, kaarten, kop

CSV_KOLOMMEN = (
    "gemeentecode",
    "gemeente",
    "controle",
    "ernst",
    "klantnummer",
    "klantnummer_van",
    "kenmerk",
    "bestand",
    "regel",
    "bevinding",
    "nieuw",
)

#: The longest line of the plain-text mail (RFC 5322 recommends 78).
BREEDTE = 76

#: The sources, as a gemeente knows them.
BRONNEN = {
    "gemeente": "de dossiers uit het klantvolgsysteem",
    "duo": "DUO",
    "coa_tvs": "het COA (taakstelling en koppelingen)",
    "rijk": "het Rijk (SPUK-beschikkingen)",
    "provincie": "de provincie (interventieladder)",
    "begeleiding": "de maatschappelijke begeleiding",
}

ERNST_SIGNAAL = {"urgent": "Urgent", "let_op": "Let op", "info": "Ter informatie"}


@dataclass(frozen=True)
class Signaal:
    """One row of ``marts.fct_signalen`` as the mail shows it."""

    gemeentecode: str
    signaal: str  # the rule's name: part of the fingerprint, never shown
    ernst: str
    titel: str | None
    toelichting: str
    sinds: dt.date | None

    @property
    def sleutel(self) -> str:
        return f"{self.gemeentecode}|{self.signaal}|{self.ernst}"


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
    html: str = ""
    antwoord_aan: str | None = None
    vingerafdruk: str = ""
    signalen: list[Signaal] = field(default_factory=list)
    peildatum: dt.date | None = None
    rapport: Path | None = None  # the gemeente's monitor report, attached when it is new


@dataclass(frozen=True)
class VorigeMelding:
    """The last mail a gemeente received."""

    run_id: str
    vingerafdruk: str | None
    verwerkt_op: dt.datetime
    signalen: tuple[str, ...]  # titles of the signals it named
    rapport: str | None = None  # the report it carried (file name)


# --- small helpers -------------------------------------------------------------------------


def _datum(d) -> str:
    if d is None:
        return "onbekend"
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return d.strftime("%d-%m-%Y")


def _s(v) -> str:
    return v if isinstance(v, str) else ""


def _alinea(text: str, eerste: str = "", verder: str = "") -> list[str]:
    return textwrap.wrap(
        text, BREEDTE, initial_indent=eerste, subsequent_indent=verder, break_on_hyphens=False
    ) or [eerste.rstrip()]


def _opsomming(namen: list[str]) -> str:
    return " en ".join([", ".join(namen[:-1]), namen[-1]]) if len(namen) > 1 else "".join(namen)


def _titel(code: str, namen: dict[str, str]) -> str:
    naam = namen.get(code)
    return f"{naam} ({code})" if naam else code


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


# --- what the mail is about ----------------------------------------------------------------


def signalen(wh: Warehouse, gemeenten: list[str], peildatum) -> list[Signaal]:
    """The signals of ``gemeenten`` at the run's peildatum, from ``marts.fct_signalen`` when dbt
    built it (none otherwise): the rows of the latest peildatum on or before the run's."""
    table = f"{work_schema(wh.kind, 'marts')}.fct_signalen"
    if not gemeenten or not wh.has_relation(table):
        return []
    have = set(schema.kolommen(wh, schema.Table(*table.split("."), ())))
    titel = "titel" if "titel" in have else "cast(null as varchar) as titel"
    marks = ", ".join("?" for _ in gemeenten)
    peil = [] if peildatum is None else [peildatum]
    df = wh.query_frame(
                f"""
        select gemeentecode, signaal, ernst, {titel}, toelichting, sinds
        from {table} as s
        where gemeentecode in ({marks})
          and peildatum = (select max(peildatum) from {table}
                           {"where peildatum <= ?" if peil else ""})
        order by case ernst when 'urgent' then 0 when 'let_op' then 1 else 2 end, gemeentecode, signaal
        """,
        [*gemeenten, *peil],
    )
    out = []
    for r in df.itertuples():
        sinds = None if pd.isna(r.sinds) else pd.Timestamp(r.sinds).date()
        out.append(Signaal(r.gemeentecode, r.signaal, r.ernst, _s(r.titel) or None, _s(r.toelichting), sinds))
    return out


def vingerafdruk(bevindingen: pd.DataFrame, blokkades: pd.DataFrame, signalen_: list[Signaal]) -> str:
    """What a mail is about, as one digest: the failing records the recipient may read, the
    deliveries held back in its reach and its signals (rule and severity, not the measured
    value: a backlog that grows by one more person is not news). Equal digests: nothing new."""
    inhoud = {
        "bevindingen": sorted(
            f"{g}|{c}|{k}"
            for g, c, k in zip(
                bevindingen["gemeentecode"], bevindingen["controle"], bevindingen["sleutel"], strict=True
            )
        ),
        "blokkades": sorted(
            f"{r.gemeentecode}|{r.bron}|{r.levering}|{r.besluit}" for r in blokkades.itertuples()
        ),
        "signalen": sorted(s.sleutel for s in signalen_),
    }
    return hashlib.sha256(json.dumps(inhoud, sort_keys=True).encode()).hexdigest()[:32]


def vorige_meldingen(wh: Warehouse) -> dict[str, VorigeMelding]:
    """Per gemeente the last mail it received (status verzonden)."""
    have = set(schema.kolommen(wh, schema.MELDINGEN))
    if not have:
        return {}
    extra = ", ".join(c if c in have else f"null as {c}" for c in ("vingerafdruk", "signalen", "rapport"))
    rows = wh.query(
        f"""
        select gemeentecode, run_id, verwerkt_op, {extra}
        from (
            select *, row_number() over (partition by gemeentecode order by verwerkt_op desc) as nr
            from {schema.MELDINGEN.qualified}
            where status = 'verzonden'
        ) as m
        where nr = 1
        """
    )
    out = {}
    for code, run_id, op, vinger, sig, rapport in rows:
        titels = tuple(json.loads(sig)) if sig else ()
        out[code] = VorigeMelding(run_id, vinger, op, titels, rapport)
    return out


# --- composing -----------------------------------------------------------------------------


def _beperk(k: Kaart, domeinen: dict[str, str]) -> Kaart:
    """An executed-for gemeente's card as its uitvoerder sees it: inburgering checks only,
    with the scorecard's counts and no score (see the module's docstring)."""
    regels = [r for r in k.regels if domeinen.get(r.controle) == "inburgering"]
    return Kaart(k.gemeentecode, k.naam, regels, k.bron, None, k.blokkades)


def _regel_tekst(r: Regel, met_vorige: bool) -> str:
    was = f" (was {getal(r.vorige_afgekeurd)})" if met_vorige and r.veranderd else ""
    return f"{getal(r.afgekeurd)} van {getal(r.gecontroleerd)} records afgekeurd{was}"


def compose(
    wh: Warehouse,
    run_id: str,
    contacten: Contacten,
    uitvoering: dict[str, set[str]],
    vorige: dict[str, VorigeMelding] | None = None,
    rapporten: Path | None = None,
) -> tuple[list[Melding], list[str]]:
    """The mails of a run, and the gemeenten that get none (nothing new since their last mail).

    ``rapporten``: the folder of the monitor reports (``<home>/monitor``); a gemeente's report
    of the run's peildatum, ``<peildatum>/<code>_<peildatum>.pdf``, is attached to its mail when
    its last mail did not carry it already. A report alone does not make a mail."""
    run = resultaten.run_info(wh, run_id)
    if run is None:
        return [], []
    vorige = vorige_meldingen(wh) if vorige is None else vorige
    namen = {**gemeentenamen(wh), **{c: x.naam for c, x in contacten.gemeenten.items() if x.naam}}
    catalog = wh.query_frame(f"select * from {schema.CONTROLES.qualified} order by volgorde")
    domeinen = dict(zip(catalog["controle"], catalog["domein"], strict=True))
    uitleg = dict(zip(catalog["controle"], catalog["uitleg"], strict=True))
    namen_controle = dict(zip(catalog["controle"], catalog["naam"], strict=True))
    uitvoerder_van = referentie_uitvoerders(wh)
    nu = resultaten.bevindingen(wh, run_id)
    blokkades = blokkades_van_run(wh, run_id)
    per_basis: dict[str | None, dict[str, Kaart]] = {}
    bevindingen_van: dict[str, pd.DataFrame] = {}

    def kaarten_sinds(basis: str | None) -> dict[str, Kaart]:
        """The cards compared with the run of a gemeente's last mail (None: with nothing)."""
        if basis not in per_basis:
            ks, _, _ = kaarten(wh, run_id, basis, vergelijken=basis is not None)
            per_basis[basis] = {k.gemeentecode: k for k in ks if k.gemeentecode}
        return per_basis[basis]

    kaart_van = kaarten_sinds(None)
    ontvangers = sorted(set(kaart_van) | set(uitvoering) | set(contacten.gemeenten))
    alle_signalen = signalen(wh, ontvangers, run.peildatum)
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
        mijn_blok = blokkades[blokkades["gemeentecode"].isin(scope)] if len(blokkades) else blokkades
        mijn_signalen = [s for s in alle_signalen if s.gemeentecode == r]
        vinger = vingerafdruk(mijn, mijn_blok, mijn_signalen)
        laatste = vorige.get(r)
        if laatste is None and not len(mijn) and not len(mijn_blok) and not mijn_signalen:
            stil.append(r)  # never mailed, nothing to report
            continue
        if laatste is not None and laatste.vingerafdruk == vinger:
            stil.append(r)  # nothing new since the last mail
            continue

        basis = laatste.run_id if laatste and resultaten.run_info(wh, laatste.run_id) else None
        met_vorige = basis is not None
        kaart_basis = kaarten_sinds(basis)
        cards = []
        for code in scope:
            k = kaart_basis.get(code)
            if k is not None:
                cards.append(k if code == r else _beperk(k, domeinen))
        if basis is not None:
            if basis not in bevindingen_van:
                bevindingen_van[basis] = resultaten.bevindingen(wh, basis)
            mijn_vorig = zichtbaar(bevindingen_van[basis])
        else:
            mijn_vorig = nu.iloc[0:0]

        oud = set(zip(mijn_vorig["gemeentecode"], mijn_vorig["controle"], mijn_vorig["sleutel"], strict=True))
        rows = []
        for b in mijn.itertuples():
            klant, kenmerk = _s(b.klantnummer), _s(b.kenmerk)
            houder = _houder(b.bestand, b.gemeentecode, uitvoerder_van) if klant else None
            rows.append(
                {
                    "gemeentecode": b.gemeentecode,
                    "gemeente": namen.get(b.gemeentecode, ""),
                    "controle": namen_controle.get(b.controle, b.controle),
                    "ernst": b.ernst,
                    "klantnummer": klant,
                    "klantnummer_van": _titel(houder, namen) if houder else "",
                    "kenmerk": "" if kenmerk == klant else kenmerk,
                    "bestand": _s(b.bestand),
                    "regel": "" if pd.isna(b.regelnummer) else int(b.regelnummer),
                    "bevinding": _s(b.bevinding),
                    "nieuw": "ja" if (b.gemeentecode, b.controle, b.sleutel) not in oud else "nee",
                }
            )
        nu_keys = set(zip(mijn["gemeentecode"], mijn["controle"], mijn["sleutel"], strict=True))
        n = len(rows)
        houders = sorted({x["klantnummer_van"] for x in rows if x["klantnummer_van"]})
        titel = _titel(r, namen)
        peil = _datum(run.peildatum)
        termijn_dagen = contacten.termijn(r)
        termijn = (
            run.gecontroleerd_op.date() + dt.timedelta(days=termijn_dagen) if termijn_dagen and n else None
        )
        delen = []
        if n:
            delen.append(f"{getal(n)} {'bevinding' if n == 1 else 'bevindingen'}")
        if mijn_signalen:
            delen.append(f"{len(mijn_signalen)} {'signaal' if len(mijn_signalen) == 1 else 'signalen'}")
        onderwerp = f"regie: {titel}, peildatum {peil}: " + (
            ", ".join(delen) if delen else "alle bevindingen opgelost"
        )
        bijlage_naam = f"bevindingen_{r}_{run.peildatum}.csv"
        rapport = None
        if rapporten is not None and run.peildatum is not None:
            kandidaat = rapporten / str(run.peildatum) / f"{r}_{run.peildatum}.pdf"
            if kandidaat.is_file() and (laatste is None or laatste.rapport != kandidaat.name):
                rapport = kandidaat
        inhoud = _Inhoud(
            ontvanger=r,
            titel=titel,
            anderen=[namen.get(c, c) for c in scope[1:]],
            cards=cards,
            met_vorige=met_vorige,
            run=run,
            laatste=laatste,
            n=n,
            nieuw=sum(1 for x in rows if x["nieuw"] == "ja"),
            opgelost=len(oud - nu_keys),
            bijlage_naam=bijlage_naam,
            blokkades=[
                (
                    _titel(b.gemeentecode, namen),
                    BRONNEN.get(b.bron, b.bron),
                    b.besluit,
                    ", ".join(namen_controle.get(c.strip(), c.strip()) for c in str(b.controles).split(",")),
                )
                for b in mijn_blok.itertuples()
            ],
            signalen=mijn_signalen,
            signalen_weg=[
                t for t in (laatste.signalen if laatste else ()) if t not in _titels(mijn_signalen)
            ],
            uitleg=[
                (namen_controle.get(code, code), text)
                for code, text in uitleg.items()
                if code in {b for b in mijn["controle"]} | {reg.controle for k in cards for reg in k.falend()}
            ],
            houders=houders,
            eigen_houder=_titel(r, namen),
            termijn=termijn,
            antwoord_aan=contacten.antwoord_aan(r),
            rapport=rapport.name if rapport else None,
        )
        meldingen.append(
            Melding(
                r,
                namen.get(r),
                contacten.adressen(r),
                onderwerp,
                _tekst(inhoud),
                bijlage_naam,
                _csv(rows),
                tuple(c for c in scope if c in kaart_van or c == r),
                n,
                rows,
                html=_html(inhoud),
                antwoord_aan=contacten.antwoord_aan(r),
                vingerafdruk=vinger,
                signalen=mijn_signalen,
                peildatum=run.peildatum,
                rapport=rapport,
            )
        )
    return meldingen, stil


def _titels(signalen_: list[Signaal]) -> list[str]:
    return [s.titel or s.toelichting for s in signalen_]


def _houder(bestand, gemeentecode, uitvoerder_van: dict[str, str]) -> str | None:
    """Whose klantnummer a record carries: the gemeente that delivered the file (its
    case-management system), else the uitvoerder of the record's gemeente."""
    parts = _s(bestand).split("/")
    if len(parts) > 2 and parts[0] == "gemeente" and parts[1].startswith("GM"):
        return parts[1]
    if isinstance(gemeentecode, str):
        return uitvoerder_van.get(gemeentecode, gemeentecode)
    return None


@dataclass
class _Inhoud:
    """Everything the text and the HTML of one mail say, once."""

    ontvanger: str
    titel: str
    anderen: list[str]
    cards: list[Kaart]
    met_vorige: bool
    run: resultaten.Run
    laatste: VorigeMelding | None
    n: int
    nieuw: int
    opgelost: int
    bijlage_naam: str
    blokkades: list[tuple[str, str, str, str]]
    signalen: list[Signaal]
    signalen_weg: list[str]
    uitleg: list[tuple[str, str]]
    houders: list[str]
    eigen_houder: str
    termijn: dt.date | None
    antwoord_aan: str | None
    rapport: str | None = None

    def inleiding(self) -> str:
        return (
            f"regie heeft op {self.run.gecontroleerd_op:%d-%m-%Y} de registratie van inburgering en "
            f"huisvesting gecontroleerd (peildatum {_datum(self.run.peildatum)})."
        )

    def waarom(self) -> str:
        if self.laatste is None:
            return "Dit is de eerste mail van regie aan u."
        return (
            f"U krijgt deze mail omdat er iets is veranderd sinds onze vorige mail van "
            f"{self.laatste.verwerkt_op:%d-%m-%Y}."
        )

    def uitvoerder(self) -> str | None:
        if not self.anderen:
            return None
        return f"Als uitvoerder ontvangt u ook de bevindingen over de inburgering van {_opsomming(self.anderen)}."

    def vraag(self) -> str:
        if not self.n:
            return "Er staan geen records meer open: u hoeft niets te doen."
        tekst = f"Loop de {getal(self.n)} records in de bijlage na en herstel ze in uw eigen systeem"
        tekst += f" vóór {self.termijn:%d-%m-%Y}." if self.termijn else "."
        return tekst + " Na uw volgende levering rekent regie de cijfers opnieuw uit."

    def vragen(self) -> str:
        if self.antwoord_aan:
            return f"Vragen? Beantwoord deze mail; uw antwoord gaat naar {self.antwoord_aan}."
        return "Vragen? Beantwoord deze mail."

    def veranderd(self) -> list[str]:
        if self.laatste is None:
            return []
        out = [f"Sinds de vorige mail: {self.nieuw} nieuwe en {self.opgelost} opgeloste bevindingen."]
        for k in self.cards:
            for reg in k.regels:
                if reg.veranderd:
                    out.append(
                        f"{k.naam or k.gemeentecode}: {reg.naam}: {reg.vorige_afgekeurd} -> {reg.afgekeurd}"
                    )
        for t in self.signalen_weg:
            out.append(f"Signaal niet meer van toepassing: {t}")
        return out

    def monitor(self) -> str | None:
        if not self.rapport:
            return None
        return (
            f"Ook bijgevoegd: de monitor van peildatum {_datum(self.run.peildatum)} ({self.rapport}), "
            "met de cijfers van uw gemeente voor bestuur en raad."
        )

    def bijlage(self) -> str:
        if not self.n:
            return f"De bijlage {self.bijlage_naam} is leeg."
        tekst = (
            f"In de bijlage {self.bijlage_naam} staan de {getal(self.n)} records om na te lopen, "
            "met het klantnummer (of, waar er geen klantnummer is, een ander kenmerk). "
        )
        vreemd = [h for h in self.houders if h != self.eigen_houder]
        if vreemd:
            tekst += (
                f"Het klantnummer is dat van de organisatie in de kolom klantnummer_van: "
                f"{_opsomming(self.houders)}. "
            )
            if self.eigen_houder not in self.houders:
                tekst += "Die organisatie voert de inburgering voor u uit; zoek de klanten daar op. "
        else:
            tekst += "Het zijn uw eigen klantnummers. "
        return tekst + "De bijlage bevat geen BSN, V-nummer of geboortedatum."

    def signaal_kop(self, s: Signaal) -> str:
        sinds = f" (sinds {s.sinds:%d-%m-%Y})" if s.sinds else ""
        return f"{ERNST_SIGNAAL.get(s.ernst, s.ernst)}: {s.titel or 'signaal'}{sinds}"

    def kaart_kop(self, k: Kaart, eigen: bool) -> str:
        if eigen:
            return kop(k, self.met_vorige)
        return "de inburgering die u uitvoert (de score staat in de mail aan de gemeente zelf)"


def _tekst(i: _Inhoud) -> str:
    lines = [f"Beste collega's van {i.titel},", ""]
    lines += _alinea(f"{i.inleiding()} {i.waarom()}")
    if i.uitvoerder():
        lines += _alinea(i.uitvoerder())
    lines += ["", "WAT WE VAN U VRAGEN"]
    lines += _alinea(i.vraag())
    lines += _alinea(i.vragen())
    if i.signalen:
        lines += ["", "SIGNALEN"]
        for s in i.signalen:
            lines += _alinea(i.signaal_kop(s), "- ", "  ")
            lines += _alinea(s.toelichting, "  ", "  ")
    lines += ["", "SCORE PER GEMEENTE"]
    for k in i.cards:
        lines.append("")
        lines += _alinea(f"{k.titel}: {i.kaart_kop(k, k.gemeentecode == i.ontvanger)}", "", "  ")
        for reg in k.falend():
            lines += _alinea(f"{reg.naam} ({reg.ernst}):", "  - ", "    ")
            lines += _alinea(_regel_tekst(reg, i.met_vorige), "    ", "    ")
    veranderd = i.veranderd()
    if veranderd:
        lines += ["", "WAT IS VERANDERD"]
        lines += _alinea(veranderd[0])
        for v in veranderd[1:]:
            lines += _alinea(v, "- ", "  ")
    if i.blokkades:
        lines += ["", "NIET BIJGEWERKT"]
        for gemeente, bron, besluit, controles in i.blokkades:
            lines += _alinea(
                f"{gemeente}, {bron}: {besluit} (blokkerende controle: {controles}).", "- ", "  "
            )
        lines += _alinea("De cijfers worden weer bijgewerkt zodra de blokkerende bevindingen zijn hersteld.")
    lines += ["", "DE BIJLAGE"]
    lines += _alinea(i.bijlage())
    if i.monitor():
        lines += _alinea(i.monitor())
    if i.uitleg:
        lines += ["", "WAT DE CONTROLES BETEKENEN"]
        for naam, text in i.uitleg:
            lines += _alinea(f"{naam}: {text}", "- ", "  ")
    lines.append("")
    lines += _alinea(
        "blokkerend: de gegevens kunnen niet kloppen; de levering wordt tegengehouden en de cijfers uit "
        "die bron blijven gebaseerd op de vorige levering tot het is hersteld. waarschuwing: onvolledig "
        "of in strijd met een andere bron; de cijfers worden wel bijgewerkt."
    )
    lines += ["", "Met vriendelijke groet,", "regie"]
    return "\n".join(lines) + "\n"


_HTML = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>{{ onderwerp }}</title>
<style>
body { font-family: Arial, Helvetica, sans-serif; font-size: 14px; color: #1a1a1a; max-width: 46em; }
h2 { font-size: 15px; margin: 1.4em 0 0.4em; }
table { border-collapse: collapse; }
td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
td.getal { text-align: right; }
.urgent { color: #a00000; font-weight: bold; }
.let_op { color: #8a5a00; font-weight: bold; }
.klein { color: #555; font-size: 12px; }
</style>
</head>
<body>
<p>Beste collega's van {{ i.titel }},</p>
<p>{{ i.inleiding() }} {{ i.waarom() }}{% if i.uitvoerder() %}<br>{{ i.uitvoerder() }}{% endif %}</p>
<h2>Wat we van u vragen</h2>
<p>{{ i.vraag() }}<br>{{ i.vragen() }}</p>
{% if i.signalen %}
<h2>Signalen</h2>
<ul>
{% for s in i.signalen %}
<li><span class="{{ s.ernst }}">{{ i.signaal_kop(s) }}</span><br>{{ s.toelichting }}</li>
{% endfor %}
</ul>
{% endif %}
<h2>Score per gemeente</h2>
{% for k in i.cards %}
<p><strong>{{ k.titel }}</strong>: {{ i.kaart_kop(k, k.gemeentecode == i.ontvanger) }}</p>
{% if k.falend() %}
<table>
<tr><th>controle</th><th>ernst</th><th>afgekeurd</th></tr>
{% for reg in k.falend() %}
<tr><td>{{ reg.naam }}</td><td>{{ reg.ernst }}</td><td>{{ regel(reg, i.met_vorige) }}</td></tr>
{% endfor %}
</table>
{% endif %}
{% endfor %}
{% set veranderd = i.veranderd() %}
{% if veranderd %}
<h2>Wat is veranderd</h2>
<p>{{ veranderd[0] }}</p>
{% if veranderd | length > 1 %}<ul>{% for v in veranderd[1:] %}<li>{{ v }}</li>{% endfor %}</ul>{% endif %}
{% endif %}
{% if i.blokkades %}
<h2>Niet bijgewerkt</h2>
<ul>
{% for gemeente, bron, besluit, controles in i.blokkades %}
<li>{{ gemeente }}, {{ bron }}: {{ besluit }} (blokkerende controle: {{ controles }}).</li>
{% endfor %}
</ul>
<p>De cijfers worden weer bijgewerkt zodra de blokkerende bevindingen zijn hersteld.</p>
{% endif %}
<h2>De bijlage</h2>
<p>{{ i.bijlage() }}</p>
{% if i.monitor() %}<p>{{ i.monitor() }}</p>{% endif %}
{% if i.uitleg %}
<h2>Wat de controles betekenen</h2>
<dl>
{% for naam, text in i.uitleg %}<dt><strong>{{ naam }}</strong></dt><dd>{{ text }}</dd>
{% endfor %}
</dl>
{% endif %}
<p class="klein"><strong>blokkerend</strong>: de gegevens kunnen niet kloppen; de levering wordt tegengehouden
en de cijfers uit die bron blijven gebaseerd op de vorige levering tot het is hersteld.
<strong>waarschuwing</strong>: onvolledig of in strijd met een andere bron; de cijfers worden wel bijgewerkt.</p>
<p>Met vriendelijke groet,<br>regie</p>
</body>
</html>
"""


def _html(i: _Inhoud) -> str:
    import jinja2

    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(_HTML).render(i=i, onderwerp=f"regie: {i.titel}", regel=_regel_tekst)
