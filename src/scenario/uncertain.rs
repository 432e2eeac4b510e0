//! The values only Monte Carlo draws: a level factor on a revenue path (`scale`) and the
//! correlation joining the two revenues' draws (`revenue_correlation`).

use super::dist::Dist;
use super::raw::RawValue;
use super::values::Values;
use super::*;

impl Values<'_> {
    /// A multiple (`1`, `"110%"`), or a distribution of multiples (a path's `scale`).
    pub fn multiple_or_dist(
        &self,
        key: &str,
        value: &RawValue,
    ) -> Result<(Decimal, Option<Dist>), InputError> {
        match value.get_ref() {
            toml::Value::Table(table) if table.contains_key("dist") => {
                let dist = self.dist(key, value, &table.clone(), crate::money::parse_multiple, false)?;
                Ok((dist.central(), Some(dist)))
            }
            _ => Ok((
                self.amount(key, value, "a multiple such as 1 or \"110%\"", crate::money::parse_multiple)?,
                None,
            )),
        }
    }

    /// A correlation: a number from −1 to 1.
    pub fn correlation(&self, key: &str, value: &RawValue) -> Result<Decimal, InputError> {
        let text = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(_) | toml::Value::Float(_) => self.source().text[value.span()].to_string(),
            _ => String::new(),
        };
        let parsed =
            Decimal::from_str_exact(text.trim()).ok().filter(|c| (-Decimal::ONE..=Decimal::ONE).contains(c));
        parsed.ok_or_else(|| {
            InputError::at(
                self.source(),
                value.span(),
                InputErrorKind::WrongType {
                    key: key.to_string(),
                    expected: "a correlation from -1 to 1, such as 0.8",
                    found: format!("`{}`", self.source().text[value.span()].trim()),
                },
            )
        })
    }
}
