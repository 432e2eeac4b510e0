//! The ledger as a table for a terminal: money in human units (12.5B) by default, exact on request.

use crate::agreement::Party;
use crate::ledger::{yes_no, Category, Ledger, Right, ShareTerm, Summary};
use crate::money::{exact, percent, Human};
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, ContentArrangement, Table};
use rust_decimal::Decimal;

pub(super) fn money_cell(value: impl Into<Decimal>, exact_money: bool) -> String {
    let value = value.into();
    if exact_money {
        exact(value)
    } else {
        Human(value).to_string()
    }
}

/// The year-by-year table. Columns follow `ledger.csv`; the right-hand columns are rights.
pub fn ledger_table(ledger: &Ledger, exact_money: bool) -> String {
    with_rights_changes(build_ledger_table(ledger, exact_money, true), ledger)
}

/// The table, then one line per period in which a right changes, with the day it changes.
fn with_rights_changes(table: String, ledger: &Ledger) -> String {
    let (lines, note) = rights_changes(ledger);
    if lines.is_empty() {
        return table;
    }
    let lines: Vec<String> = lines.iter().map(|l| format!("  {l}")).collect();
    let mut out = format!("{table}\nRights that change within a period:\n{}", lines.join("\n"));
    if let Some(note) = note {
        out.push_str(&format!("\n  ({note})"));
    }
    out
}

/// One line per period in which a right changes (`2026: licence none→non-exclusive from
/// 2026-04-27; …`), and, for a run that starts before its agreement, what `none` means there.
pub(super) fn rights_changes(ledger: &Ledger) -> (Vec<String>, Option<String>) {
    let lines: Vec<String> = ledger
        .rows
        .iter()
        .filter(|r| !r.rights_changes.is_empty())
        .map(|r| {
            let changes: Vec<String> = r.rights_changes.iter().map(|c| c.to_string()).collect();
            format!("{}: {}", r.period.label, changes.join("; "))
        })
        .collect();
    // A run that starts before its agreement shows `none` for those days: say that it means
    // "not modelled", not "no licence", and where the earlier terms are.
    let appear_on_effective_date = ledger
        .rows
        .iter()
        .flat_map(|r| &r.rights_changes)
        .any(|c| c.day == ledger.effective && c.from.is_absent());
    let note = appear_on_effective_date.then(|| {
        format!(
            "before {} the run is outside `{}`: `none` there means not modelled, not that the right \
             was absent; run a timeline such as `microsoft-openai` for the terms then in force",
            ledger.effective, ledger.agreement
        )
    });
    (lines, note)
}

/// The Cap-left column: the room left (`Ok`), or why there is none to show (`uncapped`,
/// `reached`, `ended`: room under a share that has ended can no longer be used, `not yet`: a cap
/// whose share has not started is not counting yet).
pub(super) fn cap_left(row: &crate::ledger::LedgerRow) -> Result<Decimal, &'static str> {
    let capped: Vec<ShareTerm> =
        row.flows.iter().filter(|f| f.is_openai_to_microsoft() && f.cap.is_some()).map(|f| f.term).collect();
    let all = |term: ShareTerm| !capped.is_empty() && capped.iter().all(|t| *t == term);
    match (row.cap_remaining, row.cap_reached) {
        (None, _) => Err("uncapped"),
        (Some(_), true) => Err("reached"),
        (Some(_), false) if all(ShareTerm::Ended) => Err(ShareTerm::Ended.table_word()),
        (Some(_), false) if all(ShareTerm::NotStarted) => Err(ShareTerm::NotStarted.table_word()),
        (Some(left), false) => Ok(left.value()),
    }
}

/// The Rate column: the rate, or why no share is in force (`ended`, `not yet`, `none`), never a
/// 0% that would read like a rate cut.
pub(super) fn rate_text(row: &crate::ledger::LedgerRow) -> String {
    match (row.share_rate, row.share_term) {
        (Some(rate), _) => percent(rate),
        (None, term @ (ShareTerm::Ended | ShareTerm::NotStarted)) => term.table_word().to_string(),
        (None, _) => ShareTerm::None.table_word().to_string(),
    }
}

/// A right's cell: its value, or `before→after` in a period where it changes.
pub(super) fn right_cell(row: &crate::ledger::LedgerRow, right: Right, value: String) -> String {
    let changes: Vec<_> = row.rights_changes.iter().filter(|c| c.right == right).collect();
    match (changes.first(), changes.last()) {
        (Some(first), Some(last)) => format!("{}→{}", first.from, last.to),
        _ => value,
    }
}

