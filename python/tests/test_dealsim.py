"""The Python package: every function, exactness against the CLI's files, errors, conversions."""

import csv
import pickle
import warnings
from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import dealsim


def test_run_gives_exact_tables_summary_and_warnings():
    run = dealsim.run("scenarios/base.toml")
    assert (run.scenario, run.agreement) == ("base", "revised")
    assert run.ledger.num_rows == 7
    assert run.ledger.schema.field("share_paid").type == dealsim.MONEY
    assert run.ledger.column("year").to_pylist() == list(range(2026, 2033))
    assert run.ledger.column("share_paid").to_pylist()[:3] == [Decimal("6000000000"), Decimal("12400000000"), Decimal("19600000000")]
    assert run.summary["totals"]["share_paid"] == Decimal("38000000000")
    assert run.summary["cap_reached_year"] == 2028
    assert run.summary["present_value"]["discounting"]["rate"] == Decimal("0.08")
    assert run.flows.schema.field("paid").type == dealsim.MONEY
    assert sum(run.flows.column("paid").to_pylist()) == Decimal("38000000000")
    assert run.warnings == []


def test_every_ledger_and_flow_figure_round_trips_against_the_clis_csv(cli, tmp_path):
    cli("run", "scenarios/history.toml", "--out", tmp_path, "--no-charts")
    run = dealsim.run("scenarios/history.toml")
    for table, name in [(run.ledger, "ledger.csv"), (run.flows, "flows.csv")]:
        with open(tmp_path / "history" / name, newline="") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == table.num_rows
        checked = 0
        for field in table.schema:
            if field.type != dealsim.MONEY:
                continue
            for row, value in zip(rows, table.column(field.name).to_pylist()):
                expected = None if row[field.name] == "" else Decimal(row[field.name])
                assert value == expected, (name, field.name)
                checked += 1
        assert checked > 0


def test_set_and_agreement_change_the_run():
    capped = dealsim.run("scenarios/base.toml", set={"cap": "60B"})
    assert capped.summary["totals"]["share_paid"] == Decimal("60000000000")
    before = dealsim.run("scenarios/base.toml", agreement="pre-revision")
    assert before.agreement != "revised"
    assert before.summary["totals"]["paid_to_openai"] > 0
    with pytest.raises(dealsim.DealsimError, match="one value per parameter"):
        dealsim.run("scenarios/base.toml", set={"cap": ["25B", "38B"]})


def test_an_amount_that_means_something_else_is_refused_with_a_hint():
    with pytest.raises(dealsim.DealsimError, match='did you mean "29B"'):
        dealsim.run("scenarios/base.toml", set={"cap": "29"})


def test_explain_traces_a_figure_to_its_clause():
    explanation = dealsim.run("scenarios/base.toml").explain(2028)
    assert explanation.period == "2028"
    assert any("cap remaining" in f["explanation"] for f in explanation.figures)
    assert str(explanation).startswith("Scenario `base` under `revised`, 2028:")
    with pytest.raises(dealsim.DealsimError, match="no such period"):
        dealsim.run("scenarios/base.toml").explain(1999)


def test_pandas_and_polars_keep_money_exact():
    ledger = dealsim.run("scenarios/base.toml").ledger
    frame = ledger.to_pandas()
    assert frame["share_paid"].iloc[2] == Decimal("19600000000")
    arrow_backed = ledger.to_pandas(types_mapper=pd.ArrowDtype)
    assert str(arrow_backed["share_paid"].dtype).startswith("decimal128(38, 2)")
    polars = pl.from_arrow(ledger)
    assert polars.schema["share_paid"] == pl.Decimal(38, 2)
    assert polars["share_paid"].sum() == Decimal("38000000000")


def test_montecarlo_equals_the_clis_json_byte_for_byte(cli, tmp_path):
    cli("montecarlo", "scenarios/uncertain.toml", "--paths", "20000", "--seed", "5", "--no-charts", "--out", tmp_path)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        result = dealsim.montecarlo("scenarios/uncertain.toml", paths=20000, seed=5)
    assert result.json == (tmp_path / "uncertain" / "montecarlo" / "montecarlo.json").read_text()
    assert [str(w.message) for w in said] == result.warnings
    assert isinstance(result.total_paid["p50"], Decimal)
    assert isinstance(result.years[2]["probability_cap_reached"], Decimal)
    assert result.paths == 20000


