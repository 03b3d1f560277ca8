//! Every CSS class the templates use has a style (issue 17, "Looks and
//! forms": pages looked unfinished because many classes had none).
//!
//! Scans the `class="…"` attributes of every template
//! (`themes/*/templates/**/*.html`, `modules/*/templates/**/*.html`) and
//! the class names the default theme's scripts set, and fails, naming
//! template and class, when a class has no selector in the default theme's
//! stylesheets (`themes/default/static/css/*.css`). A template of another
//! theme may also be styled by that theme's own stylesheets: such a theme
//! loads the default `portal.css` and then its own `theme.css`.
//!
//! Template expressions: `{% … %}` tags only choose which literal classes
//! appear (`field{% if error %} field--error{% endif %}` uses `field` and
//! `field--error`); a token built with `{{ … }}` is dynamic and not checked
//! itself, but its literal prefix must start at least one selector
//! (`status status--{{ s }}` needs `.status` and some `.status--…`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Classes that are only hooks for scripts or tests and need no style of
/// their own, each with the reason. Keep it short: a class that shows
/// something gets a style instead.
const UNSTYLED: &[(&str, &str)] = &[
    // richtext.js wraps toolbar, editor and textarea in a <div> by this name
    // so they stay together; the parts are styled, the wrapper lays out nothing.
    ("richtext", "wrapper set by js/richtext.js"),
];

const DYNAMIC: char = '\u{1}';

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files under `dir` (recursively) whose name ends in `ext`, sorted.
fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    out.sort();
}

/// The sub-folders of `dir`, sorted.
fn dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `text` with everything from `open` to `close` blanked (newlines kept).
fn blank(text: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let end = rest[start + open.len()..]
            .find(close)
            .map_or(rest.len(), |e| start + open.len() + e + close.len());
        out.extend(
            rest[start..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// The class names in a selector list: `.name` followed by a character that
/// cannot continue a name (quoted strings, e.g. in `[href$=".pdf"]`, left out).
fn selector_classes(prelude: &str, out: &mut BTreeSet<String>) {
    let mut quote = None;
    let mut chars = prelude.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '\\') => {
                chars.next();
            }
            (None, '.') => {
                let mut name = String::new();
                while let Some(&n) = chars.peek().filter(|n| is_ident(**n)) {
                    name.push(n);
                    chars.next();
                }
                if name.starts_with(|n: char| n.is_ascii_alphabetic() || n == '_' || n == '-') {
                    out.insert(name);
                }
            }
            _ => {}
        }
    }
}

/// The classes that appear in a selector of `css` (not in declarations:
/// `0.5rem` or `url(a.png)` name no class). At-rule blocks (`@media`,
/// `@supports`) are entered; a rule's declaration block is skipped.
fn css_classes(css: &str) -> BTreeSet<String> {
    let css = blank(css, "/*", "*/");
    let mut out = BTreeSet::new();
    let mut prelude = String::new();
    let mut chars = css.chars();
    while let Some(c) = chars.next() {
        match c {
            '{' if prelude.trim_start().starts_with('@') => prelude.clear(),
            '{' => {
                selector_classes(&prelude, &mut out);
                prelude.clear();
                let (mut depth, mut quote) = (1, None);
                for d in chars.by_ref() {
                    match (quote, d) {
                        (Some(q), _) if d == q => quote = None,
                        (Some(_), _) => {}
                        (None, '"' | '\'') => quote = Some(d),
                        (None, '{') => depth += 1,
                        (None, '}') if depth == 1 => break,
                        (None, '}') => depth -= 1,
                        _ => {}
                    }
                }
            }
            '}' | ';' => prelude.clear(),
            _ => prelude.push(c),
        }
    }
    out
}

/// The classes of the stylesheets in `themes/<theme>/static/css`.
fn theme_css(theme: &str) -> BTreeSet<String> {
    let mut sheets = Vec::new();
    files(
        &root().join("themes").join(theme).join("static/css"),
        "css",
        &mut sheets,
    );
    sheets.iter().flat_map(|s| css_classes(&read(s))).collect()
}

