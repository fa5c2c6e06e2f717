//! A rendered body kept compressed while the site waits to be written.
//!
//! Every page's HTML lives from the parallel pass until its page is
//! rendered, and at 10,000 pages the bodies were 60 % of the heap (146 of
//! 246 MB). LZ4 packs HTML about threefold at hundreds of MB/s and unpacks
//! it at GB/s, so a page pays a few tens of microseconds and the site a
//! third of the memory.

/// HTML stored LZ4-compressed; [`PackedHtml::unpack`] gives it back.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PackedHtml {
    /// The LZ4 block, empty for empty HTML.
    bytes: Box<[u8]>,
    /// The unpacked length in bytes.
    len: usize,
}

impl PackedHtml {
    /// Compress `html`.
    pub fn pack(html: &str) -> Self {
        PackedHtml {
            bytes: lz4_flex::block::compress(html.as_bytes()).into_boxed_slice(),
            len: html.len(),
        }
    }

    /// The HTML, unpacked into a new string.
    pub fn unpack(&self) -> String {
        self.with_str(str::to_owned)
    }

    /// Call `f` with the HTML, unpacked into this thread's buffer: most
    /// readers make a new string of it anyway (links filled in, ids
    /// prefixed), so the unpacked copy is not allocated for each of them.
    pub fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        if self.len == 0 {
            return f("");
        }
        BUFFER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buffer) => self.unpack_into(&mut buffer, f),
            // Called from inside `f`: that call gets a buffer of its own.
            Err(_) => self.unpack_into(&mut Vec::new(), f),
        })
    }

    fn unpack_into<R>(&self, buffer: &mut Vec<u8>, f: impl FnOnce(&str) -> R) -> R {
        buffer.resize(self.len, 0);
        let written = lz4_flex::block::decompress_into(&self.bytes, buffer)
            .expect("an LZ4 block made by `pack` unpacks");
        // simdutf8: std's check of Cyrillic HTML cost more than the unpacking.
        let html = simdutf8::basic::from_utf8(&buffer[..written]).expect("`pack` took a `str`");
        f(html)
    }

    /// Length of the unpacked HTML in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the HTML is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held (the compressed size).
    pub fn packed_len(&self) -> usize {
        self.bytes.len()
    }
}

impl From<&str> for PackedHtml {
    fn from(html: &str) -> Self {
        PackedHtml::pack(html)
    }
}

impl std::fmt::Debug for PackedHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackedHtml({} bytes in {})", self.len, self.bytes.len())
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
            let packed = PackedHtml::pack(html);
            assert_eq!(packed.unpack(), html);
            assert_eq!(packed.len(), html.len());
        }
    }

    #[test]
    fn repetitive_html_takes_less_room() {
        let html = "<li><a href=\"/roles/pm/\">Менеджер проектов</a></li>\n".repeat(200);
        let packed = PackedHtml::pack(&html);
        assert!(packed.packed_len() * 4 < html.len(), "{packed:?}");
    }

    #[test]
    fn an_unpack_inside_an_unpack_gets_its_own_buffer() {
        let (outer, inner) = (
            PackedHtml::pack("<p>внешний</p>"),
            PackedHtml::pack("<p>внутренний</p>"),
        );
        let both = outer.with_str(|o| format!("{o}{}", inner.unpack()));
        assert_eq!(both, "<p>внешний</p><p>внутренний</p>");
    }

    #[test]
    fn equal_html_packs_equal() {
        let html = "<h2 id=\"zarplata\">Зарплата</h2>";
        assert_eq!(PackedHtml::pack(html), PackedHtml::pack(html));
        assert_ne!(PackedHtml::pack(html), PackedHtml::pack("<h2>Другое</h2>"));
    }
}
