//! Who belongs where, per user: their companies, role permissions and locations, as the guard and
//! the header need them on every request. Part of the read model (see `changes`): an entry is
//! used only while no directory change has been applied since it was read, so a removed member
//! or a changed role counts from the next request on, on every app server.

use crate::domain::ids::{CompanyId, MemberId, UserId};
use crate::domain::permission::PermissionSet;
use sqlx::AnyPool;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

/// Beyond this many users in memory the cache starts over (a bound, not a tuning knob).
const MAX_USERS: usize = 20_000;

#[derive(Clone, Debug)]
pub struct Membership {
    pub member_id: MemberId,
    pub company_id: CompanyId,
    pub company_name: String,
    /// ISO code of the company's price currency.
    pub currency: String,
    pub permissions: PermissionSet,
    /// (id, name) of the locations the member may buy for, by name.
    pub locations: Vec<(i64, String)>,
}

#[derive(Debug)]
pub struct UserDirectory {
    /// The change seq read before this entry was loaded.
    seen: i64,
    /// By company name.
    pub memberships: Vec<Membership>,
}

impl UserDirectory {
    pub fn membership(&self, company: CompanyId) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.company_id == company)
    }
}

pub struct Directory {
    changed_at: AtomicI64,
    users: Mutex<HashMap<UserId, Arc<UserDirectory>>>,
}

impl Directory {
    pub fn new(seq: i64) -> Directory {
        Directory { changed_at: AtomicI64::new(seq), users: Mutex::new(HashMap::new()) }
    }

    /// A directory change with this seq was applied: everything read before it is stale.
    pub(super) fn changed_at(&self, seq: i64) {
        self.changed_at.fetch_max(seq, Ordering::SeqCst);
        self.users.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The user's memberships. The caller has caught the read model up to `head` first
    /// (`ReadModel::user`), so `changed_at` covers every directory change up to `head`.
    pub(super) async fn user(
        &self,
        pool: &AnyPool,
        user: UserId,
        head: i64,
    ) -> Result<Arc<UserDirectory>, sqlx::Error> {
        let changed_at = self.changed_at.load(Ordering::SeqCst);
        if let Some(entry) = self.users.lock().unwrap_or_else(|e| e.into_inner()).get(&user) {
            if entry.seen >= changed_at {
                return Ok(entry.clone());
            }
        }
        let entry = Arc::new(load(pool, user, head).await?);
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        if users.len() >= MAX_USERS {
            users.clear();
        }
        // Only keep it if no directory change arrived while it loaded.
        if head >= self.changed_at.load(Ordering::SeqCst) {
            users.insert(user, entry.clone());
        }
        Ok(entry)
    }
}

async fn load(pool: &AnyPool, user: UserId, seen: i64) -> Result<UserDirectory, sqlx::Error> {
    let members: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT m.id, c.id, c.name, c.currency FROM members m JOIN companies c ON c.id = m.company_id \
         WHERE m.user_id = $1 AND m.active = 1 ORDER BY c.name, c.id",
    )
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    let permissions: Vec<(i64, String)> = sqlx::query_as(
        "SELECT m.id, rp.permission FROM members m JOIN role_permissions rp ON rp.role_id = m.role_id WHERE m.user_id = $1",
    )
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    let locations: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT ml.member_id, l.id, l.name FROM members m JOIN member_locations ml ON ml.member_id = m.id \
         JOIN locations l ON l.id = ml.location_id WHERE m.user_id = $1 ORDER BY l.name, l.id",
    )
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    let memberships = members
        .into_iter()
        .map(|(member_id, company_id, company_name, currency)| Membership {
            member_id: MemberId(member_id),
            company_id: CompanyId(company_id),
            company_name,
            currency,
            permissions: PermissionSet::from_codes(
                permissions.iter().filter(|(m, _)| *m == member_id).map(|(_, code)| code.as_str()),
            ),
            locations: locations
                .iter()
                .filter(|(m, _, _)| *m == member_id)
                .map(|(_, id, name)| (*id, name.clone()))
                .collect(),
        })
        .collect();
    Ok(UserDirectory { seen, memberships })
}
