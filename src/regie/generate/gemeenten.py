"""The gemeenten the generator knows.

The five of the audit report come first. The extra list (used by
``gemeenten=N`` for load tests) holds real CBS gemeentecodes; when more are
asked for than the list holds, clearly synthetic codes GM9001, GM9002, ...
follow ("Synthetische gemeente 001" and so on).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gemeente:
    code: str  # GMxxxx
    naam: str
    provincie: str
    uitvoerder: str  # GMxxxx of the gemeente that executes inburgering

    @property
    def duo_code(self) -> str:
        return self.code[2:]


LV = "GM1916"
VOORSCHOTEN = "GM0626"
WASSENAAR = "GM0629"
OEGSTGEEST = "GM0579"
LEIDEN = "GM0546"

BASE: tuple[Gemeente, ...] = (
    Gemeente(LV, "Leidschendam-Voorburg", "Zuid-Holland", LV),
    Gemeente(VOORSCHOTEN, "Voorschoten", "Zuid-Holland", LV),
    Gemeente(WASSENAAR, "Wassenaar", "Zuid-Holland", LV),
    Gemeente(OEGSTGEEST, "Oegstgeest", "Zuid-Holland", LEIDEN),
    Gemeente(LEIDEN, "Leiden", "Zuid-Holland", LEIDEN),
)

# Real CBS codes (gemeente indeling 2024), largest first; each executes its own inburgering.
_EXTRA_REAL: tuple[tuple[str, str, str], ...] = (
    ("GM0363", "Amsterdam", "Noord-Holland"),
    ("GM0599", "Rotterdam", "Zuid-Holland"),
    ("GM0518", "'s-Gravenhage", "Zuid-Holland"),
    ("GM0344", "Utrecht", "Utrecht"),
    ("GM0772", "Eindhoven", "Noord-Brabant"),
    ("GM0014", "Groningen", "Groningen"),
    ("GM0855", "Tilburg", "Noord-Brabant"),
    ("GM0034", "Almere", "Flevoland"),
    ("GM0758", "Breda", "Noord-Brabant"),
    ("GM0268", "Nijmegen", "Gelderland"),
    ("GM0200", "Apeldoorn", "Gelderland"),
    ("GM0202", "Arnhem", "Gelderland"),
    ("GM0392", "Haarlem", "Noord-Holland"),
    ("GM0394", "Haarlemmermeer", "Noord-Holland"),
    ("GM0153", "Enschede", "Overijssel"),
    ("GM0307", "Amersfoort", "Utrecht"),
    ("GM0479", "Zaanstad", "Noord-Holland"),
    ("GM0796", "'s-Hertogenbosch", "Noord-Brabant"),
    ("GM0193", "Zwolle", "Overijssel"),
    ("GM0637", "Zoetermeer", "Zuid-Holland"),
    ("GM0080", "Leeuwarden", "Friesland"),
    ("GM0935", "Maastricht", "Limburg"),
    ("GM0505", "Dordrecht", "Zuid-Holland"),
    ("GM0228", "Ede", "Gelderland"),
    ("GM0484", "Alphen aan den Rijn", "Zuid-Holland"),
    ("GM0361", "Alkmaar", "Noord-Holland"),
    ("GM0114", "Emmen", "Drenthe"),
    ("GM0503", "Delft", "Zuid-Holland"),
    ("GM0150", "Deventer", "Overijssel"),
    ("GM0794", "Helmond", "Noord-Brabant"),
    ("GM0917", "Heerlen", "Limburg"),
    ("GM0983", "Venlo", "Limburg"),
    ("GM0362", "Amstelveen", "Noord-Holland"),
    ("GM0402", "Hilversum", "Noord-Holland"),
    ("GM0164", "Hengelo", "Overijssel"),
    ("GM0513", "Gouda", "Zuid-Holland"),
    ("GM0606", "Schiedam", "Zuid-Holland"),
    ("GM0603", "Rijswijk", "Zuid-Holland"),
    ("GM0622", "Vlaardingen", "Zuid-Holland"),
    ("GM0141", "Almelo", "Overijssel"),
    ("GM0106", "Assen", "Drenthe"),
    ("GM0356", "Nieuwegein", "Utrecht"),
    ("GM0355", "Zeist", "Utrecht"),
    ("GM0345", "Veenendaal", "Utrecht"),
    ("GM0400", "Den Helder", "Noord-Holland"),
    ("GM0405", "Hoorn", "Noord-Holland"),
    ("GM0453", "Velsen", "Noord-Holland"),
    ("GM0537", "Katwijk", "Zuid-Holland"),
    ("GM0632", "Woerden", "Utrecht"),
    ("GM0547", "Leiderdorp", "Zuid-Holland"),
)


def extra_gemeenten(n: int) -> list[Gemeente]:
    out: list[Gemeente] = []
    for i in range(n):
        if i < len(_EXTRA_REAL):
            code, naam, prov = _EXTRA_REAL[i]
        else:
            k = i - len(_EXTRA_REAL) + 1
            code, naam, prov = f"GM{9000 + k:04d}", f"Synthetische gemeente {k:03d}", "Zuid-Holland"
        out.append(Gemeente(code, naam, prov, code))
    return out


def size_class(index: int) -> float:
    """Relative size of the i-th extra gemeente (the four largest cities first)."""
    if index < 4:
        return 2.0
    if index < 12:
        return 1.3
    return 1.0
