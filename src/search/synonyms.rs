//! Synonyms: groups of words and phrases that mean the same, applied to
//! queries in the browser.
//!
//! Stage: search, when the index is written. Groups come from three places:
//! [`DEFAULT_GROUPS`] (Russian and English role names, abbreviations and a
//! few career words), `search.synonyms` in `rolebook.yaml`, and every role
//! page (its title plus its `also_known_as`). Groups that share a phrase are
//! merged. Each phrase becomes a *trigger*: the sequence of its index terms
//! (stop words dropped). A trigger is stored with the dictionary entry of its
//! first term, so the browser finds it in a shard it loads anyway, and names
//! the other phrases of the group as alternatives, which the browser
//! tokenizes like query text.

use std::collections::{BTreeMap, BTreeSet};

use super::tokenize::{Token, TokenKind, fold, tokenize};

/// Built-in synonym groups (any case; folded when used).
pub const DEFAULT_GROUPS: &[&[&str]] = &[
    &[
        "PM",
        "ПМ",
        "проджект",
        "проджект-менеджер",
        "project manager",
        "менеджер проектов",
        "руководитель проектов",
    ],
    &[
        "продакт",
        "продакт-менеджер",
        "product manager",
        "менеджер продукта",
        "менеджер по продукту",
    ],
    &[
        "HR",
        "эйчар",
        "HR-менеджер",
        "HR manager",
        "менеджер по персоналу",
        "эйчар-менеджер",
    ],
    &[
        "TAM",
        "technical account manager",
        "технический аккаунт-менеджер",
    ],
    &[
        "CRM-менеджер",
        "account manager",
        "аккаунт-менеджер",
        "клиентский менеджер",
        "менеджер по работе с клиентами",
    ],
    &[
        "комьюнити-менеджер",
        "community manager",
        "менеджер сообщества",
    ],
    &["топ-менеджер", "top manager", "руководитель высшего звена"],
    &["SMM", "SMM-менеджер", "SMM-специалист"],
    &["тимлид", "team lead", "teamlead", "руководитель команды"],
    &["скрам-мастер", "scrum master", "scrum-мастер"],
    &["бизнес-аналитик", "business analyst"],
    &["аналитик данных", "data analyst", "дата-аналитик"],
    &["data scientist", "дата-сайентист"],
    &["разработчик", "программист", "developer"],
    &["тестировщик", "тестер", "QA", "QA-инженер", "QA engineer"],
    &["DevOps", "девопс", "DevOps-инженер"],
    &["CEO", "генеральный директор", "гендиректор"],
    &["CTO", "технический директор"],
    &["CFO", "финансовый директор"],
    &["CMO", "директор по маркетингу"],
    &["джун", "джуниор", "junior"],
    &["мидл", "middle"],
    &["сеньор", "синьор", "senior"],
    &[
        "зарплата",
        "заработная плата",
        "заработок",
        "зарабатывает",
        "доход",
        "оклад",
        "salary",
        "ЗП",
    ],
    &["резюме", "CV", "resume"],
    &["отличие", "различие", "разница", "сравнение", "отличается"],
    &["собеседование", "интервью", "interview"],
    &["вакансия", "vacancy"],
    &["удаленка", "удаленная работа", "remote"],
    &["IT", "айти", "ИТ"],
    &["AI", "ИИ", "искусственный интеллект"],
    &["ML", "машинное обучение", "machine learning"],
    &["soft skills", "гибкие навыки", "софт скиллы"],
    &["hard skills", "хард скиллы", "профессиональные навыки"],
    &["JS", "JavaScript"],
    &["TS", "TypeScript"],
    &["k8s", "Kubernetes"],
    &["БД", "база данных", "database"],
    &["фронтенд", "frontend", "front-end"],
    &["бэкенд", "backend", "back-end"],
];

/// One trigger and what it can be replaced with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rule {
    /// Index terms the query must contain in this order (the first is the key).
    pub trigger: Vec<String>,
    /// The other phrases of the group, folded, as query text.
    pub alternatives: BTreeSet<String>,
}

/// A phrase of a group: folded text and its trigger term sequences.
#[derive(Debug, Clone)]
struct Phrase {
    text: String,
    triggers: Vec<Vec<String>>,
}

