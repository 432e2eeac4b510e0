//! dealsim: models a commercial agreement's terms as rules and simulates, period by period, the
//! cash flows and rights they produce under a revenue scenario.
//!
//! Data flows one way: `scenario` (TOML file → validated `Scenario`) → `agreement` (clauses as
//! data, with the scenario's assumptions applied) → `engine::simulate` (pure) → `ledger` →
//! `report` (table, CSV, JSON) and `chart` (PNG, SVG). `ops` holds what a command does, shared by
//! `cli` (a thin layer over it) and the Python package (`python/`).

pub mod agreement;
pub mod analysis;
pub mod chart;
pub mod cli;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod ledger;
pub mod money;
pub mod ops;
pub mod period;
pub mod report;
pub mod scenario;
pub mod text;

pub use agreement::Agreement;
pub use engine::simulate;
pub use error::Error;
pub use ledger::{Ledger, LedgerRow, Summary};
pub use scenario::Scenario;
