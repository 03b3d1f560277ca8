//! The tenant's logo as a PDF image. A JPEG goes in as it is (PDF readers
//! decode it: `DCTDecode`); a PNG is decoded here (8 or 16 bits, grey,
//! RGB, palette, with or without alpha; not interlaced) to raw samples
//! deflated again, its alpha as a soft mask. An SVG logo (or anything else)
//! gives `None`: the PDF then carries the tenant's name alone, as before.
//!
//! Bounds: at most [`MAX_SIDE`] pixels a side and the decompressed size
//! that implies, so a hostile logo cannot make a PDF request eat memory.

/// The largest logo side, in pixels.
pub const MAX_SIDE: u32 = 4096;

/// How the image's bytes are encoded in the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Dct,
    Flate,
}

/// An image ready to embed: its samples and, for a PNG with alpha, a mask.
#[derive(Debug, Clone)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    /// 1 (DeviceGray) or 3 (DeviceRGB).
    pub components: u8,
    pub filter: Filter,
    pub data: Vec<u8>,
    /// Deflated 8-bit alpha samples (a `/SMask`).
    pub alpha: Option<Vec<u8>>,
}

/// A JPEG or PNG (by its content) as an image; `None` for anything else,
/// or one larger than [`MAX_SIDE`].
pub fn from_bytes(bytes: &[u8]) -> Option<Image> {
    jpeg(bytes).or_else(|| png(bytes))
}

/// The logo stored under `key` (its extension says its type) as an image.
pub fn from_logo(key: &str, bytes: &[u8]) -> Option<Image> {
    let ext = key.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => jpeg(bytes),
        "png" => png(bytes),
        _ => None,
    }
}

