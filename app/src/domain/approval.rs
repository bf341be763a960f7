//! When a checkout needs approval, and by whom: pure, so every trigger and boundary is unit
//! tested here. The service (`backend::approvals`) gathers the facts (the member's permission and
//! limits, what they spent this month, the company's rules, the cart's categories) and turns the
//! verdict into a purchase request.

use serde::{Deserialize, Serialize};

/// A member's spending limits in the company's currency (minor units). `None`: no limit, which
/// is never "exceeded".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub per_order: Option<i64>,
    pub per_month: Option<i64>,
}

/// What a company rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Condition {
    /// The order total is above this amount (minor units; exactly at it does not fire).
    TotalAbove(i64),
    /// Any line is in this category (or one below it).
    Category(i64),
    /// The order ships to this location.
    Location(i64),
    /// The member holds this role.
    Role(i64),
}

impl Condition {
    pub fn kind(&self) -> &'static str {
        match self {
            Condition::TotalAbove(_) => "total_above",
            Condition::Category(_) => "category",
            Condition::Location(_) => "location",
            Condition::Role(_) => "role",
        }
    }

    /// From its stored kind and value.
    pub fn parse(kind: &str, value: i64) -> Option<Condition> {
        match kind {
            "total_above" if value >= 0 => Some(Condition::TotalAbove(value)),
            "category" => Some(Condition::Category(value)),
            "location" => Some(Condition::Location(value)),
            "role" => Some(Condition::Role(value)),
            _ => None,
        }
    }

    pub fn value(&self) -> i64 {
        match *self {
            Condition::TotalAbove(v) | Condition::Category(v) | Condition::Location(v) | Condition::Role(v) => v,
        }
    }
}

/// A company rule: when its condition matches, these roles approve, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: i64,
    pub condition: Condition,
    /// The role that approves first, and optionally the role that approves second.
    pub first: i64,
    pub second: Option<i64>,
}

/// One approval step: a member of this role (any approver when `None`) approves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub role: Option<i64>,
}

/// Why a checkout needs approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    /// The member's role does not allow placing orders.
    NoPlacePermission,
    /// The order total is above the member's per-order limit.
    OverOrderLimit { limit: i64 },
    /// What the member spent this month plus this order is above their monthly limit.
    OverMonthLimit { limit: i64, spent: i64 },
    /// A company rule matched.
    Rule(i64),
    /// The order is above the company's available credit, and the company sends such orders
    /// for approval instead of refusing them. Placing still needs the credit: approving waits
    /// for payments to free it.
    OverCredit { available: i64 },
}

/// The facts of one checkout.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub can_place: bool,
    pub total: i64,
    pub limits: Limits,
    /// Placed orders this month (not cancelled) plus pending requests, before this one.
    pub spent_this_month: i64,
    /// Every category of every line, parents included.
    pub categories: Vec<i64>,
    pub location: Option<i64>,
    pub role: i64,
    /// The available credit when the company sends orders above it for approval; `None` when
    /// it refuses them (the placement refuses) or the terms are prepaid.
    pub credit_for_approval: Option<i64>,
}

/// Whether approval is needed, why, and the steps in order (empty reasons: place directly).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub reasons: Vec<Reason>,
    pub steps: Vec<Step>,
}

impl Verdict {
    pub fn needs_approval(&self) -> bool {
        !self.reasons.is_empty()
    }
}

fn matches(condition: &Condition, f: &Facts) -> bool {
    match *condition {
        Condition::TotalAbove(amount) => f.total > amount,
        Condition::Category(c) => f.categories.contains(&c),
        Condition::Location(l) => f.location == Some(l),
        Condition::Role(r) => f.role == r,
    }
}

