//! Files attached to materials of the bank: a document or a picture of a known type, which its
//! first bytes confirm (a name ending in `.pdf` is not enough), and of bounded size.

use super::InvalidValue;

/// The largest file, in bytes: what fits in one request as base64 under its 1 MiB limit.
pub const MAX_BYTES: usize = 512 * 1024;

/// A file type the bank accepts: (extension, media type, first bytes).
const TYPES: [(&str, &str, &[u8]); 8] = [
    ("pdf", "application/pdf", b"%PDF-"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        b"PK\x03\x04",
    ),
    (
        "odt",
        "application/vnd.oasis.opendocument.text",
        b"PK\x03\x04",
    ),
    (
        "ods",
        "application/vnd.oasis.opendocument.spreadsheet",
        b"PK\x03\x04",
    ),
    ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("jpg", "image/jpeg", b"\xff\xd8\xff"),
];

/// A checked attachment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The file name, without any path.
    pub file_name: String,
    /// Its media type, from the accepted list.
    pub media_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl Attachment {
    /// Checks a file: a plain name with a known extension, contents of that type, not empty and
    /// at most [`MAX_BYTES`].
    pub fn parse(file_name: &str, bytes: Vec<u8>) -> Result<Self, InvalidValue> {
        let name = file_name.trim();
        if name.is_empty() || name.contains(['/', '\\']) || name.chars().any(char::is_control) {
            return Err(InvalidValue(format!(
                "«{file_name}» is not a plain file name"
            )));
        }
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_lowercase());
        let extension = match extension.as_deref() {
            Some("jpeg") => Some("jpg"),
            other => other,
        };
        let Some((_, media_type, magic)) = TYPES.iter().find(|(e, ..)| Some(*e) == extension)
        else {
            let known: Vec<&str> = TYPES.iter().map(|(e, ..)| *e).collect();
            return Err(InvalidValue(format!(
                "files of this type are not accepted; accepted: {}",
                known.join(", ")
            )));
        };
        if bytes.is_empty() || bytes.len() > MAX_BYTES {
            return Err(InvalidValue(format!(
                "a file has 1 to {MAX_BYTES} bytes, this one {}",
                bytes.len()
            )));
        }
        if !bytes.starts_with(magic) {
            return Err(InvalidValue(format!(
                "the contents are not a {} file",
                extension.unwrap_or_default().to_uppercase()
            )));
        }
        Ok(Attachment {
            file_name: name.to_owned(),
            media_type,
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_types_that_their_bytes_confirm() {
        assert!(Attachment::parse("кейс.pdf", b"%PDF-1.7 ...".to_vec()).is_ok());
        assert!(Attachment::parse("фото.JPEG", b"\xff\xd8\xff\xe0".to_vec()).is_ok());
        for (name, bytes) in [
            ("script.exe", b"MZ".to_vec()),
            ("fake.pdf", b"<script>".to_vec()),
            ("../../etc/passwd.pdf", b"%PDF-".to_vec()),
            ("empty.pdf", Vec::new()),
            (
                "big.pdf",
                [b"%PDF-".as_slice(), &vec![0; MAX_BYTES]].concat(),
            ),
            ("page.html", b"<html>".to_vec()),
        ] {
            assert!(Attachment::parse(name, bytes).is_err(), "{name}");
        }
    }
}