/// A baseline or progressive JPEG: its size and components from the frame header.
fn jpeg(b: &[u8]) -> Option<Image> {
    if !b.starts_with(&[0xff, 0xd8]) {
        return None;
    }
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xff {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xff {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        // SOF0..SOF15, except DHT (c4), JPG (c8) and DAC (cc).
        if (0xc0..=0xcf).contains(&marker) && !matches!(marker, 0xc4 | 0xc8 | 0xcc) {
            let f = b.get(i + 4..i + 10)?;
            let height = u32::from(u16::from_be_bytes([f[1], f[2]]));
            let width = u32::from(u16::from_be_bytes([f[3], f[4]]));
            let components = f[5];
            // CMYK JPEGs are left out: Adobe's store their samples inverted.
            if width == 0
                || height == 0
                || width > MAX_SIDE
                || height > MAX_SIDE
                || !matches!(components, 1 | 3)
            {
                return None;
            }
            return Some(Image {
                width,
                height,
                components,
                filter: Filter::Dct,
                data: b.to_vec(),
                alpha: None,
            });
        }
        i += 2 + len;
    }
    None
}

/// The PNG's header fields we need.
struct Header {
    width: u32,
    height: u32,
    depth: u8,
    color: u8,
}

/// Channels per pixel of a PNG colour type.
fn channels(color: u8) -> Option<usize> {
    match color {
        0 | 3 => Some(1),
        2 => Some(3),
        4 => Some(2),
        6 => Some(4),
        _ => None,
    }
}

fn png(b: &[u8]) -> Option<Image> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let mut rest = b.strip_prefix(SIGNATURE)?;
    let mut header = None;
    let mut idat = Vec::new();
    let mut palette: &[u8] = &[];
    let mut trns: &[u8] = &[];
    while rest.len() >= 12 {
        let len = usize::try_from(u32::from_be_bytes(rest[..4].try_into().ok()?)).ok()?;
        let kind = &rest[4..8];
        let data = rest.get(8..8 + len)?;
        match kind {
            b"IHDR" if data.len() == 13 => {
                if data[12] != 0 {
                    return None; // interlaced
                }
                header = Some(Header {
                    width: u32::from_be_bytes(data[..4].try_into().ok()?),
                    height: u32::from_be_bytes(data[4..8].try_into().ok()?),
                    depth: data[8],
                    color: data[9],
                });
            }
            b"PLTE" => palette = data,
            b"tRNS" => trns = data,
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        rest = rest.get(12 + len..)?;
    }
    let h = header?;
    if h.width == 0 || h.height == 0 || h.width > MAX_SIDE || h.height > MAX_SIDE {
        return None;
    }
    let ch = channels(h.color)?;
    let valid_depth = match h.color {
        0 => matches!(h.depth, 1 | 2 | 4 | 8 | 16),
        3 => matches!(h.depth, 1 | 2 | 4 | 8),
        _ => matches!(h.depth, 8 | 16),
    };
    if !valid_depth {
        return None;
    }
    let width = usize::try_from(h.width).ok()?;
    let height = usize::try_from(h.height).ok()?;
    let bits_per_pixel = ch * usize::from(h.depth);
    let stride = (width * bits_per_pixel).div_ceil(8);
    let raw_len = (stride + 1) * height;
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&idat, raw_len).ok()?;
    if raw.len() != raw_len {
        return None;
    }
    let rows = unfilter(&raw, stride, height, bits_per_pixel.div_ceil(8))?;
    // Every pixel as 8-bit samples of its channels.
    let samples = |row: &[u8], x: usize, c: usize| -> u8 {
        match h.depth {
            16 => row[(x * ch + c) * 2],
            8 => row[x * ch + c],
            d => {
                let bit = x * usize::from(d);
                let v = (row[bit / 8] >> (8 - usize::from(d) - bit % 8)) & ((1u8 << d) - 1);
                if h.color == 3 {
                    v
                } else {
                    // Grey scaled up to 8 bits.
                    v * (255 / ((1u8 << d) - 1))
                }
            }
        }
    };
    let (components, mut color, mut alpha): (u8, Vec<u8>, Vec<u8>) = match h.color {
        3 => (3, Vec::with_capacity(width * height * 3), Vec::new()),
        2 | 6 => (3, Vec::with_capacity(width * height * 3), Vec::new()),
        _ => (1, Vec::with_capacity(width * height), Vec::new()),
    };
    let mut any_transparent = false;
    for row in rows.chunks(stride) {
        for x in 0..width {
            match h.color {
                3 => {
                    let idx = usize::from(samples(row, x, 0));
                    let rgb = palette.get(idx * 3..idx * 3 + 3)?;
                    color.extend_from_slice(rgb);
                    let a = trns.get(idx).copied().unwrap_or(255);
                    any_transparent |= a != 255;
                    alpha.push(a);
                }
                0 | 2 => {
                    for c in 0..ch {
                        color.push(samples(row, x, c));
                    }
                    alpha.push(255);
                }
                _ => {
                    for c in 0..ch - 1 {
                        color.push(samples(row, x, c));
                    }
                    let a = samples(row, x, ch - 1);
                    any_transparent |= a != 255;
                    alpha.push(a);
                }
            }
        }
    }
    let level = 6;
    Some(Image {
        width: h.width,
        height: h.height,
        components,
        filter: Filter::Flate,
        data: miniz_oxide::deflate::compress_to_vec_zlib(&std::mem::take(&mut color), level),
        alpha: any_transparent.then(|| {
            miniz_oxide::deflate::compress_to_vec_zlib(&std::mem::take(&mut alpha), level)
        }),
    })
}

/// The PNG rows without their filter bytes, each `stride` bytes long.
fn unfilter(raw: &[u8], stride: usize, height: usize, bpp: usize) -> Option<Vec<u8>> {
    let mut out = vec![0u8; stride * height];
    for y in 0..height {
        let line = &raw[y * (stride + 1)..(y + 1) * (stride + 1)];
        let (kind, src) = (line[0], &line[1..]);
        let (done, cur) = out.split_at_mut(y * stride);
        let cur = &mut cur[..stride];
        let prev = if y == 0 {
            None
        } else {
            Some(&done[(y - 1) * stride..])
        };
        for x in 0..stride {
            let a = if x >= bpp { cur[x - bpp] } else { 0 };
            let b = prev.map_or(0, |p| p[x]);
            let c = if x >= bpp {
                prev.map_or(0, |p| p[x - bpp])
            } else {
                0
            };
            let predicted = match kind {
                0 => 0,
                1 => a,
                2 => b,
                3 => u8::try_from((u16::from(a) + u16::from(b)) / 2).unwrap_or(0),
                4 => paeth(a, b, c),
                _ => return None,
            };
            cur[x] = src[x].wrapping_add(predicted);
        }
    }
    Some(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}
