//! A Monte Carlo run's report: percentiles of cash and present value, the probability the cap
//! binds, and with `--against` the distribution of what the terms are worth.

use super::super::page::{Card, Cell, Page};
use super::{assumptions_section, ChartSvg};
use crate::analysis::montecarlo::MonteCarlo;
use crate::money::percent;
use crate::report::assumption_rows;

/// `report.html` of a Monte Carlo run.
pub fn montecarlo_report(
    loaded: &crate::scenario::Loaded,
    mc: &MonteCarlo,
    charts: &[ChartSvg],
    against: Option<&crate::analysis::montecarlo::against::AgainstDistribution>,
) -> Vec<u8> {
    let s = &loaded.scenario;
    let question = format!(
        "Over {} simulated revenue paths of `{}` under `{}`, how much is Microsoft paid, what is it worth today, and how likely is the cap to bind?",
        crate::money::grouped(mc.paths),
        s.name,
        loaded.agreement.name
    );
    let mut page = Page::new(
        &question,
        &format!("Seed {}; percentiles within {:.1}%.", mc.seed, mc.relative_error * 100.0),
    );
    for warning in &mc.warnings {
        page.warning(&format!("warning: {warning}"));
    }
    page.figures(&montecarlo_cards(loaded, mc, against));
    if !s.agi_outcomes.is_empty() {
        let applies = if loaded.agreement.agi_matters() {
            format!("each path draws its date (`{}` has clauses AGI ends)", loaded.agreement.name)
        } else {
            format!(
                "`{}` has no clause AGI ends, so only the comparison below uses it",
                loaded.agreement.name
            )
        };
        page.paragraph(&format!(
            "AGI declared, probability-weighted: {}; {applies}.",
            crate::scenario::agi_outcomes_words(&s.agi_outcomes)
        ));
    }
    years_section(&mut page, mc);
    if let Some(a) = against {
        page.heading(
            "against",
            &format!(
                "What the terms of `{}` are worth to Microsoft against `{}`",
                loaded.agreement.name, a.against
            ),
        );
        page.paragraph(&format!(
            "Per path, the present value of Microsoft's net under `{}` minus under `{}` (OpenAI's side is the mirror image): P5 {}, P50 {}, P95 {}. The terms favour Microsoft on {} of paths.",
            loaded.agreement.name,
            a.against,
            a.gain_present_value.p5.human(),
            a.gain_present_value.p50.human(),
            a.gain_present_value.p95.human(),
            percent(a.probability_favours_microsoft)
        ));
    }
    for chart in charts {
        page.chart(&chart.svg, &chart.caption);
    }
    assumptions_section(&mut page, &[(None, assumption_rows(loaded))]);
    page.finish()
}

/// The Monte Carlo headline: median paid and PV with their P5–P95, P(cap), P(favours Microsoft).
fn montecarlo_cards(
    loaded: &crate::scenario::Loaded,
    mc: &MonteCarlo,
    against: Option<&crate::analysis::montecarlo::against::AgainstDistribution>,
) -> Vec<Card> {
    let s = &loaded.scenario;
    let t = &mc.total_paid;
    let mut cards = vec![Card::money(
        "paid-p50",
        "Paid to Microsoft, median",
        t.p50.value(),
        &format!("P5 {} – P95 {}", t.p5.human(), t.p95.human()),
    )];
    if let Some(pv) = &mc.present_value_paid {
        cards.push(Card::money(
            "pv-p50",
            "Present value, median",
            pv.p50.value(),
            &format!(
                "P5 {} – P95 {}; at {} a year",
                pv.p5.human(),
                pv.p95.human(),
                percent(s.discounting.rate)
            ),
        ));
    }
    if let Some(last) = mc.years.last() {
        cards.push(Card::text(
            "p-cap",
            &format!("P(cap reached by {})", last.period),
            percent(last.probability_cap_reached),
            "share of paths",
        ));
    }
    if let Some(a) = against {
        cards.push(Card::text(
            "p-favours",
            &format!("P(the terms favour Microsoft vs `{}`)", a.against),
            percent(a.probability_favours_microsoft),
            "share of paths with a positive PV gain",
        ));
    }
    cards
}

/// Per year: revenue, paid and cumulative paid percentiles, P(cap reached), and Microsoft's
/// revenue percentiles where it has any.
fn years_section(page: &mut Page, mc: &MonteCarlo) {
    page.heading("years", "Per year");
    // Microsoft's revenue (drawn as OpenAI's is) when the scenario has any.
    let microsoft = mc.years.iter().any(|y| !y.microsoft_revenue.p95.value().is_zero());
    let mut headings = vec![
        "Year",
        "Revenue P50",
        "Revenue P5",
        "Revenue P95",
        "Paid P50",
        "Cumulative P5",
        "Cumulative P50",
        "Cumulative P95",
        "P(cap reached)",
    ];
    if microsoft {
        headings.extend(["Microsoft revenue P50", "Microsoft revenue P5", "Microsoft revenue P95"]);
    }
    let header: Vec<Cell> = headings
        .into_iter()
        .enumerate()
        .map(|(i, h)| if i == 0 { Cell::text(h) } else { Cell::number(h) })
        .collect();
    let rows: Vec<(Option<&str>, Vec<Cell>)> = mc
        .years
        .iter()
        .map(|y| {
            (
                None,
                vec![
                    Cell::text(y.period.clone()),
                    Cell::money(y.revenue.p50.value()),
                    Cell::money(y.revenue.p5.value()),
                    Cell::money(y.revenue.p95.value()),
                    Cell::money(y.paid.p50.value()),
                    Cell::money(y.cumulative_paid.p5.value()),
                    Cell::money(y.cumulative_paid.p50.value()),
                    Cell::money(y.cumulative_paid.p95.value()),
                    Cell::number(percent(y.probability_cap_reached)),
                ]
                .into_iter()
                .chain(
                    microsoft
                        .then(|| {
                            let m = &y.microsoft_revenue;
                            [
                                Cell::money(m.p50.value()),
                                Cell::money(m.p5.value()),
                                Cell::money(m.p95.value()),
                            ]
                        })
                        .into_iter()
                        .flatten(),
                )
                .collect(),
            )
        })
        .collect();
    page.table("years-table", &header, &rows);
}
