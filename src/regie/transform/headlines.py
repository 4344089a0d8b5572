"""A few headline figures from the marts, for the end of ``regie demo``.

Backlog (achterstand) per gemeente in the latest taakstelling year, the
current leerroutes per gemeente, maatschappelijke begeleiding per gemeente, and costs
against revenue of inburgering in each gemeente's latest year with realised costs.
Reads the warehouse only; call it after the
transform has run and every writer has closed the warehouse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Settings

ROUTES = ("B1", "A2", "OND", "Z", "Z-A2")


def headlines(settings: Settings) -> str:
    """Plain-text tables; a short note instead when the marts are not there yet."""
    from ..warehouse import connect

    try:
        with connect(settings.warehouse, read_only=not settings.warehouse.startswith("postgres")) as wh:
            backlog = wh.query(
                "select g.gemeentenaam, t.gemeentecode, t.jaar, t.achterstand, t.interventieladder_trede, "
                "cast(t.peildatum as varchar) "
                "from marts.fct_taakstelling_jaar t join marts.dim_gemeente g on g.gemeentecode = t.gemeentecode "
                "where t.jaar = (select max(jaar) from marts.fct_taakstelling_jaar) "
                "order by t.achterstand desc, t.gemeentecode"
            )
            routes = wh.query(
                "select g.gemeentenaam, s.woongemeente, s.leerroute, sum(s.aantal), cast(max(s.peildatum) as varchar) "
                "from marts.fct_leerroute_stand s join marts.dim_gemeente g on g.gemeentecode = s.woongemeente "
                "group by g.gemeentenaam, s.woongemeente, s.leerroute"
            )
    except Exception as exc:  # no marts yet: say so, do not fail the demo
        return f"(no marts to show yet: {type(exc).__name__})"

    lines = []
    if backlog:
        jaar, peil = backlog[0][2], backlog[0][5]
        lines.append(f"Achterstand huisvesting statushouders {jaar} (COA, t/m {peil}):")
        for naam, code, _, achterstand, trede, _ in backlog:
            extra = f"  (interventieladder trede {trede})" if trede else ""
            lines.append(f"  {(naam or code):<24} {int(achterstand):>5}{extra}")
    per_gemeente: dict[str, dict[str, int]] = {}
    peildatum = None
    for naam, code, route, aantal, peil in routes:
        per_gemeente.setdefault(naam or code, {})[route] = int(aantal)
        peildatum = peil
    if per_gemeente:
        lines.append("")
        lines.append(f"Inburgeraars per huidige leerroute op {peildatum}:")
        lines.append(f"  {'':<24}" + "".join(f"{r:>6}" for r in ROUTES) + f"{'totaal':>8}")
        for naam in sorted(per_gemeente):
            counts = per_gemeente[naam]
            lines.append(
                f"  {naam:<24}"
                + "".join(f"{counts.get(r, 0):>6}" for r in ROUTES)
                + f"{sum(counts.values()):>8}"
            )
    lines += _begeleiding(settings)
    geld = _kosten_baten(settings)
    if geld:
        lines.append("")
        lines.append("Kosten en baten inburgering (laatste jaar met gerealiseerde kosten; euro):")
        lines.append(f"  {'':<24}{'jaar':>6}{'kosten':>12}{'baten':>12}{'saldo':>12}")
        for naam, jaar, kosten, baten, saldo in geld:
            lines.append(f"  {naam:<24}{jaar:>6}{_euro(kosten):>12}{_euro(baten):>12}{_euro(saldo):>12}")
    return "\n".join(lines) if lines else "(the marts are empty)"


#: How many of the latest years the begeleiding lines show.
MB_JAREN = 4


def _begeleiding(settings: Settings) -> list[str]:
    """One line per gemeente on maatschappelijke begeleiding: persons who started it per year,
    and at the peildatum those still in it and those beyond the 1.5-year term without extension."""
    from ..warehouse import connect

    try:
        with connect(settings.warehouse, read_only=not settings.warehouse.startswith("postgres")) as wh:
            rows = wh.query(
                "select coalesce(g.gemeentenaam, b.gemeentecode), b.jaar, b.gestart, b.lopend_31_december, "
                "b.langer_dan_termijn, cast(b.peildatum as varchar) "
                "from marts.fct_maatschappelijke_begeleiding b "
                "left join marts.dim_gemeente g on g.gemeentecode = b.gemeentecode "
                "where b.soort = 'MAATSCHAPPELIJKE_BEGELEIDING'"
            )
    except Exception:  # an older warehouse without the mart: nothing to add
        return []
    if not rows:
        return []
    peildatum = rows[0][5]
    peiljaar = int(peildatum[:4])
    jaren = sorted({int(r[1]) for r in rows})[-MB_JAREN:]
    gestart: dict[str, dict[int, int]] = {}
    lopend: dict[str, int] = {}
    te_lang: dict[str, int] = {}
    for naam, jaar, n, loopt, lang, _ in rows:
        gestart.setdefault(naam, {})[int(jaar)] = int(n)
        te_lang[naam] = te_lang.get(naam, 0) + int(lang)
        if int(jaar) == peiljaar:  # the running year: still open at the peildatum
            lopend[naam] = int(loopt)
    out = [
        "",
        f"Maatschappelijke begeleiding: gestart per jaar; lopend en langer dan de termijn op {peildatum}:",
        f"  {'':<24}" + "".join(f"{j:>6}" for j in jaren) + f"{'lopend':>8}{'te lang':>9}",
    ]
    for naam in sorted(gestart):
        out.append(
            f"  {naam:<24}"
            + "".join(f"{gestart[naam].get(j, 0):>6}" for j in jaren)
            + f"{lopend.get(naam, 0):>8}{te_lang.get(naam, 0):>9}"
        )
    return out


def _euro(value) -> str:
    return "-" if value is None else f"{round(float(value)):,}".replace(",", ".")


def _kosten_baten(settings: Settings) -> list[tuple]:
    """Per gemeente: its latest year with realised costs (fct_kosten_baten), or nothing."""
    from ..warehouse import connect

    try:
        with connect(settings.warehouse, read_only=not settings.warehouse.startswith("postgres")) as wh:
            rows = wh.query(
                "select coalesce(g.gemeentenaam, k.gemeentecode), k.jaar, k.kosten_totaal, k.baten_totaal, k.saldo "
                "from marts.fct_kosten_baten k join marts.dim_gemeente g on g.gemeentecode = k.gemeentecode "
                "where k.kosten_soort = 'REALISATIE' and k.jaar = (select max(l.jaar) from marts.fct_kosten_baten l "
                "where l.gemeentecode = k.gemeentecode and l.kosten_soort = 'REALISATIE') "
                "order by 1"
            )
    except Exception:  # a warehouse built before fct_kosten_baten existed
        return []
    return [(naam, int(jaar), kosten, baten, saldo) for naam, jaar, kosten, baten, saldo in rows]
