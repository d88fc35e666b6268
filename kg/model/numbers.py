"""Numbers: the annotation's YAML values, and the one grammar of numbers as Italian releases write them.

One module answers "which number is this?" for both sides of the loader's check that an
annotated amount is a figure its evidence states:

* the annotation writes plain YAML decimals (``7500000``, ``0.05``): :func:`as_decimal`
  checks them (and explains a decimal comma), :func:`decimal_places` counts their digits;
* the release writes Italian: figures (``1.234,5``: the dot groups thousands, the comma
  is the decimal mark), number words (``due``, ``diciotto``, ``duecentocinquantamila``),
  scales (``mila``, ``mille``, ``milioni``, ``mln``, ``miliardi``, ``mld``), compounds
  (``12 miliardi e 400 milioni``, ``due miliardi e mezzo``, ``il miliardo e 300 milioni``),
  percentages (``0,05%``, ``3 per cento``) and signed changes (``+5,6%``, ``-55,5%``).

The Italian side is read here once, for the loader (:func:`figures_in`, :func:`states`)
and for ``kg extract`` (:func:`find_amounts`, :func:`find_percentages`); the period
phrases (``primi nove mesi del 2025``) are in :mod:`kg.model.periods`, which reads their
counts with :func:`cardinal`. The two sides share a module because they are the two
spellings of the same value, and the loader's message for ``7,5`` in the YAML points from
one to the other.

    >>> figures_in("ha raggiunto i 7,5 milioni di euro, pari allo 0,05%") == {Decimal("7500000"), Decimal("0.05")}
    True
    >>> [m.value for m in find_amounts("due miliardi e mezzo, 12 miliardi e 400 milioni di euro")]
    [Decimal('2500000000'), Decimal('12400000000')]

Number words are read by text2num (its Italian grammar: units, teens, tens with their
elisions, hundreds, thousands). The project's own rules, which no library has, are the
ones of release prose: an article standing for one before a scale ("il miliardo"),
"mezzo" as a half ("mezzo milione", "due miliardi e mezzo"), a compound only when its
second part is smaller than the first part's scale ("3 milioni e 5 milioni" are two
amounts), the abbreviations "mln" and "mld", and a sign that is a sign only when it
touches its digits (an en dash followed by a space separates clauses).

Amounts are always :class:`decimal.Decimal`, never ``float``, and never rounded: the
arithmetic runs with more digits than the text has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from typing import Generic, TypeVar

V = TypeVar("V")

SCALES = {
    "mila": Decimal(10) ** 3,
    "mille": Decimal(10) ** 3,
    "milione": Decimal(10) ** 6,
    "milioni": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "mln.": Decimal(10) ** 6,
    "miliardo": Decimal(10) ** 9,
    "miliardi": Decimal(10) ** 9,
    "mld": Decimal(10) ** 9,
    "mld.": Decimal(10) ** 9,
}
# what a word means before a scale that text2num does not read as a number
ONE_BEFORE_A_SCALE = {"il": Decimal(1), "un": Decimal(1), "uno": Decimal(1), "una": Decimal(1), "mezzo": Decimal("0.5")}
# the pieces Italian number words are made of; text2num decides whether a word made of them is a number
WORD_PIECES = (
    "un", "uno", "una", "due", "tre", "tré", "quattro", "cinque", "sei", "sette", "otto", "nove",
    "dieci", "undici", "dodici", "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove",
    "venti", "vent", "trenta", "trent", "quaranta", "quarant", "cinquanta", "cinquant", "sessanta", "sessant",
    "settanta", "settant", "ottanta", "ottant", "novanta", "novant", "cento", "cent", "mille", "mila",
)
MINUS_SIGNS = ("-", "−", "–")  # hyphen-minus, minus sign, en dash

FIGURE = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![.,]?\d)|\d+(?:,\d+)?(?![.,]?\d)"
"""An Italian figure: '7,5', '14.000', '2.400.000', '1.234,5' (never '1.5' nor '1.2345')."""
WORD = r"(?<!\w)(?:" + "|".join(sorted(WORD_PIECES, key=len, reverse=True)) + r")+(?!\w)"
"""A word that may be an Italian cardinal ('nove', 'diciotto', 'duecentomila'); :func:`cardinal` decides."""
SCALE = "(?:" + "|".join(re.escape(s) for s in sorted(SCALES, key=len, reverse=True)) + r")(?!\w)"
PERCENT_SIGN = r"(?:\s?%|\s+per\s?cento\b)"

_START = r"(?<![\w,.])"
# the quick reading, for the loader: every figure in digits, scaled, and "un milione"
_FIGURES = re.compile(
    rf"{_START}(?P<num>{FIGURE}|(?:un|uno|una)(?!\w))(?:\s*(?P<scale>{SCALE}))?(?P<pct>{PERCENT_SIGN})?",
    re.IGNORECASE,
)


def _count(i: int) -> str:
    return rf"(?:(?P<n{i}>{FIGURE})|(?P<w{i}>{WORD}|il|mezzo))\s*(?P<s{i}>{SCALE})"


# amounts, for the extractor and the loader's fuller reading: a count and a scale, perhaps a second
# part ("e 400 milioni", "e mezzo"), or a figure or number word followed by "euro"
_AMOUNT = re.compile(
    rf"{_START}(?:{_count(1)}(?:\s+e\s+(?:(?P<half>mezzo)(?!\w)|{_count(2)}))?"
    rf"|(?:(?P<bare>{FIGURE})|(?P<bareword>{WORD}))(?=\s*(?:di\s+)?euro\b))(?P<euro>\s*(?:di\s+)?euro\b)?",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"{_START}(?P<sign>[+\-−–](?=\d))?(?P<n>{FIGURE}){PERCENT_SIGN}", re.IGNORECASE)


class NumberError(ValueError):
    """A value is not a number the tool accepts."""


@dataclass(frozen=True)
class Found(Generic[V]):
    """A stretch of the text, [start, end), and what it means (``value``, of ``kind``)."""

    start: int
    end: int
    text: str
    value: V
    kind: str = ""


def read_figure(text: str) -> Decimal:
    """'7,5' -> 7.5; '14.000' -> 14000; '1.234,5' -> 1234.5 (exact, whatever its length)."""
    text = text.strip()
    if not re.fullmatch(FIGURE, text):
        raise NumberError(f"'{text}' is not an Italian figure")
    return Decimal(text.replace(".", "").replace(",", "."))


def cardinal(text: str) -> int:
    """A whole number in digits or Italian words: '18' -> 18, 'diciotto' -> 18, 'duecentomila' -> 200000."""
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(WORD, text, re.IGNORECASE):
        from text_to_num import text2num  # loaded only when a text writes a number in words

        try:
            return text2num(text.lower(), "it")
        except ValueError:
            pass
    raise NumberError(f"'{text}' is not a whole number in digits or Italian words")


def _precision(text: str) -> int:
    """Digits enough that no figure of ``text``, scaled or added to another, is ever rounded."""
    return len(text) + 40


def _quick_figures(text: str):
    """(match, the number as written, its value scaled) of each figure of the quick reading (one pattern,
    no number words beyond "un milione"); called within a decimal context of :func:`_precision`."""
    for match in _FIGURES.finditer(text):
        word, scale = match.group("num").lower(), match.group("scale")
        if word in ONE_BEFORE_A_SCALE:
            if not scale:
                continue  # "un" alone is an article, not a figure
            number = ONE_BEFORE_A_SCALE[word]
        else:
            number = read_figure(word)
        yield match, number, (number * SCALES[scale.lower()] if scale else number)


def figures_in(text: str) -> set[Decimal]:
    """Every figure the Italian text states in digits, scaled ('767 mila' -> 767000; '0,05%' -> 0.05; '-4,1%' -> 4.1).

    The quick reading: one pass of one pattern, no number words beyond "un milione".
    """
    found: set[Decimal] = set()
    with localcontext(prec=_precision(text)):
        for _match, _number, value in _quick_figures(text):
            found.add(value.normalize())
    return found


def states(text: str, value: Decimal) -> bool:
    """Whether ``text`` states the figure ``value``, in digits or in words ("due miliardi e mezzo").

    The quick reading first (:func:`figures_in`); the full amount grammar only when it fails.
    """
    return value in figures_in(text) or any(amount.value == value for amount in find_amounts(text))


def _part(match, i: int) -> Decimal | None:
    """The value of count ``i`` times its scale, or None when the word is not a number."""
    number, word, scale = match.group(f"n{i}"), match.group(f"w{i}"), match.group(f"s{i}")
    if number:
        base = read_figure(number)
    elif word.lower() in ONE_BEFORE_A_SCALE:
        base = ONE_BEFORE_A_SCALE[word.lower()]
    else:
        try:
            base = Decimal(cardinal(word))
        except NumberError:
            return None
    return base * SCALES[scale.lower()]


def find_amounts(text: str) -> list[Found[Decimal]]:
    """Amounts: '7,5 milioni di euro', '767 mila', '12 miliardi e 400 milioni', 'due miliardi e mezzo',
    'pari a 2.400.000 euro'; in the order of the text."""
    found: list[Found[Decimal]] = []
    position = 0
    with localcontext(prec=_precision(text)):
        while (match := _AMOUNT.search(text, position)) is not None:
            end = match.end()
            if match.group("bare"):
                value = read_figure(match.group("bare"))
            elif match.group("bareword"):
                try:
                    value = Decimal(cardinal(match.group("bareword")))
                except NumberError:
                    position = match.start() + 1
                    continue
            else:
                first = _part(match, 1)
                if first is None:
                    position = match.start() + 1
                    continue
                value = first
                scale = SCALES[match.group("s1").lower()]
                if match.group("half"):
                    value += scale * Decimal("0.5")
                elif match.group("s2"):
                    second = _part(match, 2)
                    if second is not None and second < scale:
                        value += second
                    else:  # "3 milioni e 5 milioni": two amounts, the second read on its own
                        end = match.end("s1")
            found.append(Found(match.start(), end, text[match.start():end], value.normalize() + 0, "amount"))
            position = end
    return found


def find_percentages(text: str) -> list[Found[Decimal]]:
    """Percentages, signed where a sign touches the digits: '0,05%', '3 per cento', '+12,3%', '-4,1%', '−55,5%'."""
    found = []
    for match in _PERCENT.finditer(text):
        value = read_figure(match.group("n"))
        if match.group("sign") in MINUS_SIGNS:
            value = -value
        found.append(Found(match.start(), match.end(), match.group(0), value, "percent"))
    return found


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
        raise NumberError(f"'{value}' is not a number") from None
    if number < 0 and not allow_negative:
        raise NumberError(f"{value} is negative; amounts are stated as positive values")
    if max_value is not None and number > max_value:
        raise NumberError(f"{value} is over {max_value}")
    return number


def decimal_places(number: Decimal) -> int:
    """Digits written after the decimal point: 0.05 -> 2, 7 -> 0."""
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# --------------------------------------------------------------------------- what a figure measures

CURRENCY_WORDS = {
    "EUR": r"\b(?:euro|eur)\b|€",
    "USD": r"\b(?:dollari|dollaro|usd)\b|\bus\$|\$",
}
"""The words (and signs) that name a currency, by ISO 4217 code: the codes the annotation's ``unit`` may hold."""
_CURRENCY = "|".join(f"(?P<{code}>{words})" for code, words in CURRENCY_WORDS.items())
# a currency right after a figure ("7,5 milioni di euro", "10,6 miliardi di dollari", "500 €") or right before it ("€ 7,5", "$10,6", "USD 10,6")
_CURRENCY_AFTER = re.compile(rf"\s*(?:di\s+|in\s+)?(?:{_CURRENCY})", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(rf"(?:{_CURRENCY})\s*$", re.IGNORECASE)
_CURRENCY_ANYWHERE = re.compile(_CURRENCY, re.IGNORECASE)
_PERCENT_AFTER = re.compile(PERCENT_SIGN, re.IGNORECASE)
_POINTS_AFTER = re.compile(r"\s*(?:punt[oi]\b|p\.\s?p\.)", re.IGNORECASE)
MONEY_SCALES = frozenset(name for name, scale in SCALES.items() if scale >= 10**6)
"""The scales that make a figure an amount of money in a trade release ("milioni", "mld"); "mila" counts anything."""


@dataclass(frozen=True)
class Written:
    """A figure as the text writes it and what its own words say it measures.

    ``number`` is the figure as written (unsigned, unscaled: 1.2 in "1,2 miliardi"), ``value``
    the figure scaled (1200000000). ``measure`` is "percent" ("18,2%", "+23,4 per cento"),
    "points" ("3,8 punti"), "money" (a currency named at the figure, or a scale of millions
    or more) or "" (a bare figure, "767 mila"). ``currency`` is the ISO 4217 code of the
    currency named right at the figure ("di dollari", "€ "), else None.
    """

    start: int
    end: int
    text: str
    number: Decimal
    value: Decimal
    measure: str
    currency: str | None


def _currency(match: re.Match | None) -> str | None:
    if match is None:
        return None
    return next(code for code in CURRENCY_WORDS if match.group(code))


def _written(text: str, start: int, end: int, number: Decimal, value: Decimal, scale: str | None) -> Written:
    """The figure text[start:end] (its digits and scale), with the words right after or before it."""
    after = text[end:end + 40]
    percent = _PERCENT_AFTER.match(after)
    if percent:
        return Written(start, end + percent.end(), text[start:end + percent.end()], number, value, "percent", None)
    points = _POINTS_AFTER.match(after)
    if points:
        return Written(start, end + points.end(), text[start:end + points.end()], number, value, "points", None)
    currency = _currency(_CURRENCY_AFTER.match(after)) or _currency(_CURRENCY_BEFORE.search(text[max(0, start - 12):start]))
    measure = "money" if currency or (scale and scale.lower() in MONEY_SCALES) else ""
    return Written(start, end, text[start:end], number, value, measure, currency)


def written_figures(text: str) -> list[Written]:
    """Every figure of ``text`` with what it measures, in the order of the text: the quick reading's
    figures (:func:`figures_in`: "18,2%", "767 mila") and the amounts of :func:`find_amounts`
    ("12 miliardi e 400 milioni di dollari", "due miliardi e mezzo"), each once.

        >>> [(w.text, w.measure, w.currency) for w in written_figures("10,6 miliardi di dollari, +23,4%, 3,8 punti")]
        [('10,6 miliardi', 'money', 'USD'), ('+23,4%', 'percent', None), ('3,8 punti', 'points', None)]
    """
    found: list[Written] = []
    signs = "+" + "".join(MINUS_SIGNS)
    with localcontext(prec=_precision(text)):
        for match, number, value in _quick_figures(text):
            scale = match.group("scale")
            start = match.start() - 1 if match.start() and text[match.start() - 1] in signs else match.start()
            end = match.end("scale") if scale else match.end("num")
            found.append(_written(text, start, end, number.normalize(), value.normalize(), scale))
        for amount in find_amounts(text):
            if any(w.start == amount.start and w.value == amount.value for w in found):
                continue  # read already ("7,5 milioni" of "7,5 milioni di euro")
            end = amount.end - len(amount.text) + len(re.sub(r"\s*(?:di\s+)?euro$", "", amount.text, flags=re.IGNORECASE))
            scale = next((word for word in re.findall(r"[\w.]+", amount.text.lower()) if word in SCALES), None)
            found.append(_written(text, amount.start, end, amount.value, amount.value, scale))
    return sorted(found, key=lambda w: (w.start, w.end))


def stated_precision(figure: Written) -> Decimal:
    """One unit of the last digit ``figure`` writes, in the unit of its value (the precision it is stated
    with): '13.152,7 milioni' -> 100000, '1.598,0 milioni' -> 100000, '2,1%' -> 0.1, '767 mila' -> 1000,
    '12 miliardi e 400 milioni' -> 1000000, 'due miliardi e mezzo' -> 500000000, '5.499.211' -> 1."""
    unit, scale = Decimal(1), Decimal(1)
    digits = _WRITTEN_AS_SUFFIX.sub("", figure.text)  # "5,6 per cento": "cento" is no number word here
    for token in _PRECISION_TOKENS.finditer(digits):
        if token.group("figure"):
            decimals = token.group("figure").partition(",")[2]
            unit, scale = Decimal(1).scaleb(-len(decimals)), Decimal(1)
        elif token.group("half"):
            unit = Decimal("0.5")
        elif token.group("scale"):
            scale = SCALES[token.group("scale").lower()]
        else:  # a number word ("due", "il"): whole units of the scale that follows
            unit, scale = Decimal(1), Decimal(1)
    with localcontext(prec=_precision(figure.text)):
        return (unit * scale).normalize()


_WRITTEN_AS_SUFFIX = re.compile(rf"(?:{PERCENT_SIGN}|\s*(?:punt[oi]\b|p\.\s?p\.))$", re.IGNORECASE)
_PRECISION_TOKENS = re.compile(
    rf"(?P<figure>{FIGURE})|(?<!\w)(?P<half>mezzo)(?!\w)|(?<!\w)(?P<scale>{SCALE})|(?P<word>{WORD}|(?<!\w)il(?!\w))",
    re.IGNORECASE,
)

_MULTIPLE_WORDS: dict[str, Decimal] = {
    "raddoppi": Decimal(2), "triplic": Decimal(3), "quadruplic": Decimal(4), "quintuplic": Decimal(5),
    "sestuplic": Decimal(6), "decuplic": Decimal(10), "dimezz": Decimal("0.5"),
}
_MULTIPLES = re.compile(
    r"(?<!\w)(?:(?P<verb>" + "|".join(_MULTIPLE_WORDS) + r")\w*"
    r"|(?:il\s+)?(?P<double>doppio|triplo)(?!\w)|(?P<half>la\s+met[àa])(?!\w)"
    rf"|(?P<count>{FIGURE}|{WORD})\s+volte(?P<andhalf>\s+e\s+mezz[oa])?(?!\w))",
    re.IGNORECASE,
)


def find_multiples(text: str) -> list[tuple[Found[Decimal], Decimal]]:
    """Multiples, each with the precision it is stated with: 'raddoppiato' (2, 1), 'quintuplicate' (5, 1),
    'dimezzato' (0.5, 0.5), 'il doppio' (2, 1), 'la metà' (0.5, 0.5), '7 volte' (7, 1), 'tre volte e mezzo' (3.5, 0.5)."""
    found = []
    for match in _MULTIPLES.finditer(text):
        if match.group("verb"):
            value = _MULTIPLE_WORDS[match.group("verb").lower()]
            precision = min(value, Decimal(1))  # whole multiples, or a half
        elif match.group("double"):
            value, precision = Decimal(2 if match.group("double").lower() == "doppio" else 3), Decimal(1)
        elif match.group("half"):
            value, precision = Decimal("0.5"), Decimal("0.5")
        else:
            count = match.group("count")
            try:
                value = read_figure(count) if count[0].isdigit() else Decimal(cardinal(count))
            except NumberError:
                continue
            precision = Decimal(1).scaleb(-len(count.partition(",")[2])) if count[0].isdigit() else Decimal(1)
            if match.group("andhalf"):
                value, precision = value + Decimal("0.5"), Decimal("0.5")
        found.append((Found(match.start(), match.end(), match.group(0), value, "factor"), precision))
    return found


_FRACTION_WORDS: dict[str, Decimal] = {
    "metà": Decimal(50), "meta": Decimal(50), "un terzo": Decimal("33.3"), "due terzi": Decimal("66.7"),
    "un quarto": Decimal(25), "tre quarti": Decimal(75), "un quinto": Decimal(20),
}
_FRACTIONS = re.compile(r"(?<!\w)(?:" + "|".join(sorted(_FRACTION_WORDS, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
_WORD_POINTS = re.compile(rf"(?P<count>{WORD})\s+punt[oi](?!\w)", re.IGNORECASE)


def find_fractions(text: str) -> list[tuple[Found[Decimal], Decimal]]:
    """Fractions a share is written with, in per cent, each with the precision it is stated with:
    'metà' (50, 1), 'un quarto' (25, 1), 'tre quarti' (75, 1), 'un terzo' (33.3, 0.1)."""
    found = []
    for match in _FRACTIONS.finditer(text):
        value = _FRACTION_WORDS[match.group(0).lower()]
        found.append((Found(match.start(), match.end(), match.group(0), value, "percent"), Decimal(1).scaleb(-decimal_places(value))))
    return found


def find_word_points(text: str) -> list[tuple[Found[Decimal], Decimal]]:
    """Percentage points written in words: 'tre punti' (3, 1)."""
    found = []
    for match in _WORD_POINTS.finditer(text):
        try:
            value = Decimal(cardinal(match.group("count")))
        except NumberError:
            continue
        found.append((Found(match.start(), match.end(), match.group(0), value, "points"), Decimal(1)))
    return found


def scales_named(text: str) -> set[Decimal]:
    """The scales ``text`` names anywhere, a one-letter slip forgiven ('milardi' is miliardi): where a
    figure's scale is written apart from it ("da 5.102,0 a 3.683,4 milioni")."""
    import difflib

    found = set()
    for word in re.findall(r"[^\W\d_]+\.?", text.lower()):
        if word in SCALES:
            found.add(SCALES[word])
        elif len(word) >= 6 and (close := difflib.get_close_matches(word, SCALES, n=1, cutoff=0.85)):
            found.add(SCALES[close[0]])
    return found


def currencies_named(text: str) -> set[str]:
    """The ISO 4217 codes of the currencies ``text`` names anywhere ("in euro", "dollari", "$")."""
    return {_currency(match) or "" for match in _CURRENCY_ANYWHERE.finditer(text)} - {""}



def currency_at(text: str, start: int, end: int) -> Found[str] | None:
    """The currency named right at the figure text[start:end] ("di dollari" after it, "€ " or "USD " before
    it): its words and ISO 4217 code (``value``); None when the figure's own words name none."""
    after = _CURRENCY_AFTER.match(text, end)
    if after:
        return Found(after.start(), after.end(), after.group(0), _currency(after) or "")
    window = max(0, start - 12)
    before = _CURRENCY_BEFORE.search(text[window:start])
    if before:
        return Found(window + before.start(), start, before.group(0), _currency(before) or "")
    return None
