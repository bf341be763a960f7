//! The catalog read model: every product, variant, price tier, quantity rule and stock figure in
//! memory, as of one seq of the change log (`backend::read_model::log`). A snapshot is immutable; a change
//! builds the next one, sharing what did not change (a stock change copies one product and a
//! vector of pointers). Descriptions stay in the database: only a product page shows one.
//!
//! Visibility is decided here and nowhere else: a product is returned only when one of its
//! catalogs is among the caller's (`visible_catalogs`), so lists, slugs, counts and facets agree.

use super::repo::{self, RECORD_SEP, UNIT_SEP};
use super::rows::{FacetKeys, FacetRow};
use crate::backend::platform::db::DbKind;
use crate::domain::ids::{CompanyId, LocationId};
use crate::domain::money::Currency;
use crate::domain::pricing::{applicable_lists, ListKind, PriceList, QuantityRule, Tier, VariantPrices};
use crate::error::AppError;
use crate::i18n::Locale;
use sqlx::AnyPool;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Above this many changed products a patch rebuilds the indexes instead of editing them.
const PATCH_LIMIT: usize = 2_000;
/// Ids per `IN (…)` list when reloading changed products.
const CHUNK: usize = 500;

fn slot_of(locale: Locale) -> usize {
    locale as usize
}

/// Texts per locale from "locale␟text␞…"; a locale without a row falls back to English.
pub(crate) fn texts_by_locale(packed: Option<&str>) -> Vec<Box<str>> {
    let mut texts: Vec<Option<Box<str>>> = vec![None; Locale::ALL.len()];
    for record in packed.unwrap_or("").split(RECORD_SEP) {
        if let Some((tag, text)) = record.split_once(UNIT_SEP) {
            if let Some(locale) = Locale::parse(tag).filter(|l| l.tag() == tag) {
                texts[slot_of(locale)] = Some(text.into());
            }
        }
    }
    let english: Box<str> = texts[0].clone().unwrap_or_default();
    texts.into_iter().map(|t| t.unwrap_or_else(|| english.clone())).collect()
}

#[derive(Debug)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    names: Vec<Box<str>>,
}

impl Category {
    pub fn name(&self, locale: Locale) -> &str {
        &self.names[slot_of(locale)]
    }
}

#[derive(Clone, Copy, Debug)]
struct ListInfo {
    currency: Currency,
    kind: ListKind,
    valid_from: Option<i64>,
    valid_to: Option<i64>,
}

/// The small tables: categories, attribute labels, price lists, catalogs and their assignments.
#[derive(Debug, Default)]
pub struct Meta {
    /// By position.
    pub categories: Vec<Category>,
    labels: HashMap<(String, String), Vec<Box<str>>>,
    lists: HashMap<i64, ListInfo>,
    /// (catalog, company, location)
    catalog_assignments: Vec<(i64, i64, Option<i64>)>,
    /// (list, company, location, priority)
    list_assignments: Vec<(i64, i64, Option<i64>, i64)>,
}

impl Meta {
    async fn load(pool: &AnyPool, db: DbKind) -> Result<Meta, sqlx::Error> {
        let categories = repo::categories(pool, db)
            .await?
            .into_iter()
            .map(|(id, parent_id, slug, _, names)| Category {
                id,
                parent_id,
                slug,
                names: texts_by_locale(names.as_deref()),
            })
            .collect();
        let mut labels: HashMap<(String, String), Vec<Option<Box<str>>>> = HashMap::new();
        for (attribute, value, tag, label) in repo::attribute_labels(pool).await? {
            if let Some(locale) = Locale::parse(&tag).filter(|l| l.tag() == tag) {
                labels.entry((attribute, value)).or_insert_with(|| vec![None; Locale::ALL.len()])[slot_of(locale)] =
                    Some(repo::label_case(label).into());
            }
        }
        let labels = labels
            .into_iter()
            .map(|(key, by_locale)| {
                let english: Box<str> = by_locale[0].clone().unwrap_or_else(|| key.1.as_str().into());
                (key, by_locale.into_iter().map(|l| l.unwrap_or_else(|| english.clone())).collect())
            })
            .collect();
        let mut lists = HashMap::new();
        for (id, currency, base, bp, valid_from, valid_to) in repo::price_lists(pool).await? {
            // A list in a currency this build does not know prices nothing (and is logged once here).
            let Ok(currency) = Currency::parse(&currency) else {
                tracing::warn!("price list {id} has an unknown currency {currency}");
                continue;
            };
            let kind = match (base, bp) {
                (Some(base), Some(adjustment_bp)) => ListKind::Percent { base, adjustment_bp },
                _ => ListKind::Fixed,
            };
            lists.insert(id, ListInfo { currency, kind, valid_from, valid_to });
        }
        Ok(Meta {
            categories,
            labels,
            lists,
            catalog_assignments: repo::catalog_assignments(pool).await?,
            list_assignments: repo::price_list_assignments(pool).await?,
        })
    }

