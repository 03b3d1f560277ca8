//! A small PDF writer for documents a module renders itself (an invoice the
//! back-office sent without a PDF of its own, a visit report): one or more
//! A4 pages of text in the PDF standard font Helvetica (no font files,
//! nothing to download), which every PDF reader shows and `pdftotext`
//! reads back. Text is encoded as WinAnsi, so Dutch
//! accents and the euro sign come out right; anything else becomes `?`.
//! The tenant's logo, where it is a PNG or JPEG, sits top right on the
//! first page ([`image`]).

pub mod image;

use image::{Filter, Image};

/// The box the logo is fitted into (points), and its top-right corner.
const LOGO_BOX: (f32, f32) = (160.0, 56.0);
const LOGO_TOP_RIGHT: (f32, f32) = (545.0, 812.0);

/// One line of text at a position (points from the bottom-left), in a size.
#[derive(Debug, Clone)]
pub struct TextLine {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub text: String,
}

/// WinAnsi (Windows-1252) byte of a character, if it has one.
fn win_ansi(c: char) -> Option<u8> {
    let code = c as u32;
    match code {
        0x20..=0x7e => u8::try_from(code).ok(),
        0xa0..=0xff => u8::try_from(code).ok(),
        _ => match c {
            '€' => Some(0x80),
            '‚' => Some(0x82),
            '„' => Some(0x84),
            '…' => Some(0x85),
            '‘' => Some(0x91),
            '’' => Some(0x92),
            '“' => Some(0x93),
            '”' => Some(0x94),
            '–' => Some(0x96),
            '—' => Some(0x97),
            _ => None,
        },
    }
}

/// A PDF string literal: WinAnsi bytes with `(`, `)` and `\` escaped.
fn literal(s: &str) -> Vec<u8> {
    let mut out = vec![b'('];
    for c in s.chars() {
        let b = win_ansi(c).unwrap_or(b'?');
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

/// An image XObject: its dictionary and stream.
fn image_object(
    img: &Image,
    filter: Filter,
    data: &[u8],
    gray: bool,
    smask: Option<usize>,
) -> Vec<u8> {
    let space = if gray { "/DeviceGray" } else { "/DeviceRGB" };
    let filter = match filter {
        Filter::Dct => "/DCTDecode",
        Filter::Flate => "/FlateDecode",
    };
    let mask = smask
        .map(|id| format!(" /SMask {id} 0 R"))
        .unwrap_or_default();
    let mut obj = format!(
        "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {space} \
         /BitsPerComponent 8 /Filter {filter}{mask} /Length {} >>\nstream\n",
        img.width,
        img.height,
        data.len()
    )
    .into_bytes();
    obj.extend(data);
    obj.extend(b"\nendstream");
    obj
}

/// Where the logo goes: `w h x y` for the `cm` operator, fitted into
/// [`LOGO_BOX`] with its proportions kept.
fn logo_placement(img: &Image) -> (f32, f32, f32, f32) {
    #[allow(clippy::cast_precision_loss)] // at most MAX_SIDE pixels a side
    let (w, h) = (img.width as f32, img.height as f32);
    let scale = (LOGO_BOX.0 / w).min(LOGO_BOX.1 / h);
    let (w, h) = (w * scale, h * scale);
    (w, h, LOGO_TOP_RIGHT.0 - w, LOGO_TOP_RIGHT.1 - h)
}

/// A PDF with one A4 page per image (a photo of a document), each fitted
/// within 2 cm margins with its caption (the file's name) above it.
pub fn image_pages(title: &str, images: &[(&str, &Image)]) -> Vec<u8> {
    // Objects: 1 catalog, 2 pages, 3 font, 4 unused, 5 info, then per image
    // its page, content, image and (with alpha) mask.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let per = 4;
    let page_ids: Vec<usize> = (0..images.len()).map(|i| 6 + per * i).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: String = page_ids.iter().map(|id| format!("{id} 0 R ")).collect();
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {} >>", images.len()).into_bytes());
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    objects.push(b"<< >>".to_vec());
    let mut info = b"<< /Producer (portal) /Title ".to_vec();
    info.extend(literal(title));
    info.extend(b" >>");
    objects.push(info);
    for (i, (caption, img)) in images.iter().enumerate() {
        let page = page_ids[i];
        let (content, image, mask) = (page + 1, page + 2, page + 3);
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 {image} 0 R >> >> /Contents {content} 0 R >>"
            )
            .into_bytes(),
        );
        #[allow(clippy::cast_precision_loss)] // at most image::MAX_SIDE pixels a side
        let (w, h) = (img.width as f32, img.height as f32);
        // 2 cm margins; the caption takes the top 30 points.
        let (box_w, box_h) = (595.0 - 2.0 * 57.0, 842.0 - 2.0 * 57.0 - 30.0);
        let scale = (box_w / w).min(box_h / h);
        let (w, h) = (w * scale, h * scale);
        let (x, y) = (57.0 + (box_w - w) / 2.0, 57.0 + box_h - h);
        let mut stream = format!(
            "q {w:.2} 0 0 {h:.2} {x:.2} {y:.2} cm /Im1 Do Q\nBT /F1 10 Tf 57 {:.1} Td ",
            842.0 - 57.0 - 12.0
        )
        .into_bytes();
        stream.extend(literal(caption));
        stream.extend(b" Tj ET\n");
        let mut obj = format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes();
        obj.extend(stream);
        obj.extend(b"\nendstream");
        objects.push(obj);
        let smask = img.alpha.as_ref().map(|_| mask);
        objects.push(image_object(
            img,
            img.filter,
            &img.data,
            img.components == 1,
            smask,
        ));
        // Every image keeps its four numbers; an empty mask slot is a null.
        match &img.alpha {
            Some(alpha) => objects.push(image_object(img, Filter::Flate, alpha, true, None)),
            None => objects.push(b"null".to_vec()),
        }
    }
    serialise(&objects)
}

