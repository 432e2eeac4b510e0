//! Operations: what a command does, from loaded inputs to typed results, for the CLI and the
//! Python package alike. An operation reads files and computes; it prints nothing and writes
//! nothing (its callers turn results into files, terminal lines or Python objects), and its
//! errors are typed (`crate::Error`).

pub mod against;
pub mod calibrate;
pub mod compare;
pub mod files;
pub mod goalseek;
pub mod montecarlo;
pub mod run;
pub mod sensitivity;
pub mod sweep;
