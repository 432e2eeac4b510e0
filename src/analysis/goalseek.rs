//! `dealsim goalseek`: the value of one input that produces a target, by bisection on the exact
//! engine. Money targets (`paid`, `net`, `pv`) look for the input where the figure crosses the
//! target; `cap_year=Y` looks for the boundary input at which the cap is first reached in or
//! before year Y. Every evaluation is a full simulation, so the answer is as exact as the
//! tolerance; when the range holds no crossing, the answer says so and gives both ends.

use super::params::{Param, Value};
use super::sweep::evaluate;
use crate::money::Human;
use crate::scenario::Loaded;
use crate::Summary;
use rust_decimal::Decimal;
use serde::Serialize;

/// What to reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Paid(Decimal),
    Net(Decimal),
    PresentValue(Decimal),
    /// The cap is reached in or before this year.
    CapYear(i32),
}

impl Target {
    pub fn parse(text: &str) -> Result<Target, String> {
        let (name, value) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}` is not NAME=VALUE (paid=30B, net=…, pv=…, cap_year=2028)"))?;
        let money = || {
            crate::money::parse_large_money(value).map_err(|e| match e.hint() {
                Some(hint) => format!("--target {name}: {e}; {hint}"),
                None => format!("--target {name}: {e}"),
            })
        };
        Ok(match name.trim() {
            "paid" => Target::Paid(money()?),
            "net" => Target::Net(money()?),
            "pv" => Target::PresentValue(money()?),
            "cap_year" => Target::CapYear(
                value.trim().parse().map_err(|_| format!("--target cap_year: `{value}` is not a year"))?,
            ),
            other => return Err(format!("unknown target `{other}`; expected paid, net, pv or cap_year")),
        })
    }

    fn describe(&self) -> String {
        match self {
            Target::Paid(v) => format!("total paid to Microsoft = {}", Human(*v)),
            Target::Net(v) => format!("net to Microsoft = {}", Human(*v)),
            Target::PresentValue(v) => format!("present value of net to Microsoft = {}", Human(*v)),
            Target::CapYear(y) => format!("cap reached in or before {y}"),
        }
    }

    /// Which side of the target a summary is on: `true` once it is reached.
    fn reached(&self, s: &Summary) -> bool {
        match self {
            Target::Paid(v) => s.totals.share_paid >= *v,
            Target::Net(v) => s.totals.net_to_microsoft >= *v,
            Target::PresentValue(v) => s.present_value.net_to_microsoft >= *v,
            Target::CapYear(y) => s.cap_reached_year.is_some_and(|r| r <= *y),
        }
    }

    fn figure(&self, s: &Summary) -> String {
        match self {
            Target::Paid(_) => Human(s.totals.share_paid).to_string(),
            Target::Net(_) => Human(s.totals.net_to_microsoft).to_string(),
            Target::PresentValue(_) => Human(s.present_value.net_to_microsoft).to_string(),
            Target::CapYear(_) => s.cap_reached_year.map_or("never".into(), |y| y.to_string()),
        }
    }
}

/// The default search range of a parameter, and the tolerance its answer is found to.
pub fn default_range(param: &Param) -> Option<(Decimal, Decimal, Decimal)> {
    let d = |s: &str| s.parse::<Decimal>().ok();
    Some(match param {
        Param::Cap | Param::ClauseCap(_) | Param::PriorPayments => {
            (Decimal::ZERO, d("1000000000000")?, Decimal::ONE)
        }
        Param::ShareRate | Param::ShareBase | Param::ClauseRate(_) => {
            (Decimal::ZERO, Decimal::ONE, d("0.000000001")?)
        }
        Param::DiscountRate => (Decimal::ZERO, Decimal::ONE, d("0.000000001")?),
        Param::Growth => (d("-0.5")?, d("5")?, d("0.000000001")?),
        Param::RevenueScale => (d("0.01")?, d("100")?, d("0.000000001")?),
        Param::EffectiveDate | Param::CapCountsFrom => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalSeek {
    pub parameter: String,
    pub target: String,
    /// The answer, or `None` when the range holds none.
    pub answer: Option<String>,
    pub iterations: u32,
    pub tolerance: String,
    pub message: String,
}

/// Bisects `param` over `lo..=hi` until the bracket is narrower than `tolerance`.
pub fn seek(
    loaded: &Loaded,
    param: &Param,
    target: Target,
    lo: Decimal,
    hi: Decimal,
    tolerance: Decimal,
) -> Result<GoalSeek, String> {
    if hi <= lo {
        return Err(format!("the range {lo}..{hi} is empty"));
    }
    let at = |x: Decimal| evaluate(loaded, std::slice::from_ref(param), &[Value::Number(x)]);
    let (s_lo, s_hi) = (at(lo)?, at(hi)?);
    let (r_lo, r_hi) = (target.reached(&s_lo), target.reached(&s_hi));
    let result = |answer: Option<String>, iterations, message: String| GoalSeek {
        parameter: param.to_string(),
        target: target.describe(),
        answer,
        iterations,
        tolerance: tolerance.normalize().to_string(),
        message,
    };
    if r_lo == r_hi {
        return Ok(result(
            None,
            0,
            format!(
                "no solution in {}..{}: at {} it gives {}, at {} it gives {}; both on the same side of the target ({})",
                param.human(&Value::Number(lo)),
                param.human(&Value::Number(hi)),
                param.human(&Value::Number(lo)),
                target.figure(&s_lo),
                param.human(&Value::Number(hi)),
                target.figure(&s_hi),
                target.describe()
            ),
        ));
    }
    // Keep `a` on the not-reached side and `b` on the reached side, and halve the gap.
    let (mut a, mut b) = if r_lo { (hi, lo) } else { (lo, hi) };
    let mut iterations = 0;
    while (b - a).abs() > tolerance && iterations < 200 {
        let mid = ((a + b) / Decimal::TWO).round_dp(tolerance.scale().max(2));
        if mid == a || mid == b {
            break;
        }
        if target.reached(&at(mid)?) {
            b = mid;
        } else {
            a = mid;
        }
        iterations += 1;
    }
    let answer = param.human(&Value::Number(b));
    let summary = at(b)?;
    let a = a.normalize();
    Ok(result(
        Some(b.normalize().to_string()),
        iterations,
        format!(
            "{param} = {} ({answer}) meets the target ({}): it gives {}; at {} it does not. {} iterations, to within {}",
            b.normalize(),
            target.describe(),
            target.figure(&summary),
            a,
            iterations,
            param.human(&Value::Number(tolerance))
        ),
    ))
}
