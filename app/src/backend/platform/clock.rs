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

#[cfg(test)]
mod tests {
    use super::month_start;

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
