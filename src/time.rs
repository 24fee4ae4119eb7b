//! Simulated time and Mesos duration syntax.
//!
//! Time is an integer count of microseconds since the start of the run, so it is exact and the same
//! on every target. Durations are written as in Mesos flags: a number and a unit (`15secs`,
//! `10mins`, `0.5secs`); a bare JSON number means milliseconds.

/// A point in simulated time or a duration, in microseconds.
pub type Time = u64;

/// One microsecond.
pub const MICROS: Time = 1;
/// One millisecond.
pub const MILLIS: Time = 1_000;
/// One second.
pub const SECS: Time = 1_000_000;
/// One minute.
pub const MINS: Time = 60 * SECS;
/// One hour.
pub const HRS: Time = 60 * MINS;
/// One day.
pub const DAYS: Time = 24 * HRS;
/// One week.
pub const WEEKS: Time = 7 * DAYS;

/// The largest time a scenario may use (about 31 years); keeps every sum of times far from
/// overflow.
pub const MAX_TIME: Time = 1_000 * WEEKS * 2;

/// Units in Mesos order, with their length in nanoseconds (parsing is exact to the nanosecond
/// before rounding to microseconds) and the unit Mesos writes for them: Mesos' flag parser
/// (stout `duration.hpp :: Duration::parse`) knows only the first eight.
const UNITS_NS: &[(&str, u128, &str)] = &[
    ("ns", 1, "ns"),
    ("us", 1_000, "us"),
    ("ms", 1_000_000, "ms"),
    ("secs", 1_000_000_000, "secs"),
    ("mins", 60_000_000_000, "mins"),
    ("hrs", 3_600_000_000_000, "hrs"),
    ("days", 86_400_000_000_000, "days"),
    ("weeks", 604_800_000_000_000, "weeks"),
    // Singular and short forms people write besides Mesos' plural units: accepted, with a
    // warning naming Mesos' spelling (`mesos_spelling`).
    ("sec", 1_000_000_000, "secs"),
    ("min", 60_000_000_000, "mins"),
    ("hr", 3_600_000_000_000, "hrs"),
    ("day", 86_400_000_000_000, "days"),
    ("week", 604_800_000_000_000, "weeks"),
    ("s", 1_000_000_000, "secs"),
    ("m", 60_000_000_000, "mins"),
    ("h", 3_600_000_000_000, "hrs"),
    ("d", 86_400_000_000_000, "days"),
];

/// The unit list shown in error messages.
pub const UNIT_HELP: &str = "ns, us, ms, secs, mins, hrs, days, weeks";

/// Parses a Mesos duration string such as `15secs`, `0.5mins` or `2weeks` into microseconds,
/// rounding to the nearest microsecond. Negative values are rejected here; callers decide whether
/// zero is allowed.
pub fn parse_duration(text: &str) -> Result<Time, String> {
    let s = text.trim();
    let (number, unit) = split_unit(s);
    if s.starts_with('-') {
        return Err(format!(
            "\"{text}\" is negative; durations must be positive"
        ));
    }
    if number.is_empty() || unit.is_empty() {
        return Err(format!(
            "\"{text}\" is not a duration: expected a number and a unit ({UNIT_HELP}), e.g. \"15secs\""
        ));
    }
    let Some(&(_, unit_ns, _)) = UNITS_NS.iter().find(|(name, ..)| *name == unit) else {
        return Err(format!(
            "\"{text}\" has an unknown unit \"{unit}\": use one of {UNIT_HELP}"
        ));
    };
    let nanos = parse_decimal_scaled(number, unit_ns)
        .ok_or_else(|| format!("\"{text}\" is not a number followed by a unit ({UNIT_HELP})"))?;
    from_nanos(nanos, text)
}

/// How Mesos writes a duration that [`parse_duration`] accepts but Mesos' flag parser refuses
/// (`"15s"` → `"15secs"`, `"1min"` → `"1mins"`); `None` when `text` is Mesos syntax already or
/// not a duration at all.
///
/// ```
/// use liveness::time::mesos_spelling;
/// assert_eq!(mesos_spelling("2h").as_deref(), Some("2hrs"));
/// assert_eq!(mesos_spelling("15secs"), None);
/// ```
pub fn mesos_spelling(text: &str) -> Option<String> {
    let (number, unit) = split_unit(text.trim());
    let &(_, _, mesos) = UNITS_NS.iter().find(|(name, ..)| *name == unit)?;
    (mesos != unit).then(|| format!("{number}{mesos}"))
}

