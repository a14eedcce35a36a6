//! An uploaded image made fit to serve: its bytes are decoded to prove it is
//! a JPEG, PNG or WebP picture within the size limits (never trusted by name
//! or content type), turned upright by its EXIF orientation, and encoded anew
//! at each width the storefront asks for. Encoding from pixels drops every
//! metadata block (EXIF with its GPS position, XMP, comments).
//!
//! Each width is written in the original's format (JPEG for photographs,
//! PNG where there is transparency) and as WebP. The WebP encoder available
//! in pure Rust is lossless: it wins for drawings and screenshots but loses
//! to JPEG for photographs, so WebP files are made only when the widest one
//! is smaller than its fallback.

use crate::domain::media::{file_name, widths_for};
use crate::error::AppError;
use image::codecs::{jpeg::JpegEncoder, png::PngEncoder, webp::WebPEncoder};
use image::{imageops::FilterType, DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// Largest upload taken, in bytes.
pub const MAX_BYTES: usize = 15 * 1024 * 1024;
/// Most pixels an upload may have (a 50-megapixel camera).
pub const MAX_PIXELS: u64 = 50_000_000;
/// Longest side an upload may have.
pub const MAX_SIDE: u32 = 12_000;
/// JPEG quality of the resized photographs.
const JPEG_QUALITY: u8 = 82;

/// A file format the shop serves images in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    /// The file name extension (and the key's suffix).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::WebP => "webp",
        }
    }
}

/// One resized file, ready for the object store.
#[derive(Debug)]
pub struct Rendition {
    pub key: String,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// An upload, checked and resized.
#[derive(Debug)]
pub struct Processed {
    /// The start of every key: a hash of the uploaded bytes.
    pub hash: String,
    /// The upright picture's size.
    pub width: u32,
    pub height: u32,
    /// The format every width exists in.
    pub fallback: Format,
    pub renditions: Vec<Rendition>,
}

impl Processed {
    /// Whether every width also exists as WebP.
    pub fn has_webp(&self) -> bool {
        self.renditions.iter().any(|r| r.format == Format::WebP)
    }
}

/// The key of `hash`'s rendition `width` wide in `format`.
pub fn key(hash: &str, width: u32, format: Format) -> String {
    file_name(hash, width, format.extension())
}

/// The start of every key of the upload `bytes`: 20 hex digits of their SHA-256.
pub fn hash_of(bytes: &[u8]) -> String {
    crate::ssr::accounts::hex(&Sha256::digest(bytes)[..10])
}

/// The refusal of an upload of `len` bytes, over [`MAX_BYTES`].
pub fn too_many_bytes(len: usize) -> AppError {
    AppError::TooLarge(format!("That image is {} MB; the shop takes images up to {} MB.", len.div_ceil(1 << 20), MAX_BYTES >> 20))
}

fn unreadable() -> AppError {
    AppError::BadRequest("That file is not a picture the shop can read: upload a JPEG, PNG or WebP image.".into())
}

/// Decodes `bytes`, checks them and makes every rendition. CPU-heavy: call
/// it off the async runtime (`spawn_blocking`).
pub fn process(bytes: &[u8]) -> Result<Processed, AppError> {
    if bytes.len() > MAX_BYTES {
        return Err(too_many_bytes(bytes.len()));
    }
    let original = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Format::Jpeg,
        Ok(ImageFormat::Png) => Format::Png,
        Ok(ImageFormat::WebP) => Format::WebP,
        _ => return Err(unreadable()),
    };
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| unreadable())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 8);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| too_big_or_unreadable(&e))?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(AppError::TooLarge(format!("That image has {} megapixels; the shop takes up to {}.", (u64::from(w) * u64::from(h)).div_ceil(1_000_000), MAX_PIXELS / 1_000_000)));
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| too_big_or_unreadable(&e))?;
    picture.apply_orientation(orientation);
    let alpha = picture.color().has_alpha();
    let picture = if alpha { DynamicImage::ImageRgba8(picture.into_rgba8()) } else { DynamicImage::ImageRgb8(picture.into_rgb8()) };
    let fallback = match (original, alpha) {
        (Format::Png, _) | (Format::WebP, true) => Format::Png,
        _ => Format::Jpeg,
    };
    let hash = hash_of(bytes);
    let (width, height) = (picture.width(), picture.height());
    let mut renditions = Vec::new();
    // Widest first: whether WebP is smaller there decides it for every width,
    // so a photograph's (larger, lossless) WebP is encoded once, not per width.
    let mut keep_webp = None;
    for w in widths_for(width).into_iter().rev() {
        let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width)).max(1) as u32;
        let smaller;
        let resized = if w == width {
            &picture
        } else {
            smaller = picture.resize_exact(w, h, FilterType::Lanczos3);
            &smaller
        };
        let main = encode(resized, fallback)?;
        if keep_webp != Some(false) {
            let bytes = encode(resized, Format::WebP)?;
            if *keep_webp.get_or_insert(bytes.len() < main.len()) {
                renditions.push(Rendition { key: key(&hash, w, Format::WebP), format: Format::WebP, width: w, height: h, bytes });
            }
        }
        renditions.push(Rendition { key: key(&hash, w, fallback), format: fallback, width: w, height: h, bytes: main });
    }
    renditions.sort_by_key(|r| r.width);
    Ok(Processed { hash, width, height, fallback, renditions })
}

