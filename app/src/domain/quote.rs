//! Quotes: the states a quote moves through, who may move it where, quote numbers, what changed
//! between two revisions, and which attachments are accepted. Pure, so every transition (allowed
//! and refused) is unit tested here; `backend::quotes` turns a decision into one compare-and-set.

use serde::{Deserialize, Serialize};

/// Where a quote stands. An offer (revision n) is answered by the buyer: accepted (then ordered
/// through checkout), declined, or "changes requested" (the merchant answers with revision n+1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuoteStatus {
    Submitted,
    InReview,
    Offered,
    ChangesRequested,
    Accepted,
    Ordered,
    Declined,
    Withdrawn,
    Rejected,
    Expired,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 10] = [
        QuoteStatus::Submitted,
        QuoteStatus::InReview,
        QuoteStatus::Offered,
        QuoteStatus::ChangesRequested,
        QuoteStatus::Accepted,
        QuoteStatus::Ordered,
        QuoteStatus::Declined,
        QuoteStatus::Withdrawn,
        QuoteStatus::Rejected,
        QuoteStatus::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QuoteStatus::Submitted => "submitted",
            QuoteStatus::InReview => "in_review",
            QuoteStatus::Offered => "offered",
            QuoteStatus::ChangesRequested => "changes_requested",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Ordered => "ordered",
            QuoteStatus::Declined => "declined",
            QuoteStatus::Withdrawn => "withdrawn",
            QuoteStatus::Rejected => "rejected",
            QuoteStatus::Expired => "expired",
        }
    }

    pub fn parse(code: &str) -> Option<QuoteStatus> {
        QuoteStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Nothing more happens to it.
    pub fn closed(self) -> bool {
        matches!(
            self,
            QuoteStatus::Ordered
                | QuoteStatus::Declined
                | QuoteStatus::Withdrawn
                | QuoteStatus::Rejected
                | QuoteStatus::Expired
        )
    }

    /// The merchant owes the next step (the desk's queue).
    pub fn with_merchant(self) -> bool {
        matches!(self, QuoteStatus::Submitted | QuoteStatus::InReview | QuoteStatus::ChangesRequested)
    }

    /// An offer stands and its expiry counts (the sweep expires these).
    pub fn offer_stands(self) -> bool {
        matches!(self, QuoteStatus::Offered | QuoteStatus::Accepted)
    }
}

/// What a buyer or the merchant asks to do with a quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Buyer: take the request back before any offer.
    Withdraw,
    /// Buyer: say no to the offer (with a reason).
    Decline,
    /// Buyer: answer the offer with a message and new target prices.
    AskChanges,
    /// Buyer: take the offer; checkout follows.
    Accept,
    /// Buyer: the accepted offer becomes an order (the placement path).
    Place,
    /// Merchant: start working on it (the buyer sees "in review").
    Review,
    /// Merchant: send revision n+1.
    Offer,
    /// Merchant: say no (with a reason).
    Reject,
    /// The expiry sweep, or an acceptance that finds the day over.
    Expire,
}

/// Why an action is refused; each has its translated message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not in this state (the page offers only what is allowed; a stale tab or a race lands here).
    NotNow,
    /// The offer's expiry day is over.
    Expired,
    /// The offer the buyer looked at is not the latest one.
    Superseded,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::NotNow => "quotes.not_now",
            Refusal::Expired => "quotes.expired_refused",
            Refusal::Superseded => "quotes.superseded",
        }
    }
}

