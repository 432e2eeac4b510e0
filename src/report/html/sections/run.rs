//! A run's report: headline, ledger, charts, `--against`, what changed, the cap year explained,
//! assumptions and the promises checked.

use super::super::page::{Card, Cell, Page};
use super::{assumptions_section, years, RunReport};
use crate::analysis::against::Against;
use crate::money::{percent, Human};
use crate::report::{assumption_rows, table};

/// `report.html` of one run.
pub fn run_report(r: &RunReport) -> Vec<u8> {
    let s = r.run.summary;
    let question = format!(
        "How much does OpenAI pay Microsoft under `{}` in scenario `{}`, {}, and when does the cap bind?",
        s.agreement,
        s.scenario,
        years(s)
    );
    let mut lede = r.run.loaded.agreement.title.clone();
    if !r.run.loaded.scenario.description.is_empty() {
        lede = format!("{lede}. {}", r.run.loaded.scenario.description);
    }
    let mut page = Page::new(&question, &lede);
    for warning in &r.warnings {
        page.warning(&format!("warning: {warning}"));
    }
    page.figures(&headline(r));
    ledger_section(&mut page, r);
    if !r.charts.is_empty() {
        page.heading("charts", "Charts");
        for chart in &r.charts {
            page.chart(&chart.svg, &chart.caption);
        }
    }
    if let Some(against) = r.against {
        against_section(&mut page, against);
    }
    if let Some((older, newer, changes)) = &r.changes {
        page.heading("what-changed", &format!("What changed from `{older}` to `{newer}`"));
        if changes.is_empty() {
            page.paragraph(
                "Nothing: the two agreements have the same terms under this scenario's assumptions.",
            );
        } else {
            page.list(changes);
        }
    }
    if let Some(explanation) = &r.explanation {
        page.heading(
            "cap-year",
            &format!("Why {}: the year the cap binds, figure by figure", explanation.period),
        );
        let lines: Vec<String> = explanation.figures.iter().map(|f| f.explanation.clone()).collect();
        page.list(&lines);
    }
    assumptions_section(&mut page, &[(None, assumption_rows(r.run.loaded))]);
    let promises: Vec<String> =
        r.run.loaded.agreement.invariants.iter().map(|i| i.says().to_string()).collect();
    if !promises.is_empty() {
        // A run whose ledger broke a promise writes nothing, so every one listed here holds.
        page.heading("promises", "Promises the terms make, checked on this ledger");
        let checked: Vec<String> = promises.iter().map(|p| format!("✓ holds — {p}")).collect();
        page.list(&checked);
    }
    page.finish()
}

fn headline(r: &RunReport) -> Vec<Card> {
    let s = r.run.summary;
    let pv = &s.present_value;
    let valued = pv.valuation_date.map(|d| format!(", valued at {d}")).unwrap_or_default();
    let mut cards = vec![
        Card::money("paid", "Paid to Microsoft", s.totals.paid_to_microsoft.value(), &years(s)),
        Card::money(
            "net",
            "Net to Microsoft",
            s.totals.net_to_microsoft.value(),
            "after what Microsoft pays OpenAI",
        ),
        Card::money(
            "pv",
            "Present value of the net",
            pv.net_to_microsoft.value(),
            &format!("at {} a year, {}{valued}", percent(pv.discounting.rate), pv.discounting.convention),
        ),
    ];
    let reached =
        s.cap_reached_year.map_or("not reached in the run".to_string(), |y| format!("reached in {y}"));
    cards.push(match s.openai_to_microsoft_cap() {
        Some(cap) => Card::money("cap", "Cap on OpenAI's payments", cap, &reached),
        None => Card::text("cap", "Cap on OpenAI's payments", "uncapped".to_string(), "no total cap"),
    });
    if let Some(against) = r.against {
        // The memo's figure is the present value; the nominal gain is its note.
        cards.push(Card::money(
            "gain",
            &format!("Microsoft's gain vs `{}` (present value)", against.against),
            against.microsoft_gain_present_value.value(),
            &format!("nominal {}", Human(against.microsoft_gain.value())),
        ));
    }
    cards
}

