//! `serve` and the authoring toolkit (issue 17, requirement 4): an edit of
//! a component template re-renders the pages that call it, an edit of a
//! role re-renders the pages that quote it, and a changed image is
//! processed again. Every incremental rebuild is compared with a full one
//! (`ROLEBOOK_SERVE_VERIFY=1`, set by `Server::start`).

use std::io::Cursor;
use std::time::{Duration, Instant};

use crate::serve::Server;
use crate::support::TestSite;

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 60])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

/// Poll `url` until its text passes `test`; the last text on a timeout.
#[track_caller]
fn wait_for(server: &Server, url: &str, what: &str, test: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, _, body) = server.get(url);
        let text = String::from_utf8_lossy(&body).replace(['\u{a0}', '\u{202f}', '\u{2009}'], " ");
        if test(&text) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{url} never showed {what}:\n{text}\nserver:\n{}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn components_roles_and_images_edited_under_serve_show_on_the_pages_that_use_them() {
    let site = TestSite::new("authoring");
    site.write(
        "templates/components/note.html",
        "{% component note(text: String) %}<p class=\"note\">v1 {{ text }}</p>{% endcomponent note %}",
    );
    site.write(
        "content/articles/own.md",
        "---\ntitle: Своя\n---\n\n{{ note(text=\"привет\") }}\n\n![Схема](chart.png)\n",
    );
    let chart = site.root().join("content/articles/own/chart.png");
    std::fs::create_dir_all(chart.parent().unwrap()).unwrap();
    std::fs::rename(
        site.root().join("content/articles/own.md"),
        site.root().join("content/articles/own/index.md"),
    )
    .unwrap();
    std::fs::write(&chart, png(800, 400)).unwrap();
    let server = Server::start(site.root(), &[]);
    wait_for(&server, "/articles/guide/", "the quoted figure", |t| {
        t.contains("40 000 – 160 000 ₽ в месяц")
    });
    wait_for(
        &server,
        "/articles/own/",
        "the component and the image",
        |t| {
            t.contains("<p class=\"note\">v1 привет</p>")
                && t.contains("width=\"800\" height=\"400\"")
        },
    );

    // A role's figures change: the page quoting them follows.
    let role = site.root().join("content/roles/alpha.md");
    let text = std::fs::read_to_string(&role).unwrap();
    std::fs::write(&role, text.replace("min: 40000", "min: 45000")).unwrap();
    wait_for(&server, "/articles/guide/", "the new figure", |t| {
        t.contains("45 000 – 160 000 ₽ в месяц")
    });
    server.assert_incremental_matched_full();

    // The component's template changes: the page calling it follows.
    site.write(
        "templates/components/note.html",
        "{% component note(text: String) %}<p class=\"note\">v2 {{ text }}</p>{% endcomponent note %}",
    );
    wait_for(&server, "/articles/own/", "the new component", |t| {
        t.contains("<p class=\"note\">v2 привет</p>")
    });
    server.assert_incremental_matched_full();

    // The image is replaced by a larger one: new size, new copies.
    std::fs::write(&chart, png(1200, 600)).unwrap();
    let page = wait_for(&server, "/articles/own/", "the new image size", |t| {
        t.contains("width=\"1200\" height=\"600\"")
    });
    let srcset = page
        .split(" srcset=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(srcset.contains(" 960w"), "{srcset}");
    for candidate in srcset.split(", ") {
        let url = candidate.split(' ').next().unwrap();
        let (status, kind, body) = server.get(url);
        assert_eq!(status, 200, "{url}");
        assert_eq!(kind, "image/webp", "{url}");
        assert!(image::load_from_memory(&body).is_ok(), "{url}");
    }
    server.assert_incremental_matched_full();
}