/// Splits `15secs` into the number and the unit (at the first character that is neither a digit
/// nor a dot, as Mesos does).
fn split_unit(s: &str) -> (&str, &str) {
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    s.split_at(split)
}

/// Converts a bare JSON number of milliseconds into microseconds.
pub fn millis_to_time(ms: f64) -> Result<Time, String> {
    if !ms.is_finite() {
        return Err(format!("{ms} is not a finite number of milliseconds"));
    }
    if ms < 0.0 {
        return Err(format!("{ms} is negative; durations must be positive"));
    }
    let us = (ms * 1_000.0).round();
    if us > MAX_TIME as f64 {
        return Err(format!(
            "{ms} ms is longer than the limit of {}",
            format_duration(MAX_TIME)
        ));
    }
    Ok(us as Time)
}

fn from_nanos(nanos: u128, text: &str) -> Result<Time, String> {
    let micros = (nanos + 500) / 1_000;
    if micros > MAX_TIME as u128 {
        return Err(format!(
            "\"{text}\" is longer than the limit of {}",
            format_duration(MAX_TIME)
        ));
    }
    Ok(micros as Time)
}

/// `digits[.digits]` times `scale`, exactly, or `None` when it is not such a number (or absurdly
/// long).
fn parse_decimal_scaled(number: &str, scale: u128) -> Option<u128> {
    let (int_part, frac_part) = match number.split_once('.') {
        Some((i, f)) => (i, f),
        None => (number, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    if int_part.len() > 20 || frac_part.len() > 18 {
        return None;
    }
    let int: u128 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().ok()?
    };
    let mut value = int.checked_mul(scale)?;
    if !frac_part.is_empty() {
        let frac: u128 = frac_part.parse().ok()?;
        let denom = 10u128.pow(frac_part.len() as u32);
        value = value.checked_add(frac.checked_mul(scale)? / denom)?;
    }
    Some(value)
}

/// Formats a duration the way Mesos prints one: the largest unit in which the value is at least
/// one, with up to three decimals (`10mins`, `1.5mins`, `75secs`, `2weeks`).
pub fn format_duration(t: Time) -> String {
    const SHOW: &[(&str, Time)] = &[
        ("weeks", WEEKS),
        ("days", DAYS),
        ("hrs", HRS),
        ("mins", MINS),
        ("secs", SECS),
        ("ms", MILLIS),
        ("us", MICROS),
    ];
    if t == 0 {
        return "0ns".to_string();
    }
    let (name, unit) = SHOW
        .iter()
        .copied()
        .find(|&(_, unit)| t >= unit)
        .unwrap_or(("us", MICROS));
    let whole = t / unit;
    let rest = t % unit;
    if rest == 0 {
        return format!("{whole}{name}");
    }
    // Three decimals, rounded, then trailing zeros trimmed.
    let millis_of_unit = (rest as u128 * 1000 + unit as u128 / 2) / unit as u128;
    let (whole, frac) = if millis_of_unit == 1000 {
        (whole + 1, 0)
    } else {
        (whole, millis_of_unit)
    };
    if frac == 0 {
        return format!("{whole}{name}");
    }
    let frac = format!("{frac:03}");
    format!("{whole}.{}{name}", frac.trim_end_matches('0'))
}

/// Writes `t` in milliseconds as a JSON number: an integer when whole, else with up to three
/// decimals (time has microsecond resolution, so this is exact).
pub fn write_millis(out: &mut String, t: Time) {
    use std::fmt::Write;
    let ms = t / MILLIS;
    let us = t % MILLIS;
    if us == 0 {
        let _ = write!(out, "{ms}");
    } else {
        let frac = format!("{us:03}");
        let _ = write!(out, "{ms}.{}", frac.trim_end_matches('0'));
    }
}

/// Milliseconds as an `f64`, for JavaScript and JSON consumers.
pub fn to_millis_f64(t: Time) -> f64 {
    t as f64 / MILLIS as f64
}

/// Formats a time as `mm:ss` (or `h:mm:ss` from one hour, `Nd h:mm:ss` from one day), with
/// milliseconds when the time is not a whole second.
pub fn format_clock(t: Time) -> String {
    let total_secs = t / SECS;
    let ms = (t % SECS) / MILLIS;
    let (d, h, m, s) = (
        total_secs / 86_400,
        (total_secs / 3_600) % 24,
        (total_secs / 60) % 60,
        total_secs % 60,
    );
    let mut out = if d > 0 {
        format!("{d}d {h}:{m:02}:{s:02}")
    } else if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    };
    if ms > 0 {
        out.push_str(&format!(".{ms:03}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mesos_units_and_short_forms() {
        assert_eq!(parse_duration("15secs"), Ok(15 * SECS));
        assert_eq!(parse_duration("10mins"), Ok(10 * MINS));
        assert_eq!(parse_duration("0.5secs"), Ok(500 * MILLIS));
        assert_eq!(parse_duration("2weeks"), Ok(14 * DAYS));
        assert_eq!(parse_duration("1.5h"), Ok(90 * MINS));
        assert_eq!(parse_duration("11.01mins"), Ok(660_600 * MILLIS));
        assert_eq!(parse_duration("1500ns"), Ok(2));
        assert_eq!(parse_duration("5ms"), Ok(5 * MILLIS));
        assert_eq!(parse_duration("1min"), Ok(MINS));
        assert_eq!(parse_duration("1hr"), Ok(HRS));
    }

    #[test]
    fn names_mesos_spelling_of_short_forms() {
        assert_eq!(mesos_spelling("15s").as_deref(), Some("15secs"));
        assert_eq!(mesos_spelling("10m").as_deref(), Some("10mins"));
        assert_eq!(mesos_spelling(" 2h ").as_deref(), Some("2hrs"));
        assert_eq!(mesos_spelling("1.5d").as_deref(), Some("1.5days"));
        assert_eq!(mesos_spelling("1week").as_deref(), Some("1weeks"));
        for mesos in ["15secs", "10mins", "2hrs", "5ms", "3us", "1days", "2weeks"] {
            assert_eq!(mesos_spelling(mesos), None, "{mesos}");
        }
        assert_eq!(mesos_spelling("15 minutes"), None);
    }

    #[test]
    fn rejects_malformed_durations_with_a_reason() {
        assert!(parse_duration("15")
            .unwrap_err()
            .contains("expected a number and a unit"));
        assert!(parse_duration("15 sec")
            .unwrap_err()
            .contains("unknown unit"));
        assert!(parse_duration("-5secs").unwrap_err().contains("negative"));
        assert!(parse_duration("1.2.3secs").is_err());
        assert!(parse_duration("secs").is_err());
        assert!(parse_duration("99999999999weeks")
            .unwrap_err()
            .contains("limit"));
    }

    #[test]
    fn formats_like_mesos() {
        assert_eq!(format_duration(10 * MINS), "10mins");
        assert_eq!(format_duration(90 * SECS), "1.5mins");
        assert_eq!(format_duration(75 * SECS), "1.25mins");
        assert_eq!(format_duration(15 * SECS), "15secs");
        assert_eq!(format_duration(2 * WEEKS), "2weeks");
        assert_eq!(format_duration(1500), "1.5ms");
    }

    #[test]
    fn writes_millis_exactly() {
        let mut s = String::new();
        write_millis(&mut s, 90 * SECS);
        s.push(' ');
        write_millis(&mut s, 1_500);
        s.push(' ');
        write_millis(&mut s, 1_001);
        assert_eq!(s, "90000 1.5 1.001");
    }

    #[test]
    fn clock_format() {
        assert_eq!(format_clock(11 * MINS), "11:00");
        assert_eq!(format_clock(HRS + 61 * SECS), "1:01:01");
        assert_eq!(format_clock(1_500), "00:00.001");
    }
}
