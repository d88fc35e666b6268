"""Property-based tests (hypothesis): the parsers and the loader never fail in an unplanned way.

Every period reads back from its notation and from the Italian phrases that name it; every
amount reads back from its Italian spelling. Any generated annotation either builds and
validates, or is refused with exit 2 and one sentence naming the file and the line: never a
traceback, never a silent wrong graph.
"""

import re
import shutil
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import DATA, SEED
from kg.model.numbers import NumberError, as_decimal, figures_in, find_amounts, find_percentages, read_figure, states
from kg.model.periods import Period, PeriodError, find_periods, italian_period, parse_period

# ---------------------------------------------------------------- periods


@given(year=st.integers(1000, 9999), month=st.integers(1, 12), length=st.integers(1, 36))
def test_month_runs_have_the_stated_length(year, month, length):
    end_index = month - 1 + length - 1
    last = f"{year + end_index // 12:04d}-{end_index % 12 + 1:02d}"
    assume(year + end_index // 12 <= 9999)
    period = parse_period(f"{year:04d}-{month:02d}/{last}")
    assert period.months == length
    assert period.start == date(year, month, 1)
    assert period.end.day >= 28 and (period.end.month - 1) == end_index % 12


@given(year=st.integers(1000, 9999), quarter=st.integers(1, 4))
def test_a_quarter_is_three_months_and_a_quarter_run_equals_a_month_run(year, quarter):
    q = parse_period(f"{year}-Q{quarter}")
    assert q.months == 3 and q.start.month == 3 * quarter - 2
    assert parse_period(f"{year}-Q1/{year}-Q{quarter}") == parse_period(f"{year}-01/{year}-{3 * quarter:02d}")


@given(st.text(max_size=30))
def test_any_text_is_a_period_or_a_period_error(text):
    try:
        period = parse_period(text)
    except PeriodError:
        return
    assert period.months >= 1 and period.end >= period.start
    assert parse_period(period.notation) == period


LAST_MONTH = 9999 * 12 + 11  # December 9999, in months from January of the year 0


@st.composite
def any_period(draw):
    """Any period the notation can write: whole months from January 1000 to December 9999."""
    first = draw(st.integers(1000 * 12, LAST_MONTH))
    months = draw(st.one_of(st.integers(1, 40), st.integers(1, LAST_MONTH - first + 1)))
    assume(first + months - 1 <= LAST_MONTH)
    return Period(date(first // 12, first % 12 + 1, 1), months)


@given(any_period())
def test_every_period_reads_back_from_its_notation(period):
    assert parse_period(period.notation) == period


@pytest.mark.parametrize("notation,canonical", [
    ("2024", "2024"), ("2025-H1", "2025-H1"), ("2025-H2", "2025-H2"), ("2025-Q3", "2025-Q3"), ("2025-03", "2025-03"),
    ("2025-01/2025-09", "2025-01/2025-09"), ("2025-Q1/2025-Q3", "2025-01/2025-09"), ("2025-01/2025-12", "2025"),
    ("2025-07/2025-12", "2025-H2"), ("2025-Q2/2025-Q2", "2025-Q2"), ("2024-H2/2025-H1", "2024-07/2025-06"),
])
def test_the_notation_of_a_period_is_the_shortest_the_module_reads(notation, canonical):
    assert parse_period(notation).notation == canonical


def test_a_period_is_whole_months_within_the_years_of_the_calendar():
    for start, months in ((date(2024, 1, 15), 3), (date(2024, 1, 1), 0), (date(9999, 12, 1), 2)):
        with pytest.raises(PeriodError):
            Period(start, months)


MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
          "novembre", "dicembre"]
# numbers as a release writes them in words (read off an Italian grammar, not the module's)
IN_WORDS = {2: "due", 3: "tre", 4: "quattro", 5: "cinque", 6: "sei", 7: "sette", 8: "otto", 9: "nove", 10: "dieci",
            11: "undici", 12: "dodici", 15: "quindici", 18: "diciotto", 21: "ventuno", 24: "ventiquattro", 30: "trenta",
            36: "trentasei"}


@st.composite
def period_phrase(draw):
    """(an Italian phrase, the period it names) from a random start and length."""
    year = draw(st.integers(1900, 2099))
    form = draw(st.sampled_from(["label", "first months", "last months", "quarter", "half", "dash", "da-a"]))
    if form == "label":
        first = draw(st.integers(1, 12))
        period = Period(date(year, first, 1), draw(st.integers(1, 40)))
        return period.label("it"), period
    if form in ("first months", "last months"):
        count = draw(st.integers(2, 40 if form == "first months" else 12))
        written = IN_WORDS[count] if count in IN_WORDS and draw(st.booleans()) else str(count)
        if form == "first months":
            return f"primi {written} mesi del {year}", Period(date(year, 1, 1), count)
        return f"ultimi {written} mesi del {year}", Period(date(year, 13 - count, 1), count)
    if form == "quarter":
        quarter = draw(st.integers(1, 4))
        ordinal = ["primo", "secondo", "terzo", "quarto"][quarter - 1]
        noun = draw(st.sampled_from(["trimestre", "quarto"]))
        of = draw(st.sampled_from(["", "del "]))
        return f"{ordinal} {noun} {of}{year}", Period(date(year, 3 * quarter - 2, 1), 3)
    if form == "half":
        half = draw(st.integers(1, 2))
        words = draw(st.sampled_from([["primo semestre", "secondo semestre"], ["prima metà", "seconda metà"]]))
        return f"{words[half - 1]} del {year}", Period(date(year, 6 * half - 5, 1), 6)
    first, last = sorted(draw(st.lists(st.integers(1, 12), min_size=2, max_size=2)))
    period = Period(date(year, first, 1), last - first + 1)
    if form == "dash":
        return f"{MONTHS[first - 1]}{draw(st.sampled_from(['-', '–', ' - ']))}{MONTHS[last - 1]} {year}", period
    return f"da {MONTHS[first - 1]} a{'d' if MONTHS[last - 1][0] in 'aeiou' else ''} {MONTHS[last - 1]} {year}", period


@given(period_phrase())
def test_italian_period_phrases_read_back_to_their_period(case):
    phrase, period = case
    assert italian_period(phrase) == period
    sentence = f"Nel periodo {phrase}, le esportazioni marchigiane sono cresciute."
    assert [found.value for found in find_periods(sentence)] == [period]


@given(any_period())
def test_every_italian_label_reads_back(period):
    assert italian_period(period.label("it")) == period


# ---------------------------------------------------------------- numbers

decimals = st.decimals(min_value=0, max_value=Decimal("1e30"), allow_nan=False, allow_infinity=False, places=3)


@given(decimals)
def test_decimals_pass_unchanged(value):
    assert as_decimal(value) == value
    assert str(as_decimal(value)) == str(value)


@given(st.text(max_size=20))
def test_any_text_is_refused_as_a_number_with_a_number_error(text):
    with pytest.raises(NumberError):
        as_decimal(text)


@given(integer=st.integers(0, 999), fraction=st.integers(0, 99), scale=st.sampled_from(["", " mila", " milioni", " miliardi"]))
def test_italian_figures_are_read_back(integer, fraction, scale):
    multiplier = {"": 1, " mila": 1000, " milioni": 10**6, " miliardi": 10**9}[scale]
    written = f"{integer},{fraction:02d}{scale} di euro" if fraction else f"{integer}{scale} di euro"
    expected = (Decimal(f"{integer}.{fraction:02d}") if fraction else Decimal(integer)) * multiplier
    assert expected in figures_in(f"l’export ha raggiunto {written}.")


def italian(value: Decimal) -> str:
    """'1.234.567,8': Python's own digit grouping, with the separators Italian uses (dot for thousands)."""
    return format(value, ",f").translate(str.maketrans(",.", ".,"))


amounts = st.integers(0, 8).flatmap(
    lambda places: st.decimals(min_value=0, max_value=Decimal("1e30"), allow_nan=False, allow_infinity=False, places=places))


@given(amounts)
def test_every_amount_reads_back_from_its_italian_spelling(value):
    written = italian(value)
    assert read_figure(written) == value
    sentence = f"Nel 2024 l’export ha raggiunto {written} euro, pari allo 0,05% del totale."
    assert value in figures_in(sentence) and states(sentence, value)
    assert [found.value for found in find_amounts(sentence)] == [value]


@given(amounts, st.sampled_from(["milioni", "miliardi", "mila", "mln", "mld"]))
def test_every_scaled_amount_reads_back(value, scale):
    sign, digits, exponent = value.as_tuple()
    # the exact value, its exponent shifted by the scale's (multiplying would round past 28 digits)
    expected = Decimal((sign, digits, exponent + {"mila": 3, "milioni": 6, "mln": 6, "miliardi": 9, "mld": 9}[scale]))
    sentence = f"le esportazioni hanno superato {italian(value)} {scale} di euro nel 2024"
    assert [found.value for found in find_amounts(sentence)] == [expected]
    assert expected in figures_in(sentence)


@given(amounts, st.sampled_from(["+", "-", "−", "–", ""]))
def test_every_signed_change_reads_back(value, sign):
    expected = -value if sign in ("-", "−", "–") else value
    sentence = f"in calo del {sign}{italian(value)}% rispetto al 2023"
    assert [found.value for found in find_percentages(sentence)] == [expected]
    assert value in figures_in(sentence)


# ---------------------------------------------------------------- the loader and the builder

ANNOTATION = (DATA / "releases" / SEED / "annotation.yaml").read_text(encoding="utf-8")
LINES = ANNOTATION.splitlines()
VALUE_LINES = [i for i, line in enumerate(LINES) if re.match(r"^\s+(- )?[a-z_]+: \S", line)]

junk = st.one_of(
    st.sampled_from(["", "7,5", "-1", "150", "2024-13", "2025-Q5", "nope", "[]", "{}", "[a, b]", "'x'", "&a",
                     "*a", "!!python/object:os.system", "1e400", "null", "true", '"\\ud800"', "ancona",
                     "more-than", "2026-02-31", "Q", "0.0000000000000000000000000000001"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)


@st.composite
def mutated(draw):
    lines = list(LINES)
    how = draw(st.sampled_from(["value", "delete", "duplicate", "key", "indent"]))
    index = draw(st.sampled_from(VALUE_LINES))
    line = lines[index]
    if how == "value":
        key = line.split(":", 1)[0]
        lines[index] = f"{key}: {draw(junk)}"
    elif how == "delete":
        del lines[index]
    elif how == "duplicate":
        lines.insert(index, line)
    elif how == "key":
        indent = line[: len(line) - len(line.lstrip())].replace("- ", "  ")
        lines.insert(index + 1, f"{indent}{draw(st.from_regex(r'[a-z_]{1,10}', fullmatch=True))}: {draw(junk)}")
    else:
        lines[index] = " " + line
    return "\n".join(lines) + "\n", index + 1


@settings(max_examples=int(__import__("os").environ.get("KG_FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated())
def test_any_mutated_annotation_builds_and_validates_or_is_refused_with_file_and_line(tmp_path_factory, case):
    text, _changed_line = case
    data = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(DATA, data)
    (data / "releases" / SEED / "annotation.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli_group(), ["build", "--data", str(data), "--out", str(data.parent / "out")])
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert "conforms: yes" in result.output
    elif result.exit_code == 1:  # it builds, and the checks say what is wrong (a hedge without its words)
        assert "conforms: no" in result.output and "rule: " in result.output and "problem: " in result.output
        assert result.stderr.endswith("was not written.\n"), result.stderr
    else:
        assert result.exit_code == 2, result.output
        assert re.match(r"^kg: \S*annotation\.yaml, line \d+(, field '[^']+')?: .+\.$", result.stderr.strip()), result.stderr
        assert result.stderr.count("\n") == 1


def cli_group():
    from kg.cli import cli

    return cli
