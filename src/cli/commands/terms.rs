//! `dealsim terms`: an agreement's (or timeline's) clauses in plain words.

use super::super::say;
use crate::agreement::{self, describe};
use crate::error::Error;
use crate::report::OutputOptions;
use crate::scenario;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  dealsim terms revised
  dealsim terms microsoft-openai
  dealsim terms --list")]
pub struct Args {
    /// A built-in agreement name or an agreement file.
    #[arg(required_unless_present = "list")]
    pub agreement: Option<String>,
    /// List the built-in agreements instead.
    #[arg(long, conflicts_with = "agreement")]
    pub list: bool,
}

pub fn exec(args: &Args, _options: &OutputOptions, out: &mut dyn Write) -> Result<(), Vec<Error>> {
    let (name, list) = (args.agreement.as_deref(), args.list);
    if list {
        for name in agreement::builtin_names() {
            if let Some(a) = agreement::builtin(name) {
                let from = if a.timeline.is_some() { "from" } else { "effective" };
                say(out, &format!("{:<16} {}, {from} {}", a.name, a.title, a.effective.value))?;
            }
        }
        return say(out, "(`pre-revision` is another name for `restructured`)");
    }
    let a = scenario::load_agreement(name.unwrap_or("revised")).map_err(Error::from)?;
    say(out, &format!("{} — {}", a.name, a.title))?;
    if let Some(timeline) = &a.timeline {
        say(
            out,
            &format!("A timeline of {} versions, each taking over on its date:", timeline.versions.len()),
        )?;
        for v in &timeline.versions {
            say(
                out,
                &format!(
                    "- `{}` from {} ({}: {})",
                    v.agreement.name, v.from.value, v.from.basis, v.from.source
                ),
            )?;
        }
        say(
            out,
            "Each clause below runs from its own start to the day before a later version takes it over; ids are `<version>/<clause>`.\n",
        )?;
    } else {
        say(
            out,
            &format!("Effective {} ({}: {})\n", a.effective.value, a.effective.basis, a.effective.source),
        )?;
    }
    for (i, clause) in a.clauses.iter().enumerate() {
        say(out, &format!("{}. {} (`{}`)", i + 1, describe::label(clause), clause.id()))?;
        say(out, &format!("   {}", describe::sentence(&a, clause)))?;
        for p in describe::parameters(&a, clause) {
            let provenance = match (p.basis, &p.source) {
                (Some(basis), Some(source)) => format!(" ({basis}: {source})"),
                _ => String::new(),
            };
            say(out, &format!("   - {}: {}{provenance}", p.name, p.shown()))?;
        }
        say(out, "")?;
    }
    Ok(())
}