fn ledger_section(page: &mut Page, r: &RunReport) {
    let ledger = r.run.ledger;
    let by_year = ledger.rows.iter().all(|r| r.period.label == r.period.year.to_string());
    page.heading(
        "ledger",
        if by_year { "The ledger, year by year" } else { "The ledger, quarter by quarter" },
    );
    // A column for each kind of cash besides the shares, where the agreement has it (as the
    // terminal table has).
    let others = ledger.other_flows();
    let other_headers: Vec<String> = others.iter().map(|(c, p)| table::other_flow_header(*c, *p)).collect();
    let mut names: Vec<&str> = vec!["Period", "OpenAI revenue", "Rate", "Share due", "Share paid"];
    names.extend(other_headers.iter().map(String::as_str));
    names.extend([
        if others.is_empty() { "Cumulative paid" } else { "Share paid to date" },
        "Cap remaining",
        "Microsoft → OpenAI",
        "Net to Microsoft",
    ]);
    let money_columns = 1..=8 + others.len();
    let header: Vec<Cell> = names
        .into_iter()
        .enumerate()
        .map(|(i, h)| if money_columns.contains(&i) { Cell::number(h) } else { Cell::text(h) })
        .collect();
    let bind = r.run.summary.cap_reached_year;
    let mut rows: Vec<(Option<&str>, Vec<Cell>)> = ledger
        .rows
        .iter()
        .map(|row| {
            let class = (Some(row.year()) == bind && row.cap_reached).then_some("bind");
            let mut cells = vec![
                Cell::text(row.period.label.clone()),
                Cell::money(row.revenue.value()),
                Cell::number(table::rate_text(row)),
                Cell::money(row.share_due.value()),
                Cell::money(row.share_paid.value()),
            ];
            cells.extend(others.iter().map(|(c, p)| Cell::money(row.paid_in(*c, *p).value())));
            cells.extend([
                Cell::money(row.cumulative_paid.value()),
                table::cap_left(row).map_or_else(Cell::number, Cell::money),
                Cell::money(row.microsoft_share_paid.value()),
                Cell::money(row.net_to_microsoft.value()),
            ]);
            (class, cells)
        })
        .collect();
    rows.push((Some("total"), totals_row(r, &others)));
    page.table("ledger-table", &header, &rows);
    if let Some(year) = bind {
        page.muted(&format!("The highlighted row, {year}, is the year the cap is reached."));
    }
    rights_table(page, ledger);
    rights_and_launches(page, ledger);
}

/// The ledger table's totals row: money totals under their columns, blanks elsewhere.
fn totals_row(r: &RunReport, others: &[(crate::ledger::Category, crate::agreement::Party)]) -> Vec<Cell> {
    let ledger = r.run.ledger;
    let t = &r.run.summary.totals;
    let blank = || Cell::text("");
    let mut total = vec![
        Cell::text("Total"),
        Cell::money(t.revenue.value()),
        blank(),
        Cell::money(t.share_due.value()),
        Cell::money(t.share_paid.value()),
    ];
    total.extend(others.iter().map(|(c, p)| {
        Cell::money(ledger.rows.iter().map(|r| r.paid_in(*c, *p)).sum::<crate::money::Money>().value())
    }));
    total.extend([
        blank(),
        blank(),
        Cell::money(t.microsoft_share_paid.value()),
        Cell::money(t.net_to_microsoft.value()),
    ]);
    total
}

/// The rights in force each period, in a table of their own so the cash ledger fits a page.
fn rights_table(page: &mut Page, ledger: &crate::Ledger) {
    let header: Vec<Cell> = ["Period", "Licence", "Distribution", "Azure first", "AGI clause"]
        .into_iter()
        .map(Cell::text)
        .collect();
    let rows: Vec<(Option<&str>, Vec<Cell>)> = ledger
        .rows
        .iter()
        .map(|row| {
            let cells = vec![
                Cell::text(row.period.label.clone()),
                Cell::text(table::right_cell(row, crate::ledger::Right::Licence, row.licence.to_string())),
                Cell::text(table::right_cell(
                    row,
                    crate::ledger::Right::Distribution,
                    row.distribution.to_string(),
                )),
                Cell::text(table::right_cell(
                    row,
                    crate::ledger::Right::AzureFirst,
                    crate::ledger::yes_no(row.azure_first).to_string(),
                )),
                Cell::text(table::right_cell(
                    row,
                    crate::ledger::Right::AgiClause,
                    crate::ledger::yes_no(row.agi_clause).to_string(),
                )),
            ];
            (None, cells)
        })
        .collect();
    page.paragraph("Rights in force in each period (on any of its days):");
    page.table("rights-table", &header, &rows);
}