/// The table fitted to a terminal `width` characters wide: when the full table is wider, the
/// four rights columns are left out and a line under the table says so (`--wide` and
/// `ledger.csv` have them). `None` (output not to a terminal, or `--wide`) is the full table.
pub fn ledger_table_fitted(ledger: &Ledger, exact_money: bool, width: Option<usize>) -> String {
    let full = with_rights_changes(build_ledger_table(ledger, exact_money, true), ledger);
    // Every character the table draws (box lines, →, digits) is one column wide.
    let too_wide = |t: &str| t.lines().any(|l| l.chars().count() > width.unwrap_or(usize::MAX));
    if !too_wide(&full) {
        return full;
    }
    let narrow = with_rights_changes(build_ledger_table(ledger, exact_money, false), ledger);
    format!(
        "{narrow}\n(Licence, Distribution, Azure-first and AGI-clause columns left out to fit {} columns: --wide shows them; ledger.csv has every column)",
        width.unwrap_or_default()
    )
}

/// The header of an extra flow's column: `Top-up`, or `Fixed→OpenAI` for cash to OpenAI.
pub(super) fn other_flow_header(category: Category, payee: Party) -> String {
    let name = match category {
        Category::Share => "Share",
        Category::Fixed => "Fixed",
        Category::TopUp => "Top-up",
        Category::Milestone => "Milestone",
        Category::Shortfall => "Shortfall",
        Category::Purchase => "Purchases",
    };
    match (category, payee) {
        (Category::Purchase, _) | (_, Party::Microsoft) => name.to_string(),
        (_, Party::OpenAi) => format!("{name}→OpenAI"),
    }
}

