"""Small helpers: dates, Dutch number formatting, random choices on dates."""

from __future__ import annotations

import datetime as dt
import random

D = dt.date
ONE_DAY = dt.timedelta(days=1)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def nl_date(d: dt.date | None) -> str:
    """dd-mm-jjjj, the usual form in Dutch exports; empty for None."""
    return "" if d is None else f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


def iso_date(d: dt.date | None) -> str:
    return "" if d is None else d.isoformat()


def nl_amount(value: float, *, thousands: bool = True, decimals: int = 2) -> str:
    """8870.51 -> '8.870,51' (or '8870,51' without thousands separators)."""
    negative = value < 0
    text = f"{abs(value):,.{decimals}f}" if thousands else f"{abs(value):.{decimals}f}"
    text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if negative else "") + text


_HOURS: dict[float, str] = {}


def nl_hours(value: float) -> str:
    """Hours with a decimal comma, no trailing ',0': 9 -> '9', 7.5 -> '7,5'."""
    text = _HOURS.get(value)
    if text is None:
        if abs(value - round(value)) < 1e-9:
            text = str(int(round(value)))
        else:
            text = f"{value:.1f}".replace(".", ",")
        _HOURS[value] = text
    return text


def year_start(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def half_of(d: dt.date) -> tuple[int, int]:
    """(year, 1|2) of the half year a date falls in."""
    return (d.year, 1 if d.month <= 6 else 2)


def half_bounds(year: int, half: int) -> tuple[dt.date, dt.date]:
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def rand_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """Uniform date in [lo, hi]; never a 29 February (keeps age arithmetic simple)."""
    if hi < lo:
        raise ValueError(f"empty date range {lo} .. {hi}")
    span = (hi - lo).days
    for _ in range(8):
        d = lo + dt.timedelta(days=rng.randint(0, span))
        if not (d.month == 2 and d.day == 29):
            return d
    return lo if not (lo.month == 2 and lo.day == 29) else lo + ONE_DAY


def clamp(d: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    return max(lo, min(hi, d))


def add_years(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def add_months(d: dt.date, n: int) -> dt.date:
    month0 = d.month - 1 + n
    year = d.year + month0 // 12
    month = month0 % 12 + 1
    day = min(d.day, [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return dt.date(year, month, day)


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def birth_for_age(rng: random.Random, on: dt.date, age: int, *, exact_birthday: bool = False) -> dt.date:
    """A birth date giving exactly ``age`` whole years on ``on``.

    ``exact_birthday`` puts the birthday on ``on`` itself (a band boundary test).
    """
    latest = add_years(on, -age)  # birthday on `on`: age reached that very day
    if exact_birthday:
        return latest
    earliest = add_years(on, -(age + 1)) + ONE_DAY
    return rand_date(rng, earliest, latest)


def weighted(rng: random.Random, pairs: list[tuple[object, float]]):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def monday_on_or_after(d: dt.date) -> dt.date:
    return d + dt.timedelta(days=(7 - d.weekday()) % 7)
