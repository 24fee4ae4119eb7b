//! `examples/embed.rs` (the engine embedded in a Rust program) runs and reports what it should:
//! the preset's hung agent marked by the re-registration timer at 11:00.001, the agent we
//! partitioned at 3:00 marked by the health check 75 s after its first unanswered ping.

#[path = "../examples/embed.rs"]
#[allow(dead_code)] // its main() is for `cargo run --example embed`
mod embed;

#[test]
fn the_embedding_example_reports_both_verdicts() {
    let mut report = String::new();
    embed::embed(&mut report).unwrap();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "    time  agent-1       agent-2       agent-3");
    assert_eq!(lines[1], "   04:00  disconnected  connected     connected");
    assert_eq!(lines[2], "   05:00  disconnected  unreachable   connected");
    assert_eq!(lines[8], "   11:00  disconnected  unreachable   connected");
    assert_eq!(lines[9], "   12:00  unreachable   unreachable   connected");
    assert_eq!(
        lines[10],
        "04:15.632  agent-2 marked unreachable: health check timed out"
    );
    assert_eq!(
        lines[11],
        "11:00.001  agent-1 marked unreachable: agent did not re-register within 10mins after \
         disconnecting"
    );
    let hash = lines[12].strip_prefix("trace hash ").unwrap();
    assert!(hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(lines.len(), 13);
}
