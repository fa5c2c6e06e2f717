//! Issue 18 in a real browser: what a reader sees on a 390 px phone and a
//! 1280 px desktop. Every check measures the laid-out page (bounding boxes,
//! computed styles), not the HTML.

use crate::browser::{self, StaticServer};
use crate::pages::{self, Scheme};
use crate::support::TestSite;

/// The rendered size in CSS pixels of SVG text matching `selector`: its
/// computed font size (drawing units) times the drawing's scale. `[min, max]`.
const SVG_TEXT_PX: &str = "
    const sizes = [...document.querySelectorAll(SELECTOR)].map(t => {
        const svg = t.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(t).fontSize) * scale;
    });
    return sizes.length ? [Math.min(...sizes), Math.max(...sizes)] : null;";

fn svg_text_px(tab: &headless_chrome::Tab, selector: &str) -> (f64, f64) {
    let js = SVG_TEXT_PX.replace("SELECTOR", &format!("{selector:?}"));
    let value = browser::eval(tab, &js);
    let pair = value.as_array().unwrap_or_else(|| panic!("no {selector}"));
    (pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap())
}

/// Elements matching `selector` whose right edge is past the viewport.
fn past_right_edge(tab: &headless_chrome::Tab, selector: &str) -> Vec<String> {
    let js = format!(
        "return [...document.querySelectorAll({selector:?})]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .map(e => e.textContent.trim().slice(0, 40))"
    );
    serde_json::from_value(browser::eval(tab, &js)).unwrap()
}

/// The bundled site served to a browser tab of one size.
struct Viewer {
    tab: std::sync::Arc<headless_chrome::Tab>,
    server: StaticServer,
    _site: TestSite,
    _chrome: headless_chrome::Browser,
}

impl Viewer {
    fn bundled(width: u32, height: u32) -> Option<Viewer> {
        let chrome = browser::launch()?;
        let site = TestSite::bundled();
        site.build();
        let server = StaticServer::start(&site.public());
        let tab = browser::tab(&chrome);
        pages::emulate(&tab, width, height, Scheme::Light);
        Some(Viewer {
            tab,
            server,
            _site: site,
            _chrome: chrome,
        })
    }
}

#[test]
fn a_phone_shows_menus_comparisons_maps_and_lists_whole() {
    let Some(page) = Viewer::bundled(390, 844) else {
        return;
    };
    let (tab, server) = (&page.tab, &page.server);

    // Every section of the header menu is on screen, none scrolled away.
    pages::open(tab, &format!("{}/roles/", server.url));
    assert_eq!(past_right_edge(tab, ".site-nav a"), Vec::<String>::new());
    let links = browser::eval(
        tab,
        "return document.querySelectorAll('.site-nav a').length",
    );
    assert!(links.as_u64() >= Some(6), "{links}");

    // The comparison: every value on screen, nothing to scroll sideways.
    pages::open(
        tab,
        &format!(
            "{}/comparisons/account-manager-vs-project-manager/",
            server.url
        ),
    );
    assert_eq!(past_right_edge(tab, ".compare td"), Vec::<String>::new());
    let scroll =
        "const s = document.querySelector('.table-scroll'); return s.scrollWidth - s.clientWidth";
    assert_eq!(browser::eval(tab, scroll), 0);
    let label =
        "return getComputedStyle(document.querySelector('.compare tbody td'), '::before').content";
    assert_eq!(browser::eval(tab, label), "\"Аккаунт-менеджер\"");

    // The career map's labels are legible.
    pages::open(tab, &format!("{}/career-map/", server.url));
    let (smallest, _) = svg_text_px(tab, ".career-node text");
    assert!(smallest >= 13.0, "career map text {smallest:.1} px");

    // "Кому не подойдёт" is a list with bullets and space between items.
    pages::open(
        tab,
        &format!("{}/roles/technical-account-manager/", server.url),
    );
    let list = browser::eval(
        tab,
        "const li = [...document.querySelectorAll('.not-for li')];
         const s = getComputedStyle(li[0]);
         return [li.length, s.display, s.listStyleType,
                 li[1].getBoundingClientRect().top - li[0].getBoundingClientRect().bottom]",
    );
    assert_eq!(list[0], 3, "{list}");
    assert_eq!(list[1], "list-item", "{list}");
    assert_eq!(list[2], "disc", "{list}");
    assert!(
        list[3].as_f64().unwrap() >= 4.0,
        "gap between items: {list}"
    );

    // Salary charts stay legible on the phone.
    for url in ["/salaries/", "/roles/account-manager/"] {
        pages::open(tab, &format!("{}{url}", server.url));
        let (smallest, largest) = svg_text_px(tab, ".salary-chart text");
        assert!(
            (11.0..=20.0).contains(&smallest) && largest <= 20.0,
            "{url}: chart text {smallest:.1}–{largest:.1} px on a phone"
        );
    }
}

#[test]
fn a_desktop_keeps_chart_text_near_body_size() {
    let Some(page) = Viewer::bundled(1280, 900) else {
        return;
    };
    let (tab, server) = (&page.tab, &page.server);
    for url in ["/salaries/", "/roles/account-manager/"] {
        pages::open(tab, &format!("{}{url}", server.url));
        let (smallest, largest) = svg_text_px(tab, ".salary-chart text");
        assert!(
            smallest >= 11.0 && largest <= 22.0,
            "{url}: chart text {smallest:.1}–{largest:.1} px at 1280"
        );
    }
    pages::open(tab, &format!("{}/career-map/", server.url));
    let (_, largest) = svg_text_px(tab, ".career-node text");
    assert!(largest <= 22.0, "career map text {largest:.1} px at 1280");
}
