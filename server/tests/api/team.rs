//! Team management on a real server and database: invitations (mail, accept, replay, resend,
//! revoke, expiry), role and location changes with their version check, the rules that protect
//! a company (last admin, not yourself, not more than you hold), deactivation ending sessions,
//! custom roles, the audit log and its CSV, the account pages, password reset and join by
//! domain. Each bad input gets a translated message, never a 500.

use crate::helpers::*;
use serde_json::Value;

async fn status_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// The translation key of a 422 answer's first field.
fn key(body: &Value) -> String {
    body["Invalid"][0]["key"].as_str().unwrap_or_else(|| panic!("not an Invalid answer: {body}")).to_string()
}

pub(crate) async fn member(app: &TestApp, email: &str) -> (String, String) {
    let (id, version): (i64, i64) = sqlx::query_as(
        "SELECT m.id, m.version FROM members m JOIN users u ON u.id = m.user_id JOIN companies c ON c.id = m.company_id \
         WHERE u.email = $1 AND c.name = 'Acme Builders'",
    )
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    (id.to_string(), version.to_string())
}

pub(crate) async fn role_id(app: &TestApp, code: &str) -> String {
    app.id_of("SELECT id FROM roles WHERE company_id IS NULL AND code = $1", code).await.to_string()
}

async fn location_id(app: &TestApp, name: &str) -> String {
    app.id_of("SELECT id FROM locations WHERE name = $1", name).await.to_string()
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    n
}

async fn invite(app: &TestApp, email: &str, role: &str, locations: &[&str]) -> (u16, Value) {
    let mut form: Vec<(String, String)> =
        vec![("email".into(), email.into()), ("role".into(), role.into()), ("locale".into(), "en".into())];
    for (i, l) in locations.iter().enumerate() {
        form.push((format!("locations[{i}]"), l.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    status_json(app.call("team/invite", &pairs).await).await
}

#[tokio::test]
async fn an_invitee_accepts_once_and_lands_signed_in_with_the_role_and_locations() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let requester = role_id(&app, "requester").await;
    let denver = location_id(&app, "Denver Yard").await;
    let (status, body) = invite(&app, "Casey.New@Acme-Partner.example", &requester, &[&denver]).await;
    assert_eq!(status, 200, "{body}");
    let token = app.mailed_token("casey.new@acme-partner.example", "/invitations/").await;
    // Only the hash is stored.
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM invitations WHERE token_hash = '{token}'")).await, 0);

    let browser = app.fresh_browser();
    let (status, view) = status_json(browser.call("invitations/view", &[("token", &token)]).await).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["company"], "Acme Builders");
    assert_eq!(view["inviter"], "Dana Whitfield");
    assert_eq!(view["role_code"], "requester");
    assert_eq!(view["has_account"], false);
    let page = browser.get_page(&format!("/invitations/{token}")).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Dana Whitfield"));

    // Too short a password, an empty name: translated, and the invitation still stands.
    let (status, body) = status_json(
        browser.call("invitations/accept", &[("token", &token), ("name", "Casey"), ("password", "short")]).await,
    )
    .await;
    assert_eq!((status, key(&body).as_str()), (422, "account.password_short"));
    let (status, body) = status_json(
        browser.call("invitations/accept", &[("token", &token), ("name", "  "), ("password", "long enough pw")]).await,
    )
    .await;
    assert_eq!((status, key(&body).as_str()), (422, "account.name_empty"));
    let (status, body) = status_json(
        browser
            .call(
                "invitations/accept",
                &[("token", &token), ("name", &"x".repeat(101)), ("password", "long enough pw")],
            )
            .await,
    )
    .await;
    assert_eq!((status, key(&body).as_str()), (422, "account.name_long"));

    let accept = [("token", token.as_str()), ("name", "Casey New"), ("password", "long enough pw")];
    let (status, body) = status_json(browser.call("invitations/accept", &accept).await).await;
    assert_eq!(status, 200, "{body}");
    let shell: Value = browser.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["company"]["name"], "Acme Builders");
    assert_eq!(shell["location_name"], "Denver Yard");
    let held: Vec<&str> = shell["permissions"].as_array().unwrap().iter().filter_map(|p| p.as_str()).collect();
    assert!(held.contains(&"cart.manage") && !held.contains(&"orders.place"), "{held:?}");

    // A replay, and every other malformed or unknown token, is the same "no longer valid".
    let replay = app.fresh_browser();
    let (status, body) = status_json(replay.call("invitations/accept", &accept).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "invitation.invalid"));
    for bad in [token.to_uppercase(), format!("{token}x"), format!(" {token}"), "0".repeat(64), "..%2F..%2Fetc".into()]
    {
        let (status, body) = status_json(replay.call("invitations/view", &[("token", &bad)]).await).await;
        assert_eq!((status, key(&body).as_str()), (422, "invitation.invalid"), "{bad}");
        let page = replay.get_page(&format!("/invitations/{}", bad.trim())).await;
        assert_eq!(page.status(), 404, "{bad}");
    }
    assert_eq!(audit_count(&app, "invited").await, 3, "the demo's two and this one");
    assert_eq!(audit_count(&app, "invitation_accepted").await, 2);
}

