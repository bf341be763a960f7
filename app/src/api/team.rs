//! The team: company, location and member records (always inside the caller's company), and what
//! an admin does with them: change roles and locations, deactivate, invite, custom roles,
//! verified domains and join requests, the audit log. Every function that changes the team
//! needs `team.manage`; the audit log needs `audit.view`.

use crate::domain::ids::{CompanyId, InvitationId, LocationId, MemberId, RoleId};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompanyDto {
    pub id: i64,
    pub name: String,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocationDto {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub city: String,
    pub country: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberDto {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role_id: i64,
    /// Built-in role code (`admin`, `buyer`, …) or a custom role's code.
    pub role_code: String,
    pub role_name: String,
    pub active: bool,
    /// Sent back with a change: a change made meanwhile answers "changed meanwhile".
    pub version: i64,
    /// Formatted in the viewer's language; empty: never signed in.
    pub last_sign_in: String,
    /// (id, name) of the locations the member may buy for.
    pub locations: Vec<(i64, String)>,
    pub is_self: bool,
    /// Spending limits, formatted in the company currency; empty: no limit.
    pub order_limit: String,
    pub month_limit: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembersDto {
    pub members: Vec<MemberDto>,
    /// How many match the filter in all.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The company's language: the invitation form's default.
    pub company_locale: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleDto {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub built_in: bool,
    pub version: i64,
    pub permissions: Vec<String>,
    pub members: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationDto {
    pub id: i64,
    pub email: String,
    pub role_code: String,
    pub role_name: String,
    pub invited_by: String,
    /// Formatted.
    pub expires: String,
    pub expired: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomainDto {
    pub id: i64,
    pub domain: String,
    /// `None`: ask an admin; `Some(role id)`: join as that role.
    pub join_as: Option<i64>,
    pub verified: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinRequestDto {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub asked: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntryDto {
    pub id: i64,
    /// Date and time in the viewer's language.
    pub at: String,
    pub actor: String,
    /// `audit.action.<code>` translates it.
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditDto {
    pub entries: Vec<AuditEntryDto>,
    pub total: i64,
    /// The id to page on from (`before`), when there are older entries.
    pub next_before: Option<i64>,
}

/// Built-in roles are shown in the viewer's language; custom roles by the name their company gave.
#[cfg(feature = "ssr")]
pub fn role_label(locale: crate::i18n::Locale, code: &str, name: &str) -> String {
    use crate::i18n::tr;
    match code {
        "admin" => tr!(locale, "roles.admin"),
        "buyer" => tr!(locale, "roles.buyer"),
        "requester" => tr!(locale, "roles.requester"),
        "finance" => tr!(locale, "roles.finance"),
        _ => name.to_string(),
    }
}

#[server(endpoint = "team/company")]
pub async fn get_company(id: CompanyId) -> Result<CompanyDto, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CatalogView).await?;
    let c = team::get_company(&state, &actor, id).await?;
    Ok(CompanyDto { id: c.id.0, name: c.name, currency: c.currency })
}

#[server(endpoint = "team/location")]
pub async fn get_location(id: LocationId) -> Result<LocationDto, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CatalogView).await?;
    let l = team::get_location(&state, &actor, id).await?;
    Ok(LocationDto { id: l.id.0, name: l.name, kind: l.kind, address: l.address, city: l.city, country: l.country })
}

/// The company's locations, for the role and invitation forms.
#[server(endpoint = "team/locations")]
pub async fn list_locations() -> Result<Vec<LocationDto>, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    Ok(team::list_locations(&state, &actor)
        .await?
        .into_iter()
        .map(|l| LocationDto {
            id: l.id.0,
            name: l.name,
            kind: l.kind,
            address: l.address,
            city: l.city,
            country: l.country,
        })
        .collect())
}

#[cfg(feature = "ssr")]
fn member_dto(
    m: crate::backend::team::MemberRow,
    me: MemberId,
    currency: Option<crate::domain::money::Currency>,
    locale: crate::i18n::Locale,
) -> MemberDto {
    let limit = |v: Option<i64>| match (v, currency) {
        (Some(v), Some(c)) => crate::format::money(crate::domain::money::Money::from_minor(v, c), locale),
        _ => String::new(),
    };
    MemberDto {
        order_limit: limit(m.order_limit),
        month_limit: limit(m.month_limit),
        id: m.id.0,
        name: m.display_name,
        email: m.email,
        role_id: m.role_id.0,
        role_code: m.role_code,
        role_name: m.role_name,
        active: m.active,
        version: m.version,
        last_sign_in: m.last_sign_in_at.map(|t| crate::format::date(t, locale)).unwrap_or_default(),
        locations: m.locations,
        is_self: m.id == me,
    }
}

#[server(endpoint = "team/member")]
pub async fn get_member(id: MemberId) -> Result<MemberDto, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    let locale = crate::i18n::request_locale();
    let currency = team::get_company(&state, &actor, actor.company_id()).await?.currency;
    let currency = crate::domain::money::Currency::parse(&currency).ok();
    Ok(member_dto(team::get_member(&state, &actor, id).await?, actor.member_id, currency, locale))
}

/// One page of members: `q` part of a name or email, `status` `active` or `deactivated`.
#[server(endpoint = "team/members")]
pub async fn list_members(
    #[server(default)] q: String,
    #[server(default)] status: String,
    #[server(default)] page: Option<i64>,
) -> Result<MembersDto, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    let locale = crate::i18n::request_locale();
    let page = page.unwrap_or(1).clamp(1, 100_000);
    let filter = team::MemberFilter {
        q: q.trim().chars().take(100).collect(),
        active: match status.as_str() {
            "active" => Some(true),
            "deactivated" => Some(false),
            _ => None,
        },
        offset: (page - 1) * team::PAGE_SIZE,
        limit: team::PAGE_SIZE,
    };
    let (rows, total) = team::list_members(&state, &actor, &filter).await?;
    let company = team::get_company(&state, &actor, actor.company_id()).await?;
    let currency = crate::domain::money::Currency::parse(&company.currency).ok();
    Ok(MembersDto {
        company_locale: company.default_locale,
        members: rows.into_iter().map(|m| member_dto(m, actor.member_id, currency, locale)).collect(),
        total,
        page,
        pages: ((total + team::PAGE_SIZE - 1) / team::PAGE_SIZE).max(1),
    })
}

/// A member's role and locations, at the `version` the admin saw.
#[server(endpoint = "team/update_member")]
pub async fn update_member(
    member: MemberId,
    role: RoleId,
    #[server(default)] locations: Vec<LocationId>,
    version: i64,
) -> Result<i64, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    team::update_member(&state, &actor, member, role, &locations, version).await?;
    // The member's new version: what the page's next form for them carries.
    Ok(version + 1)
}

/// Deactivates (`active` absent) or reactivates (`active=on`) a member.
#[server(endpoint = "team/set_active")]
pub async fn set_active(
    member: MemberId,
    #[server(default)] active: Option<String>,
    version: i64,
) -> Result<i64, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    team::set_active(&state, &actor, member, active.is_some(), version).await?;
    Ok(version + 1)
}