/// The verdict for a checkout. The member's own reasons (no permission, a limit) need one
/// approver of any role that may approve; each matching rule adds its steps. Several rules may
/// fire: all their steps apply, first steps before second steps, each role once.
pub fn evaluate(f: &Facts, rules: &[Rule]) -> Verdict {
    let mut reasons = vec![];
    if !f.can_place {
        reasons.push(Reason::NoPlacePermission);
    }
    if let Some(limit) = f.limits.per_order {
        if f.total > limit {
            reasons.push(Reason::OverOrderLimit { limit });
        }
    }
    if let Some(limit) = f.limits.per_month {
        if f.spent_this_month.saturating_add(f.total) > limit {
            reasons.push(Reason::OverMonthLimit { limit, spent: f.spent_this_month });
        }
    }
    if let Some(available) = f.credit_for_approval {
        if f.total > available {
            reasons.push(Reason::OverCredit { available });
        }
    }
    let own = !reasons.is_empty();
    let fired: Vec<&Rule> = rules.iter().filter(|r| matches(&r.condition, f)).collect();
    reasons.extend(fired.iter().map(|r| Reason::Rule(r.id)));
    let mut steps: Vec<Step> = vec![];
    let wanted = fired.iter().map(|r| Some(r.first)).chain(fired.iter().map(|r| r.second));
    for role in wanted.flatten() {
        let step = Step { role: Some(role) };
        if !steps.contains(&step) {
            steps.push(step);
        }
    }
    // The member's own reasons need someone who may approve; a rule's approver already is one.
    if own && steps.is_empty() {
        steps.push(Step { role: None });
    }
    Verdict { reasons, steps }
}

/// The states of a purchase request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    Pending,
    /// A price, quantity rule or stock changed since it was requested: the approver sees what
    /// changed and approves the new figures or sends it back.
    NeedsReview,
    Ordered,
    Rejected,
    Cancelled,
    Expired,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 6] = [
        RequestStatus::Pending,
        RequestStatus::NeedsReview,
        RequestStatus::Ordered,
        RequestStatus::Rejected,
        RequestStatus::Cancelled,
        RequestStatus::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::NeedsReview => "needs_review",
            RequestStatus::Ordered => "ordered",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Cancelled => "cancelled",
            RequestStatus::Expired => "expired",
        }
    }

    pub fn parse(code: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still waiting for a decision (its amount is reserved against the monthly limit).
    pub fn open(self) -> bool {
        matches!(self, RequestStatus::Pending | RequestStatus::NeedsReview)
    }
}

/// Purchase request numbers, like order numbers: the id offset, so they do not start at 1.
pub fn request_number(id: i64) -> String {
    format!("R-{}", id + 10_000)
}