#[tokio::test]
async fn an_invitation_to_someone_with_an_account_elsewhere_looks_like_any_other_and_adds_the_company() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let buyer = role_id(&app, "buyer").await;
    // Anna is Müller's admin; nothing in the answer or the mail tells Acme so.
    let (s1, b1) = invite(&app, "anna@mueller.example", &buyer, &[]).await;
    let (s2, b2) = invite(&app, "nobody.yet@mueller.example", &buyer, &[]).await;
    assert_eq!((s1, s2), (200, 200));
    assert!(b1.is_number() && b2.is_number(), "{b1} {b2}");
    let pending: Value = app.call("team/invitations", &[]).await.json().await.unwrap();
    let text = pending.to_string();
    assert!(!text.contains("Müller") && !text.contains("Anna"), "{text}");

    let token = app.mailed_token("anna@mueller.example", "/invitations/").await;
    let anna = app.fresh_browser();
    let view: Value = anna.call("invitations/view", &[("token", &token)]).await.json().await.unwrap();
    assert_eq!(view["has_account"], true);
    // Her password, not a new one; a wrong one is the sign-in error.
    let (status, body) =
        status_json(anna.call("invitations/accept", &[("token", &token), ("password", "wrong")]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "auth.login.invalid"));
    let (status, _) =
        status_json(anna.call("invitations/accept", &[("token", &token), ("password", PASSWORD)]).await).await;
    assert_eq!(status, 200);
    let shell: Value = anna.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["company"]["name"], "Acme Builders");
    assert_eq!(shell["companies"].as_array().unwrap().len(), 2, "the switcher shows both: {shell}");
}