/// One class attribute's tokens: `(line, literal classes, dynamic prefixes)`.
/// `{% … %}` counts as a space, `{{ … }}` makes its token dynamic; the
/// literal start of a dynamic token (`status--` of `status--{{ s }}`) is
/// returned as its prefix (empty when the whole token is an expression).
type Attr = (usize, Vec<String>, Vec<String>);

fn class_attributes(template: &str) -> Vec<Attr> {
    let text = blank(template, "{#", "#}");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("class=").map(|i| from + i) {
        from = at + "class=".len();
        let before = text[..at].chars().next_back();
        let quote = text[from..].chars().next();
        let (Some(q @ ('"' | '\'')), false) = (quote, before.is_some_and(is_ident)) else {
            continue;
        };
        let line = text[..at].matches('\n').count() + 1;
        let mut value = String::new();
        let mut i = from + 1;
        while i < text.len() {
            let rest = &text[i..];
            if let Some(close) = ["{{", "{%"]
                .iter()
                .find(|o| rest.starts_with(**o))
                .map(|o| if *o == "{{" { "}}" } else { "%}" })
            {
                let end = rest.find(close).map_or(text.len(), |e| i + e + 2);
                value.push(if close == "}}" { DYNAMIC } else { ' ' });
                i = end;
            } else if rest.starts_with(q) {
                break;
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                value.push(c);
                i += c.len_utf8();
            }
        }
        from = i;
        let (mut literal, mut dynamic) = (Vec::new(), Vec::new());
        for token in value.split_whitespace() {
            match token.split_once(DYNAMIC) {
                Some((prefix, _)) => dynamic.push(prefix.to_string()),
                None => literal.push(token.to_string()),
            }
        }
        out.push((line, literal, dynamic));
    }
    out
}

/// The classes a script sets: `className = "a b"` and `classList.add("a")`.
fn script_classes(js: &str) -> BTreeSet<String> {
    let js = blank(&blank(js, "/*", "*/"), "//", "\n");
    let mut out = BTreeSet::new();
    for marker in ["className", "classList.add("] {
        for (at, _) in js.match_indices(marker) {
            let rest = js[at + marker.len()..].trim_start();
            let rest = rest.strip_prefix('=').map_or(rest, str::trim_start);
            let Some(q @ ('"' | '\'')) = rest.chars().next() else {
                continue;
            };
            let value = rest[1..].split(q).next().unwrap_or("");
            out.extend(value.split_whitespace().map(str::to_string));
        }
    }
    out
}

/// What is missing: `"<file>:<line>: <class>"`, one per use.
fn unstyled_uses(
    file: &str,
    template: &str,
    styled: &BTreeSet<String>,
    allowed: &BTreeSet<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (line, literal, dynamic) in class_attributes(template) {
        for class in literal {
            if !styled.contains(&class) && !allowed.contains(class.as_str()) {
                out.push(format!("{file}:{line}: .{class}"));
            }
        }
        for prefix in dynamic.into_iter().filter(|p| !p.is_empty()) {
            if !styled
                .iter()
                .any(|s| s.starts_with(&prefix) && s.len() > prefix.len())
            {
                out.push(format!(
                    "{file}:{line}: .{prefix}… (no selector for any value)"
                ));
            }
        }
    }
    out
}

