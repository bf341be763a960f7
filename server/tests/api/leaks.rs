//! The leak matrix: every registered server function and page route × every caller (Acme's
//! Admin, Buyer, Requester and Finance, merchant staff without a company, a signed-out visitor)
//! × the ids it can be asked about (the caller's own, a colleague's, another company's, one that
//! does not exist). One row per endpoint says how to call it and what each caller gets back;
//! `every_server_function_and_page_route_has_a_row` enumerates what the server registers at run
//! time, so an endpoint added without a row fails the suite the day it is added.
//!
//! Expected everywhere: another company's id answers byte for byte what a missing id answers
//! (404 for a record), a missing permission answers 403, a signed-out caller 401 (a page: the
//! sign-in redirect), and no answer ever holds a marker of the other company's data.

use crate::helpers::*;
use app::domain::order::OrderNumber;
use app::domain::permission::{BuiltInRole, Permission};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

// ---------------------------------------------------------------------------------------------
// Who asks, with what id, and what the guard says before any id is looked at.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Caller {
    Admin,
    Buyer,
    Requester,
    Finance,
    /// Merchant staff: signed in, member of no company.
    Staff,
    SignedOut,
}

const CALLERS: [Caller; 6] =
    [Caller::Admin, Caller::Buyer, Caller::Requester, Caller::Finance, Caller::Staff, Caller::SignedOut];

/// The Acme members, whose records are the "own" and "colleague" ones.
const MEMBERS: [Caller; 4] = [Caller::Admin, Caller::Buyer, Caller::Requester, Caller::Finance];

impl Caller {
    fn email(self) -> Option<&'static str> {
        match self {
            Caller::Admin => Some("admin@acme.example"),
            Caller::Buyer => Some("buyer@acme.example"),
            Caller::Requester => Some("requester@acme.example"),
            Caller::Finance => Some("finance@acme.example"),
            Caller::Staff => Some("staff@northwind.example"),
            Caller::SignedOut => None,
        }
    }

    fn role(self) -> Option<BuiltInRole> {
        match self {
            Caller::Admin => Some(BuiltInRole::Admin),
            Caller::Buyer => Some(BuiltInRole::Buyer),
            Caller::Requester => Some(BuiltInRole::Requester),
            Caller::Finance => Some(BuiltInRole::Finance),
            Caller::Staff | Caller::SignedOut => None,
        }
    }

    /// What the product gives the caller's built-in role; staff and the signed-out hold nothing.
    fn may(self, permission: Permission) -> bool {
        self.role().is_some_and(|r| r.permissions().contains(&permission))
    }
}

/// What a server function asks of the caller before it reads any argument.
#[derive(Clone, Copy, Debug)]
enum Guard {
    /// Anyone, signed in or not (signing in and out, the language).
    Public,
    /// A signed-in user, member of a company or not (staff).
    SignedIn,
    /// A member of the session's company, whatever the role (`load_actor`).
    Member,
    /// `authorize(permission)`.
    Needs(Permission),
    /// `authorize_staff`: merchant staff only.
    Staff,
}

