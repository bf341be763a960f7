//! Demo data: the merchant Northwind Supply, five customer companies and the README's accounts.
//! Idempotent: each record is inserted only when missing (by its natural key), so running it on
//! every start-up never duplicates rows or undoes a user's changes (e.g. a saved language).

use crate::backend::platform::clock::now;
use crate::backend::platform::password;
use crate::backend::platform::state::MERCHANT_NAME;
use crate::domain::permission::BuiltInRole;
use crate::error::AppError;
use sqlx::{Any, AnyPool, Transaction};

/// Every demo account signs in with this password (it is printed in the README).
pub const DEMO_PASSWORD: &str = "portal-demo-2026";

struct DemoCompany {
    name: &'static str,
    currency: &'static str,
    locale: &'static str,
    /// Payment terms code, credit limit (minor units), purchase order number required.
    terms: (&'static str, i64, bool),
    /// (name, kind, address, city, country)
    locations: &'static [(&'static str, &'static str, &'static str, &'static str, &'static str)],
}

const COMPANIES: &[DemoCompany] = &[
    DemoCompany {
        name: "Acme Builders",
        currency: "USD",
        terms: ("net30", 25_000_000, true),
        locale: "en",
        locations: &[
            ("Chicago HQ", "both", "1200 W Fulton Market", "Chicago, IL", "US"),
            ("Denver Yard", "ship_to", "4800 Brighton Blvd", "Denver, CO", "US"),
        ],
    },
    DemoCompany {
        name: "Müller Haustechnik GmbH",
        currency: "EUR",
        terms: ("net30", 15_000_000, false),
        locale: "de",
        locations: &[("Zentrale München", "both", "Landsberger Straße 300", "München", "DE")],
    },
    DemoCompany {
        name: "Kanto Kogyo",
        currency: "JPY",
        terms: ("net60", 30_000_000, false),
        locale: "ja",
        locations: &[("川崎本社", "both", "川崎区東田町8", "川崎市", "JP")],
    },
    DemoCompany {
        name: "Saigon Foods",
        currency: "VND",
        terms: ("prepaid", 0, false),
        locale: "vi",
        locations: &[("Kho Quận 7", "both", "25 Nguyễn Văn Linh", "TP. Hồ Chí Minh", "VN")],
    },
    DemoCompany {
        name: "Bayt Al Tijara",
        currency: "SAR",
        terms: ("net15", 50_000_000, false),
        locale: "ar",
        locations: &[("المستودع الرئيسي", "both", "طريق الملك فهد", "الرياض", "SA")],
    },
];

struct DemoUser {
    email: &'static str,
    name: &'static str,
    /// Saved language; `None` lets cookie / Accept-Language decide.
    locale: Option<&'static str>,
    staff: bool,
    /// (company, role, locations it may buy for; empty = all of the company's)
    memberships: &'static [(&'static str, BuiltInRole, &'static [&'static str])],
}

const USERS: &[DemoUser] = &[
    DemoUser {
        email: "admin@acme.example",
        name: "Dana Whitfield",
        locale: None,
        staff: false,
        memberships: &[("Acme Builders", BuiltInRole::Admin, &[])],
    },
    DemoUser {
        email: "buyer@acme.example",
        name: "Ben Carter",
        locale: None,
        staff: false,
        memberships: &[("Acme Builders", BuiltInRole::Buyer, &[])],
    },
    DemoUser {
        email: "requester@acme.example",
        name: "Rita Alvarez",
        locale: None,
        staff: false,
        memberships: &[("Acme Builders", BuiltInRole::Requester, &["Denver Yard"])],
    },
    DemoUser {
        email: "finance@acme.example",
        name: "Fiona Grant",
        locale: None,
        staff: false,
        memberships: &[("Acme Builders", BuiltInRole::Finance, &[])],
    },
    DemoUser {
        email: "anna@mueller.example",
        name: "Anna Müller",
        locale: Some("de"),
        staff: false,
        memberships: &[("Müller Haustechnik GmbH", BuiltInRole::Admin, &[])],
    },
    DemoUser {
        email: "kenji@kanto.example",
        name: "佐藤 健二",
        locale: Some("ja"),
        staff: false,
        memberships: &[("Kanto Kogyo", BuiltInRole::Buyer, &[])],
    },
    DemoUser {
        email: "lan@saigon.example",
        name: "Nguyễn Thị Lan",
        locale: Some("vi"),
        staff: false,
        memberships: &[("Saigon Foods", BuiltInRole::Buyer, &[])],
    },
    DemoUser {
        email: "omar@bayt.example",
        name: "عمر الفارسي",
        locale: Some("ar"),
        staff: false,
        memberships: &[("Bayt Al Tijara", BuiltInRole::Buyer, &[])],
    },
    DemoUser {
        email: "multi@example.com",
        name: "Morgan Lee",
        locale: None,
        staff: false,
        memberships: &[
            ("Acme Builders", BuiltInRole::Buyer, &[]),
            ("Müller Haustechnik GmbH", BuiltInRole::Buyer, &[]),
        ],
    },
    DemoUser { email: "staff@northwind.example", name: "Sam Porter", locale: None, staff: true, memberships: &[] },
];

