//! Arbitrary bytes through the whole pipeline: read → parse → validate → resolve the agreement →
//! simulate → summarise → render every output file, and every error rendered as the CLI would.
//! Any panic is a bug: user input must only ever produce a result or an error.
#![no_main]

use dealsim::{cli, diagnostic, report, scenario, Error};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/input.toml");
    let outcome = scenario::source_from_bytes(path, data.to_vec()).and_then(|source| {
        let scenario = scenario::parse(&source)?;
        let agreement = scenario::resolve_agreement(&scenario, &source)?;
        Ok((scenario, agreement))
    });
    match outcome {
        Err(error) => {
            let _ = diagnostic::render(&Error::from(error), false);
        }
        Ok((scenario, agreement)) => match dealsim::simulate(&agreement, &scenario) {
            Err(error) => {
                let _ = diagnostic::render(
                    &Error::Simulation { scenario: scenario.name.clone(), source: error },
                    false,
                );
            }
            Ok(ledger) => {
                let summary = ledger.summary().expect("a simulated ledger always sums");
                match cli::run_files(Path::new("out"), &ledger, &summary) {
                    Ok(files) => assert!(files.iter().all(|file| !file.bytes.is_empty())),
                    Err(error) => {
                        let _ = diagnostic::render(&Error::from(error), false);
                    }
                }
                let _ = report::ledger_table(&ledger, false);
            }
        },
    }
});
