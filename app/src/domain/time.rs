//! Calendar dates for Unix seconds (UTC), without a date library.

/// Year, month (1–12), day, hour and minute of `secs` (civil-from-days,
/// proleptic Gregorian).
pub fn civil(secs: i64) -> (i64, i64, i64, i64, i64) {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rest / 3600, rest % 3600 / 60)
}

/// `YYYY-MM-DD HH:MM` for Unix seconds.
pub fn utc(secs: i64) -> String {
    let (year, month, day, hour, minute) = civil(secs);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01 00:00");
        assert_eq!(super::utc(1_795_392_000), "2026-11-23 00:00");
        assert_eq!(super::utc(951_782_400 + 3_723), "2000-02-29 01:02");
    }
}
