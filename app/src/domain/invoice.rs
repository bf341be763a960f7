//! Invoices: numbers, due dates from payment terms, the state an invoice is in from what was paid,
//! overdue against the company's today, ageing buckets and credit arithmetic. Pure and unit
//! tested; `backend::invoices` stores and reads them. Dates are days since 1970-01-01 (the
//! company's local date), amounts integer minor units of one currency.

use super::order::PaymentTerms;
use serde::{Deserialize, Serialize};

/// Invoice numbers: readable and offset so they do not start at 1 (`INV-200001`).
pub fn invoice_number(id: i64) -> String {
    format!("INV-{}", id + 200_000)
}

/// The id behind an invoice number (`INV-200001`, `inv-200001` or `200001`).
pub fn parse_invoice_number(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let digits = raw.strip_prefix("INV-").or_else(|| raw.strip_prefix("inv-")).unwrap_or(raw);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().and_then(|n| n.checked_sub(200_000)).filter(|id| *id > 0)
}

/// The day an invoice issued on `issued` falls due: Net N days later; prepaid at once.
pub fn due_day(terms: PaymentTerms, issued: i64) -> i64 {
    match terms {
        PaymentTerms::Prepaid => issued,
        PaymentTerms::Net(days) => issued + days as i64,
    }
}

/// What is stored: void is a decision; the others follow from what was paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InvoiceStatus {
    Open,
    PartlyPaid,
    Paid,
    Void,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 4] =
        [InvoiceStatus::Open, InvoiceStatus::PartlyPaid, InvoiceStatus::Paid, InvoiceStatus::Void];

    pub fn code(self) -> &'static str {
        match self {
            InvoiceStatus::Open => "open",
            InvoiceStatus::PartlyPaid => "partly_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Void => "void",
        }
    }

    pub fn parse(code: &str) -> Option<InvoiceStatus> {
        InvoiceStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Money is still owed on it.
    pub fn owing(self) -> bool {
        matches!(self, InvoiceStatus::Open | InvoiceStatus::PartlyPaid)
    }
}

/// Days past due on `today` (0 when not yet due or nothing is owed).
pub fn days_overdue(status: InvoiceStatus, due: i64, today: i64) -> i64 {
    if status.owing() && today > due {
        today - due
    } else {
        0
    }
}

/// The ageing buckets of an accounts statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Bucket {
    Current,
    Days1To30,
    Days31To60,
    Days61To90,
    Over90,
}

impl Bucket {
    pub const ALL: [Bucket; 5] =
        [Bucket::Current, Bucket::Days1To30, Bucket::Days31To60, Bucket::Days61To90, Bucket::Over90];

    pub fn of(days_overdue: i64) -> Bucket {
        match days_overdue {
            i64::MIN..=0 => Bucket::Current,
            1..=30 => Bucket::Days1To30,
            31..=60 => Bucket::Days31To60,
            61..=90 => Bucket::Days61To90,
            _ => Bucket::Over90,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Bucket::Current => "current",
            Bucket::Days1To30 => "d1_30",
            Bucket::Days31To60 => "d31_60",
            Bucket::Days61To90 => "d61_90",
            Bucket::Over90 => "over_90",
        }
    }
}

/// Open amounts by bucket, in one currency: (bucket, sum) in `Bucket::ALL` order, or `None`
/// when a sum does not fit in an amount. `open` is (days overdue, open amount) per invoice.
pub fn ageing(open: &[(i64, i64)]) -> Option<Vec<(Bucket, i64)>> {
    let mut out: Vec<(Bucket, i64)> = Bucket::ALL.iter().map(|b| (*b, 0)).collect();
    for &(days, amount) in open {
        let slot = out.iter_mut().find(|(b, _)| *b == Bucket::of(days))?;
        slot.1 = slot.1.checked_add(amount)?;
    }
    Some(out)
}

/// Credit in one currency: what is owed (open invoices plus placed orders not invoiced yet)
/// against the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    pub limit: i64,
    pub balance: i64,
}

impl Credit {
    /// What can still be ordered on credit (never below zero).
    pub fn available(self) -> i64 {
        self.limit.saturating_sub(self.balance).max(0)
    }

    /// Whether an order of `amount` fits.
    pub fn allows(self, amount: i64) -> bool {
        self.balance.checked_add(amount).is_some_and(|after| after <= self.limit)
    }
}

/// Why a payment is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentProblem {
    NotPositive,
    OtherCurrency,
    MoreThanOpen,
    Void,
}

