"""Figures of the 2025 audit report that the sample data must reproduce.

These are the generator's targets. The tests type the same figures in
separately, so a slip in one shows up against the other. Where the report
contradicts itself the cells are followed (see docs/sample-data.md).

Conventions: a '-', '.' or empty cell is 0. Years run 2022, 2023, 2024
(and 2025 where the report has that column).
"""

from __future__ import annotations

from .gemeenten import LV, OEGSTGEEST, VOORSCHOTEN, WASSENAAR

SH = "statushouder"
GZ = "gezinsmigrant"

# --- Tables 3.2-3.5: taakstelling -------------------------------------------------
# Half-year split is ours; the report only gives years. Per gemeente:
# stand_begin of 2019-I, then (taakstelling, gerealiseerd) per half year 2019-I .. 2024-II
# (2024-II realised up to 31 October 2024), and the published corrections: an amount
# added to the computed opening balance of a half year.
TAAKSTELLING: dict[str, dict] = {
    LV: {
        "start": 22,
        "halves": [
            (26, 40),
            (26, 44),
            (26, 15),
            (26, 22),
            (50, 38),
            (57, 51),
            (48, 60),
            (55, 71),
            (79, 50),
            (90, 38),
            (84, 40),
            (72, 28),
        ],
        "corrections": {(2021, 2): +1, (2022, 1): -1, (2023, 1): +12},
    },
    VOORSCHOTEN: {
        "start": 15,
        "halves": [
            (9, 10),
            (9, 12),
            (9, 12),
            (9, 13),
            (18, 20),
            (18, 18),
            (17, 15),
            (18, 18),
            (27, 12),
            (30, 13),
            (28, 26),
            (24, 18),
        ],
        "corrections": {(2021, 1): -4},
    },
    WASSENAAR: {
        "start": 11,
        "halves": [
            (9, 17),
            (9, 18),
            (9, 8),
            (10, 12),
            (19, 16),
            (19, 20),
            (18, 22),
            (19, 25),
            (29, 27),
            (31, 25),
            (28, 12),
            (27, 6),
        ],
        "corrections": {(2021, 1): +4},
    },
    OEGSTGEEST: {
        "start": 9,
        "halves": [
            (9, 16),
            (9, 19),
            (9, 10),
            (8, 11),
            (18, 11),
            (18, 13),
            (17, 20),
            (18, 19),
            (28, 20),
            (29, 17),
            (27, 22),
            (25, 16),
        ],
        "corrections": {},
    },
}

# The yearly view as published (stand 1 jan, taakstelling, totale, gerealiseerd).
TAAKSTELLING_JAAR: dict[str, dict[int, tuple[int, int, int, int]]] = {
    LV: {
        2019: (22, 52, 74, 84),
        2020: (-10, 52, 42, 37),
        2021: (5, 107, 113, 89),
        2022: (23, 103, 126, 131),
        2023: (7, 169, 176, 88),
        2024: (88, 156, 244, 68),
    },
    VOORSCHOTEN: {
        2019: (15, 18, 33, 22),
        2020: (11, 18, 29, 25),
        2021: (0, 36, 36, 38),
        2022: (-2, 35, 33, 33),
        2023: (0, 57, 57, 25),
        2024: (32, 52, 84, 44),
    },
    WASSENAAR: {
        2019: (11, 18, 29, 35),
        2020: (-6, 19, 13, 20),
        2021: (-3, 38, 35, 36),
        2022: (-1, 37, 36, 47),
        2023: (-11, 60, 49, 52),
        2024: (-3, 55, 52, 18),
    },
    OEGSTGEEST: {
        2019: (9, 18, 27, 35),
        2020: (-8, 17, 9, 21),
        2021: (-12, 36, 24, 24),
        2022: (0, 35, 35, 39),
        2023: (-4, 57, 53, 37),
        2024: (16, 52, 68, 38),
    },
}

