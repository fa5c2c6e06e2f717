//! Resized copies of raster images (PNG, JPEG, WebP) with the `image`
//! crate: decoded once, scaled to each configured width no wider than the
//! original, encoded as WebP (or the format asked for), in parallel.
//!
//! Every copy is kept in a cache folder (`.rolebook-cache/images/` of the
//! site) under a name made of the source's content hash and the settings
//! (width, format, the encoder's version), so a second build finds every
//! copy there and decodes nothing. The build copies the cached files into
//! its output; this module only reads sources and writes the cache.
//!
//! The `image` crate's WebP encoder is lossless: copies of photographs are
//! larger than a lossy encoder would make them, but no C library is needed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use image::{DynamicImage, ImageFormat, imageops::FilterType};
use rayon::prelude::*;

use crate::error::{Error, Location};

/// Bumped when the way copies are made changes, so old cache files are not reused.
const VERSION: u32 = 1;

/// The formats a copy can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// WebP (lossless).
    Webp,
    /// PNG.
    Png,
    /// JPEG (quality 82).
    Jpeg,
}

impl Format {
    /// `webp`, `png`, `jpg`, `jpeg`; `None` for anything else.
    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "webp" => Some(Format::Webp),
            "png" => Some(Format::Png),
            "jpg" | "jpeg" => Some(Format::Jpeg),
            _ => None,
        }
    }

    /// The file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Png => "png",
            Format::Jpeg => "jpg",
        }
    }
}

/// True for a path whose extension is one of the raster formats handled here.
pub fn is_raster(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.rsplit_once('.').is_some_and(|(_, ext)| {
        matches!(
            ext.to_ascii_lowercase().as_str(),
            "png" | "jpg" | "jpeg" | "webp"
        )
    })
}

/// `img/team.png` of `/img/team.png` (or of `/kb/img/team.png` under base
/// path `/kb/`): where a root-relative image is in `static/`.
pub fn static_path<'a>(src: &'a str, base_path: &str) -> &'a str {
    let src = src.split(['?', '#']).next().unwrap_or(src);
    src.strip_prefix(base_path)
        .unwrap_or(src)
        .trim_start_matches('/')
}

/// The cache folder and counters of one build.
#[derive(Debug)]
pub struct Cache {
    folder: PathBuf,
    resized: AtomicUsize,
    reused: AtomicUsize,
    /// Numbers the temporary files (two sources may have the same bytes).
    temporaries: AtomicUsize,
    /// Name the copies without making them (`check`).
    dry: bool,
}

/// A source image: its size and content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Hash of the file's bytes.
    pub hash: u64,
}

/// One copy in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The file in the cache folder.
    pub file: PathBuf,
    /// A file name for the output (`chart-3f2a…-480w.webp`).
    pub name: String,
}

/// What [`Cache::process`] made of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// The source's size and hash.
    pub original: Original,
    /// The copies, narrowest first.
    pub copies: Vec<Copy>,
}

impl Cache {
    /// The cache under `folder` (created when a copy is first written).
    pub fn new(folder: PathBuf) -> Cache {
        Cache {
            folder,
            resized: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
            temporaries: AtomicUsize::new(0),
            dry: false,
        }
    }

    /// This cache, naming copies without making them: sizes are read and
    /// files checked, nothing is encoded or written (for `check`).
    pub fn without_copies(self) -> Cache {
        Cache { dry: true, ..self }
    }

    /// The cache of a site: `.rolebook-cache/images/` under its root.
    pub fn of_site(root: &Path) -> Cache {
        Cache::new(root.join(".rolebook-cache").join("images"))
    }

