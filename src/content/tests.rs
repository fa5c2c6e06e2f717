use super::*;

#[test]
fn pages_inherit_the_kind_of_their_nearest_section() {
    let mut kinds = BTreeMap::new();
    kinds.insert("roles".to_string(), Kind::Role);
    kinds.insert("courses/c1".to_string(), Kind::Chapter);
    assert_eq!(default_kind("roles/pm.md", &kinds), Kind::Role);
    assert_eq!(default_kind("roles/sub/pm.md", &kinds), Kind::Role);
    assert_eq!(default_kind("roles/_index.md", &kinds), Kind::Article);
    assert_eq!(default_kind("roles/sub/_index.md", &kinds), Kind::Role);
    assert_eq!(default_kind("courses/c1/ch1.md", &kinds), Kind::Chapter);
    assert_eq!(default_kind("about.md", &kinds), Kind::Article);
    assert_eq!(default_kind("_index.md", &kinds), Kind::Article);
}

#[test]
fn content_paths_are_relative_to_content() {
    assert_eq!(
        content_path(Path::new("content/roles/pm.md")),
        "roles/pm.md"
    );
}
