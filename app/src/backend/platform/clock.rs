//! Wall-clock time in unix seconds, the unit every timestamp column stores.

pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// The unix second at which the current month began at `time_zone` (an IANA name such as
/// `America/Chicago`): monthly limits start at midnight on the 1st where the company is. An
/// unknown zone counts as UTC.
pub fn month_start(time_zone: &str, at: i64) -> i64 {
    let zone = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let Ok(now) = jiff::Timestamp::from_second(at) else { return at };
    let local = now.to_zoned(zone);
    local.date().first_of_month().to_zoned(local.time_zone().clone()).map(|z| z.timestamp().as_second()).unwrap_or(at)
}

/// The unix second at which day `day` (days since 1970-01-01) ends at `time_zone`: midnight
/// starting the next day there. An offer "valid until the 15th" holds through the 15th where the
/// company is. An unknown zone counts as UTC.
pub fn day_end(time_zone: &str, day: i64) -> i64 {
    let zone = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let Ok(date) = jiff::Timestamp::from_second((day + 1) * 86_400).map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
    else {
        return (day + 1) * 86_400;
    };
    date.to_zoned(zone).map(|z| z.timestamp().as_second()).unwrap_or((day + 1) * 86_400)
}

/// Today's date at `time_zone`, as days since 1970-01-01.
pub fn local_day(time_zone: &str, at: i64) -> i64 {
    let zone = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let Ok(t) = jiff::Timestamp::from_second(at) else { return at.div_euclid(86_400) };
    let date = t.to_zoned(zone).date();
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second().div_euclid(86_400))
        .unwrap_or(at.div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::{day_end, local_day, month_start};

    #[test]
    fn a_day_ends_at_the_next_local_midnight() {
        // 2026-12-15 is day 20_802.
        let day = 20_802;
        assert_eq!(day_end("UTC", day), 1_797_379_200, "2026-12-16 00:00 UTC");
        assert_eq!(day_end("America/Chicago", day), 1_797_379_200 + 6 * 3_600, "00:00 CST = 06:00 UTC");
        assert_eq!(day_end("Asia/Tokyo", day), 1_797_379_200 - 9 * 3_600, "00:00 JST = 15:00 UTC the day before");
        // 2026-12-16 03:00 UTC is still the 15th in Chicago.
        assert_eq!(local_day("America/Chicago", 1_797_379_200 + 3 * 3_600), day);
        assert_eq!(local_day("UTC", 1_797_379_200 + 3 * 3_600), day + 1);
    }

    #[test]
    fn a_month_starts_at_local_midnight_on_the_first() {
        // 2026-12-01 05:30 UTC is still November 30 in Chicago (UTC-6).
        let t = 1_796_103_000;
        assert_eq!(month_start("UTC", t), 1_796_083_200, "2026-12-01 00:00 UTC");
        assert_eq!(month_start("America/Chicago", t), 1_793_509_200, "2026-11-01 00:00 CDT = 05:00 UTC");
        // Tokyo (UTC+9): 2026-11-30 16:00 UTC is already December 1st there.
        assert_eq!(month_start("Asia/Tokyo", 1_796_054_400), 1_796_050_800, "2026-12-01 00:00 JST");
        assert_eq!(month_start("Not/AZone", t), month_start("UTC", t));
    }
}