    /// Copies made in this build, and copies found in the cache.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.resized.load(Ordering::Relaxed),
            self.reused.load(Ordering::Relaxed),
        )
    }

    /// Make the WebP copies of every source at `widths` (none wider than the
    /// source; a source narrower than every width gets one copy at its own
    /// width), in parallel. `sources` are `(file on disk, path shown in errors)`.
    pub fn process(
        &self,
        sources: &[(PathBuf, PathBuf)],
        widths: &[u32],
    ) -> Vec<Result<Processed, Error>> {
        sources
            .par_iter()
            .map(|(file, shown)| self.process_one(file, shown, widths))
            .collect()
    }

    fn process_one(&self, file: &Path, shown: &Path, widths: &[u32]) -> Result<Processed, Error> {
        let bytes = std::fs::read(file).map_err(|e| Error::io("read", shown, &e))?;
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let original = self.original(&bytes, hash, shown)?;
        let mut wanted: Vec<u32> = widths
            .iter()
            .copied()
            .filter(|&w| w > 0 && w < original.width)
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            wanted.push(original.width);
        }
        let stem = stem(shown);
        let mut decoded = None;
        let copies = wanted
            .into_iter()
            .map(|width| {
                self.copy(
                    &bytes,
                    &original,
                    &mut decoded,
                    shown,
                    &stem,
                    width,
                    Format::Webp,
                )
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Processed { original, copies })
    }

    /// One copy of `file` at `width` in `format` (the `resize_image`
    /// template function): from the cache, or made now.
    pub fn resize(
        &self,
        file: &Path,
        shown: &Path,
        width: u32,
        format: Format,
    ) -> Result<(Original, Copy), Error> {
        let bytes = std::fs::read(file).map_err(|e| Error::io("read", shown, &e))?;
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let original = self.original(&bytes, hash, shown)?;
        let width = width.clamp(1, original.width);
        let copy = self.copy(
            &bytes,
            &original,
            &mut None,
            shown,
            &stem(shown),
            width,
            format,
        )?;
        Ok((original, copy))
    }

    /// The size of an image from its header (a full decode only when the
    /// header does not say), or the error naming the file.
    fn original(&self, bytes: &[u8], hash: u64, shown: &Path) -> Result<Original, Error> {
        let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| broken(shown, &e.to_string()))?;
        if reader.format().is_none() {
            return Err(broken(shown, "not a PNG, JPEG or WebP file"));
        }
        let (width, height) = reader
            .into_dimensions()
            .map_err(|e| broken(shown, &e.to_string()))?;
        Ok(Original {
            width,
            height,
            hash,
        })
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the decoded image is shared by the copies of one source"
    )]
    fn copy(
        &self,
        bytes: &[u8],
        original: &Original,
        decoded: &mut Option<DynamicImage>,
        shown: &Path,
        stem: &str,
        width: u32,
        format: Format,
    ) -> Result<Copy, Error> {
        let height = scaled_height(original, width);
        let name = format!(
            "{stem}-{:016x}-{width}w.{}",
            original.hash,
            format.extension()
        );
        let file = self.folder.join(format!(
            "{:016x}-{width}x{height}-v{VERSION}.{}",
            original.hash,
            format.extension()
        ));
        let copy = Copy {
            width,
            height,
            file,
            name,
        };
        if copy.file.is_file() {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(copy);
        }
        if self.dry {
            return Ok(copy);
        }
        if decoded.is_none() {
            *decoded =
                Some(image::load_from_memory(bytes).map_err(|e| broken(shown, &e.to_string()))?);
        }
        let image = decoded.as_ref().expect("decoded just above");
        let resized = match width == original.width {
            true => image.clone(),
            false => image.resize_exact(width, height, FilterType::CatmullRom),
        };
        self.write(&resized, &copy.file, format, shown)?;
        self.resized.fetch_add(1, Ordering::Relaxed);
        Ok(copy)
    }

    /// Encode into a temporary file and rename it, so a build that stops
    /// half-way never leaves a truncated copy in the cache.
    fn write(
        &self,
        image: &DynamicImage,
        file: &Path,
        format: Format,
        shown: &Path,
    ) -> Result<(), Error> {
        std::fs::create_dir_all(&self.folder).map_err(|e| Error::io("create", &self.folder, &e))?;
        let image = match format {
            Format::Jpeg => DynamicImage::ImageRgb8(image.to_rgb8()),
            _ if image.color().has_alpha() => DynamicImage::ImageRgba8(image.to_rgba8()),
            _ => DynamicImage::ImageRgb8(image.to_rgb8()),
        };
        let mut encoded = Vec::new();
        let mut cursor = std::io::Cursor::new(&mut encoded);
        let result = match format {
            Format::Webp => image.write_to(&mut cursor, ImageFormat::WebP),
            Format::Png => image.write_to(&mut cursor, ImageFormat::Png),
            Format::Jpeg => image.write_with_encoder(
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut cursor, 82),
            ),
        };
        result.map_err(|e| broken(shown, &format!("could not encode a copy: {e}")))?;
        let number = self.temporaries.fetch_add(1, Ordering::Relaxed);
        let temporary = file.with_extension(format!("tmp{}-{number}", std::process::id()));
        std::fs::write(&temporary, &encoded).map_err(|e| Error::io("write", &temporary, &e))?;
        std::fs::rename(&temporary, file).map_err(|e| Error::io("write", file, &e))
    }
}

fn scaled_height(original: &Original, width: u32) -> u32 {
    let height = u64::from(original.height) * u64::from(width) / u64::from(original.width.max(1));
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

/// The file name without its extension, kept to letters, digits and `-_`.
fn stem(shown: &Path) -> String {
    let stem = shown
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    match stem.is_empty() {
        true => "image".to_string(),
        false => stem,
    }
}

fn broken(shown: &Path, cause: &str) -> Error {
    Error::at(
        Location::file(shown),
        format!(
            "image `{}` cannot be read: {cause}",
            crate::error::display_path(shown)
        ),
    )
    .with_hint("save the file again as PNG, JPEG or WebP, or remove it")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut bytes = Vec::new();
        DynamicImage::ImageRgb8(image)
            .write_to(&mut std::io::Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn copies_are_never_wider_than_the_original_and_come_from_the_cache_next_time() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("chart.png");
        std::fs::write(&file, png(1000, 500)).unwrap();
        let cache = Cache::new(dir.path().join("cache"));
        let sources = vec![(file.clone(), PathBuf::from("content/chart.png"))];
        let done = cache.process(&sources, &[480, 960, 1600]);
        let processed = done[0].as_ref().unwrap();
        let widths: Vec<_> = processed
            .copies
            .iter()
            .map(|c| (c.width, c.height))
            .collect();
        assert_eq!(widths, [(480, 240), (960, 480)]);
        assert_eq!(cache.counts(), (2, 0));
        let again = Cache::new(dir.path().join("cache"));
        again.process(&sources, &[480, 960, 1600]);
        assert_eq!(again.counts(), (0, 2));
        let small = Cache::new(dir.path().join("cache"));
        let one = small.process(&sources, &[2000]);
        assert_eq!(one[0].as_ref().unwrap().copies[0].width, 1000);
    }

    #[test]
    fn a_broken_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.png");
        std::fs::write(&file, b"\x89PNG\r\n\x1a\nnot really").unwrap();
        let cache = Cache::new(dir.path().join("cache"));
        let done = cache.process(&[(file, PathBuf::from("content/x.png"))], &[480]);
        let error = done[0].as_ref().unwrap_err().to_string();
        assert!(
            error.starts_with("content/x.png: error: image `content/x.png` cannot be read"),
            "{error}"
        );
    }

    #[test]
    fn raster_paths() {
        assert!(is_raster("a/b.PNG"));
        assert!(is_raster("x.jpeg?v=1"));
        assert!(!is_raster("x.svg"));
        assert!(!is_raster("png"));
    }
}