#[cfg(feature = "ssr")]
fn role_dto(r: crate::backend::team::RoleRow) -> RoleDto {
    RoleDto {
        id: r.id.0,
        built_in: r.company_id.is_none(),
        code: r.code,
        name: r.name,
        version: r.version,
        permissions: r.permissions.iter().map(|p| p.code().to_string()).collect(),
        members: r.members,
    }
}

#[server(endpoint = "team/roles")]
pub async fn list_roles() -> Result<Vec<RoleDto>, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    Ok(team::roles::list(&state, &actor).await?.into_iter().map(role_dto).collect())
}

/// Creates a custom role (no `role`) or edits one at `version`. `permissions` are codes
/// (`orders.place`); an unknown code is a bad request, not silently dropped.
#[server(endpoint = "team/save_role")]
pub async fn save_role(
    #[server(default)] role: Option<RoleId>,
    #[server(default)] version: i64,
    name: String,
    #[server(default)] permissions: Vec<String>,
) -> Result<i64, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::{Permission, PermissionSet};
    let (state, actor) = authorize(Permission::TeamManage).await?;
    let mut set = Vec::with_capacity(permissions.len());
    for code in &permissions {
        set.push(Permission::parse(code).ok_or_else(|| AppError::invalid("permissions", "error.bad_request"))?);
    }
    Ok(team::roles::save(&state, &actor, role, version, &name, PermissionSet::new(set)).await?.0)
}