/// Splits a payment over invoices (each: currency, open amount, void), in the order given:
/// each takes what it owes until the payment is spent. A payment in another currency than an
/// invoice's, on a void invoice, or larger than all they owe is refused, never summed or kept.
pub fn allocate(amount: i64, currency: &str, invoices: &[(&str, i64, bool)]) -> Result<Vec<i64>, PaymentProblem> {
    if amount <= 0 {
        return Err(PaymentProblem::NotPositive);
    }
    if invoices.iter().any(|(c, _, _)| *c != currency) {
        return Err(PaymentProblem::OtherCurrency);
    }
    if invoices.iter().any(|(_, _, void)| *void) {
        return Err(PaymentProblem::Void);
    }
    let owed = invoices.iter().try_fold(0i64, |sum, (_, open, _)| sum.checked_add((*open).max(0)));
    if owed.is_none_or(|owed| amount > owed) {
        return Err(PaymentProblem::MoreThanOpen);
    }
    let mut left = amount;
    Ok(invoices
        .iter()
        .map(|(_, open, _)| {
            let take = left.min((*open).max(0));
            left -= take;
            take
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        assert_eq!(invoice_number(1), "INV-200001");
        assert_eq!(parse_invoice_number("INV-200001"), Some(1));
        assert_eq!(parse_invoice_number("200042"), Some(42));
        for junk in ["", "INV-", "INV-200000", "Q-100001", "INV-abc", "INV-99999999999999999999"] {
            assert_eq!(parse_invoice_number(junk), None, "{junk}");
        }
    }

    #[test]
    fn due_dates_follow_the_terms() {
        assert_eq!(due_day(PaymentTerms::Net(30), 20_000), 20_030);
        assert_eq!(due_day(PaymentTerms::Net(15), 20_000), 20_015);
        assert_eq!(due_day(PaymentTerms::Net(60), 20_000), 20_060);
        assert_eq!(due_day(PaymentTerms::Prepaid, 20_000), 20_000);
    }

    #[test]
    fn overdue_is_computed_against_today() {
        // Due on day 100: not overdue that day, one day overdue the next.
        assert_eq!(days_overdue(InvoiceStatus::Open, 100, 100), 0);
        assert_eq!(days_overdue(InvoiceStatus::Open, 100, 101), 1);
        assert_eq!(days_overdue(InvoiceStatus::PartlyPaid, 100, 175), 75);
        assert_eq!(days_overdue(InvoiceStatus::Paid, 100, 175), 0);
        assert_eq!(days_overdue(InvoiceStatus::Void, 100, 175), 0);
        for s in InvoiceStatus::ALL {
            assert_eq!(InvoiceStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn ageing_buckets_at_their_edges() {
        assert_eq!(Bucket::of(-5), Bucket::Current);
        assert_eq!(Bucket::of(0), Bucket::Current);
        assert_eq!(Bucket::of(1), Bucket::Days1To30);
        assert_eq!(Bucket::of(30), Bucket::Days1To30);
        assert_eq!(Bucket::of(31), Bucket::Days31To60);
        assert_eq!(Bucket::of(60), Bucket::Days31To60);
        assert_eq!(Bucket::of(61), Bucket::Days61To90);
        assert_eq!(Bucket::of(90), Bucket::Days61To90);
        assert_eq!(Bucket::of(91), Bucket::Over90);
        let a = ageing(&[(0, 100), (10, 200), (75, 300), (75, 1), (120, 5)]).unwrap();
        assert_eq!(
            a,
            vec![
                (Bucket::Current, 100),
                (Bucket::Days1To30, 200),
                (Bucket::Days31To60, 0),
                (Bucket::Days61To90, 301),
                (Bucket::Over90, 5)
            ]
        );
        assert_eq!(ageing(&[(1, i64::MAX), (2, 1)]), None);
    }

    #[test]
    fn credit_arithmetic() {
        let c = Credit { limit: 5_000_000, balance: 4_900_000 };
        assert_eq!(c.available(), 100_000);
        assert!(c.allows(100_000));
        assert!(!c.allows(100_001));
        assert_eq!(Credit { limit: 100, balance: 250 }.available(), 0);
        assert!(!Credit { limit: i64::MAX, balance: 1 }.allows(i64::MAX));
    }

    #[test]
    fn payments_are_split_in_order_and_never_over_or_across_currencies() {
        assert_eq!(allocate(1_500, "USD", &[("USD", 1_000, false), ("USD", 800, false)]), Ok(vec![1_000, 500]));
        assert_eq!(allocate(300, "USD", &[("USD", 1_000, false)]), Ok(vec![300]));
        assert_eq!(allocate(1_001, "USD", &[("USD", 1_000, false)]), Err(PaymentProblem::MoreThanOpen));
        assert_eq!(allocate(100, "EUR", &[("USD", 1_000, false)]), Err(PaymentProblem::OtherCurrency));
        assert_eq!(allocate(100, "USD", &[("USD", 1_000, true)]), Err(PaymentProblem::Void));
        assert_eq!(allocate(0, "USD", &[("USD", 1_000, false)]), Err(PaymentProblem::NotPositive));
        assert_eq!(allocate(-5, "USD", &[("USD", 1_000, false)]), Err(PaymentProblem::NotPositive));
    }
}
