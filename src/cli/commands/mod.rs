//! One file per subcommand: its arguments (`Args`) and its `exec`. Listed in the table of
//! `command_table!` in `cli/mod.rs`, one line each.

pub mod calibrate;
pub mod check;
pub mod compare;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod goalseek;
pub mod man;
pub mod merge;
pub mod montecarlo;
pub mod montecarlo_weighted;
pub mod run;
pub mod sensitivity;
pub mod sweep;
pub mod terms;
pub mod verify;