#[server(endpoint = "team/delete_role")]
pub async fn delete_role(role: RoleId) -> Result<i64, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    team::roles::delete(&state, &actor, role).await?;
    Ok(role.0)
}

#[server(endpoint = "team/invitations")]
pub async fn list_invitations() -> Result<Vec<InvitationDto>, AppError> {
    use crate::backend::{platform::clock::now, platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    let locale = crate::i18n::request_locale();
    let at = now();
    Ok(team::invitations::pending(&state, &actor)
        .await?
        .into_iter()
        .map(|i| InvitationDto {
            id: i.id.0,
            email: i.email,
            role_code: i.role_code,
            role_name: i.role_name,
            invited_by: i.invited_by,
            expires: crate::format::date(i.expires_at, locale),
            expired: i.expires_at <= at,
        })
        .collect())
}

/// Invites an address with a role, locations and the language of the mail.
#[server(endpoint = "team/invite")]
pub async fn invite(
    email: String,
    role: RoleId,
    #[server(default)] locations: Vec<LocationId>,
    locale: String,
) -> Result<i64, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    Ok(team::invitations::invite(&state, &actor, &email, role, &locations, &locale).await?.0)
}

#[server(endpoint = "team/resend_invitation")]
pub async fn resend_invitation(invitation: InvitationId) -> Result<i64, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    team::invitations::resend(&state, &actor, invitation).await?;
    Ok(invitation.0)
}

#[server(endpoint = "team/revoke_invitation")]
pub async fn revoke_invitation(invitation: InvitationId) -> Result<i64, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    team::invitations::revoke(&state, &actor, invitation).await?;
    Ok(invitation.0)
}

#[server(endpoint = "team/domains")]
pub async fn list_domains() -> Result<Vec<DomainDto>, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    let locale = crate::i18n::request_locale();
    Ok(team::domains::list(&state, &actor)
        .await?
        .into_iter()
        .map(|d| DomainDto {
            id: d.id,
            join_as: if d.policy == "join" { d.join_role_id.map(|r| r.0) } else { None },
            domain: d.domain,
            verified: crate::format::date(d.verified_at, locale),
        })
        .collect())
}

/// Mails a verification link to the caller's own address for its domain; answers the domain.
#[server(endpoint = "team/verify_domain")]
pub async fn verify_domain() -> Result<String, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    team::domains::start_verification(&state, &actor, crate::i18n::request_locale()).await
}

/// What joining by this domain does: `join_as` a role id, or empty to ask an admin.
#[server(endpoint = "team/domain_policy")]
pub async fn domain_policy(domain: i64, #[server(default)] join_as: String) -> Result<i64, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    let join_as = match join_as.trim() {
        "" => None,
        id => Some(RoleId(id.parse().map_err(|_| AppError::invalid("join_as", "error.bad_request"))?)),
    };
    team::domains::set_policy(&state, &actor, domain, join_as).await?;
    Ok(domain)
}

#[server(endpoint = "team/join_requests")]
pub async fn list_join_requests() -> Result<Vec<JoinRequestDto>, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    let locale = crate::i18n::request_locale();
    Ok(team::domains::pending_requests(&state, &actor)
        .await?
        .into_iter()
        .map(|r| JoinRequestDto {
            id: r.id,
            name: r.name,
            email: r.email,
            asked: crate::format::date(r.created_at, locale),
        })
        .collect())
}

/// Approves a join request as `role`, or declines it (`decline` present).
#[server(endpoint = "team/decide_join")]
pub async fn decide_join(
    request: i64,
    #[server(default)] role: Option<RoleId>,
    #[server(default)] decline: Option<String>,
) -> Result<i64, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    let approve_as = match (decline, role) {
        (Some(_), _) => None,
        (None, Some(role)) => Some(role),
        (None, None) => return Err(AppError::invalid("role", "team.join.pick_role")),
    };
    team::domains::decide(&state, &actor, request, approve_as).await?;
    Ok(request)
}

