//! One integration test binary: the real server on a random port, against a fresh SQLite file,
//! or a fresh database in the throwaway PostgreSQL cluster when TEST_DB=postgres.

mod approvals;
mod auth;
mod catalog;
mod freshness;
mod hardening;
mod helpers;
mod invoices;
mod leaks;
mod locale;
mod offer;
mod ordering;
mod pages;
mod quotes;
mod relevance;
mod scaleout;
mod search;
mod team;
