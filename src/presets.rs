//! Built-in scenarios (the JSON files in `scenarios/`), shared by the CLI, the wasm API and the
//! lab.

/// A built-in scenario.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// Its name (`liveness run --preset NAME`).
    pub name: &'static str,
    /// The scenario JSON.
    pub json: &'static str,
}

macro_rules! presets {
    ($($name:literal),+ $(,)?) => {
        /// Every preset, in teaching order.
        pub const PRESETS: &[Preset] = &[
            $(Preset { name: $name, json: include_str!(concat!("../scenarios/", $name, ".json")) }),+
        ];
    };
}

presets!(
    "stuck-recovery",
    "slow-recovery",
    "ghost-tasks",
    "partition",
    "one-way-partition",
    "master-failover",
    "rate-limited",
    "running-only-pongs",
    "hung-agent-everywhere",
    "kubernetes",
    "nomad",
    "memberlist",
    "phi-accrual",
);

/// The preset called `name`.
///
/// ```
/// let p = liveness::presets::find("stuck-recovery").unwrap();
/// assert_eq!(p.summary().0, "Agent hangs in recovery (MESOS-6286)");
/// assert!(liveness::scenario::Scenario::from_json_text(p.json).is_ok());
/// assert!(liveness::presets::find("no-such-preset").is_none());
/// ```
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    /// The preset's `name` and the first sentence of its `description`.
    pub fn summary(&self) -> (String, String) {
        let v: serde_json::Value = serde_json::from_str(self.json).unwrap_or_default();
        let title = v["name"].as_str().unwrap_or(self.name).to_string();
        let desc = v["description"].as_str().unwrap_or("");
        let first = desc.split(". ").next().unwrap_or("").trim_end_matches('.');
        (title, first.to_string())
    }
}
