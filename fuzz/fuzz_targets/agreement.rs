//! Arbitrary bytes as an agreement or timeline file: read → check → compile (a timeline's
//! versions included, relative files resolved beside it) → describe every clause → diff against
//! `revised` → simulate the shipped base scenario under it → summarise and render every output
//! file; every error rendered as the CLI would. Any panic is a bug.
#![no_main]

use dealsim::{agreement, cli, diagnostic, scenario, Error};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A folder of this process's own, holding the file under test and one agreement file a timeline
/// can name (`revised.toml`), so relative versions and cycles (the file naming itself) are reached.
fn folder() -> &'static PathBuf {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dealsim-fuzz-agreement-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp folder");
        std::fs::write(dir.join("revised.toml"), include_str!("../../scenarios/agreements/revised.toml"))
            .expect("seed agreement");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let path = folder().join("agreement.toml");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let agreement = match scenario::load_agreement_file(&path) {
        Ok(agreement) => agreement,
        Err(error) => {
            let _ = diagnostic::render(&Error::from(error), false);
            return;
        }
    };
    for clause in &agreement.clauses {
        let _ = agreement::describe::sentence(&agreement, clause);
        let _ = agreement::describe::parameters(&agreement, clause);
    }
    let revised = agreement::builtin("revised").expect("built-in");
    let _ = agreement::diff::diff(&revised, &agreement);
    let _ = agreement::diff::diff(&agreement, &revised);
    let base = scenario::source_from_bytes(
        std::path::Path::new("scenarios/base.toml"),
        include_bytes!("../../scenarios/base.toml").to_vec(),
    )
    .expect("shipped scenario");
    let scenario = scenario::parse(&base).expect("shipped scenario parses");
    match dealsim::simulate(&agreement, &scenario) {
        Err(error) => {
            let _ = diagnostic::render(
                &Error::Simulation { scenario: scenario.name.clone(), source: error },
                false,
            );
        }
        Ok(ledger) => {
            let summary = ledger.summary().expect("a simulated ledger always sums");
            match cli::run_files(std::path::Path::new("out"), &ledger, &summary) {
                Ok(files) => assert!(files.iter().all(|file| !file.bytes.is_empty())),
                Err(error) => {
                    let _ = diagnostic::render(&Error::from(error), false);
                }
            }
        }
    }
});
