//! Responsive images (issue 17): Markdown images of PNG, JPEG and WebP
//! files of a page bundle or `static/` get their size, lazy loading and a
//! `srcset` of resized WebP copies, cached between builds; `resize_image`
//! gives templates the same; a broken file is an error naming it.

use std::io::Cursor;

use crate::support::{TestSite, element};

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 7) as u8 * 30])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image =
        image::RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 200) as u8, 90, 40]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    bytes
}

fn put(site: &TestSite, rel: &str, bytes: &[u8]) {
    let path = site.root().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const CONFIG: &str = "title: Картинки\nbase_url: https://example.org/\n";

fn site_with_images(config: &str) -> TestSite {
    let site = TestSite::empty(config);
    site.write("content/_index.md", "---\ntitle: Главная\n---\n");
    site.write("content/articles/_index.md", "---\ntitle: Статьи\n---\n");
    site.write(
        "content/articles/photo/index.md",
        "---\ntitle: Фото\ndate: 2024-01-10\n---\n\nСхема: ![Схема *отдела*](chart.png \"Подпись\")\n\n![Команда](/img/team.jpg)\n\n![Вектор](logo.svg)\n\n![Маленькая](small.png)\n",
    );
    put(&site, "content/articles/photo/chart.png", &png(1200, 600));
    put(&site, "content/articles/photo/small.png", &png(300, 200));
    site.write(
        "content/articles/photo/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    put(&site, "static/img/team.jpg", &jpeg(2000, 1000));
    site
}

fn attribute<'a>(tag: &'a str, name: &str) -> &'a str {
    let start = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name}: {tag}"));
    let value = &tag[start + name.len() + 3..];
    &value[..value.find('"').unwrap()]
}

fn img(html: &str, src: &str) -> String {
    element(html, &format!("<img src=\"{src}\""), ">")
}

#[test]
fn a_raster_image_gets_its_size_lazy_loading_and_a_srcset_of_webp_copies_no_wider_than_it() {
    let site = site_with_images(CONFIG);
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = site.main_html("/articles/photo/");
    let chart = img(&html, "/articles/photo/chart.png");
    assert!(chart.contains("alt=\"Схема отдела\""), "{chart}");
    assert!(chart.contains("title=\"Подпись\""), "{chart}");
    assert!(chart.contains("width=\"1200\" height=\"600\""), "{chart}");
    assert!(
        chart.contains("loading=\"lazy\" decoding=\"async\""),
        "{chart}"
    );
    let srcset = attribute(&chart, "srcset");
    let widths: Vec<&str> = srcset
        .split(", ")
        .map(|c| c.rsplit(' ').next().unwrap())
        .collect();
    assert_eq!(
        widths,
        ["480w", "960w"],
        "1600 is wider than the original: {srcset}"
    );
    for candidate in srcset.split(", ") {
        let url = candidate.split(' ').next().unwrap();
        assert!(url.ends_with(".webp"), "{url}");
        let bytes = std::fs::read(site.public().join(url.trim_start_matches('/'))).unwrap();
        let copy = image::load_from_memory(&bytes).unwrap();
        assert!(copy.width() == 480 || copy.width() == 960);
        assert_eq!(copy.height() * 2, copy.width());
    }
    // A file of `static/`, shown root-relative.
    let team = img(&html, "/img/team.jpg");
    assert!(team.contains("width=\"2000\" height=\"1000\""), "{team}");
    assert!(team.contains("1600w"), "{team}");
    // Narrower than every width: one copy at its own width.
    let small = img(&html, "/articles/photo/small.png");
    assert!(small.contains("-300w.webp 300w\""), "{small}");
    // Not a raster file: a plain image.
    assert!(
        html.contains("<img src=\"/articles/photo/logo.svg\" alt=\"Вектор\" />"),
        "{html}"
    );
}

