//! Goal seek as an operation: the question read from its words (`--target`, `--vary`,
//! `--range`, each defaulted as the input allows), then answered, or refused as having no answer
//! in the range.

use crate::analysis::goalseek::{self, Target};
use crate::analysis::params::{Param, Value};
use crate::error::Error;
use crate::scenario::{self, Loaded, Warning};
use rust_decimal::Decimal;

/// What to solve: the input, the target, where to search and how close is an answer; and what
/// its caller should warn about (an input the scenario's terms do not read).
pub struct Question {
    pub param: Param,
    pub target: Target,
    pub range: (Decimal, Decimal),
    pub tolerance: Decimal,
    pub warnings: Vec<Warning>,
}

/// Reads the question: `target` as `paid=30B`, `vary` a parameter's name, `range` `LO..HI` or the
/// input's default.
pub fn question(loaded: &Loaded, target: &str, vary: &str, range: Option<&str>) -> Result<Question, Error> {
    let target = Target::parse(target).map_err(|e| Error::analysis("", e))?;
    let param = Param::parse(vary).map_err(|e| Error::analysis("--vary ", e))?;
    let warnings = scenario::varied_parameter_warnings(loaded, &[param.to_string()]);
    let (default_lo, default_hi, tolerance) = goalseek::default_range(&param)
        .ok_or_else(|| Error::Usage(format!("--vary {param}: goal seeking works on numeric inputs only")))?;
    let range = match range {
        None => (default_lo, default_hi),
        Some(text) => {
            let number = |v: Value| match v {
                Value::Number(n) => Ok(n),
                Value::Date(_) | Value::Never => Err(Error::Usage(format!("--range: {param} is not a date"))),
            };
            let (lo, hi) = param.range(text).map_err(|e| Error::analysis("--range ", e))?;
            (number(lo)?, number(hi)?)
        }
    };
    Ok(Question { param, target, range, tolerance, warnings })
}

/// The answer in words; a question with no answer in the range is an error (exit 1) carrying the
/// closest the range got, not a success a script would read as an answer.
pub fn answer(loaded: &Loaded, q: &Question) -> Result<String, Error> {
    let (lo, hi) = q.range;
    let result = goalseek::seek(loaded, &q.param, q.target, lo, hi, q.tolerance)
        .map_err(|e| Error::analysis("goalseek: ", e))?;
    if result.answer.is_none() {
        return Err(Error::NoSolution(format!(
            "{}. Widen --range, or check the target can be reached at all.",
            result.message
        )));
    }
    Ok(result.message)
}
