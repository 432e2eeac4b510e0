//! The one list of the scenario parameters `--set`, `sweep`, `sensitivity --range`, `goalseek
//! --vary` and calibrate's `[priors]` accept: each parameter's name, aliases, what it takes and
//! what it sets. Parsing, the help texts and the errors all read it, so they cannot drift.

use super::{Param, CLAUSE_KEYS};

/// One scenario-level parameter.
pub struct ParamSpec {
    pub param: Param,
    /// The name it is written and shown as.
    pub name: &'static str,
    /// Other names accepted for it.
    pub aliases: &'static [&'static str],
    /// What a value is, as the help says it.
    pub takes: &'static str,
    /// What it sets.
    pub help: &'static str,
}

impl ParamSpec {
    /// Whether its values are numbers (goal seeking bisects only those).
    pub fn numeric(&self) -> bool {
        !matches!(self.param, Param::EffectiveDate | Param::CapCountsFrom | Param::AgiDeclared)
    }
}

/// Every scenario-level parameter, in the order help lists them; clause parameters
/// (`<clause-id>.rate`, `.cap` and `CLAUSE_KEYS`) follow them.
pub const SCENARIO_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        param: Param::Cap,
        name: "cap",
        aliases: &[],
        takes: "money, e.g. 38B",
        help: "the total cap (assumptions.cap)",
    },
    ParamSpec {
        param: Param::ShareRate,
        name: "share_rate",
        aliases: &["rate"],
        takes: "a rate, e.g. 20%",
        help: "OpenAI's share to Microsoft (assumptions.share_rate)",
    },
    ParamSpec {
        param: Param::ShareBase,
        name: "share_base",
        aliases: &[],
        takes: "a fraction, e.g. 100%",
        help: "the part of OpenAI's revenue the share applies to",
    },
    ParamSpec {
        param: Param::EffectiveDate,
        name: "effective_date",
        aliases: &[],
        takes: "a date",
        help: "the day the terms take effect",
    },
    ParamSpec {
        param: Param::CapCountsFrom,
        name: "cap_counts_from",
        aliases: &[],
        takes: "a date",
        help: "the first day of revenue counted toward the cap",
    },
    ParamSpec {
        param: Param::PriorPayments,
        name: "prior_payments_toward_cap",
        aliases: &[],
        takes: "money",
        help: "payments already counted toward the cap",
    },
    ParamSpec {
        param: Param::DiscountRate,
        name: "discount_rate",
        aliases: &[],
        takes: "a rate",
        help: "the rate present values are discounted at",
    },
    ParamSpec {
        param: Param::Growth,
        name: "growth",
        aliases: &[],
        takes: "a rate",
        help: "OpenAI's revenue growing at this rate every year after the first",
    },
    ParamSpec {
        param: Param::RevenueScale,
        name: "revenue_scale",
        aliases: &[],
        takes: "a multiple, e.g. 1.5",
        help: "OpenAI's revenue times this in every year",
    },
    ParamSpec {
        param: Param::AgiDeclared,
        name: "agi_declared",
        aliases: &["agi"],
        takes: "a date or never",
        help: "the day AGI is declared",
    },
];

/// The spec a name or alias names.
pub fn lookup(name: &str) -> Option<&'static ParamSpec> {
    SCENARIO_PARAMS.iter().find(|s| s.name == name || s.aliases.contains(&name))
}

/// The name `param` is shown as, for a scenario-level parameter.
pub fn name_of(param: &Param) -> Option<&'static str> {
    SCENARIO_PARAMS.iter().find(|s| s.param == *param).map(|s| s.name)
}

/// Every name and alias, for "did you mean" hints.
pub fn all_names() -> Vec<String> {
    SCENARIO_PARAMS
        .iter()
        .flat_map(|s| std::iter::once(s.name).chain(s.aliases.iter().copied()))
        .map(String::from)
        .collect()
}

/// The clause parameters, as help writes them (`numeric_only`: without the dates).
fn clause_names(numeric_only: bool) -> String {
    let keys: Vec<&str> = (CLAUSE_KEYS.iter())
        .filter(|(_, kind)| !numeric_only || *kind != super::KeyKind::Date)
        .map(|(k, _)| *k)
        .collect();
    format!("<clause-id>.rate, <clause-id>.cap, <clause-id>.{}", keys.join("|"))
}

/// The names a parameter may be given by: each with its aliases and what it takes, then the
/// clause parameters (`numeric_only`: those goal seeking can vary).
pub fn names(numeric_only: bool) -> String {
    let scenario = SCENARIO_PARAMS.iter().filter(|s| !numeric_only || s.numeric()).map(|s| {
        let aliases: String = s.aliases.iter().map(|a| format!("; also `{a}`")).collect();
        format!("{} ({}{aliases})", s.name, s.takes)
    });
    scenario.chain(std::iter::once(clause_names(numeric_only))).collect::<Vec<_>>().join(", ")
}

/// `--set`'s help line: what a setting is, then every name.
pub fn set_help(intro: &str) -> String {
    format!("{intro} Names: {}.", names(false))
}

/// `goalseek --vary`'s help line.
pub fn vary_help() -> String {
    format!("The input to solve for: {}.", names(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_alias_parses_to_its_parameter_and_shows_as_its_name() {
        for spec in SCENARIO_PARAMS {
            for name in std::iter::once(spec.name).chain(spec.aliases.iter().copied()) {
                let param = Param::parse(name).unwrap();
                assert_eq!(param, spec.param, "{name}");
                assert_eq!(param.to_string(), spec.name);
            }
            assert!(names(false).contains(&format!("{} (", spec.name)));
            assert_eq!(names(true).contains(&format!("{} (", spec.name)), spec.numeric(), "{}", spec.name);
        }
    }
}