    pub fn category(&self, id: i64) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// "Parent / Child" in `locale` (a neutral separator reads right in both directions).
    pub fn category_path(&self, id: i64, locale: Locale) -> String {
        match self.category(id) {
            Some(c) => match c.parent_id.and_then(|p| self.category(p)) {
                Some(parent) => format!("{} / {}", parent.name(locale), c.name(locale)),
                None => c.name(locale).to_string(),
            },
            None => String::new(),
        }
    }

    /// The label of an attribute value in `locale`; a literal value (a size) is itself.
    pub fn label(&self, attribute: &str, value: &str, locale: Locale) -> String {
        match self.labels.get(&(attribute.to_string(), value.to_string())) {
            Some(by_locale) => by_locale[slot_of(locale)].to_string(),
            None => value.to_string(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Variant {
    pub id: i64,
    pub sku: String,
    pub unit: String,
    pub pack_size: i64,
    pub weight_grams: i64,
    /// Hidden price: never priced for a buyer.
    pub quote_only: bool,
    /// (attribute, value code or literal)
    pub attributes: Vec<(Arc<str>, Arc<str>)>,
    /// Every list's tiers, grouped by list and ascending by quantity; `tier_lists` says where
    /// each list's run starts and ends.
    tiers: Box<[Tier]>,
    tier_lists: Box<[(i64, u32, u32)]>,
    rules: Box<[(i64, QuantityRule)]>,
    /// Units in all warehouses together.
    pub stock: i64,
    /// The earliest date more arrives at a warehouse that has none.
    pub backorder: Option<i64>,
}

impl VariantPrices for Variant {
    fn tiers(&self, list: i64) -> Option<&[Tier]> {
        self.tier_lists
            .iter()
            .find(|(l, _, _)| *l == list)
            .map(|&(_, start, end)| &self.tiers[start as usize..end as usize])
    }
    fn rule(&self, list: i64) -> Option<QuantityRule> {
        self.rules.iter().find(|(l, _)| *l == list).map(|(_, r)| *r)
    }
}

impl Variant {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(a, _)| &**a == name).map(|(_, v)| &**v)
    }

    fn from_row(row: repo::VariantRow, interned: &mut HashSet<Arc<str>>) -> Variant {
        let (id, _, sku, unit, pack_size, weight_grams, quote_only, attributes, tiers, rules, stock, backorder) = row;
        let mut intern = |s: &str| -> Arc<str> {
            match interned.get(s) {
                Some(a) => a.clone(),
                None => {
                    let a: Arc<str> = s.into();
                    interned.insert(a.clone());
                    a
                }
            }
        };
        let attributes = attributes
            .as_deref()
            .unwrap_or("")
            .split(RECORD_SEP)
            .filter_map(|r| r.split_once(UNIT_SEP))
            .map(|(a, v)| (intern(a), intern(v)))
            .collect();
        let mut parsed: Vec<(i64, Tier)> = tiers
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|t| {
                let mut parts = t.split(':').map(|p| p.parse::<i64>());
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(Ok(list)), Some(Ok(min_quantity)), Some(Ok(unit_minor))) => {
                        Some((list, Tier { min_quantity, unit_minor }))
                    }
                    _ => None,
                }
            })
            .collect();
        parsed.sort_by_key(|(list, t)| (*list, t.min_quantity));
        let mut tier_lists: Vec<(i64, u32, u32)> = vec![];
        for (i, (list, _)) in parsed.iter().enumerate() {
            match tier_lists.last_mut() {
                Some((l, _, end)) if l == list => *end = i as u32 + 1,
                _ => tier_lists.push((*list, i as u32, i as u32 + 1)),
            }
        }
        let rules = rules
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|r| {
                let parts: Vec<&str> = r.split(':').collect();
                let [list, min, max, increment] = parts.as_slice() else { return None };
                let max = if max.is_empty() { None } else { Some(max.parse().ok()?) };
                Some((list.parse().ok()?, QuantityRule::new(min.parse().ok()?, max, increment.parse().ok()?)))
            })
            .collect();
        Variant {
            id,
            sku,
            unit,
            pack_size,
            weight_grams,
            quote_only: quote_only != 0,
            attributes,
            tiers: parsed.into_iter().map(|(_, t)| t).collect(),
            tier_lists: tier_lists.into(),
            rules,
            stock,
            backorder,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Product {
    pub id: i64,
    pub slug: String,
    pub category_id: i64,
    names: Vec<Box<str>>,
    catalogs: Box<[i64]>,
    pub variants: Vec<Variant>,
}

impl Product {
    pub fn name(&self, locale: Locale) -> &str {
        &self.names[slot_of(locale)]
    }

    pub fn catalogs(&self) -> &[i64] {
        &self.catalogs
    }

    pub fn visible_in(&self, catalogs: &[i64]) -> bool {
        self.catalogs.iter().any(|c| catalogs.contains(c))
    }

    fn has(&self, attribute: &str, value: &str) -> bool {
        self.variants.iter().any(|v| v.attribute(attribute) == Some(value))
    }
}

/// Products from their rows and their variants' rows (both ordered by product).
async fn load_products(pool: &AnyPool, db: DbKind, ids: Option<&[i64]>) -> Result<Vec<Product>, sqlx::Error> {
    let mut products = vec![];
    let mut interned = HashSet::new();
    let chunks: Vec<Option<&[i64]>> = match ids {
        Some(ids) => ids.chunks(CHUNK).map(Some).collect(),
        None => vec![None],
    };
    for chunk in chunks {
        let mut variants: HashMap<i64, Vec<Variant>> = HashMap::new();
        for row in repo::variants(pool, db, chunk).await? {
            let product = row.1;
            variants.entry(product).or_default().push(Variant::from_row(row, &mut interned));
        }
        for (id, slug, category_id, texts, catalogs) in repo::products(pool, db, chunk).await? {
            products.push(Product {
                id,
                slug,
                category_id,
                names: texts_by_locale(texts.as_deref()),
                catalogs: catalogs.as_deref().unwrap_or("").split(',').filter_map(|c| c.parse().ok()).collect(),
                variants: variants.remove(&id).unwrap_or_default(),
            });
        }
    }
    Ok(products)
}

/// Where to find products: by id, slug and variant id, and in name order per locale.
#[derive(Clone, Default)]
struct Index {
    by_id: HashMap<i64, u32>,
    /// The same for ids up to a few times the product count (ids are handed out in sequence, so
    /// nearly all): an array read instead of a hash lookup when search maps thousands of matches.
    /// `u32::MAX` where there is no product.
    dense: Vec<u32>,
    by_slug: HashMap<String, u32>,
    by_variant: HashMap<i64, u32>,
    /// Variant id by upper-cased SKU, for ordering by SKU.
    by_sku: HashMap<String, i64>,
    /// Per locale: slots of live products, by lower-cased name, then id.
    order: Vec<Vec<u32>>,
}

fn sort_key(product: &Product, locale: Locale) -> (String, i64) {
    (product.name(locale).to_lowercase(), product.id)
}

impl Index {
    fn build(products: &[Option<Arc<Product>>]) -> Index {
        let mut index = Index::default();
        for (slot, p) in products.iter().enumerate() {
            if let Some(p) = p {
                index.add(p, slot as u32);
            }
        }
        index.order = Locale::ALL
            .iter()
            .map(|&locale| {
                let mut slots: Vec<u32> =
                    products.iter().enumerate().filter(|(_, p)| p.is_some()).map(|(s, _)| s as u32).collect();
                slots.sort_by_cached_key(|&s| products[s as usize].as_ref().map(|p| sort_key(p, locale)));
                slots
            })
            .collect();
        index
    }

    fn add(&mut self, p: &Product, slot: u32) {
        self.by_id.insert(p.id, slot);
        if let Ok(at) = usize::try_from(p.id) {
            if at < 4 * (self.by_id.len() + 1_024) {
                if at >= self.dense.len() {
                    self.dense.resize(at + 1, u32::MAX);
                }
                self.dense[at] = slot;
            }
        }
        self.by_slug.insert(p.slug.clone(), slot);
        for v in &p.variants {
            self.by_variant.insert(v.id, slot);
            self.by_sku.insert(v.sku.to_uppercase(), v.id);
        }
    }

    fn remove(&mut self, p: &Product) {
        self.by_id.remove(&p.id);
        if let Some(slot) = usize::try_from(p.id).ok().and_then(|at| self.dense.get_mut(at)) {
            *slot = u32::MAX;
        }
        self.by_slug.remove(&p.slug);
        for v in &p.variants {
            self.by_variant.remove(&v.id);
            let key = v.sku.to_uppercase();
            if self.by_sku.get(&key) == Some(&v.id) {
                self.by_sku.remove(&key);
            }
        }
    }
}

/// Filter options of a set of catalogs in one language, only from visible products.
#[derive(Clone, Debug)]
pub struct Facets {
    /// (id, slug, name, parent) in category order; parents of visible categories included.
    pub categories: Vec<(i64, String, String, Option<i64>)>,
    /// (code, label) by label.
    pub materials: Vec<(String, String)>,
    pub colours: Vec<(String, String)>,
}

pub struct ListFilter {
    /// The category and its sub-categories.
    pub categories: Option<Vec<i64>>,
    pub material: Option<String>,
    pub colour: Option<String>,
    pub descending: bool,
    pub offset: usize,
    pub limit: usize,
}

pub struct Snapshot {
    pub seq: i64,
    db: DbKind,
    products: Vec<Option<Arc<Product>>>,
    index: Arc<Index>,
    pub meta: Arc<Meta>,
    /// By slot, like `products`: what facet counting reads (see `rows`).
    rows: Arc<Vec<FacetRow>>,
    keys: Arc<FacetKeys>,
    facets: Arc<Mutex<HashMap<(Vec<i64>, Locale), Arc<Facets>>>>,
}

/// What changed in the catalog since a snapshot, by entity (the read model collects it from the
/// change log; the snapshot does not know where it came from).
#[derive(Debug, Default)]
pub struct CatalogChanges {
    /// Variants whose stock changed.
    pub stock: Vec<i64>,
    /// Products whose row, texts, variants or catalog membership changed.
    pub products: Vec<i64>,
    /// Variants whose attributes, prices or quantity rules changed.
    pub variants: Vec<i64>,
    /// Categories, labels, price lists, catalogs or assignments changed.
    pub meta: bool,
}

impl Snapshot {
    pub async fn load(pool: &AnyPool, db: DbKind, seq: i64) -> Result<Snapshot, AppError> {
        let started = std::time::Instant::now();
        let meta = Meta::load(pool, db).await?;
        let products: Vec<Option<Arc<Product>>> =
            load_products(pool, db, None).await?.into_iter().map(|p| Some(Arc::new(p))).collect();
        let index = Index::build(&products);
        tracing::info!(
            "catalog read model loaded at seq {seq}: {} products, {} variants in {} ms",
            index.by_id.len(),
            index.by_variant.len(),
            started.elapsed().as_millis()
        );
        let mut snapshot = Snapshot {
            seq,
            db,
            products,
            index: Arc::new(index),
            meta: Arc::new(meta),
            rows: Default::default(),
            keys: Default::default(),
            facets: Default::default(),
        };
        snapshot.build_rows();
        Ok(snapshot)
    }

    /// Every slot's facet row afresh (at load, and when the small tables change: rows hold
    /// category positions).
    fn build_rows(&mut self) {
        let mut keys = FacetKeys::default();
        let rows = self
            .products
            .iter()
            .map(|p| p.as_ref().map_or_else(FacetRow::empty, |p| FacetRow::of(p, &self.meta, &mut keys)))
            .collect();
        self.rows = Arc::new(rows);
        self.keys = Arc::new(keys);
    }

    /// The next snapshot: this one with `changes` applied, as of `seq`; plus the products that
    /// were reloaded and whether the small tables (`Meta`) were.
    pub async fn apply(
        &self,
        pool: &AnyPool,
        changes: &CatalogChanges,
        seq: i64,
    ) -> Result<(Snapshot, Vec<i64>, bool), AppError> {
        let stock: HashSet<i64> = changes.stock.iter().copied().collect();
        let mut products: HashSet<i64> = changes.products.iter().copied().collect();
        let mut variants: Vec<i64> = vec![];
        let meta_changed = changes.meta;
        for id in &changes.variants {
            match self.index.by_variant.get(id) {
                Some(&slot) => {
                    if let Some(p) = &self.products[slot as usize] {
                        products.insert(p.id);
                    }
                }
                None => variants.push(*id),
            }
        }
        // Variants this snapshot does not know yet (added with their product) belong to it.
        for chunk in variants.chunks(CHUNK) {
            products.extend(repo::products_of_variants(pool, chunk).await?.into_iter().map(|(_, p)| p));
        }
        let mut next = Snapshot {
            seq,
            db: self.db,
            products: self.products.clone(),
            index: self.index.clone(),
            meta: if meta_changed { Arc::new(Meta::load(pool, self.db).await?) } else { self.meta.clone() },
            rows: self.rows.clone(),
            keys: self.keys.clone(),
            facets: if meta_changed || !products.is_empty() { Default::default() } else { self.facets.clone() },
        };
        let reloaded: Vec<i64> = products.iter().copied().collect();
        if !reloaded.is_empty() {
            next.replace_products(&reloaded, load_products(pool, self.db, Some(&reloaded)).await?);
        }
        // Stock of variants whose product was not reloaded anyway.
        let stock: Vec<i64> = stock
            .into_iter()
            .filter(|v| {
                next.index
                    .by_variant
                    .get(v)
                    .and_then(|&s| next.products[s as usize].as_ref())
                    .is_some_and(|p| !products.contains(&p.id))
            })
            .collect();
        for chunk in stock.chunks(CHUNK) {
            for (variant, quantity, backorder) in repo::stock(pool, chunk).await? {
                let Some(&slot) = next.index.by_variant.get(&variant) else { continue };
                let Some(current) = next.products[slot as usize].as_ref() else { continue };
                let mut product = Product::clone(current);
                if let Some(v) = product.variants.iter_mut().find(|v| v.id == variant) {
                    v.stock = quantity;
                    v.backorder = backorder;
                }
                Arc::make_mut(&mut next.rows)[slot as usize].available = FacetRow::in_stock(&product);
                next.products[slot as usize] = Some(Arc::new(product));
            }
        }
        if meta_changed {
            next.build_rows();
        }
        Ok((next, reloaded, meta_changed))
    }

    /// Puts reloaded products in place of `ids` (an id missing from `fresh` was deleted).
    fn replace_products(&mut self, ids: &[i64], fresh: Vec<Product>) {
        let mut index = Index::clone(&self.index);
        // A product keeps its slot; a new one gets a new slot at the end.
        let mut slots: HashMap<i64, u32> = HashMap::new();
        for id in ids {
            if let Some(&slot) = index.by_id.get(id) {
                if let Some(old) = self.products[slot as usize].take() {
                    index.remove(&old);
                }
                slots.insert(*id, slot);
            }
        }
        let mut touched: Vec<u32> = slots.values().copied().collect();
        let rows = Arc::make_mut(&mut self.rows);
        let keys = Arc::make_mut(&mut self.keys);
        for &slot in &touched {
            rows[slot as usize] = FacetRow::empty();
        }
        for p in fresh {
            let slot = match slots.get(&p.id) {
                Some(&slot) => slot,
                None => {
                    self.products.push(None);
                    rows.push(FacetRow::empty());
                    let slot = (self.products.len() - 1) as u32;
                    touched.push(slot);
                    slot
                }
            };
            index.add(&p, slot);
            rows[slot as usize] = FacetRow::of(&p, &self.meta, keys);
            self.products[slot as usize] = Some(Arc::new(p));
        }
        if touched.len() > PATCH_LIMIT {
            index.order = Index::build(&self.products).order;
        } else {
            let touched: HashSet<u32> = touched.into_iter().collect();
            for &locale in Locale::ALL.iter() {
                let order = &mut index.order[slot_of(locale)];
                order.retain(|s| !touched.contains(s));
                for &slot in &touched {
                    let Some(p) = &self.products[slot as usize] else { continue };
                    let key = sort_key(p, locale);
                    let at = order.partition_point(|&s| {
                        self.products[s as usize].as_ref().map(|o| sort_key(o, locale)) < Some(key.clone())
                    });
                    order.insert(at, slot);
                }
            }
        }
        self.index = Arc::new(index);
    }

    /// The catalogs a member buying for `location` sees: the location's own when it has any,
    /// else the company's.
    pub fn visible_catalogs(&self, company: CompanyId, location: Option<LocationId>) -> Vec<i64> {
        let (company, location) = (company.0, location.map(|l| l.0));
        let own: Vec<i64> = self
            .meta
            .catalog_assignments
            .iter()
            .filter(|(_, c, l)| *c == company && l.is_some() && *l == location)
            .map(|(id, _, _)| *id)
            .collect();
        if !own.is_empty() {
            return own;
        }
        self.meta
            .catalog_assignments
            .iter()
            .filter(|(_, c, l)| *c == company && l.is_none())
            .map(|(id, _, _)| *id)
            .collect()
    }

    /// The lists that price for a member at `now`, best first (see `pricing::applicable_lists`).
    pub fn price_lists(
        &self,
        company: CompanyId,
        location: Option<LocationId>,
        currency: Currency,
        now: i64,
    ) -> Vec<PriceList> {
        let (company, location) = (company.0, location.map(|l| l.0));
        let assigned: Vec<PriceList> = self
            .meta
            .list_assignments
            .iter()
            .filter(|(_, c, l, _)| *c == company && (l.is_none() || *l == location))
            .filter_map(|&(id, _, l, priority)| {
                let info = self.meta.lists.get(&id)?;
                Some(PriceList {
                    id,
                    currency: info.currency,
                    kind: info.kind,
                    valid_from: info.valid_from,
                    valid_to: info.valid_to,
                    priority,
                    location_specific: l.is_some(),
                })
            })
            .collect();
        applicable_lists(&assigned, currency, now)
    }

    pub fn list_currency(&self, list: i64) -> Option<Currency> {
        self.meta.lists.get(&list).map(|l| l.currency)
    }

    /// The product in `slot` whatever the catalogs: the caller has checked its row's visibility.
    pub fn product_at(&self, slot: u32) -> Option<&Arc<Product>> {
        self.products.get(slot as usize).and_then(|p| p.as_ref())
    }

    /// Where the product with this id is (search maps its matches to slots, then to rows).
    pub fn slot_of(&self, id: i64) -> Option<u32> {
        let dense = usize::try_from(id).ok().and_then(|at| self.index.dense.get(at)).filter(|s| **s != u32::MAX);
        dense.or_else(|| self.index.by_id.get(&id)).copied()
    }

    /// The facet row of `slot` (a slot without a product has an empty row, visible nowhere).
    pub fn row(&self, slot: u32) -> &FacetRow {
        &self.rows[slot as usize]
    }

    /// The numbers that rows hold.
    pub fn facet_keys(&self) -> &FacetKeys {
        &self.keys
    }

    /// Every live product (for building the search index).
    pub fn products(&self) -> impl Iterator<Item = &Arc<Product>> {
        self.products.iter().flatten()
    }

    /// A product by id whatever the catalogs: only for indexing, never for a response.
    pub fn product_by_id(&self, id: i64) -> Option<Arc<Product>> {
        self.index.by_id.get(&id).and_then(|&s| self.product_at(s)).cloned()
    }

    pub fn product_by_slug(&self, catalogs: &[i64], slug: &str) -> Option<Arc<Product>> {
        self.index.by_slug.get(slug).and_then(|&s| self.product_at(s)).filter(|p| p.visible_in(catalogs)).cloned()
    }

    pub fn product_by_variant(&self, catalogs: &[i64], variant: i64) -> Option<Arc<Product>> {
        self.index
            .by_variant
            .get(&variant)
            .and_then(|&s| self.product_at(s))
            .filter(|p| p.visible_in(catalogs))
            .cloned()
    }

    /// The product of a variant whatever the catalogs: the caller checks visibility (a cart line
    /// that left the member's catalogs is shown with that reason).
    pub fn product_of_variant(&self, variant: i64) -> Option<Arc<Product>> {
        self.index.by_variant.get(&variant).and_then(|&s| self.product_at(s)).cloned()
    }

    /// The variant with this SKU (upper-cased, as `order_entry::normalize_sku` gives it) and its
    /// product, whatever the catalogs: the caller checks visibility, so it can tell a buyer
    /// "not in your catalog" from "no such SKU".
    pub fn variant_by_sku(&self, sku: &str) -> Option<(Arc<Product>, usize)> {
        let id = *self.index.by_sku.get(sku)?;
        let product = self.index.by_variant.get(&id).and_then(|&s| self.product_at(s))?;
        let at = product.variants.iter().position(|v| v.id == id)?;
        Some((product.clone(), at))
    }

    /// One page of visible products in name order; `limit` products at most, plus whether more
    /// follow.
    pub fn list(&self, catalogs: &[i64], locale: Locale, filter: &ListFilter) -> (Vec<Arc<Product>>, bool) {
        let order = &self.index.order[slot_of(locale)];
        let matches = |p: &&Arc<Product>| {
            p.visible_in(catalogs)
                && filter.categories.as_ref().is_none_or(|c| c.contains(&p.category_id))
                && filter.material.as_deref().is_none_or(|m| p.has("material", m))
                && filter.colour.as_deref().is_none_or(|c| p.has("colour", c))
        };
        let slots: Box<dyn Iterator<Item = &u32>> =
            if filter.descending { Box::new(order.iter().rev()) } else { Box::new(order.iter()) };
        let mut page: Vec<Arc<Product>> = slots
            .filter_map(|&s| self.product_at(s))
            .filter(matches)
            .skip(filter.offset)
            .take(filter.limit + 1)
            .cloned()
            .collect();
        let more = page.len() > filter.limit;
        page.truncate(filter.limit);
        (page, more)
    }

    /// The filter options of `catalogs` in `locale`, computed once per snapshot and kept while
    /// only stock changes.
    pub fn facets(&self, catalogs: &[i64], locale: Locale) -> Arc<Facets> {
        let key = (catalogs.to_vec(), locale);
        if let Some(hit) = self.facets.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return hit.clone();
        }
        let mut categories: HashSet<i64> = HashSet::new();
        let mut materials: HashSet<Arc<str>> = HashSet::new();
        let mut colours: HashSet<Arc<str>> = HashSet::new();
        for p in self.products.iter().flatten().filter(|p| p.visible_in(catalogs)) {
            categories.insert(p.category_id);
            for v in &p.variants {
                for (a, value) in &v.attributes {
                    match &**a {
                        "material" => materials.insert(value.clone()),
                        "colour" => colours.insert(value.clone()),
                        _ => false,
                    };
                }
            }
        }
        // A parent shows when any of its children does.
        let parents: Vec<i64> =
            self.meta.categories.iter().filter(|c| categories.contains(&c.id)).filter_map(|c| c.parent_id).collect();
        categories.extend(parents);
        let labelled = |values: HashSet<Arc<str>>, attribute: &str| {
            let mut options: Vec<(String, String)> =
                values.into_iter().map(|v| (v.to_string(), self.meta.label(attribute, &v, locale))).collect();
            options.sort_by(|a, b| a.1.to_lowercase().cmp(&b.1.to_lowercase()).then(a.0.cmp(&b.0)));
            options
        };
        let facets = Arc::new(Facets {
            categories: self
                .meta
                .categories
                .iter()
                .filter(|c| categories.contains(&c.id))
                .map(|c| (c.id, c.slug.clone(), c.name(locale).to_string(), c.parent_id))
                .collect(),
            materials: labelled(materials, "material"),
            colours: labelled(colours, "colour"),
        });
        let mut cache = self.facets.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() > 1_000 {
            cache.clear();
        }
        cache.insert(key, facets.clone());
        facets
    }

    pub fn product_count(&self) -> usize {
        self.index.by_id.len()
    }

    pub fn variant_count(&self) -> usize {
        self.index.by_variant.len()
    }
}

