//! /team (members: filter, change role and locations, deactivate and reactivate; invitations;
//! join requests; verified domains), /team/roles (built-in and custom roles) and /team/audit
//! (the audit log). Everything is a plain form post (post/redirect/get): the page works without
//! JavaScript and loads no script.

use crate::api::team::{
    audit_log, list_domains, list_invitations, list_join_requests, list_locations, list_members, list_roles, AuditDto,
    DecideJoin, DeleteRole, DomainPolicy, Invite, MembersDto, ResendInvitation, RevokeInvitation, RoleDto, SaveRole,
    SetActive, UpdateMember, VerifyDomain,
};
use crate::components::error_view::ErrorView;
use crate::components::filters::pager;
use crate::components::team_bits::{location_checks, notice, outcome_of, role_label, role_select, team_nav};
use crate::domain::permission::{Area, Permission};
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Everything /team shows, read in one go on the server.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct TeamData {
    members: MembersDto,
    roles: Vec<RoleDto>,
    locations: Vec<(i64, String)>,
    invitations: Vec<crate::api::team::InvitationDto>,
    requests: Vec<crate::api::team::JoinRequestDto>,
    domains: Vec<crate::api::team::DomainDto>,
    can_audit: bool,
    can_approvals: bool,
}

async fn team_data(q: String, status: String, page: Option<i64>) -> Result<TeamData, AppError> {
    let members = list_members(q, status, page).await?;
    let roles = list_roles().await?;
    let locations = list_locations().await?.into_iter().map(|l| (l.id, l.name)).collect();
    let invitations = list_invitations().await?;
    let requests = list_join_requests().await?;
    let domains = list_domains().await?;
    let shell = crate::api::session::get_shell().await?;
    let (can_audit, can_approvals) = (shell.can(Permission::AuditView), shell.can(Permission::ApprovalsManage));
    Ok(TeamData { members, roles, locations, invitations, requests, domains, can_audit, can_approvals })
}

