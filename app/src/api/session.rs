//! What the shell shows about the signed-in member, and switching company.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An id and a name, for the company and location switchers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// The header's facts. Only names and codes: no ids of other users, no hashes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShellDto {
    pub merchant_name: String,
    pub user_name: String,
    pub is_staff: bool,
    /// `None` for merchant staff and for users without a membership.
    pub company: Option<Choice>,
    /// Every company the user belongs to (the switcher shows when there are two or more).
    pub companies: Vec<Choice>,
    pub location_name: Option<String>,
    pub location_id: Option<i64>,
    /// The locations the member may buy for (the switcher shows when there are two or more).
    pub locations: Vec<Choice>,
    /// ISO code of the company's price currency.
    pub currency: Option<String>,
    /// Permission codes of the member's role, for showing only what they may use (the server
    /// checks again on every call).
    pub permissions: Vec<String>,
    /// Lines in the member's cart here (the header's cart link shows it); 0 without a company.
    pub cart_lines: i64,
}

impl ShellDto {
    pub fn can(&self, permission: crate::domain::permission::Permission) -> bool {
        self.permissions.iter().any(|p| p == permission.code())
    }
}

/// Needs only a session (the shell of a member without a company still renders, e.g. staff).
#[server(endpoint = "session/shell")]
pub async fn get_shell() -> Result<ShellDto, AppError> {
    use crate::backend::{
        platform::guard,
        platform::state::{app_state, merchant_name},
    };

    let state = app_state()?;
    let current = guard::signed_in()?;
    let merchant_name = merchant_name(&state).await?;
    let directory = state.read.user(&state.pool, current.user_id, current.head).await?;
    let mut dto = ShellDto {
        merchant_name,
        user_name: current.display_name.clone(),
        is_staff: current.is_staff,
        company: None,
        companies: directory
            .memberships
            .iter()
            .map(|m| Choice { id: m.company_id.0, name: m.company_name.clone() })
            .collect(),
        location_name: None,
        location_id: None,
        locations: vec![],
        currency: None,
        permissions: vec![],
        cart_lines: 0,
    };
    if let Ok(actor) = guard::load_actor(&state, &current).await {
        if let Some(membership) = directory.membership(actor.company_id()) {
            dto.company = Some(Choice { id: membership.company_id.0, name: membership.company_name.clone() });
            dto.currency = Some(membership.currency.clone());
            dto.locations =
                membership.locations.iter().map(|(id, name)| Choice { id: *id, name: name.clone() }).collect();
        }
        // The guard already checked the location is one of these.
        dto.location_id = actor.location_id.map(|l| l.0);
        dto.location_name = dto.locations.iter().find(|l| Some(l.id) == dto.location_id).map(|l| l.name.clone());
        dto.permissions = actor.permissions.iter().map(|p| p.code().to_string()).collect();
        if actor.permissions.allows(crate::domain::permission::Permission::CartManage) {
            dto.cart_lines = crate::backend::cart::line_count(&state, &actor).await?;
        }
    }
    Ok(dto)
}

/// Switches the session to another of the user's companies and goes to the catalog (the page
/// the buyer was on may belong to the old company). A company the user is not a member of
/// answers NotFound.
#[server(endpoint = "session/switch_company")]
pub async fn switch_company(company_id: crate::domain::ids::CompanyId) -> Result<(), AppError> {
    use crate::backend::{auth, platform::guard, platform::state::app_state};
    let state = app_state()?;
    let current = guard::signed_in()?;
    let token = auth::switch_company(&state, &current, company_id).await?;
    crate::api::auth::set_session_cookie(&state, &token)?;
    leptos_axum::redirect(crate::domain::return_to::HOME);
    Ok(())
}
