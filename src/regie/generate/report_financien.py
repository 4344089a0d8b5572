"""Money figures of the 2025 audit report (§10.2) that the sample data must reproduce:
the gemeenten's costs and gemeentefonds income, and their SPUK revenue.

Part of the generator's targets; see ``report.py`` for the conventions.
"""

from __future__ import annotations

from .gemeenten import LV, OEGSTGEEST, VOORSCHOTEN, WASSENAAR

# --- §10.2: costs (LAST) and gemeentefonds (BATE), whole euros -------------------------
# post -> {jaar: (bedrag, soort)}; "p.m." and '*'-only cells are left out.
R, B = "REALISATIE", "BEGROTING"
FINANCIEN: dict[str, dict[str, dict[int, tuple[int, str]]]] = {
    OEGSTGEEST: {
        "LEERROUTES": {2022: (96681, R), 2023: (166711, R), 2024: (240316, R)},
        "MAATSCHAPPELIJKE_BEGELEIDING": {2022: (30810, R), 2023: (27016, R), 2024: (65512, B)},
        "FORMATIE": {2022: (194243, R), 2023: (313004, R), 2024: (323757, B)},
        "GEMEENTEFONDS": {
            2022: (104742, R),
            2023: (119111, R),
            2024: (94180, B),
            2025: (88517, B),
            2026: (86981, B),
        },
    },
    LV: {
        "LEERROUTES": {2022: (88514, R), 2023: (441503, R), 2024: (1627201, B)},
        "MAATSCHAPPELIJKE_BEGELEIDING": {2022: (294860, R), 2023: (236988, R)},
        "PVT": {2022: (12376, R), 2023: (30245, R)},
        "PARTICIPATIECOMPONENT": {2023: (22606, R)},
        "FORMATIE": {2022: (268467, R), 2023: (610584, R), 2024: (677193, B)},
        "GEMEENTEFONDS": {
            2022: (364869, R),
            2023: (461645, R),
            2024: (346896, B),
            2025: (315759, B),
            2026: (311024, B),
        },
    },
    VOORSCHOTEN: {
        "LEERROUTES": {
            2022: (4300, R),
            2023: (28800, R),
            2024: (535000, R),
            2025: (507000, B),
            2026: (507000, B),
        },
        "MAATSCHAPPELIJKE_BEGELEIDING": {2022: (60600, R), 2023: (61500, R)},
        "PVT": {2022: (10700, R), 2023: (4000, R), 2024: (5700, R)},
        "PARTICIPATIECOMPONENT": {2022: (37400, R), 2023: (131200, R)},
        "FORMATIE": {
            2022: (112000, R),
            2023: (127300, R),
            2024: (146000, R),
            2025: (150000, B),
            2026: (150000, B),
        },
        "GEMEENTEFONDS": {
            2022: (109020, R),
            2023: (118981, R),
            2024: (99347, B),
            2025: (91894, B),
            2026: (90310, B),
        },
    },
    WASSENAAR: {
        "LEERROUTES": {
            2022: (10834, R),
            2023: (83610, R),
            2024: (20000, B),
            2025: (20000, B),
            2026: (20000, B),
        },
        "MAATSCHAPPELIJKE_BEGELEIDING": {
            2022: (50544, R),
            2023: (54100, R),
            2024: (105124, B),
            2025: (9000, B),
        },
        "PVT": {2022: (3132, R), 2023: (3672, R), 2024: (10783, B), 2025: (9000, B)},
        "PARTICIPATIECOMPONENT": {2022: (2240, R), 2023: (5133, R), 2024: (72668, B), 2025: (63000, B)},
        "FORMATIE": {
            2022: (124920, R),
            2023: (134443, R),
            2024: (140000, B),
            2025: (149822, B),
            2026: (149822, B),
        },
        "GEMEENTEFONDS": {
            2022: (120887, R),
            2023: (143663, R),
            2024: (105832, B),
            2025: (99296, B),
            2026: (97668, B),
        },
    },
}

# SPUK revenue (G10 + G13 + A38 together) per year: 2022-2023 definitive, 2024-2025 provisional.
SPUK_BATEN: dict[str, dict[int, int]] = {
    OEGSTGEEST: {2022: 182680, 2023: 303023, 2024: 570005, 2025: 523780},
    LV: {2022: 413971, 2023: 880930, 2024: 1696540, 2025: 1564727},
    VOORSCHOTEN: {2022: 100352, 2023: 299448, 2024: 557591, 2025: 529888},
    WASSENAAR: {2022: 104017, 2023: 319730, 2024: 589625, 2025: 551936},
}