/// Synonym rules by the first term of their trigger, deterministic order.
pub fn rules(groups: &[Vec<String>]) -> BTreeMap<String, Vec<Rule>> {
    let mut by_trigger: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for group in merge(groups) {
        for phrase in &group {
            let others = group.iter().filter(|p| p.text != phrase.text);
            for trigger in &phrase.triggers {
                let alternatives = by_trigger.entry(trigger.clone()).or_default();
                alternatives.extend(others.clone().map(|p| p.text.clone()));
            }
        }
    }
    let mut rules: BTreeMap<String, Vec<Rule>> = BTreeMap::new();
    for (trigger, alternatives) in by_trigger {
        if alternatives.is_empty() {
            continue;
        }
        rules.entry(trigger[0].clone()).or_default().push(Rule {
            trigger,
            alternatives,
        });
    }
    rules
}

/// The rules with only the alternatives that can match a page: each word of
/// the phrase (or all parts of a compound) is in the index. The others would
/// only make the browser fetch shards for nothing.
pub fn matchable(
    rules: BTreeMap<String, Vec<Rule>>,
    indexed: impl Fn(&str) -> bool,
) -> BTreeMap<String, Vec<Rule>> {
    let mut out = BTreeMap::new();
    for (key, list) in rules {
        let list: Vec<Rule> = list
            .into_iter()
            .filter_map(|mut rule| {
                rule.alternatives.retain(|alt| can_match(alt, &indexed));
                (!rule.alternatives.is_empty()).then_some(rule)
            })
            .collect();
        if !list.is_empty() {
            out.insert(key, list);
        }
    }
    out
}

/// Whether every word or compound of a phrase is indexed, as a whole or by
/// all its parts (how the browser matches it).
fn can_match(phrase: &str, indexed: &impl Fn(&str) -> bool) -> bool {
    let tokens = tokenize(phrase);
    let mut atoms = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.kind == TokenKind::Part || token.stop {
            continue;
        }
        atoms += 1;
        let parts: Vec<&Token> = tokens[i + 1..]
            .iter()
            .take_while(|t| t.kind == TokenKind::Part)
            .filter(|t| !t.stop)
            .collect();
        let by_parts = !parts.is_empty() && parts.iter().all(|p| indexed(&p.term));
        if !indexed(&token.term) && !by_parts {
            return false;
        }
    }
    atoms > 0
}

/// The groups with their phrases analyzed; groups sharing a trigger are one.
fn merge(groups: &[Vec<String>]) -> Vec<Vec<Phrase>> {
    let mut merged: Vec<Vec<Phrase>> = Vec::new();
    let mut owner: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    for group in groups {
        let phrases: Vec<Phrase> = group.iter().filter_map(|p| phrase(p)).collect();
        let mut targets: BTreeSet<usize> = phrases
            .iter()
            .flat_map(|p| p.triggers.iter().filter_map(|t| owner.get(t).copied()))
            .collect();
        let index = targets.pop_first().unwrap_or(merged.len());
        if index == merged.len() {
            merged.push(Vec::new());
        }
        // Later groups that this one bridges move into the first.
        for other in targets.into_iter().rev() {
            let moved = std::mem::take(&mut merged[other]);
            merged[index].extend(moved);
        }
        merged[index].extend(phrases);
        for phrase in &merged[index] {
            for trigger in &phrase.triggers {
                owner.insert(trigger.clone(), index);
            }
        }
    }
    for group in &mut merged {
        group.sort_by(|a, b| a.text.cmp(&b.text));
        group.dedup_by(|a, b| a.text == b.text);
    }
    merged.retain(|g| g.len() > 1);
    merged
}

/// A phrase's folded text and its triggers: the terms of its words and
/// compounds, and (when it has compounds) the terms of their parts, so both
/// `HR-менеджер` and `HR менеджер` trigger it.
fn phrase(text: &str) -> Option<Phrase> {
    let text = fold(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    let tokens = tokenize(&text);
    let whole = trigger_terms(&tokens, |t| t.kind != TokenKind::Part);
    if whole.is_empty() {
        return None;
    }
    let mut triggers = vec![whole];
    let has_compound = tokens.iter().any(|t| t.kind == TokenKind::Compound);
    if has_compound {
        triggers.push(trigger_terms(&tokens, |t| {
            t.kind != TokenKind::Compound && !is_camel_piece(&tokens, t)
        }));
    }
    triggers.dedup();
    Some(Phrase { text, triggers })
}

fn trigger_terms(tokens: &[Token], keep: impl Fn(&Token) -> bool) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| !t.stop && keep(t))
        .map(|t| t.term.clone())
        .collect()
}

