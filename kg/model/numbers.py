"""Numbers as Italian releases write them, and the checks on amounts.

``figures_in("ha raggiunto i 7,5 milioni di euro")`` gives ``{Decimal("7500000")}``,
so the loader can check that an annotated amount is one the evidence states.
Amounts are always :class:`decimal.Decimal`, never ``float``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext

SCALES = {
    "mila": Decimal(1000),
    "mille": Decimal(1000),
    "milione": Decimal(10) ** 6,
    "milioni": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "miliardo": Decimal(10) ** 9,
    "miliardi": Decimal(10) ** 9,
    "mld": Decimal(10) ** 9,
}
WORDS = {"un": Decimal(1), "uno": Decimal(1), "una": Decimal(1), "mezzo": Decimal("0.5")}

_FIGURE = re.compile(
    r"(?<![\w,.])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|un|uno|una)"
    r"(?:\s*(?P<scale>mila|mille|milioni|milione|miliardi|miliardo|mln|mld)\b)?"
    r"(?P<pct>\s*%|\s+per\s?cento)?",
    re.IGNORECASE,
)


class NumberError(ValueError):
    """A value is not a number the tool accepts."""


def italian_number(text: str) -> Decimal:
    """'7,5' -> 7.5; '14.000' -> 14000 (Italian: dot groups thousands, comma is decimal)."""
    text = text.strip().lower()
    if text in WORDS:
        return WORDS[text]
    return Decimal(text.replace(".", "").replace(",", "."))


def figures_in(text: str) -> set[Decimal]:
    """Every figure the Italian text states, scaled ('767 mila' -> 767000; '0,05%' -> 0.05)."""
    found: set[Decimal] = set()
    with localcontext() as context:
        context.prec = 100  # never round a stated figure (the default keeps 28 digits)
        for match in _FIGURE.finditer(text):
            _add_figure(match, found)
    return found


def states(text: str, value: Decimal) -> bool:
    """Whether ``text`` states the figure ``value``, in digits or in words ("due miliardi e mezzo")."""
    if value in figures_in(text):
        return True
    from kg.model.italian import find_amounts  # the fuller grammar, loaded only when the quick one fails

    with localcontext() as context:
        context.prec = 100
        return value in {amount.value for amount in find_amounts(text)}


def _add_figure(match, found: set) -> None:
    word = match.group("num").lower()
    if word in WORDS and not match.group("scale"):
        return  # "un" alone is an article, not a figure
    value = italian_number(word)
    scale = match.group("scale")
    if scale:
        value *= SCALES[scale.lower()]
    found.add(value.normalize())


def as_decimal(value, *, allow_negative: bool = False, max_value: Decimal | None = None) -> Decimal:
    """Check a YAML value is a plain decimal number; explain a decimal comma."""
    if isinstance(value, bool):
        raise NumberError(f"expected a number, got {value!r}")
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, str):
        if re.fullmatch(r"\s*-?\d+,\d+\s*", value):
            raise NumberError(
                f"'{value}' uses a decimal comma; write {value.strip().replace(',', '.')} "
                "(the evidence keeps the Italian form)"
            )
        raise NumberError(f"expected a number, got the text '{value}'")
    else:
        kind = {"LList": "a list", "LMap": "a mapping", "list": "a list", "dict": "a mapping"}.get(type(value).__name__, type(value).__name__)
        raise NumberError(f"expected a number, got {kind}")
    try:
        if not number.is_finite():
            raise NumberError(f"'{value}' is not a finite number")
    except InvalidOperation:
        raise NumberError(f"'{value}' is not a number")
    if number < 0 and not allow_negative:
        raise NumberError(f"{value} is negative; amounts are stated as positive values")
    if max_value is not None and number > max_value:
        raise NumberError(f"{value} is over {max_value}")
    return number


def decimal_places(number: Decimal) -> int:
    """Digits written after the decimal point: 0.05 -> 2, 7 -> 0."""
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
