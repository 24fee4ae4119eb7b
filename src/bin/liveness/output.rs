//! How the command line reports: every command's output goes through [`stdout`], and every
//! failure is a [`Failure`] printed as `error: …` lines with exit code 2. A closed pipe
//! (`| head -c1`) or a full disk (`> /dev/full`) therefore ends the run with one line instead of a
//! panic (`println!`) or a silent success.

use std::io::Write;
use std::process::ExitCode;

/// Invalid input, bad usage or output that cannot be written: printed, exit code 2.
pub struct Failure(pub Vec<String>);

impl Failure {
    /// A one-line failure.
    pub fn new(line: impl Into<String>) -> Failure {
        Failure(vec![line.into()])
    }

    /// Prints each line as `error: …` on standard error and returns exit code 2.
    pub fn report(self) -> ExitCode {
        let mut err = std::io::stderr().lock();
        for line in self.0 {
            // Nothing more can be done if standard error is gone too.
            let _ = writeln!(err, "error: {line}");
        }
        ExitCode::from(2)
    }
}

/// Writes `text` to standard output and flushes it, turning a write error into a [`Failure`].
pub fn stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(write_failure)
}

/// The one-line failure for a write to standard output that did not succeed.
pub fn write_failure(e: std::io::Error) -> Failure {
    Failure::new(format!("cannot write to standard output: {e}"))
}
