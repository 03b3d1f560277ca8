//! Uploads as one PDF per action item (seed 003): a photo (JPEG, PNG)
//! becomes an A4 page with its name; a PDF is taken as it is (checked by
//! parsing it); several files, and files added later, are merged into one
//! PDF whose pages keep their order. Other types are refused with a clear
//! message (no office-document conversion in process).

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId};
use portal_core::files::upload::UploadedFile;
use portal_core::pdf::image;

/// Why a file cannot become part of the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfRefused {
    /// Not a PDF or a photo.
    Type,
    /// A photo larger than the PDF writer takes, or not decodable.
    Image,
    /// A PDF that cannot be read (damaged or encrypted).
    Unreadable,
}

impl PdfRefused {
    pub fn text_key(self) -> &'static str {
        match self {
            Self::Type => "dossiers-error-file-type",
            Self::Image => "dossiers-error-file-image",
            Self::Unreadable => "dossiers-error-file-pdf",
        }
    }
}

/// One uploaded file as PDF bytes.
///
/// # Errors
/// See [`PdfRefused`].
pub fn to_pdf(f: &UploadedFile) -> Result<Vec<u8>, PdfRefused> {
    match f.ty.ext {
        "pdf" => {
            let doc = Document::load_mem(&f.bytes).map_err(|_| PdfRefused::Unreadable)?;
            if doc.is_encrypted() || doc.get_pages().is_empty() {
                return Err(PdfRefused::Unreadable);
            }
            Ok(f.bytes.clone())
        }
        "jpg" | "png" => {
            let img = image::from_bytes(&f.bytes).ok_or(PdfRefused::Image)?;
            Ok(portal_core::pdf::image_pages(&f.name, &[(&f.name, &img)]))
        }
        _ => Err(PdfRefused::Type),
    }
}

/// Keys a page inherits from its page tree when it lacks them itself.
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

/// The pages of `parts` in order, as one PDF; returns it and its page count.
///
/// # Errors
/// A part that is not a readable PDF.
pub fn merge(parts: &[Vec<u8>]) -> Result<(Vec<u8>, usize), PdfRefused> {
    let mut next_id = 1;
    let mut objects: BTreeMap<ObjectId, Object> = BTreeMap::new();
    let mut pages: Vec<ObjectId> = Vec::new();
    for bytes in parts {
        let mut doc = Document::load_mem(bytes).map_err(|_| PdfRefused::Unreadable)?;
        doc.renumber_objects_with(next_id);
        next_id = doc.max_id + 1;
        for page in doc.get_pages().into_values() {
            // What the page inherits from the tree goes onto the page: the
            // tree itself is replaced.
            let mut own = doc
                .get_dictionary(page)
                .map_err(|_| PdfRefused::Unreadable)?
                .clone();
            for key in INHERITED {
                if own.has(key) {
                    continue;
                }
                let mut parent = own.get(b"Parent").and_then(Object::as_reference).ok();
                while let Some(p) = parent {
                    let Ok(d) = doc.get_dictionary(p) else { break };
                    if let Ok(v) = d.get(key) {
                        own.set(key, v.clone());
                        break;
                    }
                    parent = d.get(b"Parent").and_then(Object::as_reference).ok();
                }
            }
            doc.objects.insert(page, Object::Dictionary(own));
            pages.push(page);
        }
        for (id, obj) in doc.objects {
            let kind = obj
                .as_dict()
                .ok()
                .and_then(|d| d.get(b"Type").ok())
                .and_then(|t| t.as_name().ok())
                .map(<[u8]>::to_vec);
            // The old catalogs and page trees go; everything else stays.
            if matches!(kind.as_deref(), Some(b"Catalog" | b"Pages")) {
                continue;
            }
            objects.insert(id, obj);
        }
    }
    if pages.is_empty() {
        return Err(PdfRefused::Unreadable);
    }
    let mut out = Document::with_version("1.5");
    out.objects = objects;
    out.max_id = next_id;
    let tree = out.new_object_id();
    for p in &pages {
        if let Some(Object::Dictionary(d)) = out.objects.get_mut(p) {
            d.set("Parent", Object::Reference(tree));
        }
    }
    let mut pages_dict = Dictionary::new();
    pages_dict.set("Type", Object::Name(b"Pages".to_vec()));
    pages_dict.set(
        "Kids",
        Object::Array(pages.iter().map(|p| Object::Reference(*p)).collect()),
    );
    pages_dict.set(
        "Count",
        Object::Integer(i64::try_from(pages.len()).unwrap_or(0)),
    );
    out.objects.insert(tree, Object::Dictionary(pages_dict));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(tree));
    let root = out.add_object(Object::Dictionary(catalog));
    out.trailer.set("Root", Object::Reference(root));
    out.prune_objects();
    let mut bytes = Vec::new();
    out.save_to(&mut bytes)
        .map_err(|_| PdfRefused::Unreadable)?;
    Ok((bytes, pages.len()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;
    use portal_core::pdf::TextLine;

    fn page(text: &str) -> Vec<u8> {
        portal_core::pdf::document(
            text,
            &[vec![TextLine {
                x: 50.0,
                y: 700.0,
                size: 12.0,
                bold: false,
                text: text.into(),
            }]],
            None,
        )
    }

    #[test]
    fn merged_pages_keep_their_order() {
        let (bytes, n) = merge(&[page("eerste"), page("tweede"), page("derde")]).unwrap();
        assert_eq!(n, 3);
        let doc = Document::load_mem(&bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 3);
        let texts: Vec<String> = (1..=3).map(|i| doc.extract_text(&[i]).unwrap()).collect();
        assert!(
            texts[0].contains("eerste") && texts[2].contains("derde"),
            "{texts:?}"
        );
        // Merged again with another file: still readable, one more page.
        let (again, n) = merge(&[bytes, page("vierde")]).unwrap();
        assert_eq!(n, 4);
        assert_eq!(Document::load_mem(&again).unwrap().get_pages().len(), 4);
    }

    #[test]
    fn what_is_not_a_pdf_is_refused() {
        assert_eq!(
            merge(&[b"%PDF-1.4 nonsense".to_vec()]).unwrap_err(),
            PdfRefused::Unreadable
        );
    }
}