/// Audit filters as the page and the CSV export take them.
#[cfg(feature = "ssr")]
pub fn audit_filter(action: &str, q: &str, from: &str, until: &str) -> crate::backend::team::audit::Filter {
    use crate::backend::team::audit::{Action, Filter};
    let day = |s: &str| crate::domain::order::parse_iso_date(s.trim()).map(|d| d * 86_400);
    Filter {
        action: Action::parse(action),
        q: q.trim().chars().take(100).collect(),
        from: day(from),
        until: day(until).map(|d| d + 86_400),
    }
}

/// The audit log, newest first, 50 at a time (`before`: the entry id to page on from).
#[server(endpoint = "team/audit")]
pub async fn audit_log(
    #[server(default)] action: String,
    #[server(default)] q: String,
    #[server(default)] from: String,
    #[server(default)] until: String,
    #[server(default)] before: Option<i64>,
) -> Result<AuditDto, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    const PAGE: i64 = 50;
    let (state, actor) = authorize(Permission::AuditView).await?;
    let locale = crate::i18n::request_locale();
    let filter = audit_filter(&action, &q, &from, &until);
    let (rows, total) = team::audit_entries(&state, &actor, &filter, before, PAGE + 1).await?;
    let more = rows.len() as i64 > PAGE;
    let entries: Vec<AuditEntryDto> = rows
        .into_iter()
        .take(PAGE as usize)
        .map(|e| AuditEntryDto {
            id: e.id,
            at: crate::format::date_time(e.at, locale),
            actor: e.actor_name,
            action: e.action,
            subject: e.subject,
            detail: e.detail,
        })
        .collect();
    let next_before = if more { entries.last().map(|e| e.id) } else { None };
    Ok(AuditDto { entries, total, next_before })
}

/// `/team/audit.csv`: the filtered audit log as CSV (a plain axum route: a download, not a page),
/// newest first, every matching entry. Needs `audit.view`. Cells a spreadsheet would run as
/// formulas are neutralised.
#[cfg(feature = "ssr")]
pub async fn export_audit(
    axum::extract::State(state): axum::extract::State<crate::backend::platform::state::AppState>,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use crate::backend::{platform::guard, team};
    use crate::domain::order_entry::safe_cell;
    use crate::domain::permission::Permission;
    use crate::i18n::tr;
    use axum::response::IntoResponse;
    let (parts, _) = request.into_parts();
    let locale = parts.extensions.get::<crate::i18n::RequestLocale>().map(|l| l.0).unwrap_or_default();
    let get = |k: &str| params.get(k).map(String::as_str).unwrap_or("");
    let filter = audit_filter(get("action"), get("q"), get("from"), get("until"));
    let rows = async {
        let actor = guard::authorize_parts(&state, &parts, Permission::AuditView).await?;
        let mut all = Vec::new();
        let mut before = None;
        // Pages of 1,000 so one request never holds the whole log twice.
        loop {
            let (page, _) = team::audit_entries(&state, &actor, &filter, before, 1_000).await?;
            let done = page.len() < 1_000;
            before = page.last().map(|e| e.id);
            all.extend(page);
            if done {
                break;
            }
        }
        Ok::<_, AppError>(all)
    }
    .await;
    let rows = match rows {
        Ok(rows) => rows,
        Err(e) => {
            let status =
                axum::http::StatusCode::from_u16(e.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            return (status, e.message(locale)).into_response();
        }
    };
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 120 + 100));
    let _ = writer.write_record([
        tr!(locale, "audit.when"),
        tr!(locale, "audit.who"),
        tr!(locale, "audit.action"),
        tr!(locale, "audit.subject"),
        tr!(locale, "audit.detail"),
    ]);
    for e in rows {
        let when = crate::domain::order::iso_date(e.at.div_euclid(86_400));
        let secs = e.at.rem_euclid(86_400);
        let _ = writer.write_record([
            format!("{when} {:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60).as_str(),
            safe_cell(&e.actor_name).as_ref(),
            e.action.as_str(),
            safe_cell(&e.subject).as_ref(),
            safe_cell(&e.detail).as_ref(),
        ]);
    }
    axum::response::Response::builder()
        .header(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\"")
        .body(axum::body::Body::from(writer.into_inner().unwrap_or_default()))
        .unwrap_or_else(|_| axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response())
}
