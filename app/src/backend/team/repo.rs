//! SQL for companies, locations, members, roles and invitations. Every query takes the caller's
//! `CompanyId`; built-in roles (company_id NULL) are shared by every company.

use crate::domain::ids::{CompanyId, InvitationId, LocationId, MemberId, RoleId, UserId};
use crate::domain::permission::PermissionSet;
use sqlx::{Any, AnyPool, Executor, Transaction};

#[derive(Clone, Debug)]
pub struct CompanyRow {
    pub id: CompanyId,
    pub name: String,
    pub currency: String,
    pub default_locale: String,
}

#[derive(Clone, Debug)]
pub struct LocationRow {
    pub id: LocationId,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub city: String,
    pub country: String,
}

#[derive(Clone, Debug)]
pub struct MemberRow {
    pub id: MemberId,
    pub user_id: UserId,
    pub display_name: String,
    pub email: String,
    pub role_id: RoleId,
    pub role_code: String,
    pub role_name: String,
    pub active: bool,
    pub version: i64,
    pub last_sign_in_at: Option<i64>,
    /// (id, name) of the locations the member may buy for, by name.
    pub locations: Vec<(i64, String)>,
    /// Spending limits in the company currency (minor units); `None`: no limit.
    pub order_limit: Option<i64>,
    pub month_limit: Option<i64>,
}

pub async fn company(pool: &AnyPool, company_id: CompanyId) -> Result<Option<CompanyRow>, sqlx::Error> {
    let row: Option<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, name, currency, default_locale FROM companies WHERE id = $1")
            .bind(company_id.0)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, name, currency, default_locale)| CompanyRow { id: CompanyId(id), name, currency, default_locale }))
}

/// The companies a user is an active member of, for the company switcher.
pub async fn companies_of_user(pool: &AnyPool, user_id: UserId) -> Result<Vec<(CompanyId, String)>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.id, c.name FROM members m JOIN companies c ON c.id = m.company_id \
         WHERE m.user_id = $1 AND m.active = 1 ORDER BY c.name",
    )
    .bind(user_id.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| (CompanyId(id), name)).collect())
}

type LocationTuple = (i64, String, String, String, String, String);

fn location_row((id, name, kind, address, city, country): LocationTuple) -> LocationRow {
    LocationRow { id: LocationId(id), name, kind, address, city, country }
}

pub async fn location(
    pool: &AnyPool,
    company_id: CompanyId,
    id: LocationId,
) -> Result<Option<LocationRow>, sqlx::Error> {
    let row: Option<LocationTuple> = sqlx::query_as(
        "SELECT id, name, kind, address, city, country FROM locations WHERE id = $1 AND company_id = $2",
    )
    .bind(id.0)
    .bind(company_id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(location_row))
}

pub async fn locations(pool: &AnyPool, company_id: CompanyId) -> Result<Vec<LocationRow>, sqlx::Error> {
    let rows: Vec<LocationTuple> = sqlx::query_as(
        "SELECT id, name, kind, address, city, country FROM locations WHERE company_id = $1 ORDER BY name",
    )
    .bind(company_id.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(location_row).collect())
}

// ---------------------------------------------------------------------------------------------
// Members

type MemberTuple = (i64, i64, String, String, i64, String, String, i64, i64, Option<i64>, Option<i64>, Option<i64>);

const MEMBER_SELECT: &str = "SELECT m.id, u.id, u.display_name, u.email, r.id, r.code, r.name, m.active, m.version, \
     u.last_sign_in_at, m.order_limit_minor, m.month_limit_minor \
     FROM members m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id";

fn member_row(t: MemberTuple) -> MemberRow {
    let (
        id,
        user_id,
        display_name,
        email,
        role_id,
        role_code,
        role_name,
        active,
        version,
        last_sign_in_at,
        order_limit,
        month_limit,
    ) = t;
    MemberRow {
        id: MemberId(id),
        user_id: UserId(user_id),
        display_name,
        email,
        role_id: RoleId(role_id),
        role_code,
        role_name,
        active: active != 0,
        version,
        last_sign_in_at,
        locations: vec![],
        order_limit,
        month_limit,
    }
}