/// Under the ledger: rights that change inside a period, cloud-mix breaches, launches.
fn rights_and_launches(page: &mut Page, ledger: &crate::Ledger) {
    let (changes, note) = table::rights_changes(ledger);
    if !changes.is_empty() {
        page.paragraph("Rights that change within a period:");
        page.list(&changes);
        if let Some(note) = note {
            page.muted(&format!("({note})"));
        }
    }
    for row in ledger.rows.iter().filter(|r| r.distribution_breach) {
        page.warning(&format!(
            "Breach: in {} the cloud mix serves {} of OpenAI's revenue outside Azure, which `{}` does not permit",
            row.period.label,
            percent(row.non_azure_share),
            ledger.agreement
        ));
    }
    if !ledger.launches.is_empty() {
        page.heading("launches", "Launches: when each product reaches Azure and other clouds");
        let header: Vec<Cell> =
            ["Product", "Launch", "On Azure", "On other clouds", "Why"].into_iter().map(Cell::text).collect();
        let rows: Vec<(Option<&str>, Vec<Cell>)> = table::launch_rows(ledger)
            .into_iter()
            .map(|row| (None, row.into_iter().map(Cell::text).collect()))
            .collect();
        page.table("launches-table", &header, &rows);
    }
}

fn against_section(page: &mut Page, against: &Against) {
    page.heading(
        "against",
        &format!(
            "Against `{}`: what the terms of `{}` are worth to Microsoft",
            against.against, against.agreement
        ),
    );
    let header = vec![
        Cell::text("Period"),
        Cell::number(format!("Net under {}", against.agreement)),
        Cell::number(format!("Net under {}", against.against)),
        Cell::number("Microsoft's gain"),
    ];
    let mut rows: Vec<(Option<&str>, Vec<Cell>)> = against
        .rows
        .iter()
        .map(|a| {
            (
                None,
                vec![
                    Cell::text(a.period.clone()),
                    Cell::money(a.net_to_microsoft.value()),
                    Cell::money(a.against_net_to_microsoft.value()),
                    Cell::money(a.microsoft_gain.value()),
                ],
            )
        })
        .collect();
    rows.push((
        Some("total"),
        vec![
            Cell::text("Total"),
            Cell::money(against.total_net_to_microsoft.value()),
            Cell::money(against.against_total_net_to_microsoft.value()),
            Cell::money(against.microsoft_gain.value()),
        ],
    ));
    page.table("against-table", &header, &rows);
    page.paragraph("What each change of terms is worth: applied one at a time in `dealsim diff` order, and order-free (Shapley: the average over every order, which adds up to the same total).");
    let header = vec![
        Cell::text("Change of terms"),
        Cell::number("In order"),
        Cell::number("In order, PV"),
        Cell::number("Order-free"),
        Cell::number("Order-free, PV"),
    ];
    let optional = |m: Option<crate::money::Money>| m.map_or(Cell::number("—"), |m| Cell::money(m.value()));
    let rows: Vec<(Option<&str>, Vec<Cell>)> = against
        .attribution
        .iter()
        .map(|step| {
            (
                None,
                vec![
                    Cell::text(step.change.clone()),
                    Cell::money(step.microsoft_gain.value()),
                    Cell::money(step.microsoft_gain_present_value.value()),
                    optional(step.shapley_microsoft_gain),
                    optional(step.shapley_microsoft_gain_present_value),
                ],
            )
        })
        .collect();
    page.table("attribution-table", &header, &rows);
}
