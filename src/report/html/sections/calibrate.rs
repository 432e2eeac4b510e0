//! A calibration's report: what the reported figures imply about each undisclosed term, which
//! figures each reading contradicts, how each figure fits, and the headline figures predicted.

use super::super::page::{Card, Cell, Page};
use super::ChartSvg;
use crate::analysis::calibrate::{Calibration, ReportedFile};
use crate::report::{distance_words, most_probable_words, share, unknown_rows};

/// `report.html` of a calibration.
pub fn calibrate_report(
    file: &ReportedFile,
    c: &Calibration,
    charts: &[ChartSvg],
    warnings: &[String],
) -> Vec<u8> {
    let question = format!(
        "What do the {} reported figures in `{}` imply about the terms nobody has disclosed?",
        file.figures.len(),
        c.file
    );
    let lede = format!(
        "{} combination(s) of readings × {} sample(s), seed {}; effective sample size {}. Exact over readings; importance sampling from the prior over continuous terms and drawn revenue; each figure weighed by a Gaussian kernel of its tolerance.",
        c.readings,
        crate::money::grouped(c.samples as u64),
        c.seed,
        crate::money::grouped(c.effective_sample_size.round() as u64)
    );
    let mut page = Page::new(&question, &lede);
    for warning in warnings {
        page.warning(&format!("warning: {warning}"));
    }
    if !c.description.is_empty() {
        page.paragraph(&c.description);
    }
    page.figures(&cards(c));
    unknowns_section(&mut page, file, c);
    figures_section(&mut page, file, c);
    for chart in charts {
        page.chart(&chart.svg, &chart.caption);
    }
    page.finish()
}

fn cards(c: &Calibration) -> Vec<Card> {
    let p = &c.predictive;
    let mut cards = vec![Card::money(
        "paid-p50",
        &format!("Paid to Microsoft under `{}`, posterior median", p.scenario),
        p.total_paid.1.p50,
        &format!(
            "P5 {} – P95 {}",
            crate::money::Human(p.total_paid.1.p5),
            crate::money::Human(p.total_paid.1.p95)
        ),
    )];
    cards.push(Card::money(
        "pv-p50",
        "Present value to Microsoft, posterior median",
        p.present_value.1.p50,
        &format!("prior median {}", crate::money::Human(p.present_value.0.p50)),
    ));
    // The year whose chance of the cap moved most with the reports (the earliest on a tie).
    let moved = p.cap_reached_by.iter().rev().max_by(|a, b| (a.2 - a.1).abs().total_cmp(&(b.2 - b.1).abs()));
    if let Some((year, prior, posterior)) = moved {
        cards.push(Card::text(
            "p-cap",
            &format!("P(cap reached by {year})"),
            share(*posterior),
            &format!("prior {}", share(*prior)),
        ));
    }
    cards
}

fn unknowns_section(page: &mut Page, file: &ReportedFile, c: &Calibration) {
    page.heading("unknowns", "The undisclosed terms, before and after the reports");
    let header: Vec<Cell> =
        ["Unknown", "Reading", "Prior", "Posterior", "Contradicts"].into_iter().map(Cell::text).collect();
    let rows: Vec<(Option<&str>, Vec<Cell>)> = unknown_rows(file, c)
        .into_iter()
        .map(|[name, reading, prior, posterior, contradicts]| {
            let cells = vec![
                Cell::text(name),
                Cell::text(reading),
                Cell::number(prior),
                Cell::number(posterior),
                Cell::text(contradicts),
            ];
            (None, cells)
        })
        .collect();
    page.table("unknowns-table", &header, &rows);
    if let Some(words) = most_probable_words(c) {
        page.paragraph(&format!("{words}."));
    }
}

fn figures_section(page: &mut Page, file: &ReportedFile, c: &Calibration) {
    page.heading("figures", "The reported figures, and the model at the most probable reading");
    let header = vec![
        Cell::text("Figure"),
        Cell::number("Reported"),
        Cell::number("Tolerance"),
        Cell::number("At most probable"),
        Cell::number("Off by"),
        Cell::text("Source"),
    ];
    let rows: Vec<(Option<&str>, Vec<Cell>)> = file
        .figures
        .iter()
        .zip(&c.figures)
        .map(|(f, fit)| {
            let label = f.label(&file.scenarios);
            (
                None,
                vec![
                    Cell::text(if f.evidence { label } else { format!("{label} (a check, not weighed)") }),
                    Cell::number(f.reported.to_string()),
                    Cell::number(f.tolerance.to_string()),
                    Cell::number(fit.at_most_probable.to_string()),
                    Cell::number(distance_words(fit.distance)),
                    Cell::text(f.source.clone()),
                ],
            )
        })
        .collect();
    page.table("figures-table", &header, &rows);
    let p = &c.predictive;
    let by: Vec<String> = p
        .cap_reached_by
        .iter()
        .map(|(y, prior, post)| format!("{y}: {} → {}", share(*prior), share(*post)))
        .collect();
    page.paragraph(&format!(
        "P(cap reached by each year) under `{}`, prior → posterior: {}.",
        p.scenario,
        by.join("; ")
    ));
}