async fn with_locations(
    pool: &AnyPool,
    company_id: CompanyId,
    mut rows: Vec<MemberRow>,
) -> Result<Vec<MemberRow>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(rows);
    }
    // Only the page's members (a page is at most a few dozen ids, bound one by one).
    let ids: Vec<String> = (0..rows.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT ml.member_id, l.id, l.name FROM member_locations ml JOIN locations l ON l.id = ml.location_id \
         WHERE l.company_id = $1 AND ml.member_id IN ({}) ORDER BY l.name, l.id",
        ids.join(", ")
    );
    let mut query = sqlx::query_as(&sql).bind(company_id.0);
    for row in &rows {
        query = query.bind(row.id.0);
    }
    let all: Vec<(i64, i64, String)> = query.fetch_all(pool).await?;
    let mut by_member: std::collections::HashMap<i64, Vec<(i64, String)>> = std::collections::HashMap::new();
    for (member, id, name) in all {
        by_member.entry(member).or_default().push((id, name));
    }
    for row in &mut rows {
        row.locations = by_member.remove(&row.id.0).unwrap_or_default();
    }
    Ok(rows)
}

pub async fn member(pool: &AnyPool, company_id: CompanyId, id: MemberId) -> Result<Option<MemberRow>, sqlx::Error> {
    let row: Option<MemberTuple> = sqlx::query_as(&format!("{MEMBER_SELECT} WHERE m.id = $1 AND m.company_id = $2"))
        .bind(id.0)
        .bind(company_id.0)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(with_locations(pool, company_id, vec![member_row(row)]).await?.pop())
}

/// Which members a page shows.
#[derive(Clone, Debug, Default)]
pub struct MemberFilter {
    /// Part of a name or email, any case.
    pub q: String,
    /// `Some(true)`: active only; `Some(false)`: deactivated only.
    pub active: Option<bool>,
    pub offset: i64,
    pub limit: i64,
}

/// `%` and `_` typed by a person are characters, not wildcards.
pub fn like_pattern(q: &str) -> String {
    let escaped = q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// One page of members by name, and how many match in all.
pub async fn members(
    pool: &AnyPool,
    company_id: CompanyId,
    filter: &MemberFilter,
) -> Result<(Vec<MemberRow>, i64), sqlx::Error> {
    let where_ = "WHERE m.company_id = $1 AND ($2 = '' OR LOWER(u.display_name) LIKE $3 ESCAPE '\\' \
                  OR LOWER(u.email) LIKE $3 ESCAPE '\\') AND ($4 < 0 OR m.active = $4)";
    let active = filter.active.map(|a| a as i64).unwrap_or(-1);
    let pattern = like_pattern(&filter.q);
    let (total,): (i64,) =
        sqlx::query_as(&format!("SELECT COUNT(*) FROM members m JOIN users u ON u.id = m.user_id {where_}"))
            .bind(company_id.0)
            .bind(&filter.q)
            .bind(&pattern)
            .bind(active)
            .fetch_one(pool)
            .await?;
    let rows: Vec<MemberTuple> =
        sqlx::query_as(&format!("{MEMBER_SELECT} {where_} ORDER BY u.display_name, m.id LIMIT $5 OFFSET $6"))
            .bind(company_id.0)
            .bind(&filter.q)
            .bind(&pattern)
            .bind(active)
            .bind(filter.limit)
            .bind(filter.offset)
            .fetch_all(pool)
            .await?;
    Ok((with_locations(pool, company_id, rows.into_iter().map(member_row).collect()).await?, total))
}

pub async fn member_names(pool: &AnyPool, company_id: CompanyId) -> Result<Vec<(MemberId, String)>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT m.id, u.display_name FROM members m JOIN users u ON u.id = m.user_id \
         WHERE m.company_id = $1 ORDER BY u.display_name, m.id",
    )
    .bind(company_id.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| (MemberId(id), name)).collect())
}

/// Active members whose role holds `team.manage`: the company's admins for the last-admin rule.
pub async fn active_admins<'c, E: Executor<'c, Database = Any>>(
    executor: E,
    company_id: CompanyId,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM members m JOIN role_permissions rp ON rp.role_id = m.role_id \
         WHERE m.company_id = $1 AND m.active = 1 AND rp.permission = 'team.manage'",
    )
    .bind(company_id.0)
    .fetch_one(executor)
    .await?;
    Ok(n)
}

