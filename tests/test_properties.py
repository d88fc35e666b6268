"""Property-based tests (hypothesis): the parsers and the loader never fail in an unplanned way.

Any generated annotation either builds and validates, or is refused with exit 2 and one
sentence naming the file and the line: never a traceback, never a silent wrong graph.
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
from kg.model.numbers import NumberError, as_decimal, figures_in
from kg.model.periods import PeriodError, parse_period

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
    else:
        assert result.exit_code == 2, result.output
        assert re.match(r"^kg: \S*annotation\.yaml, line \d+(, field '[^']+')?: .+\.$", result.stderr.strip()), result.stderr
        assert result.stderr.count("\n") == 1


def cli_group():
    from kg.cli import cli

    return cli
