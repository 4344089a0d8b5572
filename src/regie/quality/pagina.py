"""regie's own page of findings: the scorecard of a run as one Dutch HTML file that opens anywhere.

It replaces Great Expectations' Data Docs, which load Bootstrap, jQuery and
Vega from public CDNs, show a newsletter box and speak English. This page is
one file, ``<home>/quality/bevindingen.html``: inline styles, no script, no
image, no font, no link to anything outside it, so it opens the same from a
file share, a mail attachment or a machine without internet.

It shows per gemeente (and per national source) the scorecard of the run, from
the same cards and the same headline as the terminal and the mails
(:mod:`regie.quality.scorecard`), every check that applied with its counts, the
deliveries held back, and what each check means. It holds counts only, never
a record: the records go to each gemeente in its own mail.
"""

from __future__ import annotations

from pathlib import Path

from ..warehouse import Warehouse
from . import schema
from .scorecard import Kaart, blokkades_van_run, getal, kaarten, kop, procent

BESTAND = "bevindingen.html"

_HTML = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Registratiekwaliteit, peildatum {{ peildatum }}</title>
<style>
body { font-family: Arial, Helvetica, sans-serif; font-size: 15px; color: #1a1a1a; margin: 2em auto;
       max-width: 62em; padding: 0 1em; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 2em; } h3 { font-size: 16px; margin-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.4em 0 1em; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 12px 3px 0; text-align: left; vertical-align: top; }
td.getal, th.getal { text-align: right; }
.blokkerend { color: #a00000; font-weight: bold; }
.fout { background: #fff4f4; }
.stil { color: #666; }
dt { font-weight: bold; margin-top: 0.6em; }
</style>
</head>
<body>
<h1>Registratiekwaliteit, peildatum {{ peildatum }}</h1>
<p>Gecontroleerd op {{ gecontroleerd_op }} (run {{ run_id }}){% if vorige %}; vergeleken met de controle
van {{ vorige }}{% endif %}. De score van een gemeente is het gemiddelde, over de controles die op haar
van toepassing waren, van het deel van haar records dat goedgekeurd is: 100% betekent dat elk record
elke controle doorstond. De records zelf staan in de mail aan elke gemeente.</p>
<h2>Overzicht</h2>
<table>
<tr><th>gemeente of bron</th><th class="getal">score</th><th class="getal">afgekeurd</th>
<th class="getal">controles met afgekeurde records</th></tr>
{% for k in kaarten %}
<tr><td><a href="#{{ anker(k) }}">{{ k.titel }}</a></td><td class="getal">{{ procent(k.score) }}</td>
<td class="getal">{{ getal(k.afgekeurd) }}</td><td class="getal">{{ k.falend() | length }}</td></tr>
{% endfor %}
</table>
{% if blokkades %}
<h2>Tegengehouden leveringen</h2>
<table>
<tr><th>gemeente</th><th>levering</th><th>besluit</th><th>blokkerende controles</th></tr>
{% for b in blokkades %}
<tr><td>{{ b.gemeente }}</td><td>{{ b.levering }}</td><td>{{ b.besluit }}</td><td>{{ b.controles }}</td></tr>
{% endfor %}
</table>
{% endif %}
<h2>Per gemeente</h2>
{% for k in kaarten %}
<h3 id="{{ anker(k) }}">{{ k.titel }}</h3>
<p>{{ kop(k) }}</p>
<table>
<tr><th>controle</th><th>ernst</th><th class="getal">gecontroleerd</th><th class="getal">afgekeurd</th>
{% if met_vorige %}<th class="getal">vorige keer</th>{% endif %}</tr>
{% for r in regels(k) %}
<tr class="{{ 'fout' if r.afgekeurd else 'stil' }}"><td>{{ r.naam }}</td><td class="{{ r.ernst }}">{{ r.ernst }}</td>
<td class="getal">{{ getal(r.gecontroleerd) }}</td><td class="getal">{{ getal(r.afgekeurd) }}</td>
{% if met_vorige %}<td class="getal">{{ '' if r.vorige_afgekeurd is none else getal(r.vorige_afgekeurd) }}</td>{% endif %}</tr>
{% endfor %}
</table>
{% endfor %}
<h2>Wat de controles betekenen</h2>
<p><strong>blokkerend</strong>: de gegevens kunnen niet kloppen; de levering wordt voor de gemeente van
het record tegengehouden en haar cijfers blijven gebaseerd op de vorige levering tot het is hersteld.
<strong>waarschuwing</strong>: onvolledig of in strijd met een andere bron; de cijfers worden wel bijgewerkt.</p>
<dl>
{% for c in controles %}
<dt>{{ c.naam }} <span class="{{ c.ernst }}">({{ c.ernst }})</span></dt><dd>{{ c.uitleg }}</dd>
{% endfor %}
</dl>
</body>
</html>
"""


def _anker(k: Kaart) -> str:
    return k.gemeentecode or f"bron-{k.bron}"


def _regels(k: Kaart):
    """The checks that applied, failing ones first (as on the scorecard), then the rest by name."""
    falend = k.falend()
    rest = sorted((r for r in k.regels if r not in falend and r.gecontroleerd), key=lambda r: r.naam)
    return falend + rest


def html(wh: Warehouse, run_id: str) -> str | None:
    """The page of a run (None: no such run)."""
    import jinja2

    ks, run, vorige = kaarten(wh, run_id)
    if run is None:
        return None
    catalog = wh.query_frame(
        f"select naam, uitleg, ernst from {schema.CONTROLES.qualified} order by volgorde"
    )
    namen_controle = dict(
        wh.query_frame(f"select controle, naam from {schema.CONTROLES.qualified}").itertuples(index=False)
    )
    titels = {k.gemeentecode: k.titel for k in ks if k.gemeentecode}
    blokkades = [
        {
            "gemeente": titels.get(b.gemeentecode, b.gemeentecode),
            "levering": b.levering,
            "besluit": b.besluit,
            "controles": ", ".join(
                namen_controle.get(c.strip(), c.strip()) for c in str(b.controles).split(",")
            ),
        }
        for b in blokkades_van_run(wh, run_id).itertuples()
    ]
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(_HTML).render(
        peildatum=run.peildatum.strftime("%d-%m-%Y") if run.peildatum else "onbekend",
        gecontroleerd_op=f"{run.gecontroleerd_op:%d-%m-%Y %H:%M}",
        run_id=run.run_id,
        vorige=f"{vorige.gecontroleerd_op:%d-%m-%Y %H:%M}" if vorige else None,
        met_vorige=vorige is not None,
        kaarten=ks,
        blokkades=blokkades,
        controles=list(catalog.itertuples(index=False)),
        anker=_anker,
        regels=_regels,
        kop=kop,
        procent=procent,
        getal=getal,
    )


def write(wh: Warehouse, run_id: str, folder: Path) -> Path | None:
    """Write the page of a run to ``folder/bevindingen.html`` (atomically); its path."""
    text = html(wh, run_id)
    if text is None:
        return None
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / BESTAND
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