/// Bumps the member's version if it is still `version`: the first statement of a change, so on
/// SQLite it takes the write lock before anything is read. False: changed meanwhile (or gone).
pub async fn claim_member(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    id: MemberId,
    version: i64,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE members SET version = version + 1 WHERE id = $1 AND company_id = $2 AND version = $3")
            .bind(id.0)
            .bind(company_id.0)
            .bind(version)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_member_role(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    id: MemberId,
    role: RoleId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE members SET role_id = $1 WHERE id = $2 AND company_id = $3")
        .bind(role.0)
        .bind(id.0)
        .bind(company_id.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_member_active(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    id: MemberId,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE members SET active = $1 WHERE id = $2 AND company_id = $3")
        .bind(active as i64)
        .bind(id.0)
        .bind(company_id.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces the member's locations; the caller has checked that every id is the company's.
pub async fn set_member_locations(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    id: MemberId,
    locations: &[LocationId],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM member_locations WHERE member_id IN (SELECT id FROM members WHERE id = $1 AND company_id = $2)",
    )
    .bind(id.0)
    .bind(company_id.0)
    .execute(&mut **tx)
    .await?;
    for location in locations {
        sqlx::query("INSERT INTO member_locations (member_id, location_id) VALUES ($1, $2)")
            .bind(id.0)
            .bind(location.0)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Ends the user's sessions in this company (their other companies are not this admin's).
pub async fn end_sessions_in(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    user: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND company_id = $2")
        .bind(user.0)
        .bind(company_id.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks the user's sessions in the company for a new token at their next request (their role
/// changed: a token seen before is dead after).
pub async fn rotate_sessions_in(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    user: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET rotate = 1 WHERE user_id = $1 AND company_id = $2")
        .bind(user.0)
        .bind(company_id.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A new membership (accepted invitation, join by domain).
pub async fn insert_member(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    user: UserId,
    role: RoleId,
    locations: &[LocationId],
    now: i64,
) -> Result<MemberId, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO members (user_id, company_id, role_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user.0)
    .bind(company_id.0)
    .bind(role.0)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    set_member_locations(tx, company_id, MemberId(id), locations).await?;
    Ok(MemberId(id))
}

/// The user's membership in the company, active or not.
pub async fn membership_of<'c, E: Executor<'c, Database = Any>>(
    executor: E,
    company_id: CompanyId,
    user: UserId,
) -> Result<Option<(MemberId, bool)>, sqlx::Error> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, active FROM members WHERE company_id = $1 AND user_id = $2")
            .bind(company_id.0)
            .bind(user.0)
            .fetch_optional(executor)
            .await?;
    Ok(row.map(|(id, active)| (MemberId(id), active != 0)))
}

// ---------------------------------------------------------------------------------------------
// Roles

#[derive(Clone, Debug)]
pub struct RoleRow {
    pub id: RoleId,
    /// `None`: a built-in role, the same for every company and read-only.
    pub company_id: Option<CompanyId>,
    pub code: String,
    pub name: String,
    pub version: i64,
    pub permissions: PermissionSet,
    /// Members of the company holding it.
    pub members: i64,
}

/// The built-in roles, then the company's own by name.
pub async fn roles(pool: &AnyPool, company_id: CompanyId) -> Result<Vec<RoleRow>, sqlx::Error> {
    let rows: Vec<(i64, Option<i64>, String, String, i64, i64)> = sqlx::query_as(
        "SELECT r.id, r.company_id, r.code, r.name, r.version, \
           (SELECT COUNT(*) FROM members m WHERE m.role_id = r.id AND m.company_id = $1) \
         FROM roles r WHERE r.company_id IS NULL OR r.company_id = $1 \
         ORDER BY CASE WHEN r.company_id IS NULL THEN 0 ELSE 1 END, r.id",
    )
    .bind(company_id.0)
    .fetch_all(pool)
    .await?;
    let grants: Vec<(i64, String)> = sqlx::query_as(
        "SELECT rp.role_id, rp.permission FROM role_permissions rp JOIN roles r ON r.id = rp.role_id \
         WHERE r.company_id IS NULL OR r.company_id = $1",
    )
    .bind(company_id.0)
    .fetch_all(pool)
    .await?;
    let mut roles: Vec<RoleRow> = rows
        .into_iter()
        .map(|(id, company, code, name, version, members)| RoleRow {
            id: RoleId(id),
            company_id: company.map(CompanyId),
            permissions: PermissionSet::from_codes(
                grants.iter().filter(|(r, _)| *r == id).map(|(_, code)| code.as_str()),
            ),
            code,
            name,
            version,
            members,
        })
        .collect();
    // Built-in first (in the product's order), then custom roles by name.
    roles.sort_by_key(|r| (r.company_id.is_some(), r.company_id.is_some().then(|| r.name.to_lowercase()), r.id));
    Ok(roles)
}

/// A role the company may use: built-in, or its own. Another company's role is `None`.
pub async fn role(pool: &AnyPool, company_id: CompanyId, id: RoleId) -> Result<Option<RoleRow>, sqlx::Error> {
    Ok(roles(pool, company_id).await?.into_iter().find(|r| r.id == id))
}

pub async fn insert_role(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    code: &str,
    name: &str,
    permissions: &PermissionSet,
) -> Result<RoleId, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as("INSERT INTO roles (company_id, code, name) VALUES ($1, $2, $3) RETURNING id")
        .bind(company_id.0)
        .bind(code)
        .bind(name)
        .fetch_one(&mut **tx)
        .await?;
    set_role_permissions(tx, RoleId(id), permissions).await?;
    Ok(RoleId(id))
}

/// Renames a custom role if it is still at `version`; false: changed meanwhile or not the
/// company's custom role.
pub async fn update_role(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    id: RoleId,
    version: i64,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE roles SET name = $1, version = version + 1 WHERE id = $2 AND company_id = $3 AND version = $4",
    )
    .bind(name)
    .bind(id.0)
    .bind(company_id.0)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Only for a custom role the caller has checked belongs to the company.
pub async fn set_role_permissions(
    tx: &mut Transaction<'_, Any>,
    id: RoleId,
    permissions: &PermissionSet,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM role_permissions WHERE role_id = $1").bind(id.0).execute(&mut **tx).await?;
    for p in permissions.iter() {
        sqlx::query("INSERT INTO role_permissions (role_id, permission) VALUES ($1, $2)")
            .bind(id.0)
            .bind(p.code())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Deletes a custom role nobody holds and no pending invitation or join rule names; false when
/// it is in use (or not the company's).
pub async fn delete_role(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    id: RoleId,
) -> Result<bool, sqlx::Error> {
    let (in_use,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM members WHERE role_id = $1) \
              + (SELECT COUNT(*) FROM invitations WHERE role_id = $1) \
              + (SELECT COUNT(*) FROM company_domains WHERE join_role_id = $1)",
    )
    .bind(id.0)
    .fetch_one(&mut **tx)
    .await?;
    if in_use > 0 {
        return Ok(false);
    }
    sqlx::query(
        "DELETE FROM role_permissions WHERE role_id IN (SELECT id FROM roles WHERE id = $1 AND company_id = $2)",
    )
    .bind(id.0)
    .bind(company_id.0)
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query("DELETE FROM roles WHERE id = $1 AND company_id = $2")
        .bind(id.0)
        .bind(company_id.0)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ---------------------------------------------------------------------------------------------
// Invitations

#[derive(Clone, Debug)]
pub struct InvitationRow {
    pub id: InvitationId,
    pub company_id: CompanyId,
    pub email: String,
    pub role_id: RoleId,
    pub role_code: String,
    pub role_name: String,
    pub locale: String,
    pub invited_by: String,
    pub status: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub locations: Vec<LocationId>,
}

type InvitationTuple = (i64, i64, String, i64, String, String, String, String, String, i64, i64);

const INVITATION_SELECT: &str = "SELECT i.id, i.company_id, i.email, r.id, r.code, r.name, i.locale, u.display_name, \
     i.status, i.created_at, i.expires_at FROM invitations i JOIN roles r ON r.id = i.role_id \
     JOIN members m ON m.id = i.invited_by JOIN users u ON u.id = m.user_id";

async fn invitation_rows<'c, E: Executor<'c, Database = Any> + Copy>(
    executor: E,
    rows: Vec<InvitationTuple>,
) -> Result<Vec<InvitationRow>, sqlx::Error> {
    let mut out = Vec::with_capacity(rows.len());
    for (id, company, email, role_id, role_code, role_name, locale, invited_by, status, created_at, expires_at) in rows
    {
        let locations: Vec<(i64,)> = sqlx::query_as(
            "SELECT location_id FROM invitation_locations WHERE invitation_id = $1 ORDER BY location_id",
        )
        .bind(id)
        .fetch_all(executor)
        .await?;
        out.push(InvitationRow {
            id: InvitationId(id),
            company_id: CompanyId(company),
            email,
            role_id: RoleId(role_id),
            role_code,
            role_name,
            locale,
            invited_by,
            status,
            created_at,
            expires_at,
            locations: locations.into_iter().map(|(l,)| LocationId(l)).collect(),
        });
    }
    Ok(out)
}

pub async fn pending_invitations(pool: &AnyPool, company_id: CompanyId) -> Result<Vec<InvitationRow>, sqlx::Error> {
    let rows: Vec<InvitationTuple> = sqlx::query_as(&format!(
        "{INVITATION_SELECT} WHERE i.company_id = $1 AND i.status = 'pending' ORDER BY i.created_at DESC, i.id DESC"
    ))
    .bind(company_id.0)
    .fetch_all(pool)
    .await?;
    invitation_rows(pool, rows).await
}

pub async fn invitation(
    pool: &AnyPool,
    company_id: CompanyId,
    id: InvitationId,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    let rows: Vec<InvitationTuple> =
        sqlx::query_as(&format!("{INVITATION_SELECT} WHERE i.id = $1 AND i.company_id = $2"))
            .bind(id.0)
            .bind(company_id.0)
            .fetch_all(pool)
            .await?;
    Ok(invitation_rows(pool, rows).await?.pop())
}

/// By token hash, whatever its state (the caller decides what is still valid).
pub async fn invitation_by_hash(pool: &AnyPool, token_hash: &str) -> Result<Option<InvitationRow>, sqlx::Error> {
    let rows: Vec<InvitationTuple> = sqlx::query_as(&format!("{INVITATION_SELECT} WHERE i.token_hash = $1"))
        .bind(token_hash)
        .fetch_all(pool)
        .await?;
    Ok(invitation_rows(pool, rows).await?.pop())
}

/// A pending invitation for this address in this company, if any.
pub async fn pending_invitation_for(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    email: &str,
    now: i64,
) -> Result<Option<InvitationId>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM invitations WHERE company_id = $1 AND email = $2 AND status = 'pending' AND expires_at > $3",
    )
    .bind(company_id.0)
    .bind(email)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(id,)| InvitationId(id)))
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_invitation(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    email: &str,
    role: RoleId,
    locale: &str,
    invited_by: MemberId,
    token_hash: &str,
    locations: &[LocationId],
    now: i64,
    expires_at: i64,
) -> Result<InvitationId, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO invitations (company_id, email, role_id, locale, invited_by, token_hash, status, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) RETURNING id",
    )
    .bind(company_id.0)
    .bind(email)
    .bind(role.0)
    .bind(locale)
    .bind(invited_by.0)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await?;
    for location in locations {
        sqlx::query("INSERT INTO invitation_locations (invitation_id, location_id) VALUES ($1, $2)")
            .bind(id)
            .bind(location.0)
            .execute(&mut **tx)
            .await?;
    }
    Ok(InvitationId(id))
}

/// A new token for a pending invitation (the old one stops working); false if not pending.
pub async fn renew_invitation(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    id: InvitationId,
    token_hash: &str,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invitations SET token_hash = $1, expires_at = $2 WHERE id = $3 AND company_id = $4 AND status = 'pending'",
    )
    .bind(token_hash)
    .bind(expires_at)
    .bind(id.0)
    .bind(company_id.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a pending invitation to `status` ('accepted', 'revoked'); false if it was not pending
/// (a replayed accept, a revoke racing an accept).
pub async fn close_invitation(
    tx: &mut Transaction<'_, Any>,
    company_id: CompanyId,
    id: InvitationId,
    status: &str,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE invitations SET status = $1 WHERE id = $2 AND company_id = $3 AND status = 'pending'")
            .bind(status)
            .bind(id.0)
            .bind(company_id.0)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}
