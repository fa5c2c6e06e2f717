//! The default theme in a real browser: pages render and look right.

use std::time::Duration;

use crate::browser::{self, StaticServer};
use crate::support::TestSite;

#[test]
fn bundled_site_renders_in_chromium() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let site = TestSite::bundled();
    site.build();
    let server = StaticServer::start(&site.public());
    let tab = browser::tab(&chrome);
    tab.navigate_to(&format!("{}/roles/account-manager/", server.url))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    let title = browser::wait_for("title", Duration::from_secs(10), || {
        let t = browser::eval(&tab, "return document.title");
        t.as_str().filter(|s| !s.is_empty()).map(str::to_string)
    });
    assert!(title.starts_with("Аккаунт-менеджер"), "{title}");
    if let Some(dir) = std::env::var_os("ROLEBOOK_SCREENSHOTS") {
        browser::screenshot(&tab, &std::path::Path::new(&dir).join("role-desktop.png"));
    }
}
