use std::collections::BTreeMap;
use std::path::Path;

use super::*;

fn convert_as(format: Format, body: &str) -> (String, Vec<Note>) {
    let statics = StaticFiles::default();
    let files = BTreeMap::new();
    let cx = Context {
        format,
        file: Path::new("docs/page.md"),
        src: Path::new("/nonexistent"),
        content_dir: Path::new("docs"),
        lang: "ru",
        taxonomies: &[],
        static_files: &statics,
        content_files: &files,
    };
    let mut notes = Vec::new();
    let mut front = Front::default();
    let out = convert(body, 1, &cx, &mut front, &mut notes);
    (out, notes)
}

#[test]
fn jsx_tags_are_read_with_every_kind_of_attribute() {
    let (tag, len) =
        jsx::parse(r#"<Diagram name="x" height={350} alt='a > b' hidden />rest"#).unwrap();
    assert_eq!(tag.name, "Diagram");
    assert!(tag.self_closing && !tag.closing);
    assert_eq!(
        len,
        r#"<Diagram name="x" height={350} alt='a > b' hidden />"#.len()
    );
    assert_eq!(tag.attrs.len(), 4);
    let (tag, _) = jsx::parse("<div style={{color: 'red', x: '}'}}>").unwrap();
    assert_eq!(tag.attrs[0].0, "style");
    assert!(jsx::parse("< not a tag").is_none());
    assert!(jsx::parse("<Note").is_none(), "unfinished");
}

#[test]
fn containers_nest_and_close_by_their_colons() {
    let body = ":::: tip Снаружи\nА\n::: details Внутри\nБ\n:::\nВ\n::::\nГ\n";
    let (out, notes) = convert_as(Format::Vitepress, body);
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        out,
        "> [!TIP]\n> **Снаружи**\n>\n> А\n> **Внутри**\n>\n> Б\n> В\n\nГ\n"
    );
}

#[test]
fn mdx_heading_ids_comments_and_modules() {
    let body = "import X from './x';\nexport const y = 1;\n\n## Hooks {/*hooks*/}\n\nText {/* a note */} here.\n\n```js\n{/* kept */}\n```\n";
    let (out, _) = convert_as(Format::Docusaurus, body);
    assert_eq!(
        out,
        "\n## Hooks {#hooks}\n\nText here.\n\n```js\n{/* kept */}\n```\n"
    );
}

#[test]
fn vue_interpolation_becomes_code_in_markdown_and_in_html() {
    let body = "Сообщение: {{ msg }}.\n\n<div class=\"box\">\n{{ count }}\n</div>\n";
    let (out, notes) = convert_as(Format::Vitepress, body);
    assert!(out.contains("Сообщение: `{{ msg }}`."), "{out}");
    assert!(out.contains("<code>{{ count }}</code>"), "{out}");
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[1].line, Some(4), "at its source line");
}

#[test]
fn hugo_shortcodes_with_positional_and_named_arguments() {
    let body = "{{< youtube abc >}}\n\n{{% notice warning \"Осторожно\" %}}\nТекст\n{{% /notice %}}\n\n{{< unknown x >}}\n";
    let (out, notes) = convert_as(Format::Hugo, body);
    assert!(out.starts_with("{{ youtube(id=\"abc\") }}\n"), "{out}");
    assert!(
        out.contains("> [!WARNING]\n> **Осторожно**\n>\n> Текст\n"),
        "{out}"
    );
    assert!(!out.contains("unknown"), "{out}");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].line, Some(7));
}

#[test]
fn unknown_components_keep_their_content_and_are_reported() {
    let body = "<Custom a=\"1\">\n\nТекст внутри.\n\n</Custom>\n\n<Widget />\n";
    let (out, notes) = convert_as(Format::Docusaurus, body);
    assert!(out.contains("Текст внутри."), "{out}");
    assert!(!out.contains("Custom") && !out.contains("Widget"), "{out}");
    assert_eq!(notes.len(), 2, "{notes:?}");
}

/// No input makes the conversion panic: every prefix of a body holding
/// every construct (unfinished tags, containers, shortcodes, comments,
/// Cyrillic next to every delimiter), in every format.
#[test]
fn every_prefix_of_every_construct_converts_without_panicking() {
    let sample = "---\ntitle: Т\n---\n::: tip Ё\n<Note>ж</Note>\n<DeepDive>\n#### Я {/*я*/}\n</DeepDive>\n<Tabs><TabItem label=\"Ю\">щ</TabItem></Tabs>\n{{< youtube id=\"я\" >}}\n{{% note %}}ш{{% /note %}}\n{% note() %}э{% end %}\n{{ gallery(dir=\"ъ\") }}\n{{#include ../ы.rs:2:3}}\n{{ msg }} <Badge text=\"ь\"/> [ф](./х.md#Ц)\n:::\n```js src/ч.js hidden\nx\n```\n<script setup>\nconst ё = 1\n</script>\n<div class=\"demo\">{{ й }}</div>\n[[toc]]\n<<< @/я.js\n";
    for format in [
        Format::Hugo,
        Format::Zola,
        Format::Vitepress,
        Format::Docusaurus,
        Format::Mdbook,
    ] {
        for (at, _) in sample.char_indices() {
            let _ = convert_as(format, &sample[..at]);
        }
        let _ = convert_as(format, sample);
    }
}

#[test]
fn vue_api_styles_are_both_shown_under_their_names() {
    let body = "<div class=\"options-api\">\n\nА\n\n</div>\n<div class=\"composition-api\">\n\nБ\n\n</div>\n";
    let (out, _) = convert_as(Format::Vitepress, body);
    assert!(out.starts_with("<div class=\"options-api\">\n<p class=\"api-variant\"><strong>Options API</strong></p>\n"), "{out}");
    assert!(out.contains("<strong>Composition API</strong>"), "{out}");
}

#[test]
fn a_link_above_the_site_is_written_from_the_hosts_root_and_reported() {
    let (out, notes) = convert_as(
        Format::Mdbook,
        "См. [справочник](../reference/macros.html#x).\n",
    );
    assert_eq!(out, "См. [справочник](/reference/macros.html#x).\n");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].message.contains("leads above the site"),
        "{notes:?}"
    );
}