#[test]
fn every_template_class_has_a_style() {
    let root = root();
    let default = theme_css("default");
    assert!(
        default.contains("page-title") && default.contains("button--primary"),
        "the default theme's stylesheets were not read"
    );
    let allowed: BTreeSet<&str> = UNSTYLED.iter().map(|(c, _)| *c).collect();

    // (template, the classes that may style it)
    let mut templates: Vec<(PathBuf, BTreeSet<String>)> = Vec::new();
    for theme in dirs(&root.join("themes")) {
        let name = theme.file_name().unwrap().to_string_lossy().to_string();
        let mut styled = default.clone();
        styled.extend(theme_css(&name));
        let mut found = Vec::new();
        files(&theme.join("templates"), "html", &mut found);
        templates.extend(found.into_iter().map(|f| (f, styled.clone())));
    }
    for module in dirs(&root.join("modules")) {
        let mut found = Vec::new();
        files(&module.join("templates"), "html", &mut found);
        templates.extend(found.into_iter().map(|f| (f, default.clone())));
    }
    assert!(
        templates.len() > 40,
        "too few templates found: {}",
        templates.len()
    );

    let mut missing = Vec::new();
    let mut used = BTreeSet::new();
    for (path, styled) in &templates {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let text = read(path);
        used.extend(class_attributes(&text).into_iter().flat_map(|(_, l, _)| l));
        missing.extend(unstyled_uses(&name, &text, styled, &allowed));
    }
    let mut scripts = Vec::new();
    files(&root.join("themes/default/static/js"), "js", &mut scripts);
    for script in &scripts {
        let name = script.strip_prefix(&root).unwrap().display().to_string();
        for class in script_classes(&read(script)) {
            if !default.contains(&class) && !allowed.contains(class.as_str()) {
                missing.push(format!("{name}: .{class}"));
            }
            used.insert(class);
        }
    }
    // One line per class: where it is used.
    let mut by_class: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for m in &missing {
        let (place, class) = m.rsplit_once(": ").unwrap_or(("?", m));
        by_class.entry(class).or_default().push(place);
    }
    let report: Vec<String> = by_class
        .iter()
        .map(|(class, places)| format!("{class}  in {}", places.join(", ")))
        .collect();
    assert!(
        missing.is_empty(),
        "{} class(es) without a style in themes/default/static/css \
         (add a style, or, for a pure script/test hook, an entry in UNSTYLED):\n{}",
        by_class.len(),
        report.join("\n")
    );

    // The allow-list stays honest: each entry is used and still unstyled.
    for (class, why) in UNSTYLED {
        assert!(
            used.contains(*class),
            "UNSTYLED lists .{class} ({why}), which nothing uses"
        );
        assert!(
            !default.contains(*class),
            "UNSTYLED lists .{class} ({why}), which now has a style"
        );
    }
}

/// The checker itself: what counts as a class and as a style.
#[test]
fn the_class_checker_reads_templates_and_css() {
    let css = "/* .commented {} */ .a, .b:hover > .c-d::before { content: \".e\"; margin: 0.5rem; }\n\
               @media (max-width: 40em) { .f[data-x=\".g\"] { background: url(x.png) } }\n\
               .status--open { color: red }";
    let styled = css_classes(css);
    let expected: BTreeSet<String> = ["a", "b", "c-d", "f", "status--open"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(styled, expected);

    let template = "{# class=\"commented\" #}\n<p class=\"a b{% if x %} c-d{% endif %}\" data-class=\"no\">\n\
                    <span class=\"badge badge-{{ kind }}\"></span>\n\
                    <span class=\"status status--{{ s }} {{ extra }}\"></span>\n\
                    <a class=\"b{% if y == \"z\" %} missing{% endif %}\">";
    let attrs = class_attributes(template);
    assert_eq!(
        attrs,
        vec![
            (2, vec!["a".into(), "b".into(), "c-d".into()], vec![]),
            (3, vec!["badge".into()], vec!["badge-".into()]),
            (
                4,
                vec!["status".into()],
                vec!["status--".into(), String::new()]
            ),
            (5, vec!["b".into(), "missing".into()], vec![]),
        ]
    );
    let allowed = BTreeSet::from(["badge"]);
    assert_eq!(
        unstyled_uses("t.html", template, &styled, &allowed),
        vec![
            "t.html:3: .badge-… (no selector for any value)".to_string(),
            "t.html:4: .status".to_string(),
            "t.html:5: .missing".to_string(),
        ]
    );

    let js = "// el.className = \"commented\";\nwrap.className = \"x y\";\nb.classList.add('z');";
    assert_eq!(
        script_classes(js),
        ["x", "y", "z"].into_iter().map(String::from).collect()
    );
}