# --- Tables 5.7-5.9: inburgeraars by dossier year ----------------------------------
# (doelgroep, geslacht, leeftijdsklasse) -> (2022, 2023, 2024)
INSTROOM: dict[str, dict[tuple[str, str, str], tuple[int, int, int]]] = {
    LV: {
        (GZ, "M", "18-27"): (0, 3, 6),
        (SH, "M", "18-27"): (1, 11, 10),
        (GZ, "V", "18-27"): (1, 8, 14),
        (SH, "V", "18-27"): (3, 15, 9),
        (GZ, "M", "27-50"): (11, 17, 20),
        (SH, "M", "27-50"): (7, 20, 13),
        (GZ, "V", "27-50"): (21, 42, 33),
        (SH, "V", "27-50"): (11, 15, 19),
        (GZ, "M", "50-68"): (1, 6, 3),
        (SH, "M", "50-68"): (0, 3, 2),
        (GZ, "V", "50-68"): (4, 2, 4),
        (SH, "V", "50-68"): (2, 4, 4),
    },
    VOORSCHOTEN: {
        (GZ, "M", "18-27"): (0, 2, 2),
        (SH, "M", "18-27"): (1, 7, 7),
        (GZ, "V", "18-27"): (1, 1, 3),
        (SH, "V", "18-27"): (1, 5, 2),
        (GZ, "M", "27-50"): (1, 2, 2),
        (SH, "M", "27-50"): (3, 6, 11),
        (GZ, "V", "27-50"): (3, 6, 5),
        (SH, "V", "27-50"): (3, 10, 5),
        (GZ, "M", "50-68"): (1, 3, 2),
        (SH, "M", "50-68"): (0, 2, 1),
        # printed as "1 1 2 ." (totals suggest 0, 1, 1); the cells are followed
        (GZ, "V", "50-68"): (1, 1, 2),
        (SH, "V", "50-68"): (0, 2, 0),
    },
    WASSENAAR: {
        (GZ, "M", "18-27"): (2, 1, 3),
        (SH, "M", "18-27"): (3, 4, 2),
        (GZ, "V", "18-27"): (1, 6, 2),
        (SH, "V", "18-27"): (0, 2, 4),
        (GZ, "M", "27-50"): (1, 3, 6),
        (SH, "M", "27-50"): (1, 6, 5),
        (GZ, "V", "27-50"): (0, 10, 5),
        (SH, "V", "27-50"): (5, 5, 2),
        (GZ, "M", "50-68"): (2, 2, 0),
        (SH, "M", "50-68"): (0, 2, 0),
        (GZ, "V", "50-68"): (1, 2, 0),
        (SH, "V", "50-68"): (0, 1, 1),
    },
}

# --- Tables 6.12-6.14, 6.17: current leerroute at 25 February 2025 ------------------
# (doelgroep, leerroute) -> counts per instroomjaar 2022, 2023, 2024, 2025
LEERROUTE_STAND: dict[str, dict[tuple[str, str], tuple[int, int, int, int]]] = {
    LV: {
        (GZ, "A2"): (0, 2, 0, 0),
        (SH, "A2"): (0, 1, 0, 0),
        (GZ, "B1"): (23, 64, 76, 6),
        (SH, "B1"): (13, 35, 27, 4),
        (GZ, "OND"): (0, 0, 1, 0),
        (SH, "OND"): (2, 18, 8, 1),
        (GZ, "Z"): (0, 5, 3, 0),
        (SH, "Z"): (3, 15, 18, 0),
        (GZ, "Z-A2"): (0, 0, 0, 0),
        (SH, "Z-A2"): (0, 0, 2, 0),
    },
    VOORSCHOTEN: {
        (GZ, "A2"): (0, 1, 0, 0),
        (SH, "A2"): (0, 0, 0, 0),
        (GZ, "B1"): (4, 10, 14, 0),
        (SH, "B1"): (3, 15, 14, 1),
        (GZ, "OND"): (0, 0, 0, 0),
        (SH, "OND"): (1, 4, 11, 0),
        (GZ, "Z"): (0, 0, 1, 0),
        (SH, "Z"): (3, 1, 6, 0),
        (GZ, "Z-A2"): (0, 0, 0, 0),
        (SH, "Z-A2"): (0, 0, 1, 0),
    },
    WASSENAAR: {
        # the report's total column shows '-' for gezinsmigranten A2, the 2022 cell shows 1
        (GZ, "A2"): (1, 0, 0, 0),
        (SH, "A2"): (1, 0, 0, 0),
        (GZ, "B1"): (4, 18, 18, 0),
        (SH, "B1"): (0, 5, 7, 0),
        (GZ, "OND"): (1, 0, 0, 0),
        (SH, "OND"): (0, 3, 0, 0),
        (GZ, "Z"): (1, 1, 1, 0),
        (SH, "Z"): (4, 10, 6, 0),
        (GZ, "Z-A2"): (0, 0, 0, 0),
        (SH, "Z-A2"): (1, 0, 1, 0),
    },
    OEGSTGEEST: {
        (GZ, "B1"): (0, 18, 8, 0),
        (SH, "B1"): (12, 18, 19, 0),
        (GZ, "OND"): (0, 0, 0, 0),
        (SH, "OND"): (1, 2, 5, 0),
        (GZ, "Z"): (0, 3, 1, 0),
        (SH, "Z"): (2, 3, 9, 0),
    },
}

