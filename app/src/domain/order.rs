//! Orders as buyers see them: the order number, the status timeline, payment terms and the
//! purchase order number a buyer types.

use serde::{Deserialize, Serialize};

/// The number on an order, its confirmation and its URL: the order id offset so numbers look
/// like what buyers know from paper (six digits from the first order on). Another company's
/// number is NotFound, so numbers reveal nothing by being sequential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderNumber(i64);

const OFFSET: i64 = 100_000;

impl OrderNumber {
    pub fn from_id(id: crate::domain::ids::OrderId) -> OrderNumber {
        OrderNumber(id.0)
    }

    pub fn id(self) -> crate::domain::ids::OrderId {
        crate::domain::ids::OrderId(self.0)
    }

    /// What a URL or a search box holds: digits, optionally after "SO-" or "#".
    pub fn parse(raw: &str) -> Option<OrderNumber> {
        let raw = raw.trim();
        let raw = raw.strip_prefix('#').unwrap_or(raw);
        let raw = raw.strip_prefix("SO-").or_else(|| raw.strip_prefix("so-")).unwrap_or(raw);
        if raw.is_empty() || raw.len() > 12 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: i64 = raw.parse().ok()?;
        (n > OFFSET).then(|| OrderNumber(n - OFFSET))
    }
}

impl std::fmt::Display for OrderNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0 + OFFSET)
    }
}

/// Where an order is. The timeline shows every status it reached, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    Placed,
    Confirmed,
    PartlyShipped,
    Shipped,
    Delivered,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Placed,
        OrderStatus::Confirmed,
        OrderStatus::PartlyShipped,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::PartlyShipped => "partly_shipped",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The translation key of its name.
    pub fn key(self) -> &'static str {
        match self {
            OrderStatus::Placed => "orders.status.placed",
            OrderStatus::Confirmed => "orders.status.confirmed",
            OrderStatus::PartlyShipped => "orders.status.partly_shipped",
            OrderStatus::Shipped => "orders.status.shipped",
            OrderStatus::Delivered => "orders.status.delivered",
            OrderStatus::Cancelled => "orders.status.cancelled",
        }
    }
}

/// When the company pays: up front, or a number of days after the invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentTerms {
    Prepaid,
    Net(u16),
}

impl PaymentTerms {
    pub fn parse(code: &str) -> Option<PaymentTerms> {
        match code {
            "prepaid" => Some(PaymentTerms::Prepaid),
            other => {
                let days: u16 = other.strip_prefix("net")?.parse().ok()?;
                (1..=180).contains(&days).then_some(PaymentTerms::Net(days))
            }
        }
    }

    pub fn code(self) -> String {
        match self {
            PaymentTerms::Prepaid => "prepaid".into(),
            PaymentTerms::Net(days) => format!("net{days}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PoProblem {
    Required,
    TooLong,
    /// Control characters (a paste from a system that adds them) are refused, not silently
    /// dropped: the number must match the buyer's own records exactly.
    ControlCharacters,
}

pub const MAX_PO_CHARS: usize = 35;

/// A purchase order number as typed: trimmed; empty is allowed unless the company requires one.
pub fn parse_po_number(raw: &str, required: bool) -> Result<String, PoProblem> {
    let po = raw.trim();
    if po.chars().any(char::is_control) {
        return Err(PoProblem::ControlCharacters);
    }
    if po.chars().count() > MAX_PO_CHARS {
        return Err(PoProblem::TooLong);
    }
    if po.is_empty() && required {
        return Err(PoProblem::Required);
    }
    Ok(po.to_string())
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (what `<input type="date">` sends); `None`
/// unless it is a real calendar date between the years 2000 and 2999.
pub fn parse_iso_date(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let b = raw.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = raw.get(0..4)?.parse().ok()?;
    let m: i64 = raw.get(5..7)?.parse().ok()?;
    let d: i64 = raw.get(8..10)?.parse().ok()?;
    if !(2000..=2999).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    // Days from civil (H. Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `YYYY-MM-DD` of a day number (the inverse of `parse_iso_date`).
pub fn iso_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_round_trip_and_reject_junk() {
        let n = OrderNumber::from_id(crate::domain::ids::OrderId(42));
        assert_eq!(n.to_string(), "100042");
        assert_eq!(OrderNumber::parse("100042"), Some(n));
        assert_eq!(OrderNumber::parse(" SO-100042 "), Some(n));
        assert_eq!(OrderNumber::parse("#100042"), Some(n));
        assert_eq!(OrderNumber::parse("42"), None);
        assert_eq!(OrderNumber::parse("100000"), None);
        assert_eq!(OrderNumber::parse("-100042"), None);
        assert_eq!(OrderNumber::parse("1e6"), None);
        assert_eq!(OrderNumber::parse(&"9".repeat(40)), None);
        assert_eq!(OrderNumber::parse(""), None);
    }

    #[test]
    fn statuses_and_terms_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.code()), Some(s));
        }
        assert_eq!(OrderStatus::parse("lost"), None);
        assert_eq!(PaymentTerms::parse("net30"), Some(PaymentTerms::Net(30)));
        assert_eq!(PaymentTerms::parse("prepaid"), Some(PaymentTerms::Prepaid));
        assert_eq!(PaymentTerms::parse("net0"), None);
        assert_eq!(PaymentTerms::parse("net"), None);
        assert_eq!(PaymentTerms::Net(60).code(), "net60");
    }

    #[test]
    fn iso_dates_round_trip_and_reject_impossible_days() {
        assert_eq!(parse_iso_date("1970-01-01"), None, "before 2000");
        assert_eq!(parse_iso_date("2026-11-23"), Some(20_780));
        assert_eq!(iso_date(20_780), "2026-11-23");
        assert_eq!(parse_iso_date("2028-02-29").map(iso_date), Some("2028-02-29".into()));
        assert_eq!(parse_iso_date("2027-02-29"), None);
        assert_eq!(parse_iso_date("2026-13-01"), None);
        assert_eq!(parse_iso_date("2026-1-01"), None);
        assert_eq!(parse_iso_date("tomorrow"), None);
        for day in 10_957..12_000 {
            assert_eq!(parse_iso_date(&iso_date(day)), Some(day));
        }
    }

    #[test]
    fn po_numbers_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(parse_po_number("  PO-4471 ", true), Ok("PO-4471".into()));
        assert_eq!(parse_po_number("", false), Ok(String::new()));
        assert_eq!(parse_po_number("  ", true), Err(PoProblem::Required));
        assert_eq!(parse_po_number("PO\u{7}1", false), Err(PoProblem::ControlCharacters));
        assert_eq!(parse_po_number("PO\n1", false), Err(PoProblem::ControlCharacters));
        assert_eq!(parse_po_number(&"9".repeat(36), false), Err(PoProblem::TooLong));
    }
}