/// The state after `action`, or why not. `seen_revision` is the revision the caller acted on
/// (the buyer's page sends it back), `revision` the latest; `expired` whether the offer's
/// expiry is past now.
pub fn next(
    status: QuoteStatus,
    action: Action,
    revision: i64,
    seen_revision: i64,
    expired: bool,
) -> Result<QuoteStatus, Refusal> {
    use QuoteStatus as S;
    let on_offer = |then: S| {
        if seen_revision != revision {
            Err(Refusal::Superseded)
        } else if expired {
            Err(Refusal::Expired)
        } else {
            Ok(then)
        }
    };
    match (action, status) {
        (Action::Withdraw, S::Submitted | S::InReview) => Ok(S::Withdrawn),
        (Action::Decline, S::Offered) => {
            if seen_revision != revision {
                Err(Refusal::Superseded)
            } else {
                Ok(S::Declined)
            }
        }
        (Action::AskChanges, S::Offered) => on_offer(S::ChangesRequested),
        (Action::Accept, S::Offered) => on_offer(S::Accepted),
        (Action::Place, S::Accepted) => on_offer(S::Ordered),
        (Action::Review, S::Submitted) => Ok(S::InReview),
        (Action::Offer, S::Submitted | S::InReview | S::ChangesRequested) => Ok(S::Offered),
        (Action::Reject, S::Submitted | S::InReview | S::ChangesRequested) => Ok(S::Rejected),
        (Action::Expire, S::Offered | S::Accepted) if expired => Ok(S::Expired),
        (_, S::Offered | S::Accepted) if expired && matches!(action, Action::Accept | Action::Place) => {
            Err(Refusal::Expired)
        }
        _ => Err(Refusal::NotNow),
    }
}

/// Quote numbers: readable, and offset so they do not start at 1 (`Q-100001`).
pub fn quote_number(id: i64) -> String {
    format!("Q-{}", id + 100_000)
}

/// The id behind a quote number (`Q-100001`, `q-100001` or `100001`); `None` for anything else.
pub fn parse_quote_number(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let digits = raw.strip_prefix("Q-").or_else(|| raw.strip_prefix("q-")).unwrap_or(raw);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().and_then(|n| n.checked_sub(100_000)).filter(|id| *id > 0)
}

/// A unit price `percent` (0 to 100, in hundredths: 1250 = 12.5 %) below `list` (minor units),
/// rounded half up to the minor unit. `None` when the percentage is out of range.
pub fn percent_off(list: i64, hundredths: i64) -> Option<i64> {
    if !(0..=10_000).contains(&hundredths) || list < 0 {
        return None;
    }
    let keep = 10_000 - hundredths;
    let scaled = (list as i128) * (keep as i128);
    i64::try_from((scaled + 5_000) / 10_000).ok()
}

/// A percentage as typed ("12.5", "10", "12,5 %") in hundredths; at most two decimals.
pub fn parse_percent(raw: &str) -> Option<i64> {
    let cleaned: String = raw.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty() || whole.len() > 3 || fraction.len() > 2 {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = whole.parse::<i64>().ok()? * 100 + format!("{fraction:0<2}").parse::<i64>().ok()?;
    (value <= 10_000).then_some(value)
}

/// A line's figures in one revision, for comparing revisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFigures {
    pub sku: String,
    pub quantity: i64,
    /// The offered unit price (minor units); `None` when the revision has no price for it.
    pub price: Option<i64>,
}

/// What changed for one SKU from one revision to the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineChange {
    Added { sku: String },
    Removed { sku: String },
    Quantity { sku: String, from: i64, to: i64 },
    Price { sku: String, from: Option<i64>, to: Option<i64> },
}

/// The changes from `before` to `after`, in `after`'s order, then what was removed.
pub fn changes(before: &[LineFigures], after: &[LineFigures]) -> Vec<LineChange> {
    let mut out = vec![];
    for a in after {
        match before.iter().find(|b| b.sku == a.sku) {
            None => out.push(LineChange::Added { sku: a.sku.clone() }),
            Some(b) => {
                if b.quantity != a.quantity {
                    out.push(LineChange::Quantity { sku: a.sku.clone(), from: b.quantity, to: a.quantity });
                }
                if b.price != a.price {
                    out.push(LineChange::Price { sku: a.sku.clone(), from: b.price, to: a.price });
                }
            }
        }
    }
    for b in before {
        if !after.iter().any(|a| a.sku == b.sku) {
            out.push(LineChange::Removed { sku: b.sku.clone() });
        }
    }
    out
}

