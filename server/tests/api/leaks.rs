//! A member of one company asking for another company's records by id gets exactly the answer
//! for a record that does not exist.

use crate::helpers::*;

async fn body_of(app: &TestApp, endpoint: &str, id: i64) -> (u16, serde_json::Value) {
    let response = app.call(endpoint, &[("id", &id.to_string())]).await;
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn acme_admin_reading_muellers_company_locations_and_members_by_id_gets_not_found() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let mueller = app.company_id("Müller Haustechnik GmbH").await;
    let acme = app.company_id("Acme Builders").await;
    let mueller_location = app.id_of("SELECT id FROM locations WHERE name = $1", "Zentrale München").await;
    let anna = app
        .id_of("SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = $1", "anna@mueller.example")
        .await;
    let missing = 987_654_321;

    for (endpoint, foreign) in [("team/company", mueller), ("team/location", mueller_location), ("team/member", anna)] {
        let foreign_answer = body_of(&app, endpoint, foreign).await;
        let missing_answer = body_of(&app, endpoint, missing).await;
        assert_eq!(foreign_answer.0, 404, "{endpoint}");
        assert_eq!(foreign_answer, missing_answer, "{endpoint}: foreign id must look like a missing one");
        assert!(!foreign_answer.1.to_string().contains("Müller"), "{endpoint} leaked a name");
    }

    // The same calls work for Acme's own records.
    let (status, company) = body_of(&app, "team/company", acme).await;
    assert_eq!(status, 200);
    assert_eq!(company["name"], "Acme Builders");
    let chicago = app.id_of("SELECT id FROM locations WHERE name = $1", "Chicago HQ").await;
    assert_eq!(body_of(&app, "team/location", chicago).await.0, 200);
}

#[tokio::test]
async fn the_member_list_holds_only_the_callers_company() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let response = app.call("team/members", &[]).await;
    assert_eq!(response.status(), 200);
    let members: Vec<serde_json::Value> = response.json().await.unwrap();
    let emails: Vec<&str> = members.iter().map(|m| m["email"].as_str().unwrap()).collect();
    assert!(emails.contains(&"buyer@acme.example"));
    assert!(emails.contains(&"multi@example.com"));
    assert!(!emails.iter().any(|e| e.ends_with("mueller.example") || e.ends_with("kanto.example")));
    assert!(!response_text_has_hash(&members));
}

fn response_text_has_hash(members: &[serde_json::Value]) -> bool {
    serde_json::to_string(members).unwrap().contains("$argon2")
}

#[tokio::test]
async fn roles_without_team_manage_cannot_read_members() {
    let app = spawn_app().await;
    for email in ["buyer@acme.example", "requester@acme.example", "finance@acme.example"] {
        app.login_as(email).await;
        let response = app.call("team/members", &[]).await;
        assert_eq!(response.status(), 403, "{email}");
        app.logout().await;
    }
}

#[tokio::test]
async fn switching_to_a_company_you_do_not_belong_to_is_not_found() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let mueller = app.company_id("Müller Haustechnik GmbH").await;
    let response = app.call("session/switch_company", &[("company_id", &mueller.to_string())]).await;
    assert_eq!(response.status(), 404);
    let shell: serde_json::Value = app.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["company"]["name"], "Acme Builders");
}

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

#[tokio::test]
async fn staff_without_a_company_is_signed_in_but_reads_no_company_records() {
    let app = spawn_app().await;
    app.login_as("staff@northwind.example").await;
    let shell: serde_json::Value = app.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["is_staff"], true);
    assert!(shell["company"].is_null());
    let acme = app.company_id("Acme Builders").await;
    assert_eq!(app.call("team/company", &[("id", &acme.to_string())]).await.status(), 403);
}
