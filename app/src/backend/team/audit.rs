//! The company's audit log: append-only (nothing here updates or deletes), written inside the
//! transaction of the change it records, so a change without its entry cannot commit.

use crate::domain::ids::{CompanyId, UserId};
use sqlx::{Any, AnyPool, Transaction};

/// What happened. The code is stored; the page shows `audit.action.<code>` translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Invited,
    InvitationResent,
    InvitationRevoked,
    InvitationAccepted,
    RoleChanged,
    LocationsChanged,
    Deactivated,
    Reactivated,
    RoleCreated,
    RoleEdited,
    RoleDeleted,
    DomainVerified,
    DomainPolicyChanged,
    JoinRequested,
    JoinApproved,
    JoinDeclined,
    JoinedByDomain,
    PasswordReset,
    PasswordChanged,
    ApprovalRuleAdded,
    ApprovalRuleDeleted,
    LimitsChanged,
    BillingChanged,
}

impl Action {
    pub const ALL: [Action; 23] = [
        Action::Invited,
        Action::InvitationResent,
        Action::InvitationRevoked,
        Action::InvitationAccepted,
        Action::RoleChanged,
        Action::LocationsChanged,
        Action::Deactivated,
        Action::Reactivated,
        Action::RoleCreated,
        Action::RoleEdited,
        Action::RoleDeleted,
        Action::DomainVerified,
        Action::DomainPolicyChanged,
        Action::JoinRequested,
        Action::JoinApproved,
        Action::JoinDeclined,
        Action::JoinedByDomain,
        Action::PasswordReset,
        Action::PasswordChanged,
        Action::ApprovalRuleAdded,
        Action::ApprovalRuleDeleted,
        Action::LimitsChanged,
        Action::BillingChanged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Invited => "invited",
            Action::InvitationResent => "invitation_resent",
            Action::InvitationRevoked => "invitation_revoked",
            Action::InvitationAccepted => "invitation_accepted",
            Action::RoleChanged => "role_changed",
            Action::LocationsChanged => "locations_changed",
            Action::Deactivated => "deactivated",
            Action::Reactivated => "reactivated",
            Action::RoleCreated => "role_created",
            Action::RoleEdited => "role_edited",
            Action::RoleDeleted => "role_deleted",
            Action::DomainVerified => "domain_verified",
            Action::DomainPolicyChanged => "domain_policy_changed",
            Action::JoinRequested => "join_requested",
            Action::JoinApproved => "join_approved",
            Action::JoinDeclined => "join_declined",
            Action::JoinedByDomain => "joined_by_domain",
            Action::PasswordReset => "password_reset",
            Action::PasswordChanged => "password_changed",
            Action::ApprovalRuleAdded => "approval_rule_added",
            Action::ApprovalRuleDeleted => "approval_rule_deleted",
            Action::LimitsChanged => "limits_changed",
            Action::BillingChanged => "billing_changed",
        }
    }

    pub fn parse(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// Who did it: a user (by id and their name then), or the system.
#[derive(Clone, Debug)]
pub struct Who {
    pub user: Option<UserId>,
    pub name: String,
}

impl Who {
    pub async fn user(tx: &mut Transaction<'_, Any>, user: UserId) -> Result<Who, sqlx::Error> {
        let (name,): (String,) =
            sqlx::query_as("SELECT display_name FROM users WHERE id = $1").bind(user.0).fetch_one(&mut **tx).await?;
        Ok(Who { user: Some(user), name })
    }
}

pub async fn record(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    who: &Who,
    action: Action,
    subject: &str,
    detail: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (company_id, at, actor_id, actor_name, action, subject, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(company.0)
    .bind(at)
    .bind(who.user.map(|u| u.0))
    .bind(&who.name)
    .bind(action.code())
    .bind(subject)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub id: i64,
    pub at: i64,
    pub actor_name: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub action: Option<Action>,
    /// Part of the actor's name, the subject or the detail, any case.
    pub q: String,
    /// Unix seconds, inclusive start and exclusive end.
    pub from: Option<i64>,
    pub until: Option<i64>,
}

const WHERE: &str = "WHERE company_id = $1 AND ($2 = '' OR action = $2) \
     AND ($3 = '' OR LOWER(actor_name) LIKE $4 ESCAPE '\\' OR LOWER(subject) LIKE $4 ESCAPE '\\' OR LOWER(detail) LIKE $4 ESCAPE '\\') \
     AND at >= $5 AND at < $6";

/// Newest first; `before`: only entries older than this id (keyset paging, stable while new
/// entries arrive). Returns the page and how many match in all.
pub async fn entries(
    pool: &AnyPool,
    company: CompanyId,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
) -> Result<(Vec<Entry>, i64), sqlx::Error> {
    let action = filter.action.map(|a| a.code()).unwrap_or("");
    let pattern = super::repo::like_pattern(&filter.q);
    let (from, until) = (filter.from.unwrap_or(i64::MIN / 2), filter.until.unwrap_or(i64::MAX / 2));
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM audit_log {WHERE}"))
        .bind(company.0)
        .bind(action)
        .bind(&filter.q)
        .bind(&pattern)
        .bind(from)
        .bind(until)
        .fetch_one(pool)
        .await?;
    let rows: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(&format!(
        "SELECT id, at, actor_name, action, subject, detail FROM audit_log {WHERE} AND id < $7 ORDER BY id DESC LIMIT $8"
    ))
    .bind(company.0)
    .bind(action)
    .bind(&filter.q)
    .bind(&pattern)
    .bind(from)
    .bind(until)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let entries = rows
        .into_iter()
        .map(|(id, at, actor_name, action, subject, detail)| Entry { id, at, actor_name, action, subject, detail })
        .collect();
    Ok((entries, total))
}
