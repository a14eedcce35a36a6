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

/// Unix seconds of a UTC time typed as `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`
/// (what a `datetime-local` field posts) or `YYYY-MM-DD HH:MM`.
pub fn parse_utc(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let bad = || format!("\"{}\" is not a date like 2027-01-31 or 2027-01-31T18:00.", text.chars().take(24).collect::<String>());
    let (date, time) = text.split_once(['T', ' ']).unwrap_or((text, "00:00"));
    let number = |part: Option<&str>, digits: usize| part.filter(|p| p.len() == digits && p.bytes().all(|b| b.is_ascii_digit())).and_then(|p| p.parse::<i64>().ok());
    let mut d = date.split('-');
    let (Some(year), Some(month), Some(day), None) = (number(d.next(), 4), number(d.next(), 2), number(d.next(), 2), d.next()) else {
        return Err(bad());
    };
    let mut t = time.split(':');
    let (Some(hour), Some(minute)) = (number(t.next(), 2), number(t.next(), 2)) else { return Err(bad()) };
    if t.next().is_some_and(|s| number(Some(s), 2).is_none()) || hour > 23 || minute > 59 || !(1..=12).contains(&month) {
        return Err(bad());
    }
    // Days from civil (proleptic Gregorian), the inverse of `civil`.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60;
    // 2027-02-30 would roll over into March: refused, not moved.
    if civil(secs).0 != year || civil(secs).1 != month || civil(secs).2 != day {
        return Err(bad());
    }
    Ok(secs)
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01 00:00");
        assert_eq!(super::utc(1_795_392_000), "2026-11-23 00:00");
        assert_eq!(super::utc(951_782_400 + 3_723), "2000-02-29 01:02");
    }

    #[test]
    fn typed_times_read_back_as_they_print() {
        for secs in [0, 951_782_400 + 3_720, 1_795_392_000, 4_102_444_740] {
            let shown = super::utc(secs);
            assert_eq!(super::parse_utc(&shown), Ok(secs), "{shown}");
            assert_eq!(super::parse_utc(&shown.replace(' ', "T")), Ok(secs));
        }
        assert_eq!(super::parse_utc("2026-11-23"), Ok(1_795_392_000));
        assert_eq!(super::parse_utc("2026-11-23T10:15:00"), Ok(1_795_392_000 + 36_900), "seconds from some browsers");
        for bad in ["2027-02-30", "2027-13-01", "27-01-01", "2027-01-01T24:00", "soon", "", "2027-01-01T10:5"] {
            assert!(super::parse_utc(bad).is_err(), "{bad}");
        }
    }
}