def test_shards_merge_exactly_into_the_whole_run_and_travel_by_pickle():
    whole = dealsim.montecarlo("scenarios/uncertain.toml", paths=30000, seed=9)
    parts = [dealsim.montecarlo("scenarios/uncertain.toml", paths=30000, seed=9, shard=(i, 4)) for i in (1, 2, 3, 4)]
    parts = [pickle.loads(pickle.dumps(p)) for p in parts]
    assert parts[0].shards == ([1], 4)
    merged = dealsim.merge(reversed(parts))
    assert merged.json == whole.json
    with pytest.raises(dealsim.DealsimError, match="shard\\(s\\) 4 of 4 are missing"):
        dealsim.merge(parts[:3])
    with pytest.raises(dealsim.DealsimError, match="--seed is 9 in one and 10 in another"):
        dealsim.merge(parts[:3] + [dealsim.montecarlo("scenarios/uncertain.toml", paths=30000, seed=10, shard=(4, 4))])
    with pytest.raises(dealsim.DealsimError, match="give \\(i, n\\) with 1 <= i <= n"):
        dealsim.montecarlo("scenarios/uncertain.toml", shard=(0, 4))


def test_a_sketch_saved_by_the_cli_merges_in_python(cli, tmp_path):
    for i in (1, 2):
        cli("montecarlo", "scenarios/uncertain.toml", "--paths", "10000", "--shard", f"{i}/2", "--sketch-out", tmp_path / f"p{i}.json")
    merged = dealsim.merge([dealsim.Sketch.load(tmp_path / "p1.json"), (tmp_path / "p2.json").read_text()])
    assert merged.json == dealsim.montecarlo("scenarios/uncertain.toml", paths=10000, seed=2026).json


def test_sweep_gives_one_exact_row_per_point():
    table = dealsim.sweep("scenarios/base.toml", set={"cap": ["25B", "38B"], "share_rate": "15%,20%"})
    assert table.num_rows == 4
    assert table.column_names[:2] == ["cap", "share_rate"]
    assert table.schema.field("cap").type == dealsim.MONEY
    assert table.schema.field("total_paid").type == dealsim.MONEY
    assert table.column("total_paid").to_pylist() == [Decimal("25000000000")] * 2 + [Decimal("38000000000")] * 2
    assert table.column("cap_reached_year").to_pylist() == [2028, 2028, 2029, 2028]


def test_check_validates_and_errors_carry_file_line_and_column(tmp_path):
    assert dealsim.check("scenarios/base.toml")["scenario"] == "base"
    bad = tmp_path / "bad.toml"
    bad.write_text(open("scenarios/base.toml").read().replace("[assumptions]", '[assumptions]\ncapp = "38B"', 1))
    with pytest.raises(dealsim.ScenarioError) as caught:
        dealsim.check(bad)
    error = caught.value
    assert (error.file, error.line, error.column) == (str(bad), 27, 1)
    assert "unknown key `capp`" in error.message and "did you mean `cap`?" in error.message
    assert str(error).startswith(f"{bad}:27:1: unknown key")
    with pytest.raises(dealsim.ScenarioError, match="cannot read the file"):
        dealsim.run(tmp_path / "missing.toml")


def test_warnings_are_said_and_kept():
    with pytest.warns(dealsim.DealsimWarning, match="agi_declared does nothing"):
        result = dealsim.check("scenarios/uncertain.toml")
    assert any("agi_declared does nothing" in w for w in result["warnings"])


def test_the_type_stubs_name_every_native_function():
    import inspect
    import pathlib

    stubs = (pathlib.Path(dealsim.__file__).parent / "_native.pyi").read_text()
    for name, _ in inspect.getmembers(dealsim._native, callable):
        if not name.startswith("_"):
            assert f"def {name}(" in stubs or f"class {name}" in stubs, name