/// Built-in role names as stored (the UI shows the translated name for the code).
fn role_name(role: BuiltInRole) -> &'static str {
    match role {
        BuiltInRole::Admin => "Admin",
        BuiltInRole::Buyer => "Buyer",
        BuiltInRole::Requester => "Requester",
        BuiltInRole::Finance => "Finance",
    }
}

/// Built-in roles exist in every deployment, demo or not.
pub async fn ensure_builtin_roles(pool: &AnyPool) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    for role in BuiltInRole::ALL {
        let role_id =
            match find_id(&mut tx, "SELECT id FROM roles WHERE company_id IS NULL AND code = $1", role.code()).await? {
                Some(id) => id,
                None => {
                    let (id,): (i64,) =
                        sqlx::query_as("INSERT INTO roles (company_id, code, name) VALUES (NULL, $1, $2) RETURNING id")
                            .bind(role.code())
                            .bind(role_name(role))
                            .fetch_one(&mut *tx)
                            .await?;
                    id
                }
            };
        for permission in role.permissions() {
            let exists: Option<(i64,)> =
                sqlx::query_as("SELECT role_id FROM role_permissions WHERE role_id = $1 AND permission = $2")
                    .bind(role_id)
                    .bind(permission.code())
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_none() {
                sqlx::query("INSERT INTO role_permissions (role_id, permission) VALUES ($1, $2)")
                    .bind(role_id)
                    .bind(permission.code())
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Needs the built-in roles (`ensure_builtin_roles`, which start-up runs first).
pub async fn load_demo(pool: &AnyPool) -> Result<(), AppError> {
    // One hash for all demo users, made only when one is missing: they share a published
    // password, and argon2 at every start-up would slow each restart and test for nothing.
    let mut hash: Option<String> = None;
    let created = now();
    let mut tx = pool.begin().await?;

    let merchant: Option<(String,)> =
        sqlx::query_as("SELECT value FROM app_settings WHERE key = 'merchant_name'").fetch_optional(&mut *tx).await?;
    if merchant.is_none() {
        sqlx::query("INSERT INTO app_settings (key, value) VALUES ('merchant_name', $1)")
            .bind(MERCHANT_NAME)
            .execute(&mut *tx)
            .await?;
    }

    for company in COMPANIES {
        let company_id = match find_id(&mut tx, "SELECT id FROM companies WHERE name = $1", company.name).await? {
            Some(id) => id,
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO companies (name, currency, default_locale, created_at, payment_terms, credit_limit_minor, \
                     po_required) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(company.name)
                .bind(company.currency)
                .bind(company.locale)
                .bind(created)
                .bind(company.terms.0)
                .bind(company.terms.1)
                .bind(company.terms.2 as i64)
                .fetch_one(&mut *tx)
                .await?;
                id
            }
        };
        for (name, kind, address, city, country) in company.locations {
            let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM locations WHERE company_id = $1 AND name = $2")
                .bind(company_id)
                .bind(*name)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                sqlx::query(
                    "INSERT INTO locations (company_id, name, kind, address, city, country) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(company_id)
                .bind(*name)
                .bind(*kind)
                .bind(*address)
                .bind(*city)
                .bind(*country)
                .execute(&mut *tx)
                .await?;
            }
        }
    }

    for user in USERS {
        let user_id = match find_id(&mut tx, "SELECT id FROM users WHERE email = $1", user.email).await? {
            Some(id) => id,
            None => {
                if hash.is_none() {
                    hash = Some(password::hash(DEMO_PASSWORD.to_string()).await?);
                }
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO users (email, display_name, password_hash, locale, is_staff, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(user.email)
                .bind(user.name)
                .bind(hash.as_deref().unwrap_or_default())
                .bind(user.locale)
                .bind(user.staff as i64)
                .bind(created)
                .fetch_one(&mut *tx)
                .await?;
                id
            }
        };
        for (company, role, locations) in user.memberships {
            let company_id = find_id(&mut tx, "SELECT id FROM companies WHERE name = $1", company)
                .await?
                .ok_or_else(|| AppError::internal(format!("demo company {company} missing")))?;
            let exists: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM members WHERE user_id = $1 AND company_id = $2")
                    .bind(user_id)
                    .bind(company_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_some() {
                continue;
            }
            let role_id = find_id(&mut tx, "SELECT id FROM roles WHERE company_id IS NULL AND code = $1", role.code())
                .await?
                .ok_or_else(|| AppError::internal("built-in role missing"))?;
            let (member_id,): (i64,) = sqlx::query_as(
                "INSERT INTO members (user_id, company_id, role_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(user_id)
            .bind(company_id)
            .bind(role_id)
            .bind(created)
            .fetch_one(&mut *tx)
            .await?;
            let all: Vec<(i64, String)> =
                sqlx::query_as("SELECT id, name FROM locations WHERE company_id = $1 ORDER BY id")
                    .bind(company_id)
                    .fetch_all(&mut *tx)
                    .await?;
            for (location_id, name) in all {
                if locations.is_empty() || locations.contains(&name.as_str()) {
                    sqlx::query("INSERT INTO member_locations (member_id, location_id) VALUES ($1, $2)")
                        .bind(member_id)
                        .bind(location_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The first column of the first row of `sql` (one text parameter), as an id.
async fn find_id(tx: &mut Transaction<'_, Any>, sql: &str, param: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(sql).bind(param).fetch_optional(&mut **tx).await?;
    Ok(row.map(|(id,)| id))
}