#[tokio::test]
async fn resend_kills_the_old_link_revoke_and_expiry_kill_the_link() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let buyer = role_id(&app, "buyer").await;
    let (_, id) = invite(&app, "twice@acme-partner.example", &buyer, &[]).await;
    let first = app.mailed_token("twice@acme-partner.example", "/invitations/").await;
    let (status, _) = status_json(app.call("team/resend_invitation", &[("invitation", &id.to_string())]).await).await;
    assert_eq!(status, 200);
    let second = app.mailed_token("twice@acme-partner.example", "/invitations/").await;
    assert_ne!(first, second);
    let browser = app.fresh_browser();
    assert_eq!(browser.call("invitations/view", &[("token", &first)]).await.status(), 422);
    assert_eq!(browser.call("invitations/view", &[("token", &second)]).await.status(), 200);

    // Expired: the same answer.
    sqlx::query("UPDATE invitations SET expires_at = 1 WHERE id = $1")
        .bind(id.as_i64().unwrap())
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(browser.call("invitations/view", &[("token", &second)]).await.status(), 422);
    sqlx::query("UPDATE invitations SET expires_at = 99999999999 WHERE id = $1")
        .bind(id.as_i64().unwrap())
        .execute(&app.pool)
        .await
        .unwrap();

    let (status, _) = status_json(app.call("team/revoke_invitation", &[("invitation", &id.to_string())]).await).await;
    assert_eq!(status, 200);
    let (status, body) = status_json(browser.call("invitations/view", &[("token", &second)]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "invitation.invalid"));
    let (status, body) =
        status_json(app.call("team/revoke_invitation", &[("invitation", &id.to_string())]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.invite.not_pending"));
    assert_eq!(audit_count(&app, "invitation_resent").await, 1);
    assert_eq!(audit_count(&app, "invitation_revoked").await, 1);
}

#[tokio::test]
async fn bad_invitations_get_translated_answers_and_foreign_ids_are_not_found() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let buyer = role_id(&app, "buyer").await;
    for bad in [
        "",
        "not-an-email",
        "a@b",
        "two@@acme.example",
        "x y@acme.example",
        &format!("{}@acme.example", "a".repeat(250)),
    ] {
        let (status, body) = invite(&app, bad, &buyer, &[]).await;
        assert_eq!((status, key(&body).as_str()), (422, "team.invite.email_invalid"), "{bad:?}");
    }
    let (status, body) = invite(&app, "BUYER@acme.example", &buyer, &[]).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.invite.already_member"));
    let (status, body) = invite(&app, "new.hire@acme.example", &buyer, &[]).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.invite.already_invited"), "the demo's pending invitation");
    let (status, body) = status_json(
        app.call("team/invite", &[("email", "x@acme-partner.example"), ("role", &buyer), ("locale", "xx")]).await,
    )
    .await;
    assert_eq!((status, key(&body).as_str()), (422, "prefs.locale.unknown"));
    // Müller's location, a missing role, a role id that is not a number.
    let munich = location_id(&app, "Zentrale München").await;
    assert_eq!(invite(&app, "y@acme-partner.example", &buyer, &[&munich]).await.0, 404);
    assert_eq!(invite(&app, "y@acme-partner.example", "987654321", &[]).await.0, 404);
    assert_eq!(invite(&app, "y@acme-partner.example", "admin", &[]).await.0, 422);

    // The per-admin limit: the 31st invitation within the hour is refused with a wait.
    let admin = member(&app, "admin@acme.example").await.0;
    for _ in 0..30 {
        sqlx::query("INSERT INTO rate_events (scope, subject, at) VALUES ('invite_admin', $1, $2)")
            .bind(&admin)
            .bind(app::backend::platform::clock::now())
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let (status, body) = invite(&app, "z@acme-partner.example", &buyer, &[]).await;
    assert_eq!(status, 429, "{body}");
}

#[tokio::test]
async fn a_role_change_counts_from_the_members_next_request_and_a_stale_version_is_refused() {
    let app = spawn_app().await;
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    let held = |shell: &Value| -> Vec<String> {
        shell["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect()
    };
    let shell: Value = ben.call("session/shell", &[]).await.json().await.unwrap();
    assert!(held(&shell).contains(&"orders.place".to_string()));

    app.login_as("admin@acme.example").await;
    let (id, version) = member(&app, "buyer@acme.example").await;
    let requester = role_id(&app, "requester").await;
    let denver = location_id(&app, "Denver Yard").await;
    let form = [("member", id.as_str()), ("role", &requester), ("locations[0]", &denver), ("version", &version)];
    let (status, body) = status_json(app.call("team/update_member", &form).await).await;
    assert_eq!(status, 200, "{body}");
    let shell: Value = ben.call("session/shell", &[]).await.json().await.unwrap();
    assert!(!held(&shell).contains(&"orders.place".to_string()), "{shell}");
    assert_eq!(shell["location_name"], "Denver Yard");

    // A second admin's form still carries the old version: refused, nothing undone.
    let finance = role_id(&app, "finance").await;
    let stale = [("member", id.as_str()), ("role", &finance), ("version", &version)];
    let (status, body) = status_json(app.call("team/update_member", &stale).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.changed_meanwhile"));
    let (_, now) = member(&app, "buyer@acme.example").await;
    assert_ne!(now, version);
    let detail: (String,) =
        sqlx::query_as("SELECT detail FROM audit_log WHERE action = 'role_changed' ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(detail.0, "Buyer → Requester");
    assert_eq!(audit_count(&app, "locations_changed").await, 2, "the demo's and this one");
    // Another company's member and role: NotFound.
    let anna = app
        .id_of("SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = $1", "anna@mueller.example")
        .await
        .to_string();
    let form = [("member", anna.as_str()), ("role", &requester), ("version", "1")];
    assert_eq!(app.call("team/update_member", &form).await.status(), 404);
}

#[tokio::test]
async fn the_last_admin_stays_and_nobody_deactivates_themselves() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let (dana, version) = member(&app, "admin@acme.example").await;
    let buyer = role_id(&app, "buyer").await;
    let admin = role_id(&app, "admin").await;
    let (status, body) = status_json(
        app.call("team/update_member", &[("member", &dana), ("role", &buyer), ("version", &version)]).await,
    )
    .await;
    assert_eq!((status, key(&body).as_str()), (422, "team.rule.last_admin"));
    let (_, version) = member(&app, "admin@acme.example").await;
    let (status, body) =
        status_json(app.call("team/set_active", &[("member", &dana), ("version", &version)]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.rule.not_yourself"));

    // With Ben as a second admin, Dana may step down; then Ben is the last one.
    let (ben, v) = member(&app, "buyer@acme.example").await;
    assert_eq!(
        app.call("team/update_member", &[("member", &ben), ("role", &admin), ("version", &v)]).await.status(),
        200
    );
    let (_, version) = member(&app, "admin@acme.example").await;
    assert_eq!(
        app.call("team/update_member", &[("member", &dana), ("role", &buyer), ("version", &version)]).await.status(),
        200
    );
    // Dana is no admin any more: her next request cannot manage the team.
    assert_eq!(app.call("team/members", &[]).await.status(), 403);
    let benb = app.fresh_browser();
    benb.login_as("buyer@acme.example").await;
    let (_, v) = member(&app, "buyer@acme.example").await;
    let (status, body) =
        status_json(benb.call("team/update_member", &[("member", &ben), ("role", &buyer), ("version", &v)]).await)
            .await;
    assert_eq!((status, key(&body).as_str()), (422, "team.rule.last_admin"));
}

#[tokio::test]
async fn nobody_grants_what_they_do_not_hold() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    // A team lead manages the team but sees no invoices.
    let perms = ["team.manage", "catalog.view", "cart.manage"];
    let mut form = vec![("name", "Team lead")];
    let keys: Vec<String> = (0..perms.len()).map(|i| format!("permissions[{i}]")).collect();
    for (k, p) in keys.iter().zip(perms) {
        form.push((k.as_str(), p));
    }
    let (status, lead) = status_json(app.call("team/save_role", &form).await).await;
    assert_eq!(status, 200, "{lead}");
    let (ben, v) = member(&app, "buyer@acme.example").await;
    let lead = lead.to_string();
    assert_eq!(
        app.call("team/update_member", &[("member", &ben), ("role", &lead), ("version", &v)]).await.status(),
        200
    );

    let benb = app.fresh_browser();
    benb.login_as("buyer@acme.example").await;
    let (fiona, v) = member(&app, "finance@acme.example").await;
    let admin = role_id(&app, "admin").await;
    let (status, body) =
        status_json(benb.call("team/update_member", &[("member", &fiona), ("role", &admin), ("version", &v)]).await)
            .await;
    assert_eq!((status, key(&body).as_str()), (422, "team.rule.not_yours"));
    let (status, body) = invite(&benb, "new@acme-partner.example", &role_id(&app, "finance").await, &[]).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.rule.not_yours"));
    let (status, body) =
        status_json(benb.call("team/save_role", &[("name", "Sneaky"), ("permissions[0]", "invoices.view")]).await)
            .await;
    assert_eq!((status, key(&body).as_str()), (422, "team.rule.not_yours"));
    // Reactivating someone whose role holds more than the lead: refused too.
    let (_, v) = member(&app, "finance@acme.example").await;
    assert_eq!(app.call("team/set_active", &[("member", &fiona), ("version", &v)]).await.status(), 200);
    let (_, v) = member(&app, "finance@acme.example").await;
    let (status, body) =
        status_json(benb.call("team/set_active", &[("member", &fiona), ("active", "on"), ("version", &v)]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.rule.not_yours"));
}

#[tokio::test]
async fn a_deactivated_member_is_signed_out_at_once_and_keeps_their_orders() {
    let app = spawn_app().await;
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    assert_eq!(ben.get_page("/catalog").await.status(), 200);
    let orders_before = app.count("SELECT COUNT(*) FROM orders o JOIN members m ON m.id = o.placed_by JOIN users u ON u.id = m.user_id WHERE u.email = 'buyer@acme.example'").await;
    assert!(orders_before > 0);

    app.login_as("admin@acme.example").await;
    let (id, v) = member(&app, "buyer@acme.example").await;
    assert_eq!(app.call("team/set_active", &[("member", &id), ("version", &v)]).await.status(), 200);
    // Ben's next click: signed out.
    let page = ben.get_page("/catalog").await;
    assert_eq!(page.status(), 303);
    assert!(location(&page).starts_with("/login"), "{}", location(&page));
    // Signing in again leads nowhere in Acme.
    ben.login_as("buyer@acme.example").await;
    assert_eq!(ben.call("catalog/list", &[]).await.status(), 403);
    let members: Value = app.call("team/members", &[("status", "deactivated")]).await.json().await.unwrap();
    assert_eq!(members["total"], 1);
    assert_eq!(members["members"][0]["email"], "buyer@acme.example");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM orders o JOIN members m ON m.id = o.placed_by JOIN users u ON u.id = m.user_id WHERE u.email = 'buyer@acme.example'").await,
        orders_before
    );
    // Reactivated: back in.
    let (_, v) = member(&app, "buyer@acme.example").await;
    assert_eq!(app.call("team/set_active", &[("member", &id), ("active", "on"), ("version", &v)]).await.status(), 200);
    ben.login_as("buyer@acme.example").await;
    assert_eq!(ben.call("catalog/list", &[]).await.status(), 200);
    assert_eq!(audit_count(&app, "deactivated").await, 1);
    assert_eq!(audit_count(&app, "reactivated").await, 1);
}

#[tokio::test]
async fn custom_roles_are_checked_versioned_deleted_only_when_unused_and_per_company() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let (status, body) = status_json(app.call("team/save_role", &[("name", "Empty")]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.rule.no_permissions"));
    let (status, body) =
        status_json(app.call("team/save_role", &[("name", &"r".repeat(61)), ("permissions[0]", "catalog.view")]).await)
            .await;
    assert_eq!((status, key(&body).as_str()), (422, "team.roles.name_long"));
    let (status, body) =
        status_json(app.call("team/save_role", &[("name", "site BUYER"), ("permissions[0]", "catalog.view")]).await)
            .await;
    assert_eq!((status, key(&body).as_str()), (422, "team.roles.name_taken"), "the demo's Site buyer");
    let (status, body) =
        status_json(app.call("team/save_role", &[("name", "Viewer"), ("permissions[0]", "root.all")]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "error.bad_request"));

    let (status, viewer) =
        status_json(app.call("team/save_role", &[("name", "Viewer"), ("permissions[0]", "catalog.view")]).await).await;
    assert_eq!(status, 200);
    let viewer = viewer.to_string();
    let edit =
        [("role", viewer.as_str()), ("version", "1"), ("name", "Catalog viewer"), ("permissions[0]", "catalog.view")];
    assert_eq!(app.call("team/save_role", &edit).await.status(), 200);
    let (status, body) = status_json(app.call("team/save_role", &edit).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.changed_meanwhile"));
    // Built-in roles are read-only.
    let buyer = role_id(&app, "buyer").await;
    let (status, body) = status_json(
        app.call(
            "team/save_role",
            &[("role", &buyer), ("version", "1"), ("name", "Buyer"), ("permissions[0]", "catalog.view")],
        )
        .await,
    )
    .await;
    assert_eq!((status, key(&body).as_str()), (422, "team.roles.built_in"));
    let (status, body) = status_json(app.call("team/delete_role", &[("role", &buyer)]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.roles.built_in"));
    // In use: refused until its member moves.
    let site = app.id_of("SELECT id FROM roles WHERE name = $1", "Site buyer").await.to_string();
    let (status, body) = status_json(app.call("team/delete_role", &[("role", &site)]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.roles.in_use"));
    assert_eq!(app.call("team/delete_role", &[("role", &viewer)]).await.status(), 200);
    let roles: Value = app.call("team/roles", &[]).await.json().await.unwrap();
    let names: Vec<&str> = roles.as_array().unwrap().iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["Admin", "Buyer", "Requester", "Finance", "Site buyer"]);

    // Müller's admin sees none of Acme's roles, and Acme's role id is NotFound for her.
    let anna = app.fresh_browser();
    anna.login_as("anna@mueller.example").await;
    let roles: Value = anna.call("team/roles", &[]).await.json().await.unwrap();
    assert!(!roles.to_string().contains("Site buyer"));
    assert_eq!(anna.call("team/delete_role", &[("role", &site)]).await.status(), 404);
    let hers = app
        .id_of("SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = $1", "anna@mueller.example")
        .await
        .to_string();
    let (status, body) =
        status_json(anna.call("team/update_member", &[("member", &hers), ("role", &site), ("version", "1")]).await)
            .await;
    assert_eq!(status, 404, "{body}");
    let edit = [("role", site.as_str()), ("version", "1"), ("name", "Mine now"), ("permissions[0]", "catalog.view")];
    assert_eq!(anna.call("team/save_role", &edit).await.status(), 404);
    assert_eq!(audit_count(&app, "role_created").await, 2);
    assert_eq!(audit_count(&app, "role_edited").await, 1);
    assert_eq!(audit_count(&app, "role_deleted").await, 1);
}

#[tokio::test]
async fn the_site_buyer_buys_for_denver_yard_only() {
    let app = spawn_app().await;
    app.login_as("site@acme.example").await;
    let shell: Value = app.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["location_name"], "Denver Yard");
    assert!(shell["locations"].as_array().map(|l| l.len() <= 1).unwrap_or(true), "{shell}");
    let chicago = location_id(&app, "Chicago HQ").await;
    assert_eq!(app.call("session/switch_location", &[("location_id", &chicago)]).await.status(), 404);
    assert_eq!(app.call("team/members", &[]).await.status(), 403);
    assert_eq!(app.get_page("/team").await.status(), 403);
}

#[tokio::test]
async fn the_audit_log_filters_pages_and_exports_csv_for_admins_only() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    // A name a spreadsheet would run.
    let (status, _) = status_json(
        app.call("team/save_role", &[("name", "=HYPERLINK(\"x\")"), ("permissions[0]", "catalog.view")]).await,
    )
    .await;
    assert_eq!(status, 200);
    let all: Value = app.call("team/audit", &[]).await.json().await.unwrap();
    assert!(all["total"].as_i64().unwrap() >= 7, "{all}");
    assert_eq!(all["entries"][0]["action"], "role_created", "newest first");
    let only: Value = app.call("team/audit", &[("action", "invited")]).await.json().await.unwrap();
    assert!(only["entries"].as_array().unwrap().iter().all(|e| e["action"] == "invited"));
    let q: Value = app.call("team/audit", &[("q", "NEW.HIRE")]).await.json().await.unwrap();
    assert_eq!(q["total"], 1, "{q}");
    let today = app::domain::order::iso_date(app::backend::platform::clock::now() / 86_400);
    let dated: Value = app.call("team/audit", &[("from", &today), ("until", &today)]).await.json().await.unwrap();
    assert_eq!(dated["total"], all["total"]);
    let none: Value = app.call("team/audit", &[("until", "2001-01-01")]).await.json().await.unwrap();
    assert_eq!(none["total"], 0);
    // Paging: 60 more entries, then two pages by keyset.
    for i in 0..60 {
        sqlx::query(
            "INSERT INTO audit_log (company_id, at, actor_id, actor_name, action, subject, detail) \
             VALUES ((SELECT id FROM companies WHERE name = 'Acme Builders'), 5, NULL, 'x', 'reactivated', $1, '')",
        )
        .bind(format!("p{i}@acme.example"))
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let first: Value = app.call("team/audit", &[]).await.json().await.unwrap();
    assert_eq!(first["entries"].as_array().unwrap().len(), 50);
    let before = first["next_before"].to_string();
    let second: Value = app.call("team/audit", &[("before", &before)]).await.json().await.unwrap();
    assert_eq!(
        first["entries"].as_array().unwrap().len() + second["entries"].as_array().unwrap().len(),
        first["total"].as_i64().unwrap() as usize
    );

    let csv = app.get_page("/team/audit.csv?action=role_created").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("When,Who,What,Concerning,Details"), "{text}");
    assert!(text.contains("'=HYPERLINK"), "formulas are neutralised: {text}");
    assert!(!text.contains(",=HYPERLINK") && !text.contains("\"=HYPERLINK"));

    let rita = app.fresh_browser();
    rita.login_as("requester@acme.example").await;
    assert_eq!(rita.call("team/audit", &[]).await.status(), 403);
    assert_eq!(rita.get_page("/team/audit.csv").await.status(), 403);
    assert_eq!(rita.get_page("/team/audit").await.status(), 403);
}

#[tokio::test]
async fn the_account_page_changes_the_password_and_ends_other_sessions() {
    let app = spawn_app().await;
    let phone = app.fresh_browser();
    phone.login_as("buyer@acme.example").await;
    app.login_as("buyer@acme.example").await;
    let account: Value = app.call("account/get", &[]).await.json().await.unwrap();
    assert_eq!(account["email"], "buyer@acme.example");
    assert_eq!(account["sessions"].as_array().unwrap().len(), 2);

    let (status, body) =
        status_json(app.call("account/change_password", &[("current", "wrong"), ("new", "a new password 1")]).await)
            .await;
    assert_eq!((status, body["Invalid"][0]["field"].as_str()), (422, Some("current")));
    let (status, body) =
        status_json(app.call("account/change_password", &[("current", PASSWORD), ("new", "short")]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "account.password_short"));
    assert_eq!(
        app.call("account/change_password", &[("current", PASSWORD), ("new", "a new password 1")]).await.status(),
        200
    );
    assert_eq!(phone.get_page("/catalog").await.status(), 303, "the other session ended");
    assert_eq!(app.get_page("/catalog").await.status(), 200, "this one goes on");
    assert_eq!(app.login("buyer@acme.example", "a new password 1").await.status(), 200);

    // Name and language.
    let (status, body) = status_json(app.call("account/update", &[("name", ""), ("locale", "de")]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "account.name_empty"));
    assert_eq!(app.call("account/update", &[("name", "Ben C."), ("locale", "de")]).await.status(), 200);
    let shell: Value = app.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["user_name"], "Ben C.");
    phone.login("buyer@acme.example", "a new password 1").await;
    // The phone's session (this browser's own from before it signed in again ended at sign-in).
    assert_eq!(app.call("account/sign_out_elsewhere", &[]).await.json::<Value>().await.unwrap(), 1);
    assert_eq!(phone.get_page("/catalog").await.status(), 303);
}

#[tokio::test]
async fn a_forgotten_password_link_works_once_for_an_hour_and_answers_the_same_for_anyone() {
    let app = spawn_app().await;
    let browser = app.fresh_browser();
    let signed_in = app.fresh_browser();
    signed_in.login_as("buyer@acme.example").await;
    let known = status_json(browser.call("auth/forgot", &[("email", "buyer@acme.example")]).await).await;
    let unknown = status_json(browser.call("auth/forgot", &[("email", "nobody@acme.example")]).await).await;
    assert_eq!(known, unknown);
    assert_eq!(known.0, 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'nobody@acme.example'").await, 0);
    let token = app.mailed_token("buyer@acme.example", "/reset-password/").await;
    assert_eq!(browser.get_page(&format!("/reset-password/{token}")).await.status(), 200);
    let (status, body) =
        status_json(browser.call("auth/reset", &[("token", &token), ("password", "short")]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "account.password_short"));
    assert_eq!(
        browser.call("auth/reset", &[("token", &token), ("password", "brand new password")]).await.status(),
        200
    );
    assert_eq!(signed_in.get_page("/catalog").await.status(), 303, "every session ended");
    let (status, body) =
        status_json(browser.call("auth/reset", &[("token", &token), ("password", "another password")]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "link.invalid"));
    assert_eq!(browser.get_page(&format!("/reset-password/{token}")).await.status(), 404);
    assert_eq!(browser.login("buyer@acme.example", "brand new password").await.status(), 200);
    assert_eq!(audit_count(&app, "password_reset").await, 1);

    // An hour later the link is dead.
    browser.call("auth/forgot", &[("email", "finance@acme.example")]).await;
    let token = app.mailed_token("finance@acme.example", "/reset-password/").await;
    sqlx::query("UPDATE email_tokens SET expires_at = 1 WHERE purpose = 'reset'").execute(&app.pool).await.unwrap();
    assert_eq!(
        browser.call("auth/reset", &[("token", &token), ("password", "brand new password")]).await.status(),
        422
    );
    // Three a hour per address; the fourth is limited, known address or not.
    for _ in 0..2 {
        assert_eq!(browser.call("auth/forgot", &[("email", "nobody@acme.example")]).await.status(), 200);
    }
    assert_eq!(browser.call("auth/forgot", &[("email", "nobody@acme.example")]).await.status(), 429);
}

#[tokio::test]
async fn joining_by_a_verified_domain_asks_an_admin_or_joins_at_once() {
    let app = spawn_app().await;
    let joiner = app.fresh_browser();
    // Same answer for a domain nobody verified and for Acme's.
    let a = status_json(joiner.call("join/start", &[("email", "pat@acme.example")]).await).await;
    let b = status_json(joiner.call("join/start", &[("email", "pat@unverified.example")]).await).await;
    assert_eq!(a, b);
    assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'pat@unverified.example'").await, 0);
    let token = app.mailed_token("pat@acme.example", "/join/").await;
    let view: Value = joiner.call("join/view", &[("token", &token)]).await.json().await.unwrap();
    assert_eq!(view["company"], "Acme Builders");
    assert_eq!(view["joins_at_once"], false);
    let (status, body) = status_json(
        joiner.call("join/complete", &[("token", &token), ("name", "Pat Lee"), ("password", "pats password")]).await,
    )
    .await;
    assert_eq!((status, body), (200, Value::Bool(false)), "waits for an admin");
    assert_eq!(
        joiner
            .call("join/complete", &[("token", &token), ("name", "Pat"), ("password", "pats password")])
            .await
            .status(),
        422
    );

    app.login_as("admin@acme.example").await;
    let requests: Value = app.call("team/join_requests", &[]).await.json().await.unwrap();
    let pat = requests.as_array().unwrap().iter().find(|r| r["email"] == "pat@acme.example").expect("Pat's request");
    let id = pat["id"].to_string();
    let buyer = role_id(&app, "buyer").await;
    let (status, body) = status_json(app.call("team/decide_join", &[("request", &id)]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.join.pick_role"));
    assert_eq!(app.call("team/decide_join", &[("request", &id), ("role", &buyer)]).await.status(), 200);
    let (status, body) = status_json(app.call("team/decide_join", &[("request", &id), ("decline", "on")]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.join.decided"));
    joiner.login("pat@acme.example", "pats password").await;
    let shell: Value = joiner.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["company"]["name"], "Acme Builders");

    // "Join as" Buyer: the next joiner is in at once.
    let domain: Value = app.call("team/domains", &[]).await.json().await.unwrap();
    let domain_id = domain[0]["id"].to_string();
    assert_eq!(app.call("team/domain_policy", &[("domain", &domain_id), ("join_as", &buyer)]).await.status(), 200);
    let quick = app.fresh_browser();
    quick.call("join/start", &[("email", "quinn@acme.example")]).await;
    let token = app.mailed_token("quinn@acme.example", "/join/").await;
    let (status, body) = status_json(
        quick.call("join/complete", &[("token", &token), ("name", "Quinn"), ("password", "quinns password")]).await,
    )
    .await;
    assert_eq!((status, body), (200, Value::Bool(true)));
    let shell: Value = quick.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["company"]["name"], "Acme Builders");
    assert_eq!(audit_count(&app, "joined_by_domain").await, 1);
    assert_eq!(audit_count(&app, "join_approved").await, 1);

    // Acme's domain is Acme's: verifying it again, or Müller claiming it, is refused.
    let (status, body) = status_json(app.call("team/verify_domain", &[]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.domain.already"));
    let anna = app.fresh_browser();
    anna.login_as("anna@mueller.example").await;
    let (status, body) = status_json(anna.call("team/verify_domain", &[]).await).await;
    assert_eq!((status, body), (200, Value::String("mueller.example".into())));
    let token = app.mailed_token("anna@mueller.example", "/verify-domain/").await;
    let page = app.fresh_browser().get_page(&format!("/verify-domain/{token}")).await;
    assert_eq!(page.status(), 200, "opening the link does not use it");
    let (status, body) = status_json(app.fresh_browser().call("domains/confirm", &[("token", &token)]).await).await;
    assert_eq!((status, body), (200, Value::String("mueller.example".into())));
    assert_eq!(app.fresh_browser().call("domains/confirm", &[("token", &token)]).await.status(), 422);
    let theirs: Value = anna.call("team/domains", &[]).await.json().await.unwrap();
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert_eq!(anna.call("team/domain_policy", &[("domain", &domain_id), ("join_as", "")]).await.status(), 404);
}

/// How long a role change takes to reach a member's next request on a second app server.
#[tokio::test]
async fn a_role_change_reaches_the_next_request_on_another_app_server() {
    let app = spawn_app().await;
    let other = app.second_server().await;
    let ben = other.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    assert_eq!(ben.call("orders/checkout", &[]).await.status(), 200);
    app.login_as("admin@acme.example").await;
    let (id, v) = member(&app, "buyer@acme.example").await;
    let finance = role_id(&app, "finance").await;
    let started = std::time::Instant::now();
    assert_eq!(
        app.call("team/update_member", &[("member", &id), ("role", &finance), ("version", &v)]).await.status(),
        200
    );
    // The very next request on the other server, no waiting.
    assert_eq!(ben.call("orders/checkout", &[]).await.status(), 403);
    println!("role change to the member's next request on a second server: {:?}", started.elapsed());
}

#[tokio::test]
async fn an_address_at_a_public_mail_provider_cannot_verify_a_domain() {
    let app = spawn_app().await;
    sqlx::query("UPDATE users SET email = 'dana.whitfield@gmail.com' WHERE email = 'admin@acme.example'")
        .execute(&app.pool)
        .await
        .unwrap();
    app.login_as("dana.whitfield@gmail.com").await;
    let (status, body) = status_json(app.call("team/verify_domain", &[]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "team.domain.public"));
    assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'dana.whitfield@gmail.com'").await, 0);
}

/// The session token of a sign-in response ("portal_session=<token>").
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    set_cookies(response)
        .into_iter()
        .find(|c| c.starts_with("portal_session=") && !c.starts_with("portal_session=;"))
        .map(|c| c.split(';').next().unwrap().to_string())
}

async fn shell_status(app: &TestApp, cookie: &str) -> u16 {
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let sent = plain.post(app.url("/api/session/shell")).header("cookie", cookie).header("origin", app.address.clone());
    sent.send().await.map(checked).unwrap().status().as_u16()
}

#[tokio::test]
async fn a_role_change_rotates_the_members_token_at_their_next_request() {
    let app = spawn_app().await;
    let ben = app.fresh_browser();
    let old = session_cookie(&ben.login("buyer@acme.example", PASSWORD).await).unwrap();
    assert_eq!(shell_status(&app, &old).await, 200);

    app.login_as("admin@acme.example").await;
    let (id, version) = member(&app, "buyer@acme.example").await;
    let requester = role_id(&app, "requester").await;
    let denver = location_id(&app, "Denver Yard").await;
    let form = [("member", id.as_str()), ("role", &requester), ("locations[0]", &denver), ("version", &version)];
    assert_eq!(app.call("team/update_member", &form).await.status(), 200);

    // Ben's next request is answered, under a new token; the one he had is dead from then on.
    let next = ben.call("session/shell", &[]).await;
    assert_eq!(next.status(), 200);
    let new = session_cookie(&next).expect("a new session cookie");
    assert_ne!(new, old);
    assert_eq!(shell_status(&app, &old).await, 401);
    assert_eq!(shell_status(&app, &new).await, 200);
    // Once only: the request after carries no new cookie.
    assert!(session_cookie(&ben.call("session/shell", &[]).await).is_none());
}

#[tokio::test]
async fn switching_company_hands_out_a_new_token_and_kills_the_old() {
    let app = spawn_app().await;
    let old = session_cookie(&app.login("multi@example.com", PASSWORD).await).unwrap();
    let mueller = app.company_id("Müller Haustechnik GmbH").await;
    let switched = app.call("session/switch_company", &[("company_id", &mueller.to_string())]).await;
    assert_eq!(switched.status(), 200);
    let new = session_cookie(&switched).expect("a new session cookie");
    assert_ne!(new, old);
    assert_eq!(shell_status(&app, &old).await, 401);
    let shell: Value = app.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["company"]["name"], "Müller Haustechnik GmbH");
}

#[tokio::test]
async fn signing_in_ends_the_session_the_browser_already_had() {
    let app = spawn_app().await;
    let first = session_cookie(&app.login("buyer@acme.example", PASSWORD).await).unwrap();
    // The same browser signs in as someone else: the first session is gone, not left behind.
    let second = session_cookie(&app.login("admin@acme.example", PASSWORD).await).unwrap();
    assert_ne!(first, second);
    assert_eq!(shell_status(&app, &first).await, 401);
    assert_eq!(shell_status(&app, &second).await, 200);
}