/// A camelCase piece (a part inside a word's span, not a compound's segment).
fn is_camel_piece(tokens: &[Token], token: &Token) -> bool {
    token.kind == TokenKind::Part
        && tokens
            .iter()
            .any(|w| w.kind == TokenKind::Word && w.start <= token.start && token.end <= w.end)
}

/// Every synonym group of a site: defaults, configured, and roles' aliases.
pub fn site_groups(configured: &[Vec<String>], roles: &[Vec<String>]) -> Vec<Vec<String>> {
    let defaults = DEFAULT_GROUPS
        .iter()
        .map(|g| g.iter().map(|s| (*s).to_string()).collect());
    defaults
        .chain(configured.iter().cloned())
        .chain(roles.iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| (*s).to_string()).collect()
    }

    fn alternatives(rules: &BTreeMap<String, Vec<Rule>>, trigger: &[&str]) -> Vec<String> {
        let key = trigger[0];
        rules[key]
            .iter()
            .find(|r| r.trigger == trigger)
            .unwrap_or_else(|| panic!("no rule {trigger:?} in {:?}", rules[key]))
            .alternatives
            .iter()
            .cloned()
            .collect()
    }

    #[test]
    fn phrases_trigger_by_stemmed_terms_without_stop_words() {
        let rules = rules(&[group(&["PM", "менеджер по проектам"])]);
        assert_eq!(
            alternatives(&rules, &["менеджер", "проект"]),
            ["pm"],
            "`по` is a stop word"
        );
        assert_eq!(alternatives(&rules, &["pm"]), ["менеджер по проектам"]);
    }

    #[test]
    fn compounds_trigger_whole_and_by_parts() {
        let rules = rules(&[group(&["HR-менеджер", "эйчар"])]);
        assert_eq!(alternatives(&rules, &["hr-менеджер"]), ["эйчар"]);
        assert_eq!(alternatives(&rules, &["hr", "менеджер"]), ["эйчар"]);
    }

    #[test]
    fn groups_sharing_a_phrase_merge() {
        let rules = rules(&[
            group(&["account manager", "аккаунт-менеджер"]),
            group(&["Аккаунт-менеджер", "клиентский менеджер"]),
            group(&["клиентские менеджеры", "CRM-менеджер"]),
        ]);
        assert_eq!(
            alternatives(&rules, &["account", "manag"]),
            [
                "crm-менеджер",
                "аккаунт-менеджер",
                "клиентские менеджеры",
                "клиентский менеджер"
            ]
        );
    }

    #[test]
    fn alternatives_that_no_page_can_match_are_dropped() {
        let all = rules(&[group(&["PM", "менеджер проектов", "project manager"])]);
        let indexed = ["менеджер", "проект", "pm", "project"];
        let kept = matchable(all, |t| indexed.contains(&t));
        assert_eq!(alternatives(&kept, &["pm"]), ["менеджер проектов"]);
        assert_eq!(
            alternatives(&kept, &["project", "manag"]),
            ["pm", "менеджер проектов"]
        );
        let none = matchable(rules(&[group(&["эйчар", "HR-менеджер"])]), |t| t == "эйчар");
        assert!(!none.contains_key("эйчар"), "{none:?}");
        let parts = matchable(
            rules(&[group(&["эйчар", "HR-менеджер"])]),
            |t| t != "hr-менеджер",
        );
        assert_eq!(alternatives(&parts, &["эйчар"]), ["hr-менеджер"]);
    }

    #[test]
    fn default_groups_are_valid() {
        let groups = site_groups(&[], &[]);
        let rules = rules(&groups);
        assert!(alternatives(&rules, &["пм"]).contains(&"менеджер проектов".to_string()));
        assert!(alternatives(&rules, &["эйчар"]).contains(&"hr-менеджер".to_string()));
        for group in DEFAULT_GROUPS {
            for phrase in *group {
                assert!(super::phrase(phrase).is_some(), "{phrase}");
            }
        }
    }
}
