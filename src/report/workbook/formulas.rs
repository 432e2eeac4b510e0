//! The formulas of one flow in one period of the Flows sheet, by the shape of its `Due`: what
//! `engine::evaluate` computes, written over the Inputs sheet's cells.

use super::flows::{
    cell, constant, date_literal, when, FlowColumns, FlowsSheet, DAYS, END, FIRST_STREAM, START, YEAR_DAYS,
};
use super::model::{FlowRefs, Model};
use crate::agreement::plan::{CompiledRate, Due, ExactDue, Flow, When};
use rust_decimal::Decimal;
use rust_xlsxwriter::utility::column_number_to_name;

/// The formulas of one flow in one period.
pub(super) struct Formulas<'a> {
    pub model: &'a Model<'a>,
    pub layout: &'a FlowsSheet,
    pub refs: &'a FlowRefs,
    pub t: usize,
}

impl Formulas<'_> {
    fn input(&self, index: usize) -> String {
        self.model.inputs.cell(index)
    }

    fn or_constant(&self, input: Option<usize>, value: Decimal) -> String {
        input.map_or_else(|| constant(value), |i| self.input(i))
    }

    fn here(&self, column: u16) -> String {
        cell(column, self.t)
    }

    /// A revenue stream in this period (the Flows sheet's own column).
    pub(super) fn stream(&self, stream: usize) -> String {
        self.here(FIRST_STREAM + stream as u16)
    }

    /// The column's cell in the period before, or `first` in the first period.
    pub(super) fn previous(&self, column: u16, first: &str) -> String {
        if self.t == 0 {
            first.to_string()
        } else {
            cell(column, self.t - 1)
        }
    }

    /// `MAX(start, first day in force)` and `MIN(end, last day in force)`: the days of the period
    /// in force.
    fn window(&self) -> (String, String) {
        let (s, e) = (self.here(START), self.here(END));
        let first = format!("MAX({s},{})", self.input(self.refs.start));
        let last = match self.refs.end {
            Some(end) => format!("MIN({e},{})", self.input(end)),
            None => e,
        };
        (first, last)
    }

    pub(super) fn days_in_force(&self) -> String {
        let (first, last) = self.window();
        format!("=MAX(0,{last}-{first}+1)")
    }

    /// Whether `day` (a formula) falls in the period's days in force.
    fn in_window(&self, day: &str) -> String {
        let (first, last) = self.window();
        format!("AND({day}>={first},{day}<={last})")
    }

    pub(super) fn due(&self, flow: &Flow<Decimal, ExactDue>, cols: &FlowColumns) -> String {
        let d = self.here(cols.days);
        let y = self.here(YEAR_DAYS);
        let refs = self.refs;
        match &flow.due {
            Due::Revenue { stream, rule } => self.revenue_due(*stream, rule, &d),
            Due::Fixed(_) => match refs.per_year {
                Some(per_year) => format!("=ROUND({}*{d}/{y},2)", self.input(per_year)),
                None if !refs.lumps.is_empty() => {
                    let lumps: Vec<String> = refs
                        .lumps
                        .iter()
                        .map(|(day, amount)| {
                            format!("IF({},{},0)", self.in_window(&date_literal(*day)), self.input(*amount))
                        })
                        .collect();
                    format!("={}", lumps.join("+"))
                }
                None => "=0".to_string(),
            },
            Due::TopUp { of, minimum } => {
                let minimum = match refs.per_year {
                    Some(per_year) => format!("ROUND({}*{d}/{y},2)", self.input(per_year)),
                    None => constant(minimum[self.t]),
                };
                let paid: Vec<String> = of.iter().map(|j| self.here(self.layout.columns[*j].paid)).collect();
                let paid = if paid.is_empty() { "0".to_string() } else { paid.join("+") };
                format!("=MAX(0,{minimum}-({paid}))")
            }
            Due::Milestone { amount, when } => {
                let amount = self.or_constant(refs.amount, *amount);
                match (when, cols.reached) {
                    (When::Period(_), _) => match (refs.day, when) {
                        (Some(day), _) => format!("=IF({},{amount},0)", self.in_window(&self.input(day))),
                        // A day the inputs do not hold (AGI's): the period it falls in.
                        (None, When::Period(Some(p))) if *p == self.t => format!("={amount}"),
                        _ => "=0".to_string(),
                    },
                    (_, Some(reached)) => {
                        format!(
                            "=IF(AND({}=1,{}<>1),{amount},0)",
                            self.here(reached),
                            self.previous(reached, "0")
                        )
                    }
                    _ => "=0".to_string(),
                }
            }
            Due::Shortfall { commitment, of, .. } => match refs.day {
                Some(day) => {
                    let day = self.input(day);
                    let letter = column_number_to_name(self.layout.columns[*of].paid);
                    let bought = format!("${letter}$2:{letter}{}", self.t + 2);
                    format!(
                        "=IF(AND({day}>={},{day}<={}),MAX(0,{}-SUM({bought})),0)",
                        self.here(START),
                        self.here(END),
                        self.or_constant(refs.amount, *commitment)
                    )
                }
                None => "=0".to_string(),
            },
        }
    }

    /// A revenue rule's due: `ROUND(base × Σ rate × days / n, 2)`, a schedule's segments each at
    /// its rate, or marginal tiers on the base scaled to the year.
    fn revenue_due(&self, stream: usize, rule: &ExactDue, d: &str) -> String {
        let refs = self.refs;
        let (n, y) = (self.here(DAYS), self.here(YEAR_DAYS));
        let base = format!("{}*{}", self.stream(stream), self.or_constant(refs.fraction, rule.fraction));
        let rate = self.or_constant(refs.rate, rule.flat_rate);
        match &rule.rate {
            CompiledRate::Tiered { tiers, .. } => {
                let scaled = format!("({base})*{y}");
                let mut brackets = vec![(String::from("0"), rate)];
                brackets
                    .extend(refs.tiers.iter().map(|(above, rate)| (self.input(*above), self.input(*rate))));
                let _ = tiers;
                let terms: Vec<String> = brackets
                    .iter()
                    .enumerate()
                    .map(|(i, (above, rate))| match brackets.get(i + 1) {
                        Some((next, _)) => format!("{rate}*MAX(0,MIN({scaled},{next}*{n})-{above}*{n})"),
                        None => format!("{rate}*MAX(0,{scaled}-{above}*{n})"),
                    })
                    .collect();
                format!("=ROUND(({})*{d}/({n}*{y}),2)", terms.join("+"))
            }
            CompiledRate::RateDays(_) if !refs.steps.is_empty() => {
                let (s, e) = (self.here(START), self.here(END));
                let first = self.input(refs.start);
                let mut segments = Vec::new();
                let mut rates = vec![(None, rate)];
                rates.extend(
                    refs.steps.iter().map(|(from, rate)| (Some(self.input(*from)), self.input(*rate))),
                );
                for (i, (from, rate)) in rates.iter().enumerate() {
                    let mut lows = vec![s.clone(), first.clone()];
                    lows.extend(from.clone());
                    let mut highs = vec![e.clone()];
                    highs.extend(refs.end.map(|end| self.input(end)));
                    if let Some((Some(next), _)) = rates.get(i + 1) {
                        highs.push(format!("{next}-1"));
                    }
                    segments.push(format!(
                        "{rate}*MAX(0,MIN({})-MAX({})+1)",
                        highs.join(","),
                        lows.join(",")
                    ));
                }
                format!("=ROUND({base}*({})/{n},2)", segments.join("+"))
            }
            CompiledRate::RateDays(_) => format!("=ROUND({base}*{rate}*{d}/{n},2)"),
        }
    }

    /// A milestone's trigger in this period: revenue at a yearly rate, or revenue to date.
    pub(super) fn reaches(&self, flow: &Flow<Decimal, ExactDue>, cols: &FlowColumns) -> String {
        let d = self.here(cols.days);
        let threshold = |value: &Decimal| self.or_constant(self.refs.threshold, *value);
        match when(&flow.due) {
            When::StreamReaches { stream, threshold: level, .. } => {
                let stream = self.stream(*stream);
                format!(
                    "AND({d}>0,{stream}*{}>={}*{})",
                    self.here(YEAR_DAYS),
                    threshold(level),
                    self.here(DAYS)
                )
            }
            When::CumulativeReaches { threshold: level, .. } => {
                let tracked = cols.tracked.map(|c| self.here(c)).unwrap_or_default();
                format!("AND({d}>0,{tracked}>={})", threshold(level))
            }
            When::Period(_) => "FALSE".to_string(),
        }
    }

    /// The room flow `k`'s pool has when it draws: after the pool's flow before it in this period,
    /// else at the end of the period before, else at the start (`MAX(0, amount − prior)`).
    pub(super) fn room_before(&self, k: usize) -> Option<String> {
        let plan = self.model.plan;
        let pool = plan.flows[k].pool?;
        let members: Vec<usize> =
            (0..plan.flows.len()).filter(|j| plan.flows[*j].pool == Some(pool)).collect();
        let position = members.iter().position(|j| *j == k)?;
        let room = |j: usize| self.layout.columns[j].room.unwrap_or_default();
        if position > 0 {
            return Some(self.here(room(members[position - 1])));
        }
        if self.t > 0 {
            return Some(cell(room(*members.last()?), self.t - 1));
        }
        Some(self.model.pool_start(pool))
    }
}
