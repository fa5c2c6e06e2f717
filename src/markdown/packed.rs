//! A rendered body kept compressed while the site waits to be written.
//!
//! Every page's HTML lives from the parallel pass until its page is
//! rendered, and at 10,000 pages the bodies were 60 % of the heap (146 of
//! 246 MB). LZ4 packs HTML about threefold at hundreds of MB/s and unpacks
//! it at GB/s, so a page pays a few tens of microseconds and the site a
//! third of the memory.

/// HTML stored LZ4-compressed; [`PackedHtml::unpack`] gives it back.
/// A body of 1 MiB or more is kept as it is: packing it
/// would hold it twice at once, and unpacking it a third time.
#[derive(Clone, PartialEq, Eq)]
pub struct PackedHtml(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    /// An LZ4 block and the unpacked length in bytes.
    Packed { bytes: Box<[u8]>, len: usize },
    /// Very large HTML, as rendered.
    Plain(Box<str>),
}

/// Bodies this large stay unpacked (a site of such pages is rare, and each
/// of them would cost its size again while being packed and unpacked).
pub const PLAIN_FROM_BYTES: usize = 1 << 20;

impl Default for PackedHtml {
    fn default() -> Self {
        PackedHtml(Repr::Plain(Box::default()))
    }
}

impl PackedHtml {
    /// Compress `html` (unless it is very large).
    pub fn pack(html: String) -> Self {
        if html.len() >= PLAIN_FROM_BYTES || html.is_empty() {
            return PackedHtml(Repr::Plain(html.into_boxed_str()));
        }
        PackedHtml(Repr::Packed {
            bytes: lz4_flex::block::compress(html.as_bytes()).into_boxed_slice(),
            len: html.len(),
        })
    }

    /// The HTML, unpacked into a new string.
    pub fn unpack(&self) -> String {
        self.with_str(str::to_owned)
    }

    /// The HTML when it is kept as it is (very large bodies): readers
    /// borrow it instead of copying it.
    pub fn as_plain(&self) -> Option<&str> {
        match &self.0 {
            Repr::Plain(html) => Some(html),
            Repr::Packed { .. } => None,
        }
    }

    /// Call `f` with the HTML, unpacked into this thread's buffer: most
    /// readers make a new string of it anyway (links filled in, ids
    /// prefixed), so the unpacked copy is not allocated for each of them.
    pub fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let Repr::Packed { bytes, len } = &self.0 else {
            return f(self.as_plain().unwrap_or_default());
        };
        BUFFER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buffer) => unpack_into(bytes, *len, &mut buffer, f),
            // Called from inside `f`: that call gets a buffer of its own.
            Err(_) => unpack_into(bytes, *len, &mut Vec::new(), f),
        })
    }

    /// Length of the unpacked HTML in bytes.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Packed { len, .. } => *len,
            Repr::Plain(html) => html.len(),
        }
    }

    /// True when the HTML is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held (the compressed size of packed HTML).
    pub fn packed_len(&self) -> usize {
        match &self.0 {
            Repr::Packed { bytes, .. } => bytes.len(),
            Repr::Plain(html) => html.len(),
        }
    }
}

fn unpack_into<R>(bytes: &[u8], len: usize, buffer: &mut Vec<u8>, f: impl FnOnce(&str) -> R) -> R {
    buffer.resize(len, 0);
    let written = lz4_flex::block::decompress_into(bytes, buffer)
        .expect("an LZ4 block made by `pack` unpacks");
    // simdutf8: std's check of Cyrillic HTML cost more than the unpacking.
    let html = simdutf8::basic::from_utf8(&buffer[..written]).expect("`pack` took a `str`");
    f(html)
}

impl From<&str> for PackedHtml {
    fn from(html: &str) -> Self {
        PackedHtml::pack(html.to_string())
    }
}

impl std::fmt::Debug for PackedHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PackedHtml({} bytes in {})",
            self.len(),
            self.packed_len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::PackedHtml;

    #[test]
    fn unpacks_what_it_packed() {
        for html in [
            "",
            "<p>a</p>",
            &"<p>Менеджер проектов планирует сроки и бюджет.</p>\n".repeat(500),
        ] {
            let packed = PackedHtml::from(html);
            assert_eq!(packed.unpack(), html);
            assert_eq!(packed.len(), html.len());
        }
    }

    #[test]
    fn repetitive_html_takes_less_room() {
        let html = "<li><a href=\"/roles/pm/\">Менеджер проектов</a></li>\n".repeat(200);
        let packed = PackedHtml::pack(html.clone());
        assert!(packed.packed_len() * 4 < html.len(), "{packed:?}");
        assert_eq!(packed.as_plain(), None);
    }

    #[test]
    fn an_unpack_inside_an_unpack_gets_its_own_buffer() {
        let (outer, inner) = (
            PackedHtml::from("<p>внешний</p>"),
            PackedHtml::from("<p>внутренний</p>"),
        );
        let both = outer.with_str(|o| format!("{o}{}", inner.unpack()));
        assert_eq!(both, "<p>внешний</p><p>внутренний</p>");
    }

    #[test]
    fn equal_html_packs_equal() {
        let html = "<h2 id=\"zarplata\">Зарплата</h2>";
        assert_eq!(PackedHtml::from(html), PackedHtml::from(html));
        assert_ne!(PackedHtml::from(html), PackedHtml::from("<h2>Другое</h2>"));
    }

    #[test]
    fn a_very_large_body_is_kept_as_it_is() {
        let html = "<p>абзац</p>\n".repeat(super::PLAIN_FROM_BYTES / 10);
        let packed = PackedHtml::pack(html.clone());
        assert_eq!(packed.as_plain(), Some(html.as_str()));
        assert_eq!(packed.with_str(str::len), html.len());
    }
}