impl Guard {
    /// The status the guard answers with when it stops the caller.
    fn stops(self, caller: Caller) -> Option<u16> {
        match (self, caller) {
            (Guard::Public, _) => None,
            (_, Caller::SignedOut) => Some(401),
            (Guard::SignedIn, _) => None,
            (Guard::Member, Caller::Staff) => Some(403),
            (Guard::Member, _) => None,
            (Guard::Needs(permission), caller) => (!caller.may(permission)).then_some(403),
            (Guard::Staff, Caller::Staff) => None,
            (Guard::Staff, _) => Some(403),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    /// The function takes no id.
    NoId,
    /// The caller's own record: their order, list, location, company, a SKU they may buy.
    Own,
    /// A colleague's record the caller has no right to: a private list, an order without
    /// `orders.view_all` (with it, a colleague's order is the caller's to see).
    Colleague,
    /// A colleague's list shared with the company: visible, but only its owner changes it.
    Shared,
    /// Müller's record (for SKUs: a product only Müller's catalog holds).
    Foreign,
    /// An id nothing has.
    Missing,
}

const MISSING: i64 = 987_654_321;
const MISSING_SKU: &str = "NO-SUCH-SKU-4242";
const MISSING_SLUG: &str = "no-such-product-4242";
/// Well formed, but no link was ever mailed with it.
const BOGUS_TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const ID_CASES: &[Case] = &[Case::Own, Case::Foreign, Case::Missing];
const NO_ID: &[Case] = &[Case::NoId];

// ---------------------------------------------------------------------------------------------
// The records: Acme's (made by each member), Müller's (made by Anna), and markers of Müller's.

/// One Acme member's records and the colleague records they must not reach.
#[derive(Clone, Debug)]
struct Mine {
    member: i64,
    name: String,
    location: i64,
    ship_to: i64,
    /// A priced SKU of the member's catalog, its minimum quantity and its product's slug.
    sku: String,
    quantity: String,
    slug: String,
    order: String,
    colleague_order: String,
    colleague_member: i64,
    /// Private, with one line.
    list: i64,
    list_name: String,
    /// Private and empty: the one `lists/delete` may delete.
    doomed_list: i64,
    /// A colleague's private list.
    colleague_list: i64,
    /// A colleague's list shared with the company.
    shared_list: i64,
}

#[derive(Debug)]
struct Theirs {
    company: i64,
    list: i64,
    order: String,
    location: i64,
    member: i64,
    /// A product only Müller's catalog holds (renamed to a marker).
    sku: String,
    slug: String,
    /// Müller's custom role, pending invitation, verified domain and join request.
    role: i64,
    invitation: i64,
    domain: i64,
    join_request: i64,
    /// A purchase request of Müller's (number) and an approval rule.
    request: String,
    rule: i64,
    /// A quote of Müller's (number) and its attachment.
    quote: String,
    quote_file: i64,
    /// An invoice of Müller's (number).
    invoice: String,
}

/// Acme's team records (only an admin gets past the guard to them).
#[derive(Debug)]
struct Team {
    /// The custom role "Site buyer" (held by site@acme.example, so it cannot be deleted).
    role: i64,
    /// The demo's pending invitation (resent), and one made to be revoked.
    invitation: i64,
    doomed_invitation: i64,
    domain: i64,
    join_request: i64,
    /// Rita's pending demo request (number) and the demo rule.
    request: String,
    rule: i64,
    /// Ben's demo quote with an offer standing (number), and his submitted one with its
    /// attachment.
    quote: String,
    submitted_quote: String,
    quote_file: i64,
    /// One of Acme's demo invoices (number).
    invoice: String,
}

struct Fx {
    acme: i64,
    /// The built-in Admin role's id.
    admin_role: i64,
    team: Team,
    mine: HashMap<Caller, Mine>,
    theirs: Theirs,
    /// Strings of Müller's (and of secrets) that no answer to an Acme caller may hold.
    markers: Vec<String>,
}

const MUELLER_LIST: &str = "LEAKMARK Müller list";
const MUELLER_PO: &str = "LEAKMARK-PO-MUELLER";
const MUELLER_PRODUCT: &str = "LEAKMARK Müller-only product";
const MUELLER_ROLE: &str = "LEAKMARK Müller role";

impl Fx {
    /// Staff and the signed-out have no records: they ask with the buyer's.
    fn mine(&self, caller: Caller) -> &Mine {
        self.mine.get(&caller).unwrap_or(&self.mine[&Caller::Buyer])
    }

    fn pick(
        &self,
        case: Case,
        own: impl ToString,
        colleague: impl ToString,
        shared: impl ToString,
        foreign: impl ToString,
        missing: impl ToString,
    ) -> String {
        match case {
            Case::Own => own.to_string(),
            Case::Colleague => colleague.to_string(),
            Case::Shared => shared.to_string(),
            Case::Foreign => foreign.to_string(),
            Case::Missing => missing.to_string(),
            Case::NoId => panic!("a row that takes no id asked for one"),
        }
    }

    fn list(&self, c: Caller, case: Case) -> String {
        let m = self.mine(c);
        self.pick(case, m.list, m.colleague_list, m.shared_list, self.theirs.list, MISSING)
    }

    fn doomed_list(&self, c: Caller, case: Case) -> String {
        let m = self.mine(c);
        self.pick(case, m.doomed_list, m.colleague_list, m.shared_list, self.theirs.list, MISSING)
    }

    fn order(&self, c: Caller, case: Case) -> String {
        let m = self.mine(c);
        self.pick(case, &m.order, &m.colleague_order, &m.colleague_order, &self.theirs.order, MISSING)
    }

    fn sku(&self, c: Caller, case: Case) -> String {
        let m = self.mine(c);
        self.pick(case, &m.sku, &m.sku, &m.sku, &self.theirs.sku, MISSING_SKU)
    }

    fn slug(&self, c: Caller, case: Case) -> String {
        let m = self.mine(c);
        self.pick(case, &m.slug, &m.slug, &m.slug, &self.theirs.slug, MISSING_SLUG)
    }

    fn location(&self, c: Caller, case: Case) -> String {
        let m = self.mine(c);
        self.pick(case, m.location, m.location, m.location, self.theirs.location, MISSING)
    }

    fn ship_to(&self, c: Caller, case: Case) -> String {
        let m = self.mine(c);
        self.pick(case, m.ship_to, m.ship_to, m.ship_to, self.theirs.location, MISSING)
    }

    fn member(&self, c: Caller, case: Case) -> String {
        let m = self.mine(c);
        self.pick(case, m.member, m.colleague_member, m.colleague_member, self.theirs.member, MISSING)
    }

    fn company(&self, _: Caller, case: Case) -> String {
        self.pick(case, self.acme, self.acme, self.acme, self.theirs.company, MISSING)
    }

    fn role(&self, case: Case) -> String {
        self.pick(case, self.team.role, self.team.role, self.team.role, self.theirs.role, MISSING)
    }

    fn invitation(&self, case: Case) -> String {
        let t = &self.team;
        self.pick(case, t.invitation, t.invitation, t.invitation, self.theirs.invitation, MISSING)
    }

    fn doomed_invitation(&self, case: Case) -> String {
        let t = &self.team;
        self.pick(case, t.doomed_invitation, t.doomed_invitation, t.doomed_invitation, self.theirs.invitation, MISSING)
    }

    fn domain(&self, case: Case) -> String {
        self.pick(case, self.team.domain, self.team.domain, self.team.domain, self.theirs.domain, MISSING)
    }

    fn request(&self, case: Case) -> String {
        let t = &self.team;
        self.pick(case, &t.request, &t.request, &t.request, &self.theirs.request, "R-987654321")
    }

    fn quote(&self, case: Case) -> String {
        let t = &self.team;
        self.pick(case, &t.quote, &t.quote, &t.quote, &self.theirs.quote, "Q-987654321")
    }

    /// A path to an attachment: Ben's, Müller's, or none.
    fn quote_file(&self, base: &str, case: Case) -> String {
        let t = &self.team;
        match case {
            Case::Foreign => format!("{base}/{}/files/{}", self.theirs.quote, self.theirs.quote_file),
            Case::Missing => format!("{base}/Q-987654321/files/{MISSING}"),
            _ => format!("{base}/{}/files/{}", t.submitted_quote, t.quote_file),
        }
    }

    fn invoice(&self, case: Case) -> String {
        self.pick(
            case,
            &self.team.invoice,
            &self.team.invoice,
            &self.team.invoice,
            &self.theirs.invoice,
            "INV-987654321",
        )
    }

    fn rule(&self, case: Case) -> String {
        self.pick(case, self.team.rule, self.team.rule, self.team.rule, self.theirs.rule, MISSING)
    }

    fn join_request(&self, case: Case) -> String {
        let t = &self.team;
        self.pick(case, t.join_request, t.join_request, t.join_request, self.theirs.join_request, MISSING)
    }
}

async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn call_ok(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> Value {
    let (status, body) = json(app.call(endpoint, form).await).await;
    assert_eq!(status, 200, "fixture {endpoint}: {body}");
    body
}

async fn insert_id(app: &TestApp, sql: &str, a: i64, b: i64) -> i64 {
    let (id,): (i64,) = sqlx::query_as(sql).bind(a).bind(b).fetch_one(&app.pool).await.unwrap();
    id
}

async fn id_where(app: &TestApp, sql: &str, a: &str, b: i64) -> i64 {
    let (id,): (i64,) = sqlx::query_as(sql).bind(a).bind(b).fetch_one(&app.pool).await.unwrap();
    id
}

/// A priced, orderable SKU of the signed-in member's catalog (of one of `only`'s products when
/// given), its minimum quantity and its product's slug.
async fn orderable(app: &TestApp, only: Option<&BTreeSet<String>>) -> (String, String, String) {
    for page in 1..100 {
        let list = call_ok(app, "catalog/list", &[("page", &page.to_string())]).await;
        for p in list["products"].as_array().unwrap() {
            let slug = p["slug"].as_str().unwrap();
            if only.is_some_and(|o| !o.contains(slug)) {
                continue;
            }
            let product = call_ok(app, "catalog/product", &[("slug", slug)]).await;
            for v in product["variants"].as_array().unwrap() {
                if v["quote_only"] == false && !v["tiers"].as_array().unwrap().is_empty() {
                    return (v["sku"].as_str().unwrap().to_string(), v["rule"]["min"].to_string(), slug.to_string());
                }
            }
        }
        if list["has_next"] != true {
            break;
        }
    }
    panic!("no orderable product in the member's catalog");
}

async fn create_list(app: &TestApp, name: &str, shared: bool) -> i64 {
    let shared = if shared { "on" } else { "" };
    call_ok(app, "lists/create", &[("name", name), ("shared", shared)]).await["id"].as_i64().unwrap()
}

async fn place(app: &TestApp, po: &str) -> String {
    let checkout = call_ok(app, "orders/checkout", &[]).await;
    let placed = call_ok(
        app,
        "orders/place",
        &[
            ("idempotency_key", checkout["idempotency_key"].as_str().unwrap()),
            ("fingerprint", checkout["cart"]["fingerprint"].as_str().unwrap()),
            ("ship_to", &checkout["default_ship_to"].to_string()),
            ("po_number", po),
        ],
    )
    .await;
    placed["Placed"]["number"].as_str().unwrap_or_else(|| panic!("not placed: {placed}")).to_string()
}

async fn fixtures(app: &TestApp) -> Fx {
    let acme = app.company_id("Acme Builders").await;
    let mueller = app.company_id("Müller Haustechnik GmbH").await;
    let member_sql =
        "SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = $1 AND m.company_id = $2";

    // Müller's records, made by Anna: a product only Müller's catalog holds, renamed to a marker;
    // a shared list holding it; an order with a marked PO number; a line left in her cart.
    let europe_only: Vec<(String,)> = sqlx::query_as(
        "SELECT p.slug FROM products p JOIN catalog_products cp ON cp.product_id = p.id JOIN catalogs c ON c.id = cp.catalog_id \
         WHERE c.code = 'EUROPE' AND NOT EXISTS (SELECT 1 FROM catalog_products o WHERE o.product_id = p.id AND o.catalog_id <> c.id)",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let europe_only: BTreeSet<String> = europe_only.into_iter().map(|(s,)| s).collect();
    app.login_as("anna@mueller.example").await;
    let (sku, quantity, slug) = orderable(app, Some(&europe_only)).await;
    sqlx::query("UPDATE product_texts SET name = $1 WHERE product_id = (SELECT id FROM products WHERE slug = $2)")
        .bind(MUELLER_PRODUCT)
        .bind(&slug)
        .execute(&app.pool)
        .await
        .unwrap();
    let list = create_list(app, MUELLER_LIST, true).await;
    let line = call_ok(app, "lists/add", &[("list", &list.to_string()), ("sku", &sku), ("quantity", &quantity)]).await;
    assert_eq!(line, Value::Null, "Anna's list line: {line}");
    let add = [("lines[0][sku]", sku.as_str()), ("lines[0][quantity]", quantity.as_str())];
    assert_eq!(call_ok(app, "cart/add", &add).await["added"], 1);
    let order = place(app, MUELLER_PO).await;
    assert_eq!(call_ok(app, "cart/add", &add).await["added"], 1);
    // Her team: a custom role, an invitation, a verified domain, a join request.
    let role = call_ok(app, "team/save_role", &[("name", MUELLER_ROLE), ("permissions[0]", "catalog.view")]).await;
    let buyer_role =
        app.id_of("SELECT id FROM roles WHERE company_id IS NULL AND code = $1", "buyer").await.to_string();
    let invitation = call_ok(
        app,
        "team/invite",
        &[("email", "leakmark.invitee@mueller.example"), ("role", &buyer_role), ("locale", "de")],
    )
    .await;
    app.logout().await;
    // Her sign-in left a German language cookie behind.
    call_ok(app, "prefs/set_locale", &[("locale", "en")]).await;
    let theirs = Theirs {
        company: mueller,
        list,
        order,
        location: app.id_of("SELECT id FROM locations WHERE name = $1", "Zentrale München").await,
        member: id_where(app, member_sql, "anna@mueller.example", mueller).await,
        sku,
        slug,
        role: role.as_i64().unwrap(),
        invitation: invitation.as_i64().unwrap(),
        domain: insert_id(
            app,
            "INSERT INTO company_domains (company_id, domain, policy, join_role_id, verified_at, verified_by) \
             VALUES ($1, 'leakmark-mueller.example', 'ask', NULL, 1, $2) RETURNING id",
            mueller,
            id_where(app, member_sql, "anna@mueller.example", mueller).await,
        )
        .await,
        join_request: insert_id(
            app,
            "INSERT INTO join_requests (company_id, user_id, status, created_at) VALUES ($1, $2, 'pending', 1) RETURNING id",
            mueller,
            app.id_of("SELECT id FROM users WHERE email = $1", "kenji@kanto.example").await,
        )
        .await,
        request: app::domain::approval::request_number(
            insert_id(
                app,
                "INSERT INTO purchase_requests (company_id, requested_by, location_id, status, po_number, note, payment_terms, \
                 currency, total_minor, line_count, fingerprint, idempotency_key, reasons, steps, created_at, expires_at) \
                 VALUES ($1, $2, (SELECT id FROM locations WHERE name = 'Zentrale München'), 'pending', 'LEAKMARK-PO-REQUEST', '', \
                 'net30', 'EUR', 100, 1, 'x', 'leak-matrix', 'no_permission', '', 1, 99999999999) RETURNING id",
                mueller,
                id_where(app, member_sql, "anna@mueller.example", mueller).await,
            )
            .await,
        ),
        rule: insert_id(
            app,
            "INSERT INTO approval_rules (company_id, kind, value, first_role_id, created_at) \
             VALUES ($1, 'total_above', $2, (SELECT id FROM roles WHERE company_id IS NULL AND code = 'admin'), 1) RETURNING id",
            mueller,
            100,
        )
        .await,
        quote: String::new(),
        quote_file: 0,
        invoice: String::new(),
    };

    // Müller's quote with a marked note and an attachment.
    let mueller_quote = insert_id(
        app,
        "INSERT INTO quotes (company_id, requested_by, location_id, status, currency, note, idempotency_key, created_at, updated_at) \
         VALUES ($1, $2, (SELECT id FROM locations WHERE name = 'Zentrale München'), 'submitted', 'EUR', 'LEAKMARK quote note', \
         'leak-matrix', 1, 1) RETURNING id",
        mueller,
        theirs.member,
    )
    .await;
    let (mueller_file,): (i64,) = sqlx::query_as(
        "INSERT INTO quote_attachments (quote_id, file_name, content_type, size_bytes, bytes, created_at) \
         VALUES ($1, 'LEAKMARK.csv', 'text/csv; charset=utf-8', 12, $2, 1) RETURNING id",
    )
    .bind(mueller_quote)
    .bind(b"LEAKMARK,1\n".to_vec())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mueller_invoice =
        app.id_of("SELECT MIN(id) FROM invoices WHERE company_id = CAST($1 AS BIGINT)", &mueller.to_string()).await;
    let theirs = Theirs {
        quote: app::domain::quote::quote_number(mueller_quote),
        quote_file: mueller_file,
        invoice: app::domain::invoice::invoice_number(mueller_invoice),
        ..theirs
    };

    // Acme's team records: the demo's, and an invitation to revoke.
    app.login_as("admin@acme.example").await;
    let doomed = call_ok(
        app,
        "team/invite",
        &[("email", "doomed@acme-partner.example"), ("role", &buyer_role), ("locale", "en")],
    )
    .await;
    app.logout().await;
    let team = Team {
        role: app.id_of("SELECT id FROM roles WHERE name = $1", "Site buyer").await,
        invitation: app.id_of("SELECT id FROM invitations WHERE email = $1", "new.hire@acme.example").await,
        doomed_invitation: doomed.as_i64().unwrap(),
        domain: app.id_of("SELECT id FROM company_domains WHERE domain = $1", "acme.example").await,
        join_request: app
            .id_of(
                "SELECT j.id FROM join_requests j JOIN users u ON u.id = j.user_id WHERE u.email = $1",
                "jordan@acme.example",
            )
            .await,
        request: app::domain::approval::request_number(
            app.id_of("SELECT id FROM purchase_requests WHERE idempotency_key = $1", "demo-request-pending").await,
        ),
        rule: app.id_of("SELECT id FROM approval_rules WHERE kind = $1", "total_above").await,
        quote: app::domain::quote::quote_number(
            app.id_of("SELECT id FROM quotes WHERE idempotency_key = $1", "demo-quote-offered").await,
        ),
        submitted_quote: app::domain::quote::quote_number(
            app.id_of("SELECT id FROM quotes WHERE idempotency_key = $1", "demo-quote-submitted").await,
        ),
        quote_file: app
            .id_of(
                "SELECT a.id FROM quote_attachments a JOIN quotes q ON q.id = a.quote_id WHERE q.idempotency_key = $1",
                "demo-quote-submitted",
            )
            .await,
        invoice: app::domain::invoice::invoice_number(
            app.id_of("SELECT MIN(id) FROM invoices WHERE company_id = CAST($1 AS BIGINT)", &acme.to_string()).await,
        ),
    };

    // Acme's: each member's location, SKU and lists; orders from the demo history.
    let mut mine: HashMap<Caller, Mine> = HashMap::new();
    for caller in MEMBERS {
        let email = caller.email().unwrap();
        app.login_as(email).await;
        let shell = call_ok(app, "session/shell", &[]).await;
        let location = shell["location_id"].as_i64().expect("a member has a location");
        let (sku, quantity, slug) = orderable(app, None).await;
        let mut m = Mine {
            member: id_where(app, member_sql, email, acme).await,
            name: shell["user_name"].as_str().unwrap().to_string(),
            location,
            ship_to: location,
            sku,
            quantity,
            slug,
            order: String::new(),
            colleague_order: String::new(),
            colleague_member: 0,
            list: 0,
            list_name: format!("Acme {caller:?} private list"),
            doomed_list: 0,
            colleague_list: 0,
            shared_list: 0,
        };
        if caller.may(Permission::CartManage) {
            m.ship_to = call_ok(app, "orders/checkout", &[]).await["default_ship_to"].as_i64().unwrap();
            m.list = create_list(app, &m.list_name, false).await;
            let line =
                call_ok(app, "lists/add", &[("list", &m.list.to_string()), ("sku", &m.sku), ("quantity", &m.quantity)])
                    .await;
            assert_eq!(line, Value::Null, "{caller:?}'s list line: {line}");
            m.doomed_list = create_list(app, &format!("Acme {caller:?} list to delete"), false).await;
            m.shared_list = create_list(app, &format!("Acme {caller:?} shared list"), true).await;
        }
        app.logout().await;
        mine.insert(caller, m);
    }
    let orders_of = |member: i64| async move {
        let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM orders WHERE placed_by = $1 ORDER BY id")
            .bind(member)
            .fetch_all(&app.pool)
            .await
            .unwrap();
        ids.into_iter().map(|(id,)| id).collect::<Vec<_>>()
    };
    let admins = orders_of(mine[&Caller::Admin].member).await;
    let bens = orders_of(mine[&Caller::Buyer].member).await;
    assert!(!admins.is_empty() && bens.len() >= 3, "demo order history");
    // A requester's orders wait for an approval flow that is not built yet, and finance places
    // none: each is given one of Ben's demo orders.
    for (caller, id) in [(Caller::Requester, bens[1]), (Caller::Finance, bens[2])] {
        sqlx::query("UPDATE orders SET placed_by = $1 WHERE id = $2")
            .bind(mine[&caller].member)
            .bind(id)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let number = |id: i64| OrderNumber::from_id(app::domain::ids::OrderId(id)).to_string();
    let buyer = mine[&Caller::Buyer].clone();
    let admin = mine[&Caller::Admin].clone();
    for (caller, m) in mine.iter_mut() {
        // The colleague is Ben, and Dana for Ben himself.
        let colleague = if *caller == Caller::Buyer { &admin } else { &buyer };
        m.order = number(match caller {
            Caller::Admin => admins[0],
            Caller::Buyer => bens[0],
            Caller::Requester => bens[1],
            _ => bens[2],
        });
        m.colleague_order = number(if *caller == Caller::Buyer { admins[0] } else { bens[0] });
        m.colleague_member = colleague.member;
        m.colleague_list = colleague.list;
        m.shared_list = colleague.shared_list;
        if !caller.may(Permission::CartManage) {
            // Stopped by the guard before any list is looked at; Ben's ids are as good as any.
            m.list = buyer.list;
            m.doomed_list = buyer.doomed_list;
        }
    }

    let mut markers: Vec<String> =
        ["LEAKMARK", "Müller", "mueller.example", "München", "kanto.example", "$argon2"].map(String::from).to_vec();
    markers.push(theirs.slug.clone());
    let admin_role = app.id_of("SELECT id FROM roles WHERE company_id IS NULL AND code = $1", "admin").await;
    Fx { acme, admin_role, team, mine, theirs, markers }
}

// ---------------------------------------------------------------------------------------------
// The server functions: one row each.

enum Args {
    Form(Vec<(&'static str, String)>),
    /// Query parameters of a GET server function (an island's `fetch`).
    Get(Vec<(&'static str, String)>),
    /// Text fields of a multipart form (the quote forms).
    Multipart(Vec<(&'static str, String)>),
    /// A one-row CSV file for the multipart upload.
    Csv {
        sku: String,
        quantity: String,
    },
}

fn form(pairs: &[(&'static str, &str)]) -> Args {
    Args::Form(pairs.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

fn get(pairs: &[(&'static str, &str)]) -> Args {
    Args::Get(pairs.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

impl Args {
    fn values(&self) -> Vec<(&str, &str)> {
        match self {
            Args::Form(pairs) | Args::Get(pairs) | Args::Multipart(pairs) => {
                pairs.iter().map(|(k, v)| (*k, v.as_str())).collect()
            }
            Args::Csv { sku, quantity } => vec![("sku", sku.as_str()), ("quantity", quantity.as_str())],
        }
    }
}

/// How another company's answer must match the missing id's.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Same {
    /// Byte for byte, once the id itself (echoed input, e.g. a typed SKU) is blanked out.
    Bytes,
    /// The same, except that a SKU the merchant sells only to others is reported `NotInCatalog`
    /// where an unknown SKU is `UnknownSku`. A product decision (the buyer learns that the
    /// merchant has the SKU, so they stop retyping it); no name, price or rule of the product
    /// is sent, which the markers check.
    ButNotInCatalog,
}

type Check = fn(&Fx, Caller, Case, &Value) -> Result<(), String>;

struct Row {
    endpoint: &'static str,
    guard: Guard,
    cases: &'static [Case],
    args: fn(&Fx, Caller, Case) -> Args,
    /// The status once the guard has let the caller through.
    ok: fn(Caller, Case) -> u16,
    /// What a 200 must also hold.
    check: Check,
    same: Same,
}

fn no_args(_: &Fx, _: Caller, _: Case) -> Args {
    form(&[])
}
fn ok_200(_: Caller, _: Case) -> u16 {
    200
}
/// A record: the caller's own is there, anything else is NotFound.
fn own_only(_: Caller, case: Case) -> u16 {
    if case == Case::Own {
        200
    } else {
        404
    }
}
/// An order: the caller's own, or any of the company's with `orders.view_all`.
fn order_status(caller: Caller, case: Case) -> u16 {
    match case {
        Case::Own => 200,
        Case::Colleague if caller.may(Permission::OrdersViewAll) => 200,
        _ => 404,
    }
}
/// Seeing a list: the caller's own or a shared one.
fn list_read(_: Caller, case: Case) -> u16 {
    match case {
        Case::Own | Case::Shared => 200,
        _ => 404,
    }
}
/// Rita's request: hers, and visible to whoever approves or sees every order.
fn request_read(c: Caller, case: Case) -> u16 {
    let sees = c == Caller::Requester || c.may(Permission::OrdersApprove) || c.may(Permission::OrdersViewAll);
    if case == Case::Colleague && sees {
        200
    } else {
        404
    }
}
/// Ben's quote: his, and the company's for whoever sees every quote (the Admin).
fn quote_read(c: Caller, case: Case) -> u16 {
    if case == Case::Colleague && (c == Caller::Buyer || c.may(Permission::QuotesViewAll)) {
        200
    } else {
        404
    }
}
/// An answer the quote's state refuses (422) for who sees it; NotFound for anyone else.
fn quote_refused(c: Caller, case: Case) -> u16 {
    if quote_read(c, case) == 200 {
        422
    } else {
        404
    }
}
/// The desk sees every company's quote; a refused action there is 422.
fn desk_refused(_: Caller, case: Case) -> u16 {
    if case == Case::Missing {
        404
    } else {
        422
    }
}
/// Changing a list: only its owner; a shared one is visible, so that is Forbidden.
fn list_write(_: Caller, case: Case) -> u16 {
    match case {
        Case::Own => 200,
        Case::Shared => 403,
        _ => 404,
    }
}
/// A search: the caller's own SKU is among the answers.
fn own_sku_found(fx: &Fx, c: Caller, case: Case, body: &Value) -> Result<(), String> {
    let sku = &fx.mine(c).sku;
    expect(case != Case::Own || body.to_string().contains(sku.as_str()), || format!("{sku} not found"))
}
fn no_check(_: &Fx, _: Caller, _: Case, _: &Value) -> Result<(), String> {
    Ok(())
}
fn expect(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(what())
    }
}

const ROW: Row = Row {
    endpoint: "",
    guard: Guard::Public,
    cases: NO_ID,
    args: no_args,
    ok: ok_200,
    check: no_check,
    same: Same::Bytes,
};

/// In the order they run for each caller: reads, then what fills the cart (placing needs a
/// line), then lists (a list is deleted last), then the session (signing out last).
fn server_fn_rows() -> Vec<Row> {
    use Case::*;
    use Permission::*;
    let cart = Guard::Needs(CartManage);
    let team = Guard::Needs(TeamManage);
    // A one-row CSV file of the caller's SKU, one only Müller's holds, or none (three endpoints
    // take it: the JSON report, the HTML report, the no-JS redirect to quick order).
    let csv =
        |fx: &Fx, c: Caller, case: Case| Args::Csv { sku: fx.sku(c, case), quantity: fx.mine(c).quantity.clone() };
    let csv_row = Row { guard: cart, cases: ID_CASES, same: Same::ButNotInCatalog, ..ROW };
    let lines = |fx: &Fx, c: Caller, case: Case| {
        let quantity = if case == Own { fx.mine(c).quantity.clone() } else { "1".to_string() };
        form(&[("lines[0][sku]", &fx.sku(c, case)), ("lines[0][quantity]", &quantity)])
    };
    vec![
        // Reads.
        Row { endpoint: "catalog/list", guard: Guard::Needs(CatalogView), ..ROW },
        Row {
            endpoint: "catalog/product",
            guard: Guard::Needs(CatalogView),
            cases: ID_CASES,
            args: |fx, c, case| form(&[("slug", &fx.slug(c, case))]),
            ok: own_only,
            ..ROW
        },
        Row {
            endpoint: "search/suggest_html",
            guard: Guard::Needs(CatalogView),
            cases: ID_CASES,
            args: |fx, c, case| get(&[("q", &fx.sku(c, case))]),
            check: own_sku_found,
            ..ROW
        },
        Row {
            endpoint: "search/suggest",
            guard: Guard::Needs(CatalogView),
            cases: ID_CASES,
            args: |fx, c, case| form(&[("q", &fx.sku(c, case))]),
            check: own_sku_found,
            ..ROW
        },
        Row {
            endpoint: "search/query",
            guard: Guard::Needs(CatalogView),
            cases: ID_CASES,
            args: |fx, c, case| form(&[("q", &fx.sku(c, case))]),
            check: own_sku_found,
            ..ROW
        },
        Row { endpoint: "cart/get", guard: cart, ..ROW },
        Row { endpoint: "orders/checkout", guard: cart, ..ROW },
        Row { endpoint: "orders/buy_again", guard: Guard::Needs(CatalogView), ..ROW },
        Row {
            endpoint: "orders/list",
            guard: Guard::Needs(CatalogView),
            // Filtered by a location and a member: the caller's, Müller's, nobody's.
            cases: &[NoId, Own, Foreign, Missing],
            args: |fx, c, case| match case {
                NoId => form(&[]),
                _ => form(&[("location", &fx.location(c, case)), ("placed_by", &fx.member(c, case))]),
            },
            check: |fx, c, case, body| {
                let rows = body["rows"].as_array().ok_or("no rows")?;
                let names: BTreeSet<&str> = rows.iter().filter_map(|r| r["placed_by"].as_str()).collect();
                if case != NoId {
                    return Ok(());
                }
                if c.may(OrdersViewAll) {
                    expect(names.contains("Ben Carter") && names.contains("Dana Whitfield"), || {
                        format!("orders.view_all sees everyone's orders: {names:?}")
                    })
                } else {
                    let own = fx.mine(c).name.as_str();
                    expect(!rows.is_empty() && names == BTreeSet::from([own]), || {
                        format!("only {own}'s orders without orders.view_all: {names:?}")
                    })
                }
            },
            ..ROW
        },
        Row {
            endpoint: "orders/get",
            guard: Guard::Needs(CatalogView),
            cases: &[Own, Colleague, Foreign, Missing],
            args: |fx, c, case| form(&[("number", &fx.order(c, case))]),
            ok: order_status,
            check: |fx, c, case, body| {
                let number = fx.order(c, case);
                expect(body["number"] == number.as_str(), || format!("not order {number}"))
            },
            ..ROW
        },
        Row {
            endpoint: "lists/all",
            guard: cart,
            check: |fx, c, _, body| {
                let m = fx.mine(c);
                let names: Vec<&str> =
                    body.as_array().ok_or("not a list")?.iter().filter_map(|l| l["name"].as_str()).collect();
                expect(names.contains(&m.list_name.as_str()), || format!("own list missing: {names:?}"))?;
                expect(names.iter().all(|n| !n.contains("private") || *n == m.list_name), || {
                    format!("a colleague's private list is listed: {names:?}")
                })
            },
            ..ROW
        },
        Row {
            endpoint: "lists/get",
            guard: cart,
            cases: &[Own, Colleague, Shared, Foreign, Missing],
            args: |fx, c, case| form(&[("id", &fx.list(c, case))]),
            ok: list_read,
            check: |fx, c, case, body| {
                let id = fx.list(c, case);
                expect(body["summary"]["id"].to_string() == id, || format!("not list {id}"))
            },
            ..ROW
        },
        Row {
            endpoint: "team/company",
            guard: Guard::Needs(CatalogView),
            cases: ID_CASES,
            args: |fx, c, case| form(&[("id", &fx.company(c, case))]),
            ok: own_only,
            check: |_, _, _, body| expect(body["name"] == "Acme Builders", || "not Acme".into()),
            ..ROW
        },
        Row {
            endpoint: "team/location",
            guard: Guard::Needs(CatalogView),
            cases: ID_CASES,
            args: |fx, c, case| form(&[("id", &fx.location(c, case))]),
            ok: own_only,
            ..ROW
        },
        Row {
            endpoint: "team/member",
            guard: Guard::Needs(TeamManage),
            cases: &[Own, Colleague, Foreign, Missing],
            args: |fx, c, case| form(&[("id", &fx.member(c, case))]),
            // Managing the team means seeing every member of it.
            ok: |_, case| if matches!(case, Own | Colleague) { 200 } else { 404 },
            ..ROW
        },
        Row {
            endpoint: "team/members",
            guard: Guard::Needs(TeamManage),
            check: |_, _, _, body| {
                let emails: Vec<&str> = body["members"]
                    .as_array()
                    .ok_or("not a list")?
                    .iter()
                    .filter_map(|m| m["email"].as_str())
                    .collect();
                expect(emails.contains(&"buyer@acme.example") && emails.contains(&"multi@example.com"), || {
                    format!("Acme's members missing: {emails:?}")
                })
            },
            ..ROW
        },
        // The team (only an admin passes the guard). Changes carry a stale version ("0"):
        // the caller's own company's member answers "changed meanwhile", anyone else's NotFound.
        Row { endpoint: "team/locations", guard: team, ..ROW },
        Row { endpoint: "team/invitations", guard: team, ..ROW },
        Row { endpoint: "team/domains", guard: team, ..ROW },
        Row { endpoint: "team/join_requests", guard: team, ..ROW },
        Row {
            endpoint: "team/roles",
            guard: team,
            check: |_, _, _, body| {
                expect(body.to_string().contains("Site buyer"), || "Acme's custom role missing".into())
            },
            ..ROW
        },
        Row { endpoint: "team/audit", guard: Guard::Needs(AuditView), ..ROW },
        Row {
            endpoint: "team/update_member",
            guard: team,
            cases: &[Own, Colleague, Foreign, Missing],
            args: |fx, c, case| form(&[("member", &fx.member(c, case)), ("role", &fx.role(Own)), ("version", "0")]),
            ok: |_, case| if matches!(case, Own | Colleague) { 422 } else { 404 },
            ..ROW
        },
        Row {
            endpoint: "team/set_active",
            guard: team,
            cases: &[Own, Colleague, Foreign, Missing],
            args: |fx, c, case| form(&[("member", &fx.member(c, case)), ("version", "0")]),
            ok: |_, case| if matches!(case, Own | Colleague) { 422 } else { 404 },
            ..ROW
        },
        Row {
            endpoint: "team/save_role",
            guard: team,
            cases: &[NoId, Own, Foreign, Missing],
            // Without a role: a new one with no permissions (refused). With one: a stale edit.
            args: |fx, _, case| match case {
                NoId => form(&[("name", "Matrix role")]),
                _ => form(&[
                    ("role", &fx.role(case)),
                    ("version", "0"),
                    ("name", "Matrix"),
                    ("permissions[0]", "catalog.view"),
                ]),
            },
            ok: |_, case| if matches!(case, NoId | Own) { 422 } else { 404 },
            ..ROW
        },
        Row {
            endpoint: "team/delete_role",
            guard: team,
            cases: ID_CASES,
            args: |fx, _, case| form(&[("role", &fx.role(case))]),
            // Site buyer is in use.
            ok: |_, case| if case == Own { 422 } else { 404 },
            ..ROW
        },
        Row {
            endpoint: "team/invite",
            guard: team,
            // To the caller's own location, Müller's, none.
            cases: ID_CASES,
            args: |fx, c, case| {
                let email = format!("matrix-{c:?}-{case:?}@acme-partner.example").to_lowercase();
                form(&[
                    ("email", &email),
                    ("role", &fx.role(Own)),
                    ("locations[0]", &fx.location(c, case)),
                    ("locale", "en"),
                ])
            },
            ok: own_only,
            ..ROW
        },
        Row {
            endpoint: "team/resend_invitation",
            guard: team,
            cases: ID_CASES,
            args: |fx, _, case| form(&[("invitation", &fx.invitation(case))]),
            ok: own_only,
            ..ROW
        },
        Row {
            endpoint: "team/revoke_invitation",
            guard: team,
            cases: ID_CASES,
            args: |fx, _, case| form(&[("invitation", &fx.doomed_invitation(case))]),
            ok: own_only,
            ..ROW
        },
        // acme.example is verified already.
        Row { endpoint: "team/verify_domain", guard: team, ok: |_, _| 422, ..ROW },
        Row {
            endpoint: "team/domain_policy",
            guard: team,
            cases: ID_CASES,
            args: |fx, _, case| form(&[("domain", &fx.domain(case)), ("join_as", "")]),
            ok: own_only,
            ..ROW
        },
        Row {
            endpoint: "team/decide_join",
            guard: team,
            cases: ID_CASES,
            args: |fx, _, case| form(&[("request", &fx.join_request(case)), ("decline", "on")]),
            ok: own_only,
            ..ROW
        },
        // Links from mails: public, and a made-up token is "no longer valid" for everyone.
        Row { endpoint: "invitations/view", args: |_, _, _| form(&[("token", BOGUS_TOKEN)]), ok: |_, _| 422, ..ROW },
        Row {
            endpoint: "invitations/accept",
            args: |_, _, _| form(&[("token", BOGUS_TOKEN), ("name", "X"), ("password", "long enough pw")]),
            ok: |_, _| 422,
            ..ROW
        },
        Row {
            endpoint: "join/start",
            args: |_, c, _| form(&[("email", &format!("matrix-{c:?}@unverified.example").to_lowercase())]),
            ..ROW
        },
        Row { endpoint: "join/view", args: |_, _, _| form(&[("token", BOGUS_TOKEN)]), ok: |_, _| 422, ..ROW },
        Row {
            endpoint: "join/complete",
            args: |_, _, _| form(&[("token", BOGUS_TOKEN), ("name", "X"), ("password", "long enough pw")]),
            ok: |_, _| 422,
            ..ROW
        },
        Row { endpoint: "domains/view", args: |_, _, _| form(&[("token", BOGUS_TOKEN)]), ok: |_, _| 422, ..ROW },
        Row { endpoint: "domains/confirm", args: |_, _, _| form(&[("token", BOGUS_TOKEN)]), ok: |_, _| 422, ..ROW },
        Row {
            endpoint: "auth/forgot",
            args: |_, c, _| form(&[("email", &format!("matrix-{c:?}@acme.example").to_lowercase())]),
            ..ROW
        },
        Row { endpoint: "auth/reset_link", args: |_, _, _| form(&[("token", BOGUS_TOKEN)]), ..ROW },
        Row {
            endpoint: "auth/reset",
            args: |_, _, _| form(&[("token", BOGUS_TOKEN), ("password", "long enough pw")]),
            ok: |_, _| 422,
            ..ROW
        },
        // The person's own account.
        Row { endpoint: "account/get", guard: Guard::SignedIn, ..ROW },
        Row {
            endpoint: "account/update",
            guard: Guard::SignedIn,
            // Their own name again (later rows look for it).
            args: |fx, c, _| {
                let name = if c == Caller::Staff { "Sam Porter".to_string() } else { fx.mine(c).name.clone() };
                form(&[("name", &name), ("locale", "en")])
            },
            ..ROW
        },
        Row {
            endpoint: "account/change_password",
            guard: Guard::SignedIn,
            args: |_, _, _| form(&[("current", "not-the-password"), ("new", "long enough pw")]),
            ok: |_, _| 422,
            ..ROW
        },
        Row { endpoint: "account/sign_out_elsewhere", guard: Guard::SignedIn, ..ROW },
        // Purchase requests: Rita's pending demo request is her own; approvers and
        // orders.view_all see it; the buyer does not. Decisions carry a stale version ("0").
        Row { endpoint: "approvals/requests", guard: Guard::Needs(CatalogView), ..ROW },
        Row { endpoint: "approvals/queue", guard: Guard::Needs(OrdersApprove), ..ROW },
        Row { endpoint: "approvals/decided", guard: Guard::Needs(OrdersApprove), ..ROW },
        Row {
            endpoint: "approvals/get",
            guard: Guard::Needs(CatalogView),
            cases: &[Colleague, Foreign, Missing],
            args: |fx, _, case| form(&[("number", &fx.request(case))]),
            ok: request_read,
            ..ROW
        },
        Row {
            endpoint: "approvals/approve",
            guard: Guard::Needs(OrdersApprove),
            cases: &[Colleague, Foreign, Missing],
            args: |fx, _, case| form(&[("number", &fx.request(case)), ("version", "0")]),
            ok: |_, case| if case == Colleague { 422 } else { 404 },
            ..ROW
        },
        Row {
            endpoint: "approvals/reject",
            guard: Guard::Needs(OrdersApprove),
            cases: &[Colleague, Foreign, Missing],
            args: |fx, _, case| form(&[("number", &fx.request(case)), ("version", "0"), ("comment", "no")]),
            ok: |_, case| if case == Colleague { 422 } else { 404 },
            ..ROW
        },
        Row {
            endpoint: "approvals/cancel",
            guard: cart,
            cases: &[Colleague, Foreign, Missing],
            args: |fx, _, case| form(&[("number", &fx.request(case)), ("version", "0")]),
            // Only the requester cancels (and her version is stale).
            ok: |c, case| if case == Colleague && c == Caller::Requester { 422 } else { 404 },
            ..ROW
        },
        Row {
            endpoint: "approvals/to_cart",
            guard: cart,
            cases: &[Colleague, Foreign, Missing],
            args: |fx, _, case| form(&[("number", &fx.request(case))]),
            // Still pending: nothing to copy.
            ok: |c, case| if case == Colleague && c == Caller::Requester { 422 } else { 404 },
            ..ROW
        },
        Row { endpoint: "approvals/settings", guard: Guard::Needs(ApprovalsManage), ..ROW },
        Row {
            endpoint: "approvals/add_rule",
            guard: Guard::Needs(ApprovalsManage),
            cases: ID_CASES,
            args: |fx, c, case| {
                form(&[("kind", "location"), ("value", &fx.location(c, case)), ("first", &fx.admin_role.to_string())])
            },
            ok: own_only,
            ..ROW
        },
        Row {
            endpoint: "approvals/delete_rule",
            guard: Guard::Needs(ApprovalsManage),
            cases: ID_CASES,
            args: |fx, _, case| form(&[("rule", &fx.rule(case))]),
            ok: own_only,
            ..ROW
        },
        Row {
            endpoint: "approvals/set_limits",
            guard: Guard::Needs(ApprovalsManage),
            cases: &[Own, Colleague, Foreign, Missing],
            args: |fx, c, case| form(&[("member", &fx.member(c, case)), ("per_order", ""), ("per_month", "")]),
            ok: |_, case| if matches!(case, Own | Colleague) { 200 } else { 404 },
            ..ROW
        },
        // Quotes: Ben's offered demo quote is the colleague record (the Admin sees every quote);
        // the desk sees every company's. Answers the state refuses are 422.
        Row { endpoint: "quotes/list", guard: Guard::Needs(QuotesRequest), ..ROW },
        Row {
            endpoint: "quotes/get",
            guard: Guard::Needs(QuotesRequest),
            cases: &[Colleague, Foreign, Missing],
            args: |fx, _, case| form(&[("number", &fx.quote(case))]),
            ok: quote_read,
            ..ROW
        },
        Row {
            endpoint: "quotes/answer",
            guard: Guard::Needs(CatalogView),
            cases: &[Colleague, Foreign, Missing],
            args: |fx, _, case| form(&[("number", &fx.quote(case)), ("action", "withdraw"), ("revision", "0")]),
            ok: quote_refused,
            ..ROW
        },
        Row {
            endpoint: "quotes/message",
            guard: Guard::Needs(QuotesRequest),
            cases: &[Colleague, Foreign, Missing],
            args: |fx, _, case| Args::Multipart(vec![("number", fx.quote(case)), ("body", String::new())]),
            ok: quote_refused,
            ..ROW
        },
        Row {
            endpoint: "quotes/request",
            guard: Guard::Needs(QuotesRequest),
            cases: ID_CASES,
            args: |fx, c, case| {
                Args::Multipart(vec![
                    ("key", format!("leak-{c:?}-{case:?}")),
                    ("sku_0", fx.sku(c, case)),
                    ("quantity_0", fx.mine(c).quantity.clone()),
                    ("note", String::new()),
                ])
            },
            ok: |_, case| if case == Own { 200 } else { 422 },
            ..ROW
        },
        Row {
            endpoint: "quotes/checkout",
            guard: Guard::Needs(QuotesAccept),
            cases: &[Colleague, Foreign, Missing],
            args: |fx, _, case| form(&[("number", &fx.quote(case))]),
            ok: quote_read,
            ..ROW
        },
        Row {
            endpoint: "quotes/place",
            guard: Guard::Needs(QuotesAccept),
            cases: &[Colleague, Foreign, Missing],
            args: |fx, c, case| {
                form(&[
                    ("number", &fx.quote(case)),
                    ("idempotency_key", &format!("leak-place-{c:?}-{case:?}")),
                    ("fingerprint", "0"),
                    ("ship_to", &fx.mine(c).ship_to.to_string()),
                ])
            },
            ok: quote_refused,
            ..ROW
        },
        Row { endpoint: "staff/quotes", guard: Guard::Staff, ..ROW },
        // The search desk: staff only. A synonym that says nothing valid is 422 (nothing is
        // added), an unknown one 404.
        Row { endpoint: "staff/search", guard: Guard::Staff, ..ROW },
        Row {
            endpoint: "staff/add_synonym",
            guard: Guard::Staff,
            args: |_, _, _| form(&[("language", "xx"), ("kind", "one_way"), ("term", ""), ("synonyms", "")]),
            ok: |_, _| 422,
            ..ROW
        },
        Row {
            endpoint: "staff/remove_synonym",
            guard: Guard::Staff,
            args: |_, _, _| form(&[("id", "987654321")]),
            ok: |_, _| 404,
            ..ROW
        },
        // The payments desk: staff only; a payment that says nothing valid is 422, an unknown
        // invoice 404.
        Row { endpoint: "staff/invoices", guard: Guard::Staff, ..ROW },
        Row {
            endpoint: "staff/record_payment",
            guard: Guard::Staff,
            cases: &[Colleague, Missing],
            args: |fx, _, case| {
                form(&[
                    ("company", &fx.acme.to_string()),
                    ("amount", "0"),
                    ("received_on", ""),
                    ("reference", ""),
                    ("invoices[0]", &fx.invoice(case)),
                ])
            },
            ok: desk_refused,
            ..ROW
        },
        // Invoices: the company's for who holds invoices.view (Admin, Finance).
        Row { endpoint: "invoices/list", guard: Guard::Needs(InvoicesView), ..ROW },
        // Billing settings: the Admin's; an address that is none is 422 (nothing written).
        Row {
            endpoint: "invoices/billing",
            guard: Guard::Needs(TeamManage),
            args: |_, _, _| form(&[("email", "not an address")]),
            ok: |_, _| 422,
            ..ROW
        },
        Row {
            endpoint: "invoices/get",
            guard: Guard::Needs(InvoicesView),
            cases: ID_CASES,
            args: |fx, _, case| form(&[("number", &fx.invoice(case))]),
            ok: own_only,
            ..ROW
        },
        Row {
            endpoint: "staff/quote",
            guard: Guard::Staff,
            cases: &[Colleague, Missing],
            args: |fx, _, case| form(&[("number", &fx.quote(case))]),
            ok: |_, case| if case == Missing { 404 } else { 200 },
            ..ROW
        },
        Row {
            endpoint: "staff/review",
            guard: Guard::Staff,
            cases: &[Colleague, Missing],
            args: |fx, _, case| form(&[("number", &fx.quote(case))]),
            ok: desk_refused,
            ..ROW
        },
        Row {
            endpoint: "staff/reject",
            guard: Guard::Staff,
            cases: &[Colleague, Missing],
            args: |fx, _, case| form(&[("number", &fx.quote(case)), ("reason", "")]),
            ok: desk_refused,
            ..ROW
        },
        Row {
            endpoint: "staff/offer",
            guard: Guard::Staff,
            cases: &[Colleague, Missing],
            args: |fx, _, case| form(&[("number", &fx.quote(case)), ("version", "0"), ("valid_until", "")]),
            ok: desk_refused,
            ..ROW
        },
        Row {
            endpoint: "staff/message",
            guard: Guard::Staff,
            cases: &[Colleague, Missing],
            args: |fx, _, case| Args::Multipart(vec![("number", fx.quote(case)), ("body", String::new())]),
            ok: desk_refused,
            ..ROW
        },
        // What fills the cart: a SKU of the caller's catalog, one only Müller's holds, none.
        Row { endpoint: "cart/check", guard: cart, cases: ID_CASES, args: lines, same: Same::ButNotInCatalog, ..ROW },
        Row {
            endpoint: "cart/add",
            guard: cart,
            cases: ID_CASES,
            args: lines,
            check: |_, _, case, body| expect(case != Own || body["added"] == 1, || "own SKU not added".into()),
            same: Same::ButNotInCatalog,
            ..ROW
        },
        Row {
            endpoint: "cart/set_quantity",
            guard: cart,
            cases: ID_CASES,
            // An impossible quantity: a product the caller cannot see must not get as far as
            // having its quantity checked.
            args: |fx, c, case| {
                let quantity = if case == Own { fx.mine(c).quantity.clone() } else { "0".to_string() };
                form(&[("sku", &fx.sku(c, case)), ("quantity", &quantity)])
            },
            check: |_, _, case, body| expect(case != Own || body["gone"] == false, || "own line gone".into()),
            ..ROW
        },
        Row { endpoint: "cart/upload_csv", args: csv, ..csv_row },
        // The same file posted without JavaScript: its rows go to quick order (answers null here).
        Row { endpoint: "cart/upload_csv_form", args: csv, ..csv_row },
        // The islands' HTML answers: the same checks, rendered.
        Row { endpoint: "cart/upload_csv_html", args: csv, ..csv_row },
        Row {
            endpoint: "cart/check_row_html",
            guard: cart,
            cases: ID_CASES,
            args: |fx, c, case| {
                let quantity = if case == Own { fx.mine(c).quantity.clone() } else { "1".to_string() };
                get(&[("sku", &fx.sku(c, case)), ("quantity", &quantity)])
            },
            check: |_, _, case, body| expect(case != Own || body[0] == true, || "own SKU refused".into()),
            same: Same::ButNotInCatalog,
            ..ROW
        },
        Row {
            endpoint: "cart/quick_add",
            guard: cart,
            cases: ID_CASES,
            args: lines,
            check: |_, _, case, body| expect(case != Own || body["added"] == 1, || "own SKU not added".into()),
            same: Same::ButNotInCatalog,
            ..ROW
        },
        Row {
            endpoint: "orders/place",
            guard: cart,
            // Shipped to the caller's location, Müller's, none. A stale fingerprint: the own
            // case answers with the cart as it is now instead of placing an order.
            cases: ID_CASES,
            args: |fx, c, case| {
                let key = format!("leak-matrix-{c:?}-{case:?}");
                form(&[
                    ("idempotency_key", &key),
                    ("fingerprint", "stale"),
                    ("ship_to", &fx.ship_to(c, case)),
                    ("po_number", "PO-MATRIX-1"),
                ])
            },
            ok: |_, case| if case == Own { 200 } else { 422 },
            check: |_, _, _, body| expect(body.get("Changed").is_some(), || "not Changed".into()),
            ..ROW
        },
        Row {
            endpoint: "orders/reorder",
            guard: cart,
            cases: &[Own, Colleague, Foreign, Missing],
            args: |fx, c, case| form(&[("number", &fx.order(c, case))]),
            ok: order_status,
            ..ROW
        },
        // Lists.
        Row {
            endpoint: "lists/create",
            guard: cart,
            // Empty, or from an order: the caller's, a colleague's, Müller's, none.
            cases: &[NoId, Own, Colleague, Foreign, Missing],
            args: |fx, c, case| {
                let name = format!("Matrix {c:?} {case:?}");
                match case {
                    NoId => form(&[("name", &name)]),
                    _ => form(&[("name", &name), ("source", "order"), ("number", &fx.order(c, case))]),
                }
            },
            ok: |c, case| if case == NoId { 200 } else { order_status(c, case) },
            ..ROW
        },
        Row {
            endpoint: "lists/to_cart",
            guard: cart,
            cases: &[Own, Colleague, Shared, Foreign, Missing],
            args: |fx, c, case| form(&[("list", &fx.list(c, case))]),
            ok: list_read,
            ..ROW
        },
        Row {
            endpoint: "lists/add",
            guard: cart,
            cases: &[Own, Colleague, Shared, Foreign, Missing],
            args: |fx, c, case| {
                let m = fx.mine(c);
                form(&[("list", &fx.list(c, case)), ("sku", &m.sku), ("quantity", &m.quantity)])
            },
            ok: list_write,
            ..ROW
        },
        Row {
            endpoint: "lists/remove_line",
            guard: cart,
            cases: &[Own, Colleague, Shared, Foreign, Missing],
            args: |fx, c, case| form(&[("list", &fx.list(c, case)), ("sku", &fx.mine(c).sku)]),
            ok: list_write,
            ..ROW
        },
        Row {
            endpoint: "lists/share",
            guard: cart,
            // Without `shared`: a private list stays private (colleagues' cases rely on it).
            cases: &[Own, Colleague, Shared, Foreign, Missing],
            args: |fx, c, case| form(&[("list", &fx.list(c, case))]),
            ok: list_write,
            ..ROW
        },
        Row {
            endpoint: "lists/delete",
            guard: cart,
            cases: &[Own, Colleague, Shared, Foreign, Missing],
            args: |fx, c, case| form(&[("list", &fx.doomed_list(c, case))]),
            ok: list_write,
            ..ROW
        },
        Row {
            endpoint: "cart/remove",
            guard: cart,
            cases: ID_CASES,
            args: |fx, c, case| form(&[("sku", &fx.sku(c, case))]),
            ..ROW
        },
        Row { endpoint: "cart/clear", guard: cart, ..ROW },
        // The session.
        Row {
            endpoint: "session/switch_location",
            guard: Guard::Member,
            cases: ID_CASES,
            args: |fx, c, case| form(&[("location_id", &fx.location(c, case))]),
            ok: own_only,
            ..ROW
        },
        Row {
            endpoint: "session/switch_company",
            guard: Guard::SignedIn,
            cases: ID_CASES,
            args: |fx, c, case| form(&[("company_id", &fx.company(c, case))]),
            // Staff belongs to no company, Acme included.
            ok: |c, case| if case == Own && c != Caller::Staff { 200 } else { 404 },
            ..ROW
        },
        Row {
            endpoint: "session/shell",
            guard: Guard::SignedIn,
            // After the switches above: still in Acme, with the role's permissions.
            check: |_, c, _, body| match c.role() {
                Some(role) => {
                    expect(body["company"]["name"] == "Acme Builders", || "not in Acme".into())?;
                    let held: BTreeSet<&str> = body["permissions"]
                        .as_array()
                        .ok_or("no permissions")?
                        .iter()
                        .filter_map(|p| p.as_str())
                        .collect();
                    let want: BTreeSet<&str> = role.permissions().iter().map(|p| p.code()).collect();
                    expect(held == want, || format!("permissions {held:?}, the role has {want:?}"))
                }
                None => expect(body["is_staff"] == true && body["company"].is_null(), || "staff has no company".into()),
            },
            ..ROW
        },
        Row { endpoint: "prefs/set_locale", args: |_, _, _| form(&[("locale", "en")]), ..ROW },
        Row {
            endpoint: "auth/login",
            // The caller's own account (the signed-out visitor signs in as Ben); another
            // company's account and a made-up one with a wrong password answer alike. Spread
            // over three companies' accounts so that none reaches its failure limit.
            cases: ID_CASES,
            args: |_, c, case| {
                let accounts = [("kenji", "kanto.example"), ("lan", "saigon.example"), ("omar", "bayt.example")];
                let (user, domain) = accounts[CALLERS.iter().position(|x| *x == c).unwrap() % accounts.len()];
                let email = match case {
                    Own => {
                        return form(&[("email", c.email().unwrap_or("buyer@acme.example")), ("password", PASSWORD)])
                    }
                    Foreign => format!("{user}@{domain}"),
                    _ => format!("nobody@{domain}"),
                };
                form(&[("email", &email), ("password", "not-the-password")])
            },
            ok: |_, case| if case == Own { 200 } else { 422 },
            ..ROW
        },
        Row { endpoint: "auth/logout", ..ROW },
    ]
}

/// `order_entry.<key>` in locales/en.yml (the language of the test client).
fn en_message(key: &str) -> String {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../locales/en.yml")).unwrap();
    let section = &text[text.find("\norder_entry:").expect("an order_entry section")..];
    let line = section.lines().find(|l| l.trim_start().starts_with(&format!("{key}:"))).expect("the message");
    line.split_once(": ").unwrap().1.trim().trim_matches('"').to_string()
}

async fn send(app: &TestApp, endpoint: &str, args: &Args) -> reqwest::Response {
    match args {
        Args::Form(_) => app.call(endpoint, &args.values()).await,
        Args::Get(_) => app.get_api(endpoint, &args.values()).await,
        Args::Multipart(_) => app.multipart(endpoint, &args.values(), &[]).await,
        Args::Csv { sku, quantity } => {
            assert!(endpoint.starts_with("cart/upload_csv"), "{endpoint} takes no CSV");
            app.upload_csv_to(endpoint, format!("SKU,Quantity\n{sku},{quantity}\n").as_bytes()).await
        }
    }
}

/// The body with the values this call sent and the other did not blanked out (long enough to
/// be echoed input rather than a digit that happens to appear).
fn blank(body: &str, mine: &[(&str, &str)], other: &[(&str, &str)]) -> String {
    let mut out = body.to_string();
    for &(key, value) in mine {
        if value.len() >= 4 && !other.contains(&(key, value)) {
            out = out.replace(value, "{ID}");
        }
    }
    out
}

fn pairs(sent: &[(String, String)]) -> Vec<(&str, &str)> {
    sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

struct Answer {
    case: Case,
    expected: u16,
    body: String,
    sent: Vec<(String, String)>,
}

#[derive(Default)]
struct Tally {
    answers: usize,
    failures: Vec<String>,
}

impl Tally {
    fn fail(&mut self, message: String) {
        self.failures.push(message);
    }

    /// Status and markers of one answer. `every_company`: the merchant's desk, whose staff see
    /// every company's quotes by design (no marker check there; members never get past its guard).
    fn answer(&mut self, fx: &Fx, at: &str, status: u16, expected: u16, body: &str, every_company: bool) {
        self.answers += 1;
        if status != expected {
            self.fail(format!("{at}: {status}, expected {expected}: {body:.300}"));
        }
        if every_company {
            return;
        }
        for marker in &fx.markers {
            if body.contains(marker.as_str()) {
                self.fail(format!("{at}: the answer holds {marker:?}: {body:.300}"));
            }
        }
    }

    /// Another company's id, and a colleague's that must look missing, answer as a missing id.
    fn same_as_missing(&mut self, at: &str, answers: &[Answer], same: Same) {
        let Some(missing) = answers.iter().find(|a| a.case == Case::Missing) else { return };
        for a in answers.iter().filter(|a| matches!(a.case, Case::Foreign | Case::Colleague)) {
            if a.case == Case::Foreign && a.expected != missing.expected {
                self.fail(format!("{at}: the table expects another company's id to differ from a missing one"));
            }
            if a.expected != missing.expected {
                continue;
            }
            let (mine, theirs) = (pairs(&a.sent), pairs(&missing.sent));
            let mut got = blank(&a.body, &mine, &theirs);
            let mut want = blank(&missing.body, &theirs, &mine);
            if same == Same::ButNotInCatalog {
                // In a DTO the reason's code; in an island's HTML its English sentence.
                // (also percent-encoded, in the download link of the rows to fix).
                let (not_in_catalog, unknown) = (en_message("not_in_catalog"), en_message("unknown_sku"));
                let encode = |s: &str| app::url::encode_component(s);
                for (a, b) in [
                    ("NotInCatalog".to_string(), "UnknownSku".to_string()),
                    (not_in_catalog.clone(), unknown.clone()),
                    (encode(&not_in_catalog), encode(&unknown)),
                ] {
                    got = got.replace(&a, &b);
                    want = want.replace(&a, &b);
                }
            }
            if got != want {
                let at_byte = got.bytes().zip(want.bytes()).take_while(|(a, b)| a == b).count();
                let from = got.floor_char_boundary(at_byte.saturating_sub(200));
                let (got, want) = (&got[from..], &want[want.floor_char_boundary(from)..]);
                self.fail(format!(
                    "{at}: {:?} answers differently from a missing id:\n  {got:.500}\n  {want:.500}",
                    a.case
                ));
            }
        }
    }
}

async fn run_row(app: &TestApp, fx: &Fx, row: &Row, caller: Caller, tally: &mut Tally) {
    let mut answers = vec![];
    for &case in row.cases {
        let args = (row.args)(fx, caller, case);
        let (status, body) = {
            let response = send(app, row.endpoint, &args).await;
            (response.status().as_u16(), response.text().await.unwrap())
        };
        let expected = row.guard.stops(caller).unwrap_or_else(|| (row.ok)(caller, case));
        let at = format!("{} as {caller:?}, {case:?}", row.endpoint);
        let desk = matches!(row.guard, Guard::Staff) && caller == Caller::Staff;
        tally.answer(fx, &at, status, expected, &body, desk);
        if status == 200 && expected == 200 {
            let value = serde_json::from_str(&body).unwrap_or(Value::String(body.clone()));
            if let Err(e) = (row.check)(fx, caller, case, &value) {
                tally.fail(format!("{at}: {e}: {body:.300}"));
            }
        }
        let sent = args.values().into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        answers.push(Answer { case, expected, body, sent });
    }
    tally.same_as_missing(row.endpoint, &answers, row.same);
}

// ---------------------------------------------------------------------------------------------
// The page routes: one row each, keyed by the route as `generate_route_list` spells it.

struct PageRow {
    route: &'static str,
    /// What the page's data needs; `None`: a page with no data of its own (yet).
    needs: Option<Permission>,
    cases: &'static [Case],
    path: fn(&Fx, Caller, Case) -> String,
    /// The status once the caller may see the page's data.
    ok: fn(Caller, Case) -> u16,
    /// Reached without a session (the pages behind mailed links).
    public: bool,
    /// The merchant's desk: staff only, every company's records.
    desk: bool,
}

fn page_rows() -> Vec<PageRow> {
    use Case::*;
    use Permission::*;
    let plain = |route: &'static str, needs: Option<Permission>| PageRow {
        route,
        needs,
        cases: NO_ID,
        path: |_, _, _| String::new(),
        ok: ok_200,
        public: false,
        desk: false,
    };
    // Plain axum routes and the sign-in page (outside the shell; no difference to the matrix).
    let bare = plain;
    let desk = |route: &'static str| PageRow { desk: true, ..plain(route, None) };
    // A page behind a mailed link, asked with a token nobody was sent: "no longer valid" (404).
    let link = |route: &'static str| PageRow {
        cases: &[Missing],
        path: |_, _, _| String::new(),
        ok: |_, _| 404,
        public: true,
        ..plain(route, None)
    };
    vec![
        // A signed-in visit to the sign-in page goes to the catalog, as does the root.
        PageRow { ok: |_, _| 303, ..bare("/login", None) },
        PageRow { ok: |_, _| 302, ..plain("/", None) },
        plain("/catalog", Some(CatalogView)),
        PageRow {
            cases: ID_CASES,
            path: |fx, c, case| format!("/products/{}", fx.slug(c, case)),
            ok: own_only,
            ..plain("/products/{slug}", Some(CatalogView))
        },
        PageRow {
            cases: ID_CASES,
            path: |fx, c, case| format!("/search?q={}", app::url::encode_component(&fx.sku(c, case))),
            ..plain("/search", Some(CatalogView))
        },
        plain("/quick-order", None),
        plain("/cart", Some(CartManage)),
        plain("/checkout", Some(CartManage)),
        plain("/orders", Some(CatalogView)),
        PageRow {
            cases: &[Own, Colleague, Foreign, Missing],
            path: |fx, c, case| format!("/orders/{}", fx.order(c, case)),
            ok: order_status,
            ..plain("/orders/{number}", Some(CatalogView))
        },
        plain("/buy-again", Some(CatalogView)),
        plain("/lists", Some(CartManage)),
        PageRow {
            cases: &[Own, Colleague, Shared, Foreign, Missing],
            path: |fx, c, case| format!("/lists/{}", fx.list(c, case)),
            ok: list_read,
            ..plain("/lists/{id}", Some(CartManage))
        },
        plain("/quotes", Some(QuotesRequest)),
        PageRow {
            cases: &[Colleague, Foreign, Missing],
            path: |fx, _, case| format!("/quotes/{}", fx.quote(case)),
            ok: quote_read,
            ..plain("/quotes/{number}", Some(QuotesRequest))
        },
        PageRow {
            cases: &[Colleague, Foreign, Missing],
            path: |fx, _, case| format!("/quotes/{}/checkout", fx.quote(case)),
            ok: quote_read,
            ..plain("/quotes/{number}/checkout", Some(QuotesAccept))
        },
        // The desk: /staff goes on to its queue.
        PageRow { ok: |_, _| 302, ..desk("/staff") },
        desk("/staff/quotes"),
        desk("/staff/invoices"),
        desk("/staff/search"),
        PageRow {
            cases: &[Colleague, Missing],
            path: |fx, _, case| format!("/staff/quotes/{}", fx.quote(case)),
            ok: |_, case| if case == Missing { 404 } else { 200 },
            ..desk("/staff/quotes/{number}")
        },
        plain("/team", Some(TeamManage)),
        plain("/team/roles", Some(TeamManage)),
        plain("/team/approvals", Some(ApprovalsManage)),
        plain("/approvals", Some(OrdersApprove)),
        PageRow {
            cases: &[Colleague, Foreign, Missing],
            path: |fx, _, case| format!("/requests/{}", fx.request(case)),
            ok: request_read,
            ..plain("/requests/{number}", Some(CatalogView))
        },
        plain("/team/audit", Some(AuditView)),
        plain("/account", None),
        plain("/invoices", Some(InvoicesView)),
        PageRow {
            cases: ID_CASES,
            path: |fx, _, case| format!("/invoices/{}", fx.invoice(case)),
            ok: own_only,
            ..plain("/invoices/{number}", Some(InvoicesView))
        },
        PageRow { public: true, ..plain("/forgot-password", None) },
        PageRow { public: true, ..plain("/join", None) },
        PageRow { path: |_, _, _| format!("/reset-password/{BOGUS_TOKEN}"), ..link("/reset-password/{token}") },
        PageRow { path: |_, _, _| format!("/invitations/{BOGUS_TOKEN}"), ..link("/invitations/{token}") },
        PageRow { path: |_, _, _| format!("/join/{BOGUS_TOKEN}"), ..link("/join/{token}") },
        PageRow { path: |_, _, _| format!("/verify-domain/{BOGUS_TOKEN}"), ..link("/verify-domain/{token}") },
        // Plain axum routes (server::startup::PLAIN_ROUTES).
        bare("/health", None),
        bare("/ready", None),
        bare("/metrics", None),
        bare("/catalog/export.csv", Some(CatalogView)),
        bare("/team/audit.csv", Some(AuditView)),
        PageRow {
            cases: &[Colleague, Foreign, Missing],
            path: |fx, _, case| fx.quote_file("/quotes", case),
            // Ben's submitted quote: his, and the Admin's to see.
            ok: quote_read,
            ..bare("/quotes/{number}/files/{file}", Some(QuotesRequest))
        },
        PageRow {
            cases: &[Colleague, Foreign, Missing],
            path: |fx, _, case| format!("/quotes/{}/pdf/1", fx.quote(case)),
            ok: quote_read,
            ..bare("/quotes/{number}/pdf/{revision}", Some(QuotesRequest))
        },
        bare("/invoices/statement.csv", Some(InvoicesView)),
        bare("/invoices/statement.pdf", Some(InvoicesView)),
        PageRow {
            cases: ID_CASES,
            path: |fx, _, case| format!("/invoices/{}/pdf", fx.invoice(case)),
            ok: own_only,
            ..bare("/invoices/{number}/pdf", Some(InvoicesView))
        },
        PageRow {
            cases: &[Colleague, Missing],
            path: |fx, _, case| format!("/staff/quotes/{}/pdf/1", fx.quote(case)),
            ok: |_, case| if case == Missing { 404 } else { 200 },
            ..desk("/staff/quotes/{number}/pdf/{revision}")
        },
        PageRow {
            cases: &[Colleague, Missing],
            path: |fx, _, case| fx.quote_file("/staff/quotes", case),
            ok: |_, case| if case == Missing { 404 } else { 200 },
            ..desk("/staff/quotes/{number}/files/{file}")
        },
    ]
}

async fn run_page(app: &TestApp, fx: &Fx, row: &PageRow, caller: Caller, tally: &mut Tally) {
    let nonce = regex::Regex::new(r#"(nonce|crossorigin)="[^"]*""#).unwrap();
    let mut answers = vec![];
    for &case in row.cases {
        let path = if case == Case::NoId { row.route.to_string() } else { (row.path)(fx, caller, case) };
        let response = app.get_page(&path).await;
        let status = response.status().as_u16();
        let location = location(&response);
        // Each page has its own script nonce.
        let body = nonce.replace_all(&response.text().await.unwrap(), "$1=\"\"").into_owned();
        let expected = match caller {
            Caller::SignedOut if matches!(row.route, "/login" | "/health" | "/ready" | "/metrics") => 200,
            Caller::SignedOut if row.public => (row.ok)(caller, case),
            Caller::SignedOut => 303,
            // Staff are sent to their desk from every page outside it.
            Caller::Staff if row.desk => (row.ok)(caller, case),
            Caller::Staff if !row.public && !matches!(row.route, "/login" | "/health" | "/ready" | "/metrics") => 302,
            // Members reach the desk's frame, which refuses them.
            _ if row.desk => 403,
            _ if row.needs.is_some_and(|p| !caller.may(p)) => 403,
            _ => (row.ok)(caller, case),
        };
        let at = format!("page {path} as {caller:?}, {case:?}");
        tally.answer(fx, &at, status, expected, &body, row.desk && caller == Caller::Staff);
        if expected == 303 && caller == Caller::SignedOut && !location.starts_with("/login?next=") {
            tally.fail(format!("{at}: sent to {location:?}, not to sign in"));
        }
        // The id as the page may echo it: in the path, encoded in links back to it, or alone.
        let id = path.rsplit(['/', '=']).next().unwrap_or_default().to_string();
        let sent = vec![
            ("path".into(), path.clone()),
            ("encoded".into(), app::url::encode_component(&path)),
            ("id".into(), id),
        ];
        answers.push(Answer { case, expected, body, sent });
    }
    tally.same_as_missing(&format!("page {}", row.route), &answers, Same::Bytes);
}

// ---------------------------------------------------------------------------------------------
// The tests.

/// Every server function and page route the server registers has a row, and every row names a
/// registered one.
#[tokio::test]
async fn every_server_function_and_page_route_has_a_row() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.strip_prefix("/api/").unwrap_or(path).to_string())
        .collect();
    let rows = server_fn_rows();
    let covered: BTreeSet<String> = rows.iter().map(|r| r.endpoint.to_string()).collect();
    assert_eq!(covered.len(), rows.len(), "a server function has two rows");
    let without_row: Vec<_> = registered.difference(&covered).collect();
    let unregistered: Vec<_> = covered.difference(&registered).collect();
    assert!(
        without_row.is_empty() && unregistered.is_empty(),
        "server functions without a row in the leak matrix: {without_row:?}; rows naming no registered server function: {unregistered:?}"
    );

    let routes: BTreeSet<String> = server::startup::routes()
        .iter()
        .map(|r| r.path().to_string())
        .chain(server::startup::PLAIN_ROUTES.iter().map(|p| p.to_string()))
        .collect();
    let pages = page_rows();
    let covered: BTreeSet<String> = pages.iter().map(|p| p.route.to_string()).collect();
    assert_eq!(covered.len(), pages.len(), "a page route has two rows");
    let without_row: Vec<_> = routes.difference(&covered).collect();
    let unregistered: Vec<_> = covered.difference(&routes).collect();
    assert!(
        without_row.is_empty() && unregistered.is_empty(),
        "page routes without a row in the leak matrix: {without_row:?}; rows naming no route: {unregistered:?}"
    );
}

/// The matrix itself: one server, the records made once, every caller through every row.
#[tokio::test]
async fn leak_matrix_every_endpoint_every_caller_every_id() {
    let app = spawn_app().await;
    let fx = fixtures(&app).await;
    let rows = server_fn_rows();
    let pages = page_rows();
    let mut tally = Tally::default();
    for caller in CALLERS {
        if let Some(email) = caller.email() {
            app.login_as(email).await;
        }
        for page in &pages {
            run_page(&app, &fx, page, caller, &mut tally).await;
        }
        // Ends with signing out (the signed-out visitor signs in as Ben and out again).
        for row in &rows {
            run_row(&app, &fx, row, caller, &mut tally).await;
        }
        app.logout().await;
    }

    // Nothing of Müller's was changed or deleted by all that, and no colleague's list either.
    app.login_as("anna@mueller.example").await;
    let list = call_ok(&app, "lists/get", &[("id", &fx.theirs.list.to_string())]).await;
    assert_eq!(list["summary"]["name"], MUELLER_LIST);
    assert_eq!(list["summary"]["shared"], true);
    assert_eq!(list["lines"].as_array().unwrap().len(), 1, "{list}");
    let order = call_ok(&app, "orders/get", &[("number", &fx.theirs.order)]).await;
    assert_eq!(order["po_number"], MUELLER_PO);
    assert_eq!(call_ok(&app, "cart/get", &[]).await["lines"].as_array().unwrap().len(), 1, "Anna's cart");
    for caller in [Caller::Admin, Caller::Buyer, Caller::Requester] {
        let m = &fx.mine[&caller];
        for list in [m.list, m.shared_list] {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM shopping_lists WHERE id = $1")
                .bind(list)
                .fetch_one(&app.pool)
                .await
                .unwrap();
            assert_eq!(n, 1, "{caller:?}'s list {list} is gone");
        }
    }

    let combos = rows.iter().map(|r| r.cases.len()).sum::<usize>() + pages.iter().map(|p| p.cases.len()).sum::<usize>();
    println!(
        "leak matrix: {} server functions and {} page routes, {combos} (endpoint, id) cases × {} callers = {} answers",
        rows.len(),
        pages.len(),
        CALLERS.len(),
        tally.answers
    );
    assert!(
        tally.failures.is_empty(),
        "{} of {} answers were wrong:\n{}",
        tally.failures.len(),
        tally.answers,
        tally.failures.join("\n")
    );
}

/// Not a foreign id but the same rule: after switching companies, the one left is foreign.
#[tokio::test]
async fn a_member_of_two_companies_switches_and_sees_the_other_companys_currency() {
    let app = spawn_app().await;
    app.login_as("multi@example.com").await;
    let shell: serde_json::Value = app.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["company"]["name"], "Acme Builders");
    assert_eq!(shell["currency"], "USD");
    assert_eq!(shell["companies"].as_array().unwrap().len(), 2);

    let mueller = app.company_id("Müller Haustechnik GmbH").await;
    let response = app.call("session/switch_company", &[("company_id", &mueller.to_string())]).await;
    assert_eq!(response.status(), 200);
    let shell: serde_json::Value = app.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["company"]["name"], "Müller Haustechnik GmbH");
    assert_eq!(shell["currency"], "EUR");
    assert_eq!(shell["location_name"], "Zentrale München");

    // Now Acme's records are the foreign ones.
    let acme = app.company_id("Acme Builders").await;
    assert_eq!(app.call("team/company", &[("id", &acme.to_string())]).await.status(), 404);
}