/// The sum of quantity × price over lines, or `None` when it does not fit in an amount.
pub fn total(lines: &[(i64, i64)]) -> Option<i64> {
    lines.iter().try_fold(0i64, |sum, &(quantity, price)| sum.checked_add(quantity.checked_mul(price)?))
}

/// At most this many attachments on a request or a message, each at most `MAX_ATTACHMENT_BYTES`.
pub const MAX_ATTACHMENTS: usize = 5;
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Lines on one quote, and characters in a note or message.
pub const MAX_LINES: usize = 500;
pub const MAX_TEXT_CHARS: usize = 4_000;

/// The kinds of file a quote accepts, judged from the content, never from the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Csv,
    Xlsx,
}

impl FileKind {
    /// The content type it is served with: never one a browser would run.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn parse_content_type(raw: &str) -> Option<FileKind> {
        [FileKind::Pdf, FileKind::Png, FileKind::Jpeg, FileKind::Csv, FileKind::Xlsx]
            .into_iter()
            .find(|k| k.content_type() == raw)
    }
}

/// Why a file is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    TooLarge,
    /// Not one of the accepted kinds (whatever its name says).
    Kind,
}

impl FileProblem {
    pub fn key(self) -> &'static str {
        match self {
            FileProblem::Empty => "quotes.file_empty",
            FileProblem::TooLarge => "quotes.file_too_large",
            FileProblem::Kind => "quotes.file_kind",
        }
    }
}

/// What a file is, from its first bytes: PDF, PNG and JPEG by their signatures, XLSX as a zip
/// whose first entries are a spreadsheet's, CSV as UTF-8 text without control characters.
pub fn sniff(bytes: &[u8]) -> Result<FileKind, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(FileProblem::TooLarge);
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(FileKind::Jpeg);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // A zip: an XLSX names its parts in the local headers near the start.
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        if has(b"[Content_Types].xml") && has(b"xl/") {
            return Ok(FileKind::Xlsx);
        }
        return Err(FileProblem::Kind);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(text) {
        Ok(s) if !s.trim_start().starts_with('<') && s.chars().all(|c| !c.is_control() || "\t\r\n".contains(c)) => {
            Ok(FileKind::Csv)
        }
        _ => Err(FileProblem::Kind),
    }
}

