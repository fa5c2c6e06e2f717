//! Page types of the bundled site and browser helpers for the theme's tests:
//! viewport and colour-scheme emulation, loading a page, full-page screenshots.

use std::path::Path;
use std::time::Duration;

use headless_chrome::Tab;
use headless_chrome::protocol::cdp::{Emulation, Page};

use crate::browser;

/// Every page type of the bundled site: a name and a URL path.
pub const PAGE_TYPES: &[(&str, &str)] = &[
    ("home", "/"),
    ("section", "/articles/"),
    ("article", "/articles/salaries/"),
    ("roles directory", "/roles/"),
    ("role", "/roles/account-manager/"),
    ("role without salary", "/roles/hr-manager/"),
    (
        "comparison",
        "/comparisons/account-manager-vs-project-manager/",
    ),
    ("salary overview", "/salaries/"),
    ("career map", "/career-map/"),
    ("taxonomy list", "/tags/"),
    ("taxonomy term", "/qualities/kommunikabelnost/"),
    ("search", "/search/"),
    ("404", "/404.html"),
    ("course", "/courses/kto-vy-dlya-klienta/"),
    ("chapter", "/courses/kto-vy-dlya-klienta/obsluga/"),
    ("handout", "/courses/kto-vy-dlya-klienta/print/"),
];

/// Light or dark colour scheme, as the system setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

/// Emulate a viewport (CSS pixels; phones below 600 px wide) and a system colour scheme.
pub fn emulate(tab: &Tab, width: u32, height: u32, scheme: Scheme) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("viewport");
    tab.call_method(Emulation::SetEmulatedMedia {
        media: None,
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".into(),
            value: scheme.name().into(),
        }]),
    })
    .expect("colour scheme");
}

/// Navigate and wait until the page and its subresources have loaded.
#[track_caller]
pub fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url).expect("navigate");
    tab.wait_until_navigated().expect("navigated");
    browser::wait_for(
        &format!("{url} to load"),
        Duration::from_secs(15),
        || {
            let state = browser::eval(tab, "return document.readyState");
            (state == "complete").then_some(())
        },
    );
}

/// PNGs of the whole page at `width`, cut into parts of about two screens
/// (`name-0.png`, `name-1.png`, …) so each stays legible: the viewport is
/// stretched to the page's height for the capture, then restored.
pub fn full_screenshot(tab: &Tab, dir: &Path, name: &str, size: (u32, u32), scheme: Scheme) {
    let (width, height) = size;
    let full = browser::eval(tab, "return document.documentElement.scrollHeight")
        .as_u64()
        .unwrap_or(u64::from(height));
    let full = u32::try_from(full).unwrap_or(height).clamp(height, 20_000);
    emulate(tab, width, full, scheme);
    let part = if width < 600 { 1100 } else { 1500 };
    for (i, top) in (0..full).step_by(part as usize).enumerate() {
        let clip = Page::Viewport {
            x: 0.0,
            y: f64::from(top),
            width: f64::from(width),
            height: f64::from(part.min(full - top)),
            scale: 1.0,
        };
        let png = tab
            .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, Some(clip), true)
            .expect("screenshot");
        std::fs::write(dir.join(format!("{name}-{i}.png")), png).expect("write screenshot");
    }
    emulate(tab, width, height, scheme);
}
