//! The one integration-test binary (one link step keeps a 2-core build quick).

mod agreements;
mod analysis;
mod architecture;
mod bad_inputs;
mod browser;
mod cash;
mod charts;
mod cli;
mod common;
mod differential;
mod docs;
mod explain;
mod montecarlo;
mod outputs;
mod params;
mod properties;
mod refusals;
mod reported;
mod rights;
mod rules;
mod schedule;
mod snapshots;
mod timeline;
mod variants;
mod verify;
mod workbook;
