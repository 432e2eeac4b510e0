//! Stage 6: analyses built on the engine: running one scenario under two agreements and
//! attributing the difference to each change of terms. Never re-implements the rules: every
//! figure here comes from `engine::simulate`.

pub mod against;
pub mod explain;
pub mod goalseek;
pub mod montecarlo;
pub mod params;
pub mod sensitivity;
pub mod sketch;
pub mod sweep;