/// The PDF of `pages` (each a list of lines), with `title` in its info and
/// `logo` on the first page.
pub fn document(title: &str, pages: &[Vec<TextLine>], logo: Option<&Image>) -> Vec<u8> {
    // Objects: 1 catalog, 2 pages, 3 font, 4 bold font, 5 info, then per
    // page its page object and content stream.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let page_ids: Vec<usize> = (0..pages.len()).map(|i| 6 + 2 * i).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: String = page_ids.iter().map(|id| format!("{id} 0 R ")).collect();
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {} >>", pages.len()).into_bytes());
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    let mut info = b"<< /Producer (portal) /Title ".to_vec();
    info.extend(literal(title));
    info.extend(b" >>");
    objects.push(info);
    // The logo's objects come after the pages': image, then its mask.
    let logo_id = 6 + 2 * pages.len();
    for (i, lines) in pages.iter().enumerate() {
        let content_id = page_ids[i] + 1;
        let xobject = if i == 0 && logo.is_some() {
            format!(" /XObject << /Im1 {logo_id} 0 R >>")
        } else {
            String::new()
        };
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R >>{xobject} >> /Contents {content_id} 0 R >>"
            )
            .into_bytes(),
        );
        let mut stream = Vec::new();
        if let (0, Some(img)) = (i, logo) {
            let (w, h, x, y) = logo_placement(img);
            stream.extend(format!("q {w:.2} 0 0 {h:.2} {x:.2} {y:.2} cm /Im1 Do Q\n").into_bytes());
        }
        for l in lines {
            let font = if l.bold { "F2" } else { "F1" };
            stream.extend(
                format!("BT /{font} {:.1} Tf {:.1} {:.1} Td ", l.size, l.x, l.y).into_bytes(),
            );
            stream.extend(literal(&l.text));
            stream.extend(b" Tj ET\n");
        }
        let mut obj = format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes();
        obj.extend(stream);
        obj.extend(b"\nendstream");
        objects.push(obj);
    }
    if let Some(img) = logo {
        let smask = img.alpha.as_ref().map(|_| logo_id + 1);
        objects.push(image_object(
            img,
            img.filter,
            &img.data,
            img.components == 1,
            smask,
        ));
        if let Some(alpha) = &img.alpha {
            objects.push(image_object(img, Filter::Flate, alpha, true, None));
        }
    }
    serialise(&objects)
}

/// The file around numbered `objects` (1 the catalog, 5 the info).
fn serialise(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend(obj);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}