fn build_ledger_table(ledger: &Ledger, exact_money: bool, with_rights: bool) -> String {
    let by_year = ledger.rows.iter().all(|r| r.period.label == r.period.year.to_string());
    let mut table = Table::new();
    // A column for each kind of cash besides the shares, only where the agreement has it.
    let others = ledger.other_flows();
    let other_headers: Vec<String> = others.iter().map(|(c, p)| other_flow_header(*c, *p)).collect();
    let mut header: Vec<&str> =
        vec![if by_year { "Year" } else { "Period" }, "Revenue", "Rate", "Due", "Paid"];
    header.extend(other_headers.iter().map(String::as_str));
    // With other payments beside it, say the cumulative column is the share's alone.
    header.extend([
        if others.is_empty() { "Cumulative" } else { "Share to date" },
        "Cap left",
        "MS→OpenAI",
        "Net to MS",
    ]);
    if with_rights {
        header.extend(["Licence", "Distribution", "Azure-first", "AGI clause"]);
    }
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    for row in &ledger.rows {
        let cap_left = cap_left(row).map_or_else(str::to_string, |left| money_cell(left, exact_money));
        let rate = rate_text(row);
        let mut cells = vec![
            row.period.label.clone(),
            money_cell(row.revenue, exact_money),
            rate,
            money_cell(row.share_due, exact_money),
            money_cell(row.share_paid, exact_money),
        ];
        cells.extend(others.iter().map(|(c, p)| money_cell(row.paid_in(*c, *p), exact_money)));
        cells.extend([
            money_cell(row.cumulative_paid, exact_money),
            cap_left,
            money_cell(row.microsoft_share_paid, exact_money),
            money_cell(row.net_to_microsoft, exact_money),
        ]);
        if with_rights {
            cells.extend([
                right_cell(row, Right::Licence, row.licence.to_string()),
                right_cell(row, Right::Distribution, row.distribution.to_string()),
                right_cell(row, Right::AzureFirst, yes_no(row.azure_first).to_string()),
                right_cell(row, Right::AgiClause, yes_no(row.agi_clause).to_string()),
            ]);
        }
        table.add_row(cells);
    }
    for index in 1..=8 + others.len() {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}

/// The few lines under the table: totals, and when the cap binds.
pub fn summary_lines(summary: &Summary, exact_money: bool) -> Vec<String> {
    let t = &summary.totals;
    // Cash besides the shares, by kind and direction ("top-ups to Microsoft 1B"), when any.
    let others: Vec<String> = summary
        .by_category
        .iter()
        .filter(|c| c.category != Category::Share && !(c.paid.is_zero() && c.due.is_zero()))
        .map(|c| {
            let to = if c.category.is_payment() {
                format!(" to {}", c.payee)
            } else {
                format!(" from {} (not payments)", c.payee)
            };
            format!("{}{to} {}", c.category.words(), money_cell(c.paid, exact_money))
        })
        .collect();
    let others = if others.is_empty() { String::new() } else { format!("; {}", others.join("; ")) };
    let mut lines = vec![format!(
        "Total: OpenAI→Microsoft due {}, paid {}; Microsoft→OpenAI paid {}{others}; net to Microsoft {}",
        money_cell(t.share_due, exact_money),
        money_cell(t.share_paid, exact_money),
        money_cell(t.microsoft_share_paid, exact_money),
        money_cell(t.net_to_microsoft, exact_money),
    )];
    if !t.outstanding_at_end.is_zero() {
        lines.push(format!(
            "Cash (payment lags): net to Microsoft {} received within the run, {} accrued but paid after it ends",
            money_cell(t.cash_net_to_microsoft, exact_money),
            money_cell(t.outstanding_at_end, exact_money),
        ));
    }
    let pv = &summary.present_value;
    lines.push(format!(
        "Present value at {} a year ({}), valued at {}: net to Microsoft {}",
        crate::money::percent(pv.discounting.rate),
        pv.discounting.convention,
        pv.valuation_date.map(|d| d.to_string()).unwrap_or_default(),
        money_cell(pv.net_to_microsoft, exact_money),
    ));
    lines.extend(cap_lines(summary, exact_money));
    lines
}

/// One line per cap: a clause's own ("Cap of 38B on `x` reached in 2028"), or a pool several
/// clauses share, once ("Cap pool `p` of 38B (`a`, `b`) not reached").
fn cap_lines(summary: &Summary, exact_money: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut pools_said: Vec<&str> = Vec::new();
    for clause in &summary.clauses {
        let Some(cap) = clause.cap else { continue };
        let reached = |when: &Option<String>| match when {
            Some(period) => format!("reached in {period}"),
            None => "not reached".to_string(),
        };
        match &clause.cap_pool {
            None => lines.push(format!(
                "Cap of {} on `{}` {}",
                money_cell(cap, exact_money),
                clause.clause,
                reached(&clause.cap_reached_in)
            )),
            Some(pool) if !pools_said.contains(&pool.as_str()) => {
                pools_said.push(pool);
                let members: Vec<_> =
                    summary.clauses.iter().filter(|c| c.cap_pool.as_deref() == Some(pool)).collect();
                // Period labels (2028, 2028-Q1) sort in date order.
                let first = members.iter().filter_map(|c| c.cap_reached_in.clone()).min();
                lines.push(format!(
                    "Cap pool `{pool}` of {} ({}) {}",
                    money_cell(cap, exact_money),
                    members.iter().map(|c| format!("`{}`", c.clause)).collect::<Vec<_>>().join(", "),
                    reached(&first)
                ));
            }
            Some(_) => {}
        }
    }
    lines
}

/// Launches: when each product reaches Azure and other clouds, and the rule that decided it.
pub fn launches_table(ledger: &Ledger) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "Product",
        "Launch",
        "On Azure",
        "On other clouds",
        "Why",
    ]);
    for row in launch_rows(ledger) {
        table.add_row(row);
    }
    table.to_string()
}

/// Each launch as (product, launch day, on Azure, on other clouds, why), days or the words for
/// none (`not carried`, `held`, `not permitted`).
pub(super) fn launch_rows(ledger: &Ledger) -> Vec<[String; 5]> {
    let day = |d: Option<chrono::NaiveDate>, none: &str| d.map_or(none.to_string(), |d| d.to_string());
    ledger
        .launches
        .iter()
        .map(|l| {
            [
                l.product.clone(),
                l.date.to_string(),
                day(l.azure, "not carried"),
                day(
                    l.other_clouds,
                    if matches!(l.rule, crate::ledger::LaunchRule::Held { .. }) {
                        "held"
                    } else {
                        "not permitted"
                    },
                ),
                l.rule.to_string(),
            ]
        })
        .collect()
}

/// The width to fit tables to: `COLUMNS` when set (as shells and tests set it), else the
/// terminal's width when standard output is one, else `None` (a file or pipe gets every column).
pub fn terminal_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()) {
        return Some(columns);
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        Table::new().width().map(usize::from)
    } else {
        None
    }
}
