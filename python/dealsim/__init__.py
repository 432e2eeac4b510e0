"""dealsim in Python: exact ledgers as Arrow tables, Monte Carlo in mergeable shards.

Every amount of money is exact: ledger and flow tables carry it as Arrow ``decimal128(38, 2)``
columns (``.to_pandas()`` and ``polars.from_arrow`` keep it exact), summaries and percentiles as
``decimal.Decimal``. Nothing is ever a float on the way.

    >>> import dealsim
    >>> run = dealsim.run("scenarios/base.toml", set={"cap": "60B"})
    >>> run.summary["totals"]["share_paid"]
    Decimal('60000000000')

The simulation is the ``dealsim`` command's own engine (``dealsim._native``, compiled from the
same Rust library); the GIL is released while it runs.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import warnings as _warnings
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import pyarrow as pa

from . import _native

__all__ = [
    "run",
    "montecarlo",
    "merge",
    "sweep",
    "check",
    "Run",
    "Explanation",
    "MonteCarlo",
    "Sketch",
    "DealsimError",
    "ScenarioError",
    "DealsimWarning",
    "MONEY",
]

__version__ = _native.__version__

#: The Arrow type of every money column: exact to the cent, 38 digits.
MONEY = pa.decimal128(38, 2)

PathLike = Union[str, "os.PathLike[str]"]
Setting = Union[str, int, Decimal, Sequence[Union[str, int, Decimal]]]


class DealsimError(Exception):
    """dealsim could not answer: the message says why (as the command line would)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ScenarioError(DealsimError, ValueError):
    """A mistake in an input file: ``file``, ``line`` and ``column`` (1-based) say where."""

    def __init__(self, message: str, file: str, line: Optional[int], column: Optional[int]):
        where = file if line is None else f"{file}:{line}:{column}"
        super().__init__(f"{where}: {message}")
        self.message = message
        self.file = file
        self.line = line
        self.column = column


class DealsimWarning(UserWarning):
    """Something the input sets that does not do what it may seem to (also in ``.warnings``)."""


def _native_call(function, *args):
    try:
        return function(*args)
    except _native.NativeError as error:
        kind, message, file, line, column = error.args
        if kind == "scenario":
            raise ScenarioError(message, file, line, column) from None
        raise DealsimError(message) from None


def _warn(messages: Iterable[str]) -> None:
    for message in messages:
        _warnings.warn(message, DealsimWarning, stacklevel=3)


_MONEY_TAG = "\x01money:"
_DECIMAL_TAG = "\x01decimal:"


def _decimals(value: Any) -> Any:
    """JSON from the native side with its tagged exact decimals as ``Decimal``."""
    if isinstance(value, str):
        if value.startswith(_MONEY_TAG):
            return Decimal(value[len(_MONEY_TAG):])
        if value.startswith(_DECIMAL_TAG):
            return Decimal(value[len(_DECIMAL_TAG):])
        return value
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    return value


_INTEGER = re.compile(r"-?[0-9]+\Z")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
#: Columns that hold labels, whatever they look like ("2026" is a period's name, not a number).
_TEXT_COLUMNS = {"period"}
#: Columns that hold a fraction (a rate, a share), typed the same whatever their values.
_FRACTION_COLUMNS = {"share_rate", "non_azure_share"}
_FRACTION = pa.decimal128(38, 18)


def _money_array(name: str, values: List[str]) -> pa.Array:
    amounts = []
    for value in values:
        if value == "":
            amounts.append(None)
            continue
        amount = Decimal(value)
        if amount.as_tuple().exponent < -2:
            raise DealsimError(f"column {name}: {value} is not whole cents; it cannot be {MONEY}")
        amounts.append(amount)
    return pa.array(amounts, type=MONEY)


