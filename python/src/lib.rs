//! `dealsim._native`: the compiled half of the `dealsim` Python package, a thin layer over the
//! library's operations (`dealsim::ops`). Results cross as text: CSV and JSON exactly as the CLI
//! writes them, and JSON whose exact decimals are tagged (`CsvMode::Typed`) so the Python side
//! turns them into `decimal.Decimal`, never a float. The GIL is released while simulating.

use dealsim::analysis::montecarlo::shard::{Shard, ShardSketch};
use dealsim::money::{with_csv_mode, CsvMode};
use dealsim::ops;
use dealsim::{report, scenario, Error};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use std::path::PathBuf;

create_exception!(
    _native,
    NativeError,
    PyException,
    "An error from dealsim: (kind, message, file, line, column)."
);

/// A dealsim error as `NativeError((kind, message, file, line, column))`: kind `scenario` for a
/// mistake in an input file (with where it is), `dealsim` otherwise. The Python side raises
/// `dealsim.ScenarioError` or `dealsim.DealsimError` from it.
fn native(error: Error) -> PyErr {
    match &error {
        Error::Input(input) => {
            let (line, column) = input.line_col().map_or((None, None), |(l, c)| (Some(l), Some(c)));
            let mut message = input.kind.to_string();
            if let Some(help) = &input.help {
                message.push_str(&format!(" ({help})"));
            }
            NativeError::new_err(("scenario", message, input.path.display().to_string(), line, column))
        }
        other => {
            NativeError::new_err(("dealsim", other.to_string(), None::<String>, None::<usize>, None::<usize>))
        }
    }
}

/// `value` as JSON with every exact decimal tagged as money or as another decimal.
fn typed_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    with_csv_mode(CsvMode::Typed, || serde_json::to_string(value))
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

fn output(error: report::OutputError) -> PyErr {
    native(Error::from(error))
}

fn load(path: &std::path::Path) -> Result<scenario::Loaded, Error> {
    scenario::load_file(path).map_err(Error::from)
}

/// A simulated scenario: its ledger, flows, summary and warnings.
#[pyclass(frozen, module = "dealsim._native")]
struct NativeRun {
    run: ops::run::Run,
}

#[pymethods]
impl NativeRun {
    /// `ledger.csv` as `dealsim run` writes it.
    fn ledger_csv(&self) -> PyResult<String> {
        report::ledger_csv(&self.run.ledger, report::Units::Raw).map(text).map_err(output)
    }

    /// `flows.csv` as `dealsim run` writes it.
    fn flows_csv(&self) -> PyResult<String> {
        report::flows_csv(&self.run.ledger, report::Units::Raw).map(text).map_err(output)
    }

    /// `summary.json`, its decimals tagged.
    fn summary_json(&self) -> PyResult<String> {
        typed_json(&self.run.summary)
    }

    /// `summary.json` as `dealsim run` writes it.
    fn summary_file(&self) -> PyResult<String> {
        report::summary_json(&self.run.summary).map(text).map_err(output)
    }

    fn warnings(&self) -> Vec<String> {
        self.run.summary.warnings.clone()
    }

    fn scenario(&self) -> String {
        self.run.loaded.scenario.name.clone()
    }

    fn agreement(&self) -> String {
        self.run.loaded.agreement.name.clone()
    }

    fn periods(&self) -> Vec<String> {
        self.run.ledger.rows.iter().map(|r| r.period.label.clone()).collect()
    }

    /// The explanation of period `period`'s figures (as `dealsim explain --json`), decimals tagged.
    fn explain(&self, period: &str) -> PyResult<String> {
        let ledger = &self.run.ledger;
        let Some(index) = ledger.rows.iter().position(|r| r.period.label == period) else {
            let labels: Vec<&str> = ledger.rows.iter().map(|r| r.period.label.as_str()).collect();
            return Err(PyValueError::new_err(format!(
                "{period}: scenario `{}` has no such period; it has {}",
                self.run.loaded.scenario.name,
                labels.join(", ")
            )));
        };
        let loaded = &self.run.loaded;
        let explanation =
            dealsim::analysis::explain::explain(ledger, &loaded.agreement, &loaded.scenario, index);
        typed_json(&explanation)
    }
}

