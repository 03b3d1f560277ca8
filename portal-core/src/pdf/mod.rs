//! A small PDF writer for documents a module renders itself (an invoice the
//! back-office sent without a PDF of its own, a visit report): one or more
//! A4 pages of text in the PDF standard font Helvetica (no font files,
//! nothing to download), which every PDF reader shows and `pdftotext`
//! reads back. Text is encoded as WinAnsi, so Dutch accents and the euro
//! sign need no font file; a line with a character WinAnsi lacks is set in
//! the embedded fallback font instead ([`font`]). The tenant's logo, where
//! it is a PNG or JPEG, sits top right on the first page ([`image`]).

pub mod font;
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

/// True when Helvetica (WinAnsi) can show all of `s`.
fn fits_win_ansi(s: &str) -> bool {
    s.chars().all(|c| win_ansi(c).is_some())
}

/// The fallback font's resource entry for a page (`/F3`), when a document
/// needs it.
fn fallback_resource(font_id: Option<usize>) -> String {
    font_id
        .map(|id| format!(" /F3 {id} 0 R"))
        .unwrap_or_default()
}

/// One line of text into a content stream: Helvetica (`/F1`, bold `/F2`)
/// where WinAnsi has every character, else the fallback font (`/F3`, bold
/// drawn with a thin outline: the fallback has one weight).
fn show(stream: &mut Vec<u8>, line: &TextLine, used: &mut font::Used) {
    let (size, x, y) = (line.size, line.x, line.y);
    if fits_win_ansi(&line.text) {
        let font = if line.bold { "F2" } else { "F1" };
        stream.extend(format!("BT /{font} {size:.1} Tf {x:.1} {y:.1} Td ").into_bytes());
        stream.extend(literal(&line.text));
        stream.extend(b" Tj ET\n");
        return;
    }
    let (open, mode, close) = if line.bold {
        ("q 0.3 w ", "2 Tr ", " Q")
    } else {
        ("", "", "")
    };
    stream.extend(format!("{open}BT /F3 {size:.1} Tf {mode}{x:.1} {y:.1} Td ").into_bytes());
    stream.extend(used.encode(&line.text));
    stream.extend(format!(" Tj ET{close}\n").into_bytes());
}

/// A text string for the document's info (its title): WinAnsi as a
/// literal, anything else as UTF-16 with a byte-order mark.
fn info_text(s: &str) -> Vec<u8> {
    if fits_win_ansi(s) {
        return literal(s);
    }
    let mut out = b"<FEFF".to_vec();
    for u in s.encode_utf16() {
        out.extend(format!("{u:04X}").into_bytes());
    }
    out.push(b'>');
    out
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
    info.extend(info_text(title));
    info.extend(b" >>");
    objects.push(info);
    let font_id = images
        .iter()
        .any(|(c, _)| !fits_win_ansi(c))
        .then_some(6 + per * images.len());
    let fallback = fallback_resource(font_id);
    let mut used = font::Used::default();
    for (i, (caption, img)) in images.iter().enumerate() {
        let page = page_ids[i];
        let (content, image, mask) = (page + 1, page + 2, page + 3);
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 3 0 R{fallback} >> /XObject << /Im1 {image} 0 R >> >> /Contents {content} 0 R >>"
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
        let mut stream = format!("q {w:.2} 0 0 {h:.2} {x:.2} {y:.2} cm /Im1 Do Q\n").into_bytes();
        let line = TextLine {
            x: 57.0,
            y: 842.0 - 57.0 - 12.0,
            size: 10.0,
            bold: false,
            text: (*caption).to_string(),
        };
        show(&mut stream, &line, &mut used);
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
    if let Some(id) = font_id {
        objects.extend(used.objects(id));
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
    info.extend(info_text(title));
    info.extend(b" >>");
    objects.push(info);
    // The logo's objects come after the pages': image, then its mask; the
    // fallback font's after those, when a line needs it.
    let logo_id = 6 + 2 * pages.len();
    let logo_objects = logo.map_or(0, |img| 1 + usize::from(img.alpha.is_some()));
    let font_id = pages
        .iter()
        .flatten()
        .any(|l| !fits_win_ansi(&l.text))
        .then_some(logo_id + logo_objects);
    let fallback = fallback_resource(font_id);
    let mut used = font::Used::default();
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
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R{fallback} >>{xobject} >> /Contents {content_id} 0 R >>"
            )
            .into_bytes(),
        );
        let mut stream = Vec::new();
        if let (0, Some(img)) = (i, logo) {
            let (w, h, x, y) = logo_placement(img);
            stream.extend(format!("q {w:.2} 0 0 {h:.2} {x:.2} {y:.2} cm /Im1 Do Q\n").into_bytes());
        }
        for l in lines {
            show(&mut stream, l, &mut used);
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
    if let Some(id) = font_id {
        objects.extend(used.objects(id));
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
