//! How a clause parameter is read from an agreement file. Dates may be bare TOML dates
//! (`2032-12-31`) or strings; decimals must be strings or integers, because a TOML float has
//! already lost digits to binary floating point before we could see it.

use super::clause::{Cap, Clouds, ExceptionReading, IpScope, RateStep, RevenueBase, Tier, Trigger};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::{Deserialize, Deserializer, Error};

pub trait FileValue: Sized {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

impl FileValue for NaiveDate {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(deserializer)? {
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                        .ok_or_else(|| D::Error::custom(format!("`{dt}` is not a date")))
                }
                _ => Err(D::Error::custom(format!(
                    "`{dt}` is a date-time; expected a date such as 2032-12-31"
                ))),
            },
            toml::Value::String(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|_| D::Error::custom(format!("`{s}` is not a date (expected YYYY-MM-DD)"))),
            other => Err(D::Error::custom(format!(
                "expected a date such as 2032-12-31, found {}",
                other.type_str()
            ))),
        }
    }
}

impl FileValue for Decimal {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(deserializer)? {
            toml::Value::String(s) => {
                s.trim().parse().map_err(|_| D::Error::custom(format!("`{s}` is not a decimal number")))
            }
            toml::Value::Integer(i) => Ok(Decimal::from(i)),
            toml::Value::Float(f) => Err(D::Error::custom(format!(
                "the float {f} may have lost digits; write decimals as strings, e.g. \"0.20\""
            ))),
            other => Err(D::Error::custom(format!(
                "expected a decimal string such as \"0.20\", found {}",
                other.type_str()
            ))),
        }
    }
}

/// Types whose ordinary serde form is already exact.
macro_rules! plain_file_value {
    ($($t:ty),*) => {$(
        impl FileValue for $t {
            fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$t>::deserialize(deserializer)
            }
        }
    )*};
}

plain_file_value!(
    bool,
    i64,
    Vec<IpScope>,
    Vec<RateStep>,
    Vec<Tier>,
    RevenueBase,
    Cap,
    Trigger,
    Clouds,
    ExceptionReading
);