/// Simulates the scenario file at `path`, with `settings` (`NAME=VALUE`) applied and, given
/// `agreement`, under that agreement.
#[pyfunction]
#[pyo3(signature = (path, settings, agreement=None))]
fn run(
    py: Python<'_>,
    path: PathBuf,
    settings: Vec<String>,
    agreement: Option<String>,
) -> PyResult<NativeRun> {
    let done = py.detach(|| ops::run::run(load(&path)?, &settings, agreement.as_deref()));
    done.map(|run| NativeRun { run }).map_err(native)
}

/// The money columns of `ledger.csv` and of `flows.csv`.
#[pyfunction]
fn money_columns() -> (Vec<String>, Vec<String>) {
    (report::ledger_money_columns(), report::flows_money_columns())
}

/// A whole Monte Carlo run: (`montecarlo.json` as the CLI writes it, the same tagged).
#[pyfunction]
fn montecarlo(py: Python<'_>, path: PathBuf, paths: u64, seed: u64) -> PyResult<(String, String)> {
    let result = py.detach(|| {
        let prepared = ops::montecarlo::prepare(load(&path)?, None)?;
        ops::montecarlo::run(&prepared, paths, seed, &|_| {}, &|| false)
    });
    encoded(&result.map_err(native)?)
}

/// A Monte Carlo result as (`montecarlo.json` as the CLI writes it, the same tagged).
fn encoded(result: &dealsim::analysis::montecarlo::MonteCarlo) -> PyResult<(String, String)> {
    let file = report::pretty_json("montecarlo.json", result).map(text).map_err(output)?;
    Ok((file, typed_json(result)?))
}

/// Shard `index` of `of` of a Monte Carlo run, as its sketch file's JSON.
#[pyfunction]
fn montecarlo_shard(
    py: Python<'_>,
    path: PathBuf,
    paths: u64,
    seed: u64,
    index: u64,
    of: u64,
) -> PyResult<String> {
    let shard = Shard::new(index, of).ok_or_else(|| {
        PyValueError::new_err(format!("shard ({index}, {of}): give (i, n) with 1 <= i <= n"))
    })?;
    let sketch = py.detach(|| {
        let prepared = ops::montecarlo::prepare(load(&path)?, None)?;
        ops::montecarlo::shard(&prepared, paths, seed, shard, &|_| {}, &|| false)
    });
    sketch.map(|s| s.to_json()).map_err(native)
}

/// Every shard's sketch merged: (`montecarlo.json` as the CLI writes it, the same tagged).
#[pyfunction]
fn merge(py: Python<'_>, sketches: Vec<String>) -> PyResult<(String, String)> {
    let result = py.detach(|| {
        let sketches = sketches
            .iter()
            .map(|text| ShardSketch::from_json(text))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::analysis("", e))?;
        ops::montecarlo::merge(&sketches).map(|(_, result)| result)
    });
    encoded(&result.map_err(native)?)
}

/// A sweep over `settings` (`NAME=VALUES`): (`sweep.csv`, its money columns, warnings).
#[pyfunction]
fn sweep(
    py: Python<'_>,
    path: PathBuf,
    settings: Vec<String>,
) -> PyResult<(String, Vec<String>, Vec<String>)> {
    let table = py.detach(|| ops::sweep::table(&load(&path)?, &settings, &|| false)).map_err(native)?;
    let warnings = table.warnings.iter().map(|w| w.to_string()).collect();
    Ok((text(table.csv), table.money_columns, warnings))
}

/// Reads and validates a scenario file: (its name, its agreement's, its warnings).
#[pyfunction]
fn check(path: PathBuf) -> PyResult<(String, String, Vec<String>)> {
    let loaded = load(&path).map_err(native)?;
    let warnings = scenario::scenario_warnings(&loaded, None).iter().map(|w| w.to_string()).collect();
    Ok((loaded.scenario.name, loaded.agreement.name, warnings))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add_class::<NativeRun>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(money_columns, m)?)?;
    m.add_function(wrap_pyfunction!(montecarlo, m)?)?;
    m.add_function(wrap_pyfunction!(montecarlo_shard, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
