"""The monitor's charts and Dutch numbers, without a warehouse."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from regie.monitor import figuren
from regie.monitor.rapport import datum_nl, getal


def test_dutch_numbers_and_dates():
    assert [getal(v) for v in (1564727.0, 876651.08, 59.5, -3, Decimal("12.0"), None, float("nan"))] == [
        "1.564.727", "876.651,08", "59,5", "-3", "12", "", "",
    ]  # fmt: skip
    assert datum_nl(dt.date(2025, 2, 25)) == "25 februari 2025"
    assert datum_nl("2024-10-31") == "31 oktober 2024"


def test_a_chart_is_inline_svg_that_references_nothing():
    a = figuren.staven(["2024-I", "2024-II"], {"Taakstelling": [28, 24], "Gerealiseerd": [26, None]}, "t",
                       lijn={"Achterstand": [34, 40]})  # fmt: skip
    b = figuren.lijnen(["1", "2"], {"Score": [99.1, 98.7]}, "score")
    for svg in (a, b):
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
        assert set(re.findall(r"https?://[^\"']+", svg)) <= {
            "http://www.w3.org/2000/svg",
            "http://www.w3.org/1999/xlink",
        }
        assert "<metadata" not in svg and "<!--" not in svg
        ids = set(re.findall(r'\bid="([^"]+)"', svg))
        assert set(re.findall(r'(?:url\(#|href="#)([^)"]+)', svg)) <= ids
    # two charts on one page share no id; numbers stay text; a hidden value is marked
    assert not set(re.findall(r'\bid="([^"]+)"', a)) & set(re.findall(r'\bid="([^"]+)"', b))
    assert ">2024-II<" in a and ">*<" in a
    # deterministic: the same chart twice is the same bytes
    assert a == figuren.staven(["2024-I", "2024-II"], {"Taakstelling": [28, 24], "Gerealiseerd": [26, None]}, "t",
                               lijn={"Achterstand": [34, 40]})  # fmt: skip
