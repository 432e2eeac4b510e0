//! One flow's figures: how its due was made, by the shape of its rule (a share of a stream,
//! fixed, a top-up, a milestone, a shortfall), and what its cap pool let it pay.

use super::{figure, Figure, Step};
use crate::ledger::{CashFlow, DueBasis, RevenueBasis};
use crate::money::{percent, Human};
use rust_decimal::Decimal;

/// The step that checks a revenue flow's due: flat, by rate schedule segment, or by tier.
fn due_step(flow: &CashFlow, r: &RevenueBasis) -> Step {
    if !r.tiers.is_empty() {
        Step::Tiered {
            base: r.base.value(),
            tiers: r.tiers.clone(),
            days: flow.days_in_force,
            period_days: flow.period_days,
            year_days: r.period_year_days,
            result: flow.due.value(),
        }
    } else if r.segments.is_empty() {
        Step::Prorate {
            base: r.base.value(),
            rate: r.rate,
            days: flow.days_in_force,
            period_days: flow.period_days,
            result: flow.due.value(),
        }
    } else {
        Step::ProrateSchedule {
            base: r.base.value(),
            segments: r.segments.clone(),
            period_days: flow.period_days,
            result: flow.due.value(),
        }
    }
}

/// A revenue flow's due in words: `20% × 30B × 249/365 days in force = 4.09B`, or its segments
/// or tiers.
fn due_words(flow: &CashFlow, r: &RevenueBasis) -> String {
    let days = if flow.days_in_force == flow.period_days {
        String::new()
    } else {
        format!(" × {}/{} days in force", flow.days_in_force, flow.period_days)
    };
    if !r.tiers.is_empty() {
        let brackets: Vec<String> = r
            .tiers
            .iter()
            .map(|(above, rate)| {
                if above.is_zero() {
                    percent(*rate)
                } else {
                    format!("{} above {} a year", percent(*rate), Human(*above))
                }
            })
            .collect();
        format!(
            "marginal tiers ({}) on {}{days} = {} (thresholds scaled to the period)",
            brackets.join(", "),
            r.base.human(),
            flow.due.human()
        )
    } else if r.segments.is_empty() {
        format!("{} × {}{days} = {}", percent(r.rate), r.base.human(), flow.due.human())
    } else {
        let parts: Vec<String> = r
            .segments
            .iter()
            .map(|(rate, d)| format!("{} × {} × {d}/{}", percent(*rate), r.base.human(), flow.period_days))
            .collect();
        format!(
            "{} = {} (the rate schedule changes the rate inside the period)",
            parts.join(" + "),
            flow.due.human()
        )
    }
}

/// The figures of one flow: how its due was made (by the shape of its rule) and what its cap
/// pool let it pay. `sentence` is its clause in words.
pub(super) fn flow_figures(flow: &CashFlow, agreement: &str, sentence: &str) -> Vec<Figure> {
    let id = flow.clause.as_str();
    let who = format!("{} `{id}` ({} → {}), {agreement}", flow.kind, flow.payer, flow.payee);
    let mut figures = Vec::new();
    if let DueBasis::Revenue(r) = &flow.basis {
        figures.push(figure(
            &format!("base[{id}]"),
            r.base.value(),
            format!(
                "base {} = {} of {} {} — {who}",
                r.base.human(),
                percent(r.base_fraction),
                stream_words(&r.stream),
                r.stream_amount.human()
            ),
            Some(id),
            vec![Step::Base {
                revenue: r.stream_amount.value(),
                fraction: r.base_fraction,
                result: r.base.value(),
            }],
        ));
    }
    let (due_text, due_steps) = how_due(flow, &who, sentence);
    figures.push(figure(
        &format!("due[{id}]"),
        flow.due.value(),
        format!("due {due_text}"),
        Some(id),
        due_steps,
    ));
    let short_words = match &flow.basis {
        DueBasis::Revenue(r) => due_words(flow, r),
        _ => flow.due.human().to_string(),
    };
    let pool_words = match flow.cap_pool.as_deref() {
        Some(pool) if pool != id => format!("cap pool `{pool}`"),
        _ => "cap".to_string(),
    };
    let paid_words = match flow.cap_room_before {
        Some(room) => format!(
            "min({short_words}, {pool_words} remaining {}) = {}{}",
            room.human(),
            flow.paid.human(),
            if flow.cap_reached { ", cap reached" } else { "" }
        ),
        None => format!("{short_words} (uncapped)"),
    };
    let cap = Step::Cap {
        due: flow.due.value(),
        room: flow.cap_room_before.map(Decimal::from),
        result: flow.paid.value(),
    };
    let paid_column = if flow.category.is_payment() { "paid" } else { "purchased" };
    figures.push(figure(
        &format!("{paid_column}[{id}]"),
        flow.paid.value(),
        format!("{paid_column} {} = {paid_words} — {who}", flow.paid.human()),
        Some(id),
        vec![cap],
    ));
    figures
}

/// How a flow's due was made, in words (ending with who made it) and as checkable steps.
fn how_due(flow: &CashFlow, who: &str, sentence: &str) -> (String, Vec<Step>) {
    match &flow.basis {
        DueBasis::Revenue(r) => (
            format!("{} — {who}; rate {} is {}", due_words(flow, r), percent(r.rate), r.rate_basis),
            vec![due_step(flow, r)],
        ),
        DueBasis::Fixed => (
            format!("{} as the clause sets for the period ({sentence}) — {who}", flow.due.human()),
            Vec::new(),
        ),
        DueBasis::TopUp { minimum, topped_up } => {
            let paid: Vec<String> =
                topped_up.iter().map(|(c, p)| format!("`{c}` paid {}", p.human())).collect();
            let words = format!(
                "max(0, minimum {} − {}) = {} ({sentence}) — {who}",
                minimum.human(),
                paid.join(" − "),
                flow.due.human()
            );
            let paid = topped_up.iter().map(|(_, p)| p.value()).collect();
            (words, vec![Step::ShortOf { target: minimum.value(), paid, result: flow.due.value() }])
        }
        DueBasis::Milestone if flow.due.is_zero() => (
            format!("0: the milestone is not met in this period or was paid before ({sentence}) — {who}"),
            Vec::new(),
        ),
        DueBasis::Milestone => (
            format!("{}: the milestone is first met in this period ({sentence}) — {who}", flow.due.human()),
            Vec::new(),
        ),
        DueBasis::Shortfall { due_now: false, .. } => (
            format!("0: a shortfall is due only in the commitment's last period ({sentence}) — {who}"),
            Vec::new(),
        ),
        DueBasis::Shortfall { commitment, purchased, .. } => (
            format!(
                "max(0, commitment {} − purchases {}) = {} ({sentence}) — {who}",
                commitment.human(),
                purchased.human(),
                flow.due.human()
            ),
            vec![Step::ShortOf {
                target: commitment.value(),
                paid: vec![purchased.value()],
                result: flow.due.value(),
            }],
        ),
    }
}

/// A stream by name, for people: "OpenAI's revenue", or "the `azure_purchases` stream".
fn stream_words(stream: &str) -> String {
    match stream {
        "openai" => "OpenAI's revenue".to_string(),
        "microsoft" => "Microsoft's revenue from OpenAI-based products".to_string(),
        other => format!("the scenario's `{other}` stream"),
    }
}
