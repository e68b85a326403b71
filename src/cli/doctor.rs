//! `doisoat doctor`: prints each dependency, where it was found and its version, or the fix.

use doisoat::deps::{self, DepsParams};

use super::Exit;

pub fn run(params: &DepsParams) -> Exit {
    let report = deps::doctor(params);
    for check in &report.checks {
        match &check.result {
            Ok(details) => println!("ok      {}: {details}", check.name),
            Err(err) => println!("MISSING {}: {err}", check.name),
        }
    }
    if report.all_ok() {
        println!("all dependencies are usable");
        Exit::Success
    } else {
        println!("some dependencies are missing; run the fix shown above");
        Exit::MissingDependency
    }
}
