use std::path::Path;

use super::*;

/// The parse of a front matter that must have no errors.
#[track_caller]
fn clean((parsed, errors): (Parsed, Vec<Error>)) -> Parsed {
    assert!(errors.is_empty(), "{errors:?}");
    parsed
}

fn ctx(path: &Path) -> ParseContext<'_> {
    ParseContext {
        path,
        is_section: false,
        default_kind: Kind::Article,
        taxonomies: &[],
        unknown_keys: UnknownKeys::Error,
    }
}

#[test]
fn split_finds_yaml_and_toml_blocks_and_their_lines() {
    let split = split("---\ntitle: x\n---\nbody\n").unwrap();
    assert_eq!(split.format, Format::Yaml);
    assert_eq!(split.front, "title: x\n");
    assert_eq!(split.front_line, 2);
    assert_eq!(split.body, "body\n");
    assert_eq!(split.body_line, 4);
    let toml = super::split("+++\ntitle = 'x'\n+++\n").unwrap();
    assert_eq!(toml.format, Format::Toml);
    assert_eq!(toml.body, "");
}

#[test]
fn split_reports_missing_and_unterminated_blocks() {
    assert_eq!(split("just text"), Err(SplitError::Missing));
    assert_eq!(split(""), Err(SplitError::Missing));
    assert_eq!(
        split("---\ntitle: x\n"),
        Err(SplitError::Unterminated("---"))
    );
    assert_eq!(split("---"), Err(SplitError::Unterminated("---")));
}

#[test]
fn yaml_error_lines_are_shifted_to_the_whole_file() {
    // The YAML starts on line 2 of the file; the bad value is on its line 3.
    let text = "---\ntitle: x\ndescription: ok\ntags: sql\n---\n";
    let split = split(text).unwrap();
    let errors = parse(&split, &ctx(Path::new("content/a.md"))).1;
    assert_eq!(errors.len(), 1);
    let location = errors[0].location().unwrap();
    assert_eq!((location.line, location.column), (4, 7));
}

#[test]
fn toml_error_lines_are_shifted_to_the_whole_file() {
    let text = "+++\ntitle = 'x'\nweight = 'heavy'\n+++\n";
    let split = split(text).unwrap();
    let errors = parse(&split, &ctx(Path::new("content/a.md"))).1;
    let location = errors[0].location().unwrap();
    assert_eq!(location.line, 3, "{}", errors[0]);
}

#[test]
fn top_level_yaml_keys_cover_their_indented_lines() {
    let yaml = "title: x\ntags:\n  - a\n- b\n# comment\nextra:\n  k: v\n";
    let keys = yaml_top_level_keys(yaml).unwrap();
    let names: Vec<_> = keys.iter().map(|k| (k.key.as_str(), k.line)).collect();
    assert_eq!(names, [("title", 0), ("tags", 1), ("extra", 5)]);
    assert_eq!(
        &yaml[keys[1].start..keys[1].end],
        "tags:\n  - a\n- b\n# comment\n"
    );
    assert!(yaml_top_level_keys("{title: x}").is_none());
    assert!(yaml_top_level_keys("- a\n").is_none());
}

#[test]
fn top_level_toml_keys_include_tables_and_multiline_values() {
    let toml =
        "title = 'x'\ntags = [\n  'a',\n]\nbody = '''\nkey = not a key\n'''\n[extra]\nk = 1\n";
    let keys = toml_top_level_keys(toml).unwrap();
    let names: Vec<_> = keys.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(names, ["title", "tags", "body", "extra"]);
}

#[test]
fn nested_keys_are_found_by_path() {
    let yaml = "title: x\nsalary:\n  currency: RUB\n  regions:\n    - region: Москва\n      min: 1\n    - {region: Россия, min: 5, max: 2}\n";
    assert_eq!(
        yaml_key_position(yaml, &[KeyPath::Key("salary"), KeyPath::Key("currency")]),
        Some((2, 3))
    );
    let second_min = [
        KeyPath::Key("salary"),
        KeyPath::Key("regions"),
        KeyPath::Index(1),
        KeyPath::Key("min"),
    ];
    assert_eq!(yaml_key_position(yaml, &second_min), Some((6, 24)));
    let first_min = [
        KeyPath::Key("salary"),
        KeyPath::Key("regions"),
        KeyPath::Index(0),
        KeyPath::Key("min"),
    ];
    assert_eq!(yaml_key_position(yaml, &first_min), Some((5, 7)));
}

#[test]
fn unknown_keys_follow_the_site_policy() {
    let text = "---\ntitle: x\nlayout: post\n---\n";
    let split = split(text).unwrap();
    let path = Path::new("content/a.md");
    let errors = parse(&split, &ctx(path)).1;
    assert_eq!(errors[0].message(), "unknown field `layout`");
    let kept = clean(parse(
        &split,
        &ParseContext {
            unknown_keys: UnknownKeys::Extra,
            ..ctx(path)
        },
    ));
    assert_eq!(kept.unknown["layout"], serde_json::json!("post"));
    assert!(kept.warnings.is_empty());
    let warned = clean(parse(
        &split,
        &ParseContext {
            unknown_keys: UnknownKeys::Warn,
            ..ctx(path)
        },
    ));
    assert_eq!(warned.warnings.len(), 1);
}

#[test]
fn taxonomy_keys_are_lists_of_terms() {
    let text = "---\ntitle: x\nindustries: [банки, реклама]\n---\n";
    let split = split(text).unwrap();
    let taxonomies = vec!["industries".to_string()];
    let parsed = clean(parse(
        &split,
        &ParseContext {
            taxonomies: &taxonomies,
            ..ctx(Path::new("a.md"))
        },
    ));
    assert_eq!(parsed.taxonomies["industries"], ["банки", "реклама"]);
}

#[test]
fn kind_decides_which_fields_exist() {
    let text = "---\ntitle: x\nkind: role\nsalary:\n  currency: RUB\n---\n";
    let split = split(text).unwrap();
    let parsed = clean(parse(&split, &ctx(Path::new("a.md"))));
    assert_eq!(parsed.kind, Kind::Role);
    assert_eq!(parsed.raw.salary.unwrap().currency.as_deref(), Some("RUB"));
}

#[test]
fn serde_messages_become_ours() {
    let (message, hint) = explain_serde_message(
        "salary.regions[0]: invalid type: string \"x\", expected u64 at line 3 column 4",
    );
    assert_eq!(
        message,
        "`salary.regions[0]` must be a whole number, found string \"x\""
    );
    assert!(hint.unwrap().contains("digits"));
    let (message, _) =
        explain_serde_message("unknown variant `mounth`, expected `month` or `year`");
    assert_eq!(message, "value: unknown variant `mounth`");
}

#[test]
fn items_are_appended_to_flow_and_block_lists() {
    let flow = "---\ntitle: x\nchapters: [a, b]\n---\nbody\n";
    assert_eq!(
        append_to_list(flow, "chapters", "c").unwrap(),
        "---\ntitle: x\nchapters: [a, b, c]\n---\nbody\n"
    );
    let empty = "---\nchapters: []\n---\n";
    assert_eq!(
        append_to_list(empty, "chapters", "c").unwrap(),
        "---\nchapters: [c]\n---\n"
    );
    let block = "---\nchapters:\n  - a\n  - b\n\ntitle: x\n---\n";
    assert_eq!(
        append_to_list(block, "chapters", "c").unwrap(),
        "---\nchapters:\n  - a\n  - b\n  - c\n\ntitle: x\n---\n"
    );
    assert!(append_to_list("---\ntitle: x\n---\n", "chapters", "c").is_none());
}