/// The first form answer on the page, worded.
fn page_notice(locale: Locale) -> impl IntoView {
    let answers = [
        (outcome_of::<UpdateMember>(), "team.saved"),
        (outcome_of::<SetActive>(), "team.saved"),
        (outcome_of::<Invite>(), "team.invite.sent"),
        (outcome_of::<ResendInvitation>(), "team.invite.resent"),
        (outcome_of::<RevokeInvitation>(), "team.invite.revoked"),
        (outcome_of::<DecideJoin>(), "team.saved"),
        (outcome_of::<VerifyDomain>(), "team.domain.sent"),
        (outcome_of::<DomainPolicy>(), "team.saved"),
    ];
    let found = answers.into_iter().find(|(o, _)| o.is_some());
    found.map(|(outcome, key)| notice(locale, outcome, tr!(locale, key)))
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let (q, status, page) = query.with_untracked(|p| {
        (
            p.get("q").unwrap_or_default(),
            p.get("status").unwrap_or_default(),
            p.get("page").and_then(|v| v.parse().ok()),
        )
    });
    let data = Resource::new(move || (q.clone(), status.clone(), page), |(q, s, p)| team_data(q, s, p));
    view! {
        <Title text=tr!(locale, "nav.team") />
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <TeamView d locale /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TeamView(d: TeamData, locale: Locale) -> impl IntoView {
    let query = use_query_map();
    let (q, status) = query.with_untracked(|p| (p.get("q").unwrap_or_default(), p.get("status").unwrap_or_default()));
    let roles: Vec<(i64, String, String)> = d.roles.iter().map(|r| (r.id, r.code.clone(), r.name.clone())).collect();
    let m = d.members.clone();
    let params = vec![("q", Some(q.clone())), ("status", Some(status.clone()))];
    let link = move |page: i64| crate::url::page_link("/team", &params, page);
    let statuses =
        [("", "team.status.any"), ("active", "team.status.active"), ("deactivated", "team.status.deactivated")];
    view! {
        <section class="page team">
            <h1>{tr!(locale, "nav.team")}</h1>
            {team_nav(locale, "/team", d.can_audit, d.can_approvals)}
            {page_notice(locale)}
            <form method="get" action="/team" class="filters" role="search">
                <div class="field">
                    <label for="team-q">{tr!(locale, "team.search")}</label>
                    <input id="team-q" type="search" name="q" value=q.clone() maxlength="100" />
                </div>
                <div class="field">
                    <label for="team-status">{tr!(locale, "team.status.label")}</label>
                    <select id="team-status" name="status">
                        {statuses.into_iter().map(|(v, key)| view! { <option value=v selected=status == v>{tr!(locale, key)}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit">{tr!(locale, "shell.apply")}</button>
            </form>
            <p class="muted small" data-testid="member-count">{tr!(locale, "team.count", count = m.total)}</p>
            <ul class="member-list">
                {m.members.into_iter().map(|member| view! { <MemberItem member roles=roles.clone() locations=d.locations.clone() locale /> }).collect_view()}
            </ul>
            {(m.pages > 1).then(|| pager(locale, m.page, (m.page > 1).then(|| link(m.page - 1)), (m.page < m.pages).then(|| link(m.page + 1))))}
            <InviteForm roles=roles.clone() locations=d.locations.clone() company_locale=m.company_locale.clone() locale />
            <Invitations list=d.invitations locale />
            <JoinRequests list=d.requests roles=roles.clone() locale />
            <Domains list=d.domains roles=roles locale />
        </section>
    }
}

#[component]
fn MemberItem(
    member: crate::api::team::MemberDto,
    roles: Vec<(i64, String, String)>,
    locations: Vec<(i64, String)>,
    locale: Locale,
) -> impl IntoView {
    let update = ServerAction::<UpdateMember>::new();
    let set_active = ServerAction::<SetActive>::new();
    let role = role_label(locale, &member.role_code, &member.role_name);
    let where_ = if member.locations.is_empty() {
        tr!(locale, "team.company_wide")
    } else {
        member.locations.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")
    };
    let checked: Vec<i64> = member.locations.iter().map(|(id, _)| *id).collect();
    let prefix = format!("m{}", member.id);
    let last = if member.last_sign_in.is_empty() { tr!(locale, "team.never") } else { member.last_sign_in.clone() };
    let status_key = if member.active { "team.status.active" } else { "team.status.deactivated" };
    let limits =
        [(member.order_limit.clone(), "approvals.per_order"), (member.month_limit.clone(), "approvals.per_month")]
            .into_iter()
            .filter(|(v, _)| !v.is_empty())
            .map(|(v, key)| format!("{}: {v}", tr!(locale, key)))
            .collect::<Vec<_>>()
            .join(" · ");
    view! {
        <li class="member" class:inactive=!member.active data-testid="member" data-email=member.email.clone()>
            <div class="member-head">
                <strong dir="auto">{member.name.clone()}</strong>
                <span class="muted">{member.email.clone()}</span>
            </div>
            <dl class="member-facts">
                <div><dt>{tr!(locale, "team.role")}</dt><dd data-testid="member-role">{role}</dd></div>
                <div><dt>{tr!(locale, "team.locations")}</dt><dd dir="auto">{where_}</dd></div>
                <div><dt>{tr!(locale, "team.status.label")}</dt><dd><span class="status">{tr!(locale, status_key)}</span></dd></div>
                <div><dt>{tr!(locale, "team.last_sign_in")}</dt><dd>{last}</dd></div>
                {(!member.order_limit.is_empty() || !member.month_limit.is_empty()).then(|| view! {
                    <div><dt>{tr!(locale, "approvals.limits")}</dt><dd data-testid="member-limits">{limits}</dd></div>
                })}
            </dl>
            <details class="member-edit">
                <summary>{tr!(locale, "team.change", name = member.name.clone())}</summary>
                <ActionForm action=update attr:class="stack">
                    <input type="hidden" name="member" value=member.id />
                    <input type="hidden" name="version" value=member.version />
                    {role_select(locale, format!("{prefix}-role"), "role", &roles, Some(member.role_id))}
                    {location_checks(locale, prefix.clone(), &locations, &checked)}
                    <button type="submit" class="primary">{tr!(locale, "team.save")}</button>
                </ActionForm>
            </details>
            {(!member.is_self).then(|| view! {
                <ActionForm action=set_active attr:class="inline-form">
                    <input type="hidden" name="member" value=member.id />
                    <input type="hidden" name="version" value=member.version />
                    {if member.active {
                        view! { <button type="submit" data-testid="deactivate">{tr!(locale, "team.deactivate")}</button> }.into_any()
                    } else {
                        view! { <input type="hidden" name="active" value="on" /><button type="submit" data-testid="reactivate">{tr!(locale, "team.reactivate")}</button> }.into_any()
                    }}
                </ActionForm>
            })}
        </li>
    }
}

#[component]
fn InviteForm(
    roles: Vec<(i64, String, String)>,
    locations: Vec<(i64, String)>,
    company_locale: String,
    locale: Locale,
) -> impl IntoView {
    let invite = ServerAction::<Invite>::new();
    let buyer = roles.iter().find(|(_, code, _)| code == "buyer").map(|(id, _, _)| *id);
    view! {
        <section class="team-section" aria-labelledby="invite-title">
            <h2 id="invite-title">{tr!(locale, "team.invite.title")}</h2>
            <ActionForm action=invite attr:class="stack invite-form" attr:novalidate="novalidate">
                <label for="invite-email">{tr!(locale, "team.email")}</label>
                <input id="invite-email" type="email" name="email" required maxlength="254" autocomplete="off" />
                {role_select(locale, "invite-role".into(), "role", &roles, buyer)}
                {location_checks(locale, "invite".into(), &locations, &[])}
                <label for="invite-locale">{tr!(locale, "team.invite.language")}</label>
                <select id="invite-locale" name="locale">
                    {crate::i18n::Locale::ALL.into_iter().map(|l| view! {
                        <option value=l.tag() lang=l.tag() selected=l.tag() == company_locale>{l.native_name()}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="primary">{tr!(locale, "team.invite.submit")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Invitations(list: Vec<crate::api::team::InvitationDto>, locale: Locale) -> impl IntoView {
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    (!list.is_empty()).then(|| view! {
        <section class="team-section" aria-labelledby="invitations-title">
            <h2 id="invitations-title">{tr!(locale, "team.invite.pending")}</h2>
            <ul class="member-list">
                {list.into_iter().map(|i| {
                    let role = role_label(locale, &i.role_code, &i.role_name);
                    let expiry = tr!(locale, if i.expired { "team.invite.expired" } else { "team.invite.expires" }, date = i.expires.clone());
                    view! {
                        <li class="member" data-testid="invitation" data-email=i.email.clone()>
                            <div class="member-head"><strong>{i.email.clone()}</strong><span class="muted">{role}</span></div>
                            <p class="muted small">{tr!(locale, "team.invite.by", name = i.invited_by.clone())}" · "{expiry}</p>
                            <div class="form-actions">
                                <ActionForm action=resend>
                                    <input type="hidden" name="invitation" value=i.id />
                                    <button type="submit">{tr!(locale, "team.invite.resend")}</button>
                                </ActionForm>
                                <ActionForm action=revoke>
                                    <input type="hidden" name="invitation" value=i.id />
                                    <button type="submit">{tr!(locale, "team.invite.revoke")}</button>
                                </ActionForm>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
}

#[component]
fn JoinRequests(
    list: Vec<crate::api::team::JoinRequestDto>,
    roles: Vec<(i64, String, String)>,
    locale: Locale,
) -> impl IntoView {
    let decide = ServerAction::<DecideJoin>::new();
    let buyer = roles.iter().find(|(_, code, _)| code == "buyer").map(|(id, _, _)| *id);
    let items: Vec<AnyView> = list
        .into_iter()
        .map(|r| {
            let select = role_select(locale, format!("join-{}-role", r.id), "role", &roles, buyer);
            view! {
                <li class="member" data-testid="join-request">
                    <div class="member-head"><strong dir="auto">{r.name.clone()}</strong><span class="muted">{r.email.clone()}</span></div>
                    <p class="muted small">{tr!(locale, "team.join.asked", date = r.asked.clone())}</p>
                    <ActionForm action=decide attr:class="inline-form">
                        <input type="hidden" name="request" value=r.id />
                        {select}
                        <button type="submit" class="primary">{tr!(locale, "team.join.approve")}</button>
                        <button type="submit" name="decline" value="on">{tr!(locale, "team.join.decline")}</button>
                    </ActionForm>
                </li>
            }
            .into_any()
        })
        .collect();
    (!items.is_empty()).then(|| {
        view! {
            <section class="team-section" aria-labelledby="requests-title">
                <h2 id="requests-title">{tr!(locale, "team.join.title")}</h2>
                <ul class="member-list">{items}</ul>
            </section>
        }
    })
}

#[component]
fn Domains(list: Vec<crate::api::team::DomainDto>, roles: Vec<(i64, String, String)>, locale: Locale) -> impl IntoView {
    let verify = ServerAction::<VerifyDomain>::new();
    let policy = ServerAction::<DomainPolicy>::new();
    let items: Vec<AnyView> = list
        .into_iter()
        .map(|d| {
            let id = format!("domain-{}", d.id);
            let for_id = id.clone();
            let options: Vec<AnyView> = roles
                .iter()
                .map(|(rid, code, name)| {
                    let label = tr!(locale, "team.domain.join_as", role = role_label(locale, code, name));
                    view! { <option value=rid.to_string() selected=d.join_as == Some(*rid)>{label}</option> }.into_any()
                })
                .collect();
            view! {
                <li class="member" data-testid="domain">
                    <div class="member-head"><strong>{d.domain.clone()}</strong><span class="muted small">{tr!(locale, "team.domain.verified", date = d.verified.clone())}</span></div>
                    <ActionForm action=policy attr:class="inline-form">
                        <input type="hidden" name="domain" value=d.id />
                        <label for=for_id>{tr!(locale, "team.domain.policy")}</label>
                        <select id=id name="join_as">
                            <option value="" selected=d.join_as.is_none()>{tr!(locale, "team.domain.ask")}</option>
                            {options}
                        </select>
                        <button type="submit">{tr!(locale, "team.save")}</button>
                    </ActionForm>
                </li>
            }
            .into_any()
        })
        .collect();
    view! {
        <section class="team-section" aria-labelledby="domains-title">
            <h2 id="domains-title">{tr!(locale, "team.domain.title")}</h2>
            <p class="muted">{tr!(locale, "team.domain.help")}</p>
            <ul class="member-list">{items}</ul>
            <ActionForm action=verify>
                <button type="submit">{tr!(locale, "team.domain.verify")}</button>
            </ActionForm>
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// /team/roles

#[component]
pub fn RolesPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(
        || (),
        |_| async move {
            let roles = list_roles().await?;
            let shell = crate::api::session::get_shell().await?;
            Ok::<_, AppError>((roles, shell.can(Permission::AuditView), shell.can(Permission::ApprovalsManage)))
        },
    );
    view! {
        <Title text=tr!(locale, "team.roles.title") />
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((roles, can_audit, can_approvals)) => view! { <RolesView roles can_audit can_approvals locale /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RolesView(roles: Vec<RoleDto>, can_audit: bool, can_approvals: bool, locale: Locale) -> impl IntoView {
    let answers = [(outcome_of::<SaveRole>(), "team.roles.saved"), (outcome_of::<DeleteRole>(), "team.roles.deleted")];
    let shown = answers.into_iter().find(|(o, _)| o.is_some()).map(|(o, key)| notice(locale, o, tr!(locale, key)));
    view! {
        <section class="page team">
            <h1>{tr!(locale, "team.roles.title")}</h1>
            {team_nav(locale, "/team/roles", can_audit, can_approvals)}
            {shown}
            <ul class="role-list">
                {roles.into_iter().map(|r| view! { <RoleItem role=r locale /> }).collect_view()}
            </ul>
            <section class="team-section" aria-labelledby="new-role-title">
                <h2 id="new-role-title">{tr!(locale, "team.roles.new")}</h2>
                {role_form(locale, None)}
            </section>
        </section>
    }
}

#[component]
fn RoleItem(role: RoleDto, locale: Locale) -> impl IntoView {
    let delete = ServerAction::<DeleteRole>::new();
    let label = role_label(locale, &role.code, &role.name);
    let held = tr!(locale, "team.roles.members", count = role.members);
    let summary: Vec<String> = Permission::ALL
        .into_iter()
        .filter(|p| role.permissions.iter().any(|c| c == p.code()))
        .map(|p| tr!(locale, &p.description_key()))
        .collect();
    view! {
        <li class="role" data-testid="role" data-role=role.code.clone()>
            <div class="member-head">
                <strong dir="auto">{label}</strong>
                <span class="muted small">{held}</span>
                {role.built_in.then(|| view! { <span class="status">{tr!(locale, "team.roles.built_in_badge")}</span> })}
            </div>
            <ul class="permission-summary small">
                {summary.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
            </ul>
            {(!role.built_in).then(|| {
                let id = role.id;
                let in_use = role.members > 0;
                view! {
                    <details class="member-edit">
                        <summary>{tr!(locale, "team.roles.edit")}</summary>
                        {role_form(locale, Some(role.clone()))}
                    </details>
                    <ActionForm action=delete attr:class="inline-form">
                        <input type="hidden" name="role" value=id />
                        <button type="submit" aria-describedby=in_use.then(|| format!("role-{id}-in-use"))>{tr!(locale, "team.roles.delete")}</button>
                        {in_use.then(|| view! { <span id=format!("role-{id}-in-use") class="muted small">{tr!(locale, "team.roles.move_first")}</span> })}
                    </ActionForm>
                }
            })}
        </li>
    }
}

/// Name and permission checkboxes grouped by area, each with its plain-language description.
fn role_form(locale: Locale, role: Option<RoleDto>) -> impl IntoView {
    let save = ServerAction::<SaveRole>::new();
    let prefix = role.as_ref().map(|r| format!("role-{}", r.id)).unwrap_or_else(|| "role-new".into());
    let held: Vec<String> = role.as_ref().map(|r| r.permissions.clone()).unwrap_or_default();
    let name_id = format!("{prefix}-name");
    view! {
        <ActionForm action=save attr:class="stack role-form" attr:novalidate="novalidate">
            {role.as_ref().map(|r| view! {
                <input type="hidden" name="role" value=r.id />
                <input type="hidden" name="version" value=r.version />
            })}
            <label for=name_id.clone()>{tr!(locale, "team.roles.name")}</label>
            <input id=name_id type="text" name="name" required maxlength="60" value=role.as_ref().map(|r| r.name.clone()).unwrap_or_default() />
            {Area::ALL.into_iter().map(|area| view! {
                <fieldset class="checks">
                    <legend>{tr!(locale, &format!("permission_areas.{}", area.code()))}</legend>
                    {area.permissions().map(|p| {
                        let index = Permission::ALL.iter().position(|x| *x == p).unwrap_or(0);
                        let id = format!("{prefix}-{}", p.code().replace('.', "-"));
                        let for_id = id.clone();
                        view! {
                            <label for=for_id class="check">
                                <input type="checkbox" id=id name=format!("permissions[{index}]") value=p.code() checked=held.iter().any(|c| c == p.code()) />
                                <span>{tr!(locale, &p.description_key())}" "<code class="muted small">{p.code()}</code></span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }).collect_view()}
            <button type="submit" class="primary">{tr!(locale, if role.is_some() { "team.save" } else { "team.roles.create" })}</button>
        </ActionForm>
    }
}

// ---------------------------------------------------------------------------------------------
// /team/audit

#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let params: Vec<(&'static str, String)> = query.with_untracked(|p| {
        ["action", "q", "from", "until"].into_iter().map(|k| (k, p.get(k).unwrap_or_default())).collect()
    });
    let before = query.with_untracked(|p| p.get("before").and_then(|b| b.parse::<i64>().ok()));
    let get = |params: &[(&'static str, String)], key: &str| {
        params.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()).unwrap_or_default()
    };
    let (action, q, from, until) =
        (get(&params, "action"), get(&params, "q"), get(&params, "from"), get(&params, "until"));
    let data = Resource::new(
        move || (action.clone(), q.clone(), from.clone(), until.clone(), before),
        |(a, q, f, u, b)| audit_log(a, q, f, u, b),
    );
    view! {
        <Title text=tr!(locale, "audit.title") />
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || {
                let params = params.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(dto) => view! { <AuditView dto params locale /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The audit action codes, in the order the filter lists them.
const ACTIONS: [&str; 22] = [
    "invited",
    "invitation_resent",
    "invitation_revoked",
    "invitation_accepted",
    "role_changed",
    "locations_changed",
    "deactivated",
    "reactivated",
    "role_created",
    "role_edited",
    "role_deleted",
    "domain_verified",
    "domain_policy_changed",
    "join_requested",
    "join_approved",
    "join_declined",
    "joined_by_domain",
    "password_reset",
    "password_changed",
    "approval_rule_added",
    "approval_rule_deleted",
    "limits_changed",
];

#[component]
fn AuditView(dto: AuditDto, params: Vec<(&'static str, String)>, locale: Locale) -> impl IntoView {
    let value = |key: &str| params.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()).unwrap_or_default();
    let (action, q, from, until) = (value("action"), value("q"), value("from"), value("until"));
    let query: String = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::url::encode_component(v)))
        .collect::<Vec<_>>()
        .join("&");
    let csv = if query.is_empty() { "/team/audit.csv".to_string() } else { format!("/team/audit.csv?{query}") };
    let older = dto.next_before.map(|b| {
        if query.is_empty() {
            format!("/team/audit?before={b}")
        } else {
            format!("/team/audit?{query}&before={b}")
        }
    });
    view! {
        <section class="page team">
            <h1>{tr!(locale, "audit.title")}</h1>
            {team_nav(locale, "/team/audit", true, true)}
            <form method="get" action="/team/audit" class="filters">
                <div class="field">
                    <label for="audit-action">{tr!(locale, "audit.action")}</label>
                    <select id="audit-action" name="action">
                        <option value="">{tr!(locale, "catalog.any")}</option>
                        {ACTIONS.into_iter().map(|code| view! {
                            <option value=code selected=action == code>{tr!(locale, &format!("audit.actions.{code}"))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-q">{tr!(locale, "audit.search")}</label>
                    <input id="audit-q" type="search" name="q" value=q maxlength="100" />
                </div>
                <div class="field">
                    <label for="audit-from">{tr!(locale, "orders.from")}</label>
                    <input id="audit-from" type="date" name="from" value=from />
                </div>
                <div class="field">
                    <label for="audit-until">{tr!(locale, "orders.to")}</label>
                    <input id="audit-until" type="date" name="until" value=until />
                </div>
                <button type="submit">{tr!(locale, "shell.apply")}</button>
                <a href=csv download="audit.csv" data-testid="audit-csv">{tr!(locale, "audit.export")}</a>
            </form>
            <p class="muted small">{tr!(locale, "audit.count", count = dto.total)}</p>
            {if dto.entries.is_empty() {
                view! { <p>{tr!(locale, "audit.empty")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="data-table audit">
                        <caption class="visually-hidden">{tr!(locale, "audit.title")}</caption>
                        <thead><tr>
                            <th scope="col">{tr!(locale, "audit.when")}</th>
                            <th scope="col">{tr!(locale, "audit.who")}</th>
                            <th scope="col">{tr!(locale, "audit.action")}</th>
                            <th scope="col">{tr!(locale, "audit.subject")}</th>
                            <th scope="col">{tr!(locale, "audit.detail")}</th>
                        </tr></thead>
                        <tbody>
                            {dto.entries.into_iter().map(|e| view! {
                                // data-label: a phone shows each entry as a card, its labels beside the values.
                                <tr data-testid="audit-entry" data-action=e.action.clone()>
                                    <td class="nowrap" data-label=tr!(locale, "audit.when")>{e.at}</td>
                                    <td dir="auto" data-label=tr!(locale, "audit.who")>{e.actor}</td>
                                    <td data-label=tr!(locale, "audit.action")>{tr!(locale, &format!("audit.actions.{}", e.action))}</td>
                                    <td dir="auto" data-label=tr!(locale, "audit.subject")>{e.subject}</td>
                                    <td dir="auto" data-label=tr!(locale, "audit.detail")>{e.detail}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
            {older.map(|href| view! { <nav class="pager"><a href=href rel="next">{tr!(locale, "audit.older")}</a></nav> })}
        </section>
    }
}
