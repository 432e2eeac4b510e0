//! `dealsim goalseek`: the value of one input that produces a target, by bisection on the exact
//! engine. Money targets (`paid`, `net`, `pv`) look for the input where the figure crosses the
//! target; `cap_year=Y` looks for the boundary input at which the cap is first reached in or
//! before year Y. Every evaluation is a full simulation, so the answer is as exact as the
//! tolerance; when the range holds no crossing, the answer says so and gives both ends.

use super::params::{Param, Value};
use super::sweep::evaluate;
use super::AnalysisError;
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
    /// The cap is reached in exactly this year: the answer is the interval of inputs.
    CapYearExactly(i32),
}

impl Target {
    pub fn parse(text: &str) -> Result<Target, AnalysisError> {
        let (name, value) =
            text.split_once('=').ok_or_else(|| AnalysisError::TargetShape { text: text.to_string() })?;
        let money = || {
            crate::money::parse_large_money(value)
                .map_err(|error| AnalysisError::TargetAmount { name: name.to_string(), error })
        };
        let year = |name: &'static str| {
            value.trim().parse().map_err(|_| AnalysisError::TargetYear { name, value: value.to_string() })
        };
        Ok(match name.trim() {
            "paid" => Target::Paid(money()?),
            "net" => Target::Net(money()?),
            "pv" => Target::PresentValue(money()?),
            "cap_year" => Target::CapYear(year("cap_year")?),
            "cap_year_exactly" => Target::CapYearExactly(year("cap_year_exactly")?),
            other => {
                let known = ["paid", "net", "pv", "cap_year", "cap_year_exactly"];
                let hint = crate::scenario::nearest(other, &known.map(String::from)).map(str::to_string);
                return Err(AnalysisError::UnknownTarget { name: other.to_string(), hint });
            }
        })
    }

    fn describe(&self) -> String {
        match self {
            Target::Paid(v) => format!("total paid to Microsoft = {}", Human(*v)),
            Target::Net(v) => format!("net to Microsoft = {}", Human(*v)),
            Target::PresentValue(v) => format!("present value of net to Microsoft = {}", Human(*v)),
            Target::CapYear(y) => format!("cap reached in or before {y}"),
            Target::CapYearExactly(y) => format!("cap reached in exactly {y}"),
        }
    }

    /// Which side of the target a summary is on: `true` once it is reached.
    fn reached(&self, s: &Summary) -> bool {
        match self {
            Target::Paid(v) => s.totals.share_paid >= *v,
            Target::Net(v) => s.totals.net_to_microsoft >= *v,
            Target::PresentValue(v) => s.present_value.net_to_microsoft >= *v,
            Target::CapYear(y) => s.cap_reached_year.is_some_and(|r| r <= *y),
            Target::CapYearExactly(y) => s.cap_reached_year == Some(*y),
        }
    }

    /// How far a summary is from the target: money apart, or years apart (never reached is as
    /// far as can be). For "the closest it got" when no input in the range reaches it.
    fn distance(&self, s: &Summary) -> Decimal {
        let years = |y: i32| {
            s.cap_reached_year.map_or(Decimal::MAX, |r| Decimal::from((i64::from(r) - i64::from(y)).abs()))
        };
        match self {
            Target::Paid(v) => (s.totals.share_paid.value() - v).abs(),
            Target::Net(v) => (s.totals.net_to_microsoft.value() - v).abs(),
            Target::PresentValue(v) => (s.present_value.net_to_microsoft.value() - v).abs(),
            Target::CapYear(y) | Target::CapYearExactly(y) => years(*y),
        }
    }

    fn figure(&self, s: &Summary) -> String {
        match self {
            Target::Paid(_) => s.totals.share_paid.human().to_string(),
            Target::Net(_) => s.totals.net_to_microsoft.human().to_string(),
            Target::PresentValue(_) => s.present_value.net_to_microsoft.human().to_string(),
            Target::CapYear(_) | Target::CapYearExactly(_) => {
                s.cap_reached_year.map_or("never".into(), |y| y.to_string())
            }
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
        // Growth compounds: beyond +100% a year most paths pass the 1,000T limit within a decade.
        Param::Growth => (d("-0.5")?, d("1")?, d("0.000000001")?),
        Param::RevenueScale => (d("0.01")?, d("100")?, d("0.000000001")?),
        Param::Clause(_, key) => {
            match super::params::CLAUSE_KEYS.iter().find(|(k, _)| k == key).map(|(_, kind)| *kind) {
                Some(super::params::KeyKind::Money) => (Decimal::ZERO, d("1000000000000")?, Decimal::ONE),
                Some(super::params::KeyKind::Rate) => (Decimal::ZERO, Decimal::ONE, d("0.000000001")?),
                Some(super::params::KeyKind::Days) => (Decimal::ZERO, Decimal::from(3650), Decimal::ONE),
                _ => return None,
            }
        }
        Param::EffectiveDate | Param::CapCountsFrom | Param::AgiDeclared => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalSeek {
    pub parameter: String,
    pub target: String,
    /// The answer, or `None` when the range holds none.
    pub answer: Option<String>,
    /// The input just across the boundary from the answer (within the tolerance): it misses.
    pub just_across: Option<String>,
    pub iterations: u32,
    pub tolerance: String,
    pub message: String,
    /// `answer` and `just_across` as numbers, for callers that go on computing with them.
    #[serde(skip)]
    pub answer_value: Option<Decimal>,
    #[serde(skip)]
    pub just_across_value: Option<Decimal>,
}

/// Halves the gap between `a` (target not reached) and `b` (reached) until it is within
/// `tolerance`: the last `(a, b)` and the number of halvings.
fn bisect(
    (mut a, mut b): (Decimal, Decimal),
    tolerance: Decimal,
    reached: impl Fn(Decimal) -> Result<bool, AnalysisError>,
) -> Result<(Decimal, Decimal, u32), AnalysisError> {
    let mut iterations = 0;
    while (b - a).abs() > tolerance && iterations < 200 {
        let mid = ((a + b) / Decimal::TWO).round_dp(tolerance.scale().max(2));
        if mid == a || mid == b {
            break;
        }
        if reached(mid)? {
            b = mid;
        } else {
            a = mid;
        }
        iterations += 1;
    }
    Ok((a, b, iterations))
}

/// "no solution in LO..HI": both ends give results on the same side of the target, and which
/// end came closest (a figure moves one way as one input grows, so an end is the closest).
fn same_side(
    param: &Param,
    target: Target,
    (lo, s_lo): (Decimal, &Summary),
    (hi, s_hi): (Decimal, &Summary),
) -> String {
    let (closest, s_closest) =
        if target.distance(s_hi) < target.distance(s_lo) { (hi, s_hi) } else { (lo, s_lo) };
    format!(
        "no solution in {}..{}: at {} it gives {}, at {} it gives {}; both on the same side of the target ({}); the closest it got is {} at {}",
        param.human(&Value::Number(lo)),
        param.human(&Value::Number(hi)),
        param.human(&Value::Number(lo)),
        target.figure(s_lo),
        param.human(&Value::Number(hi)),
        target.figure(s_hi),
        target.describe(),
        target.figure(s_closest),
        param.human(&Value::Number(closest)),
    )
}

/// Bisects `param` over `lo..=hi` until the bracket is narrower than `tolerance`.
pub fn seek(
    loaded: &Loaded,
    param: &Param,
    target: Target,
    lo: Decimal,
    hi: Decimal,
    tolerance: Decimal,
) -> Result<GoalSeek, AnalysisError> {
    if hi <= lo {
        return Err(AnalysisError::EmptyRange { lo: lo.to_string(), hi: hi.to_string() });
    }
    if let Target::CapYearExactly(year) = target {
        return seek_exact_year(loaded, param, year, lo, hi, tolerance);
    }
    let at = |x: Decimal| {
        evaluate(loaded, std::slice::from_ref(param), &[Value::Number(x)]).map_err(|e| {
            AnalysisError::AtSeek {
                param: param.to_string(),
                value: param.human(&Value::Number(x)),
                lo: param.human(&Value::Number(lo)),
                hi: param.human(&Value::Number(hi)),
                source: Box::new(e),
            }
        })
    };
    let (s_lo, s_hi) = (at(lo)?, at(hi)?);
    let (r_lo, r_hi) = (target.reached(&s_lo), target.reached(&s_hi));
    let result =
        |answer: Option<Decimal>, just_across: Option<Decimal>, iterations, message: String| GoalSeek {
            parameter: param.to_string(),
            target: target.describe(),
            answer: answer.map(|a| a.normalize().to_string()),
            just_across: just_across.map(|a| a.normalize().to_string()),
            iterations,
            tolerance: tolerance.normalize().to_string(),
            message,
            answer_value: answer,
            just_across_value: just_across,
        };
    if r_lo == r_hi {
        return Ok(result(None, None, 0, same_side(param, target, (lo, &s_lo), (hi, &s_hi))));
    }
    let (a, b, iterations) =
        bisect(if r_lo { (hi, lo) } else { (lo, hi) }, tolerance, |x| Ok(target.reached(&at(x)?)))?;
    let answer = param.human(&Value::Number(b));
    let summary = at(b)?;
    let a = a.normalize();
    let note = match target {
        Target::CapYear(y) => format!(
            " (\"in or before {y}\"; for the inputs that reach it in exactly {y}, use --target cap_year_exactly={y})"
        ),
        _ => String::new(),
    };
    Ok(result(
        Some(b),
        Some(a),
        iterations,
        format!(
            "{param} = {} ({answer}) meets the target ({}): it gives {}; at {} it does not. {} iterations, to within {}{note}",
            b.normalize(),
            target.describe(),
            target.figure(&summary),
            a,
            iterations,
            param.human(&Value::Number(tolerance))
        ),
    ))
}

/// The interval of inputs for which the cap is reached in exactly `year`: inputs that reach it
/// in or before `year` but not in or before `year − 1`. Two bisections, one per boundary; the
/// sets are nested intervals at one end of the range, since the year the cap is reached moves
/// one way as any single input grows.
fn seek_exact_year(
    loaded: &Loaded,
    param: &Param,
    year: i32,
    lo: Decimal,
    hi: Decimal,
    tolerance: Decimal,
) -> Result<GoalSeek, AnalysisError> {
    let by_year = seek(loaded, param, Target::CapYear(year), lo, hi, tolerance)?;
    let by_before = seek(loaded, param, Target::CapYear(year - 1), lo, hi, tolerance)?;
    let at = |x: Decimal| evaluate(loaded, std::slice::from_ref(param), &[Value::Number(x)]);
    let reached = |t: Target, x: Decimal| at(x).map(|s| t.reached(&s));
    // The end of the range on the side where the cap comes early.
    let early_end = if reached(Target::CapYear(year), lo)? { lo } else { hi };
    let late_end = if early_end == lo { hi } else { lo };
    let far = match &by_year.answer {
        Some(_) => by_year.answer_value.unwrap_or(late_end),
        None if reached(Target::CapYear(year), early_end)? => late_end,
        None => {
            return Ok(GoalSeek {
                answer: None,
                message: format!(
                    "no solution in {}..{}: the cap is never reached by {year} in this range",
                    param.human(&Value::Number(lo)),
                    param.human(&Value::Number(hi))
                ),
                target: Target::CapYearExactly(year).describe(),
                ..by_year
            })
        }
    };
    // `just_past` is the first input (within the tolerance) that no longer reaches it by year − 1.
    let near = match &by_before.answer {
        Some(_) => by_before.just_across_value.unwrap_or(early_end),
        None if reached(Target::CapYear(year - 1), early_end)? => {
            return Ok(GoalSeek {
                answer: None,
                message: format!(
                    "no solution in {}..{}: the cap is reached before {year} everywhere in this range",
                    param.human(&Value::Number(lo)),
                    param.human(&Value::Number(hi))
                ),
                target: Target::CapYearExactly(year).describe(),
                ..by_year
            })
        }
        None => early_end,
    };
    let (from, to) = if near <= far { (near, far) } else { (far, near) };
    Ok(GoalSeek {
        parameter: param.to_string(),
        target: Target::CapYearExactly(year).describe(),
        answer: Some(format!("{}..{}", from.normalize(), to.normalize())),
        just_across: None,
        answer_value: None,
        just_across_value: None,
        iterations: by_year.iterations + by_before.iterations,
        tolerance: tolerance.normalize().to_string(),
        message: format!(
            "{param} from {} to {} ({} to {}) reaches the cap in exactly {year}, both ends within {}; outside it the cap is reached in another year or not at all. {} iterations",
            from.normalize(),
            to.normalize(),
            param.human(&Value::Number(from)),
            param.human(&Value::Number(to)),
            param.human(&Value::Number(tolerance)),
            by_year.iterations + by_before.iterations
        ),
    })
}