#[test]
fn the_second_build_takes_every_copy_from_the_cache() {
    let site = site_with_images(CONFIG);
    let first = site.run(&["build", "--verbose"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first
            .stderr
            .contains("images: 6 copies made, 0 from the cache"),
        "{}",
        first.stderr
    );
    let cache = site.root().join(".rolebook-cache/images");
    let stamps = |dir: &std::path::Path| {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| (e.file_name(), e.metadata().unwrap().modified().unwrap()))
            .collect();
        files.sort();
        files
    };
    let before = stamps(&cache);
    assert_eq!(before.len(), 6, "{before:?}");
    let second = site.run(&["build", "--verbose"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second
            .stderr
            .contains("images: 0 copies made, 6 from the cache"),
        "{}",
        second.stderr
    );
    assert_eq!(stamps(&cache), before);
    // Other widths are other settings: new copies.
    site.write(
        "rolebook.yaml",
        &format!("{CONFIG}images:\n  widths: [640]\n"),
    );
    let third = site.run(&["build", "--verbose"]);
    assert!(
        third
            .stderr
            .contains("images: 2 copies made, 1 from the cache"),
        "{}",
        third.stderr
    );
    let html = site.main_html("/articles/photo/");
    assert!(
        img(&html, "/articles/photo/chart.png").contains("640w\""),
        "{html}"
    );
}

#[test]
fn a_broken_image_is_an_error_naming_the_file() {
    let site = site_with_images(CONFIG);
    put(
        &site,
        "content/articles/photo/chart.png",
        b"\x89PNG\r\n\x1a\n broken",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("content/articles/photo/chart.png: error: image `content/articles/photo/chart.png` cannot be read"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: save the file again as PNG, JPEG or WebP"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("error:").count(),
        1,
        "one mistake, one error: {}",
        out.stderr
    );
}

#[test]
fn resize_image_gives_templates_a_copy_at_any_width_and_format() {
    let site = site_with_images(CONFIG);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{% set r = resize_image(path=\"articles/photo/chart.png\", width=300, format=\"jpg\") %}<p id=\"resized\">{{ r.url }} {{ r.width }}x{{ r.height }} of {{ r.orig_width }}x{{ r.orig_height }}</p>{% set s = resize_image(path=\"/img/team.jpg\", width=100) %}<p id=\"static\">{{ s.url }} {{ s.width }}x{{ s.height }}</p>{% endblock main %}",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = site.main_html("/articles/photo/");
    let resized = element(&html, "<p id=\"resized\">", "</p>");
    assert!(
        resized.contains("-300w.jpg 300x150 of 1200x600"),
        "{resized}"
    );
    let url = resized
        .trim_start_matches("<p id=\"resized\">")
        .split(' ')
        .next()
        .unwrap();
    let copy = image::load_from_memory(
        &std::fs::read(site.public().join(url.trim_start_matches('/'))).unwrap(),
    )
    .unwrap();
    assert_eq!((copy.width(), copy.height()), (300, 150));
    let shown = element(&html, "<p id=\"static\">", "</p>");
    assert!(shown.contains(".webp 100x50"), "{shown}");
    let url = shown
        .trim_start_matches("<p id=\"static\">")
        .split(' ')
        .next()
        .unwrap();
    assert!(
        site.public().join(url.trim_start_matches('/')).is_file(),
        "{url}"
    );
}

#[test]
fn resize_image_of_a_missing_file_names_it() {
    let site = site_with_images(CONFIG);
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{% set r = resize_image(path=\"articles/photo/nope.png\", width=300) %}{{ r.url }}{% endblock main %}",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("`articles/photo/nope.png`"),
        "{}",
        out.stderr
    );
}

#[test]
fn check_reads_the_images_but_makes_no_copies() {
    let site = site_with_images(CONFIG);
    let out = site.run(&["check"]);
    assert!(out.stdout.contains("0 errors"), "{}", out.stdout);
    assert!(!site.root().join(".rolebook-cache/images").exists());
    put(&site, "content/articles/photo/chart.png", b"not an image");
    let out = site.run(&["check"]);
    assert!(
        out.stdout.contains("content/articles/photo/chart.png: error: image `content/articles/photo/chart.png` cannot be read"),
        "{}",
        out.stdout
    );
}