/// A file name as shown and offered for download: the last path part, without control or
/// quoting characters, at most 120 characters; "file" when nothing is left.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';' | '<' | '>' | '`'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() || cleaned.chars().all(|c| c == '.') {
        "file".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use QuoteStatus as S;

    #[test]
    fn codes_round_trip() {
        for s in QuoteStatus::ALL {
            assert_eq!(QuoteStatus::parse(s.code()), Some(s));
        }
        assert_eq!(QuoteStatus::parse("Offered"), None);
    }

    #[test]
    fn the_buyer_moves_an_offer_and_only_an_offer() {
        assert_eq!(next(S::Offered, Action::Accept, 2, 2, false), Ok(S::Accepted));
        assert_eq!(next(S::Offered, Action::Decline, 2, 2, false), Ok(S::Declined));
        assert_eq!(next(S::Offered, Action::AskChanges, 2, 2, false), Ok(S::ChangesRequested));
        assert_eq!(next(S::Accepted, Action::Place, 2, 2, false), Ok(S::Ordered));
        for s in [
            S::Submitted,
            S::InReview,
            S::ChangesRequested,
            S::Ordered,
            S::Declined,
            S::Withdrawn,
            S::Rejected,
            S::Expired,
        ] {
            for a in [Action::Accept, Action::Decline, Action::AskChanges] {
                assert_eq!(next(s, a, 1, 1, false), Err(Refusal::NotNow), "{a:?} on {s:?}");
            }
        }
    }

    #[test]
    fn an_expired_or_superseded_revision_is_refused() {
        assert_eq!(next(S::Offered, Action::Accept, 2, 2, true), Err(Refusal::Expired));
        assert_eq!(next(S::Accepted, Action::Place, 2, 2, true), Err(Refusal::Expired));
        assert_eq!(next(S::Offered, Action::AskChanges, 2, 2, true), Err(Refusal::Expired));
        assert_eq!(next(S::Offered, Action::Accept, 3, 2, false), Err(Refusal::Superseded));
        assert_eq!(next(S::Accepted, Action::Place, 3, 2, false), Err(Refusal::Superseded));
        assert_eq!(next(S::Offered, Action::Decline, 3, 2, false), Err(Refusal::Superseded));
        // Declining an offer that ran out is still a clear "no".
        assert_eq!(next(S::Offered, Action::Decline, 2, 2, true), Ok(S::Declined));
        // An expired quote stays expired whatever is asked.
        assert_eq!(next(S::Expired, Action::Accept, 2, 2, true), Err(Refusal::NotNow));
    }

    #[test]
    fn withdrawing_is_only_before_an_offer() {
        assert_eq!(next(S::Submitted, Action::Withdraw, 0, 0, false), Ok(S::Withdrawn));
        assert_eq!(next(S::InReview, Action::Withdraw, 0, 0, false), Ok(S::Withdrawn));
        for s in [S::Offered, S::ChangesRequested, S::Accepted, S::Ordered] {
            assert_eq!(next(s, Action::Withdraw, 1, 1, false), Err(Refusal::NotNow), "{s:?}");
        }
    }

    #[test]
    fn the_merchant_offers_or_rejects_what_waits_for_them() {
        for s in [S::Submitted, S::InReview, S::ChangesRequested] {
            assert!(s.with_merchant());
            assert_eq!(next(s, Action::Offer, 1, 1, false), Ok(S::Offered));
            assert_eq!(next(s, Action::Reject, 1, 1, false), Ok(S::Rejected));
        }
        assert_eq!(next(S::Submitted, Action::Review, 0, 0, false), Ok(S::InReview));
        for s in [S::Offered, S::Accepted, S::Ordered, S::Declined, S::Expired] {
            assert_eq!(next(s, Action::Offer, 1, 1, false), Err(Refusal::NotNow), "{s:?}");
            assert_eq!(next(s, Action::Reject, 1, 1, false), Err(Refusal::NotNow), "{s:?}");
        }
    }

    #[test]
    fn only_a_standing_offer_past_its_day_expires() {
        assert_eq!(next(S::Offered, Action::Expire, 1, 1, true), Ok(S::Expired));
        assert_eq!(next(S::Accepted, Action::Expire, 1, 1, true), Ok(S::Expired));
        assert_eq!(next(S::Offered, Action::Expire, 1, 1, false), Err(Refusal::NotNow));
        assert_eq!(next(S::Ordered, Action::Expire, 1, 1, true), Err(Refusal::NotNow));
    }

    #[test]
    fn numbers_round_trip_and_junk_is_none() {
        assert_eq!(quote_number(1), "Q-100001");
        assert_eq!(parse_quote_number("Q-100001"), Some(1));
        assert_eq!(parse_quote_number(" q-100042 "), Some(42));
        assert_eq!(parse_quote_number("100007"), Some(7));
        for junk in ["", "Q-", "Q-100000", "Q-abc", "-1", "Q-99999999999999999999", "R-10001", "Q-1e5"] {
            assert_eq!(parse_quote_number(junk), None, "{junk}");
        }
    }

    #[test]
    fn percent_off_rounds_half_up_in_integers() {
        assert_eq!(percent_off(1_000, 1_000), Some(900));
        assert_eq!(percent_off(999, 1_250), Some(874)); // 874.125
        assert_eq!(percent_off(5, 5_000), Some(3)); // 2.5 → 3
        assert_eq!(percent_off(1_000, 0), Some(1_000));
        assert_eq!(percent_off(1_000, 10_000), Some(0));
        assert_eq!(percent_off(1_000, 10_001), None);
        assert_eq!(percent_off(i64::MAX, 1), Some(9_222_449_699_651_090_329));
        assert_eq!(parse_percent("12.5"), Some(1_250));
        assert_eq!(parse_percent("12,5 %"), Some(1_250));
        assert_eq!(parse_percent("100"), Some(10_000));
        for junk in ["", "%", "101", "1.234", "-5", "abc", "1e2"] {
            assert_eq!(parse_percent(junk), None, "{junk}");
        }
    }

    #[test]
    fn changes_between_revisions_name_each_sku() {
        let f = |sku: &str, quantity, price| LineFigures { sku: sku.into(), quantity, price };
        let before = [f("A", 10, Some(500)), f("B", 5, Some(200)), f("C", 1, None)];
        let after = [f("A", 10, Some(450)), f("B", 8, Some(200)), f("D", 2, Some(100))];
        assert_eq!(
            changes(&before, &after),
            vec![
                LineChange::Price { sku: "A".into(), from: Some(500), to: Some(450) },
                LineChange::Quantity { sku: "B".into(), from: 5, to: 8 },
                LineChange::Added { sku: "D".into() },
                LineChange::Removed { sku: "C".into() },
            ]
        );
        assert!(changes(&after, &after).is_empty());
    }

    #[test]
    fn totals_refuse_overflow() {
        assert_eq!(total(&[(2, 500), (3, 100)]), Some(1_300));
        assert_eq!(total(&[]), Some(0));
        assert_eq!(total(&[(i64::MAX, 2)]), None);
    }

    #[test]
    fn files_are_judged_by_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Ok(FileKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Ok(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Ok(FileKind::Jpeg));
        assert_eq!(sniff(b"sku;quantity\nPIPE-CU-15;10\n"), Ok(FileKind::Csv));
        assert_eq!(sniff("\u{feff}sku,quantité\nA,1\n".as_bytes()), Ok(FileKind::Csv));
        let mut xlsx = b"PK\x03\x04".to_vec();
        xlsx.extend_from_slice(b"....[Content_Types].xml....PK\x03\x04..xl/workbook.xml");
        assert_eq!(sniff(&xlsx), Ok(FileKind::Xlsx));
        // A zip that is not a spreadsheet, an executable named invoice.pdf, HTML, binary junk.
        assert_eq!(sniff(b"PK\x03\x04....word/document.xml"), Err(FileProblem::Kind));
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), Err(FileProblem::Kind));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), Err(FileProblem::Kind));
        assert_eq!(sniff(b"\x7fELF\x02\x01"), Err(FileProblem::Kind));
        assert_eq!(sniff(b""), Err(FileProblem::Empty));
        assert_eq!(sniff(&vec![b'a'; MAX_ATTACHMENT_BYTES + 1]), Err(FileProblem::TooLarge));
        for k in [FileKind::Pdf, FileKind::Png, FileKind::Jpeg, FileKind::Csv, FileKind::Xlsx] {
            assert_eq!(FileKind::parse_content_type(k.content_type()), Some(k));
            assert!(!k.content_type().contains("html") && !k.content_type().contains("javascript"));
        }
    }

    #[test]
    fn file_names_lose_paths_and_quoting() {
        assert_eq!(clean_file_name("C:\\Users\\me\\drawing v2.pdf"), "drawing v2.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b;c\r\n.csv"), "abc.csv");
        assert_eq!(clean_file_name(".."), "file");
        assert_eq!(clean_file_name(""), "file");
        assert_eq!(clean_file_name(&"x".repeat(300)).chars().count(), 120);
    }
}
