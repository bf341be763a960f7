//! Demo team data for Acme (README): the custom role "Site buyer" (catalog, cart, place orders)
//! held by site@acme.example, who may buy for Denver Yard only; a pending invitation for
//! new.hire@acme.example; acme.example verified with "ask an admin"; one join request; and the
//! audit entries of all of it. Idempotent: each piece is made only when missing.

use crate::backend::platform::clock::now;
use crate::backend::platform::session;
use crate::backend::team::audit::{self, Action, Who};
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::permission::Permission;
use crate::error::AppError;
use sqlx::{Any, AnyPool, Transaction};

async fn one(tx: &mut Transaction<'_, Any>, sql: &str, a: i64, b: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(sql).bind(a).bind(b).fetch_optional(&mut **tx).await?;
    Ok(row.map(|(id,)| id))
}

async fn one_ids(tx: &mut Transaction<'_, Any>, sql: &str, a: i64, b: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(sql).bind(a).bind(b).fetch_optional(&mut **tx).await?;
    Ok(row.map(|(id,)| id))
}

async fn user(tx: &mut Transaction<'_, Any>, email: &str, name: &str, hash: &str, at: i64) -> Result<i64, sqlx::Error> {
    if let Some(id) = one(tx, "SELECT id FROM users WHERE id > $1 AND email = $2", 0, email).await? {
        return Ok(id);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (email, display_name, password_hash, locale, is_staff, created_at) \
         VALUES ($1, $2, $3, NULL, 0, $4) RETURNING id",
    )
    .bind(email)
    .bind(name)
    .bind(hash)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn load(pool: &AnyPool) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let Some(acme) = one(&mut tx, "SELECT id FROM companies WHERE id > $1 AND name = $2", 0, "Acme Builders").await?
    else {
        return Ok(());
    };
    let company = CompanyId(acme);
    let admin_user = one(&mut tx, "SELECT id FROM users WHERE id > $1 AND email = $2", 0, "admin@acme.example")
        .await?
        .ok_or_else(|| AppError::internal("demo admin missing"))?;
    let admin_member =
        one_ids(&mut tx, "SELECT id FROM members WHERE company_id = $1 AND user_id = $2", acme, admin_user)
            .await?
            .ok_or_else(|| AppError::internal("demo admin membership missing"))?;
    let dana = Who::user(&mut tx, UserId(admin_user)).await?;
    let at = now();
    // Every demo account shares the published password: reuse the admin's hash (argon2 at every
    // start-up would slow each restart and test for nothing).
    let (hash,): (String,) =
        sqlx::query_as("SELECT password_hash FROM users WHERE id = $1").bind(admin_user).fetch_one(&mut *tx).await?;

    // The custom role.
    let role = match one(&mut tx, "SELECT id FROM roles WHERE company_id = $1 AND name = $2", acme, "Site buyer")
        .await?
    {
        Some(id) => id,
        None => {
            let perms = crate::domain::permission::PermissionSet::new(vec![
                Permission::CatalogView,
                Permission::CartManage,
                Permission::OrdersPlace,
            ]);
            let id =
                crate::backend::team::repo::insert_role(&mut tx, company, "custom-site-buyer", "Site buyer", &perms)
                    .await?;
            audit::record(
                &mut tx,
                company,
                &dana,
                Action::RoleCreated,
                "Site buyer",
                "catalog.view, cart.manage, orders.place",
                at,
            )
            .await?;
            id.0
        }
    };

    // site@acme.example holds it, at Denver Yard only.
    let site = user(&mut tx, "site@acme.example", "Sam Ortiz", &hash, at).await?;
    if one_ids(&mut tx, "SELECT id FROM members WHERE company_id = $1 AND user_id = $2", acme, site).await?.is_none() {
        let denver = one(&mut tx, "SELECT id FROM locations WHERE company_id = $1 AND name = $2", acme, "Denver Yard")
            .await?
            .ok_or_else(|| AppError::internal("Denver Yard missing"))?;
        crate::backend::team::repo::insert_member(
            &mut tx,
            company,
            UserId(site),
            crate::domain::ids::RoleId(role),
            &[crate::domain::ids::LocationId(denver)],
            at,
        )
        .await?;
        audit::record(&mut tx, company, &dana, Action::Invited, "site@acme.example", "Site buyer", at).await?;
        let sam = Who::user(&mut tx, UserId(site)).await?;
        audit::record(&mut tx, company, &sam, Action::InvitationAccepted, "site@acme.example", "Site buyer", at)
            .await?;
        audit::record(&mut tx, company, &dana, Action::LocationsChanged, "site@acme.example", "— → Denver Yard", at)
            .await?;
    }

    // A pending invitation (its link was never mailed: an admin resends it to get one).
    if one(&mut tx, "SELECT id FROM invitations WHERE company_id = $1 AND email = $2", acme, "new.hire@acme.example")
        .await?
        .is_none()
    {
        let buyer = one(&mut tx, "SELECT id FROM roles WHERE id > $1 AND company_id IS NULL AND code = $2", 0, "buyer")
            .await?
            .ok_or_else(|| AppError::internal("buyer role missing"))?;
        crate::backend::team::repo::insert_invitation(
            &mut tx,
            company,
            "new.hire@acme.example",
            crate::domain::ids::RoleId(buyer),
            "en",
            crate::domain::ids::MemberId(admin_member),
            &session::hash_token(&session::new_token()),
            &[],
            at,
            at + crate::backend::team::invitations::VALID_SECS,
        )
        .await?;
        audit::record(&mut tx, company, &dana, Action::Invited, "new.hire@acme.example", "Buyer", at).await?;
    }

    // acme.example verified, asking an admin; one join request waiting.
    if one(&mut tx, "SELECT id FROM company_domains WHERE company_id = $1 AND domain = $2", acme, "acme.example")
        .await?
        .is_none()
    {
        sqlx::query(
            "INSERT INTO company_domains (company_id, domain, policy, join_role_id, verified_at, verified_by) \
             VALUES ($1, 'acme.example', 'ask', NULL, $2, $3)",
        )
        .bind(acme)
        .bind(at)
        .bind(admin_member)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, company, &dana, Action::DomainVerified, "acme.example", "", at).await?;
    }
    let joiner = user(&mut tx, "jordan@acme.example", "Jordan Price", &hash, at).await?;
    if one_ids(&mut tx, "SELECT id FROM join_requests WHERE company_id = $1 AND user_id = $2", acme, joiner)
        .await?
        .is_none()
    {
        sqlx::query(
            "INSERT INTO join_requests (company_id, user_id, status, created_at) VALUES ($1, $2, 'pending', $3)",
        )
        .bind(acme)
        .bind(joiner)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let jordan = Who::user(&mut tx, UserId(joiner)).await?;
        audit::record(&mut tx, company, &jordan, Action::JoinRequested, "jordan@acme.example", "", at).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// How a generated member's address begins: such members get no demo order history (one per
/// member would use up Acme's credit line before the demo's quotes are placed).
pub const GENERATED: &str = "member.";

/// The generator option `APP_DEMO_TEAM_MEMBERS`: Acme gets this many extra Buyers
/// (`member.0001@acme.example`, …), for measuring /team at size. Idempotent: only the missing
/// ones are added, in one transaction.
pub async fn generate_members(pool: &AnyPool, count: usize) -> Result<(), AppError> {
    if count == 0 {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    let Some(acme) = one(&mut tx, "SELECT id FROM companies WHERE id > $1 AND name = $2", 0, "Acme Builders").await?
    else {
        return Ok(());
    };
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE email = 'admin@acme.example'")
        .fetch_one(&mut *tx)
        .await?;
    let buyer = one(&mut tx, "SELECT id FROM roles WHERE id > $1 AND company_id IS NULL AND code = $2", 0, "buyer")
        .await?
        .ok_or_else(|| AppError::internal("buyer role missing"))?;
    let denver =
        one(&mut tx, "SELECT id FROM locations WHERE company_id = $1 AND name = $2", acme, "Denver Yard").await?;
    let at = now();
    let first = ["Alex", "Blair", "Casey", "Drew", "Emery", "Finley", "Gray", "Harper", "Indy", "Jules"];
    let last = ["Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen"];
    for i in 1..=count {
        let email = format!("{GENERATED}{i:04}@acme.example");
        let name = format!("{} {} {i:04}", first[i % 10], last[(i / 10) % 10]);
        let id = user(&mut tx, &email, &name, &hash, at).await?;
        if one_ids(&mut tx, "SELECT id FROM members WHERE company_id = $1 AND user_id = $2", acme, id).await?.is_none()
        {
            let locations: Vec<crate::domain::ids::LocationId> =
                denver.filter(|_| i % 3 == 0).map(crate::domain::ids::LocationId).into_iter().collect();
            crate::backend::team::repo::insert_member(
                &mut tx,
                CompanyId(acme),
                UserId(id),
                crate::domain::ids::RoleId(buyer),
                &locations,
                at,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