def _column(name: str, values: List[str], money: bool) -> pa.Array:
    """A CSV column as the Arrow type its values have: money exact, then integers, booleans,
    dates, other exact decimals, text. An empty cell is null."""
    if money:
        return _money_array(name, values)
    present = [v for v in values if v != ""]
    nulls = lambda convert: [None if v == "" else convert(v) for v in values]  # noqa: E731
    if name in _TEXT_COLUMNS or not present:
        return pa.array(values, type=pa.string())
    if name in _FRACTION_COLUMNS and all(_DECIMAL.match(v) for v in present):
        fractions = nulls(Decimal)
        if all(d is None or d.as_tuple().exponent >= -18 for d in fractions):
            return pa.array(fractions, type=_FRACTION)
    if all(_INTEGER.match(v) for v in present):
        return pa.array(nulls(int), type=pa.int64())
    if all(v in ("true", "false") for v in present):
        return pa.array(nulls(lambda v: v == "true"), type=pa.bool_())
    if all(_DATE.match(v) for v in present):
        return pa.array(nulls(datetime.date.fromisoformat), type=pa.date32())
    if all(_DECIMAL.match(v) for v in present):
        decimals = nulls(Decimal)
        scale = max(-d.as_tuple().exponent for d in decimals if d is not None)
        if scale <= 38:
            return pa.array(decimals, type=pa.decimal128(38, max(scale, 0)))
    return pa.array(values, type=pa.string())


def _table(text: str, money_columns: Iterable[str]) -> pa.Table:
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    money = set(money_columns)
    arrays = [_column(name, [row[i] for row in body], name in money) for i, name in enumerate(header)]
    return pa.table(dict(zip(header, arrays)))


def _settings(values: Optional[Mapping[str, Setting]]) -> List[str]:
    """``{"cap": "60B", "share_rate": ["15%", "20%"]}`` as ``["cap=60B", "share_rate=15%,20%"]``."""
    out = []
    for name, value in (values or {}).items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        out.append(f"{name}={value}")
    return out


class Explanation:
    """How one period's figures came about: each figure, its clause, inputs and arithmetic."""

    def __init__(self, data: Dict[str, Any]):
        self.data = data
        self.scenario: str = data["scenario"]
        self.agreement: str = data["agreement"]
        self.period: str = data["period"]
        self.figures: List[Dict[str, Any]] = data["figures"]

    def __str__(self) -> str:
        lines = [f"Scenario `{self.scenario}` under `{self.agreement}`, {self.period}:"]
        lines += [f"- {figure['explanation']}" for figure in self.figures]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Explanation {self.scenario} {self.period}: {len(self.figures)} figures>"


class Run:
    """A simulated scenario: ``ledger`` (one row per period) and ``flows`` (one row per period
    and cash flow) as Arrow tables, ``summary`` with ``Decimal`` amounts, ``warnings``."""

    def __init__(self, native: Any):
        self._native = native
        ledger_money, flows_money = _native.money_columns()
        self.scenario: str = native.scenario()
        self.agreement: str = native.agreement()
        self.ledger: pa.Table = _table(native.ledger_csv(), ledger_money)
        self.flows: pa.Table = _table(native.flows_csv(), flows_money)
        self.summary: Dict[str, Any] = _decimals(json.loads(native.summary_json()))
        self.warnings: List[str] = list(native.warnings())

    def explain(self, period: Union[str, int]) -> Explanation:
        """The arithmetic behind period ``period``'s figures (``2028`` or ``"2028-Q1"``)."""
        try:
            text = self._native.explain(str(period))
        except ValueError as error:
            raise DealsimError(str(error)) from None
        data = json.loads(text)
        if data is None:
            raise DealsimError(f"period {period} has nothing to explain")
        return Explanation(_decimals(data))

    def __repr__(self) -> str:
        return f"<Run {self.scenario} under {self.agreement}: {self.ledger.num_rows} periods>"


def run(path: PathLike, set: Optional[Mapping[str, Setting]] = None, agreement: Optional[str] = None) -> Run:
    """Simulates the scenario file at ``path``.

    ``set`` changes parameters as ``dealsim run --set`` does, one value each
    (``{"cap": "60B", "share_rate": "15%"}``); ``agreement`` runs it under another agreement (a
    built-in name such as ``"pre-revision"``, or a file) with the scenario's assumptions.
    Raises ``ScenarioError`` for a mistake in the file, ``DealsimError`` otherwise.
    """
    native = _native_call(_native.run, os.fspath(path), _settings(set), agreement)
    result = Run(native)
    _warn(result.warnings)
    return result