/// Descriptions by product id, one text per locale (the search index needs them; the snapshot
/// does not keep them).
pub async fn descriptions(
    pool: &AnyPool,
    db: DbKind,
    ids: Option<&[i64]>,
) -> Result<HashMap<i64, Vec<Box<str>>>, AppError> {
    let mut out = HashMap::new();
    let chunks: Vec<Option<&[i64]>> = match ids {
        Some(ids) => ids.chunks(500).map(Some).collect(),
        None => vec![None],
    };
    for chunk in chunks {
        for (id, packed) in repo::descriptions(pool, db, chunk).await? {
            out.insert(id, texts_by_locale(packed.as_deref()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(tiers: &str, rules: &str) -> repo::VariantRow {
        (
            7,
            1,
            "M8X20-SS".into(),
            "box".into(),
            100,
            850,
            0,
            Some("material\u{1f}stainless\u{1e}size\u{1f}M8x20".into()),
            Some(tiers.into()),
            Some(rules.into()),
            40,
            None,
        )
    }

    #[test]
    fn a_missing_translation_falls_back_to_english() {
        let texts = texts_by_locale(Some("en\u{1f}Hex bolt\u{1e}de\u{1f}Sechskantschraube\u{1e}xx\u{1f}junk"));
        assert_eq!(&*texts[slot_of(Locale::De)], "Sechskantschraube");
        assert_eq!(&*texts[slot_of(Locale::Ja)], "Hex bolt");
        assert_eq!(texts.len(), Locale::ALL.len());
        assert!(texts_by_locale(None).iter().all(|t| t.is_empty()));
    }

    #[test]
    fn packed_tiers_are_grouped_by_list_and_ordered_by_quantity() {
        let mut interned = HashSet::new();
        let v = Variant::from_row(
            row("2:10:450,1:1:500,2:1:480,1:100:400,1:10:450,bad,3:x:1", "1:10::5,2:1:50:1,oops"),
            &mut interned,
        );
        let quantities =
            |list| v.tiers(list).unwrap().iter().map(|t| (t.min_quantity, t.unit_minor)).collect::<Vec<_>>();
        assert_eq!(quantities(1), vec![(1, 500), (10, 450), (100, 400)]);
        assert_eq!(quantities(2), vec![(1, 480), (10, 450)]);
        assert!(v.tiers(3).is_none(), "a malformed tier is skipped, not guessed");
        assert_eq!(v.rule(1), Some(QuantityRule::new(10, None, 5)));
        assert_eq!(v.rule(2), Some(QuantityRule::new(1, Some(50), 1)));
        assert_eq!(v.attribute("material"), Some("stainless"));
        assert_eq!(v.attribute("size"), Some("M8x20"));
        assert_eq!((v.stock, v.quote_only), (40, false));
    }

    #[test]
    fn a_variant_without_prices_has_none() {
        let mut interned = HashSet::new();
        let mut r = row("", "");
        r.8 = None;
        r.9 = None;
        let v = Variant::from_row(r, &mut interned);
        assert!(v.tiers(1).is_none() && v.rule(1).is_none());
    }
}
