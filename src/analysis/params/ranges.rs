//! Lists and ranges of a parameter's values (`25B,38B,60B`, `20B..80B:10B`, dates by days).

use super::{Param, ParamError, Value};
use crate::money;
use chrono::NaiveDate;
use rust_decimal::Decimal;

impl Param {
    /// Parses `LO..HI` (no step), carrying a unit written once to both ends (`20..80B`).
    pub fn range(&self, text: &str) -> Result<(Value, Value), ParamError> {
        let (lo, hi) = text.split_once("..").ok_or_else(|| self.shape(text, "LO..HI"))?;
        let unit = [hi, lo].into_iter().find_map(money::unit_suffix).filter(|_| self.is_money());
        let with_unit = |part: &str| match unit {
            Some(u) if !money::has_unit(part) => format!("{}{u}", part.trim()),
            _ => part.to_string(),
        };
        let (low, high) = (self.value(&with_unit(lo))?, self.value(&with_unit(hi))?);
        if high < low {
            return Err(ParamError::Backwards { param: self.to_string(), text: text.to_string() });
        }
        Ok((low, high))
    }

    /// Parses a list (`a,b,c`), an inclusive range with a step (`lo..hi:step`), or one value.
    /// Ranges of dates step in days (`2026-01-01..2026-12-31:30`). A range includes both ends,
    /// so its step must divide it: one that would drop the upper end is refused.
    pub fn values(&self, text: &str, limit: usize) -> Result<Vec<Value>, ParamError> {
        let Some((range, step)) = text.split_once(':').filter(|(r, _)| r.contains("..")) else {
            return text.split(',').map(|v| self.value(v)).collect();
        };
        let (lo, hi) = range.split_once("..").ok_or_else(|| self.shape(text, "lo..hi:step"))?;
        // A unit written once carries to every part: `20..80B:10B` is 20B to 80B.
        let unit = [hi, lo, step].into_iter().find_map(money::unit_suffix).filter(|_| self.is_money());
        let with_unit = |part: &str| match unit {
            Some(u) if !money::has_unit(part) => format!("{}{u}", part.trim()),
            _ => part.to_string(),
        };
        let step = &with_unit(step);
        match (self.value(&with_unit(lo))?, self.value(&with_unit(hi))?) {
            (Value::Number(lo), Value::Number(hi)) => self.number_range(text, lo, hi, step, limit),
            (Value::Date(lo), Value::Date(hi)) => self.date_range(text, lo, hi, step, limit),
            _ => Err(ParamError::Mixed { param: self.to_string(), text: text.to_string() }),
        }
    }

    /// `lo..hi:step` of numbers, `text` as written.
    fn number_range(
        &self,
        text: &str,
        lo: Decimal,
        hi: Decimal,
        step: &str,
        limit: usize,
    ) -> Result<Vec<Value>, ParamError> {
        let step = match self.value(step)? {
            Value::Number(s) if s > Decimal::ZERO => s,
            _ => {
                return Err(ParamError::BadStep {
                    param: self.to_string(),
                    step: step.to_string(),
                    days: false,
                })
            }
        };
        if hi < lo {
            return Err(ParamError::Backwards { param: self.to_string(), text: text.to_string() });
        }
        // A step far smaller than the range (`$1e-20`) has more values than Decimal can count:
        // too many, not an overflow.
        let steps = (hi - lo).checked_div(step);
        let count = steps.map(|s| s.floor() + Decimal::ONE);
        if count.is_none_or(|c| c > Decimal::from(limit)) {
            let count = count.map_or("more than 10^28".to_string(), |c| c.to_string());
            return Err(self.too_many(text, count, limit));
        }
        let steps = steps.unwrap_or_default();
        if steps.fract() != Decimal::ZERO {
            let last = lo + step * steps.floor();
            let human = |v: Decimal| self.human(&Value::Number(v));
            return Err(self.step_misses(
                text,
                human(step),
                (human(lo), human(hi)),
                (human(last), human(last + step)),
            ));
        }
        let mut out = Vec::new();
        let mut v = lo;
        while v <= hi {
            out.push(Value::Number(v));
            v += step;
        }
        Ok(out)
    }

    /// `lo..hi:days` of dates, `text` as written.
    fn date_range(
        &self,
        text: &str,
        lo: NaiveDate,
        hi: NaiveDate,
        step: &str,
        limit: usize,
    ) -> Result<Vec<Value>, ParamError> {
        let days: i64 = step.trim().parse().ok().filter(|d| *d > 0).ok_or_else(|| ParamError::BadStep {
            param: self.to_string(),
            step: step.to_string(),
            days: true,
        })?;
        if hi < lo {
            return Err(ParamError::Backwards { param: self.to_string(), text: text.to_string() });
        }
        let span = (hi - lo).num_days();
        if (span / days + 1) as usize > limit {
            return Err(self.too_many(text, (span / days + 1).to_string(), limit));
        }
        if span % days != 0 {
            let last = lo + chrono::Duration::days(span - span % days);
            let next = last + chrono::Duration::days(days);
            let ends = (last.to_string(), next.to_string());
            return Err(self.step_misses(
                text,
                format!("{days} days"),
                (lo.to_string(), hi.to_string()),
                ends,
            ));
        }
        Ok((0..=span / days).map(|k| Value::Date(lo + chrono::Duration::days(k * days))).collect())
    }

    fn step_misses(
        &self,
        text: &str,
        step: String,
        (lo, hi): (String, String),
        (last, next): (String, String),
    ) -> ParamError {
        let miss = Box::new(super::StepMiss { step, lo, hi, last, next });
        ParamError::StepMisses { param: self.to_string(), text: text.to_string(), miss }
    }
}