# Route switches the report describes: (doelgroep, from, to, instroomjaar). 'to' None means the
# person has no current route afterwards (Wassenaar: destination unknown; Oegstgeest: on hold).
SWITCHES: dict[str, list[tuple[str, str, str | None, int]]] = {
    LV: [
        (SH, "B1", "OND", 2022),
        (SH, "B1", "OND", 2023),
        (SH, "B1", "OND", 2023),
        (SH, "Z", "OND", 2023),
        (GZ, "Z", "B1", 2023),
        (GZ, "Z", "A2", 2023),
    ],
    VOORSCHOTEN: [(SH, "B1", "OND", 2022)],
    WASSENAAR: [
        (SH, "B1", "Z", 2023),
        (SH, "B1", "OND", 2023),
        (SH, "B1", None, 2023),
        (GZ, "Z", "B1", 2023),
    ],
    OEGSTGEEST: [(SH, "B1", None, 2023), (SH, "OND", "B1", 2023)],
}

# --- Table 6.15: uitstroom 2023 and 2024 ------------------------------------------
# (doelgroep, jaar uitstroom, leerroute at that moment, reden, instroomjaar) -- reden and
# instroomjaar are ours; the report gives year, route and count only.
UITSTROOM: dict[str, list[tuple[str, int, str, str, int]]] = {
    LV: (
        [(GZ, 2023, "B1", "diploma", 2022)] * 3
        + [(GZ, 2023, "B1", "verhuisd", 2022)]
        + [(GZ, 2024, "B1", "diploma", 2022)] * 6
        + [(GZ, 2024, "B1", "diploma", 2023)]
        + [(GZ, 2024, "B1", "verhuisd", 2023), (GZ, 2024, "B1", "vertrokken", 2022)]
        + [
            (SH, 2023, "B1", "diploma", 2022),
            (SH, 2024, "OND", "diploma", 2022),
            (SH, 2024, "Z", "certificaat", 2022),
        ]
    ),
    VOORSCHOTEN: (
        [(GZ, 2024, "B1", "diploma", 2022)] * 2
        + [(GZ, 2024, "B1", "verhuisd", 2022), (GZ, 2024, "B1", "diploma", 2023)]
        + [
            (SH, 2023, "B1", "diploma", 2022),
            (SH, 2023, "B1", "verhuisd", 2023),
            (SH, 2024, "B1", "ontheffing", 2023),
        ]
    ),
    WASSENAAR: [
        (SH, 2024, "B1", "diploma", 2022),
        (SH, 2024, "B1", "diploma", 2022),
        (SH, 2024, "B1", "verhuisd", 2022),
    ],
    # Oegstgeest is not in table 6.15; §6.3.1 mentions one completed inburgering.
    OEGSTGEEST: [
        (GZ, 2024, "B1", "diploma", 2022),
        (GZ, 2023, "B1", "verhuisd", 2023),
        (GZ, 2024, "B1", "verhuisd", 2023),
        (GZ, 2024, "B1", "vertrokken", 2023),
    ],
}