fn too_big_or_unreadable(error: &image::ImageError) -> AppError {
    match error {
        image::ImageError::Limits(_) => {
            AppError::TooLarge(format!("That image is too large: the shop takes up to {MAX_SIDE} pixels a side and {} megapixels.", MAX_PIXELS / 1_000_000))
        }
        _ => unreadable(),
    }
}

fn encode(picture: &DynamicImage, format: Format) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::new();
    let done = match format {
        Format::Jpeg => picture.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)),
        Format::Png => picture.write_with_encoder(PngEncoder::new(&mut out)),
        Format::WebP => picture.write_with_encoder(WebPEncoder::new_lossless(&mut out)),
    };
    done.map_err(|error| {
        tracing::error!(%error, "encoding an image");
        AppError::Internal
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn photo(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| Rgb([(x * 7 % 256) as u8, (y * 13 % 256) as u8, ((x ^ y) % 256) as u8]))
    }

    fn encoded(picture: DynamicImage, format: Format) -> Vec<u8> {
        encode(&picture, format).unwrap()
    }

    /// A JPEG with an EXIF block saying "turn 90° clockwise to view" and a
    /// made-up GPS note, as a phone writes it.
    fn phone_jpeg(width: u32, height: u32) -> Vec<u8> {
        let jpeg = encoded(DynamicImage::ImageRgb8(photo(width, height)), Format::Jpeg);
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend([0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
        tiff.extend(b"GPS 51.5N 0.1W");
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(((app1.len() + 2) as u16).to_be_bytes());
        out.extend(app1);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn a_photograph_is_resized_to_each_width_in_its_own_format() {
        let upload = encoded(DynamicImage::ImageRgb8(photo(1500, 1000)), Format::Jpeg);
        let done = process(&upload).unwrap();
        assert_eq!((done.width, done.height, done.fallback), (1500, 1000, Format::Jpeg));
        let jpegs: Vec<(u32, u32)> = done.renditions.iter().filter(|r| r.format == Format::Jpeg).map(|r| (r.width, r.height)).collect();
        assert_eq!(jpegs, [(160, 107), (320, 213), (640, 427), (1280, 853)]);
        for r in &done.renditions {
            let back = image::load_from_memory(&r.bytes).unwrap();
            assert_eq!((back.width(), back.height()), (r.width, r.height), "{}", r.key);
            assert!(r.key.starts_with(&done.hash) && r.key.ends_with(r.format.extension()));
        }
        assert_eq!(process(&upload).unwrap().hash, done.hash, "the same bytes, the same keys");
    }

    #[test]
    fn a_drawing_with_transparency_stays_png_and_gains_a_smaller_webp() {
        let drawing = RgbaImage::from_fn(400, 300, |x, _| if x < 200 { Rgba([200, 30, 30, 255]) } else { Rgba([0, 0, 0, 0]) });
        let done = process(&encoded(DynamicImage::ImageRgba8(drawing), Format::Png)).unwrap();
        assert_eq!(done.fallback, Format::Png);
        assert!(done.has_webp(), "flat colours compress better as lossless WebP");
        let webp = done.renditions.iter().find(|r| r.format == Format::WebP && r.width == 400).unwrap();
        let png = done.renditions.iter().find(|r| r.format == Format::Png && r.width == 400).unwrap();
        assert!(webp.bytes.len() < png.bytes.len());
        assert!(image::load_from_memory(&webp.bytes).unwrap().color().has_alpha(), "transparency kept");
    }

    #[test]
    fn exif_turns_the_picture_upright_and_is_then_dropped() {
        let upload = phone_jpeg(300, 200);
        assert!(upload.windows(4).any(|w| w == b"Exif"));
        let done = process(&upload).unwrap();
        assert_eq!((done.width, done.height), (200, 300), "orientation 6: turned a quarter clockwise");
        for r in &done.renditions {
            assert!(!r.bytes.windows(4).any(|w| w == b"Exif"), "{} keeps no EXIF", r.key);
            assert!(!r.bytes.windows(3).any(|w| w == b"GPS"), "{} keeps no location", r.key);
        }
    }

    #[test]
    fn anything_but_a_readable_picture_is_refused_clearly() {
        let png = encoded(DynamicImage::ImageRgb8(photo(50, 50)), Format::Png);
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
        for (bad, why) in [
            (b"".to_vec(), "empty"),
            (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(), "an SVG"),
            (b"just text named photo.jpg".to_vec(), "text"),
            (png[..png.len() / 2].to_vec(), "a cut-off PNG"),
            (gif, "a GIF"),
        ] {
            let refused = process(&bad).unwrap_err();
            assert_eq!(refused.status(), 400, "{why}");
            assert!(refused.to_string().contains("JPEG, PNG or WebP"), "{why}: {refused}");
        }
    }

    #[test]
    fn limits_are_checked_before_the_pixels_are_decoded() {
        // A valid PNG header claiming 20000 × 20000 pixels, with no pixels behind it.
        let mut png = encoded(DynamicImage::ImageRgb8(photo(1, 1)), Format::Png);
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(process(&png).unwrap_err().status(), 413);
        assert_eq!(process(&vec![0xFF; MAX_BYTES + 1]).unwrap_err().status(), 413);
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}