/// The id behind a request number (`R-10001` or `10001`); `None` for anything else.
pub fn parse_request_number(raw: &str) -> Option<i64> {
    let digits = raw.trim().strip_prefix("R-").or_else(|| raw.trim().strip_prefix("r-")).unwrap_or(raw.trim());
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().and_then(|n| n.checked_sub(10_000)).filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADMIN: i64 = 1;
    const FINANCE: i64 = 4;
    const BUYER: i64 = 2;

    fn buyer(total: i64) -> Facts {
        Facts { can_place: true, total, role: BUYER, location: Some(10), categories: vec![7, 70], ..Facts::default() }
    }

    #[test]
    fn no_limit_set_is_never_exceeded_and_nothing_fires() {
        let v = evaluate(&buyer(i64::MAX / 2), &[]);
        assert!(!v.needs_approval());
        assert!(v.steps.is_empty());
    }

    #[test]
    fn a_member_without_orders_place_always_needs_any_approver() {
        let f = Facts { can_place: false, ..buyer(1) };
        let v = evaluate(&f, &[]);
        assert_eq!(v.reasons, vec![Reason::NoPlacePermission]);
        assert_eq!(v.steps, vec![Step { role: None }]);
    }

    #[test]
    fn limits_allow_exactly_the_limit() {
        let limits = Limits { per_order: Some(10_000_00), per_month: Some(40_000_00) };
        let at = Facts { limits, spent_this_month: 30_000_00, ..buyer(10_000_00) };
        assert!(!evaluate(&at, &[]).needs_approval(), "exactly at both limits");
        let over_order = Facts { limits, ..buyer(10_000_01) };
        assert_eq!(evaluate(&over_order, &[]).reasons, vec![Reason::OverOrderLimit { limit: 10_000_00 }]);
        let over_month = Facts { limits, spent_this_month: 30_000_01, ..buyer(10_000_00) };
        assert_eq!(
            evaluate(&over_month, &[]).reasons,
            vec![Reason::OverMonthLimit { limit: 40_000_00, spent: 30_000_01 }]
        );
    }

    #[test]
    fn over_credit_needs_approval_only_when_the_company_chose_it() {
        let refuse = Facts { credit_for_approval: None, ..buyer(5_000_00) };
        assert!(!evaluate(&refuse, &[]).needs_approval(), "refusing is the placement's job");
        let exactly = Facts { credit_for_approval: Some(5_000_00), ..buyer(5_000_00) };
        assert!(!evaluate(&exactly, &[]).needs_approval(), "exactly the available credit fits");
        let over = Facts { credit_for_approval: Some(4_999_99), ..buyer(5_000_00) };
        let v = evaluate(&over, &[]);
        assert_eq!(v.reasons, vec![Reason::OverCredit { available: 4_999_99 }]);
        assert_eq!(v.steps, vec![Step { role: None }], "any approver");
    }

    #[test]
    fn each_kind_of_rule_fires_on_its_own_fact() {
        let rules = [
            Rule { id: 1, condition: Condition::TotalAbove(25_000_00), first: ADMIN, second: Some(FINANCE) },
            Rule { id: 2, condition: Condition::Category(70), first: FINANCE, second: None },
            Rule { id: 3, condition: Condition::Location(11), first: ADMIN, second: None },
            Rule { id: 4, condition: Condition::Role(BUYER), first: ADMIN, second: None },
        ];
        let v = evaluate(&buyer(25_000_00), &rules[..1]);
        assert!(!v.needs_approval(), "exactly at the amount does not fire");
        let v = evaluate(&buyer(25_000_01), &rules[..1]);
        assert_eq!(v.reasons, vec![Reason::Rule(1)]);
        assert_eq!(v.steps, vec![Step { role: Some(ADMIN) }, Step { role: Some(FINANCE) }], "Admin, then Finance");
        assert_eq!(evaluate(&buyer(1), &rules[1..2]).reasons, vec![Reason::Rule(2)]);
        assert!(!evaluate(&buyer(1), &rules[2..3]).needs_approval(), "ships to location 10, not 11");
        assert_eq!(evaluate(&buyer(1), &rules[3..4]).reasons, vec![Reason::Rule(4)]);
    }

    #[test]
    fn several_rules_apply_all_their_steps_each_role_once() {
        let rules = [
            Rule { id: 1, condition: Condition::TotalAbove(100), first: ADMIN, second: Some(FINANCE) },
            Rule { id: 2, condition: Condition::Category(7), first: FINANCE, second: None },
        ];
        let f = Facts { can_place: false, ..buyer(1_000) };
        let v = evaluate(&f, &rules);
        assert_eq!(v.reasons, vec![Reason::NoPlacePermission, Reason::Rule(1), Reason::Rule(2)]);
        assert_eq!(v.steps, vec![Step { role: Some(ADMIN) }, Step { role: Some(FINANCE) }]);
    }

    #[test]
    fn request_numbers_round_trip_and_refuse_junk() {
        assert_eq!(request_number(1), "R-10001");
        assert_eq!(parse_request_number("R-10001"), Some(1));
        assert_eq!(parse_request_number("10001"), Some(1));
        for junk in ["", "R-", "R-10000", "R-abc", "-1", "R-99999999999999999999", "1e5"] {
            assert_eq!(parse_request_number(junk), None, "{junk}");
        }
    }
}