class MonteCarlo:
    """A Monte Carlo run's results: per-year percentiles (``years``), ``total_paid``,
    ``present_value_paid`` (dicts of ``Decimal`` by ``p5`` … ``p95``), and ``json``, the text of
    ``montecarlo.json`` exactly as ``dealsim montecarlo`` writes it."""

    def __init__(self, file: str, typed: str):
        self.json: str = file
        self.data: Dict[str, Any] = _decimals(json.loads(typed))
        self.paths: int = self.data["paths"]
        self.seed: int = self.data["seed"]
        self.years: List[Dict[str, Any]] = self.data["years"]
        self.total_paid: Dict[str, Decimal] = self.data["total_paid"]
        self.present_value_paid: Optional[Dict[str, Decimal]] = self.data["present_value_paid"]
        self.warnings: List[str] = self.data["warnings"]

    def __repr__(self) -> str:
        return f"<MonteCarlo {self.paths} paths, seed {self.seed}: total paid P50 {self.total_paid['p50']}>"


class Sketch:
    """One or more shards of a Monte Carlo run, mergeable exactly (integer counts): the JSON of
    ``dealsim montecarlo --sketch-out``. Plain text underneath, so it pickles and travels."""

    __slots__ = ("json",)

    def __init__(self, text: str):
        self.json = text

    @classmethod
    def load(cls, path: PathLike) -> "Sketch":
        with open(path, encoding="utf-8") as f:
            return cls(f.read())

    def save(self, path: PathLike) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.json)

    @property
    def shards(self) -> Tuple[List[int], int]:
        """(the shard numbers it holds, how many the run was cut into)."""
        data = json.loads(self.json)
        return sorted(data["shards"]), data["of"]

    def __getstate__(self):
        return self.json

    def __setstate__(self, state):
        self.json = state

    def __repr__(self) -> str:
        held, of = self.shards
        return f"<Sketch shards {held} of {of}>"


def montecarlo(
    path: PathLike,
    paths: int = 100_000,
    seed: int = 2026,
    shard: Optional[Tuple[int, int]] = None,
) -> Union[MonteCarlo, Sketch]:
    """A Monte Carlo run of the scenario file at ``path``, as ``dealsim montecarlo``.

    With ``shard=(i, n)`` (1-based: ``(1, 4)`` … ``(4, 4)``), only that part of the paths runs
    and a ``Sketch`` comes back: ``merge`` every part's sketch to get the run's results, equal
    byte for byte (``.json``) to the run made in one piece with the same seed.
    """
    path = os.fspath(path)
    if shard is None:
        result = MonteCarlo(*_native_call(_native.montecarlo, path, paths, seed))
        _warn(result.warnings)
        return result
    index, of = shard
    try:
        text = _native_call(_native.montecarlo_shard, path, paths, seed, index, of)
    except ValueError as error:
        raise DealsimError(str(error)) from None
    return Sketch(text)


def merge(sketches: Iterable[Union[Sketch, str]]) -> MonteCarlo:
    """Every shard's sketch (or its JSON text) merged into the run's results. The scenario file
    the shards ran is read again and must be unchanged."""
    texts = [s.json if isinstance(s, Sketch) else s for s in sketches]
    result = MonteCarlo(*_native_call(_native.merge, texts))
    _warn(result.warnings)
    return result


def sweep(path: PathLike, set: Mapping[str, Setting]) -> pa.Table:
    """Every combination of the ``set`` values (lists ``["25B", "38B"]`` or ranges
    ``"20B..60B:10B"``), one row per point as ``sweep.csv``: the parameters, then total paid,
    net to Microsoft, present value (exact ``decimal128``) and the year the cap is reached."""
    text, money, messages = _native_call(_native.sweep, os.fspath(path), _settings(set))
    _warn(messages)
    return _table(text, money)


def check(path: PathLike) -> Dict[str, Any]:
    """Reads and validates a scenario file without simulating: its scenario and agreement names
    and warnings; raises ``ScenarioError`` (file, line, column, message) for a mistake."""
    name, agreement, messages = _native_call(_native.check, os.fspath(path))
    _warn(messages)
    return {"scenario": name, "agreement": agreement, "warnings": list(messages)}
