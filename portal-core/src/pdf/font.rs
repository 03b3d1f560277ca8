//! The fallback font: Liberation Sans (SIL Open Font License 1.1, see
//! `fonts/LICENSE-OFL.txt`), embedded in a PDF only when a line holds a
//! character Helvetica's WinAnsi encoding lacks (a Turkish `ğ`, a Polish
//! `ł`, a Czech `ř`). Helvetica needs no font file; this one is carried in
//! the binary and written into such a PDF whole (compressed, ~250 KB), as a
//! Type0 font with `Identity-H` encoding: the text is glyph ids, and a
//! `ToUnicode` map lets readers (and `pdftotext`) copy it back as text.
//! Liberation Sans has Helvetica's metrics, so mixed lines look alike. A
//! character the font lacks as well shows as `?`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

const FONT: &[u8] = include_bytes!("fonts/LiberationSans-Regular.ttf");
const NAME: &str = "LiberationSans";

/// The font file, compressed once per process.
static COMPRESSED: LazyLock<Vec<u8>> =
    LazyLock::new(|| miniz_oxide::deflate::compress_to_vec_zlib(FONT, 6));

/// The font's tables, parsed once per process (every line set in it
/// looks up its glyphs here).
static FACE: LazyLock<Option<ttf_parser::Face<'static>>> =
    LazyLock::new(|| ttf_parser::Face::parse(FONT, 0).ok());

fn face() -> Option<&'static ttf_parser::Face<'static>> {
    FACE.as_ref()
}

/// The glyphs a document used, with the character each stands for.
#[derive(Debug, Default)]
pub struct Used(BTreeMap<u16, char>);

impl Used {
    /// `text` as a PDF hex string of glyph ids, remembering each glyph.
    pub fn encode(&mut self, text: &str) -> Vec<u8> {
        let face = face();
        let glyph = |c: char| face.and_then(|f| f.glyph_index(c)).map(|g| (g.0, c));
        let mut out = b"<".to_vec();
        for c in text.chars() {
            let (id, shown) = glyph(c).or_else(|| glyph('?')).unwrap_or((0, '?'));
            self.0.entry(id).or_insert(shown);
            out.extend(format!("{id:04X}").into_bytes());
        }
        out.push(b'>');
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The font's five objects, numbered from `first`: the Type0 font (the
    /// one pages name), its CID font, descriptor, file and `ToUnicode` map.
    pub fn objects(&self, first: usize) -> Vec<Vec<u8>> {
        let (cid, descriptor, file, to_unicode) = (first + 1, first + 2, first + 3, first + 4);
        let face = face();
        let per_em = face.map_or(2048.0, |f| f32::from(f.units_per_em()));
        let scale = |v: i16| (f32::from(v) * 1000.0 / per_em).round();
        let mut widths = String::new();
        for id in self.0.keys() {
            let advance = face
                .and_then(|f| f.glyph_hor_advance(ttf_parser::GlyphId(*id)))
                .unwrap_or(0);
            let w = (f32::from(advance) * 1000.0 / per_em).round();
            let _ = write!(widths, "{id} [{w}] ");
        }
        let (bbox, ascent, descent, cap) = face.map_or(
            ([-1000.0, -300.0, 2000.0, 1000.0], 905.0, -212.0, 716.0),
            |f| {
                let b = f.global_bounding_box();
                (
                    [
                        scale(b.x_min),
                        scale(b.y_min),
                        scale(b.x_max),
                        scale(b.y_max),
                    ],
                    scale(f.ascender()),
                    scale(f.descender()),
                    scale(f.capital_height().unwrap_or(f.ascender())),
                )
            },
        );
        let mut font_file = format!(
            "<< /Length {} /Length1 {} /Filter /FlateDecode >>\nstream\n",
            COMPRESSED.len(),
            FONT.len()
        )
        .into_bytes();
        font_file.extend(COMPRESSED.iter());
        font_file.extend(b"\nendstream");
        let cmap = self.to_unicode();
        let mut cmap_obj = format!("<< /Length {} >>\nstream\n", cmap.len()).into_bytes();
        cmap_obj.extend(cmap.into_bytes());
        cmap_obj.extend(b"\nendstream");
        vec![
            format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{NAME} /Encoding /Identity-H \
                 /DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"
            )
            .into_bytes(),
            format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{NAME} \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor {descriptor} 0 R /CIDToGIDMap /Identity /DW 1000 /W [{widths}] >>"
            )
            .into_bytes(),
            format!(
                "<< /Type /FontDescriptor /FontName /{NAME} /Flags 32 \
                 /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {ascent} /Descent {descent} \
                 /CapHeight {cap} /StemV 80 /FontFile2 {file} 0 R >>",
                bbox[0], bbox[1], bbox[2], bbox[3]
            )
            .into_bytes(),
            font_file,
            cmap_obj,
        ]
    }

    /// The `ToUnicode` CMap: each used glyph id to its character (UTF-16BE).
    fn to_unicode(&self) -> String {
        let mut out = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<(&u16, &char)> = self.0.iter().collect();
        // At most 100 entries a block (the CMap format's limit).
        for block in entries.chunks(100) {
            let _ = writeln!(out, "{} beginbfchar", block.len());
            for (id, c) in block {
                let mut units = [0u16; 2];
                let hex: String = c
                    .encode_utf16(&mut units)
                    .iter()
                    .map(|u| format!("{u:04X}"))
                    .collect();
                let _ = writeln!(out, "<{id:04X}> <{hex}>");
            }
            out.push_str("endbfchar\n");
        }
        out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend");
        out
    }
}