# --- Tables 7.18-7.21: PVT and MAP, distinct persons by start year 2022, 2023, 2024 ---
PVT: dict[str, dict[str, tuple[int, int, int]]] = {
    LV: {GZ: (26, 58, 44), SH: (20, 69, 26)},
    VOORSCHOTEN: {GZ: (2, 10, 8), SH: (8, 27, 11)},
    WASSENAAR: {GZ: (6, 21, 8), SH: (6, 15, 10)},
    OEGSTGEEST: {GZ: (0, 0, 19), SH: (0, 4, 27)},
}
MAP: dict[str, dict[str, tuple[int, int, int]]] = {
    LV: {GZ: (27, 53, 40), SH: (20, 51, 21)},
    VOORSCHOTEN: {GZ: (2, 9, 6), SH: (8, 23, 7)},
    WASSENAAR: {GZ: (6, 16, 7), SH: (8, 13, 6)},
    OEGSTGEEST: {GZ: (0, 6, 0), SH: (0, 1, 7)},
}

# --- Tables 5.10/5.11: PIPs set ---------------------------------------------------
# LV/V/W: January 2022 - November 2024; Oegstgeest: May 2022 - October 2024.
PIPS: dict[str, int] = {LV: 283, VOORSCHOTEN: 84, WASSENAAR: 83, OEGSTGEEST: 110}

# --- Oegstgeest, §5.3.1 and §6.3.1 --------------------------------------------------
OEGSTGEEST_DOSSIERS = {SH: 72, GZ: 40}  # 112 inburgeraars
OEGSTGEEST_ZONDER_LEERROUTE = 6  # of whom 2 have no PIP

# --- Table 4.6: Wi2013 still obligated on 1 August 2024 -------------------------------
# "60 +*" is read as 60 plus one suppressed small cell; every '*' is filled with STAR.
STAR = 2
WI2013: dict[str, dict[str, int]] = {
    LV: {GZ: 60 + STAR, SH: 64 + STAR},
    VOORSCHOTEN: {GZ: STAR, SH: 14 + STAR},
    WASSENAAR: {GZ: 9 + STAR, SH: 18 + STAR},
    OEGSTGEEST: {GZ: STAR, SH: 11 + STAR},
}

# --- §7.2.1: outcomes registered by Leidschendam-Voorburg 2022-2024 -----------------
UITKOMSTEN_LV = {"BETAALD_WERK": 23, "VRIJWILLIGERSWERK": 13, "LEERWERKTRAJECT": 11}

# --- §5.2.1: top countries of origin of the 2022-2024 inburgeraars -------------------
HERKOMST: dict[str, dict[str, int]] = {
    LV: {
        "Syrië": 71,
        "Turkije": 51,
        "Iran": 13,
        "Jemen": 13,
        "Afghanistan": 13,
        "Verenigde Staten": 12,
        "India": 12,
        "China": 12,
        "Nederland": 11,
    },
    VOORSCHOTEN: {
        "Syrië": 31,
        "Turkije": 23,
        "Afghanistan": 6,
        "Jemen": 6,
        "Verenigde Staten": 2,
        "Verenigd Koninkrijk": 2,
        "Eritrea": 2,
        "Filipijnen": 2,
        "Iran": 2,
        "Japan": 2,
    },
    WASSENAAR: {
        "Syrië": 26,
        "Eritrea": 14,
        "Afghanistan": 7,
        "Verenigde Staten": 4,
        "China": 3,
        "Rusland": 3,
        "Irak": 2,
        "Marokko": 2,
        "Pakistan": 2,
        "Brazilië": 2,
    },
}

# --- §10.2: costs, gemeentefonds and SPUK revenue: see report_financien.py ----------

# --- Tables 8.22 and 8.23: maatschappelijke begeleiding ---------------------------
# Statushouders who started maatschappelijke begeleiding with VluchtelingenWerk, per
# year 2022, 2023, 2024. Table 8.22 has lost its year header in the report; its rows
# follow table 8.23's columns (see docs/report-differences.md).
MB_GESTART: dict[str, tuple[int, int, int]] = {
    LV: (17, 67, 29),
    VOORSCHOTEN: (8, 29, 17),
    WASSENAAR: (8, 20, 8),
    OEGSTGEEST: (26, 22, 21),
}
MB_JAREN = (2022, 2023, 2024)
